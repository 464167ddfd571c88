import MirrorwatchModel

/// `monitor session` configuration of Cisco IOS / IOS-XE, NX-OS and Arista EOS, in both its
/// global form (`monitor session 1 source interface Gi1/0/1 both`) and its block form
/// (`monitor session 1 type erspan-source` with indented `source`, `destination`, `ip address`,
/// `erspan-id`, `shutdown` lines; NX-OS `destination ip`; EOS `destination tunnel mode gre`).
struct CiscoMonitorConfig {
    /// One mirror session as configured.
    struct Session {
        var name: String
        var line: Int
        var sources: [Endpoint] = []
        var destinations: [Endpoint] = []
        var shutdown = false
        var description: String?
        /// ERSPAN destination sessions receive copies; they are not a source of mirroring.
        var isReceiver = false
    }

    let device: String
    private(set) var sessions: [String: Session] = [:]
    private(set) var order: [String] = []
    /// The block being read (`monitor session N ...` with indented lines) and whether we are in its `destination` sub-mode.
    private var block: String?
    private var inDestination = false

    init(device: String) { self.device = device }

    func session(_ name: String) -> Session? { sessions[name] }

    /// The first words of the lines that belong to a `monitor session` block (and its `destination` sub-mode).
    static let sessionWords: Set<String> = ["source", "destination", "ip", "erspan-id", "shutdown", "shut", "no", "description", "origin",
                                            "vrf", "exit", "mtu", "ttl", "dscp"]
    /// ERSPAN destination parameters, which live in the `destination` sub-mode.
    static let destinationWords: Set<String> = ["ip", "erspan-id", "origin", "mtu", "vrf", "ttl", "dscp"]

    /// Feeds one line of session `name`'s block, as a command log shows it without its parent
    /// (`ip address 10.1.1.200` after `monitor session 1 type erspan-source` and `destination`).
    mutating func feedSessionLine(_ line: String, session name: String, number: Int) {
        guard sessions[name] != nil else { return }
        block = name
        let first = line.split(separator: " ").first.map(String.init) ?? ""
        inDestination = Self.destinationWords.contains(first)
        feed(Substring(" " + line), number: number)
    }

    /// The session names configured, in order.
    var names: [String] { order }

    /// `no monitor session N`.
    mutating func remove(_ name: String) {
        sessions[name] = nil
        order.removeAll { $0 == name }
        if block == name { block = nil }
    }

    /// Feeds one configuration line (`number` is 1-based).
    mutating func feed(_ raw: Substring, number: Int) {
        let indented = raw.first == " " || raw.first == "\t"
        let words = raw.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        guard let first = words.first, !first.hasPrefix("!") else { return }
        if !indented {
            block = nil
            inDestination = false
            guard first == "monitor", words.count >= 3, words[1] == "session" else { return }
            let name = words[2]
            var session = sessions[name] ?? Session(name: name, line: number)
            if sessions[name] == nil { order.append(name) }
            let rest = Array(words.dropFirst(3))
            if rest.isEmpty || rest.first == "type" {
                block = name
                if rest.count >= 2, rest[1].lowercased().contains("destination") { session.isReceiver = true }
            } else {
                apply(rest, to: &session)
            }
            sessions[name] = session
            return
        }
        guard let name = block, var session = sessions[name] else { return }
        if words == ["destination"] {
            inDestination = true
        } else if inDestination, words.count >= 3, words[0] == "ip", words[1] == "address" {
            // An ERSPAN session has one destination address: a new one replaces the old.
            Self.setAddress(words[2], in: &session)
        } else if inDestination, Self.destinationWords.contains(words[0]) {
            // ERSPAN parameters: not a destination of their own.
        } else {
            inDestination = false
            apply(words, to: &session)
        }
        sessions[name] = session
    }

    /// One session statement: `source ...`, `destination ...`, `shutdown`, `description ...`.
    private func apply(_ words: [String], to session: inout Session) {
        guard let verb = words.first else { return }
        let args = Array(words.dropFirst())
        switch verb {
        case "source":
            session.sources += endpoints(args)
        case "destination":
            if args.first == "ip", args.count >= 2 {
                Self.setAddress(args[1], in: &session)
            } else if args.first == "tunnel", let at = args.firstIndex(of: "destination"), at + 1 < args.count {
                Self.setAddress(args[at + 1], in: &session)
            } else {
                for endpoint in endpoints(args) where !session.destinations.contains(endpoint) { session.destinations.append(endpoint) }
            }
        case "shutdown", "shut":
            session.shutdown = true
        case "no":
            // `no shutdown`, `no source interface Gi1/0/1`, `no destination interface Gi1/0/48`, `no destination ip`.
            let what = Array(args.dropFirst())
            switch args.first {
            case "shutdown", "shut": session.shutdown = false
            case "source":
                let gone = Set(endpoints(what).map(\.id))
                session.sources.removeAll { gone.isEmpty || gone.contains($0.id) }
            case "destination":
                if what.first == "ip" || what.first == "tunnel" {
                    session.destinations.removeAll { $0.kind == .ip }
                } else {
                    let gone = Set(endpoints(what).map(\.id))
                    session.destinations.removeAll { gone.isEmpty || gone.contains($0.id) }
                }
            default: break
            }
        case "description":
            session.description = args.joined(separator: " ")
        default:
            break
        }
    }

