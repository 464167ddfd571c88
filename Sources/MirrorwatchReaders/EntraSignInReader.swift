import Foundation
import MirrorwatchJSON
import MirrorwatchModel

/// Microsoft Entra ID sign-in logs: the diagnostic-settings export (JSON lines in storage,
/// `{"records": [...]}` from Event Hub, category `SignInLogs` and its non-interactive and
/// service-principal siblings) and Microsoft Graph `auditLogs/signIns` (`{"value": [...]}`).
/// Each sign-in says who, from where, with which client, and whether MFA was required.
public enum EntraSignInReader {
    static let format = InputFormat(kind: .entraSignIn, recognizes: { head in
        head.contains("SignInLogs") || head.hasKey("authenticationRequirement")
            || (head.hasKey("userPrincipalName") && head.hasKey("createdDateTime"))
    }, stream: { input, options in read(input, options: options) })

    private static let reader = JSONRecordReader(resyncMarker: "{\"time\"")

    /// Reads the log window by window; every sign-in is decoded (each one is identity context).
    public static func read(_ input: some ByteWindows, options: ReaderOptions) -> ReadResult {
        var events: [AuthEvent] = []
        var result = reader.read(input, format: "entra-signin") { record, evidence, result in
            let p = record["properties"] ?? record
            guard let who = p.member(anyOf: "userPrincipalName", "servicePrincipalName", "appDisplayName")?.text,
                  let time = (p["createdDateTime"] ?? record["time"])?.text.flatMap({ Timestamp.parse($0) }) else {
                result.report.problem(evidence.position, "sign-in without user or time"); return
            }
            result.report.relevant += 1
            let code = p.at("status", "errorCode")?.int ?? record["resultType"]?.text.flatMap { Int($0) } ?? 0
            let requirement = p["authenticationRequirement"]?.text
            let mfaStep = (p["authenticationDetails"]?.elements ?? []).contains {
                $0["succeeded"]?.bool == true && ($0["authenticationStepRequirement"]?.text?.localizedCaseInsensitiveContains("multi") ?? false)
            }
            let mfa: Bool? = mfaStep || requirement == "multiFactorAuthentication" ? true
                : requirement == "singleFactorAuthentication" ? false : nil
            events.append(AuthEvent(kind: .signIn, operation: "Entra ID sign-in (\(p["appDisplayName"]?.text ?? "app"))", platform: .azure,
                                    scope: Scope(account: record["tenantId"]?.text), time: time, principal: who,
                                    sourceIP: p["ipAddress"]?.text ?? record["callerIpAddress"]?.text, userAgent: p["userAgent"]?.text,
                                    mfa: mfa, succeeded: code == 0, evidence: evidence))
        }
        result.authEvents = events
        return result
    }
}
