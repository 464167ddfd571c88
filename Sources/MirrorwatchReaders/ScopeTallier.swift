#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import MirrorwatchJSON
import MirrorwatchModel

/// Counts records per scope (account and region) for coverage while a log is scanned, from
/// fields the record splitter already captured, without decoding records or allocating per
/// record: fields are compared in place (`ShortBytes`), the earliest and latest times are kept as
/// byte ranges of the buffer (ISO 8601 compares as bytes), and strings are made only when the
/// scope differs from the previous record's. `finish` must run while the buffer is still valid.
struct ScopeTallier {
    private struct Scope: Hashable {
        var account: String?
        var region: String?
    }
    private struct Entry {
        var scope: Scope
        var count = 0
        var first: Range<Int>?
        var last: Range<Int>?
    }
    /// Account and region fields as written (raw JSON bytes) and the entry they belong to.
    private struct Spelling {
        var account: [UInt8]?
        var region: [UInt8]?
        var entry: Int
    }
    private var entries: [Entry] = []
    private var index: [Scope: Int] = [:]
    /// The spellings met last, matched by comparing bytes: most records find their entry here,
    /// without making strings or hashing.
    private var recent: [Spelling] = []
    private var nextSlot = 0
    private var current = -1
    private static let recentLimit = 16

    /// Notes one record: the byte ranges of its account, region and time fields, when present.
    /// `transform` turns the account field into the account (a log name into its project).
    mutating func note(account: Range<Int>?, region: Range<Int>?, time: Range<Int>?, in buffer: UnsafeRawBufferPointer,
                       account transform: ((String) -> String?)? = nil) {
        // An empty value says nothing: no scope, no time.
        let account = account?.isEmpty == false ? account : nil, region = region?.isEmpty == false ? region : nil
        let time = time?.isEmpty == false ? time : nil
        if current < 0 || !Self.same(recent[current], account, region, buffer) {
            if let hit = recent.firstIndex(where: { Self.same($0, account, region, buffer) }) {
                current = hit
            } else {
                let scope = Scope(account: account.map { Self.text(buffer, $0) }.flatMap { transform?($0) ?? $0 },
                                  region: region.map { Self.text(buffer, $0) })
                let entry = index[scope] ?? {
                    entries.append(Entry(scope: scope))
                    index[scope] = entries.count - 1
                    return entries.count - 1
                }()
                let spelling = Spelling(account: account.map { Array(buffer[$0]) }, region: region.map { Array(buffer[$0]) }, entry: entry)
                if recent.count < Self.recentLimit {
                    recent.append(spelling)
                    current = recent.count - 1
                } else {
                    recent[nextSlot] = spelling
                    current = nextSlot
                    nextSlot = (nextSlot + 1) % Self.recentLimit
                }
            }
        }
        let e = recent[current].entry
        entries[e].count += 1
        if let time {
            // Logs are mostly in time order: a time past the latest is not before the earliest.
            if let last = entries[e].last, let first = entries[e].first {
                if Self.less(last, time, buffer) { entries[e].last = time } else if Self.less(time, first, buffer) { entries[e].first = time }
            } else {
                entries[e].first = time
                entries[e].last = time
            }
        }
    }

    @inline(__always)
    private static func same(_ spelling: Spelling, _ account: Range<Int>?, _ region: Range<Int>?, _ buffer: UnsafeRawBufferPointer) -> Bool {
        same(spelling.account, account, buffer) && same(spelling.region, region, buffer)
    }

    @inline(__always)
    private static func same(_ bytes: [UInt8]?, _ range: Range<Int>?, _ buffer: UnsafeRawBufferPointer) -> Bool {
        switch (bytes, range) {
        case (nil, nil): return true
        case let (bytes?, range?):
            return bytes.count == range.count && bytes.withUnsafeBytes { ShortBytes.equal($0.baseAddress!, buffer.baseAddress! + range.lowerBound, count: range.count) }
        default: return false
        }
    }

    @inline(__always)
    static func less(_ a: Range<Int>, _ b: Range<Int>, _ buffer: UnsafeRawBufferPointer) -> Bool {
        let order = ShortBytes.compare(buffer.baseAddress! + a.lowerBound, buffer.baseAddress! + b.lowerBound, count: min(a.count, b.count))
        return order < 0 || (order == 0 && a.count < b.count)
    }

    /// A captured string value as text: its raw JSON bytes, unescaped when they hold an escape
    /// (`projects\/p\/logs` from writers that escape slashes).
    static func text(_ buffer: UnsafeRawBufferPointer, _ range: Range<Int>) -> String {
        let raw = UnsafeRawBufferPointer(rebasing: buffer[range])
        guard raw.contains(0x5C) else { return String(decoding: raw, as: UTF8.self) }
        return (try? JSONParser.parse([0x22] + Array(raw) + [0x22]))?.text ?? String(decoding: raw, as: UTF8.self)
    }

    /// Adds the counts to `coverage` as `kind` telemetry of `platform`; `buffer` is the one
    /// scanned (times are still ranges of it). Starts over for the next window.
    mutating func finish(platform: Platform, kind: TelemetryKind, input: String, buffer: UnsafeRawBufferPointer, into coverage: inout TelemetryCoverage) {
        for entry in entries {
            let key = TelemetryKey(platform: platform, account: entry.scope.account, region: entry.scope.region, kind: kind)
            let first = entry.first.flatMap { Timestamp.parse(Self.text(buffer, $0)) }
            let last = entry.last.flatMap { Timestamp.parse(Self.text(buffer, $0)) }
            coverage.note(key, time: first, count: entry.count, input: input)
            if let last { coverage.note(key, time: last, count: 0, input: input) }
        }
        self = ScopeTallier()
    }
}
