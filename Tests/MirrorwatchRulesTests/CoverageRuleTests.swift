import Foundation
import Mirrorwatch
import MirrorwatchTestSupport
import Testing

/// `coverage.gap`: scopes without telemetry, logs that stop, regions never seen, stale device
/// snapshots, trails that are off, retention that is too short.
@Suite struct CoverageRuleTests {
    static let policy = """
    version: 1
    organization: {aws_accounts: ["111122223333", "444455556666", "555566667777"], internal_cidrs: [10.0.0.0/8]}
    sensitive_segments:
      - {name: pci, devices: {core-sw1: [Gi1/0/1], lab-sw9: [Gi0/1]}}
    coverage: {max_silence: 12h, max_snapshot_age: 3d, min_retention_days: 365, aws_regions: [us-east-1, ap-south-1]}

    """

    static func record(account: String, region: String, at time: String) -> [String: Any] {
        var record = CT.other("GetObject", at: time)
        record["recipientAccountId"] = account
        record["awsRegion"] = region
        return record
    }

    static func gaps(_ result: ScanResult) -> [Finding] { result.findings(RuleID.coverageGap) }

    @Test func namedAccountsWithoutLogsSilentRegionsAndUnseenRegions() async throws {
        var scenario = Scenario([
            Self.record(account: "111122223333", region: "us-east-1", at: "2026-11-03T08:00:00Z"),
            Self.record(account: "111122223333", region: "us-east-1", at: "2026-11-04T09:00:00Z"),
            Self.record(account: "111122223333", region: "eu-west-1", at: "2026-11-03T09:00:00Z"),  // silent for 24 h
            Self.record(account: "444455556666", region: "us-east-1", at: "2026-11-04T08:30:00Z"),
        ], policy: Self.policy)
        scenario.now = Timestamp.parse("2026-11-05T00:00:00Z")!
        let result = try await scenario.runAll()
        let gaps = Self.gaps(result)
        let titles = gaps.map(\.title)
        #expect(titles.contains("No audit logs for account 555566667777"), "\(titles)")
        let silent = try #require(gaps.first { $0.title.contains("111122223333 in eu-west-1 stop") })
        #expect(silent.severity == .medium)
        #expect(silent.why.contains("24 hours before the newest aws record"))
        #expect(silent.evidence.first?.input.hasSuffix("cloudtrail/trail.json") == true)
        #expect(!titles.contains { $0.contains("111122223333 in us-east-1 stop") })
        // eu-west-1 is logged in 111122223333 only; ap-south-1 is expected by the policy.
        #expect(titles.contains("No CloudTrail records from eu-west-1 in account 444455556666"))
        #expect(titles.contains("No CloudTrail records from ap-south-1 in account 111122223333"))
        #expect(gaps.first { $0.title.contains("ap-south-1") }?.why.contains("coverage.aws_regions") == true)
        // The matrix counts every record, relevant or not.
        let row = try #require(result.coverage.rows.first { $0.account == "111122223333" })
        #expect(row.kinds[.controlPlane]?.records == 3)
        #expect(row.regions["us-east-1"]?[.controlPlane]?.records == 2)
        #expect(row.expected)
    }

    @Test func onePlatformsLogsDoNotFlagTheOthers() async throws {
        var scenario = Scenario([Self.record(account: "111122223333", region: "us-east-1", at: "2026-11-03T08:00:00Z")], policy: Self.policy)
        scenario.files["snapshots/nothing.txt"] = ""
        let result = try await scenario.runAll()
        #expect(!Self.gaps(result).contains { $0.scope.device != nil }, "no device telemetry read: devices are not each a gap")
        #expect(result.coverage.rows.contains { $0.device == "core-sw1" && $0.expected && $0.kinds.isEmpty }, "but the matrix lists them")
    }

