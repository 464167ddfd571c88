import Foundation
import MirrorwatchModel

/// What flow readers share: which flows are worth keeping, and merging the records of one
/// conversation (same observer, addresses, ports, protocol and action) into one.
struct FlowCollector {
    private var merged: [String: Int] = [:]
    private(set) var flows: [FlowRecord] = []
    let options: ReaderOptions

    init(options: ReaderOptions) { self.options = options }

    /// Mirror encapsulation (GRE, or UDP to a mirror port), or traffic to an address outside the organization.
    func isWorthKeeping(proto: Int, destinationPort: Int?, destination: String) -> Bool {
        if proto == 47 { return true }
        if proto == 17, let port = destinationPort, options.mirrorPorts.contains(port) { return true }
        return options.isInternalAddress(destination) == false
    }

    /// Adds a flow (already judged worth keeping) and reports whether it was kept as new.
    mutating func add(_ flow: FlowRecord) {
        let key = "\(flow.observer ?? "")|\(flow.sourceAddress)|\(flow.destinationAddress)|\(flow.destinationPort ?? -1)|\(flow.proto)|\(flow.action?.rawValue ?? "")"
        if let index = merged[key] {
            flows[index].count += flow.count
            flows[index].bytes = (flows[index].bytes ?? 0) + (flow.bytes ?? 0)
            flows[index].packets = (flows[index].packets ?? 0) + (flow.packets ?? 0)
            flows[index].start = min(flows[index].start, flow.start)
            flows[index].end = max(flows[index].end ?? flows[index].start, flow.end ?? flow.start)
        } else {
            merged[key] = flows.count
            flows.append(flow)
        }
    }
}
