import Foundation
import Mirrorwatch
import MirrorwatchTestSupport
import Testing

typealias GCP = GCPAuditFixture
typealias AZ = AzureActivityFixture

/// The same rules on GCP Packet Mirroring and Azure virtual network TAP.
@Suite struct GCPRuleTests {
    static let policy = """
    version: 1
    organization: {gcp_projects: [prod-net-4711, sec-tools-0815], internal_cidrs: [10.0.0.0/8]}
    approved_destinations:
      - {name: NDR collector, ilb: "https://www.googleapis.com/compute/v1/projects/sec-tools-0815/regions/us-central1/forwardingRules/ndr-collector", owner: netsec, reason: NDR}
    sensitive_segments:
      - {name: payments, subnets: ["https://www.googleapis.com/compute/v1/projects/prod-net-4711/regions/us-central1/subnetworks/payments"]}
    authorized_identities: ["netops-*@example.com", "terraform@prod-net-4711.iam.gserviceaccount.com"]
    change_control: {require_ticket: false}
    transient_window: 1h

    """
    static let approved = GCP.path("forwardingRules", "ndr-collector", project: "sec-tools-0815")
    static let payments = GCP.path("subnetworks", "payments")

    func scan(_ entries: [[String: Any]], files: [String: String] = [:]) async throws -> ScanResult {
        var scenario = Scenario(policy: Self.policy)
        scenario.files["gcp/audit.jsonl"] = CT.jsonLines(entries)
        for (k, v) in files { scenario.files[k] = v }
        return try await scenario.runAll()
    }

    @Test func firstAndLastEntriesAreOneChangeAndOneFinding() async throws {
        let result = try await scan(GCP.insert("pm-ndr", collector: Self.approved, subnets: [Self.payments],
                                               filter: ["cidrRanges": ["10.20.0.0/16"], "IPProtocols": ["tcp"], "direction": "BOTH"],
                                               principal: "terraform@prod-net-4711.iam.gserviceaccount.com"))
        #expect(result.changes == 1)
        let observed = result.findings(RuleID.observed)
        #expect(observed.count == 1)
        #expect(observed.first?.evidence.count == 1)
        #expect(result.worst == .info, "\(result.findings.map { "\($0.rule) \($0.severity)" })")
        #expect(result.findings(RuleID.sensitiveSource).first?.severity == .info)
    }

    @Test func collectorInAnotherProjectIsExternalAndCritical() async throws {
        let foreign = GCP.path("forwardingRules", "grab", project: "vendor-tap-9")
        let result = try await scan(GCP.insert("pm-x", collector: foreign, subnets: [Self.payments], principal: "mallory@gmail.com"))
        let external = try #require(result.findings(RuleID.externalDestination).first)
        #expect(external.severity == .critical)
        #expect(external.destination?.endpoint.owner == "vendor-tap-9")
        #expect(external.why.contains("project vendor-tap-9"))
        #expect(result.findings(RuleID.unapprovedDestination).first?.severity == .critical)
        #expect(result.findings(RuleID.sensitiveSource).first?.source?.segment == "payments")
        #expect(result.findings(RuleID.unauthorizedActor).first?.actor?.name == "mallory@gmail.com")
        #expect(result.findings(RuleID.broadFilter).first?.severity == .high, "no filter: all traffic both ways")
    }

    @Test func patchingTheCollectorIsRepointing() async throws {
        let entries = GCP.insert("pm-ndr", collector: Self.approved, subnets: [Self.payments], filter: ["IPProtocols": ["tcp"], "cidrRanges": ["10.0.0.0/8"]],
                                 principal: "netops-alice@example.com")
            + GCP.patch("pm-ndr", request: ["collectorIlb": ["url": GCP.url(GCP.path("forwardingRules", "dbg"))]], principal: "netops-bob@example.com",
                        at: "2026-11-04T02:00:00Z")
        let result = try await scan(entries)
        let repointed = try #require(result.findings(RuleID.repointed).first)
        #expect(repointed.why.contains("from projects/sec-tools-0815/regions/us-central1/forwardingRules/ndr-collector"))
        #expect(repointed.severity == .critical, "payments traffic to an unapproved collector")
        #expect(result.changes == 2)
    }

