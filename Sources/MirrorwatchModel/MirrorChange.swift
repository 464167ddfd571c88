import Foundation

/// What a change did to the mirroring configuration.
public enum ChangeAction: String, Sendable, Hashable {
    case create, modify, delete
}

/// Which part of a mirroring configuration a change touched.
public enum MirrorResourceKind: String, Sendable, Hashable {
    case session, target, filter
    case filterRule = "filter-rule"
    case packetMirroringPolicy = "packet-mirroring-policy"
    case tap, tapConfiguration = "tap-configuration"
    case spanSession = "span-session", portMirroring = "port-mirroring", analyzer

    /// Whether it copies traffic itself (a session, policy, TAP attachment, SPAN session,
    /// port-mirroring instance or analyzer), as opposed to a target or filter it uses.
    public var isSessionLike: Bool {
        switch self {
        case .session, .packetMirroringPolicy, .tapConfiguration, .spanSession, .portMirroring, .analyzer: true
        default: false
        }
    }

    /// The kind a platform's mirroring session has when nothing says more (a device's SPAN session
    /// may also be a port-mirroring instance or an analyzer).
    public static func session(on platform: Platform) -> MirrorResourceKind {
        switch platform {
        case .aws: .session
        case .gcp: .packetMirroringPolicy
        case .azure: .tapConfiguration
        default: .spanSession
        }
    }

    /// How people call it, for sentences and titles.
    public var noun: String {
        switch self {
        case .session: "session"
        case .target: "target"
        case .filter: "filter"
        case .filterRule: "filter rule"
        case .packetMirroringPolicy: "packet mirroring policy"
        case .tap: "TAP"
        case .tapConfiguration: "TAP configuration"
        case .spanSession: "SPAN session"
        case .portMirroring: "port mirroring"
        case .analyzer: "analyzer"
        }
    }
}

/// Whether the call succeeded.
public struct Outcome: Sendable, Hashable {
    public var succeeded: Bool
    public var errorCode: String?
    public var errorMessage: String?

    public init(succeeded: Bool, errorCode: String? = nil, errorMessage: String? = nil) {
        self.succeeded = succeeded
        self.errorCode = errorCode
        self.errorMessage = errorMessage
    }

    public static let success = Outcome(succeeded: true)

    /// A dry run asks "would this be allowed?": nothing changed, but someone is probing.
    public var isDryRun: Bool { errorCode?.hasSuffix("DryRunOperation") ?? false }

    /// The caller was not allowed to do this (AWS `UnauthorizedOperation`/`AccessDenied`, GCP
    /// `PERMISSION_DENIED`, Azure `AuthorizationFailed`/`Forbidden`).
    public var isPermissionDenial: Bool {
        guard let code = errorCode?.lowercased() else { return false }
        return ["unauthorized", "accessdenied", "forbidden", "permission_denied", "permissiondenied", "authorizationfailed"]
            .contains { code.contains($0) }
    }
}

/// One rule of a traffic filter: which packets in one direction are copied.
public struct FilterRule: Sendable, Hashable {
    public enum Direction: String, Sendable, Hashable { case ingress, egress, both }
    public var id: String?
    public var direction: Direction?
    public var number: Int?
    /// `accept` or `reject`.
    public var action: String?
    /// IP protocol number; nil means all protocols.
    public var proto: Int?
    public var sourceCIDR: String?
    public var destinationCIDR: String?
    public var sourcePorts: String?
    public var destinationPorts: String?

    public init(id: String? = nil, direction: Direction? = nil, number: Int? = nil, action: String? = nil, proto: Int? = nil,
                sourceCIDR: String? = nil, destinationCIDR: String? = nil, sourcePorts: String? = nil, destinationPorts: String? = nil) {
        self.id = id
        self.direction = direction
        self.number = number
        self.action = action
        self.proto = proto
        self.sourceCIDR = sourceCIDR
        self.destinationCIDR = destinationCIDR
        self.sourcePorts = sourcePorts
        self.destinationPorts = destinationPorts
    }

    private static func isAny(_ cidr: String?) -> Bool {
        guard let cidr else { return true }
        return cidr == "0.0.0.0/0" || cidr == "::/0"
    }

    /// Accepts every packet in its direction: any address both ways, all protocols, all ports.
    public var acceptsEverything: Bool {
        (action ?? "accept").lowercased() == "accept" && (proto == nil || proto == 0 || proto == -1)
            && Self.isAny(sourceCIDR) && Self.isAny(destinationCIDR)
            && sourcePorts == nil && destinationPorts == nil
    }

    /// Accepts every protocol and port between its addresses (whatever they are).
    public var acceptsEveryPacketOfItsAddresses: Bool {
        (action ?? "accept").lowercased() == "accept" && (proto == nil || proto == 0 || proto == -1) && sourcePorts == nil && destinationPorts == nil
    }

    /// Rejects every packet in its direction (a rule that switches a filter off).
    public var rejectsEverything: Bool {
        (action ?? "").lowercased() == "reject" && (proto == nil || proto == 0 || proto == -1)
            && Self.isAny(sourceCIDR) && Self.isAny(destinationCIDR) && sourcePorts == nil && destinationPorts == nil
    }

