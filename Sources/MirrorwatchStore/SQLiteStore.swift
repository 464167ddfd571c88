import Foundation
import GRDB

/// The service's state in one SQLite file (WAL, created on first start, schema migrations
/// versioned): accepted batches, findings with their lifecycle, the audit log and tokens.
///
/// Writes are synchronous with `synchronous = FULL`, so a batch the caller acknowledges after
/// `insertBatch` returns survives a crash of the process or the machine.
public final class SQLiteStore: Sendable {
    private let pool: DatabasePool
    /// Path of the database file.
    public let path: String

    /// Opens (creating when missing) the database at `path` and brings its schema up to date.
    public init(path: String) throws {
        self.path = path
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty { try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true) }
        var configuration = Configuration()
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = FULL")
        }
        configuration.busyMode = .timeout(10)
        pool = try DatabasePool(path: path, configuration: configuration)
        try Self.migrator.migrate(pool)
    }

    /// Schema versions, applied in order and recorded in the database (GRDB's `grdb_migrations`).
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: batches, findings, audit log, tokens") { db in
            try db.execute(sql: """
                CREATE TABLE batch (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    kind TEXT NOT NULL,
                    received_at TEXT NOT NULL,
                    received_by TEXT NOT NULL,
                    bytes BLOB NOT NULL
                );
                CREATE TABLE finding (
                    id TEXT PRIMARY KEY,
                    rule TEXT NOT NULL,
                    severity TEXT NOT NULL,
                    title TEXT NOT NULL,
                    json TEXT NOT NULL,
                    status TEXT NOT NULL DEFAULT 'new',
                    status_by TEXT,
                    status_at TEXT,
                    first_seen TEXT NOT NULL,
                    last_seen TEXT NOT NULL
                );
                CREATE INDEX finding_status ON finding(status, severity);
                CREATE TABLE audit_log (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    at TEXT NOT NULL,
                    actor TEXT NOT NULL,
                    action TEXT NOT NULL,
                    subject TEXT NOT NULL,
                    detail TEXT NOT NULL
                );
                CREATE TABLE token (
                    name TEXT PRIMARY KEY,
                    role TEXT NOT NULL,
                    sha256 TEXT NOT NULL UNIQUE,
                    created_at TEXT NOT NULL
                );
                """)
        }
        migrator.registerMigration("v2: outbox for alert sinks") { db in
            try db.execute(sql: """
                CREATE TABLE outbox (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    sink TEXT NOT NULL,
                    finding_id TEXT NOT NULL,
                    payload TEXT NOT NULL,
                    attempts INTEGER NOT NULL DEFAULT 0,
                    next_attempt REAL NOT NULL,
                    delivered_at TEXT,
                    last_error TEXT,
                    UNIQUE (sink, finding_id)
                );
                CREATE INDEX outbox_due ON outbox(delivered_at, next_attempt);
                """)
        }
        migrator.registerMigration("v3: exceptions made in the service") { db in
            try db.execute(sql: """
                CREATE TABLE exception (
                    id TEXT PRIMARY KEY,
                    rule TEXT NOT NULL,
                    resource TEXT,
                    destination TEXT,
                    account TEXT,
                    device TEXT,
                    owner TEXT NOT NULL,
                    justification TEXT NOT NULL,
                    ticket TEXT,
                    expires TEXT NOT NULL,
                    created_by TEXT NOT NULL,
                    created_at TEXT NOT NULL
                );
                """)
        }
        return migrator
    }

    // MARK: Exceptions

    /// Stores a documented exception (its id is given by the store: `svc-N`), recorded in the audit log.
    public func addException(_ exception: StoredException, by actor: String) throws -> StoredException {
        try pool.write { db in
            let count = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM exception") ?? 0
            var stored = exception
            stored.id = "svc-\(count + 1)"
            stored.createdBy = actor
            stored.createdAt = Self.now()
            try db.execute(sql: """
                INSERT INTO exception (id, rule, resource, destination, account, device, owner, justification, ticket, expires, created_by, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [stored.id, stored.rule, stored.resource, stored.destination, stored.account, stored.device, stored.owner,
                                 stored.justification, stored.ticket, stored.expires, stored.createdBy, stored.createdAt])
            try Self.audit(db, at: stored.createdAt, actor: actor, action: "exception.created", subject: stored.id,
                           detail: "\(stored.rule) for \(stored.owner) until \(stored.expires): \(stored.justification)")
            return stored
        }
    }

    public func exceptions() throws -> [StoredException] {
        try pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM exception ORDER BY created_at, id").map {
                StoredException(id: $0["id"], rule: $0["rule"], resource: $0["resource"], destination: $0["destination"], account: $0["account"],
                                device: $0["device"], owner: $0["owner"], justification: $0["justification"], ticket: $0["ticket"],
                                expires: $0["expires"], createdBy: $0["created_by"], createdAt: $0["created_at"])
            }
        }
    }

    // MARK: Outbox

    /// Queues payloads for sinks; a finding already queued for a sink is not queued again.
    public func enqueue(_ entries: [(sink: String, findingId: String, payload: String)]) throws {
        guard !entries.isEmpty else { return }
        try pool.write { db in
            let now = Date().timeIntervalSince1970
            for entry in entries {
                try db.execute(sql: "INSERT OR IGNORE INTO outbox (sink, finding_id, payload, next_attempt) VALUES (?, ?, ?, ?)",
                               arguments: [entry.sink, entry.findingId, entry.payload, now])
            }
        }
    }

    /// Entries not delivered yet whose next attempt is due, oldest first.
    public func dueOutbox(limit: Int) throws -> [OutboxEntry] {
        try pool.read { db in
            try Row.fetchAll(db, sql: """
                SELECT id, sink, finding_id, payload, attempts FROM outbox
                WHERE delivered_at IS NULL AND next_attempt <= ? ORDER BY id LIMIT ?
                """, arguments: [Date().timeIntervalSince1970, limit]).map {
                OutboxEntry(id: $0["id"], sink: $0["sink"], findingId: $0["finding_id"], payload: $0["payload"], attempts: $0["attempts"])
            }
        }
    }

    public func markDelivered(_ id: Int64) throws {
        try pool.write { db in try db.execute(sql: "UPDATE outbox SET delivered_at = ? WHERE id = ?", arguments: [Self.now(), id]) }
    }

    /// Records a failed attempt; the next one is due after `retryAfter` seconds.
    public func markFailed(_ id: Int64, error: String, retryAfter: Double) throws {
        try pool.write { db in
            try db.execute(sql: "UPDATE outbox SET attempts = attempts + 1, last_error = ?, next_attempt = ? WHERE id = ?",
                           arguments: [error, Date().timeIntervalSince1970 + retryAfter, id])
        }
    }

    /// Per sink: entries delivered and entries waiting.
    public func outboxCounts() throws -> [String: (delivered: Int, waiting: Int)] {
        try pool.read { db in
            var counts: [String: (delivered: Int, waiting: Int)] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT sink, SUM(delivered_at IS NOT NULL) AS d, SUM(delivered_at IS NULL) AS w FROM outbox GROUP BY sink") {
                counts[row["sink"]] = (row["d"], row["w"])
            }
            return counts
        }
    }

    /// Applied migrations, oldest first.
    public func appliedMigrations() throws -> [String] {
        try pool.read { db in try Self.migrator.appliedMigrations(db) }
    }

    static func now() -> String { ISO8601DateFormatter().string(from: Date()) }

    // MARK: Batches

    /// Stores a batch durably; returns its id. Only then may the batch be acknowledged.
    public func insertBatch(kind: String, bytes: [UInt8], receivedBy: String) async throws -> Int64 {
        try await pool.write { db in
            try db.execute(sql: "INSERT INTO batch (kind, received_at, received_by, bytes) VALUES (?, ?, ?, ?)",
                           arguments: [kind, Self.now(), receivedBy, Data(bytes)])
            return db.lastInsertedRowID
        }
    }

    /// Batches with an id above `after`, in the order they were accepted.
    public func batches(after: Int64 = 0) throws -> [StoredBatch] {
        try pool.read { db in
            try Row.fetchAll(db, sql: "SELECT id, kind, received_at, received_by, bytes FROM batch WHERE id > ? ORDER BY id", arguments: [after]).map { row in
                let id: Int64 = row["id"]
                let kind: String = row["kind"]
                let data: Data = row["bytes"]
                return StoredBatch(id: id, kind: kind, name: "ingest/\(id)/\(kind)", receivedAt: row["received_at"], receivedBy: row["received_by"], bytes: [UInt8](data))
            }
        }
    }

    /// Findings per status (every status present, zero when none).
    public func findingCounts() throws -> [FindingStatus: Int] {
        try pool.read { db in
            var counts = Dictionary(uniqueKeysWithValues: FindingStatus.allCases.map { ($0, 0) })
            for row in try Row.fetchAll(db, sql: "SELECT status, COUNT(*) AS n FROM finding GROUP BY status") {
                if let status = FindingStatus(rawValue: row["status"]) { counts[status] = row["n"] }
            }
            return counts
        }
    }

    /// Number of stored batches.
    public func batchCount() throws -> Int {
        try pool.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM batch") ?? 0 }
    }

    // MARK: Findings

    /// Records the findings of an evaluation: new ids are inserted as `new` (or `suppressed` when a
    /// policy exception covers them), known ids keep their lifecycle and get the latest content.
    /// Unique ids make this idempotent (and safe to run from several evaluations). Returns the ids
    /// that were new.
    @discardableResult
    public func record(_ findings: [StoreFinding]) throws -> [String] {
        try pool.write { db in
            var inserted: [String] = []
            let now = Self.now()
            for f in findings {
                if let status = try String.fetchOne(db, sql: "SELECT status FROM finding WHERE id = ?", arguments: [f.id]) {
                    try db.execute(sql: "UPDATE finding SET rule = ?, severity = ?, title = ?, json = ?, last_seen = ? WHERE id = ?",
                                   arguments: [f.rule, f.severity, f.title, f.json, now, f.id])
                    // An exception made (or expired) since: a new finding becomes suppressed, a suppressed one new again.
                    if status == FindingStatus.new.rawValue, let exception = f.exception {
                        try db.execute(sql: "UPDATE finding SET status = 'suppressed', status_by = ?, status_at = ? WHERE id = ?",
                                       arguments: ["policy exception \(exception)", now, f.id])
                    } else if status == FindingStatus.suppressed.rawValue, f.exception == nil {
                        try db.execute(sql: "UPDATE finding SET status = 'new', status_by = ?, status_at = ? WHERE id = ?",
                                       arguments: ["exception no longer applies", now, f.id])
                    }
                } else {
                    let status = f.exception == nil ? FindingStatus.new : .suppressed
                    let statusBy = f.exception.map { "policy exception \($0)" }
                    try db.execute(sql: "INSERT INTO finding (id, rule, severity, title, json, status, status_by, status_at, first_seen, last_seen) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                                   arguments: [f.id, f.rule, f.severity, f.title, f.json, status.rawValue, statusBy, statusBy == nil ? nil : now, now, now])
                    inserted.append(f.id)
                }
            }
            return inserted
        }
    }

    /// Findings, newest first, optionally only those in `status` or of `severity`.
    public func findings(status: FindingStatus? = nil, severity: String? = nil) throws -> [StoredFinding] {
        try pool.read { db in
            var sql = "SELECT * FROM finding WHERE 1 = 1"
            var arguments: StatementArguments = []
            if let status { sql += " AND status = ?"; _ = arguments.append(contentsOf: [status.rawValue]) }
            if let severity { sql += " AND severity = ?"; _ = arguments.append(contentsOf: [severity]) }
            sql += " ORDER BY last_seen DESC, id"
            return try Row.fetchAll(db, sql: sql, arguments: arguments).map(Self.finding)
        }
    }

    /// One finding by id.
    public func finding(id: String) throws -> StoredFinding? {
        try pool.read { db in try Row.fetchOne(db, sql: "SELECT * FROM finding WHERE id = ?", arguments: [id]).map(Self.finding) }
    }

    private static func finding(_ row: Row) -> StoredFinding {
        StoredFinding(id: row["id"], rule: row["rule"], severity: row["severity"], title: row["title"], json: row["json"],
                      status: FindingStatus(rawValue: row["status"]) ?? .new, statusBy: row["status_by"], statusAt: row["status_at"],
                      firstSeen: row["first_seen"], lastSeen: row["last_seen"])
    }

    /// Moves a finding to `status`, recording who and why in the audit log. Returns false when no such finding.
    public func setStatus(of id: String, to status: FindingStatus, by actor: String, note: String) throws -> Bool {
        try pool.write { db in
            let now = Self.now()
            try db.execute(sql: "UPDATE finding SET status = ?, status_by = ?, status_at = ? WHERE id = ?", arguments: [status.rawValue, actor, now, id])
            guard db.changesCount == 1 else { return false }
            try Self.audit(db, at: now, actor: actor, action: "finding.\(status.rawValue)", subject: id, detail: note)
            return true
        }
    }

    // MARK: Audit log

    private static func audit(_ db: Database, at: String, actor: String, action: String, subject: String, detail: String) throws {
        try db.execute(sql: "INSERT INTO audit_log (at, actor, action, subject, detail) VALUES (?, ?, ?, ?, ?)", arguments: [at, actor, action, subject, detail])
    }

    /// Records an action in the audit log.
    public func audit(actor: String, action: String, subject: String, detail: String) throws {
        try pool.write { db in try Self.audit(db, at: Self.now(), actor: actor, action: action, subject: subject, detail: detail) }
    }

    /// The audit log, oldest first.
    public func auditLog() throws -> [AuditEntry] {
        try pool.read { db in
            try Row.fetchAll(db, sql: "SELECT at, actor, action, subject, detail FROM audit_log ORDER BY id").map {
                AuditEntry(at: $0["at"], actor: $0["actor"], action: $0["action"], subject: $0["subject"], detail: $0["detail"])
            }
        }
    }

    // MARK: Tokens

    /// Stores a token's hash under `name` with `role` (replacing a token of that name).
    public func saveToken(name: String, role: String, sha256: String, by actor: String) throws {
        try pool.write { db in
            try db.execute(sql: "INSERT OR REPLACE INTO token (name, role, sha256, created_at) VALUES (?, ?, ?, ?)", arguments: [name, role, sha256, Self.now()])
            try Self.audit(db, at: Self.now(), actor: actor, action: "token.saved", subject: name, detail: "role \(role)")
        }
    }

    /// All tokens (hashes only).
    public func tokens() throws -> [StoredToken] {
        try pool.read { db in
            try Row.fetchAll(db, sql: "SELECT name, role, sha256 FROM token ORDER BY name").map { StoredToken(name: $0["name"], role: $0["role"], sha256: $0["sha256"]) }
        }
    }
}
