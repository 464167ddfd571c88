import Foundation
import MirrorwatchModel

/// Plain-language pieces that findings are written from, so every rule describes things alike.
enum Narrative {
    static func actor(_ actor: Actor?) -> String {
        guard let actor else { return "an unknown identity" }
        var text = actor.name
        if let issuer = actor.sessionIssuer, issuer != actor.name { text += " (session of \(issuer))" }
        if let ip = actor.sourceIP { text += " from \(ip)" }
        return text
    }

    static func source(_ source: AssessedSource) -> String {
        var details: [String] = []
        if let instance = source.fact?.instanceId, instance != source.endpoint.id { details.append("instance \(instance)") }
        if let subnet = source.fact?.subnetId { details.append("subnet \(subnet)") }
        if let ip = source.endpoint.address ?? source.fact?.privateIP { details.append(ip) }
        if let segment = source.segment { details.append("sensitive segment '\(segment)'") }
        return details.isEmpty ? source.endpoint.id : "\(source.endpoint.id) (\(details.joined(separator: ", ")))"
    }

    static func sources(_ assessment: Assessment) -> String {
        assessment.sources.isEmpty ? "an unknown source" : assessment.sources.map(source).joined(separator: ", ")
    }

    static func destination(_ destination: AssessedDestination?) -> String {
        guard let destination else { return "an unknown destination" }
        var text = destination.display
        if let approval = destination.approval { text += ", approved as '\(approval.name)' (owner \(approval.owner))" }
        else { text += ", not an approved destination" }
        return text
    }

    static func resource(_ change: MirrorChange) -> String {
        "\(change.resourceKind.noun) \(change.resourceId ?? "(no id: the call failed)")"
    }

    /// For a load balancer change: the load balancer it touched, behind which mirror target.
    static func balancerResource(_ assessment: Assessment) -> String? {
        guard let balancer = assessment.applied.balancer else { return nil }
        let name = AssessedDestination.balancerName(balancer), target = assessment.change?.resourceId ?? "?"
        guard let object = assessment.applied.balancerObject else { return "\(name), behind mirror target \(target)" }
        if object.lowercased().hasPrefix("vpce-svc-") { return "endpoint service \(object), behind mirror target \(target)" }
        let lowered = object.lowercased()
        let noun = object.contains(":listener/") ? "listener" : lowered.contains("/loadbalancingrules/") ? "load-balancing rule"
            : DestinationRules.groupNoun(object)
        return "\(noun) \(object) of \(name), behind mirror target \(target)"
    }

    static func when(_ date: Date) -> String { Timestamp.format(date) }

    /// One sentence: who did what to which mirroring, copying what, to where.
    static func change(_ assessment: Assessment) -> String {
        guard let change = assessment.change else { return liveSession(assessment) }
        var text = "\(actor(change.actor)) called \(change.operation) on \(balancerResource(assessment) ?? resource(change)) at \(when(change.time))"
        if let account = change.scope.account { text += " in account \(account)" }
        if let region = change.scope.region { text += " (\(region))" }
        if assessment.session != nil || change.resourceKind == .session {
            text += "; the session copies \(sources(assessment)) to \(destination(assessment.destination))"
        }
        return text + "."
    }

    static func liveSession(_ assessment: Assessment) -> String {
        guard let session = assessment.session else { return "" }
        return "Live session \(session.id) copies \(sources(assessment)) to \(destination(assessment.destination))."
    }
}

/// Assembles findings with the fields every rule fills the same way.
enum FindingFactory {
    static func make(_ rule: String, _ severity: Severity, title: String, why: String, benignIf: String,
                     assessment: Assessment, context: RuleContext, subject: String? = nil,
                     extraEvidence: [Evidence] = []) -> Finding {
        let change = assessment.change
        let source = assessment.firstSensitiveSource ?? assessment.sources.first
        var evidence: [Evidence] = []
        if let e = change?.evidence { evidence.append(e) }
        if change == nil, let e = assessment.session?.origin { evidence.append(e) }
        evidence.append(contentsOf: extraEvidence)
        var seen = Set<Evidence>()
        evidence = evidence.filter { seen.insert($0).inserted }
        var finding = Finding(
            rule: rule, severity: severity, title: title, why: why, benignIf: benignIf,
            platform: assessment.platform, time: change?.time ?? context.observationTime, scope: assessment.scope,
            subject: subject ?? change?.key ?? change?.resourceId ?? assessment.session?.id ?? "state",
            actor: change?.actor,
            change: change.map { ChangeSummary(operation: $0.operation, action: $0.action, resource: $0.resourceId, outcome: $0.outcome) },
            source: source.map { FindingSource(endpoint: $0.endpoint.address == nil ? withAddress($0) : $0.endpoint, segment: $0.segment) },
            destination: assessment.destination.map { FindingDestination(endpoint: $0.endpoint, approved: $0.isApproved, approvedAs: $0.approval?.name) },
            ticket: assessment.ticket.ticket?.id, evidence: evidence)
        finding.resourceRefs = assessment.resourceRefs
        finding.destinationRefs = assessment.destination?.refs ?? []
        if let change {
            finding.changeKey = "\(change.key)|\(change.evidence)"
            finding.context = findingContext(of: assessment)
            ContextAdjustment.apply(to: &finding, assessment)
        }
        return finding
    }

    static func findingContext(of a: Assessment) -> FindingContext {
        var context = FindingContext()
        context.flags = a.actorContext.flags.map(\.rawValue)
        context.identityChain = a.actorContext.chain.map { "\($0.identity) (\($0.how))" }
        context.mfa = a.actorContext.mfa
        context.tool = a.tool.map { "\($0.name) (\($0.basis))" }
        if a.ticket.ticket != nil || a.ticket.missing { context.ticketNote = a.ticket.reason }
        return context
    }

    static func withAddress(_ source: AssessedSource) -> Endpoint {
        var endpoint = source.endpoint
        endpoint.address = source.fact?.privateIP
        endpoint.owner = endpoint.owner ?? source.fact?.owner
        return endpoint
    }
}
