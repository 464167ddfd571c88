/// A reason the policy file was rejected, with its place in the file.
public struct PolicyProblem: Sendable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int
    public var reason: String

    public var description: String { "\(file):\(line):\(column): \(reason)" }
}

/// The policy file is invalid; nothing runs on a half-read policy.
public struct PolicyError: Error, Sendable, CustomStringConvertible {
    public var problems: [PolicyProblem]
    public var description: String {
        "invalid policy:\n" + problems.map { "  \($0)" }.joined(separator: "\n")
    }
}
