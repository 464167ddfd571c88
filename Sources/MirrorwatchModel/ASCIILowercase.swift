extension String {
    /// The string as `lowercased()` gives it, made faster for the ASCII text of identities, ARNs and
    /// keys: itself (no copy) when it has no uppercase letter, one allocation when it has; text with
    /// any non-ASCII byte goes to `lowercased()`.
    public var asciiLowercased: String {
        var upper = 0
        for byte in utf8 {
            if byte >= 0x80 { return lowercased() }
            if byte &- 0x41 < 26 { upper += 1 }
        }
        guard upper > 0 else { return self }
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
}
