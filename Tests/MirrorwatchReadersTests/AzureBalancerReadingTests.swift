import Foundation
import MirrorwatchModel
import MirrorwatchReaders
import MirrorwatchTestSupport
import Testing

/// Azure load balancers in `az network lb list` output and in Activity Log writes: which backend
/// pools each frontend's rules hand traffic to, and who is in each pool.
@Suite struct AzureBalancerReadingTests {
    static let balancer = AZ.id("loadBalancers/lb-ndr")
    static let frontend = balancer + "/frontendIPConfigurations/fe-vxlan"
    static let pool = balancer + "/backendAddressPools/ndr-sensors"

    /// Flattened (as `az` prints it) and with ARM's `properties` (as `az resource list` prints it): the same rows.
    @Test func inventoryGivesRulesAndPoolMembers() throws {
        let flat = #"[{"id": ""# + Self.balancer + #"", "type": "Microsoft.Network/loadBalancers", "backendAddressPools": [{"id": ""# + Self.pool
            + #"", "backendIPConfigurations": [{"id": ""# + AZ.ipConfig("nic-sensor-1") + #""}], "loadBalancerBackendAddresses": [{"name": "a", "ipAddress": "10.9.0.40"}]}],"#
            + #" "loadBalancingRules": [{"id": ""# + Self.balancer + #"/loadBalancingRules/vxlan", "frontendIPConfiguration": {"id": ""# + Self.frontend
            + #""}, "backendAddressPools": [{"id": ""# + Self.pool + #""}], "protocol": "Udp", "frontendPort": 4789}]}]"#
        let nested = #"[{"id": ""# + Self.balancer + #"", "type": "Microsoft.Network/loadBalancers", "properties": {"backendAddressPools": [{"id": ""# + Self.pool
            + #"", "properties": {"backendIPConfigurations": [{"id": ""# + AZ.ipConfig("nic-sensor-1") + #""}], "loadBalancerBackendAddresses": [{"name": "a", "properties": {"ipAddress": "10.9.0.40"}}]}}],"#
            + #" "loadBalancingRules": [{"id": ""# + Self.balancer + #"/loadBalancingRules/vxlan", "properties": {"frontendIPConfiguration": {"id": ""# + Self.frontend
            + #""}, "backendAddressPool": {"id": ""# + Self.pool + #""}, "protocol": "Udp", "frontendPort": 4789}}]}}]"#
        for text in [flat, nested] {
            let result = readInput("lbs.json", text)
            #expect(result.report.format == "azure-inventory" && result.report.issues.isEmpty, "\(result.report.issues)")
            let rows = result.targetGroups
            #expect(rows.count == 2, "\(rows)")
            let rule = try #require(rows.first { $0.listener != nil })
            // A UDP rule's port is left open: a TAP's VXLAN port is its own setting, so any UDP rule may carry it.
            #expect(rule.id == Self.pool.lowercased() && rule.loadBalancers == [Self.frontend.lowercased()] && rule.protocolName == "Udp" && rule.port == nil)
            let members = try #require(rows.first { $0.members != nil }?.members)
            #expect(members.map(\.id) == [AZ.ipConfig("nic-sensor-1").lowercased(), "10.9.0.40"])
            #expect(members.map(\.kind) == [.nicIPConfig, .ip])
        }
    }

    /// NIC writes (joining or leaving pools), pool writes and load balancer writes, from Event Hub
    /// records (slashes escaped or not) and the REST shape; NIC writes without pools are not read.
    @Test func activityWritesBecomeBalancerChanges() throws {
        let nicBody: [String: Any] = ["properties": ["ipConfigurations": [
            ["name": "ipconfig1", "properties": ["privateIPAddress": "10.1.2.3", "privateIPAllocationMethod": "Static", "loadBalancerBackendAddressPools": [["id": Self.pool]]]],
            ["name": "ipconfig2", "properties": ["privateIPAddress": "10.1.2.4", "loadBalancerBackendAddressPools": [] as [Any]]]]]]
        let poolBody: [String: Any] = ["properties": ["loadBalancerBackendAddresses": [["name": "x", "properties": ["ipAddress": "203.0.113.9"]]]]]
        let plainNIC: [String: Any] = ["properties": ["ipConfigurations": [["name": "ipconfig1", "properties": ["privateIPAddress": "10.1.2.5"]]]]]
        let records = [
            AZ.record("Microsoft.Network/networkInterfaces/write", resourceId: AZ.nic("nic-dev-box"), status: "Start", body: nicBody, at: "2026-11-03T11:00:00Z", correlation: "c1"),
            AZ.record("Microsoft.Network/networkInterfaces/write", resourceId: AZ.nic("nic-dev-box"), status: "Failure", at: "2026-11-03T11:00:05Z", correlation: "c1",
                      failure: ("403", "AuthorizationFailed")),
            AZ.record("Microsoft.Network/loadBalancers/backendAddressPools/write", resourceId: Self.pool, status: "Start", body: poolBody, at: "2026-11-03T11:01:00Z", correlation: "c2"),
            AZ.record("Microsoft.Network/networkInterfaces/write", resourceId: AZ.nic("nic-other"), status: "Start", body: plainNIC, at: "2026-11-03T11:02:00Z", correlation: "c3"),
            AZ.record("Microsoft.Network/loadBalancers/backendAddressPools/delete", resourceId: Self.pool, status: "Success", at: "2026-11-03T11:03:00Z", correlation: "c4"),
        ]
        for text in [CT.json(["records": records]), CT.json(["records": records]).replacingOccurrences(of: "\\/", with: "/"),
                     CT.json(["value": records.map(AZ.rest)])] {
            let changes = readInput("PT1H.json", text).balancerChanges
            #expect(changes.map(\.action) == [.setGroups, .setGroups, .setGroups, .setMembers, .deleteGroup], "\(changes.map(\.action))")
            #expect(changes[0].members.first?.id == AZ.ipConfig("nic-dev-box").lowercased() && changes[0].members.first?.address == "10.1.2.3")
            #expect(changes[0].forwardsTo == [Self.pool.lowercased()] && changes[1].forwardsTo.isEmpty, "the second IP configuration leaves every pool")
            #expect(changes[1].members.first?.address == nil, "a dynamic address asked for is not taken: the NIC list tells it")
            #expect(changes[2].endsOperation && !changes[2].outcome.succeeded && changes[2].operationKey == changes[0].operationKey)
            #expect(changes[3].targetGroup == Self.pool.lowercased() && changes[3].members.map(\.id) == ["203.0.113.9"])
            #expect(changes.allSatisfy { $0.platform == .azure && $0.scope.account == AZ.subscription })
        }
    }
}
