import MirrorwatchJSON
import Testing

/// Byte-for-byte substring tests without Foundation: the same answers as a plain search over the
/// UTF-8 bytes, first and last occurrences, empty and longer needles, non-ASCII text.
@Suite struct StringByteSearchTests {
    /// The plain reference: every offset compared.
    func offsets(_ haystack: String, _ needle: String) -> [Int] {
        let h = Array(haystack.utf8), n = Array(needle.utf8)
        guard n.count <= h.count else { return [] }
        return (0...(h.count - n.count)).filter { Array(h[$0..<($0 + n.count)]) == n }
    }

    @Test func agreesWithAPlainSearch() {
        let texts = ["compute.v1.packetMirrorings.insert".lowercased(), "a.b.a.b.a", "ééé.é", "", "aaaa", "projects/p/global/firewallPolicies/x.addPacketMirroringRule"]
        let needles = ["packetmirrorings.", "a.", "a", "é.", "é", "", "aaaaa", ".", "firewallPolicies/", "zz"]
        for text in texts {
            for needle in needles {
                let found = offsets(text, needle)
                #expect(text.containsBytes(needle) == !found.isEmpty, "\(needle) in \(text)")
                let after = text.afterLast(needle).map { String($0) }
                if let last = found.last {
                    #expect(after == String(decoding: Array(text.utf8)[(last + needle.utf8.count)...], as: UTF8.self), "\(needle) in \(text)")
                } else {
                    #expect(after == nil, "\(needle) in \(text)")
                }
            }
        }
        #expect("compute.v1.packetmirrorings.insert".afterLast("packetmirrorings.") == "insert")
        #expect("a.b.a.b.a".afterLast("a.") == "b.a")
        #expect(!"packetmirroring".containsBytes("packetmirrorings"))
    }
}
