import Foundation
import MirrorwatchModel

/// The mirroring configuration, rebuilt from snapshots (the starting state) and the changes
/// replayed on top of them in time order: sessions → filters → targets → real destinations.
public struct MirrorGraph: Sendable {
    public private(set) var sessions: [String: SessionState] = [:]
    public private(set) var targets: [String: TargetState] = [:]
    public private(set) var filters: [String: FilterState] = [:]
    public private(set) var assets: [String: AssetFact] = [:]
    /// Every target ever seen, also after deletion, so old references still resolve.
    private var knownTargets: [String: TargetState] = [:]
    private var ruleParents: [String: String] = [:]
    private var creations: [String: (time: Date, evidence: Evidence, actor: Actor?)] = [:]
    /// Sessions seen deleted, with the change that deleted them; used to tell "missing" from "never seen".
    public private(set) var deletedSessions: [String: MirrorChange] = [:]
    /// Complete session lists read (platform, account or project or subscription, region).
    public private(set) var sessionLists: Set<SessionList> = []
    /// Load balancers, their target groups and members: who receives what a load balancer target is sent.
    public private(set) var balancers = BalancerMap()

    public init() {}

    // MARK: Snapshots

    public mutating func add(_ fact: AssetFact) {
        assets[fact.id] = Self.merged(fact, over: assets[fact.id])
        if let instance = fact.instanceId, assets[instance] == nil || assets[instance]?.provisional == true && !fact.provisional {
            assets[instance] = Self.merged(fact, over: assets[instance])
        }
    }

    /// A fact read later replaces the one known (a newer listing), filling in what it leaves unsaid
    /// (the consumer's view of a service and the provider's complete each other), except that a
    /// provisional fact (from a creation record) only fills in what a listing left unsaid.
    static func merged(_ fact: AssetFact, over known: AssetFact?) -> AssetFact {
        guard let known else { return fact }
        return fact.provisional && !known.provisional ? known.filled(from: fact) : fact.filled(from: known)
    }

    public mutating func add(_ target: ObservedTarget) {
        let state = TargetState(platform: target.platform, scope: target.scope, id: target.id, destination: target.destination,
                                description: target.description, origin: target.evidence)
        targets[target.id] = state
        knownTargets[target.id] = state
    }

    public mutating func add(_ filter: ObservedFilter) {
        var rules: [String: FilterRule] = [:]
        for (index, rule) in filter.rules.enumerated() {
            let key = rule.id ?? "\(filter.id)#\(index)"
            rules[key] = rule
            ruleParents[key] = filter.id
        }
        filters[filter.id] = FilterState(platform: filter.platform, scope: filter.scope, id: filter.id, rules: rules,
                                         services: Set(filter.services), origin: filter.evidence)
        filters[filter.id]?.fromSnapshot = true
    }

    public mutating func add(_ session: ObservedSession) {
        // Two snapshots may describe the same session (an Azure TAP list and a NIC list): what one
        // knows and the other leaves out is kept.
        let known = sessions[session.id]
        sessions[session.id] = SessionState(
            platform: session.platform, scope: session.scope, id: session.id,
            sources: session.spec.sources.isEmpty ? known?.sources ?? [] : session.spec.sources,
            targetRef: session.spec.targetRef ?? known?.targetRef, filterRef: session.spec.filterRef ?? known?.filterRef,
            inlineDestination: session.spec.destination ?? known?.inlineDestination,
            description: session.spec.description ?? known?.description, sessionNumber: session.spec.sessionNumber ?? known?.sessionNumber,
            origin: known?.origin ?? session.evidence, fromSnapshot: true, createdAt: nil, createdBy: nil)
        sessions[session.id]?.enabled = session.spec.enabled ?? true
        sessions[session.id]?.snapshotTakenAt = session.takenAt
        sessions[session.id]?.otherDestinations = session.spec.otherDestinations
        sessions[session.id]?.packetLength = Self.truncation(session.spec.packetLength) ?? known?.packetLength
        if !session.spec.rules.isEmpty {
            let filterId = Self.inlineFilterId(session.id)
            add(ObservedFilter(platform: session.platform, scope: session.scope, id: filterId, rules: session.spec.rules, services: [],
                               evidence: session.evidence))
            sessions[session.id]?.filterRef = filterId
        }
    }