    @Test func disabledPolicyCopiesNothing() async throws {
        let result = try await scan(GCP.insert("pm-off", collector: GCP.path("forwardingRules", "dbg"), subnets: [Self.payments], enable: "FALSE",
                                               principal: "netops-alice@example.com"))
        #expect(result.findings(RuleID.unapprovedDestination).isEmpty)
        #expect(result.findings(RuleID.observed).count == 1)
    }

    @Test func createThenDeleteIsTransient() async throws {
        let entries = GCP.insert("pm-quick", collector: GCP.path("forwardingRules", "dbg"), instances: ["projects/prod-net-4711/zones/us-central1-a/instances/db-1"],
                                 principal: "netops-alice@example.com")
            + GCP.delete("pm-quick", principal: "netops-alice@example.com", at: "2026-11-03T09:25:00Z", method: "google.cloud.compute.v1.PacketMirrorings.Delete")
        let transient = try #require(try await scan(entries).findings(RuleID.transient).first)
        #expect(transient.severity == .high)
        #expect(transient.title.contains("25m"))
    }

    @Test func deniedInsertIsProbing() async throws {
        let entry = GCP.entry(method: "v1.compute.packetMirrorings.insert", resourceName: GCP.path("packetMirrorings", "pm-x"), request: ["name": "pm-x"],
                              principal: "intruder@gmail.com", status: (7, "Required 'compute.packetMirrorings.create' permission"))
        let denied = try #require(try await scan([entry]).findings(RuleID.denied).first)
        #expect(denied.severity == .medium)
        #expect(denied.why.contains("PERMISSION_DENIED"))
    }

    /// GCP applies one matching policy per instance, the lowest priority number first: a policy with
    /// a lower number on the approved policy's instance takes its traffic.
    @Test func aLowerPriorityNumberTakesTheApprovedPolicysInstance() async throws {
        let db = GCP.path("instances", "db-1")
        let rogue = GCP.path("forwardingRules", "dbg", project: "prod-net-4711")
        // Created without a priority (gcloud has no flag for it): GCP gives it 1000.
        let approvedPolicy = GCP.insert("pm-ndr", collector: Self.approved, instances: [db], principal: "netops-alice@example.com", at: "2026-11-03T09:00:00Z", priority: nil)
        func scan(priority: Int) async throws -> ScanResult {
            try await self.scan(approvedPolicy + GCP.insert("pm-first", collector: rogue, instances: [db], principal: "mallory@gmail.com",
                                                           at: "2026-11-03T10:00:00Z", done: "2026-11-03T10:00:20Z", priority: priority))
        }
        let first = try await scan(priority: 10)
        let stolen = try #require(first.findings(RuleID.repointed).first { $0.title.contains("goes before approved") })
        #expect(stolen.title == "Session pm-first (priority 10) goes before approved pm-ndr on db-1", "\(stolen.title)")
        #expect(stolen.why.contains("GCP applies, per instance, one matching packet mirroring policy") && stolen.why.contains("pm-ndr (priority 1000, to approved"), "\(stolen.why)")
        #expect(stolen.platform == .gcp)
        // A higher number, or the same (the order between equals is not documented), leaves the approved policy first.
        #expect(try await scan(priority: 1000).findings(RuleID.repointed).filter { $0.title.contains("goes before") }.isEmpty)
        #expect(try await scan(priority: 2000).findings(RuleID.repointed).filter { $0.title.contains("goes before") }.isEmpty)
        // Created switched off, then switched on: it goes before the approved policy from then on.
        let dormant = approvedPolicy + GCP.insert("pm-first", collector: rogue, instances: [db], enable: "FALSE", principal: "mallory@gmail.com",
                                                  at: "2026-11-03T10:00:00Z", done: "2026-11-03T10:00:20Z", priority: 10)
        let woken = try await self.scan(dormant + GCP.patch("pm-first", request: ["enable": "TRUE"], principal: "mallory@gmail.com", at: "2026-11-03T11:00:00Z"))
        #expect(woken.findings(RuleID.repointed).contains { $0.title.contains("goes before approved pm-ndr") && $0.change?.action == .modify })
        let policyId = try #require(woken.graph.sessions.keys.first { $0.hasSuffix("/pm-first") })
        #expect(woken.graph.sessions[policyId]?.sessionNumber == 10, "a patch without a priority keeps it")
        // The same tag in another project is another network's policy: no order between them.
        let tagged = GCP.insert("pm-ndr", collector: Self.approved, tags: ["web"], principal: "netops-alice@example.com", at: "2026-11-03T09:00:00Z")
            + GCP.insert("pm-other", collector: GCP.path("forwardingRules", "col", project: "sec-tools-0815"), tags: ["web"], principal: "netops-alice@example.com",
                         at: "2026-11-03T10:00:00Z", done: "2026-11-03T10:00:20Z", project: "sec-tools-0815", priority: 10)
        #expect(try await self.scan(tagged).findings(RuleID.repointed).filter { $0.title.contains("goes before") }.isEmpty)
    }

