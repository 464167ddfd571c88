import MirrorwatchModel

/// One mirroring action for one principal: the grants that allow it, the denies, boundaries and
/// guardrails that block it (or may), and the level that results.
struct ActionEvaluation {
    let action: String
    let matcher: StatementMatcher

    private var allowedBy: [String] = []
    private var blockedBy: [String] = []
    private var conditions: [String] = []
    private var allowedCleanly = false, allowedConditionally = false, allowedOnlyWhereDenied = false
    private var denied = false, maybeDenied = false
    private var boundaries = 0, boundaryAllows = false

    init(action: String, matcher: StatementMatcher) {
        self.action = action
        self.matcher = matcher
    }

    func run(_ resolved: [AccessEvaluator.ResolvedGrant], guardrails: [(AccessGuardrail, GuardrailScope.Applies)]) -> AccessVerdict.ActionResult {
        var state = self
        for grant in resolved { state.add(grant, guardrails: guardrails) }
        for (guardrail, applies) in guardrails where guardrail.platform == .aws { state.addServiceControlPolicy(guardrail, applies: applies) }
        return state.result()
    }

    private mutating func add(_ resolved: AccessEvaluator.ResolvedGrant, guardrails: [(AccessGuardrail, GuardrailScope.Applies)]) {
        let grant = resolved.grant
        if grant.kind == .boundary { boundaries += 1 }
        for statement in resolved.statements where StatementMatcher.covers(statement, action: action) {
            let reach = matcher.reach(statement, action: action)
            if reach == .none { continue }
            let holds = matcher.conditionsHold(statement.conditions)
            if holds == false { continue }
            var clauses = holds == nil ? statement.conditions.map(\.description) : []
            if let condition = grant.condition, Self.constrains(condition, action: action, platform: grant.platform) { clauses.append(condition.description) }
            let text = grant.route + (grant.route.contains(resolved.policyName) ? "" : " (\(resolved.policyName))") + ", \(statement.label)\(StatementMatcher.scoped(statement))"
                + (clauses.isEmpty ? "" : " when " + clauses.joined(separator: " and "))
            switch (statement.effect, grant.kind) {
            case (.deny, _):
                if reach == .partial { blockedBy.append(text + " (only part of what the action needs, or some regions)"); continue }
                if clauses.isEmpty { denied = true } else { maybeDenied = true; conditions += clauses }
                blockedBy.append(text)
            case (.allow, .boundary):
                boundaryAllows = true
            case (.allow, .identity):
                var grantClauses = clauses
                var blockedWhole = false
                for (guardrail, applies) in guardrails where guardrail.platform != .aws {
                    let denies = guardrail.policy.statements.filter { $0.effect == .deny && StatementMatcher.covers($0, action: action) }
                    guard !denies.isEmpty else { continue }
                    let label = "\(guardrail.kind) \(guardrail.policy.name)" + (guardrail.scope.map { " at \($0)" } ?? "")
                    var reasons: [String] = denies.flatMap(\.conditions).map(\.description)
                    if case .maybe(let why) = applies { reasons.append(why) }
                    switch GuardrailScope.grant(guardrail, scope: grant.scope) {
                    case .none: continue
                    case .partial(let note): blockedBy.append("\(label): \(note)"); continue
                    case .maybe(let why): reasons.append(why)
                    case .whole: break
                    }
                    if reasons.isEmpty {
                        blockedBy.append(label)
                        blockedWhole = true
                    } else {
                        blockedBy.append(label + " when " + reasons.joined(separator: " and "))
                        grantClauses.append("not blocked by \(label) (\(reasons.joined(separator: "; ")))")
                    }
                }
                allowedBy.append(text)
                if blockedWhole { allowedOnlyWhereDenied = true; continue }
                if grantClauses.isEmpty { allowedCleanly = true } else { allowedConditionally = true; conditions += grantClauses }
            }
        }
    }

    private mutating func addServiceControlPolicy(_ guardrail: AccessGuardrail, applies: GuardrailScope.Applies) {
        for statement in guardrail.policy.statements where statement.effect == .deny && StatementMatcher.covers(statement, action: action) {
            let reach = matcher.reach(statement, action: action)
            if reach == .none { continue }
            let holds = matcher.conditionsHold(statement.conditions)
            if holds == false { continue }
            let label = "\(guardrail.kind) \(guardrail.policy.name) (\(statement.label))"
            if reach == .partial { blockedBy.append(label + ": only part of what the action needs, or some regions"); continue }
            var reasons = holds == nil ? statement.conditions.map(\.description) : []
            if case .maybe(let why) = applies { reasons.append(why) }
            if reasons.isEmpty {
                denied = true
                blockedBy.append(label)
            } else {
                maybeDenied = true
                conditions += reasons
                blockedBy.append(label + " when " + reasons.joined(separator: " and "))
            }
        }
    }

    private func result() -> AccessVerdict.ActionResult {
        var blockedBy = blockedBy
        let level: AccessVerdict.Level
        if !(allowedCleanly || allowedConditionally) {
            level = allowedOnlyWhereDenied ? .denied : .cannot
        } else if denied {
            level = .denied
        } else if boundaries > 0 && !boundaryAllows {
            blockedBy.append("not allowed by the permissions boundary")
            level = .denied
        } else {
            level = allowedCleanly && !maybeDenied ? .can : .conditional
        }
        return AccessVerdict.ActionResult(action: action, level: level, allowedBy: allowedBy, blockedBy: blockedBy, conditions: Array(Set(conditions)).sorted())
    }

    /// Whether a grant's own condition constrains this action. Azure ABAC conditions constrain only
    /// the actions they name (`ActionMatches{'...'}`): network actions are granted without them.
    static func constrains(_ condition: ConditionClause, action: String, platform: Platform) -> Bool {
        guard platform == .azure else { return true }
        let text = condition.description.lowercased()
        let lowered = action.lowercased()
        let parent = lowered.split(separator: "/").dropLast().joined(separator: "/")
        return text.contains(lowered) || text.contains(parent + "/*")
    }
}
