import Foundation
import Mirrorwatch
import Testing

/// AWS IAM evaluation as AWS decides: explicit Deny wins across identity policies, boundaries and SCPs.
@Suite struct AWSAccessTests {
    static let session = "ec2:CreateTrafficMirrorSession"

    @Test func wildcardsGrantMirroring() {
        let export = IAMExport.export(roles: [
            IAMExport.role("Star", inline: ["all": [["Effect": "Allow", "Action": "*", "Resource": "*"]]]),
            IAMExport.role("Ec2", inline: ["ec2": [["Effect": "Allow", "Action": ["ec2:*"], "Resource": "*"]]]),
            IAMExport.role("Mirror", inline: ["m": [["Effect": "Allow", "Action": "ec2:*TrafficMirror*", "Resource": "*"]]]),
            IAMExport.role("Question", inline: ["q": [["Effect": "Allow", "Action": "ec2:CreateTrafficMirrorSessio?", "Resource": "*"]]]),
            IAMExport.role("Describe", inline: ["d": [["Effect": "Allow", "Action": "ec2:Describe*", "Resource": "*"]]]),
        ])
        let verdicts = evaluateAccess(["iam.json": export]).verdicts
        for name in ["Star", "Ec2", "Mirror"] {
            #expect(verdicts.named(name)?.level == .can, "\(name)")
            #expect(verdicts.named(name)?.canCopyTraffic == true)
        }
        #expect(verdicts.named("Question")?.level(of: Self.session) == .can)
        #expect(verdicts.named("Question")?.level(of: "ec2:DeleteTrafficMirrorSession") == .cannot)
        #expect(verdicts.named("Describe")?.level == .cannot)
    }

    @Test func explicitDenyWinsInIdentityPoliciesBoundariesAndSCPs() {
        let boundary = "arn:aws:iam::111122223333:policy/NoMirroring"
        let export = IAMExport.export(roles: [
            IAMExport.role("SelfDenied", inline: ["allow": [["Effect": "Allow", "Action": "ec2:*", "Resource": "*"]],
                                                  "deny": [["Effect": "Deny", "NotAction": ["ec2:Describe*"], "Resource": "*"]]]),
            IAMExport.role("Bounded", inline: ["allow": [["Effect": "Allow", "Action": "ec2:*", "Resource": "*"]]], boundary: boundary),
            IAMExport.role("BoundaryWithoutMirroring", inline: ["allow": [["Effect": "Allow", "Action": "ec2:*", "Resource": "*"]]],
                           boundary: "arn:aws:iam::111122223333:policy/S3Only"),
            IAMExport.role("NetworkAdmin", inline: ["allow": [["Effect": "Allow", "Action": "ec2:*", "Resource": "*"]]]),
            IAMExport.role("Deployer", inline: ["allow": [["Effect": "Allow", "Action": "ec2:*", "Resource": "*"]]]),
        ], policies: [
            IAMExport.policy(boundary, [["Effect": "Allow", "Action": "*", "Resource": "*"],
                                        ["Sid": "NoMirror", "Effect": "Deny", "Action": "ec2:*TrafficMirror*", "Resource": "*"]]),
            IAMExport.policy("arn:aws:iam::111122223333:policy/S3Only", [["Effect": "Allow", "Action": "s3:*", "Resource": "*"]]),
        ])
        let scp = IAMExport.scp([["Sid": "OnlyNetworkAdmin", "Effect": "Deny", "Action": ["ec2:CreateTrafficMirrorSession", "ec2:ModifyTrafficMirrorSession"],
                                  "Resource": "*", "Condition": ["ArnNotLike": ["aws:PrincipalArn": ["arn:aws:iam::*:role/NetworkAdmin"]]]]])
        let targets = #"{"Targets": [{"TargetId": "111122223333", "Arn": "arn:aws:organizations::777788889999:account/o-x/111122223333", "Name": "workloads", "Type": "ACCOUNT"}]}"#
        let verdicts = evaluateAccess(["iam.json": export, "scp.json": scp, "list-targets-for-policy-p-test.json": targets]).verdicts
        #expect(verdicts.named("SelfDenied")?.level == .denied)
        #expect(verdicts.named("SelfDenied")?.actions.first?.blockedBy.first?.contains("inline policy deny") == true)
        #expect(verdicts.named("Bounded")?.level == .denied)
        #expect(verdicts.named("Bounded")?.actions.first?.blockedBy.contains { $0.contains("NoMirror") } == true)
        #expect(verdicts.named("BoundaryWithoutMirroring")?.level == .denied, "a boundary that does not allow the action caps it")
        // The SCP's condition is judged against the principal's ARN: NetworkAdmin is exempt, Deployer is not.
        #expect(verdicts.named("NetworkAdmin")?.level(of: Self.session) == .can)
        #expect(verdicts.named("Deployer")?.level(of: Self.session) == .denied)
        #expect(verdicts.named("Deployer")?.level(of: "ec2:DeleteTrafficMirrorSession") == .can, "the SCP leaves deletes alone")
        #expect(verdicts.named("Deployer")?.level(of: "ec2:CreateTrafficMirrorFilterRule") == .can)
        #expect(verdicts.named("Deployer")?.canCopyTraffic == true, "adding a filter rule widens what a live session copies")
    }

