import Foundation
import GRDB

/// The service's state in one SQLite file (WAL, created on first start, schema migrations
/// versioned): the default ``ServiceStore``, for one process.
///
/// Writes are synchronous with `synchronous = FULL`, so a batch the caller acknowledges after
/// `insertBatch` returns survives a crash of the process or the machine. SQLite serializes
/// writers, so batch ids are committed in order.
public final class SQLiteStore: ServiceStore {
    let pool: DatabasePool
    /// Path of the database file.
    public let path: String
    public var location: String { "sqlite \(path)" }
    public var isShared: Bool { false }

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

    /// Applied migrations, oldest first.
    public func appliedMigrations() throws -> [String] {
        try pool.read { db in try Self.migrator.appliedMigrations(db) }
    }

    // MARK: Batches

    public func insertBatch(_ batch: NewBatch) async throws -> Int64 {
        try await pool.write { db in try Self.insert(batch, db) }
    }

    public func insertBatchUnlessPresent(_ batch: NewBatch) async throws -> (id: Int64, inserted: Bool) {
        // One write transaction: SQLite runs one writer at a time, so no other insert comes between.
        try await pool.write { db in
            if let id = try Int64.fetchOne(db, sql: "SELECT id FROM batch WHERE sha256 = ? AND source IS ? ORDER BY id LIMIT 1",
                                           arguments: [batch.sha256, batch.source]) {
                return (id, false)
            }
            return (try Self.insert(batch, db), true)
        }
    }

    private static func insert(_ batch: NewBatch, _ db: Database) throws -> Int64 {
        try db.execute(sql: "INSERT INTO batch (kind, received_at, received_by, bytes, sha256, source, modified) VALUES (?, ?, ?, ?, ?, ?, ?)",
                       arguments: [batch.kind, StoreTime.now(), batch.receivedBy, Data(batch.bytes), batch.sha256, batch.source, batch.modified])
        return db.lastInsertedRowID
    }

