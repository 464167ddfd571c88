import Foundation
import MirrorwatchModel
import MirrorwatchReaders
import MirrorwatchTestSupport
import Testing

typealias AZ = AzureActivityFixture

@Suite struct AzureActivityReaderTests {
    static let sensorIP = AZ.ipConfig("nic-ndr-sensor")

    @Test func everyOperationFromEventHubRecords() throws {
        let records = AZ.writeTap("tap-ndr", destination: Self.sensorIP, at: "2026-11-03T09:00:00Z")
            + AZ.attach("nic-web-1", config: "tapcfg-ndr", tap: "tap-ndr", at: "2026-11-03T09:05:00Z")
            + AZ.delete("Microsoft.Network/networkInterfaces/tapConfigurations/delete", resourceId: AZ.tapConfiguration("nic-web-1", "tapcfg-ndr"), at: "2026-11-04T09:00:00Z")
            + AZ.delete("Microsoft.Network/virtualNetworkTaps/delete", resourceId: AZ.tap("tap-ndr"), at: "2026-11-04T09:10:00Z")
        let result = readInput("PT1H.json", CT.json(["records": records]))
        #expect(result.report.format == "azure-activity")
        #expect(result.report.skipped == 0)
        #expect(result.changes.count == 9)
        let operations = result.changes.map(\.operation)
        #expect(operations.first == "Microsoft.Network/virtualNetworkTaps/write")
        #expect(Set(operations).count == 4)
        let tap = result.changes[0]
        #expect(tap.resourceKind == .tap && tap.isUpsert && !tap.outcomeIsFinal)
        #expect(tap.resourceId == AZ.tap("tap-ndr").lowercased())
        #expect(tap.spec.destination == Endpoint(kind: .nicIPConfig, id: Self.sensorIP.lowercased(), owner: AZ.subscription))
        #expect(tap.scope.account == AZ.subscription)
        #expect(result.changes[1].outcomeIsFinal)
        #expect(result.changes[0].operationKey == result.changes[1].operationKey)
        let attach = result.changes[2]
        #expect(attach.resourceKind == .tapConfiguration)
        #expect(attach.spec.sources == [Endpoint(kind: .nic, id: AZ.nic("nic-web-1").lowercased(), owner: AZ.subscription)])
        #expect(attach.spec.targetRef == AZ.tap("tap-ndr").lowercased())
        #expect(result.changes.last?.action == .delete)
    }

    @Test func identityFromCallerAndClaims() throws {
        let user = try #require(readInput("a.json", CT.json(["records": AZ.writeTap("t", destination: Self.sensorIP, at: "2026-11-03T09:00:00Z")])).changes.first?.actor)
        #expect(user.name == "alice@contoso.com")
        #expect(user.type == "user")
        #expect(user.sourceIP == "198.51.100.44")
        #expect(user.short == "alice@contoso.com")
        var records = AZ.writeTap("t", destination: Self.sensorIP, caller: nil, at: "2026-11-03T09:00:00Z")
        records[0].removeValue(forKey: "caller")
        let app = try #require(readInput("b.json", CT.json(["records": records])).changes.first?.actor)
        #expect(app.name == "04b07795-8ddb-461a-bbee-02f9e1bf7b46")
        #expect(app.type == "servicePrincipal")
    }

    @Test func restExportShapeAndJSONLines() throws {
        let records = AZ.writeTap("tap-x", destination: AZ.id("loadBalancers/lb-ids/frontendIPConfigurations/fe1"), loadBalancer: true, at: "2026-11-03T09:00:00Z")
        let rest = records.map(AZ.rest)
        for (name, text) in [("export.json", CT.json(rest, pretty: true)), ("page.json", CT.json(["value": rest])), ("lines.jsonl", CT.jsonLines(records))] {
            let result = readInput(name, text)
            #expect(result.report.format == "azure-activity", "\(name)")
            #expect(result.changes.count == 2, "\(name)")
            #expect(result.changes.first?.spec.destination?.kind == .lbFrontend, "\(name)")
            #expect(result.changes.first?.operation == "Microsoft.Network/virtualNetworkTaps/write", "\(name)")
            #expect(result.changes.first?.actor?.name == "alice@contoso.com", "\(name)")
        }
    }