    /// A GCP collector is an internal load balancer: the instances of its backend service's instance
    /// groups receive the packets, and one added to them is a destination like any other.
    @Test func anInstanceAddedBehindTheApprovedCollectorIsAnUnapprovedDestination() async throws {
        let service = GCP.path("backendServices", "ndr-collector-bs", project: "sec-tools-0815")
        let group = "projects/sec-tools-0815/zones/us-central1-a/instanceGroups/ndr-sensors"
        let snapshot = #"[{"collectorIlb": {"url": ""# + GCP.url(Self.approved) + #""}, "enable": "TRUE", "kind": "compute#packetMirroring", "mirroredResources": {"subnetworks": [{"url": ""# + GCP.url(Self.payments) + #""}]}, "name": "pm-ndr", "selfLink": ""# + GCP.url(GCP.path("packetMirrorings", "pm-ndr")) + #""}]"#
        let rules = #"[{"IPAddress": "10.99.0.5", "isMirroringCollector": true, "kind": "compute#forwardingRule", "loadBalancingScheme": "INTERNAL", "backendService": ""# + GCP.url(service) + #"", "selfLink": ""# + GCP.url(Self.approved) + #""}]"#
        let services = #"[{"kind": "compute#backendService", "name": "ndr-collector-bs", "backends": [{"group": ""# + GCP.url(group) + #"", "balancingMode": "CONNECTION"}], "selfLink": ""# + GCP.url(service) + #""}]"#
        let add = GCP.entry(method: "v1.compute.instanceGroups.addInstances", resourceName: group,
                            request: ["@type": "type.googleapis.com/compute.instanceGroups.addInstances",
                                      "instances": [["instance": GCP.url("projects/sec-tools-0815/zones/us-central1-a/instances/capture-1")]]],
                            principal: "intern@example.com", at: "2026-11-03T12:00:00Z", project: "sec-tools-0815")
        let files = ["snapshots/gcp/pm.json": snapshot, "snapshots/gcp/fr.json": rules, "snapshots/gcp/bs.json": services]
        let result = try await scan([add], files: files)
        let finding = try #require(result.findings(RuleID.unapprovedDestination).first { $0.why.contains("addInstances") }, "\(result.findings.map(\.title))")
        #expect(finding.platform == .gcp && finding.severity == .critical, "the policy copies the payments subnet")
        #expect(finding.destination?.endpoint.id == "projects/sec-tools-0815/zones/us-central1-a/instances/capture-1")
        #expect(finding.why.contains("is now a member of target group \(group), which \(Self.approved) forwards to"), "\(finding.why)")
        #expect(result.findings(RuleID.unauthorizedActor).contains { $0.why.contains("addInstances") })
        // The backend service pointed at another group in the logs: its instances (added earlier) receive the packets.
        let other = "projects/sec-tools-0815/zones/us-central1-a/instanceGroups/capture"
        let filled = GCP.entry(method: "v1.compute.instanceGroups.addInstances", resourceName: other,
                               request: ["instances": [["instance": GCP.url("projects/sec-tools-0815/zones/us-central1-a/instances/capture-2")]]],
                               principal: "intern@example.com", at: "2026-11-03T12:00:00Z", project: "sec-tools-0815")
        let patch = GCP.entry(method: "v1.compute.regionBackendServices.patch", resourceName: service,
                              request: ["backends": [["group": GCP.url(other)]]], principal: "intern@example.com", at: "2026-11-03T12:05:00Z", project: "sec-tools-0815")
        let moved = try await scan([filled, patch], files: files)
        let receiver = try #require(moved.findings(RuleID.unapprovedDestination).first { $0.why.contains("regionBackendServices.patch") })
        #expect(receiver.destination?.endpoint.id == "projects/sec-tools-0815/zones/us-central1-a/instances/capture-2", "\(receiver.why)")
        // An instance added to a group no collector forwards to: nothing.
        let elsewhere = GCP.entry(method: "v1.compute.instanceGroups.addInstances", resourceName: "projects/prod-net-4711/zones/us-central1-a/instanceGroups/web",
                                  request: ["instances": [["instance": GCP.url("projects/prod-net-4711/zones/us-central1-a/instances/web-9")]]], at: "2026-11-03T12:00:00Z")
        #expect(try await scan([elsewhere], files: files).findings.filter { $0.why.contains("addInstances") }.isEmpty)
    }

