import Foundation
import MirrorwatchJSON
import MirrorwatchModel
@testable import MirrorwatchReaders
import MirrorwatchTestSupport
import Testing

/// CloudTrail sign-ins and role assumptions are read from a tape of their bytes (`JSONTape`)
/// instead of a decoded tree: the reader must give exactly the events the decoded path gives,
/// for every shape it meets, including the ones it hands back to the decoded path.
@Suite struct AuthEventTapeTests {
    /// The events the decoded path makes of `records` (each one JSON object), described in full.
    func decoded(_ records: [String]) -> [String] {
        let unused = ByteStringSet(CloudTrailReader.unusedMembers)
        return records.enumerated().compactMap { index, text -> String? in
            let bytes = Array(text.utf8)
            guard let value = try? bytes.withUnsafeBytes({ try JSONParser.parse($0, skipping: unused) }),
                  let event = CloudTrailEvent(value) else { return nil }
            return AWSAuthEvents.event(from: event, evidence: Evidence(input: "", record: index, line: index + 1)).map(describe)
        }
    }

    /// The events the reader makes of `records` written as JSON lines.
    func read(_ records: [String]) -> (events: [String], result: ReadResult) {
        let result = readInput("auth.jsonl", records.joined(separator: "\n") + "\n", as: .cloudtrail)
        return (result.authEvents.map { event in
            var copy = event
            copy.evidence = Evidence(input: "", record: event.evidence.record, line: event.evidence.line)
            return describe(copy)
        }, result)
    }

    func describe(_ event: AuthEvent) -> String { String(describing: event) }

    static let assumeRole = #"{"eventVersion":"1.08","userIdentity":{"type":"IAMUser","principalId":"AIDA1","arn":"arn:aws:iam::111122223333:user/alice","accountId":"111122223333","accessKeyId":"AKIAALICE","userName":"alice"},"eventTime":"2026-11-03T10:00:00Z","eventSource":"sts.amazonaws.com","eventName":"AssumeRole","awsRegion":"us-east-1","sourceIPAddress":"198.51.100.7","userAgent":"aws-cli/2.18.4 md/x","requestParameters":{"roleArn":"arn:aws:iam::111122223333:role/NetworkAdmin","roleSessionName":"alice"},"responseElements":{"credentials":{"accessKeyId":"ASIAISSUED1","sessionToken":"tok","expiration":"x"},"assumedRoleUser":{"assumedRoleId":"AROA:alice","arn":"arn:aws:sts::111122223333:assumed-role/NetworkAdmin/alice"}},"recipientAccountId":"111122223333"}"#

