import Foundation
import Mirrorwatch
import MirrorwatchTestSupport
import Testing

/// A dated complete session list against the replayed logs: a deletion or re-creation the logs do
/// not hold is reported as a coverage gap, and the live state follows the list.
@Suite struct SnapshotConsistencyTests {
    static let policy = DeviceRuleTests.policy.replacingOccurrences(of: "change_control: {require_ticket: false}",
                                                                   with: "authorized_identities: [\"netops-*\"]\nchange_control: {require_ticket: false}")
    static let sessionOne = "monitor session 1 source interface Gi1/0/1 both\nmonitor session 1 destination interface Gi1/0/48\n"

    func line(_ time: String, _ seq: Int, _ command: String) -> String {
        "Nov  \(time) core-sw1 \(seq): %PARSER-5-CFGLOG_LOGGEDCMD: User:netops-carol  logged command:\(command)\n"
    }

    func scan(config: String, at configPath: String, logs: String, logsModified: String = "2026-11-06T00:00:00Z") async throws -> ScanResult {
        var scenario = Scenario(policy: Self.policy)
        scenario.files["devices/" + configPath] = "hostname core-sw1\n!\n" + config + "end\n"
        scenario.files["devices/logs/core-sw1.log"] = logs
        return try await scenario.runAll(modified: ["devices/logs/core-sw1.log": Timestamp.parse(logsModified)!])
    }

    @Test func aSessionTheLogsLeaveLiveButTheDatedListLacksWasDeletedUnseen() async throws {
        let logs = line("3 11:00:00", 90, "monitor session 5 source interface Gi1/0/2 both")
            + line("3 11:00:01", 91, "monitor session 5 destination interface Gi1/0/30")
        let result = try await scan(config: Self.sessionOne, at: "rancid/2026-11-05/core-sw1.cfg", logs: logs)
        let gap = try #require(result.findings(RuleID.coverageGap).first { $0.title.contains("Deletion of core-sw1:monitor session 5 not logged") })
        #expect(gap.severity == .medium)
        #expect(gap.time == Timestamp.parse("2026-11-05T00:00:00Z"))
        #expect(gap.why.contains("copying to core-sw1:GigabitEthernet1/0/30"), "\(gap.why)")
        #expect(gap.why.contains("by netops-carol"), "\(gap.why)")
        #expect(gap.evidence.map(\.input).contains { $0.hasSuffix("logs/core-sw1.log") })
        #expect(gap.evidence.map(\.input).contains { $0.hasSuffix("rancid/2026-11-05/core-sw1.cfg") })
        #expect(gap.resourceRefs == ["core-sw1:monitor session 5"])
        #expect(!gap.benignIf.isEmpty)
        // The live state follows the list: the session is gone, its removal recorded as a change nobody was seen making.
        #expect(result.graph.sessions["core-sw1:monitor session 5"] == nil)
        #expect(result.graph.sessions["core-sw1:monitor session 1"] != nil)
        let deletion = try #require(result.findings(RuleID.observed).first { $0.change?.action == .delete })
        #expect(deletion.actor == nil)
        #expect(deletion.change?.operation.contains("absent from the session list") == true)
        #expect(!result.findings(RuleID.drift).contains { $0.title.contains("monitor session 5") }, "not reported as live")
    }

    @Test func aSessionTheLogsDeletedButTheDatedListHasAgainWasRecreatedUnseen() async throws {
        let logs = line("3 11:00:00", 90, "no monitor session 1")
        let config = "monitor session 1 source interface Gi1/0/1 both\nmonitor session 1 destination interface Gi1/0/13\n"
        let result = try await scan(config: config, at: "rancid/2026-11-05/core-sw1.cfg", logs: logs)
        let gap = try #require(result.findings(RuleID.coverageGap).first { $0.title.contains("Re-creation of core-sw1:monitor session 1 not logged") })
        #expect(gap.why.contains("netops-carol deleted core-sw1:monitor session 1 at 2026-11-03T11:00:00Z"), "\(gap.why)")
        // Judged like any new session: the cardholder port now goes to an unapproved port.
        #expect(result.graph.sessions["core-sw1:monitor session 1"] != nil)
        let unapproved = try #require(result.findings(RuleID.unapprovedDestination).first)
        #expect(unapproved.destination?.endpoint.id == "core-sw1:GigabitEthernet1/0/13")
        #expect(unapproved.severity == .critical)
        #expect(unapproved.actor == nil)
    }

