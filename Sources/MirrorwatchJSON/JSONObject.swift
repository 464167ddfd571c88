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

    /// Byte equality of two names: lengths first, then bytes (`==` on strings that differ takes
    /// Unicode's slow path, and almost every comparison here is of names that differ).
    @inline(__always)
    static func same(_ a: String, _ b: String) -> Bool {
        a.utf8.count == b.utf8.count && a.utf8.elementsEqual(b.utf8)
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
        var folded: JSONValue? = nil
        let wanted = key.utf8
        for member in members where member.key.utf8.count == wanted.count {
            if member.key.utf8.elementsEqual(wanted) { return member.value }
            if folded == nil, JSONValue.equalIgnoringASCIICase(member.key.utf8, wanted) {
                folded = member.value
            }
        }
        return folded
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
