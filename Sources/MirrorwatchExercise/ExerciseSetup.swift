import Mirrorwatch

/// The identifiers scenarios use, taken from the policy under test where it names them (its
/// approved destinations, sensitive segments and authorized identities), otherwise from the
/// built-in exercise organization. Run against your own policy, an attack on *your* sensitive
/// interface to a destination *you* did not approve must be caught, and *your* approved rollout
/// must stay quiet.
public struct ExerciseSetup: Sendable {
    public var awsAccount: String
    public var awsApprovedTarget: String
    public var awsSensitiveENI: String
    public var awsAuthorizedRole: String
    public var gcpApprovedCollector: String
    public var gcpSensitiveSubnet: String
    public var gcpAuthorizedPrincipal: String
    public var azureApprovedDestination: String
    public var azureAuthorizedCaller: String
    public var deviceAuthorizedUser: String

    /// The built-in exercise organization's policy (used when no `--policy` is given).
    public static let builtInPolicy = """
    # mirrorwatch exercise: the built-in organization the scenarios are written for.
    version: 1
    organization:
      aws_accounts: ["111122223333"]
      gcp_projects: [prod-net-4711]
      azure_subscriptions: ["6f1c2d3e-0000-4a5b-8c9d-111122223333"]
      internal_cidrs: [10.0.0.0/8]
    approved_destinations:
      - {name: NDR sensor target, target: tmt-0exsensor00000001, owner: netsec@example.com, reason: exercise}
      - {name: GCP NDR collector, ilb: projects/prod-net-4711/regions/us-central1/forwardingRules/ndr-collector, owner: netsec@example.com, reason: exercise}
      - {name: Azure NDR sensor, azure_destination: /subscriptions/6f1c2d3e-0000-4a5b-8c9d-111122223333/resourceGroups/rg-net/providers/Microsoft.Network/networkInterfaces/nic-sensor/ipConfigurations/ipconfig1, owner: netsec@example.com, reason: exercise}
      - {name: SPAN tap ports, device: "*", interface: Ethernet48, owner: netops@example.com, reason: exercise}
      - {name: SPAN tap ports, device: "*", interface: GigabitEthernet1/0/48, owner: netops@example.com, reason: exercise}
      - {name: ERSPAN collectors, ip: 10.99.1.0/24, owner: netsec@example.com, reason: exercise}
    sensitive_segments:
      - name: pci
        enis: [eni-0expci0000000001]
        subnets: [projects/prod-net-4711/regions/us-central1/subnetworks/payments]
        tags: {DataClass: pci}
        devices: {core-sw9: [Gi1/0/1], leaf-nx9: [Ethernet1/5], mx9: [ge-0/0/3], eos9: [Ethernet3]}
    authorized_identities:
      - arn:aws:iam::111122223333:role/NetworkAdmin
      - arn:aws:iam::111122223333:role/GigamonOrchestrator
      - "netops-*@example.com"
      - "netops-*"
    change_control: {require_ticket: true, match_window: 2h, timezone: UTC}
    transient_window: 1h

    """

    public init(policy: Policy) {
        let authorized = policy.authorizedIdentities.map(\.text)
        /// A concrete name a pattern accepts (`netops-*@example.com` → `netops-exercise@example.com`).
        func instance(_ pattern: String) -> String { pattern.replacingOccurrences(of: "*", with: "exercise") }
        awsAccount = policy.organization.awsAccounts.first ?? "111122223333"
        awsApprovedTarget = policy.approvedDestinations.compactMap(\.target).first ?? "tmt-0exsensor00000001"
        awsSensitiveENI = policy.sensitiveSegments.flatMap(\.enis).first ?? "eni-0expci0000000001"
        awsAuthorizedRole = authorized.first { $0.hasPrefix("arn:aws:iam::") && $0.contains(":role/") }
            .map { instance($0).split(separator: "/").last.map(String.init) ?? "NetworkAdmin" } ?? "NetworkAdmin"
        gcpApprovedCollector = policy.approvedDestinations.compactMap(\.ilb).first.map(ResourceRef.normalize)
            ?? "projects/prod-net-4711/regions/us-central1/forwardingRules/ndr-collector"
        gcpSensitiveSubnet = policy.sensitiveSegments.flatMap(\.subnets).first { $0.contains("/subnetworks/") }.map(ResourceRef.normalize)
            ?? "projects/prod-net-4711/regions/us-central1/subnetworks/payments"
        gcpAuthorizedPrincipal = authorized.first { $0.contains("@") && !$0.hasPrefix("arn:") }.map(instance) ?? "netops-alice@example.com"
        azureApprovedDestination = policy.approvedDestinations.compactMap(\.azureDestination).first
            ?? "/subscriptions/6f1c2d3e-0000-4a5b-8c9d-111122223333/resourceGroups/rg-net/providers/Microsoft.Network/networkInterfaces/nic-sensor/ipConfigurations/ipconfig1"
        azureAuthorizedCaller = gcpAuthorizedPrincipal
        deviceAuthorizedUser = authorized.first { !$0.contains("@") && !$0.contains(":") }.map(instance) ?? "netops-exercise"
    }
}
