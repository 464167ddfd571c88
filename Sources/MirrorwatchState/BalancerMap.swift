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

    public init(group: String, endpoint: Endpoint, membersKnown: Bool) {
        self.group = group
        self.endpoint = endpoint
        self.membersKnown = membersKnown
    }
}

/// Which target groups each load balancer forwards to, and who is in each group: rebuilt from
/// inventory (`describe-target-groups`, `describe-listeners`) and the load balancer changes
/// replayed in time order. Keys compare ARNs case-insensitively.
public struct BalancerMap: Sendable {
    /// Each listener's load balancer and the groups it forwards to.
    private var listeners: [String: (balancer: String, groups: [String])] = [:]
    /// Load balancers a group is known to serve outside any listener read (`describe-target-groups`).
    private var listedBalancers: [String: Set<String>] = [:]
    /// Members of each group whose registrations were seen, in the order registered.
    private var members: [String: [Endpoint]] = [:]

    public init() {}

    static func key(_ arn: String) -> String { arn.lowercased() }

    /// Records a target group seen in a snapshot, with the load balancers feeding it.
    public mutating func add(_ group: ObservedTargetGroup) {
        if let listener = group.listener, let balancer = group.loadBalancers.first {
            var entry = listeners[Self.key(listener)] ?? (balancer, [])
            if !entry.groups.contains(where: { Self.key($0) == Self.key(group.id) }) { entry.groups.append(group.id) }
            listeners[Self.key(listener)] = entry
        } else {
            listedBalancers[Self.key(group.id), default: []].formUnion(group.loadBalancers.map(Self.key))
        }
    }

    /// What a change did: the load balancers whose receivers it changed, and the receivers added and removed.
    public struct Effect: Sendable {
        public var balancers: [String] = []
        public var added: [Receiver] = []
        public var removed: [Receiver] = []
    }

    /// Applies a successful change (failed calls change nothing).
    public mutating func apply(_ change: BalancerChange) -> Effect {
        var effect = Effect()
        guard change.outcome.succeeded else { return effect }
        switch change.action {
        case .register, .deregister:
            guard let group = change.targetGroup else { return effect }
            var list = members[Self.key(group)] ?? []
            for member in change.members {
                let at = list.firstIndex { $0.id.caseInsensitiveCompare(member.id) == .orderedSame }
                if change.action == .register, at == nil {
                    list.append(member)
                    effect.added.append(Receiver(group: group, endpoint: member, membersKnown: true))
                } else if change.action == .deregister, let at {
                    list.remove(at: at)
                    effect.removed.append(Receiver(group: group, endpoint: member, membersKnown: true))
                }
            }
            members[Self.key(group)] = list
            effect.balancers = balancers(feeding: group)
        case .forward:
            guard let balancer = change.loadBalancer else { return effect }
            let listener = change.listener ?? balancer + "#listener"
            let before = listeners[Self.key(listener)]?.groups ?? []
            listeners[Self.key(listener)] = (balancer, change.forwardsTo)
            let old = Set(before.map(Self.key)), new = Set(change.forwardsTo.map(Self.key))
            effect.added = change.forwardsTo.filter { !old.contains(Self.key($0)) }.flatMap(receivers(in:))
            effect.removed = before.filter { !new.contains(Self.key($0)) }.flatMap(receivers(in:))
            effect.balancers = [Self.key(balancer)]
        case .removeListener:
            guard let listener = change.listener, let entry = listeners.removeValue(forKey: Self.key(listener)) else { return effect }
            effect.removed = entry.groups.flatMap(receivers(in:))
            effect.balancers = [Self.key(entry.balancer)]
        case .deleteGroup:
            guard let group = change.targetGroup else { return effect }
            members[Self.key(group)] = nil
            listedBalancers[Self.key(group)] = nil
        }
        return effect
    }

    /// The load balancers (lowercased ARNs) that hand a group traffic.
    public func balancers(feeding group: String) -> [String] {
        let key = Self.key(group)
        var found = listedBalancers[key] ?? []
        for entry in listeners.values where entry.groups.contains(where: { Self.key($0) == key }) { found.insert(Self.key(entry.balancer)) }
        return found.sorted()
    }

    /// The receivers in a group: its members when registrations were seen, else the group itself.
    public func receivers(in group: String) -> [Receiver] {
        guard let list = members[Self.key(group)], !list.isEmpty else {
            return [Receiver(group: group, endpoint: Endpoint(kind: .target, id: group), membersKnown: false)]
        }
        return list.map { Receiver(group: group, endpoint: $0, membersKnown: true) }
    }
}
