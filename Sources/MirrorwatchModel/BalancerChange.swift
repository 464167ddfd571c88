import Foundation

/// A change to where a load balancer hands its traffic: targets registered in or removed from a
/// target group, a listener pointed at target groups or removed, a target group deleted.
///
/// A mirror target may be a load balancer (an AWS Network Load Balancer): mirrored packets then end
/// at the members of the target groups its listeners forward to. These calls move where the copies
/// really go without any mirroring call, so they are read like mirroring changes once the load
/// balancer is a mirror destination.
public struct BalancerChange: Sendable {
    public enum Action: String, Sendable, Hashable {
        /// Members added to a target group (`RegisterTargets`).
        case register
        /// Members removed from a target group (`DeregisterTargets`).
        case deregister
        /// A listener created or changed to forward to target groups (`CreateListener`, `ModifyListener`).
        case forward
        /// A listener removed (`DeleteListener`).
        case removeListener
        /// A target group deleted (`DeleteTargetGroup`).
        case deleteGroup
        /// A load balancer now hands its traffic to a listener whose groups are known apart (a GCP
        /// forwarding rule created with its backend service).
        case attach
        /// An endpoint service now hands what its endpoints are sent to other load balancers
        /// (`CreateVpcEndpointServiceConfiguration`, `ModifyVpcEndpointServiceConfiguration`,
        /// `DeleteVpcEndpointServiceConfigurations`): `service`, `forwardsTo` (added) and
        /// `stopsForwardingTo` (removed), or the whole set with `replacesAll`.
        case serve
        /// A pool's members given by address, as a whole (Azure `backendAddressPools/write`):
        /// `targetGroup` and `members`; members given by interface are set with `setGroups`.
        case setMembers
        /// The pools one member is in, as a whole (an Azure NIC's IP configuration written with its
        /// `loadBalancerBackendAddressPools`): `members` (the one member) and `forwardsTo` (its pools).
        case setGroups
    }

    public var action: Action
    /// The native call (`RegisterTargets`, `ModifyListener`, ...).
    public var operation: String
    public var platform: Platform
    public var scope: Scope
    public var time: Date
    public var actor: Actor?
    public var outcome: Outcome
    /// The native event id, used to recognise the same record read twice.
    public var eventId: String?
    public var evidence: Evidence
    /// The target group whose members change, or that is deleted.
    public var targetGroup: String?
    /// The members registered or removed: instances, IP addresses, other load balancers.
    public var members: [Endpoint] = []
    /// For a listener change: the listener, its load balancer and the target groups it now forwards to.
    public var listener: String?
    public var loadBalancer: String?
    public var forwardsTo: [String] = []
    /// For an endpoint service change: the service (`vpce-svc-…`), the load balancers it stops
    /// handing traffic to, and whether `forwardsTo` is its whole set from now on (created, or deleted
    /// with an empty set).
    public var service: String?
    public var stopsForwardingTo: [String] = []
    public var replacesAll = false
    /// Several log entries of one operation (GCP `operation.id`) share this key.
    public var operationKey: String?
    /// A request-less entry that only says how its operation ended (replayed as that outcome of the
    /// operation's first entry, not as a change of its own).
    public var endsOperation = false
    /// The listener's protocol and port, when the record says (mirrored packets reach a Network Load
    /// Balancer as VXLAN, UDP port 4789).
    public var listenerProtocol: String?
    public var listenerPort: Int?

    public init(action: Action, operation: String, platform: Platform, scope: Scope, time: Date, actor: Actor?, outcome: Outcome,
                eventId: String?, evidence: Evidence) {
        self.action = action
        self.operation = operation
        self.platform = platform
        self.scope = scope
        self.time = time
        self.actor = actor
        self.outcome = outcome
        self.eventId = eventId
        self.evidence = evidence
    }

    /// What identifies this change among all others: the native event id, else its place in the input.
    public var key: String { eventId ?? evidence.description }

    /// Whether it made the listener (AWS `CreateListener`, a GCP backend service inserted): it did not
    /// exist before.
    public var createsListener: Bool {
        operation == "CreateListener" || operation.lowercased().hasSuffix("backendservices.insert")
    }
}

/// A target group seen in an inventory snapshot (`aws elbv2 describe-target-groups`, or a listener
/// of `describe-listeners` forwarding to it; a GCP instance group a backend service forwards to): the
/// load balancers that hand it traffic. With an empty `id`, only a listener's link to its load
/// balancer (a GCP forwarding rule naming its backend service).
public struct ObservedTargetGroup: Sendable {
    public var platform: Platform
    public var scope: Scope
    public var id: String
    public var loadBalancers: [String]
    /// For a group seen through a listener: the listener.
    public var listener: String?
    /// The protocol and port of the listener, or else of the group, when the output says.
    public var protocolName: String?
    public var port: Int?
    /// The group's members, when the output lists them (an Azure load balancer's backend pools).
    public var members: [Endpoint]?
    public var evidence: Evidence

    public init(platform: Platform, scope: Scope, id: String, loadBalancers: [String], listener: String? = nil, protocolName: String? = nil,
                port: Int? = nil, members: [Endpoint]? = nil, evidence: Evidence) {
        self.platform = platform
        self.scope = scope
        self.id = id
        self.loadBalancers = loadBalancers
        self.listener = listener
        self.protocolName = protocolName
        self.port = port
        self.members = members
        self.evidence = evidence
    }
}

/// Whether a listener or target group with this protocol and port can carry mirrored packets: VXLAN
/// (UDP 4789, how Traffic Mirroring sends to a Network Load Balancer and an Azure TAP to a load
/// balancer) or GENEVE (6081, a Gateway Load Balancer), or every protocol and port (an Azure rule
/// for `All` protocols, port 0: HA ports); unknown protocols and ports may.
public func balancerCarriesMirroring(protocol name: String?, port: Int?) -> Bool {
    let protocolFits = name.map { ["UDP", "TCP_UDP", "GENEVE", "ALL"].contains($0.uppercased()) } ?? true
    let portFits = port.map { $0 == 4789 || $0 == 6081 || $0 == 0 } ?? true
    return protocolFits && portFits
}
