import Foundation
import Mirrorwatch
import MirrorwatchModel
import MirrorwatchReaders
import MirrorwatchTestSupport
import Testing

/// Elastic Load Balancing in CloudTrail and in `aws elbv2` describe output: who is in which target
/// group, which load balancer forwards to which group.
@Suite struct BalancerReadingTests {
    static let nlb = "arn:aws:elasticloadbalancing:us-east-1:111122223333:loadbalancer/net/ndr-sensor/0a1b2c3d4e5f6a7b"
    static let group = "arn:aws:elasticloadbalancing:us-east-1:111122223333:targetgroup/ndr-vxlan/1122334455667788"
    static let other = "arn:aws:elasticloadbalancing:us-east-1:111122223333:targetgroup/capture/42"
    static let listener = "arn:aws:elasticloadbalancing:us-east-1:111122223333:listener/net/ndr-sensor/0a1b2c3d4e5f6a7b/99aa88bb77cc66dd"

    /// Endpoint service calls in the shapes EC2 writes: one `{"tag", "content"}` item or a list of
    /// them, `{"item": …}` sets in answers, the SDK's plural names in other exports; one change per
    /// service a delete names, failed ones as the answer lists them.
    @Test func endpointServiceCallsBecomeServeChanges() throws {
        let gwlb = "arn:aws:elasticloadbalancing:us-east-1:111122223333:loadbalancer/gwy/inspection/5a6b"
        let rogue = "arn:aws:elasticloadbalancing:us-east-1:111122223333:loadbalancer/gwy/capture/9f9f"
        let records: [[String: Any]] = [
            CT.mirror("CreateVpcEndpointServiceConfiguration", at: "2026-11-03T07:00:00Z",
                      request: ["GatewayLoadBalancerArn": ["tag": 1, "content": gwlb], "AcceptanceRequired": false],
                      response: ["serviceConfiguration": ["serviceId": "vpce-svc-0a", "serviceName": "com.amazonaws.vpce.us-east-1.vpce-svc-0a",
                                                          "gatewayLoadBalancerArnSet": ["item": [gwlb, rogue]]]]),
            CT.mirror("ModifyVpcEndpointServiceConfiguration", at: "2026-11-03T07:01:00Z",
                      request: ["ServiceId": "vpce-svc-0a", "AddGatewayLoadBalancerArn": [["tag": 1, "content": rogue]],
                                "RemoveGatewayLoadBalancerArn": ["tag": 1, "content": gwlb]]),
            // The SDK's spelling (as other exports write requests).
            CT.mirror("ModifyVpcEndpointServiceConfiguration", at: "2026-11-03T07:02:00Z",
                      request: ["serviceId": "vpce-svc-0b", "addGatewayLoadBalancerArns": [rogue]]),
            // Only other settings: nothing moves.
            CT.mirror("ModifyVpcEndpointServiceConfiguration", at: "2026-11-03T07:03:00Z", request: ["ServiceId": "vpce-svc-0a", "AcceptanceRequired": true]),
            CT.mirror("DeleteVpcEndpointServiceConfigurations", at: "2026-11-03T07:04:00Z",
                      request: ["ServiceId": [["tag": 1, "content": "vpce-svc-0a"], ["tag": 2, "content": "vpce-svc-0b"]]],
                      response: ["unsuccessful": ["item": ["resourceId": "vpce-svc-0b", "error": ["code": "InvalidVpcEndpointService.NotFound"]]]]),
        ]
        let changes = readInput("trail.json", CT.s3Object(records)).balancerChanges
        #expect(changes.map(\.action) == Array(repeating: .serve, count: 5))
        #expect(changes.map { $0.service ?? "-" } == ["vpce-svc-0a", "vpce-svc-0a", "vpce-svc-0b", "vpce-svc-0a", "vpce-svc-0b"])
        #expect(changes[0].forwardsTo == [gwlb, rogue] && changes[0].replacesAll)
        #expect(changes[1].forwardsTo == [rogue] && changes[1].stopsForwardingTo == [gwlb] && !changes[1].replacesAll)
        #expect(changes[2].forwardsTo == [rogue])
        #expect(changes[3].replacesAll && changes[3].forwardsTo.isEmpty && changes[3].outcome.succeeded)
        #expect(!changes[4].outcome.succeeded, "the answer lists vpce-svc-0b as not deleted")
        #expect(Set(changes.compactMap(\.eventId)).count == 5, "a delete of two services makes two changes, each with its own id")
    }

