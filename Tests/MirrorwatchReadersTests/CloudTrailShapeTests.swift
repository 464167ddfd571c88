import Foundation
import MirrorwatchModel
import MirrorwatchReaders
import MirrorwatchTestSupport
import Testing

/// CloudTrail in every shape it is stored in, auto-detected.
@Suite struct CloudTrailShapeTests {
    static var chain: [[String: Any]] { [
        CT.createTarget("tmt-a", eni: "eni-s"), CT.other("PutObject"), CT.createFilter("tmf-a"),
        CT.createSession("tms-a", eni: "eni-1", target: "tmt-a", filter: "tmf-a"),
    ] }

    private func expectChain(_ result: ReadResult, records: Int = 4, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(result.report.format == "cloudtrail", sourceLocation: sourceLocation)
        #expect(result.report.records == records, sourceLocation: sourceLocation)
        #expect(result.report.skipped == 0, "\(result.report.issues)", sourceLocation: sourceLocation)
        #expect(result.changes.map(\.resourceId) == ["tmt-a", "tmf-a", "tms-a"], sourceLocation: sourceLocation)
    }

    @Test func s3ObjectCompactAndPretty() {
        expectChain(readInput("a.json", CT.s3Object(Self.chain)))
        let pretty = readInput("b.json", CT.s3Object(Self.chain, pretty: true))
        expectChain(pretty)
        #expect(pretty.changes[2].evidence.line.map { $0 > 1 } == true)
    }

    /// A record whose event name cannot be read where it belongs (a control byte after its colon: not
    /// JSON) but whose bytes name a mirroring call is decoded, so that it is reported as malformed with
    /// its record, line and byte, not counted as a record that says nothing; the others are still read.
    @Test func unreadableEventNameOfAMirroringCallIsReported() throws {
        let broken = CT.s3Object(Self.chain).replacingOccurrences(of: #""eventName":"CreateTrafficMirrorFilter""#,
                                                                   with: "\"eventName\":\u{01}\"CreateTrafficMirrorFilter\"")
        let result = readInput("c.json", broken)
        #expect(result.report.records == 4)
        #expect(result.report.skipped == 1)
        let issue = try #require(result.report.issues.first)
        #expect(issue.position.contains("record 2") && issue.position.contains("byte"), "\(issue)")
        #expect(issue.reason.contains("malformed record"), "\(issue)")
        #expect(result.changes.map(\.resourceId) == ["tmt-a", "tms-a"])
    }

    @Test func gzippedS3Object() {
        let dir = TemporaryDirectory()
        let path = dir.writeGzip("111122223333_CloudTrail_us-east-1_20261103T0900Z_abc.json.gz", CT.s3Object(Self.chain))
        let result = InputReader.read(InputSource.load(path))
        expectChain(result)
        #expect(result.changes[0].evidence.input == path)
    }

    @Test func jsonLines() {
        let result = readInput("export.jsonl", CT.jsonLines(Self.chain))
        expectChain(result)
        #expect(result.changes.map(\.evidence.line) == [1, 3, 4])
    }

    @Test func plainArray() {
        expectChain(readInput("events.json", CT.json(Self.chain)))
    }

    @Test func lakeExportWithStringEncodedMembersAndLowerCaseKeys() throws {
        let lines = Self.chain.map { record -> String in
            var lower: [String: Any] = [:]
            for (key, value) in record {
                if key == "requestParameters" || key == "responseElements" || key == "userIdentity" {
                    lower[key.lowercased()] = value is NSNull ? NSNull() : CT.json(value)
                } else {
                    lower[key.lowercased()] = value
                }
            }
            return CT.json(lower) + "\n"
        }.joined()
        let result = readInput("athena.jsonl", lines)
        expectChain(result)
        #expect(result.changes[2].spec.targetRef == "tmt-a")
        #expect(result.changes[2].actor?.sessionIssuer == "arn:aws:iam::111122223333:role/NetworkAdmin")
    }

    @Test func eventBridgeEnvelopes() throws {
        let lines = Self.chain.map { CT.json(CT.eventBridge($0)) + "\n" }.joined()
        let result = readInput("eventbridge.jsonl", lines)
        expectChain(result)
        #expect(result.changes[2].spec.sources.map(\.id) == ["eni-1"])
    }

    @Test func standardInput() throws {
        let binary = RepositoryPaths.executable
        try #require(FileManager.default.isExecutableFile(atPath: binary), "build the mirrorwatch executable first")
        let run = Command.run(binary, ["scan", "--format", "jsonl", "-"], stdin: CT.jsonLines(Self.chain))
        #expect(run.status == 0)
        #expect(run.stdout.contains("\"rule\":\"mirror.change.observed\""))
        #expect(run.stdout.components(separatedBy: "\n").filter { $0.contains("mirror.change.observed") }.count == 3)
    }

    @Test func directoriesAreWalkedRecursivelyInStableOrderSkippingHiddenFiles() {
        let dir = TemporaryDirectory()
        dir.write("AWSLogs/1/CloudTrail/us-east-1/2026/11/03/b.json", CT.s3Object([Self.chain[2]]))
        dir.write("AWSLogs/1/CloudTrail/us-east-1/2026/11/03/a.json", CT.s3Object([Self.chain[0]]))
        dir.write("AWSLogs/1/.tmp/c.json", CT.s3Object([Self.chain[3]]))
        dir.write(".hidden.json", "junk")
        let (files, issues) = InputSource.expand([dir.path, dir.path + "/missing"])
        #expect(files.map { ($0 as NSString).lastPathComponent } == ["a.json", "b.json"])
        #expect(issues.count == 1)
        #expect(issues.first?.reason == "no such file or directory")
    }

    @Test func duplicateRecordsKeepTheirEventId() {
        let record = Self.chain[3]
        let result = readInput("dup.jsonl", CT.jsonLines([record, record]))
        #expect(result.changes.count == 2)
        #expect(result.changes[0].eventId == result.changes[1].eventId)
    }
}
