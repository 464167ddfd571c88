#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Substring search over raw bytes (memchr on the needle's first byte, memcmp to confirm).
public enum ByteSearch {
    /// Offset of the first occurrence of `needle` in `haystack[range]`, or nil.
    public static func firstIndex(of needle: [UInt8], in haystack: UnsafeRawBufferPointer, range: Range<Int>) -> Int? {
        guard let base = haystack.baseAddress, !needle.isEmpty, range.count >= needle.count else { return nil }
        let last = range.upperBound - needle.count
        var i = range.lowerBound
        let first = Int32(needle[0])
        return needle.withUnsafeBytes { n -> Int? in
            while i <= last {
                guard let hit = memchr(base + i, first, last - i + 1) else { return nil }
                let at = UnsafeRawPointer(hit) - base
                if memcmp(base + at, n.baseAddress!, needle.count) == 0 { return at }
                i = at + 1
            }
            return nil
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
