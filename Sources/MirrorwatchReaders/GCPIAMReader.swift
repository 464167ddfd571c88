import MirrorwatchJSON
import MirrorwatchModel

/// Reads GCP IAM exports: `gcloud projects|folders|organizations get-iam-policy --format=json`
/// (bindings with optional conditions), `gcloud asset search-all-iam-policies --format=json`
/// (which names each resource), role definitions (`gcloud iam roles describe|list --format=json`)
/// and IAM deny policies (`gcloud iam policies get|list --kind=denypolicies --format=json`).
///
/// `get-iam-policy` output does not name its resource: it is taken from the file name
/// (`shop-prod-2231.iam-policy.json` → `projects/shop-prod-2231`; a name starting with
/// `organizations-` or `folders-` names those), or from a `projects/ID` path component.
public enum GCPIAMReader {
    static let format = InputFormat(kind: .gcpIAM, recognizes: { head in
        (head.hasKey("bindings") && head.hasKey("role")) || head.hasKey("includedPermissions") || head.hasKey("denyRule")
    }, read: { input, _ in read(input) })

    public static func read(_ input: LoadedInput) -> ReadResult {
        var result = ReadResult(report: InputReport(input: input.name, format: "gcp-iam"))
        guard let document = SnapshotDocument.parse(input, into: &result)?.root else { return result }
        var locator = DocumentLocator(input)
        let entries: [JSONValue] = if case .array(let items) = document { items } else { [document] }
        for (index, entry) in entries.enumerated() {
            result.report.records += 1
            if entry.member(ignoringCase: "includedPermissions") != nil || (entry.member(ignoringCase: "name")?.text?.contains("roles/") ?? false) {
                guard let name = entry.member(ignoringCase: "name")?.text else {
                    result.report.problem("record \(index)", "role definition without name"); continue
                }
                // `gcloud iam roles list` prints roles without their permissions: such an entry defines nothing.
                guard let listed = entry.member(ignoringCase: "includedPermissions") else {
                    result.report.problem("record \(index)", "role \(name) without includedPermissions (use gcloud iam roles describe): not used", skipping: 0)
                    continue
                }
                let permissions = listed.elements.compactMap(\.text)
                let evidence = locator.evidence(record: index, containing: name)
                result.access.policies.append(PermissionPolicy(
                    id: name, name: entry.member(ignoringCase: "title")?.text ?? name,
                    statements: [PermissionStatement(effect: .allow, actions: permissions, label: "includedPermissions")], evidence: evidence))
            } else if let rules = entry.member(ignoringCase: "rules"), rules.elements.contains(where: { $0.member(ignoringCase: "denyRule") != nil }) {
                readDenyPolicy(entry, index: index, input: input, locator: &locator, into: &result)
            } else if let policy = entry.member(ignoringCase: "bindings") != nil ? entry : entry.member(ignoringCase: "policy") {
                let resource = entry.member(ignoringCase: "resource")?.text.map(Self.resourceName) ?? Self.resource(fromPath: input.name)
                // Packet mirroring policies are created in a project: a binding on an instance or a
                // subnet (asset inventory lists those too) grants nothing here.
                guard ["projects/", "folders/", "organizations/"].contains(where: { resource.hasPrefix($0) }), resource.split(separator: "/").count == 2 else {
                    result.report.relevant += 1
                    continue
                }
                readBindings(policy, resource: resource, record: index, input: input, locator: &locator, into: &result)
            } else {
                result.report.problem("record \(index)", "neither an IAM policy (bindings), a role (includedPermissions) nor a deny policy (rules)")
                continue
            }
            result.report.relevant += 1
        }
        return result
    }

    static func readBindings(_ policy: JSONValue, resource: String, record: Int, input: LoadedInput, locator: inout DocumentLocator,
                             into result: inout ReadResult) {
        for binding in policy.member(ignoringCase: "bindings")?.elements ?? [] {
            guard let role = binding.member(ignoringCase: "role")?.text else {
                result.report.problem("record \(record)", "binding without role"); continue
            }
            let condition = binding.member(ignoringCase: "condition").map { condition in
                ConditionClause(op: "expression", key: nil, values: [
                    condition.member(ignoringCase: "title")?.text.map { "\($0): " } ?? "",
                    condition.member(ignoringCase: "expression")?.text ?? "",
                ].filter { !$0.isEmpty })
            }
            let members = binding.member(ignoringCase: "members")?.elements.compactMap(\.text) ?? []
            if members.isEmpty { result.report.problem("record \(record)", "binding of \(role) names no members", skipping: 0) }
            for member in members {
                let evidence = locator.evidence(record: record, containing: member)
                let principal = principal(member: member, evidence: evidence)
                if !result.access.principals.contains(principal) { result.access.principals.append(principal) }
                result.access.grants.append(AccessGrant(platform: .gcp, holder: principal.id, policy: role,
                                                        route: "binding of \(role) on \(resource)", scope: resource, condition: condition, evidence: evidence))
            }
        }
    }

