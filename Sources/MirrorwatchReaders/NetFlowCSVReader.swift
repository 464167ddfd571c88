import Foundation
import MirrorwatchModel

/// NetFlow/IPFIX exports as CSV: nfdump `-o csv` in the fixed 1.6 layout (`ts,te,td,sa,da,sp,dp,pr,...,ra,...`
/// with its `Summary` trailer) and the 1.7.5+ layout (`firstSeen,duration,proto,srcAddr,...`), and
/// the same columns from other collectors. Columns are found by header name; times without a
/// zone are in the policy's `change_control.timezone` (nfdump prints local time).
public enum NetFlowCSVReader {
    static let format = InputFormat(kind: .netflowCSV, recognizes: { head in
        let line = String(decoding: head.bytes.prefix(200), as: UTF8.self).lowercased()
        return line.hasPrefix("ts,te,td,sa,da") || line.hasPrefix("firstseen,") || line.hasPrefix("\u{FEFF}ts,te,")
    }, read: { input, options in read(input, options: options) })

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

    public static func read(_ input: LoadedInput, options: ReaderOptions) -> ReadResult {
        var result = ReadResult(report: InputReport(input: input.name, format: "netflow-csv"))
        result.report.bytes = input.bytes.count
        let (rows, problems) = CSVParser.parse(input.bytes)
        for problem in problems { result.report.problem("line \(problem.line)", problem.reason) }
        guard let header = rows.first else { result.report.problem("line 1", "empty NetFlow CSV"); return result }
        let names = header.fields.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        func index(_ aliases: [String]) -> Int? { names.firstIndex { aliases.contains($0) } }
        guard let start = index(Column.start), let src = index(Column.source), let dst = index(Column.destination), let pr = index(Column.proto) else {
            result.report.problem("line \(header.line)", "NetFlow CSV header lacks start time, addresses or protocol (expected nfdump columns ts/firstSeen, sa/srcAddr, da/dstAddr, pr/proto)")
            return result
        }
        let end = index(Column.end), duration = index(Column.duration), sp = index(Column.sourcePort), dp = index(Column.destinationPort)
        let packets = index(Column.packets), bytes = index(Column.bytes), exporter = index(Column.exporter)
        var collector = FlowCollector(options: options)
        for row in rows.dropFirst() {
            let first = row.fields.first?.trimmingCharacters(in: .whitespaces) ?? ""
            // nfdump's trailer: `Summary`, its own header, one line of totals; or `No matched flows`.
            if first == "Summary" || first == "No matched flows" { break }
            result.report.records += 1
            guard row.fields.count >= names.count || row.fields.count > max(start, src, dst, pr) else {
                result.report.problem("line \(row.line)", "row has \(row.fields.count) fields, header has \(names.count); row skipped"); continue
            }
            func field(_ i: Int?) -> String? {
                guard let i, i < row.fields.count else { return nil }
                let text = row.fields[i].trimmingCharacters(in: .whitespaces)
                return text.isEmpty ? nil : text
            }
            guard let begin = field(start).flatMap({ Timestamp.parse($0, defaultZone: options.defaultTimeZone) }),
                  let sourceAddress = field(src), let destinationAddress = field(dst),
                  let proto = field(pr).flatMap({ FlowRecord.protocolNumber($0) }) else {
                result.report.problem("line \(row.line)", "unreadable time, address or protocol; row skipped"); continue
            }
            let destinationPort = field(dp).flatMap { Int($0) }
            guard collector.isWorthKeeping(proto: proto, destinationPort: destinationPort, destination: destinationAddress) else { continue }
            var finish = field(end).flatMap { Timestamp.parse($0, defaultZone: options.defaultTimeZone) }
            if finish == nil, let seconds = field(duration).flatMap(Double.init) { finish = begin.addingTimeInterval(seconds) }
            result.report.relevant += 1
            collector.add(FlowRecord(platform: .ciscoIOS, scope: Scope(device: field(exporter)), observer: field(exporter), start: begin, end: finish,
                                     sourceAddress: sourceAddress, destinationAddress: destinationAddress, sourcePort: field(sp).flatMap { Int($0) },
                                     destinationPort: destinationPort, proto: proto, packets: field(packets).flatMap { Int($0) },
                                     bytes: field(bytes).flatMap { Int($0) }, evidence: Evidence(input: input.name, line: row.line)))
        }
        result.flows = collector.flows
        return result
    }
}