    /// Accepts any address both ways (possibly only some protocols).
    public var acceptsAnyAddress: Bool {
        (action ?? "accept").lowercased() == "accept" && Self.isAny(sourceCIDR) && Self.isAny(destinationCIDR)
    }

    public var summary: String {
        let p = proto.map { $0 == 6 ? "tcp" : $0 == 17 ? "udp" : "proto \($0)" } ?? "all protocols"
        return "\(direction?.rawValue ?? "?") \(action ?? "accept") \(sourceCIDR ?? "any") -> \(destinationCIDR ?? "any") \(p)"
    }
}

/// The mirroring-relevant content of a change: what the resource copies, with which filter, to where.
/// Fields a change does not mention stay nil; state fills them from earlier facts.
public struct MirrorSpec: Sendable, Hashable {
    /// Where copied traffic comes from (ENIs, subnets, instances, NICs, interfaces, VLANs).
    public var sources: [Endpoint] = []
    /// The mirror target / collector / TAP the session sends to.
    public var targetRef: String?
    /// The filter deciding what is copied.
    public var filterRef: String?
    /// What the provider's answer says the session uses after a change that did not set them
    /// (AWS returns the whole session to a modify): state only, not a change of target or filter.
    public var resultingTargetRef: String?
    public var resultingFilterRef: String?
    /// The real destination, when the change names it directly (a target's ENI or NLB, an ERSPAN IP).
    public var destination: Endpoint?
    /// Further destinations of a session that copies to several (NX-OS and IOS SPAN allow more than one).
    public var otherDestinations: [Endpoint] = []
    /// The change sets the whole destination list (`destination` and `otherDestinations`), possibly
    /// to nothing: a device command added or removed a destination.
    public var destinationsChanged = false
    /// Filter rules created or changed by this change.
    public var rules: [FilterRule] = []
    /// Network services added to / removed from a filter (e.g. `amazon-dns`).
    public var addedServices: [String] = []
    public var removedServices: [String] = []
    /// Fields the change resets (ModifyTrafficMirrorSession `RemoveField`).
    public var removedFields: [String] = []
    /// Whether the configuration is switched on (GCP `enable`); nil when the change does not say.
    public var enabled: Bool?
    /// The sources are added to the session's (a device command adds one source at a time),
    /// not a replacement of them.
    public var sourcesAreAdditions = false
    public var description: String?
    public var sessionNumber: Int?
    public var virtualNetworkId: String?
    public var packetLength: Int?
    public var tags: [String: String] = [:]

    public init() {}
}

/// One create, modify or delete of mirroring configuration, as an audit log recorded it.
public struct MirrorChange: Sendable {
    public var platform: Platform
    public var scope: Scope
    public var time: Date
    public var actor: Actor?
    /// Native operation name, e.g. `CreateTrafficMirrorSession`.
    public var operation: String
    public var action: ChangeAction
    public var outcome: Outcome
    public var resourceKind: MirrorResourceKind
    /// Id of the resource changed (nil for failed creates, which never got one).
    public var resourceId: String?
    /// For a filter rule: the filter it belongs to.
    public var parentId: String?
    public var spec: MirrorSpec
    /// The native event id, used to recognise the same record read twice.
    public var eventId: String?
    public var evidence: Evidence
    /// Several log entries of one operation (GCP `operation.first`/`last`, Azure Start/Accept/Success
    /// with one `correlationId`) share this key and become one change.
    public var operationKey: String?
    /// Whether this entry settles the outcome (a final Success/Failure, not a Start).
    public var outcomeIsFinal = true
    /// The other entries of the same operation.
    public var relatedEvidence: [Evidence] = []
    /// An entry that only completes another entry of its operation (the request-less last entry
    /// of a GCP operation whose first entry decides relevance); dropped when it stays alone.
    public var completesAnother = false
    /// A create-or-update call (an Azure PUT): whether it created or modified is decided by the
    /// state it is replayed on.
    public var isUpsert = false
    /// Not logged but inferred (a dated session list contradicting the logs): it happened at an
    /// unknown time before `time`, so durations measured to it are only bounds.
    public var isInferred = false

    /// What identifies this change among all others: the native event id, else its place in the input.
    public var key: String { eventId ?? evidence.description }

    public init(platform: Platform, scope: Scope, time: Date, actor: Actor?, operation: String, action: ChangeAction,
                outcome: Outcome, resourceKind: MirrorResourceKind, resourceId: String?, parentId: String? = nil,
                spec: MirrorSpec, eventId: String? = nil, evidence: Evidence) {
        self.platform = platform
        self.scope = scope
        self.time = time
        self.actor = actor
        self.operation = operation
        self.action = action
        self.outcome = outcome
        self.resourceKind = resourceKind
        self.resourceId = resourceId
        self.parentId = parentId
        self.spec = spec
        self.eventId = eventId
        self.evidence = evidence
    }
}