    static func readDenyPolicy(_ entry: JSONValue, index: Int, input: LoadedInput, locator: inout DocumentLocator, into result: inout ReadResult) {
        let name = entry.member(ignoringCase: "name")?.text ?? input.name
        let evidence = locator.evidence(record: index, containing: name)
        // `policies/cloudresourcemanager.googleapis.com%2Fprojects%2Fp/denypolicies/x`: attached to projects/p.
        let attachment = name.split(separator: "/").dropFirst().first.map { String($0).replacingOccurrences(of: "%2F", with: "/") }
            .map { $0.replacingOccurrences(of: "cloudresourcemanager.googleapis.com/", with: "") }
        for (ruleIndex, rule) in (entry.member(ignoringCase: "rules")?.elements ?? []).enumerated() {
            guard let deny = rule.member(ignoringCase: "denyRule") else { continue }
            // Deny policies name permissions as `compute.googleapis.com/packetMirrorings.create`.
            let permissions = (deny.member(ignoringCase: "deniedPermissions")?.elements.compactMap(\.text) ?? []).map(Self.iamPermission)
            let exceptions = (deny.member(ignoringCase: "exceptionPermissions")?.elements.compactMap(\.text) ?? []).map(Self.iamPermission)
            let condition = deny.member(ignoringCase: "denialCondition").map {
                ConditionClause(op: "expression", key: nil, values: [$0.member(ignoringCase: "expression")?.text ?? "condition"])
            }
            let statement = PermissionStatement(effect: .deny, actions: permissions, notActions: exceptions,
                                                conditions: condition.map { [$0] } ?? [], label: "rule \(ruleIndex + 1)")
            let denied = (deny.member(ignoringCase: "deniedPrincipals")?.elements.compactMap(\.text) ?? []).map(Self.memberFromPrincipalIdentifier)
            let exempt = (deny.member(ignoringCase: "exceptionPrincipals")?.elements.compactMap(\.text) ?? []).map(Self.memberFromPrincipalIdentifier)
            var guardrail = AccessGuardrail(
                platform: .gcp, policy: PermissionPolicy(id: name, name: entry.member(ignoringCase: "displayName")?.text ?? name, statements: [statement], evidence: evidence),
                kind: "deny policy", scope: attachment,
                // `principalSet://goog/public:all` denies everyone: no principal list.
                principals: denied.contains("allUsers") ? [] : denied.filter { !$0.hasPrefix("customer:") },
                exceptPrincipals: exempt.filter { !$0.hasPrefix("group:") })
            guardrail.principalSets = denied.contains("allUsers") ? [] : denied.filter { $0.hasPrefix("customer:") }
            guardrail.exceptGroups = exempt.filter { $0.hasPrefix("group:") }
            result.access.guardrails.append(guardrail)
        }
    }

    /// `user:alice@example.com` as a principal; `allUsers` and `domain:` members are principals too.
    static func principal(member: String, evidence: Evidence) -> AccessPrincipal {
        let parts = member.split(separator: ":", maxSplits: 1).map(String.init)
        let type = parts.count == 2 ? parts[0] : member
        let name = parts.count == 2 ? parts[1] : member
        return AccessPrincipal(platform: .gcp, id: member.lowercased(), name: name, type: type, aliases: [name, member], evidence: evidence)
    }

    /// `compute.googleapis.com/packetMirrorings.create` → `compute.packetMirrorings.create`.
    static func iamPermission(_ text: String) -> String {
        guard let slash = text.firstIndex(of: "/") else { return text }
        let service = text[..<slash].split(separator: ".").first.map(String.init) ?? ""
        return service + "." + text[text.index(after: slash)...]
    }

    /// Deny-policy principal identifiers in member form: `principal://goog/subject/a@x` → `user:a@x`,
    /// `principalSet://goog/group/g@x` → `group:g@x`, `principalSet://goog/public:all` → `allUsers`,
    /// `principal://iam.googleapis.com/projects/-/serviceAccounts/sa@p` → `serviceAccount:sa@p`, a
    /// Workspace customer → `customer:C` (its members are not in the exports).
    static func memberFromPrincipalIdentifier(_ text: String) -> String {
        if text.hasPrefix("principal://goog/subject/") { return "user:" + text.dropFirst("principal://goog/subject/".count) }
        if text.hasPrefix("principalSet://goog/group/") { return "group:" + text.dropFirst("principalSet://goog/group/".count) }
        if text == "principalSet://goog/public:all" { return "allUsers" }
        if text.hasPrefix("principalSet://goog/cloudIdentityCustomerId/") { return "customer:" + text.dropFirst("principalSet://goog/cloudIdentityCustomerId/".count) }
        if text.contains("/serviceAccounts/") { return "serviceAccount:" + (text.split(separator: "/").last.map(String.init) ?? text) }
        return text
    }

    /// `//cloudresourcemanager.googleapis.com/projects/p` → `projects/p`.
    static func resourceName(_ text: String) -> String {
        guard text.hasPrefix("//"), let slash = text.dropFirst(2).firstIndex(of: "/") else { return text }
        return String(text[text.index(after: slash)...])
    }

    static func resource(fromPath path: String) -> String {
        let components = path.split(separator: "/").map(String.init)
        if let index = components.firstIndex(of: "projects"), index + 1 < components.count - 1 { return "projects/" + components[index + 1] }
        let stem = components.last.flatMap { $0.split(separator: ".").first.map(String.init) } ?? path
        for kind in ["organizations", "folders", "projects"] where stem.hasPrefix(kind + "-") {
            return kind + "/" + stem.dropFirst(kind.count + 1)
        }
        return "projects/" + stem
    }
}
