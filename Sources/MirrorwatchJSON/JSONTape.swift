/// A JSON text indexed in one pass without decoding anything: every value becomes an entry
/// (its kind, where its bytes are, where the entries of its children end), and strings are made
/// only when a reader asks for one (`JSONTape.Node.text`).
///
/// For the many records a reader needs only a handful of fields from (CloudTrail role
/// assumptions and sign-ins), this costs a fraction of building a `JSONValue` tree, whose
/// every string, object and array is an allocation. The tape accepts exactly the texts
/// `JSONParser` accepts (a test checks both ways on damaged input) and reads the same values
/// from them; on anything else `index(_:)` returns false and the caller uses `JSONParser`, which
/// says what is wrong and where. One tape is reused record after record: its storage is kept.
public struct JSONTape {
    /// The kind of a value.
    public enum Kind: UInt8 {
        case null, bool, number, string, array, object
    }

    /// One value. Strings: the bytes between the quotes; numbers and literals: their bytes;
    /// containers: the opening bracket. `next` is the entry after the value and its children.
    struct Entry {
        var start: Int32
        var end: Int32
        var next: Int32
        var kind: Kind
        /// A string holding a backslash escape (its text is unescaped when made).
        var escaped: Bool
        /// A member name that is plain ASCII without escapes: its bytes are its text. Other names
        /// are compared as the text `JSONParser` makes of them (unescaped, invalid UTF-8 replaced).
        var plainName = false
    }

    private var entries: [Entry] = []
    /// The bytes last indexed, which `withRoot` must be given again.
    private var indexed: (base: UnsafeRawPointer?, count: Int) = (nil, 0)

    public init() {}

    /// Indexes the one JSON value in `bytes` (with blanks around it). Returns false, leaving the
    /// tape empty, for anything `JSONParser` would reject, and for texts of 2 GB or more.
    public mutating func index(_ bytes: UnsafeRawBufferPointer) -> Bool {
        entries.removeAll(keepingCapacity: true)
        guard bytes.count < Int(Int32.max) else { return false }
        // The storage moves into the builder and back (no copy, capacity kept).
        var builder = Builder(bytes: bytes)
        swap(&builder.entries, &entries)
        let accepted = builder.document()
        swap(&builder.entries, &entries)
        if !accepted { entries.removeAll(keepingCapacity: true) }
        indexed = (bytes.baseAddress, bytes.count)
        return accepted
    }

    /// Calls `body` with the root of the value last indexed from `bytes` (which must be the same
    /// bytes, still valid). The node and the nodes reached from it must not outlive `body`.
    public func withRoot<Result>(of bytes: UnsafeRawBufferPointer, _ body: (Node) -> Result) -> Result? {
        guard !entries.isEmpty else { return nil }
        precondition(bytes.baseAddress == indexed.base && bytes.count == indexed.count, "JSONTape.withRoot given other bytes than were indexed")
        return entries.withUnsafeBufferPointer { body(Node(entries: $0, bytes: bytes, at: 0)) }
    }

    /// A value on the tape. Reads as `JSONValue` does (`member(ignoringCase:)`, `text`, `bool`,
    /// `at`), making strings only for what is read.
    public struct Node: JSONMemberReading {
        let entries: UnsafeBufferPointer<Entry>
        let bytes: UnsafeRawBufferPointer
        let at: Int

        init(entries: UnsafeBufferPointer<Entry>, bytes: UnsafeRawBufferPointer, at: Int) {
            self.entries = entries
            self.bytes = bytes
            self.at = at
        }

        public var kind: Kind { entries[at].kind }

        /// The member whose name equals `key` exactly or, failing that, ignoring ASCII case; a
        /// repeated name gives its last value (as `JSONObject`, which keeps the last).
        public func member(ignoringCase key: String) -> Node? {
            guard entries[at].kind == .object else { return nil }
            return JSONObject.bytes(of: key) { wanted -> Node? in
                var exact = -1, folded = -1, foldedName = -1
                var name = at + 1
                let end = Int(entries[at].next), count = wanted.count
                while name < end {
                    let entry = entries[name]
                    // Names of another length are passed over on their entry alone (a name that is not
                    // plain ASCII may have another length as text, so it is compared as text).
                    if Int(entry.end &- entry.start) == count || !entry.plainName {
                        switch compare(name: name, with: wanted) {
                        case .exact: exact = name + 1
                        case .folded:
                            // The first name matching ignoring case; a repeat of that very name replaces its value.
                            if foldedName < 0 { foldedName = name; folded = name + 1 } else if sameName(name, foldedName) { folded = name + 1 }
                        case .none: break
                        }
                    }
                    name = Int(entries[name + 1].next)
                }
                if exact >= 0 { return Node(entries: entries, bytes: bytes, at: exact) }
                return folded >= 0 ? Node(entries: entries, bytes: bytes, at: folded) : nil
            }
        }