    /// An ERSPAN or GRE session sends to one address: setting it replaces the previous one.
    static func setAddress(_ address: String, in session: inout Session) {
        session.destinations.removeAll { $0.kind == .ip }
        session.destinations.append(Endpoint(kind: .ip, id: address, address: address))
    }

    /// `interface Gi1/0/1 , Gi1/0/2 - 4 both`, `vlan 10,20-30 rx`, `vlan 10 - 12`, `remote vlan 900`, or an
    /// EOS bare interface list (`Ethernet3 rx ip access-group ACL`); words after the list are not interfaces.
    private func endpoints(_ args: [String]) -> [Endpoint] {
        guard let kind = args.first else { return [] }
        let directions: Set<String> = ["rx", "tx", "both", "ingress", "egress"]
        let stop: Set<String> = ["ip", "ipv6", "mac", "access-group", "filter", "encapsulation", "allowed-vlan", "vlan-id"]
        func items(_ list: ArraySlice<String>) -> [String] {
            // Join `Gi1/0/1 - 4` and `10 - 12` into one range token first.
            var tokens: [String] = []
            let words = list.prefix { !stop.contains($0) }.flatMap { $0.split(separator: ",").map(String.init) }
            var i = 0
            while i < words.count {
                let w = words[i]
                if w == "-", let last = tokens.last, i + 1 < words.count {
                    tokens[tokens.count - 1] = last + "-" + words[i + 1]
                    i += 2
                    continue
                }
                if !w.isEmpty, w != ",", !directions.contains(w) { tokens.append(w) }
                i += 1
            }
            return tokens.flatMap(Self.expand)
        }
        switch kind {
        case "interface":
            return items(args.dropFirst()).map { Endpoint(kind: .interface, id: InterfaceName.endpointId(device: device, $0)) }
        case "vlan":
            return items(args.dropFirst()).map { Endpoint(kind: .vlan, id: "\(device):vlan \($0)") }
        case "remote" where args.count >= 3 && args[1] == "vlan":
            return [Endpoint(kind: .remoteVLAN, id: "\(device):remote vlan \(args[2])")]
        case "cpu", "filter", "session":
            return []
        default:
            // EOS: `monitor session S source Ethernet1 rx`, `destination Ethernet48`, `destination Cpu`.
            if kind.lowercased() == "cpu" { return [] }
            return items(args[...]).map { Endpoint(kind: .interface, id: InterfaceName.endpointId(device: device, $0)) }
        }
    }

    /// `Gi1/0/1-4` → `Gi1/0/1`, `Gi1/0/2`, `Gi1/0/3`, `Gi1/0/4` (interface ranges within one module);
    /// VLAN ranges (`10-12`) stay one token, as VLAN membership is matched by number.
    static func expand(_ token: String) -> [String] {
        guard let dash = token.lastIndex(of: "-"), let slash = token[..<dash].lastIndex(of: "/"),
              let first = Int(token[token.index(after: slash)..<dash]), let last = Int(token[token.index(after: dash)...]),
              last >= first, last - first < 512 else { return [token] }
        let prefix = token[...slash]
        return (first...last).map { "\(prefix)\($0)" }
    }

    /// The sessions in configuration order, as observed sessions of `platform`.
    func observed(platform: Platform, input: String) -> [ObservedSession] {
        order.compactMap { name in
            guard let session = sessions[name], !session.isReceiver else { return nil }
            var spec = MirrorSpec()
            spec.sources = session.sources
            spec.destination = session.destinations.first
            spec.otherDestinations = Array(session.destinations.dropFirst())
            spec.description = session.description
            spec.enabled = !session.shutdown
            var observed = ObservedSession(platform: platform, scope: Scope(device: device), id: "\(device):monitor session \(name)", spec: spec,
                                           evidence: Evidence(input: input, line: session.line))
            observed.kind = .spanSession
            return observed
        }
    }
}
