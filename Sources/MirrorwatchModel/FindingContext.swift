/// What the context layer adds to a finding: who is behind the actor, recognized tools, flow
/// confirmation, and (for a correlated finding) every rule that fired on the same change.
public struct FindingContext: Sendable, Hashable {
    /// Flags about the actor (`first-seen-actor`, `new-source-ip`, `no-mfa`, `root`, `break-glass`, ...)
    /// and about the change (`flow-confirmed`, `known-tool`, `tool-imitation`).
    public var flags: [String] = []
    /// From the actor back to the person: "alice@example.com (signed in to NetworkAdmin through AssumeRoleWithSAML ...)".
    public var identityChain: [String] = []
    /// Whether MFA was used, when the inputs say.
    public var mfa: Bool?
    /// A mirroring tool the change was recognized as coming from.
    public var tool: String?
    /// Why a ticket matched, or precisely why none did.
    public var ticketNote: String?
    /// For a correlated finding: every rule that fired on the change, most important first.
    public var rules: [String] = []

    public init() {}

    public var isEmpty: Bool {
        flags.isEmpty && identityChain.isEmpty && mfa == nil && tool == nil && ticketNote == nil && rules.isEmpty
    }
}
