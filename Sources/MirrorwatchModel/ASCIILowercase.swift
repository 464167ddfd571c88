extension String {
    /// The string as `lowercased()` gives it, made faster for the ASCII text of identities, ARNs and
    /// keys: itself (no copy) when it has no uppercase letter, one allocation when it has; text with
    /// any non-ASCII byte goes to `lowercased()`.
    public var asciiLowercased: String {
        // Read in place, eight bytes at a time (identities are ARNs of 40 to 100 bytes).
        let verdict = utf8.withContiguousStorageIfAvailable { bytes -> Bool? in Self.asciiVerdict(bytes) } ?? nil
        switch verdict {
        case .some(false): return self
        case .none: return lowercased()
        case .some(true): break
        }
        let count = utf8.count
        return String(unsafeUninitializedCapacity: count) { out in
            var i = 0
            for byte in utf8 {
                out[i] = byte &- 0x41 < 26 ? byte | 0x20 : byte
                i += 1
            }
            return count
        }
    }

    /// Whether the text is all ASCII: read in place eight bytes at a time, by the check
    /// `asciiLowercased` makes (iterating `utf8` costs an index check per byte, and this runs for
    /// every identity in the logs).
    public var isASCII: Bool {
        utf8.withContiguousStorageIfAvailable { Self.asciiVerdict($0) != nil } ?? utf8.allSatisfy { $0 < 0x80 }
    }

    /// Whether `bytes` hold an ASCII uppercase letter (true) or none (false), or nil when they are
    /// not all ASCII (or not available in place).
    private static func asciiVerdict(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool? {
        guard let base = bytes.baseAddress else { return false }
        var high: UInt64 = 0, upper: UInt64 = 0
        var i = 0
        while i + 8 <= bytes.count {
            let word = UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)
            high |= word
            // A byte is `A`...`Z` when adding 0x3F sets its top bit and adding 0x25 does not (bytes
            // below 0x80: no carry crosses into the next byte).
            upper |= (word &+ 0x3F3F_3F3F_3F3F_3F3F) & ~(word &+ 0x2525_2525_2525_2525)
            i += 8
        }
        var tail = false
        while i < bytes.count {
            let byte = bytes[i]
            if byte >= 0x80 { return nil }
            if byte &- 0x41 < 26 { tail = true }
            i += 1
        }
        if high & 0x8080_8080_8080_8080 != 0 { return nil }
        return tail || upper & 0x8080_8080_8080_8080 != 0
    }
}
