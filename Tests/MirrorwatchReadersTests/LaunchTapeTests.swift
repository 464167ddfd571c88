import Foundation
import MirrorwatchJSON
import MirrorwatchModel
@testable import MirrorwatchReaders
import MirrorwatchTestSupport
import Testing

/// `RunInstances` records (the largest records decoded) are read from a tape of their bytes: the
/// reader must give exactly the instance facts the decoded path gives, in every shape EC2 writes
/// its lists in, and hand back to the decoded path what the tape does not take.
@Suite struct LaunchTapeTests {
    static let item = #"{"instanceId":"i-0a","vpcId":"vpc-1","subnetId":"subnet-a","privateIpAddress":"10.1.0.5","networkInterfaceSet":INTERFACES}"#
    static let primary = #"{"networkInterfaceId":"eni-primary","subnetId":"subnet-a","privateIpAddress":"10.1.0.5","attachment":{"deviceIndex":0}}"#
    static let second = #"{"networkInterfaceId":"eni-second","subnetId":"subnet-b","privateIpAddress":"10.2.0.9","ownerId":"444455556666","attachment":{"deviceIndex":"1"}}"#

    static func record(items: String, interfaces: String = #"{"items":[SECOND,PRIMARY]}"#, extra: String = "") -> String {
        let item = Self.item.replacingOccurrences(of: "INTERFACES", with: interfaces)
            .replacingOccurrences(of: "SECOND", with: second).replacingOccurrences(of: "PRIMARY", with: primary)
        return #"{"eventTime":"2026-11-03T10:00:00Z","eventSource":"ec2.amazonaws.com","eventName":"RunInstances","awsRegion":"us-east-1","recipientAccountId":"111122223333""#
            + extra + #","responseElements":{"ownerId":"111122223333","instancesSet":{"items":"# + items.replacingOccurrences(of: "ITEM", with: item) + "}}}"
    }

    /// Every shape: lists as arrays, EC2's one-item `{"item": ...}`, a repeated `item` name, null and
    /// empty lists, device indexes as strings, fractions and out of range, a failure, `errorCode: null`.
    static var shapes: [String] {
        [
            record(items: "[ITEM]"),
            record(items: #"{"item":ITEM}"#),
            record(items: #"{"item":{"instanceId":"i-0first"},"item":ITEM}"#),
            record(items: #"{"Item":ITEM}"#),
            record(items: #"{"item":ITEM,"other":1}"#),
            record(items: "[ITEM]", interfaces: "null"),
            record(items: "[ITEM]", interfaces: #"{"items":""}"#),
            record(items: "[ITEM]", interfaces: #"{"items":{"item":SECOND}}"#),
            record(items: "[ITEM,ITEM]", interfaces: #"{"items":[SECOND,PRIMARY]}"#).replacingOccurrences(of: #""deviceIndex":0"#, with: #""deviceIndex":2.5"#),
            record(items: "[ITEM]").replacingOccurrences(of: #""deviceIndex":0"#, with: #""deviceIndex":1e400"#),
            record(items: "[ITEM]", extra: #","errorCode":null"#),
            record(items: "[ITEM]", extra: #","errorCode":"Client.InsufficientInstanceCapacity""#),
            record(items: "[]"),
            record(items: "null"),
        ]
    }

    func decoded(_ records: [String]) -> [String] { TapeParity.decoded(records, AWSInstanceFacts.facts(from:evidence:)) }

    func read(_ records: [String]) -> (facts: [String], result: ReadResult) {
        let (facts, result) = TapeParity.read(records, as: "launch.jsonl", \.assets, evidence: \.evidence)
        return (facts, result)
    }

    func taken(_ records: [String]) -> [Bool] {
        TapeParity.taken(records) { CloudTrailReader.tapeLaunchFacts($0, tape: &$1, evidence: Evidence(input: "")) != nil }
    }

    @Test func tapeGivesTheDecodedPathsFactsInEveryShape() {
        #expect(taken(Self.shapes).allSatisfy { $0 })
        let (facts, result) = read(Self.shapes)
        #expect(facts == decoded(Self.shapes))
        #expect(result.report.issues.isEmpty)
        // The spot checks the comparison stands on: the primary interface first, each with its own
        // subnet and owner; a one-item list read as its item; a failed or empty launch gives nothing.
        #expect(result.assets.prefix(2).map(\.id) == ["eni-primary", "eni-second"])
        #expect(result.assets[1].owner == "444455556666" && result.assets[0].owner == "111122223333")
        #expect(result.assets.filter { $0.evidence.record == 1 }.map(\.id) == ["eni-primary", "eni-second"])
        #expect(result.assets.filter { $0.evidence.record == 2 }.map(\.id) == ["eni-primary", "eni-second"], "a repeated item: the last")
        #expect(result.assets.filter { $0.evidence.record == 4 }.map(\.id) == [], "not a one-item list")
        #expect(result.assets.filter { $0.evidence.record == 5 }.map(\.id) == ["i-0a"], "no interfaces: the instance")
        #expect(result.assets.filter { $0.evidence.record == 7 }.map(\.id) == ["eni-second"])
        #expect(result.assets.filter { $0.evidence.record == 11 || $0.evidence.record == 12 || $0.evidence.record == 13 }.isEmpty)
        #expect(result.report.relevant == Set(result.assets.map(\.evidence.record)).count)
    }

    /// Stored as JSON text (Lake, Athena) or wrapped by EventBridge: the decoded path reads them.
    @Test func embeddedAndWrappedRecordsAreHandedToTheDecodedPath() throws {
        let plain = Self.record(items: "[ITEM]")
        // The response (the record's last member) as a JSON string.
        let marker = plain.range(of: #""responseElements":"#)!
        let response = String(plain[marker.upperBound...].dropLast())
        let embedded = String(plain[..<marker.upperBound]) + "\"" + response.replacingOccurrences(of: "\"", with: "\\\"") + "\"}"
        #expect(try JSONParser.parse(Array(embedded.utf8)).member(ignoringCase: "responseElements")?.unwrappingEmbeddedJSON
                == JSONParser.parse(Array(plain.utf8)).member(ignoringCase: "responseElements"))
        let wrapped = #"{"version":"0","detail-type":"AWS API Call via CloudTrail","source":"aws.ec2","detail":"# + plain + "}"
        #expect(taken([embedded, wrapped]) == [false, false])
        let (facts, result) = read([embedded, wrapped])
        #expect(result.assets.map(\.id) == ["eni-primary", "eni-second", "eni-primary", "eni-second"], "\(result.report.issues)")
        #expect(facts.count == 4 && result.report.issues.isEmpty)
    }
}
