import CStructural
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One record found by `JSONRecordSplitter`: where it is, and the top-level fields it watched for.
public struct JSONRecordSpan: Sendable {
    /// Offset of the record's opening `{`.
    public var start: Int
    /// Offset just past the record's closing `}`.
    public var end: Int
    /// Ordinal of the record in its input, from 0.
    public var index: Int
    /// Newlines in the window before the record's start (its line in the window, from 0),
    /// counted from the same block masks that find its end: no separate pass over the bytes.
    public var newlinesBefore: Int
    /// For each watched key (same order as given to the splitter), the byte range of its
    /// string value without quotes, or `nil` when the key is absent or not a string.
    public var fields: JSONRecordFields
}

/// The watched fields of one record, read in place from the splitter's storage (no array is made
/// or reference-counted per record): valid while the record is being handled, not after.
public struct JSONRecordFields: RandomAccessCollection, @unchecked Sendable {
    @usableFromInline let storage: UnsafeMutableBufferPointer<Range<Int>?>

    init(_ storage: UnsafeMutableBufferPointer<Range<Int>?>) { self.storage = storage }

    @inlinable public var startIndex: Int { 0 }
    @inlinable public var endIndex: Int { storage.count }

    /// The byte range of watched key `key`'s string value, or nil.
    @inlinable public subscript(key: Int) -> Range<Int>? { storage[key] }

    func set(_ key: Int, _ range: Range<Int>?) { storage[key] = range }

    func clear() { for k in 0..<storage.count { storage[k] = nil } }
}

/// A problem found while splitting; the splitter resynchronises and goes on after it.
public struct JSONSplitError: Error, Sendable, CustomStringConvertible {
    public var offset: Int
    public var reason: String
    /// Ordinal of the record being read when the error occurred.
    public var recordIndex: Int
    /// Where the broken record starts, when the error is inside one (it may be found far past its start).
    public var recordStart: Int? = nil
    /// Where the broken record is taken to end: the error, or the next record found before it
    /// (a stray quote can make the scan run far past the record before noticing).
    public var recordEnd: Int? = nil
    public var description: String { "\(reason) at byte \(offset)" }
}

/// Finds JSON records in a buffer at memory speed, without decoding them.
///
/// Accepts the shapes audit logs come in: one object, JSON lines (a sequence of top-level
/// values), a top-level array of records, and a wrapper object whose first member is an array
/// of records (`{"Records": [...]}` from CloudTrail in S3, `{"records": [...]}` from Azure).
/// For each record it captures the string values of a few top-level keys (such as
/// `eventName`) so the caller can decide relevance before paying for a full decode.
///
/// The scan is string- and escape-aware and checks bracket nesting, so it notices truncated
/// and garbled records; after an error it resynchronises at the next line that starts a
/// record or at `resyncMarker`, and reports the error with its offset.
public struct JSONRecordSplitter: Sendable {
    private let watchedKeys: ByteStringSet
    private let wrapperKeys: [[UInt8]]
    private let resyncMarker: [UInt8]
    /// Whether records are walked by `mw_walk_record` (C, classification and brackets in one pass)
    /// where the CPU allows; off, every record is walked in Swift. Both give the same results (a test
    /// compares them); the switch is there for that test.
    public var fusedWalk = true

    /// - Parameters:
    ///   - watchedKeys: top-level keys whose string values are captured for each record.
    ///   - wrapperKeys: names of the member holding the record array in a wrapper object.
    ///   - resyncMarker: bytes that start a record, used to recover inside a wrapper array.
    public init(watchedKeys: [String], wrapperKeys: [String] = ["Records", "records"], resyncMarker: String = "{\"eventVersion\"") {
        self.watchedKeys = ByteStringSet(watchedKeys)
        self.wrapperKeys = wrapperKeys.map { Array($0.utf8) }
        self.resyncMarker = Array(resyncMarker.utf8)
    }

