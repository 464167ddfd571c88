import MirrorwatchModel

/// `mirror.change.no-ticket`: change control requires a ticket and none matches.
enum TicketRules {
    static func evaluate(_ a: Assessment, _ context: RuleContext) -> [Finding] {
        guard let change = a.change, change.outcome.succeeded, context.policy.changeControl.requireTicket, a.ticket.missing else { return [] }
        let severity: Severity = a.actorAuthorized == false || a.destinationUnapproved || a.destinationExternal ? .medium : .low
        return [FindingFactory.make(
            RuleID.noTicket, severity,
            title: "\(change.operation) on \(ResourceRef.shortName(of: change.resourceId ?? "?")) without a change ticket",
            why: Narrative.change(a) + " change_control.require_ticket is on, and no approved ticket matches: \(a.ticket.reason).",
            benignIf: "A ticket for this work exists: make sure it names the session, filter, target, source ENI or instance, covers the time, and is approved.",
            assessment: a, context: context)]
    }
}
