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
}
