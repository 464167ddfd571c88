import MirrorwatchJSON
import MirrorwatchModel

/// What a Traffic Mirror target really points at: an ENI, a Network Load Balancer or a
/// Gateway Load Balancer endpoint, with the owning account.
enum AWSTargetDestination {
    static func endpoint(request: JSONValue?, response: JSONValue?, owner: String?) -> Endpoint? {
        func field(_ name: String) -> String? {
            response?.member(ignoringCase: name)?.text ?? request?.member(ignoringCase: name)?.text
        }
        if let eni = field("NetworkInterfaceId") { return Endpoint(kind: .eni, id: eni, owner: owner) }
        if let nlb = field("NetworkLoadBalancerArn") {
            return Endpoint(kind: .nlb, id: nlb, owner: accountInArn(nlb) ?? owner)
        }
        if let gwlbe = field("GatewayLoadBalancerEndpointId") { return Endpoint(kind: .gwlbe, id: gwlbe, owner: owner) }
        return nil
    }

    /// The account field of an ARN (`arn:aws:service:region:ACCOUNT:...`).
    static func accountInArn(_ arn: String) -> String? {
        let parts = arn.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count > 4, !parts[4].isEmpty else { return nil }
        return String(parts[4])
    }
}

/// Filter rules in CloudTrail requests/responses and in describe output.
enum AWSFilterRules {
    static func rule(_ value: JSONValue?, fallback: JSONValue?, id: String?, direction: FilterRule.Direction? = nil) -> FilterRule {
        func field(_ name: String) -> JSONValue? { value?.member(ignoringCase: name) ?? fallback?.member(ignoringCase: name) }
        func ports(_ name: String) -> String? {
            guard let range = field(name), case .object = range else { return nil }
            let from = range.member(ignoringCase: "FromPort")?.text
            let to = range.member(ignoringCase: "ToPort")?.text
            if from == nil && to == nil { return nil }
            return "\(from ?? "0")-\(to ?? "65535")"
        }
        return FilterRule(
            id: id ?? field("TrafficMirrorFilterRuleId")?.text,
            direction: direction ?? field("TrafficDirection")?.text.flatMap { FilterRule.Direction(rawValue: $0.lowercased()) },
            number: field("RuleNumber")?.int,
            action: field("RuleAction")?.text?.lowercased(),
            proto: field("Protocol")?.int,
            sourceCIDR: field("SourceCidrBlock")?.text,
            destinationCIDR: field("DestinationCidrBlock")?.text,
            sourcePorts: ports("SourcePortRange"),
            destinationPorts: ports("DestinationPortRange"))
    }
}

/// EC2 tags in their several spellings: `[{"Key": k, "Value": v}]`, `TagSpecification` lists, `tagSet`.
enum AWSTags {
    static func collect(_ value: JSONValue?) -> [String: String] {
        var tags: [String: String] = [:]
        func walk(_ v: JSONValue) {
            switch v {
            case .object(let members):
                let key = v.member(ignoringCase: "Key")?.text
                if let key, let val = v.member(ignoringCase: "Value")?.text { tags[key] = val; return }
                if let key, v.member(ignoringCase: "Value") != nil { tags[key] = ""; return }
                for (_, child) in members { walk(child) }
            case .array(let items): items.forEach(walk)
            default: break
            }
        }
        if let value { walk(value) }
        return tags
    }
}
