import MirrorwatchJSON
import MirrorwatchModel

/// Counts records per scope (account and region) for coverage while a log is scanned, from
/// fields the record splitter already captured, without decoding records or allocating per record:
/// a new string is made only when the scope differs from the previous record's, and times are
/// compared as ISO 8601 bytes.
struct ScopeTallier {
    private struct Entry {
        var count = 0
        var first: [UInt8] = []
        var last: [UInt8] = []
    }
    private struct Scope: Hashable {
        var account: String?
        var region: String?
    }
    private var entries: [Scope: Entry] = [:]
    private var previous: (account: [UInt8], region: [UInt8], scope: Scope)?

    /// Notes one record: the byte ranges of its account, region and time fields, when present.
    mutating func note(account: Range<Int>?, region: Range<Int>?, time: Range<Int>?, in buffer: UnsafeRawBufferPointer,
                       account transform: ((String) -> String?)? = nil) {
        let accountBytes = account.map { Array(buffer[$0]) } ?? []
        let regionBytes = region.map { Array(buffer[$0]) } ?? []
        let scope: Scope
        if let previous, previous.account == accountBytes, previous.region == regionBytes {
            scope = previous.scope
        } else {
            let accountText = accountBytes.isEmpty ? nil : Self.text(accountBytes)
            scope = Scope(account: accountText.flatMap { transform?($0) ?? $0 }, region: regionBytes.isEmpty ? nil : Self.text(regionBytes))
            previous = (accountBytes, regionBytes, scope)
        }
        var entry = entries[scope, default: Entry()]
        entry.count += 1
        if let time {
            let bytes = buffer[time]
            if entry.first.isEmpty || bytes.lexicographicallyPrecedes(entry.first) { entry.first = Array(bytes) }
            if entry.last.isEmpty || entry.last.lexicographicallyPrecedes(bytes) { entry.last = Array(bytes) }
        }
        entries[scope] = entry
    }

    /// A captured string value as text: its raw JSON bytes, unescaped when they hold an escape
    /// (`projects\/p\/logs` from writers that escape slashes).
    static func text(_ raw: [UInt8]) -> String {
        guard raw.contains(0x5C) else { return String(decoding: raw, as: UTF8.self) }
        return (try? JSONParser.parse([0x22] + raw + [0x22]))?.text ?? String(decoding: raw, as: UTF8.self)
    }

    /// Adds the counts to `coverage` as `kind` telemetry of `platform`.
    func finish(platform: Platform, kind: TelemetryKind, input: String, into coverage: inout TelemetryCoverage) {
        for (scope, entry) in entries {
            let key = TelemetryKey(platform: platform, account: scope.account, region: scope.region, kind: kind)
            let first = entry.first.isEmpty ? nil : Timestamp.parse(String(decoding: entry.first, as: UTF8.self))
            let last = entry.last.isEmpty ? nil : Timestamp.parse(String(decoding: entry.last, as: UTF8.self))
            coverage.note(key, time: first, count: entry.count, input: input)
            if let last { coverage.note(key, time: last, count: 0, input: input) }
        }
    }
}
