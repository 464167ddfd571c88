/// A decoded JSON document. Objects keep their keys as given; lookups can ignore case,
/// because cloud APIs spell the same field `TrafficMirrorTargetId` in requests and
/// `trafficMirrorTargetId` in responses.
public enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    /// Numbers keep their source text, so that ids such as VNIs survive unchanged.
    case number(String)
    case string(String)
    case array([JSONValue])
    case object(JSONObject)

    /// The member named `key`, exactly.
    public subscript(key: String) -> JSONValue? {
        if case .object(let members) = self { return members[key] }
        return nil
    }

    /// The member whose name equals `key` ignoring ASCII case.
    public func member(ignoringCase key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        // Compared byte by byte (ASCII letters folded), without making lower-case copies.
        return members.member(ignoringCase: key)
    }

    /// The value at a path of member names, each compared ignoring case.
    public func at(_ path: String...) -> JSONValue? {
        var value: JSONValue? = self
        for key in path { value = value?.member(ignoringCase: key) }
        return value
    }

    /// A value that may hold JSON written as a string (Athena exports, Azure `requestbody`):
    /// the string parsed when it looks like an object or array, else the value itself.
    public var unwrappingEmbeddedJSON: JSONValue {
        if case .string(let text) = self, let first = text.first(where: { !$0.isWhitespace }), first == "{" || first == "[",
           let parsed = try? JSONParser.parse(text) {
            return parsed
        }
        return self
    }

    /// Text of a string, number or boolean; `nil` for containers, null and empty strings.
    public var text: String? {
        switch self {
        case .string(let s): return s.isEmpty ? nil : s
        case .number(let n): return n
        case .bool(let b): return b ? "true" : "false"
        default: return nil
        }
    }

    /// Integer value of a number or numeric string.
    public var int: Int? {
        switch self {
        case .number(let n): return Self.integer(number: n)
        case .string(let s): return Int(s)
        default: return nil
        }
    }

    /// The integer a number's text stands for, a fraction dropped; nil past `Int`'s range (`1e400`:
    /// `Int(exactly:)`, not a trap). The one reading of numbers the tree and the tape share.
    static func integer(number text: String) -> Int? {
        Int(text) ?? Double(text).flatMap { Int(exactly: $0.rounded(.towardZero)) }
    }

    /// Boolean value of a boolean or of the strings "true"/"false".
    public var bool: Bool? {
        switch self {
        case .bool(let b): return b
        case .string(let s): return s.lowercased() == "true" ? true : (s.lowercased() == "false" ? false : nil)
        default: return nil
        }
    }

    /// Elements of an array; a single non-array value counts as a one-element array,
    /// because EC2 collapses one-item lists in CloudTrail (`{"item": {...}}`).
    public var elements: [JSONValue] {
        switch self {
        case .array(let items): return items
        case .null: return []
        case .object(let members) where members.count == 1:
            if let item = members["item"] ?? members["Item"] { return item.elements }
            return [self]
        case .string(let s) where s.isEmpty: return []
        default: return [self]
        }
    }

    /// Members of an object (in the input's order), or none.
    public var members: JSONObject {
        if case .object(let m) = self { return m }
        return [:]
    }

    public var isNull: Bool { if case .null = self { return true } else { return false } }
}
