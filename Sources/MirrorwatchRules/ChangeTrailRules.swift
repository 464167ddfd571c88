import MirrorwatchModel

/// `mirror.change.observed` (every change: the audit trail) and `mirror.change.denied` (failed or dry-run calls).
enum ChangeTrailRules {
    static func evaluate(_ a: Assessment, _ context: RuleContext) -> [Finding] {
        guard let change = a.change else { return [] }
        var findings = [FindingFactory.make(
            RuleID.observed, .info,
            title: "\(change.operation)\(change.outcome.succeeded ? "" : " (failed)") by \(change.actor?.short ?? "unknown")",
            why: Narrative.change(a),
            benignIf: "This is the audit trail of every mirroring change; it is benign when the change was planned work.",
            assessment: a, context: context)]
        if !change.outcome.succeeded {
            let code = change.outcome.errorCode ?? "error"
            let probing = change.outcome.isDryRun || change.outcome.isPermissionDenial
            var why = "\(Narrative.actor(change.actor)) tried \(change.operation) at \(Narrative.when(change.time)) and it failed with \(code)"
            if let message = change.outcome.errorMessage { why += " (\(message))" }
            why += change.outcome.isDryRun
                ? ". A dry run changes nothing but checks whether the caller may mirror traffic: a common first step before the real call."
                : probing ? ". Someone without permission tried to set up mirroring." : ". Nothing changed."
            findings.append(FindingFactory.make(
                RuleID.denied, probing ? .medium : .low,
                title: change.outcome.isDryRun ? "Dry run of \(change.operation)" : "\(change.operation) denied (\(code))",
                why: why,
                benignIf: "The caller was testing permissions or parameters as part of approved, ticketed work, and the failure was followed by nothing unexpected.",
                assessment: a, context: context))
        }
        return findings
    }
}
