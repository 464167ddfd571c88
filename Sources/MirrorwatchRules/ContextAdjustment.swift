import MirrorwatchContext
import MirrorwatchModel

/// How identity and tool context move a change finding's severity, with the words that say so.
///
/// - A risky actor (root, break-glass, no MFA, first seen, new address) on a risky change
///   (unapproved or external destination, re-pointing, create-then-delete, unauthorized actor)
///   raises it one step.
/// - A recognized tool (the AWS Support runbook, CloudFormation, NDR sensor automation) lowers
///   the paperwork findings (no ticket, unauthorized actor, the audit trail) to at most `low`,
///   but only when every destination is approved, and only when the provider says so (`invokedBy`,
///   a service's source address, an `aws:` tag): what the caller writes itself (its user agent, a
///   description or tag) is noted, never an excuse.
/// - A tool's name on a change to an unapproved destination is imitation: critical.
enum ContextAdjustment {
    static let riskyRules: Set<String> = [RuleID.unapprovedDestination, RuleID.externalDestination, RuleID.repointed,
                                          RuleID.transient, RuleID.unauthorizedActor]
    static let paperworkRules: Set<String> = [RuleID.noTicket, RuleID.unauthorizedActor, RuleID.observed]

    static func apply(to finding: inout Finding, _ a: Assessment) {
        let risky = a.actorContext.flags.filter(\.raisesRisk)
        let approvedEverywhere = a.allDestinationsApproved
        if let tool = a.tool {
            if approvedEverywhere, tool.claimOnly {
                finding.context.flags.append("claimed-tool")
                if paperworkRules.contains(finding.rule) {
                    finding.why += " It says it comes from \(tool.name) (\(tool.basis)); the caller writes that itself, so it changes nothing here."
                }
            } else if approvedEverywhere {
                finding.context.flags.append("known-tool")
                // A service making the call is new by nature; only root, break-glass or missing MFA still count against it.
                let blocking = risky.filter { [.root, .breakGlass, .noMFA].contains($0) }
                if paperworkRules.contains(finding.rule), finding.severity > .low, blocking.isEmpty {
                    finding.severity = .low
                    finding.why += " Lowered to low: the change comes from \(tool.name) (\(tool.basis)) and sends only to approved destinations."
                }
            } else if a.destination?.isApproved == false || a.otherDestinations.contains(where: { !$0.isApproved }) {
                finding.context.flags.append("tool-imitation")
                if [RuleID.unapprovedDestination, RuleID.externalDestination].contains(finding.rule) {
                    finding.severity = .critical
                    finding.why += " It presents itself as \(tool.name) (\(tool.basis)), but a real deployment of that tool sends to an approved sensor; "
                        + "to an unapproved destination this is imitation, not an excuse."
                }
            }
        }
        if !risky.isEmpty, riskyRules.contains(finding.rule), finding.severity < .critical, finding.severity >= .medium {
            finding.severity = finding.severity.raised
            finding.why += " Raised one step: " + risky.map(\.explanation).joined(separator: ", ") + "."
        }
    }
}
