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
                    guard let text = tuple.text, let flow = flow(text, observer: observer ?? groupMAC, subscription: subscription, evidence: evidence) else {
                        result.report.problem(evidence.position, "unreadable flow tuple '\(tuple.text?.prefix(80) ?? "?")'"); continue
                    }
                    guard flow.action != .reject,
                          collector.isWorthKeeping(proto: flow.proto, destinationPort: flow.destinationPort, destination: flow.destinationAddress) else { continue }
                    result.report.relevant += 1
                    collector.add(flow)
                }
            }
        }
        result.flows = collector.flows
        return result
    }

    /// One tuple. NSG v1: `ts,src,dst,sport,dport,T|U,I|O,A|D`; v2 adds `state,pkts,bytes,pkts,bytes`.
    /// VNet: `ts,src,dst,sport,dport,proto#,I|O,B|C|E|D,encryption,pkts,bytes,pkts,bytes`.
    static func flow(_ tuple: String, observer: String?, subscription: String?, evidence: Evidence) -> FlowRecord? {
        let f = tuple.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        guard f.count >= 8, let stamp = Double(f[0]), let proto = FlowRecord.protocolNumber(f[5]) else { return nil }
        // VNet logs write milliseconds, NSG logs seconds. Field 7 is the NSG decision or the VNet
        // state; in both, `D` is denied. Both put packets and bytes sent at fields 9 and 10.
        let seconds = stamp > 1e11 ? stamp / 1000 : stamp
        let denied = f[7] == "D"
        let packets = f.count > 9 ? Int(f[9]) : nil
        let bytes = f.count > 10 ? Int(f[10]) : nil
        return FlowRecord(platform: .azure, scope: Scope(account: subscription), observer: observer, start: Date(timeIntervalSince1970: seconds),
                          sourceAddress: f[1], destinationAddress: f[2], sourcePort: Int(f[3]), destinationPort: Int(f[4]), proto: proto,
                          packets: packets, bytes: bytes, action: denied ? .reject : .accept, evidence: evidence)
    }

    static func subscription(in id: String) -> String? {
        let parts = id.split(separator: "/")
        guard let i = parts.firstIndex(where: { $0.lowercased() == "subscriptions" }), i + 1 < parts.count else { return nil }
        return parts[i + 1].lowercased()
    }
}
