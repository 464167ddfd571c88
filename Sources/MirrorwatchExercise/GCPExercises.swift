import Mirrorwatch

/// GCP Packet Mirroring scenarios as Cloud Audit Log entries (JSON lines, as a storage sink
/// writes them), with a `gcloud` snapshot where a scenario starts from live state.
enum GCPExercises {
    typealias G = GCPAuditEntries

    static func scenarios(_ setup: ExerciseSetup) -> [ExerciseScenario] {
        let project = setup.gcpProject
        let web = G.path("subnetworks", "web", project: project), rogue = G.path("forwardingRules", "dbg-collector", project: project)
        let tcp: [String: Any] = ["cidrRanges": ["10.40.0.0/16"], "IPProtocols": ["tcp"], "direction": "BOTH"]
        func audit(_ entries: [[String: Any]]) -> [String: String] {
            ["gcp/cloudaudit.googleapis.com/activity/2026/11/03/10:00:00_10:59:59_S0.json": CloudTrailRecords.jsonLines(entries)]
        }
        func s(_ name: String, _ kind: ExerciseScenario.Kind, _ title: String, rules: [String] = [], files: [String: String]) -> ExerciseScenario {
            ExerciseScenario(id: "gcp.\(name)", platform: .gcp, kind: kind, title: title, expectedRules: rules, files: files)
        }
        let live = ["snapshots/gcp/packet-mirrorings.json": CloudTrailRecords.json([[
            "kind": "compute#packetMirroring", "name": "pm-ndr", "region": G.url("projects/\(project)/regions/\(G.region)"),
            "selfLink": G.url(G.path("packetMirrorings", "pm-ndr", project: project)), "collectorIlb": ["url": G.url(setup.gcpApprovedCollector)],
            "mirroredResources": ["subnetworks": [["url": G.url(web)]]], "filter": tcp, "enable": "TRUE",
        ] as [String: Any]], pretty: true)]
        // The approved collector's backend service and its instance group, as `gcloud` lists them.
        let collectorProject = ResourceRef.owner(of: setup.gcpApprovedCollector) ?? project
        let collectorRegion = GCPAuditEntries.region
        let backend = G.path("backendServices", "ndr-collector-bs", project: collectorProject, region: collectorRegion)
        let sensors = "projects/\(collectorProject)/zones/\(collectorRegion)-a/instanceGroups/ndr-sensors"
        let collectorChain = [
            "snapshots/gcp/forwarding-rules.json": CloudTrailRecords.json([[
                "kind": "compute#forwardingRule", "name": "ndr-collector", "selfLink": G.url(setup.gcpApprovedCollector), "IPAddress": "10.99.0.5",
                "isMirroringCollector": true, "loadBalancingScheme": "INTERNAL", "backendService": G.url(backend)] as [String: Any]], pretty: true),
            "snapshots/gcp/backend-services.json": CloudTrailRecords.json([[
                "kind": "compute#backendService", "name": "ndr-collector-bs", "selfLink": G.url(backend),
                "backends": [["group": G.url(sensors), "balancingMode": "CONNECTION"]]] as [String: Any]], pretty: true),
        ]
        let ticket = "number,state,start_date,end_date,assigned_to,short_description,u_affected_resources\n"
            + "CHG-EX-2,Implement,2026-11-03 09:00:00,2026-11-03 12:00:00,\(setup.gcpAuthorizedPrincipal),Packet mirroring to the NDR collector,pm-rollout\n"
        return [
            s("sensitive-to-external", .attack, "An outside account mirrors the payments subnet to a collector in another project",
              rules: [RuleID.externalDestination, RuleID.unapprovedDestination, RuleID.sensitiveSource],
              files: audit(G.insert("pm-exfil", collector: "projects/ext-attacker-99/regions/us-central1/forwardingRules/collector", subnets: [setup.gcpSensitiveSubnet],
                                    principal: "attacker.ops@gmail.com", at: "2026-11-03T10:00:00Z", done: "2026-11-03T10:00:20Z", project: project))),
            s("repoint-approved-policy", .attack, "The approved policy is patched to a debug collector",
              rules: [RuleID.repointed],
              files: live.merging(audit(G.patch("pm-ndr", request: ["collectorIlb": ["url": G.url(rogue)]], principal: "attacker.ops@gmail.com", at: "2026-11-03T10:05:00Z", project: project))) { a, _ in a }),
            s("instance-behind-approved-collector", .attack, "An instance joins the instance group behind the approved collector",
              rules: [RuleID.unapprovedDestination, RuleID.unauthorizedActor],
              files: live.merging(collectorChain) { a, _ in a }.merging(audit([G.entry(
                  method: "v1.compute.instanceGroups.addInstances", resourceName: sensors,
                  request: ["instances": [["instance": G.url("projects/\(collectorProject)/zones/\(collectorRegion)-a/instances/capture-1")]]],
                  principal: "attacker.ops@gmail.com", at: "2026-11-03T10:05:00Z", project: collectorProject)])) { a, _ in a }),
            s("create-then-delete", .attack, "A policy to an unapproved collector lives fifteen minutes",
              rules: [RuleID.transient],
              files: audit(G.insert("pm-short", collector: rogue, subnets: [web], filter: tcp, principal: "ci-runner@\(project).iam.gserviceaccount.com",
                                    at: "2026-11-03T10:00:00Z", done: "2026-11-03T10:00:20Z", project: project)
                           + G.delete("pm-short", principal: "ci-runner@\(project).iam.gserviceaccount.com", at: "2026-11-03T10:15:00Z", project: project))),
            s("broad-filter", .attack, "A policy with no filter copies all traffic",
              rules: [RuleID.broadFilter],
              files: audit(G.insert("pm-all", collector: rogue, subnets: [web], principal: "ci-runner@\(project).iam.gserviceaccount.com",
                                    at: "2026-11-03T10:00:00Z", done: "2026-11-03T10:00:20Z", project: project))),
            s("failed-probing", .attack, "An intern's insert is denied",
              rules: [RuleID.denied],
              files: audit([G.entry(method: "v1.compute.packetMirrorings.insert", resourceName: G.path("packetMirrorings", "pm-try", project: project),
                                    request: ["name": "pm-try", "collectorIlb": ["url": G.url(rogue)]], principal: "intern@example.com",
                                    at: "2026-11-03T10:00:00Z", status: (7, "Required 'compute.packetMirrorings.create' permission"), project: project)])),
            s("logging-off-first", .attack, "The log sink to the SIEM is deleted",
              rules: [RuleID.loggingTampered],
              files: audit([G.entry(method: "google.logging.v2.ConfigServiceV2.DeleteSink", resourceName: "projects/\(project)/sinks/to-siem",
                                    principal: "attacker.ops@gmail.com", at: "2026-11-03T09:58:00Z", project: project)])),
            s("unusual-identity-no-ticket", .attack, "A contractor creates a policy without a ticket",
              rules: [RuleID.unauthorizedActor, RuleID.noTicket],
              files: audit(G.insert("pm-contract", collector: setup.gcpApprovedCollector, subnets: [web], filter: tcp, principal: "contractor@example.com",
                                    at: "2026-11-03T10:00:00Z", done: "2026-11-03T10:00:20Z", project: project))),
            s("approved-rollout", .benign, "The network team creates the approved policy under a ticket",
              files: audit(G.insert("pm-rollout", collector: setup.gcpApprovedCollector, subnets: [web], filter: tcp, principal: setup.gcpAuthorizedPrincipal,
                                    at: "2026-11-03T09:30:00Z", done: "2026-11-03T09:30:20Z", project: project)).merging(["tickets/change_request.csv": ticket]) { a, _ in a }),
            s("read-only", .benign, "Policies are listed and read",
              // Reads are Data Access audit logs.
              files: ["gcp/cloudaudit.googleapis.com/data_access/2026/11/03/09:00:00_09:59:59_S0.json": CloudTrailRecords.jsonLines([
                  G.entry(method: "v1.compute.packetMirrorings.list", resourceName: "projects/\(project)/regions/\(G.region)", at: "2026-11-03T09:50:00Z", project: project, log: "data_access"),
                  G.entry(method: "v1.compute.packetMirrorings.get", resourceName: G.path("packetMirrorings", "pm-ndr", project: project), at: "2026-11-03T09:51:00Z",
                          project: project, log: "data_access")])]),
        ]
    }

    static func background(count: Int, project: String, random: inout ExerciseRandom) -> [String: String] {
        guard count > 0 else { return [:] }
        let methods = ["v1.compute.instances.start", "v1.compute.instances.stop", "v1.compute.firewalls.patch", "v1.compute.disks.createSnapshot",
                       "google.iam.admin.v1.CreateServiceAccountKey", "v1.compute.instances.setMetadata"]
        let entries = (0..<count).map { _ -> [String: Any] in
            var entry = G.entry(method: random.pick(methods), resourceName: "projects/\(project)/zones/us-central1-a/instances/vm-\(random.below(40))",
                                principal: "ops-\(random.below(6))@example.com", at: String(format: "2026-11-03T%02d:%02d:%02dZ", 8 + random.below(8), random.below(60), random.below(60)),
                                project: project)
            entry["insertId"] = String(random.uuid().prefix(13))
            return entry
        }
        return ["gcp/cloudaudit.googleapis.com/activity/2026/11/03/08:00:00_08:59:59_S0.json": CloudTrailRecords.jsonLines(entries)]
    }
}
