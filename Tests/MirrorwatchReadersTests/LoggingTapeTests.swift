import Foundation
import MirrorwatchJSON
import MirrorwatchModel
@testable import MirrorwatchReaders
import MirrorwatchTestSupport
import Testing

/// CloudTrail logging changes are read from a tape of their bytes: the reader must give exactly
/// the changes the decoded path gives for every call it reads, and hand back to the decoded path
/// what the tape does not take (members stored as JSON text, EventBridge envelopes).
@Suite struct LoggingTapeTests {
    static var records: [[String: Any]] {
        let management: [String: Any] = ["field": "eventCategory", "equals": ["Management"]]
        return [
            CT.logging("StopLogging", request: ["name": "arn:aws:cloudtrail:us-east-1:111122223333:trail/org-trail"], at: "2026-11-03T09:00:00Z"),
            CT.logging("DeleteTrail", request: ["name": "org-trail"], at: "2026-11-03T09:01:00Z", error: "AccessDenied"),
            CT.logging("UpdateTrail", request: ["name": "org-trail", "isMultiRegionTrail": "FALSE", "includeGlobalServiceEvents": false, "s3BucketName": "elsewhere"],
                       at: "2026-11-03T09:02:00Z"),
            CT.logging("UpdateTrail", request: ["trailName": "org-trail"], at: "2026-11-03T09:02:30Z"),
            CT.logging("PutEventSelectors", request: ["trailName": "org-trail", "eventSelectors": [["readWriteType": "All", "includeManagementEvents": false]]],
                       at: "2026-11-03T09:03:00Z"),
            CT.logging("PutEventSelectors", request: ["trailName": "org-trail", "eventSelectors": ["item": ["readWriteType": "ReadOnly", "includeManagementEvents": true]]],
                       at: "2026-11-03T09:03:30Z"),
            CT.logging("PutEventSelectors", request: ["trailName": "org-trail", "eventSelectors": [["readWriteType": "All", "includeManagementEvents": true]]],
                       at: "2026-11-03T09:04:00Z"),
            CT.logging("PutEventSelectors", request: ["trailName": "org-trail", "advancedEventSelectors": [["name": "s", "fieldSelectors": [
                management, ["field": "eventSource", "notEquals": ["ec2.amazonaws.com"]]]]]], at: "2026-11-03T09:05:00Z"),
            CT.logging("DeleteFlowLogs", request: ["DeleteFlowLogsRequest": ["FlowLogId": ["content": "fl-0abc", "tag": 1]]], at: "2026-11-03T09:06:00Z"),
            CT.logging("DeleteFlowLogs", request: ["flowLogIds": ["fl-1", "fl-2"]], at: "2026-11-03T09:06:30Z"),
            CT.logging("DeleteFlowLogs", request: ["DeleteFlowLogsRequest": ["FlowLogId": [["content": "fl-3", "tag": 1], ["content": "fl-4", "tag": 2]]]],
                       at: "2026-11-03T09:06:45Z"),
            CT.logging("LeaveOrganization", request: [:], at: "2026-11-03T09:07:00Z"),
            CT.logging("StopEventDataStoreIngestion", request: ["eventDataStore": "arn:aws:cloudtrail:us-east-1:111122223333:eventdatastore/eds-1"],
                       at: "2026-11-03T09:08:00Z"),
            CT.logging("DeleteEventDataStore", request: ["eventDataStore": "eds-2"], at: "2026-11-03T09:08:30Z"),
            CT.logging("PutBucketLifecycle", request: ["bucketName": "org-cloudtrail-logs"], at: "2026-11-03T09:09:00Z"),
            CT.logging("DeleteBucket", request: ["bucketName": "website-assets"], at: "2026-11-03T09:10:00Z"),
            CT.logging("DeleteBucketPolicy", request: ["bucketName": "security-audit-archive"], at: "2026-11-03T09:11:00Z"),
            CT.logging("StopLogging", request: ["name": "no-time"], at: ""),
        ]
    }

    func decoded(_ lines: [String]) -> [String] {
        TapeParity.decoded(lines) { event, evidence in AWSLoggingChanges.change(from: event, evidence: evidence).map { [$0] } ?? [] }
    }

    func read(_ lines: [String]) -> (changes: [String], result: ReadResult) {
        let (changes, result) = TapeParity.read(lines, as: "trail.jsonl", \.loggingChanges, evidence: \.evidence)
        return (changes, result)
    }

    func taken(_ lines: [String]) -> [Bool] {
        TapeParity.taken(lines) { CloudTrailReader.tapeLoggingChange($0, tape: &$1, evidence: Evidence(input: "")) != nil }
    }

    @Test func tapeGivesTheDecodedPathsChanges() {
        let lines = Self.records.map { CT.json($0) }
        #expect(taken(lines).allSatisfy { $0 })
        let (changes, result) = read(lines)
        #expect(changes == decoded(lines))
        #expect(result.report.issues.isEmpty)
        // The spot checks the comparison stands on.
        let read = result.loggingChanges
        #expect(read.map(\.operation) == ["StopLogging", "DeleteTrail", "UpdateTrail", "UpdateTrail", "PutEventSelectors", "PutEventSelectors",
                                          "PutEventSelectors", "DeleteFlowLogs", "DeleteFlowLogs", "DeleteFlowLogs", "LeaveOrganization",
                                          "StopEventDataStoreIngestion", "DeleteEventDataStore", "PutBucketLifecycle", "DeleteBucketPolicy"],
                "selectors that keep management writes, and a bucket that holds no logs, change nothing; a record without a time is none")
        #expect(read[1].outcome.errorCode == "AccessDenied" && read[1].outcome.errorMessage == "User is not authorized")
        #expect(read[2].detail == "updates trail org-trail: limits it to one region, drops global service events, sends it to bucket elsewhere")
        #expect(read[7].detail.contains("fl-0abc") && read[8].detail.contains("fl-1, fl-2") && read[9].detail.contains("fl-3, fl-4"))
        #expect(read[0].actor?.name.contains("assumed-role/Admin/mallory") == true && read[0].scope == Scope(account: "111122223333", region: "us-east-1"))
        #expect(result.report.relevant == read.count)
    }

    @Test func embeddedAndWrappedRecordsAreHandedToTheDecodedPath() {
        var embedded = CT.logging("StopLogging", request: [:], at: "2026-11-03T09:00:00Z")
        embedded["requestParameters"] = #"{"name":"text-trail"}"#
        let wrapped: [String: Any] = ["version": "0", "detail-type": "AWS API Call via CloudTrail", "source": "aws.cloudtrail",
                                      "detail": CT.logging("DeleteTrail", request: ["name": "wrapped-trail"], at: "2026-11-03T09:01:00Z")]
        let lines = [CT.json(embedded), CT.json(wrapped)]
        #expect(taken(lines) == [false, false])
        let result = read(lines).result
        #expect(result.loggingChanges.map(\.resource) == ["text-trail", "wrapped-trail"], "\(result.report.issues)")
    }
}
