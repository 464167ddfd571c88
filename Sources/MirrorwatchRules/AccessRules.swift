import Foundation
import MirrorwatchAccess
import MirrorwatchModel
import MirrorwatchPolicy

/// `access.excessive`: a principal can configure mirroring but is not in `authorized_identities`
/// (nor `break_glass_identities`), with the policy path that grants it.
public enum AccessRules {
    /// The authorized-identities entry a principal matches, if any.
    public static func authorization(of principal: AccessPrincipal, policy: Policy) -> IdentityPattern? {
        let names = [principal.id, principal.name] + principal.aliases
        return (policy.authorizedIdentities + policy.breakGlassIdentities).first { pattern in names.contains { pattern.matches($0) } }
    }

    public static func evaluate(_ verdicts: [AccessVerdict], context: RuleContext) -> [Finding] {
        verdicts.compactMap { verdict -> Finding? in
            guard verdict.level >= .conditional, authorization(of: verdict.principal, policy: context.policy) == nil else { return nil }
            let principal = verdict.principal
            let granted = verdict.grantedActions
            let isPublic = ["allusers", "allauthenticatedusers", "domain"].contains(principal.type.lowercased())
            var severity: Severity = isPublic ? .high : verdict.level == .can && verdict.canCopyTraffic ? .medium : .low
            let credentialRisks = Self.credentialRisks(verdict.credential, now: context.now)
            if !credentialRisks.isEmpty && verdict.canCopyTraffic { severity = severity.raised }
            let reach = verdict.canCopyTraffic ? "can create or re-point mirroring (send copied traffic somewhere new)" : "can remove or narrow mirroring (blind the monitoring that relies on it)"
            var why = "\(principal.type) \(principal.display) \(reach): " + granted.map { action in
                action.action + (action.level == .conditional ? " (conditional)" : "")
            }.joined(separator: ", ") + ". Granted by " + Array(Set(granted.flatMap(\.allowedBy))).sorted().joined(separator: "; ") + "."
            let blocked = verdict.actions.filter { $0.level == .denied }
            if !blocked.isEmpty {
                why += " Blocked for " + blocked.map(\.action).joined(separator: ", ") + " by " + Array(Set(blocked.flatMap(\.blockedBy))).sorted().joined(separator: "; ") + "."
            }
            let conditions = Array(Set(granted.flatMap(\.conditions))).sorted()
            if !conditions.isEmpty { why += " Conditions that decide it: " + conditions.joined(separator: "; ") + "." }
            if !principal.trustedBy.isEmpty { why += " Who can become it: " + principal.trustedBy.joined(separator: ", ") + "." }
            if !credentialRisks.isEmpty { why += " Its credentials (credential report): " + credentialRisks.joined(separator: "; ") + "." }
            why += " It is not in authorized_identities."
            var finding = Finding(
                rule: RuleID.accessExcessive, severity: severity,
                title: "\(principal.display) can configure \(platformNoun(principal.platform)) but is not authorized",
                why: why,
                benignIf: "It needs to manage mirroring: add it to authorized_identities. Otherwise remove or narrow the grant (\(Array(Set(granted.flatMap(\.allowedBy))).sorted().first ?? "the grant")), or deny the mirroring actions (an SCP, deny policy or deny assignment).",
                platform: principal.platform, time: context.observationTime,
                scope: principal.device.map { Scope(device: $0) } ?? Scope(account: principal.account ?? verdict.scopes.first.map(accountOfScope)),
                subject: principal.id + "|access", actor: Actor(name: principal.id, type: principal.type),
                evidence: Array(verdict.evidence.prefix(8)), attack: ["T1020.001"])
            finding.resourceRefs = [principal.id, principal.name]
            finding.makeIdTimeless()
            return finding
        }
    }

    /// Access keys older than this are long-lived credentials (CIS AWS Foundations: rotate within 90 days).
    public static let maxAccessKeyAge: TimeInterval = 90 * 86400

    /// What makes a user's credentials easy to steal or misuse: a console password without MFA,
    /// active access keys not rotated for more than 90 days (as of the report's time, else `now`).
    public static func credentialRisks(_ entry: CredentialReportEntry?, now: Date) -> [String] {
        guard let entry else { return [] }
        var risks: [String] = []
        if entry.passwordEnabled && !entry.mfaActive { risks.append("a console password without MFA") }
        let asOf = entry.generated ?? now
        for (index, key) in entry.accessKeys.enumerated() where key.active {
            guard let rotated = key.lastRotated, asOf.timeIntervalSince(rotated) > maxAccessKeyAge else { continue }
            risks.append("access key \(index + 1) active and not rotated for \(Int(asOf.timeIntervalSince(rotated) / 86400)) days"
                         + (key.lastUsed.map { " (last used \(Timestamp.format($0)))" } ?? " (no recorded use)"))
        }
        return risks
    }

    static func platformNoun(_ platform: Platform) -> String {
        switch platform {
        case .aws: "AWS Traffic Mirroring"
        case .gcp: "GCP Packet Mirroring"
        case .azure: "Azure virtual network TAPs"
        case .junos: "port mirroring and analyzers"
        default: "SPAN/RSPAN/ERSPAN sessions"
        }
    }

    /// `projects/p` → `p`; `/subscriptions/S/...` → `S`; an AWS account (or a folder) stays itself.
    public static func accountOfScope(_ scope: String) -> String { ResourceRef.owner(of: scope) ?? scope }
}
