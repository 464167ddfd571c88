extension String {
    /// Whether `needle` occurs in the string, byte for byte (UTF-8; an empty needle always does), found
    /// by `ByteSearch`: without Foundation's `contains`, which converts both strings to UTF-16 and
    /// searches with a locale (a visible share of reading GCP audit logs, where every relevant
    /// record's method is tested).
    public func containsBytes(_ needle: String) -> Bool { byteOffset(of: needle, last: false) != nil }

    /// The text after the last occurrence of `needle` (byte for byte), or nil when it does not occur.
    public func afterLast(_ needle: String) -> Substring? {
        guard let offset = byteOffset(of: needle, last: true) else { return nil }
        let utf8 = self.utf8
        return self[utf8.index(utf8.startIndex, offsetBy: offset + needle.utf8.count)...]
    }

    /// The byte offset of the first or `last` occurrence of `needle`, or nil.
    private func byteOffset(of needle: String, last: Bool) -> Int? {
        // An empty needle is found everywhere: first at the start, last at the end.
        guard !needle.isEmpty else { return last ? utf8.count : 0 }
        let pattern = Array(needle.utf8)
        var haystack = self
        return haystack.withUTF8 { bytes -> Int? in
            let raw = UnsafeRawBufferPointer(bytes)
            guard var found = ByteSearch.firstIndex(of: pattern, in: raw, range: 0..<raw.count) else { return nil }
            while last, let next = ByteSearch.firstIndex(of: pattern, in: raw, range: (found + 1)..<raw.count) { found = next }
            return found
        }
    }
}
