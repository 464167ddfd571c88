import Foundation
import Logging
import MirrorwatchStore
import PostgresNIO

/// The service's state in PostgreSQL, shared by any number of `mirrorwatch serve` replicas.
///
/// What makes sharing safe lives in the database: findings are keyed by their id (`ON CONFLICT`),
/// outbox entries by (sink, finding), batch ids are committed in order (an advisory lock held from
/// the id's allocation to the commit), and outbox entries and jobs are claimed with
/// `FOR UPDATE SKIP LOCKED` and a lease, so one replica works on each and a replica that dies
/// releases its claims when the lease runs out.
public final class PostgresStore: ServiceStore {
    let client: PostgresClient
    let logger: Logger
    private let runner: Task<Void, Never>
    public let location: String
    public var isShared: Bool { true }

    /// Connects to `url` (see ``PostgresURL``) and brings the schema up to date.
    public init(url: String, logger: Logger, connectTimeout: Duration = .seconds(15)) async throws {
        let parsed = try PostgresURL(url)
        var configuration = parsed.configuration
        configuration.options.maximumConnections = 8
        let client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        self.client = client
        self.logger = logger
        location = "postgresql \(parsed)"
        runner = Task { await client.run() }
        // Let `run()` begin before the first lease (the client warns about leases before it runs).
        try? await Task.sleep(for: .milliseconds(20))
        do {
            // The pool retries a server it cannot reach for ever: give up after `connectTimeout`, saying where.
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await PostgresSchema.migrate(client, logger: logger) }
                group.addTask {
                    try await Task.sleep(for: connectTimeout)
                    throw PostgresStoreError(description: "could not reach PostgreSQL at \(parsed) within \(connectTimeout) (is it running, and are the address, user and password right?)")
                }
                try await group.next()
                group.cancelAll()
            }
        } catch {
            runner.cancel()
            throw error
        }
    }

    /// Closes the connections.
    public func close() async {
        runner.cancel()
        _ = await runner.value
    }

    /// Applied schema versions, oldest first.
    public func appliedMigrations() async throws -> [String] {
        try await PostgresSchema.migrate(client, logger: logger)
    }

    func rows(_ query: PostgresQuery) async throws -> [PostgresRandomAccessRow] {
        try await client.query(query, logger: logger).collect().map { $0.makeRandomAccess() }
    }

    func count(_ query: PostgresQuery) async throws -> Int {
        try await rows(query).first?[0].decode(Int.self) ?? 0
    }

    // MARK: Batches

    public func insertBatch(_ batch: NewBatch) async throws -> Int64 {
        try await insert(batch, unlessPresent: false).id
    }

    public func insertBatchUnlessPresent(_ batch: NewBatch) async throws -> (id: Int64, inserted: Bool) {
        try await insert(batch, unlessPresent: true)
    }

    private func insert(_ batch: NewBatch, unlessPresent: Bool) async throws -> (id: Int64, inserted: Bool) {
        let now = StoreTime.now()
        let buffer = ByteBuffer(bytes: batch.bytes)
        return try await client.withTransaction(logger: logger) { connection in
            // Held to the commit: ids become visible in the order they were given, and the check for
            // a stored copy and the insert are one step for every replica.
            try await connection.query("SELECT pg_advisory_xact_lock(\(PostgresSchema.batchLock))", logger: logger)
            if unlessPresent {
                let present = try await connection.query("""
                    SELECT id FROM batch WHERE sha256 = \(batch.sha256) AND source IS NOT DISTINCT FROM \(batch.source) ORDER BY id LIMIT 1
                    """, logger: logger)
                for try await id in present.decode(Int64.self) { return (id, false) }
            }
            let rows = try await connection.query("""
                INSERT INTO batch (kind, received_at, received_by, bytes, sha256, source, modified)
                VALUES (\(batch.kind), \(now), \(batch.receivedBy), \(buffer), \(batch.sha256), \(batch.source), \(batch.modified)) RETURNING id
                """, logger: logger)
            for try await id in rows.decode(Int64.self) { return (id, true) }
            throw PostgresStoreError(description: "INSERT INTO batch returned no id")
        }
    }

    public func batches(after: Int64, limit: Int) async throws -> [StoredBatch] {
        try await rows("SELECT * FROM batch WHERE id > \(after) ORDER BY id LIMIT \(limit)").map(Self.batch)
    }

    public func batchIds(after: Int64, limit: Int) async throws -> [Int64] {
        try await rows("SELECT id FROM batch WHERE id > \(after) ORDER BY id LIMIT \(limit)").map { try $0["id"].decode(Int64.self) }
    }

    public func batch(id: Int64) async throws -> StoredBatch? {
        try await rows("SELECT * FROM batch WHERE id = \(id)").first.map(Self.batch)
    }

    private static func batch(_ row: PostgresRandomAccessRow) throws -> StoredBatch {
        let buffer = try row["bytes"].decode(ByteBuffer.self)
        return StoredBatch(id: try row["id"].decode(Int64.self), kind: try row["kind"].decode(String.self),
                           receivedAt: try row["received_at"].decode(String.self), receivedBy: try row["received_by"].decode(String.self),
                           bytes: buffer.getBytes(at: buffer.readerIndex, length: buffer.readableBytes) ?? [],
                           sha256: try row["sha256"].decode(String?.self), source: try row["source"].decode(String?.self),
                           modified: try row["modified"].decode(String?.self))
    }

    public func batchCount() async throws -> Int { try await count("SELECT COUNT(*) FROM batch") }

    // MARK: Findings

    public func record(_ findings: [StoreFinding], through: Int64) async throws -> [String] {
        let now = StoreTime.now()
        // One order for every replica, so two transactions never wait on each other's rows crosswise.
        let sorted = findings.sorted { $0.id < $1.id }
        return try await client.withTransaction(logger: logger) { connection in
            // One recording transaction at a time across replicas: each numbers its new findings after
            // the last committed one, so a poller reading `seq > n` never skips one committed later.
            // Read committed (whatever the server's default): each statement sees what committed before it, so the
            // highest number is read after the lock, not from a snapshot taken before it.
            try await connection.query("SET TRANSACTION ISOLATION LEVEL READ COMMITTED", logger: logger)
            try await connection.query("SELECT pg_advisory_xact_lock(\(PostgresSchema.findingLock))", logger: logger)
            var inserted: [String] = []
            for f in sorted {
                let initial = FindingStatus.initial(exception: f.exception)
                let statusAt: String? = initial.by == nil ? nil : now
                let new = try await connection.query("""
                    INSERT INTO finding (id, rule, severity, title, json, status, status_by, status_at, first_seen, last_seen, through, seq)
                    VALUES (\(f.id), \(f.rule), \(f.severity), \(f.title), \(f.json), \(initial.status.rawValue), \(initial.by), \(statusAt), \(now), \(now), \(through),
                            (SELECT COALESCE(MAX(seq), 0) + 1 FROM finding))
                    ON CONFLICT (id) DO NOTHING RETURNING id
                    """, logger: logger).collect()
                if !new.isEmpty { inserted.append(f.id); continue }
                // Known: take the content unless this evaluation saw fewer batches; apply an exception's coming or going.
                let known = try await connection.query("SELECT status, through FROM finding WHERE id = \(f.id) FOR UPDATE", logger: logger).collect()
                guard let row = known.first?.makeRandomAccess(), try row["through"].decode(Int64.self) <= through else { continue }
                try await connection.query("""
                    UPDATE finding SET rule = \(f.rule), severity = \(f.severity), title = \(f.title), json = \(f.json), last_seen = \(now), through = \(through)
                    WHERE id = \(f.id)
                    """, logger: logger)
                if let status = FindingStatus(rawValue: try row["status"].decode(String.self)), let change = status.afterEvaluation(exception: f.exception) {
                    try await connection.query("""
                        UPDATE finding SET status = \(change.status.rawValue), status_by = \(change.by), status_at = \(now) WHERE id = \(f.id)
                        """, logger: logger)
                }
            }
            return inserted
        }
    }

    public func findings(_ filter: FindingFilter, page: Page) async throws -> Paged<StoredFinding> {
        let status = filter.status?.rawValue, severity = filter.severity, since = filter.firstSeenSinceText, after = filter.recordedAfter
        let order = after == nil ? FindingOrder.sql : "seq"
        // The page and the whole list's length from one statement, so they agree under concurrent writes.
        let found = try await rows("""
            SELECT *, COUNT(*) OVER () AS total FROM finding WHERE (\(status)::TEXT IS NULL OR status = \(status))
            AND (\(severity)::TEXT IS NULL OR severity = \(severity)) AND (\(since)::TEXT IS NULL OR first_seen >= \(since))
            AND (\(after)::BIGINT IS NULL OR seq > \(after))
            ORDER BY \(unescaped: order) LIMIT \(page.limit)::BIGINT OFFSET \(page.offset)::BIGINT
            """)
        if let first = found.first { return Paged(rows: try found.map(Self.finding), total: try first["total"].decode(Int.self)) }
        // Past the end (or nothing at all): the length alone.
        let total = try await rows("""
            SELECT COUNT(*) FROM finding WHERE (\(status)::TEXT IS NULL OR status = \(status))
            AND (\(severity)::TEXT IS NULL OR severity = \(severity)) AND (\(since)::TEXT IS NULL OR first_seen >= \(since))
            AND (\(after)::BIGINT IS NULL OR seq > \(after))
            """).first.map { try $0[0].decode(Int.self) } ?? 0
        return Paged(rows: [], total: total)
    }

    public func finding(id: String) async throws -> StoredFinding? {
        try await rows("SELECT * FROM finding WHERE id = \(id)").first.map(Self.finding)
    }

    private static func finding(_ row: PostgresRandomAccessRow) throws -> StoredFinding {
        StoredFinding(id: try row["id"].decode(String.self), rule: try row["rule"].decode(String.self), severity: try row["severity"].decode(String.self),
                      title: try row["title"].decode(String.self), json: try row["json"].decode(String.self),
                      status: FindingStatus(rawValue: try row["status"].decode(String.self)) ?? .new,
                      statusBy: try row["status_by"].decode(String?.self), statusAt: try row["status_at"].decode(String?.self),
                      firstSeen: try row["first_seen"].decode(String.self), lastSeen: try row["last_seen"].decode(String.self),
                      sequence: try row["seq"].decode(Int64?.self) ?? 0)
    }

    public func findingCounts() async throws -> [FindingStatus: Int] {
        var counts = Dictionary(uniqueKeysWithValues: FindingStatus.allCases.map { ($0, 0) })
        for row in try await rows("SELECT status, COUNT(*) FROM finding GROUP BY status") {
            if let status = FindingStatus(rawValue: try row[0].decode(String.self)) { counts[status] = try row[1].decode(Int.self) }
        }
        return counts
    }

    public func setStatus(of id: String, to status: FindingStatus, by actor: String, note: String) async throws -> Bool {
        let now = StoreTime.now()
        return try await client.withTransaction(logger: logger) { connection in
            let changed = try await connection.query("""
                UPDATE finding SET status = \(status.rawValue), status_by = \(actor), status_at = \(now) WHERE id = \(id) RETURNING id
                """, logger: logger).collect()
            guard !changed.isEmpty else { return false }
            try await Self.audit(connection, logger: logger, at: now, actor: actor, action: "finding.\(status.rawValue)", subject: id, detail: note)
            return true
        }
    }

    // MARK: Audit log and tokens

    static func audit(_ connection: PostgresConnection, logger: Logger, at: String, actor: String, action: String, subject: String, detail: String) async throws {
        try await connection.query("""
            INSERT INTO audit_log (at, actor, action, subject, detail) VALUES (\(at), \(actor), \(action), \(subject), \(detail))
            """, logger: logger)
    }

    public func audit(actor: String, action: String, subject: String, detail: String) async throws {
        try await client.query("""
            INSERT INTO audit_log (at, actor, action, subject, detail) VALUES (\(StoreTime.now()), \(actor), \(action), \(subject), \(detail))
            """, logger: logger)
    }

    public func auditLog(page: Page) async throws -> Paged<AuditEntry> {
        let total = try await rows("SELECT COUNT(*) FROM audit_log").first.map { try $0[0].decode(Int.self) } ?? 0
        let entries = try await rows("""
            SELECT at, actor, action, subject, detail FROM audit_log ORDER BY id LIMIT \(page.limit)::BIGINT OFFSET \(page.offset)::BIGINT
            """).map {
            AuditEntry(at: try $0["at"].decode(String.self), actor: try $0["actor"].decode(String.self), action: try $0["action"].decode(String.self),
                       subject: try $0["subject"].decode(String.self), detail: try $0["detail"].decode(String.self))
        }
        return Paged(rows: entries, total: total)
    }

    public func saveToken(name: String, role: String, sha256: String, by actor: String) async throws {
        let now = StoreTime.now()
        try await client.withTransaction(logger: logger) { connection in
            try await connection.query("""
                INSERT INTO token (name, role, sha256, created_at) VALUES (\(name), \(role), \(sha256), \(now))
                ON CONFLICT (name) DO UPDATE SET role = EXCLUDED.role, sha256 = EXCLUDED.sha256, created_at = EXCLUDED.created_at
                """, logger: logger)
            try await Self.audit(connection, logger: logger, at: now, actor: actor, action: "token.saved", subject: name, detail: "role \(role)")
        }
    }

    public func createToken(name: String, role: String, sha256: String, by actor: String) async throws -> Bool {
        let now = StoreTime.now()
        return try await client.withTransaction(logger: logger) { connection in
            let created = try await connection.query("""
                INSERT INTO token (name, role, sha256, created_at) VALUES (\(name), \(role), \(sha256), \(now)) ON CONFLICT (name) DO NOTHING RETURNING name
                """, logger: logger).collect()
            guard !created.isEmpty else { return false }
            try await Self.audit(connection, logger: logger, at: now, actor: actor, action: "token.saved", subject: name, detail: "role \(role)")
            return true
        }
    }

    public func tokens() async throws -> [StoredToken] {
        try await rows("SELECT name, role, sha256 FROM token ORDER BY name").map {
            StoredToken(name: try $0["name"].decode(String.self), role: try $0["role"].decode(String.self), sha256: try $0["sha256"].decode(String.self))
        }
    }
}

/// A store operation that went wrong in a way PostgreSQL itself did not report.
struct PostgresStoreError: Error, CustomStringConvertible {
    var description: String
}
