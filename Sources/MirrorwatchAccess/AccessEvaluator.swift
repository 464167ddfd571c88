import MirrorwatchModel

/// Evaluates who can configure mirroring, the way each platform decides:
///
/// - AWS: an explicit `Deny` in any identity policy, permissions boundary or SCP wins; otherwise an
///   identity policy must allow the action on every resource type it needs and, when the principal
///   has a boundary, the boundary too. `Action`/`NotAction`, `Resource`/`NotResource` and
///   wildcards are honoured; a Deny limited to some regions or resources blocks only there.
///   Conditions on `aws:PrincipalArn` and `aws:PrincipalAccount` are judged, others make the
///   result conditional. SCPs never restrict the management account or service-linked roles,
///   and restrict other accounts only where they are attached.
/// - GCP: a binding of a role holding `compute.packetMirrorings.create|update|delete` (custom
///   roles from the inputs, predefined roles from a built-in table), less deny policies attached
///   at or above the binding's resource; binding conditions make it conditional. Group membership
///   is not in the exports: a group is a principal, and an exemption through a group is a condition.
/// - Azure: a role assignment whose definition's `actions` minus `notActions` cover the TAP
///   actions, less deny assignments at or above the assignment's scope.
public struct AccessEvaluator {
    private let facts: AccessFacts
    private let policies: [String: PermissionPolicy]
    /// Grants by platform and holder (lowercased), so each principal finds its own without a scan.
    private let grantsByHolder: [String: [AccessGrant]]

    public init(facts: AccessFacts) {
        self.facts = facts
        var policies: [String: PermissionPolicy] = [:]
        for policy in facts.policies { policies[policy.id.lowercased()] = policy }
        self.policies = policies
        grantsByHolder = Dictionary(grouping: facts.grants) { "\($0.platform.rawValue)|\($0.holder.lowercased())" }
    }

    /// One verdict per principal, ordered by platform and name.
    public func evaluate() -> [AccessVerdict] {
        var seen = Set<AccessPrincipal>()
        let principals = facts.principals.filter { seen.insert($0).inserted }
        return principals.map(evaluate).sorted { ($0.principal.platform, $0.principal.display.lowercased()) < ($1.principal.platform, $1.principal.display.lowercased()) }
    }

    /// A grant with the statements its policy holds.
    struct ResolvedGrant {
        var grant: AccessGrant
        var policyName: String
        var statements: [PermissionStatement]
    }

    func evaluate(_ principal: AccessPrincipal) -> AccessVerdict {
        let holders = Set([principal.id.lowercased()] + principal.groups.map { $0.lowercased() })
        let grants = holders.sorted().flatMap { grantsByHolder["\(principal.platform.rawValue)|\($0)"] ?? [] }
        var unresolved: [String] = []
        var resolved: [ResolvedGrant] = []
        for grant in grants {
            if let (name, statements) = statements(for: grant) {
                resolved.append(ResolvedGrant(grant: grant, policyName: name, statements: statements))
            } else if !unresolved.contains(grant.policy) {
                unresolved.append(grant.policy)
            }
        }
        let guardrails = facts.guardrails.compactMap { guardrail -> (AccessGuardrail, GuardrailScope.Applies)? in
            let applies = GuardrailScope.principal(guardrail, principal, targets: targets(of: guardrail))
            return applies == .no ? nil : (guardrail, applies)
        }
        let matcher = StatementMatcher(principal: principal)
        let actions = MirroringPermissions.writeActions(principal.platform).map { action in
            ActionEvaluation(action: action, matcher: matcher).run(resolved, guardrails: guardrails)
        }
        let credential = facts.credentials[principal.id.lowercased()]
        return AccessVerdict(principal: principal, level: actions.map(\.level).max() ?? .cannot, actions: actions,
                             scopes: Array(Set(grants.map(\.scope).filter { !$0.isEmpty })).sorted(), unresolvedRoles: unresolved,
                             evidence: [principal.evidence] + grants.map(\.evidence).filter { $0 != principal.evidence } + (credential.map { [$0.evidence] } ?? []),
                             credential: credential)
    }

    /// Where an SCP is attached, when `list-targets-for-policy` output was read.
    private func targets(of guardrail: AccessGuardrail) -> [String]? {
        guard guardrail.platform == .aws else { return nil }
        let id = guardrail.policy.id.split(separator: "/").last.map(String.init) ?? guardrail.policy.id
        return facts.policyTargets[id] ?? guardrail.targets
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
            let definitions = facts.policies.filter { $0.id.lowercased().contains("microsoft.authorization/roledefinitions") }
            if let policy = definitions.first(where: { $0.id.lowercased().hasSuffix("/" + guid) }) { return (policy.name, policy.statements) }
            let name = (facts.roleNames[key] ?? grant.policy).lowercased()
            if let policy = definitions.first(where: { $0.name.lowercased() == name }) { return (policy.name, policy.statements) }
            if let builtIn = BuiltInRoles.azure.first(where: { $0.guid == guid || $0.name.lowercased() == name }) {
                return (builtIn.name, [PermissionStatement(effect: .allow, actions: builtIn.actions, notActions: builtIn.notActions, label: "built-in role")])
            }
            return nil
        default:
            return nil
        }
    }
}