    /// A packet length that truncates: nil, 0 (as some describe output shows it) and lengths of a
    /// jumbo frame or more (8,947 bytes after the VXLAN header, AWS's largest) copy whole packets.
    public static func truncation(_ length: Int?) -> Int? { length.flatMap { $0 > 0 && $0 < 8_947 ? $0 : nil } }

    public mutating func add(_ group: ObservedTargetGroup) { balancers.add(group) }

    /// Records that the sessions of a scope were listed (even when the list was empty).
    public mutating func noteSessionList(_ list: SessionList) { sessionLists.insert(list) }

    // MARK: Replay

    /// Applies a change (failed calls change nothing) and says what it did.
    public mutating func apply(_ change: MirrorChange) -> AppliedChange {
        var applied = AppliedChange()
        let id = change.resourceId
        switch change.resourceKind {
        case let kind where kind.isSessionLike:
            applied.sessionBefore = id.flatMap { sessions[$0] }
            guard change.outcome.succeeded, let id else { break }
            if !change.spec.rules.isEmpty { applied.filterBefore = filters[Self.inlineFilterId(id)] }
            switch change.action {
            case .create:
                sessions[id] = SessionState(
                    platform: change.platform, scope: change.scope, id: id, sources: change.spec.sources,
                    targetRef: change.spec.targetRef, filterRef: change.spec.filterRef, inlineDestination: change.spec.destination,
                    description: change.spec.description, sessionNumber: change.spec.sessionNumber, origin: change.evidence,
                    fromSnapshot: false, createdAt: change.time, createdBy: change.actor)
                sessions[id]?.enabled = change.spec.enabled ?? true
                sessions[id]?.otherDestinations = change.spec.otherDestinations
                sessions[id]?.packetLength = Self.truncation(change.spec.packetLength)
                creations[id] = (change.time, change.evidence, change.actor)
                applyInlineFilter(change, sessionId: id)
            case .modify:
                var session = sessions[id] ?? {
                    var stub = SessionState(platform: change.platform, scope: change.scope, id: id, sources: [], targetRef: nil, filterRef: nil,
                                            inlineDestination: nil, description: nil, sessionNumber: nil, origin: change.evidence,
                                            fromSnapshot: false, createdAt: nil, createdBy: nil)
                    stub.packetLengthKnown = false
                    return stub
                }()
                if change.spec.sourcesAreAdditions {
                    session.sources += change.spec.sources.filter { added in !session.sources.contains { $0.id == added.id } }
                } else if !change.spec.sources.isEmpty {
                    session.sources = change.spec.sources
                }
                if let t = change.spec.targetRef { session.targetRef = t } else if session.targetRef == nil { session.targetRef = change.spec.resultingTargetRef }
                if let f = change.spec.filterRef { session.filterRef = f } else if session.filterRef == nil { session.filterRef = change.spec.resultingFilterRef }
                if change.spec.destinationsChanged {
                    session.inlineDestination = change.spec.destination
                    session.otherDestinations = change.spec.otherDestinations
                } else if let d = change.spec.destination {
                    session.inlineDestination = d
                }
                if let n = change.spec.sessionNumber { session.sessionNumber = n }
                if let d = change.spec.description { session.description = d }
                if change.spec.removedFields.contains(where: { $0.lowercased() == "description" }) { session.description = nil }
                if let length = change.spec.packetLength { session.packetLength = Self.truncation(length); session.packetLengthKnown = true }
                if change.spec.removedFields.contains(where: { $0.lowercased() == "packet-length" }) { session.packetLength = nil; session.packetLengthKnown = true }
                if let enabled = change.spec.enabled { session.enabled = enabled }
                sessions[id] = session
                applyInlineFilter(change, sessionId: id)
            case .delete:
                sessions[id] = nil
                filters[Self.inlineFilterId(id)] = nil
                deletedSessions[id] = change
                noteCreation(of: id, into: &applied)
            }
            applied.sessionAfter = sessions[id]
            if !change.spec.rules.isEmpty { applied.filterAfter = filters[Self.inlineFilterId(id)] }
            // A session that starts sending to a load balancer: its members are judged with this change.
            if let after = applied.sessionAfter, balancerNewlySent(before: applied.sessionBefore, after: after) != nil {
                balancers.markJudged(receivers(of: after))
            }
        case .target, .tap:
            applied.targetBefore = id.flatMap { targets[$0] }
            defer { applied.targetAfter = id.flatMap { targets[$0] } }
            guard change.outcome.succeeded, let id else { break }
            applied.affectedSessions = sessions.values.filter { $0.targetRef == id }.sorted { $0.id < $1.id }
            switch change.action {
            case .create, .modify:
                var target = targets[id] ?? TargetState(platform: change.platform, scope: change.scope, id: id, destination: nil,
                                                       description: nil, origin: change.evidence)
                if let d = change.spec.destination { target.destination = d }
                if let d = change.spec.description { target.description = d }
                targets[id] = target
                knownTargets[id] = target
                if change.action == .create { creations[id] = (change.time, change.evidence, change.actor) }
            case .delete:
                targets[id] = nil
                noteCreation(of: id, into: &applied)
            }
        case .filter:
            applied.filterBefore = id.flatMap { filters[$0] }
            guard change.outcome.succeeded, let id else { break }
            switch change.action {
            case .create:
                filters[id] = FilterState(platform: change.platform, scope: change.scope, id: id, rules: [:], services: [], origin: change.evidence)
                creations[id] = (change.time, change.evidence, change.actor)
            case .modify:
                var filter = filters[id] ?? FilterState(platform: change.platform, scope: change.scope, id: id, rules: [:], services: [], origin: change.evidence)
                filter.services.formUnion(change.spec.addedServices)
                filter.services.subtract(change.spec.removedServices)
                filters[id] = filter
            case .delete:
                filters[id] = nil
                noteCreation(of: id, into: &applied)
            }
            applied.filterAfter = filters[id]
            applied.affectedSessions = sessions(usingFilter: id)
        case .filterRule:
            let parent = change.parentId ?? id.flatMap { ruleParents[$0] }
            applied.filterBefore = parent.flatMap { filters[$0] }
            if change.action == .create, let id { applied.filterBefore?.rules[id] = nil }
            guard change.outcome.succeeded, let id, let parent else { break }
            var filter = filters[parent] ?? FilterState(platform: change.platform, scope: change.scope, id: parent, rules: [:], services: [], origin: change.evidence)
            switch change.action {
            case .create:
                if let rule = change.spec.rules.first { filter.rules[id] = rule }
                ruleParents[id] = parent
                creations[id] = (change.time, change.evidence, change.actor)
            case .modify:
                var rule = filter.rules[id] ?? FilterRule(id: id)
                if let update = change.spec.rules.first { rule = Self.merge(rule, update) }
                for field in change.spec.removedFields { Self.reset(&rule, field) }
                filter.rules[id] = rule
                ruleParents[id] = parent
            case .delete:
                filter.rules[id] = nil
                noteCreation(of: id, into: &applied)
            }
            filters[parent] = filter
            applied.filterAfter = filter
            applied.affectedSessions = sessions(usingFilter: parent)
        default:
            break  // every session-like kind is handled above
        }
        return applied
    }

