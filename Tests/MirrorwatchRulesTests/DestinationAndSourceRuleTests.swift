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

    /// A Gateway Load Balancer endpoint sits in our own VPC, but what it receives goes to the
    /// appliances of whoever runs its endpoint service.
    @Test func gatewayLoadBalancerEndpointOfAnotherAccountsServiceIsExternal() async throws {
        func scan(serviceOwner: String?) async throws -> ScanResult {
            var scenario = Scenario(Chain.setup(target: "tmt-gw", gwlbe: "vpce-0ab"))
            scenario.files["snapshots/111122223333/us-east-1/describe-vpc-endpoints.json"] =
                #"{"VpcEndpoints":[{"VpcEndpointId":"vpce-0ab","VpcEndpointType":"GatewayLoadBalancer","VpcId":"vpc-1","ServiceName":"com.amazonaws.vpce.us-east-1.vpce-svc-0ext","OwnerId":"111122223333"}]}"#
            if let serviceOwner {
                scenario.files["snapshots/111122223333/us-east-1/describe-vpc-endpoint-services.json"] =
                    #"{"ServiceNames":["com.amazonaws.vpce.us-east-1.vpce-svc-0ext"],"ServiceDetails":[{"ServiceName":"com.amazonaws.vpce.us-east-1.vpce-svc-0ext","ServiceId":"vpce-svc-0ext","ServiceType":[{"ServiceType":"GatewayLoadBalancer"}],"Owner":""# + serviceOwner + #""}]}"#
            }
            return try await scenario.run()
        }
        let outside = try await scan(serviceOwner: "999988887777")
        let external = try #require(outside.findings(RuleID.externalDestination).first)
        #expect(external.severity == .critical)
        #expect(external.why.contains("a Gateway Load Balancer endpoint of service com.amazonaws.vpce.us-east-1.vpce-svc-0ext, run by account 999988887777"), "\(external.why)")
        #expect(external.title.contains("vpce-0ab in 999988887777"), "\(external.title)")
        #expect(external.destination?.endpoint.id == "vpce-0ab")
        #expect(outside.findings(RuleID.unapprovedDestination).first?.severity == .critical)
        // Run by an account of the organization, or not known: the endpoint's own account decides.
        #expect(try await scan(serviceOwner: "111122223333").findings(RuleID.externalDestination).isEmpty)
        #expect(try await scan(serviceOwner: nil).findings(RuleID.externalDestination).isEmpty)
    }

    /// The endpoint made in the logs (`CreateVpcEndpoint`, as CloudTrail wraps EC2 answers) names its
    /// service; who runs the service comes from `describe-vpc-endpoint-services`.
    @Test func anEndpointCreatedInTheLogsNamesTheServiceBehindIt() async throws {
        let service = "com.amazonaws.vpce.us-east-1.vpce-svc-0ext"
        let endpoint = CT.mirror("CreateVpcEndpoint", at: "2026-11-03T08:59:00Z",
                                 request: ["VpcId": "vpc-1", "ServiceName": service, "VpcEndpointType": "GatewayLoadBalancer"],
                                 response: ["xmlns": "http://ec2.amazonaws.com/doc/2016-11-15/", "requestId": "r-1",
                                            "vpcEndpoint": ["vpcEndpointId": "vpce-0log", "vpcEndpointType": "GatewayLoadBalancer",
                                                            "vpcId": "vpc-1", "serviceName": service, "ownerId": "111122223333"]])
        var scenario = Scenario([endpoint] + Chain.setup(target: "tmt-gw", gwlbe: "vpce-0log"))
        let unknown = try await scenario.run()
        #expect(unknown.graph.fact("vpce-0log")?.serviceName == service)
        #expect(unknown.graph.fact("vpce-0log")?.evidence.record == 0)
        let unapproved = try #require(unknown.findings(RuleID.unapprovedDestination).first)
        #expect(unapproved.why.contains("→ service \(service), run by an account not known here"), "\(unapproved.why)")
        #expect(unknown.findings(RuleID.externalDestination).isEmpty, "who runs the service is not known yet")
        scenario.files["snapshots/111122223333/us-east-1/describe-vpc-endpoint-services.json"] =
            #"{"ServiceDetails":[{"ServiceName":"com.amazonaws.vpce.us-east-1.vpce-svc-0ext","ServiceId":"vpce-svc-0ext","Owner":"999988887777"}]}"#
        let known = try await scenario.run()
        let external = try #require(known.findings(RuleID.externalDestination).first)
        #expect(external.why.contains("run by account 999988887777"), "\(external.why)")
        // A failed call made no endpoint.
        var failed = endpoint
        failed["errorCode"] = "Client.UnauthorizedOperation"
        failed["responseElements"] = NSNull()
        let refused = try await Scenario([failed]).run()
        #expect(refused.graph.fact("vpce-0log") == nil)
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
