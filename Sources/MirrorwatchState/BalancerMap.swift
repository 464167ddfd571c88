import MirrorwatchModel

/// A machine (or address, or group of unknown members) that receives what a load balancer is sent:
/// a member of one of the target groups its listeners forward to.
public struct Receiver: Sendable, Hashable {
    /// The target group it is a member of.
    public var group: String
    /// The member; for a group whose members are not known here, the group itself (kind `target`).
    public var endpoint: Endpoint
    /// Whether the group's members are known (from registrations replayed); false for a placeholder.
    public var membersKnown: Bool
    /// It receives because a listener now forwards to its group (not because it was registered).
    public var byListener = false
    /// The load balancer that hands it the packets, when asked through one (`members(behind:)`).
    public var balancer: String?
    /// The endpoint service that now hands its endpoints' packets to that load balancer, for a
    /// receiver reached through an endpoint service change.
    public var service: String?

    public init(group: String, endpoint: Endpoint, membersKnown: Bool) {
        self.group = group
        self.endpoint = endpoint
        self.membersKnown = membersKnown
    }

    /// The member within its group, for ids and for telling members apart.
    public var key: String { (group + "|" + endpoint.id).lowercased() }

    /// The group's name (`ndr-vxlan` of `arn:…:targetgroup/ndr-vxlan/1122…`), or its id.
    public var groupName: String {
        guard let range = group.range(of: ":targetgroup/") else { return ResourceRef.shortName(of: group) }
        return group[range.upperBound...].split(separator: "/").first.map(String.init) ?? group
    }
}

/// Which target groups each load balancer forwards mirrored packets to, and who is in each group:
/// rebuilt from inventory (`describe-target-groups`, `describe-listeners`) and the load balancer
/// changes replayed in time order. Only listeners and groups that can carry mirrored packets count
/// (VXLAN UDP 4789, GENEVE 6081, or protocol and port unknown). ARNs compare in any case.
public struct BalancerMap: Sendable {
    private struct Listener: Sendable {
        /// The load balancers handing it traffic: one for an AWS listener; for a GCP backend service,
        /// every collector forwarding rule naming it (none while only its groups are known).
        var balancers: [String]
        var groups: [String]
        var carriesMirroring: Bool
    }

    /// Each listener's load balancer and the groups it forwards to.
    private var listeners: [String: Listener] = [:]
    /// Load balancers a group is known to serve outside any listener read (`describe-target-groups`).
    private var listedBalancers: [String: (id: String, balancers: Set<String>)] = [:]
    /// Members of each group whose registrations were seen, in the order registered.
    private var members: [String: [Endpoint]] = [:]
    /// Members already judged as receivers of live mirroring (when they joined, or when a session
    /// started sending to their load balancer): the live state does not report them again.
    public private(set) var judged: Set<String> = []
    /// The load balancers each endpoint service (by lowercased id, `vpce-svc-…`) hands its traffic
    /// to, once a change of the service was replayed (seeded from its configuration list first).
    private var services: [String: [String]] = [:]

    public init() {}

    static func key(_ arn: String) -> String { arn.lowercased() }

    /// Records a target group seen in a snapshot, with the load balancers feeding it (and its members,
    /// when the snapshot lists them: several lists add up, a load balancer's and a scale set's).
    public mutating func add(_ group: ObservedTargetGroup) {
        if let listed = group.members, !group.id.isEmpty {
            var list = members[Self.key(group.id)] ?? []
            for member in listed where !list.contains(where: { Self.same($0, member) }) { list.append(member) }
            members[Self.key(group.id)] = list
        }
        let carries = balancerCarriesMirroring(protocol: group.protocolName, port: group.port)
        if let listener = group.listener {
            var entry = listeners[Self.key(listener)] ?? Listener(balancers: [], groups: [], carriesMirroring: carries)
            for balancer in group.loadBalancers where !entry.balancers.contains(where: { Self.key($0) == Self.key(balancer) }) { entry.balancers.append(balancer) }
            if !group.id.isEmpty, !entry.groups.contains(where: { Self.key($0) == Self.key(group.id) }) { entry.groups.append(group.id) }
            listeners[Self.key(listener)] = entry
        } else if carries {
            listedBalancers[Self.key(group.id), default: (group.id, [])].balancers.formUnion(group.loadBalancers.map(Self.key))
        }
    }

    /// What a change did to the receivers behind one load balancer.
    public struct Touched: Sendable {
        /// The load balancer (lowercased ARN or path).
        public var balancer: String
        public var added: [Receiver] = []
        public var removed: [Receiver] = []
    }

    /// What a change did: for each load balancer whose receivers it changed (or, for a failed call,
    /// would have changed), the receivers added and removed behind it.
    public struct Effect: Sendable {
        public var touched: [Touched] = []
        public var balancers: [String] { touched.map(\.balancer) }
        /// What it did behind `balancer` (lowercased), if anything.
        public func behind(_ balancer: String) -> Touched? { touched.first { $0.balancer == balancer } }
        /// For an endpoint service change: the service (lowercased id); `touched` are the load
        /// balancers it added (with what receives behind them) and removed.
        public var service: String?
    }

