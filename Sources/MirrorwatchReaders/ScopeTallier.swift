#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import MirrorwatchJSON
import MirrorwatchModel

/// Counts records per scope (account and region) for coverage while a log is scanned, from
/// fields the record splitter already captured, without decoding records or allocating per
/// record: fields are compared in place with `memcmp`, the earliest and latest times are kept as
/// byte ranges of the buffer (ISO 8601 compares as bytes), and strings are made only when the
/// scope differs from the previous record's. `finish` must run while the buffer is still valid.
struct ScopeTallier {
    private struct Entry {
        var count = 0
        var first: Range<Int>?
        var last: Range<Int>?
    }
    private struct Scope: Hashable {
        var account: String?
        var region: String?
    }
    private var entries: [Scope: Entry] = [:]
    private var current: (scope: Scope, entry: Entry, account: Range<Int>?, region: Range<Int>?)?

    /// Notes one record: the byte ranges of its account, region and time fields, when present.
    mutating func note(account: Range<Int>?, region: Range<Int>?, time: Range<Int>?, in buffer: UnsafeRawBufferPointer,
                       account transform: ((String) -> String?)? = nil) {
        // An empty value says nothing: no scope, no time.
        let account = account?.isEmpty == false ? account : nil, region = region?.isEmpty == false ? region : nil
        let time = time?.isEmpty == false ? time : nil
        if let open = current, Self.same(open.account, account, buffer), Self.same(open.region, region, buffer) {
            // The common case: the same scope as the previous record.
        } else {
            flush()
            let accountText = account.map { Self.text(buffer, $0) }
            let scope = Scope(account: accountText.flatMap { transform?($0) ?? $0 }, region: region.map { Self.text(buffer, $0) })
            current = (scope, entries.removeValue(forKey: scope) ?? Entry(), account, region)
        }
        current!.entry.count += 1
        if let time {
            if current!.entry.first.map({ Self.less(time, $0, buffer) }) ?? true { current!.entry.first = time }
            if current!.entry.last.map({ Self.less($0, time, buffer) }) ?? true { current!.entry.last = time }
        }
    }

    private mutating func flush() {
        guard let open = current else { return }
        entries[open.scope] = open.entry
        current = nil
    }

    @inline(__always)
    static func same(_ a: Range<Int>?, _ b: Range<Int>?, _ buffer: UnsafeRawBufferPointer) -> Bool {
        switch (a, b) {
        case (nil, nil): return true
        case let (a?, b?): return a.count == b.count && (a == b || memcmp(buffer.baseAddress! + a.lowerBound, buffer.baseAddress! + b.lowerBound, a.count) == 0)
        default: return false
        }
    }

    @inline(__always)
    static func less(_ a: Range<Int>, _ b: Range<Int>, _ buffer: UnsafeRawBufferPointer) -> Bool {
        let order = memcmp(buffer.baseAddress! + a.lowerBound, buffer.baseAddress! + b.lowerBound, min(a.count, b.count))
        return order < 0 || (order == 0 && a.count < b.count)
    }

    /// A captured string value as text: its raw JSON bytes, unescaped when they hold an escape
    /// (`projects\/p\/logs` from writers that escape slashes).
    static func text(_ buffer: UnsafeRawBufferPointer, _ range: Range<Int>) -> String {
        let raw = UnsafeRawBufferPointer(rebasing: buffer[range])
        guard raw.contains(0x5C) else { return String(decoding: raw, as: UTF8.self) }
        return (try? JSONParser.parse([0x22] + Array(raw) + [0x22]))?.text ?? String(decoding: raw, as: UTF8.self)
    }

    /// Adds the counts to `coverage` as `kind` telemetry of `platform`; `buffer` is the one scanned.
    mutating func finish(platform: Platform, kind: TelemetryKind, input: String, buffer: UnsafeRawBufferPointer, into coverage: inout TelemetryCoverage) {
        flush()
        for (scope, entry) in entries {
            let key = TelemetryKey(platform: platform, account: scope.account, region: scope.region, kind: kind)
            let first = entry.first.flatMap { Timestamp.parse(Self.text(buffer, $0)) }
            let last = entry.last.flatMap { Timestamp.parse(Self.text(buffer, $0)) }
            coverage.note(key, time: first, count: entry.count, input: input)
            if let last { coverage.note(key, time: last, count: 0, input: input) }
        }
    }
}
