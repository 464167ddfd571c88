import Foundation

/// `get-account-authorization-details` output with the given roles, users, groups and managed policies.
public enum IAMExportFixture {
    public static func document(_ statements: [[String: Any]]) -> [String: Any] { ["Version": "2012-10-17", "Statement": statements] }

    public static func role(_ name: String, account: String = "111122223333", inline: [String: [[String: Any]]] = [:], managed: [String] = [],
                     boundary: String? = nil, trust: String = "ec2.amazonaws.com") -> [String: Any] {
        var role: [String: Any] = [
            "Path": "/", "RoleName": name, "RoleId": "AROA" + name.uppercased(), "Arn": "arn:aws:iam::\(account):role/\(name)",
            "CreateDate": "2026-01-01T00:00:00+00:00",
            "AssumeRolePolicyDocument": document([["Effect": "Allow", "Principal": ["Service": trust], "Action": "sts:AssumeRole"]]),
            "RolePolicyList": inline.map { ["PolicyName": $0.key, "PolicyDocument": document($0.value)] },
            "AttachedManagedPolicies": managed.map { ["PolicyName": $0.split(separator: "/").last.map(String.init) ?? $0, "PolicyArn": $0] },
        ]
        if let boundary { role["PermissionsBoundary"] = ["PermissionsBoundaryType": "Policy", "PermissionsBoundaryArn": boundary] }
        return role
    }

    public static func user(_ name: String, groups: [String] = [], inline: [String: [[String: Any]]] = [:]) -> [String: Any] {
        ["Path": "/", "UserName": name, "UserId": "AIDA" + name.uppercased(), "Arn": "arn:aws:iam::111122223333:user/\(name)",
         "GroupList": groups, "UserPolicyList": inline.map { ["PolicyName": $0.key, "PolicyDocument": document($0.value)] }, "AttachedManagedPolicies": []]
    }

    public static func group(_ name: String, inline: [String: [[String: Any]]]) -> [String: Any] {
        ["Path": "/", "GroupName": name, "GroupId": "AGPA" + name.uppercased(), "Arn": "arn:aws:iam::111122223333:group/\(name)",
         "GroupPolicyList": inline.map { ["PolicyName": $0.key, "PolicyDocument": document($0.value)] }, "AttachedManagedPolicies": []]
    }

    public static func policy(_ arn: String, _ statements: [[String: Any]]) -> [String: Any] {
        ["PolicyName": arn.split(separator: "/").last.map(String.init) ?? arn, "Arn": arn, "DefaultVersionId": "v2",
         "PolicyVersionList": [["Document": document([["Effect": "Allow", "Action": "*", "Resource": "*"]]), "VersionId": "v1", "IsDefaultVersion": false],
                               ["Document": document(statements), "VersionId": "v2", "IsDefaultVersion": true]]]
    }

    public static func export(users: [[String: Any]] = [], groups: [[String: Any]] = [], roles: [[String: Any]] = [], policies: [[String: Any]] = []) -> String {
        json(["UserDetailList": users, "GroupDetailList": groups, "RoleDetailList": roles, "Policies": policies])
    }

    public static func scp(_ statements: [[String: Any]]) -> String {
        let content = String(data: try! JSONSerialization.data(withJSONObject: document(statements), options: [.sortedKeys]), encoding: .utf8)!
        return json(["Policy": ["PolicySummary": ["Id": "p-test", "Arn": "arn:aws:organizations::777788889999:policy/o-x/service_control_policy/p-test",
                                                  "Name": "GuardMirroring", "Type": "SERVICE_CONTROL_POLICY", "AwsManaged": false], "Content": content]])
    }

    public static func json(_ value: Any) -> String {
        String(data: try! JSONSerialization.data(withJSONObject: value, options: [.prettyPrinted, .sortedKeys]), encoding: .utf8)!
    }
}
