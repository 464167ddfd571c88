import Foundation

/// Drafts a policy from the live state seen: every current destination becomes an approved
/// destination (owner `TODO-review`), every live session an approved session. The draft is
/// meant to be reviewed, not trusted: it approves whatever is there, attacks included.
public enum BaselineLearner {
    public static func draft(from graph: MirrorGraph, existing policy: Policy? = nil, generatedAt: Date = Date()) -> String {
        var out = "# mirrorwatch policy draft, learned from the live mirroring state on \(Timestamp.format(generatedAt)).\n"
        out += "# REVIEW BEFORE USE: it approves everything that exists now, including anything an attacker set up.\n"
        out += "# Replace every TODO-review owner and reason, and delete what you do not recognise.\n"
        out += "version: 1\n"
        // Only the accounts that own mirrored sources: a target's owner may be an outsider's
        // account shared through RAM, and listing it would silence mirror.destination.external.
        out += "organization:\n"
        var owners = Set<String>()
        for platform in [Platform.aws, .gcp, .azure] {
            let accounts = Set(graph.sessions.values.filter { $0.platform == platform }.compactMap(\.scope.account)).sorted()
            owners.formUnion(accounts)
            if platform == .aws || !accounts.isEmpty {
                out += "  \(Policy.Organization.key(for: platform)): [\(accounts.map(quote).joined(separator: ", "))]\n"
            }
        }
        let destinations = graph.sessions.values.compactMap { graph.destination(of: $0)?.owner }
        let foreign = Set(destinations + graph.targets.values.compactMap { graph.destination(ofTarget: $0.id).owner ?? $0.scope.account })
            .subtracting(owners).sorted()
        for owner in foreign {
            out += "  # destination owner \(owner) owns no mirrored session: add it only if it is yours\n"
        }
        out += "  internal_cidrs: [10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16]\n"
        out += "approved_destinations:\n"
        let targetIds = Set(graph.sessions.values.compactMap(\.targetRef)).union(graph.targets.keys).sorted()
        let inline = Set(graph.sessions.values.filter { $0.targetRef == nil }.compactMap { $0.inlineDestination?.id }).sorted()
        if targetIds.isEmpty && inline.isEmpty { out += "  []\n" }
        for id in inline {
            let destination = graph.enrich(graph.sessions.values.first { $0.inlineDestination?.id == id }!.inlineDestination!)
            guard let keys = Self.destinationKeys(destination) else {
                out += "  # \(destination.kind.rawValue) \(id): not a kind of destination a policy approves; review it\n"
                continue
            }
            out += "  - {name: \(quote(ResourceRef.shortName(of: id))), \(keys), owner: TODO-review, reason: TODO-review}\n"
        }
        for id in targetIds {
            let destination = graph.destination(ofTarget: id)
            var line = "  - {name: \(quote(graph.target(id)?.description ?? ResourceRef.shortName(of: id))), target: \(quote(id))"
            if destination.kind != .target, let keys = Self.destinationKeys(destination) { line += ", " + keys }
            line += ", owner: TODO-review, reason: TODO-review}"
            out += line + "\n"
        }
        // The members behind load balancer targets (registrations seen) receive the packets too.
        var members = Set<String>()
        for id in targetIds {
            let balancers = graph.balancers(behind: graph.destination(ofTarget: id))
            for receiver in balancers.flatMap(graph.balancers.members(behind:)) where members.insert(receiver.endpoint.id.lowercased()).inserted {
                guard let keys = Self.destinationKeys(receiver.endpoint) else { continue }
                out += "  - {name: \(quote("member of " + receiver.groupName)), \(keys), owner: TODO-review, reason: TODO-review}\n"
            }
        }
        out += "approved_sessions:\n"
        let sessions = graph.sessions.values.sorted { $0.id < $1.id }
        if sessions.isEmpty { out += "  []\n" }
        for s in sessions {
            var line = "  - {id: \(quote(s.id))"
            if let source = s.sources.first { line += ", source: \(quote(source.id))" }
            if let t = s.targetRef ?? s.inlineDestination?.id { line += ", target: \(quote(t))" }
            if let f = s.filterRef, f != MirrorGraph.inlineFilterId(s.id) { line += ", filter: \(quote(f))" }
            if let account = s.scope.account { line += ", account: \(quote(account))" }
            if let region = s.scope.region { line += ", region: \(quote(region))" }
            if s.platform == .aws, let number = s.sessionNumber { line += ", session_number: \(number)" }
            if s.platform == .aws, s.packetLengthKnown { line += ", packet_length: \(s.packetLength.map(String.init) ?? "whole")" }
            line += ", owner: TODO-review}"
            out += line + "\n"
        }
        out += "sensitive_segments: []\n"
        out += "authorized_identities: []\n"
        out += "change_control: {require_ticket: false, match_window: 24h}\n"
        out += "transient_window: 1h\n"
        out += "exceptions: []\n"
        return out
    }

    /// The approved_destinations keys that name `destination` as the policy loader reads them
    /// (a device's interface or VLAN as `device` plus `interface` or `vlan`), or nil for a kind no
    /// approved destination names.
    static func destinationKeys(_ destination: Endpoint) -> String? {
        switch destination.kind {
        case .eni, .nlb, .gwlbe, .ilb: return "\(destination.kind.rawValue): \(quote(destination.id))"
        case .nicIPConfig, .lbFrontend: return "azure_destination: \(quote(destination.id))"
        case .ip: return "ip: \(quote(destination.address ?? destination.id))"
        case .interface:
            guard let colon = destination.id.firstIndex(of: ":") else { return nil }
            return "device: \(quote(String(destination.id[..<colon]))), interface: \(quote(String(destination.id[destination.id.index(after: colon)...])))"
        case .vlan, .remoteVLAN:
            guard let colon = destination.id.firstIndex(of: ":"),
                  let number = destination.id[destination.id.index(after: colon)...].split(separator: " ").last.flatMap({ Int($0) }) else { return nil }
            return "device: \(quote(String(destination.id[..<colon]))), vlan: \(number)"
        case .target: return "target: \(quote(destination.id))"
        case .instance: return "instance: \(quote(destination.id))"
        case .subnet, .networkTag, .nic: return nil
        }
    }

    /// YAML double-quoted scalar.
    static func quote(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }
}
