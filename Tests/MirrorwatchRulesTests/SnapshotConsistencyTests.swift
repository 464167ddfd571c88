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

    /// netops-carol sets up monitor session 5 (Gi1/0/2 to Gi1/0/30) on `day` (`"3"`) at `time` (`"11:00"`).
    func createFive(_ day: String, _ time: String) -> String {
        line("\(day) \(time):00", 90, "monitor session 5 source interface Gi1/0/2 both")
            + line("\(day) \(time):01", 91, "monitor session 5 destination interface Gi1/0/30")
    }

    /// The list did not count against the logs: no unlogged change, and session 5 still live.
    func expectLeftAlone(_ result: ScanResult, _ comment: Comment? = nil) {
        #expect(result.findings(RuleID.coverageGap).filter { $0.title.contains("not logged") }.isEmpty, comment)
        #expect(result.graph.sessions["core-sw1:monitor session 5"] != nil, comment)
    }

    func scan(config: String, at configPath: String, logs: String, logsModified: String = "2026-11-06T00:00:00Z") async throws -> ScanResult {
        var scenario = Scenario(policy: Self.policy)
        scenario.files["devices/" + configPath] = "hostname core-sw1\n!\n" + config + "end\n"
        scenario.files["devices/logs/core-sw1.log"] = logs
        return try await scenario.runAll(modified: ["devices/logs/core-sw1.log": Timestamp.parse(logsModified)!])
    }

    @Test func aSessionTheLogsLeaveLiveButTheDatedListLacksWasDeletedUnseen() async throws {
        let result = try await scan(config: Self.sessionOne, at: "rancid/2026-11-05/core-sw1.cfg", logs: createFive("3", "11:00"))
        let gap = try #require(result.findings(RuleID.coverageGap).first { $0.title.contains("Deletion of core-sw1:monitor session 5 not logged") })
        #expect(gap.severity == .medium)
        #expect(gap.time == Timestamp.parse("2026-11-05T00:00:00Z"))
        #expect(gap.why.contains("copying to core-sw1:GigabitEthernet1/0/30"), "\(gap.why)")
        #expect(gap.why.contains("by netops-carol"), "\(gap.why)")
        #expect(gap.evidence.map(\.input).contains { $0.hasSuffix("logs/core-sw1.log") })
        #expect(gap.evidence.map(\.input).contains { $0.hasSuffix("rancid/2026-11-05/core-sw1.cfg") })
        #expect(gap.resourceRefs == ["core-sw1:monitor session 5"])
        #expect(gap.actor == nil, "who deleted it is unknown; the creator is named in the text only")
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
        expectLeftAlone(try await scan(config: Self.sessionOne, at: "rancid/2026-11-05/core-sw1.cfg", logs: createFive("5", "10:00")))
        // No date in the path: file times do not date a list.
        expectLeftAlone(try await scan(config: Self.sessionOne, at: "rancid/core-sw1.cfg", logs: createFive("3", "11:00")))
    }

    /// A day's folder may be written the evening before in UTC (a time zone east of it), or later
    /// than its date: sessions changed on the day before or after the date are not judged by it.
    @Test func listsTakenBeforeOrLongAfterTheirDateAreNotMisread() async throws {
        // Created at 22:00Z on the 4th, missing from a list written at 06:00 on the 5th in UTC+10.
        expectLeftAlone(try await scan(config: Self.sessionOne, at: "rancid/2026-11-05/core-sw1.cfg", logs: createFive("4", "22:00")))
        // Deleted (logged) on the 7th, missing from a list in a folder named the 5th: taken later than its name says.
        let later = createFive("3", "11:00") + line("7 09:00:00", 92, "no monitor session 5")
        let misnamed = try await scan(config: Self.sessionOne, at: "incident-2026-11-05/core-sw1.cfg", logs: later, logsModified: "2026-11-08T00:00:00Z")
        #expect(misnamed.findings(RuleID.coverageGap).filter { $0.title.contains("not logged") }.isEmpty)
        // An inferred deletion has no time to measure a lifetime to: never a transient.
        var scenario = Scenario(policy: Self.policy + "transient_window: 2d\n")
        scenario.files["devices/rancid/2026-11-05/core-sw1.cfg"] = "hostname core-sw1\n!\n" + Self.sessionOne + "end\n"
        scenario.files["devices/logs/core-sw1.log"] = createFive("4", "09:00")
        let inferred = try await scenario.runAll(modified: ["devices/logs/core-sw1.log": Timestamp.parse("2026-11-06T00:00:00Z")!])
        #expect(inferred.findings(RuleID.coverageGap).contains { $0.title.contains("Deletion of core-sw1:monitor session 5 not logged") })
        #expect(inferred.findings(RuleID.transient).isEmpty, "\(inferred.findings(RuleID.transient).map(\.title))")
    }

    /// One page of a longer AWS list is not the whole list, and sessions printed without their
    /// owner (`--query`) belong to the list's account.
    @Test func aPageOfAListIsNotTheWholeList() async throws {
        var paged = Scenario([CT.createSession("tms-elsewhere", eni: "eni-1", target: "tmt-ok", filter: "tmf-1")])
        paged.files["snapshots/2026-11-05/111122223333/us-east-1/describe-traffic-mirror-sessions.json"] =
            #"{"TrafficMirrorSessions": [{"TrafficMirrorSessionId": "tms-other", "OwnerId": "111122223333", "NetworkInterfaceId": "eni-2", "TrafficMirrorTargetId": "tmt-ok"}], "NextToken": "eyJ0b2tlbiI6IDJ9"}"#
        let page = try await paged.run()
        #expect(page.findings(RuleID.coverageGap).filter { $0.title.contains("not logged") }.isEmpty)
        #expect(page.graph.sessions["tms-elsewhere"] != nil)
        var ownerless = Scenario([CT.createSession("tms-kept", eni: "eni-1", target: "tmt-ok", filter: "tmf-1")])
        ownerless.files["snapshots/2026-11-05/111122223333/us-east-1/describe-traffic-mirror-sessions.json"] =
            #"{"TrafficMirrorSessions": [{"TrafficMirrorSessionId": "tms-kept", "NetworkInterfaceId": "eni-1", "TrafficMirrorTargetId": "tmt-ok"}]}"#
        let kept = try await ownerless.run()
        #expect(kept.findings(RuleID.coverageGap).filter { $0.title.contains("not logged") }.isEmpty)
        #expect(kept.graph.sessions["tms-kept"] != nil)
    }

    @Test func aListWrittenBeforeItsPathsDateIsNotDatedByIt() async throws {
        var scenario = Scenario(policy: Self.policy)
        scenario.files["devices/incident-2026-11-20/core-sw1.cfg"] = "hostname core-sw1\n!\n" + Self.sessionOne + "end\n"
        scenario.files["devices/logs/core-sw1.log"] = createFive("3", "11:00")
        expectLeftAlone(try await scenario.runAll(modified: ["devices/incident-2026-11-20/core-sw1.cfg": Timestamp.parse("2026-11-02T06:00:00Z")!,
                                                             "devices/logs/core-sw1.log": Timestamp.parse("2026-11-04T00:00:00Z")!]))
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
