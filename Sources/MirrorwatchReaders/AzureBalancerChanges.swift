import MirrorwatchJSON
import MirrorwatchModel

/// An Azure load balancer as its resource body says (`az network lb list` output, or the body of a
/// `loadBalancers/write` in the Activity Log): which backend pools each load-balancing rule hands a
/// frontend's traffic to, and who is in each pool. A virtual network TAP can send to a load
/// balancer frontend; the pool members then receive the mirrored packets.
struct AzureLoadBalancerBody {
    struct Rule {
        var id: String
        var frontend: String
        var pools: [String]
        var protocolName: String?
        var port: Int?
    }

    struct Pool {
        var id: String
        /// Members given by NIC IP configuration (`backendIPConfigurations`, or an address entry naming one).
        var interfaceMembers: [Endpoint]
        /// Members given by address (`loadBalancerBackendAddresses`); nil when the body does not say.
        var addressMembers: [Endpoint]?
    }

    var rules: [Rule] = []
    var pools: [Pool] = []

    /// Reads `body` (flattened as `az` prints it, or with ARM's `properties`) of the load balancer `id`.
    init(_ body: JSONValue, id: String) {
        let fields = Self.fields(body)
        for rule in fields.member(ignoringCase: "loadBalancingRules")?.elements ?? [] {
            let ruleFields = Self.fields(rule)
            guard let ruleId = Self.id(rule, under: id, "loadBalancingRules"),
                  let frontend = ruleFields.at("frontendIPConfiguration", "id")?.text.map(ResourceRef.normalize) else { continue }
            var pools: [String] = []
            for pool in [ruleFields.member(ignoringCase: "backendAddressPool")].compactMap({ $0 }) + (ruleFields.member(ignoringCase: "backendAddressPools")?.elements ?? []) {
                if let poolId = pool.member(ignoringCase: "id")?.text.map(ResourceRef.normalize),
                   !pools.contains(where: { $0.caseInsensitiveCompare(poolId) == .orderedSame }) { pools.append(poolId) }
            }
            // A TAP's VXLAN port is its own setting (4789 unless changed): a UDP rule on any port may carry it,
            // so only the protocol decides (port 0 with `All`: HA ports).
            let protocolName = ruleFields.member(ignoringCase: "protocol")?.text
            let port = ruleFields.member(ignoringCase: "frontendPort")?.int
            rules.append(Rule(id: ruleId, frontend: frontend, pools: pools, protocolName: protocolName,
                              port: protocolName?.uppercased() == "UDP" ? nil : port))
        }
        for pool in fields.member(ignoringCase: "backendAddressPools")?.elements ?? [] {
            guard let poolId = Self.id(pool, under: id, "backendAddressPools") else { continue }
            let (interfaces, addresses) = Self.members(Self.fields(pool))
            pools.append(Pool(id: poolId, interfaceMembers: interfaces, addressMembers: addresses))
        }
    }

    /// A pool body's members: by NIC IP configuration, and by address (nil when it lists no addresses).
    static func members(_ pool: JSONValue) -> (interfaces: [Endpoint], addresses: [Endpoint]?) {
        var interfaces = (pool.member(ignoringCase: "backendIPConfigurations")?.elements ?? []).compactMap { configuration in
            configuration.member(ignoringCase: "id")?.text.map { Endpoint(kind: .nicIPConfig, id: ResourceRef.normalize($0)) }
        }
        guard let listed = pool.member(ignoringCase: "loadBalancerBackendAddresses") else { return (interfaces, nil) }
        var addresses: [Endpoint] = []
        for entry in listed.elements {
            let entryFields = fields(entry)
            // An address entry of a pool built from NICs names the NIC's IP configuration (answers only).
            if let configuration = entryFields.at("networkInterfaceIPConfiguration", "id")?.text.map(ResourceRef.normalize) {
                if !interfaces.contains(where: { $0.id.caseInsensitiveCompare(configuration) == .orderedSame }) {
                    interfaces.append(Endpoint(kind: .nicIPConfig, id: configuration))
                }
            } else if let address = entryFields.member(ignoringCase: "ipAddress")?.text, !address.isEmpty {
                addresses.append(Endpoint(kind: .ip, id: address, address: address))
            }
        }
        return (interfaces, addresses)
    }

