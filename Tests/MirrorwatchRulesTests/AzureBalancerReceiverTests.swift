import Foundation
import Mirrorwatch
import MirrorwatchModel
import MirrorwatchTestSupport
import Testing

/// An Azure virtual network TAP that sends to a load balancer frontend: the members of the backend
/// pools its rules hand that frontend's traffic to receive the mirrored packets. A NIC joining the
/// pool (or an address added to it) re-points approved mirroring without touching the TAP.
@Suite struct AzureBalancerReceiverTests {
    static let balancer = AZ.id("loadBalancers/lb-ndr")
    static let frontend = balancer + "/frontendIPConfigurations/fe-vxlan"
    static let pool = balancer + "/backendAddressPools/ndr-sensors"
    static let rule = balancer + "/loadBalancingRules/ha-ports"
    static let policy = """
    version: 1
    organization: {azure_subscriptions: ["\(AZ.subscription)"], internal_cidrs: [10.0.0.0/8]}
    approved_destinations:
      - {name: NDR load balancer, azure_destination: "\(frontend)", owner: netsec, reason: NDR sensors behind the load balancer}
      - {name: NDR sensor subnet, ip: 10.9.0.0/24, owner: netsec, reason: NDR sensor pool}
    authorized_identities: ["alice@contoso.com"]
    change_control: {require_ticket: false}
    transient_window: 1h

    """
    static let nics = """
    [{"id": "\(AZ.nic("nic-web-1"))", "ipConfigurations": [{"id": "\(AZ.ipConfig("nic-web-1"))", "privateIpAddress": "10.30.0.7"}], "name": "nic-web-1", "type": "Microsoft.Network/networkInterfaces"},
     {"id": "\(AZ.nic("nic-sensor-1"))", "ipConfigurations": [{"id": "\(AZ.ipConfig("nic-sensor-1"))", "privateIpAddress": "10.9.0.11"}], "name": "nic-sensor-1", "type": "Microsoft.Network/networkInterfaces"},
     {"id": "\(AZ.nic("nic-sensor-2"))", "ipConfigurations": [{"id": "\(AZ.ipConfig("nic-sensor-2"))", "privateIpAddress": "10.9.0.12"}], "name": "nic-sensor-2", "type": "Microsoft.Network/networkInterfaces"},
     {"id": "\(AZ.nic("nic-dev-box"))", "ipConfigurations": [{"id": "\(AZ.ipConfig("nic-dev-box"))", "privateIpAddress": "10.1.2.3"}], "name": "nic-dev-box", "type": "Microsoft.Network/networkInterfaces"}]
    """

    /// `az network lb list` output (flattened, as `az` prints it): an HA-ports rule from the frontend to
    /// the sensor pool, with `members` in it.
    static func balancers(_ members: [String] = [AZ.ipConfig("nic-sensor-1")]) -> String {
        #"[{"id": ""# + balancer + #"", "name": "lb-ndr", "type": "Microsoft.Network/loadBalancers", "frontendIPConfigurations": [{"id": ""# + frontend
            + #""}], "backendAddressPools": [{"id": ""# + pool + #"", "backendIPConfigurations": ["# + members.map { #"{"id": ""# + $0 + #""}"# }.joined(separator: ",")
            + #"]}], "loadBalancingRules": [{"id": ""# + rule + #"", "frontendIPConfiguration": {"id": ""# + frontend + #""}, "backendAddressPool": {"id": ""#
            + pool + #""}, "protocol": "All", "frontendPort": 0, "backendPort": 0}]}]"#
    }

