#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension String {
    /// Whether `needle` occurs in the string, byte for byte (UTF-8; an empty needle always does): without
    /// Foundation's `contains`, which converts both strings to UTF-16 and searches with a locale
    /// (a visible share of reading GCP audit logs, where every relevant record's method is tested).
    public func containsBytes(_ needle: String) -> Bool { lastByteOffset(of: needle, first: true) != nil }

    /// The text after the last occurrence of `needle` (byte for byte), or nil when it does not occur.
    public func afterLast(_ needle: String) -> Substring? {
        guard let offset = lastByteOffset(of: needle, first: false) else { return nil }
        let utf8 = self.utf8
        return self[utf8.index(utf8.startIndex, offsetBy: offset + needle.utf8.count)...]
    }

    /// The byte offset of the first (`first`) or last occurrence of `needle`, or nil.
    private func lastByteOffset(of needle: String, first: Bool) -> Int? {
        var haystack = self, pattern = needle
        return haystack.withUTF8 { h in
            pattern.withUTF8 { n -> Int? in
                // An empty needle is found everywhere: first at the start, last at the end.
                guard !n.isEmpty else { return first ? 0 : h.count }
                guard n.count <= h.count, let nb = n.baseAddress, let hb = h.baseAddress else { return nil }
                var found: Int? = nil
                var i = 0
                let last = h.count - n.count
                while i <= last {
                    guard let hit = memchr(hb + i, Int32(n[0]), last - i + 1) else { break }
                    let at = UnsafeRawPointer(hit) - UnsafeRawPointer(hb)
                    if memcmp(hb + at, nb, n.count) == 0 {
                        found = at
                        if first { break }
                    }
                    i = at + 1
                }
                return found
            }
        }
    }
}
