import Foundation
import Mirrorwatch
@testable import MirrorwatchState
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

    /// AWS mirrors a packet once, by the lowest-numbered session whose filter accepts it: a new session
    /// numbered below the approved sensor's on the same interface takes its traffic without touching it.
    @Test func aLowerNumberedSessionTakesAnApprovedSessionsTraffic() async throws {
        func scan(number: Int, target: String = "tmt-evil", filterAll: Bool = true) async throws -> ScanResult {
            var records = Chain.setup(source: "eni-pci")   // tms-1, number 1 → approved tmt-ok
            records[records.count - 1] = CT.createSession("tms-1", eni: "eni-pci", target: "tmt-ok", filter: "tmf-tms-1", number: 5)
            records += [
                CT.createTarget("tmt-evil", eni: "eni-evil", at: "2026-11-05T02:00:00Z", by: Chain.intruder),
                CT.createFilter("tmf-evil", at: "2026-11-05T02:00:10Z", by: Chain.intruder),
                CT.createRule("tmfr-evil", filter: "tmf-evil", destination: filterAll ? "0.0.0.0/0" : "10.1.2.3/32", at: "2026-11-05T02:00:20Z", by: Chain.intruder),
                CT.createSession("tms-evil", eni: "eni-pci", target: target, filter: "tmf-evil", at: "2026-11-05T02:01:00Z", by: Chain.intruder, number: number),
            ]
            return try await Scenario(records).run()
        }
        let before = try await scan(number: 1)
        let stolen = try #require(before.findings(RuleID.repointed).first { $0.title.contains("goes before approved") })
        #expect(stolen.title == "Session tms-evil (number 1) goes before approved tms-1 on eni-pci", "\(stolen.title)")
        #expect(stolen.severity == .critical, "a cardholder interface now copied to an unapproved target")
        #expect(stolen.why.contains("takes every packet (its filter tmf-evil copies all traffic) before tms-1 (session number 5, to approved eni-sensor-tmt-ok)"), "\(stolen.why)")
        #expect(stolen.evidence.count == 2, "the new session's record and the approved session's")
        #expect(stolen.change?.operation == "CreateTrafficMirrorSession")
        let narrow = try await scan(number: 1, filterAll: false)
        #expect(narrow.findings(RuleID.repointed).first { $0.title.contains("goes before approved") }?.why.contains("every packet its filter tmf-evil accepts") == true)
        // After the sensor in the order, or to the same approved target: the sensor keeps its traffic.
        #expect(try await scan(number: 9).findings(RuleID.repointed).filter { $0.title.contains("goes before") }.isEmpty)
        #expect(try await scan(number: 1, target: "tmt-ok").findings(RuleID.repointed).filter { $0.title.contains("goes before") }.isEmpty)
        // The mirror image: the approved session renumbered behind one that sends elsewhere.
        let behind = try await scan(number: 9).findings(RuleID.repointed).filter { $0.title.contains("comes after") }
        #expect(behind.isEmpty, "number 9 comes after the sensor's 5: nothing changed for the sensor")
        var records = Chain.setup(source: "eni-pci")
        records[records.count - 1] = CT.createSession("tms-1", eni: "eni-pci", target: "tmt-ok", filter: "tmf-tms-1", number: 5)
        records += [
            CT.createTarget("tmt-evil", eni: "eni-evil", at: "2026-11-05T02:00:00Z", by: Chain.intruder),
            CT.createSession("tms-evil", eni: "eni-pci", target: "tmt-evil", filter: "tmf-tms-1", at: "2026-11-05T02:01:00Z", by: Chain.intruder, number: 9),
            CT.modifySession("tms-1", number: 30, at: "2026-11-05T02:02:00Z", by: Chain.intruder),
        ]
        let renumbered = try await Scenario(records).run()
        let after = try #require(renumbered.findings(RuleID.repointed).first { $0.title.contains("comes after") })
        #expect(after.title == "Approved session tms-1 (now number 30) comes after tms-evil on eni-pci", "\(after.title)")
        #expect(after.severity == .critical, "the cardholder interface's packets go to an unapproved target first")
        #expect(after.why.contains("tms-evil (session number 9, to eni-evil)") && after.why.contains("send to destinations that are not approved"), "\(after.why)")
        #expect(after.change?.operation == "ModifyTrafficMirrorSession")
        // A rule added to the filter of the session that goes first: the finding says the sensor loses it.
        let widened = try await Scenario(records + [CT.createRule("tmfr-more", filter: "tmf-tms-1", destination: "0.0.0.0/0", at: "2026-11-05T03:00:00Z", by: Chain.intruder)]).run()
        let filter = try #require(widened.findings(RuleID.repointed).first { $0.title.contains("Filter tmf-tms-1") })
        #expect(filter.why.contains("tms-evil goes before approved tms-1 (session number 30, to approved eni-sensor-tmt-ok) on a shared interface"), "\(filter.why)")
        // A modify that leaves number and sources alone does not repeat it.
        let again = try await Scenario(records + [CT.modifySession("tms-1", description: "sensor", at: "2026-11-05T03:00:00Z", by: Chain.intruder)]).run()
        #expect(again.findings(RuleID.repointed).filter { $0.title.contains("comes after") }.count == 1)
    }

    /// Truncating what an approved session copies blinds its sensor to payloads, while the
    /// session, its target and its filter stay as approved.
    @Test func truncatingAnApprovedSessionsPacketsBlindsItsSensor() async throws {
        let records = Chain.setup() + [CT.modifySession("tms-1", packetLength: 64, at: "2026-11-05T02:01:00Z", by: Chain.intruder)]
        let result = try await Scenario(records).run()
        let blinded = try #require(result.findings(RuleID.repointed).first { $0.title.contains("bytes of each packet") })
        #expect(blinded.title == "Session tms-1 now copies only the first 64 bytes of each packet")
        #expect(blinded.severity >= .high, "an intruder blinding a sensor (context may raise it further)")
        #expect(blinded.why.contains("(before: whole packets)") && blinded.why.contains("little more than headers"), "\(blinded.why)")
        #expect(result.graph.sessions["tms-1"]?.packetLength == 64)
        // Restoring whole packets, or lengthening them, blinds nothing; the graph follows.
        let restored = try await Scenario(records + [CT.modifySession("tms-1", removing: ["packet-length"], at: "2026-11-05T03:00:00Z", by: Chain.intruder)]).run()
        #expect(restored.findings(RuleID.repointed).filter { $0.title.contains("bytes of each packet") }.count == 1)
        #expect(restored.graph.sessions["tms-1"]?.packetLength == nil)
        let longer = try await Scenario(records + [CT.modifySession("tms-1", packetLength: 8000, at: "2026-11-05T03:00:00Z", by: Chain.intruder)]).run()
        #expect(longer.findings(RuleID.repointed).filter { $0.title.contains("bytes of each packet") }.count == 1)
        // A jumbo frame's length or more truncates nothing.
        let jumbo = try await Scenario(Chain.setup() + [CT.modifySession("tms-1", packetLength: 8947, at: "2026-11-05T02:01:00Z", by: Chain.intruder)]).run()
        #expect(jumbo.findings(RuleID.repointed).filter { $0.title.contains("bytes of each packet") }.isEmpty)
        #expect(jumbo.graph.sessions["tms-1"]?.packetLength == nil)
        // A session to an unapproved target is judged by where it goes, not by how much it copies.
        let rogue = Chain.setup(target: "tmt-rogue") + [CT.modifySession("tms-1", packetLength: 64, at: "2026-11-05T02:01:00Z", by: Chain.intruder)]
        #expect(try await Scenario(rogue).run().findings(RuleID.repointed).filter { $0.title.contains("bytes of each packet") }.isEmpty)
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

    /// Two rules whose ranges together are every address copy as much as one catch-all rule.
    @Test func aCatchAllSplitIntoRulesIsBroad() async throws {
        let split = Chain.setup() + [
            CT.createRule("tmfr-low", filter: "tmf-tms-1", destination: "0.0.0.0/1", at: "2026-11-03T09:20:00Z"),
            CT.createRule("tmfr-high", filter: "tmf-tms-1", destination: "128.0.0.0/1", at: "2026-11-03T09:21:00Z"),
        ]
        let broad = try await Scenario(split).run().findings(RuleID.broadFilter)
        #expect(broad.count == 1, "the rule that completes the union")
        let why = broad.first?.why ?? ""
        #expect(why.contains("'ingress accept 0.0.0.0/0 -> 128.0.0.0/1 all protocols', which with 'ingress accept 0.0.0.0/0 -> 0.0.0.0/1 all protocols' accepts every address"), "\(why)")
        #expect(broad.first?.title.contains("tmf-tms-1") == true)
        // Halves that leave a gap, or a protocol limit, are not all traffic.
        let gap = Chain.setup() + [
            CT.createRule("tmfr-low", filter: "tmf-tms-1", destination: "0.0.0.0/1", at: "2026-11-03T09:20:00Z"),
            CT.createRule("tmfr-high", filter: "tmf-tms-1", destination: "192.0.0.0/2", at: "2026-11-03T09:21:00Z"),
        ]
        #expect(try await Scenario(gap).run().findings(RuleID.broadFilter).isEmpty)
        let tcp = Chain.setup() + [
            CT.createRule("tmfr-low", filter: "tmf-tms-1", destination: "0.0.0.0/1", proto: 6, at: "2026-11-03T09:20:00Z"),
            CT.createRule("tmfr-high", filter: "tmf-tms-1", destination: "128.0.0.0/1", proto: 6, at: "2026-11-03T09:21:00Z"),
        ]
        #expect(try await Scenario(tcp).run().findings(RuleID.broadFilter).isEmpty)
    }

    /// The coverage itself: sources and destinations split every way, the grid's corners.
    @Test func unionsOfRangesCoverTheSpaceExactly() {
        func filter(_ pairs: [(String, String)]) -> FilterState {
            var rules: [String: FilterRule] = [:]
            for (i, pair) in pairs.enumerated() {
                rules["r\(i)"] = FilterRule(id: "r\(i)", direction: .egress, number: i + 1, action: "accept", sourceCIDR: pair.0, destinationCIDR: pair.1)
            }
            return FilterState(platform: .aws, scope: Scope(), id: "f", rules: rules, services: [], origin: Evidence(input: "x"))
        }
        #expect(filter([("0.0.0.0/1", "0.0.0.0/0"), ("128.0.0.0/1", "0.0.0.0/0")]).catchAllDirections == [.egress])
        #expect(filter([("0.0.0.0/1", "0.0.0.0/1"), ("0.0.0.0/1", "128.0.0.0/1"), ("128.0.0.0/1", "0.0.0.0/0")]).catchAllDirections == [.egress])
        #expect(filter([("0.0.0.0/1", "0.0.0.0/1"), ("128.0.0.0/1", "128.0.0.0/1")]).catchAllDirections.isEmpty, "a checkerboard leaves two quarters")
        #expect(filter([("0.0.0.0/0", "0.0.0.0/1"), ("0.0.0.0/0", "128.0.0.0/2"), ("0.0.0.0/0", "192.0.0.0/2")]).catchAllDirections == [.egress])
        #expect(filter([("0.0.0.0/0", "0.0.0.0/1"), ("0.0.0.0/0", "128.0.0.0/2"), ("0.0.0.0/0", "192.0.0.0/3")]).catchAllDirections.isEmpty)
        #expect(filter([("0.0.0.0/0", "0.0.0.0/1"), ("0.0.0.0/0", "::/1")]).catchAllDirections.isEmpty, "IPv6 halves do not fill IPv4")
    }

    /// A catch-all filter known only from a snapshot is flagged when a session created in the logs
    /// uses it, and a session switched to a catch-all filter is flagged when it switches.
    @Test func aSessionTakingACatchAllFilterIsBroad() async throws {
        var scenario = Scenario(Chain.setup() + [CT.createSession("tms-new", eni: "eni-web2", target: "tmt-ok", filter: "tmf-s", at: "2026-11-03T09:30:00Z")])
        scenario.files["snapshots/f.json"] = #"{"TrafficMirrorFilters":[{"TrafficMirrorFilterId":"tmf-s","IngressFilterRules":[{"TrafficMirrorFilterRuleId":"r1","TrafficDirection":"ingress","RuleNumber":1,"RuleAction":"accept","SourceCidrBlock":"0.0.0.0/0","DestinationCidrBlock":"0.0.0.0/0"}],"EgressFilterRules":[]}]}"#
        let created = try await scenario.run().findings(RuleID.broadFilter)
        #expect(created.count == 1 && created.first?.title == "Session tms-new copies all traffic through filter tmf-s", "\(created.map(\.title))")
        #expect(created.first?.severity == .medium && created.first?.why.contains("accepts every packet (ingress)") == true)
        // Switching the live session to the filter made catch-all in the logs earlier.
        let switched = Chain.setup() + [
            CT.createFilter("tmf-wide", at: "2026-11-03T09:10:00Z"),
            CT.createRule("tmfr-w1", filter: "tmf-wide", at: "2026-11-03T09:11:00Z"),
            CT.createRule("tmfr-w2", filter: "tmf-wide", direction: "egress", at: "2026-11-03T09:12:00Z"),
            CT.modifySession("tms-1", filter: "tmf-wide", at: "2026-11-03T09:40:00Z"),
        ]
        let broad = try await Scenario(switched).run().findings(RuleID.broadFilter)
        #expect(broad.contains { $0.title == "Session tms-1 copies all traffic through filter tmf-wide" && $0.severity == .high }, "\(broad.map(\.title))")
    }

    /// A modify that changes only the VNI names no target or filter in its request, but AWS's
    /// answer holds the whole session: after a dated snapshot (dropped, as the logs rebuild the
    /// session) the session keeps its target and filter instead of losing them (which read as
    /// drift: "target none instead of tmt-ok").
    @Test func aModifyKeepsTheTargetAndFilterItsAnswerNames() async throws {
        let policy = Scenario.basePolicy + "approved_sessions:\n  - {id: tms-b, source: eni-web, target: tmt-ok, filter: tmf-b, owner: netsec, reason: NDR}\n"
        var vni = CT.mirror("ModifyTrafficMirrorSession", at: "2026-11-04T10:05:00Z", by: Chain.admin,
                            request: ["TrafficMirrorSessionId": "tms-b", "VirtualNetworkId": 4243],
                            response: ["trafficMirrorSession": ["trafficMirrorSessionId": "tms-b", "networkInterfaceId": "eni-web", "trafficMirrorTargetId": "tmt-ok",
                                                                "trafficMirrorFilterId": "tmf-b", "sessionNumber": 1, "virtualNetworkId": 4243]])
        vni["eventID"] = "vni-1"
        var scenario = Scenario([Chain.adminSignIn, vni], policy: policy)
        scenario.files["snapshots/111122223333/us-east-1/2026-11-05/describe-traffic-mirror-sessions.json"] =
            #"{"TrafficMirrorSessions":[{"TrafficMirrorSessionId":"tms-b","TrafficMirrorTargetId":"tmt-ok","TrafficMirrorFilterId":"tmf-b","NetworkInterfaceId":"eni-web","OwnerId":"111122223333","SessionNumber":1,"VirtualNetworkId":4242}]}"#
        let result = try await scenario.run()
        #expect(result.graph.sessions["tms-b"]?.targetRef == "tmt-ok" && result.graph.sessions["tms-b"]?.filterRef == "tmf-b")
        #expect(result.findings(RuleID.drift).isEmpty, "\(result.findings(RuleID.drift).map(\.why))")
        #expect(result.findings(RuleID.repointed).isEmpty, "the answer is state, not a re-point")
    }

    /// One region's session list says nothing of an approved session in another region; of one whose
    /// entry names no region it may be wrong, and says so at low.
    @Test func anotherRegionsListDoesNotMakeAnApprovedSessionMissing() async throws {
        func scan(entryRegion: String?, listRegion: String) async throws -> [Finding] {
            let region = entryRegion.map { ", region: \($0)" } ?? ""
            var scenario = Scenario(policy: Scenario.basePolicy + "approved_sessions:\n  - {id: tms-a, owner: netsec\(region)}\n")
            scenario.files["snapshots/111122223333/\(listRegion)/describe-traffic-mirror-sessions.json"] = #"{"TrafficMirrorSessions":[]}"#
            return try await scenario.run().findings(RuleID.drift)
        }
        let unsure = try await scan(entryRegion: nil, listRegion: "us-west-2")
        #expect(unsure.count == 1 && unsure.first?.severity == .low && unsure.first?.why.contains("names no region") == true,
                "no region named: said so, at low")
        #expect(try await scan(entryRegion: "us-east-1", listRegion: "us-west-2").isEmpty)
        let missing = try await scan(entryRegion: "us-west-2", listRegion: "us-west-2")
        #expect(missing.count == 1 && missing.first?.why.contains("absent from the session list read for") == true)
    }

    /// An approved session deleted by someone not authorized to change mirroring is high; by an
    /// authorized admin, medium.
    @Test func anApprovedSessionDeletedByAnIntruderIsHigh() async throws {
        let policy = Scenario.basePolicy + "approved_sessions:\n  - {id: tms-1, owner: netsec}\n"
        func missing(deletedBy who: [String: Any]) async throws -> Finding? {
            try await Scenario(Chain.setup() + [CT.deleteSession("tms-1", at: "2026-11-04T09:00:00Z", by: who)], policy: policy).run()
                .findings(RuleID.drift).first { $0.title.hasSuffix("is missing") }
        }
        let intruder = try #require(try await missing(deletedBy: Chain.intruder))
        #expect(intruder.severity == .high && intruder.why.contains("not in authorized_identities"))
        #expect(try await missing(deletedBy: Chain.admin)?.severity == .medium)
    }

    /// A target neither created in the logs nor in any target list read: said so, with what would resolve it.
    @Test func anUnresolvedTargetIsExplained() async throws {
        let records = Chain.setup() + [CT.modifySession("tms-1", target: "tmt-0shared", at: "2026-11-03T10:00:00Z", by: Chain.admin)]
        let finding = try #require(try await Scenario(records).run().findings(RuleID.unapprovedDestination).first { $0.destination?.endpoint.id == "tmt-0shared" })
        #expect(finding.why.contains("in no target list read and was not created in the logs read"))
        #expect(finding.why.contains("AWS RAM"))
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
