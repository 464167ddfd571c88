import Foundation
import Mirrorwatch
import Testing

/// GCP: role bindings with predefined and custom roles, conditions, deny policies.
@Suite struct GCPAccessTests {
    static let policy = """
    {"bindings": [
      {"role": "roles/owner", "members": ["user:cto@example.com"]},
      {"role": "roles/compute.packetMirroringUser", "members": ["group:netops-team@example.com"]},
      {"role": "roles/compute.packetMirroringAdmin", "members": ["serviceAccount:marker@p.iam.gserviceaccount.com"]},
      {"role": "projects/shop/roles/mirrorOperator", "members": ["user:contractor@gmail.com"],
       "condition": {"title": "until year end", "expression": "request.time < timestamp(\\"2026-12-31T00:00:00Z\\")"}},
      {"role": "roles/viewer", "members": ["domain:example.com"]},
      {"role": "roles/somethingNew", "members": ["user:new@example.com"]},
      {"role": "roles/editor", "members": ["serviceAccount:ci@shop.iam.gserviceaccount.com"]}
    ], "etag": "BwX=", "version": 3}
    """
    static let role = """
    {"includedPermissions": ["compute.packetMirrorings.create", "compute.packetMirrorings.get"], "name": "projects/shop/roles/mirrorOperator", "stage": "GA", "title": "Mirror operator"}
    """
    static let deny = """
    {"name": "policies/cloudresourcemanager.googleapis.com%2Fprojects%2Fshop/denypolicies/no-mirroring", "displayName": "No mirroring for CI",
     "rules": [{"denyRule": {"deniedPrincipals": ["principalSet://goog/public:all"], "exceptionPrincipals": ["principalSet://goog/group/netops-team@example.com", "principal://goog/subject/cto@example.com"],
                "deniedPermissions": ["compute.googleapis.com/packetMirrorings.create", "compute.googleapis.com/packetMirrorings.update"]}}]}
    """

    @Test func bindingsResolveThroughPredefinedAndCustomRoles() {
        let verdicts = evaluateAccess(["shop.iam-policy.json": Self.policy, "roles/mirrorOperator.json": Self.role]).verdicts
        #expect(verdicts.named("cto@example.com")?.level == .can)
        #expect(verdicts.named("netops-team@example.com")?.level == .can)
        #expect(verdicts.named("marker@p.iam.gserviceaccount.com")?.level == .cannot, "packetMirroringAdmin only marks resources mirrorable")
        let contractor = verdicts.named("contractor@gmail.com")
        #expect(contractor?.level == .conditional)
        #expect(contractor?.level(of: "compute.packetMirrorings.create") == .conditional)
        #expect(contractor?.level(of: "compute.packetMirrorings.delete") == .cannot)
        #expect(contractor?.actions.first?.conditions.first?.contains("request.time") == true)
        #expect(verdicts.named("example.com")?.level == .cannot)
        #expect(verdicts.named("new@example.com")?.unresolvedRoles == ["roles/somethingNew"])
        #expect(verdicts.named("ci@shop.iam.gserviceaccount.com")?.actions.first?.allowedBy.first?.contains("roles/editor on projects/shop") == true,
                "the resource comes from the file name")
    }

    @Test func denyPoliciesBlockExceptForExemptPrincipals() {
        let verdicts = evaluateAccess(["shop.iam-policy.json": Self.policy, "roles/mirrorOperator.json": Self.role, "deny.json": Self.deny]).verdicts
        let ci = verdicts.named("ci@shop.iam.gserviceaccount.com")
        #expect(ci?.level(of: "compute.packetMirrorings.create") == .conditional, "denied unless a member of the exempt group")
        #expect(ci?.actions.first?.conditions.contains { $0.contains("unless ci@shop.iam.gserviceaccount.com is a member of group:netops-team@example.com") } == true)
        #expect(ci?.level(of: "compute.packetMirrorings.delete") == .can)
        #expect(verdicts.named("netops-team@example.com")?.level(of: "compute.packetMirrorings.create") == .can, "exempt group")
        #expect(verdicts.named("cto@example.com")?.level(of: "compute.packetMirrorings.create") == .can, "exempt user")
    }

    @Test func denyPoliciesReachOnlyBelowTheirAttachment() {
        let elsewhere = Self.deny.replacingOccurrences(of: "%2Fprojects%2Fshop/", with: "%2Fprojects%2Fother/")
            .replacingOccurrences(of: "\"principalSet://goog/group/netops-team@example.com\", ", with: "")
        let byNumber = Self.deny.replacingOccurrences(of: "%2Fprojects%2Fshop/", with: "%2Fprojects%2F123456/")
        let serviceAccountExempt = Self.deny.replacingOccurrences(of: "principal://goog/subject/cto@example.com",
                                                                  with: "principal://iam.googleapis.com/projects/-/serviceAccounts/ci@shop.iam.gserviceaccount.com")
        let files = ["shop.iam-policy.json": Self.policy, "roles/mirrorOperator.json": Self.role]
        let create = "compute.packetMirrorings.create", ci = "ci@shop.iam.gserviceaccount.com"
        #expect(evaluateAccess(files.merging(["deny.json": elsewhere]) { a, _ in a }).verdicts.named(ci)?.level(of: create) == .can,
                "a deny policy on another project does not reach this one")
        #expect(evaluateAccess(files.merging(["deny.json": byNumber]) { a, _ in a }).verdicts.named(ci)?.level(of: create) == .conditional,
                "a project number may be this project")
        let exempt = evaluateAccess(files.merging(["deny.json": serviceAccountExempt]) { a, _ in a }).verdicts
        #expect(exempt.named(ci)?.level(of: create) == .can, "service accounts are exempt by their principal:// identifier")
        #expect(exempt.named("cto@example.com")?.level(of: create) == .conditional)
    }

    @Test func assetInventoryNamesTheResource() {
        let inventory = """
        [{"resource": "//cloudresourcemanager.googleapis.com/projects/other-1", "project": "projects/123",
          "policy": {"bindings": [{"role": "roles/compute.admin", "members": ["user:ops@example.com"]}]}}]
        """
        let verdicts = evaluateAccess(["search-all-iam-policies.json": inventory]).verdicts
        #expect(verdicts.named("ops@example.com")?.scopes == ["projects/other-1"])
        #expect(verdicts.named("ops@example.com")?.level == .can)
    }
}