        /// The value at a path of member names, each compared ignoring case.
        public func at(_ path: String...) -> Node? {
            var node: Node? = self
            for key in path { node = node?.member(ignoringCase: key) }
            return node
        }

        /// Text of a string, number or boolean; nil for containers, null and empty strings.
        public var text: String? {
            let entry = entries[at]
            switch entry.kind {
            case .string:
                guard entry.end > entry.start else { return nil }
                return string(entry)
            case .number: return String(decoding: slice(entry), as: UTF8.self)
            case .bool: return bytes[Int(entry.start)] == UInt8(ascii: "t") ? "true" : "false"
            default: return nil
            }
        }

        /// Boolean value of a boolean or of the strings "true"/"false" (any case).
        public var bool: Bool? {
            let entry = entries[at]
            switch entry.kind {
            case .bool: return bytes[Int(entry.start)] == UInt8(ascii: "t")
            case .string:
                let lowered = string(entry).lowercased()
                return lowered == "true" ? true : (lowered == "false" ? false : nil)
            default: return nil
            }
        }

        /// Whether the value is a string whose text starts (after blanks) like a JSON object or
        /// array: one `JSONValue.unwrappingEmbeddedJSON` would try to decode (it may not parse).
        public var holdsEmbeddedJSON: Bool {
            guard entries[at].kind == .string else { return false }
            return string(entries[at]).first(where: { !$0.isWhitespace }).map { $0 == "{" || $0 == "[" } ?? false
        }

        /// The value as a `JSONValue`, the same `JSONParser` gives for its bytes.
        public var value: JSONValue {
            let entry = entries[at]
            switch entry.kind {
            case .null: return .null
            case .bool: return .bool(bytes[Int(entry.start)] == UInt8(ascii: "t"))
            case .number: return .number(String(decoding: slice(entry), as: UTF8.self))
            case .string: return .string(string(entry))
            case .array:
                var items: [JSONValue] = []
                var i = at + 1
                while i < Int(entry.next) {
                    items.append(Node(entries: entries, bytes: bytes, at: i).value)
                    i = Int(entries[i].next)
                }
                return .array(items)
            case .object:
                var members: [JSONObject.Element] = []
                var i = at + 1
                while i < Int(entry.next) {
                    members.append((key: string(entries[i]), value: Node(entries: entries, bytes: bytes, at: i + 1).value))
                    i = Int(entries[i + 1].next)
                }
                return .object(JSONObject(members))
            }
        }

        private func slice(_ entry: Entry) -> UnsafeRawBufferPointer {
            UnsafeRawBufferPointer(rebasing: bytes[Int(entry.start)..<Int(entry.end)])
        }

        /// A string's text: its bytes, or unescaped by `JSONParser` (the same text it gives).
        private func string(_ entry: Entry) -> String {
            guard entry.escaped else { return String(decoding: slice(entry), as: UTF8.self) }
            let quoted = UnsafeRawBufferPointer(rebasing: bytes[Int(entry.start) - 1..<Int(entry.end) + 1])
            if case .string(let text)? = try? JSONParser.parse(quoted) { return text }
            return String(decoding: slice(entry), as: UTF8.self)
        }

        private enum Match { case exact, folded, none }

        private func compare(name i: Int, with wanted: UnsafeRawBufferPointer) -> Match {
            let entry = entries[i]
            if !entry.plainName {
                return JSONObject.bytes(of: string(entry)) { name in Self.match(name, wanted) }
            }
            return Self.match(slice(entry), wanted)
        }

        private static func match(_ name: UnsafeRawBufferPointer, _ wanted: UnsafeRawBufferPointer) -> Match {
            guard name.count == wanted.count else { return .none }
            if wanted.isEmpty || ShortBytes.equal(name.baseAddress!, wanted.baseAddress!, count: wanted.count) { return .exact }
            return JSONObject.equalIgnoringASCIICase(name, wanted) ? .folded : .none
        }

        private func sameName(_ a: Int, _ b: Int) -> Bool {
            let x = entries[a], y = entries[b]
            if !x.plainName || !y.plainName { return string(x).utf8.elementsEqual(string(y).utf8) }
            let first = slice(x), second = slice(y)
            return first.count == second.count && (first.isEmpty || ShortBytes.equal(first.baseAddress!, second.baseAddress!, count: first.count))
        }
    }

    /// The one-pass indexer: the grammar and limits of `JSONParser`, without making values.
    private struct Builder {
        let bytes: UnsafeRawBufferPointer
        var index = 0
        var depth = 0
        var entries: [Entry] = []