    /// Long-running operations log a first entry (the request) and a last one (no request): the last one
    /// changes nothing, and a failed operation changed nothing; a backend service known before any collector
    /// names it counts once one does; only a collector's forwarding rule links a backend service.
    @Test func collectorOperationsAreReadAsOneAndFailuresChangeNothing() async throws {
        let service = GCP.path("backendServices", "ndr-collector-bs", project: "sec-tools-0815")
        let group = "projects/sec-tools-0815/zones/us-central1-a/instanceGroups/ndr-sensors"
        let snapshot = #"[{"collectorIlb": {"url": ""# + GCP.url(Self.approved) + #""}, "enable": "TRUE", "kind": "compute#packetMirroring", "mirroredResources": {"subnetworks": [{"url": ""# + GCP.url(Self.payments) + #""}]}, "name": "pm-ndr", "selfLink": ""# + GCP.url(GCP.path("packetMirrorings", "pm-ndr")) + #""}]"#
        let rules = #"[{"IPAddress": "10.99.0.5", "isMirroringCollector": true, "kind": "compute#forwardingRule", "loadBalancingScheme": "INTERNAL", "backendService": ""# + GCP.url(service) + #"", "selfLink": ""# + GCP.url(Self.approved) + #""}, {"IPAddress": "10.99.0.6", "kind": "compute#forwardingRule", "loadBalancingScheme": "INTERNAL", "backendService": ""# + GCP.url(service) + #"", "selfLink": ""# + GCP.url(GCP.path("forwardingRules", "web-ilb", project: "sec-tools-0815")) + #""}]"#
        let services = #"[{"kind": "compute#backendService", "backends": [{"group": ""# + GCP.url(group) + #""}], "selfLink": ""# + GCP.url(service) + #""}]"#
        let files = ["snapshots/gcp/pm.json": snapshot, "snapshots/gcp/fr.json": rules, "snapshots/gcp/bs.json": services]
        func add(_ instance: String, at time: String, status: (Int, String)? = nil, operation: String) -> [[String: Any]] {
            [GCP.entry(method: "v1.compute.instanceGroups.addInstances", resourceName: group,
                       request: ["instances": [["instance": GCP.url("projects/sec-tools-0815/zones/us-central1-a/instances/" + instance)]]],
                       principal: "intern@example.com", at: time, operation: (operation, true, false), project: "sec-tools-0815"),
             GCP.entry(method: "v1.compute.instanceGroups.addInstances", resourceName: group, principal: "intern@example.com", at: time, status: status,
                       operation: (operation, false, true), project: "sec-tools-0815")]
        }
        // A successful operation: one finding, the last entry changes nothing (the ordinary rule on the same service changes nothing either).
        let done = try await scan(add("capture-1", at: "2026-11-03T12:00:00Z", operation: "op-1"), files: files)
        #expect(done.findings(RuleID.unapprovedDestination).filter { $0.why.contains("addInstances") }.count == 1, "\(done.findings.map(\.title))")
        // A failed one: probing, nothing added.
        let failed = try await scan(add("capture-2", at: "2026-11-03T12:00:00Z", status: (7, "Required 'compute.instanceGroups.update' permission"), operation: "op-2"),
                                    files: files)
        #expect(failed.findings(RuleID.unapprovedDestination).isEmpty)
        #expect(failed.findings(RuleID.denied).contains { $0.title.contains("addInstances") }, "\(failed.findings.map(\.title))")
        // The backend service's groups logged before any collector names it; the collector inserted later:
        // its members are judged when a policy starts sending there (once).
        let other = "projects/sec-tools-0815/zones/us-central1-a/instanceGroups/capture"
        let late = GCP.path("forwardingRules", "late-collector", project: "sec-tools-0815")
        let bs2 = GCP.path("backendServices", "late-bs", project: "sec-tools-0815")
        let entries: [[String: Any]] = [
            GCP.entry(method: "v1.compute.instanceGroups.addInstances", resourceName: other,
                      request: ["instances": [["instance": GCP.url("projects/sec-tools-0815/zones/us-central1-a/instances/capture-3")]]],
                      principal: "intern@example.com", at: "2026-11-03T08:00:00Z", project: "sec-tools-0815"),
            GCP.entry(method: "v1.compute.regionBackendServices.insert", resourceName: bs2, request: ["name": "late-bs", "backends": [["group": GCP.url(other)]]],
                      principal: "intern@example.com", at: "2026-11-03T08:10:00Z", project: "sec-tools-0815"),
            GCP.entry(method: "v1.compute.forwardingRules.insert", resourceName: late,
                      request: ["name": "late-collector", "isMirroringCollector": true, "backendService": GCP.url(bs2)],
                      principal: "intern@example.com", at: "2026-11-03T08:20:00Z", project: "sec-tools-0815"),
        ] + GCP.insert("pm-late", collector: late, subnets: [Self.payments], principal: "intern@example.com", at: "2026-11-03T09:00:00Z")
        let attached = try await scan(entries)
        let member = attached.findings(RuleID.unapprovedDestination).filter { $0.destination?.endpoint.id.hasSuffix("instances/capture-3") == true }
        #expect(member.count == 1, "\(attached.findings(RuleID.unapprovedDestination).map(\.why))")
    }

