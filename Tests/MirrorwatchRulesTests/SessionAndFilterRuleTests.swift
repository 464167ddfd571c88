import Foundation
import Mirrorwatch
import MirrorwatchTestSupport
import Testing

@Suite struct SessionAndFilterRuleTests {
    @Test func repointingAnApprovedSessionToAnUnapprovedTarget() async throws {
        let records = Chain.setup(source: "eni-pci") + [
            CT.createTarget("tmt-evil", eni: "eni-evil", at: "2026-11-05T02:00:00Z", by: Chain.intruder),
            CT.modifySession("tms-1", target: "tmt-evil", at: "2026-11-05T02:01:00Z", by: Chain.intruder),
        ]
        let result = try await Scenario(records).run()
        let repointed = try #require(result.findings(RuleID.repointed).first)
        #expect(repointed.severity == .critical)
        #expect(repointed.why.contains("from tmt-ok to tmt-evil"))
        #expect(result.findings(RuleID.unapprovedDestination).last?.change?.operation == "ModifyTrafficMirrorSession")
        #expect(result.graph.sessions["tms-1"]?.targetRef == "tmt-evil")
    }

    @Test func modifyingOnlyTheDescriptionIsNotRepointing() async throws {
        let records = Chain.setup() + [CT.modifySession("tms-1", description: "web tier", at: "2026-11-03T09:30:00Z")]
        let result = try await Scenario(records).run()
        #expect(result.findings(RuleID.repointed).isEmpty)
        #expect(result.findings(RuleID.observed).count == 5)
    }

    @Test func filterSwapIsReported() async throws {
        let records = Chain.setup() + [CT.createFilter("tmf-new", at: "2026-11-03T09:30:00Z"),
                                       CT.modifySession("tms-1", filter: "tmf-new", at: "2026-11-03T09:31:00Z")]
        let finding = try #require(try await Scenario(records).run().findings(RuleID.repointed).first)
        #expect(finding.title.contains("now uses filter tmf-new"))
    }

    @Test func catchAllRuleIsBroadAndNarrowRuleIsNot() async throws {
        let broad = CT.createRule("tmfr-1", filter: "tmf-tms-1")
        let result = try await Scenario(Chain.setup(filterRule: broad)).run()
        let finding = try #require(result.findings(RuleID.broadFilter).first)
        #expect(finding.severity == .medium)
        #expect(finding.why.contains("copies every packet"))
        #expect(try await Scenario(Chain.setup()).run().findings(RuleID.broadFilter).isEmpty)
    }

    @Test func catchAllInBothDirectionsIsHigh() async throws {
        let records = Chain.setup(filterRule: CT.createRule("tmfr-in", filter: "tmf-tms-1"))
            + [CT.createRule("tmfr-out", filter: "tmf-tms-1", direction: "egress", at: "2026-11-03T09:10:00Z")]
        let findings = try await Scenario(records).run().findings(RuleID.broadFilter)
        #expect(findings.map(\.severity) == [.medium, .high])
        #expect(findings.last?.why.contains("both directions") == true)
    }

    @Test func wideningAFilterUnderALiveSessionIsReported() async throws {
        let records = Chain.setup() + [CT.createRule("tmfr-all", filter: "tmf-tms-1", direction: "egress", at: "2026-11-03T10:00:00Z")]
        let finding = try #require(try await Scenario(records).run().findings(RuleID.repointed).first)
        #expect(finding.title.contains("Filter tmf-tms-1 of live session(s) tms-1 changed"))
        #expect(finding.severity == .high)
    }

    @Test func liveCatchAllFilterFromSnapshotsOnly() async throws {
        // Snapshots alone: no change, so no audit-trail finding either.
        var scenario = Scenario()
        scenario.files["snapshots/s.json"] = #"{"TrafficMirrorSessions":[{"TrafficMirrorSessionId":"tms-s","TrafficMirrorTargetId":"tmt-ok","TrafficMirrorFilterId":"tmf-s","NetworkInterfaceId":"eni-web","OwnerId":"111122223333"}]}"#
        scenario.files["snapshots/f.json"] = #"{"TrafficMirrorFilters":[{"TrafficMirrorFilterId":"tmf-s","IngressFilterRules":[{"TrafficMirrorFilterRuleId":"r1","TrafficDirection":"ingress","RuleNumber":1,"RuleAction":"accept","SourceCidrBlock":"0.0.0.0/0","DestinationCidrBlock":"0.0.0.0/0"}],"EgressFilterRules":[{"TrafficMirrorFilterRuleId":"r2","TrafficDirection":"egress","RuleNumber":1,"RuleAction":"accept","SourceCidrBlock":"0.0.0.0/0","DestinationCidrBlock":"0.0.0.0/0"}]}]}"#
        let result = try await scenario.run()
        let finding = try #require(result.findings(RuleID.broadFilter).first)
        #expect(finding.severity == .high)
        #expect(finding.title == "Live filter tmf-s copies all traffic")
        #expect(result.findings(RuleID.unapprovedDestination).isEmpty, "tmt-ok is approved")
        #expect(result.findings(RuleID.observed).isEmpty)
    }
}
