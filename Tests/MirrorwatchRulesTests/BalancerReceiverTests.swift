import Foundation
import Mirrorwatch
import MirrorwatchModel
import MirrorwatchTestSupport
import Testing

/// A Network Load Balancer as a mirror target: the members of the target groups its listeners
/// forward to receive the mirrored packets. Registering a member or pointing a listener elsewhere
/// re-points approved mirroring without any mirroring call.
@Suite struct BalancerReceiverTests {
    static let nlb = "arn:aws:elasticloadbalancing:us-east-1:111122223333:loadbalancer/net/ndr-sensor/0a1b2c3d4e5f6a7b"
    static let group = "arn:aws:elasticloadbalancing:us-east-1:111122223333:targetgroup/ndr-vxlan/1122334455667788"
    static let listener = "arn:aws:elasticloadbalancing:us-east-1:111122223333:listener/net/ndr-sensor/0a1b2c3d4e5f6a7b/99aa88bb77cc66dd"
    static let policy = Scenario.basePolicy.replacingOccurrences(
        of: "  - {name: sensor, target: tmt-ok, owner: netsec, reason: NDR sensors}",
        with: """
          - {name: sensor NLB, nlb: \(nlb), owner: netsec, reason: NDR sensors}
          - {name: sensor fleet, ip: 10.9.0.0/24, owner: netsec, reason: NDR sensor subnet}
          - {name: spare sensor, instance: i-0spare, owner: netsec, reason: standby sensor}
        """)

    /// The approved chain to the NLB (by the admin), the target group behind it from
    /// `describe-target-groups`, interface facts for the members, and `records` after it.
    func scenario(_ records: [[String: Any]], groupListed: Bool = true) -> Scenario {
        var scenario = Scenario(Chain.setup(target: "tmt-nlb", nlb: Self.nlb) + records, policy: Self.policy)
        if groupListed {
            scenario.files["snapshots/111122223333/us-east-1/describe-target-groups.json"] =
                #"{"TargetGroups":[{"TargetGroupArn":""# + Self.group + #"","TargetGroupName":"ndr-vxlan","Protocol":"UDP","Port":4789,"VpcId":"vpc-1","TargetType":"instance","LoadBalancerArns":[""# + Self.nlb + #""]}]}"#
        }
        scenario.files["snapshots/111122223333/us-east-1/enis.json"] = """
            {"NetworkInterfaces":[{"NetworkInterfaceId":"eni-s2","PrivateIpAddress":"10.9.0.12","OwnerId":"111122223333","Attachment":{"InstanceId":"i-0sensor2"}},
            {"NetworkInterfaceId":"eni-x","PrivateIpAddress":"10.1.2.3","OwnerId":"111122223333","Attachment":{"InstanceId":"i-0evil"}}]}
            """
        return scenario
    }

