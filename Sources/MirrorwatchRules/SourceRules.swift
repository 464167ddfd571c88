import MirrorwatchModel

/// `mirror.source.sensitive`: mirroring copies a sensitive segment's traffic.
enum SourceRules {
    static func evaluate(_ a: Assessment, _ context: RuleContext) -> [Finding] {
        guard DestinationRules.appliesTo(a), let source = a.firstSensitiveSource, let segment = source.segment else { return [] }
        let severity: Severity
        if a.destinationUnapproved || a.destinationExternal { severity = .critical }
        else if a.actorAuthorized == false || a.ticket.missing { severity = .medium }
        else { severity = .info }
        var why = Narrative.change(a) + " Traffic of sensitive segment '\(segment)' is being copied"
        why += severity == .info ? " to an approved destination by an authorized identity." : "."
        // Behind an approved load balancer, the member nobody approved is where the copy really goes.
        var a = a
        if let receiver = a.receivers.first(where: { !$0.isApproved || $0.isExternal }) {
            why += receiver.reachesWholeBalancer
                ? " It reaches whoever is behind \(AssessedDestination.balancerName(receiver.endpoint.id)), none of whose listeners or groups were read."
                : receiver.memberOf?.membersKnown == false
                ? " It reaches the members of \(DestinationRules.groupNoun(receiver.endpoint.id)) \(receiver.endpoint.id) behind the load balancer, whoever they are."
                : " It reaches \(receiver.endpoint.id), a member of \(DestinationRules.groupNoun(receiver.memberOf?.group ?? "")) \(receiver.memberOf?.group ?? "?") behind the load balancer."
            a.destination = receiver
        }
        return [FindingFactory.make(
            RuleID.sensitiveSource, severity,
            title: "Mirroring copies sensitive segment '\(segment)' (\(ResourceRef.shortName(of: source.endpoint.id)))",
            why: why,
            benignIf: "The copy goes to an approved sensor, by an authorized identity, under a change ticket; the segment's owner knows.",
            assessment: a, context: context, subject: (a.change?.key ?? a.session?.id ?? "") + "|" + source.endpoint.id)]
    }
}
