import Foundation
import MirrorwatchContext
import MirrorwatchModel
import MirrorwatchPolicy
import MirrorwatchState

/// A source of mirrored traffic, resolved and checked against the sensitive segments.
public struct AssessedSource: Sendable {
    public var endpoint: Endpoint
    public var fact: AssetFact?
    public var segment: String?
}

/// A destination, resolved and checked against the policy.
public struct AssessedDestination: Sendable {
    public var endpoint: Endpoint
    /// The session's target id, when the destination sits behind one.
    public var targetRef: String?
    public var approval: ApprovedDestination?
    /// Why the destination is outside the organization, or nil when it is not (or unknown).
    public var externalReason: String?
    /// What inventory says about the destination interface (its instance, subnet), when known.
    public var fact: AssetFact?
    /// The account that receives the traffic when it is not the endpoint's own: the owner of the
    /// endpoint service behind a Gateway Load Balancer endpoint.
    public var receiver: String?
    /// For a member of a load balancer target's target group: the group and the load balancer
    /// (the member receives the mirrored packets the load balancer is sent).
    public var memberOf: (group: String, balancer: String, membersKnown: Bool, byListener: Bool)?
    /// For a receiver reached through an endpoint service change: the service that now hands the
    /// Gateway Load Balancer endpoint's packets to the receiver's load balancer.
    public var viaService: String?
    /// For a receiver that stands for a whole load balancer (none of its listeners or groups read):
    /// its group is the load balancer itself.
    public var reachesWholeBalancer: Bool { memberOf.map { $0.group.lowercased() == $0.balancer.lowercased() } ?? false }
    public var isApproved: Bool { approval != nil }
    public var isExternal: Bool { externalReason != nil }

    /// Every id and address the destination is known by.
    public var refs: [String] { [targetRef, endpoint.id, endpoint.address].compactMap { $0 } }

    /// A name short enough for a title: a load balancer ARN becomes `NLB name`, with the owner
    /// account when it is outside the organization.
    public var shortName: String {
        var name = endpoint.id.lowercased().contains("/virtualmachinescalesets/")
            ? "scale set " + ResourceRef.shortName(of: endpoint.id) : Self.balancerName(ResourceRef.shortName(of: endpoint.id))
        if isExternal, let owner = receiver ?? endpoint.owner { name += " in \(owner)" }
        return name
    }

    /// `NLB sensor-nlb` for a load balancer ARN, `load balancer lb-ndr (frontend fe-vxlan)` for an
    /// Azure load balancer frontend, other ids unchanged.
    public static func balancerName(_ arn: String) -> String {
        let parts = arn.split(separator: "/")
        if let at = parts.firstIndex(where: { $0.caseInsensitiveCompare("loadBalancers") == .orderedSame }), at + 1 < parts.count {
            let frontend = at + 3 < parts.count && parts[at + 2].caseInsensitiveCompare("frontendIPConfigurations") == .orderedSame ? " (frontend \(parts[at + 3]))" : ""
            return "load balancer \(parts[at + 1])" + frontend
        }
        guard let range = arn.range(of: ":loadbalancer/") else { return arn }
        let path = arn[range.upperBound...].split(separator: "/")
        guard path.count >= 2 else { return arn }
        return (path[0] == "gwy" ? "GWLB " : path[0] == "net" ? "NLB " : "LB ") + path[1]
    }

    public var display: String {
        var parts: [String] = []
        if let targetRef, targetRef != endpoint.id { parts.append(targetRef + " →") }
        parts.append(endpoint.id)
        if let instance = fact?.instanceId, instance != endpoint.id { parts.append("(instance \(instance))") }
        if let address = endpoint.address, address != endpoint.id { parts.append(address) }
        if let owner = endpoint.owner { parts.append("(account \(owner))") }
        if let receiver, receiver != endpoint.owner {
            parts.append("→ service of account \(receiver)")
        } else if receiver == nil, let service = fact?.serviceName {
            parts.append("→ service \(service), run by an account not known here")
        }
        return parts.joined(separator: " ")
    }
}

