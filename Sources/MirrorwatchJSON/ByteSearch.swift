#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Substring search over raw bytes: memchr on the needle's rarest byte, memcmp to confirm.
public enum ByteSearch {
    /// Offset of the first occurrence of `needle` in `haystack[range]`, or nil.
    public static func firstIndex(of needle: [UInt8], in haystack: UnsafeRawBufferPointer, range: Range<Int>) -> Int? {
        guard let base = haystack.baseAddress, !needle.isEmpty, range.count >= needle.count else { return nil }
        // Anchored on the byte least likely in log text, so memchr skips far and memcmp runs rarely
        // (anchoring `storage.buckets.delete` on its `s` made a GCP scan spend a fifth of its time in memcmp).
        let anchor = anchorOffset(needle)
        let last = range.upperBound - needle.count
        var i = range.lowerBound
        let byte = Int32(needle[anchor])
        // A second byte, at the needle's other end, checked before memcmp is called: most anchor hits
        // in log text are not the needle, and the call costs more than the test.
        let check = anchor == needle.count - 1 ? 0 : needle.count - 1
        let checkByte = needle[check]
        return needle.withUnsafeBytes { n -> Int? in
            while i <= last {
                guard let hit = memchr(base + i + anchor, byte, last - i + 1) else { return nil }
                let at = UnsafeRawPointer(hit) - base - anchor
                if base.load(fromByteOffset: at + check, as: UInt8.self) == checkByte, memcmp(base + at, n.baseAddress!, needle.count) == 0 { return at }
                i = at + 1
            }
            return nil
        }
    }

    /// The position in `needle` of its rarest byte in JSON and syslog text (by `rarity`).
    @inline(__always)
    static func anchorOffset(_ needle: [UInt8]) -> Int {
        rarity.withUnsafeBufferPointer { rank in
            var best = 0
            for k in needle.indices where rank[Int(needle[k])] < rank[Int(needle[best])] { best = k }
            return best
        }
    }

    /// How common each byte is in log text, rarest first: printable ASCII ranked by its frequency in
    /// the public CloudTrail and device configurations of `../shared/datasets` (4 MB, measured
    /// 2026-11-30; `.` is common there, and anchoring on it made GCP method names slow to find),
    /// control and non-ASCII bytes taken as fairly rare.
    private static let rarity: [UInt8] = {
        let rarestFirst = Array(#"<>^`|~&?$!@'#*=%\[]Y;WX+_J()LBOGjKxkUqZzFQVMPHRN{}hEDTCyg65bS/fw94v8IplA7.03mud1,c2io-n: srtae""#.utf8)
        var rank = [UInt8](repeating: 20, count: 256)
        for (position, byte) in rarestFirst.enumerated() { rank[Int(byte)] = UInt8(position) }
        return rank
    }()

    /// Whether `haystack[range]` contains `needle`.
    public static func contains(_ needle: [UInt8], in haystack: UnsafeRawBufferPointer, range: Range<Int>) -> Bool {
        firstIndex(of: needle, in: haystack, range: range) != nil
    }

    /// Whether `haystack[range]` contains `needle` ignoring ASCII case (`needle` given in lower case).
    /// Finds candidates with memchr on both cases of the first byte.
    public static func containsIgnoringCase(_ needle: [UInt8], in haystack: UnsafeRawBufferPointer, range: Range<Int>) -> Bool {
        guard let base = haystack.baseAddress, let head = needle.first, range.count >= needle.count else { return false }
        let last = range.upperBound - needle.count
        let upper = head >= 0x61 && head <= 0x7A ? head - 0x20 : head
        // The first byte in either case, one memchr pass each (no array of the two: this runs per record).
        for pass in 0..<(upper == head ? 1 : 2) {
            let first = pass == 0 ? head : upper
            var i = range.lowerBound
            while i <= last {
                guard let hit = memchr(base + i, Int32(first), last - i + 1) else { break }
                let at = UnsafeRawPointer(hit) - base
                var k = 1
                while k < needle.count {
                    var c = base.load(fromByteOffset: at + k, as: UInt8.self)
                    if c >= 0x41 && c <= 0x5A { c += 0x20 }
                    if c != needle[k] { break }
                    k += 1
                }
                if k == needle.count { return true }
                i = at + 1
            }
        }
        return false
    }

    /// Whether the bytes in `range` equal `text`.
    public static func equals(_ haystack: UnsafeRawBufferPointer, _ range: Range<Int>, _ text: [UInt8]) -> Bool {
        guard range.count == text.count, let base = haystack.baseAddress else { return false }
        return text.withUnsafeBytes { memcmp(base + range.lowerBound, $0.baseAddress!, text.count) == 0 }
    }
}