    /// Applies a load balancer change. For each live target whose destination is a load balancer
    /// the change touched and that live, switched-on sessions send to: the target (unchanged), those
    /// sessions, and the receivers added and removed behind it. Empty when no mirroring is affected.
    public mutating func apply(_ change: BalancerChange) -> [AppliedChange] {
        let effect = balancers.apply(change)
        // A failed call aimed at mirroring's receivers is probing: it is reported, though it changed nothing.
        guard effect.touched.contains(where: { !$0.added.isEmpty || !$0.removed.isEmpty }) || !change.outcome.succeeded && !effect.touched.isEmpty else { return [] }
        var applied: [AppliedChange] = []
        // Live targets (AWS), and collectors named by live sessions themselves (GCP, as a target of the moment).
        var destinations = targets.values.sorted { $0.id < $1.id }.map { target in
            (target, sessions.values.filter { $0.targetRef == target.id && $0.enabled }.sorted { $0.id < $1.id })
        }
        let inline = Dictionary(grouping: sessions.values.filter { $0.enabled && $0.targetRef == nil && $0.inlineDestination != nil }) {
            ResourceRef.normalize($0.inlineDestination!.id).lowercased()
        }
        for (_, sending) in inline.sorted(by: { $0.key < $1.key }) {
            let named = sending[0].inlineDestination!
            // What is known of the collector (a logged insert's address) stands for it.
            destinations.append((target(named.id) ?? TargetState(platform: sending[0].platform, scope: sending[0].scope, id: named.id, destination: named,
                                                                  description: nil, origin: sending[0].origin), sending.sorted { $0.id < $1.id }))
        }
        for (target, sending) in destinations {
            guard let destination = target.destination, !sending.isEmpty else { continue }
            var one = AppliedChange()
            if let service = effect.service {
                // An endpoint service change reaches the Gateway Load Balancer endpoints of that service.
                guard let first = effect.touched.first, serviceId(behind: destination).map({ BalancerMap.key($0) == service }) == true else { continue }
                one.balancer = first.balancer
                one.addedReceivers = effect.touched.flatMap(\.added)
                one.removedReceivers = effect.touched.flatMap(\.removed)
                one.balancerObject = change.service
            } else {
                guard let (balancer, touched) = balancers(behind: destination).lazy.compactMap({ b in effect.behind(BalancerMap.key(b)).map { (b, $0) } }).first
                else { continue }
                one.balancer = balancer
                one.addedReceivers = touched.added
                one.removedReceivers = touched.removed
                one.balancerObject = change.targetGroup ?? change.listener
            }
            one.targetBefore = target
            one.targetAfter = target
            one.affectedSessions = sending
            applied.append(one)
        }
        if !applied.isEmpty { balancers.markJudged(applied.flatMap(\.addedReceivers)) }
        return applied
    }

