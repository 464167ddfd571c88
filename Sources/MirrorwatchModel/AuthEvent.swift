import Foundation

/// A login or credential event: the context that tells who really stands behind an actor.
///
/// AWS `ConsoleLogin` and `AssumeRole*`, Entra ID sign-ins, device logins and TACACS+
/// authentications all become one of these. A credential-issuing event (`AssumeRole`) names
/// the credentials it issued, so that a later change made with them leads back to the caller.
public struct AuthEvent: Sendable {
    /// What kind of authentication this was.
    public enum Kind: String, Sendable {
        /// An interactive console or portal sign-in (AWS `ConsoleLogin`, Entra ID sign-in).
        case signIn = "sign-in"
        /// Temporary credentials issued for a role (`AssumeRole`, `AssumeRoleWithSAML`, `...WithWebIdentity`).
        case assumeRole = "assume-role"
        /// A login to a network device (syslog `LOGIN_SUCCESS`, TACACS+ authentication).
        case deviceLogin = "device-login"
    }

    public var kind: Kind
    /// The native name of the event (`ConsoleLogin`, `AssumeRoleWithSAML`, `LOGIN_SUCCESS`, ...).
    public var operation: String
    public var platform: Platform
    public var scope: Scope
    public var time: Date
    /// The identity that authenticated (the caller of `AssumeRole`, the user signing in).
    public var principal: String
    /// A human behind a federated principal (the SAML subject, the web identity subject).
    public var subject: String?
    /// The identity the event produced (an assumed-role session ARN), when it produced one.
    public var issuedIdentity: String?
    /// The access key id of the credentials issued, for linking later calls to this event.
    public var issuedAccessKey: String?
    /// The access key the caller signed the request with (to follow a role chain one more step).
    public var callerAccessKey: String?
    public var sourceIP: String?
    public var userAgent: String?
    /// Whether multi-factor authentication was used; nil when the record does not say.
    public var mfa: Bool?
    public var succeeded: Bool
    public var evidence: Evidence

    /// Inlinable: readers make one per sign-in and role assumption, the most numerous records they keep;
    /// called across modules without it, every string was retained into the event and released by the caller.
    @inlinable
    public init(kind: Kind, operation: String, platform: Platform, scope: Scope, time: Date, principal: String, subject: String? = nil,
                issuedIdentity: String? = nil, issuedAccessKey: String? = nil, callerAccessKey: String? = nil, sourceIP: String? = nil,
                userAgent: String? = nil, mfa: Bool? = nil, succeeded: Bool = true, evidence: Evidence) {
        self.kind = kind
        self.operation = operation
        self.platform = platform
        self.scope = scope
        self.time = time
        self.principal = principal
        self.subject = subject
        self.issuedIdentity = issuedIdentity
        self.issuedAccessKey = issuedAccessKey
        self.callerAccessKey = callerAccessKey
        self.sourceIP = sourceIP
        self.userAgent = userAgent
        self.mfa = mfa
        self.succeeded = succeeded
        self.evidence = evidence
    }
}
