import Foundation
import Mirrorwatch
import MirrorwatchModel
import MirrorwatchTestSupport
import Testing

/// A Gateway Load Balancer endpoint as a mirror target: the packets go to the Gateway Load Balancers
/// of the endpoint's service. Adding a load balancer to that service (from the account that runs it)
/// re-points approved mirroring without any mirroring call.
@Suite struct EndpointServiceReceiverTests {
    static let service = "com.amazonaws.vpce.us-east-1.vpce-svc-0insp"
    static let serviceId = "vpce-svc-0insp"
    static let gwlb = "arn:aws:elasticloadbalancing:us-east-1:111122223333:loadbalancer/gwy/inspection/5a6b"
    static let rogue = "arn:aws:elasticloadbalancing:us-east-1:111122223333:loadbalancer/gwy/capture/9f9f"
    static let appliances = "arn:aws:elasticloadbalancing:us-east-1:111122223333:targetgroup/appliances/77"
    static let rogueGroup = "arn:aws:elasticloadbalancing:us-east-1:111122223333:targetgroup/capture/78"
    static let policy = Scenario.basePolicy.replacingOccurrences(
        of: "  - {name: sensor, target: tmt-ok, owner: netsec, reason: NDR sensors}",
        with: """
          - {name: inspection endpoint, gwlbe: vpce-0insp, owner: netsec, reason: inspection VPC}
          - {name: inspection appliances, ip: 10.9.0.0/24, owner: netsec, reason: appliance subnet}
        """)

    /// `ModifyVpcEndpointServiceConfiguration` as EC2 writes it in CloudTrail (`{"tag": 1, "content": …}` items).
    static func modify(add: [String] = [], remove: [String] = [], at time: String = "2026-11-03T11:00:00Z",
                       by who: [String: Any] = Chain.intruder) -> [String: Any] {
        var request: [String: Any] = ["ServiceId": serviceId]
        if !add.isEmpty { request["AddGatewayLoadBalancerArn"] = add.enumerated().map { ["tag": $0.offset + 1, "content": $0.element] } }
        if !remove.isEmpty { request["RemoveGatewayLoadBalancerArn"] = ["tag": 1, "content": remove[0]] }
        return CT.mirror("ModifyVpcEndpointServiceConfiguration", at: time, by: who, request: request,
                         response: ["return": true, "requestId": "r-1", "xmlns": "http://ec2.amazonaws.com/doc/2016-11-15/"])
    }

