/// Where a fact came from: the input's name and the record's position inside it.
public struct Evidence: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// File path, `-` for standard input, or a stream name.
    public var input: String
    /// Record ordinal inside the input, from 0 (element of `Records`, line of JSON lines, row of a CSV).
    public var record: Int?
    /// 1-based line number where the record starts, when known.
    public var line: Int?

    @inlinable
    public init(input: String, record: Int? = nil, line: Int? = nil) {
        self.input = input
        self.record = record
        self.line = line
    }

    /// Human-readable position, e.g. `record 3, line 120`.
    public var position: String {
        switch (record, line) {
        case let (r?, l?): "record \(r), line \(l)"
        case let (r?, nil): "record \(r)"
        case let (nil, l?): "line \(l)"
        default: "whole input"
        }
    }

    public var description: String { "\(input) (\(position))" }

    public static func < (lhs: Evidence, rhs: Evidence) -> Bool {
        (lhs.input, lhs.record ?? -1, lhs.line ?? -1) < (rhs.input, rhs.record ?? -1, rhs.line ?? -1)
    }
}
