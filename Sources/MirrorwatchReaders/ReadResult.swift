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

    public init(report: InputReport) { self.report = report }
}