    /// The load balancers an endpoint service hands its traffic to, when a change of it was replayed
    /// (nil: as its configuration list says).
    public func balancers(ofService service: String) -> [String]? { services[Self.key(service)] }

    /// Sets what an endpoint service hands its traffic to before its first logged change, from its
    /// configuration list; nothing when it is already known.
    public mutating func seedService(_ service: String, balancers: [String]) {
        if services[Self.key(service)] == nil { services[Self.key(service)] = balancers }
    }

    /// Applies a change. A failed call changes nothing; its effect names the load balancers it aimed at.
    public mutating func apply(_ change: BalancerChange) -> Effect {
        var effect = Effect()
        let listenerKey = change.listener.map(Self.key) ?? change.loadBalancer.map { Self.key($0) + "#listener" }
        var aimedAt = listenerKey.flatMap { listeners[$0]?.balancers } ?? []
        if let named = change.loadBalancer, !aimedAt.contains(where: { Self.key($0) == Self.key(named) }) { aimedAt.append(named) }
        guard change.outcome.succeeded else {
            switch change.action {
            case .register, .deregister: effect.touched = (change.targetGroup.map(balancers(feeding:)) ?? []).map { Touched(balancer: $0) }
            case .forward, .removeListener, .attach: effect.touched = aimedAt.map { Touched(balancer: Self.key($0)) }
            case .serve:
                effect.service = change.service.map(Self.key)
                effect.touched = change.forwardsTo.map { Touched(balancer: Self.key($0)) }
            case .setMembers: effect.touched = (change.targetGroup.map(balancers(feeding:)) ?? []).map { Touched(balancer: $0) }
            case .setGroups: effect.touched = Set(change.forwardsTo.flatMap(balancers(feeding:))).sorted().map { Touched(balancer: $0) }
            case .deleteGroup: break
            }
            return effect
        }
        switch change.action {
        case .register, .deregister:
            guard let group = change.targetGroup else { return effect }
            var list = members[Self.key(group)] ?? []
            var added: [Receiver] = [], removed: [Receiver] = []
            for member in change.members {
                let at = list.firstIndex { Self.same($0, member) }
                if change.action == .register, at == nil {
                    list.append(member)
                    added.append(Receiver(group: group, endpoint: member, membersKnown: true))
                } else if change.action == .deregister, let at {
                    list.remove(at: at)
                    removed.append(Receiver(group: group, endpoint: member, membersKnown: true))
                }
            }
            members[Self.key(group)] = list
            effect.touched = balancers(feeding: group).map { Touched(balancer: $0, added: added, removed: removed) }
        case .forward, .removeListener, .attach:
            guard let listenerKey else { return effect }
            // Compared over all of each load balancer's listeners: a group another listener already fed is not new.
            let before = aimedAt.map { groups(fedBy: $0) }
            switch change.action {
            case .forward:
                let carries = balancerCarriesMirroring(protocol: change.listenerProtocol, port: change.listenerPort)
                // Groups of a listener no load balancer uses yet are kept for when one does. An Azure rule
                // names its one frontend, and may move to another: it then feeds that one only.
                let feeding = change.platform == .azure ? change.loadBalancer.map { [$0] } ?? aimedAt : aimedAt
                listeners[listenerKey] = Listener(balancers: feeding, groups: change.forwardsTo,
                                                  carriesMirroring: change.listenerProtocol == nil && change.listenerPort == nil
                                                      ? listeners[listenerKey]?.carriesMirroring ?? true : carries)
            case .attach:
                var entry = listeners[listenerKey] ?? Listener(balancers: [], groups: [], carriesMirroring: true)
                entry.balancers = aimedAt
                listeners[listenerKey] = entry
            default:
                listeners[listenerKey] = nil
            }
            for (balancer, before) in zip(aimedAt, before) {
                let after = groups(fedBy: balancer)
                let old = Set(before.map(Self.key)), new = Set(after.map(Self.key))
                effect.touched.append(Touched(
                    balancer: Self.key(balancer),
                    added: after.filter { !old.contains(Self.key($0)) }.flatMap(receivers(in:)).map { var r = $0; r.byListener = true; return r },
                    removed: before.filter { !new.contains(Self.key($0)) }.flatMap(receivers(in:))))
            }
        case .deleteGroup:
            guard let group = change.targetGroup else { return effect }
            members[Self.key(group)] = nil
            listedBalancers[Self.key(group)] = nil
        case .setMembers:
            // Members given by address, as a whole; members given by interface stay.
            guard let group = change.targetGroup else { return effect }
            let before = members[Self.key(group)] ?? []
            var after = before.filter { $0.kind != .ip }
            for member in change.members where !after.contains(where: { Self.same($0, member) }) { after.append(member) }
            members[Self.key(group)] = after
            let added = after.filter { member in !before.contains { Self.same($0, member) } }.map { Receiver(group: group, endpoint: $0, membersKnown: true) }
            let removed = before.filter { member in !after.contains { Self.same($0, member) } }.map { Receiver(group: group, endpoint: $0, membersKnown: true) }
            effect.touched = balancers(feeding: group).map { Touched(balancer: $0, added: added, removed: removed) }
        case .setGroups:
            // One member's pools, as a whole: it joins those listed and leaves the others.
            guard let member = change.members.first else { return effect }
            var added: [String: [Receiver]] = [:], removed: [String: [Receiver]] = [:]
            for group in change.forwardsTo where !(members[Self.key(group)] ?? []).contains(where: { Self.same($0, member) }) {
                members[Self.key(group), default: []].append(member)
                for balancer in balancers(feeding: group) { added[balancer, default: []].append(Receiver(group: group, endpoint: member, membersKnown: true)) }
            }
            let kept = Set(change.forwardsTo.map(Self.key))
            for (group, list) in members.sorted(by: { $0.key < $1.key }) where !kept.contains(group) && list.contains(where: { Self.same($0, member) }) {
                members[group] = list.filter { !Self.same($0, member) }
                for balancer in balancers(feeding: group) { removed[balancer, default: []].append(Receiver(group: group, endpoint: member, membersKnown: true)) }
            }
            effect.touched = Set(added.keys).union(removed.keys).sorted().map { Touched(balancer: $0, added: added[$0] ?? [], removed: removed[$0] ?? []) }
        case .serve:
            guard let service = change.service else { return effect }
            let before = services[Self.key(service)] ?? []
            var after = change.replacesAll ? [] : before
            after.removeAll { balancer in change.stopsForwardingTo.contains { Self.key($0) == Self.key(balancer) } }
            for balancer in change.forwardsTo where !after.contains(where: { Self.key($0) == Self.key(balancer) }) { after.append(balancer) }
            services[Self.key(service)] = after
            let old = Set(before.map(Self.key)), new = Set(after.map(Self.key))
            effect.service = Self.key(service)
            for balancer in after where !old.contains(Self.key(balancer)) {
                effect.touched.append(Touched(balancer: Self.key(balancer), added: receivers(served: balancer, by: service)))
            }
            for balancer in before where !new.contains(Self.key(balancer)) {
                effect.touched.append(Touched(balancer: Self.key(balancer), removed: receivers(served: balancer, by: service)))
            }
        }
        return effect
    }

