import Foundation
import MirrorwatchJSON
import MirrorwatchModel

/// AWS IAM policy documents (identity policies, boundaries, SCPs) as normalized statements.
///
/// A document may arrive decoded (the AWS CLI prints objects), as a JSON string (SCP `Content`),
/// or URL-encoded (the raw IAM API). `Action`, `NotAction`, `Resource`, `NotResource` may each be
/// a string or a list; `Condition` maps operators to keys to a value or list of values.
enum AWSPolicyDocument {
    /// The statements of `value`, or nil when it is not a policy document.
    static func statements(_ value: JSONValue?) -> [PermissionStatement]? {
        guard var document = value else { return nil }
        if case .string(let text) = document {
            document = JSONValue.string(text.removingPercentEncodingIfEncoded).unwrappingEmbeddedJSON
        }
        guard let statement = document.member(ignoringCase: "Statement") else { return nil }
        let list: [JSONValue] = if case .array(let items) = statement { items } else { [statement] }
        return list.enumerated().map { index, item in
            PermissionStatement(
                effect: item.member(ignoringCase: "Effect")?.text?.lowercased() == "deny" ? .deny : .allow,
                actions: strings(item.member(ignoringCase: "Action")),
                notActions: strings(item.member(ignoringCase: "NotAction")),
                resources: strings(item.member(ignoringCase: "Resource")),
                notResources: strings(item.member(ignoringCase: "NotResource")),
                conditions: conditions(item.member(ignoringCase: "Condition")),
                label: item.member(ignoringCase: "Sid")?.text.map { "statement \($0)" } ?? "statement \(index + 1)")
        }
    }

    /// A string or a list of strings.
    static func strings(_ value: JSONValue?) -> [String] {
        guard let value else { return [] }
        if let text = value.text { return [text] }
        return value.elements.compactMap(\.text)
    }

    static func conditions(_ value: JSONValue?) -> [ConditionClause] {
        var clauses: [ConditionClause] = []
        for (op, keys) in (value?.members ?? [:]).sorted(by: { $0.key < $1.key }) {
            for (key, values) in keys.members.sorted(by: { $0.key < $1.key }) {
                clauses.append(ConditionClause(op: op, key: key, values: strings(values)))
            }
        }
        return clauses
    }
}
