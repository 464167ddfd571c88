import MirrorwatchJSON
import MirrorwatchModel

/// EC2 calls that change which load balancers an endpoint service hands its traffic to. A Gateway
/// Load Balancer endpoint can be a Traffic Mirror target: the mirrored packets go to the Gateway
/// Load Balancers of the endpoint's service, and from them to the appliances behind. Adding a load
/// balancer to that service moves where the copies end up without any mirroring call, from the
/// account that runs the service.
enum AWSEndpointServiceChanges {
    static let names = CloudTrailEventNames(["CreateVpcEndpointServiceConfiguration", "ModifyVpcEndpointServiceConfiguration",
                                             "DeleteVpcEndpointServiceConfigurations"])

    /// The changes an EC2 record makes, one per service it names; empty for other records, for changes
    /// of other settings and for failed creations. `problem` says what is wrong with a record of these
    /// calls that cannot be read (no time, no service).
    static func changes(from event: CloudTrailEvent, evidence: Evidence, problem: inout String?) -> [BalancerChange] {
        guard names.contains(event.eventName) else { return [] }
        let record = event.record
        if let source = record.member(ignoringCase: "eventSource")?.text, source.caseInsensitiveCompare("ec2.amazonaws.com") != .orderedSame { return [] }
        guard let time = record.member(ignoringCase: "eventTime")?.text.flatMap({ Timestamp.parse($0) }) else {
            problem = "\(event.eventName) record without a valid eventTime"
            return []
        }
        let identity = event.structured("userIdentity")
        let account = record.member(ignoringCase: "recipientAccountId")?.text ?? identity?.member(ignoringCase: "accountId")?.text
        let errorCode = record.member(ignoringCase: "errorCode")?.text
        let request = AWSChangeMapper.unwrap(event.structured("requestParameters"), event.eventName + "Request")
        let response = AWSChangeMapper.unwrap(event.structured("responseElements"), event.eventName + "Response")
        func change(service: String?) -> BalancerChange {
            var change = BalancerChange(
                action: .serve, operation: event.eventName, platform: .aws,
                scope: Scope(account: account, region: record.member(ignoringCase: "awsRegion")?.text), time: time,
                actor: AWSIdentity.actor(identity, sourceIP: record.member(ignoringCase: "sourceIPAddress")?.text,
                                         userAgent: record.member(ignoringCase: "userAgent")?.text),
                outcome: Outcome(succeeded: errorCode == nil, errorCode: errorCode, errorMessage: record.member(ignoringCase: "errorMessage")?.text),
                eventId: record.member(ignoringCase: "eventID")?.text.map { id in service.map { id + "|" + $0 } ?? id }, evidence: evidence)
            change.service = service
            return change
        }
        switch event.eventName {
        case "CreateVpcEndpointServiceConfiguration":
            // The answer holds the service as made: its id and every load balancer behind it.
            let made = response?.member(ignoringCase: "serviceConfiguration")
            guard let service = made?.member(ignoringCase: "serviceId")?.text else {
                // No service made (a failed call): no endpoint can use it yet, so it reaches no mirroring.
                if errorCode == nil { problem = "CreateVpcEndpointServiceConfiguration record without the serviceId of the service it made" }
                return []
            }
            var created = change(service: service)
            created.forwardsTo = AWSChangeMapper.texts(made?.member(anyOf: "gatewayLoadBalancerArnSet", "gatewayLoadBalancerArns"))
                + AWSChangeMapper.texts(made?.member(anyOf: "networkLoadBalancerArnSet", "networkLoadBalancerArns"))
            if created.forwardsTo.isEmpty {
                created.forwardsTo = AWSChangeMapper.texts(request?.member(anyOf: "GatewayLoadBalancerArn", "GatewayLoadBalancerArns"))
                    + AWSChangeMapper.texts(request?.member(anyOf: "NetworkLoadBalancerArn", "NetworkLoadBalancerArns"))
            }
            created.replacesAll = true
            return [created]
        case "ModifyVpcEndpointServiceConfiguration":
            guard let service = request?.member(ignoringCase: "ServiceId").flatMap({ AWSChangeMapper.texts($0).first }) else {
                problem = "ModifyVpcEndpointServiceConfiguration record without the ServiceId it changes"
                return []
            }
            var modified = change(service: service)
            modified.forwardsTo = AWSChangeMapper.texts(request?.member(anyOf: "AddGatewayLoadBalancerArn", "AddGatewayLoadBalancerArns"))
                + AWSChangeMapper.texts(request?.member(anyOf: "AddNetworkLoadBalancerArn", "AddNetworkLoadBalancerArns"))
            modified.stopsForwardingTo = AWSChangeMapper.texts(request?.member(anyOf: "RemoveGatewayLoadBalancerArn", "RemoveGatewayLoadBalancerArns"))
                + AWSChangeMapper.texts(request?.member(anyOf: "RemoveNetworkLoadBalancerArn", "RemoveNetworkLoadBalancerArns"))
            // Other settings (acceptance, private DNS, regions) do not move the packets.
            return modified.forwardsTo.isEmpty && modified.stopsForwardingTo.isEmpty ? [] : [modified]
        default:
            // One call deletes several services; those it could not delete are listed in the answer.
            let failed = Set((response?.member(ignoringCase: "unsuccessful")?.elements ?? []).compactMap { $0.member(ignoringCase: "resourceId")?.text })
            return AWSChangeMapper.texts(request?.member(anyOf: "ServiceId", "ServiceIds")).map { service in
                var deleted = change(service: service)
                deleted.replacesAll = true
                if failed.contains(service) { deleted.outcome = Outcome(succeeded: false, errorCode: "Unsuccessful", errorMessage: nil) }
                return deleted
            }
        }
    }
}
