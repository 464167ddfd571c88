import MirrorwatchModel

/// Junos mirroring configuration: `forwarding-options port-mirroring` (the default instance and
/// named `instance`s: `output interface ... next-hop`, `output ip-address`) and
/// `forwarding-options analyzer` (`input ingress|egress interface|vlan`, `output interface|ip-address|vlan`),
/// read from `set` statements or from the curly-brace form. Port-mirroring sources are the
/// interfaces whose firewall filters have a `then port-mirror` (or `port-mirror-instance`) action.
struct JunosMirroringConfig {
    struct Session {
        var kind: MirrorResourceKind
        var name: String
        var line: Int
        var sources: [Endpoint] = []
        var destinations: [Endpoint] = []
        var disabled = false
    }

    let device: String
    private(set) var sessions: [String: Session] = [:]
    private var order: [String] = []
    /// Firewall filters whose terms mirror, with the port-mirroring instance they name (nil: the default one).
    private var mirroringFilters: [String: String?] = [:]
    /// Interface → filters applied to it.
    private var interfaceFilters: [(interface: String, filter: String, line: Int)] = []

    init(device: String) { self.device = device }

    /// The session a statement is about (`port-mirroring default`, `analyzer NAME`), if any.
    static func sessionKey(_ words: [String]) -> String? {
        guard words.count >= 2, words[0] == "forwarding-options" else { return nil }
        if words[1] == "port-mirroring" {
            return words.count >= 4 && words[2] == "instance" ? "port-mirroring \(words[3])" : "port-mirroring default"
        }
        if words[1] == "analyzer", words.count >= 3 { return "analyzer \(words[2])" }
        return nil
    }

    func session(_ key: String) -> Session? { sessions[key] }

    /// The sessions configured, in order.
    var keys: [String] { order }

    /// `delete ... output ...` / `delete ... input ... interface X`: that part of the session goes.
    mutating func removePart(_ key: String, statement: [String]) {
        guard var session = sessions[key] else { return }
        if statement.contains("output") {
            session.destinations.removeAll()
        } else if statement.contains("input") {
            if let at = statement.firstIndex(of: "interface"), at + 1 < statement.count {
                let id = InterfaceName.endpointId(device: device, statement[at + 1])
                session.sources.removeAll { $0.id == id }
            } else {
                session.sources.removeAll()
            }
        }
        sessions[key] = session
    }

    /// `delete forwarding-options analyzer NAME` and the like: the whole session goes.
    mutating func remove(_ key: String) {
        sessions[key] = nil
        order.removeAll { $0 == key }
    }

    /// Feeds one `set` statement (without `set`), as words.
    mutating func feed(_ words: [String], line: Int) {
        if words.count > 2, words[0] == "forwarding-options" {
            forwardingOption(Array(words.dropFirst()), line: line)
        } else if words.count > 4, words[0] == "firewall", let then = words.firstIndex(of: "then"), then + 1 < words.count,
                  let filter = words.firstIndex(of: "filter"), filter + 1 < words.count {
            if words[then + 1] == "port-mirror" {
                mirroringFilters[words[filter + 1]] = .some(nil)
            } else if words[then + 1] == "port-mirror-instance", then + 2 < words.count {
                mirroringFilters[words[filter + 1]] = .some(words[then + 2])
            }
        } else if words.count > 5, words[0] == "interfaces", let filter = words.firstIndex(of: "filter"), filter + 2 < words.count,
                  ["input", "output", "input-list", "output-list"].contains(words[filter + 1]) {
            let unit = words.firstIndex(of: "unit").flatMap { $0 + 1 < words.count ? "." + words[$0 + 1] : nil } ?? ""
            interfaceFilters.append((words[1] + unit, words[filter + 2], line))
        }
    }

    private mutating func forwardingOption(_ words: [String], line: Int) {
        var rest = words[...]
        let kind: MirrorResourceKind
        var name: String
        switch rest.first {
        case "port-mirroring":
            kind = .portMirroring
            rest = rest.dropFirst()
            name = "default"
            if rest.first == "instance", rest.count > 1 { name = rest[rest.startIndex + 1]; rest = rest.dropFirst(2) }
        case "analyzer" where rest.count > 1:
            kind = .analyzer
            name = rest[rest.startIndex + 1]
            rest = rest.dropFirst(2)
        default:
            return
        }
        let key = "\(kind.rawValue) \(name)"
        var session = sessions[key] ?? Session(kind: kind, name: name, line: line)
        if sessions[key] == nil { order.append(key) }
        let words = Array(rest)
        if words.first == "disable" { session.disabled = true }
        if let output = words.firstIndex(of: "output") {
            let after = Array(words[(output + 1)...])
            // One remote address per session: a new one replaces the old; interfaces and VLANs add up.
            func add(_ endpoint: Endpoint) {
                if endpoint.kind == .ip { session.destinations.removeAll { $0.kind == .ip } }
                if !session.destinations.contains(endpoint) { session.destinations.append(endpoint) }
            }
            if let at = after.firstIndex(of: "next-hop"), at + 1 < after.count {
                add(Endpoint(kind: .ip, id: after[at + 1], address: after[at + 1]))
            } else if let at = after.firstIndex(of: "ip-address"), at + 1 < after.count {
                add(Endpoint(kind: .ip, id: after[at + 1], address: after[at + 1]))
            } else if let at = after.firstIndex(of: "interface"), at + 1 < after.count {
                add(Endpoint(kind: .interface, id: InterfaceName.endpointId(device: device, after[at + 1])))
            } else if let at = after.firstIndex(of: "vlan"), at + 1 < after.count {
                add(Endpoint(kind: .vlan, id: "\(device):vlan \(after[at + 1])"))
            }
        } else if let input = words.firstIndex(of: "input") {
            let after = Array(words[(input + 1)...])
            if let at = after.firstIndex(of: "interface"), at + 1 < after.count {
                session.sources.append(Endpoint(kind: .interface, id: InterfaceName.endpointId(device: device, after[at + 1])))
            } else if let at = after.firstIndex(of: "vlan"), at + 1 < after.count {
                session.sources.append(Endpoint(kind: .vlan, id: "\(device):vlan \(after[at + 1])"))
            }
        }
        sessions[key] = session
    }

