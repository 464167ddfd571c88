/// How a scope's audit logging is configured, from configuration exports: a CloudTrail trail and
/// its status, the lifecycle of the bucket it writes to, a GCP log bucket, an Azure workspace.
/// Coverage checks it (is it on, does it cover every region, is retention long enough).
public struct LoggingConfig: Sendable {
    public enum Kind: String, Sendable {
        /// A CloudTrail trail (describe-trails), with status and event selectors when given.
        case trail
        /// Where logs are stored and for how long: an S3 bucket lifecycle, a GCP log or storage bucket, an Azure workspace.
        case storage
    }

    public var platform: Platform
    public var scope: Scope
    public var kind: Kind
    /// Trail name or ARN, bucket name, log bucket resource name, workspace id.
    public var name: String
    /// How long records are kept, in days; nil when kept indefinitely (no expiration rule).
    public var retentionDays: Int?
    /// Whether the trail is logging now (get-trail-status), when known.
    public var isLogging: Bool?
    /// A trail that records every region.
    public var multiRegion: Bool?
    /// Whether management events (every mirroring call) are recorded, when the selectors are known.
    public var managementEvents: Bool?
    /// Where the records go (a trail's bucket).
    public var destination: String?
    /// A trail's `S3KeyPrefix`: its records are under `PREFIX/AWSLogs/` in the bucket.
    public var keyPrefix: String?
    /// A bucket's enabled expiration rules, by object prefix (`""` for all objects), in days.
    public var expirations: [(prefix: String, days: Int)] = []
    public var evidence: Evidence

    public init(platform: Platform, scope: Scope, kind: Kind, name: String, retentionDays: Int? = nil, isLogging: Bool? = nil,
                multiRegion: Bool? = nil, managementEvents: Bool? = nil, destination: String? = nil, evidence: Evidence) {
        self.platform = platform
        self.scope = scope
        self.kind = kind
        self.name = name
        self.retentionDays = retentionDays
        self.isLogging = isLogging
        self.multiRegion = multiRegion
        self.managementEvents = managementEvents
        self.destination = destination
        self.evidence = evidence
    }

    /// The shortest expiration that deletes objects under `path`: a rule on a prefix of it, or on
    /// a narrower prefix inside it. nil when none does (kept indefinitely).
    public static func retention(_ expirations: [(prefix: String, days: Int)], logsUnder path: String) -> Int? {
        expirations.filter { path.hasPrefix($0.prefix) || $0.prefix.hasPrefix(path) }.map(\.days).min()
    }
}
