import MirrorwatchJSON
import MirrorwatchModel

/// CloudTrail `userIdentity` → `Actor`, keeping the role behind assumed-role sessions.
enum AWSIdentity {
    static func actor<Identity: JSONMemberReading>(_ identity: Identity?, sourceIP: String?, userAgent: String?) -> Actor? {
        guard let identity else {
            return sourceIP == nil ? nil : Actor(name: "unknown", sourceIP: sourceIP, userAgent: userAgent)
        }
        let type = identity.member(ignoringCase: "type")?.text
        let arn = identity.member(ignoringCase: "arn")?.text
        let context = identity.member(ignoringCase: "sessionContext")
        let issuer = context?.member(ignoringCase: "sessionIssuer")
        let issuerArn = issuer?.member(ignoringCase: "arn")?.text
        var userName = identity.member(ignoringCase: "userName")?.text
        if userName == nil, type == "AssumedRole", let arn, arn.contains(":assumed-role/") {
            let parts = arn.split(separator: "/")
            if parts.count >= 3 { userName = String(parts[2]) }  // role session name
        }
        let mfa = context?.member(ignoringCase: "attributes")?.member(ignoringCase: "mfaAuthenticated")?.bool
        let name = arn ?? identity.member(ignoringCase: "invokedBy")?.text ?? userName
            ?? identity.member(ignoringCase: "principalId")?.text ?? type ?? "unknown"
        // `caller` must name the same actor: a user name taken from the ARN counts only with an ARN, which names it first.
        return Actor(name: name, type: type, sessionIssuer: issuerArn, userName: userName,
                     accountId: identity.member(ignoringCase: "accountId")?.text,
                     sourceIP: sourceIP, userAgent: userAgent, mfa: mfa,
                     accessKeyId: identity.member(ignoringCase: "accessKeyId")?.text,
                     delegatedBy: context?.member(ignoringCase: "sourceIdentity")?.text,
                     invokedBy: identity.member(ignoringCase: "invokedBy")?.text)
    }

    /// What a sign-in or role assumption needs of its caller, read without making the rest of an
    /// `Actor`: its name, MFA and access key, as `actor` gives them (nil exactly when `actor` is).
    static func caller<Identity: JSONMemberReading>(_ identity: Identity?, sourceIP: String?) -> (name: String, mfa: Bool?, accessKeyId: String?)? {
        guard let identity else { return sourceIP == nil ? nil : ("unknown", nil, nil) }
        let name = identity.member(ignoringCase: "arn")?.text ?? identity.member(ignoringCase: "invokedBy")?.text
            ?? identity.member(ignoringCase: "userName")?.text ?? identity.member(ignoringCase: "principalId")?.text
            ?? identity.member(ignoringCase: "type")?.text ?? "unknown"
        let mfa = identity.member(ignoringCase: "sessionContext")?.member(ignoringCase: "attributes")?.member(ignoringCase: "mfaAuthenticated")?.bool
        return (name, mfa, identity.member(ignoringCase: "accessKeyId")?.text)
    }
}