    @Test func cloudTrailCallsBecomeBalancerChanges() throws {
        let records: [[String: Any]] = [
            CT.registerTargets(Self.group, ["i-0abc", "10.9.0.7"], at: "2026-11-03T11:00:00Z"),
            CT.balancer("DeregisterTargets", at: "2026-11-03T11:01:00Z", request: ["targetGroupArn": Self.group, "targets": [["id": "i-0abc"]]]),
            // CreateListener names the load balancer; its answer holds the listener.
            CT.balancer("CreateListener", at: "2026-11-03T11:02:00Z",
                        request: ["loadBalancerArn": Self.nlb, "protocol": "UDP", "port": 4789,
                                  "defaultActions": [["type": "forward", "targetGroupArn": Self.group]]],
                        response: ["listeners": [["listenerArn": Self.listener, "loadBalancerArn": Self.nlb]]]),
            // ModifyListener with weighted groups, no answer: the load balancer comes from the listener's ARN.
            CT.balancer("ModifyListener", at: "2026-11-03T11:03:00Z",
                        request: ["listenerArn": Self.listener, "defaultActions": [["type": "forward", "forwardConfig": [
                            "targetGroups": [["targetGroupArn": Self.group, "weight": 1], ["targetGroupArn": Self.other, "weight": 9]]]]]]),
            CT.balancer("DeleteListener", at: "2026-11-03T11:04:00Z", request: ["listenerArn": Self.listener]),
            CT.balancer("DeleteTargetGroup", at: "2026-11-03T11:05:00Z", request: ["targetGroupArn": Self.other]),
            // Not read: a call without the group it acts on, and other load balancing calls.
            CT.balancer("RegisterTargets", at: "2026-11-03T11:06:00Z", request: ["targets": [["id": "i-0abc"]]]),
            CT.balancer("DescribeTargetHealth", at: "2026-11-03T11:07:00Z", request: ["targetGroupArn": Self.group]),
            // VPC Lattice has calls of the same names: not load balancing, not a problem either.
            { var lattice = CT.balancer("RegisterTargets", at: "2026-11-03T11:08:00Z", request: ["targetGroupIdentifier": "tg-0lattice", "targets": [["id": "i-0abc"]]])
              lattice["eventSource"] = "vpc-lattice.amazonaws.com"; return lattice }(),
        ]
        let result = readInput("trail.json", CT.s3Object(records))
        let changes = result.balancerChanges
        #expect(changes.map(\.operation) == ["RegisterTargets", "DeregisterTargets", "CreateListener", "ModifyListener", "DeleteListener", "DeleteTargetGroup"])
        #expect(changes.map(\.action) == [.register, .deregister, .forward, .forward, .removeListener, .deleteGroup])
        let register = changes[0]
        #expect(register.targetGroup == Self.group && register.members == [Endpoint(kind: .instance, id: "i-0abc"),
                                                                            Endpoint(kind: .ip, id: "10.9.0.7", address: "10.9.0.7")])
        #expect(register.actor?.name.contains("alice@example.com") == true && register.scope == Scope(account: CT.account, region: "us-east-1"))
        #expect(register.eventId != nil && register.outcome.succeeded && register.evidence.record == 0)
        #expect(changes[2].listener == Self.listener && changes[2].loadBalancer == Self.nlb && changes[2].forwardsTo == [Self.group])
        #expect(changes[3].loadBalancer == Self.nlb && changes[3].forwardsTo == [Self.group, Self.other])
        #expect(changes[4].loadBalancer == Self.nlb)
        #expect(result.changes.isEmpty, "not Traffic Mirroring calls")
        // The call without its group is reported with its place, not dropped silently.
        #expect(result.report.skipped == 1 && result.report.issues.first?.position.hasPrefix("record 6") == true, "\(result.report.issues)")
        #expect(result.report.issues.first?.reason.contains("RegisterTargets record without") == true)
    }

    @Test func endpointServiceConfigurationsNameTheirLoadBalancers() throws {
        let gwlb = "arn:aws:elasticloadbalancing:us-east-1:111122223333:loadbalancer/gwy/inspection/5a6b"
        let result = readInput("snap/us-east-1/describe-vpc-endpoint-service-configurations.json",
                               #"{"ServiceConfigurations":[{"ServiceType":[{"ServiceType":"GatewayLoadBalancer"}],"ServiceId":"vpce-svc-0insp","ServiceName":"com.amazonaws.vpce.us-east-1.vpce-svc-0insp","GatewayLoadBalancerArns":[""# + gwlb + #""]},{"ServiceId":"vpce-svc-0nlb","ServiceName":"com.amazonaws.vpce.us-east-1.vpce-svc-0nlb","NetworkLoadBalancerArns":[""# + Self.nlb + #""]}]}"#)
        #expect(result.report.format == "aws-inventory" && result.report.skipped == 0)
        #expect(result.assets.map(\.id) == ["com.amazonaws.vpce.us-east-1.vpce-svc-0insp", "vpce-svc-0insp", "com.amazonaws.vpce.us-east-1.vpce-svc-0nlb", "vpce-svc-0nlb"])
        #expect(result.assets[1].loadBalancers == [gwlb] && result.assets[1].owner == "111122223333")
        #expect(result.assets[2].loadBalancers == [Self.nlb])
    }

    /// `RunInstances` as CloudTrail records it: one fact per interface, each with its own subnet and
    /// address, the primary first; provisional, so interface lists win whatever order inputs come in.
    @Test func launchedInstancesGiveTheirInterfaces() throws {
        let launch: [String: Any] = CT.balancer("RunInstances", at: "2026-11-03T10:00:00Z", request: [:], response: [
            "ownerId": "111122223333", "instancesSet": ["items": [[
                "instanceId": "i-0two", "subnetId": "subnet-a", "privateIpAddress": "10.1.0.5", "vpcId": "vpc-1",
                "networkInterfaceSet": ["items": [
                    ["networkInterfaceId": "eni-second", "subnetId": "subnet-pci", "privateIpAddress": "10.20.8.9", "attachment": ["deviceIndex": 1]],
                    ["networkInterfaceId": "eni-primary", "subnetId": "subnet-a", "privateIpAddress": "10.1.0.5", "attachment": ["deviceIndex": 0]]]]]]]])
        let facts = readInput("trail.json", CT.s3Object([launch])).assets
        #expect(facts.map(\.id) == ["eni-primary", "eni-second"])
        #expect(facts.map(\.subnetId) == ["subnet-a", "subnet-pci"] && facts.map(\.privateIP) == ["10.1.0.5", "10.20.8.9"])
        #expect(facts.allSatisfy { $0.instanceId == "i-0two" && $0.provisional && $0.vpcId == "vpc-1" })
        var listed = AssetFact(id: "eni-primary", instanceId: "i-0two", subnetId: "subnet-a", privateIP: "10.1.0.5", publicIP: "198.51.100.9",
                               tags: ["DataClass": "web"], evidence: Evidence(input: "enis.json", record: 0))
        listed.description = "Primary network interface"
        for order in [[facts[0], listed], [listed, facts[0]]] {
            var graph = MirrorGraph()
            order.forEach { graph.add($0) }
            #expect(graph.fact("eni-primary")?.tags == ["DataClass": "web"] && graph.fact("eni-primary")?.publicIP == "198.51.100.9")
            #expect(graph.fact("i-0two")?.tags == ["DataClass": "web"] && graph.fact("i-0two")?.provisional == false, "the listing stands for the instance")
        }
    }

    /// GCP: members of instance groups, the groups of a backend service, a collector's backend service,
    /// in the v1 and client-library spellings; reads skipped.
    @Test func gcpAuditEntriesBecomeBalancerChanges() throws {
        let group = "projects/p/zones/us-central1-a/instanceGroups/sensors"
        let service = "projects/p/regions/us-central1/backendServices/bs"
        let entries: [[String: Any]] = [
            GCPAuditFixture.entry(method: "v1.compute.instanceGroups.addInstances", resourceName: group,
                                  request: ["instances": [["instance": "https://www.googleapis.com/compute/v1/projects/p/zones/us-central1-a/instances/vm-1"]]], project: "p"),
            GCPAuditFixture.entry(method: "google.cloud.compute.v1.InstanceGroups.RemoveInstances", resourceName: group,
                                  request: ["instanceGroupsRemoveInstancesRequestResource": ["instances": [["instance": "projects/p/zones/us-central1-a/instances/vm-1"]]],
                                            "project": "p", "zone": "us-central1-a"], project: "p"),
            GCPAuditFixture.entry(method: "v1.compute.regionBackendServices.insert", resourceName: "projects/p/regions/us-central1/backendServices",
                                  request: ["name": "bs", "backends": [["group": "https://www.googleapis.com/compute/v1/" + group]]], project: "p"),
            GCPAuditFixture.entry(method: "v1.compute.forwardingRules.insert", resourceName: "projects/p/regions/us-central1/forwardingRules/col",
                                  request: ["name": "col", "isMirroringCollector": true, "backendService": "https://www.googleapis.com/compute/v1/" + service], project: "p"),
            GCPAuditFixture.entry(method: "v1.compute.regionBackendServices.get", resourceName: service, project: "p"),
            GCPAuditFixture.entry(method: "v1.compute.instanceGroups.listInstances", resourceName: group, project: "p"),
        ]
        let result = readInput("audit.jsonl", CT.jsonLines(entries))
        let changes = result.balancerChanges
        #expect(changes.map(\.action) == [.register, .deregister, .forward, .attach], "\(changes.map(\.operation))")
        #expect(changes[0].targetGroup == group && changes[0].members == [Endpoint(kind: .instance, id: "projects/p/zones/us-central1-a/instances/vm-1")])
        #expect(changes[0].platform == .gcp && changes[0].scope.account == "p" && changes[0].actor?.name == "alice@example.com")
        #expect(changes[1].members.map(\.id) == ["projects/p/zones/us-central1-a/instances/vm-1"])
        #expect(changes[2].listener == service && changes[2].forwardsTo == [group] && changes[2].createsListener)
        #expect(changes[3].loadBalancer == "projects/p/regions/us-central1/forwardingRules/col" && changes[3].listener == service)
        #expect(result.changes.count == 1, "the collector's forwarding rule is still a mirroring write")
        let services = readInput("bs.json", #"[{"kind": "compute#backendService", "backends": [{"group": "https://www.googleapis.com/compute/v1/"# + group + #""}], "selfLink": "https://www.googleapis.com/compute/v1/"# + service + #""}]"#)
        #expect(services.report.format == "gcp-inventory" && services.targetGroups.map(\.id) == [group] && services.targetGroups.first?.listener == service)
    }

    /// Relevance from the method name, and from the whole entry when it has no plain `methodName`
    /// (pretty-printed output); a successful launch exported with `"errorCode": null` is read.
    @Test func gcpEntriesWithoutAPlainMethodNameAreSearchedWhole() throws {
        let group = "projects/p/zones/us-central1-a/instanceGroups/sensors"
        let entry = GCPAuditFixture.entry(method: "v1.compute.instanceGroups.addInstances", resourceName: group,
                                          request: ["instances": [["instance": "projects/p/zones/us-central1-a/instances/vm-1"]]], project: "p")
        let pretty = readInput("read.json", "[" + CT.json(entry, pretty: true) + "]")
        #expect(pretty.balancerChanges.map(\.action) == [.register], "\(pretty.report)")
        var launch: [String: Any] = CT.balancer("RunInstances", at: "2026-11-03T10:00:00Z", request: [:], response: [
            "instancesSet": ["items": [["instanceId": "i-0n", "privateIpAddress": "10.1.0.9"]]]])
        launch["errorCode"] = NSNull()
        #expect(readInput("trail.json", CT.s3Object([launch])).assets.first?.privateIP == "10.1.0.9")
    }

    @Test func describeTargetGroupsAndListenersTellWhichGroupsALoadBalancerFeeds() throws {
        let groups = readInput("snap/111122223333/us-east-1/describe-target-groups.json",
                               #"{"TargetGroups":[{"TargetGroupArn":""# + Self.group + #"","Protocol":"UDP","Port":4789,"LoadBalancerArns":[""# + Self.nlb + #""]},{"TargetGroupName":"no-arn"}]}"#)
        #expect(groups.report.format == "aws-inventory" && groups.report.skipped == 1, "\(groups.report.issues)")
        #expect(groups.targetGroups.map(\.id) == [Self.group] && groups.targetGroups.first?.loadBalancers == [Self.nlb])
        #expect(groups.targetGroups.first?.scope == Scope(account: "111122223333", region: "us-east-1"))
        let listeners = readInput("snap/us-east-1/describe-listeners.json",
                                  #"{"Listeners":[{"ListenerArn":""# + Self.listener + #"","Port":4789,"Protocol":"UDP","DefaultActions":[{"Type":"forward","ForwardConfig":{"TargetGroups":[{"TargetGroupArn":""# + Self.other + #"","Weight":1}]}}]}]}"#)
        #expect(listeners.targetGroups.map(\.id) == [Self.other])
        #expect(listeners.targetGroups.first?.loadBalancers == [Self.nlb], "from the listener's ARN when LoadBalancerArn is left out")
        #expect(listeners.targetGroups.first?.listener == Self.listener)
    }
}