    public func batches(after: Int64, limit: Int) async throws -> [StoredBatch] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM batch WHERE id > ? ORDER BY id LIMIT ?", arguments: [after, limit]).map(Self.batch)
        }
    }

    public func batchIds(after: Int64, limit: Int) async throws -> [Int64] {
        try await pool.read { db in try Int64.fetchAll(db, sql: "SELECT id FROM batch WHERE id > ? ORDER BY id LIMIT ?", arguments: [after, limit]) }
    }

    public func batch(id: Int64) async throws -> StoredBatch? {
        try await pool.read { db in try Row.fetchOne(db, sql: "SELECT * FROM batch WHERE id = ?", arguments: [id]).map(Self.batch) }
    }

    private static func batch(_ row: Row) -> StoredBatch {
        let data: Data = row["bytes"]
        return StoredBatch(id: row["id"], kind: row["kind"], receivedAt: row["received_at"], receivedBy: row["received_by"], bytes: [UInt8](data),
                           sha256: row["sha256"], source: row["source"], modified: row["modified"])
    }

    public func batchCount() async throws -> Int {
        try await pool.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM batch") ?? 0 }
    }

    // MARK: Findings

    public func record(_ findings: [StoreFinding], through: Int64) async throws -> [String] {
        try await pool.write { db in
            var inserted: [String] = []
            let now = StoreTime.now()
            for f in findings {
                if let row = try Row.fetchOne(db, sql: "SELECT status, through FROM finding WHERE id = ?", arguments: [f.id]) {
                    let known: Int64 = row["through"]
                    // An evaluation that saw fewer batches (another process behind this one) does not overwrite.
                    guard known <= through else { continue }
                    try db.execute(sql: "UPDATE finding SET rule = ?, severity = ?, title = ?, json = ?, last_seen = ?, through = ? WHERE id = ?",
                                   arguments: [f.rule, f.severity, f.title, f.json, now, through, f.id])
                    if let status = FindingStatus(rawValue: row["status"]), let change = status.afterEvaluation(exception: f.exception) {
                        try db.execute(sql: "UPDATE finding SET status = ?, status_by = ?, status_at = ? WHERE id = ?",
                                       arguments: [change.status.rawValue, change.by, now, f.id])
                    }
                } else {
                    let initial = FindingStatus.initial(exception: f.exception)
                    try db.execute(sql: """
                        INSERT INTO finding (id, rule, severity, title, json, status, status_by, status_at, first_seen, last_seen, through, seq)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, (SELECT COALESCE(MAX(seq), 0) + 1 FROM finding))
                        """, arguments: [f.id, f.rule, f.severity, f.title, f.json, initial.status.rawValue, initial.by,
                                         initial.by == nil ? nil : now, now, now, through])
                    inserted.append(f.id)
                }
            }
            return inserted
        }
    }

    public func findings(_ wanted: FindingFilter, page: Page) async throws -> Paged<StoredFinding> {
        try await pool.read { db in
            var filter = " WHERE 1 = 1"
            var arguments: StatementArguments = []
            if let status = wanted.status { filter += " AND status = ?"; _ = arguments.append(contentsOf: [status.rawValue]) }
            if let severity = wanted.severity { filter += " AND severity = ?"; _ = arguments.append(contentsOf: [severity]) }
            if let since = wanted.firstSeenSinceText { filter += " AND first_seen >= ?"; _ = arguments.append(contentsOf: [since]) }
            if let after = wanted.recordedAfter { filter += " AND seq > ?"; _ = arguments.append(contentsOf: [after]) }
            let total = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM finding" + filter, arguments: arguments) ?? 0
            _ = arguments.append(contentsOf: [page.limit ?? -1, page.offset])
            let order = wanted.recordedAfter == nil ? FindingOrder.sql : "seq"
            let rows = try Row.fetchAll(db, sql: "SELECT * FROM finding" + filter + " ORDER BY " + order + " LIMIT ? OFFSET ?",
                                        arguments: arguments).map(Self.finding)
            return Paged(rows: rows, total: total)
        }
    }

    public func finding(id: String) async throws -> StoredFinding? {
        try await pool.read { db in try Row.fetchOne(db, sql: "SELECT * FROM finding WHERE id = ?", arguments: [id]).map(Self.finding) }
    }

    private static func finding(_ row: Row) -> StoredFinding {
        StoredFinding(id: row["id"], rule: row["rule"], severity: row["severity"], title: row["title"], json: row["json"],
                      status: FindingStatus(rawValue: row["status"]) ?? .new, statusBy: row["status_by"], statusAt: row["status_at"],
                      firstSeen: row["first_seen"], lastSeen: row["last_seen"], sequence: (row["seq"] as Int64?) ?? 0)
    }

    public func findingCounts() async throws -> [FindingStatus: Int] {
        try await pool.read { db in
            var counts = Dictionary(uniqueKeysWithValues: FindingStatus.allCases.map { ($0, 0) })
            for row in try Row.fetchAll(db, sql: "SELECT status, COUNT(*) AS n FROM finding GROUP BY status") {
                if let status = FindingStatus(rawValue: row["status"]) { counts[status] = row["n"] }
            }
            return counts
        }
    }

    public func setStatus(of id: String, to status: FindingStatus, by actor: String, note: String) async throws -> Bool {
        try await pool.write { db in
            let now = StoreTime.now()
            try db.execute(sql: "UPDATE finding SET status = ?, status_by = ?, status_at = ? WHERE id = ?", arguments: [status.rawValue, actor, now, id])
            guard db.changesCount == 1 else { return false }
            try Self.audit(db, at: now, actor: actor, action: "finding.\(status.rawValue)", subject: id, detail: note)
            return true
        }
    }

    // MARK: Audit log and tokens

    static func audit(_ db: Database, at: String, actor: String, action: String, subject: String, detail: String) throws {
        try db.execute(sql: "INSERT INTO audit_log (at, actor, action, subject, detail) VALUES (?, ?, ?, ?, ?)", arguments: [at, actor, action, subject, detail])
    }

    public func audit(actor: String, action: String, subject: String, detail: String) async throws {
        try await pool.write { db in try Self.audit(db, at: StoreTime.now(), actor: actor, action: action, subject: subject, detail: detail) }
    }

    public func auditLog(page: Page) async throws -> Paged<AuditEntry> {
        try await pool.read { db in
            let total = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM audit_log") ?? 0
            let rows = try Row.fetchAll(db, sql: "SELECT at, actor, action, subject, detail FROM audit_log ORDER BY id LIMIT ? OFFSET ?",
                                        arguments: [page.limit ?? -1, page.offset]).map {
                AuditEntry(at: $0["at"], actor: $0["actor"], action: $0["action"], subject: $0["subject"], detail: $0["detail"])
            }
            return Paged(rows: rows, total: total)
        }
    }

    public func saveToken(name: String, role: String, sha256: String, by actor: String) async throws {
        try await pool.write { db in
            try db.execute(sql: "INSERT OR REPLACE INTO token (name, role, sha256, created_at) VALUES (?, ?, ?, ?)", arguments: [name, role, sha256, StoreTime.now()])
            try Self.audit(db, at: StoreTime.now(), actor: actor, action: "token.saved", subject: name, detail: "role \(role)")
        }
    }

    public func createToken(name: String, role: String, sha256: String, by actor: String) async throws -> Bool {
        try await pool.write { db in
            try db.execute(sql: "INSERT OR IGNORE INTO token (name, role, sha256, created_at) VALUES (?, ?, ?, ?)", arguments: [name, role, sha256, StoreTime.now()])
            guard db.changesCount == 1 else { return false }
            try Self.audit(db, at: StoreTime.now(), actor: actor, action: "token.saved", subject: name, detail: "role \(role)")
            return true
        }
    }

    public func tokens() async throws -> [StoredToken] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT name, role, sha256 FROM token ORDER BY name").map { StoredToken(name: $0["name"], role: $0["role"], sha256: $0["sha256"]) }
        }
    }
}
