import Foundation
import MirrorwatchModel
import MirrorwatchReaders
import MirrorwatchTestSupport
import Mirrorwatch
import Testing

typealias GCP = GCPAuditFixture

@Suite struct GCPAuditReaderTests {
    static let collector = GCP.path("forwardingRules", "ndr-collector")
    static let subnet = GCP.path("subnetworks", "payments")

    @Test(arguments: [
        ("v1.compute.packetMirrorings.insert", ChangeAction.create),
        ("beta.compute.packetMirrorings.insert", .create),
        ("google.cloud.compute.v1.PacketMirrorings.Insert", .create),
        ("v1.compute.packetMirrorings.patch", .modify),
        ("beta.compute.packetMirrorings.patch", .modify),
        ("google.cloud.compute.v1.PacketMirrorings.Patch", .modify),
        ("v1.compute.packetMirrorings.delete", .delete),
        ("google.cloud.compute.v1.PacketMirrorings.Delete", .delete),
    ])
    func everySpellingOfTheMethods(_ method: String, _ action: ChangeAction) throws {
        let entry = GCP.entry(method: method, resourceName: GCP.path("packetMirrorings", "pm-1"),
                              request: ["name": "pm-1", "collectorIlb": ["url": GCP.url(Self.collector)]])
        let change = try #require(readInput("audit.jsonl", CT.jsonLines([entry])).changes.first)
        #expect(change.platform == .gcp)
        #expect(change.action == action)
        #expect(change.resourceKind == .packetMirroringPolicy)
        #expect(change.resourceId == "projects/prod-net-4711/regions/us-central1/packetMirrorings/pm-1")
        #expect(change.operation == method)
        #expect(change.scope == Scope(account: "prod-net-4711", region: "us-central1"))
    }

    @Test func readMethodsAndOtherServicesAreIgnored() {
        let entries = ["v1.compute.packetMirrorings.get", "v1.compute.packetMirrorings.list", "v1.compute.packetMirrorings.aggregatedList",
                       "v1.compute.instances.insert", "v1.compute.forwardingRules.insert"]
            .map { GCP.entry(method: $0, resourceName: GCP.path("packetMirrorings", "pm-1"), request: ["name": "x", "IPProtocol": "TCP"]) }
        let result = readInput("audit.jsonl", CT.jsonLines(entries))
        #expect(result.changes.isEmpty)
        #expect(result.report.records == 5)
        #expect(result.report.skipped == 0)
    }

    @Test func insertRequestGivesSourcesCollectorFilterAndIdentity() throws {
        let other = GCP.path("forwardingRules", "collector", project: "vendor-tap-9")
        let entries = GCP.insert("pm-pay", collector: other, subnets: [Self.subnet], instances: [GCP.path("instances", "db-1").replacingOccurrences(of: "regions/us-central1", with: "zones/us-central1-a")],
                                 tags: ["pci"], filter: ["cidrRanges": ["10.20.0.0/16"], "IPProtocols": ["tcp", "udp"], "direction": "INGRESS"],
                                 principal: "deployer@prod-net-4711.iam.gserviceaccount.com")
        let result = readInput("audit.json", CT.json(entries))
        #expect(result.changes.count == 2, "first and last entries, coalesced later by the engine")
        let change = try #require(result.changes.first)
        #expect(change.spec.destination == Endpoint(kind: .ilb, id: "projects/vendor-tap-9/regions/us-central1/forwardingRules/collector", owner: "vendor-tap-9"))
        #expect(change.spec.sources.map(\.kind) == [.subnet, .instance, .networkTag])
        #expect(change.spec.sources[0].id == Self.subnet)
        #expect(change.spec.rules.count == 2)
        #expect(change.spec.rules.allSatisfy { $0.direction == .ingress && $0.sourceCIDR == "10.20.0.0/16" })
        #expect(change.spec.rules.map(\.proto) == [6, 17])
        #expect(change.actor?.name == "deployer@prod-net-4711.iam.gserviceaccount.com")
        #expect(change.actor?.type == "serviceAccount")
        #expect(change.actor?.sourceIP == "203.0.113.20")
        #expect(change.actor?.userAgent?.hasPrefix("google-cloud-sdk") == true)
        #expect(change.operationKey != nil && change.operationKey == result.changes[1].operationKey)
        #expect(!change.outcomeIsFinal)
        #expect(result.changes[1].outcomeIsFinal)
    }

    @Test func noFilterMeansEverythingAndEnableIsRead() throws {
        let change = try #require(readInput("a.jsonl", CT.jsonLines(GCP.insert("pm", collector: Self.collector, subnets: [Self.subnet], enable: "FALSE"))).changes.first)
        #expect(change.spec.rules == [FilterRule(direction: .both, action: "accept")])
        #expect(change.spec.enabled == false)
    }

