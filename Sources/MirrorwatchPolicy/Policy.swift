import Foundation
import MirrorwatchModel

/// The policy file (`version: 1`): what the organization owns, where mirrored traffic may go,
/// what is sensitive, who may change mirroring, and documented exceptions.
public struct Policy: Sendable {
    public var version: Int = 1
    public var organization = Organization()
    public var approvedDestinations: [ApprovedDestination] = []
    public var sensitiveSegments: [SensitiveSegment] = []
    /// Empty means "not configured": the unauthorized-actor rule stays silent.
    public var authorizedIdentities: [IdentityPattern] = []
    public var changeControl = ChangeControl()
    /// Emergency accounts whose use is always worth a look (an extension of the contract).
    public var breakGlassIdentities: [IdentityPattern] = []
    /// How mirror copies show up in flow telemetry (an extension of the contract).
    public var flows = FlowSettings()
    /// What coverage expects: silence, snapshot age, retention, regions.
    public var coverage = CoverageSettings()
    public var transientWindow: TimeInterval = 3600
    public var exceptions: [PolicyException] = []
    /// Sessions approved as they are (the baseline); nil when the policy has no baseline.
    public var approvedSessions: [ApprovedSession]?
    /// Where the policy came from, for messages.
    public var origin: String = "(built-in empty policy)"

    public init() {}

    /// Thresholds for `coverage.gap`.
    public struct CoverageSettings: Sendable {
        /// A scope whose telemetry stops this long before the newest record read is a gap.
        public var maxSilence: TimeInterval = 24 * 3600
        /// Device configuration snapshots older than this (before the newest record read) are stale.
        public var maxSnapshotAge: TimeInterval = 7 * 24 * 3600
        /// Audit log storage must keep records at least this many days.
        public var minRetentionDays: Int = 365
        /// AWS regions every account is expected to log (besides those seen in any account).
        public var awsRegions: [String] = []
        public init() {}
    }

    /// Ports that mark a flow as carrying mirror copies: VXLAN (AWS Traffic Mirroring and the
    /// Azure TAP default, 4789), GENEVE (Gateway Load Balancer, 6081); GRE (ERSPAN) is protocol 47.
    public struct FlowSettings: Sendable {
        public var vxlanPorts: [Int] = [4789]
        public var genevePorts: [Int] = [6081]
        /// Flows smaller than this (bytes) are not taken as proof of onward copying.
        public var minimumBytes: Int = 1
        public init() {}
    }

    /// Accounts, projects and subscriptions the organization owns, and its internal address space.
    public struct Organization: Sendable {
        public var awsAccounts: [String] = []
        public var gcpProjects: [String] = []
        public var azureSubscriptions: [String] = []
        public var internalCIDRs: [CIDR] = []
        public init() {}

        /// The `organization` key listing the owners of `platform`.
        public static func key(for platform: Platform) -> String {
            switch platform {
            case .aws: "aws_accounts"
            case .gcp: "gcp_projects"
            case .azure: "azure_subscriptions"
            default: "internal_cidrs"
            }
        }

        /// Whether an owner id (account, project or subscription) is the organization's.
        /// Unknown when the organization lists nothing for the platform.
        public func owns(_ owner: String, platform: Platform) -> Bool? {
            let list: [String]
            switch platform {
            case .aws: list = awsAccounts
            case .gcp: list = gcpProjects
            case .azure: list = azureSubscriptions
            default: return nil
            }
            guard !list.isEmpty else { return nil }
            return list.contains { $0.caseInsensitiveCompare(owner) == .orderedSame }
        }

        /// Whether `address` is internal; nil when no internal ranges are configured or the address is not an IP.
        public func isInternal(_ address: String) -> Bool? {
            guard !internalCIDRs.isEmpty, let ip = IPAddress(address) else { return nil }
            return internalCIDRs.contains { $0.contains(ip) }
        }
    }

    public struct ChangeControl: Sendable {
        public var requireTicket = false
        /// Tolerance around a ticket's window.
        public var matchWindow: TimeInterval = 24 * 3600
        /// Zone for ticket times written without one.
        public var timeZone = TimeZone(identifier: "UTC")!
        public init() {}
    }
}

/// A destination mirrored traffic may go to, with who owns it and why.
public struct ApprovedDestination: Sendable {
    public var name: String
    public var owner: String
    public var reason: String
    public var target: String?
    public var eni: String?
    public var nlb: String?
    public var gwlbe: String?
    public var ilb: String?
    public var azureDestination: String?
    /// An instance (AWS `i-…`) that may receive mirrored packets, as a member of a load balancer
    /// target's target group or behind an interface target.
    public var instance: String?
    public var ip: CIDR?
    public var device: String?
    public var interface: String?
    public var vlan: Int?
    /// Where in the policy file it is written (`policy.yaml:14`).
    public var location: String

    public init(name: String, owner: String, reason: String, location: String) {
        self.name = name
        self.owner = owner
        self.reason = reason
        self.location = location
    }
}

/// A group of sources whose traffic is sensitive (cardholder data, credentials, ...).
public struct SensitiveSegment: Sendable {
    public var name: String
    public var cidrs: [CIDR] = []
    public var subnets: [String] = []
    public var enis: [String] = []
    public var instances: [String] = []
    public var tags: [String: String] = [:]
    public var devices: [String: [String]] = [:]
    public var vlans: [Int] = []
    public init(name: String) { self.name = name }
}

/// A documented, owned and expiring reason to accept what a rule finds.
public struct PolicyException: Sendable {
    public var id: String
    public var rule: String
    public var match: Match
    public var owner: String
    public var justification: String
    public var ticket: String?
    /// The first instant at which the exception no longer holds.
    public var expires: Date
    public var expiresText: String
    public var location: String

    public struct Match: Sendable {
        public var resource: String?
        public var destination: String?
        public var actor: IdentityPattern?
        public var account: String?
        public var device: String?
        public init() {}
    }

    public init(id: String, rule: String, match: Match, owner: String, justification: String, ticket: String?, expires: Date,
                expiresText: String, location: String) {
        self.id = id
        self.rule = rule
        self.match = match
        self.owner = owner
        self.justification = justification
        self.ticket = ticket
        self.expires = expires
        self.expiresText = expiresText
        self.location = location
    }
}

/// A mirror session approved as it is: its source, target and filter are the baseline.
public struct ApprovedSession: Sendable {
    public var id: String
    public var source: String?
    public var target: String?
    public var filter: String?
    /// Where the session lives (account, project or subscription; region), so that a snapshot of
    /// another scope does not make it look missing. Optional.
    public var account: String?
    public var region: String?
    /// The place it takes in the order AWS sessions on one interface take packets (optional).
    public var sessionNumber: Int?
    /// How many bytes of each packet it copies: a number, or nil with `wholePackets` (optional).
    public var packetLength: Int?
    /// Whether the baseline says it copies whole packets (`packet_length: whole`).
    public var wholePackets = false
    public var owner: String
    public var reason: String?
    public var location: String
}
