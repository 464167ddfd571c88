import Foundation

/// One problem with an input: where it is and what is wrong. Reported, never fatal for the rest.
public struct InputIssue: Sendable, CustomStringConvertible {
    public var input: String
    /// Byte offset, line or record where the problem is, in words ("byte 1234", "line 7").
    public var position: String
    public var reason: String

    public init(input: String, position: String, reason: String) {
        self.input = input
        self.position = position
        self.reason = reason
    }

    public var description: String { "\(input): \(position): \(reason)" }

    /// The position of a problem with a path as named (it does not exist, or its directory cannot be listed).
    public static let pathPosition = "path"
}

/// What was read from one input: counts of records read, used and skipped, and the problems.
public struct InputReport: Sendable {
    public var input: String
    /// Detected or forced format, e.g. `cloudtrail`, `aws-inventory`, `tickets`.
    public var format: String
    public var bytes: Int = 0
    /// When the input file was last modified (for a snapshot: about when it was taken).
    public var modified: Date?
    public var records: Int = 0
    /// Records that mattered to mirrorwatch and were fully decoded.
    public var relevant: Int = 0
    /// Records that could not be read and were skipped.
    public var skipped: Int = 0
    public var issues: [InputIssue] = []

    public init(input: String, format: String) {
        self.input = input
        self.format = format
    }

    /// Records a problem; `skipping` counts records lost to it.
    public mutating func problem(_ position: String, _ reason: String, skipping: Int = 1) {
        skipped += skipping
        issues.append(InputIssue(input: input, position: position, reason: reason))
    }
}
