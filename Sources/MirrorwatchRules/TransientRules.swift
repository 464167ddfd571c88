import Foundation
import MirrorwatchModel

/// `mirror.change.transient`: something created and deleted again within `transient_window`,
/// the shape of a short exfiltration that cleans up after itself.
enum TransientRules {
    static func evaluate(_ a: Assessment, _ context: RuleContext) -> [Finding] {
        // An inferred deletion happened at some unknown time before its date: no lifetime to measure.
        guard let change = a.change, change.outcome.succeeded, change.action == .delete, !change.isInferred,
              let created = a.applied.createdAt, change.time.timeIntervalSince(created) <= context.policy.transientWindow else { return [] }
        let lifetime = change.time.timeIntervalSince(created)
        let isSession = change.resourceKind.isSessionLike
        var why = "\(Narrative.resource(change)) was created at \(Narrative.when(created))"
        if let creator = a.applied.createdBy { why += " by \(Narrative.actor(creator))" }
        why += " and deleted \(DurationText.format(lifetime)) later by \(Narrative.actor(change.actor)) (transient_window \(DurationText.format(context.policy.transientWindow)))."
        if isSession { why += " The session copied \(Narrative.sources(a)) to \(Narrative.destination(a.destination)) while it existed." }
        // A short test by one authorized person, to approved destinations only: still worth a look,
        // less so with a ticket that covers it. Anything unapproved, external or by someone else stays as it is.
        var severity: Severity = isSession ? .high : .medium
        let sameActor = a.applied.createdBy.map { $0.name == change.actor?.name } ?? false
        if a.fullyAuthorized, a.actorAuthorized == true, sameActor, a.allDestinationsApproved || (!isSession && a.destination == nil) {
            let ticket = a.ticket.ticket?.id
            let lowered: Severity = ticket != nil ? .low : .medium
            if lowered < severity {
                severity = lowered
                why += " Lowered to \(lowered.name): created and deleted by the same authorized identity, to approved destinations only"
                    + (ticket.map { ", under ticket \($0)." } ?? ".")
            }
        }
        return [FindingFactory.make(
            RuleID.transient, severity,
            title: "\(change.resourceKind.noun.prefix(1).uppercased() + change.resourceKind.noun.dropFirst()) \(ResourceRef.shortName(of: change.resourceId ?? "?")) lived only \(DurationText.format(lifetime))",
            why: why,
            benignIf: "A test or a failed rollout that was rolled back, under a change ticket.",
            assessment: a, context: context, extraEvidence: a.applied.creationEvidence.map { [$0] } ?? [])]
    }
}
