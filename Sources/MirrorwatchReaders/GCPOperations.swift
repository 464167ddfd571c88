import MirrorwatchJSON
import MirrorwatchModel

/// The Cloud Audit Log methods that write GCP packet mirroring, in every spelling seen:
/// `v1.compute.packetMirrorings.insert`, `beta.compute.packetMirrorings.patch`,
/// `google.cloud.compute.v1.PacketMirrorings.Insert`, matched ignoring case on collection and verb.
enum GCPOperations {
    enum Operation: Equatable {
        case packetMirroring(ChangeAction)
        case firewallMirroringRule(ChangeAction)
        /// `forwardingRules.insert`; a mirroring write only when the request makes a collector.
        case forwardingRuleInsert
    }

    static func classify(_ methodName: String) -> Operation? {
        let lower = methodName.lowercased()
        if let verb = verb(after: "packetmirrorings.", in: lower) {
            switch verb {
            case "insert": return .packetMirroring(.create)
            case "patch", "update": return .packetMirroring(.modify)
            case "delete": return .packetMirroring(.delete)
            default: return nil
            }
        }
        if lower.containsBytes("firewallpolicies.") {
            if lower.hasSuffix(".addpacketmirroringrule") { return .firewallMirroringRule(.create) }
            if lower.hasSuffix(".patchpacketmirroringrule") { return .firewallMirroringRule(.modify) }
            if lower.hasSuffix(".removepacketmirroringrule") { return .firewallMirroringRule(.delete) }
            return nil
        }
        if verb(after: "forwardingrules.", in: lower) == "insert" { return .forwardingRuleInsert }
        return nil
    }

    /// The word after `collection` (`...packetmirrorings.insert` → `insert`).
    static func verb(after collection: String, in lower: String) -> String? {
        guard let rest = lower.afterLast(collection), !rest.isEmpty, !rest.utf8.contains(UInt8(ascii: ".")) else { return nil }
        return String(rest)
    }
}
