import Foundation
import MirrorwatchModel

/// AWS VPC Flow Logs as delivered to S3 (`.log.gz`, a header line naming the fields: the
/// default version 2 format or any custom format) or exported from CloudWatch Logs (no header:
/// the default format is assumed). `-` marks a missing value; `NODATA`/`SKIPDATA` records carry
/// no flow and are counted as skipped.
public enum AWSFlowLogReader {
    static let defaultFields = ["version", "account-id", "interface-id", "srcaddr", "dstaddr", "srcport", "dstport", "protocol",
                                "packets", "bytes", "start", "end", "action", "log-status"]

    static let format = InputFormat(kind: .vpcFlow, recognizes: { head in
        if head.name.contains("vpcflowlogs") { return true }
        let text = String(decoding: head.bytes.prefix(400), as: UTF8.self)
        if text.hasPrefix("version ") || text.hasPrefix("account-id ") || text.hasPrefix("interface-id ") { return true }
        // Headerless (CloudWatch export): `2 123456789012 eni-... ... ACCEPT OK`.
        let first = text.split(separator: "\n").first.map { $0.split(separator: " ") } ?? []
        return first.count == 14 && first[0] == "2" && first[2].hasPrefix("eni-")
    }, read: { input, options in read(input, options: options) })

    public static func read(_ input: LoadedInput, options: ReaderOptions) -> ReadResult {
        var result = ReadResult(report: InputReport(input: input.name, format: "vpc-flow"))
        result.report.bytes = input.bytes.count
        var fields = defaultFields
        var collector = FlowCollector(options: options)
        var lineNumber = 0
        var noData = 0, skipData = 0
        for line in input.bytes.split(separator: 0x0A, omittingEmptySubsequences: false) {
            lineNumber += 1
            let text = String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            if text.isEmpty { continue }
            let values = text.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
            if lineNumber == 1, values.contains("srcaddr") || values.contains("dstaddr") {
                fields = values
                continue
            }
            result.report.records += 1
            guard values.count == fields.count else {
                result.report.problem("line \(lineNumber)", "\(values.count) fields where the header names \(fields.count); line skipped"); continue
            }
            var record: [String: String] = [:]
            for (name, value) in zip(fields, values) where value != "-" { record[name] = value }
            if let status = record["log-status"], status != "OK" {
                if status == "SKIPDATA" { skipData += 1 } else { noData += 1 }
                continue
            }
            guard let source = record["srcaddr"] ?? record["pkt-srcaddr"], let destination = record["dstaddr"] ?? record["pkt-dstaddr"],
                  let proto = record["protocol"].flatMap({ Int($0) }), let start = record["start"].flatMap({ TimeInterval($0) }) else {
                result.report.problem("line \(lineNumber)", "flow without addresses, protocol or start time; line skipped"); continue
            }
            let port = record["dstport"].flatMap { Int($0) }
            guard collector.isWorthKeeping(proto: proto, destinationPort: port, destination: destination) else { continue }
            result.report.relevant += 1
            collector.add(FlowRecord(
                platform: .aws, scope: Scope(account: record["account-id"], region: record["region"]), observer: record["interface-id"],
                start: Date(timeIntervalSince1970: start), end: record["end"].flatMap { TimeInterval($0) }.map { Date(timeIntervalSince1970: $0) },
                sourceAddress: source, destinationAddress: destination, sourcePort: record["srcport"].flatMap { Int($0) }, destinationPort: port,
                proto: proto, packets: record["packets"].flatMap { Int($0) }, bytes: record["bytes"].flatMap { Int($0) },
                action: record["action"] == "REJECT" ? .reject : record["action"] == "ACCEPT" ? .accept : nil,
                evidence: Evidence(input: input.name, line: lineNumber)))
        }
        // NODATA: no traffic in the window (nothing lost). SKIPDATA: AWS could not record flows: a gap.
        if skipData > 0 {
            result.report.issues.append(InputIssue(input: input.name, position: "file", reason: "\(skipData) SKIPDATA record(s): the flow log itself lost flows in those windows"))
        }
        _ = noData
        result.flows = collector.flows
        return result
    }
}