    @Test func devicesWithoutLogsStaleSnapshotsAndMissingSnapshots() async throws {
        var scenario = Scenario(policy: Self.policy)
        scenario.files["devices/configs/2026-11-01/core-sw1.cfg"] = "hostname core-sw1\n!\nmonitor session 1 source interface Gi1/0/1 both\nmonitor session 1 destination interface Gi1/0/48\nend\n"
        scenario.files["devices/syslog/relay.log"] = """
        Nov  5 10:00:00 core-sw1 90: %PARSER-5-CFGLOG_LOGGEDCMD: User:alice  logged command:interface Gi1/0/2
        Nov  5 11:00:00 edge-sw2 91: %PARSER-5-CFGLOG_LOGGEDCMD: User:bob  logged command:description uplink

        """
        let result = try await scenario.runAll()
        let gaps = Self.gaps(result)
        let stale = try #require(gaps.first { $0.title == "Configuration snapshot of core-sw1 is stale" })
        #expect(stale.why.contains("4 days before the newest record"))
        #expect(stale.evidence.first?.input.contains("2026-11-01/core-sw1.cfg") == true)
        #expect(gaps.contains { $0.title == "No configuration snapshot of edge-sw2" })
        #expect(gaps.contains { $0.title == "No logs from lab-sw9" && $0.severity == .medium }, "named in the policy, nothing read")
    }

    @Test func lifecycleRulesCountUnderTheTrailsKeyPrefix() async throws {
        var scenario = Scenario([Self.record(account: "111122223333", region: "us-east-1", at: "2026-11-03T08:00:00Z")], policy: Self.policy)
        scenario.files["logging/111122223333/describe-trails.json"] = """
        {"trailList": [{"Name": "org", "S3BucketName": "org-logs", "S3KeyPrefix": "org-trail", "IsMultiRegionTrail": true,
                        "TrailARN": "arn:aws:cloudtrail:us-east-1:111122223333:trail/org"}]}
        """
        scenario.files["logging/111122223333/org-logs.lifecycle.json"] = """
        {"Rules": [{"ID": "short", "Filter": {"Prefix": "org-trail/"}, "Status": "Enabled", "Expiration": {"Days": 7}},
                   {"ID": "scratch", "Filter": {"Prefix": "scratch/"}, "Status": "Enabled", "Expiration": {"Days": 1}}]}
        """
        let titles = Self.gaps(try await scenario.runAll()).map(\.title)
        #expect(titles.contains("Audit logs in org-logs are kept 7 days"), "\(titles)")
    }

    @Test func consoleDefaultSelectorsAreLoggingConfigurationAndKeepMirroring() async throws {
        var scenario = Scenario([Self.record(account: "111122223333", region: "us-east-1", at: "2026-11-03T08:00:00Z")], policy: Self.policy)
        scenario.files["logging/111122223333/get-event-selectors.json"] = """
        {"TrailARN": "arn:aws:cloudtrail:us-east-1:111122223333:trail/main",
         "AdvancedEventSelectors": [{"Name": "Management events selector", "FieldSelectors": [
            {"Field": "eventCategory", "Equals": ["Management"]}, {"Field": "eventSource", "NotEquals": ["kms.amazonaws.com"]}]}]}
        """
        let result = try await scenario.runAll()
        #expect(result.reports.first { $0.input.hasSuffix("get-event-selectors.json") }?.format == "logging-config")
        #expect(!Self.gaps(result).contains { $0.title.contains("drops management events") })
        #expect(result.loggingConfigs.first?.managementEvents == true)
        #expect(!result.coverage.rows.contains { $0.platform == .aws && $0.account == nil }, "no record counted from the selector file")
    }

    @Test func globalServiceRecordsDoNotMarkARegionLogged() async throws {
        var iam = CT.other("ListRoles", source: "iam.amazonaws.com", at: "2026-11-03T08:00:00Z")
        iam["recipientAccountId"] = "444455556666"
        let result = try await Scenario([Self.record(account: "111122223333", region: "us-east-1", at: "2026-11-03T08:00:00Z"), iam], policy: Self.policy).runAll()
        let row = try #require(result.coverage.rows.first { $0.account == "444455556666" })
        #expect(row.kinds[.controlPlane]?.records == 1)
        #expect(row.regions.isEmpty, "IAM records carry us-east-1 wherever they come from")
    }