    func observed(platform: Platform, input: String) -> [ObservedSession] {
        order.compactMap { key in
            guard var session = sessions[key], !session.destinations.isEmpty else { return nil }
            if session.kind == .portMirroring {
                let instance: String? = session.name == "default" ? nil : session.name
                let filters = Set(mirroringFilters.filter { $0.value == instance }.keys)
                for applied in interfaceFilters where filters.contains(applied.filter) {
                    session.sources.append(Endpoint(kind: .interface, id: InterfaceName.endpointId(device: device, applied.interface)))
                }
            }
            var spec = MirrorSpec()
            spec.sources = session.sources
            spec.destination = session.destinations.first
            spec.enabled = !session.disabled
            var observed = ObservedSession(platform: platform, scope: Scope(device: device), id: "\(device):\(key)", spec: spec,
                                           evidence: Evidence(input: input, line: session.line))
            observed.kind = session.kind
            return observed
        }
    }
}

/// Junos configuration in curly-brace form, flattened into `set` statements (words, with line numbers).
enum JunosConfigText {
    static func setStatements(_ text: Substring) -> [(words: [String], line: Int)] {
        var out: [(words: [String], line: Int)] = []
        var stack: [[String]] = []
        var inactiveDepth: Int?
        var number = 0
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
            number += 1
          for piece in segments(raw) {
            var line = piece.trimmingCharacters(in: .whitespaces)
            if let hash = line.firstIndex(of: "#"), !line.contains("\"") { line = String(line[..<hash]).trimmingCharacters(in: .whitespaces) }
            if line.isEmpty || line.hasPrefix("/*") || line.hasPrefix("*") { continue }
            if line.hasPrefix("set ") {
                out.append((words(line.dropFirst(4)), number))
                continue
            }
            if line == "}" {
                if let depth = inactiveDepth, stack.count == depth { inactiveDepth = nil }
                _ = stack.popLast()
                continue
            }
            var statement = line
            let opens = statement.hasSuffix("{")
            if opens || statement.hasSuffix(";") { statement.removeLast() }
            var tokens = words(Substring(statement))
            if tokens.first == "inactive:" {
                tokens.removeFirst()
                if opens, inactiveDepth == nil { inactiveDepth = stack.count }
                if !opens { continue }
            }
            if opens {
                stack.append(tokens)
                continue
            }
            guard inactiveDepth == nil else { continue }
            let prefix = stack.flatMap { $0 }
            // `members [ a b ];` is one statement per member.
            if let open = tokens.firstIndex(of: "["), let close = tokens.lastIndex(of: "]"), open < close {
                for member in tokens[(open + 1)..<close] { out.append((prefix + tokens[..<open] + [member], number)) }
            } else {
                out.append((prefix + tokens, number))
            }
          }
        }
        return out
    }

    /// A line cut after each `{` and `;` and around each `}` outside quotes, so that compact blocks
    /// (`user bob { class super-user; }`) read like the one-statement-per-line form Junos prints.
    static func segments(_ line: Substring) -> [Substring] {
        guard line.contains("}") || line.firstIndex(of: "{").map({ line.index(after: $0) < line.endIndex && !line[line.index(after: $0)...].allSatisfy(\.isWhitespace) }) == true else {
            return [line]
        }
        var pieces: [Substring] = []
        var start = line.startIndex
        var quoted = false
        var index = line.startIndex
        while index < line.endIndex {
            let c = line[index]
            if c == "\"" { quoted.toggle() }
            if !quoted && (c == "{" || c == ";") {
                pieces.append(line[start...index])
                start = line.index(after: index)
            } else if !quoted && c == "}" {
                if start < index { pieces.append(line[start..<index]) }
                pieces.append(line[index...index])
                start = line.index(after: index)
            }
            index = line.index(after: index)
        }
        if start < line.endIndex { pieces.append(line[start...]) }
        return pieces.filter { !$0.allSatisfy(\.isWhitespace) }
    }

    /// Words of a statement, keeping quoted strings whole.
    static func words(_ text: Substring) -> [String] {
        var result: [String] = []
        var current = ""
        var quoted = false
        for c in text {
            if c == "\"" { quoted.toggle(); continue }
            if !quoted && (c == " " || c == "\t") {
                if !current.isEmpty { result.append(current); current = "" }
            } else {
                current.append(c)
            }
        }
        if !current.isEmpty { result.append(current) }
        return result
    }
}
