import Foundation

/// Kinds of telemetry coverage tells apart: which of them a scope has decides what we can see there.
public enum TelemetryKind: String, Sendable, CaseIterable, Comparable {
    /// Cloud control-plane audit logs (CloudTrail, Cloud Audit Logs, Activity Log).
    case controlPlane = "control-plane"
    /// Device syslog of any kind.
    case deviceSyslog = "device-syslog"
    /// Command-level records of configuration (IOS archive, accounting, Junos UI_CMDLINE).
    case deviceCommands = "device-commands"
    /// TACACS+ / ISE accounting.
    case tacacs
    /// Device configuration snapshots.
    case configSnapshot = "config-snapshot"
    /// Cloud inventory snapshots (describe/list output).
    case inventory
    /// Flow logs and NetFlow.
    case flows
    /// Sign-in logs.
    case signIns = "sign-ins"
    /// IAM exports.
    case iamExport = "iam-export"
    /// Audit-logging configuration exports.
    case loggingConfig = "logging-config"
    /// Change tickets.
    case tickets

    public static func < (a: Self, b: Self) -> Bool { allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)! }
}

/// A scope and kind of telemetry: an AWS account and region, a GCP project, an Azure subscription, a device.
public struct TelemetryKey: Sendable, Hashable, Comparable {
    /// nil for a device whose vendor the record does not say (plain syslog).
    public var platform: Platform?
    public var account: String?
    public var region: String?
    public var device: String?
    public var kind: TelemetryKind

    public init(platform: Platform?, account: String? = nil, region: String? = nil, device: String? = nil, kind: TelemetryKind) {
        self.platform = platform
        self.account = account
        self.region = region
        self.device = device?.lowercased()
        self.kind = kind
    }

    public static func < (a: Self, b: Self) -> Bool {
        (a.platform?.rawValue ?? "~", a.account ?? "", a.region ?? "", a.device ?? "", a.kind) < (b.platform?.rawValue ?? "~", b.account ?? "", b.region ?? "", b.device ?? "", b.kind)
    }
}

/// How much telemetry of one key was read: records, the time span, the inputs.
public struct TelemetryTally: Sendable {
    public var records = 0
    public var first: Date?
    public var last: Date?
    public var inputs: Set<String> = []

    public init() {}

    public mutating func note(time: Date?, count: Int = 1, input: String) {
        records += count
        if let time {
            if first.map({ time < $0 }) ?? true { first = time }
            if last.map({ time > $0 }) ?? true { last = time }
        }
        inputs.insert(input)
    }

    public mutating func merge(_ other: TelemetryTally) {
        records += other.records
        if let f = other.first, first.map({ f < $0 }) ?? true { first = f }
        if let l = other.last, last.map({ l > $0 }) ?? true { last = l }
        inputs.formUnion(other.inputs)
    }
}

/// Telemetry read, per scope and kind: the raw material of the coverage matrix.
public struct TelemetryCoverage: Sendable {
    public private(set) var tallies: [TelemetryKey: TelemetryTally] = [:]

    public init() {}

    public var isEmpty: Bool { tallies.isEmpty }

    public mutating func note(_ key: TelemetryKey, time: Date?, count: Int = 1, input: String) {
        tallies[key, default: TelemetryTally()].note(time: time, count: count, input: input)
    }

    public mutating func merge(_ other: TelemetryCoverage) {
        for (key, tally) in other.tallies { tallies[key, default: TelemetryTally()].merge(tally) }
    }

    public subscript(key: TelemetryKey) -> TelemetryTally? { tallies[key] }
}
