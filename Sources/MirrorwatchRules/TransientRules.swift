import Foundation
import MirrorwatchModel

/// `mirror.change.transient`: something created and deleted again within `transient_window`,
/// the shape of a short exfiltration that cleans up after itself.
enum TransientRules {
    static func evaluate(_ a: Assessment, _ context: RuleContext) -> [Finding] {
        guard let change = a.change, change.outcome.succeeded, change.action == .delete,
              let created = a.applied.createdAt, change.time.timeIntervalSince(created) <= context.policy.transientWindow else { return [] }
        let lifetime = change.time.timeIntervalSince(created)
        let isSession = change.resourceKind.isSessionLike
        var why = "\(Narrative.resource(change)) was created at \(Narrative.when(created))"
        if let creator = a.applied.createdBy { why += " by \(Narrative.actor(creator))" }
        why += " and deleted \(DurationText.format(lifetime)) later by \(Narrative.actor(change.actor)) (transient_window \(DurationText.format(context.policy.transientWindow)))."
        if isSession { why += " The session copied \(Narrative.sources(a)) to \(Narrative.destination(a.destination)) while it existed." }
        return [FindingFactory.make(
            RuleID.transient, isSession ? .high : .medium,
            title: "\(change.resourceKind.noun.prefix(1).uppercased() + change.resourceKind.noun.dropFirst()) \(ResourceRef.shortName(of: change.resourceId ?? "?")) lived only \(DurationText.format(lifetime))",
            why: why,
            benignIf: "A test or a failed rollout that was rolled back, under a change ticket.",
            assessment: a, context: context, extraEvidence: a.applied.creationEvidence.map { [$0] } ?? [])]
    }
}
