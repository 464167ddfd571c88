import Foundation
import Mirrorwatch
import MirrorwatchTestSupport
import Testing

@Suite struct EngineTests {
    func exampleScan(parallelism: Int, devices: Bool = false) async throws -> ScanResult {
        let policy = try PolicyLoader.load(path: RepositoryPaths.examples + "/policy.yaml")
        let paths = (["aws", "gcp", "azure", "tickets"] + (devices ? ["devices"] : [])).map { RepositoryPaths.examples + "/" + $0 }
        return await Scanner.scan(ScanOptions(paths: paths, policy: policy,
                                              now: Timestamp.parse("2026-11-29T00:00:00Z")!, parallelism: parallelism))
    }

    /// A one-shot command's scan leaves what it read to the process's exit: the same findings, and
    /// what is kept stays alive.
    @Test func scansThatEndTheProcessFindTheSame() async throws {
        let policy = try PolicyLoader.load(path: RepositoryPaths.examples + "/policy.yaml")
        var options = ScanOptions(paths: ["aws", "gcp", "azure", "tickets"].map { RepositoryPaths.examples + "/" + $0 }, policy: policy,
                                  now: Timestamp.parse("2026-11-29T00:00:00Z")!, parallelism: 2)
        let freed = await Scanner.scan(options)
        options.endsProcess = true
        let kept = await Scanner.scan(options)
        #expect(!freed.findings.isEmpty && kept.findings.map(\.id) == freed.findings.map(\.id) && kept.changes == freed.changes)
        final class Marker {}
        weak var marker: Marker?
        do {
            let value = Marker()
            marker = value
            ProcessLifetime.keep([value])
        }
        #expect(marker != nil, "kept until the process exits")
    }

    @Test func parallelAndSingleCoreScansAreIdentical() async throws {
        let one = try await exampleScan(parallelism: 1)
        let many = try await exampleScan(parallelism: 8)
        #expect(one.findings.map(\.id) == many.findings.map(\.id))
        #expect(one.findings.map(\.severity) == many.findings.map(\.severity))
        #expect(one.findings.count > 20)
        #expect(one.recordsSkipped == 0)
    }

    final class ProgressReports: @unchecked Sendable {
        let lock = NSLock()
        var seen: [ScanProgress] = []
        func add(_ p: ScanProgress) { lock.lock(); seen.append(p); lock.unlock() }
    }

    /// Progress is told once per input (no ticks in between here), counts only grow, and the last
    /// report is the whole read.
    @Test func progressIsToldOncePerInput() async throws {
        let reports = ProgressReports()
        var options = ScanOptions(paths: [RepositoryPaths.examples + "/aws", RepositoryPaths.examples + "/tickets"], parallelism: 3)
        options.progress = { reports.add($0) }
        options.progressInterval = .seconds(3600)
        let result = await Scanner.scan(options)
        let inputs = result.reports.count
        #expect(reports.seen.map(\.inputsRead) == Array(1...inputs))
        #expect(reports.seen.allSatisfy { $0.inputs == inputs })
        #expect(zip(reports.seen, reports.seen.dropFirst()).allSatisfy { $0.bytesRead <= $1.bytesRead && $0.recordsRead <= $1.recordsRead })
        #expect(reports.seen.last?.bytesRead == result.reports.reduce(0) { $0 + $1.bytes })
        #expect(reports.seen.last?.recordsRead == result.recordsRead)
    }