    /// Walks `buffer`, calling `onRecord` for each record and `onError` for each problem.
    public func split(
        _ buffer: UnsafeRawBufferPointer,
        onRecord: (JSONRecordSpan) -> Void,
        onError: (JSONSplitError) -> Void
    ) {
        var position = JSONSplitPosition()
        _ = split(buffer, from: &position, isLast: true, onRecord: onRecord, onError: onError)
    }

    /// Walks one window of an input read piece by piece, from where the previous window left
    /// `position`. Returns how many bytes of the window it is done with: a record cut by the
    /// window's end is left for the next window (which starts with it), unless `isLast`.
    /// Offsets in spans and errors are relative to this window.
    public func split(
        _ buffer: UnsafeRawBufferPointer,
        from position: inout JSONSplitPosition,
        isLast: Bool,
        onRecord: (JSONRecordSpan) -> Void,
        onError: (JSONSplitError) -> Void
    ) -> Int {
        guard let base = buffer.baseAddress, buffer.count > 0 else { position.newlinesConsumed = 0; return 0 }
        let colonRoom = UnsafeMutablePointer<mw_top_colon>.allocate(capacity: Walker.colonRoom)
        defer { colonRoom.deallocate() }
        var walker = Walker(base: base, count: buffer.count, keys: watchedKeys, wrapperKeys: wrapperKeys, marker: resyncMarker)
        if fusedWalk { walker.topColons = colonRoom }
        defer { withExtendedLifetime(watchedKeys) {} }
        walker.recordIndex = position.recordIndex
        walker.isLast = isLast
        var start = 0
        // Skip a UTF-8 byte order mark at the start of the input.
        if !position.started, buffer.count >= 3, buffer[0] == 0xEF, buffer[1] == 0xBB, buffer[2] == 0xBF { start = 3 }
        position.started = true
        let (consumed, context) = walker.run(from: start, context: position.context, onRecord: onRecord, onError: onError)
        position.context = context
        position.recordIndex = walker.recordIndex
        walker.countNewlines(to: consumed)
        position.newlinesConsumed = walker.newlines
        return consumed
    }
}

/// Where splitting stands between two windows of one input.
public struct JSONSplitPosition: Sendable {
    enum Context: Sendable {
        /// Between top-level values (JSON lines, a single object, wrappers).
        case topLevel
        /// After a broken line: skip past the next newline, then continue at the top level.
        case skipLine
        /// After a broken top-level record: resume at the next line that starts a value.
        case seekTopLevelLine
        /// In a record array, before an element (at the start or after a comma).
        case arrayElement(wrapper: Bool)
        /// In a record array, after an element.
        case arrayNext(wrapper: Bool)
        /// In a record array, after a broken element: resume at the next record.
        case arrayResync(wrapper: Bool)
        /// In a wrapper object, after its record array.
        case wrapperRest
    }
    var context = Context.topLevel
    var started = false
    /// Records seen so far (the next record's ordinal).
    public internal(set) var recordIndex = 0
    /// Newlines in the part of the last window that `split` said it was done with.
    public internal(set) var newlinesConsumed = 0

    public init() {}
}

private enum Byte {
    static let quote = UInt8(ascii: "\"")
    static let backslash = UInt8(ascii: "\\")
    static let openBrace = UInt8(ascii: "{")
    static let closeBrace = UInt8(ascii: "}")
    static let openBracket = UInt8(ascii: "[")
    static let closeBracket = UInt8(ascii: "]")
    static let comma = UInt8(ascii: ",")
    static let colon = UInt8(ascii: ":")
    static let newline = UInt8(ascii: "\n")
}

private struct ScanFailure: Error {
    var offset: Int
    var reason: String
    /// The input ended before the value did: with more input to come, not an error yet.
    var atEnd = false
}