    @Test func trailStateAndRetention() async throws {
        var scenario = Scenario([Self.record(account: "111122223333", region: "us-east-1", at: "2026-11-03T08:00:00Z")], policy: Self.policy)
        scenario.files["logging/111122223333/describe-trails.json"] = """
        {"trailList": [{"Name": "main", "S3BucketName": "trail-logs", "IsMultiRegionTrail": false, "HomeRegion": "us-east-1",
                        "TrailARN": "arn:aws:cloudtrail:us-east-1:111122223333:trail/main"}]}
        """
        scenario.files["logging/111122223333/get-trail-status-main.json"] = #"{"IsLogging": false, "LatestDeliveryTime": "2026-11-03T08:05:00+00:00"}"#
        scenario.files["logging/111122223333/get-event-selectors.json"] = """
        {"TrailARN": "arn:aws:cloudtrail:us-east-1:111122223333:trail/main",
         "EventSelectors": [{"ReadWriteType": "All", "IncludeManagementEvents": false, "DataResources": []}]}
        """
        scenario.files["logging/111122223333/trail-logs.lifecycle.json"] = """
        {"Rules": [{"ID": "expire", "Filter": {"Prefix": "AWSLogs/"}, "Status": "Enabled", "Expiration": {"Days": 90}},
                   {"ID": "other", "Filter": {"Prefix": "tmp/"}, "Status": "Enabled", "Expiration": {"Days": 1}}]}
        """
        scenario.files["logging/shop.logging-buckets.json"] = """
        [{"name": "projects/shop/locations/global/buckets/_Default", "retentionDays": 30},
         {"name": "projects/shop/locations/global/buckets/_Required", "retentionDays": 400, "locked": true},
         {"name": "projects/shop/locations/eu/buckets/audit-copy", "retentionDays": 60}]
        """
        scenario.files["logging/gcs-audit-archive.json"] = """
        {"name": "audit-archive", "storage_url": "gs://audit-archive/", "location": "EU",
         "lifecycle_config": {"rule": [{"action": {"type": "SetStorageClass", "storageClass": "ARCHIVE"}, "condition": {"age": 30}},
                                       {"action": {"type": "Delete"}, "condition": {"age": 180}}]}}
        """
        scenario.files["logging/workspace.json"] = #"{"id": "/subscriptions/6f1c2d3e-0000-4a5b-8c9d-111122223333/resourceGroups/rg/providers/Microsoft.OperationalInsights/workspaces/sec", "retentionInDays": 90}"#
        let result = try await scenario.runAll()
        let titles = Self.gaps(result).map(\.title)
        #expect(result.reports.first { $0.input.hasSuffix("get-event-selectors.json") }?.format == "logging-config")
        #expect(titles.contains("Trail main is not logging"))
        #expect(titles.contains("Trail main records one region only"))
        #expect(titles.contains("Trail main drops management events"))
        #expect(titles.contains("Audit logs in trail-logs are kept 90 days"), "the AWSLogs/ rule counts, not the tmp/ one")
        #expect(!titles.contains { $0.contains("are kept 1 days") })
        #expect(titles.contains("Audit logs in projects/shop/locations/eu/buckets/audit-copy are kept 60 days"))
        #expect(!titles.contains { $0.contains("_Default") || $0.contains("_Required") }, "admin activity lives in _Required (400 days)")
        #expect(titles.contains { $0.contains("workspaces/sec are kept 90 days") })
        #expect(titles.contains("Audit logs in gs://audit-archive are kept 180 days"), "the Delete rule counts, not the storage-class move")
        #expect(Self.gaps(result).first { $0.title == "Trail main is not logging" }?.severity == .high)
        #expect(result.recordsSkipped == 0)
    }
}
