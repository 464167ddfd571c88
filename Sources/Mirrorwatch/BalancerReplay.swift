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
        all = all.filter { !$0.endsOperation }.map { change in
            var change = change
            if let key = change.operationKey, let outcome = failed[key] { change.outcome = outcome }
            return change
        }
        pending = all.sorted { ($0.time, $0.evidence) < ($1.time, $1.evidence) }[...]
    }

    /// What a listener or target group list may say of the state before the logs: it was written
    /// when its path says (nil: not known). A listener created in the logs did not exist before,
    /// whenever the list was written (ids are not reused), and a list dated after a logged change of
    /// a listener, or of which groups a load balancer forwards to, shows that change's result.
    func stateBefore(_ group: ObservedTargetGroup, listedAt: Date?) -> ObservedTargetGroup? {
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
        var group = group
        group.loadBalancers.removeAll { balancer in
            changes.contains { change in
                change.loadBalancer?.lowercased() == balancer.lowercased()
                    && change.forwardsTo.contains { $0.lowercased() == group.id.lowercased() }
                    && (change.createsListener || listedAt.map { change.time < $0 } ?? false)
            }
        }
        return group.loadBalancers.isEmpty ? nil : group
    }

    /// Replays the changes made before `time` (all that are left when nil) into `graph` and returns
    /// the findings of those that changed the receivers of live mirroring. A change in the same second
    /// as a mirroring change is replayed after it: a session created and a member registered in one
    /// second are judged with the session live.
    mutating func replay(before time: Date?, into graph: inout MirrorGraph, engine: RuleEngine) -> [Finding] {
        var findings: [Finding] = []
        while let next = pending.first, time.map({ next.time < $0 }) ?? true {
            pending.removeFirst()
            if next.action == .serve, let service = next.service { seed(service, before: next, into: &graph) }
            for applied in graph.apply(next) {
                findings += engine.evaluate(Self.change(next, under: applied), applied: applied, graph: graph)
            }
        }
        return findings
    }

    /// Before an endpoint service's first logged change: a service created in the logs handed
    /// traffic to nothing before; another starts as its configuration list says, less the load
    /// balancers its logged changes add (the list may have been written after them).
    private func seed(_ service: String, before change: BalancerChange, into graph: inout MirrorGraph) {
        let created = change.operation == "CreateVpcEndpointServiceConfiguration" && change.outcome.succeeded
        let added = ([change] + pending).filter { $0.action == .serve && $0.outcome.succeeded && $0.service?.lowercased() == service.lowercased() }
            .flatMap(\.forwardsTo)
        graph.seedService(service, leavingOut: added, created: created)
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
