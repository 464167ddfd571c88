import Foundation
import MirrorwatchJSON
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
    }, stream: { input, options in read(input, options: options) })

    /// Reads the log window by window (windows end at a line's end) and each line at the byte
    /// level: fields are located without copying, and only a flow worth keeping (mirror
    /// encapsulation or leaving the organization) becomes strings and a record.
    public static func read(_ input: some ByteWindows, options: ReaderOptions) -> ReadResult {
        var reader = Lines(input: input.name, options: options)
        input.forEachWindowOfLines { buffer in
            var at = 0
            while at < buffer.count {
                let lineEnd = LineIndex.end(of: at, in: buffer)
                reader.read(buffer, at..<lineEnd)
                at = lineEnd + 1
            }
            reader.result.report.bytes += buffer.count
        }
        return reader.finish()
    }

    /// The state of one log's reading: its layout (from the header line) and what was kept.
    private struct Lines {
        var result: ReadResult
        var collector: FlowCollector
        var layout = Layout(defaultFields)
        var lineNumber = 0
        var skipData = 0
        var fields: [Range<Int>] = []
        let input: String

        init(input: String, options: ReaderOptions) {
            self.input = input
            result = ReadResult(report: InputReport(input: input, format: "vpc-flow"))
            collector = FlowCollector(options: options)
            fields.reserveCapacity(64)
        }

        mutating func read(_ buffer: UnsafeRawBufferPointer, _ line: Range<Int>) {
            lineNumber += 1
            Self.split(buffer, line, into: &fields)
            if fields.isEmpty { return }
            if lineNumber == 1 {
                let names = fields.map { String(decoding: UnsafeRawBufferPointer(rebasing: buffer[$0]), as: UTF8.self) }
                if names.contains("srcaddr") || names.contains("dstaddr") { layout = Layout(names); return }
            }
            result.report.records += 1
            guard fields.count == layout.count else {
                result.report.problem("line \(lineNumber)", "\(fields.count) fields where the header names \(layout.count); line skipped"); return
            }
            func value(_ index: Int?) -> Range<Int>? {
                guard let index else { return nil }
                let range = fields[index]
                return range.count == 1 && buffer[range.lowerBound] == UInt8(ascii: "-") ? nil : range
            }
            func text(_ index: Int?) -> String? { value(index).map { String(decoding: UnsafeRawBufferPointer(rebasing: buffer[$0]), as: UTF8.self) } }
            func number(_ index: Int?) -> Int? { value(index).flatMap { DecimalBytes.value(buffer, $0) } }
            if let status = value(layout.status), !ByteSearch.equals(buffer, status, Self.ok) {
                // NODATA: no traffic in the window (nothing lost). SKIPDATA: AWS could not record flows: a gap.
                if ByteSearch.equals(buffer, status, Self.skipData) { skipData += 1 }
                return
            }
            guard let sourceRange = value(layout.source) ?? value(layout.packetSource),
                  let destinationRange = value(layout.destination) ?? value(layout.packetDestination),
                  let proto = number(layout.proto), let start = number(layout.start) else {
                result.report.problem("line \(lineNumber)", "flow without addresses, protocol or start time; line skipped"); return
            }
            let port = number(layout.destinationPort)
            let destination = String(decoding: UnsafeRawBufferPointer(rebasing: buffer[destinationRange]), as: UTF8.self)
            guard collector.isWorthKeeping(proto: proto, destinationPort: port, destination: destination) else { return }
            result.report.relevant += 1
            let action = value(layout.action)
            collector.add(FlowRecord(
                platform: .aws, scope: Scope(account: text(layout.account), region: text(layout.region)), observer: text(layout.interface),
                start: Date(timeIntervalSince1970: TimeInterval(start)), end: number(layout.end).map { Date(timeIntervalSince1970: TimeInterval($0)) },
                sourceAddress: String(decoding: UnsafeRawBufferPointer(rebasing: buffer[sourceRange]), as: UTF8.self), destinationAddress: destination,
                sourcePort: number(layout.sourcePort), destinationPort: port, proto: proto, packets: number(layout.packets), bytes: number(layout.bytes),
                action: action.map { ByteSearch.equals(buffer, $0, Self.reject) ? .reject : ByteSearch.equals(buffer, $0, Self.accept) ? .accept : nil } ?? nil,
                evidence: Evidence(input: input, line: lineNumber)))
        }

        mutating func finish() -> ReadResult {
            if skipData > 0 {
                result.report.issues.append(InputIssue(input: input, position: "file", reason: "\(skipData) SKIPDATA record(s): the flow log itself lost flows in those windows"))
            }
            result.flows = collector.flows
            return result
        }

        static let ok = Array("OK".utf8), skipData = Array("SKIPDATA".utf8), reject = Array("REJECT".utf8), accept = Array("ACCEPT".utf8)

        /// The fields of a line, separated by spaces or tabs (a trailing carriage return is not part of the last).
        static func split(_ buffer: UnsafeRawBufferPointer, _ line: Range<Int>, into fields: inout [Range<Int>]) {
            fields.removeAll(keepingCapacity: true)
            var i = line.lowerBound
            while i < line.upperBound {
                while i < line.upperBound, Self.isBlank(buffer[i]) { i += 1 }
                let start = i
                while i < line.upperBound, !Self.isBlank(buffer[i]) { i += 1 }
                if i > start { fields.append(start..<i) }
            }
        }

        @inline(__always) static func isBlank(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0D }
    }

    /// Where each field is in a line, from the header's names.
    private struct Layout {
        let count: Int
        let source, destination, packetSource, packetDestination, proto, start, end, destinationPort, sourcePort: Int?
        let status, account, region, interface, packets, bytes, action: Int?

        init(_ names: [String]) {
            count = names.count
            func at(_ name: String) -> Int? { names.firstIndex(of: name) }
            source = at("srcaddr"); destination = at("dstaddr"); packetSource = at("pkt-srcaddr"); packetDestination = at("pkt-dstaddr")
            proto = at("protocol"); start = at("start"); end = at("end"); destinationPort = at("dstport"); sourcePort = at("srcport")
            status = at("log-status"); account = at("account-id"); region = at("region"); interface = at("interface-id")
            packets = at("packets"); bytes = at("bytes"); action = at("action")
        }
    }
}