    @Test func liveSnapshotPolicyResolvesItsCollector() async throws {
        let snapshot = """
        [{"collectorIlb": {"url": "https://www.googleapis.com/compute/v1/projects/prod-net-4711/regions/us-central1/forwardingRules/dbg"}, "enable": "TRUE",
          "kind": "compute#packetMirroring", "mirroredResources": {"instances": [{"url": "https://www.googleapis.com/compute/v1/projects/prod-net-4711/zones/us-central1-a/instances/db-1"}]},
          "name": "pm-old", "selfLink": "https://www.googleapis.com/compute/v1/projects/prod-net-4711/regions/us-central1/packetMirrorings/pm-old"}]
        """
        let rules = #"[{"IPAddress": "10.8.0.9", "isMirroringCollector": true, "kind": "compute#forwardingRule", "loadBalancingScheme": "INTERNAL", "selfLink": "https://www.googleapis.com/compute/v1/projects/prod-net-4711/regions/us-central1/forwardingRules/dbg"}]"#
        let instances = #"[{"kind": "compute#instance", "machineType": "e2", "networkInterfaces": [{"networkIP": "10.20.1.5", "subnetwork": "projects/prod-net-4711/regions/us-central1/subnetworks/payments"}], "selfLink": "https://www.googleapis.com/compute/v1/projects/prod-net-4711/zones/us-central1-a/instances/db-1"}]"#
        let result = try await scan([], files: ["snapshots/gcp/pm.json": snapshot, "snapshots/gcp/fr.json": rules, "snapshots/gcp/vm.json": instances])
        let finding = try #require(result.findings(RuleID.unapprovedDestination).first)
        #expect(finding.destination?.endpoint.address == "10.8.0.9")
        #expect(finding.severity == .critical, "the instance sits in the payments subnet")
        #expect(finding.platform == .gcp)
    }
}