        init(bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

        mutating func document() -> Bool {
            skipBlanks()
            guard value() else { return false }
            skipBlanks()
            return index == bytes.count
        }

        private mutating func skipBlanks() {
            while index < bytes.count {
                switch bytes[index] {
                case 0x20, 0x0A, 0x0D, 0x09: index += 1
                default: return
                }
            }
        }

        private mutating func value() -> Bool {
            guard index < bytes.count else { return false }
            switch bytes[index] {
            case UInt8(ascii: "{"): return container(object: true)
            case UInt8(ascii: "["): return container(object: false)
            case UInt8(ascii: "\""): return string()
            case UInt8(ascii: "t"): return literal("true", .bool)
            case UInt8(ascii: "f"): return literal("false", .bool)
            case UInt8(ascii: "n"): return literal("null", .null)
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return number()
            default: return false
            }
        }

        private mutating func container(object: Bool) -> Bool {
            depth += 1
            guard depth <= JSONParser.maximumDepth else { return false }
            defer { depth -= 1 }
            let me = entries.count
            entries.append(Entry(start: Int32(index), end: Int32(index + 1), next: 0, kind: object ? .object : .array, escaped: false))
            index += 1
            skipBlanks()
            let close = object ? UInt8(ascii: "}") : UInt8(ascii: "]")
            if index < bytes.count, bytes[index] == close {
                index += 1
                entries[me].next = Int32(entries.count)
                return true
            }
            while true {
                skipBlanks()
                if object {
                    guard index < bytes.count, bytes[index] == UInt8(ascii: "\""), string(name: true) else { return false }
                    skipBlanks()
                    guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { return false }
                    index += 1
                    skipBlanks()
                }
                guard value() else { return false }
                skipBlanks()
                guard index < bytes.count else { return false }
                if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
                guard bytes[index] == close else { return false }
                index += 1
                entries[me].next = Int32(entries.count)
                return true
            }
        }

        private mutating func string(name: Bool = false) -> Bool {
            let start = index + 1
            var i = start
            var escaped = false
            while true {
                i = StringScan.firstSpecial(in: bytes, from: i, controls: true)
                guard i < bytes.count else { return false }
                let byte = bytes[i]
                if byte == UInt8(ascii: "\"") { break }
                guard byte == UInt8(ascii: "\\"), i + 1 < bytes.count else { return false }  // a control character, or a final backslash
                escaped = true
                switch bytes[i + 1] {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
                     UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                    i += 2
                case UInt8(ascii: "u"):
                    guard let scalar = hex4(at: i + 2) else { return false }
                    i += 6
                    // A high surrogate followed by another `\u` escape: `JSONParser` reads that one as its pair.
                    if (0xD800..<0xDC00).contains(scalar), i + 1 < bytes.count, bytes[i] == UInt8(ascii: "\\"), bytes[i + 1] == UInt8(ascii: "u") {
                        guard hex4(at: i + 2) != nil else { return false }
                        i += 6
                    }
                default: return false
                }
            }
            entries.append(Entry(start: Int32(start), end: Int32(i), next: Int32(entries.count + 1), kind: .string, escaped: escaped,
                                 plainName: name && !escaped && isASCII(start, i)))
            index = i + 1
            return true
        }

        /// Whether `start..<end` is plain ASCII (names are short: eight bytes at a time).
        private func isASCII(_ start: Int, _ end: Int) -> Bool {
            guard let base = bytes.baseAddress else { return true }
            var k = start, high: UInt64 = 0
            while k + 8 <= end {
                high |= base.loadUnaligned(fromByteOffset: k, as: UInt64.self)
                k += 8
            }
            while k < end {
                high |= UInt64(bytes[k])
                k += 1
            }
            return high & 0x8080_8080_8080_8080 == 0
        }

        private func hex4(at start: Int) -> UInt32? {
            guard start + 4 <= bytes.count else { return nil }
            var value: UInt32 = 0
            for offset in 0..<4 {
                let byte = bytes[start + offset]
                let digit: UInt32
                switch byte {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(byte - UInt8(ascii: "0"))
                case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(byte - UInt8(ascii: "a") + 10)
                case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(byte - UInt8(ascii: "A") + 10)
                default: return nil
                }
                value = value << 4 | digit
            }
            return value
        }

        private mutating func literal(_ word: StaticString, _ kind: Kind) -> Bool {
            let count = word.utf8CodeUnitCount
            guard index + count <= bytes.count else { return false }
            for offset in 0..<count where bytes[index + offset] != word.utf8Start[offset] { return false }
            entries.append(Entry(start: Int32(index), end: Int32(index + count), next: Int32(entries.count + 1), kind: kind, escaped: false))
            index += count
            return true
        }

        /// `JSONParser`'s number: an optional minus, then digits, dots, exponents and signs, with a digit among them.
        private mutating func number() -> Bool {
            let start = index
            if bytes[index] == UInt8(ascii: "-") { index += 1 }
            var digits = 0
            scan: while index < bytes.count {
                switch bytes[index] {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): digits += 1; index += 1
                case UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E"), UInt8(ascii: "+"), UInt8(ascii: "-"): index += 1
                default: break scan
                }
            }
            guard digits > 0 else { return false }
            entries.append(Entry(start: Int32(start), end: Int32(index), next: Int32(entries.count + 1), kind: .number, escaped: false))
            return true
        }
    }
}