    /// ARM writes a resource's settings under `properties`; `az` prints them flattened.
    static func fields(_ value: JSONValue) -> JSONValue { value.member(ignoringCase: "properties") ?? value }

    /// A child resource's id, or its parent's id and its name (request bodies may give only the name).
    static func id(_ child: JSONValue, under parent: String, _ collection: String) -> String? {
        if let id = child.member(ignoringCase: "id")?.text, !id.isEmpty { return ResourceRef.normalize(id) }
        guard let name = child.member(ignoringCase: "name")?.text, !name.isEmpty else { return nil }
        return ResourceRef.normalize(parent + "/" + collection + "/" + name)
    }
}

/// Activity Log writes that change who receives what an Azure load balancer frontend is sent: a
/// NIC's IP configuration joining or leaving backend pools (`networkInterfaces/write`), a scale
/// set's instances doing so (`virtualMachineScaleSets/write`), a pool's
/// address members (`loadBalancers/backendAddressPools/write`), the load balancer's rules and pools
/// (`loadBalancers/write`) and a pool deleted. Read from the request body the record carries; the
/// operation's final record (without a body) says how it ended.
enum AzureBalancerChanges {
    static let operations: [String: String] = [
        "microsoft.network/networkinterfaces/write": "Microsoft.Network/networkInterfaces/write",
        "microsoft.network/loadbalancers/write": "Microsoft.Network/loadBalancers/write",
        "microsoft.network/loadbalancers/backendaddresspools/write": "Microsoft.Network/loadBalancers/backendAddressPools/write",
        "microsoft.network/loadbalancers/backendaddresspools/delete": "Microsoft.Network/loadBalancers/backendAddressPools/delete",
        "microsoft.compute/virtualmachinescalesets/write": "Microsoft.Compute/virtualMachineScaleSets/write",
    ]

    /// The backend pools a scale set's instances join (`virtualMachineProfile.networkProfile`: every
    /// NIC and IP configuration of its model), or nil when the body does not give its network profile.
    static func scaleSetPools(_ fields: JSONValue) -> [String]? {
        guard let profile = fields.member(ignoringCase: "virtualMachineProfile")?.member(ignoringCase: "networkProfile") else { return nil }
        var pools: [String] = []
        for nic in profile.member(ignoringCase: "networkInterfaceConfigurations")?.elements ?? [] {
            for configuration in AzureLoadBalancerBody.fields(nic).member(ignoringCase: "ipConfigurations")?.elements ?? [] {
                for pool in AzureLoadBalancerBody.fields(configuration).member(ignoringCase: "loadBalancerBackendAddressPools")?.elements ?? [] {
                    if let id = pool.member(ignoringCase: "id")?.text.map(ResourceRef.normalize), !pools.contains(id) { pools.append(id) }
                }
            }
        }
        return pools
    }

