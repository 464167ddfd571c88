import MirrorwatchJSON
import MirrorwatchModel

/// Reads Azure RBAC exports: `az role definition list`, `az role assignment list --all` and deny
/// assignments (`az rest` on `Microsoft.Authorization/denyAssignments`, `{"value": [...]}` with
/// `properties`). One file may hold any of them; entries are told apart by their fields.
public enum AzureRBACReader {
    static let format = InputFormat(kind: .azureRBAC, recognizes: { head in
        (head.hasKey("roleName") && head.hasKey("permissions")) || (head.hasKey("roleDefinitionId") && head.hasKey("principalId"))
            || head.hasKey("denyAssignmentName")
    }, read: { input, _ in read(input) })

    public static func read(_ input: LoadedInput) -> ReadResult {
        var result = ReadResult(report: InputReport(input: input.name, format: "azure-rbac"))
        guard let document = SnapshotDocument.parse(input, into: &result)?.root else { return result }
        var locator = DocumentLocator(input)
        let entries: [JSONValue] = if case .array(let items) = document { items } else { document.member(ignoringCase: "value")?.elements ?? [document] }
        for (index, raw) in entries.enumerated() {
            result.report.records += 1
            // REST output nests fields under `properties`; az CLI flattens them.
            let entry = raw.member(ignoringCase: "properties").map { merged(raw, $0) } ?? raw
            let id = entry.member(ignoringCase: "id")?.text
            let evidence = locator.evidence(record: index, containing: id)
            if entry.member(ignoringCase: "denyAssignmentName") != nil {
                let statements = self.statements(entry.member(ignoringCase: "permissions"), effect: .deny)
                let name = entry.member(ignoringCase: "denyAssignmentName")?.text ?? id ?? "deny assignment \(index)"
                let excluded = entry.member(ignoringCase: "excludePrincipals")?.elements ?? []
                var guardrail = AccessGuardrail(
                    platform: .azure, policy: PermissionPolicy(id: id ?? name, name: name, statements: statements, evidence: evidence),
                    kind: "deny assignment", scope: entry.member(ignoringCase: "scope")?.text,
                    principals: principalIds(entry.member(ignoringCase: "principals")).filter { $0 != everyone },
                    exceptPrincipals: principalIds(.array(excluded.filter { $0.member(ignoringCase: "type")?.text?.lowercased() != "group" })))
                // Members of an excluded group are exempt too; group membership is not in the exports.
                guardrail.exceptGroups = principalIds(.array(excluded.filter { $0.member(ignoringCase: "type")?.text?.lowercased() == "group" }))
                guardrail.appliesToChildScopes = entry.member(ignoringCase: "doNotApplyToChildScopes")?.bool != true
                result.access.guardrails.append(guardrail)
            } else if let roleName = entry.member(ignoringCase: "roleName")?.text {
                guard let id else { result.report.problem(evidence.position, "role definition \(roleName) without id"); continue }
                result.access.policies.append(PermissionPolicy(id: id, name: roleName, statements: statements(entry.member(ignoringCase: "permissions"), effect: .allow),
                                                               evidence: evidence))
            } else if let principalId = entry.member(ignoringCase: "principalId")?.text,
                      let role = entry.member(anyOf: "roleDefinitionId", "roleDefinitionName")?.text {
                let scope = entry.member(ignoringCase: "scope")?.text ?? ""
                let name = entry.member(ignoringCase: "principalName")?.text ?? principalId
                let type = entry.member(ignoringCase: "principalType")?.text ?? "Unknown"
                let principal = AccessPrincipal(platform: .azure, id: principalId.lowercased(), name: name, type: type,
                                                account: ResourceRef.owner(of: scope), aliases: [name, principalId], evidence: evidence)
                if !result.access.principals.contains(principal) { result.access.principals.append(principal) }
                let roleLabel = entry.member(ignoringCase: "roleDefinitionName")?.text ?? role
                let condition = entry.member(ignoringCase: "condition")?.text.map { ConditionClause(op: "expression", key: nil, values: [$0]) }
                result.access.grants.append(AccessGrant(platform: .azure, holder: principal.id, policy: role,
                                                        route: "assignment of \(roleLabel) at \(scope)", scope: scope, condition: condition, evidence: evidence))
                if let roleName = entry.member(ignoringCase: "roleDefinitionName")?.text {
                    result.access.roleNames[role.lowercased()] = roleName
                }
            } else {
                result.report.problem(evidence.position, "neither a role definition, a role assignment nor a deny assignment"); continue
            }
            result.report.relevant += 1
        }
        return result
    }

    /// The all-principals id deny assignments use for "Everyone".
    static let everyone = "00000000-0000-0000-0000-000000000000"

    static func statements(_ permissions: JSONValue?, effect: PermissionStatement.Effect) -> [PermissionStatement] {
        // A permission block with no control-plane actions (data actions only) grants none.
        (permissions?.elements ?? []).enumerated().filter { !($0.element.member(ignoringCase: "actions")?.elements.isEmpty ?? true) }.map { index, permission in
            PermissionStatement(effect: effect,
                                actions: permission.member(ignoringCase: "actions")?.elements.compactMap(\.text) ?? [],
                                notActions: permission.member(ignoringCase: "notActions")?.elements.compactMap(\.text) ?? [],
                                conditions: permission.member(ignoringCase: "condition")?.text.map { [ConditionClause(op: "expression", key: nil, values: [$0])] } ?? [],
                                label: "permissions[\(index)]")
        }
    }

    static func principalIds(_ value: JSONValue?) -> [String] {
        (value?.elements ?? []).compactMap { $0.member(ignoringCase: "id")?.text?.lowercased() }
    }

    static func merged(_ outer: JSONValue, _ inner: JSONValue) -> JSONValue {
        .object(JSONObject(outer.members.dictionary.merging(inner.members.dictionary) { _, new in new }))
    }
}
