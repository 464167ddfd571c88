import MirrorwatchJSON

/// Reads one string member out of compact JSON bytes without decoding the document: the first
/// `"key":"value"` (optionally with spaces after the colon). For counting, not for deciding.
enum JSONFieldPeek {
    static func string(_ key: String, in bytes: [UInt8]) -> String? {
        let needle = Array("\"\(key)\"".utf8)
        return bytes.withUnsafeBytes { buffer -> String? in
            guard let at = ByteSearch.firstIndex(of: needle, in: buffer, range: 0..<buffer.count) else { return nil }
            var i = at + needle.count
            while i < buffer.count, buffer[i] == 0x20 || buffer[i] == 0x3A { i += 1 }
            guard i < buffer.count, buffer[i] == 0x22 else { return nil }
            let start = i + 1
            var end = start
            while end < buffer.count, buffer[end] != 0x22 {
                if buffer[end] == 0x5C { return nil }  // escapes: not for peeking
                end += 1
            }
            return end < buffer.count ? String(decoding: buffer[start..<end], as: UTF8.self) : nil
        }
    }
}