/// Everything the rules need to know about one change, or one live session from a snapshot.
public struct Assessment: Sendable {
    /// The change; nil when assessing live state.
    public var change: MirrorChange?
    public var applied: AppliedChange
    /// The session the change concerns (after the change; before it for deletes).
    public var session: SessionState?
    public var sources: [AssessedSource]
    public var destination: AssessedDestination?
    /// nil when the policy lists no authorized identities.
    public var actorAuthorized: Bool?
    public var ticket: TicketMatch
    /// For a change to a filter or target: the live sessions it affects, each assessed.
    public var affected: [Assessment] = []
    /// Further destinations of a session that copies to several.
    public var otherDestinations: [AssessedDestination] = []
    /// Who is behind the actor, MFA, and what stands out about them.
    public var actorContext = ActorContext()
    /// The mirroring tool the change came from, when recognized.
    public var tool: ToolMatch?
    /// The filter the session uses, as the graph holds it after the change.
    public var sessionFilter: FilterState?
    /// For an AWS session or GCP policy created, renumbered, switched on or moved to other sources:
    /// the other live sessions on one of its sources with a higher number (AWS session number, GCP
    /// priority), each assessed. AWS mirrors a packet once, by the lowest-numbered session whose
    /// filter accepts it (GCP: one policy per instance, lowest priority first): these now get only
    /// what this one leaves.
    public var outranked: [Assessment] = []
    /// The same change seen from the other side: the live sessions on a shared source with a lower
    /// number, which now take packets before this one.
    public var outranking: [Assessment] = []
    /// For a load balancer change under a load balancer target: the receivers it added (members of
    /// its target groups), each assessed as a destination.
    public var receivers: [AssessedDestination] = []

    public var platform: Platform { change?.platform ?? session?.platform ?? .aws }
    public var scope: Scope { change?.scope ?? session?.scope ?? Scope() }
    public var sensitiveSegments: [String] { Array(Set(sources.compactMap(\.segment))).sorted() }
    public var firstSensitiveSource: AssessedSource? { sources.first { $0.segment != nil } }
    /// The destination, or a receiver the change added behind it, is not approved.
    public var destinationUnapproved: Bool { (destination.map { !$0.isApproved } ?? false) || receivers.contains { !$0.isApproved } }
    public var destinationExternal: Bool { (destination?.isExternal ?? false) || receivers.contains(where: \.isExternal) }
    /// Every destination, the session's further ones and added receivers included, approved and inside the organization.
    public var allDestinationsApproved: Bool {
        destination?.isApproved == true && !destinationExternal && (otherDestinations + receivers).allSatisfy { $0.isApproved && !$0.isExternal }
    }

    /// Approved destination, authorized identity (or none configured), ticket (or none required).
    public var fullyAuthorized: Bool {
        !destinationUnapproved && !destinationExternal && actorAuthorized != false && !ticket.missing
    }

    /// The refs among `resourceRefs` that name what surrounds the mirroring rather than the
    /// mirroring itself: the mirrored sources (an ENI, its instance) and the device.
    public var contextRefs: Set<String> {
        var refs = Set(sources.flatMap { [$0.endpoint.id] + [$0.fact?.instanceId].compactMap { $0 } })
        if let device = change?.scope.device ?? session?.scope.device { refs.insert(device) }
        return refs.subtracting([change?.resourceId].compactMap { $0 })
    }

    /// Ids of the resources involved, for exception matching and ticket matching.
    public var resourceRefs: [String] {
        var refs: [String] = []
        if let id = change?.resourceId { refs.append(id) }
        // Network change tickets name the device (ServiceNow cmdb_ci).
        if let device = change?.scope.device ?? session?.scope.device { refs.append(device) }
        if let parent = change?.parentId { refs.append(parent) }
        if let session {
            refs.append(session.id)
            if let t = session.targetRef { refs.append(t) }
            if let f = session.filterRef { refs.append(f) }
        }
        for source in sources {
            refs.append(source.endpoint.id)
            if let instance = source.fact?.instanceId { refs.append(instance) }
        }
        // A load balancer change: tickets name the load balancer, the target group, the endpoint
        // service or the endpoint the target sends to.
        if let balancer = applied.balancer { refs.append(balancer) }
        if applied.changesReceivers {
            if let object = applied.balancerObject { refs.append(object) }
            if let endpoint = applied.targetAfter?.destination?.id { refs.append(endpoint) }
            refs += receivers.compactMap { $0.memberOf?.balancer }
            // Azure: the NIC of a member's IP configuration, the load balancer of a frontend or pool.
            refs += (receivers.map(\.endpoint.id) + receivers.compactMap { $0.memberOf?.balancer }).compactMap(ResourceRef.azureParent)
        }
        refs += receivers.compactMap { $0.memberOf?.group } + receivers.map(\.endpoint.id)
        if let spec = change?.spec {
            if let t = spec.targetRef { refs.append(t) }
            if let f = spec.filterRef { refs.append(f) }
            if let d = spec.destination { refs.append(d.id) }
        }
        var seen = Set<String>()
        return refs.filter { seen.insert($0).inserted }
    }
}

