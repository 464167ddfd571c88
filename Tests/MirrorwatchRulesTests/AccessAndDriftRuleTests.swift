import Foundation
import Mirrorwatch
import MirrorwatchTestSupport
import Testing

/// `access.excessive` from IAM exports, through a whole scan.
@Suite struct AccessRuleTests {
    static let policy = """
    version: 1
    organization: {aws_accounts: ["111122223333"], gcp_projects: [shop]}
    authorized_identities: ["arn:aws:iam::111122223333:role/NetworkAdmin", "netops-*@example.com"]
    break_glass_identities: ["arn:aws:iam::111122223333:role/BreakGlass"]

    """

    @Test func principalsThatCanButAreNotAuthorizedAreExplained() async throws {
        var scenario = Scenario(policy: Self.policy)
        let ec2 = ["p": [["Effect": "Allow", "Action": "ec2:*", "Resource": "*"] as [String: Any]]]
        let deletes = ["p": [["Effect": "Allow", "Action": "ec2:Delete*", "Resource": "*"] as [String: Any]]]
        scenario.files["iam/111122223333/auth.json"] = IAMExportFixture.export(roles: [
            IAMExportFixture.role("NetworkAdmin", inline: ec2), IAMExportFixture.role("BreakGlass", inline: ec2),
            IAMExportFixture.role("DeployRole", inline: ec2, trust: "arn:aws:iam::111122223333:user/svc-jenkins"),
            IAMExportFixture.role("Cleanup", inline: deletes),
        ])
        scenario.files["iam/shop.iam-policy.json"] = """
        {"bindings": [{"role": "roles/compute.packetMirroringUser", "members": ["user:netops-alice@example.com", "allAuthenticatedUsers"]}]}
        """
        let result = try await scenario.runAll()
        let excessive = result.findings(RuleID.accessExcessive)
        #expect(Set(excessive.map { $0.actor?.name ?? "" }) == ["arn:aws:iam::111122223333:role/DeployRole", "arn:aws:iam::111122223333:role/Cleanup", "allauthenticatedusers"])
        let deploy = try #require(excessive.first { $0.actor?.name.hasSuffix("DeployRole") == true })
        #expect(deploy.severity == .medium)
        #expect(deploy.why.contains("can create or re-point mirroring"))
        #expect(deploy.why.contains("inline policy p"))
        #expect(deploy.why.contains("svc-jenkins"), "who can become it")
        #expect(deploy.benignIf.contains("authorized_identities"))
        #expect(deploy.evidence.first?.input.hasSuffix("auth.json") == true)
        #expect(deploy.evidence.first?.line != nil, "evidence points at the line of the role")
        #expect(deploy.change == nil)
        #expect(excessive.first { $0.actor?.name.hasSuffix("Cleanup") == true }?.severity == .low, "can only remove mirroring")
        #expect(excessive.first { $0.actor?.name == "allauthenticatedusers" }?.severity == .high, "a public member")
        #expect(result.access.count == 6)
    }
}

/// `baseline.drift` from live state on GCP and network devices.
@Suite struct DriftAcrossPlatformsTests {
    @Test func deviceSessionsAgainstTheBaseline() async throws {
        var scenario = Scenario(policy: """
        version: 1
        approved_destinations:
          - {name: tap port, device: core-sw1, interface: GigabitEthernet1/0/48, owner: netops, reason: NDR}
        approved_sessions:
          - {id: "core-sw1:monitor session 1", source: "core-sw1:GigabitEthernet1/0/1", target: "core-sw1:GigabitEthernet1/0/48", owner: netops}
          - {id: "core-sw1:monitor session 2", owner: netops}

        """)
        scenario.files["devices/2026-11-05/core-sw1.cfg"] = """
        hostname core-sw1
        !
        monitor session 1 source interface Gi1/0/1 both
        monitor session 1 destination interface Gi1/0/13
        monitor session 4 type erspan-source
         source interface Gi1/0/2
         destination
          ip address 203.0.113.50
        end

        """
        let result = try await scenario.runAll()
        let drift = result.findings(RuleID.drift)
        #expect(drift.contains { $0.title.contains("monitor session 1") && $0.why.contains("GigabitEthernet1/0/13") && $0.severity == .high }, "\(drift.map(\.title))")
        #expect(drift.contains { $0.title.contains("Unexpected live session") && $0.title.contains("session 4") })
        #expect(drift.contains { $0.title == "Approved session core-sw1:monitor session 2 is missing" }, "\(drift.map(\.title))")
    }