    /// Inside one large input, progress moves with the bytes its reader is done with.
    @Test func progressMovesInsideALargeInput() async throws {
        let dir = TemporaryDirectory()
        // About 24 MB, several of the readers' 8 MB windows: one record written once, repeated.
        let one = CloudTrailFixture.s3Object([CloudTrailFixture.other("DescribeInstances", source: "ec2.amazonaws.com")])
        let other = String(one.dropFirst(#"{"Records":["#.count).dropLast(2))
        let change = CloudTrailFixture.s3Object([CloudTrailFixture.createSession("tms-1", eni: "eni-1", target: "tmt-1", filter: "tmf-1")])
        let body = String(repeating: other + ",", count: 24 << 20 / (other.count + 1))
        let path = dir.write("big/trail.json", #"{"Records":["# + body + String(change.dropFirst(#"{"Records":["#.count)))
        let size = try #require(try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int)
        let reports = ProgressReports()
        var options = ScanOptions(paths: [path], parallelism: 1)
        options.progress = { reports.add($0) }
        options.progressInterval = .milliseconds(1)
        let result = await Scanner.scan(options)
        #expect(result.changes == 1)
        let during = reports.seen.filter { $0.inputsRead == 0 }
        #expect(during.contains { $0.bytesRead > 0 && $0.bytesRead < size }, "\(reports.seen.prefix(5)) of \(size) bytes")
        #expect(zip(reports.seen, reports.seen.dropFirst()).allSatisfy { $0.bytesRead <= $1.bytesRead })
        #expect(reports.seen.last?.inputsRead == 1 && reports.seen.last?.bytesRead == size)
        // The meter itself, without timers: a streamed log and an input read whole are each counted once.
        var reading = ReaderOptions()
        reading.meter = ReadMeter()
        _ = InputReader.read(path: path, options: reading)
        #expect(reading.meter?.bytes == size)
        let snapshot = dir.write("snap/111122223333/us-east-1/describe-traffic-mirror-sessions.json", #"{"TrafficMirrorSessions": []}"#)
        _ = InputReader.read(path: snapshot, options: reading)
        #expect(reading.meter?.bytes == size + #"{"TrafficMirrorSessions": []}"#.utf8.count)
    }

    @Test func exampleOrganizationTellsItsStory() async throws {
        let result = try await exampleScan(parallelism: 2)
        #expect(result.rules.isSuperset(of: [RuleID.unapprovedDestination, RuleID.externalDestination, RuleID.sensitiveSource, RuleID.transient,
                                             RuleID.repointed, RuleID.drift, RuleID.expiredException, RuleID.denied, RuleID.noTicket]))
        #expect(result.worst == .critical)
        #expect(result.findings.contains { $0.exception == "EXC-15" && $0.severity == .info })
        #expect(Set(result.findings.map(\.platform)) == [.aws, .gcp, .azure])
        for platform in [Platform.aws, .gcp, .azure] {
            let repointed = result.findings.filter { $0.platform == platform && $0.rule == RuleID.repointed }
            #expect(repointed.contains { $0.severity >= .high }, "\(platform) re-pointing is reported")
        }
        #expect(result.findings.allSatisfy { !$0.why.isEmpty && !$0.benignIf.isEmpty && !$0.evidence.isEmpty })
        #expect(Set(result.findings.map(\.id)).count == result.findings.count, "finding ids are unique")
    }

    /// The README's example run shows a change with its ticket, one without, and exfiltration proven by flows.
    @Test func exampleRunCorrelatesTicketsIdentitiesAndFlows() async throws {
        let result = try await exampleScan(parallelism: 2, devices: true)
        let correlated = result.correlatedFindings
        let rollout = try #require(correlated.first { $0.change?.resource == "tms-0sensor0000000001" && $0.change?.action == .create })
        #expect(rollout.ticket == "CHG0031001")
        #expect(rollout.context.identityChain.first?.hasPrefix("alice@example.com (signed in to NetworkAdmin through AssumeRoleWithSAML") == true)
        let attack = try #require(correlated.first { $0.change?.resource == "tms-0e7i10000000000ff" && $0.change?.action == .create })
        #expect(attack.ticket == nil && attack.why.contains("No change ticket: CHG0031017 is in state 'New'"))
        #expect(attack.context.identityChain.first?.contains("user/svc-jenkins (assumed DeployRole with AssumeRole") == true)
        #expect(attack.severity == .critical && attack.context.rules.count >= 4)
        let erspan = try #require(correlated.first { $0.scope.device == "core-sw1" && $0.context.flags.contains("flow-confirmed") && $0.change != nil })
        #expect(erspan.severity == .critical && erspan.why.contains("Flow telemetry confirms"))
        let onward = try #require(result.findings(RuleID.unapprovedFlow).first { $0.destination?.endpoint.id == "198.51.100.200" })
        #expect(onward.why.contains("eni-0badd0g5e5510n000"))
        let repoint = try #require(correlated.first { $0.change?.operation == "ModifyTrafficMirrorSession" })
        #expect(repoint.context.flags.contains("no-mfa") && repoint.context.mfa == false)
        #expect(correlated.count < result.findings.count)
    }

    @Test func theSameRecordReadTwiceCountsOnce() async throws {
        let dir = TemporaryDirectory()
        let records = Chain.setup()
        dir.write("a/trail.json", CT.s3Object(records))
        dir.write("b/copy.jsonl", CT.jsonLines(records))
        let result = await Scanner.scan(ScanOptions(paths: [dir.path], parallelism: 2))
        #expect(result.changes == 4)
        #expect(result.duplicateChanges == 4)
        #expect(result.findings(RuleID.observed).count == 4)
    }

    @Test func snapshotObjectsCreatedInTheLogsAreNotDoubleCounted() async throws {
        var scenario = Scenario(Chain.setup(target: "tmt-rogue"))
        scenario.files["snapshots/s.json"] = #"{"TrafficMirrorSessions":[{"TrafficMirrorSessionId":"tms-1","TrafficMirrorTargetId":"tmt-rogue","TrafficMirrorFilterId":"tmf-tms-1","NetworkInterfaceId":"eni-web","OwnerId":"111122223333"}]}"#
        let result = try await scenario.run()
        #expect(result.findings(RuleID.unapprovedDestination).count == 1, "the session's creation explains the snapshot entry")
        #expect(result.graph.sessions["tms-1"]?.fromSnapshot == false)
    }
}
