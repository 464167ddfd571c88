import MirrorwatchModel

/// What a principal can do with mirroring, and why: the policies and statements on the way.
public struct AccessVerdict: Sendable {
    /// How far the principal gets. Ordered: a principal's verdict is its best action's.
    public enum Level: Int, Sendable, Comparable, CustomStringConvertible {
        /// Nothing grants a mirroring write action.
        case cannot
        /// Granted, but an explicit deny, boundary, SCP or deny assignment blocks it.
        case denied
        /// Granted under conditions that cannot be judged from the exports (region, time, tags, MFA).
        case conditional
        /// Granted without conditions.
        case can

        public static func < (a: Level, b: Level) -> Bool { a.rawValue < b.rawValue }

        public var description: String {
            switch self {
            case .cannot: "cannot"
            case .denied: "denied"
            case .conditional: "conditional"
            case .can: "can"
            }
        }
    }

    /// One action's outcome.
    public struct ActionResult: Sendable {
        public var action: String
        public var level: Level
        /// The grants and statements that allow it, in words.
        public var allowedBy: [String]
        /// The denies, boundaries or guardrails that block it (or may, under a condition).
        public var blockedBy: [String]
        /// Conditions that decide it.
        public var conditions: [String]
    }

    public var principal: AccessPrincipal
    public var level: Level
    public var actions: [ActionResult]
    /// Where the grants apply (accounts, projects, scopes).
    public var scopes: [String]
    /// Roles named by grants whose definitions were not among the inputs.
    public var unresolvedRoles: [String]
    public var evidence: [Evidence]
    /// The credential report's row for an AWS user: console password, MFA, access key ages.
    public var credential: CredentialReportEntry?

    /// Actions granted with or without conditions.
    public var grantedActions: [ActionResult] { actions.filter { $0.level >= .conditional } }

    /// Whether a granted action can send traffic somewhere new (not just remove or narrow mirroring).
    public var canCopyTraffic: Bool { grantedActions.contains { MirroringPermissions.copiesTraffic($0.action) } }
}
