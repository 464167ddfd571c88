import MirrorwatchJSON
import MirrorwatchModel

/// Reads `az network vnet tap list -o json`, `az network nic list -o json`, `az network lb list
/// -o json` and `az vmss list -o json` (or `show`): TAPs become targets (with the sessions attached to them), NICs become facts
/// (subnet, VM, address, tags, for each NIC and each IP configuration) and their TAP configurations
/// sessions, load balancers the backend pools each frontend hands its traffic to, with their members
/// (a scale set standing for its instances in the pools its model names).
/// Keys are matched ignoring case and resource ids compared in lower case, as Azure does.
public enum AzureInventoryReader {
    static let format = InputFormat(kind: .azureInventory, recognizes: { head in
        guard !head.hasKey("operationName") else { return false }
        return head.contains("Microsoft.Network/virtualNetworkTaps\"") || head.contains("Microsoft.Network/networkInterfaces\"")
            || head.contains("Microsoft.Network/loadBalancers\"") || head.contains("Microsoft.Compute/virtualMachineScaleSets\"") || head.hasKey("virtualMachineProfile")
            || head.hasKey("destinationNetworkInterfaceIpConfiguration") || head.hasKey("tapConfigurations") || head.hasKey("loadBalancingRules")
    }, read: { input, _ in read(input) })

    public static func read(_ input: LoadedInput) -> ReadResult {
        var result = ReadResult(report: InputReport(input: input.name, format: "azure-inventory"))
        guard let document = SnapshotDocument.parse(input, into: &result) else { return result }
        for (index, item) in document.elements.enumerated() {
            result.report.records += 1
            let evidence = Evidence(input: input.name, record: index)
            guard let id = item.member(ignoringCase: "id")?.text.map(ResourceRef.normalize) else {
                result.report.problem("record \(index)", "resource without id"); continue
            }
            let subscription = ResourceRef.owner(of: id)
            let scope = Scope(account: subscription, region: item.member(ignoringCase: "location")?.text)
            let type = item.member(ignoringCase: "type")?.text?.lowercased() ?? ""
            if type.hasSuffix("/virtualnetworktaps") || item.member(ignoringCase: "destinationPort") != nil {
                let spec = AzureTapSpec.tap(item.member(ignoringCase: "properties") ?? item)
                guard let destination = spec.destination else {
                    result.report.problem("record \(index)", "TAP \(id) names no destination IP configuration or load balancer frontend"); continue
                }
                result.targets.append(ObservedTarget(platform: .azure, scope: scope, id: id, destination: destination,
                                                     description: item.member(ignoringCase: "name")?.text, evidence: evidence))
                for configuration in (item.member(ignoringCase: "networkInterfaceTapConfigurations")?.elements ?? []) {
                    guard let configId = configuration.member(ignoringCase: "id")?.text.map(ResourceRef.normalize) else { continue }
                    var session = AzureTapSpec.tapConfiguration(.null, id: configId)
                    session.targetRef = id
                    result.sessions.append(ObservedSession(platform: .azure, scope: scope, id: configId, spec: session, evidence: evidence))
                }
            } else if type.hasSuffix("/networkinterfaces") || item.member(ignoringCase: "ipConfigurations") != nil {
                addInterface(item, id: id, scope: scope, evidence: evidence, into: &result)
            } else if type.hasSuffix("/loadbalancers") || AzureLoadBalancerBody.fields(item).member(ignoringCase: "backendAddressPools") != nil {
                addLoadBalancer(item, id: id, scope: scope, evidence: evidence, into: &result)
            } else if type.hasSuffix("/virtualmachinescalesets") {
                // A scale set stands for its instances in the pools its model names.
                for pool in AzureBalancerChanges.scaleSetPools(AzureLoadBalancerBody.fields(item)) ?? [] {
                    result.targetGroups.append(ObservedTargetGroup(platform: .azure, scope: scope, id: pool, loadBalancers: [],
                                                                   members: [Endpoint(kind: .target, id: id, owner: scope.account)], evidence: evidence))
                }
            } else {
                result.report.problem("record \(index)", "not a virtual network TAP, network interface, load balancer or scale set (type '\(type)')"); continue
            }
            result.report.relevant += 1
        }
        // A NIC list is often filtered (`-g group`), so it does not prove that an approved TAP
        // configuration is gone: for Azure that takes a logged deletion.
        return result
    }

    /// A load balancer: for each rule, the pools its frontend hands traffic to (a row per pool, the
    /// rule as the listener); for each pool, its members (a row of their own, so that a logged change
    /// of a rule does not hide who was in the pool).
    static func addLoadBalancer(_ balancer: JSONValue, id: String, scope: Scope, evidence: Evidence, into result: inout ReadResult) {
        let body = AzureLoadBalancerBody(balancer, id: id)
        for rule in body.rules {
            for pool in rule.pools {
                result.targetGroups.append(ObservedTargetGroup(platform: .azure, scope: scope, id: pool, loadBalancers: [rule.frontend], listener: rule.id,
                                                               protocolName: rule.protocolName, port: rule.port, evidence: evidence))
            }
        }
        for pool in body.pools {
            result.targetGroups.append(ObservedTargetGroup(platform: .azure, scope: scope, id: pool.id, loadBalancers: [],
                                                           members: pool.interfaceMembers + (pool.addressMembers ?? []), evidence: evidence))
        }
    }

    static func addInterface(_ nic: JSONValue, id: String, scope: Scope, evidence: Evidence, into result: inout ReadResult) {
        let fields = nic.member(ignoringCase: "properties") ?? nic
        let vm = fields.at("virtualMachine", "id")?.text.map(ResourceRef.normalize)
        var tags: [String: String] = [:]
        for (key, value) in nic.member(ignoringCase: "tags")?.members ?? [:] { tags[key] = value.text ?? "" }
        let configurations = fields.member(ignoringCase: "ipConfigurations")?.elements ?? []
        func address(_ c: JSONValue) -> String? { (c.member(ignoringCase: "properties") ?? c).member(ignoringCase: "privateIPAddress")?.text }
        func subnet(_ c: JSONValue) -> String? { (c.member(ignoringCase: "properties") ?? c).at("subnet", "id")?.text.map(ResourceRef.normalize) }
        let primary = configurations.first
        result.assets.append(AssetFact(id: id, instanceId: vm, subnetId: primary.flatMap(subnet), privateIP: primary.flatMap(address),
                                       owner: scope.account, description: nic.member(ignoringCase: "name")?.text, tags: tags, evidence: evidence))
        for configuration in configurations {
            guard let configId = configuration.member(ignoringCase: "id")?.text.map(ResourceRef.normalize) else { continue }
            result.assets.append(AssetFact(id: configId, instanceId: vm, subnetId: subnet(configuration), privateIP: address(configuration),
                                           owner: scope.account, description: "IP configuration of \(nic.member(ignoringCase: "name")?.text ?? id)",
                                           tags: tags, evidence: evidence))
        }
        for tapConfiguration in fields.member(ignoringCase: "tapConfigurations")?.elements ?? [] {
            guard let configId = tapConfiguration.member(ignoringCase: "id")?.text.map(ResourceRef.normalize) else { continue }
            let spec = AzureTapSpec.tapConfiguration(tapConfiguration.member(ignoringCase: "properties") ?? tapConfiguration, id: configId)
            result.sessions.append(ObservedSession(platform: .azure, scope: scope, id: configId, spec: spec, evidence: evidence))
        }
    }
}
