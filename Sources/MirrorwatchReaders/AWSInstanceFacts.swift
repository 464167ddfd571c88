import MirrorwatchJSON
import MirrorwatchModel

/// Instances launched in the logs (`RunInstances`): each one's interface, subnet and private address.
/// A member registered in a load balancer's target group is named by its instance id; its address
/// tells whether it sits in an approved sensor subnet, also for instances launched during the logs
/// (a sensor fleet scaling out) that no interface list shows yet.
enum AWSInstanceFacts {
    static let names = CloudTrailEventNames(["RunInstances"])
    private static let runInstances = ByteStringSet(["RunInstances"])
    /// An error code with a value (`"errorCode":null`, as some exports write success, is none).
    private static let errorKey = Array("\"errorCode\":\"".utf8)

    /// Whether a record may hold launched instances, judged on its bytes: any record but a
    /// `RunInstances` that failed (most of them, in logs of automation retrying; and they are large).
    static func mayHaveLaunched(_ buffer: UnsafeRawBufferPointer, name: Range<Int>, record: Range<Int>) -> Bool {
        guard runInstances.contains(name, in: buffer) else { return true }
        return !ByteSearch.contains(errorKey, in: buffer, range: record)
    }

    /// The interfaces of the instances a successful `RunInstances` launched, each with its own subnet
    /// and address (the primary one, device index 0, first: it stands for the instance), marked
    /// provisional (interface lists say more); empty for other records and failed calls.
    static func facts(from event: CloudTrailEvent, evidence: Evidence) -> [AssetFact] {
        facts(record: event.record, named: event.eventName, structured: { $0?.unwrappingEmbeddedJSON }, evidence: evidence)
    }

    /// As `facts(from:evidence:)`, from a record read either way (a decoded tree or a tape of its
    /// bytes: `RunInstances` responses are large, and a tape makes only the strings read).
    /// `structured` reads a member that may be stored as JSON text.
    static func facts<Record: JSONMemberReading>(record: Record, named eventName: String, structured: (Record?) -> Record?,
                                                 evidence: Evidence) -> [AssetFact] {
        guard names.contains(eventName), record.member(ignoringCase: "errorCode")?.text == nil,
              let response = structured(record.member(ignoringCase: "responseElements")) else { return [] }
        let owner = response.member(ignoringCase: "ownerId")?.text ?? record.member(ignoringCase: "recipientAccountId")?.text
        return (response.member(ignoringCase: "instancesSet")?.member(ignoringCase: "items")?.elements ?? []).flatMap { item -> [AssetFact] in
            guard let instance = item.member(ignoringCase: "instanceId")?.text else { return [] }
            let vpc = item.member(ignoringCase: "vpcId")?.text
            let interfaces = (item.member(ignoringCase: "networkInterfaceSet")?.member(ignoringCase: "items")?.elements ?? []).sorted {
                ($0.member(ignoringCase: "attachment")?.member(ignoringCase: "deviceIndex")?.int ?? 0)
                    < ($1.member(ignoringCase: "attachment")?.member(ignoringCase: "deviceIndex")?.int ?? 0)
            }
            func fact(_ id: String, subnet: String?, address: String?, owner: String?) -> AssetFact {
                var fact = AssetFact(id: id, instanceId: instance, subnetId: subnet, vpcId: vpc, privateIP: address, owner: owner, evidence: evidence)
                fact.provisional = true
                return fact
            }
            guard !interfaces.isEmpty else {
                return [fact(instance, subnet: item.member(ignoringCase: "subnetId")?.text, address: item.member(ignoringCase: "privateIpAddress")?.text,
                             owner: owner)]
            }
            return interfaces.compactMap { interface in
                interface.member(ignoringCase: "networkInterfaceId")?.text.map {
                    fact($0, subnet: interface.member(ignoringCase: "subnetId")?.text, address: interface.member(ignoringCase: "privateIpAddress")?.text,
                         owner: interface.member(ignoringCase: "ownerId")?.text ?? owner)
                }
            }
        }
    }
}
