import Foundation
import MirrorwatchJSON
import MirrorwatchModel

/// Reads AWS CLI inventory output: `aws ec2 describe-traffic-mirror-sessions`, `-targets`,
/// `-filters`, `describe-network-interfaces`, `describe-vpc-endpoints`,
/// `describe-vpc-endpoint-services`, `aws elbv2 describe-target-groups` and `describe-listeners`
/// (one or several of their top-level lists in one file). The VPC endpoint lists tell whose
/// appliances a Gateway Load Balancer endpoint target really sends to; the target group and
/// listener lists which target groups a Network Load Balancer target hands the packets to.
///
/// The describe output names no region; it is taken from a path component that looks like a
/// region (`snapshots/us-east-1/sessions.json`).
public enum AWSInventoryReader {
    static let format = InputFormat(kind: .awsInventory, recognizes: { head in
        // `describe-vpc-endpoint-services` prints every service name of the region before the details:
        // `ServiceNames` first is enough (the details may be far past the sniffed head).
        ["TrafficMirrorSessions", "TrafficMirrorTargets", "TrafficMirrorFilters", "NetworkInterfaces", "VpcEndpoints", "ServiceDetails", "ServiceNames",
         "ServiceConfigurations", "TargetGroups", "Listeners"].contains(head.firstKey ?? "")
    }, read: { input, _ in read(input) })

