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
        case .target, .tap: return (SessionRules.targetMoved(a.applied) || a.applied.changesReceivers) && !a.applied.affectedSessions.isEmpty
        default: return false
        }
    }

    /// Every destination of the session is judged: a SPAN session may copy to several ports.
    static func evaluate(_ a: Assessment, _ context: RuleContext) -> [Finding] {
        guard appliesTo(a) else { return [] }
        // A load balancer change: the target still sends to its load balancer; who receives changed.
        let receivers = a.receivers.flatMap { receiver in
            var b = a
            b.destination = receiver
            return evaluateOne(b, context, subjectSuffix: "|" + (receiver.memberOf.map { $0.group + "|" } ?? "") + receiver.endpoint.id)
        }
        if a.applied.changesReceivers { return receivers }
        var findings = evaluateOne(a, context)
        for other in a.otherDestinations {
            var b = a
            b.destination = other
            findings += evaluateOne(b, context, subjectSuffix: "|" + other.endpoint.id)
        }
        return findings + receivers
    }

    static func evaluateOne(_ a: Assessment, _ context: RuleContext, subjectSuffix: String = "") -> [Finding] {
        guard let destination = a.destination else { return [] }
        var findings: [Finding] = []
        let sensitive = !a.sensitiveSegments.isEmpty
        var lead = Narrative.change(a)
        if let member = destination.memberOf {
            lead += " " + Self.receiving(destination, member, a)
        }
        if !destination.isApproved {
            let severity: Severity = sensitive || destination.isExternal ? .critical : .high
            var why = lead + " The destination is not in approved_destinations, so traffic is being copied somewhere nobody approved."
            if sensitive { why += " The source is in sensitive segment '\(a.sensitiveSegments.joined(separator: "', '"))'." }
            if destination.endpoint.kind == .target, destination.endpoint.owner == nil, destination.memberOf == nil {
                // Neither created in the logs read nor in any target list read: what a target shared from
                // another account (AWS RAM) looks like; where it sends is not known here.
                why += " Target \(destination.endpoint.id) is in no target list read and was not created in the logs read, so where it sends"
                    + " and who owns it are unknown: a target shared from another account (AWS RAM) looks like this. Read the target lists"
                    + " (describe-traffic-mirror-targets) of every account to resolve it."
            }
            findings.append(FindingFactory.make(
                RuleID.unapprovedDestination, severity,
                title: destination.memberOf.map { member in
                    if let service = destination.viaService {
                        let name = destination.reachesWholeBalancer ? AssessedDestination.balancerName(member.balancer) : destination.shortName
                        return "Mirrored packets sent to endpoint service \(service) now reach unapproved \(name)"
                    }
                    return "Mirrored packets sent to \(AssessedDestination.balancerName(member.balancer)) now reach unapproved \(destination.shortName)"
                }
                    ?? "Mirroring to unapproved destination \(destination.shortName)",
                why: why,
                benignIf: destination.memberOf.map { Self.benignReceiver(destination, $0) }
                    ?? "The destination is a sanctioned sensor or collector: add it to approved_destinations with owner and reason (or a dated exception).",
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

    /// What would make a load balancer member (or what stands for unknown ones) benign, and how to approve it.
    static func benignReceiver(_ destination: AssessedDestination, _ member: (group: String, balancer: String, membersKnown: Bool, byListener: Bool)) -> String {
        if destination.viaService != nil {
            if destination.reachesWholeBalancer {
                return "The load balancer fronts sanctioned inspection appliances: approve it by `target` with its ARN, or read its listeners and target groups (describe-listeners, describe-target-groups and the RegisterTargets records) and approve the appliances by `instance` or `ip`, with owner and reason (or a dated exception)."
            }
            return "The inspection service was extended on purpose (a second appliance fleet, under a change ticket naming the endpoint service): approve the appliances by `instance` or their subnet by `ip`, with owner and reason (or a dated exception)."
        }
        if groupNoun(member.group) == "backend pool" {
            return member.membersKnown
                ? "The member is a sanctioned sensor (say, one more VM of the sensor pool): approve its NIC IP configuration in approved_destinations by `azure_destination`, or the sensor subnet by `ip`, with owner and reason (or a dated exception)."
                : "The pool holds only sanctioned sensors: read the load balancer list (az network lb list) that names its members and approve them by `azure_destination` or `ip`, or make a dated exception."
        }
        return member.membersKnown
            ? "The member is a sanctioned sensor (say, one more instance of the sensor fleet): approve it in approved_destinations by `instance`, or the sensor subnet by `ip`, with owner and reason (or a dated exception)."
            : "The target group holds only sanctioned sensors: read the RegisterTargets records that put them there (or an interface list of them) and approve them by `instance` or `ip`, or make a dated exception."
    }

    /// What a group is called where it lives: an Azure load balancer's backend pool, else a target group.
    static func groupNoun(_ group: String) -> String { group.lowercased().contains("/backendaddresspools/") ? "backend pool" : "target group" }

    /// How a load balancer member comes to receive the mirrored packets.
    static func receiving(_ destination: AssessedDestination, _ member: (group: String, balancer: String, membersKnown: Bool, byListener: Bool),
                          _ a: Assessment) -> String {
        let balancer = AssessedDestination.balancerName(member.balancer)
        guard a.applied.changesReceivers else {
            // A session that starts sending to the load balancer (or one live from a snapshot).
            let session = a.session.map { (a.change == nil ? "live session " : "session ") + $0.id } ?? "the session"
            return "\(destination.endpoint.id) is a member of \(Self.groupNoun(member.group)) \(member.group), which \(balancer) forwards to: it receives a share"
                + " of what \(session) copies."
        }
        let sessions = "live sessions " + a.applied.affectedSessions.map(\.id).joined(separator: ", ")
        let target = a.applied.targetAfter?.id ?? a.change?.resourceId ?? "?"
        if let service = destination.viaService {
            let endpoint = a.applied.targetAfter?.destination?.id ?? "its Gateway Load Balancer endpoint"
            // With a load balancer removed by the same call, the new one may now get everything.
            let reached = "endpoint service \(service), which Gateway Load Balancer endpoint \(endpoint) of target \(target) sends to, now"
                + (a.applied.removedReceivers.isEmpty ? " also" : "") + " hands its traffic to \(balancer)"
            if destination.reachesWholeBalancer {
                return "\(reached), none of whose listeners or target groups were read: whoever is behind it receives a share of the packets that"
                    + " \(sessions) mirror, without any mirroring call."
            }
            if !member.membersKnown {
                return "\(reached), which forwards to target group \(member.group), whose members were not registered in the logs read: whoever"
                    + " they are receives a share of the packets that \(sessions) mirror, without any mirroring call."
            }
            return "\(reached), which forwards to target group \(member.group), of which \(destination.endpoint.id) is a member: it receives a"
                + " share of the packets that \(sessions) mirror, without any mirroring call."
        }
        if !member.membersKnown {
            let unseen = Self.groupNoun(member.group) == "backend pool" ? "were not seen in the load balancer lists or logs read" : "were not registered in the logs read"
            return "\(balancer) now forwards to \(Self.groupNoun(member.group)) \(member.group), whose members \(unseen):"
                + " whoever they are receives the packets that \(sessions) mirror to target \(target)."
        }
        if member.byListener {
            return "\(balancer) now forwards to \(Self.groupNoun(member.group)) \(member.group), of which \(destination.endpoint.id) is a member: it receives a share"
                + " of the packets that \(sessions) mirror to target \(target), without any mirroring call."
        }
        return "\(destination.endpoint.id) is now a member of \(Self.groupNoun(member.group)) \(member.group), which \(balancer) forwards to: it receives a share"
            + " of the packets that \(sessions) mirror to target \(target), without any mirroring call."
    }
}
