/// Text that is not UTF-8 but says what it is: exports written by Windows tools (PowerShell's
/// `Out-File`, Excel's "Unicode text") are UTF-16 with a byte order mark.
enum TextEncoding {
    /// `bytes` as UTF-8: UTF-16 with a byte order mark is converted (unpaired surrogates become
    /// U+FFFD); anything else is returned as it is, since readers tolerate invalid UTF-8 per string.
    static func utf8(_ bytes: [UInt8]) -> [UInt8] {
        guard bytes.count >= 2 else { return bytes }
        let littleEndian: Bool
        switch (bytes[0], bytes[1]) {
        case (0xFF, 0xFE): littleEndian = true
        case (0xFE, 0xFF): littleEndian = false
        default: return bytes
        }
        var units: [UInt16] = []
        units.reserveCapacity(bytes.count / 2)
        var i = 2
        while i + 1 < bytes.count {
            let (a, b) = (UInt16(bytes[i]), UInt16(bytes[i + 1]))
            units.append(littleEndian ? a | b << 8 : a << 8 | b)
            i += 2
        }
        return Array(String(decoding: units, as: UTF16.self).utf8)
    }
}