    /// A NIC write whose IP configuration joins the sensor pool: the Start record with the body, then the end.
    static func join(_ nic: String, address: String, by caller: String = "mallory@contoso.com", at time: String = "2026-11-03T11:00:00Z",
                     failed: Bool = false) -> [[String: Any]] {
        let body: [String: Any] = ["location": "westeurope", "properties": ["ipConfigurations": [["name": "ipconfig1", "properties": [
            "privateIPAddress": address, "subnet": ["id": AZ.id("virtualNetworks/vnet/subnets/s")],
            "loadBalancerBackendAddressPools": [["id": pool]]]]]]]
        let correlation = UUID().uuidString
        return [AZ.record("Microsoft.Network/networkInterfaces/write", resourceId: AZ.nic(nic), status: "Start", body: body, caller: caller, at: time, correlation: correlation),
                AZ.record("Microsoft.Network/networkInterfaces/write", resourceId: AZ.nic(nic), status: failed ? "Failure" : "Success", caller: caller,
                          at: time.replacingOccurrences(of: ":00Z", with: ":07Z"), correlation: correlation,
                          failure: failed ? ("403", "AuthorizationFailed") : nil, statusCode: "OK")]
    }

    func scan(_ records: [[String: Any]], balancers: String = AzureBalancerReceiverTests.balancers(), balancersPath: String = "snapshots/azure/lbs.json") async throws -> ScanResult {
        var scenario = Scenario(policy: Self.policy)
        let setup = AZ.writeTap("tap-ndr", destination: Self.frontend, loadBalancer: true, at: "2026-11-03T09:00:00Z")
            + AZ.attach("nic-web-1", config: "cfg1", tap: "tap-ndr", at: "2026-11-03T09:05:00Z")
        scenario.files["azure/PT1H.json"] = CT.json(["records": setup + records])
        scenario.files["snapshots/azure/nics.json"] = Self.nics
        scenario.files[balancersPath] = balancers
        return try await scenario.runAll()
    }