    /// The load balancer a session starts sending to with this change (created, switched on or moved
    /// to a target that is a load balancer), or nil.
    public func balancerNewlySent(before: SessionState?, after: SessionState?) -> String? {
        guard let after, after.enabled, let destination = destination(of: after), let balancer = balancers(behind: destination).first else { return nil }
        if let before, before.enabled, let was = self.destination(of: before), BalancerMap.key(was.id) == BalancerMap.key(destination.id) { return nil }
        return balancer
    }

    /// The load balancers that hand on what a destination is sent: a Network Load Balancer, a GCP
    /// collector (an internal load balancer's forwarding rule) or an Azure load balancer frontend itself;
    /// for a Gateway Load Balancer endpoint, the load balancers of its endpoint service (when the
    /// service's configuration was read).
    public func balancers(behind destination: Endpoint) -> [String] {
        switch destination.kind {
        case .nlb, .ilb, .lbFrontend: return [destination.id]
        case .gwlbe:
            // The service as its logged changes left it, else as its configuration list says.
            if let service = serviceId(behind: destination), let logged = balancers.balancers(ofService: service) { return logged }
            return serviceFact(of: destination) { $0.loadBalancers.isEmpty ? nil : $0.loadBalancers }?.value ?? []
        default: return []
        }
    }

