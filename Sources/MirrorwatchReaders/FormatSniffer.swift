import MirrorwatchJSON

/// Decides an input's format from its name and first bytes.
public enum FormatSniffer {
    static let inventoryKeys = ["TrafficMirrorSessions", "TrafficMirrorTargets", "TrafficMirrorFilters", "NetworkInterfaces"]
    static let cloudTrailKeys = ["Records", "eventVersion", "eventTime", "eventName", "eventSource", "awsRegion", "userIdentity",
                                 "eventID", "eventversion", "eventtime", "eventname", "eventsource", "useridentity", "detail-type"]
    static let ticketMarkers = ["\"short_description\"", "\"cmdb_ci\"", "\"assigned_to\"", "\"issuetype\"", "\"change_request\"",
                                "\"affected_resources\"", "\"ticket\"", "\"planned_start\"", "\"start_date\""]

    /// The format of an input, or nil when it is none mirrorwatch knows.
    public static func sniff(name: String, bytes: UnsafeRawBufferPointer) -> InputKind? {
        let lower = name.lowercased()
        if lower.hasSuffix(".csv") || lower.hasSuffix(".tsv") { return .tickets }
        let head = UnsafeRawBufferPointer(rebasing: bytes[0..<min(bytes.count, 16384)])
        guard let firstKey = firstMemberName(head) else { return nil }
        if inventoryKeys.contains(firstKey) { return .awsInventory }
        if cloudTrailKeys.contains(firstKey) { return .cloudtrail }
        if ByteSearch.contains(Array("\"eventSource\"".utf8), in: head, range: 0..<head.count)
            || ByteSearch.contains(Array("\"eventsource\"".utf8), in: head, range: 0..<head.count) {
            return .cloudtrail
        }
        if ["result", "issues", "tickets", "changes"].contains(firstKey) { return .tickets }
        for marker in ticketMarkers where ByteSearch.contains(Array(marker.utf8), in: head, range: 0..<head.count) {
            return .tickets
        }
        return nil
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
