/// What readers of decoded records ask of a JSON value: a member by name (ignoring case), and
/// the text or boolean of a scalar. `JSONValue` (a decoded tree) and `JSONTape.Node` (a value
/// read lazily from the record's bytes) both answer, so a reader written against this protocol
/// runs on either.
public protocol JSONMemberReading {
    /// The member whose name equals `key` exactly or, failing that, ignoring ASCII case.
    func member(ignoringCase key: String) -> Self?
    /// The value at a path of member names, each compared ignoring case.
    func at(_ path: String...) -> Self?
    /// Text of a string, number or boolean; nil for containers, null and empty strings.
    var text: String? { get }
    /// Boolean value of a boolean or of the strings "true"/"false" (any case).
    var bool: Bool? { get }
}

extension JSONValue: JSONMemberReading {}