    /// The changes one Activity Log record makes (none for other operations, or a body that says nothing of pools).
    static func changes(_ record: JSONValue, operation raw: String, evidence: Evidence) -> [BalancerChange] {
        guard let operation = operations[raw.lowercased()],
              let timeText = record.member(anyOf: "time", "eventTimestamp")?.text, let time = Timestamp.parse(timeText),
              let resource = record.member(ignoringCase: "resourceId")?.text.map(ResourceRef.normalize) else { return [] }
        let status = AzureChangeMapper.status(record)
        let properties = record.member(ignoringCase: "properties")
        let correlation = record.member(ignoringCase: "correlationId")?.text
        let recordId = record.member(ignoringCase: "eventDataId")?.text ?? correlation.map { "\($0)|\(status)|\(timeText)" }
        func change(_ action: BalancerChange.Action, _ index: Int) -> BalancerChange {
            var change = BalancerChange(action: action, operation: operation, platform: .azure,
                                        scope: Scope(account: ResourceRef.owner(of: resource) ?? record.member(ignoringCase: "subscriptionId")?.text),
                                        time: time, actor: AzureChangeMapper.actor(record), outcome: AzureChangeMapper.outcome(record, status: status),
                                        eventId: recordId.map { "\($0)|\(resource)|\(index)" }, evidence: evidence)
            change.operationKey = correlation.map { "azure|\($0)|\(operation)|\(resource)" }
            return change
        }
        if operation.hasSuffix("backendAddressPools/delete") {
            // Applied once it succeeded (a pool in use cannot be deleted: the usual failure).
            guard status.hasPrefix("succe") else { return [] }
            var deleted = change(.deleteGroup, 0)
            deleted.targetGroup = resource
            return [deleted]
        }
        guard let body = properties?.member(ignoringCase: "requestbody")?.unwrappingEmbeddedJSON, body.member(ignoringCase: "properties") != nil || body.member(ignoringCase: "ipConfigurations") != nil else {
            // The operation's last record, without a body: how it ended (a failure undoes its first
            // record; a failure alone, as a refused call is often logged, is probing of the pool).
            guard status.hasPrefix("succe") || status.hasPrefix("fail") else { return [] }
            var ending = change(operation.hasSuffix("backendAddressPools/write") ? .setMembers : .setGroups, 0)
            if operation.hasSuffix("backendAddressPools/write") { ending.targetGroup = resource }
            ending.endsOperation = true
            return [ending]
        }
        let fields = AzureLoadBalancerBody.fields(body)
        var changes: [BalancerChange] = []
        if operation.hasSuffix("networkInterfaces/write") {
            for configuration in fields.member(ignoringCase: "ipConfigurations")?.elements ?? [] {
                guard let id = AzureLoadBalancerBody.id(configuration, under: resource, "ipConfigurations") else { continue }
                let settings = AzureLoadBalancerBody.fields(configuration)
                var joined = change(.setGroups, changes.count)
                // The address asked for is the address only when it is static (Azure picks a dynamic one, and a
                // caller could name a sensor's address): otherwise the NIC list tells it.
                let fixed = settings.member(ignoringCase: "privateIPAllocationMethod")?.text?.lowercased() == "static"
                joined.members = [Endpoint(kind: .nicIPConfig, id: id, address: fixed ? settings.member(ignoringCase: "privateIPAddress")?.text : nil)]
                joined.forwardsTo = (settings.member(ignoringCase: "loadBalancerBackendAddressPools")?.elements ?? [])
                    .compactMap { $0.member(ignoringCase: "id")?.text.map(ResourceRef.normalize) }
                changes.append(joined)
            }
        } else if operation.hasSuffix("virtualMachineScaleSets/write") {
            // A scale set stands for its instances: they join the pools its model names, and leave the others.
            if let pools = scaleSetPools(fields) {
                var joined = change(.setGroups, 0)
                joined.members = [Endpoint(kind: .target, id: resource, owner: ResourceRef.owner(of: resource))]
                joined.forwardsTo = pools
                changes.append(joined)
            }
        } else if operation.hasSuffix("backendAddressPools/write") {
            if let addresses = AzureLoadBalancerBody.members(fields).addresses {
                var set = change(.setMembers, 0)
                set.targetGroup = resource
                set.members = addresses
                changes.append(set)
            }
        } else {
            // Pools first: a rule pointed at a pool in the same write then finds its members.
            let balancer = AzureLoadBalancerBody(body, id: resource)
            for pool in balancer.pools {
                guard let addresses = pool.addressMembers else { continue }
                var set = change(.setMembers, changes.count)
                set.targetGroup = pool.id
                set.members = addresses
                changes.append(set)
            }
            for rule in balancer.rules {
                var forward = change(.forward, changes.count)
                forward.listener = rule.id
                forward.loadBalancer = rule.frontend
                forward.forwardsTo = rule.pools
                forward.listenerProtocol = rule.protocolName
                forward.listenerPort = rule.port
                changes.append(forward)
            }
        }
        return changes
    }
}
