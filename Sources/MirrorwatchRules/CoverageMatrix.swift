import Foundation
import MirrorwatchModel
import MirrorwatchPolicy

/// What we can see, per scope: one row per AWS account, GCP project, Azure subscription and
/// device, with the telemetry kinds read for it (records, first and last time) and, for clouds,
/// per region. Scopes the policy names appear even when nothing was read for them.
public struct CoverageMatrix: Sendable {
    public struct Row: Sendable {
        public var platform: Platform?
        /// Account, project or subscription; nil for a device row.
        public var account: String?
        public var device: String?
        public var kinds: [TelemetryKind: TelemetryTally] = [:]
        /// Per region (clouds): the kinds read there.
        public var regions: [String: [TelemetryKind: TelemetryTally]] = [:]
        /// Whether the policy names this scope (so silence there is a gap, not an unknown).
        public var expected = false

        public var isDevice: Bool { device != nil }
        /// `aws 111122223333`, `device core-sw1`.
        public var label: String {
            if let device { return "device \(device)" }
            return "\(platform?.rawValue ?? "?") \(platform?.ownerNoun ?? "scope") \(account ?? "(unknown)")"
        }
        /// The newest log record (audit, syslog, flow, sign-in); snapshots count only when nothing else was read.
        public var last: Date? {
            kinds.filter { CoverageMatrix.recordKinds.contains($0.key) }.compactMap(\.value.last).max() ?? kinds.values.compactMap(\.last).max()
        }
        public var first: Date? { kinds.values.compactMap(\.first).min() }
        public var records: Int { kinds.values.reduce(0) { $0 + $1.records } }
    }

    public var rows: [Row]
    /// Telemetry not tied to a scope (tickets).
    public var organizationWide: [TelemetryKind: TelemetryTally]
    /// The newest time of a log record read (audit, syslog, flow or sign-in record; not snapshot file times).
    public var latest: Date?

    public init(rows: [Row] = [], organizationWide: [TelemetryKind: TelemetryTally] = [:], latest: Date? = nil) {
        self.rows = rows
        self.organizationWide = organizationWide
        self.latest = latest
    }

    /// Kinds whose times are record times; snapshot and export times may be file times (a clone's checkout time).
    static let recordKinds: Set<TelemetryKind> = [.controlPlane, .deviceSyslog, .deviceCommands, .tacacs, .flows, .signIns]

    public static func build(_ coverage: TelemetryCoverage, policy: Policy) -> CoverageMatrix {
        var rows: [String: Row] = [:]
        var organizationWide: [TelemetryKind: TelemetryTally] = [:]
        func rowKey(_ platform: Platform?, _ account: String?, _ device: String?) -> String {
            device.map { "device|" + $0.lowercased() } ?? "\(platform?.rawValue ?? "")|\(account?.lowercased() ?? "")"
        }
        for (key, tally) in coverage.tallies {
            if key.device == nil && key.account == nil {
                if key.platform == nil || key.kind == .tickets || key.kind == .signIns { organizationWide[key.kind, default: TelemetryTally()].merge(tally); continue }
            }
            let id = rowKey(key.platform, key.account, key.device)
            var row = rows[id] ?? Row(platform: key.platform, account: key.device == nil ? key.account : nil, device: key.device)
            if row.platform == nil { row.platform = key.platform }
            row.kinds[key.kind, default: TelemetryTally()].merge(tally)
            if key.device == nil, let region = key.region { row.regions[region, default: [:]][key.kind, default: TelemetryTally()].merge(tally) }
            rows[id] = row
        }
        let organization = policy.organization
        let named: [(Platform?, String?, String?)] = organization.awsAccounts.map { (.aws, $0, nil) } + organization.gcpProjects.map { (.gcp, $0, nil) }
            + organization.azureSubscriptions.map { (.azure, $0, nil) } + Self.devicesNamed(by: policy).map { (nil, nil, $0) }
        for (platform, account, device) in named {
            let id = rowKey(platform, account, device)
            var row = rows[id] ?? Row(platform: platform, account: account, device: device)
            row.expected = true
            if device == nil { row.account = account }  // the policy's spelling
            rows[id] = row
        }
        let latest = coverage.tallies.filter { recordKinds.contains($0.key.kind) }.compactMap(\.value.last).max()
        let sorted = rows.values.sorted { a, b in
            (a.isDevice ? 1 : 0, a.platform?.rawValue ?? "~", a.account ?? "", a.device ?? "") < (b.isDevice ? 1 : 0, b.platform?.rawValue ?? "~", b.account ?? "", b.device ?? "")
        }
        return CoverageMatrix(rows: sorted, organizationWide: organizationWide, latest: latest)
    }

    /// Devices the policy names by exact name: approved destinations, sensitive segments, approved sessions.
    static func devicesNamed(by policy: Policy) -> [String] {
        var names = policy.approvedDestinations.compactMap(\.device) + policy.sensitiveSegments.flatMap { $0.devices.keys }
        names += (policy.approvedSessions ?? []).compactMap { BaselineRules.device(ofSessionId: $0.id) }
        var seen = Set<String>()
        return names.filter { !$0.contains("*") && !$0.contains("?") && seen.insert($0.lowercased()).inserted }
    }

    /// The newest control-plane record time of a platform.
    public func latestControlPlane(_ platform: Platform) -> Date? {
        rows.filter { $0.platform == platform }.compactMap { $0.kinds[.controlPlane]?.last }.max()
    }
}