    @Test func aNICJoiningTheSensorPoolIsAnUnapprovedDestination() async throws {
        let result = try await scan(Self.join("nic-dev-box", address: "10.1.2.3"))
        let unapproved = result.findings(RuleID.unapprovedDestination)
        #expect(unapproved.count == 1, "the approved TAP and the sensor already in the pool are quiet: \(unapproved.map(\.title))")
        let finding = try #require(unapproved.first)
        #expect(finding.title == "Mirrored packets sent to load balancer lb-ndr (frontend fe-vxlan) now reach unapproved nic-dev-box/ipconfig1", "\(finding.title)")
        #expect(finding.why.contains("called Microsoft.Network/networkInterfaces/write")
                && finding.why.contains("is now a member of backend pool \(Self.pool.lowercased()), which load balancer lb-ndr (frontend fe-vxlan) forwards to"), "\(finding.why)")
        #expect(finding.destination?.endpoint.address == "10.1.2.3")
        #expect(finding.benignIf.contains("`azure_destination`"))
        #expect(result.findings(RuleID.unauthorizedActor).contains { $0.why.contains("networkInterfaces/write") })
        // The pool as the live state knows it now.
        #expect(Set(result.graph.balancers.receivers(in: Self.pool).map { $0.endpoint.id.lowercased() })
                == [AZ.ipConfig("nic-sensor-1").lowercased(), AZ.ipConfig("nic-dev-box").lowercased()])
    }

    @Test func approvedSensorsAFailedWriteAndAListWrittenAfterTheChange() async throws {
        // Another sensor of the approved subnet, by the network team: only the audit trail.
        let approved = try await scan(Self.join("nic-sensor-2", address: "10.9.0.12", by: "alice@contoso.com"))
        #expect(approved.findings.filter { $0.why.contains("networkInterfaces/write") }.map(\.rule) == [RuleID.observed],
                "\(approved.findings.map { "\($0.rule) \($0.title)" })")
        // Refused: probing, nothing joined.
        let refused = try await scan(Self.join("nic-dev-box", address: "10.1.2.3", failed: true))
        #expect(refused.findings(RuleID.unapprovedDestination).isEmpty)
        #expect(refused.findings(RuleID.denied).contains { $0.title.contains("networkInterfaces/write") }, "\(refused.findings.map(\.title))")
        #expect(refused.graph.balancers.receivers(in: Self.pool).count == 1)
        // A load balancer list written after the change already shows the NIC in the pool: still judged, once,
        // on the NIC write and its caller (not when the TAP was attached).
        let later = try await scan(Self.join("nic-dev-box", address: "10.1.2.3"),
                                   balancers: Self.balancers([AZ.ipConfig("nic-sensor-1"), AZ.ipConfig("nic-dev-box")]),
                                   balancersPath: "snapshots/2026-11-04/azure/lbs.json")
        let judged = later.findings(RuleID.unapprovedDestination)
        #expect(judged.count == 1 && judged.first?.why.contains("networkInterfaces/write") == true && judged.first?.actor?.name == "mallory@contoso.com",
                "\(judged.map(\.why))")
        // A list written before the change: the NIC was in the pool before (judged when the TAP's NIC was attached).
        let earlier = try await scan(Self.join("nic-dev-box", address: "10.1.2.3"),
                                     balancers: Self.balancers([AZ.ipConfig("nic-sensor-1"), AZ.ipConfig("nic-dev-box")]),
                                     balancersPath: "snapshots/2026-11-03T08-00-00Z/azure/lbs.json")
        let before = earlier.findings(RuleID.unapprovedDestination)
        #expect(before.count == 1 && before.first?.why.contains("tapConfigurations/write") == true, "\(before.map(\.why))")
    }

    /// What the second read of this change found: property names in any case, a UDP rule on the TAP's
    /// own port, a refusal logged alone, a failed pool delete, a rule moved to another frontend.
    @Test func shapesAndEdges() async throws {
        // Property names as ARM reads them, in any case.
        let lower: [String: Any] = ["properties": ["ipconfigurations": [["name": "ipconfig1", "properties": [
            "privateipaddress": "10.1.2.3", "loadbalancerbackendaddresspools": [["id": Self.pool]]]]]]]
        let cased = try await scan([AZ.record("Microsoft.Network/networkInterfaces/write", resourceId: AZ.nic("nic-dev-box"), status: "Start", body: lower,
                                              caller: "mallory@contoso.com", at: "2026-11-03T11:00:00Z", correlation: "c-lower")])
        #expect(cased.findings(RuleID.unapprovedDestination).count == 1, "\(cased.findings.map(\.title))")
        // A dynamic address asked for in the body (here one of the approved sensor subnet) is not taken for the
        // NIC's: the NIC list says 10.1.2.3, so the member is still unapproved.
        let claimed = try await scan(Self.join("nic-dev-box", address: "10.9.0.99"))
        #expect(claimed.findings(RuleID.unapprovedDestination).first?.destination?.endpoint.address == "10.1.2.3", "\(claimed.findings.map(\.title))")
        // A UDP rule on port 4790 (the TAP's destinationPort changed from 4789) carries the packets.
        let udp = Self.balancers().replacingOccurrences(of: #""protocol": "All", "frontendPort": 0, "backendPort": 0"#,
                                                         with: #""protocol": "Udp", "frontendPort": 4790, "backendPort": 4790"#)
        #expect(try await scan(Self.join("nic-dev-box", address: "10.1.2.3"), balancers: udp).findings(RuleID.unapprovedDestination).count == 1)
        let tcp = Self.balancers().replacingOccurrences(of: #""protocol": "All""#, with: #""protocol": "Tcp""#)
        #expect(try await scan(Self.join("nic-dev-box", address: "10.1.2.3"), balancers: tcp).findings(RuleID.unapprovedDestination).isEmpty,
                "a TCP rule carries no VXLAN")
        // A refused pool write logged as one Failed record: probing of the pool behind the TAP.
        let refused = try await scan([AZ.record("Microsoft.Network/loadBalancers/backendAddressPools/write", resourceId: Self.pool, status: "Failure",
                                                caller: "mallory@contoso.com", at: "2026-11-03T11:00:00Z", correlation: "c-refused",
                                                failure: ("403", "AuthorizationFailed"))])
        #expect(refused.findings(RuleID.denied).contains { $0.title.contains("backendAddressPools/write") }, "\(refused.findings.map(\.title))")
        // A pool delete that failed (in use) leaves its members.
        let delete = [AZ.record("Microsoft.Network/loadBalancers/backendAddressPools/delete", resourceId: Self.pool, status: "Start",
                                caller: "mallory@contoso.com", at: "2026-11-03T11:00:00Z", correlation: "c-del"),
                      AZ.record("Microsoft.Network/loadBalancers/backendAddressPools/delete", resourceId: Self.pool, status: "Failure",
                                caller: "mallory@contoso.com", at: "2026-11-03T11:00:03Z", correlation: "c-del", failure: ("400", "InUseBackendAddressPoolCannotBeDeleted"))]
        #expect(try await scan(delete).graph.balancers.receivers(in: Self.pool).first?.membersKnown == true)
        // The rule moved to another frontend of the load balancer: the TAP's frontend no longer feeds the pool.
        let other = Self.balancer + "/frontendIPConfigurations/fe-web"
        let moved: [String: Any] = ["properties": ["loadBalancingRules": [["name": "ha-ports", "id": Self.rule, "properties": [
            "frontendIPConfiguration": ["id": other], "backendAddressPool": ["id": Self.pool], "protocol": "All", "frontendPort": 0]]]]]
        let away = try await scan([AZ.record("Microsoft.Network/loadBalancers/write", resourceId: Self.balancer, status: "Start", body: moved,
                                             caller: "alice@contoso.com", at: "2026-11-03T10:00:00Z", correlation: "c-move")]
                                  + Self.join("nic-dev-box", address: "10.1.2.3"))
        #expect(away.findings(RuleID.unapprovedDestination).isEmpty, "\(away.findings.map(\.title))")
        #expect(away.graph.balancers.groups(fedBy: Self.frontend).isEmpty)
    }

    /// A scale set whose model puts its NICs in the sensor pool: its instances (whoever they will be)
    /// receive the packets; a sanctioned sensor scale set, approved by `azure_destination`, is audit trail.
    @Test func aScaleSetJoiningThePool() async throws {
        let capture = "/subscriptions/\(AZ.subscription)/resourceGroups/rg-app/providers/Microsoft.Compute/virtualMachineScaleSets/vmss-capture"
        func write(_ scaleSet: String, by caller: String) -> [[String: Any]] {
            let body: [String: Any] = ["location": "westeurope", "sku": ["name": "Standard_D2s_v5", "capacity": 3], "properties": [
                "virtualMachineProfile": ["networkProfile": ["networkInterfaceConfigurations": [["name": "nic", "properties": ["primary": true,
                    "ipConfigurations": [["name": "ipconfig1", "properties": ["subnet": ["id": AZ.id("virtualNetworks/vnet/subnets/s")],
                                                                              "loadBalancerBackendAddressPools": [["id": Self.pool]]]]]]]]]]]]
            return [AZ.record("Microsoft.Compute/virtualMachineScaleSets/write", resourceId: scaleSet, status: "Start", body: body, caller: caller,
                              at: "2026-11-03T11:00:00Z", correlation: UUID().uuidString)]
        }
        let result = try await scan(write(capture, by: "mallory@contoso.com"))
        let finding = try #require(result.findings(RuleID.unapprovedDestination).first, "\(result.findings.map(\.title))")
        #expect(finding.title == "Mirrored packets sent to load balancer lb-ndr (frontend fe-vxlan) now reach unapproved scale set vmss-capture", "\(finding.title)")
        #expect(finding.why.contains("called Microsoft.Compute/virtualMachineScaleSets/write"), "\(finding.why)")
        // The sensor scale set, approved by azure_destination: only the audit trail.
        let sensors = "/subscriptions/\(AZ.subscription)/resourceGroups/rg-net/providers/Microsoft.Compute/virtualMachineScaleSets/vmss-ndr"
        var scenario = Scenario(policy: Self.policy.replacingOccurrences(of: "  - {name: NDR sensor subnet,",
                                                                         with: "  - {name: NDR sensor fleet, azure_destination: \"\(sensors)\", owner: netsec, reason: sensor scale set}\n  - {name: NDR sensor subnet,"))
        scenario.files["azure/PT1H.json"] = CT.json(["records": AZ.writeTap("tap-ndr", destination: Self.frontend, loadBalancer: true, at: "2026-11-03T09:00:00Z")
            + AZ.attach("nic-web-1", config: "cfg1", tap: "tap-ndr", at: "2026-11-03T09:05:00Z") + write(sensors, by: "alice@contoso.com")])
        scenario.files["snapshots/azure/nics.json"] = Self.nics
        scenario.files["snapshots/azure/lbs.json"] = Self.balancers()
        let approved = try await scenario.runAll()
        #expect(approved.findings.filter { $0.why.contains("virtualMachineScaleSets/write") }.map(\.rule) == [RuleID.observed],
                "\(approved.findings.map { "\($0.rule) \($0.title)" })")
        // `az vmss list` puts a scale set in the pools its model names (the state before the logs).
        scenario.files["snapshots/azure/vmss.json"] = CT.json([["id": capture, "name": "vmss-capture", "type": "Microsoft.Compute/virtualMachineScaleSets",
            "virtualMachineProfile": ["networkProfile": ["networkInterfaceConfigurations": [["name": "nic", "ipConfigurations": [["name": "ipconfig1",
                "loadBalancerBackendAddressPools": [["id": Self.pool]]]]]]]]]])
        let listed = try await scenario.runAll()
        #expect(listed.graph.balancers.receivers(in: Self.pool).contains { $0.endpoint.id == capture.lowercased() })
        #expect(listed.findings(RuleID.unapprovedDestination).contains { $0.destination?.endpoint.id == capture.lowercased() },
                "judged when the TAP's NIC is attached: \(listed.findings.map(\.title))")
    }

    /// An address outside the organization put in the pool (`backendAddressPools/write`): external and unapproved.
    @Test func anOutsideAddressInThePoolIsExternal() async throws {
        let body: [String: Any] = ["properties": ["loadBalancerBackendAddresses": [
            ["name": "sensor-1", "properties": ["ipAddress": "10.9.0.11", "virtualNetwork": ["id": AZ.id("virtualNetworks/vnet")]]],
            ["name": "x", "properties": ["ipAddress": "203.0.113.9", "virtualNetwork": ["id": AZ.id("virtualNetworks/vnet")]]]]]]
        let records = [AZ.record("Microsoft.Network/loadBalancers/backendAddressPools/write", resourceId: Self.pool, status: "Start", body: body,
                                 caller: "mallory@contoso.com", at: "2026-11-03T11:00:00Z", correlation: "c-pool")]
        let result = try await scan(records)
        let external = try #require(result.findings(RuleID.externalDestination).first, "\(result.findings.map(\.title))")
        #expect(external.severity == .critical && external.destination?.endpoint.id == "203.0.113.9")
        #expect(result.findings(RuleID.unapprovedDestination).map { $0.destination?.endpoint.id } == ["203.0.113.9"], "10.9.0.11 is in the approved subnet")
    }

    /// A rule pointed at another pool (`loadBalancers/write`) hands the frontend's traffic to its members.
    @Test func aRuleMovedToAnotherPool() async throws {
        let capture = Self.balancer + "/backendAddressPools/capture"
        let body: [String: Any] = ["location": "westeurope", "properties": [
            "frontendIPConfigurations": [["name": "fe-vxlan", "id": Self.frontend]],
            "backendAddressPools": [["name": "ndr-sensors", "id": Self.pool],
                                    ["name": "capture", "properties": ["loadBalancerBackendAddresses": [["name": "a", "properties": ["ipAddress": "10.1.2.3"]]]]]],
            "loadBalancingRules": [["name": "ha-ports", "properties": ["frontendIPConfiguration": ["id": Self.frontend], "backendAddressPool": ["id": capture],
                                                                       "protocol": "All", "frontendPort": 0, "backendPort": 0]]]]]
        let records = [AZ.record("Microsoft.Network/loadBalancers/write", resourceId: Self.balancer, status: "Start", body: body,
                                 caller: "mallory@contoso.com", at: "2026-11-03T11:00:00Z", correlation: "c-lb")]
        let result = try await scan(records)
        let finding = try #require(result.findings(RuleID.unapprovedDestination).first, "\(result.findings.map(\.title))")
        #expect(finding.destination?.endpoint.id == "10.1.2.3")
        #expect(finding.why.contains("load-balancing rule \(Self.rule.lowercased())") && finding.why.contains("now forwards to backend pool \(capture.lowercased())"),
                "\(finding.why)")
    }
}
