import Foundation
import Mirrorwatch
import MirrorwatchTestSupport
import Testing

/// Blinding the audit trail before mirroring, on every cloud.
@Suite struct LoggingTamperTests {
    @Test func cloudTrailStoppedDeletedAndSelectorsNarrowed() async throws {
        let records: [[String: Any]] = [
            CT.logging("StopLogging", request: ["name": "arn:aws:cloudtrail:us-east-1:111122223333:trail/org-trail"], at: "2026-11-03T09:00:00Z"),
            CT.logging("PutEventSelectors", request: ["trailName": "org-trail", "eventSelectors": [["readWriteType": "All", "includeManagementEvents": false]]], at: "2026-11-03T09:01:00Z"),
            CT.logging("PutEventSelectors", request: ["trailName": "org-trail", "eventSelectors": [["readWriteType": "All", "includeManagementEvents": true]]], at: "2026-11-03T09:02:00Z"),
            CT.logging("DeleteTrail", request: ["name": "org-trail"], at: "2026-11-03T09:03:00Z", error: "AccessDenied"),
            CT.other("DescribeTrails", source: "cloudtrail.amazonaws.com"),
        ]
        let result = try await Scenario(records).run()
        let tamper = result.findings(RuleID.loggingTampered)
        #expect(tamper.map(\.severity) == [.high, .high, .medium])
        #expect(tamper[0].why.contains("stops logging of trail"))
        #expect(tamper[1].why.contains("management write events"))
        #expect(tamper[2].title.hasPrefix("Attempt: DeleteTrail"))
        #expect(tamper.allSatisfy { $0.attack == ["T1020.001", "T1562.008"] && $0.platform == .aws && $0.change == nil })
    }

    /// Beyond the trail: CloudTrail Lake, flow logs, leaving the organization, and the S3 buckets that
    /// hold logs (a bucket whose name says nothing of logs is left alone).
    @Test func lakeFlowLogsOrganizationAndLogBuckets() async throws {
        let records: [[String: Any]] = [
            CT.logging("StopEventDataStoreIngestion", request: ["eventDataStore": "arn:aws:cloudtrail:us-east-1:111122223333:eventdatastore/eds-1"], at: "2026-11-03T09:00:00Z"),
            CT.logging("DeleteFlowLogs", request: ["DeleteFlowLogsRequest": ["FlowLogId": ["content": "fl-0abc", "tag": 1]]], at: "2026-11-03T09:01:00Z"),
            CT.logging("LeaveOrganization", request: [:], at: "2026-11-03T09:02:00Z"),
            CT.logging("PutBucketLifecycle", request: ["bucketName": "org-cloudtrail-logs", "LifecycleConfiguration": ["Rule": ["Expiration": ["Days": 1]]]], at: "2026-11-03T09:03:00Z"),
            CT.logging("DeleteBucket", request: ["bucketName": "website-assets"], at: "2026-11-03T09:04:00Z"),
            CT.logging("PutBucketPolicy", request: ["bucketName": "security-audit-archive", "bucketPolicy": ["Statement": []]], at: "2026-11-03T09:05:00Z"),
        ]
        let tamper = try await Scenario(records).run().findings(RuleID.loggingTampered)
        #expect(tamper.count == 5, "\(tamper.map(\.title))")
        #expect(tamper.contains { $0.why.contains("stops ingestion into CloudTrail Lake event data store") && $0.severity == .high })
        #expect(tamper.contains { $0.why.contains("deletes flow logs fl-0abc") })
        #expect(tamper.contains { $0.why.contains("out of its organization") })
        #expect(tamper.contains { $0.why.contains("lifecycle on the S3 bucket org-cloudtrail-logs") && $0.severity == .medium })
        #expect(tamper.contains { $0.why.contains("security-audit-archive") })
        #expect(!tamper.contains { $0.why.contains("website-assets") })
    }