    @Test func serviceControlPoliciesReachOnlyWhereAttached() {
        let allow = ["p": [["Effect": "Allow", "Action": "ec2:*", "Resource": "*"] as [String: Any]]]
        let export = IAMExport.export(roles: [
            IAMExport.role("Deployer", inline: allow),
            IAMExport.role("Manager", account: "777788889999", inline: allow),
        ])
        let linked = IAMExport.export(roles: [["Path": "/aws-service-role/", "RoleName": "AWSServiceRoleForX", "Arn": "arn:aws:iam::111122223333:role/aws-service-role/x.amazonaws.com/AWSServiceRoleForX",
                                               "RolePolicyList": [["PolicyName": "p", "PolicyDocument": IAMExport.document([["Effect": "Allow", "Action": "ec2:*", "Resource": "*"]])]],
                                               "AttachedManagedPolicies": [] as [Any]]])
        let scp = IAMExport.scp([["Effect": "Deny", "Action": "ec2:*TrafficMirror*", "Resource": "*"]])
        let unknown = evaluateAccess(["iam.json": export, "linked.json": linked, "scp.json": scp]).verdicts
        #expect(unknown.named("Deployer")?.level(of: Self.session) == .conditional, "attachment not read: it may apply")
        #expect(unknown.named("Deployer")?.actions.first?.conditions.first?.contains("list-targets-for-policy") == true)
        #expect(unknown.named("Manager")?.level(of: Self.session) == .can, "the management account is never restricted")
        #expect(unknown.named("AWSServiceRoleForX")?.level(of: Self.session) == .can, "service-linked roles are never restricted")
        let ou = #"{"Targets": [{"TargetId": "ou-ab12-cd34ef56", "Type": "ORGANIZATIONAL_UNIT", "Name": "Workloads"}]}"#
        #expect(evaluateAccess(["iam.json": export, "scp.json": scp, "list-targets-for-policy-p-test.json": ou]).verdicts.named("Deployer")?.level(of: Self.session) == .conditional)
        let other = #"{"Targets": [{"TargetId": "999999999999", "Type": "ACCOUNT", "Name": "Other"}]}"#
        #expect(evaluateAccess(["iam.json": export, "scp.json": scp, "list-targets-for-policy-p-test.json": other]).verdicts.named("Deployer")?.level(of: Self.session) == .can)
    }

    @Test func resourceScopedDeniesBlockOnlyWhatTheyReach() {
        let export = IAMExport.export(roles: [
            IAMExport.role("RegionDenied", inline: ["p": [["Effect": "Allow", "Action": "ec2:*", "Resource": "*"],
                                                         ["Effect": "Deny", "Action": "ec2:*TrafficMirror*", "Resource": "arn:aws:ec2:us-east-1:*:*"]]]),
            IAMExport.role("EniDenied", inline: ["p": [["Effect": "Allow", "Action": "ec2:*", "Resource": "*"],
                                                      ["Effect": "Deny", "Action": "ec2:*", "Resource": "arn:aws:ec2:*:*:network-interface/*"]]]),
            IAMExport.role("CaseDenied", inline: ["p": [["Effect": "Allow", "Action": "ec2:*", "Resource": "*"],
                                                       ["Effect": "Deny", "Action": "ec2:*", "Resource": "*",
                                                        "Condition": ["ArnLike": ["aws:PrincipalArn": "arn:aws:iam::*:role/casedenied"]]]]]),
        ])
        let verdicts = evaluateAccess(["iam.json": export]).verdicts
        #expect(verdicts.named("RegionDenied")?.level(of: Self.session) == .can, "denied in us-east-1 only")
        #expect(verdicts.named("RegionDenied")?.actions.first?.blockedBy.first?.contains("some regions") == true)
        #expect(verdicts.named("EniDenied")?.level(of: Self.session) == .denied, "creating a session needs the network interface")
        #expect(verdicts.named("EniDenied")?.level(of: "ec2:ModifyTrafficMirrorSession") == .can, "re-pointing does not touch the interface")
        #expect(verdicts.named("CaseDenied")?.level(of: Self.session) == .can, "ArnLike compares case-sensitively")
    }

