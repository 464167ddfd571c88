import MirrorwatchModel

/// Where a guardrail (SCP, GCP deny policy, Azure deny assignment) reaches: which principals,
/// and which grants by their scope. What the exports cannot tell (group membership, folder
/// contents, SCP attachments not read) is `maybe`, with the reason.
enum GuardrailScope {
    enum Applies: Equatable {
        case yes, no
        case maybe(String)
    }

    /// How much of a grant's scope a guardrail covers.
    enum Cover: Equatable {
        case none
        /// The grant still works elsewhere (the guardrail sits below it, or only at its exact scope).
        case partial(String)
        case maybe(String)
        case whole
    }

    static func principal(_ guardrail: AccessGuardrail, _ principal: AccessPrincipal, targets: [String]?) -> Applies {
        guard guardrail.platform == principal.platform else { return .no }
        if guardrail.platform == .aws { return scp(guardrail, principal, targets: targets) }
        let names = Set(([principal.id, principal.name] + principal.aliases).map { $0.lowercased() })
        if (guardrail.exceptPrincipals + guardrail.exceptGroups).contains(where: { names.contains($0.lowercased()) }) { return .no }
        var applies: Applies
        if guardrail.principals.isEmpty && guardrail.principalSets.isEmpty || guardrail.principals.contains(where: { names.contains($0.lowercased()) }) {
            applies = .yes
        } else if !guardrail.principalSets.isEmpty {
            applies = .maybe("if \(principal.display) belongs to \(guardrail.principalSets.joined(separator: ", "))")
        } else {
            return .no
        }
        let exemptGroups = guardrail.exceptGroups.filter { !names.contains($0.lowercased()) }
        if !exemptGroups.isEmpty && principal.type.lowercased() != "group" {
            let unless = "unless \(principal.display) is a member of \(exemptGroups.joined(separator: ", "))"
            if case .maybe(let why) = applies { applies = .maybe(why + ", " + unless) } else { applies = .maybe(unless) }
        }
        return applies
    }

    /// SCPs restrict every principal of the accounts they are attached to, except the management
    /// account and service-linked roles.
    private static func scp(_ guardrail: AccessGuardrail, _ principal: AccessPrincipal, targets: [String]?) -> Applies {
        if let exempt = guardrail.exemptAccount, principal.account == exempt { return .no }
        if principal.id.contains(":role/aws-service-role/") { return .no }
        let account = principal.account ?? "?"
        guard let targets else {
            return .maybe("if \(guardrail.policy.name) is attached to account \(account) (its targets were not read: aws organizations list-targets-for-policy)")
        }
        if targets.contains(where: { $0 == account || $0.hasPrefix("r-") }) { return .yes }
        let units = targets.filter { $0.hasPrefix("ou-") }
        return units.isEmpty ? .no : .maybe("if account \(account) is in \(units.joined(separator: ", "))")
    }

    /// Whether a guardrail attached at its scope covers a grant at `scope` (GCP, Azure).
    static func grant(_ guardrail: AccessGuardrail, scope: String) -> Cover {
        guard let attached = guardrail.scope?.lowercased(), !attached.isEmpty else { return .whole }
        let granted = scope.lowercased()
        switch guardrail.platform {
        case .gcp:
            if attached == granted || attached.hasPrefix("organizations/") { return .whole }
            if attached.hasPrefix("folders/") { return .maybe("if \(scope) is under \(attached)") }
            if attached.hasPrefix("projects/"), attached.dropFirst("projects/".count).allSatisfy(\.isNumber), granted.hasPrefix("projects/") {
                return .maybe("if \(attached) is \(scope)")
            }
            return .none
        case .azure:
            // Path segments, not text: a deny at .../prod does not reach .../prod-tap.
            if granted == attached || granted.hasPrefix(attached + "/") {
                // TAPs live below any scope an assignment is made at: a deny that skips child scopes misses them.
                return guardrail.appliesToChildScopes ? .whole : .partial("applies at exactly \(guardrail.scope ?? attached), not to TAPs below it")
            }
            if attached.hasPrefix(granted + "/") { return .partial("except under \(guardrail.scope ?? attached)") }
            return .none
        default:
            return .whole
        }
    }
}
