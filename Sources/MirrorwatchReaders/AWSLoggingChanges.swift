import Foundation
import MirrorwatchJSON
import MirrorwatchModel

/// Calls that blind the audit trail or what shows mirrored traffic: CloudTrail's `StopLogging`,
/// `DeleteTrail`, `UpdateTrail` and `PutEventSelectors` that drops management events; CloudTrail
/// Lake's `StopEventDataStoreIngestion` and `DeleteEventDataStore`; `DeleteFlowLogs` (the flows that
/// show mirrored packets leaving); `LeaveOrganization` (an organization trail stops logging the
/// account); and S3 buckets that hold logs (a name with `log`, `audit` or `trail`, as on GCP) deleted,
/// given a lifecycle (expiry) or a new bucket policy.
enum AWSLoggingChanges {
    static let names = CloudTrailEventNames(["StopLogging", "DeleteTrail", "UpdateTrail", "PutEventSelectors",
                                             "StopEventDataStoreIngestion", "DeleteEventDataStore", "DeleteFlowLogs", "LeaveOrganization"]
                                            + bucketEvents)
    /// S3 calls that matter only on a bucket that holds logs.
    static let bucketEvents = ["DeleteBucket", "PutBucketLifecycle", "PutBucketLifecycleConfiguration", "PutBucketPolicy", "DeleteBucketPolicy"]
    private static let logWordBytes = LogBucketNames.words.map { Array($0.utf8) }
    private static let bucketEventNames = ByteStringSet(bucketEvents)

    private static let bucketNameKey = Array("bucketName".utf8)

    /// Whether the record named by the bytes at `name` may be one of these changes, judged on its
    /// bytes: S3 bucket calls (frequent, and large with their policies) only when a log word appears
    /// within 200 bytes after a `bucketName` member's name (the name is checked exactly once the
    /// record is decoded; a record without `bucketName` where expected is decoded too).
    @inline(__always)
    static func mayConcernLogging(_ buffer: UnsafeRawBufferPointer, name: Range<Int>, record: Range<Int>) -> Bool {
        guard bucketEventNames.contains(name, in: buffer) else { return true }
        var from = record.lowerBound
        var found = false
        while let at = ByteSearch.firstIndex(of: bucketNameKey, in: buffer, range: from..<record.upperBound) {
            found = true
            let value = (at + bucketNameKey.count)..<min(record.upperBound, at + bucketNameKey.count + 200)
            if logWordBytes.contains(where: { ByteSearch.containsIgnoringCase($0, in: buffer, range: value) }) { return true }
            from = at + 1
        }
        // No `bucketName` where expected (another shape, an escaped name): let the decoding decide.
        return !found
    }

    static func change(from event: CloudTrailEvent, evidence: Evidence) -> LoggingChange? {
        change(record: event.record, named: event.eventName, structured: { $0?.unwrappingEmbeddedJSON }, evidence: evidence)
    }