/// Builds assessments from the graph and the policy.
public struct Assessor: Sendable {
    public var policy: Policy
    public var tickets: TicketIndex
    public var identities: IdentityResolver?

    public init(policy: Policy, tickets: TicketIndex, identities: IdentityResolver? = nil) {
        self.policy = policy
        self.tickets = tickets
        self.identities = identities
    }

    /// Assesses a change right after it was applied to `graph`.
    public func assess(_ change: MirrorChange, applied: AppliedChange, graph: MirrorGraph) -> Assessment {
        let session = applied.sessionAfter ?? applied.sessionBefore
        var sources = (session?.sources ?? change.spec.sources).map { source(graph.enrich($0), graph: graph) }
        if sources.isEmpty, !change.spec.sources.isEmpty { sources = change.spec.sources.map { source($0, graph: graph) } }
        var destination: AssessedDestination?
        if let session, change.resourceKind.isSessionLike {
            destination = graph.destination(of: session).map { assessDestination($0, targetRef: session.targetRef, platform: change.platform, sessionOwner: change.scope.account, device: change.scope.device, graph: graph) }
        } else if change.resourceKind == .session, let ref = change.spec.targetRef {
            destination = assessDestination(graph.destination(ofTarget: ref), targetRef: ref, platform: change.platform, sessionOwner: change.scope.account, device: change.scope.device, graph: graph)
        } else if change.resourceKind == .target || change.resourceKind == .tap, let id = change.resourceId, change.action != .delete {
            // A target re-pointed under live sessions: every session behind it now copies there. (For a
            // load balancer change, the target of the moment: a GCP collector is no target object.)
            let endpoint = applied.changesReceivers ? applied.targetAfter?.destination.map(graph.enrich) ?? graph.destination(ofTarget: id) : graph.destination(ofTarget: id)
            destination = assessDestination(endpoint, targetRef: id, platform: change.platform, sessionOwner: change.scope.account, device: change.scope.device, graph: graph)
            sources = applied.affectedSessions.flatMap(\.sources).map { source(graph.enrich($0), graph: graph) }
        }
        var assessment = Assessment(change: change, applied: applied, session: session, sources: sources, destination: destination,
                                    actorAuthorized: authorized(change.actor), ticket: .notRequired)
        assessment.affected = applied.affectedSessions.map { assess(session: $0, graph: graph) }
        if let balancer = applied.balancer {
            assessment.receivers = receivers(applied.addedReceivers, behind: balancer, platform: change.platform, owner: change.scope.account, graph: graph)
        } else if let session, change.resourceKind.isSessionLike,
                  let balancer = graph.balancerNewlySent(before: applied.sessionBefore, after: session) {
            // A session that starts sending to a load balancer sends to the members behind it.
            assessment.receivers = receivers(of: session, behind: balancer, graph: graph)
        }
        if change.platform == .aws, change.resourceKind == .filter || change.resourceKind == .filterRule {
            // A filter change under a session that goes first changes what the sessions after it get.
            for index in assessment.affected.indices {
                guard let session = assessment.affected[index].session else { continue }
                assessment.affected[index].outranked = Self.sessions(sharingSourcesWith: session, in: graph, numbered: >).map { assess(session: $0, graph: graph) }
            }
        }

        if let session, change.resourceKind.isSessionLike {
            assessment.otherDestinations = session.otherDestinations.map {
                assessDestination(graph.enrich($0), targetRef: nil, platform: change.platform, sessionOwner: change.scope.account, device: change.scope.device, graph: graph)
            }
        }
        assessment.sessionFilter = session?.filterRef.flatMap { graph.filters[$0] }
        if let session, change.platform == .aws && change.resourceKind == .session || change.platform == .gcp && change.resourceKind == .packetMirroringPolicy,
           change.action != .delete,
           Self.orderMayHaveChanged(before: applied.sessionBefore, after: session) {
            assessment.outranked = Self.sessions(sharingSourcesWith: session, in: graph, numbered: >).map { assess(session: $0, graph: graph) }
            assessment.outranking = Self.sessions(sharingSourcesWith: session, in: graph, numbered: <).map { assess(session: $0, graph: graph) }
        }
        assessment.actorContext = identities?.context(for: change) ?? ActorContext()
        assessment.tool = KnownTools.recognize(change)
        let people = assessment.actorContext.chain.filter(\.verified).map(\.identity)
        // Tickets name the resource, the device or the account the work is in.
        let ticketRefs = assessment.resourceRefs, contextRefs = assessment.contextRefs
        if policy.changeControl.requireTicket, change.outcome.succeeded {
            assessment.ticket = tickets.match(refs: ticketRefs, contextRefs: contextRefs, account: change.scope.account, at: change.time,
                                              window: policy.changeControl.matchWindow, actor: change.actor, alsoKnownAs: people)
        } else if change.outcome.succeeded {
            let match = tickets.match(refs: ticketRefs, contextRefs: contextRefs, account: change.scope.account, at: change.time,
                                      window: policy.changeControl.matchWindow, actor: change.actor, alsoKnownAs: people)
            if match.ticket != nil { assessment.ticket = match }
        }
        return assessment
    }

