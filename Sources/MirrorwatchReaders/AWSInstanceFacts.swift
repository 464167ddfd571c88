import MirrorwatchJSON
import MirrorwatchModel

/// Instances launched in the logs (`RunInstances`): each one's interface, subnet and private address.
/// A member registered in a load balancer's target group is named by its instance id; its address
/// tells whether it sits in an approved sensor subnet, also for instances launched during the logs
/// (a sensor fleet scaling out) that no interface list shows yet.
enum AWSInstanceFacts {
    static let names = CloudTrailEventNames(["RunInstances"])

    /// The instances a successful `RunInstances` launched; empty for other records and failed calls.
    static func facts(from event: CloudTrailEvent, evidence: Evidence) -> [AssetFact] {
        guard names.contains(event.eventName), event.record.member(ignoringCase: "errorCode") == nil,
              let response = event.structured("responseElements") else { return [] }
        let owner = response.member(ignoringCase: "ownerId")?.text ?? event.record.member(ignoringCase: "recipientAccountId")?.text
        return (response.member(ignoringCase: "instancesSet")?.member(ignoringCase: "items")?.elements ?? []).compactMap { item in
            guard let instance = item.member(ignoringCase: "instanceId")?.text else { return nil }
            let interface = item.member(ignoringCase: "networkInterfaceSet")?.member(ignoringCase: "items")?.elements.first
            return AssetFact(id: interface?.member(ignoringCase: "networkInterfaceId")?.text ?? instance, instanceId: instance,
                             subnetId: item.member(ignoringCase: "subnetId")?.text, vpcId: item.member(ignoringCase: "vpcId")?.text,
                             privateIP: item.member(ignoringCase: "privateIpAddress")?.text ?? interface?.member(ignoringCase: "privateIpAddress")?.text,
                             owner: interface?.member(ignoringCase: "ownerId")?.text ?? owner, description: "instance launched by RunInstances",
                             evidence: evidence)
        }
    }
}
