import Foundation
import MirrorwatchModel

/// NetFlow/IPFIX exports as CSV: nfdump `-o csv` in the fixed 1.6 layout (`ts,te,td,sa,da,sp,dp,pr,...,ra,...`
/// with its `Summary` trailer) and the 1.7.5+ layout (`firstSeen,duration,proto,srcAddr,...`), and
/// the same columns from other collectors. Columns are found by header name; times without a
/// zone are in the policy's `change_control.timezone` (nfdump prints local time).
public enum NetFlowCSVReader {
    static let format = InputFormat(kind: .netflowCSV, recognizes: { head in
        var line = Substring(String(decoding: head.bytes.prefix(200), as: UTF8.self).lowercased())
        if line.hasPrefix("\u{FEFF}") { line = line.dropFirst() }
        return line.hasPrefix("ts,te,td,sa,da") || line.hasPrefix("firstseen,")
    }, stream: { input, options in read(input, options: options) })

    /// Column aliases, normalized to lower case.
    enum Column {
        static let start = ["ts", "firstseen", "first", "start", "start_time"]
        static let end = ["te", "lastseen", "last", "end", "end_time"]
        static let duration = ["td", "duration"]
        static let source = ["sa", "srcaddr", "src_ip", "srcip"]
        static let destination = ["da", "dstaddr", "dst_ip", "dstip"]
        static let sourcePort = ["sp", "srcport", "src_port"]
        static let destinationPort = ["dp", "dstport", "dst_port"]
        static let proto = ["pr", "proto", "protocol"]
        static let packets = ["ipkt", "packets", "inpackets", "pkt"]
        static let bytes = ["ibyt", "bytes", "inbytes", "byt"]
        static let exporter = ["ra", "routerip", "exporter", "exporterip"]
    }

    /// Reads the export window by window (rows are never cut, even a quoted field spanning lines):
    /// memory stays bounded whatever the export's size.
    public static func read(_ input: some ByteWindows, options: ReaderOptions) -> ReadResult {
        var rows = Rows(input: input.name, options: options)
        var parser = CSVParser()
        input.forEachWindow { buffer, isLast in
            let consumed = parser.parse(buffer, isLast: isLast, onRow: { rows.read($0) },
                                        onProblem: { rows.result.report.problem("line \($0.line)", $0.reason) })
            rows.result.report.bytes += consumed
            return consumed
        }
        return rows.finish()
    }

    /// The state of one export's reading: its columns (from the header row) and what was kept.
    private struct Rows {
        var result: ReadResult
        let options: ReaderOptions
        let input: String
        var collector: FlowCollector
        /// Column names, lower case, once the header is read.
        var names: [String]? = nil
        var columns: Columns? = nil
        /// After nfdump's trailer (`Summary`, its header and totals; or `No matched flows`): no more flows.
        var ended = false

        struct Columns {
            var start, source, destination, proto: Int
            var end, duration, sourcePort, destinationPort, packets, bytes, exporter: Int?
        }

        init(input: String, options: ReaderOptions) {
            self.input = input
            self.options = options
            result = ReadResult(report: InputReport(input: input, format: "netflow-csv"))
            collector = FlowCollector(options: options)
        }

        mutating func read(_ row: CSVParser.Row) {
            guard !ended else { return }
            guard let names else { readHeader(row); return }
            guard let columns else { return }
            let first = row.fields.first.map(Self.trimmed) ?? ""
            if first == "Summary" || first == "No matched flows" { ended = true; return }
            result.report.records += 1
            guard row.fields.count >= names.count || row.fields.count > max(columns.start, columns.source, columns.destination, columns.proto) else {
                result.report.problem("line \(row.line)", "row has \(row.fields.count) fields, header has \(names.count); row skipped"); return
            }
            func field(_ i: Int?) -> String? {
                guard let i, i < row.fields.count else { return nil }
                let text = Self.trimmed(row.fields[i])
                return text.isEmpty ? nil : text
            }
            guard let begin = field(columns.start).flatMap({ Timestamp.parse($0, defaultZone: options.defaultTimeZone) }),
                  let sourceAddress = field(columns.source), let destinationAddress = field(columns.destination),
                  let proto = field(columns.proto).flatMap({ FlowRecord.protocolNumber($0) }) else {
                result.report.problem("line \(row.line)", "unreadable time, address or protocol; row skipped"); return
            }
            let destinationPort = field(columns.destinationPort).flatMap { Int($0) }
            guard collector.isWorthKeeping(proto: proto, destinationPort: destinationPort, destination: destinationAddress) else { return }
            var finish = field(columns.end).flatMap { Timestamp.parse($0, defaultZone: options.defaultTimeZone) }
            if finish == nil, let seconds = field(columns.duration).flatMap(Double.init) { finish = begin.addingTimeInterval(seconds) }
            result.report.relevant += 1
            let exporter = field(columns.exporter)
            collector.add(FlowRecord(platform: .ciscoIOS, scope: Scope(device: exporter), observer: exporter, start: begin, end: finish,
                                     sourceAddress: sourceAddress, destinationAddress: destinationAddress, sourcePort: field(columns.sourcePort).flatMap { Int($0) },
                                     destinationPort: destinationPort, proto: proto, packets: field(columns.packets).flatMap { Int($0) },
                                     bytes: field(columns.bytes).flatMap { Int($0) }, evidence: Evidence(input: input, line: row.line)))
        }

        /// `text` without the blanks nfdump pads columns with (spaces, tabs), without copying when it has none.
        static func trimmed(_ text: String) -> String {
            func isBlank(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 }
            let utf8 = text.utf8
            guard let first = utf8.first, let last = utf8.last, isBlank(first) || isBlank(last) else { return text }
            guard let start = utf8.firstIndex(where: { !isBlank($0) }), let end = utf8.lastIndex(where: { !isBlank($0) }) else { return "" }
            return String(text[start...end])
        }

        private mutating func readHeader(_ header: CSVParser.Row) {
            let names = header.fields.map { Self.trimmed($0).lowercased() }
            self.names = names
            func index(_ aliases: [String]) -> Int? { names.firstIndex { aliases.contains($0) } }
            guard let start = index(Column.start), let source = index(Column.source), let destination = index(Column.destination),
                  let proto = index(Column.proto) else {
                result.report.problem("line \(header.line)", "NetFlow CSV header lacks start time, addresses or protocol (expected nfdump columns ts/firstSeen, sa/srcAddr, da/dstAddr, pr/proto)")
                ended = true
                return
            }
            columns = Columns(start: start, source: source, destination: destination, proto: proto, end: index(Column.end),
                              duration: index(Column.duration), sourcePort: index(Column.sourcePort),
                              destinationPort: index(Column.destinationPort), packets: index(Column.packets), bytes: index(Column.bytes),
                              exporter: index(Column.exporter))
        }

        mutating func finish() -> ReadResult {
            if names == nil { result.report.problem("line 1", "empty NetFlow CSV") }
            result.flows = collector.flows
            return result
        }
    }
}
