/// How urgent a finding is, ordered from `info` to `critical`.
public enum Severity: Int, Sendable, Comparable, CaseIterable, CustomStringConvertible {
    case info = 0, low, medium, high, critical

    /// Contract name (`info`, `low`, `medium`, `high`, `critical`).
    public var name: String {
        switch self {
        case .info: "info"
        case .low: "low"
        case .medium: "medium"
        case .high: "high"
        case .critical: "critical"
        }
    }

    public var description: String { name }

    /// Parses a contract name, ignoring case.
    public init?(name: String) {
        guard let match = Severity.allCases.first(where: { $0.name == name.lowercased() }) else { return nil }
        self = match
    }

    public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rawValue < rhs.rawValue }
}

extension Severity {
    /// One step higher, at most critical.
    public var raised: Severity { Severity(rawValue: min(rawValue + 1, Severity.critical.rawValue))! }
}
