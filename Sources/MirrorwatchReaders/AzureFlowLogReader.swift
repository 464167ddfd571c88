import Foundation
import MirrorwatchJSON
import MirrorwatchModel

/// Azure Network Watcher flow logs: NSG flow logs (versions 1 and 2, protocol as `T`/`U`) and
/// VNet flow logs (protocol as a number, times in seconds or milliseconds), as the hourly
/// `PT1H.json` blobs (`{"records": [...]}`) in `insights-logs-networksecuritygroupflowevent` and
/// `insights-logs-flowlogflowevent`.
public enum AzureFlowLogReader {
    static let format = InputFormat(kind: .azureFlow, recognizes: { head in
        head.hasKey("flowTuples") || head.contains("NetworkSecurityGroupFlowEvent") || head.contains("FlowLogFlowEvent")
    }, stream: { input, options in read(input, options: options) })

    private static let reader = JSONRecordReader(resyncMarker: "{\"time\"")

    /// Reads the blob window by window, one record (one rule set's flows over a minute or so) at a
    /// time. Every tuple is a flow and is what `records` counts.
    public static func read(_ input: some ByteWindows, options: ReaderOptions) -> ReadResult {
        var collector = FlowCollector(options: options)
        var result = reader.read(input, format: "azure-flow") { record, evidence, result in
            // The record holds the flows; the flows are counted instead.
            result.report.records -= 1
            let subscription = (record.member(anyOf: "targetResourceID", "resourceId", "flowLogResourceID")?.text).flatMap(subscription(in:))
            let mac = record.member(anyOf: "macAddress")?.text
            // NSG: properties.flows[].flows[].flowTuples; VNet: flowRecords.flows[].flowGroups[].flowTuples.
            let groups = (record.at("properties", "flows")?.elements ?? []).flatMap { $0["flows"]?.elements ?? [] }
                + (record.at("flowRecords", "flows")?.elements ?? []).flatMap { $0["flowGroups"]?.elements ?? [] }
            let observer = record.member(anyOf: "targetResourceID")?.text ?? mac
            for group in groups {
                let groupMAC = group["mac"]?.text ?? mac
                for tuple in group["flowTuples"]?.elements ?? [] {
                    result.report.records += 1
                    guard var text = tuple.text, let fields = Tuple(&text) else {
                        result.report.problem(evidence.position, "unreadable flow tuple '\(tuple.text?.prefix(80) ?? "?")'"); continue
                    }
                    // Judged on the tuple's bytes; only a kept flow becomes strings and a record.
                    guard !fields.denied, collector.isWorthKeeping(proto: fields.proto, destinationPort: fields.destinationPort,
                                                                  destination: fields.destination) else { continue }
                    result.report.relevant += 1
                    collector.add(fields.flow(observer: observer ?? groupMAC, subscription: subscription, evidence: evidence))
                }
            }
        }
        result.flows = collector.flows
        return result
    }

    /// One tuple, its fields found in its UTF-8 bytes without splitting it into strings. NSG v1:
    /// `ts,src,dst,sport,dport,T|U,I|O,A|D`; v2 adds `state,pkts,bytes,pkts,bytes`. VNet:
    /// `ts,src,dst,sport,dport,proto#,I|O,B|C|E|D,encryption,pkts,bytes,pkts,bytes`.
    struct Tuple {
        var seconds: Double
        var source: String
        var destination: String
        var sourcePort: Int?
        var destinationPort: Int?
        var proto: Int
        /// Field 7 is the NSG decision or the VNet state; in both, `D` is denied.
        var denied: Bool
        /// Packets and bytes sent (fields 9 and 10 in both).
        var packets: Int?
        var bytes: Int?

        /// Nil when the tuple has fewer than eight fields, or no readable time or protocol.
        init?(_ text: inout String) {
            guard let parsed = text.withUTF8({ Self.parse($0) }) else { return nil }
            self = parsed
        }

        private init(seconds: Double, source: String, destination: String, sourcePort: Int?, destinationPort: Int?, proto: Int,
                     denied: Bool, packets: Int?, bytes: Int?) {
            (self.seconds, self.source, self.destination, self.sourcePort, self.destinationPort) = (seconds, source, destination, sourcePort, destinationPort)
            (self.proto, self.denied, self.packets, self.bytes) = (proto, denied, packets, bytes)
        }

        /// Fields read: the first eleven.
        private static let fieldsRead = 11

        private static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> Tuple? {
            withUnsafeTemporaryAllocation(of: Range<Int>.self, capacity: fieldsRead) { f in
                var count = 0, start = 0
                for i in 0...bytes.count where i == bytes.count || bytes[i] == UInt8(ascii: ",") {
                    if count < fieldsRead { f.initializeElement(at: count, to: start..<i) }
                    count += 1
                    start = i + 1
                }
                defer { f.baseAddress!.deinitialize(count: min(count, fieldsRead)) }
                guard count >= 8 else { return nil }
                func text(_ k: Int) -> Substring { Substring(decoding: UnsafeBufferPointer(rebasing: bytes[f[k]]), as: UTF8.self) }
                func number(_ k: Int) -> Int? {
                    k < min(count, fieldsRead) ? DecimalBytes.value(UnsafeRawBufferPointer(bytes), f[k]) : nil
                }
                // The protocol: a number (VNet), `T` or `U` (NSG), any other spelling through the shared table.
                let letter = f[5].count == 1 ? bytes[f[5].lowerBound] : 0
                let named = letter == UInt8(ascii: "T") ? 6 : letter == UInt8(ascii: "U") ? 17 : nil
                guard let stamp = Double(text(0)), let proto = named ?? number(5) ?? FlowRecord.protocolNumber(text(5)) else { return nil }
                // VNet logs write milliseconds, NSG logs seconds.
                let seconds = stamp > 1e11 ? stamp / 1000 : stamp
                let decision = bytes[f[7]]
                return Tuple(seconds: seconds, source: String(text(1)), destination: String(text(2)), sourcePort: number(3),
                             destinationPort: number(4), proto: proto, denied: decision.count == 1 && decision.first == UInt8(ascii: "D"),
                             packets: number(9), bytes: number(10))
            }
        }

        func flow(observer: String?, subscription: String?, evidence: Evidence) -> FlowRecord {
            FlowRecord(platform: .azure, scope: Scope(account: subscription), observer: observer, start: Date(timeIntervalSince1970: seconds),
                       sourceAddress: source, destinationAddress: destination, sourcePort: sourcePort, destinationPort: destinationPort, proto: proto,
                       packets: packets, bytes: bytes, action: denied ? .reject : .accept, evidence: evidence)
        }
    }

    static func subscription(in id: String) -> String? {
        let parts = id.split(separator: "/")
        guard let i = parts.firstIndex(where: { $0.lowercased() == "subscriptions" }), i + 1 < parts.count else { return nil }
        return parts[i + 1].lowercased()
    }
}
