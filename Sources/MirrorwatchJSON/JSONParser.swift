/// A strict JSON parser over raw bytes producing `JSONValue`.
///
/// Used only for the small share of records that matter (and for snapshots and exports),
/// so it favours clear errors with byte offsets over raw speed. Invalid UTF-8 inside strings
/// is replaced with U+FFFD rather than rejected, since audit exports are sometimes re-encoded.
public struct JSONParser {
    /// Nesting deeper than this is rejected instead of overflowing the stack.
    public static let maximumDepth = 256

    private let bytes: UnsafeRawBufferPointer
    private var index: Int
    private var depth = 0
    /// Member names whose values are skipped, at any depth (not decoded, not kept).
    private var skipping: ByteStringSet?
    /// Members of the objects being parsed, innermost last: an object's member array is built once
    /// its member count is known.
    private var pending: [(String, JSONValue)] = []

    private init(bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
        self.index = 0
    }

    /// Parses exactly one JSON value (with surrounding white space) from `bytes`. Members named
    /// in `skipping` (at any depth) are passed over without being decoded: their values must
    /// still be well-formed enough to find their end (strings closed, brackets balanced), but are
    /// not checked further and do not appear in the result.
    public static func parse(_ bytes: UnsafeRawBufferPointer, skipping: ByteStringSet? = nil) throws(JSONParseError) -> JSONValue {
        var parser = JSONParser(bytes: bytes)
        parser.skipping = skipping
        parser.skipWhitespace()
        let value = try parser.parseValue()
        parser.skipWhitespace()
        if parser.index < bytes.count {
            throw JSONParseError(offset: parser.index, reason: "unexpected data after the JSON value")
        }
        return value
    }

    /// Parses a JSON text held in a Swift string (as when CloudTrail lakes store
    /// `requestParameters` as a string).
    public static func parse(_ text: String) throws(JSONParseError) -> JSONValue {
        var copy = text
        let result: Result<JSONValue, JSONParseError> = copy.withUTF8 { buffer in
            do throws(JSONParseError) {
                return .success(try parse(UnsafeRawBufferPointer(buffer)))
            } catch { return .failure(error) }
        }
        return try result.get()
    }

    /// Parses a `[UInt8]`.
    public static func parse(_ bytes: [UInt8]) throws(JSONParseError) -> JSONValue {
        let result: Result<JSONValue, JSONParseError> = bytes.withUnsafeBytes { raw in
            do throws(JSONParseError) { return .success(try parse(raw)) } catch { return .failure(error) }
        }
        return try result.get()
    }