    /// As `change(from:evidence:)`, from a record read either way (a decoded tree or a tape of its
    /// bytes); `structured` reads a member that may be stored as JSON text.
    static func change<Record: JSONMemberReading>(record: Record, named eventName: String, structured: (Record?) -> Record?,
                                                  evidence: Evidence) -> LoggingChange? {
        guard names.contains(eventName), let time = record.member(ignoringCase: "eventTime")?.text.flatMap({ Timestamp.parse($0) }) else { return nil }
        let request = structured(record.member(ignoringCase: "requestParameters"))
        var trail = request?.member(anyOf: "name", "trailName")?.text
        let effect: LoggingChange.Effect
        let detail: String
        switch eventName {
        case "StopEventDataStoreIngestion", "DeleteEventDataStore":
            trail = request?.member(ignoringCase: "eventDataStore")?.text
            effect = .stops
            detail = (eventName == "DeleteEventDataStore" ? "deletes" : "stops ingestion into") + " CloudTrail Lake event data store \(trail ?? "?")"
        case "DeleteFlowLogs":
            // EC2 writes `{"DeleteFlowLogsRequest": {"FlowLogId": {"content": "fl-…", "tag": 1}}}`, or a list of them.
            let node = (request?.member(ignoringCase: "DeleteFlowLogsRequest") ?? request)?.member(anyOf: "FlowLogId", "flowLogId", "FlowLogIds", "flowLogIds")
            let ids = node.map { $0.text.map { [$0] } ?? ($0.member(ignoringCase: "content")?.text).map { [$0] } ?? AWSChangeMapper.texts($0.decoded) } ?? []
            trail = ids.first
            effect = .stops
            detail = "deletes flow logs \(ids.isEmpty ? "?" : ids.joined(separator: ", ")): mirrored traffic leaving is no longer seen in flows"
        case "LeaveOrganization":
            effect = .stops
            detail = "takes the account out of its organization: an organization trail no longer logs it"
        case "DeleteBucket", "PutBucketLifecycle", "PutBucketLifecycleConfiguration", "PutBucketPolicy", "DeleteBucketPolicy":
            guard let bucket = request?.member(ignoringCase: "bucketName")?.text, LogBucketNames.holdsLogs(bucket) else { return nil }
            trail = bucket
            switch eventName {
            case "DeleteBucket": effect = .stops; detail = "deletes the S3 bucket \(bucket), which holds logs"
            case "PutBucketPolicy", "DeleteBucketPolicy": effect = .narrows; detail = "changes who can write, read or delete the logs in S3 bucket \(bucket) (\(eventName))"
            default: effect = .narrows; detail = "sets a lifecycle on the S3 bucket \(bucket), which holds logs (objects may expire)"
            }
        case "StopLogging":
            effect = .stops; detail = "stops logging of trail \(trail ?? "?")"
        case "DeleteTrail":
            effect = .stops; detail = "deletes trail \(trail ?? "?")"
        case "UpdateTrail":
            var parts: [String] = []
            if request?.member(ignoringCase: "isMultiRegionTrail")?.bool == false { parts.append("limits it to one region") }
            if request?.member(ignoringCase: "includeGlobalServiceEvents")?.bool == false { parts.append("drops global service events") }
            if let bucket = request?.member(ignoringCase: "s3BucketName")?.text { parts.append("sends it to bucket \(bucket)") }
            effect = .narrows
            detail = "updates trail \(trail ?? "?")" + (parts.isEmpty ? "" : ": " + parts.joined(separator: ", "))
        default:  // PutEventSelectors
            let recorded = CloudTrailSelectors.recordMirroringWrites(basic: request?.member(ignoringCase: "eventSelectors")?.decoded.elements ?? [],
                                                                     advanced: request?.member(ignoringCase: "advancedEventSelectors")?.decoded.elements ?? [])
            let dropsManagement = recorded == false
            guard dropsManagement else { return nil }
            effect = .stops
            detail = "changes the event selectors of trail \(trail ?? "?") so that EC2 management write events (every Traffic Mirroring call) are no longer logged"
        }
        let identity = structured(record.member(ignoringCase: "userIdentity"))
        let errorCode = record.member(ignoringCase: "errorCode")?.text
        var change = LoggingChange(
            platform: .aws,
            scope: Scope(account: record.member(ignoringCase: "recipientAccountId")?.text ?? identity?.member(ignoringCase: "accountId")?.text,
                         region: record.member(ignoringCase: "awsRegion")?.text),
            time: time,
            actor: AWSIdentity.actor(identity, sourceIP: record.member(ignoringCase: "sourceIPAddress")?.text, userAgent: record.member(ignoringCase: "userAgent")?.text),
            operation: eventName, resource: trail, effect: effect,
            outcome: Outcome(succeeded: errorCode == nil, errorCode: errorCode, errorMessage: record.member(ignoringCase: "errorMessage")?.text),
            detail: detail, evidence: evidence)
        change.eventId = record.member(ignoringCase: "eventID")?.text
        return change
    }
}
