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

    /// Whether the bytes in `range` equal `text`.
    public static func equals(_ haystack: UnsafeRawBufferPointer, _ range: Range<Int>, _ text: [UInt8]) -> Bool {
        guard range.count == text.count, let base = haystack.baseAddress else { return false }
        return text.withUnsafeBytes { memcmp(base + range.lowerBound, $0.baseAddress!, text.count) == 0 }
    }
}