    @Test func authorizationFailure() throws {
        let record = AZ.record("Microsoft.Network/virtualNetworkTaps/write", resourceId: AZ.tap("evil"), status: "Failure",
                               caller: "mallory@contoso.com", at: "2026-11-03T09:00:00Z", correlation: "c-1",
                               failure: ("Forbidden", "AuthorizationFailed"))
        let change = try #require(readInput("f.json", CT.json(["records": [record]])).changes.first)
        #expect(!change.outcome.succeeded)
        #expect(change.outcome.errorCode == "AuthorizationFailed")
        #expect(change.outcome.isPermissionDenial)
        #expect(change.outcomeIsFinal)
    }

    @Test func otherNetworkOperationsAreIgnored() {
        let record = AZ.record("Microsoft.Network/networkSecurityGroups/write", resourceId: AZ.id("networkSecurityGroups/nsg"), status: "Success",
                               at: "2026-11-03T09:00:00Z", correlation: "c")
        let result = readInput("n.json", CT.json(["records": [record]]))
        #expect(result.changes.isEmpty)
        #expect(result.report.records == 1)
    }

    @Test func brokenRecordIsReportedAndTheRestRead() throws {
        let good = AZ.writeTap("tap-ok", destination: Self.sensorIP, at: "2026-11-03T09:00:00Z")
        let text = #"{"records": [{"time": "2026-11-03T08:00:00Z", "operationName": "MICROSOFT.NETWORK/VIRTUALNETWORKTAPS/WRITE", "properties": {"requestbody": "{\"properties\": {}}"}, "resourceId": tru},"#
            + good.map { CT.json($0) }.joined(separator: ",") + "]}"
        let result = readInput("broken.json", text)
        #expect(result.changes.count == 2)
        #expect(result.report.skipped == 1)
        #expect(result.report.issues.first?.position.hasPrefix("record 0") == true)
    }
}

@Suite struct CloudInventoryReaderTests {
    @Test func gcloudPacketMirroringsForwardingRulesAndInstances() throws {
        let mirrorings = """
        [{"collectorIlb": {"canonicalUrl": "https://www.googleapis.com/compute/v1/projects/prod-net-4711/regions/us-central1/forwardingRules/dbg", "url": "https://www.googleapis.com/compute/v1/projects/prod-net-4711/regions/us-central1/forwardingRules/dbg"},
          "enable": "TRUE", "filter": {"direction": "BOTH"}, "kind": "compute#packetMirroring",
          "mirroredResources": {"subnetworks": [{"url": "https://www.googleapis.com/compute/v1/projects/prod-net-4711/regions/us-central1/subnetworks/payments"}]},
          "name": "pm-debug", "region": "https://www.googleapis.com/compute/v1/projects/prod-net-4711/regions/us-central1",
          "selfLink": "https://www.googleapis.com/compute/v1/projects/prod-net-4711/regions/us-central1/packetMirrorings/pm-debug"}]
        """
        let rules = #"[{"IPAddress": "10.8.0.9", "IPProtocol": "TCP", "isMirroringCollector": true, "kind": "compute#forwardingRule", "loadBalancingScheme": "INTERNAL", "name": "dbg", "selfLink": "https://www.googleapis.com/compute/v1/projects/prod-net-4711/regions/us-central1/forwardingRules/dbg"}]"#
        let instances = #"[{"kind": "compute#instance", "machineType": "zones/us-central1-a/machineTypes/e2-small", "name": "db-1", "networkInterfaces": [{"network": "https://www.googleapis.com/compute/v1/projects/prod-net-4711/global/networks/prod", "networkIP": "10.20.1.5", "subnetwork": "https://www.googleapis.com/compute/v1/projects/prod-net-4711/regions/us-central1/subnetworks/payments"}], "selfLink": "https://www.googleapis.com/compute/v1/projects/prod-net-4711/zones/us-central1-a/instances/db-1", "tags": {"items": ["pci"]}}]"#
        let results = [readInput("pm.json", mirrorings), readInput("fr.json", rules), readInput("vm.json", instances)]
        #expect(results.allSatisfy { $0.report.format == "gcp-inventory" && $0.report.skipped == 0 })
        let session = try #require(results[0].sessions.first)
        #expect(session.id == "projects/prod-net-4711/regions/us-central1/packetMirrorings/pm-debug")
        #expect(session.spec.destination?.id == "projects/prod-net-4711/regions/us-central1/forwardingRules/dbg")
        #expect(session.spec.rules == [FilterRule(direction: .both, action: "accept")])
        #expect(results[0].sessionLists == [SessionList(platform: .gcp, scope: Scope(account: "prod-net-4711", region: "us-central1"))])
        #expect(results[1].assets.first?.privateIP == "10.8.0.9")
        #expect(results[2].assets.first?.subnetId == "projects/prod-net-4711/regions/us-central1/subnetworks/payments")
        #expect(results[2].assets.first?.tags["pci"] == "")
    }

