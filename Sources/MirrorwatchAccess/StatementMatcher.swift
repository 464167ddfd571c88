import Foundation
import MirrorwatchModel

/// Whether a statement applies to an action, for a principal: action patterns, resource patterns
/// and the condition keys that the exports let us judge.
struct StatementMatcher {
    let principal: AccessPrincipal

    /// The statement names the action (`Action` minus `NotAction`; or everything but `NotAction`).
    static func covers(_ statement: PermissionStatement, action: String) -> Bool {
        let named: Bool
        if statement.actions.isEmpty {
            guard !statement.notActions.isEmpty else { return false }
            named = true
        } else {
            named = statement.actions.contains { Wildcard.matches($0, action, questionMark: true) }
        }
        return named && !statement.notActions.contains { Wildcard.matches($0, action, questionMark: true) }
    }

    /// The statement's resources can include a mirroring resource of the principal's account.
    /// Empty resources (GCP, Azure) apply everywhere.
    func resourcesApply(_ statement: PermissionStatement) -> Bool {
        if !statement.notResources.isEmpty {
            return !MirroringPermissions.awsResourceSamples.allSatisfy { sample in statement.notResources.contains { arnPattern($0, matches: sample) } }
        }
        if statement.resources.isEmpty { return true }
        return statement.resources.contains { pattern in MirroringPermissions.awsResourceSamples.contains { arnPattern(pattern, matches: $0) } }
    }

    /// `arn:aws:ec2:*:111122223333:traffic-mirror-target/*` against a resource sample in the
    /// principal's account; any region.
    private func arnPattern(_ pattern: String, matches resource: String) -> Bool {
        if pattern == "*" { return true }
        let parts = pattern.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 6 else { return false }
        return Wildcard.matches(parts[2], "ec2", questionMark: true)
            && (principal.account.map { Wildcard.matches(parts[4], $0, questionMark: true) } ?? true)
            && Wildcard.matches(parts[5], resource, questionMark: true)
    }

    /// Whether a resource pattern list is narrower than everything (for the explanation).
    static func scoped(_ statement: PermissionStatement) -> String {
        if !statement.notResources.isEmpty { return " except on " + statement.notResources.joined(separator: ", ") }
        if statement.resources.isEmpty || statement.resources.contains("*") { return "" }
        return " on " + statement.resources.joined(separator: ", ")
    }

    /// Conditions judged against the principal: true (all hold), false (one fails), nil (cannot tell).
    func conditionsHold(_ clauses: [ConditionClause]) -> Bool? {
        var unknown = false
        for clause in clauses {
            switch evaluate(clause) {
            case false?: return false
            case nil: unknown = true
            default: break
            }
        }
        return unknown ? nil : true
    }

    /// Principal keys are known from the export: `aws:PrincipalArn`, `aws:PrincipalAccount`.
    private func evaluate(_ clause: ConditionClause) -> Bool? {
        guard let key = clause.key?.lowercased(), !clause.op.contains(":") else { return nil }
        let value: String?
        switch key {
        case "aws:principalarn": value = principal.id
        case "aws:principalaccount": value = principal.account
        default: return nil
        }
        guard let value else { return nil }
        var op = clause.op
        if op.hasSuffix("IfExists") { op.removeLast("IfExists".count) }
        let negated = op.contains("Not")
        let like = op.hasSuffix("Like") || op.hasPrefix("Arn")
        let base = op.replacingOccurrences(of: "Not", with: "")
        guard ["StringEquals", "StringLike", "ArnEquals", "ArnLike", "StringEqualsIgnoreCase"].contains(base) else { return nil }
        let any = clause.values.contains { like ? Wildcard.matches($0, value, questionMark: true) : $0.lowercased() == value.lowercased() }
        return negated ? !any : any
    }
}