    private mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x0A, 0x0D, 0x09: index += 1
            default: return
            }
        }
    }

    private func fail(_ reason: String) -> JSONParseError { JSONParseError(offset: index, reason: reason) }

    private mutating func parseValue() throws(JSONParseError) -> JSONValue {
        guard index < bytes.count else { throw fail("unexpected end of input") }
        switch bytes[index] {
        case UInt8(ascii: "{"): return try parseObject()
        case UInt8(ascii: "["): return try parseArray()
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): try expectLiteral("true"); return .bool(true)
        case UInt8(ascii: "f"): try expectLiteral("false"); return .bool(false)
        case UInt8(ascii: "n"): try expectLiteral("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try parseNumber()
        default: throw fail("unexpected character '\(Self.printable(bytes[index]))'")
        }
    }

    static func printable(_ byte: UInt8) -> String {
        (0x20..<0x7F).contains(byte) ? String(UnicodeScalar(byte)) : "\\x" + String(byte, radix: 16)
    }

    private mutating func expectLiteral(_ literal: StaticString) throws(JSONParseError) {
        let count = literal.utf8CodeUnitCount
        guard index + count <= bytes.count else { throw fail("unexpected end of input") }
        let start = literal.utf8Start
        for offset in 0..<count where bytes[index + offset] != start[offset] {
            throw fail("invalid literal")
        }
        index += count
    }

    private mutating func enter() throws(JSONParseError) {
        depth += 1
        if depth > Self.maximumDepth { throw fail("nesting deeper than \(Self.maximumDepth)") }
    }

    private mutating func parseObject() throws(JSONParseError) -> JSONValue {
        try enter()
        defer { depth -= 1 }
        index += 1
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "}") { index += 1; return .object([:]) }
        let first = pending.count
        defer { pending.removeSubrange(first...) }
        while true {
            skipWhitespace()
            guard index < bytes.count else { throw fail("unexpected end of input inside an object") }
            guard bytes[index] == UInt8(ascii: "\"") else { throw fail("expected a member name") }
            if let key = try memberName() {
                skipWhitespace()
                guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw fail("expected ':' after member name") }
                index += 1
                skipWhitespace()
                let value = try parseValue()
                pending.append((key, value))
            }
            skipWhitespace()
            guard index < bytes.count else { throw fail("unexpected end of input inside an object") }
            if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
            if bytes[index] == UInt8(ascii: "}") {
                index += 1
                var members: [JSONObject.Element] = []
                members.reserveCapacity(pending.count - first)
                for k in first..<pending.count { members.append((key: pending[k].0, value: pending[k].1)) }
                return .object(JSONObject(members))  // the last of a repeated name wins
            }
            throw fail("expected ',' or '}' in an object")
        }
    }

    private mutating func parseArray() throws(JSONParseError) -> JSONValue {
        try enter()
        defer { depth -= 1 }
        index += 1
        var items: [JSONValue] = []
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "]") { index += 1; return .array(items) }
        while true {
            skipWhitespace()
            items.append(try parseValue())
            skipWhitespace()
            guard index < bytes.count else { throw fail("unexpected end of input inside an array") }
            if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
            if bytes[index] == UInt8(ascii: "]") { index += 1; return .array(items) }
            throw fail("expected ',' or ']' in an array")
        }
    }

    private mutating func parseNumber() throws(JSONParseError) -> JSONValue {
        let start = index
        if bytes[index] == UInt8(ascii: "-") { index += 1 }
        var digits = 0
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digits += 1; index += 1
            case UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E"), UInt8(ascii: "+"), UInt8(ascii: "-"): index += 1
            default:
                guard digits > 0 else { throw fail("invalid number") }
                return .number(String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self))
            }
        }
        guard digits > 0 else { throw fail("invalid number") }
        return .number(String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self))
    }

    /// The member name at `index` (its opening quote), moving past it; or nil when the name is one
    /// of `skipping`, having passed over the name, the colon and the value. A plain name (no escape
    /// or control character) is read once, for the lookup and for the key.
    private mutating func memberName() throws(JSONParseError) -> String? {
        let nameStart = index + 1
        let nameEnd = firstSpecial(from: nameStart, controls: true)
        guard nameEnd < bytes.count, bytes[nameEnd] == UInt8(ascii: "\""), let base = bytes.baseAddress else {
            return try parseString()  // escapes, control characters, no end: the full reading, which reports problems
        }
        index = nameEnd + 1
        if let skipping, skipping.index(of: base + nameStart, length: nameEnd - nameStart) != nil {
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw fail("expected ':' after member name") }
            index += 1
            skipWhitespace()
            try skipValue()
            return nil
        }
        return String(decoding: UnsafeRawBufferPointer(start: base + nameStart, count: nameEnd - nameStart), as: UTF8.self)
    }

    /// Passes over one value without decoding it: a string to its closing quote, a container to
    /// its matching bracket, anything else to the next delimiter.
    private mutating func skipValue() throws(JSONParseError) {
        guard index < bytes.count else { throw fail("unexpected end of input") }
        switch bytes[index] {
        case UInt8(ascii: "\""):
            index = try stringEnd(from: index + 1) + 1
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            var depth = 0
            while index < bytes.count {
                switch bytes[index] {
                case UInt8(ascii: "\""):
                    index = try stringEnd(from: index + 1) + 1
                    continue
                case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
                case UInt8(ascii: "}"), UInt8(ascii: "]"):
                    depth -= 1
                    if depth == 0 { index += 1; return }
                default: break
                }
                index += 1
            }
            throw fail("unexpected end of input inside a skipped value")
        default:
            while index < bytes.count {
                switch bytes[index] {
                case UInt8(ascii: ","), UInt8(ascii: "}"), UInt8(ascii: "]"), 0x20, 0x0A, 0x0D, 0x09: return
                default: index += 1
                }
            }
        }
    }

    /// Index of the closing quote of the string whose content starts at `start` (escapes passed over).
    private func stringEnd(from start: Int) throws(JSONParseError) -> Int {
        var i = start
        while i < bytes.count {
            let found = firstQuoteOrBackslash(from: i)
            guard found < bytes.count else { break }
            if bytes[found] == UInt8(ascii: "\"") { return found }
            i = found + 2
        }
        throw JSONParseError(offset: start - 1, reason: "unterminated string")
    }

    @inline(__always)
    private func firstSpecial(from start: Int, controls: Bool) -> Int { StringScan.firstSpecial(in: bytes, from: start, controls: controls) }

    @inline(__always)
    private func firstQuoteOrBackslash(from start: Int) -> Int { firstSpecial(from: start, controls: false) }

    private mutating func parseString() throws(JSONParseError) -> String {
        index += 1
        let start = index
        // Fast path: no escapes, found eight bytes at a time.
        index = firstSpecial(from: index, controls: true)
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                let s = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
                index += 1
                return s
            }
            if byte == UInt8(ascii: "\\") { break }
            if byte < 0x20 { throw fail("control character in a string") }
            index += 1
        }
        var scratch = Array(UnsafeRawBufferPointer(rebasing: bytes[start..<index]))
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "\""):
                index += 1
                return String(decoding: scratch, as: UTF8.self)
            case UInt8(ascii: "\\"):
                index += 1
                guard index < bytes.count else { break }
                let escaped = bytes[index]
                index += 1
                switch escaped {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): scratch.append(escaped)
                case UInt8(ascii: "b"): scratch.append(0x08)
                case UInt8(ascii: "f"): scratch.append(0x0C)
                case UInt8(ascii: "n"): scratch.append(0x0A)
                case UInt8(ascii: "r"): scratch.append(0x0D)
                case UInt8(ascii: "t"): scratch.append(0x09)
                case UInt8(ascii: "u"):
                    var scalar = try parseHex4()
                    if (0xD800..<0xDC00).contains(scalar), index + 1 < bytes.count,
                       bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") {
                        index += 2
                        let low = try parseHex4()
                        if (0xDC00..<0xE000).contains(low) {
                            scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                        } else { scalar = 0xFFFD }
                    }
                    let unicode = UnicodeScalar(scalar) ?? "\u{FFFD}"
                    scratch.append(contentsOf: Array(String(Character(unicode)).utf8))
                default:
                    index -= 1
                    throw fail("invalid escape '\\\(Self.printable(escaped))'")
                }
            default:
                if byte < 0x20 { throw fail("control character in a string") }
                scratch.append(byte)
                index += 1
            }
        }
        throw fail("unterminated string")
    }

    private mutating func parseHex4() throws(JSONParseError) -> UInt32 {
        guard index + 4 <= bytes.count else { throw fail("truncated \\u escape") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[index]
            let digit: UInt32
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(byte - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(byte - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(byte - UInt8(ascii: "A") + 10)
            default: throw fail("invalid \\u escape")
            }
            value = value << 4 | digit
            index += 1
        }
        return value
    }
}
