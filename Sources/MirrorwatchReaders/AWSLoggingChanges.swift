import Foundation
import MirrorwatchJSON
import MirrorwatchModel

/// CloudTrail calls that blind CloudTrail itself: `StopLogging`, `DeleteTrail`, `UpdateTrail`,
/// and `PutEventSelectors` that drops management events.
enum AWSLoggingChanges {
    static let names = CloudTrailEventNames(["StopLogging", "DeleteTrail", "UpdateTrail", "PutEventSelectors"])

    static func change(from event: CloudTrailEvent, evidence: Evidence) -> LoggingChange? {
        let record = event.record
        guard names.contains(event.eventName), let time = record.member(ignoringCase: "eventTime")?.text.flatMap({ Timestamp.parse($0) }) else { return nil }
        let request = event.structured("requestParameters")
        let trail = request?.member(anyOf: "name", "trailName")?.text
        let effect: LoggingChange.Effect
        let detail: String
        switch event.eventName {
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
            let recorded = CloudTrailSelectors.recordMirroringWrites(basic: request?.member(ignoringCase: "eventSelectors")?.elements ?? [],
                                                                     advanced: request?.member(ignoringCase: "advancedEventSelectors")?.elements ?? [])
            let dropsManagement = recorded == false
            guard dropsManagement else { return nil }
            effect = .stops
            detail = "changes the event selectors of trail \(trail ?? "?") so that EC2 management write events (every Traffic Mirroring call) are no longer logged"
        }
        let identity = event.structured("userIdentity")
        let errorCode = record.member(ignoringCase: "errorCode")?.text
        var change = LoggingChange(
            platform: .aws,
            scope: Scope(account: record.member(ignoringCase: "recipientAccountId")?.text ?? identity?.member(ignoringCase: "accountId")?.text,
                         region: record.member(ignoringCase: "awsRegion")?.text),
            time: time,
            actor: AWSIdentity.actor(identity, sourceIP: record.member(ignoringCase: "sourceIPAddress")?.text, userAgent: record.member(ignoringCase: "userAgent")?.text),
            operation: event.eventName, resource: trail, effect: effect,
            outcome: Outcome(succeeded: errorCode == nil, errorCode: errorCode, errorMessage: record.member(ignoringCase: "errorMessage")?.text),
            detail: detail, evidence: evidence)
        change.eventId = record.member(ignoringCase: "eventID")?.text
        return change
    }
}
