import MirrorwatchModel

/// Evaluates who can configure mirroring, the way each platform decides:
///
/// - AWS: an explicit `Deny` in any identity policy, permissions boundary or SCP wins; otherwise an
///   identity policy must allow the action and, when the principal has a boundary, the boundary
///   too. `Action`/`NotAction`, `Resource`/`NotResource` and wildcards are honoured; conditions on
///   `aws:PrincipalArn` and `aws:PrincipalAccount` are judged, others make the result conditional.
/// - GCP: a binding of a role holding `compute.packetMirrorings.create|update|delete` (custom
///   roles from the inputs, predefined roles from a built-in table), less deny policies; binding
///   conditions make it conditional. Group membership is not in the exports: a group is a principal.
/// - Azure: a role assignment whose definition's `actions` minus `notActions` cover the TAP
///   actions, less deny assignments at or above the assignment's scope.
public struct AccessEvaluator {
    private let facts: AccessFacts
    private let policies: [String: PermissionPolicy]

    public init(facts: AccessFacts) {
        self.facts = facts
        var policies: [String: PermissionPolicy] = [:]
        for policy in facts.policies { policies[policy.id.lowercased()] = policy }
        self.policies = policies
    }

    /// One verdict per principal that holds any grant, ordered by platform and name.
    public func evaluate() -> [AccessVerdict] {
        var seen = Set<AccessPrincipal>()
        let principals = facts.principals.filter { seen.insert($0).inserted }
        return principals.map(evaluate).sorted { ($0.principal.platform, $0.principal.name.lowercased()) < ($1.principal.platform, $1.principal.name.lowercased()) }
    }

    func evaluate(_ principal: AccessPrincipal) -> AccessVerdict {
        let holders = Set([principal.id.lowercased()] + principal.groups.map { $0.lowercased() })
        let grants = facts.grants.filter { $0.platform == principal.platform && holders.contains($0.holder.lowercased()) }
        let matcher = StatementMatcher(principal: principal)
        var unresolved: [String] = []
        // The statements each grant brings, resolved once.
        var resolved: [(grant: AccessGrant, policy: String, statements: [PermissionStatement])] = []
        for grant in grants {
            if let (name, statements) = statements(for: grant) {
                resolved.append((grant, name, statements))
            } else if !unresolved.contains(grant.policy) {
                unresolved.append(grant.policy)
            }
        }
        let guardrails = facts.guardrails.filter { applies($0, to: principal) }
        let actions = MirroringPermissions.writeActions(principal.platform).map { action in
            evaluate(action: action, resolved: resolved, guardrails: guardrails, matcher: matcher)
        }
        return AccessVerdict(principal: principal, level: actions.map(\.level).max() ?? .cannot, actions: actions,
                             scopes: Array(Set(grants.map(\.scope).filter { !$0.isEmpty })).sorted(), unresolvedRoles: unresolved,
                             evidence: [principal.evidence] + grants.map(\.evidence).filter { $0 != principal.evidence })
    }

    private func evaluate(action: String, resolved: [(grant: AccessGrant, policy: String, statements: [PermissionStatement])],
                          guardrails: [AccessGuardrail], matcher: StatementMatcher) -> AccessVerdict.ActionResult {
        var allowedBy: [String] = [], blockedBy: [String] = [], conditions: [String] = []
        var allowed = false, allowedUnconditionally = false, denied = false, maybeDenied = false
        // Allowed by a grant, but only where a deny assignment covers that grant's whole scope.
        var allowedOnlyWhereDenied = false
        var boundaries = 0, boundaryAllows = false
        // Grants whose scope a deny assignment covers entirely (Azure), by grant index.
        for (grant, name, statements) in resolved {
            if grant.kind == .boundary { boundaries += 1 }
            for statement in statements where StatementMatcher.covers(statement, action: action) && matcher.resourcesApply(statement) {
                let holds = matcher.conditionsHold(statement.conditions)
                if holds == false { continue }
                let grantCondition = grant.condition.map { [$0.description] } ?? []
                let clauses = (holds == nil ? statement.conditions.map(\.description) : []) + grantCondition
                let text = grant.route + (grant.route.contains(name) ? "" : " (\(name))") + ", \(statement.label)\(StatementMatcher.scoped(statement))"
                    + (clauses.isEmpty ? "" : " when " + clauses.joined(separator: " and "))
                switch (statement.effect, grant.kind) {
                case (.deny, _):
                    if clauses.isEmpty { denied = true } else { maybeDenied = true; conditions += clauses }
                    blockedBy.append(text)
                case (.allow, .boundary):
                    boundaryAllows = true
                case (.allow, .identity):
                    if let blocker = blockingGuardrail(for: grant, action: action, guardrails: guardrails, matcher: matcher) {
                        blockedBy.append(blocker.text)
                        if blocker.conditional {
                            maybeDenied = true
                        } else {
                            allowedBy.append(text)
                            allowedOnlyWhereDenied = true
                            continue
                        }
                    }
                    blockedBy += narrowerDenies(below: grant, action: action, guardrails: guardrails)
                    allowed = true
                    if clauses.isEmpty { allowedUnconditionally = true } else { conditions += clauses }
                    allowedBy.append(text)
                }
            }
        }
        // Guardrails that deny regardless of grant scope (SCPs, deny policies): explicit denies.
        for guardrail in guardrails where guardrail.platform != .azure {
            for statement in guardrail.policy.statements where statement.effect == .deny && StatementMatcher.covers(statement, action: action) && matcher.resourcesApply(statement) {
                let holds = matcher.conditionsHold(statement.conditions)
                if holds == false { continue }
                let text = "\(guardrail.kind) \(guardrail.policy.name) (\(statement.label))" + (holds == nil ? " when " + statement.conditions.map(\.description).joined(separator: " and ") : "")
                blockedBy.append(text)
                if holds == true { denied = true } else { maybeDenied = true; conditions += statement.conditions.map(\.description) }
            }
        }
        let level: AccessVerdict.Level
        if !allowed {
            level = allowedOnlyWhereDenied ? .denied : .cannot
        } else if denied {
            level = .denied
        } else if boundaries > 0 && !boundaryAllows {
            blockedBy.append("not allowed by the permissions boundary")
            level = .denied
        } else {
            level = allowedUnconditionally && !maybeDenied ? .can : .conditional
        }
        return AccessVerdict.ActionResult(action: action, level: level, allowedBy: allowedBy, blockedBy: blockedBy, conditions: Array(Set(conditions)).sorted())
    }