    /// The id (`vpce-svc-…`) of the endpoint service a Gateway Load Balancer endpoint sends to, when known.
    public func serviceId(behind endpoint: Endpoint) -> String? {
        guard endpoint.kind == .gwlbe, let service = assets[endpoint.id]?.serviceName else { return nil }
        return Self.serviceId(ofName: service)
    }

    /// `com.amazonaws.vpce.us-east-1.vpce-svc-0abc` → `vpce-svc-0abc` (an id is itself).
    static func serviceId(ofName service: String) -> String? { service.split(separator: ".").last.map(String.init) }

    /// The load balancers an endpoint service's configuration list names: the service's facts by its
    /// id (`vpce-svc-…`), else by a name that ends with it (a list printed without `ServiceId`).
    public func listedBalancers(ofService service: String) -> [String] {
        if let fact = assets[service], !fact.loadBalancers.isEmpty { return fact.loadBalancers }
        let named = assets.values.filter { !$0.loadBalancers.isEmpty && Self.serviceId(ofName: $0.id)?.caseInsensitiveCompare(service) == .orderedSame }
        return named.min { $0.id < $1.id }?.loadBalancers ?? []
    }

    /// Sets what an endpoint service handed its traffic to before its logged changes (see `BalancerReplay`).
    public mutating func seedService(_ service: String, balancers list: [String]) {
        balancers.seedService(service, balancers: list)
    }

    /// The members a session's load balancer destination hands its packets to (registrations seen);
    /// `unjudgedOnly` leaves out those already reported as receivers of live mirroring.
    public func receivers(of session: SessionState, unjudgedOnly: Bool = false) -> [Receiver] {
        guard let destination = destination(of: session) else { return [] }
        let all = balancers(behind: destination).flatMap { balancers.members(behind: $0) }
        return unjudgedOnly ? all.filter { !balancers.judged.contains($0.key) } : all
    }

    /// What stands for unknown receivers behind a session's load balancer destination, when a change
    /// reported it (a group a listener now forwards to whose members were never registered, a load
    /// balancer added to an endpoint service with nothing read behind it): the audit lists them, so a
    /// session is not called fully approved while whoever they are receives its packets.
    public func unknownReceivers(of session: SessionState) -> [Receiver] {
        guard let destination = destination(of: session) else { return [] }
        return balancers(behind: destination).flatMap { balancer -> [Receiver] in
            let groups = balancers.groups(fedBy: balancer)
            let standIns = groups.isEmpty
                ? [Receiver(group: balancer, endpoint: Endpoint(kind: .target, id: balancer, owner: ResourceRef.account(ofARN: balancer)), membersKnown: false)]
                : groups.flatMap(balancers.receivers(in:)).filter { !$0.membersKnown }
            return standIns.filter { balancers.judged.contains($0.key) }.map { var receiver = $0; receiver.balancer = balancer; return receiver }
        }
    }

    /// Whether an object of this kind and id exists now (to tell a create from an update in a create-or-update call).
    public func contains(_ kind: MirrorResourceKind, _ id: String?) -> Bool {
        guard let id else { return false }
        switch kind {
        case .target, .tap: return targets[id] != nil
        case .filter: return filters[id] != nil
        case .filterRule: return ruleParents[id] != nil
        default: return sessions[id] != nil
        }
    }

    /// The id of the filter a policy carries inline (GCP packet mirroring `filter`).
    public static func inlineFilterId(_ sessionId: String) -> String { sessionId + "#filter" }

