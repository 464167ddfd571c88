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
            session.destinations.append(Endpoint(kind: .ip, id: words[2], address: words[2]))
        } else if inDestination, ["erspan-id", "mtu", "origin", "ip", "vrf", "ttl", "dscp"].contains(words[0]) {
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
                session.destinations.append(Endpoint(kind: .ip, id: args[1], address: args[1]))
            } else if args.first == "tunnel", let at = args.firstIndex(of: "destination"), at + 1 < args.count {
                session.destinations.append(Endpoint(kind: .ip, id: args[at + 1], address: args[at + 1]))
            } else {
                session.destinations += endpoints(args)
            }
        case "shutdown", "shut":
            session.shutdown = true
        case "no":
            if args.first == "shutdown" || args.first == "shut" { session.shutdown = false }
        case "description":
            session.description = args.joined(separator: " ")
        default:
            break
        }
    }

    /// `interface Gi1/0/1 , Gi1/0/2 both`, `vlan 10,20-30 rx`, `remote vlan 900`, or an EOS bare interface list.
    private func endpoints(_ args: [String]) -> [Endpoint] {
        guard let kind = args.first else { return [] }
        let directions: Set<String> = ["rx", "tx", "both", "ingress", "egress"]
        func items(_ list: ArraySlice<String>) -> [String] {
            list.filter { !directions.contains($0) && $0 != "," && $0 != "-" }
                .flatMap { $0.split(separator: ",").map(String.init) }
                .filter { !$0.isEmpty }
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

    /// The sessions in configuration order, as observed sessions of `platform`.
    func observed(platform: Platform, input: String) -> [ObservedSession] {
        order.compactMap { name in
            guard let session = sessions[name], !session.isReceiver else { return nil }
            var spec = MirrorSpec()
            spec.sources = session.sources
            spec.destination = session.destinations.first
            if session.destinations.count > 1 {
                spec.description = ([session.description].compactMap { $0 } + ["also copies to " + session.destinations.dropFirst().map(\.id).joined(separator: ", ")])
                    .joined(separator: "; ")
            } else {
                spec.description = session.description
            }
            spec.enabled = !session.shutdown
            return ObservedSession(platform: platform, scope: Scope(device: device), id: "\(device):monitor session \(name)", spec: spec,
                                   evidence: Evidence(input: input, line: session.line))
        }
    }
}
