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
        return needle.withUnsafeBytes { n -> Int? in
            while i <= last {
                guard let hit = memchr(base + i + anchor, byte, last - i + 1) else { return nil }
                let at = UnsafeRawPointer(hit) - base - anchor
                if memcmp(base + at, n.baseAddress!, needle.count) == 0 { return at }
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

    /// A rough rank of how common each byte is in log text, rarest first: upper-case letters and
    /// uncommon punctuation, then digits, then letters (common ones last), then quotes and separators.
    private static let rarity: [UInt8] = (0...255).map { value in
        let c = UInt8(value)
        switch c {
        case UInt8(ascii: "I"), UInt8(ascii: "A"), UInt8(ascii: "T"): return 2
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): return 1
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return 4
        case UInt8(ascii: "."), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "="), UInt8(ascii: "%"), UInt8(ascii: "@"): return 3
        case UInt8(ascii: "a")...UInt8(ascii: "z"): return Array("etaoinsrlcdu".utf8).contains(c) ? 6 : 5
        default: return c >= 0x80 ? 3 : 7
        }
    }

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
        for first in upper == head ? [head] : [head, upper] {
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
