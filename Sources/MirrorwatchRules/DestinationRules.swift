import MirrorwatchModel

/// `mirror.destination.unapproved` and `mirror.destination.external`: where the copy goes.
enum DestinationRules {
    /// Only changes that decide a session's destination: a created session, or a modify that names a target.
    static func appliesTo(_ a: Assessment) -> Bool {
        if a.session?.enabled == false { return false }  // switched off: copies nothing
        guard let change = a.change else { return a.session != nil }
        guard change.outcome.succeeded, change.action != .delete, a.destination != nil else { return false }
        switch change.resourceKind {
        case .session: return change.action == .create || change.spec.targetRef != nil
        case .packetMirroringPolicy, .tapConfiguration: return true
        case .spanSession, .portMirroring, .analyzer:
            // Device commands change one thing at a time: assess when what is copied or where it goes changes.
            return change.action == .create || change.spec.destination != nil || !change.spec.sources.isEmpty || change.spec.enabled == true
        case .target, .tap: return SessionRules.targetMoved(a.applied) && !a.applied.affectedSessions.isEmpty
        default: return false
        }
    }

    /// Every destination of the session is judged: a SPAN session may copy to several ports.
    static func evaluate(_ a: Assessment, _ context: RuleContext) -> [Finding] {
        guard appliesTo(a) else { return [] }
        var findings = evaluateOne(a, context)
        for other in a.otherDestinations {
            var b = a
            b.destination = other
            findings += evaluateOne(b, context, subjectSuffix: "|" + other.endpoint.id)
        }
        return findings
    }

    static func evaluateOne(_ a: Assessment, _ context: RuleContext, subjectSuffix: String = "") -> [Finding] {
        guard let destination = a.destination else { return [] }
        var findings: [Finding] = []
        let sensitive = !a.sensitiveSegments.isEmpty
        let lead = Narrative.change(a)
        if !destination.isApproved {
            let severity: Severity = sensitive || destination.isExternal ? .critical : .high
            var why = lead + " The destination is not in approved_destinations, so traffic is being copied somewhere nobody approved."
            if sensitive { why += " The source is in sensitive segment '\(a.sensitiveSegments.joined(separator: "', '"))'." }
            if destination.endpoint.kind == .target, destination.endpoint.owner == nil {
                // Neither created in the logs read nor in any target list read: what a target shared from
                // another account (AWS RAM) looks like; where it sends is not known here.
                why += " Target \(destination.endpoint.id) is in no target list read and was not created in the logs read, so where it sends"
                    + " and who owns it are unknown: a target shared from another account (AWS RAM) looks like this. Read the target lists"
                    + " (describe-traffic-mirror-targets) of every account to resolve it."
            }
            findings.append(FindingFactory.make(
                RuleID.unapprovedDestination, severity,
                title: "Mirroring to unapproved destination \(destination.shortName)",
                why: why,
                benignIf: "The destination is a sanctioned sensor or collector: add it to approved_destinations with owner and reason (or a dated exception).",
                assessment: a, context: context, subject: subjectSuffix.isEmpty ? nil : (a.change?.key ?? a.session?.id ?? "") + subjectSuffix))
        }
        if let reason = destination.externalReason {
            let severity: Severity = destination.isApproved ? .medium : .critical
            findings.append(FindingFactory.make(
                RuleID.externalDestination, severity,
                title: "Mirrored traffic leaves the organization (\(destination.shortName))",
                why: lead + " The destination is \(reason): copied packets cross the organization's boundary.",
                benignIf: "The other account belongs to the organization (add it to organization.aws_accounts) or hosts an approved, contracted monitoring service.",
                assessment: a, context: context, subject: subjectSuffix.isEmpty ? nil : (a.change?.key ?? a.session?.id ?? "") + subjectSuffix))
        }
        return findings
    }
}
