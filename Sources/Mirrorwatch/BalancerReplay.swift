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
        let all = results.flatMap(\.balancerChanges).filter { change in change.eventId.map { seen.insert($0).inserted } ?? true }
        pending = all.sorted { ($0.time, $0.evidence) < ($1.time, $1.evidence) }[...]
    }

    /// When each listener (lowercased ARN) was first changed successfully in the logs.
    var firstListenerChanges: [String: Date] {
        var first: [String: Date] = [:]
        for change in pending where change.outcome.succeeded {
            if let listener = change.listener?.lowercased(), first[listener] == nil { first[listener] = change.time }
        }
        return first
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

    /// The load balancer change seen as a change of the mirror target it sits behind: a modify of
    /// that target by the same actor at the same time, with its own id per target.
    static func change(_ change: BalancerChange, under applied: AppliedChange) -> MirrorChange {
        let target = applied.targetAfter?.id
        return MirrorChange(platform: change.platform, scope: change.scope, time: change.time, actor: change.actor, operation: change.operation,
                            action: .modify, outcome: change.outcome, resourceKind: .target, resourceId: target, spec: MirrorSpec(),
                            eventId: (change.eventId ?? change.evidence.description) + "#" + (target ?? ""), evidence: change.evidence)
    }
}
