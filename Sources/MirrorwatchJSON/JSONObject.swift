/// The members of a decoded JSON object, in the order the input gives them.
///
/// Kept as a flat array rather than a dictionary: the objects in audit records have a few dozen
/// members at most and are built far more often than they are searched, so hashing every name on
/// the way in cost more than scanning a short array on the few lookups made. A name repeated in
/// the input keeps its last value, at its first position (as a dictionary would).
public struct JSONObject: Sendable, Equatable, Sequence, ExpressibleByDictionaryLiteral {
    public typealias Element = (key: String, value: JSONValue)

    private var members: [Element]

    /// Objects with more members than this are deduplicated and compared through a dictionary.
    private static let scanLimit = 16

    public init() { members = [] }

    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self.init(elements.map { (key: $0.0, value: $0.1) })
    }

    /// The members of `dictionary`, ordered by name.
    public init(_ dictionary: [String: JSONValue]) {
        members = dictionary.sorted { $0.key < $1.key }.map { (key: $0.key, value: $0.value) }
    }

    /// Members in the order given; a repeated name keeps its last value at its first position.
    public init(_ ordered: [Element]) {
        members = ordered
        if Self.hasRepeats(members) { members = Self.merged(members) }
    }

    /// Byte equality of two names: lengths first, then bytes in place (`==` on strings that differ
    /// takes Unicode's slow path, and almost every comparison here is of names that differ).
    @inline(__always)
    static func same(_ a: String, _ b: String) -> Bool {
        let count = a.utf8.count
        guard count == b.utf8.count else { return false }
        guard count > 0 else { return true }
        return bytes(of: a) { x in bytes(of: b) { y in ShortBytes.equal(x.baseAddress!, y.baseAddress!, count: count) } }
    }

    /// Calls `body` with the UTF-8 bytes of `text`, in place for native strings.
    @inline(__always)
    static func bytes<Result>(of text: String, _ body: (UnsafeRawBufferPointer) -> Result) -> Result {
        if let result = text.utf8.withContiguousStorageIfAvailable({ body(UnsafeRawBufferPointer($0)) }) { return result }
        var copy = text
        return copy.withUTF8 { body(UnsafeRawBufferPointer($0)) }
    }

    /// Whether `a` and `b` (of the same length) are equal with ASCII letters folded.
    @inline(__always)
    static func equalIgnoringASCIICase(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Bool {
        for i in 0..<a.count {
            let x = a[i], y = b[i]
            if x == y { continue }
            let lower = x | 0x20
            guard lower == y | 0x20, lower >= 0x61, lower <= 0x7A else { return false }
        }
        return true
    }

    private static func hasRepeats(_ members: [Element]) -> Bool {
        if members.count <= scanLimit {
            for i in members.indices { for j in members.index(after: i)..<members.endIndex where same(members[i].key, members[j].key) { return true } }
            return false
        }
        var seen = Set<Name>(minimumCapacity: members.count)
        for member in members where !seen.insert(Name(member.key)).inserted { return true }
        return false
    }

    private static func merged(_ members: [Element]) -> [Element] {
        var position: [Name: Int] = [:]
        var result: [Element] = []
        for member in members {
            if let at = position[Name(member.key)] { result[at].value = member.value } else {
                position[Name(member.key)] = result.count
                result.append(member)
            }
        }
        return result
    }

    /// The value of the member named `key`, exactly; setting `nil` removes it.
    public subscript(key: String) -> JSONValue? {
        get {
            for member in members where Self.same(member.key, key) { return member.value }
            return nil
        }
        set {
            let at = members.firstIndex { Self.same($0.key, key) }
            switch (at, newValue) {
            case (let at?, let value?): members[at].value = value
            case (let at?, nil): members.remove(at: at)
            case (nil, let value?): members.append((key: key, value: value))
            case (nil, nil): break
            }
        }
    }

    /// The member whose name equals `key` exactly or, failing that, ignoring ASCII case.
    func member(ignoringCase key: String) -> JSONValue? {
        Self.bytes(of: key) { wanted in
            var folded: JSONValue? = nil
            for member in members where member.key.utf8.count == wanted.count {
                let (exact, caseless) = Self.bytes(of: member.key) { name -> (Bool, Bool) in
                    if wanted.isEmpty || ShortBytes.equal(name.baseAddress!, wanted.baseAddress!, count: wanted.count) { return (true, true) }
                    return (false, folded == nil && Self.equalIgnoringASCIICase(name, wanted))
                }
                if exact { return member.value }
                if caseless { folded = member.value }
            }
            return folded
        }
    }

    public var count: Int { members.count }
    public var isEmpty: Bool { members.isEmpty }
    /// Member names in order.
    public var keys: [String] { members.map(\.key) }
    /// The members as a dictionary.
    public var dictionary: [String: JSONValue] {
        Dictionary(members.map { ($0.key, $0.value) }, uniquingKeysWith: { _, last in last })
    }

    public func makeIterator() -> IndexingIterator<[Element]> { members.makeIterator() }

    /// A member name hashed and compared by its bytes, as everywhere else here (a `String` key would
    /// merge names that differ in bytes but are the same to Unicode, such as "K" and the Kelvin sign).
    private struct Name: Hashable {
        let text: String
        init(_ text: String) { self.text = text }
        static func == (a: Name, b: Name) -> Bool { JSONObject.same(a.text, b.text) }
        func hash(into hasher: inout Hasher) {
            for byte in text.utf8 { hasher.combine(byte) }
            hasher.combine(text.utf8.count)
        }
    }

    /// Equal when both have the same names with equal values, in whatever order.
    public static func == (lhs: JSONObject, rhs: JSONObject) -> Bool {
        guard lhs.count == rhs.count else { return false }
        if lhs.count > scanLimit {
            var values: [Name: JSONValue] = [:]
            for member in rhs.members { values[Name(member.key)] = member.value }
            return lhs.members.allSatisfy { values[Name($0.key)] == $0.value }
        }
        return lhs.members.allSatisfy { rhs[$0.key] == $0.value }
    }
}
