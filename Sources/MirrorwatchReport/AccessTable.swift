import Foundation
import Mirrorwatch

/// The least-privilege review as text: each principal that can (or is denied, or may under
/// conditions) configure mirroring, whether it is authorized, and the grants on the way.
public enum AccessTable {
    public static func render(_ verdicts: [AccessVerdict], policy: Policy, includeCannot: Bool = false) -> String {
        var out = "ACCESS: who can configure mirroring\n"
        let shown = verdicts.filter { includeCannot || $0.level > .cannot }
        if shown.isEmpty { return out + "(no principal of the IAM exports read holds a mirroring write permission)\n" }
        for verdict in shown {
            let principal = verdict.principal
            let authorized = AccessRules.authorization(of: principal, policy: policy)
            let flag = verdict.level >= .conditional && authorized == nil ? "EXCESSIVE" : authorized != nil ? "authorized" : ""
            out += "\(principal.platform.rawValue)  \(principal.type) \(principal.display)  \(verdict.level)\(verdict.canCopyTraffic ? " (can send traffic somewhere new)" : "")  \(flag)\(authorized.map { " by \($0.text)" } ?? "")\n"
            for level in [AccessVerdict.Level.can, .conditional, .denied] {
                let actions = verdict.actions.filter { $0.level == level }.map(\.action)
                if !actions.isEmpty { out += "    \(level):".padding(toLength: 18, withPad: " ", startingAt: 0) + actions.joined(separator: ", ") + "\n" }
            }
            for line in Array(Set(verdict.actions.flatMap(\.allowedBy))).sorted() { out += "      granted by \(line)\n" }
            for line in Array(Set(verdict.actions.flatMap(\.blockedBy))).sorted() { out += "      blocked by \(line)\n" }
            if !verdict.unresolvedRoles.isEmpty { out += "      roles without definitions: \(verdict.unresolvedRoles.joined(separator: ", "))\n" }
            let risks = AccessRules.credentialRisks(verdict.credential, now: Date())
            if !risks.isEmpty { out += "      credentials: \(risks.joined(separator: "; "))\n" }
        }
        let unresolved = Set(verdicts.flatMap(\.unresolvedRoles))
        if !unresolved.isEmpty {
            out += "Roles named but not defined in the inputs (add `gcloud iam roles describe` / `az role definition list` output): \(unresolved.sorted().joined(separator: ", "))\n"
        }
        return out
    }
}
