import Foundation
import MirrorwatchModel
import MirrorwatchPolicy

/// A mirroring destination as the findings know it, for matching flows against.
public struct MirrorDestinationRef: Sendable, Hashable {
    /// Ids the destination is known by (target, ENI, NIC, load balancer).
    public var ids: Set<String>
    /// Its IP addresses (the destination itself, or its interface's private address).
    public var addresses: Set<String>
    public var approved: Bool
    /// A short name for messages.
    public var label: String

    public init(ids: Set<String>, addresses: Set<String>, approved: Bool, label: String) {
        self.ids = ids
        self.addresses = addresses
        self.approved = approved
        self.label = label
    }
}

/// Flows that show mirrored traffic moving: mirror encapsulation to an unapproved address, or
/// an unapproved mirror destination sending traffic out of the organization.
public struct FlowSighting: Sendable {
    public enum Kind: Sendable, Hashable {
        /// VXLAN, GENEVE or GRE: the encapsulation mirror copies travel in.
        case encapsulated(String)
        /// Traffic leaving an (unapproved) mirror destination for an external address.
        case onward
    }

    public var kind: Kind
    public var platform: Platform
    public var scope: Scope
    public var observer: String?
    public var sourceAddress: String
    public var destinationAddress: String
    /// Whether the receiving address is outside `organization.internal_cidrs`.
    public var external: Bool
    public var flows = 0
    public var bytes = 0
    public var packets = 0
    public var first: Date
    public var last: Date
    /// The first few flow records (file and line), and how many there were in all.
    public var evidence: [Evidence] = []
    /// The mirror destination this traffic belongs to, when known.
    public var related: MirrorDestinationRef?

    /// "VXLAN (UDP 4789)", "GRE (ERSPAN)", "onward traffic".
    public var description: String {
        switch kind {
        case .encapsulated(let name): name
        case .onward: "onward traffic"
        }
    }
}

/// Finds mirror traffic in flow records.
///
/// AWS flow logs do not record the mirrored copies themselves, so besides the encapsulation
/// (seen by devices, Azure and GCP flow logs, NetFlow collectors) the analyzer uses what can be
/// seen: the traffic an unapproved mirror destination sends on to the outside.
public enum FlowAnalyzer {
    public static let maximumEvidence = 5

    public static func sightings(_ flows: [FlowRecord], destinations: [MirrorDestinationRef], policy: Policy) -> [FlowSighting] {
        var byAddress: [String: MirrorDestinationRef] = [:]
        var byInterface: [String: MirrorDestinationRef] = [:]
        for destination in destinations {
            for address in destination.addresses where byAddress[address].map({ $0.approved && !destination.approved }) ?? true {
                byAddress[address] = destination
            }
            for id in destination.ids where !destination.approved { byInterface[id.lowercased()] = destination }
        }
        var sightings: [String: FlowSighting] = [:]
        var order: [String] = []
        for flow in flows where flow.action != .reject && (flow.bytes.map { $0 >= policy.flows.minimumBytes } ?? true) {
            let external = policy.organization.isInternal(flow.destinationAddress) == false
            var kind: FlowSighting.Kind?
            var related: MirrorDestinationRef?
            if let encapsulation = encapsulation(of: flow, policy: policy) {
                related = byAddress[flow.destinationAddress]
                let approved = related?.approved == true || DestinationAddressApproval.approves(flow.destinationAddress, policy: policy)
                if !approved { kind = .encapsulated(encapsulation) }
            } else if external {
                let sender = flow.observer.flatMap { byInterface[$0.lowercased()] } ?? byAddress[flow.sourceAddress].flatMap { $0.approved ? nil : $0 }
                if let sender { kind = .onward; related = sender }
            }
            guard let kind else { continue }
            let key = "\(kind)|\(flow.observer ?? "")|\(flow.sourceAddress)|\(flow.destinationAddress)"
            if sightings[key] == nil {
                order.append(key)
                sightings[key] = FlowSighting(kind: kind, platform: flow.platform, scope: flow.scope, observer: flow.observer,
                                              sourceAddress: flow.sourceAddress, destinationAddress: flow.destinationAddress,
                                              external: external, first: flow.start, last: flow.end ?? flow.start, related: related)
            }
            sightings[key]!.add(flow)
        }
        return order.compactMap { sightings[$0] }
    }

    /// The mirror encapsulation a flow is in, if any.
    static func encapsulation(of flow: FlowRecord, policy: Policy) -> String? {
        if flow.proto == 47 { return "GRE (protocol 47, ERSPAN)" }
        guard flow.proto == 17, let port = flow.destinationPort else { return nil }
        if policy.flows.vxlanPorts.contains(port) { return "VXLAN (UDP \(port))" }
        if policy.flows.genevePorts.contains(port) { return "GENEVE (UDP \(port))" }
        return nil
    }
}

extension FlowSighting {
    mutating func add(_ flow: FlowRecord) {
        flows += flow.count
        bytes += flow.bytes ?? 0
        packets += flow.packets ?? 0
        first = min(first, flow.start)
        last = max(last, flow.end ?? flow.start)
        if evidence.count < FlowAnalyzer.maximumEvidence { evidence.append(flow.evidence) }
    }
}

/// Whether the policy approves an address as a mirror destination (`approved_destinations` with `ip`).
enum DestinationAddressApproval {
    static func approves(_ address: String, policy: Policy) -> Bool {
        policy.approvedDestinations.contains { approved in
            approved.ip.map { $0.contains(address) } ?? false
        }
    }
}
