import Foundation
import MirrorwatchJSON
import MirrorwatchModel

/// Reads `aws iam get-account-authorization-details` output: users (with their groups), groups,
/// roles (with trust policies and permissions boundaries) and the managed policies they use,
/// with each policy's default version. Also reads service control policies as
/// `aws organizations describe-policy` prints them (the document is a JSON string in `Content`).
public enum AWSAuthorizationReader {
    static let format = InputFormat(kind: .awsIAM, recognizes: { head in
        ["UserDetailList", "GroupDetailList", "RoleDetailList"].contains(head.firstKey ?? "")
            || (head.firstKey == "Policies" && head.hasKey("PolicyVersionList"))
            || (head.firstKey == "Policy" && head.hasKey("PolicySummary"))
            || (head.firstKey == "Targets" && head.hasKey("TargetId"))
    }, read: { input, _ in read(input) })

    public static func read(_ input: LoadedInput) -> ReadResult {
        var result = ReadResult(report: InputReport(input: input.name, format: "aws-iam"))
        guard let document = SnapshotDocument.parse(input, into: &result)?.root else { return result }
        if let policy = document.member(ignoringCase: "Policy"), policy.member(ignoringCase: "PolicySummary") != nil {
            readServiceControlPolicy(policy, input: input, into: &result)
            return result
        }
        if let targets = document.member(ignoringCase: "Targets") {
            readPolicyTargets(targets, input: input, into: &result)
            return result
        }
        guard ["UserDetailList", "GroupDetailList", "RoleDetailList", "Policies"].contains(where: { document.member(ignoringCase: $0) != nil }) else {
            result.report.problem("whole input", "not get-account-authorization-details output (no UserDetailList, GroupDetailList, RoleDetailList or Policies)")
            return result
        }
        var reader = Reader(input: input, locator: DocumentLocator(input))
        reader.read(document, into: &result)
        return result
    }

    /// An SCP: a guardrail over every principal of the accounts it is attached to. Which accounts
    /// that is, `describe-policy` does not say; it is applied to every account read.
    static func readServiceControlPolicy(_ policy: JSONValue, input: LoadedInput, into result: inout ReadResult) {
        result.report.records = 1
        let summary = policy.member(ignoringCase: "PolicySummary")
        let id = summary?.member(ignoringCase: "Arn")?.text ?? summary?.member(ignoringCase: "Id")?.text ?? input.name
        let evidence = Evidence(input: input.name, record: 0, line: 1)
        if let type = summary?.member(ignoringCase: "Type")?.text, type != "SERVICE_CONTROL_POLICY" {
            result.report.problem("record 0", "organization policy of type \(type), not a service control policy: ignored"); return
        }
        guard let statements = AWSPolicyDocument.statements(policy.member(ignoringCase: "Content")) else {
            result.report.problem("record 0", "service control policy \(id) has no readable Content document"); return
        }
        let name = summary?.member(ignoringCase: "Name")?.text ?? id
        var guardrail = AccessGuardrail(
            platform: .aws, policy: PermissionPolicy(id: id, name: name, statements: statements, evidence: evidence), kind: "service control policy")
        // The policy's ARN names the management account, which SCPs never restrict.
        guardrail.exemptAccount = ResourceRef.account(ofARN: id)
        result.access.guardrails.append(guardrail)
        result.report.relevant = 1
    }

