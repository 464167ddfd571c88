import MirrorwatchModel

/// Whether several accept rules together copy every packet: `0.0.0.0/1` and `128.0.0.0/1` accept
/// every destination as surely as `0.0.0.0/0`, and a filter split that way is a catch-all as much
/// as one rule is. Rules are taken as source × destination rectangles of the IPv4 space; the
/// union covers the space when every cell of the grid their edges cut it into is inside one.
enum FilterCoverage {
    /// Whether `rules` (accept rules of one direction, all protocols and ports) together accept
    /// every IPv4 source and destination.
    static func coversEveryIPv4Packet(_ rules: [FilterRule]) -> Bool {
        let boxes = rules.compactMap { rule -> (source: ClosedRange<UInt32>, destination: ClosedRange<UInt32>)? in
            guard let source = range(rule.sourceCIDR), let destination = range(rule.destinationCIDR) else { return nil }
            return (source, destination)
        }
        guard !boxes.isEmpty else { return false }
        func edges(_ ranges: [ClosedRange<UInt32>]) -> [UInt32] {
            var starts: Set<UInt32> = [0]
            for r in ranges {
                starts.insert(r.lowerBound)
                if r.upperBound < .max { starts.insert(r.upperBound + 1) }
            }
            return starts.sorted()
        }
        // Each cell of the grid is covered by a box or by none: its lowest corner decides.
        for x in edges(boxes.map(\.source)) {
            for y in edges(boxes.map(\.destination)) where !boxes.contains(where: { $0.source.contains(x) && $0.destination.contains(y) }) {
                return false
            }
        }
        return true
    }

    /// The addresses of an IPv4 CIDR (nil, the rule's absent side, is every address); nil for
    /// anything else (IPv6, a name).
    static func range(_ cidr: String?) -> ClosedRange<UInt32>? {
        guard let cidr else { return 0...UInt32.max }
        let parts = cidr.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count <= 2 else { return nil }
        let octets = parts[0].split(separator: ".", omittingEmptySubsequences: false).compactMap { UInt32($0) }
        guard octets.count == 4, octets.allSatisfy({ $0 <= 255 }) else { return nil }
        let address = octets.reduce(0) { $0 << 8 | $1 }
        let prefix = parts.count == 2 ? Int(parts[1]) : 32
        guard let prefix, (0...32).contains(prefix) else { return nil }
        let mask: UInt32 = prefix == 0 ? 0 : ~0 << UInt32(32 - prefix)
        let low = address & mask
        return low...(low | ~mask)
    }
}