    /// An Azure deny assignment at or above the grant's scope that denies the action.
    private func blockingGuardrail(for grant: AccessGrant, action: String, guardrails: [AccessGuardrail],
                                   matcher: StatementMatcher) -> (text: String, conditional: Bool)? {
        for guardrail in guardrails where guardrail.platform == .azure {
            let scope = (guardrail.scope ?? "").lowercased()
            guard grant.scope.lowercased().hasPrefix(scope) else { continue }
            for statement in guardrail.policy.statements where StatementMatcher.covers(statement, action: action) {
                return ("\(guardrail.kind) \(guardrail.policy.name) at \(guardrail.scope ?? "root") (\(statement.label))", !statement.conditions.isEmpty)
            }
        }
        return nil
    }

    /// Azure deny assignments below the grant's scope: the grant still works elsewhere, not there.
    private func narrowerDenies(below grant: AccessGrant, action: String, guardrails: [AccessGuardrail]) -> [String] {
        guardrails.filter { guardrail in
            guard guardrail.platform == .azure, let scope = guardrail.scope?.lowercased() else { return false }
            return scope != grant.scope.lowercased() && scope.hasPrefix(grant.scope.lowercased())
                && guardrail.policy.statements.contains { StatementMatcher.covers($0, action: action) }
        }.map { "except under \($0.scope ?? "?") (\($0.kind) \($0.policy.name))" }
    }

    private func applies(_ guardrail: AccessGuardrail, to principal: AccessPrincipal) -> Bool {
        guard guardrail.platform == principal.platform else { return false }
        let names = Set([principal.id.lowercased()] + principal.aliases.map { $0.lowercased() })
        if guardrail.exceptPrincipals.contains(where: { names.contains($0.lowercased()) }) { return false }
        return guardrail.principals.isEmpty || guardrail.principals.contains { names.contains($0.lowercased()) }
    }

    /// The policy a grant names, with its statements: read from the inputs, else a built-in role.
    private func statements(for grant: AccessGrant) -> (String, [PermissionStatement])? {
        let key = grant.policy.lowercased()
        if let policy = policies[key] { return (policy.name, policy.statements) }
        switch grant.platform {
        case .aws:
            return BuiltInRoles.aws[grant.policy].map { (grant.policy.split(separator: "/").last.map(String.init) ?? grant.policy, $0) }
        case .gcp:
            return BuiltInRoles.gcp[grant.policy].map { (grant.policy, [PermissionStatement(effect: .allow, actions: $0, label: "predefined role")]) }
        case .azure:
            // By definition id (the GUID at its end), by a definition read under another id spelling, or by name.
            let guid = key.split(separator: "/").last.map(String.init) ?? key
            if let policy = facts.policies.first(where: { $0.platform(isAzure: true) && ($0.id.lowercased().hasSuffix("/" + guid) || $0.id.lowercased() == guid) }) {
                return (policy.name, policy.statements)
            }
            let name = (facts.roleNames[key] ?? grant.policy).lowercased()
            if let policy = facts.policies.first(where: { $0.name.lowercased() == name }) { return (policy.name, policy.statements) }
            if let builtIn = BuiltInRoles.azure.first(where: { $0.guid == guid || $0.name.lowercased() == name }) {
                return (builtIn.name, [PermissionStatement(effect: .allow, actions: builtIn.actions, notActions: builtIn.notActions, label: "built-in role")])
            }
            return nil
        default:
            return nil
        }
    }
}

private extension PermissionPolicy {
    /// Azure role definitions are identified by resource ids under Microsoft.Authorization.
    func platform(isAzure: Bool) -> Bool { id.lowercased().contains("microsoft.authorization/roledefinitions") == isAzure }
}