    /// `aws organizations list-targets-for-policy --policy-id p-...`: where an SCP is attached. The
    /// output does not name the policy; the file does (`list-targets-for-policy-p-....json`).
    static func readPolicyTargets(_ targets: JSONValue, input: LoadedInput, into result: inout ReadResult) {
        let stem = input.name.split(separator: "/").last.map(String.init) ?? input.name
        guard let start = stem.range(of: "p-") else {
            result.report.problem("whole input", "list-targets-for-policy output does not name its policy: name the file list-targets-for-policy-p-ID.json")
            return
        }
        let policy = String(stem[start.lowerBound...].prefix { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" })
        for (index, target) in targets.elements.enumerated() {
            result.report.records += 1
            guard let id = target.member(ignoringCase: "TargetId")?.text else { result.report.problem("record \(index)", "target without TargetId"); continue }
            result.access.policyTargets[policy, default: []].append(id)
            result.report.relevant += 1
        }
    }

    private struct Reader {
        let input: LoadedInput
        var locator: DocumentLocator
        var record = 0
        var facts = AccessFacts()

        mutating func read(_ document: JSONValue, into result: inout ReadResult) {
            for (list, type) in [("UserDetailList", "user"), ("GroupDetailList", "group"), ("RoleDetailList", "role")] {
                for entry in document.member(ignoringCase: list)?.elements ?? [] {
                    defer { record += 1 }
                    result.report.records += 1
                    guard let arn = entry.member(ignoringCase: "Arn")?.text,
                          let name = entry.member(anyOf: "UserName", "GroupName", "RoleName")?.text else {
                        result.report.problem("\(list) entry \(record)", "\(type) without Arn or name")
                        continue
                    }
                    let evidence = locator.evidence(record: record, containing: arn)
                    let account = ResourceRef.account(ofARN: arn)
                    let holder = type == "group" ? Self.groupKey(account: account, name: name) : arn
                    if type != "group" {
                        facts.principals.append(AccessPrincipal(
                            platform: .aws, id: arn, name: name, type: type, account: account, aliases: [name],
                            trustedBy: Self.trustedPrincipals(entry.member(ignoringCase: "AssumeRolePolicyDocument")),
                            groups: AWSPolicyDocument.strings(entry.member(ignoringCase: "GroupList")).map { Self.groupKey(account: account, name: $0) },
                            evidence: evidence))
                    }
                    for inline in entry.member(anyOf: "UserPolicyList", "GroupPolicyList", "RolePolicyList")?.elements ?? [] {
                        let policyName = inline.member(ignoringCase: "PolicyName")?.text ?? "unnamed"
                        guard let statements = AWSPolicyDocument.statements(inline.member(ignoringCase: "PolicyDocument")) else {
                            result.report.problem(evidence.position, "inline policy \(policyName) of \(name) has no readable policy document")
                            continue
                        }
                        let id = arn + "#inline/" + policyName
                        facts.policies.append(PermissionPolicy(id: id, name: policyName, statements: statements, evidence: evidence))
                        facts.grants.append(AccessGrant(platform: .aws, holder: holder, policy: id, route: "inline policy \(policyName)" + (type == "group" ? " of group \(name)" : ""),
                                                        scope: account ?? "", evidence: evidence))
                    }
                    for attached in entry.member(ignoringCase: "AttachedManagedPolicies")?.elements ?? [] {
                        guard let policyArn = attached.member(ignoringCase: "PolicyArn")?.text else { continue }
                        let policyName = attached.member(ignoringCase: "PolicyName")?.text ?? policyArn
                        facts.grants.append(AccessGrant(platform: .aws, holder: holder, policy: policyArn,
                                                        route: "managed policy \(policyName)" + (type == "group" ? " of group \(name)" : ""),
                                                        scope: account ?? "", evidence: evidence))
                    }
                    if let boundary = entry.at("PermissionsBoundary", "PermissionsBoundaryArn")?.text {
                        facts.grants.append(AccessGrant(platform: .aws, holder: holder, policy: boundary, kind: .boundary,
                                                        route: "permissions boundary \(Self.lastComponent(boundary))", scope: account ?? "", evidence: evidence))
                    }
                    result.report.relevant += 1
                }
            }
            for entry in document.member(ignoringCase: "Policies")?.elements ?? [] {
                defer { record += 1 }
                result.report.records += 1
                guard let arn = entry.member(ignoringCase: "Arn")?.text else {
                    result.report.problem("Policies entry \(record)", "managed policy without Arn"); continue
                }
                let evidence = locator.evidence(record: record, containing: arn)
                let versions = entry.member(ignoringCase: "PolicyVersionList")?.elements ?? []
                let defaultId = entry.member(ignoringCase: "DefaultVersionId")?.text
                let chosen = versions.first { $0.member(ignoringCase: "IsDefaultVersion")?.bool == true }
                    ?? versions.first { $0.member(ignoringCase: "VersionId")?.text == defaultId }
                guard let statements = AWSPolicyDocument.statements(chosen?.member(ignoringCase: "Document")) else {
                    result.report.problem(evidence.position, "managed policy \(arn) has no readable default version document")
                    continue
                }
                facts.policies.append(PermissionPolicy(id: arn, name: entry.member(ignoringCase: "PolicyName")?.text ?? Self.lastComponent(arn),
                                                       statements: statements, evidence: evidence))
                result.report.relevant += 1
            }
            result.access.merge(facts)
        }

        static func groupKey(account: String?, name: String) -> String { "group:\(account ?? ""):\(name.lowercased())" }

        static func lastComponent(_ arn: String) -> String { arn.split(separator: "/").last.map(String.init) ?? arn }

        /// Principals named by a role's trust policy (`AWS`, `Service`, `Federated`).
        static func trustedPrincipals(_ document: JSONValue?) -> [String] {
            guard var document else { return [] }
            if case .string(let text) = document { document = JSONValue.string(text.removingPercentEncodingIfEncoded).unwrappingEmbeddedJSON }
            let statements = document.member(ignoringCase: "Statement").map { $0.elements.isEmpty ? [$0] : $0.elements } ?? []
            return statements.filter { $0.member(ignoringCase: "Effect")?.text?.lowercased() != "deny" }.flatMap { statement -> [String] in
                guard let principal = statement.member(ignoringCase: "Principal") else { return [] }
                if let text = principal.text { return [text] }
                return principal.members.sorted { $0.key < $1.key }.flatMap { AWSPolicyDocument.strings($0.value) }
            }
        }
    }
}

extension String {
    /// The string percent-decoded when it starts like an encoded JSON document (`%7B`).
    var removingPercentEncodingIfEncoded: String {
        hasPrefix("%7B") || hasPrefix("%7b") ? (removingPercentEncoding ?? self) : self
    }
}