    @Test func changesOnTheListsDayAndUndatedListsAreLeftAlone() async throws {
        // Created on the day the list is dated: it may have been taken before the change.
        let sameDay = line("5 10:00:00", 90, "monitor session 5 source interface Gi1/0/2 both")
            + line("5 10:00:01", 91, "monitor session 5 destination interface Gi1/0/30")
        let day = try await scan(config: Self.sessionOne, at: "rancid/2026-11-05/core-sw1.cfg", logs: sameDay)
        #expect(day.findings(RuleID.coverageGap).filter { $0.title.contains("not logged") }.isEmpty)
        #expect(day.graph.sessions["core-sw1:monitor session 5"] != nil)
        // No date in the path: file times do not date a list.
        let earlier = line("3 11:00:00", 90, "monitor session 5 source interface Gi1/0/2 both")
            + line("3 11:00:01", 91, "monitor session 5 destination interface Gi1/0/30")
        let undated = try await scan(config: Self.sessionOne, at: "rancid/core-sw1.cfg", logs: earlier)
        #expect(undated.findings(RuleID.coverageGap).filter { $0.title.contains("not logged") }.isEmpty)
        #expect(undated.graph.sessions["core-sw1:monitor session 5"] != nil)
    }

    @Test func aListWrittenBeforeItsPathsDateIsNotDatedByIt() async throws {
        var scenario = Scenario(policy: Self.policy)
        scenario.files["devices/incident-2026-11-20/core-sw1.cfg"] = "hostname core-sw1\n!\n" + Self.sessionOne + "end\n"
        scenario.files["devices/logs/core-sw1.log"] = line("3 11:00:00", 90, "monitor session 5 source interface Gi1/0/2 both")
            + line("3 11:00:01", 91, "monitor session 5 destination interface Gi1/0/30")
        let result = try await scenario.runAll(modified: ["devices/incident-2026-11-20/core-sw1.cfg": Timestamp.parse("2026-11-02T06:00:00Z")!,
                                                         "devices/logs/core-sw1.log": Timestamp.parse("2026-11-04T00:00:00Z")!])
        #expect(result.findings(RuleID.coverageGap).filter { $0.title.contains("not logged") }.isEmpty)
        #expect(result.graph.sessions["core-sw1:monitor session 5"] != nil)
    }

    @Test func anAWSSessionMissingFromADatedListWasDeletedUnseen() async throws {
        var scenario = Scenario([CT.createSession("tms-gone", eni: "eni-1", target: "tmt-ok", filter: "tmf-1")])
        scenario.files["snapshots/2026-11-05/111122223333/us-east-1/describe-traffic-mirror-sessions.json"] = #"{"TrafficMirrorSessions": []}"#
        let result = try await scenario.run()
        let gap = try #require(result.findings(RuleID.coverageGap).first { $0.title.contains("Deletion of tms-gone not logged") })
        #expect(gap.platform == .aws)
        #expect(gap.scope.account == "111122223333" && gap.scope.region == "us-east-1")
        #expect(result.graph.sessions["tms-gone"] == nil)
        // The same list without a date in its path changes nothing.
        var undated = Scenario([CT.createSession("tms-gone", eni: "eni-1", target: "tmt-ok", filter: "tmf-1")])
        undated.files["snapshots/111122223333/us-east-1/describe-traffic-mirror-sessions.json"] = #"{"TrafficMirrorSessions": []}"#
        let kept = try await undated.run()
        #expect(kept.findings(RuleID.coverageGap).filter { $0.title.contains("not logged") }.isEmpty)
        #expect(kept.graph.sessions["tms-gone"] != nil)
    }

    /// Several sessions vanishing between two snapshots are several changes, not one.
    @Test func sessionsVanishingFromOneSnapshotAreSeparateChanges() async throws {
        var scenario = Scenario(policy: Self.policy)
        scenario.files["devices/rancid/2026-11-02/core-sw1.cfg"] = "hostname core-sw1\n!\n" + Self.sessionOne
            + "monitor session 2 source vlan 30\nmonitor session 2 destination remote vlan 900\nend\n"
        scenario.files["devices/rancid/2026-11-03/core-sw1.cfg"] = "hostname core-sw1\n!\nend\n"
        let result = try await scenario.runAll()
        let deletions = result.findings(RuleID.observed).filter { $0.change?.action == .delete }
        #expect(deletions.compactMap(\.change?.resource).sorted() == ["core-sw1:monitor session 1", "core-sw1:monitor session 2"])
        #expect(Set(deletions.map(\.id)).count == 2, "one finding each, with ids of their own")
        #expect(result.correlatedFindings.filter { $0.change?.action == .delete }.count == 2)
        #expect(result.findings(RuleID.coverageGap).filter { $0.title.contains("not logged") }.isEmpty, "the snapshots agree with each other")
    }
}
