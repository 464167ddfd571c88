import MirrorwatchModel

/// Predefined roles whose permissions matter for mirroring, for exports that name a role without
/// its definition. Roles not listed here and not defined in the inputs are reported as unresolved.
enum BuiltInRoles {
    /// GCP predefined roles: whether they hold the packet mirroring write permissions.
    /// `compute.packetMirroringUser` creates, updates and deletes policies; `compute.packetMirroringAdmin`
    /// only marks resources as mirrorable (`compute.*.mirror`), which alone creates nothing.
    static let gcp: [String: [String]] = {
        let all = MirroringPermissions.writeActions(.gcp)
        var roles: [String: [String]] = [:]
        for role in ["roles/owner", "roles/editor", "roles/compute.admin", "roles/compute.packetMirroringUser"] { roles[role] = all }
        for role in ["roles/viewer", "roles/browser", "roles/compute.viewer", "roles/compute.networkViewer", "roles/compute.packetMirroringAdmin",
                     "roles/compute.instanceAdmin", "roles/compute.instanceAdmin.v1", "roles/compute.securityAdmin", "roles/iam.securityReviewer",
                     "roles/logging.viewer", "roles/compute.osLogin", "roles/iam.serviceAccountUser", "roles/storage.admin", "roles/storage.objectViewer"] {
            roles[role] = []
        }
        return roles
    }()

    /// Azure built-in roles by name and by their well-known definition GUID.
    static let azure: [(name: String, guid: String, actions: [String], notActions: [String])] = [
        ("Owner", "8e3af657-a8ff-443c-a75c-2fe8c4bcb635", ["*"], []),
        ("Contributor", "b24988ac-6180-42a0-ab88-20f7382dd24c", ["*"],
         ["Microsoft.Authorization/*/Delete", "Microsoft.Authorization/*/Write", "Microsoft.Authorization/elevateAccess/Action",
          "Microsoft.Blueprint/blueprintAssignments/write", "Microsoft.Blueprint/blueprintAssignments/delete",
          "Microsoft.Compute/galleries/share/action", "Microsoft.Purview/consents/write", "Microsoft.Purview/consents/delete"]),
        ("Reader", "acdd72a7-3385-48ef-bd42-f606fba81ae7", ["*/read"], []),
        ("Network Contributor", "4d97b98b-1d4f-4787-a291-c67834d212e7", ["Microsoft.Authorization/*/read", "Microsoft.Insights/alertRules/*",
                                                                          "Microsoft.Network/*", "Microsoft.ResourceHealth/availabilityStatuses/read",
                                                                          "Microsoft.Resources/deployments/*", "Microsoft.Resources/subscriptions/resourceGroups/read",
                                                                          "Microsoft.Support/*"], []),
    ]

    /// AWS managed policies commonly attached, for exports that leave out the `Policies` list.
    static let aws: [String: [PermissionStatement]] = [
        "arn:aws:iam::aws:policy/AdministratorAccess": [PermissionStatement(effect: .allow, actions: ["*"], resources: ["*"], label: "statement 1")],
        "arn:aws:iam::aws:policy/PowerUserAccess": [PermissionStatement(effect: .allow, actions: [], notActions: ["iam:*", "organizations:*", "account:*"],
                                                                         resources: ["*"], label: "statement 1")],
        "arn:aws:iam::aws:policy/AmazonEC2FullAccess": [PermissionStatement(effect: .allow, actions: ["ec2:*"], resources: ["*"], label: "statement 1")],
        "arn:aws:iam::aws:policy/ReadOnlyAccess": [],
        "arn:aws:iam::aws:policy/SecurityAudit": [],
    ]
}
