/// What readers of decoded records ask of a JSON value: a member by name (ignoring case), and
/// the text or boolean of a scalar. `JSONValue` (a decoded tree) and `JSONTape.Node` (a value
/// read lazily from the record's bytes) both answer, so a reader written against this protocol
/// runs on either.
public protocol JSONMemberReading {
    /// The member whose name equals `key` exactly or, failing that, ignoring ASCII case.
    func member(ignoringCase key: String) -> Self?
    /// The members named `names`, each as `member(ignoringCase:)` finds it (in one pass where the
    /// reader can).
    func members(ignoringCase names: JSONMemberNames) -> [Self?]
    /// The value at a path of member names, each compared ignoring case.
    func at(_ path: String...) -> Self?
    /// Text of a string, number or boolean; nil for containers, null and empty strings.
    var text: String? { get }
    /// Boolean value of a boolean or of the strings "true"/"false" (any case).
    var bool: Bool? { get }
    /// Integer value of a number (a fraction dropped; nil out of range) or of a numeric string.
    var int: Int? { get }
    /// Elements of an array; a single non-array value counts as a one-element array, and an object
    /// whose one member is `item` (EC2's collapsed one-item lists) as that member's elements.
    var elements: [Self] { get }
    /// The value as a decoded tree (for the few readers that need one: lists matched as a whole).
    var decoded: JSONValue { get }
}

extension JSONMemberReading {
    public func members(ignoringCase names: JSONMemberNames) -> [Self?] { names.names.map { member(ignoringCase: $0) } }

    /// The first of `keys` present, each looked up as `member(ignoringCase:)` does (on a decoded tree
    /// and on a tape alike).
    public func member(anyOf keys: String...) -> Self? {
        for key in keys { if let value = member(ignoringCase: key) { return value } }
        return nil
    }
}

extension JSONValue: JSONMemberReading {
    public var decoded: JSONValue { self }
}

/// Member names looked up together (`JSONMemberReading.members(ignoringCase:)`), their bytes and
/// lengths prepared once.
public struct JSONMemberNames: Sendable {
    public let names: [String]
    let bytes: [[UInt8]]
    /// Bit `min(length, 63)` set for the length of every name.
    private let lengths: UInt64
    /// The names as given, and in ASCII lower case, for finding which one a member's name is in one
    /// lookup each instead of comparing it with every name of its length.
    private let exact: ByteStringSet
    private let folded: ByteStringSet
    /// No two names are equal ignoring ASCII case, and none is longer than `foldRoom`: a member's
    /// name is then one name at most, found by `match(of:)`.
    let foldsApart: Bool
    private static let foldRoom = 64

    public init(_ names: [String]) {
        self.names = names
        bytes = names.map { Array($0.utf8) }
        lengths = bytes.reduce(0) { $0 | 1 << UInt64(min($1.count, 63)) }
        let lowered = bytes.map { $0.map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 } }
        exact = ByteStringSet(names)
        folded = ByteStringSet(lowered.map { String(decoding: $0, as: UTF8.self) })
        foldsApart = Set(lowered).count == lowered.count && bytes.allSatisfy { $0.count <= Self.foldRoom && $0.allSatisfy { $0 < 0x80 } }
    }

    public var count: Int { names.count }

    /// Whether a plain name of `length` bytes may be one of them.
    @inline(__always)
    func mayHave(length: Int) -> Bool { lengths >> UInt64(min(length, 63)) & 1 == 1 }

    /// The name that `name` (plain ASCII bytes) is, and whether exactly (not only ignoring ASCII case),
    /// or nil. Only when `foldsApart`: a name missed exactly is then one name at most ignoring case.
    func match(of name: UnsafeRawBufferPointer) -> (position: Int, exact: Bool)? {
        guard let base = name.baseAddress else { return nil }
        if let k = exact.index(of: base, length: name.count) { return (k, true) }
        guard name.count <= Self.foldRoom else { return nil }
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: name.count) { lowered in
            for i in 0..<name.count {
                let c = name[i]
                lowered[i] = c >= 0x41 && c <= 0x5A ? c | 0x20 : c
            }
            return folded.index(of: UnsafeRawPointer(lowered.baseAddress!), length: name.count).map { ($0, false) }
        }
    }
}
