import Foundation
import MirrorwatchJSON
import MirrorwatchModel

/// GCP VPC Flow Logs as Cloud Logging entries (`logName` ending in `vpc_flows`): JSON lines
/// from a sink, or the array `gcloud logging read --format=json` prints. Byte and packet counts
/// are strings; each record is one direction as seen by its `reporter`.
public enum GCPFlowLogReader {
    static let format = InputFormat(kind: .gcpFlow, recognizes: { head in
        head.contains("vpc_flows") || (head.hasKey("jsonPayload") && head.hasKey("connection") && head.hasKey("dest_ip"))
    }, stream: { input, options in read(input, options: options) })

    private static let reader = JSONRecordReader(resyncMarker: "{\"insertId\"")

    /// Reads the log window by window. A flow whose protocol, destination port and address are
    /// read at the byte level (`FlowPeek`) and say it is not worth keeping is not decoded; every
    /// other entry is, and one missing addresses, protocol or start time is reported.
    public static func read(_ input: some ByteWindows, options: ReaderOptions) -> ReadResult {
        var collector = FlowCollector(options: options)
        let judge = FlowCollector(options: options)
        var result = reader.read(input, format: "gcp-flow", isRelevant: { span, buffer in
            guard let peek = FlowPeek(span.start..<span.end, in: buffer), peek.isComplete else { return true }
            return judge.isWorthKeeping(proto: peek.proto, destinationPort: peek.port, destination: peek.destination)
        }) { entry, evidence, result in
            guard let payload = entry["jsonPayload"], let connection = payload["connection"] else { return }
            guard let source = connection["src_ip"]?.text, let destination = connection["dest_ip"]?.text,
                  let proto = connection["protocol"]?.int,
                  let start = (payload["start_time"] ?? entry["timestamp"])?.text.flatMap({ Timestamp.parse($0) }) else {
                result.report.problem(evidence.position, "flow without addresses, protocol or start time"); return
            }
            let port = connection["dest_port"]?.int
            guard collector.isWorthKeeping(proto: proto, destinationPort: port, destination: destination) else { return }
            result.report.relevant += 1
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
