/// Where `mirrorwatch serve` keeps its state: accepted batches, findings with their lifecycle, the
/// audit log, tokens, exceptions, the alert outbox, the policy history and work to be done once.
///
/// Two implementations: ``SQLiteStore`` (one file, the default, one process) and the PostgreSQL
/// store (several replicas sharing one database). Everything that must hold across replicas is a
/// property of the store, not of a process: findings are deduplicated by their unique id, outbox
/// entries by (sink, finding), and work is claimed by one replica at a time with a lease.
public protocol ServiceStore: Sendable {
    /// What and where, for the log and the status page (`sqlite /var/lib/mirrorwatch/state.sqlite`).
    var location: String { get }
    /// True when other processes write to the same store (replicas read each other's batches).
    var isShared: Bool { get }

    // MARK: Batches

    /// Stores a batch durably; returns its id. Only then may the batch be acknowledged. Ids are
    /// committed in increasing order, so a reader that has seen id N has seen every batch below N.
    func insertBatch(_ batch: NewBatch) async throws -> Int64
    /// Stores a batch unless one with the same SHA-256 from the same source (nil: posted without
    /// one) is stored already, checked and inserted in one step: a retry, or the same file loaded
    /// twice, on any replica, is stored once. Returns the batch's id and whether it was stored now.
    func insertBatchUnlessPresent(_ batch: NewBatch) async throws -> (id: Int64, inserted: Bool)
    /// Batches with an id above `after`, in the order they were accepted, at most `limit`.
    func batches(after: Int64, limit: Int) async throws -> [StoredBatch]
    /// Ids of the batches above `after`, in order, at most `limit` (without their bytes: a replica
    /// fetches only the batches it has not read).
    func batchIds(after: Int64, limit: Int) async throws -> [Int64]
    func batch(id: Int64) async throws -> StoredBatch?
    func batchCount() async throws -> Int

    // MARK: Findings

    /// Records the findings of an evaluation that covered batches through `through`: new ids are
    /// inserted as `new` (or `suppressed` when a policy exception covers them), known ids keep their
    /// lifecycle and take the content of the evaluation that saw the most. Unique ids make this
    /// idempotent across evaluations and replicas. Returns the ids this call inserted.
    func record(_ findings: [StoreFinding], through: Int64) async throws -> [String]
    /// One page of the findings `filter` asks for, the most recently first seen first and the most
    /// severe first among those (``FindingOrder``), with how many there are in all.
    func findings(_ filter: FindingFilter, page: Page) async throws -> Paged<StoredFinding>
    func finding(id: String) async throws -> StoredFinding?
    /// Findings per status (every status present, zero when none).
    func findingCounts() async throws -> [FindingStatus: Int]
    /// Moves a finding to `status`, recording who and why in the audit log. False when no such finding.
    func setStatus(of id: String, to status: FindingStatus, by actor: String, note: String) async throws -> Bool

    // MARK: Audit log and tokens

    func audit(actor: String, action: String, subject: String, detail: String) async throws
    /// One page of the audit log, oldest first, with how many entries there are in all.
    func auditLog(page: Page) async throws -> Paged<AuditEntry>
    /// Stores a token's hash under `name` with `role` (replacing a token of that name).
    func saveToken(name: String, role: String, sha256: String, by actor: String) async throws
    /// Creates a token unless one of that name exists (replicas starting together make one); true when created.
    func createToken(name: String, role: String, sha256: String, by actor: String) async throws -> Bool
    func tokens() async throws -> [StoredToken]

    // MARK: Exceptions and policy

    /// Stores a documented exception (the store gives its id, `svc-N`), recorded in the audit log.
    func addException(_ exception: StoredException, by actor: String) async throws -> StoredException
    func exceptions() async throws -> [StoredException]
    /// Records a policy as the current one unless it already is (same SHA-256); returns the current version.
    func recordPolicy(text: String, sha256: String, by actor: String) async throws -> PolicyVersion
    /// Every policy the service has run with, oldest first.
    func policyHistory() async throws -> [PolicyVersion]

    // MARK: Work claimed by one replica

    /// Queues work (`reevaluate` after a policy or exception change) unless the same kind is already waiting.
    func enqueueJob(kind: String, reason: String) async throws
    /// Claims the oldest waiting job (or one whose lease ran out) for `lease` seconds.
    func claimJob(by worker: String, lease: Double) async throws -> StoredJob?
    func finishJob(_ id: Int64) async throws

    // MARK: Outbox

    /// Queues payloads for sinks; a finding already queued for a sink is not queued again.
    func enqueue(_ entries: [OutboxItem]) async throws
    /// Claims entries that are due (of `sink` only, when given) for `lease` seconds: no other replica
    /// gets them meanwhile.
    func claimOutbox(sink: String?, limit: Int, lease: Double) async throws -> [OutboxEntry]
    func markDelivered(_ id: Int64) async throws
    /// Records a failed attempt; the next one is due after `retryAfter` seconds.
    func markFailed(_ id: Int64, error: String, retryAfter: Double) async throws
    /// Gives back a claimed entry that was not tried: due again after `retryAfter` seconds, its
    /// attempts unchanged.
    func release(_ id: Int64, retryAfter: Double) async throws
    /// Per sink: entries delivered and entries waiting.
    func outboxCounts() async throws -> [String: OutboxCount]
}

/// A batch to store, as it was received.
public struct NewBatch: Sendable {
    public var kind: String
    public var bytes: [UInt8]
    public var receivedBy: String
    /// The SHA-256 of `bytes` (hex), for evidence and to recognize a batch sent twice.
    public var sha256: String
    /// Where the sender read it (`aws/111122223333/us-east-1/describe-traffic-mirror-sessions.json`):
    /// evidence names it, and readers take hints from it as from a file's path.
    public var source: String?
    /// When the sender's file was last modified (ISO 8601), the "as of" time of a snapshot.
    public var modified: String?

    public init(kind: String, bytes: [UInt8], receivedBy: String, sha256: String, source: String? = nil, modified: String? = nil) {
        self.kind = kind
        self.bytes = bytes
        self.receivedBy = receivedBy
        self.sha256 = sha256
        self.source = source
        self.modified = modified
    }
}

/// A payload to queue for a sink.
public struct OutboxItem: Sendable, Equatable {
    public var sink: String
    public var findingId: String
    public var payload: String

    public init(sink: String, findingId: String, payload: String) {
        self.sink = sink
        self.findingId = findingId
        self.payload = payload
    }
}

/// Delivered and waiting entries of one sink.
public struct OutboxCount: Sendable, Equatable {
    public var delivered: Int
    public var waiting: Int

    public init(delivered: Int, waiting: Int) {
        self.delivered = delivered
        self.waiting = waiting
    }
}

/// One version of the policy the service ran with.
public struct PolicyVersion: Sendable, Equatable {
    public var version: Int64
    /// The policy file's text, as given.
    public var text: String
    public var sha256: String
    public var recordedBy: String
    public var recordedAt: String

    public init(version: Int64, text: String, sha256: String, recordedBy: String, recordedAt: String) {
        self.version = version
        self.text = text
        self.sha256 = sha256
        self.recordedBy = recordedBy
        self.recordedAt = recordedAt
    }
}

/// Work claimed by one replica.
public struct StoredJob: Sendable, Equatable {
    public var id: Int64
    public var kind: String
    public var reason: String

    public init(id: Int64, kind: String, reason: String) {
        self.id = id
        self.kind = kind
        self.reason = reason
    }
}
