/// Who made a change, as the audit log states it.
public struct Actor: Sendable, Hashable {
    /// The most specific name: an ARN, e-mail or device user.
    public var name: String
    /// Identity type as the platform names it (`IAMUser`, `AssumedRole`, `Root`, `AWSService`, ...).
    public var type: String?
    /// For temporary credentials, the identity that issued them (for AWS, the role ARN).
    public var sessionIssuer: String?
    /// Short user name (IAM user name, role session name).
    public var userName: String?
    public var accountId: String?
    public var sourceIP: String?
    public var userAgent: String?
    /// Whether multi-factor authentication was used, when the log says.
    public var mfa: Bool?
    /// The access key the call was signed with (AWS), linking it to the `AssumeRole` that issued it.
    public var accessKeyId: String?
    /// Who acted through this identity: the user who impersonated a GCP service account, or the
    /// source identity an AWS role session carries.
    public var delegatedBy: String?
    /// What invoked the call on the actor's behalf, when a service did (`cloudformation.amazonaws.com`, `ssm.amazonaws.com`).
    public var invokedBy: String?

    public init(name: String, type: String? = nil, sessionIssuer: String? = nil, userName: String? = nil,
                accountId: String? = nil, sourceIP: String? = nil, userAgent: String? = nil, mfa: Bool? = nil,
                accessKeyId: String? = nil, delegatedBy: String? = nil, invokedBy: String? = nil) {
        self.name = name
        self.type = type
        self.sessionIssuer = sessionIssuer
        self.userName = userName
        self.accountId = accountId
        self.sourceIP = sourceIP
        self.userAgent = userAgent
        self.mfa = mfa
        self.accessKeyId = accessKeyId
        self.delegatedBy = delegatedBy
        self.invokedBy = invokedBy
    }

    /// Every name this actor may be known by in a policy: the name itself (an ARN, e-mail or
    /// account) and the issuing role. Not `userName`: a role session name is chosen freely by
    /// the caller (`--role-session-name`), so it must never grant anything on its own.
    public var identities: [String] {
        var all = [name]
        if let sessionIssuer, sessionIssuer != name { all.append(sessionIssuer) }
        return all
    }

    /// The shortest name that still says who: an AWS user or role session name, else `name`.
    public var short: String {
        if let userName, type == "AssumedRole" || type == "IAMUser" { return userName }
        return name
    }

    /// `name` plus the issuing role when they differ, for display.
    public var display: String {
        if let sessionIssuer, sessionIssuer != name { return "\(name) (via \(sessionIssuer))" }
        return name
    }
}