    @Test func aMemberRegisteredBehindTheSensorLoadBalancerIsAnUnapprovedDestination() async throws {
        let result = try await scenario([CT.registerTargets(Self.group, ["i-0evil"], at: "2026-11-03T11:00:00Z", by: Chain.intruder)]).run()
        #expect(result.findings(RuleID.unapprovedDestination).count == 1, "the approved chain itself is quiet: \(result.findings.map(\.title))")
        let finding = try #require(result.findings(RuleID.unapprovedDestination).first)
        #expect(finding.severity == .high)
        #expect(finding.title == "Mirrored packets sent to NLB ndr-sensor now reach unapproved i-0evil", "\(finding.title)")
        #expect(finding.why.contains("called RegisterTargets on target group \(Self.group) of NLB ndr-sensor, behind mirror target tmt-nlb")
                && finding.why.contains("i-0evil is now a member of target group \(Self.group), which NLB ndr-sensor forwards to")
                && finding.why.contains("live sessions tms-1 mirror to target tmt-nlb"), "\(finding.why)")
        #expect(finding.benignIf.contains("`instance`") && finding.benignIf.contains("`ip`"))
        #expect(finding.actor?.name.contains("mallory") == true)
        #expect(finding.destination?.endpoint.id == "i-0evil" && finding.destination?.endpoint.address == "10.1.2.3")
        #expect(finding.evidence.first?.input.hasSuffix("cloudtrail/trail.json") == true)
        // Who did it, and without a ticket: as for any mirroring change.
        #expect(result.findings(RuleID.unauthorizedActor).contains { $0.why.contains("RegisterTargets") })
        #expect(result.findings(RuleID.noTicket).contains { $0.why.contains("RegisterTargets") })
        #expect(result.findings(RuleID.observed).contains { $0.title.contains("RegisterTargets") })
    }

    @Test func fromASensitiveSourceTheMemberIsCriticalAndNamedAsTheDestination() async throws {
        var sensitive = Scenario(Chain.setup(source: "eni-pci", target: "tmt-nlb", nlb: Self.nlb)
                                 + [CT.registerTargets(Self.group, ["i-0evil"], at: "2026-11-03T11:00:00Z", by: Chain.intruder)], policy: Self.policy)
        sensitive.files = scenario([]).files
        let result = try await sensitive.run()
        let source = try #require(result.findings(RuleID.sensitiveSource).first { $0.why.contains("RegisterTargets") })
        #expect(source.severity == .critical && source.destination?.endpoint.id == "i-0evil", "\(source.why)")
        #expect(source.why.contains("It reaches i-0evil, a member of target group \(Self.group)"))
        #expect(result.findings(RuleID.unapprovedDestination).first?.severity == .critical)
    }

    @Test func approvedSensorsJoiningTheGroupLeaveOnlyTheAuditTrail() async throws {
        // A sensor in the approved subnet (by its interface's address) and the approved spare instance,
        // registered by the autoscaling service: the fleet scaling.
        let scaler = CT.role("AWSServiceRoleForAutoScaling", session: "AutoScaling", mfa: false)
        let result = try await scenario([CT.registerTargets(Self.group, ["i-0sensor2", "i-0spare"], at: "2026-11-03T11:00:00Z", by: scaler)]).run()
        let raised = result.findings.filter { $0.why.contains("RegisterTargets") }
        #expect(raised.map(\.rule) == [RuleID.observed], "\(raised.map { "\($0.rule) \($0.title)" })")
    }

    @Test func aGroupFeedingNoMirrorTargetIsNotMirroring() async throws {
        let web = "arn:aws:elasticloadbalancing:us-east-1:111122223333:targetgroup/web/99"
        let result = try await scenario([CT.registerTargets(web, ["i-0evil"], at: "2026-11-03T11:00:00Z", by: Chain.intruder)]).run()
        #expect(!result.findings.contains { $0.why.contains("RegisterTargets") })
        // Before the group is known to feed the sensor load balancer, a registration is not judged.
        let unlisted = try await scenario([CT.registerTargets(Self.group, ["i-0evil"], at: "2026-11-03T11:00:00Z", by: Chain.intruder)],
                                          groupListed: false).run()
        #expect(!unlisted.findings.contains { $0.why.contains("RegisterTargets") })
    }

    @Test func aListenerPointedAtAnotherGroupSendsThePacketsToItsMembers() async throws {
        let rogue = "arn:aws:elasticloadbalancing:us-east-1:111122223333:targetgroup/capture/42"
        let modify = CT.balancer("ModifyListener", at: "2026-11-03T11:05:00Z", by: Chain.intruder,
                                 request: ["listenerArn": Self.listener, "defaultActions": [["type": "forward", "targetGroupArn": rogue]]],
                                 response: ["listeners": [["listenerArn": Self.listener, "loadBalancerArn": Self.nlb, "port": 4789, "protocol": "UDP",
                                                           "defaultActions": [["type": "forward", "targetGroupArn": rogue]]]]])
        // Members registered in the rogue group before it fed anything: known when the listener moves.
        let result = try await scenario([CT.registerTargets(rogue, ["10.1.2.3"], at: "2026-11-03T11:00:00Z", by: Chain.intruder), modify]).run()
        let moved = result.findings(RuleID.unapprovedDestination)
        #expect(moved.count == 1, "\(moved.map(\.title))")
        #expect(moved.first?.why.contains("called ModifyListener") == true && moved.first?.destination?.endpoint.id == "10.1.2.3", "\(moved.first?.why ?? "")")
        // A listener list dated after the change shows its result, not the state before it: the change is still judged.
        var later = scenario([modify])
        later.files["snapshots/2026-11-04/111122223333/us-east-1/describe-listeners.json"] =
            #"{"Listeners":[{"ListenerArn":""# + Self.listener + #"","LoadBalancerArn":""# + Self.nlb + #"","Port":4789,"Protocol":"UDP","DefaultActions":[{"Type":"forward","TargetGroupArn":""# + rogue + #""}]}]}"#
        #expect(try await later.run().findings(RuleID.unapprovedDestination).count == 1)
        // A group whose members were never registered in the logs: the group itself, unknown members.
        let unknown = try await scenario([modify]).run()
        let finding = try #require(unknown.findings(RuleID.unapprovedDestination).first)
        #expect(finding.why.contains("now forwards to target group \(rogue), whose members were not registered in the logs read"), "\(finding.why)")
    }

    /// Members registered while nothing sent to the load balancer are judged when a session starts
    /// sending to it, and in the live state when no change reported them.
    @Test func membersAlreadyBehindTheLoadBalancerAreJudgedWhenMirroringReachesThem() async throws {
        // Registered before the session is created (the chain's session comes at 09:03).
        var early = scenario([])
        early.records.insert(CT.registerTargets(Self.group, ["i-0evil"], at: "2026-11-03T08:00:00Z", by: Chain.intruder), at: 0)
        let created = try await early.run()
        let finding = try #require(created.findings(RuleID.unapprovedDestination).first, "\(created.findings.map(\.title))")
        #expect(created.findings(RuleID.unapprovedDestination).count == 1)
        #expect(finding.why.contains("called CreateTrafficMirrorSession") && finding.why.contains("i-0evil is a member of target group \(Self.group), which NLB ndr-sensor forwards to: it receives a share of what session tms-1 copies"), "\(finding.why)")
        #expect(finding.actor?.name.contains("alice") == true, "the session's creator, who sent the traffic there")
        // A session live from a snapshot, the member registered in the logs before the group was known to feed
        // the load balancer: the live state reports it once.
        var live = Scenario([CT.registerTargets(Self.group, ["i-0evil"], at: "2026-11-03T11:00:00Z", by: Chain.intruder)], policy: Self.policy)
        live.files = scenario([]).files
        live.files["snapshots/111122223333/us-east-1/describe-traffic-mirror-targets.json"] =
            #"{"TrafficMirrorTargets":[{"TrafficMirrorTargetId":"tmt-nlb","NetworkLoadBalancerArn":""# + Self.nlb + #"","Type":"network-load-balancer","OwnerId":"111122223333"}]}"#
        live.files["snapshots/111122223333/us-east-1/describe-traffic-mirror-sessions.json"] =
            #"{"TrafficMirrorSessions":[{"TrafficMirrorSessionId":"tms-live","TrafficMirrorTargetId":"tmt-nlb","TrafficMirrorFilterId":"tmf-1","NetworkInterfaceId":"eni-web","OwnerId":"111122223333","SessionNumber":1}]}"#
        let state = try await live.run()
        let unapproved = state.findings(RuleID.unapprovedDestination)
        #expect(unapproved.count == 1, "judged when registered (the session was live), not again in the live state: \(unapproved.map(\.why))")
        #expect(unapproved.first?.why.contains("called RegisterTargets") == true)
    }

    @Test func listenersCountOverTheWholeLoadBalancerAndOnlyWhenTheyCarryMirroredPackets() async throws {
        let https = "arn:aws:elasticloadbalancing:us-east-1:111122223333:listener/net/ndr-sensor/0a1b2c3d4e5f6a7b/0443"
        let web = "arn:aws:elasticloadbalancing:us-east-1:111122223333:targetgroup/web/77"
        // A TCP 443 listener to another group: not where mirrored VXLAN goes.
        let tcp = CT.balancer("CreateListener", at: "2026-11-03T11:00:00Z", by: Chain.intruder,
                              request: ["loadBalancerArn": Self.nlb, "protocol": "TCP", "port": 443, "defaultActions": [["type": "forward", "targetGroupArn": web]]],
                              response: ["listeners": [["listenerArn": https, "loadBalancerArn": Self.nlb, "protocol": "TCP", "port": 443]]])
        let quiet = try await scenario([CT.registerTargets(web, ["i-0evil"], at: "2026-11-03T10:00:00Z", by: Chain.intruder), tcp]).run()
        #expect(quiet.findings(RuleID.unapprovedDestination).isEmpty, "\(quiet.findings(RuleID.unapprovedDestination).map(\.why))")
        // The UDP 4789 listener set again to the group the load balancer already feeds (the group list says so): nothing new.
        let same = CT.balancer("ModifyListener", at: "2026-11-03T11:00:00Z", by: Chain.intruder,
                               request: ["listenerArn": Self.listener, "defaultActions": [["type": "forward", "targetGroupArn": Self.group]]],
                               response: ["listeners": [["listenerArn": Self.listener, "loadBalancerArn": Self.nlb, "protocol": "UDP", "port": 4789]]])
        #expect(try await scenario([same]).run().findings(RuleID.unapprovedDestination).isEmpty)
        // A UDP 4789 listener created in the logs did not exist before (a load balancer has one listener per port and
        // protocol): a group list, written whenever, that shows its group fed shows the listener's result.
        let created = CT.balancer("CreateListener", at: "2026-11-03T11:00:00Z", by: Chain.intruder,
                                  request: ["loadBalancerArn": Self.nlb, "protocol": "UDP", "port": 4789, "defaultActions": [["type": "forward", "targetGroupArn": Self.group]]],
                                  response: ["listeners": [["listenerArn": Self.listener, "loadBalancerArn": Self.nlb, "protocol": "UDP", "port": 4789]]])
        let fresh = try await scenario([CT.registerTargets(Self.group, ["i-0evil"], at: "2026-11-03T10:00:00Z", by: Chain.intruder), created]).run()
        #expect(fresh.findings(RuleID.unapprovedDestination).first?.why.contains("called CreateListener") == true,
                "\(fresh.findings(RuleID.unapprovedDestination).map(\.why))")
    }

    @Test func aDeniedRegistrationIsProbingAndInstancesLaunchedInTheLogsHaveTheirAddress() async throws {
        var denied = CT.registerTargets(Self.group, ["i-0evil"], at: "2026-11-03T11:00:00Z", by: Chain.intruder)
        denied["errorCode"] = "AccessDenied"
        denied["errorMessage"] = "User is not authorized to perform: elasticloadbalancing:RegisterTargets"
        let probed = try await scenario([denied]).run()
        #expect(probed.findings(RuleID.denied).first?.title == "RegisterTargets denied (AccessDenied)", "\(probed.findings.map(\.title))")
        #expect(probed.findings(RuleID.unapprovedDestination).isEmpty)
        // An instance the fleet launched during the logs, in the approved sensor subnet: approved by its address.
        let launch = CT.balancer("RunInstances", at: "2026-11-03T10:59:00Z", request: ["instanceType": "c6in.large"],
                                 response: ["ownerId": "111122223333", "instancesSet": ["items": [[
                                     "instanceId": "i-0new", "subnetId": "subnet-sensor", "vpcId": "vpc-1", "privateIpAddress": "10.9.0.40",
                                     "networkInterfaceSet": ["items": [["networkInterfaceId": "eni-0new", "privateIpAddress": "10.9.0.40"]]]]]]])
        var scaled = launch
        scaled["eventSource"] = "ec2.amazonaws.com"
        let scaler = CT.role("AWSServiceRoleForAutoScaling", session: "AutoScaling", mfa: false)
        let result = try await scenario([scaled, CT.registerTargets(Self.group, ["i-0new"], at: "2026-11-03T11:00:00Z", by: scaler)]).run()
        #expect(result.graph.fact("i-0new")?.privateIP == "10.9.0.40")
        #expect(result.findings.filter { $0.why.contains("RegisterTargets") }.map(\.rule) == [RuleID.observed])
    }

    /// A Gateway Load Balancer endpoint target: the appliances in the target groups of the service's
    /// Gateway Load Balancer receive the packets (when the service's configuration was read).
    @Test func appliancesBehindAGatewayLoadBalancerEndpointServiceAreReceivers() async throws {
        let service = "com.amazonaws.vpce.us-east-1.vpce-svc-0insp"
        let gwlb = "arn:aws:elasticloadbalancing:us-east-1:111122223333:loadbalancer/gwy/inspection/5a6b"
        let appliances = "arn:aws:elasticloadbalancing:us-east-1:111122223333:targetgroup/appliances/77"
        let policy = Scenario.basePolicy.replacingOccurrences(
            of: "  - {name: sensor, target: tmt-ok, owner: netsec, reason: NDR sensors}",
            with: "  - {name: inspection endpoint, gwlbe: vpce-0insp, owner: netsec, reason: inspection VPC}")
        func scan(configured: Bool) async throws -> ScanResult {
            var scenario = Scenario(Chain.setup(target: "tmt-gw", gwlbe: "vpce-0insp")
                                    + [CT.registerTargets(appliances, ["i-0evil"], at: "2026-11-03T11:00:00Z", by: Chain.intruder)], policy: policy)
            scenario.files["snapshots/111122223333/us-east-1/describe-vpc-endpoints.json"] =
                #"{"VpcEndpoints":[{"VpcEndpointId":"vpce-0insp","VpcEndpointType":"GatewayLoadBalancer","ServiceName":""# + service + #"","OwnerId":"111122223333"}]}"#
            scenario.files["snapshots/111122223333/us-east-1/describe-target-groups.json"] =
                #"{"TargetGroups":[{"TargetGroupArn":""# + appliances + #"","Protocol":"GENEVE","Port":6081,"LoadBalancerArns":[""# + gwlb + #""]}]}"#
            if configured {
                scenario.files["snapshots/111122223333/us-east-1/describe-vpc-endpoint-service-configurations.json"] =
                    #"{"ServiceConfigurations":[{"ServiceType":[{"ServiceType":"GatewayLoadBalancer"}],"ServiceId":"vpce-svc-0insp","ServiceName":""# + service + #"","ServiceState":"Available","GatewayLoadBalancerArns":[""# + gwlb + #""]}]}"#
            }
            return try await scenario.run()
        }
        let result = try await scan(configured: true)
        #expect(result.graph.fact(service)?.loadBalancers == [gwlb] && result.graph.fact("vpce-svc-0insp")?.owner == "111122223333")
        let finding = try #require(result.findings(RuleID.unapprovedDestination).first, "\(result.findings.map(\.title))")
        #expect(finding.title == "Mirrored packets sent to GWLB inspection now reach unapproved i-0evil", "\(finding.title)")
        #expect(finding.why.contains("which GWLB inspection forwards to"), "\(finding.why)")
        #expect(try await scan(configured: false).findings(RuleID.unapprovedDestination).isEmpty, "without the service's configuration the chain is unknown")
    }

    @Test func theLoadBalancerMapFollowsListenersAndMembers() throws {
        let listed = ObservedTargetGroup(platform: .aws, scope: Scope(account: CT.account), id: Self.group, loadBalancers: [Self.nlb],
                                         evidence: Evidence(input: "tg.json", record: 0))
        var graph = MirrorGraph()
        graph.add(listed)
        #expect(graph.balancers.balancers(feeding: Self.group.uppercased()) == [Self.nlb.lowercased()], "ARNs compare in any case")
        #expect(graph.balancers.receivers(in: Self.group).first?.membersKnown == false)
        var register = BalancerChange(action: .register, operation: "RegisterTargets", platform: .aws, scope: Scope(account: CT.account),
                                      time: Date(timeIntervalSince1970: 0), actor: nil, outcome: .success, eventId: "e1",
                                      evidence: Evidence(input: "ct.json", record: 1))
        register.targetGroup = Self.group
        register.members = [Endpoint(kind: .instance, id: "i-1"), Endpoint(kind: .ip, id: "10.9.0.5", address: "10.9.0.5")]
        #expect(graph.apply(register).isEmpty, "no mirror target sends to the load balancer")
        #expect(graph.balancers.receivers(in: Self.group).map(\.endpoint.id) == ["i-1", "10.9.0.5"])
        var again = register
        again.members = [Endpoint(kind: .instance, id: "I-1")]
        _ = graph.apply(again)
        #expect(graph.balancers.receivers(in: Self.group).count == 2, "registering a member twice keeps one")
        var failed = register
        failed.action = .deregister
        failed.outcome = Outcome(succeeded: false, errorCode: "AccessDenied")
        _ = graph.apply(failed)
        #expect(graph.balancers.receivers(in: Self.group).count == 2, "a failed call changes nothing")
    }
}
