import CStructural

/// The search inside JSON strings that the parser and the tape share: where the next byte that
/// ends or interrupts the plain run of a string is.
enum StringScan {
    /// Bytes scanned eight at a time before a long run is handed to the vector scan in C (most
    /// strings end within them; the call is worth it for long ones, such as session tokens).
    static let wordScanLimit = 32

    /// The first quote, backslash or (when `controls`) control character in `bytes` at or after
    /// `start`, or `bytes.count`: eight bytes at a time, then, for a long run, 64 (AVX-512) or 32
    /// (AVX2) at a time (`mw_string_special`).
    @inline(__always)
    static func firstSpecial(in bytes: UnsafeRawBufferPointer, from start: Int, controls: Bool) -> Int {
        guard let base = bytes.baseAddress else { return bytes.count }
        var i = start
        if let found = words(base, from: &i, to: min(bytes.count, start + wordScanLimit), controls: controls) { return found }
        if bytes.count - i >= 64 {
            return i + mw_string_special(base.assumingMemoryBound(to: UInt8.self) + i, bytes.count - i, controls ? 1 : 0)
        }
        if let found = words(base, from: &i, to: bytes.count, controls: controls) { return found }
        while i < bytes.count {
            let c = bytes[i]
            if c == UInt8(ascii: "\"") || c == UInt8(ascii: "\\") || (controls && c < 0x20) { return i }
            i += 1
        }
        return i
    }

    /// The first special byte in whole words from `i` up to `end`, or nil with `i` after the last whole word.
    @inline(__always)
    private static func words(_ base: UnsafeRawPointer, from i: inout Int, to end: Int, controls: Bool) -> Int? {
        let quotes: UInt64 = 0x2222_2222_2222_2222, slashes: UInt64 = 0x5C5C_5C5C_5C5C_5C5C
        let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080, spaces: UInt64 = 0x2020_2020_2020_2020
        while i + 8 <= end {
            let word = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: i, as: UInt64.self))
            let q = word ^ quotes, s = word ^ slashes
            var mask = ((q &- ones) & ~q | (s &- ones) & ~s) & highs
            // Bytes below 0x20 (the high bit of each byte keeps UTF-8 continuation bytes out).
            if controls { mask |= (word &- spaces) & ~word & highs }
            if mask != 0 { return i + mask.trailingZeroBitCount >> 3 }
            i += 8
        }
        return nil
    }
}