    /// The approved chain to the endpoint, its service's configuration (the inspection GWLB), the
    /// target groups behind both load balancers, an appliance in the inspection group, and `records`.
    func scenario(_ records: [[String: Any]], rogueListed: Bool = true, configuration: String? = nil) -> Scenario {
        var scenario = Scenario(Chain.setup(target: "tmt-gw", gwlbe: "vpce-0insp")
                                + [CT.registerTargets(Self.appliances, ["10.9.0.21"], at: "2026-11-03T08:00:00Z", by: Chain.admin)]
                                + records, policy: Self.policy)
        scenario.files["snapshots/111122223333/us-east-1/describe-vpc-endpoints.json"] =
            #"{"VpcEndpoints":[{"VpcEndpointId":"vpce-0insp","VpcEndpointType":"GatewayLoadBalancer","ServiceName":""# + Self.service + #"","OwnerId":"111122223333"}]}"#
        let groups = [(Self.appliances, Self.gwlb)] + (rogueListed ? [(Self.rogueGroup, Self.rogue)] : [])
        scenario.files["snapshots/111122223333/us-east-1/describe-target-groups.json"] = #"{"TargetGroups":["#
            + groups.map { #"{"TargetGroupArn":""# + $0.0 + #"","Protocol":"GENEVE","Port":6081,"LoadBalancerArns":[""# + $0.1 + #""]}"# }.joined(separator: ",")
            + "]}"
        scenario.files[configuration ?? "snapshots/111122223333/us-east-1/describe-vpc-endpoint-service-configurations.json"] =
            #"{"ServiceConfigurations":[{"ServiceType":[{"ServiceType":"GatewayLoadBalancer"}],"ServiceId":""# + Self.serviceId
            + #"","ServiceName":""# + Self.service + #"","GatewayLoadBalancerArns":[""# + Self.gwlb + #""]}]}"#
        return scenario
    }

    @Test func aLoadBalancerAddedToTheEndpointServiceSendsThePacketsToItsMembers() async throws {
        let result = try await scenario([CT.registerTargets(Self.rogueGroup, ["i-0evil"], at: "2026-11-03T10:00:00Z", by: Chain.intruder),
                                         Self.modify(add: [Self.rogue])]).run()
        let unapproved = result.findings(RuleID.unapprovedDestination)
        #expect(unapproved.count == 1, "the approved chain and the approved appliance are quiet: \(unapproved.map(\.title))")
        let finding = try #require(unapproved.first)
        #expect(finding.title == "Mirrored packets sent to endpoint service \(Self.serviceId) now reach unapproved i-0evil", "\(finding.title)")
        #expect(finding.why.contains("called ModifyVpcEndpointServiceConfiguration on endpoint service \(Self.serviceId), behind mirror target tmt-gw")
                && finding.why.contains("endpoint service \(Self.serviceId), which Gateway Load Balancer endpoint vpce-0insp of target tmt-gw sends to, now also hands its traffic to GWLB capture")
                && finding.why.contains("target group \(Self.rogueGroup), of which i-0evil is a member")
                && finding.why.contains("live sessions tms-1 mirror"), "\(finding.why)")
        #expect(finding.actor?.name.contains("mallory") == true)
        // Who did it, and without a ticket: as for any mirroring change.
        #expect(result.findings(RuleID.unauthorizedActor).contains { $0.why.contains("ModifyVpcEndpointServiceConfiguration") })
        #expect(result.findings(RuleID.noTicket).contains { $0.why.contains("ModifyVpcEndpointServiceConfiguration") })
        // From then on the live state sends to both load balancers.
        #expect(Set(result.graph.balancers(behind: Endpoint(kind: .gwlbe, id: "vpce-0insp")).map { $0.lowercased() }) == [Self.gwlb, Self.rogue])
    }

