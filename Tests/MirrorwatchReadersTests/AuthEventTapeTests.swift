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
    /// The event the decoded path makes of each of `records` (each one JSON object), described in full.
    func decodedEach(_ records: [String]) -> [String?] {
        let unused = ByteStringSet(CloudTrailReader.unusedMembers)
        return records.enumerated().map { index, text -> String? in
            let bytes = Array(text.utf8)
            guard let value = try? bytes.withUnsafeBytes({ try JSONParser.parse($0, skipping: unused) }),
                  let event = CloudTrailEvent(value) else { return nil }
            return AWSAuthEvents.event(from: event, evidence: Evidence(input: "", record: index, line: index + 1)).map(describe)
        }
    }

    func decoded(_ records: [String]) -> [String] { decodedEach(records).compactMap { $0 } }

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

    /// Shapes the tape hands to the decoded path: EventBridge, members stored as JSON text, a
    /// repeated name that makes the record another event.
    static var handedBack: [String] {
        let base = assumeRole
        return [
            #"{"version":"0","detail-type":"AWS API Call via CloudTrail","source":"aws.sts","detail":"# + base + "}",
            base.replacingOccurrences(of: #""userIdentity":{"type":"IAMUser","principalId":"AIDA1","arn":"arn:aws:iam::111122223333:user/alice","accountId":"111122223333","accessKeyId":"AKIAALICE","userName":"alice"}"#,
                                      with: #""userIdentity":" {\"type\":\"IAMUser\",\"arn\":\"arn:aws:iam::111122223333:user/text\"}""#),
            base.replacingOccurrences(of: #""responseElements":{"#, with: #""responseElements":"[1]","ignored":{"#),
            #"{"eventName":"ConsoleLogin","eventTime":"2026-11-03T08:00:00Z","userIdentity":{"type":"Root"},"additionalEventData":"{\"MFAUsed\":\"No\"}"}"#,
            base.replacingOccurrences(of: "\"awsRegion\"", with: "\"eventName\":\"StopLogging\",\"awsRegion\""),
        ]
    }

    /// What the tape makes of each record on its own (nil: handed to the decoded path).
    func taped(_ records: [String]) -> [String?] {
        var tape = JSONTape()
        return records.enumerated().map { index, text in
            Array(text.utf8).withUnsafeBytes { raw in
                CloudTrailReader.tapeAuthEvent(raw, tape: &tape, evidence: Evidence(input: "", record: index, line: index + 1)).map(describe)
            }
        }
    }

    @Test func tapeTakesPlainRecordsAndHandsBackTheRest() {
        let plain = Self.shapes
        let taken = taped(plain), expected = decodedEach(plain)
        // Every plain shape but the JSON-text one and the one without a time is taken from the tape,
        // with the decoded path's event.
        #expect(taken.indices.filter { taken[$0] == nil } == [3, 8])
        for i in plain.indices where taken[i] != nil { #expect(taken[i] == expected[i], "shape \(i)") }
        #expect(expected[3] != nil && expected[8] == nil)
        #expect(taped(Self.handedBack).allSatisfy { $0 == nil })
        // The reader gives the decoded path's events for those too.
        let records = Self.handedBack
        let (events, result) = read(records)
        #expect(events == decoded(records))
        #expect(result.authEvents.count == 4)
        #expect(result.authEvents.map(\.issuedIdentity).contains("arn:aws:sts::111122223333:assumed-role/NetworkAdmin/alice"))
        #expect(result.loggingChanges.count == 1)
    }

    /// The names the tape path reads must not be among those the decoded path drops: both would still
    /// agree on every test above, and differ on real records that have them.
    @Test func namesReadAreNotDroppedByTheDecodedPath() {
        let read = ["eventTime", "eventName", "userIdentity", "responseElements", "requestParameters", "additionalEventData", "sourceIPAddress",
                    "userAgent", "recipientAccountId", "awsRegion", "errorCode", "ConsoleLogin", "MFAUsed", "subject", "assumedRoleUser", "arn",
                    "roleArn", "credentials", "accessKeyId", "principalId", "userName", "type", "sessionContext", "sessionIssuer", "attributes",
                    "mfaAuthenticated", "invokedBy", "accountId", "sourceIdentity", "detail-type", "detail"]
        let dropped = Set(CloudTrailReader.unusedMembers.map { $0.lowercased() })
        #expect(read.filter { dropped.contains($0.lowercased()) } == [])
    }

    @Test func s3ObjectsAcrossSmallWindows() throws {
        let records = Self.shapes + Self.handedBack + Self.shapes
        let dir = TemporaryDirectory()
        let path = dir.write("object.json", "{\"Records\":[" + records.joined(separator: ",") + "]}")
        let whole = InputReader.read(path: path, as: .cloudtrail)
        let windowed = InputReader.read(path: path, as: .cloudtrail, window: 1024)
        #expect(whole.authEvents.map(describe) == windowed.authEvents.map(describe))
        #expect(whole.authEvents.count == 2 * (Self.shapes.count - 1) + 4)
        #expect(whole.report.issues.isEmpty && windowed.report.issues.isEmpty)
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
    /// The caller of a sign-in, read without an `Actor`, is the one `AWSIdentity.actor` names, with
    /// its MFA and key, for every identity shape and every identity in the examples and datasets.
    @Test func callerIsTheActorsNameMFAAndKey() throws {
        var identities: [JSONValue?] = try [nil] + [
            #"{"type":"AssumedRole","arn":"arn:aws:sts::1:assumed-role/R/s","sessionContext":{"attributes":{"mfaAuthenticated":"true"}}}"#,
            #"{"type":"AssumedRole","principalId":"AROA:s","sessionContext":{"sessionIssuer":{"arn":"arn:aws:iam::1:role/R"}}}"#,
            #"{"type":"AWSService","invokedBy":"ec2.amazonaws.com"}"#, #"{"type":"IAMUser","userName":"bob","accessKeyId":"AKIA1"}"#,
            #"{"type":"Root","arn":"","principalId":"1"}"#, #"{"type":"Unknown"}"#, #"{}"#, #"{"ARN":"arn:aws:iam::1:user/UPPER"}"#,
            #"{"arn":"arn:aws:iam::1:user/a","sessionContext":{"attributes":{"mfaAuthenticated":"FALSE"}}}"#,
        ].map { try JSONParser.parse($0) }
        var files = [RepositoryPaths.root + "/examples/aws"]
        if let datasets = RepositoryPaths.datasets { files.append(datasets + "/aws") }
        for file in InputSource.expand(files).0 where file.hasSuffix(".json") || file.hasSuffix(".jsonl") {
            guard let data = FileManager.default.contents(atPath: file) else { continue }
            let records = (try? JSONParser.parse(Array(data)))?["Records"]?.elements
                ?? String(decoding: data, as: UTF8.self).split(separator: "\n").compactMap { try? JSONParser.parse(Array($0.utf8)) }
            identities += records.compactMap { $0.member(ignoringCase: "userIdentity")?.unwrappingEmbeddedJSON }
        }
        // The examples' Lake export alone (the CI machine has no datasets); with the datasets, hundreds.
        #expect(identities.count > (RepositoryPaths.datasets == nil ? 20 : 100), "\(identities.count)")
        for identity in identities {
            for address in [nil, "198.51.100.7"] as [String?] {
                let actor = AWSIdentity.actor(identity, sourceIP: address, userAgent: nil)
                let caller = AWSIdentity.caller(identity, sourceIP: address)
                #expect((caller == nil) == (actor == nil))
                #expect(caller?.name == actor?.name && caller?.mfa == actor?.mfa && caller?.accessKeyId == actor?.accessKeyId, "\(String(describing: identity))")
            }
        }
    }

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
        // The examples alone hold 8 (the CI machine has no datasets); with the datasets there are dozens more.
        #expect(events.count >= (RepositoryPaths.datasets == nil ? 8 : 50))
        #expect(events == decoded(records))
    }
}