/// Azure: role definitions (actions minus notActions), assignments at scopes, deny assignments.
@Suite struct AzureAccessTests {
    static let sub = "/subscriptions/6f1c2d3e-0000-4a5b-8c9d-111122223333"
    static let definitions = """
    [{"id": "\(sub)/providers/Microsoft.Authorization/roleDefinitions/11111111-2222-3333-4444-555555555555", "name": "11111111-2222-3333-4444-555555555555",
      "roleName": "TAP Operator", "roleType": "CustomRole", "type": "Microsoft.Authorization/roleDefinitions", "assignableScopes": ["\(sub)"],
      "permissions": [{"actions": ["Microsoft.Network/virtualNetworkTaps/*"], "notActions": ["Microsoft.Network/virtualNetworkTaps/delete"], "dataActions": [], "notDataActions": []}]},
     {"id": "/providers/Microsoft.Authorization/roleDefinitions/99999999-0000-0000-0000-000000000000", "name": "99999999-0000-0000-0000-000000000000",
      "roleName": "Data Only", "roleType": "CustomRole", "type": "Microsoft.Authorization/roleDefinitions", "assignableScopes": ["/"],
      "permissions": [{"actions": [], "notActions": ["Microsoft.Storage/*"], "dataActions": ["Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read"], "notDataActions": []}]}]
    """
    static func assignment(_ name: String, id: String, role: String, roleName: String, scope: String, condition: String? = nil) -> String {
        """
        {"principalId": "\(id)", "principalName": "\(name)", "principalType": "User", "roleDefinitionId": "\(role)", "roleDefinitionName": "\(roleName)",
         "scope": "\(scope)", "condition": \(condition.map { "\"\($0)\"" } ?? "null"), "type": "Microsoft.Authorization/roleAssignments", "id": "\(scope)/providers/Microsoft.Authorization/roleAssignments/\(id)"}
        """
    }
    static let assignments = "[" + [
        assignment("alice@contoso.com", id: "a11ce", role: "\(sub)/providers/Microsoft.Authorization/roleDefinitions/4d97b98b-1d4f-4787-a291-c67834d212e7",
                   roleName: "Network Contributor", scope: sub),
        assignment("bob@contoso.com", id: "b0b", role: "\(sub)/providers/Microsoft.Authorization/roleDefinitions/b24988ac-6180-42a0-ab88-20f7382dd24c",
                   roleName: "Contributor", scope: "\(sub)/resourceGroups/rg-shop-net"),
        assignment("carol@contoso.com", id: "ca501", role: "\(sub)/providers/Microsoft.Authorization/roleDefinitions/11111111-2222-3333-4444-555555555555",
                   roleName: "TAP Operator", scope: sub,
                   condition: "((!(ActionMatches{'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read'})) OR (@Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name] StringEquals 'logs'))"),
        assignment("dave@contoso.com", id: "da7e", role: "/providers/Microsoft.Authorization/roleDefinitions/99999999-0000-0000-0000-000000000000",
                   roleName: "Data Only", scope: sub),
        assignment("erin@contoso.com", id: "e21", role: "\(sub)/providers/Microsoft.Authorization/roleDefinitions/acdd72a7-3385-48ef-bd42-f606fba81ae7",
                   roleName: "Reader", scope: sub),
    ].joined(separator: ",") + "]"
    static let denies = """
    {"value": [{"id": "\(sub)/resourceGroups/rg-shop-net/providers/Microsoft.Authorization/denyAssignments/d1", "name": "d1", "type": "Microsoft.Authorization/denyAssignments",
      "properties": {"denyAssignmentName": "No TAPs in shop", "scope": "\(sub)/resourceGroups/rg-shop-net", "doNotApplyToChildScopes": false, "isSystemProtected": true,
        "permissions": [{"actions": ["Microsoft.Network/virtualNetworkTaps/write", "Microsoft.Network/networkInterfaces/tapConfigurations/write"], "notActions": [], "dataActions": [], "notDataActions": []}],
        "principals": [{"id": "00000000-0000-0000-0000-000000000000", "type": "SystemDefined"}], "excludePrincipals": [{"id": "a11ce", "type": "User"}]}}]}
    """