    /// Who receives what an endpoint service hands a load balancer: the members of its groups, a
    /// group whose members are not known, or, when none of its listeners was read, the load balancer
    /// itself (whoever is behind it).
    private func receivers(served balancer: String, by service: String) -> [Receiver] {
        var found = groups(fedBy: balancer).flatMap(receivers(in:))
        if found.isEmpty {
            found = [Receiver(group: balancer, endpoint: Endpoint(kind: .target, id: balancer, owner: ResourceRef.account(ofARN: balancer)), membersKnown: false)]
        }
        return found.map { receiver in
            var receiver = receiver
            receiver.balancer = balancer
            receiver.service = service
            return receiver
        }
    }

    /// The same member: ids compare in any case.
    static func same(_ a: Endpoint, _ b: Endpoint) -> Bool { a.id.caseInsensitiveCompare(b.id) == .orderedSame }

    /// Notes receivers as judged (see `judged`).
    public mutating func markJudged(_ receivers: [Receiver]) { judged.formUnion(receivers.map(\.key)) }

    /// The load balancers (lowercased ARNs) that hand a group mirrored packets.
    public func balancers(feeding group: String) -> [String] {
        let key = Self.key(group)
        var found = listedBalancers[key]?.balancers ?? []
        for entry in listeners.values where entry.carriesMirroring && entry.groups.contains(where: { Self.key($0) == key }) {
            found.formUnion(entry.balancers.map(Self.key))
        }
        return found.sorted()
    }

    /// The groups a load balancer hands mirrored packets to, through any listener or as listed.
    public func groups(fedBy balancer: String) -> [String] {
        let key = Self.key(balancer)
        var found: [String] = []
        var seen = Set<String>()
        for entry in listeners.values.sorted(by: { $0.groups.first ?? "" < $1.groups.first ?? "" })
        where entry.carriesMirroring && entry.balancers.contains(where: { Self.key($0) == key }) {
            for group in entry.groups where seen.insert(Self.key(group)).inserted { found.append(group) }
        }
        for (group, listed) in listedBalancers.sorted(by: { $0.key < $1.key }) where listed.balancers.contains(key) && seen.insert(group).inserted {
            found.append(listed.id)
        }
        return found
    }

    /// The receivers in a group: its members when registrations were seen, else the group itself.
    public func receivers(in group: String) -> [Receiver] {
        guard let list = members[Self.key(group)], !list.isEmpty else {
            return [Receiver(group: group, endpoint: Endpoint(kind: .target, id: group), membersKnown: false)]
        }
        return list.map { Receiver(group: group, endpoint: $0, membersKnown: true) }
    }

    /// The known members (registrations seen) of every group a load balancer hands mirrored packets to.
    public func members(behind balancer: String) -> [Receiver] {
        groups(fedBy: balancer).flatMap(receivers(in:)).filter(\.membersKnown).map { var r = $0; r.balancer = balancer; return r }
    }
}