    static var shapes: [String] {
        let base = assumeRole
        return [
            base,
            // Blanks everywhere a writer may put them.
            base.replacingOccurrences(of: "\":", with: "\" : ").replacingOccurrences(of: ",\"", with: ", \""),
            // Escapes in values and in a name; a name in another case; a repeated name (the last wins).
            base.replacingOccurrences(of: "\"userName\":\"alice\"", with: "\"userName\":\"al\\u00efce\\/x\",\"user\\u004eame\":\"other\"")
                .replacingOccurrences(of: "\"awsRegion\"", with: "\"AWSRegion\"")
                .replacingOccurrences(of: "\"eventTime\":\"2026-11-03T10:00:00Z\"", with: "\"eventTime\":\"2026-11-03T09:00:00Z\",\"eventTime\":\"2026-11-03T10:00:01Z\""),
            // Stored as JSON text (Lake, Athena): handed to the decoded path.
            base.replacingOccurrences(of: #""requestParameters":{"roleArn":"arn:aws:iam::111122223333:role/NetworkAdmin","roleSessionName":"alice"}"#,
                                      with: #""requestParameters":"{\"roleArn\":\"arn:aws:iam::111122223333:role/FromText\"}""#)
                .replacingOccurrences(of: #","assumedRoleUser":{"assumedRoleId":"AROA:alice","arn":"arn:aws:sts::111122223333:assumed-role/NetworkAdmin/alice"}"#, with: ""),
            // Failed, and federated.
            base.replacingOccurrences(of: "\"recipientAccountId\"", with: "\"errorCode\":\"AccessDenied\",\"recipientAccountId\""),
            base.replacingOccurrences(of: "\"eventName\":\"AssumeRole\"", with: "\"eventName\":\"AssumeRoleWithSAML\"")
                .replacingOccurrences(of: "\"assumedRoleUser\"", with: "\"subject\":\"alice@example.com\",\"assumedRoleUser\""),
            // A console sign-in with MFA, one without a result, and values of other types where text is read.
            #"{"userIdentity":{"type":"Root","arn":"arn:aws:iam::111122223333:root","sessionContext":{"attributes":{"mfaAuthenticated":"TRUE"}}},"eventTime":"2026-11-03T08:00:00Z","eventName":"ConsoleLogin","awsRegion":"us-east-1","sourceIPAddress":"203.0.113.9","responseElements":{"ConsoleLogin":"Success"},"additionalEventData":{"MFAUsed":"Yes"},"recipientAccountId":"111122223333"}"#,
            #"{"userIdentity":{"type":"IAMUser","userName":"bob","mfa":true},"eventTime":"2026-11-03T08:00:00.5+02:00","eventName":"ConsoleLogin","awsRegion":null,"sourceIPAddress":7,"responseElements":null,"recipientAccountId":"111122223333"}"#,
            // Without a time: no event on either path.
            #"{"eventName":"AssumeRole","userIdentity":{"type":"IAMUser"}}"#,
        ]
    }

    @Test func readerGivesTheDecodedPathsEvents() {
        let records = Self.shapes
        let (events, result) = read(records)
        #expect(events == decoded(records))
        #expect(events.count == records.count - 1)
        #expect(result.report.relevant == events.count)
        #expect(result.report.issues.isEmpty)
        // The spot checks the comparison stands on.
        #expect(result.authEvents[0].issuedAccessKey == "ASIAISSUED1")
        #expect(result.authEvents[0].callerAccessKey == "AKIAALICE")
        #expect(result.authEvents[2].time == Timestamp.parse("2026-11-03T10:00:01Z"))
        #expect(result.authEvents[2].scope.region == "us-east-1")
        #expect(result.authEvents[3].issuedIdentity == "arn:aws:iam::111122223333:role/FromText")
        #expect(result.authEvents[4].succeeded == false)
        #expect(result.authEvents[5].subject == "alice@example.com")
        #expect(result.authEvents[6].mfa == true && result.authEvents[6].kind == .signIn)
    }

    @Test func brokenRecordsAreReportedAsBefore() {
        let broken = String(Self.assumeRole.dropLast(3))
        let (events, result) = read([Self.assumeRole, broken, Self.assumeRole.replacingOccurrences(of: "\"alice\"}", with: "\"al\u{01}ice\"}")])
        #expect(events.count == 1)
        #expect(result.report.issues.count == 2)
        #expect(result.report.issues.contains { $0.position.hasPrefix("record 2") && $0.reason.contains("control character") })
    }

    /// Every sign-in and role assumption in the examples and, when present, the public datasets.
    @Test func realRecordsGiveTheSameEvents() throws {
        var files = [RepositoryPaths.root + "/examples/aws"]
        if let datasets = RepositoryPaths.datasets { files.append(datasets + "/aws") }
        var records: [String] = []
        for file in InputSource.expand(files).0 where file.hasSuffix(".json") || file.hasSuffix(".jsonl") {
            guard let data = FileManager.default.contents(atPath: file), let value = try? JSONParser.parse(Array(data)) else {
                // JSON lines: one record per line.
                let text = String(decoding: FileManager.default.contents(atPath: file) ?? Data(), as: UTF8.self)
                records += text.split(separator: "\n").map(String.init).filter { $0.contains("AssumeRole") || $0.contains("ConsoleLogin") }
                continue
            }
            let list = value["Records"]?.elements ?? (value.elements.count > 1 ? value.elements : [])
            records += list.filter { ["AssumeRole", "ConsoleLogin", "AssumeRoleWithSAML", "AssumeRoleWithWebIdentity"].contains($0["eventName"]?.text ?? "") }
                .map { record in
                    var writer = JSONWriter()
                    writer.value(nil, record)
                    return writer.output
                }
        }
        let (events, _) = read(records)
        #expect(events.count >= 14)
        #expect(events == decoded(records))
    }
}
