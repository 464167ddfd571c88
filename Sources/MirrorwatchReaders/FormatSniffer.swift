import MirrorwatchJSON

/// Decides an input's format from its name and first bytes, asking each format in turn.
public enum FormatSniffer {
    /// The format of an input, or nil when it is none mirrorwatch knows.
    public static func sniff(name: String, bytes: UnsafeRawBufferPointer) -> InputKind? {
        let lower = name.lowercased()
        let head = InputHead(name: name.lowercased(), bytes: UnsafeRawBufferPointer(rebasing: bytes[0..<min(bytes.count, 16384)]),
                             firstKey: nil)
        // CSV is a ticket export unless its header says it is a NetFlow export or a credential report.
        if lower.hasSuffix(".csv") || lower.hasSuffix(".tsv") {
            if AWSCredentialReportReader.format.recognizes(head) { return .awsCredentialReport }
            return NetFlowCSVReader.format.recognizes(head) ? .netflowCSV : .tickets
        }
        var withKey = head
        withKey.firstKey = firstMemberName(head.bytes)
        return InputFormat.all.first { $0.recognizes(withKey) }?.kind
    }

    /// Name of the first object member in the text (looking inside a leading array).
    static func firstMemberName(_ head: UnsafeRawBufferPointer) -> String? {
        var i = 0
        if head.count >= 3, head[0] == 0xEF, head[1] == 0xBB, head[2] == 0xBF { i = 3 }
        func skip() { while i < head.count, [0x20, 0x0A, 0x0D, 0x09].contains(head[i]) { i += 1 } }
        skip()
        while i < head.count, head[i] == UInt8(ascii: "[") { i += 1; skip() }
        guard i < head.count, head[i] == UInt8(ascii: "{") else { return nil }
        i += 1
        skip()
        guard i < head.count, head[i] == UInt8(ascii: "\"") else { return nil }
        let start = i + 1
        var end = start
        while end < head.count, head[end] != UInt8(ascii: "\"") { end += 1 }
        guard end < head.count else { return nil }
        return String(decoding: UnsafeRawBufferPointer(rebasing: head[start..<end]), as: UTF8.self)
    }
}