    @Test func notActionAndNotResource() {
        let export = IAMExport.export(users: [
            IAMExport.user("legacy", inline: ["p": [["Effect": "Allow", "NotAction": ["iam:*"], "Resource": "*"]]]),
            IAMExport.user("noec2", inline: ["p": [["Effect": "Allow", "NotAction": ["ec2:*", "iam:*"], "Resource": "*"]]]),
            IAMExport.user("notres", inline: ["p": [["Effect": "Allow", "Action": "ec2:*", "NotResource": ["arn:aws:ec2:*:*:traffic-mirror-*/*", "arn:aws:ec2:*:*:network-interface/*"]]]]),
            IAMExport.user("scoped", inline: ["p": [["Effect": "Allow", "Action": "ec2:*", "Resource": "arn:aws:ec2:*:111122223333:traffic-mirror-target/*"]]]),
            IAMExport.user("otheraccount", inline: ["p": [["Effect": "Allow", "Action": "ec2:*", "Resource": "arn:aws:ec2:*:999988887777:*"]]]),
        ])
        let verdicts = evaluateAccess(["iam.json": export]).verdicts
        #expect(verdicts.named("legacy")?.level == .can)
        #expect(verdicts.named("noec2")?.level == .cannot)
        #expect(verdicts.named("notres")?.level == .cannot, "NotResource covering every mirroring resource grants none")
        let scoped = verdicts.named("scoped")
        #expect(scoped?.level == .can)
        #expect(scoped?.level(of: "ec2:DeleteTrafficMirrorTarget") == .can)
        #expect(scoped?.level(of: Self.session) == .cannot, "a session also needs its interface, filter and session resources")
        #expect(scoped?.actions.first { $0.level == .can }?.allowedBy.first?.contains("traffic-mirror-target") == true, "the explanation names the resource scope")
        #expect(verdicts.named("otheraccount")?.level == .cannot, "a resource pattern of another account does not reach this account's mirroring")
    }

    @Test func conditionsAreReportedNotIgnored() {
        let export = IAMExport.export(
            users: [IAMExport.user("bob", groups: ["developers"])],
            groups: [IAMExport.group("developers", inline: ["eu": [["Effect": "Allow", "Action": "ec2:*TrafficMirror*", "Resource": "*",
                                                                   "Condition": ["StringEquals": ["aws:RequestedRegion": "eu-west-1"]]]]])],
            roles: [IAMExport.role("MaybeDenied", inline: ["allow": [["Effect": "Allow", "Action": "ec2:*", "Resource": "*"]],
                                                           "deny": [["Effect": "Deny", "Action": "ec2:*", "Resource": "*",
                                                                     "Condition": ["Bool": ["aws:MultiFactorAuthPresent": "false"]]]]])])
        let verdicts = evaluateAccess(["iam.json": export]).verdicts
        let bob = verdicts.named("bob")
        #expect(bob?.level == .conditional, "allowed only in eu-west-1: conditional, through the group")
        #expect(bob?.actions.first?.conditions == ["StringEquals aws:RequestedRegion eu-west-1"])
        #expect(bob?.actions.first?.allowedBy.first?.contains("group developers") == true)
        #expect(verdicts.named("MaybeDenied")?.level == .conditional, "a deny under a condition we cannot judge leaves it conditional")
    }

    @Test func managedPolicyUsesItsDefaultVersionAndBuiltInsFillGaps() {
        let custom = "arn:aws:iam::111122223333:policy/Narrow"
        let export = IAMExport.export(roles: [
            IAMExport.role("UsesNarrow", managed: [custom]),
            IAMExport.role("Admin", managed: ["arn:aws:iam::aws:policy/AdministratorAccess"]),
            IAMExport.role("Unknown", managed: ["arn:aws:iam::aws:policy/SomethingNew"]),
        ], policies: [IAMExport.policy(custom, [["Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"]])])
        let verdicts = evaluateAccess(["iam.json": export]).verdicts
        #expect(verdicts.named("UsesNarrow")?.level == .cannot, "v1 (Allow *) is not the default version")
        #expect(verdicts.named("Admin")?.level == .can, "AdministratorAccess is known without its document")
        #expect(verdicts.named("Unknown")?.unresolvedRoles == ["arn:aws:iam::aws:policy/SomethingNew"])
    }

    @Test func malformedExportIsAClearErrorAndOtherExportsStillCount() {
        let good = IAMExport.export(roles: [IAMExport.role("Ok", inline: ["p": [["Effect": "Allow", "Action": "ec2:*", "Resource": "*"]]])])
        let broken = "{\n  \"UserDetailList\": [\n    {\"UserName\": \"x\", \"Arn\": \"arn:aws:iam::1:user/x\",,}\n  ]\n}\n"
        let (verdicts, results) = evaluateAccess(["a-good.json": good, "b-broken.json": broken])
        #expect(verdicts.named("Ok")?.level == .can)
        let report = results[1].report
        #expect(report.format == "aws-iam")
        #expect(report.skipped == 1)
        #expect(report.issues.first?.position.contains("line 3") == true, "\(report.issues)")
        #expect(report.issues.first?.reason.contains("malformed JSON") == true)
    }
}