    @Test func permissionDeniedIsAFailedChange() throws {
        let entry = GCP.entry(method: "v1.compute.packetMirrorings.insert", resourceName: GCP.path("packetMirrorings", "pm-x"),
                              request: ["name": "pm-x"], principal: "intruder@gmail.com", status: (7, "Required 'compute.packetMirrorings.create' permission"))
        let change = try #require(readInput("a.jsonl", CT.jsonLines([entry])).changes.first)
        #expect(!change.outcome.succeeded)
        #expect(change.outcome.errorCode == "PERMISSION_DENIED")
        #expect(change.outcome.isPermissionDenial)
        #expect(change.actor?.type == "user")
    }

    @Test func firewallPolicyMirroringRulesAndCollectors() throws {
        let policy = "projects/prod-net-4711/global/firewallPolicies/mirror-policy"
        let rule: [String: Any] = ["priority": 100, "direction": "INGRESS", "action": "mirror",
                                   "match": ["srcIpRanges": ["0.0.0.0/0"], "layer4Configs": [["ipProtocol": "all"]]],
                                   "securityProfileGroup": "//networksecurity.googleapis.com/projects/prod-net-4711/locations/global/securityProfileGroups/ids-group"]
        let entries = [
            GCP.entry(method: "v1.compute.networkFirewallPolicies.addPacketMirroringRule", resourceName: policy, request: rule),
            GCP.entry(method: "v1.compute.regionNetworkFirewallPolicies.patchPacketMirroringRule", resourceName: policy, request: ["priority": 100, "action": "do_not_mirror"]),
            GCP.entry(method: "v1.compute.networkFirewallPolicies.removePacketMirroringRule", resourceName: policy, request: ["priority": 100]),
            GCP.entry(method: "v1.compute.forwardingRules.insert", resourceName: "projects/prod-net-4711/regions/us-central1/forwardingRules",
                      request: ["name": "ndr-collector", "isMirroringCollector": true, "IPAddress": "10.8.0.5", "loadBalancingScheme": "INTERNAL"]),
        ]
        let changes = readInput("fw.jsonl", CT.jsonLines(entries)).changes
        #expect(changes.map(\.action) == [.create, .modify, .delete, .create])
        #expect(changes[0].resourceId == policy + "/packetMirroringRules/100")
        #expect(changes[0].spec.destination?.id == "projects/prod-net-4711/locations/global/securityProfileGroups/ids-group")
        #expect(changes[0].spec.rules.first?.acceptsEverything == true)
        #expect(changes[1].spec.enabled == false)
        #expect(changes[3].resourceKind == .target)
        #expect(changes[3].resourceId == "projects/prod-net-4711/regions/us-central1/forwardingRules/ndr-collector")
        #expect(changes[3].spec.destination?.address == "10.8.0.5")
    }

    @Test func everyEnvelope() throws {
        let entries = GCP.insert("pm", collector: Self.collector, subnets: [Self.subnet])
        let shapes = [
            ("lines.jsonl", CT.jsonLines(entries)),
            ("array.json", CT.json(entries, pretty: true)),
            ("api.json", CT.json(["entries": entries])),
            ("single.json", CT.json(entries[0], pretty: true)),
            ("push.jsonl", CT.jsonLines(entries.map(GCP.pubSub))),
        ]
        for (name, text) in shapes {
            let result = readInput(name, text)
            #expect(result.report.format == "gcp-audit", "\(name)")
            #expect(result.changes.first?.resourceId == "projects/prod-net-4711/regions/us-central1/packetMirrorings/pm", "\(name)")
            #expect(result.report.skipped == 0, "\(name): \(result.report.issues)")
        }
    }

    @Test func brokenEntriesAndEnvelopesAreReported() throws {
        let good = GCP.insert("pm", collector: Self.collector)
        let text = CT.json(good[0]) + "\n{\"protoPayload\": {\"methodName\": \"v1.compute.packetMirrorings.insert\",\n"
            + CT.json(["message": ["data": "%%%not-base64%%%"], "subscription": "s"]) + "\n" + CT.json(good[1]) + "\n"
        let result = readInput("mixed.jsonl", text)
        #expect(result.changes.count == 2)
        #expect(result.report.issues.contains { $0.reason.contains("a mirroring change may be lost") && $0.position.contains("line 2") })
        #expect(result.report.issues.contains { $0.reason.contains("not valid base64") })
    }
}

