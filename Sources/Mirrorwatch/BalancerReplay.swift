import Foundation
import MirrorwatchModel
import MirrorwatchReaders
import MirrorwatchRules
import MirrorwatchState

/// Load balancer changes replayed among the mirroring changes, in time order. One that changes who
/// receives what a live load balancer target is sent is judged as a change of that target (who
/// made it, with which ticket, to which receivers); the others only keep the load balancer map.
struct BalancerReplay {
    private var pending: ArraySlice<BalancerChange>

    /// The load balancer changes of every input, each record once, in time order.
    init(_ results: [ReadResult]) {
        var seen = Set<String>()
        var all = results.flatMap(\.balancerChanges).filter { change in change.eventId.map { seen.insert($0).inserted } ?? true }
        // An operation whose last entry failed changed nothing: its first entry takes that outcome.
        var failed: [String: Outcome] = [:]
        for change in all where change.endsOperation && !change.outcome.succeeded { if let key = change.operationKey { failed[key] = change.outcome } }
        // A failure with no first entry (a refused call is often logged alone) is a failed change of its own: probing.
        let begun = Set(all.filter { !$0.endsOperation }.compactMap(\.operationKey))
        all = all.filter { !$0.endsOperation || (!$0.outcome.succeeded && $0.operationKey.map { !begun.contains($0) } ?? true) }.map { change in
            var change = change
            if let key = change.operationKey, let outcome = failed[key] { change.outcome = outcome }
            change.endsOperation = false
            return change
        }
        pending = all.sorted { ($0.time, $0.evidence) < ($1.time, $1.evidence) }[...]
    }

    /// What a listener or target group list may say of the state before the logs: it was written
    /// when its path says (nil: not known). A listener created in the logs did not exist before,
    /// whenever the list was written (ids are not reused), and a list dated after a logged change of
    /// a listener, or of which groups a load balancer forwards to, shows that change's result.
    func stateBefore(_ group: ObservedTargetGroup, listedAt: Date?) -> ObservedTargetGroup? {
        var group = group
        // Members a logged change adds to the group may be in the list because the list was written after it
        // (an undated list may have been).
        group.members?.removeAll { member in
            pending.contains { change in change.outcome.succeeded && listedAt.map { change.time < $0 } ?? true && adds(change, member, to: group.id) }
        }
        let changes = pending.filter { $0.outcome.succeeded && ($0.action == .forward || $0.action == .removeListener || $0.action == .attach) }
        if let listener = group.listener?.lowercased() {
            if group.id.isEmpty {
                // A link row (a collector naming its backend service): a collector inserted in the logs did not exist before.
                let inserted = changes.contains { change in
                    change.action == .attach && change.listener?.lowercased() == listener
                        && group.loadBalancers.contains { $0.lowercased() == change.loadBalancer?.lowercased() }
                }
                return inserted ? nil : group
            }
            // A group row: the result of the listener's logged creation, or of a change of its groups before the list.
            let touching = changes.filter { $0.action != .attach && $0.listener?.lowercased() == listener }
            if touching.contains(where: \.createsListener) { return nil }
            if let listedAt, touching.contains(where: { $0.time < listedAt }) { return nil }
            return group
        }
        group.loadBalancers.removeAll { balancer in
            changes.contains { change in
                change.loadBalancer?.lowercased() == balancer.lowercased()
                    && change.forwardsTo.contains { $0.lowercased() == group.id.lowercased() }
                    && (change.createsListener || listedAt.map { change.time < $0 } ?? false)
            }
        }
        return group.loadBalancers.isEmpty && group.members == nil ? nil : group
    }

    /// Whether `change` puts `member` in `group`.
    private func adds(_ change: BalancerChange, _ member: Endpoint, to group: String) -> Bool {
        let named = change.members.contains { $0.id.caseInsensitiveCompare(member.id) == .orderedSame }
        switch change.action {
        case .register, .setMembers: return named && change.targetGroup?.caseInsensitiveCompare(group) == .orderedSame
        case .setGroups: return named && change.forwardsTo.contains { $0.caseInsensitiveCompare(group) == .orderedSame }
        default: return false
        }
    }

    /// Replays the changes made before `time` (all that are left when nil) into `graph` and returns
    /// the findings of those that changed the receivers of live mirroring. A change in the same second
    /// as a mirroring change is replayed after it: a session created and a member registered in one
    /// second are judged with the session live.
    mutating func replay(before time: Date?, into graph: inout MirrorGraph, engine: RuleEngine) -> [Finding] {
        var findings: [Finding] = []
        while let next = pending.first, time.map({ next.time < $0 }) ?? true {
            pending.removeFirst()
            for applied in graph.apply(next) {
                findings += engine.evaluate(Self.change(next, under: applied), applied: applied, graph: graph)
            }
        }
        return findings
    }

    /// What each endpoint service with logged changes handed its traffic to before the logs, set
    /// before anything is replayed: its configuration list, except that a load balancer whose first
    /// logged mention adds it was not there yet and one whose first mention removes it was (a list
    /// may be written after the changes); a service created in the logs handed traffic to nothing.
    func seedServices(into graph: inout MirrorGraph) {
        var firsts: [String: [BalancerChange]] = [:]
        for change in pending where change.action == .serve && change.outcome.succeeded {
            if let service = change.service?.lowercased() { firsts[service, default: []].append(change) }
        }
        for (service, changes) in firsts.sorted(by: { $0.key < $1.key }) {
            if changes[0].operation == "CreateVpcEndpointServiceConfiguration" {
                graph.seedService(service, balancers: [])
                continue
            }
            var before = graph.listedBalancers(ofService: service)
            var decided = Set<String>()
            for change in changes {
                for added in change.forwardsTo where decided.insert(added.lowercased()).inserted {
                    before.removeAll { $0.lowercased() == added.lowercased() }
                }
                for removed in change.stopsForwardingTo where decided.insert(removed.lowercased()).inserted {
                    if !before.contains(where: { $0.lowercased() == removed.lowercased() }) { before.append(removed) }
                }
                if change.replacesAll { break }  // deleted: what it held before is as listed
            }
            graph.seedService(service, balancers: before)
        }
    }

    /// The load balancer change seen as a change of the mirror target it sits behind: a modify of
    /// that target by the same actor at the same time, with its own id per target.
    static func change(_ change: BalancerChange, under applied: AppliedChange) -> MirrorChange {
        let target = applied.targetAfter?.id
        return MirrorChange(platform: change.platform, scope: change.scope, time: change.time, actor: change.actor, operation: change.operation,
                            action: .modify, outcome: change.outcome, resourceKind: .target, resourceId: target, spec: MirrorSpec(),
                            eventId: (change.eventId ?? change.evidence.description) + "#" + (target ?? ""), evidence: change.evidence)
    }
}
