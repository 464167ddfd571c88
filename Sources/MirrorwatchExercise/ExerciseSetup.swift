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
    /// An approved Azure load balancer frontend (a TAP sending to a load balancer), when the policy has one.
    public var azureApprovedFrontend: String?
    public var azureAuthorizedCaller: String
    public var deviceAuthorizedUser: String
    /// A subnet the policy marks sensitive, when it lists no ENI: scenarios put an interface there.
    public var awsSensitiveSubnet: String?
    public var gcpProject: String
    public var azureSubscription: String
    /// How the policy recognises a sensitive Azure NIC: a tag, or an address in a sensitive range.
    public var azureSensitiveTag: (key: String, value: String)?
    public var azureSensitiveAddress: String
    /// Per device vendor: the device, its sensitive interface, and the approved SPAN port or collector.
    public var devices: [Platform: DeviceTarget]

    /// Where device scenarios happen.
    public struct DeviceTarget: Sendable {
        public var device: String
        public var sensitiveInterface: String
        /// An approved destination interface on that device, if the policy has one.
        public var approvedInterface: String?
        /// An approved collector address, if the policy has one.
        public var approvedAddress: String
    }

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
      - {name: Azure NDR load balancer, azure_destination: /subscriptions/6f1c2d3e-0000-4a5b-8c9d-111122223333/resourceGroups/rg-net/providers/Microsoft.Network/loadBalancers/lb-ndr/frontendIPConfigurations/fe-vxlan, owner: netsec@example.com, reason: exercise}
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
        azureApprovedDestination = policy.approvedDestinations.compactMap(\.azureDestination).first { !$0.lowercased().contains("/frontendipconfigurations/") }
            ?? "/subscriptions/6f1c2d3e-0000-4a5b-8c9d-111122223333/resourceGroups/rg-net/providers/Microsoft.Network/networkInterfaces/nic-sensor/ipConfigurations/ipconfig1"
        azureApprovedFrontend = policy.approvedDestinations.compactMap(\.azureDestination).first { $0.lowercased().contains("/frontendipconfigurations/") }
        azureAuthorizedCaller = gcpAuthorizedPrincipal
        deviceAuthorizedUser = authorized.first { !$0.contains("@") && !$0.contains(":") }.map(instance) ?? "netops-exercise"
        awsSensitiveSubnet = policy.sensitiveSegments.flatMap(\.enis).isEmpty ? policy.sensitiveSegments.flatMap(\.subnets).first { $0.hasPrefix("subnet-") } : nil
        gcpProject = policy.organization.gcpProjects.first ?? "prod-net-4711"
        azureSubscription = policy.organization.azureSubscriptions.first ?? "6f1c2d3e-0000-4a5b-8c9d-111122223333"
        let tags = policy.sensitiveSegments.flatMap { $0.tags.sorted { $0.key < $1.key } }
        azureSensitiveTag = tags.first.map { ($0.key, $0.value) } ?? (policy.sensitiveSegments.contains { !$0.cidrs.isEmpty } ? nil : ("DataClass", "pci"))
        azureSensitiveAddress = policy.sensitiveSegments.flatMap(\.cidrs).first.map { Self.host(in: $0.description) } ?? "10.30.0.7"
        let address = policy.approvedDestinations.compactMap(\.ip).first.map { Self.host(in: $0.description) } ?? "10.99.1.10"
        let sensitive = policy.sensitiveSegments.flatMap { $0.devices.flatMap { device, interfaces in interfaces.map { (device, $0) } } }
            .filter { !$0.0.contains("*") }.sorted { ($0.0, $0.1) < ($1.0, $1.1) }
        let builtIn: [Platform: (String, String)] = [.ciscoIOS: ("core-sw9", "Gi1/0/1"), .ciscoNXOS: ("leaf-nx9", "Ethernet1/5"),
                                                     .aristaEOS: ("eos9", "Ethernet3"), .junos: ("mx9", "ge-0/0/3")]
        var devices: [Platform: DeviceTarget] = [:]
        for (platform, fallback) in builtIn {
            let (device, interface) = sensitive.first { Self.style($0.1) == Self.style(fallback.1) } ?? fallback
            let approved = policy.approvedDestinations.first { entry in
                entry.interface.map { Self.style($0) == Self.style(interface) } == true && (entry.device.map { Wildcard.matches($0, device) } ?? false)
            }?.interface
            devices[platform] = DeviceTarget(device: device, sensitiveInterface: interface, approvedInterface: approved, approvedAddress: address)
        }
        self.devices = devices
    }

    /// Interface naming families: Junos (`ge-0/0/3`), NX-OS (`Ethernet1/5`), EOS (`Ethernet3`), and IOS speeds.
    static func style(_ interface: String) -> String {
        let canonical = InterfaceName.canonical(interface)
        if canonical.contains("-") && canonical.first?.isLowercase == true { return "junos" }
        if canonical.hasPrefix("Ethernet") { return canonical.contains("/") ? "nxos" : "eos" }
        return "ios"
    }

    /// A host inside an IPv4 range: the address itself for a /32 (or a plain address), the tenth
    /// host when the range holds it, else the first.
    static func host(in cidr: String) -> String {
        let parts = cidr.split(separator: "/")
        guard parts.count == 2, let bits = Int(parts[1]), bits < 32 else { return String(parts.first ?? Substring(cidr)) }
        let octets = parts[0].split(separator: ".").compactMap { UInt32($0) }
        guard octets.count == 4 else { return String(parts[0]) }
        let network = octets.reduce(0) { $0 << 8 | $1 } & (bits == 0 ? 0 : ~UInt32(0) << (32 - bits))
        let size = UInt32(1) << UInt32(32 - bits)
        let value = network + (size > 11 ? 10 : 1)
        return [24, 16, 8, 0].map { String((value >> UInt32($0)) & 0xFF) }.joined(separator: ".")
    }
}