    /// A policy that carries its filter inline: the filter becomes an object of its own, so
    /// filter rules treat it like any other.
    private mutating func applyInlineFilter(_ change: MirrorChange, sessionId: String) {
        guard !change.spec.rules.isEmpty else { return }
        let filterId = Self.inlineFilterId(sessionId)
        add(ObservedFilter(platform: change.platform, scope: change.scope, id: filterId, rules: change.spec.rules, services: [],
                           evidence: change.evidence))
        sessions[sessionId]?.filterRef = filterId
    }

    private func noteCreation(of id: String, into applied: inout AppliedChange) {
        if let created = creations[id] {
            applied.createdAt = created.time
            applied.creationEvidence = created.evidence
            applied.createdBy = created.actor
        }
    }

    static func merge(_ rule: FilterRule, _ update: FilterRule) -> FilterRule {
        var merged = rule
        if let v = update.direction { merged.direction = v }
        if let v = update.number { merged.number = v }
        if let v = update.action { merged.action = v }
        if let v = update.proto { merged.proto = v }
        if let v = update.sourceCIDR { merged.sourceCIDR = v }
        if let v = update.destinationCIDR { merged.destinationCIDR = v }
        if let v = update.sourcePorts { merged.sourcePorts = v }
        if let v = update.destinationPorts { merged.destinationPorts = v }
        return merged
    }

    /// `RemoveField` values of ModifyTrafficMirrorFilterRule.
    static func reset(_ rule: inout FilterRule, _ field: String) {
        switch field.lowercased() {
        case "destination-port-range": rule.destinationPorts = nil
        case "source-port-range": rule.sourcePorts = nil
        case "protocol": rule.proto = nil
        default: break
        }
    }

    // MARK: Questions

    public func sessions(usingFilter id: String) -> [SessionState] {
        sessions.values.filter { $0.filterRef == id }.sorted { $0.id < $1.id }
    }

    /// The target with this id, live or deleted.
    public func target(_ id: String) -> TargetState? { targets[id] ?? knownTargets[id] }

    /// The real destination of a session: its target's ENI, NLB or endpoint, with the address
    /// and owner filled in from interface facts where known. Falls back to the bare target id.
    public func destination(of session: SessionState) -> Endpoint? {
        if let inline = session.inlineDestination { return enrich(inline) }
        guard let ref = session.targetRef else { return nil }
        return destination(ofTarget: ref)
    }

    public func destination(ofTarget ref: String) -> Endpoint {
        guard let destination = target(ref)?.destination else { return Endpoint(kind: .target, id: ref) }
        return enrich(destination)
    }

    /// Fills address and owner from asset facts.
    public func enrich(_ endpoint: Endpoint) -> Endpoint {
        guard let fact = assets[endpoint.id] else { return endpoint }
        var enriched = endpoint
        enriched.address = enriched.address ?? fact.privateIP
        enriched.owner = enriched.owner ?? fact.owner
        return enriched
    }

    public func fact(_ id: String) -> AssetFact? { assets[id] }

    /// For a Gateway Load Balancer endpoint: the endpoint service it hands traffic to and the
    /// account that runs it (where the mirrored packets end up), when `describe-vpc-endpoints` and
    /// `describe-vpc-endpoint-services` output tell. Nil for other endpoints or when unknown.
    public func serviceBehind(_ endpoint: Endpoint) -> (service: String, owner: String)? {
        serviceFact(of: endpoint) { $0.owner }.map { ($0.service, $0.value) }
    }

    /// For a Gateway Load Balancer endpoint: its endpoint service, and what `field` says of it, from the
    /// service's facts by name, else by its id (`vpce-svc-…`); nil when neither says.
    private func serviceFact<Value>(of endpoint: Endpoint, _ field: (AssetFact) -> Value?) -> (service: String, value: Value)? {
        guard endpoint.kind == .gwlbe, let service = assets[endpoint.id]?.serviceName else { return nil }
        let serviceId = Self.serviceId(ofName: service)
        guard let value = assets[service].flatMap(field) ?? serviceId.flatMap({ assets[$0] }).flatMap(field) else { return nil }
        return (service, value)
    }
}
