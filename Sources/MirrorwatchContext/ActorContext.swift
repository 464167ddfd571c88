import Foundation
import MirrorwatchModel

/// Something about an actor worth an analyst's attention.
public enum ActorFlag: String, Sendable, CaseIterable {
    /// The identity has not changed mirroring before in the inputs, although others have.
    case firstSeenActor = "first-seen-actor"
    /// The identity worked from other addresses before; this one is new.
    case newSourceIP = "new-source-ip"
    /// The identity used other clients before; this one is new.
    case newUserAgent = "new-user-agent"
    /// A person signed in or acted without multi-factor authentication.
    case noMFA = "no-mfa"
    /// The account's root user.
    case root
    /// An emergency (break-glass) account.
    case breakGlass = "break-glass"
    /// An IAM user whose active access key was not rotated for more than 90 days before the change.
    case oldAccessKey = "old-access-key"

    /// Flags that make a risky change riskier.
    public var raisesRisk: Bool { self != .newUserAgent }
}

/// One step from the acting identity back towards the person behind it.
public struct IdentityLink: Sendable {
    /// Who stands behind the previous identity.
    public var identity: String
    /// How: "assumed DeployRole (AssumeRole)", "impersonated the service account", ...
    public var how: String
    public var evidence: Evidence?
    /// False when the link rests on a value the caller chose (an AWS source identity, a session name):
    /// shown, but never used to authorize, match tickets or key histories.
    public var verified = true
}

/// What the inputs tell about the actor of one change: the chain back to a person, MFA,
/// where they came from, and what stands out.
public struct ActorContext: Sendable {
    public var chain: [IdentityLink] = []
    public var mfa: Bool?
    /// Where the MFA answer comes from ("session context", "ConsoleLogin at ...").
    public var mfaBasis: String?
    public var flags: [ActorFlag] = []
    /// Records that support the context (sign-ins, AssumeRole calls).
    public var evidence: [Evidence] = []
    /// The earliest mirroring change in the inputs, when first-seen was judged against it.
    public var historySince: Date?

    public init() {}

    /// The person (or the last identity found) behind the actor.
    public var origin: String? { chain.last?.identity }

    /// One sentence for a finding's `why`, or nil when nothing is known beyond the actor itself.
    public var sentence: String? {
        var parts: [String] = []
        if !chain.isEmpty { parts.append("it traces back to " + chain.map { "\($0.identity) (\($0.how))" }.joined(separator: " ← ")) }
        if let mfa { parts.append(mfa ? "with MFA (\(mfaBasis ?? "recorded"))" : "without MFA (\(mfaBasis ?? "recorded"))") }
        let notes = flags.filter { $0 != .noMFA }.map(\.explanation)
        parts += notes
        guard !parts.isEmpty else { return nil }
        return "About the actor: " + parts.joined(separator: "; ") + "."
    }
}

extension ActorFlag {
    /// The flag in words, for a finding's `why`.
    public var explanation: String {
        switch self {
        case .firstSeenActor: "first time this identity changes mirroring in the inputs read"
        case .newSourceIP: "a source address this identity has not used before in the inputs"
        case .newUserAgent: "a client (user agent) this identity has not used before in the inputs"
        case .noMFA: "no MFA"
        case .root: "the root user"
        case .breakGlass: "a break-glass (emergency) account"
        case .oldAccessKey: "an IAM user with an access key not rotated for more than 90 days (credential report)"
        }
    }
}