    /// Whether a change may have moved a session in the order packets are taken: it is new, it was
    /// switched on, or its number or sources changed.
    static func orderMayHaveChanged(before: SessionState?, after: SessionState) -> Bool {
        guard let before else { return true }
        return before.sessionNumber != after.sessionNumber || (!before.enabled && after.enabled)
            || Set(before.sources.map { $0.id.lowercased() }) != Set(after.sources.map { $0.id.lowercased() })
    }

    /// Live sessions of `session`'s platform sharing a source with it (AWS: an interface; GCP: an
    /// instance, subnet or tag named the same) whose number (AWS session number, GCP priority)
    /// compares to its number as `order` says (`>`: they come after it; `<`: they take packets before it).
    static func sessions(sharingSourcesWith session: SessionState, in graph: MirrorGraph, numbered order: (Int, Int) -> Bool) -> [SessionState] {
        guard let number = session.sessionNumber, session.enabled else { return [] }
        let sources = Set(session.sources.map { $0.id.lowercased() })
        return graph.sessions.values.filter { other in
            guard other.id != session.id, other.platform == session.platform, other.enabled, let theirs = other.sessionNumber else { return false }
            // A GCP policy applies in its own project and region (tags are bare names shared by all).
            if session.platform == .gcp, other.scope != session.scope { return false }
            return order(theirs, number) && other.sources.contains { sources.contains($0.id.lowercased()) }
        }.sorted { $0.id < $1.id }
    }

    /// Assesses a live session (from a snapshot or the replayed state).
    public func assess(session: SessionState, graph: MirrorGraph) -> Assessment {
        let sources = session.sources.map { source(graph.enrich($0), graph: graph) }
        let destination = graph.destination(of: session).map {
            assessDestination($0, targetRef: session.targetRef, platform: session.platform, sessionOwner: session.scope.account, device: session.scope.device, graph: graph)
        }
        var assessment = Assessment(change: nil, applied: AppliedChange(), session: session, sources: sources, destination: destination,
                                    actorAuthorized: nil, ticket: .notRequired)

        assessment.otherDestinations = session.otherDestinations.map {
            assessDestination(graph.enrich($0), targetRef: nil, platform: session.platform, sessionOwner: session.scope.account, device: session.scope.device, graph: graph)
        }
        return assessment
    }