    @Test func gcpPolicyAgainstTheBaseline() async throws {
        let policyId = "projects/shop/regions/us-central1/packetMirrorings/pm-ndr"
        var scenario = Scenario(policy: """
        version: 1
        approved_sessions:
          - {id: \(policyId), owner: netsec}
          - {id: projects/shop/regions/us-central1/packetMirrorings/pm-gone, owner: netsec}

        """)
        scenario.files["gcp/packet-mirrorings.json"] = """
        [{"kind": "compute#packetMirroring", "name": "pm-ndr", "region": "https://www.googleapis.com/compute/v1/projects/shop/regions/us-central1",
          "selfLink": "https://www.googleapis.com/compute/v1/\(policyId)",
          "collectorIlb": {"url": "https://www.googleapis.com/compute/v1/projects/shop/regions/us-central1/forwardingRules/ndr"},
          "mirroredResources": {"subnetworks": [{"url": "https://www.googleapis.com/compute/v1/projects/shop/regions/us-central1/subnetworks/web"}]}},
         {"kind": "compute#packetMirroring", "name": "pm-new", "region": "https://www.googleapis.com/compute/v1/projects/shop/regions/us-central1",
          "selfLink": "https://www.googleapis.com/compute/v1/projects/shop/regions/us-central1/packetMirrorings/pm-new",
          "collectorIlb": {"url": "https://www.googleapis.com/compute/v1/projects/shop/regions/us-central1/forwardingRules/other"},
          "mirroredResources": {"instances": [{"url": "https://www.googleapis.com/compute/v1/projects/shop/zones/us-central1-a/instances/db"}]}}]
        """
        let result = try await scenario.runAll()
        let titles = result.findings(RuleID.drift).map(\.title)
        #expect(titles.contains { $0.contains("Unexpected live session") && $0.contains("pm-new") }, "\(titles)")
        #expect(titles.contains { $0.contains("pm-gone") && $0.contains("missing") })
        #expect(!titles.contains { $0.contains("pm-ndr") })
    }
}

/// Device local accounts come from each device's newest configuration only.
@Suite struct DeviceAccessRuleTests {
    @Test func newestSnapshotDecidesAndAuthorizedNamesAreQuiet() async throws {
        var scenario = Scenario(policy: "version: 1\nauthorized_identities: [\"netops-*\"]\n")
        scenario.files["devices/2026-11-01/core-sw1.cfg"] = "hostname core-sw1\nusername old-admin privilege 15 secret 9 <removed>\nusername netops-a privilege 15 secret 9 <removed>\nend\n"
        scenario.files["devices/2026-11-05/core-sw1.cfg"] = "hostname core-sw1\nusername rancid privilege 15 secret 9 <removed>\nusername netops-a privilege 15 secret 9 <removed>\nend\n"
        let result = try await scenario.runAll()
        let excessive = result.findings(RuleID.accessExcessive)
        #expect(excessive.map(\.title) == ["rancid on core-sw1 can configure SPAN/RSPAN/ERSPAN sessions but is not authorized"])
        #expect(excessive.first?.scope.device == "core-sw1")
        #expect(excessive.first?.platform == .ciscoIOS)
        #expect(excessive.first?.evidence.first?.input.contains("2026-11-05") == true)
        #expect(!result.access.contains { $0.principal.name == "old-admin" }, "removed since the older snapshot")
    }
}
