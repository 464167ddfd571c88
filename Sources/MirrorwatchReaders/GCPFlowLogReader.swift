import Foundation
import MirrorwatchJSON
import MirrorwatchModel

/// GCP VPC Flow Logs as Cloud Logging entries (`logName` ending in `vpc_flows`): JSON lines
/// from a sink, or the array `gcloud logging read --format=json` prints. Byte and packet counts
/// are strings; each record is one direction as seen by its `reporter`.
public enum GCPFlowLogReader {
    static let format = InputFormat(kind: .gcpFlow, recognizes: { head in
        head.contains("vpc_flows") || (head.hasKey("jsonPayload") && head.hasKey("connection") && head.hasKey("dest_ip"))
    }, read: { input, options in read(input, options: options) })

    public static func read(_ input: LoadedInput, options: ReaderOptions) -> ReadResult {
        var result = ReadResult(report: InputReport(input: input.name, format: "gcp-flow"))
        result.report.bytes = input.bytes.count
        var collector = FlowCollector(options: options)
        JSONDocuments.each(in: input, report: &result.report) { entry, evidence, report in
            guard let payload = entry["jsonPayload"], let connection = payload["connection"] else { return }
            guard let source = connection["src_ip"]?.text, let destination = connection["dest_ip"]?.text,
                  let proto = connection["protocol"]?.int,
                  let start = (payload["start_time"] ?? entry["timestamp"])?.text.flatMap({ Timestamp.parse($0) }) else {
                report.problem(evidence.position, "flow without addresses, protocol or start time"); return
            }
            let port = connection["dest_port"]?.int
            guard collector.isWorthKeeping(proto: proto, destinationPort: port, destination: destination) else { return }
            report.relevant += 1
            let vm = (payload["reporter"]?.text == "DEST" ? payload["dest_instance"] : payload["src_instance"])?["vm_name"]?.text
            let project = entry.at("resource", "labels", "project_id")?.text
            collector.add(FlowRecord(platform: .gcp, scope: Scope(account: project, region: entry.at("resource", "labels", "location")?.text),
                                     observer: vm, start: start, end: payload["end_time"]?.text.flatMap { Timestamp.parse($0) },
                                     sourceAddress: source, destinationAddress: destination, sourcePort: connection["src_port"]?.int,
                                     destinationPort: port, proto: proto, packets: payload["packets_sent"]?.text.flatMap { Int($0) },
                                     bytes: payload["bytes_sent"]?.text.flatMap { Int($0) }, evidence: evidence))
        }
        result.flows = collector.flows
        return result
    }
}

/// JSON inputs that are either one document (an object, or an array of records, or `{"records"|"value"|"entries": [...]}`)
/// or JSON lines: each record with its evidence. Malformed lines are reported and skipped.
enum JSONDocuments {
    static func each(in input: LoadedInput, report: inout InputReport, _ body: (JSONValue, Evidence, inout InputReport) -> Void) {
        if let document = try? JSONParser.parse(input.bytes) {
            let items = document.member(anyOf: "records", "value", "entries")?.elements ?? (document.elements.isEmpty ? [document] : document.elements)
            for (index, item) in items.enumerated() {
                report.records += 1
                body(item, Evidence(input: input.name, record: index), &report)
            }
            return
        }
        var lineNumber = 0
        var record = 0
        for line in input.bytes.split(separator: 0x0A, omittingEmptySubsequences: false) {
            lineNumber += 1
            guard line.contains(where: { $0 != 0x20 && $0 != 0x0D && $0 != 0x09 }) else { continue }
            report.records += 1
            do throws(JSONParseError) {
                let value = try JSONParser.parse(Array(line))
                let items = value.member(anyOf: "records", "value")?.elements ?? [value]
                for item in items {
                    body(item, Evidence(input: input.name, record: record, line: lineNumber), &report)
                    record += 1
                }
            } catch {
                report.problem("line \(lineNumber), column \(error.offset + 1)", "malformed JSON: \(error.reason)")
            }
        }
    }
}