    /// The members behind a session's load balancer destination (registrations seen), each assessed
    /// as a destination; `unjudgedOnly` leaves out those a change already reported.
    public func receivers(of session: SessionState, behind balancer: String? = nil, unjudgedOnly: Bool = false, graph: MirrorGraph) -> [AssessedDestination] {
        guard let balancer = balancer ?? graph.destination(of: session).flatMap({ graph.balancers(behind: $0).first }) else { return [] }
        return receivers(graph.receivers(of: session, unjudgedOnly: unjudgedOnly), behind: balancer, platform: session.platform,
                         owner: session.scope.account, graph: graph)
    }

    /// Load balancer members, each assessed as a destination.
    public func receivers(_ list: [Receiver], behind balancer: String, platform: Platform, owner: String?, graph: MirrorGraph) -> [AssessedDestination] {
        list.map { receiver in
            var assessed = assessDestination(graph.enrich(receiver.endpoint), targetRef: nil, platform: platform, sessionOwner: owner, graph: graph)
            assessed.memberOf = (receiver.group, receiver.balancer ?? balancer, receiver.membersKnown, receiver.byListener)
            assessed.viaService = receiver.service
            return assessed
        }
    }

    func authorized(_ actor: Actor?) -> Bool? {
        // A local device account where TACACS+ is in use bypasses central authorization.
        if actor?.type == "local-account" { return false }
        // Unknown when nobody is listed, or when the change names nobody (a configuration diff).
        guard !policy.authorizedIdentities.isEmpty, let actor else { return nil }
        return policy.authorizedIdentities.contains { $0.matches(actor) }
    }

    func source(_ endpoint: Endpoint, graph: MirrorGraph) -> AssessedSource {
        let fact = graph.fact(endpoint.id)
        return AssessedSource(endpoint: endpoint, fact: fact, segment: SegmentMatcher.segment(of: endpoint, fact: fact, in: policy.sensitiveSegments))
    }

    static func ownerListEmpty(_ policy: Policy, _ platform: Platform) -> Bool {
        policy.organization.owns("", platform: platform) == nil
    }

    func assessDestination(_ endpoint: Endpoint, targetRef: String?, platform: Platform, sessionOwner: String?, device: String? = nil,
                           graph: MirrorGraph) -> AssessedDestination {
        var destination = AssessedDestination(endpoint: endpoint, targetRef: targetRef)
        destination.fact = graph.fact(endpoint.id)
        destination.approval = DestinationMatcher.approval(for: destination, in: policy.approvedDestinations, device: device)
        let owned = endpoint.owner.flatMap { policy.organization.owns($0, platform: platform) }
        if owned == false, let owner = endpoint.owner {
            destination.externalReason = "owned by \(platform.ownerNoun) \(owner), which is not in organization.\(Policy.Organization.key(for: platform))"
        } else if owned == nil, let owner = endpoint.owner, let sessionOwner, owner.caseInsensitiveCompare(sessionOwner) != .orderedSame,
                  Self.ownerListEmpty(policy, platform) {
            // No organization list for this platform: another owner than the session's own is the best evidence.
            destination.externalReason = "owned by \(platform.ownerNoun) \(owner), not the session's own \(sessionOwner) (organization.\(Policy.Organization.key(for: platform)) is empty)"
        } else if owned != true, endpoint.kind == .ip || endpoint.owner == nil, let address = endpoint.address ?? (endpoint.kind == .ip ? endpoint.id : nil),
                  policy.organization.isInternal(address) == false {
            destination.externalReason = "address \(address) is outside organization.internal_cidrs"
        }
        if let (service, owner) = graph.serviceBehind(endpoint) {
            // The endpoint sits in our VPC, but what it receives goes to the service's appliances.
            destination.receiver = owner
            let runs = "a Gateway Load Balancer endpoint of service \(service), run by account \(owner)"
            switch policy.organization.owns(owner, platform: platform) {
            case false?:
                destination.externalReason = destination.externalReason
                    ?? "\(runs), which is not in organization.\(Policy.Organization.key(for: platform)): the mirrored packets end at that account's appliances"
            case nil where Self.ownerListEmpty(policy, platform) && sessionOwner.map({ owner.caseInsensitiveCompare($0) != .orderedSame }) ?? false:
                destination.externalReason = destination.externalReason
                    ?? "\(runs), not the session's own \(sessionOwner ?? "") (organization.\(Policy.Organization.key(for: platform)) is empty)"
            default: break
            }
        }
        return destination
    }
}
