import MirrorwatchModel

/// Everything one input yielded: normalized records plus its read report.
public struct ReadResult: Sendable {
    public var report: InputReport
    public var changes: [MirrorChange] = []
    public var sessions: [ObservedSession] = []
    public var targets: [ObservedTarget] = []
    public var filters: [ObservedFilter] = []
    public var assets: [AssetFact] = []
    public var tickets: [ChangeTicket] = []
    /// Scopes whose complete list of mirror sessions this input holds (a `describe` of sessions),
    /// so that an approved session absent from it is known to be gone.
    public var sessionLists: [SessionList] = []
    /// Load balancer changes (members registered, listeners pointed elsewhere): where mirrored
    /// packets end when a mirror target is a load balancer.
    public var balancerChanges: [BalancerChange] = []
    /// Target groups and the load balancers feeding them, from inventory snapshots.
    public var targetGroups: [ObservedTargetGroup] = []
    /// Changes to cloud audit logging (trails, sinks, diagnostic settings), for coverage.
    public var loggingChanges: [LoggingChange] = []
    /// Device configuration activity (for coverage): configured, commands logged, logging switched off.
    public var deviceActivity: [DeviceActivity] = []
    /// Sign-ins and credential events, for identity context.
    public var authEvents: [AuthEvent] = []
    /// Flow records from flow logs and NetFlow exports.
    public var flows: [FlowRecord] = []
    /// Principals, policies and grants from IAM exports, for least-privilege review.
    public var access = AccessFacts()
    /// Audit-logging configuration (trails, log buckets, workspaces), for coverage and retention.
    public var loggingConfigs: [LoggingConfig] = []
    /// Telemetry seen per scope (account, region, device), counted for every record, relevant or not.
    public var telemetry = TelemetryCoverage()

    public init(report: InputReport) { self.report = report }
}
