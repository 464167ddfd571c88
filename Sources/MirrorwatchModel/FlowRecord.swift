import Foundation

/// One flow from network telemetry (VPC, VNet, NSG flow logs, NetFlow/IPFIX exports).
public struct FlowRecord: Sendable {
    /// Whether the flow was let through, when the log says.
    public enum Action: String, Sendable { case accept, reject }

    public var platform: Platform
    public var scope: Scope
    /// Where the flow was observed: an ENI id, a NIC or VM, an exporter, when known.
    public var observer: String?
    public var start: Date
    public var end: Date?
    public var sourceAddress: String
    public var destinationAddress: String
    public var sourcePort: Int?
    public var destinationPort: Int?
    /// IANA protocol number (6 TCP, 17 UDP, 47 GRE).
    public var proto: Int
    public var packets: Int?
    public var bytes: Int?
    public var action: Action?
    /// How many flow records this one stands for (readers merge records of the same conversation).
    public var count = 1
    public var evidence: Evidence

    public init(platform: Platform, scope: Scope = Scope(), observer: String? = nil, start: Date, end: Date? = nil,
                sourceAddress: String, destinationAddress: String, sourcePort: Int? = nil, destinationPort: Int? = nil,
                proto: Int, packets: Int? = nil, bytes: Int? = nil, action: Action? = nil, evidence: Evidence) {
        self.platform = platform
        self.scope = scope
        self.observer = observer
        self.start = start
        self.end = end
        self.sourceAddress = sourceAddress
        self.destinationAddress = destinationAddress
        self.sourcePort = sourcePort
        self.destinationPort = destinationPort
        self.proto = proto
        self.packets = packets
        self.bytes = bytes
        self.action = action
        self.evidence = evidence
    }

    /// IANA protocol numbers for the names collectors print (`TCP`, `UDP`, `GRE`, ...).
    public static func protocolNumber(_ text: some StringProtocol) -> Int? {
        if let number = Int(text) { return number }
        switch text.uppercased() {
        case "TCP", "T": return 6
        case "UDP", "U": return 17
        case "ICMP": return 1
        case "GRE": return 47
        case "ESP": return 50
        case "ICMP6", "IPV6-ICMP": return 58
        default: return nil
        }
    }
}
