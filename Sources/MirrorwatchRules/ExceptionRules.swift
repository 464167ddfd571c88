import Foundation
import MirrorwatchModel
import MirrorwatchPolicy

/// Applies policy exceptions: a live exception downgrades a matching finding to `info` and
/// names itself; an expired one leaves the finding as it is and raises `mirror.exception.expired`.
public enum ExceptionRules {
    /// Exceptions that matched nothing in this run.
    public struct Outcome: Sendable {
        public var findings: [Finding]
        public var unused: [PolicyException]
    }

    public static func apply(to findings: [Finding], context: RuleContext) -> Outcome {
        let exceptions = context.policy.exceptions
        guard !exceptions.isEmpty else { return Outcome(findings: findings, unused: []) }
        var result: [Finding] = []
        var expiredMatches: [String: [Finding]] = [:]
        var used = Set<String>()
        for var finding in findings {
            for exception in exceptions where matches(exception, finding) {
                used.insert(exception.id)
                if exception.expires <= context.now {
                    expiredMatches[exception.id, default: []].append(finding)
                    continue
                }
                finding.originalSeverity = finding.severity
                finding.severity = .info
                finding.exception = exception.id
                finding.why += " Accepted by exception \(exception.id) (owner \(exception.owner): \(exception.justification)\(exception.ticket.map { ", ticket \($0)" } ?? ""); valid until \(exception.expiresText))."
                break
            }
            result.append(finding)
        }
        for exception in exceptions {
            guard let matched = expiredMatches[exception.id] else { continue }
            let first = matched.min { $0.time < $1.time }!
            var finding = Finding(
                rule: RuleID.expiredException, severity: .medium,
                title: "Exception \(exception.id) expired on \(exception.expiresText) but still matches",
                why: "Exception \(exception.id) (owner \(exception.owner), \(exception.location)) for \(exception.rule) expired on \(exception.expiresText), yet \(matched.count) finding(s) still match it (first: \(first.title)). They are reported at full severity.",
                benignIf: "The owner renews the exception with a new expiry and justification, or the mirroring it covered is removed.",
                // Not `exception`: that field names an exception that downgraded the finding (and the
                // service keeps such findings suppressed); this one is raised because none applies.
                platform: first.platform, time: first.time, scope: first.scope, subject: exception.id,
                evidence: [Evidence(input: context.policy.origin, line: Int(exception.location.split(separator: ":").last ?? ""))] + first.evidence)
            finding.resourceRefs = first.resourceRefs
            result.append(finding)
        }
        return Outcome(findings: result, unused: exceptions.filter { !used.contains($0.id) })
    }

    /// One spelling of a reference: provider forms reduced (`ResourceRef.normalize`), a device's
    /// interface (`core-sw1:Gi1/0/13`) in its full name.
    static func spelled(_ reference: String) -> String {
        let normalized = ResourceRef.normalize(reference)
        guard !normalized.hasPrefix("arn:"), !normalized.contains("://"), let colon = normalized.firstIndex(of: ":") else { return normalized }
        let device = normalized[..<colon], rest = normalized[normalized.index(after: colon)...]
        // Only what reads as an interface name (letters, then a digit or a wildcard, no spaces) is expanded.
        guard !device.contains("/"), let first = rest.first, first.isLetter, rest.contains(where: { $0.isNumber || $0 == "*" }),
              !rest.contains(" ") else { return normalized }
        return InterfaceName.endpointId(device: String(device), String(rest))
    }

    static func matches(_ exception: PolicyException, _ finding: Finding) -> Bool {
        guard IdentityPattern(exception.rule).matches(finding.rule) else { return false }
        let match = exception.match
        // References compare however the provider spells them (a GCP URL or path, an Azure id in
        // any case, a device interface abbreviated), as approved destinations do.
        func anyRef(_ wanted: String, _ refs: [String]) -> Bool {
            let pattern = IdentityPattern(Self.spelled(wanted))
            return refs.contains { pattern.matches(Self.spelled($0)) }
        }
        if let resource = match.resource, !anyRef(resource, finding.resourceRefs + [finding.change?.resource].compactMap { $0 }) { return false }
        if let destination = match.destination, !anyRef(destination, finding.destinationRefs) { return false }
        if let actor = match.actor {
            guard let who = finding.actor, actor.matches(who) else { return false }
        }
        if let account = match.account, finding.scope.account?.lowercased() != account.lowercased() { return false }
        if let device = match.device, !(finding.scope.device.map { IdentityPattern(device).matches($0) } ?? false) { return false }
        return match.resource != nil || match.destination != nil || match.actor != nil || match.account != nil || match.device != nil
    }
}