    @Test func advancedSelectorsThatDropMirroringWrites() async throws {
        func advanced(_ fields: [[String: Any]]) -> [String: Any] { ["trailName": "org-trail", "advancedEventSelectors": [["name": "s", "fieldSelectors": fields]]] }
        let management: [String: Any] = ["field": "eventCategory", "equals": ["Management"]]
        let records: [[String: Any]] = [
            CT.logging("PutEventSelectors", request: advanced([management, ["field": "readOnly", "equals": ["true"]]]), at: "2026-11-03T09:01:00Z"),
            CT.logging("PutEventSelectors", request: advanced([management, ["field": "eventSource", "notEquals": ["ec2.amazonaws.com"]]]), at: "2026-11-03T09:02:00Z"),
            CT.logging("PutEventSelectors", request: advanced([management, ["field": "eventSource", "notEquals": ["kms.amazonaws.com"]]]), at: "2026-11-03T09:03:00Z"),
            CT.logging("PutEventSelectors", request: advanced([["field": "eventCategory", "equals": ["Data"]], ["field": "resources.type", "equals": ["AWS::S3::Object"]]]), at: "2026-11-03T09:04:00Z"),
        ]
        let tamper = try await Scenario(records).run().findings(RuleID.loggingTampered)
        #expect(tamper.map(\.time) == [Timestamp.parse("2026-11-03T09:01:00Z")!, Timestamp.parse("2026-11-03T09:02:00Z")!, Timestamp.parse("2026-11-03T09:04:00Z")!],
                "read-only, EC2 excluded and data-only selectors drop mirroring writes; excluding KMS does not")
    }

    @Test func gcpSinkAndAzureDiagnosticSetting() async throws {
        var scenario = Scenario()
        scenario.files["gcp/a.jsonl"] = CT.jsonLines([
            GCPAuditFixture.entry(method: "google.logging.v2.ConfigServiceV2.DeleteSink", resourceName: "projects/prod-net-4711/sinks/to-siem", principal: "mallory@gmail.com"),
            GCPAuditFixture.entry(method: "google.logging.v2.ConfigServiceV2.ListSinks", resourceName: "projects/prod-net-4711", principal: "x@example.com"),
        ])
        let id = "/subscriptions/\(AzureActivityFixture.subscription)/providers/microsoft.insights/diagnosticSettings/to-sentinel"
        scenario.files["azure/a.json"] = CT.json(["records": [
            AzureActivityFixture.record("Microsoft.Insights/diagnosticSettings/delete", resourceId: id, status: "Start", at: "2026-11-03T09:00:00Z", correlation: "c1"),
            AzureActivityFixture.record("Microsoft.Insights/diagnosticSettings/delete", resourceId: id, status: "Success", at: "2026-11-03T09:00:02Z", correlation: "c1"),
        ]])
        let tamper = try await scenario.runAll().findings(RuleID.loggingTampered)
        #expect(tamper.map(\.platform) == [.gcp, .azure])
        #expect(tamper.allSatisfy { $0.severity == .high })
        #expect(tamper[0].actor?.name == "mallory@gmail.com")
        #expect(tamper[1].scope.account == AzureActivityFixture.subscription)
    }

    @Test func gcpLogBucketsDeletedChangedOrReshared() async throws {
        var scenario = Scenario()
        scenario.files["gcp/b.jsonl"] = CT.jsonLines([
            GCPAuditFixture.entry(method: "storage.setIamPermissions", resourceName: "projects/_/buckets/prod-audit-logs", principal: "mallory@gmail.com"),
            GCPAuditFixture.entry(method: "storage.buckets.delete", resourceName: "projects/_/buckets/org-log-archive", principal: "mallory@gmail.com"),
            GCPAuditFixture.entry(method: "storage.buckets.update", resourceName: "projects/_/buckets/siem-logs", principal: "ops@example.com"),
            GCPAuditFixture.entry(method: "storage.setIamPermissions", resourceName: "projects/_/buckets/website-assets", principal: "web@example.com"),
        ])
        let tamper = try await scenario.runAll().findings(RuleID.loggingTampered)
        #expect(tamper.count == 3, "a bucket whose name says nothing of logs is not reported: \(tamper.map(\.title))")
        #expect(tamper.contains { $0.why.contains("changes who can read or delete the logs in Cloud Storage bucket prod-audit-logs") && $0.severity == .medium })
        #expect(tamper.contains { $0.title.contains("storage.buckets.delete") && $0.severity == .high })
        #expect(tamper.contains { $0.why.contains("siem-logs") })
    }
}
