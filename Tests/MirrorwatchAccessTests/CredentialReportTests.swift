import Foundation
import Mirrorwatch
import MirrorwatchTestSupport
import Testing

/// The AWS IAM credential report: console MFA and access key age for principals that can mirror,
/// and the age of an IAM user's key behind a mirroring change.
@Suite struct CredentialReportTests {
    static let csv = """
    user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated
    <root_account>,arn:aws:iam::111122223333:root,2019-04-02T10:11:12+00:00,not_supported,2026-06-30T08:00:00+00:00,not_supported,not_supported,true,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A
    ci,arn:aws:iam::111122223333:user/ci,2023-02-14T09:00:00+00:00,false,N/A,N/A,N/A,false,true,2025-03-11T16:22:05+00:00,2026-11-03T14:28:00+00:00,us-east-1,ec2,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A
    fresh,arn:aws:iam::111122223333:user/fresh,2023-02-14T09:00:00+00:00,true,N/A,N/A,N/A,true,true,2026-10-01T00:00:00+00:00,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A

    """

    @Test func csvAndTheJSONThatHoldsItAreRead() throws {
        let csvResult = readCredentials("credential-report.csv", Self.csv)
        #expect(csvResult.report.format == "aws-credential-report")
        #expect(csvResult.report.records == 3 && csvResult.report.skipped == 0)
        let ci = try #require(csvResult.access.credentials["arn:aws:iam::111122223333:user/ci"])
        #expect(ci.accessKeys[0].active && !ci.accessKeys[1].active)
        #expect(ci.oldestActiveKey == Timestamp.parse("2025-03-11T16:22:05Z"))
        let json = #"{"Content": "\#(Data(Self.csv.utf8).base64EncodedString())", "ReportFormat": "text/csv", "GeneratedTime": "2026-11-05T00:00:00+00:00"}"#
        let jsonResult = readCredentials("get-credential-report.json", json)
        #expect(jsonResult.report.format == "aws-credential-report")
        #expect(jsonResult.access.credentials["arn:aws:iam::111122223333:user/fresh"]?.generated == Timestamp.parse("2026-11-05T00:00:00Z"))
        // A big report: the CLI prints Content first, beyond the sniffing head's other keys.
        let rows = (0..<300).map { "user\($0),arn:aws:iam::111122223333:user/user\($0),2023-02-14T09:00:00+00:00,false,N/A,N/A,N/A,false,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A" }
        let big = Self.csv.split(separator: "\n").first.map(String.init)! + "\n" + rows.joined(separator: "\n") + "\n"
        let bigResult = readCredentials("report.json", #"{"Content": "\#(Data(big.utf8).base64EncodedString())", "ReportFormat": "text/csv"}"#)
        #expect(bigResult.report.format == "aws-credential-report" && bigResult.report.records == 300)
        let broken = readCredentials("credential-report.json", #"{"Content": "%%%", "ReportFormat": "text/csv"}"#)
        #expect(broken.report.issues.first?.reason.contains("not base64") == true)
    }

    @Test func riskyCredentialsRaiseAnExcessivePrincipal() async throws {
        let dir = TemporaryDirectory()
        let allow = ["p": [["Effect": "Allow", "Action": "ec2:*", "Resource": "*"] as [String: Any]]]
        dir.write("iam/auth.json", IAMExportFixture.export(users: [IAMExportFixture.user("ci", inline: allow), IAMExportFixture.user("fresh", inline: allow)]))
        dir.write("iam/credential-report.csv", Self.csv)
        let result = await Scanner.scan(ScanOptions(paths: [dir.path + "/iam"], now: Timestamp.parse("2026-11-10T00:00:00Z")!))
        let ci = try #require(result.findings.first { $0.rule == RuleID.accessExcessive && $0.title.hasPrefix("ci ") })
        #expect(ci.severity == .high, "can copy traffic, with a key not rotated for more than 90 days")
        #expect(ci.why.contains("access key 1 active and not rotated for 601 days"), "counted to the report's newest date, not the wall clock")
        #expect(ci.evidence.contains { $0.input.hasSuffix("credential-report.csv") })
        #expect(result.findings.first { $0.rule == RuleID.accessExcessive && $0.title.hasPrefix("fresh ") }?.severity == .medium)
    }

    @Test func anOldKeyBehindAChangeIsFlagged() async throws {
        var record = CloudTrailRecords.createSession("tms-0ck", eni: "eni-0ck", target: "tmt-0ck", filter: "tmf-0ck", at: "2026-11-03T10:00:00Z",
                                                     by: CloudTrailRecords.user("ci"))
        record["eventID"] = "credential-report-test-1"
        let dir = TemporaryDirectory()
        dir.write("trail/t.json", CloudTrailRecords.s3Object([record]))
        dir.write("iam/credential-report.csv", Self.csv)
        let result = await Scanner.scan(ScanOptions(paths: [dir.path], now: Timestamp.parse("2026-11-10T00:00:00Z")!))
        let observed = try #require(result.findings.first { $0.rule == RuleID.observed })
        #expect(observed.context.flags.contains("old-access-key"))
        let correlated = try #require(result.correlatedFindings.first { $0.changeKey == observed.changeKey })
        #expect(correlated.why.contains("not rotated for more than 90 days"), "\(correlated.why)")
    }

    @Test func sessionCredentialsAreNotTheOldKey() async throws {
        var identity = CloudTrailRecords.user("ci")
        identity["accessKeyId"] = "ASIAEXAMPLESESSION01"
        var record = CloudTrailRecords.createSession("tms-0ck2", eni: "eni-0ck", target: "tmt-0ck", filter: "tmf-0ck", at: "2026-11-03T10:00:00Z", by: identity)
        record["eventID"] = "credential-report-test-2"
        let dir = TemporaryDirectory()
        dir.write("trail/t.json", CloudTrailRecords.s3Object([record]))
        dir.write("iam/credential-report.csv", Self.csv)
        let result = await Scanner.scan(ScanOptions(paths: [dir.path], now: Timestamp.parse("2026-11-10T00:00:00Z")!))
        #expect(result.findings.allSatisfy { !$0.context.flags.contains("old-access-key") }, "a session key (ASIA...) is not the long-lived one")
    }

    func readCredentials(_ name: String, _ text: String) -> ReadResult {
        let dir = TemporaryDirectory()
        return InputReader.read(InputSource.load(dir.write(name, text)))
    }
}
