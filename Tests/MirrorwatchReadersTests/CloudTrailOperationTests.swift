import Foundation
import MirrorwatchModel
@testable import MirrorwatchReaders
import MirrorwatchTestSupport
import Testing

/// Every Traffic Mirroring write, in the shape EC2 logs it, succeeding and failing.
@Suite struct CloudTrailOperationTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var operation: String
        var action: ChangeAction
        var kind: MirrorResourceKind
        var resource: String
        var parent: String?
        var request: @Sendable () -> [String: Any]
        var response: @Sendable () -> [String: Any]
        var testDescription: String { operation }
    }

    static let cases: [Case] = [
        Case(operation: "CreateTrafficMirrorTarget", action: .create, kind: .target, resource: "tmt-1",
             request: { ["NetworkInterfaceId": "eni-9", "Description": "sensor"] },
             response: { ["trafficMirrorTarget": ["trafficMirrorTargetId": "tmt-1", "networkInterfaceId": "eni-9", "ownerId": CT.account, "type": "network-interface"]] }),
        Case(operation: "DeleteTrafficMirrorTarget", action: .delete, kind: .target, resource: "tmt-1",
             request: { ["TrafficMirrorTargetId": "tmt-1"] }, response: { ["trafficMirrorTargetId": "tmt-1"] }),
        Case(operation: "CreateTrafficMirrorFilter", action: .create, kind: .filter, resource: "tmf-1",
             request: { ["Description": "web", "ClientToken": "x"] },
             response: { ["trafficMirrorFilter": ["trafficMirrorFilterId": "tmf-1"]] }),
        Case(operation: "DeleteTrafficMirrorFilter", action: .delete, kind: .filter, resource: "tmf-1",
             request: { ["TrafficMirrorFilterId": "tmf-1"] }, response: { ["trafficMirrorFilterId": "tmf-1"] }),
        Case(operation: "CreateTrafficMirrorFilterRule", action: .create, kind: .filterRule, resource: "tmfr-1", parent: "tmf-1",
             request: { ["TrafficMirrorFilterId": "tmf-1", "TrafficDirection": "ingress", "RuleNumber": 10, "RuleAction": "accept",
                         "SourceCidrBlock": "0.0.0.0/0", "DestinationCidrBlock": "10.0.0.0/8", "Protocol": 6] },
             response: { ["trafficMirrorFilterRule": ["trafficMirrorFilterRuleId": "tmfr-1", "trafficMirrorFilterId": "tmf-1",
                                                      "trafficDirection": "ingress", "ruleNumber": 10, "ruleAction": "accept",
                                                      "sourceCidrBlock": "0.0.0.0/0", "destinationCidrBlock": "10.0.0.0/8", "protocol": 6]] }),
        Case(operation: "ModifyTrafficMirrorFilterRule", action: .modify, kind: .filterRule, resource: "tmfr-1", parent: "tmf-1",
             request: { ["TrafficMirrorFilterRuleId": "tmfr-1", "TrafficMirrorFilterId": "tmf-1", "DestinationCidrBlock": "0.0.0.0/0",
                         "RemoveField": [["content": "protocol", "tag": 1]]] },
             response: { ["trafficMirrorFilterRule": ["trafficMirrorFilterRuleId": "tmfr-1", "trafficMirrorFilterId": "tmf-1",
                                                      "trafficDirection": "ingress", "destinationCidrBlock": "0.0.0.0/0", "sourceCidrBlock": "0.0.0.0/0"]] }),
        Case(operation: "DeleteTrafficMirrorFilterRule", action: .delete, kind: .filterRule, resource: "tmfr-1",
             request: { ["TrafficMirrorFilterRuleId": "tmfr-1"] }, response: { ["trafficMirrorFilterRuleId": "tmfr-1"] }),
        Case(operation: "ModifyTrafficMirrorFilterNetworkServices", action: .modify, kind: .filter, resource: "tmf-1",
             request: { ["TrafficMirrorFilterId": "tmf-1", "AddNetworkService": [["content": "amazon-dns", "tag": 1]]] },
             response: { ["trafficMirrorFilter": ["trafficMirrorFilterId": "tmf-1", "networkServices": ["amazon-dns"]]] }),
        Case(operation: "CreateTrafficMirrorSession", action: .create, kind: .session, resource: "tms-1",
             request: { ["NetworkInterfaceId": "eni-1", "TrafficMirrorTargetId": "tmt-1", "TrafficMirrorFilterId": "tmf-1", "SessionNumber": 1] },
             response: { ["trafficMirrorSession": ["trafficMirrorSessionId": "tms-1", "networkInterfaceId": "eni-1",
                                                   "trafficMirrorTargetId": "tmt-1", "trafficMirrorFilterId": "tmf-1"]] }),
        Case(operation: "ModifyTrafficMirrorSession", action: .modify, kind: .session, resource: "tms-1",
             request: { ["TrafficMirrorSessionId": "tms-1", "TrafficMirrorTargetId": "tmt-2"] },
             response: { ["trafficMirrorSession": ["trafficMirrorSessionId": "tms-1", "trafficMirrorTargetId": "tmt-2"]] }),
        Case(operation: "DeleteTrafficMirrorSession", action: .delete, kind: .session, resource: "tms-1",
             request: { ["TrafficMirrorSessionId": "tms-1"] }, response: { ["trafficMirrorSessionId": "tms-1"] }),
    ]

    @Test func coversEveryWriteOperation() {
        #expect(Set(Self.cases.map(\.operation)) == Set(AWSMirrorOperations.writes.keys))
    }

    /// The byte pre-check compares `TrafficMirror` at offset 6 as two words: every write passes it,
    /// reads and near misses (one byte off anywhere in the marker, too short, too long) do not.
    @Test func bytePreCheckPassesEveryWriteAndNothingElse() {
        func may(_ name: String) -> Bool { Array(name.utf8).withUnsafeBytes { AWSMirrorOperations.mayBeWrite($0, 0..<$0.count) } }
        let marker = Array("TrafficMirror".utf8)
        let words = marker.withUnsafeBytes { ($0.loadUnaligned(as: UInt64.self), $0.loadUnaligned(fromByteOffset: 5, as: UInt64.self)) }
        #expect(AWSMirrorOperations.markerWords == (UInt64(littleEndian: words.0), UInt64(littleEndian: words.1)))
        for operation in AWSMirrorOperations.writes.keys { #expect(may(operation), "\(operation)") }
        #expect(!may("DescribeTrafficMirrorSessions") && !may("GetObject") && !may("CreateTrafficMirro") && !may("CreateTrafficMirrorTarget" + String(repeating: "x", count: 20)))
        for at in 6..<19 {
            var name = Array("CreateTrafficMirrorTarget".utf8)
            name[at] ^= 0x01
            #expect(!may(String(decoding: name, as: UTF8.self)), "byte \(at)")
        }
    }

    @Test(arguments: cases)
    func successfulCallBecomesOneChange(_ c: Case) throws {
        let record = CT.mirror(c.operation, at: "2026-11-03T09:00:00Z", request: c.request(), response: c.response())
        let result = readInput("trail.json", CT.s3Object([CT.other("GetObject"), record]))
        #expect(result.report.records == 2)
        #expect(result.report.skipped == 0)
        let change = try #require(result.changes.first)
        #expect(result.changes.count == 1)
        #expect(change.operation == c.operation)
        #expect(change.action == c.action)
        #expect(change.resourceKind == c.kind)
        #expect(change.resourceId == c.resource)
        if let parent = c.parent { #expect(change.parentId == parent) }
        #expect(change.outcome.succeeded)
        #expect(change.scope == Scope(account: CT.account, region: "us-east-1"))
        #expect(change.actor?.sessionIssuer == "arn:aws:iam::111122223333:role/NetworkAdmin")
        #expect(change.evidence.record == 1)
        #expect(change.eventId != nil)
    }

    @Test(arguments: cases)
    func failedCallIsKeptWithItsError(_ c: Case) throws {
        let denied = CT.mirror(c.operation, at: "2026-11-03T09:00:00Z", request: c.request(),
                               error: ("Client.UnauthorizedOperation", "You are not authorized to perform this operation."))
        let dryRun = CT.mirror(c.operation, at: "2026-11-03T09:01:00Z", request: c.request(),
                               error: ("Client.DryRunOperation", "Request would have succeeded, but DryRun flag is set."))
        let result = readInput("trail.json", CT.s3Object([denied, dryRun]))
        #expect(result.changes.count == 2)
        #expect(result.changes.allSatisfy { !$0.outcome.succeeded && $0.operation == c.operation })
        #expect(result.changes[0].outcome.errorCode == "Client.UnauthorizedOperation")
        #expect(!result.changes[0].outcome.isDryRun)
        #expect(result.changes[1].outcome.isDryRun)
    }

    @Test func readsWhatEachChangeSays() throws {
        let records = Self.cases.map { CT.mirror($0.operation, at: "2026-11-03T09:00:00Z", request: $0.request(), response: $0.response()) }
        let changes = readInput("trail.json", CT.s3Object(records)).changes
        let byOp = Dictionary(uniqueKeysWithValues: changes.map { ($0.operation, $0) })
        #expect(byOp["CreateTrafficMirrorTarget"]?.spec.destination == Endpoint(kind: .eni, id: "eni-9", owner: CT.account))
        #expect(byOp["CreateTrafficMirrorTarget"]?.spec.description == "sensor")
        let rule = try #require(byOp["CreateTrafficMirrorFilterRule"]?.spec.rules.first)
        #expect(rule.direction == .ingress && rule.proto == 6 && rule.destinationCIDR == "10.0.0.0/8" && rule.number == 10)
        #expect(byOp["ModifyTrafficMirrorFilterRule"]?.spec.removedFields == ["protocol"])
        #expect(byOp["ModifyTrafficMirrorFilterNetworkServices"]?.spec.addedServices == ["amazon-dns"])
        let session = try #require(byOp["CreateTrafficMirrorSession"])
        #expect(session.spec.sources.map(\.id) == ["eni-1"])
        #expect(session.spec.targetRef == "tmt-1" && session.spec.filterRef == "tmf-1" && session.spec.sessionNumber == 1)
        #expect(byOp["ModifyTrafficMirrorSession"]?.spec.targetRef == "tmt-2")
        #expect(byOp["ModifyTrafficMirrorSession"]?.spec.filterRef == nil)
    }

    @Test func targetKindsResolveToTheirDestination() throws {
        let nlb = "arn:aws:elasticloadbalancing:us-east-1:444455556666:loadbalancer/net/sensor/abc"
        let gwlbe = CT.mirror("CreateTrafficMirrorTarget", at: "2026-11-03T09:00:00Z", request: ["GatewayLoadBalancerEndpointId": "vpce-0abc"],
                              response: ["trafficMirrorTarget": ["trafficMirrorTargetId": "tmt-3", "gatewayLoadBalancerEndpointId": "vpce-0abc",
                                                                 "ownerId": CT.account, "type": "gateway-load-balancer-endpoint"]])
        let changes = readInput("t.json", CT.s3Object([CT.createTarget("tmt-2", nlb: nlb, owner: "444455556666"), gwlbe])).changes
        #expect(changes[0].spec.destination?.kind == .nlb)
        #expect(changes[0].spec.destination?.id == nlb)
        #expect(changes[0].spec.destination?.owner == "444455556666")
        #expect(changes[1].spec.destination?.kind == .gwlbe)
        #expect(changes[1].spec.destination?.id == "vpce-0abc")
    }

    @Test func readOnlyCallsAreNotChanges() {
        let describe = ["DescribeTrafficMirrorSessions", "DescribeTrafficMirrorTargets", "DescribeTrafficMirrorFilters", "DescribeTrafficMirrorFilterRules"]
            .map { CT.mirror($0, at: "2026-11-03T09:00:00Z", request: [:], response: [:]) }
        let result = readInput("trail.json", CT.s3Object(describe + [CT.other("ListBuckets")]))
        #expect(result.report.records == 5)
        #expect(result.changes.isEmpty)
        #expect(result.report.skipped == 0)
    }

    @Test func identityShowsSessionAndRole() throws {
        let record = CT.createSession("tms-9", eni: "eni-1", target: "tmt-1", filter: "tmf-1", by: CT.role("Admin", session: "mallory", mfa: false))
        let actor = try #require(readInput("t.json", CT.s3Object([record])).changes.first?.actor)
        #expect(actor.name == "arn:aws:sts::111122223333:assumed-role/Admin/mallory")
        #expect(actor.sessionIssuer == "arn:aws:iam::111122223333:role/Admin")
        #expect(actor.mfa == false)
        #expect(actor.sourceIP == "198.51.100.7")
        #expect(actor.identities.contains("arn:aws:iam::111122223333:role/Admin"))
    }
}