    @Test func azTapAndNicLists() throws {
        let taps = """
        [{"destinationNetworkInterfaceIpConfiguration": {"id": "\(AZ.ipConfig("nic-sensor"))"}, "destinationPort": 4789,
          "id": "\(AZ.tap("tap-ndr").uppercased())", "location": "westeurope", "name": "tap-ndr",
          "networkInterfaceTapConfigurations": [{"id": "\(AZ.tapConfiguration("nic-web-1", "cfg1"))"}], "type": "Microsoft.Network/virtualNetworkTaps"}]
        """
        let nics = """
        [{"id": "\(AZ.nic("nic-sensor"))", "ipConfigurations": [{"id": "\(AZ.ipConfig("nic-sensor"))", "privateIpAddress": "10.40.0.4", "subnet": {"id": "\(AZ.id("virtualNetworks/vnet/subnets/tools"))"}}],
          "name": "nic-sensor", "tapConfigurations": [], "type": "Microsoft.Network/networkInterfaces", "virtualMachine": {"id": "/subscriptions/\(AZ.subscription)/resourceGroups/rg-net/providers/Microsoft.Compute/virtualMachines/vm-sensor"}},
         {"id": "\(AZ.nic("nic-web-1"))", "ipConfigurations": [{"id": "\(AZ.ipConfig("nic-web-1"))", "privateIpAddress": "10.30.0.7", "subnet": {"id": "\(AZ.id("virtualNetworks/vnet/subnets/web"))"}}],
          "name": "nic-web-1", "tags": {"DataClass": "pci"}, "tapConfigurations": [{"id": "\(AZ.tapConfiguration("nic-web-1", "cfg1"))", "virtualNetworkTap": {"id": "\(AZ.tap("tap-ndr"))"}}],
          "type": "Microsoft.Network/networkInterfaces"}]
        """
        let tapResult = readInput("taps.json", taps)
        let nicResult = readInput("nics.json", nics)
        #expect(tapResult.report.format == "azure-inventory" && nicResult.report.format == "azure-inventory")
        let target = try #require(tapResult.targets.first)
        #expect(target.id == AZ.tap("tap-ndr").lowercased())
        #expect(target.destination.kind == .nicIPConfig)
        #expect(tapResult.sessions.first?.spec.targetRef == target.id)
        #expect(nicResult.sessions.map(\.id) == [AZ.tapConfiguration("nic-web-1", "cfg1").lowercased()])
        #expect(nicResult.sessions.first?.spec.targetRef == AZ.tap("tap-ndr").lowercased())
        let ipFact = try #require(nicResult.assets.first { $0.id == AZ.ipConfig("nic-sensor").lowercased() })
        #expect(ipFact.privateIP == "10.40.0.4")
        #expect(ipFact.instanceId?.hasSuffix("/virtualmachines/vm-sensor") == true)
        #expect(nicResult.sessionLists.isEmpty, "NIC lists are often filtered by resource group")
    }
}