    public static func read(_ input: LoadedInput) -> ReadResult {
        var result = ReadResult(report: InputReport(input: input.name, format: "aws-inventory"))
        guard let document = SnapshotDocument.parse(input, into: &result)?.root else { return result }
        let region = regionInPath(input.name)
        var known = false
        /// Reads each entry of the top-level list `list`, if present: counts it, requires its id
        /// (`idKey`) and lets `body` turn it into a record, or explain why not (a skipped record).
        func each(_ list: String, id idKey: String, _ noun: String, _ body: (JSONValue, String, Evidence) -> String?) {
            guard let entries = document.member(ignoringCase: list) else { return }
            known = true
            for (index, item) in entries.elements.enumerated() {
                result.report.records += 1
                guard let id = item.member(ignoringCase: idKey)?.text else {
                    result.report.problem("record \(index)", "\(noun) without \(idKey)"); continue
                }
                if let problem = body(item, id, Evidence(input: input.name, record: index)) {
                    result.report.problem("record \(index)", problem)
                } else {
                    result.report.relevant += 1
                }
            }
        }
        var listAccount: String?
        if let sessions = document.member(ignoringCase: "TrafficMirrorSessions") {
            let owners = Set(sessions.elements.compactMap { $0.member(ignoringCase: "OwnerId")?.text })
            listAccount = owners.count == 1 ? owners.first : accountInPath(input.name)
            // One page of a longer list (`--max-items`, `--no-paginate`) is not the whole list: a
            // session on another page is not gone.
            let morePages = !(document.member(ignoringCase: "NextToken")?.text ?? "").isEmpty
            if !morePages { result.sessionLists.append(SessionList(platform: .aws, scope: Scope(account: listAccount, region: region))) }
        }
        each("TrafficMirrorSessions", id: "TrafficMirrorSessionId", "session") { item, id, evidence in
            // Output narrowed with `--query` may leave the owner out: the list's account stands in.
            let owner = item.member(ignoringCase: "OwnerId")?.text ?? listAccount
            var spec = MirrorSpec()
            if let eni = item.member(ignoringCase: "NetworkInterfaceId")?.text { spec.sources = [Endpoint(kind: .eni, id: eni, owner: owner)] }
            spec.targetRef = item.member(ignoringCase: "TrafficMirrorTargetId")?.text
            spec.filterRef = item.member(ignoringCase: "TrafficMirrorFilterId")?.text
            spec.sessionNumber = item.member(ignoringCase: "SessionNumber")?.int
            spec.virtualNetworkId = item.member(ignoringCase: "VirtualNetworkId")?.text
            spec.packetLength = item.member(ignoringCase: "PacketLength")?.int
            spec.description = item.member(ignoringCase: "Description")?.text
            spec.tags = AWSTags.collect(item.member(ignoringCase: "Tags"))
            result.sessions.append(ObservedSession(platform: .aws, scope: Scope(account: owner, region: region), id: id, spec: spec, evidence: evidence))
            return nil
        }
        each("TrafficMirrorTargets", id: "TrafficMirrorTargetId", "target") { item, id, evidence in
            let owner = item.member(ignoringCase: "OwnerId")?.text
            guard let destination = AWSTargetDestination.endpoint(request: nil, response: item, owner: owner) else {
                return "target \(id) names no network interface, load balancer or endpoint"
            }
            result.targets.append(ObservedTarget(platform: .aws, scope: Scope(account: owner, region: region), id: id, destination: destination,
                                                 description: item.member(ignoringCase: "Description")?.text, evidence: evidence))
            return nil
        }
        each("TrafficMirrorFilters", id: "TrafficMirrorFilterId", "filter") { item, id, evidence in
            var rules: [FilterRule] = []
            for (key, direction) in [("IngressFilterRules", FilterRule.Direction.ingress), ("EgressFilterRules", .egress)] {
                for rule in item.member(ignoringCase: key)?.elements ?? [] {
                    rules.append(AWSFilterRules.rule(rule, fallback: nil, id: nil, direction: direction))
                }
            }
            let services = item.member(ignoringCase: "NetworkServices")?.elements.compactMap(\.text) ?? []
            result.filters.append(ObservedFilter(platform: .aws, scope: Scope(account: item.member(ignoringCase: "OwnerId")?.text, region: region),
                                                 id: id, rules: rules, services: services, evidence: evidence))
            return nil
        }
        each("NetworkInterfaces", id: "NetworkInterfaceId", "network interface") { item, id, evidence in
            let attachment = item.member(ignoringCase: "Attachment")
            result.assets.append(AssetFact(
                id: id,
                instanceId: attachment?.member(ignoringCase: "InstanceId")?.text,
                subnetId: item.member(ignoringCase: "SubnetId")?.text,
                vpcId: item.member(ignoringCase: "VpcId")?.text,
                privateIP: item.member(ignoringCase: "PrivateIpAddress")?.text,
                publicIP: item.member(ignoringCase: "Association")?.member(ignoringCase: "PublicIp")?.text,
                owner: item.member(ignoringCase: "OwnerId")?.text,
                description: item.member(ignoringCase: "Description")?.text,
                tags: AWSTags.collect(item.member(anyOf: "TagSet", "Tags")),
                evidence: evidence))
            return nil
        }
        each("VpcEndpoints", id: "VpcEndpointId", "VPC endpoint") { item, id, evidence in
            let type = item.member(ignoringCase: "VpcEndpointType")?.text
            let service = item.member(ignoringCase: "ServiceName")?.text
            result.assets.append(AssetFact(
                id: id, subnetId: item.member(ignoringCase: "SubnetIds")?.elements.first?.text, vpcId: item.member(ignoringCase: "VpcId")?.text,
                owner: item.member(ignoringCase: "OwnerId")?.text,
                description: "\(type ?? "VPC") endpoint" + (service.map { " to \($0)" } ?? ""),
                tags: AWSTags.collect(item.member(anyOf: "Tags", "TagSet")), serviceName: service, evidence: evidence))
            return nil
        }
        /// An endpoint service's fact, by its name (how endpoints name it) and by its id (`vpce-svc-…`).
        func addService(_ fact: AssetFact, _ item: JSONValue) {
            result.assets.append(fact)
            if let serviceId = item.member(ignoringCase: "ServiceId")?.text, serviceId != fact.id {
                var byId = fact
                byId.id = serviceId
                result.assets.append(byId)
            }
        }
        each("ServiceDetails", id: "ServiceName", "endpoint service") { item, name, evidence in
            guard let owner = item.member(ignoringCase: "Owner")?.text else { return "endpoint service \(name) names no Owner" }
            let types = item.member(ignoringCase: "ServiceType")?.elements.compactMap { $0.member(ignoringCase: "ServiceType")?.text } ?? []
            addService(AssetFact(id: name, owner: owner, description: (types.first ?? "endpoint") + " service of account " + owner, evidence: evidence), item)
            return nil
        }
        // `describe-vpc-endpoint-service-configurations`, run by the account that provides the services.
        each("ServiceConfigurations", id: "ServiceName", "endpoint service configuration") { item, name, evidence in
            let balancers = (item.member(ignoringCase: "GatewayLoadBalancerArns")?.elements ?? []).compactMap(\.text)
                + (item.member(ignoringCase: "NetworkLoadBalancerArns")?.elements ?? []).compactMap(\.text)
            var fact = AssetFact(id: name, owner: balancers.first.flatMap(ResourceRef.account(ofARN:)) ?? accountInPath(input.name),
                                 description: "endpoint service behind " + (balancers.isEmpty ? "no load balancer" : balancers.joined(separator: ", ")),
                                 evidence: evidence)
            fact.loadBalancers = balancers
            addService(fact, item)
            return nil
        }
        each("TargetGroups", id: "TargetGroupArn", "target group") { item, id, evidence in
            let balancers = item.member(ignoringCase: "LoadBalancerArns")?.elements.compactMap(\.text) ?? []
            result.targetGroups.append(ObservedTargetGroup(platform: .aws, scope: Scope(account: ResourceRef.account(ofARN: id), region: region), id: id,
                                                           loadBalancers: balancers, protocolName: item.member(ignoringCase: "Protocol")?.text,
                                                           port: item.member(ignoringCase: "Port")?.int, evidence: evidence))
            return nil
        }
        each("Listeners", id: "ListenerArn", "listener") { item, id, evidence in
            guard let balancer = item.member(ignoringCase: "LoadBalancerArn")?.text ?? AWSBalancerChanges.loadBalancer(ofListener: id) else {
                return "listener \(id) names no LoadBalancerArn"
            }
            for group in AWSBalancerChanges.forwardedGroups(item.member(ignoringCase: "DefaultActions")) {
                result.targetGroups.append(ObservedTargetGroup(platform: .aws, scope: Scope(account: ResourceRef.account(ofARN: id), region: region), id: group,
                                                               loadBalancers: [balancer], listener: id, protocolName: item.member(ignoringCase: "Protocol")?.text,
                                                               port: item.member(ignoringCase: "Port")?.int, evidence: evidence))
            }
            return nil
        }
        if !known {
            result.report.problem("byte 0", "no TrafficMirrorSessions, TrafficMirrorTargets, TrafficMirrorFilters, NetworkInterfaces, VpcEndpoints, ServiceDetails, ServiceConfigurations, TargetGroups or Listeners list")
        }
        return result
    }

    /// A path component that is a 12-digit AWS account id (`snapshots/111122223333/...`).
    static func accountInPath(_ path: String) -> String? {
        path.split(separator: "/").reversed().first { $0.count == 12 && $0.allSatisfy(\.isNumber) }.map(String.init)
    }

    /// A path component shaped like an AWS region (`us-east-1`, `us-gov-west-1`, `ap-southeast-2`).
    static func regionInPath(_ path: String) -> String? {
        for component in path.split(separator: "/").reversed() {
            let parts = component.split(separator: "-")
            guard parts.count >= 3, parts.count <= 4, let last = parts.last, Int(last) != nil,
                  parts.dropLast().allSatisfy({ $0.allSatisfy(\.isLowercase) }), parts[0].count == 2 else { continue }
            return String(component)
        }
        return nil
    }
}