private struct Walker {
    /// For walking values whose members are not watched.
    static let noKeys = ByteStringSet([])
    let base: UnsafeRawPointer
    let count: Int
    let keys: ByteStringSet
    let wrapperKeys: [[UInt8]]
    let marker: [UInt8]
    var recordIndex = 0
    /// Room for the top-level members `mw_walk_record` lists (`colonRoom` of them); without it, every
    /// record is walked here.
    var topColons: UnsafeMutablePointer<mw_top_colon>? = nil
    static let colonRoom = 128
    /// Whether the buffer ends the input (else a value cut by its end is left for the next window).
    var isLast = true
    /// Newlines in `0..<countedTo`: records add theirs from their block masks, the few bytes
    /// between records are counted as they are passed.
    var newlines = 0
    var countedTo = 0

    init(base: UnsafeRawPointer, count: Int, keys: ByteStringSet, wrapperKeys: [[UInt8]], marker: [UInt8]) {
        self.base = base
        self.count = count
        self.keys = keys
        self.wrapperKeys = wrapperKeys
        self.marker = marker
    }

    @inline(__always) func byte(_ i: Int) -> UInt8 { base.load(fromByteOffset: i, as: UInt8.self) }

    @inline(__always) func skipWhitespace(_ i: inout Int) {
        while i < count {
            let c = byte(i)
            if c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 { i += 1 } else { return }
        }
    }

