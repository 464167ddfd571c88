import Foundation
import Mirrorwatch
import MirrorwatchTestSupport
import Testing

/// Cases found in review: each would have let an attacker through or raised a false alarm.
@Suite struct ReviewRegressionTests {
    @Test func aRoleSessionNameCannotImpersonateAnAuthorizedPerson() async throws {
        let policy = Scenario.basePolicy.replacingOccurrences(of: #"authorized_identities: ["arn:aws:iam::111122223333:role/NetworkAdmin"]"#,
                                                              with: #"authorized_identities: ["netops@example.com"]"#)
        let spoof = CT.role("AnyRole", session: "netops@example.com")
        let result = try await Scenario(Chain.setup(by: spoof), policy: policy).run()
        #expect(result.findings(RuleID.unauthorizedActor).count == 4)
    }

    @Test func anotherPersonsTicketDoesNotCoverTheChange() async throws {
        var scenario = Scenario(Chain.setup(by: CT.role("NetworkAdmin", session: "mallory@example.com")))
        scenario.ticket("CHG1", resources: "eni-web, tmt-ok, tmf-tms-1")  // assigned to alice@example.com
        let noTicket = try await scenario.run().findings(RuleID.noTicket)
        #expect(noTicket.count == 4)
        #expect(noTicket.first?.why.contains("CHG1 is for alice@example.com") == true)
    }

    @Test func ownAccountInterfaceOutsideInternalCIDRsIsNotExternal() async throws {
        var scenario = Scenario(Chain.setup(target: "tmt-ok"))
        scenario.files["snapshots/enis.json"] = #"{"NetworkInterfaces":[{"NetworkInterfaceId":"eni-sensor-tmt-ok","PrivateIpAddress":"172.31.5.9","OwnerId":"111122223333","SubnetId":"subnet-x"}]}"#
        #expect(try await scenario.run().findings(RuleID.externalDestination).isEmpty)
    }

    @Test func withoutOrganizationAccountsAForeignOwnerIsStillExternal() async throws {
        let policy = Scenario.basePolicy.replacingOccurrences(of: #"aws_accounts: ["111122223333"], "#, with: "")
        let nlb = "arn:aws:elasticloadbalancing:us-east-1:999988887777:loadbalancer/net/c/1"
        let external = try await Scenario(Chain.setup(target: "tmt-x", targetOwner: "999988887777", nlb: nlb), policy: policy).run()
            .findings(RuleID.externalDestination)
        #expect(external.first?.why.contains("not the session's own 111122223333") == true)
    }

    @Test func aCatchAllRuleAddedAndRemovedQuicklyIsTransient() async throws {
        let records = Chain.setup() + [
            STS.samlSignIn("alice@example.com", role: "NetworkAdmin", at: "2026-11-05T00:50:00Z"),
            CT.createRule("tmfr-wide", filter: "tmf-tms-1", direction: "egress", at: "2026-11-05T01:00:00Z"),
            CT.mirror("DeleteTrafficMirrorFilterRule", at: "2026-11-05T01:20:00Z", request: ["TrafficMirrorFilterRuleId": "tmfr-wide"],
                      response: ["trafficMirrorFilterRuleId": "tmfr-wide"]),
        ]
        let transient = try #require(try await Scenario(records).run().findings(RuleID.transient).first)
        #expect(transient.severity == .medium)
        #expect(transient.title.contains("tmfr-wide"))
    }

    @Test func rolePatternWithPathMatchesASessionArnAlone() {
        let bare = Actor(name: "arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_NetworkAdmin_0123abcd/carol")
        #expect(IdentityPattern("arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_NetworkAdmin_*").matches(bare))
    }

    @Test func stateFindingIdsDoNotDependOnTheWallClock() async throws {
        var scenario = Scenario()
        scenario.files["snapshots/s.json"] = #"{"TrafficMirrorSessions":[{"TrafficMirrorSessionId":"tms-s","TrafficMirrorTargetId":"tmt-x","NetworkInterfaceId":"eni-pci","OwnerId":"111122223333"}]}"#
        let first = try await scenario.run()
        scenario.now = scenario.now.addingTimeInterval(7 * 3600)
        let later = try await scenario.run()
        #expect(!first.findings.isEmpty)
        #expect(first.findings.map(\.id) == later.findings.map(\.id))
    }

    @Test func anEarlierRejectAllRuleMakesAFilterNotCatchAll() {
        func directions(_ rules: [FilterRule]) -> Set<FilterRule.Direction> {
            var graph = MirrorGraph()
            graph.add(ObservedFilter(platform: .aws, scope: Scope(), id: "tmf", rules: rules, services: [], evidence: Evidence(input: "x")))
            return graph.filters["tmf"]?.catchAllDirections ?? []
        }
        let accept = FilterRule(id: "a", direction: .ingress, number: 200, action: "accept")
        #expect(directions([accept]) == [FilterRule.Direction.ingress])
        #expect(directions([accept, FilterRule(id: "r", direction: .ingress, number: 100, action: "reject")]).isEmpty)
        #expect(directions([accept, FilterRule(id: "r", direction: .ingress, number: 300, action: "reject")]) == [FilterRule.Direction.ingress])
    }

    @Test func wideningAFilterUnderASessionToAnUnapprovedSensitiveDestinationIsCritical() async throws {
        let records = Chain.setup(source: "eni-pci", target: "tmt-rogue")
            + [CT.createRule("tmfr-more", filter: "tmf-tms-1", direction: "egress", destination: "10.9.0.0/16", proto: 17, at: "2026-11-03T10:00:00Z")]
        let finding = try #require(try await Scenario(records).run().findings(RuleID.repointed).first)
        #expect(finding.severity == .critical)
        #expect(finding.why.contains("eni-sensor-tmt-rogue"))
    }

    @Test func aRuleLoggedAsCreatedIsNotInTheBeforeStateEvenIfASnapshotShowsIt() async throws {
        // The snapshot was taken after the logs: it already holds the catch-all rule the logs create.
        var scenario = Scenario([CT.createRule("tmfr-all", filter: "tmf-s", direction: "egress", at: "2026-11-03T10:00:00Z")])
        scenario.files["snapshots/s.json"] = #"{"TrafficMirrorSessions":[{"TrafficMirrorSessionId":"tms-s","TrafficMirrorTargetId":"tmt-ok","TrafficMirrorFilterId":"tmf-s","NetworkInterfaceId":"eni-web","OwnerId":"111122223333"}]}"#
        scenario.files["snapshots/f.json"] = #"{"TrafficMirrorFilters":[{"TrafficMirrorFilterId":"tmf-s","IngressFilterRules":[],"EgressFilterRules":[{"TrafficMirrorFilterRuleId":"tmfr-all","TrafficDirection":"egress","RuleNumber":100,"RuleAction":"accept","SourceCidrBlock":"0.0.0.0/0","DestinationCidrBlock":"0.0.0.0/0"}]}]}"#
        let finding = try #require(try await scenario.run().findings(RuleID.repointed).first)
        #expect(finding.severity == .high, "the filter became catch-all in the egress direction")
        #expect(finding.title.contains("tms-s"))
    }
}

@Suite struct TicketStateTests {
    @Test(arguments: ["Not Approved", "Unapproved", "Disapproved", "Closed Incomplete", "Closed Unsuccessful", "Closed Cancelled", "New", "Assess", "Rejected"])
    func refusingStates(_ state: String) {
        #expect(!ChangeTicket(id: "C", state: state, summary: nil, start: nil, end: nil, people: [], resources: [], evidence: Evidence(input: "t")).authorizesWork)
    }

    @Test(arguments: ["Approved", "Scheduled", "Implement", "In Progress", "Review", "Closed Complete", "Closed", "Done"])
    func allowingStates(_ state: String) {
        #expect(ChangeTicket(id: "C", state: state, summary: nil, start: nil, end: nil, people: [], resources: [], evidence: Evidence(input: "t")).authorizesWork)
    }
}