    @Test func actionsMinusNotActionsWithWildcards() {
        let verdicts = evaluateAccess(["defs.json": Self.definitions, "assignments.json": Self.assignments]).verdicts
        #expect(verdicts.named("alice@contoso.com")?.level == .can, "Network Contributor (built-in, by GUID): Microsoft.Network/*")
        #expect(verdicts.named("bob@contoso.com")?.level == .can, "Contributor: * minus Authorization writes")
        let carol = verdicts.named("carol@contoso.com")
        #expect(carol?.level == .can, "an ABAC condition on storage data actions does not constrain network actions")
        #expect(carol?.level(of: "Microsoft.Network/virtualNetworkTaps/delete") == .cannot, "notActions subtract")
        #expect(verdicts.named("dave@contoso.com")?.level == .cannot, "a permission block without actions grants no control-plane action")
        #expect(verdicts.named("erin@contoso.com")?.level == .cannot)
    }

    @Test func denyAssignmentsBlockAtTheirScope() {
        let verdicts = evaluateAccess(["defs.json": Self.definitions, "assignments.json": Self.assignments, "deny.json": Self.denies]).verdicts
        let bob = verdicts.named("bob@contoso.com")
        #expect(bob?.level(of: "Microsoft.Network/virtualNetworkTaps/write") == .denied, "assigned inside the denied resource group")
        #expect(bob?.level(of: "Microsoft.Network/virtualNetworkTaps/delete") == .can)
        #expect(bob?.canCopyTraffic == false)
        let carol = verdicts.named("carol@contoso.com")
        #expect(carol?.level(of: "Microsoft.Network/virtualNetworkTaps/write") == .can, "subscription-wide: still works outside the group")
        #expect(carol?.actions.first?.blockedBy.contains { $0.contains("except under") && $0.contains("rg-shop-net") } == true)
        #expect(verdicts.named("alice@contoso.com")?.actions.first?.blockedBy.isEmpty == true, "alice is excluded from the deny")
    }

    @Test func denyScopesCompareByPathAndMayStopAtTheirOwnScope() {
        let similar = Self.denies.replacingOccurrences(of: "resourceGroups/rg-shop-net", with: "resourceGroups/rg-shop")
        let bob = evaluateAccess(["defs.json": Self.definitions, "assignments.json": Self.assignments, "deny.json": similar]).verdicts.named("bob@contoso.com")
        #expect(bob?.level(of: "Microsoft.Network/virtualNetworkTaps/write") == .can, "a deny at rg-shop does not reach rg-shop-net")
        let noChildren = Self.denies.replacingOccurrences(of: "\"doNotApplyToChildScopes\": false", with: "\"doNotApplyToChildScopes\": true")
        let bob2 = evaluateAccess(["defs.json": Self.definitions, "assignments.json": Self.assignments, "deny.json": noChildren]).verdicts.named("bob@contoso.com")
        #expect(bob2?.level(of: "Microsoft.Network/virtualNetworkTaps/write") == .can, "TAPs are created below the group: not covered")
        #expect(bob2?.actions.first?.blockedBy.first?.contains("applies at exactly") == true)
        let groupExempt = Self.denies.replacingOccurrences(of: "{\"id\": \"a11ce\", \"type\": \"User\"}", with: "{\"id\": \"9f00\", \"type\": \"Group\"}")
        let bob3 = evaluateAccess(["defs.json": Self.definitions, "assignments.json": Self.assignments, "deny.json": groupExempt]).verdicts.named("bob@contoso.com")
        #expect(bob3?.level(of: "Microsoft.Network/virtualNetworkTaps/write") == .conditional, "exempt if a member of the excluded group")
    }
}
