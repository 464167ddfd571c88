import Foundation
import MirrorwatchModel

/// Whether a statement applies to an action, for a principal: action patterns, resource patterns
/// and the condition keys that the exports let us judge.
struct StatementMatcher {
    let principal: AccessPrincipal

    /// How much of an action's resources a statement reaches.
    enum Reach: Equatable {
        case none
        /// Some resources only (a region, another account's, one resource type of several).
        case partial
        /// Every resource the action needs, in every region of the principal's account.
        case all
    }

    /// The statement names the action (`Action` minus `NotAction`; or everything but `NotAction`).
    /// Actions compare ignoring case, as IAM does.
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

    /// How far the statement's `Resource`/`NotResource` reach the resources `action` needs (AWS;
    /// GCP, Azure and device statements name no resources and reach everything). An Allow needs
    /// every required resource type; a Deny blocks when it reaches one of them everywhere.
    func reach(_ statement: PermissionStatement, action: String) -> Reach {
        if statement.resources.isEmpty && statement.notResources.isEmpty { return .all }
        let types = MirroringPermissions.awsResourceTypes[action] ?? MirroringPermissions.allAWSResourceTypes
        let perType = types.map { type -> Reach in
            if !statement.notResources.isEmpty {
                let excluded = statement.notResources.map { reach(pattern: $0, type: type) }
                if excluded.contains(.all) { return .none }
                return excluded.contains(.partial) ? .partial : .all
            }
            let reached = statement.resources.map { reach(pattern: $0, type: type) }
            return reached.contains(.all) ? .all : reached.contains(.partial) ? .partial : .none
        }
        switch statement.effect {
        case .allow:
            if perType.contains(.none) { return .none }
            return perType.allSatisfy { $0 == .all } ? .all : .partial
        case .deny:
            if perType.contains(.all) { return .all }
            return perType.contains(.partial) ? .partial : .none
        }
    }

    /// One resource pattern against one resource type of the principal's account. ARNs compare
    /// case-sensitively, part by part; a region or account part reaches everywhere only when it is all `*`.
    private func reach(pattern: String, type: String) -> Reach {
        if pattern.allSatisfy({ $0 == "*" }) { return .all }
        let parts = pattern.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 6, Wildcard.matches(parts[2], "ec2", questionMark: true, caseSensitive: true),
              Wildcard.matches(parts[5], type + "/x-0", questionMark: true, caseSensitive: true) else { return .none }
        let accountOK = principal.account.map { Wildcard.matches(parts[4], $0, questionMark: true, caseSensitive: true) } ?? true
        guard accountOK else { return .none }
        let everyRegion = parts[3].allSatisfy { $0 == "*" }
        let everyAccount = parts[4].allSatisfy { $0 == "*" } || parts[4] == principal.account
        return everyRegion && everyAccount && parts[5].hasSuffix("*") ? .all : .partial
    }

    /// The resource scope of a statement, for the explanation.
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
    /// String and ARN operators compare case-sensitively (except `...IgnoreCase`); `ArnLike`
    /// matches each of the six ARN parts on its own. Set operators (`ForAnyValue:`) are not judged.
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
        let base = op.replacingOccurrences(of: "Not", with: "")
        let any: Bool
        switch base {
        case "StringEquals": any = clause.values.contains { $0 == value }
        case "StringEqualsIgnoreCase": any = clause.values.contains { $0.lowercased() == value.lowercased() }
        case "StringLike": any = clause.values.contains { Wildcard.matches($0, value, questionMark: true, caseSensitive: true) }
        case "ArnEquals", "ArnLike": any = clause.values.contains { Self.arnMatches($0, value) }
        default: return nil
        }
        return negated ? !any : any
    }

    /// `ArnLike`: the six colon-separated parts each match on their own, case-sensitively.
    static func arnMatches(_ pattern: String, _ arn: String) -> Bool {
        let p = pattern.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        let a = arn.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        guard p.count == 6, a.count == 6 else { return Wildcard.matches(pattern, arn, questionMark: true, caseSensitive: true) }
        return zip(p, a).allSatisfy { Wildcard.matches(String($0), String($1), questionMark: true, caseSensitive: true) }
    }
}
