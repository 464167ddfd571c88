import Foundation

/// Where a finding is in its lifecycle: new → acknowledged → resolved, or suppressed by a
/// documented exception. Changing it is recorded with who and when.
public enum FindingStatus: String, Sendable, CaseIterable, Codable {
    case new
    case acknowledged
    case resolved
    case suppressed

    /// What an evaluation does to a finding already stored in `self`: a `new` finding a policy
    /// exception now covers becomes `suppressed`, a suppressed one it no longer covers is `new`
    /// again; acknowledged and resolved findings keep their status. Nil when nothing changes.
    public func afterEvaluation(exception: String?) -> (status: FindingStatus, by: String)? {
        if self == .new, let exception { return (.suppressed, "policy exception \(exception)") }
        if self == .suppressed, exception == nil { return (.new, "exception no longer applies") }
        return nil
    }

    /// The status and `status_by` of a finding recorded for the first time.
    public static func initial(exception: String?) -> (status: FindingStatus, by: String?) {
        exception.map { (.suppressed, "policy exception \($0)") } ?? (.new, nil)
    }
}

/// The order findings are listed in, the same in every store: the most recently first seen first,
/// and among those found together (a backfill, one evaluation) the most severe first.
public enum FindingOrder {
    public static let sql = """
        first_seen DESC, CASE severity WHEN 'critical' THEN 0 WHEN 'high' THEN 1 WHEN 'medium' THEN 2 WHEN 'low' THEN 3 ELSE 4 END, last_seen DESC, id
        """
}

/// Timestamps as the stores write them (ISO 8601, UTC, seconds).
public enum StoreTime {
    public static func now() -> String { format(Date()) }

    /// A time as the stores write it (ISO 8601, UTC, whole seconds).
    public static func format(_ date: Date) -> String { ISO8601DateFormatter().string(from: date) }
}

/// A finding as the store keeps it: the finding's contract JSON plus its lifecycle.
public struct StoredFinding: Sendable, Equatable {
    public var id: String
    public var rule: String
    public var severity: String
    public var title: String
    /// The finding as one JSON object (the contract's finding JSON).
    public var json: String
    public var status: FindingStatus
    /// Who last changed the status, and when (nil while new).
    public var statusBy: String?
    public var statusAt: String?
    public var firstSeen: String
    public var lastSeen: String
    /// The finding's place in the order findings were first recorded (1, 2, 3, ...; never reused,
    /// never changed): a poller asks for what came after the last one it saw.
    public var sequence: Int64

    public init(id: String, rule: String, severity: String, title: String, json: String, status: FindingStatus, statusBy: String?, statusAt: String?,
                firstSeen: String, lastSeen: String, sequence: Int64 = 0) {
        self.id = id
        self.rule = rule
        self.severity = severity
        self.title = title
        self.json = json
        self.status = status
        self.statusBy = statusBy
        self.statusAt = statusAt
        self.firstSeen = firstSeen
        self.lastSeen = lastSeen
        self.sequence = sequence
    }
}

/// One input batch as it was accepted: stored before it was acknowledged.
public struct StoredBatch: Sendable {
    public var id: Int64
    /// The input kind it was posted as (`cloudtrail`, `syslog`, …) or `auto`.
    public var kind: String
    /// The name evidence refers to: `ingest/42/cloudtrail`, or `ingest/42/` and the sender's source path.
    public var name: String
    public var receivedAt: String
    public var receivedBy: String
    public var bytes: [UInt8]
    public var sha256: String?
    public var source: String?
    /// The sender's modification time of the file (ISO 8601), when given.
    public var modified: String?

    public init(id: Int64, kind: String, receivedAt: String, receivedBy: String, bytes: [UInt8], sha256: String? = nil, source: String? = nil,
                modified: String? = nil) {
        self.id = id
        self.kind = kind
        self.name = Self.name(id: id, kind: kind, source: source)
        self.receivedAt = receivedAt
        self.receivedBy = receivedBy
        self.bytes = bytes
        self.sha256 = sha256
        self.source = source
        self.modified = modified
    }

    /// The evidence name of batch `id` posted as `kind` from `source`.
    public static func name(id: Int64, kind: String, source: String? = nil) -> String {
        source.map { "ingest/\(id)/\($0)" } ?? "ingest/\(id)/\(kind)"
    }
}

/// One line of the audit log: who changed a finding, an exception or a token, and when.
public struct AuditEntry: Sendable, Equatable {
    public var at: String
    public var actor: String
    public var action: String
    public var subject: String
    public var detail: String

    public init(at: String, actor: String, action: String, subject: String, detail: String) {
        self.at = at
        self.actor = actor
        self.action = action
        self.subject = subject
        self.detail = detail
    }
}

/// A token as stored: its name, role and SHA-256 (the token itself is never stored).
public struct StoredToken: Sendable, Equatable {
    public var name: String
    public var role: String
    public var sha256: String

    public init(name: String, role: String, sha256: String) {
        self.name = name
        self.role = role
        self.sha256 = sha256
    }
}

/// A finding handed to the store by an evaluation.
public struct StoreFinding: Sendable {
    public var id: String
    public var rule: String
    public var severity: String
    public var title: String
    public var json: String
    /// The policy exception that covers it, if any: it is then recorded as suppressed.
    public var exception: String?

    public init(id: String, rule: String, severity: String, title: String, json: String, exception: String? = nil) {
        self.id = id
        self.rule = rule
        self.severity = severity
        self.title = title
        self.json = json
        self.exception = exception
    }
}

/// A payload waiting in the outbox for its sink.
public struct OutboxEntry: Sendable {
    public var id: Int64
    public var sink: String
    public var findingId: String
    public var payload: String
    /// Failed attempts so far.
    public var attempts: Int

    public init(id: Int64, sink: String, findingId: String, payload: String, attempts: Int) {
        self.id = id
        self.sink = sink
        self.findingId = findingId
        self.payload = payload
        self.attempts = attempts
    }
}

/// A documented exception made through the service (as the policy file's `exceptions`: a rule, what it
/// covers, an owner, a justification, an optional ticket and an expiry date).
public struct StoredException: Sendable, Equatable {
    public var id: String
    public var rule: String
    public var resource: String?
    public var destination: String?
    public var account: String?
    public var device: String?
    public var owner: String
    public var justification: String
    public var ticket: String?
    /// `YYYY-MM-DD`: the exception holds through that day (UTC).
    public var expires: String
    public var createdBy: String
    public var createdAt: String

    public init(id: String = "", rule: String, resource: String? = nil, destination: String? = nil, account: String? = nil, device: String? = nil,
                owner: String, justification: String, ticket: String? = nil, expires: String, createdBy: String = "", createdAt: String = "") {
        self.id = id
        self.rule = rule
        self.resource = resource
        self.destination = destination
        self.account = account
        self.device = device
        self.owner = owner
        self.justification = justification
        self.ticket = ticket
        self.expires = expires
        self.createdBy = createdBy
        self.createdAt = createdAt
    }

    /// How the audit log describes the exception's creation.
    public var auditDetail: String { "\(rule) for \(owner) until \(expires): \(justification)" }
}
