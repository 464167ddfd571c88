extension JSONTape {
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
                var found = Found()
                var name = at + 1
                let end = Int(entries[at].next), count = wanted.count
                while name < end {
                    let entry = entries[name]
                    // Names of another length are passed over on their entry alone (a name that is not
                    // plain ASCII may have another length as text, so it is compared as text).
                    if Int(entry.end &- entry.start) == count || !entry.plainName { consider(name, for: wanted, into: &found) }
                    name = Int(entries[name + 1].next)
                }
                return found.member.map { Node(entries: entries, bytes: bytes, at: $0) }
            }
        }

        /// The members named `names`, each as `member(ignoringCase:)` finds it, in one pass over the
        /// object's members (a record read for many of its members is not walked once per name).
        public func members(ignoringCase names: JSONMemberNames) -> [Node?] {
            guard entries[at].kind == .object else { return Array(repeating: nil, count: names.count) }
            // What was found for each name, on the stack (this runs for every sign-in and role assumption).
            return withUnsafeTemporaryAllocation(of: Found.self, capacity: names.count) { found in
                found.initialize(repeating: Found())
                var name = at + 1
                let end = Int(entries[at].next)
                while name < end {
                    let entry = entries[name]
                    let length = Int(entry.end &- entry.start)
                    if entry.plainName && names.foldsApart {
                        // The one name it can be, and how it matches, found by lookup.
                        if names.mayHave(length: length), let (k, exact) = names.match(of: slice(entry)) {
                            note(name, exact ? .exact : .folded, into: &found[k])
                        }
                    } else if !entry.plainName || names.mayHave(length: length) {
                        for k in 0..<names.count where !entry.plainName || names.bytes[k].count == length {
                            names.bytes[k].withUnsafeBytes { consider(name, for: $0, into: &found[k]) }
                        }
                    }
                    name = Int(entries[name + 1].next)
                }
                return found.map { $0.member.map { Node(entries: entries, bytes: bytes, at: $0) } }
            }
        }

        /// What a search for one name has found so far: the last exact match, else the first name
        /// equal ignoring case (a repeat of that very name replaces its value).
        private struct Found {
            var exact = -1, folded = -1, foldedName = -1
            var member: Int? { exact >= 0 ? exact : (folded >= 0 ? folded : nil) }
        }

        private func consider(_ name: Int, for wanted: UnsafeRawBufferPointer, into found: inout Found) {
            note(name, compare(name: name, with: wanted), into: &found)
        }

        /// Notes that the member named at entry `name` matches a wanted name as `match` says: an exact
        /// match wins, else the last member of the first name folded to it (as `JSONObject` reads it).
        private func note(_ name: Int, _ match: Match, into found: inout Found) {
            switch match {
            case .exact: found.exact = name + 1
            case .folded:
                if found.foldedName < 0 {
                    found.foldedName = name
                    found.folded = name + 1
                } else if sameName(name, found.foldedName) {
                    found.folded = name + 1
                }
            case .none: break
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

        /// Integer value of a number (a fraction dropped; nil out of range) or of a numeric string,
        /// as `JSONValue.int`.
        public var int: Int? {
            let entry = entries[at]
            switch entry.kind {
            case .number: return JSONValue.integer(number: String(decoding: slice(entry), as: UTF8.self))
            case .string: return Int(string(entry))
            default: return nil
            }
        }

        /// Elements of an array, as `JSONValue.elements`: null and the empty string have none, an
        /// object whose one member is named `item` or `Item` has that member's elements, any other
        /// value is its own one element.
        public var elements: [Node] {
            let entry = entries[at]
            switch entry.kind {
            case .array:
                var items: [Node] = []
                var i = at + 1
                while i < Int(entry.next) {
                    items.append(Node(entries: entries, bytes: bytes, at: i))
                    i = Int(entries[i].next)
                }
                return items
            case .null: return []
            case .string where entry.end == entry.start: return []
            case .object where at + 1 < Int(entry.next):
                // One member (a repeated name is one member, with its last value, as in `JSONObject`),
                // named `item` or `Item` exactly.
                let first = string(entries[at + 1])
                guard first == "item" || first == "Item" else { return [self] }
                var name = at + 1, last = name
                while name < Int(entry.next) {
                    guard string(entries[name]).utf8.elementsEqual(first.utf8) else { return [self] }
                    last = name
                    name = Int(entries[name + 1].next)
                }
                return Node(entries: entries, bytes: bytes, at: last + 1).elements
            default: return [self]
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

        /// The value as a decoded tree: `value`.
        public var decoded: JSONValue { value }

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
}
