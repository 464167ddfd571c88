import Foundation
import MirrorwatchModel
import Yams

/// Loads and strictly validates a policy file. Unknown keys, wrong types, bad CIDRs, bad
/// durations, approved destinations without owner or reason, and exceptions without owner,
/// justification or expiry are all errors, reported with file, line and column.
public enum PolicyLoader {
    public static func load(path: String) throws(PolicyError) -> Policy {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw PolicyError(problems: [PolicyProblem(file: path, line: 0, column: 0, reason: "cannot read the policy file")])
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw PolicyError(problems: [PolicyProblem(file: path, line: 0, column: 0, reason: "the policy file is not UTF-8 text")])
        }
        return try parse(text, file: path)
    }

    public static func parse(_ text: String, file: String) throws(PolicyError) -> Policy {
        let root: Node
        do {
            guard let node = try Yams.compose(yaml: text) else {
                throw PolicyError(problems: [PolicyProblem(file: file, line: 1, column: 1, reason: "the policy file is empty")])
            }
            root = node
        } catch let error as PolicyError {
            throw error
        } catch let error as YamlError {
            throw PolicyError(problems: [yamlProblem(error, file: file)])
        } catch {
            throw PolicyError(problems: [PolicyProblem(file: file, line: 1, column: 1, reason: "not valid YAML: \(error)")])
        }
        var reader = PolicyNodeReader(file: file)
        let policy = reader.policy(root)
        if !reader.problems.isEmpty { throw PolicyError(problems: reader.problems) }
        return policy
    }

    static func yamlProblem(_ error: YamlError, file: String) -> PolicyProblem {
        switch error {
        case let .scanner(_, problem, mark, _), let .parser(_, problem, mark, _), let .composer(_, problem, mark, _):
            return PolicyProblem(file: file, line: mark.line, column: mark.column, reason: "not valid YAML: \(problem)")
        case let .duplicatedKeysInMapping(duplicates, context):
            let keys = duplicates.sorted().map { "'\($0)'" }.joined(separator: ", ")
            return PolicyProblem(file: file, line: context.mark.line, column: context.mark.column,
                                 reason: "duplicate key \(keys) (\(context.text))")
        default:
            return PolicyProblem(file: file, line: 1, column: 1, reason: "not valid YAML: \(error)")
        }
    }
}

/// Walks the YAML node tree, collecting every problem rather than stopping at the first.
struct PolicyNodeReader {
    let file: String
    var problems: [PolicyProblem] = []

    init(file: String) { self.file = file }

    mutating func problem(_ node: Node?, _ reason: String) {
        problems.append(PolicyProblem(file: file, line: node?.mark?.line ?? 1, column: node?.mark?.column ?? 1, reason: reason))
    }

    func location(_ node: Node) -> String { "\(file):\(node.mark?.line ?? 0)" }

    /// The mapping's entries, checking keys against `allowed`.
    mutating func entries(_ node: Node, _ context: String, allowed: [String]) -> [(String, Node)] {
        guard let mapping = node.mapping else {
            problem(node, "\(context) must be a mapping"); return []
        }
        var result: [(String, Node)] = []
        var seen = Set<String>()
        for (key, value) in mapping {
            guard let name = key.string else { problem(key, "\(context): keys must be text"); continue }
            guard allowed.contains(name) else {
                problem(key, "unknown key '\(name)' in \(context) (expected one of: \(allowed.joined(separator: ", ")))"); continue
            }
            if !seen.insert(name).inserted { problem(key, "duplicate key '\(name)' in \(context)"); continue }
            result.append((name, value))
        }
        return result
    }

    mutating func string(_ node: Node, _ context: String) -> String? {
        guard let scalar = node.scalar else { problem(node, "\(context) must be a single value"); return nil }
        // YAML's null (`null`, `~`, nothing) is no value, not the text "null": an optional field left
        // null is absent; a required one is reported by `required`.
        if Self.isNull(scalar) { return nil }
        return scalar.string
    }

    static func isNull(_ scalar: Node.Scalar) -> Bool {
        scalar.style == .plain && ["", "~", "null", "Null", "NULL"].contains(scalar.string)
    }

    mutating func strings(_ node: Node, _ context: String) -> [String] {
        if node.scalar != nil { return string(node, context).map { [$0] } ?? [] }
        guard let sequence = node.sequence else { problem(node, "\(context) must be a list"); return [] }
        return sequence.compactMap { string($0, "\(context) entry") }
    }

