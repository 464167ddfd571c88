import Foundation
import MirrorwatchContext
import MirrorwatchModel
import MirrorwatchPolicy
import MirrorwatchState

/// Runs every rule family: per change while the graph is replayed, then over the final state,
/// then exceptions. Findings come back sorted by time, rule and id, so output is stable.
public struct RuleEngine: Sendable {
    public var context: RuleContext
    public var assessor: Assessor

    public init(context: RuleContext, tickets: TicketIndex, identities: IdentityResolver? = nil) {
        self.context = context
        self.assessor = Assessor(policy: context.policy, tickets: tickets, identities: identities)
    }

    /// Findings for one change just applied to `graph`.
    public func evaluate(_ change: MirrorChange, applied: AppliedChange, graph: MirrorGraph) -> [Finding] {
        let a = assessor.assess(change, applied: applied, graph: graph)
        // Members added to or removed from a mirror target's load balancer that are all approved
        // sensors (a sensor fleet scaling): the audit trail only.
        if applied.changesReceivers, a.receivers.allSatisfy({ $0.isApproved && !$0.isExternal }) {
            return ChangeTrailRules.evaluate(a, context)
        }
        return ChangeTrailRules.evaluate(a, context)
            + DestinationRules.evaluate(a, context)
            + SourceRules.evaluate(a, context)
            + SessionRules.evaluate(a, context)
            + SessionOrderRules.evaluate(a, context)
            + FilterRules.evaluate(a, context)
            + ActorRules.evaluate(a, context)
            + TicketRules.evaluate(a, context)
            + TransientRules.evaluate(a, context)
    }

    /// Findings about the final live state.
    public func evaluateState(_ graph: MirrorGraph) -> [Finding] {
        StateRules.evaluate(graph: graph, assessor: assessor, context: context)
            + BaselineRules.evaluate(graph: graph, assessor: assessor, context: context)
    }

    /// Flow sightings as findings, and the findings they confirm upgraded.
    public func evaluateFlows(_ flows: [FlowRecord], graph: MirrorGraph, findings: inout [Finding]) {
        guard !flows.isEmpty else { return }
        let destinations = FlowRules.destinations(graph: graph, findings: findings, assessor: assessor)
        let sightings = FlowAnalyzer.sightings(flows, destinations: destinations, policy: context.policy)
        FlowRules.confirm(&findings, with: sightings)
        findings += FlowRules.evaluate(sightings, context: context)
    }

    /// Applies exceptions and sorts.
    public func finish(_ findings: [Finding]) -> ExceptionRules.Outcome {
        var outcome = ExceptionRules.apply(to: findings, context: context)
        // By time, then first evidence, rule and id; each key is made once (an evidence's description is a new
        // string, and a finding is a large value to compare through), ties kept in the order found.
        let keys = outcome.findings.map { ($0.time, $0.evidence.first?.description ?? "", $0.rule, $0.id) }
        let order = keys.indices.sorted { a, b in keys[a] != keys[b] ? keys[a] < keys[b] : a < b }
        outcome.findings = order.map { outcome.findings[$0] }
        return outcome
    }
}
