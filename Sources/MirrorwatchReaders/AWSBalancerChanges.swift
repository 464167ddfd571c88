import MirrorwatchJSON
import MirrorwatchModel

/// Elastic Load Balancing calls that change where a load balancer hands its traffic: members
/// registered in or removed from a target group, listeners pointed at target groups or removed,
/// target groups deleted. A Network Load Balancer can be a Traffic Mirror target; these calls then
/// decide which machines receive the mirrored packets (the state replay tells when that is so).
enum AWSBalancerChanges {
    static let names = CloudTrailEventNames(["RegisterTargets", "DeregisterTargets", "CreateListener", "ModifyListener", "DeleteListener",
                                             "DeleteTargetGroup"])

    /// Whether a record is one of these calls to Elastic Load Balancing (VPC Lattice and Global
    /// Accelerator have calls of the same names).
    static func applies(to event: CloudTrailEvent) -> Bool {
        guard names.contains(event.eventName) else { return false }
        let source = event.record.member(ignoringCase: "eventSource")?.text
        return source.map { $0.caseInsensitiveCompare("elasticloadbalancing.amazonaws.com") == .orderedSame } ?? true
    }

    /// The change an Elastic Load Balancing record makes; nil for other records and for records
    /// without a time or without the group or listener they act on.
    static func change(from event: CloudTrailEvent, evidence: Evidence) -> BalancerChange? {
        guard applies(to: event) else { return nil }
        let record = event.record
        guard let time = record.member(ignoringCase: "eventTime")?.text.flatMap({ Timestamp.parse($0) }) else { return nil }
        let identity = event.structured("userIdentity")
        let account = record.member(ignoringCase: "recipientAccountId")?.text ?? identity?.member(ignoringCase: "accountId")?.text
        let errorCode = record.member(ignoringCase: "errorCode")?.text
        let request = event.structured("requestParameters"), response = event.structured("responseElements")
        let action: BalancerChange.Action
        switch event.eventName {
        case "RegisterTargets": action = .register
        case "DeregisterTargets": action = .deregister
        case "DeleteListener": action = .removeListener
        case "DeleteTargetGroup": action = .deleteGroup
        default: action = .forward
        }
        var change = BalancerChange(
            action: action, operation: event.eventName, platform: .aws,
            scope: Scope(account: account, region: record.member(ignoringCase: "awsRegion")?.text), time: time,
            actor: AWSIdentity.actor(identity, sourceIP: record.member(ignoringCase: "sourceIPAddress")?.text,
                                     userAgent: record.member(ignoringCase: "userAgent")?.text),
            outcome: Outcome(succeeded: errorCode == nil, errorCode: errorCode, errorMessage: record.member(ignoringCase: "errorMessage")?.text),
            eventId: record.member(ignoringCase: "eventID")?.text, evidence: evidence)
        change.targetGroup = request?.member(ignoringCase: "targetGroupArn")?.text
        change.members = request?.member(ignoringCase: "targets")?.elements.compactMap { member(of: $0, account: account) } ?? []
        // A listener's answer holds it as it now is (its ARN, its load balancer, its actions).
        let listener = response?.member(ignoringCase: "listeners")?.elements.first
        change.listener = request?.member(ignoringCase: "listenerArn")?.text ?? listener?.member(ignoringCase: "listenerArn")?.text
        change.loadBalancer = request?.member(ignoringCase: "loadBalancerArn")?.text ?? listener?.member(ignoringCase: "loadBalancerArn")?.text
            ?? change.listener.flatMap(loadBalancer(ofListener:))
        if action == .forward {
            change.forwardsTo = forwardedGroups(request?.member(ignoringCase: "defaultActions") ?? listener?.member(ignoringCase: "defaultActions"))
            change.listenerProtocol = listener?.member(ignoringCase: "protocol")?.text ?? request?.member(ignoringCase: "protocol")?.text
            change.listenerPort = listener?.member(ignoringCase: "port")?.int ?? request?.member(ignoringCase: "port")?.int
        }
        switch action {
        case .register, .deregister, .deleteGroup: guard change.targetGroup != nil else { return nil }
        case .forward, .removeListener, .attach: guard change.listener != nil || change.loadBalancer != nil else { return nil }
        case .serve, .setMembers, .setGroups: return nil  // endpoint services: `AWSEndpointServiceChanges`; pools: Azure
        }
        return change
    }

    /// A registered target: an instance id, an IP address, or another load balancer's ARN (an ALB
    /// behind an NLB).
    static func member(of target: JSONValue, account: String?) -> Endpoint? {
        guard let id = target.member(ignoringCase: "id")?.text, !id.isEmpty else { return nil }
        // Its owner comes from interface facts when known (an instance of a shared VPC may be another account's).
        if id.hasPrefix("i-") { return Endpoint(kind: .instance, id: id) }
        if id.hasPrefix("arn:") { return Endpoint(kind: .target, id: id) }
        return Endpoint(kind: .ip, id: id, address: id)
    }

    /// The target groups a listener's actions forward to (`targetGroupArn`, or the weighted groups
    /// of `forwardConfig`).
    static func forwardedGroups(_ actions: JSONValue?) -> [String] {
        var groups: [String] = []
        for action in actions?.elements ?? [] {
            if let group = action.member(ignoringCase: "targetGroupArn")?.text { groups.append(group) }
            for weighted in action.member(ignoringCase: "forwardConfig")?.member(ignoringCase: "targetGroups")?.elements ?? [] {
                if let group = weighted.member(ignoringCase: "targetGroupArn")?.text, !groups.contains(group) { groups.append(group) }
            }
        }
        return groups
    }

    /// `arn:…:listener/net/NAME/LBID/LISTENERID` belongs to `arn:…:loadbalancer/net/NAME/LBID`.
    static func loadBalancer(ofListener arn: String) -> String? {
        guard let range = arn.range(of: ":listener/") else { return nil }
        let parts = arn[range.upperBound...].split(separator: "/")
        guard parts.count == 4 else { return nil }
        return arn[..<range.lowerBound] + ":loadbalancer/" + parts[0...2].joined(separator: "/")
    }
}
