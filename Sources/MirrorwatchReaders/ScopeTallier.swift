#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import MirrorwatchJSON
import MirrorwatchModel

/// Counts records per scope (account and region) for coverage while a log is scanned, from
/// fields the record splitter already captured, without decoding records or allocating per
/// record: a record's account and region are compared in place with the last record's fields
/// (most records have its scope), then with those of the two scopes met last (held inline: records
/// of global services, which count without a region, come between the others of a CloudTrail
/// object) and, when they differ, found by their bytes (a table for short ones, the spellings met
/// last for long ones); strings are made only for a scope new to the input. The earliest and
/// latest times are kept as byte ranges of the window being read (ISO 8601 compares as bytes),
/// copied out by `settle` before the window goes; they are parsed once, by `finish`, at the end
/// of the input (an input is read in many windows: nothing per window but those copies).
struct ScopeTallier {
    private struct Scope: Hashable {
        var account: String?
        var region: String?
    }
    /// Account and region fields as written (raw JSON bytes) and the entry they belong to.
    private struct Spelling {
        var account: [UInt8]?
        var region: [UInt8]?
        var reading: Int
        var entry: Int
    }
    /// An entry's count, and its earliest and latest times in the window being read.
    private struct Tally {
        var count = 0
        var first: Range<Int>? = nil
        var last: Range<Int>? = nil
    }
    /// The scope of each entry, and apart from it (no strings touched per record) its tally.
    private var scopes: [Scope] = []
    private var tallies: [Tally] = []
    /// The earliest and latest times of the windows settled, as their bytes.
    private var earliest: [[UInt8]?] = []
    private var latest: [[UInt8]?] = []
    private var index: [Scope: Int] = [:]
    /// The spellings met last, matched by comparing bytes: most records find their entry here,
    /// without making strings or hashing.
    private var recent: [Spelling] = []
    private var nextSlot = 0
    private var current = -1
    /// A scope met lately: its account and region held inline, and its entry.
    private struct Recent {
        var account = InlineBytes.absent, region = InlineBytes.absent
        var reading = 0, entry = -1

        @inline(__always)
        func matches(_ account: InlineBytes, _ region: InlineBytes, _ reading: Int) -> Bool {
            entry >= 0 && account == self.account && region == self.region && reading == self.reading
        }
    }
    /// The scopes of the last two records of different scopes, the later first: most records have
    /// one of them, compared in a few word comparisons.
    private var lastScope = Recent(), scopeBefore = Recent()
    /// Entries by the bytes of short accounts and regions (ids, region names).
    private var byBytes = ShortScopeTable()
    /// The account and region fields of the last record noted (in the window being read) and its
    /// entry: the next record's fields, compared with them in place, mostly name the same scope.
    private var lastFields = Fields()
    private struct Fields {
        var account: Range<Int>? = nil, region: Range<Int>? = nil
        var reading = 0, entry = -1

        /// Whether `account` and `region` in `buffer` hold the same bytes as these fields (absent as absent).
        @inline(__always)
        func match(_ account: Range<Int>?, _ region: Range<Int>?, _ reading: Int, _ buffer: UnsafeRawBufferPointer) -> Bool {
            entry >= 0 && reading == self.reading && Self.same(account, self.account, buffer) && Self.same(region, self.region, buffer)
        }

        @inline(__always)
        private static func same(_ a: Range<Int>?, _ b: Range<Int>?, _ buffer: UnsafeRawBufferPointer) -> Bool {
            guard let a, let b else { return a == nil && b == nil }
            return a.count == b.count && ShortBytes.equal(buffer.baseAddress! + a.lowerBound, buffer.baseAddress! + b.lowerBound, count: a.count)
        }
    }
    private static let recentLimit = 16

    /// Notes one record: the byte ranges of its account, region and time fields, when present.
    /// `transform` turns the account field into the account (a log name into its project); a reader
    /// that reads account fields in more than one way gives each way its own `reading`, so that equal
    /// bytes read another way are never taken for the same scope.
    @inline(__always)
    mutating func note(account: Range<Int>?, region: Range<Int>?, time: Range<Int>?, in buffer: UnsafeRawBufferPointer,
                       account transform: ((String) -> String?)? = nil, reading: Int = 0) {
        // An empty value says nothing: no scope, no time.
        let account = account?.isEmpty == false ? account : nil, region = region?.isEmpty == false ? region : nil
        let time = time?.isEmpty == false ? time : nil
        if lastFields.match(account, region, reading, buffer) {
            count(lastFields.entry, time: time, in: buffer)
            return
        }
        let e = entry(account: account, region: region, in: buffer, transform: transform, reading: reading)
        lastFields = Fields(account: account, region: region, reading: reading, entry: e)
        count(e, time: time, in: buffer)
    }

    /// The entry of a record's scope when it is not the last record's.
    @inline(never)
    private mutating func entry(account: Range<Int>?, region: Range<Int>?, in buffer: UnsafeRawBufferPointer,
                                transform: ((String) -> String?)?, reading: Int) -> Int {
        let accountBytes = InlineBytes(account, in: buffer), regionBytes = InlineBytes(region, in: buffer)
        let e: Int
        if lastScope.matches(accountBytes, regionBytes, reading) {
            e = lastScope.entry
        } else if scopeBefore.matches(accountBytes, regionBytes, reading) {
            swap(&lastScope, &scopeBefore)
            e = lastScope.entry
        } else {
            e = entry(account: account, region: region, accountBytes: accountBytes, regionBytes: regionBytes, reading: reading, in: buffer,
                      transform: transform)
            scopeBefore = lastScope
            lastScope = Recent(account: accountBytes, region: regionBytes, reading: reading, entry: e)
        }
        return e
    }

