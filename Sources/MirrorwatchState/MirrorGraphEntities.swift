import Foundation
import MirrorwatchModel

/// A live mirror session: what it copies, through which filter, to which target.
public struct SessionState: Sendable {
    public var platform: Platform
    public var scope: Scope
    public var id: String
    public var sources: [Endpoint]
    public var targetRef: String?
    public var filterRef: String?
    /// A destination named directly (devices, or when no separate target object exists).
    public var inlineDestination: Endpoint?
    /// Further destinations named directly (a SPAN session copying to several ports).
    public var otherDestinations: [Endpoint] = []
    public var description: String?
    public var sessionNumber: Int?
    /// Where the session was first seen: a snapshot record or its create event.
    public var origin: Evidence
    /// Whether the session is known only from a snapshot (no create event was read).
    public var fromSnapshot: Bool
    public var createdAt: Date?
    public var createdBy: Actor?
    /// False when the configuration exists but is switched off (GCP `enable: FALSE`).
    public var enabled = true
    /// For a session from a snapshot: when the snapshot was taken, if known for sure.
    public var snapshotTakenAt: Date?
    /// How many bytes of each packet are copied (AWS `PacketLength`); nil for whole packets.
    public var packetLength: Int?
    /// False for a session first seen in a change that did not say (a modify of a session the
    /// inputs never showed whole): `packetLength` nil then means "not known", not "whole packets".
    public var packetLengthKnown = true
}

/// A mirror target: the object a session points at, and the real destination behind it.
public struct TargetState: Sendable {
    public var platform: Platform
    public var scope: Scope
    public var id: String
    public var destination: Endpoint?
    public var description: String?
    public var origin: Evidence
}

/// A traffic filter and its rules.
public struct FilterState: Sendable {
    public var platform: Platform
    public var scope: Scope
    public var id: String
    /// Rules by rule id (or a synthetic key for rules read without one).
    public var rules: [String: FilterRule]
    public var services: Set<String>
    public var origin: Evidence
    /// Read from a snapshot (its rules were not seen being made in the logs).
    public var fromSnapshot = false

    /// Directions in which the filter copies everything: an accept-everything rule, or accept
    /// rules of every protocol and port whose address ranges together cover every IPv4 source and
    /// destination (`0.0.0.0/1` and `128.0.0.0/1`), that no lower-numbered reject-everything rule of
    /// the same direction shadows.
    public var catchAllDirections: Set<FilterRule.Direction> {
        var directions = Set<FilterRule.Direction>()
        func shadowed(_ rule: FilterRule, _ d: FilterRule.Direction) -> Bool {
            rules.values.contains { other in
                other.direction == d && other.rejectsEverything && (other.number ?? Int.max) < (rule.number ?? Int.max)
            }
        }
        for rule in rules.values where rule.acceptsEverything {
            guard let d = rule.direction else { continue }
            if !shadowed(rule, d) { directions.insert(d) }
        }
        for d in [FilterRule.Direction.ingress, .egress, .both] where !directions.contains(d) {
            let wide = rules.values.filter { $0.direction == d && $0.acceptsEveryPacketOfItsAddresses && !shadowed($0, d) }
            if wide.count > 1, FilterCoverage.coversEveryIPv4Packet(wide) { directions.insert(d) }
        }
        return directions
    }
}

/// What one change did to the graph: the session before and after it, and the filter before and after.
public struct AppliedChange: Sendable {
    public var sessionBefore: SessionState?
    public var sessionAfter: SessionState?
    public var filterBefore: FilterState?
    public var filterAfter: FilterState?
    /// For a change to a target (AWS target, Azure TAP, GCP collector): the target before and after it.
    public var targetBefore: TargetState?
    public var targetAfter: TargetState?
    /// Live sessions whose traffic this change affects (for filter and target changes).
    public var affectedSessions: [SessionState] = []
    /// When the resource this change deletes was created, and by which record.
    public var createdAt: Date?
    public var creationEvidence: Evidence?
    public var createdBy: Actor?
    /// For a load balancer change under a target that is that load balancer: the load balancer
    /// and the receivers it added (members registered, target groups forwarded to) and removed.
    public var balancer: String?
    /// The target group or listener the load balancer change acted on.
    public var balancerObject: String?
    public var addedReceivers: [Receiver] = []
    public var removedReceivers: [Receiver] = []

    public init() {}

    /// Whether the change moved no target but changed who receives what a target's load balancer is sent.
    public var changesReceivers: Bool { balancer != nil }
}
