import Foundation

/// What to scan and how.
public struct ScanOptions: Sendable {
    /// Files, directories (walked recursively) and `-` for standard input.
    public var paths: [String]
    /// Force one format for every input instead of sniffing.
    public var forcedKind: InputKind?
    public var policy: Policy
    /// "Now" for exception expiry (defaults to the real time).
    public var now: Date
    /// Time stamped on findings about live state; defaults to `now`.
    public var observationTime: Date?
    /// Inputs read at once; defaults to the number of cores.
    public var parallelism: Int
    /// Told after each input is read and, while inputs are being read, every `progressInterval`
    /// (from one task at a time).
    public var progress: (@Sendable (ScanProgress) -> Void)?
    public var progressInterval: Duration = .milliseconds(200)
    /// The process ends after this scan (a one-shot command): what was read is left for the
    /// operating system to reclaim at exit (`ProcessLifetime`) instead of being freed record by record.
    public var endsProcess = false

    public init(paths: [String], policy: Policy = Policy(), forcedKind: InputKind? = nil, now: Date = Date(),
                observationTime: Date? = nil, parallelism: Int = ProcessInfo.processInfo.activeProcessorCount) {
        self.paths = paths
        self.policy = policy
        self.forcedKind = forcedKind
        self.now = now
        self.observationTime = observationTime
        self.parallelism = max(1, parallelism)
    }
}

/// How far reading has come: inputs read of those found, and their bytes.
public struct ScanProgress: Sendable, Equatable {
    public var inputsRead: Int
    public var inputs: Int
    /// Bytes readers are done with so far, inside inputs still being read too (after decompression).
    public var bytesRead: Int
    public var recordsRead: Int
}

/// What a scan found and read.
public struct ScanResult: Sendable {
    public var findings: [Finding]
    /// One report per input, in input order, plus one for paths that could not be opened.
    public var reports: [InputReport]
    /// The live mirroring state after replaying every change.
    public var graph: MirrorGraph
    public var changes: Int
    /// Changes read more than once (same event id), counted once.
    public var duplicateChanges: Int
    /// Exceptions that matched nothing: stale entries to review.
    public var unusedExceptions: [PolicyException]
    /// Sign-ins and credential events read, and flow records kept.
    public var authEvents = 0
    public var flows = 0

    /// One finding per change (see `ChangeCorrelator`), plus the findings that are not about a change.
    public var correlatedFindings: [Finding] = []
    /// Who can configure mirroring, per principal of the IAM exports read.
    public var access: [AccessVerdict] = []
    /// What telemetry was read, per scope.
    public var coverage = CoverageMatrix()
    /// Audit-logging configuration read (trails, log storage).
    public var loggingConfigs: [LoggingConfig] = []

    public var recordsRead: Int { reports.reduce(0) { $0 + $1.records } }
    public var recordsSkipped: Int { reports.reduce(0) { $0 + $1.skipped } }
    public var issues: [InputIssue] { reports.flatMap(\.issues) }
}
