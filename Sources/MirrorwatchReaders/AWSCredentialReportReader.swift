import Foundation
import MirrorwatchJSON
import MirrorwatchModel

/// Reads the AWS IAM credential report: `aws iam get-credential-report` output (JSON whose
/// `Content` is the base64 CSV) or the CSV itself (`... --query Content --output text | base64 -d`).
/// For each user: console password, MFA, and the state, rotation and last use of its two access keys.
public enum AWSCredentialReportReader {
    static let header = "user,arn,user_creation_time"

    static let format = InputFormat(kind: .awsCredentialReport, recognizes: { head in
        // The CLI prints the base64 `Content` first: in a big report the other keys lie beyond the head,
        // so the CSV header in base64 (`user,arn,` → `dXNlcixhcm4s`) tells it too.
        (head.firstKey == "Content" && (head.hasKey("ReportFormat") || head.hasKey("GeneratedTime") || head.contains("dXNlcixhcm4s")))
            || head.bytes.starts(with: Array(header.utf8))
    }, read: { input, _ in read(input) })

    public static func read(_ input: LoadedInput) -> ReadResult {
        var result = ReadResult(report: InputReport(input: input.name, format: "aws-credential-report"))
        result.report.bytes = input.bytes.count
        var csv = input.bytes
        var generated: Date?
        if input.bytes.first(where: { ![0x20, 0x0A, 0x0D, 0x09].contains($0) }) == UInt8(ascii: "{") {
            guard let document = SnapshotDocument.parse(input, into: &result)?.root else { return result }
            generated = document.member(ignoringCase: "GeneratedTime")?.text.flatMap { Timestamp.parse($0) }
            guard let content = document.member(ignoringCase: "Content")?.text, let data = Data(base64Encoded: content, options: .ignoreUnknownCharacters) else {
                result.report.problem("whole input", "Content is missing or not base64")
                return result
            }
            csv = [UInt8](data)
        }
        let (rows, problems) = CSVParser.parse(csv)
        for problem in problems { result.report.problem("line \(problem.line)", problem.reason) }
        guard let names = rows.first?.fields.map({ $0.lowercased() }), names.starts(with: ["user", "arn"]) else {
            result.report.problem("line 1", "not a credential report (the header must start with user,arn)")
            return result
        }
        func column(_ name: String) -> Int? { names.firstIndex(of: name) }
        func date(_ text: String?) -> Date? { text.flatMap { ["N/A", "no_information", "not_supported", ""].contains($0) ? nil : Timestamp.parse($0) } }
        // Ages are counted to when the report was generated; a CSV does not say, so its newest date stands in
        // (never the wall clock: the same report gives the same findings on any day).
        if generated == nil {
            generated = rows.dropFirst().flatMap { row in row.fields.compactMap { field in field.count >= 19 && field.contains("T") ? date(field) : nil } }.max()
        }
        for row in rows.dropFirst() {
            result.report.records += 1
            func value(_ name: String) -> String? { column(name).flatMap { $0 < row.fields.count ? row.fields[$0] : nil } }
            guard let arn = value("arn"), arn.hasPrefix("arn:"), let user = value("user") else {
                result.report.problem("line \(row.line)", "row without user or ARN"); continue
            }
            let keys = [1, 2].map { slot in
                CredentialReportEntry.AccessKey(active: value("access_key_\(slot)_active") == "true",
                                                lastRotated: date(value("access_key_\(slot)_last_rotated")),
                                                lastUsed: date(value("access_key_\(slot)_last_used_date")))
            }
            let entry = CredentialReportEntry(arn: arn, user: user, passwordEnabled: value("password_enabled") == "true",
                                              mfaActive: value("mfa_active") == "true", accessKeys: keys, generated: generated,
                                              evidence: Evidence(input: input.name, record: result.report.records - 1, line: row.line))
            result.access.credentials[arn.lowercased()] = entry
            result.report.relevant += 1
        }
        return result
    }
}