/// Shapes found in review of real GCP and Azure records.
@Suite struct CloudFormatReviewTests {
    @Test func clientLibraryRequestsWrapTheResource() throws {
        let resource: [String: Any] = ["name": "pm-lib", "collectorIlb": ["url": GCP.url(GCP.path("forwardingRules", "c"))],
                                       "mirroredResources": ["subnetworks": [["url": GCP.url(GCP.path("subnetworks", "web"))]]],
                                       "filter": ["IPProtocols": ["tcp"], "cidrRanges": ["10.0.0.0/8"]]]
        let insert = GCP.entry(method: "google.cloud.compute.v1.PacketMirrorings.Insert", resourceName: GCP.path("packetMirrorings", "pm-lib"),
                               request: ["@type": "type.googleapis.com/google.cloud.compute.v1.InsertPacketMirroringRequest", "project": GCP.project,
                                         "region": GCP.region, "packetMirroringResource": resource])
        let collector = GCP.entry(method: "google.cloud.compute.v1.ForwardingRules.Insert", resourceName: "projects/\(GCP.project)/regions/\(GCP.region)/forwardingRules",
                                  request: ["project": GCP.project, "forwardingRuleResource": ["name": "c", "isMirroringCollector": true, "IPAddress": "10.8.0.7"]])
        let changes = readInput("lib.jsonl", CT.jsonLines([insert, collector])).changes
        #expect(changes.count == 2)
        #expect(changes[0].spec.destination?.id == GCP.path("forwardingRules", "c"))
        #expect(changes[0].spec.sources.map(\.id) == [GCP.path("subnetworks", "web")])
        #expect(changes[0].spec.rules.first?.proto == 6)
        #expect(changes[1].resourceKind == .target && changes[1].spec.destination?.address == "10.8.0.7")
    }

    @Test func firewallRuleWithoutPriorityAndDisabledPatch() throws {
        let policy = "projects/prod-net-4711/global/firewallPolicies/mirror-policy"
        let entries = [
            GCP.entry(method: "v1.compute.networkFirewallPolicies.patchPacketMirroringRule", resourceName: policy, request: ["disabled": true]),
            GCP.entry(method: "v1.compute.networkFirewallPolicies.patchPacketMirroringRule", resourceName: policy, request: ["description": "x"]),
            GCP.entry(method: "v1.compute.networkFirewallPolicies.addPacketMirroringRule", resourceName: policy,
                      request: ["priority": 5, "action": "mirror", "disabled": true]),
        ]
        let changes = readInput("fw.jsonl", CT.jsonLines(entries)).changes
        #expect(changes[0].resourceId == policy, "no priority: kept on the policy, not a made-up rule id")
        #expect(changes[0].spec.enabled == false)
        #expect(changes[1].spec.enabled == nil, "a patch that does not touch action or disabled leaves the rule as it was")
        #expect(changes[2].spec.enabled == false)
    }

    @Test func aCollectorInsertThatFailsLaterIsAFailure() async throws {
        let op = ("operation-77-fr", true, false)
        let first = GCP.entry(method: "v1.compute.forwardingRules.insert", resourceName: "projects/\(GCP.project)/regions/\(GCP.region)/forwardingRules",
                              request: ["name": "c2", "isMirroringCollector": true], operation: op)
        let last = GCP.entry(method: "v1.compute.forwardingRules.insert", resourceName: "projects/\(GCP.project)/regions/\(GCP.region)/forwardingRules",
                             status: (9, "backend service has no internal load balancing scheme"), operation: ("operation-77-fr", false, true))
        let lonelyLast = GCP.entry(method: "v1.compute.forwardingRules.insert", resourceName: "projects/\(GCP.project)/regions/\(GCP.region)/forwardingRules",
                                   operation: ("operation-78-other", false, true))
        let dir = TemporaryDirectory()
        dir.write("a.jsonl", CT.jsonLines([first, last, lonelyLast]))
        let result = await Scanner.scan(ScanOptions(paths: [dir.path], parallelism: 1))
        #expect(result.changes == 1, "the last entry of a non-collector forwarding rule is dropped")
        #expect(result.findings.contains { $0.rule == RuleID.denied && $0.why.contains("FAILED_PRECONDITION") })
    }

    @Test func upperCaseBrokenAzureRecordIsFlagged() throws {
        let text = #"{"records": [{"time": "2026-11-03T08:00:00Z", "operationName": "MICROSOFT.NETWORK/VIRTUALNETWORKTAPS/WRITE", "resourceId": "/SUBSCRIPTIONS/X", "properties": {"#
        let result = readInput("cut.json", text, as: .azureActivity)
        #expect(result.report.issues.contains { $0.reason.contains("a mirroring change may be lost") })
    }
}
