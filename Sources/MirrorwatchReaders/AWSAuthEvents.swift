import Foundation
import MirrorwatchJSON
import MirrorwatchModel

/// CloudTrail sign-ins and credential issuance: `ConsoleLogin` (with `MFAUsed`) and the
/// `AssumeRole` family, whose issued access key links later calls back to the caller.
enum AWSAuthEvents {
    static let names = CloudTrailEventNames(["ConsoleLogin", "AssumeRole", "AssumeRoleWithSAML", "AssumeRoleWithWebIdentity"])

    static func event(from event: CloudTrailEvent, evidence: Evidence) -> AuthEvent? {
        self.event(record: event.record, named: event.eventName, structured: { $0?.unwrappingEmbeddedJSON }, evidence: evidence)
    }

    /// The record's members read for an event, looked up together.
    private static let recordMembers = JSONMemberNames(["eventTime", "userIdentity", "responseElements", "requestParameters", "sourceIPAddress",
                                                        "userAgent", "recipientAccountId", "awsRegion", "errorCode", "additionalEventData"])

    /// The event in `record` (a decoded tree or a lazily read tape), named `eventName`;
    /// `structured` reads a member that may be stored as JSON text.
    static func event<Record: JSONMemberReading>(record: Record, named eventName: String, structured: (Record?) -> Record?,
                                                 evidence: Evidence) -> AuthEvent? {
        guard names.contains(eventName) else { return nil }
        let members = record.members(ignoringCase: recordMembers)
        let (eventTime, sourceIP, userAgent) = (members[0], members[4]?.text, members[5]?.text)
        guard let time = eventTime?.text.flatMap({ Timestamp.parse($0) }) else { return nil }
        let identity = structured(members[1])
        let response = structured(members[2])
        let caller = AWSIdentity.caller(identity, sourceIP: sourceIP)
        let scope = Scope(account: members[6]?.text ?? identity?.member(ignoringCase: "accountId")?.text, region: members[7]?.text)
        let failed = members[8] != nil
        if eventName == "ConsoleLogin" {
            let result = response?.member(ignoringCase: "ConsoleLogin")?.text
            let mfaUsed = structured(members[9])?.member(ignoringCase: "MFAUsed")?.text
            // A federated console sign-in (IAM Identity Center) carries the session's own MFA attribute.
            let mfa = mfaUsed.map { Self.same($0, "yes") } ?? caller?.mfa
            return AuthEvent(kind: .signIn, operation: eventName, platform: .aws, scope: scope, time: time, principal: caller?.name ?? "unknown",
                             issuedIdentity: caller?.name, sourceIP: sourceIP, userAgent: userAgent, mfa: mfa,
                             succeeded: !failed && result.map { Self.same($0, "success") } ?? !failed,
                             evidence: evidence)
        }
        // AssumeRole*: the caller is the identity (for SAML and web identity, the federated
        // subject is in the response); the credentials issued are what later calls present.
        let subject = response?.member(ignoringCase: "subject")?.text
            ?? (eventName == "AssumeRole" ? nil : identity?.member(ignoringCase: "userName")?.text)
        let principal = eventName == "AssumeRole" ? (caller?.name ?? "unknown")
            : identity?.member(ignoringCase: "principalId")?.text ?? subject ?? "unknown"
        let issued = response?.at("assumedRoleUser", "arn")?.text ?? structured(members[3])?.member(ignoringCase: "roleArn")?.text
        return AuthEvent(kind: .assumeRole, operation: eventName, platform: .aws, scope: scope, time: time, principal: principal, subject: subject,
                         issuedIdentity: issued, issuedAccessKey: response?.at("credentials", "accessKeyId")?.text, callerAccessKey: caller?.accessKeyId,
                         sourceIP: sourceIP, userAgent: userAgent, mfa: caller?.mfa, succeeded: !failed, evidence: evidence)
    }

    /// Whether `text` equals `lower` (lower-case ASCII) ignoring case, as Foundation's
    /// `caseInsensitiveCompare` says, without Foundation for ASCII text.
    private static func same(_ text: String, _ lower: String) -> Bool {
        text.isASCII ? text.asciiLowercased == lower : text.caseInsensitiveCompare(lower) == .orderedSame
    }
}