    /// Counts a record of entry `e`, and its time.
    @inline(__always)
    private mutating func count(_ e: Int, time: Range<Int>?, in buffer: UnsafeRawBufferPointer) {
        tallies.withUnsafeMutableBufferPointer { tallies in
            let tally = tallies.baseAddress! + e
            tally.pointee.count += 1
            guard let time else { return }
            // Logs are mostly in time order: a time past the latest is not before the earliest.
            if let last = tally.pointee.last, let first = tally.pointee.first {
                if Self.less(last, time, buffer) { tally.pointee.last = time } else if Self.less(time, first, buffer) { tally.pointee.first = time }
            } else {
                tally.pointee.first = time
                tally.pointee.last = time
            }
        }
    }

    /// The entry of a scope not one of the two held inline: by its bytes when short (no strings made),
    /// else from the spellings met last, else made.
    private mutating func entry(account: Range<Int>?, region: Range<Int>?, accountBytes: InlineBytes, regionBytes: InlineBytes, reading: Int,
                                in buffer: UnsafeRawBufferPointer, transform: ((String) -> String?)?) -> Int {
        guard accountBytes.isShort, regionBytes.isShort else {
            return entry(account: account, region: region, reading: reading, in: buffer, transform: transform)
        }
        let key = ShortScope(account: accountBytes, region: regionBytes, reading: reading)
        if let known = byBytes.value(for: key) { return known }
        let made = entry(account: account, region: region, reading: reading, in: buffer, transform: transform)
        byBytes.insert(key, made)
        return made
    }

    /// The entry of a scope from the spellings met last, else made.
    private mutating func entry(account: Range<Int>?, region: Range<Int>?, reading: Int, in buffer: UnsafeRawBufferPointer,
                                transform: ((String) -> String?)?) -> Int {
        if current >= 0, recent[current].reading == reading, Self.same(recent[current], account, region, buffer) { return recent[current].entry }
        if let hit = recent.firstIndex(where: { $0.reading == reading && Self.same($0, account, region, buffer) }) {
            current = hit
            return recent[hit].entry
        }
        let scope = Scope(account: account.map { Self.text(buffer, $0) }.flatMap { transform?($0) ?? $0 },
                          region: region.map { Self.text(buffer, $0) })
        let entry = index[scope] ?? {
            scopes.append(scope)
            tallies.append(Tally())
            earliest.append(nil)
            latest.append(nil)
            index[scope] = scopes.count - 1
            return scopes.count - 1
        }()
        let spelling = Spelling(account: account.map { Array(buffer[$0]) }, region: region.map { Array(buffer[$0]) }, reading: reading, entry: entry)
        if recent.count < Self.recentLimit {
            recent.append(spelling)
            current = recent.count - 1
        } else {
            recent[nextSlot] = spelling
            current = nextSlot
            nextSlot = (nextSlot + 1) % Self.recentLimit
        }
        return entry
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
        less(UnsafeRawBufferPointer(rebasing: buffer[a]), UnsafeRawBufferPointer(rebasing: buffer[b]))
    }

    /// Whether bytes `a` sort before bytes `b` (ISO 8601 times compare as bytes).
    static func less(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Bool {
        let common = min(a.count, b.count)
        let order = common == 0 ? 0 : ShortBytes.compare(a.baseAddress!, b.baseAddress!, count: common)
        return order < 0 || (order == 0 && a.count < b.count)
    }

    /// A captured string value as text: its raw JSON bytes, unescaped when they hold an escape
    /// (`projects\/p\/logs` from writers that escape slashes).
    static func text(_ buffer: UnsafeRawBufferPointer, _ range: Range<Int>) -> String {
        text(UnsafeRawBufferPointer(rebasing: buffer[range]))
    }

    static func text(_ raw: UnsafeRawBufferPointer) -> String {
        guard raw.contains(0x5C) else { return String(decoding: raw, as: UTF8.self) }
        return (try? JSONParser.parse([0x22] + Array(raw) + [0x22]))?.text ?? String(decoding: raw, as: UTF8.self)
    }

    /// Copies the earliest and latest times met in `buffer` (the window read) out of it, before it goes.
    mutating func settle(_ buffer: UnsafeRawBufferPointer) {
        lastFields = Fields()
        for e in scopes.indices {
            if let first = tallies[e].first {
                let bytes = UnsafeRawBufferPointer(rebasing: buffer[first])
                if earliest[e].map({ stored in stored.withUnsafeBytes { Self.less(bytes, $0) } }) ?? true { earliest[e] = Array(bytes) }
                tallies[e].first = nil
            }
            if let last = tallies[e].last {
                let bytes = UnsafeRawBufferPointer(rebasing: buffer[last])
                if latest[e].map({ stored in stored.withUnsafeBytes { Self.less($0, bytes) } }) ?? true { latest[e] = Array(bytes) }
                tallies[e].last = nil
            }
        }
    }

    /// Adds the counts to `coverage` as `kind` telemetry of `platform`, once the input is read and
    /// its last window settled. Starts over for the next input.
    mutating func finish(platform: Platform, kind: TelemetryKind, input: String, into coverage: inout TelemetryCoverage) {
        for (e, scope) in scopes.enumerated() {
            let key = TelemetryKey(platform: platform, account: scope.account, region: scope.region, kind: kind)
            let first = earliest[e].flatMap { bytes in bytes.withUnsafeBytes { Timestamp.parse(Self.text($0)) } }
            let last = latest[e].flatMap { bytes in bytes.withUnsafeBytes { Timestamp.parse(Self.text($0)) } }
            coverage.note(key, time: first, count: tallies[e].count, input: input)
            if let last { coverage.note(key, time: last, count: 0, input: input) }
        }
        self = ScopeTallier()
    }
}