    /// Index of the closing quote of a string whose content starts at `i`.
    /// A raw newline ends the search: it cannot occur inside a JSON string, and stopping
    /// there keeps a truncated line from swallowing the lines after it.
    @inline(__always) func stringEnd(from start: Int) throws(ScanFailure) -> Int {
        var i = start
        let quotes: UInt64 = 0x2222_2222_2222_2222
        let slashes: UInt64 = 0x5C5C_5C5C_5C5C_5C5C
        let newlines: UInt64 = 0x0A0A_0A0A_0A0A_0A0A
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        while true {
            while i + 8 <= count {
                let word = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: i, as: UInt64.self))
                let q = word ^ quotes, s = word ^ slashes, n = word ^ newlines
                let mask = ((q &- ones) & ~q | (s &- ones) & ~s | (n &- ones) & ~n) & highs
                if mask == 0 { i += 8; continue }
                i += mask.trailingZeroBitCount >> 3
                break
            }
            while i < count {
                let c = byte(i)
                if c == Byte.quote || c == Byte.backslash || c == Byte.newline { break }
                i += 1
            }
            guard i < count else { throw ScanFailure(offset: start - 1, reason: "unterminated string (input ends inside it)", atEnd: true) }
            let c = byte(i)
            if c == Byte.quote { return i }
            if c == Byte.newline { throw ScanFailure(offset: i, reason: "unterminated string (line ends inside it)") }
            i += 2  // escaped character
        }
    }

    @inline(__always) func equals(_ range: Range<Int>, _ key: [UInt8]) -> Bool {
        guard range.count == key.count else { return false }
        return key.withUnsafeBytes { k in memcmp(base + range.lowerBound, k.baseAddress!, key.count) == 0 }
    }

    /// Scans the object starting at `start` (its `{`), capturing watched keys at its top level.
    ///
    /// Works 64 bytes at a time: a block's masks (`mw_classify_blocks`) say where the unescaped
    /// quotes, string interiors, newlines, brackets and colons are; only brackets and the colons at
    /// the record's top level (one per member) are then visited one by one.
    /// Returns the offset just past the record and the newlines in it.
    func scanRecord(at start: Int, fields: JSONRecordFields) throws(ScanFailure) -> (end: Int, newlines: Int) {
        // Most records are walked in C in one pass (classification and brackets together); what that
        // walk declines (a broken record, the input's last bytes, a CPU without AVX2) is walked here.
        if let topColons {
            var walk = mw_walk()
            if mw_walk_record(base.assumingMemoryBound(to: UInt8.self), Int64(count), Int64(start), keys.nameTable, topColons, Int32(Self.colonRoom), &walk) == 1 {
                fields.clear()
                for i in 0..<Int(walk.colons) {
                    let member = topColons[i]
                    let colon = Int(member.colon)
                    guard member.key >= 0 else {
                        try capture(colon: colon, recordStart: start, blockStart: start + (colon - start) & ~63, quotes: member.quotes, fields: fields)
                        continue
                    }
                    fields.set(Int(member.key), (colon + 2)..<(member.value_end >= 0 ? Int(member.value_end) : try stringEnd(from: colon + 2)))
                }
                return (Int(walk.end), Int(walk.newlines))
            }
        }
        // The batch of classified blocks lives on this stack frame.
        var storage = BlockBatch.emptyStorage
        let result: Result<(end: Int, newlines: Int), ScanFailure> = withUnsafeMutableBytes(of: &storage) { raw in
            do throws(ScanFailure) {
                return .success(try scanRecord(at: start, fields: fields, blocks: raw.baseAddress!.assumingMemoryBound(to: mw_block.self)))
            } catch { return .failure(error) }
        }
        return try result.get()
    }

    private func scanRecord(at start: Int, fields: JSONRecordFields, blocks: UnsafeMutablePointer<mw_block>) throws(ScanFailure) -> (end: Int, newlines: Int) {
        fields.clear()
        var depth = 0
        var newlines = 0
        var kinds: UInt64 = 0  // bit per level: 1 = object, 0 = array
        var escapeCarry: UInt64 = 0, stringCarry: UInt64 = 0
        var blockStart = start
        // Blocks are classified a few at a time (in C, with the widest vector unit the CPU has).
        var available = 0, next = 0
        while blockStart < count {
            if next == available {
                available = BlockBatch.classify(base + blockStart, bytes: count - blockStart, into: blocks, escapeCarry: &escapeCarry, stringCarry: &stringCarry)
                next = 0
            }
            let block = blocks[next]
            next += 1
            let quotes = block.quotes
            let inside = block.inside
            // A raw newline cannot be inside a string: the line ends there, and so does the record.
            let brokenAt = (block.newlines & inside).trailingZeroBitCount
            let valid: UInt64 = brokenAt < 64 ? (1 << UInt64(brokenAt)) &- 1 : ~0
            // Brackets first: they give the stretches of the block at the record's top level,
            // where the member names and string values are.
            var brackets = (block.opens | block.closes) & ~inside & valid
            var topLevel: UInt64 = 0
            var topLevelFrom = depth == 1 ? 0 : 64
            var end: Int? = nil
            while brackets != 0 {
                let bit = brackets.trailingZeroBitCount
                brackets &= brackets &- 1
                let i = blockStart + bit
                let c = byte(i)
                if c == Byte.openBrace || c == Byte.openBracket {
                    guard depth < 63 else { throw ScanFailure(offset: i, reason: "nesting deeper than 63 levels") }
                    if depth == 1 { topLevel |= Self.bits(topLevelFrom, bit) }
                    kinds = kinds << 1 | (c == Byte.openBrace ? 1 : 0)
                    depth += 1
                    if depth == 1 { topLevelFrom = bit + 1 }
                } else {
                    let isObject = kinds & 1 == 1
                    if isObject != (c == Byte.closeBrace) {
                        throw ScanFailure(offset: i, reason: "'\(Character(UnicodeScalar(c)))' does not close the open '\(isObject ? "{" : "[")'")
                    }
                    kinds >>= 1
                    depth -= 1
                    if depth == 1 { topLevelFrom = bit + 1 }
                    if depth == 0 { topLevel |= Self.bits(topLevelFrom, bit); end = i + 1; break }
                }
            }
            if end == nil && depth == 1 { topLevel |= Self.bits(topLevelFrom, 64) }
            // Then the colons at the top level, one per member: the name is the string just before it.
            var colons = block.colons & ~inside & topLevel & valid
            while colons != 0 {
                let colon = blockStart + colons.trailingZeroBitCount
                colons &= colons &- 1
                try capture(colon: colon, recordStart: start, blockStart: blockStart, quotes: quotes, fields: fields)
            }
            if let end { return (end, newlines &+ (block.newlines & Self.bits(0, end - blockStart)).nonzeroBitCount) }
            if brokenAt < 64 { throw ScanFailure(offset: blockStart + brokenAt, reason: "unterminated string (line ends inside it)") }
            if block.newlines != 0 { newlines &+= block.newlines.nonzeroBitCount }
            blockStart += 64
        }
        if stringCarry != 0 { throw ScanFailure(offset: openingQuote(before: count, after: start), reason: "unterminated string (input ends inside it)", atEnd: true) }
        throw ScanFailure(offset: count, reason: "input ends inside a record", atEnd: true)
    }

    /// For a colon at the record's top level: if the member name before it is watched and its value
    /// is a string, records where that string is. `quotes` are the unescaped quotes of the block at
    /// `blockStart`.
    @inline(__always)
    private func capture(colon: Int, recordStart: Int, blockStart: Int, quotes: UInt64, fields: JSONRecordFields) throws(ScanFailure) {
        // Only string values are captured: the value's first byte is checked before the name is looked up.
        var value = colon + 1
        while value < count, Self.isWhitespace(byte(value)) { value += 1 }
        guard value < count, byte(value) == Byte.quote else { return }
        // The name's closing quote is the last byte before the colon that is not blank.
        var close = colon - 1
        while close > recordStart, Self.isWhitespace(byte(close)) { close -= 1 }
        let open: Int
        let closeBit = close - blockStart
        if closeBit >= 0 {
            guard quotes >> UInt64(closeBit) & 1 == 1 else { return }
            let before = quotes & Self.bits(0, closeBit)
            // Most names sit in the block of their colon; a longer one is followed back byte by byte.
            open = before != 0 ? blockStart + 63 - before.leadingZeroBitCount : openingQuote(before: close, after: recordStart)
        } else {
            guard byte(close) == Byte.quote, !isEscaped(close, after: recordStart) else { return }
            open = openingQuote(before: close, after: recordStart)
        }
        guard open > recordStart, let key = keys.index(of: base + open + 1, length: close - open - 1) else { return }
        fields.set(key, (value + 1)..<(try stringEnd(from: value + 1)))
    }

    /// The last unescaped quote before `end` and after `start` (which is not a quote), or `start`.
    private func openingQuote(before end: Int, after start: Int) -> Int {
        var i = end - 1
        while i > start {
            if byte(i) == Byte.quote, !isEscaped(i, after: start) { return i }
            i -= 1
        }
        return start
    }

    /// Whether the byte at `i` follows an odd run of backslashes (that start after `start`).
    private func isEscaped(_ i: Int, after start: Int) -> Bool {
        var j = i - 1, run = 0
        while j > start, byte(j) == Byte.backslash { run += 1; j -= 1 }
        return run & 1 == 1
    }

    /// Bits `from..<to` of a block mask (0 ≤ from, to ≤ 64).
    @inline(__always) static func bits(_ from: Int, _ to: Int) -> UInt64 {
        guard from < to else { return 0 }
        let below: UInt64 = to >= 64 ? ~0 : (1 << UInt64(to)) &- 1
        return below & ~((1 << UInt64(from)) &- 1)
    }

    @inline(__always) static func isWhitespace(_ c: UInt8) -> Bool { c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 }

    /// Skips any JSON value starting at `i` (used for wrapper members that are not records).
    func skipValue(at start: Int) throws(ScanFailure) -> Int {
        let c = byte(start)
        if c == Byte.openBrace { return try Walker(base: base, count: count, keys: Self.noKeys, wrapperKeys: [], marker: []).scanRecord(at: start, fields: JSONRecordFields(.init(start: nil, count: 0))).end }
        if c == Byte.openBracket {
            var i = start + 1
            var depth = 1
            while i < count {
                let b = byte(i)
                if b == Byte.quote { i = try stringEnd(from: i + 1) + 1; continue }
                if b == Byte.openBrace || b == Byte.openBracket { depth += 1 }
                if b == Byte.closeBrace || b == Byte.closeBracket { depth -= 1; if depth == 0 { return i + 1 } }
                i += 1
            }
            throw ScanFailure(offset: count, reason: "input ends inside an array", atEnd: true)
        }
        if c == Byte.quote { return try stringEnd(from: start + 1) + 1 }
        var i = start
        while i < count {
            let b = byte(i)
            if b == Byte.comma || b == Byte.closeBrace || b == Byte.closeBracket || b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 { break }
            i += 1
        }
        return i
    }

    /// Brings `newlines` up to `offset` (a no-op for offsets already counted).
    mutating func countNewlines(to offset: Int) {
        var i = countedTo
        let end = min(offset, count)
        guard i < end else { return }
        while i < end, let hit = memchr(base + i, Int32(Byte.newline), end - i) {
            newlines &+= 1
            i = UnsafeRawPointer(hit) - base + 1
        }
        countedTo = end
    }

    /// Offset just past the next newline at or after `i` (or the end).
    func nextLine(after i: Int) -> Int {
        guard i < count else { return count }
        guard let found = memchr(base + i, Int32(Byte.newline), count - i) else { return count }
        return UnsafeRawPointer(found) - base + 1
    }

    /// The next line after `offset` that starts (at its first byte) with `{` or `[`: where a
    /// new JSON-lines record begins. Nested lines of pretty-printed JSON are indented.
    func nextTopLevelLine(after offset: Int) -> Int {
        var line = nextLine(after: offset)
        while line < count, byte(line) != Byte.openBrace, byte(line) != Byte.openBracket { line = nextLine(after: line) }
        return line
    }

    /// Where to resume inside a record array after an error at `offset`: the next line whose
    /// first non-blank byte is `{`, or the next `resyncMarker`, whichever is first.
    func resyncInArray(after offset: Int) -> Int? {
        var best: Int? = nil
        if !marker.isEmpty {
            var i = offset + 1
            while i + marker.count <= count {
                guard let found = memchr(base + i, Int32(marker[0]), count - i - marker.count + 1) else { break }
                let at = UnsafeRawPointer(found) - base
                if marker.withUnsafeBytes({ memcmp(base + at, $0.baseAddress!, marker.count) }) == 0 { best = at; break }
                i = at + 1
            }
        }
        var line = nextLine(after: offset)
        while line < count {
            if let b = best, line >= b { break }
            var j = line
            while j < count, byte(j) == 0x20 || byte(j) == 0x09 || byte(j) == 0x0D { j += 1 }
            if j < count, byte(j) == Byte.openBrace { return j }
            line = nextLine(after: line)
        }
        return best
    }

    enum Emitted {
        case record(end: Int)
        /// Not reported yet: the caller knows where the next record starts.
        case broken(JSONSplitError)
        /// Cut by the end of a window that is not the last.
        case incomplete
    }

    /// Scans the record starting at `start` and hands it to `onRecord`; on a broken record
    /// reports it (with where it starts), leaving resynchronisation to the caller.
    @inline(__always)
    mutating func emitRecord(at start: Int, fields: JSONRecordFields, onRecord: (JSONRecordSpan) -> Void,
                             onError: (JSONSplitError) -> Void) -> Emitted {
        do throws(ScanFailure) {
            countNewlines(to: start)
            let (end, inRecord) = try scanRecord(at: start, fields: fields)
            onRecord(JSONRecordSpan(start: start, end: end, index: recordIndex, newlinesBefore: newlines, fields: fields))
            newlines &+= inRecord
            countedTo = end
            recordIndex += 1
            return .record(end: end)
        } catch {
            if error.atEnd && !isLast { return .incomplete }
            defer { recordIndex += 1 }
            return .broken(JSONSplitError(offset: error.offset, reason: error.reason, recordIndex: recordIndex, recordStart: start))
        }
    }

    typealias Context = JSONSplitPosition.Context

    /// Splits from `i` in `context` to the end of the buffer, or to where a value is cut by
    /// the end of a window that is not the last. Returns that offset and the context there.
    mutating func run(from start: Int, context: Context, onRecord: (JSONRecordSpan) -> Void,
                      onError: (JSONSplitError) -> Void) -> (Int, Context) {
        let storage = UnsafeMutableBufferPointer<Range<Int>?>.allocate(capacity: keys.count)
        storage.initialize(repeating: nil)
        defer { storage.deallocate() }
        let fields = JSONRecordFields(storage)
        var i = start
        switch context {
        case .topLevel: break
        case .skipLine:
            i = nextLine(after: i)
            if i >= count && !isLast { return (start, .skipLine) }
        case .seekTopLevelLine:
            i = nextTopLevelLine(after: i)
            if i >= count && !isLast { return (start, .seekTopLevelLine) }
        case .arrayElement(let wrapper), .arrayNext(let wrapper), .arrayResync(let wrapper):
            let (end, stopped) = runArray(from: i, context: context, fields: fields, onRecord: onRecord, onError: onError)
            if let stopped { return (end, stopped) }
            if wrapper, let stopped = finishWrapper(&i, from: end, onError: onError) { return (i, stopped) }
            if !wrapper { i = end }
        case .wrapperRest:
            if let stopped = finishWrapper(&i, from: i, onError: onError) { return (i, stopped) }
        }
        while true {
            skipWhitespace(&i)
            guard i < count else { return (count, .topLevel) }
            let c = byte(i)
            if c == Byte.openBrace {
                if let arrayStart = wrapperArrayStart(objectAt: i) {
                    let (end, stopped) = runArray(from: arrayStart, context: .arrayElement(wrapper: true), fields: fields, onRecord: onRecord, onError: onError)
                    if let stopped { return (end, stopped) }
                    if let stopped = finishWrapper(&i, from: end, onError: onError) { return (i, stopped) }
                    continue
                }
                switch emitRecord(at: i, fields: fields, onRecord: onRecord, onError: onError) {
                case .record(let end): i = end
                case .incomplete: return (i, .topLevel)
                case .broken(var error):
                    // A structural error (an unclosed brace, say) may be found only far past the
                    // broken line, so resume at the next line after the record's start that
                    // starts a new top-level value, not after the error.
                    let resume = nextTopLevelLine(after: i)
                    error.recordEnd = min(error.offset, resume)
                    onError(error)
                    if resume >= count && !isLast { return (i, .seekTopLevelLine) }
                    i = resume
                }
            } else if c == Byte.openBracket {
                let (end, stopped) = runArray(from: i + 1, context: .arrayElement(wrapper: false), fields: fields, onRecord: onRecord, onError: onError)
                if let stopped { return (end, stopped) }
                i = end
            } else {
                let reason = c < 0x20 || c >= 0x7F
                    ? "not JSON (byte 0x\(String(c, radix: 16)))"
                    : "expected '{' or '[' but found '\(Character(UnicodeScalar(c)))'"
                onError(JSONSplitError(offset: i, reason: reason, recordIndex: recordIndex))
                let resume = nextLine(after: i)
                if resume >= count && !isLast { return (i, .skipLine) }
                i = resume
            }
        }
    }

    /// If the object at `i` is a wrapper (first member is a known record array), the offset
    /// just after that array's `[`.
    func wrapperArrayStart(objectAt start: Int) -> Int? {
        var i = start + 1
        skipWhitespace(&i)
        guard i < count, byte(i) == Byte.quote else { return nil }
        guard let end = try? stringEnd(from: i + 1) else { return nil }
        let name = (i + 1)..<end
        guard wrapperKeys.contains(where: { equals(name, $0) }) else { return nil }
        i = end + 1
        skipWhitespace(&i)
        guard i < count, byte(i) == Byte.colon else { return nil }
        i += 1
        skipWhitespace(&i)
        guard i < count, byte(i) == Byte.openBracket else { return nil }
        return i + 1
    }

    /// Reads array elements as records from `start` in `context` to the closing `]`. Returns
    /// the offset after it, or where a window that is not the last cut an element and the
    /// context to resume in (the end and `.topLevel` when the input ends inside the array).
    mutating func runArray(from start: Int, context: Context, fields: JSONRecordFields,
                           onRecord: (JSONRecordSpan) -> Void, onError: (JSONSplitError) -> Void) -> (Int, Context?) {
        var i = start
        var wrapper = false
        var expectElement = true
        switch context {
        case .arrayElement(let w): wrapper = w
        case .arrayNext(let w): wrapper = w; expectElement = false
        case .arrayResync(let w):
            wrapper = w
            guard let resume = resyncInArray(after: i) else { return isLast ? (count, .topLevel) : (i, context) }
            i = resume
        default: break
        }
        while true {
            skipWhitespace(&i)
            guard i < count else {
                if !isLast { return (i, expectElement ? .arrayElement(wrapper: wrapper) : .arrayNext(wrapper: wrapper)) }
                onError(JSONSplitError(offset: count, reason: "input ends inside the record array (truncated?)", recordIndex: recordIndex))
                return (count, .topLevel)
            }
            let c = byte(i)
            if c == Byte.closeBracket { return (i + 1, nil) }
            if !expectElement {
                if c == Byte.comma { i += 1; expectElement = true; continue }
                onError(JSONSplitError(offset: i, reason: "expected ',' or ']' between records", recordIndex: recordIndex))
                guard let resume = resyncInArray(after: i) else { return isLast ? (count, .topLevel) : (i, .arrayResync(wrapper: wrapper)) }
                i = resume
                continue
            }
            if c == Byte.openBrace {
                switch emitRecord(at: i, fields: fields, onRecord: onRecord, onError: onError) {
                case .record(let end): i = end; expectElement = false
                case .incomplete: return (i, .arrayElement(wrapper: wrapper))
                case .broken(var error):
                    let resume = resyncInArray(after: i)
                    error.recordEnd = min(error.offset, resume ?? error.offset)
                    onError(error)
                    guard let resume else { return isLast ? (count, .topLevel) : (i, .arrayResync(wrapper: wrapper)) }
                    i = resume
                }
            } else {
                onError(JSONSplitError(offset: i, reason: "array element is not an object", recordIndex: recordIndex))
                recordIndex += 1
                guard let resume = resyncInArray(after: i) else { return isLast ? (count, .topLevel) : (i, .arrayResync(wrapper: wrapper)) }
                i = resume
            }
        }
    }

    /// The rest of a wrapper object after its record array, from `start`: further members are
    /// skipped. Sets `i` to where to continue; returns a context when a window cut it.
    mutating func finishWrapper(_ i: inout Int, from start: Int, onError: (JSONSplitError) -> Void) -> Context? {
        i = start
        while true {
            skipWhitespace(&i)
            guard i < count else {
                if !isLast { return .wrapperRest }
                onError(JSONSplitError(offset: count, reason: "input ends inside the wrapper object", recordIndex: recordIndex))
                return nil
            }
            let c = byte(i)
            if c == Byte.closeBrace { i += 1; return nil }
            if c == Byte.comma || c == Byte.colon { i += 1; continue }
            do throws(ScanFailure) { i = try skipValue(at: i) } catch {
                if error.atEnd && !isLast { return .wrapperRest }
                onError(JSONSplitError(offset: error.offset, reason: error.reason, recordIndex: recordIndex))
                i = nextLine(after: error.offset)
                return nil
            }
        }
    }
}