    mutating func bool(_ node: Node, _ context: String) -> Bool? {
        guard let scalar = node.scalar else { problem(node, "\(context) must be true or false"); return nil }
        switch scalar.string.lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default: problem(node, "\(context) must be true or false, not '\(scalar.string)'"); return nil
        }
    }

    mutating func int(_ node: Node, _ context: String) -> Int? {
        guard let text = string(node, context) else { return nil }
        guard let value = Int(text) else { problem(node, "\(context) must be a whole number, not '\(text)'"); return nil }
        return value
    }

    mutating func duration(_ node: Node, _ context: String) -> TimeInterval? {
        guard let text = string(node, context) else { return nil }
        guard let seconds = DurationText.parse(text) else {
            problem(node, "\(context): '\(text)' is not a duration (write e.g. 30m, 1h, 24h, 7d)"); return nil
        }
        return seconds
    }

    mutating func cidr(_ node: Node, _ context: String) -> CIDR? {
        guard let text = string(node, context) else { return nil }
        guard let cidr = CIDR(text) else { problem(node, "\(context): '\(text)' is not a valid CIDR or IP address"); return nil }
        return cidr
    }

    mutating func required(_ fields: [String: Node], _ key: String, _ context: String, in node: Node) -> String? {
        guard let value = fields[key] else { problem(node, "\(context) needs '\(key)'"); return nil }
        if let scalar = value.scalar, Self.isNull(scalar) { problem(value, "\(context).\(key) has no value (YAML null)"); return nil }
        guard let text = string(value, "\(context).\(key)"), !text.trimmingCharacters(in: .whitespaces).isEmpty else {
            problem(value, "\(context).\(key) must not be empty"); return nil
        }
        return text
    }

    mutating func policy(_ root: Node) -> Policy {
        var policy = Policy()
        policy.origin = file
        let top = entries(root, "the policy", allowed: ["version", "organization", "approved_destinations", "sensitive_segments",
                                                        "authorized_identities", "change_control", "transient_window",
                                                        "exceptions", "approved_sessions", "break_glass_identities", "flows", "coverage"])
        let fields = Dictionary(top, uniquingKeysWith: { a, _ in a })
        if let version = fields["version"] {
            if let v = int(version, "version"), v != 1 { problem(version, "unsupported policy version \(v) (this mirrorwatch reads version 1)") }
        } else {
            problem(root, "the policy needs 'version: 1'")
        }
        if let node = fields["organization"] { policy.organization = organization(node) }
        if let node = fields["approved_destinations"] { policy.approvedDestinations = list(node, "approved_destinations", { $0.approvedDestination($1, $2) }) }
        if let node = fields["sensitive_segments"] { policy.sensitiveSegments = list(node, "sensitive_segments", { $0.segment($1, $2) }) }
        if let node = fields["authorized_identities"] {
            policy.authorizedIdentities = strings(node, "authorized_identities").map(IdentityPattern.init)
        }
        if let node = fields["break_glass_identities"] {
            policy.breakGlassIdentities = strings(node, "break_glass_identities").map(IdentityPattern.init)
        }
        if let node = fields["flows"] { policy.flows = flowSettings(node) }
        if let node = fields["coverage"] { policy.coverage = coverageSettings(node) }
        if let node = fields["change_control"] { policy.changeControl = changeControl(node) }
        if let node = fields["transient_window"], let d = duration(node, "transient_window") { policy.transientWindow = d }
        if let node = fields["exceptions"] { policy.exceptions = list(node, "exceptions", { $0.exception($1, $2) }) }
        if let node = fields["approved_sessions"] { policy.approvedSessions = list(node, "approved_sessions", { $0.approvedSession($1, $2) }) }
        var ids = Set<String>()
        for exception in policy.exceptions where !ids.insert(exception.id).inserted {
            problems.append(PolicyProblem(file: file, line: Int(exception.location.split(separator: ":").last ?? "0") ?? 0, column: 1,
                                          reason: "exception id '\(exception.id)' is used twice"))
        }
        return policy
    }

    mutating func list<T>(_ node: Node, _ context: String, _ make: (inout PolicyNodeReader, Node, String) -> T?) -> [T] {
        guard let sequence = node.sequence else { problem(node, "\(context) must be a list"); return [] }
        var items: [T] = []
        for (index, item) in sequence.enumerated() {
            if let made = make(&self, item, "\(context)[\(index)]") { items.append(made) }
        }
        return items
    }

    mutating func flowSettings(_ node: Node) -> Policy.FlowSettings {
        var settings = Policy.FlowSettings()
        for (key, value) in entries(node, "flows", allowed: ["vxlan_ports", "geneve_ports", "minimum_bytes"]) {
            if key == "minimum_bytes" {
                if let n = int(value, "flows.minimum_bytes") { settings.minimumBytes = n }
                continue
            }
            let ports = (value.sequence ?? [value]).compactMap { int($0, "flows.\(key)") }
            for (port, item) in zip(ports, value.sequence ?? [value]) where !(1...65535).contains(port) {
                problem(item, "flows.\(key): \(port) is not a UDP port")
            }
            if key == "vxlan_ports" { settings.vxlanPorts = ports } else { settings.genevePorts = ports }
        }
        return settings
    }

    mutating func coverageSettings(_ node: Node) -> Policy.CoverageSettings {
        var settings = Policy.CoverageSettings()
        for (key, value) in entries(node, "coverage", allowed: ["max_silence", "max_snapshot_age", "min_retention_days", "aws_regions"]) {
            switch key {
            case "max_silence": if let d = duration(value, "coverage.max_silence") { settings.maxSilence = d }
            case "max_snapshot_age": if let d = duration(value, "coverage.max_snapshot_age") { settings.maxSnapshotAge = d }
            case "min_retention_days":
                if let n = int(value, "coverage.min_retention_days") {
                    if n < 1 { problem(value, "coverage.min_retention_days: \(n) is not a number of days") } else { settings.minRetentionDays = n }
                }
            default:
                settings.awsRegions = (value.sequence ?? [value]).compactMap(\.string)
            }
        }
        return settings
    }

    mutating func organization(_ node: Node) -> Policy.Organization {
        var org = Policy.Organization()
        for (key, value) in entries(node, "organization", allowed: ["aws_accounts", "gcp_projects", "azure_subscriptions", "internal_cidrs"]) {
            switch key {
            case "aws_accounts":
                org.awsAccounts = strings(value, "organization.aws_accounts")
                for (i, account) in org.awsAccounts.enumerated() where account.count != 12 || !account.allSatisfy(\.isNumber) {
                    problem(value.sequence?[i] ?? value, "organization.aws_accounts: '\(account)' is not a 12-digit AWS account id")
                }
            case "gcp_projects": org.gcpProjects = strings(value, "organization.gcp_projects")
            case "azure_subscriptions": org.azureSubscriptions = strings(value, "organization.azure_subscriptions")
            default:
                if let sequence = value.sequence {
                    org.internalCIDRs = sequence.compactMap { cidr($0, "organization.internal_cidrs") }
                } else if let single = cidr(value, "organization.internal_cidrs") {
                    org.internalCIDRs = [single]
                }
            }
        }
        return org
    }

    static let destinationMatchKeys = ["target", "eni", "nlb", "gwlbe", "ilb", "azure_destination", "instance", "ip", "device", "interface", "vlan"]

    mutating func approvedDestination(_ node: Node, _ context: String) -> ApprovedDestination? {
        let pairs = entries(node, context, allowed: ["name", "owner", "reason"] + Self.destinationMatchKeys)
        let fields = Dictionary(pairs, uniquingKeysWith: { a, _ in a })
        let owner = required(fields, "owner", context, in: node)
        let reason = required(fields, "reason", context, in: node)
        let name = fields["name"].flatMap { string($0, "\(context).name") }
        var destination = ApprovedDestination(name: name ?? "", owner: owner ?? "", reason: reason ?? "", location: location(node))
        var matchKeys = 0
        for (key, value) in pairs {
            switch key {
            case "target": destination.target = string(value, "\(context).target"); matchKeys += 1
            case "eni": destination.eni = string(value, "\(context).eni"); matchKeys += 1
            case "nlb": destination.nlb = string(value, "\(context).nlb"); matchKeys += 1
            case "gwlbe": destination.gwlbe = string(value, "\(context).gwlbe"); matchKeys += 1
            case "ilb": destination.ilb = string(value, "\(context).ilb"); matchKeys += 1
            case "azure_destination": destination.azureDestination = string(value, "\(context).azure_destination"); matchKeys += 1
            case "instance": destination.instance = string(value, "\(context).instance"); matchKeys += 1
            case "ip": destination.ip = cidr(value, "\(context).ip"); matchKeys += 1
            case "device": destination.device = string(value, "\(context).device")
            case "interface": destination.interface = string(value, "\(context).interface"); matchKeys += 1
            case "vlan":
                destination.vlan = int(value, "\(context).vlan")
                if let vlan = destination.vlan, !(1...4094).contains(vlan) { problem(value, "\(context).vlan: \(vlan) is not a VLAN (1-4094)") }
                matchKeys += 1
            default: break
            }
        }
        if matchKeys == 0 {
            problem(node, "\(context) names no destination (give one of: target, eni, nlb, gwlbe, ilb, azure_destination, instance, ip, interface, vlan)")
        }
        if (destination.interface != nil || destination.vlan != nil) && destination.device == nil {
            problem(node, "\(context): an interface or vlan destination needs 'device'")
        }
        if destination.name.isEmpty { destination.name = destination.target ?? destination.eni ?? destination.nlb ?? destination.instance ?? destination.ip?.text ?? "approved destination" }
        return owner == nil || reason == nil ? nil : destination
    }

    mutating func segment(_ node: Node, _ context: String) -> SensitiveSegment? {
        let pairs = entries(node, context, allowed: ["name", "cidrs", "subnets", "enis", "instances", "tags", "devices", "vlans"])
        let fields = Dictionary(pairs, uniquingKeysWith: { a, _ in a })
        guard let name = required(fields, "name", context, in: node) else { return nil }
        var segment = SensitiveSegment(name: name)
        for (key, value) in pairs {
            switch key {
            case "cidrs": segment.cidrs = (value.sequence.map(Array.init) ?? [value]).compactMap { cidr($0, "\(context).cidrs") }
            case "subnets": segment.subnets = strings(value, "\(context).subnets")
            case "enis": segment.enis = strings(value, "\(context).enis")
            case "instances": segment.instances = strings(value, "\(context).instances")
            case "vlans": segment.vlans = (value.sequence.map(Array.init) ?? [value]).compactMap { int($0, "\(context).vlans") }
            case "tags":
                guard let mapping = value.mapping else { problem(value, "\(context).tags must be a mapping of tag key to value"); continue }
                for (k, v) in mapping { if let k = k.string, let v = string(v, "\(context).tags.\(k)") { segment.tags[k] = v } }
            case "devices":
                guard let mapping = value.mapping else { problem(value, "\(context).devices must map device names to interface lists"); continue }
                for (k, v) in mapping { if let k = k.string { segment.devices[k] = strings(v, "\(context).devices.\(k)") } }
            default: break
            }
        }
        return segment
    }

    mutating func changeControl(_ node: Node) -> Policy.ChangeControl {
        var control = Policy.ChangeControl()
        for (key, value) in entries(node, "change_control", allowed: ["require_ticket", "match_window", "timezone"]) {
            switch key {
            case "require_ticket": control.requireTicket = bool(value, "change_control.require_ticket") ?? false
            case "match_window": if let d = duration(value, "change_control.match_window") { control.matchWindow = d }
            default:
                if let name = string(value, "change_control.timezone") {
                    if let zone = TimeZone(identifier: name) { control.timeZone = zone } else {
                        problem(value, "change_control.timezone: '\(name)' is not a known time zone (e.g. UTC, Europe/Berlin)")
                    }
                }
            }
        }
        return control
    }

    static let ruleIds: Set<String> = [
        "mirror.change.observed", "mirror.destination.unapproved", "mirror.destination.external", "mirror.source.sensitive",
        "mirror.session.repointed", "mirror.filter.broad", "mirror.change.unauthorized-actor", "mirror.change.no-ticket",
        "mirror.change.transient", "mirror.change.denied", "mirror.traffic.unapproved-flow", "mirror.exception.expired",
        "baseline.drift", "coverage.gap", "coverage.logging-tampered", "access.excessive",
    ]

    mutating func exception(_ node: Node, _ context: String) -> PolicyException? {
        let pairs = entries(node, context, allowed: ["id", "rule", "match", "owner", "justification", "ticket", "expires"])
        let fields = Dictionary(pairs, uniquingKeysWith: { a, _ in a })
        let id = required(fields, "id", context, in: node)
        let rule = required(fields, "rule", context, in: node)
        let owner = required(fields, "owner", context, in: node)
        let justification = required(fields, "justification", context, in: node)
        let expiresText = required(fields, "expires", context, in: node)
        if let rule, !Self.ruleIds.contains(where: { IdentityPattern(rule).matches($0) }) {
            problem(fields["rule"], "\(context).rule: unknown rule id '\(rule)': it names no rule (`mirrorwatch rules` lists them; a trailing * covers a family, as in mirror.change.*)")
        }
        var expires: Date?
        if let expiresText {
            expires = Timestamp.parse(expiresText)
            if expires == nil { problem(fields["expires"], "\(context).expires: '\(expiresText)' is not a date (write 2027-01-31)") }
            // A bare date holds through the end of that day.
            if let e = expires, expiresText.count == 10 { expires = e.addingTimeInterval(86400) }
        }
        var match = PolicyException.Match()
        if let matchNode = fields["match"] {
            for (key, value) in entries(matchNode, "\(context).match", allowed: ["resource", "destination", "actor", "account", "device"]) {
                let text = string(value, "\(context).match.\(key)")
                switch key {
                case "resource": match.resource = text
                case "destination": match.destination = text
                case "actor": match.actor = text.map(IdentityPattern.init)
                case "account": match.account = text
                default: match.device = text
                }
            }
            if match.resource == nil && match.destination == nil && match.actor == nil && match.account == nil && match.device == nil {
                problem(matchNode, "\(context).match names nothing (give one or more of resource, destination, actor, account, device): it could never apply")
            }
        } else {
            problem(node, "\(context) needs 'match' (one or more of resource, destination, actor, account, device)")
        }
        guard let id, let rule, let owner, let justification, let expiresText, let expires else { return nil }
        return PolicyException(id: id, rule: rule, match: match, owner: owner, justification: justification,
                               ticket: fields["ticket"].flatMap { string($0, "\(context).ticket") },
                               expires: expires, expiresText: expiresText, location: location(node))
    }

    mutating func approvedSession(_ node: Node, _ context: String) -> ApprovedSession? {
        let pairs = entries(node, context, allowed: ["id", "source", "target", "filter", "account", "region", "session_number", "packet_length", "owner", "reason"])
        let fields = Dictionary(pairs, uniquingKeysWith: { a, _ in a })
        guard let id = required(fields, "id", context, in: node), let owner = required(fields, "owner", context, in: node) else { return nil }
        var session = ApprovedSession(id: id, source: fields["source"].flatMap { string($0, "\(context).source") },
                                      target: fields["target"].flatMap { string($0, "\(context).target") },
                                      filter: fields["filter"].flatMap { string($0, "\(context).filter") },
                                      account: fields["account"].flatMap { string($0, "\(context).account") },
                                      region: fields["region"].flatMap { string($0, "\(context).region") },
                                      owner: owner, reason: fields["reason"].flatMap { string($0, "\(context).reason") },
                                      location: location(node))
        // Both are AWS settings (`tms-…` sessions): elsewhere they would never match what is live.
        for key in ["session_number", "packet_length"] where fields[key] != nil && !id.lowercased().hasPrefix("tms-") {
            problem(fields[key]!, "\(context).\(key): only AWS sessions (tms-…) have one")
        }
        if let value = fields["session_number"], id.lowercased().hasPrefix("tms-"), let number = int(value, "\(context).session_number") {
            // AWS session numbers run from 1 to 32766.
            if (1...32_766).contains(number) { session.sessionNumber = number } else { problem(value, "\(context).session_number: \(number) is not a session number (1-32766)") }
        }
        if let value = fields["packet_length"], id.lowercased().hasPrefix("tms-"),
           let text = string(value, "\(context).packet_length (a number of bytes, or whole)") {
            if text.lowercased() == "whole" {
                session.wholePackets = true
            } else if let length = Int(text) {
                if (1...8_946).contains(length) { session.packetLength = length } else {
                    problem(value, "\(context).packet_length: \(length) is not a truncating length (1-8946 bytes; write whole for whole packets)")
                }
            } else {
                problem(value, "\(context).packet_length must be a number of bytes, or whole, not '\(text)'")
            }
        }
        return session
    }
}
