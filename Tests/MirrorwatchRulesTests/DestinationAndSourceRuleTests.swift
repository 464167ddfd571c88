import Foundation
import Mirrorwatch
import MirrorwatchTestSupport
import Testing

@Suite struct DestinationAndSourceRuleTests {
    @Test func approvedDestinationByAuthorizedIdentityWithTicketIsInfoOnly() async throws {
        var scenario = Scenario(Chain.setup(source: "eni-pci"))
        scenario.ticket("CHG1", resources: "eni-pci, tmt-ok, tmf-tms-1")
        let result = try await scenario.run()
        #expect(result.worst == .info, "\(result.findings.map { "\($0.rule) \($0.severity)" })")
        #expect(result.rules == [RuleID.observed, RuleID.sensitiveSource])
        let sensitive = try #require(result.findings(RuleID.sensitiveSource).first)
        #expect(sensitive.source?.segment == "pci")
        #expect(result.findings(RuleID.observed).allSatisfy { $0.ticket == "CHG1" })
    }

    @Test func unapprovedDestinationIsHigh() async throws {
        var scenario = Scenario(Chain.setup(target: "tmt-rogue"))
        scenario.ticket("CHG1", resources: "tms-1, tmt-rogue, tmf-tms-1")
        let result = try await scenario.run()
        let finding = try #require(result.findings(RuleID.unapprovedDestination).first)
        #expect(finding.severity == .high)
        #expect(finding.destination?.approved == false)
        #expect(finding.destination?.endpoint.id == "eni-sensor-tmt-rogue")
        #expect(finding.change?.operation == "CreateTrafficMirrorSession")
        #expect(finding.evidence.first?.record == 4, "after the admin's sign-in and the target, filter and rule")
        #expect(!finding.benignIf.isEmpty)
        #expect(result.findings(RuleID.externalDestination).isEmpty)
    }

    @Test func sensitiveSourceToUnapprovedDestinationIsCritical() async throws {
        let result = try await Scenario(Chain.setup(source: "eni-pci", target: "tmt-rogue")).run()
        #expect(result.findings(RuleID.unapprovedDestination).first?.severity == .critical)
        #expect(result.findings(RuleID.sensitiveSource).first?.severity == .critical)
    }

    @Test func sensitiveSubnetIsFoundThroughInterfaceFacts() async throws {
        var scenario = Scenario(Chain.setup(source: "eni-db", target: "tmt-rogue"))
        scenario.files["snapshots/us-east-1/enis.json"] = #"{"NetworkInterfaces":[{"NetworkInterfaceId":"eni-db","SubnetId":"subnet-pci","PrivateIpAddress":"10.20.8.5","OwnerId":"111122223333","Attachment":{"InstanceId":"i-db"}}]}"#
        let result = try await scenario.run()
        let finding = try #require(result.findings(RuleID.sensitiveSource).first)
        #expect(finding.source?.segment == "pci")
        #expect(finding.severity == .critical)
    }

    @Test func crossAccountTargetIsExternalAndCritical() async throws {
        let nlb = "arn:aws:elasticloadbalancing:us-east-1:999988887777:loadbalancer/net/collector/1a2b"
        let result = try await Scenario(Chain.setup(target: "tmt-x", targetOwner: "999988887777", nlb: nlb)).run()
        let external = try #require(result.findings(RuleID.externalDestination).first)
        #expect(external.severity == .critical)
        #expect(external.destination?.endpoint.owner == "999988887777")
        #expect(external.why.contains("999988887777"))
        #expect(result.findings(RuleID.unapprovedDestination).first?.severity == .critical)
    }

    @Test func approvedButExternalDestinationIsMedium() async throws {
        let nlb = "arn:aws:elasticloadbalancing:us-east-1:999988887777:loadbalancer/net/mssp/1"
        let result = try await Scenario(Chain.setup(target: "tmt-ok", targetOwner: "999988887777", nlb: nlb)).run()
        #expect(result.findings(RuleID.unapprovedDestination).isEmpty)
        #expect(result.findings(RuleID.externalDestination).first?.severity == .medium)
    }

    @Test func internalDestinationInOwnAccountIsNotExternal() async throws {
        let result = try await Scenario(Chain.setup(target: "tmt-ok")).run()
        #expect(result.findings(RuleID.externalDestination).isEmpty)
        #expect(result.findings(RuleID.unapprovedDestination).isEmpty)
        #expect(result.findings(RuleID.sensitiveSource).isEmpty)
    }

    @Test func snapshotOnlySessionResolvesToItsRealDestination() async throws {
        var scenario = Scenario()
        scenario.files["snapshots/111122223333/us-east-1/describe-traffic-mirror-sessions.json"] =
            #"{"TrafficMirrorSessions":[{"TrafficMirrorSessionId":"tms-old","TrafficMirrorTargetId":"tmt-old","TrafficMirrorFilterId":"tmf-old","NetworkInterfaceId":"eni-pci","OwnerId":"111122223333","SessionNumber":1}]}"#
        scenario.files["snapshots/111122223333/us-east-1/describe-traffic-mirror-targets.json"] =
            #"{"TrafficMirrorTargets":[{"TrafficMirrorTargetId":"tmt-old","NetworkInterfaceId":"eni-laptop","Type":"network-interface","OwnerId":"111122223333"}]}"#
        scenario.files["snapshots/111122223333/us-east-1/describe-network-interfaces.json"] =
            #"{"NetworkInterfaces":[{"NetworkInterfaceId":"eni-laptop","SubnetId":"subnet-dev","PrivateIpAddress":"10.99.0.7","OwnerId":"111122223333","Attachment":{"InstanceId":"i-0dev"}}]}"#
        let result = try await scenario.run()
        let session = try #require(result.graph.sessions["tms-old"])
        let destination = try #require(result.graph.destination(of: session))
        #expect(destination.id == "eni-laptop")
        #expect(destination.address == "10.99.0.7")
        let finding = try #require(result.findings(RuleID.unapprovedDestination).first)
        #expect(finding.severity == .critical)
        #expect(finding.change == nil)
        #expect(finding.why.contains("i-0dev"))
        #expect(finding.evidence.first?.input.hasSuffix("describe-traffic-mirror-sessions.json") == true)
    }
}