    /// A load balancer none of whose listeners or groups were read: whoever is behind it receives.
    @Test func aLoadBalancerWithNothingKnownBehindItIsTheReceiver() async throws {
        let result = try await scenario([Self.modify(add: [Self.rogue])], rogueListed: false).run()
        let finding = try #require(result.findings(RuleID.unapprovedDestination).first, "\(result.findings.map(\.title))")
        #expect(finding.title == "Mirrored packets sent to endpoint service \(Self.serviceId) now reach unapproved GWLB capture", "\(finding.title)")
        #expect(finding.why.contains("none of whose listeners or target groups were read"), "\(finding.why)")
        #expect(finding.benignIf.contains("`target`"))
        // The live state keeps it as what stands for unknown receivers (the audit lists it), as reported by the change.
        let session = try #require(result.graph.sessions["tms-1"])
        #expect(result.graph.unknownReceivers(of: session).map { $0.endpoint.id } == [Self.rogue], "\(result.graph.unknownReceivers(of: session))")
        #expect(result.graph.receivers(of: session).map(\.endpoint.id) == ["10.9.0.21"], "the inspection appliance; no member of the added one is known")
        // Approved by its ARN (a sanctioned second appliance fleet): only the audit trail.
        var approved = scenario([Self.modify(add: [Self.rogue])], rogueListed: false)
        approved.policy = Self.policy.replacingOccurrences(
            of: "  - {name: inspection appliances",
            with: "  - {name: second fleet, target: \"\(Self.rogue)\", owner: netsec, reason: second inspection fleet}\n  - {name: inspection appliances")
        let quiet = try await approved.run()
        #expect(quiet.findings.filter { $0.why.contains("ModifyVpcEndpointServiceConfiguration") }.map(\.rule) == [RuleID.observed],
                "\(quiet.findings.filter { $0.why.contains("ModifyVpcEndpointServiceConfiguration") }.map { "\($0.rule) \($0.title)" })")
    }

    /// The configuration list may be written after the changes: it then already names a load balancer
    /// the logs add (not there before: judged once, when added, on the caller who added it) and no
    /// longer names one the logs remove (there before: what reached it meanwhile is judged).
    @Test func aConfigurationListWrittenAfterTheChangesIsNotTheStateBefore() async throws {
        let path = "snapshots/2026-11-04/111122223333/us-east-1/describe-vpc-endpoint-service-configurations.json"
        func listing(_ balancers: [String], withId: Bool = true) -> String {
            #"{"ServiceConfigurations":[{"# + (withId ? #""ServiceId":""# + Self.serviceId + #"","# : "") + #""ServiceName":""# + Self.service
                + #"","GatewayLoadBalancerArns":["# + balancers.map { "\"\($0)\"" }.joined(separator: ",") + "]}]}"
        }
        // Added in the logs, a member registered behind it before: one finding, at the addition, on its caller.
        var later = scenario([CT.registerTargets(Self.rogueGroup, ["i-0evil"], at: "2026-11-03T10:00:00Z", by: CT.user("builder")),
                              Self.modify(add: [Self.rogue])], configuration: path)
        later.files[path] = listing([Self.gwlb, Self.rogue])
        let added = try await later.run()
        let findings = added.findings(RuleID.unapprovedDestination)
        #expect(findings.count == 1, "\(findings.map(\.title))")
        #expect(findings.first?.actor?.name.contains("mallory") == true && findings.first?.why.contains("ModifyVpcEndpointServiceConfiguration") == true)
        #expect(findings.first?.time == Timestamp.parse("2026-11-03T11:00:00Z"))
        // Removed in the logs: it was behind the service before, so a member registered behind it meanwhile is judged.
        var removed = scenario([CT.registerTargets(Self.rogueGroup, ["i-0evil"], at: "2026-11-03T10:00:00Z", by: Chain.intruder),
                                Self.modify(remove: [Self.rogue], at: "2026-11-03T10:30:00Z", by: Chain.admin)], configuration: path)
        removed.files[path] = listing([Self.gwlb])
        let meanwhile = try await removed.run().findings(RuleID.unapprovedDestination)
        #expect(meanwhile.count == 1 && meanwhile.first?.why.contains("RegisterTargets") == true, "\(meanwhile.map(\.why))")
        // A list printed without ServiceId names the service only by its name: still the state before.
        var byName = scenario([Self.modify(add: [Self.rogue], by: Chain.admin),
                               CT.registerTargets(Self.appliances, ["i-0evil"], at: "2026-11-03T12:00:00Z", by: Chain.intruder)], configuration: path)
        byName.files[path] = listing([Self.gwlb], withId: false)
        let kept = try await byName.run()
        #expect(kept.findings(RuleID.unapprovedDestination).contains { $0.destination?.endpoint.id == "i-0evil" && $0.why.contains("RegisterTargets") },
                "the inspection load balancer stays behind the service: \(kept.findings.map(\.title))")
    }

    /// A ticket naming the endpoint service covers the change; the same record read twice counts once;
    /// a load balancer with nothing read behind it is not taken for a target shared from another account.
    @Test func ticketsDuplicatesAndWording() async throws {
        let modify = Self.modify(add: [Self.rogue], by: Chain.admin)
        var ticketed = scenario([modify, modify], rogueListed: false)
        ticketed.ticket("CHG-77", start: "2026-11-03 10:30:00", end: "2026-11-03 12:00:00", resources: Self.serviceId, summary: "second inspection fleet")
        let result = try await ticketed.run()
        #expect(!result.findings(RuleID.noTicket).contains { $0.why.contains("ModifyVpcEndpointServiceConfiguration") }, "\(result.findings.map(\.title))")
        let unapproved = result.findings(RuleID.unapprovedDestination)
        #expect(unapproved.count == 1, "read twice, judged once: \(unapproved.map(\.title))")
        #expect(unapproved.first.map { !$0.why.contains("AWS RAM") } == true, "\(unapproved.first?.why ?? "")")
    }

    @Test func deniedChangesAndOtherServicesAndRemovals() async throws {
        // Denied: probing, nothing changed.
        var denied = Self.modify(add: [Self.rogue])
        denied["errorCode"] = "Client.UnauthorizedOperation"
        denied["errorMessage"] = "You are not authorized to perform this operation."
        denied["responseElements"] = NSNull()
        let probed = try await scenario([denied]).run()
        #expect(probed.findings(RuleID.unapprovedDestination).isEmpty)
        #expect(probed.findings(RuleID.denied).contains { $0.title.hasPrefix("ModifyVpcEndpointServiceConfiguration denied") }, "\(probed.findings.map(\.title))")
        // Another service (no mirror target's endpoint uses it): not mirroring.
        var other = Self.modify(add: [Self.rogue])
        other["requestParameters"] = ["ModifyVpcEndpointServiceConfigurationRequest": ["ServiceId": "vpce-svc-0web", "AddGatewayLoadBalancerArn": ["tag": 1, "content": Self.rogue]]]
        #expect(try await scenario([other]).run().findings.allSatisfy { !$0.why.contains("ModifyVpcEndpointServiceConfiguration") })
        // Removing the inspection load balancer moves no packets to anyone new.
        let removed = try await scenario([Self.modify(remove: [Self.gwlb], by: Chain.admin)]).run()
        #expect(removed.findings(RuleID.unapprovedDestination).isEmpty)
        #expect(removed.graph.balancers(behind: Endpoint(kind: .gwlbe, id: "vpce-0insp")).isEmpty)
    }

    /// One call that adds a load balancer and removes the inspection one hands the new one everything.
    @Test func aSwapHandsTheNewLoadBalancerEverything() async throws {
        let result = try await scenario([CT.registerTargets(Self.rogueGroup, ["i-0evil"], at: "2026-11-03T10:00:00Z", by: Chain.intruder),
                                         Self.modify(add: [Self.rogue], remove: [Self.gwlb])]).run()
        let finding = try #require(result.findings(RuleID.unapprovedDestination).first, "\(result.findings.map(\.title))")
        #expect(finding.why.contains("now hands its traffic to GWLB capture") && !finding.why.contains("now also hands"), "\(finding.why)")
        #expect(result.graph.balancers(behind: Endpoint(kind: .gwlbe, id: "vpce-0insp")).map { $0.lowercased() } == [Self.rogue])
    }

    /// A service created in the logs handed traffic to nothing before: each of its load balancers is new.
    @Test func aServiceCreatedInTheLogsStartsEmpty() async throws {
        let create = CT.mirror("CreateVpcEndpointServiceConfiguration", at: "2026-11-03T07:00:00Z", by: Chain.admin,
                               request: ["GatewayLoadBalancerArn": ["tag": 1, "content": Self.gwlb], "AcceptanceRequired": false],
                               response: ["serviceConfiguration": ["serviceId": Self.serviceId, "serviceName": Self.service,
                                                                   "gatewayLoadBalancerArnSet": ["item": Self.gwlb]]])
        let result = try await scenario([create]).run()
        #expect(result.findings(RuleID.unapprovedDestination).isEmpty, "created before any session sends there: \(result.findings.map(\.title))")
        #expect(result.graph.balancers(behind: Endpoint(kind: .gwlbe, id: "vpce-0insp")).map { $0.lowercased() } == [Self.gwlb])
    }
}
