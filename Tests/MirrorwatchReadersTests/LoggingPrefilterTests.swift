import Foundation
@testable import MirrorwatchReaders
import Testing

/// S3 bucket calls are decoded only when a log word follows a `bucketName`; every other logging
/// call, and any record whose bucket name is spelled otherwise, is decoded (the exact check runs then).
@Suite struct LoggingPrefilterTests {
    func judge(_ record: String) -> Bool {
        let bytes = Array(record.utf8)
        return bytes.withUnsafeBytes { buffer in
            let name = record.range(of: #"(?<="eventName":")[A-Za-z]+"#, options: .regularExpression)!
            let range = record.utf8.distance(from: record.utf8.startIndex, to: name.lowerBound)..<record.utf8.distance(from: record.utf8.startIndex, to: name.upperBound)
            return AWSLoggingChanges.mayConcernLogging(buffer, name: range, record: 0..<bytes.count)
        }
    }

    @Test func bucketCallsAreDecodedOnlyForLogBuckets() {
        #expect(judge(#"{"eventName":"PutBucketPolicy","requestParameters":{"bucketName":"org-CloudTrail-archive","bucketPolicy":{}}}"#))
        #expect(judge(#"{"eventName":"DeleteBucket","requestParameters":{"bucketName":"prod-audit"}}"#))
        #expect(!judge(#"{"eventName":"DeleteBucket","requestParameters":{"bucketName":"website-assets"},"userAgent":"x"}"#))
        #expect(!judge(#"{"eventName":"PutBucketLifecycle","requestParameters":{"bucketName":"images","LifecycleConfiguration":{"Rule":{"ID":"a"}}},"padding":"\#(String(repeating: "x", count: 300))","sourceIPAddress":"catalog.example"}"#),
                "a log word far from the bucket's name does not count")
        // Spelled otherwise (Lake's lower-case keys): decoded, the exact check decides.
        #expect(judge(#"{"eventName":"DeleteBucket","requestparameters":{"bucketname":"website-assets"}}"#))
        // Not a bucket call: always decoded.
        #expect(judge(#"{"eventName":"StopLogging","requestParameters":{"name":"t"}}"#))
    }
}