@Suite struct AzureRuleTests {
    static let policy = """
    version: 1
    organization: {azure_subscriptions: ["\(AZ.subscription)"], internal_cidrs: [10.0.0.0/8]}
    approved_destinations:
      - {name: NDR sensor, azure_destination: "\(AZ.ipConfig("nic-ndr-sensor").uppercased())", owner: netsec, reason: NDR}
    sensitive_segments:
      - {name: pci, tags: {DataClass: pci}}
    authorized_identities: ["alice@contoso.com"]
    change_control: {require_ticket: false}
    transient_window: 1h

    """
    static let nics = """
    [{"id": "\(AZ.nic("nic-web-1"))", "ipConfigurations": [{"id": "\(AZ.ipConfig("nic-web-1"))", "privateIpAddress": "10.30.0.7"}], "name": "nic-web-1",
      "tags": {"DataClass": "pci"}, "tapConfigurations": [], "type": "Microsoft.Network/networkInterfaces"},
     {"id": "\(AZ.nic("nic-web-2"))", "ipConfigurations": [{"id": "\(AZ.ipConfig("nic-web-2"))", "privateIpAddress": "10.30.0.8"}], "name": "nic-web-2",
      "tapConfigurations": [], "type": "Microsoft.Network/networkInterfaces"}]
    """

    func scan(_ records: [[String: Any]], files: [String: String] = [:]) async throws -> ScanResult {
        var scenario = Scenario(policy: Self.policy)
        scenario.files["azure/PT1H.json"] = CT.json(["records": records])
        for (k, v) in files { scenario.files[k] = v }
        return try await scenario.runAll()
    }

    var setup: [[String: Any]] {
        AZ.writeTap("tap-ndr", destination: AZ.ipConfig("nic-ndr-sensor"), at: "2026-11-03T09:00:00Z")
            + AZ.attach("nic-web-1", config: "cfg1", tap: "tap-ndr", at: "2026-11-03T09:05:00Z")
            + AZ.attach("nic-web-2", config: "cfg1", tap: "tap-ndr", at: "2026-11-03T09:06:00Z")
    }

    @Test func approvedRolloutIsInfoAndEachOperationIsOneChange() async throws {
        let result = try await scan(setup, files: ["snapshots/azure/nics.json": Self.nics])
        #expect(result.changes == 3, "Start, Accept and Success records of one operation are one change")
        #expect(result.findings(RuleID.observed).count == 3)
        #expect(result.worst == .info, "\(result.findings.map { "\($0.rule) \($0.severity) \($0.title)" })")
        #expect(result.findings(RuleID.sensitiveSource).first?.source?.segment == "pci")
    }

    @Test func repointingATapRepointsEveryAttachedSource() async throws {
        let records = setup + AZ.writeTap("tap-ndr", destination: AZ.ipConfig("nic-dev-box"), caller: "mallory@contoso.com", at: "2026-11-05T01:00:00Z", created: false)
        let result = try await scan(records, files: ["snapshots/azure/nics.json": Self.nics])
        let repointed = try #require(result.findings(RuleID.repointed).first)
        #expect(repointed.title.contains("TAP tap-ndr re-pointed: 2 source(s)"))
        #expect(repointed.why.contains("nic-web-1") && repointed.why.contains("nic-web-2"))
        #expect(repointed.severity == .critical, "a pci NIC now copied to an unapproved destination")
        #expect(repointed.change?.action == .modify)
        let unapproved = try #require(result.findings(RuleID.unapprovedDestination).last)
        #expect(unapproved.change?.operation == "Microsoft.Network/virtualNetworkTaps/write")
        #expect(result.findings(RuleID.unauthorizedActor).first?.actor?.name == "mallory@contoso.com")
    }

    @Test func destinationInAnotherSubscriptionIsExternal() async throws {
        let foreign = AZ.ipConfig("nic-collector", subscription: "0badf00d-0000-4000-8000-999999999999")
        let records = AZ.writeTap("tap-x", destination: foreign, at: "2026-11-03T09:00:00Z")
            + AZ.attach("nic-web-1", config: "cfg9", tap: "tap-x", at: "2026-11-03T09:05:00Z")
        let external = try #require(try await scan(records).findings(RuleID.externalDestination).first)
        #expect(external.severity == .critical)
        #expect(external.destination?.endpoint.owner == "0badf00d-0000-4000-8000-999999999999")
        #expect(external.why.contains("subscription 0badf00d"))
    }

    @Test func failedWriteIsDenied() async throws {
        let record = AZ.record("Microsoft.Network/virtualNetworkTaps/write", resourceId: AZ.tap("evil"), status: "Failure", caller: "mallory@contoso.com",
                               at: "2026-11-03T09:00:00Z", correlation: "c-9", failure: ("Forbidden", "AuthorizationFailed"))
        let denied = try #require(try await scan([record]).findings(RuleID.denied).first)
        #expect(denied.severity == .medium)
    }

