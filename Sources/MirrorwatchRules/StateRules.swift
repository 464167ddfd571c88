import MirrorwatchModel
import MirrorwatchState

/// Findings about live sessions that no change event explains (known from snapshots only):
/// where they send, what they copy, and how broadly.
enum StateRules {
    static func evaluate(graph: MirrorGraph, assessor: Assessor, context: RuleContext) -> [Finding] {
        var findings: [Finding] = []
        var flaggedFilters = Set<String>()
        for session in graph.sessions.values.sorted(by: { $0.id < $1.id }) where session.fromSnapshot {
            var a = assessor.assess(session: session, graph: graph)
            // Load balancer members behind its destination that no change reported yet.
            a.receivers = assessor.receivers(of: session, unjudgedOnly: true, graph: graph)
            findings += DestinationRules.evaluate(a, context)
            findings += SourceRules.evaluate(a, context)
            if let filterId = session.filterRef, let filter = graph.filters[filterId], flaggedFilters.insert(filterId).inserted {
                let users = graph.sessions(usingFilter: filterId).filter(\.fromSnapshot)
                findings += FilterRules.evaluate(filter: filter, users: users, assessment: a, context: context)
            }
        }
        return findings
    }
}