    @Test func attachAndDetachWithinTheWindowIsTransient() async throws {
        let records = setup + AZ.delete("Microsoft.Network/networkInterfaces/tapConfigurations/delete", resourceId: AZ.tapConfiguration("nic-web-1", "cfg1"),
                                        at: "2026-11-03T09:30:00Z")
        let transient = try #require(try await scan(records).findings(RuleID.transient).first)
        // Attached and detached by the same authorized identity to the approved TAP, no ticket read: medium, saying why.
        #expect(transient.severity == .medium)
        #expect(transient.why.contains("Lowered to medium: created and deleted by the same authorized identity"))
    }

    @Test func snapshotOnlyTapResolvesThroughMixedCaseIds() async throws {
        let taps = """
        [{"destinationNetworkInterfaceIpConfiguration": {"id": "\(AZ.ipConfig("nic-dev-box").uppercased())"}, "id": "\(AZ.tap("tap-old"))",
          "name": "tap-old", "networkInterfaceTapConfigurations": [{"id": "\(AZ.tapConfiguration("nic-web-1", "cfg-old").uppercased())"}],
          "type": "Microsoft.Network/virtualNetworkTaps"}]
        """
        let result = try await scan([], files: ["snapshots/azure/taps.json": taps, "snapshots/azure/nics.json": Self.nics])
        let finding = try #require(result.findings(RuleID.unapprovedDestination).first)
        #expect(finding.severity == .critical)
        #expect(finding.source?.endpoint.id == AZ.nic("nic-web-1").lowercased())
        #expect(finding.platform == .azure)
    }
}

@Suite struct CloudStateReviewTests {
    @Test func anAzureWriteEndingWithOKOnAnUnknownTapIsACreate() async throws {
        var records = AZ.writeTap("tap-new", destination: AZ.ipConfig("nic-ndr-sensor"), at: "2026-11-03T09:00:00Z", created: false)
        records[1]["properties"] = (records[1]["properties"] as? [String: Any] ?? [:]).merging(["statusCode": "OK"]) { $1 }
        var scenario = Scenario(policy: AzureRuleTests.policy)
        scenario.files["azure/a.json"] = CT.json(["records": records])
        let observed = try await scenario.runAll().findings(RuleID.observed)
        #expect(observed.first?.change?.action == .create)
    }

    @Test func nicListDoesNotEraseTheTapLinkLearnedFromTheTapList() async throws {
        let taps = """
        [{"destinationNetworkInterfaceIpConfiguration": {"id": "\(AZ.ipConfig("nic-dev"))"}, "id": "\(AZ.tap("tap-old"))", "name": "tap-old",
          "networkInterfaceTapConfigurations": [{"id": "\(AZ.tapConfiguration("nic-web-1", "cfg"))"}], "type": "Microsoft.Network/virtualNetworkTaps"}]
        """
        let nics = """
        [{"id": "\(AZ.nic("nic-web-1"))", "ipConfigurations": [], "name": "nic-web-1", "tapConfigurations": [{"id": "\(AZ.tapConfiguration("nic-web-1", "cfg"))"}],
          "type": "Microsoft.Network/networkInterfaces"}]
        """
        var scenario = Scenario(policy: AzureRuleTests.policy)
        scenario.files["snapshots/1-taps.json"] = taps
        scenario.files["snapshots/2-nics.json"] = nics
        let result = try await scenario.runAll()
        let session = try #require(result.graph.sessions[AZ.tapConfiguration("nic-web-1", "cfg").lowercased()])
        #expect(session.targetRef == AZ.tap("tap-old").lowercased())
        #expect(!result.findings(RuleID.unapprovedDestination).isEmpty)
    }

    @Test func approvedGCPSessionIsNotMissingBecauseOfAnAWSList() async throws {
        var scenario = Scenario(policy: Scenario.basePolicy + """
        approved_sessions:
          - {id: projects/prod-net-4711/regions/us-central1/packetMirrorings/pm-ndr, owner: netsec}

        """)
        scenario.files["snapshots/111122223333/us-east-1/describe-traffic-mirror-sessions.json"] = #"{"TrafficMirrorSessions": []}"#
        #expect(try await scenario.runAll().findings(RuleID.drift).isEmpty)
    }
}
