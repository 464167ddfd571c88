import MirrorwatchStore
import Logging
import PostgresNIO

/// The PostgreSQL schema, in versions applied in order and recorded in `schema_migration`. Replicas
/// that start together take an advisory lock, so each version is applied once.
enum PostgresSchema {
    /// Advisory lock keys (arbitrary, fixed): migrations, batch ids, policy versions.
    static let migrationLock: Int64 = 0x6D77_0001
    static let batchLock: Int64 = 0x6D77_0002
    static let policyLock: Int64 = 0x6D77_0003
    /// Held while findings are recorded: sequence numbers are then given in commit order.
    static let findingLock: Int64 = 0x6D77_0004

    static let migrations: [(name: String, statements: [String])] = [
        ("v1: batches, findings, audit log, tokens, outbox, exceptions, policy history, jobs", [
            """
            CREATE TABLE batch (
                id BIGSERIAL PRIMARY KEY, kind TEXT NOT NULL, received_at TEXT NOT NULL, received_by TEXT NOT NULL, bytes BYTEA NOT NULL)
            """,
            """
            CREATE TABLE finding (
                id TEXT PRIMARY KEY, rule TEXT NOT NULL, severity TEXT NOT NULL, title TEXT NOT NULL, json TEXT NOT NULL,
                status TEXT NOT NULL DEFAULT 'new', status_by TEXT, status_at TEXT, first_seen TEXT NOT NULL, last_seen TEXT NOT NULL,
                through BIGINT NOT NULL DEFAULT 0)
            """,
            "CREATE INDEX finding_status ON finding(status, severity)",
            """
            CREATE TABLE audit_log (
                id BIGSERIAL PRIMARY KEY, at TEXT NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL, subject TEXT NOT NULL, detail TEXT NOT NULL)
            """,
            "CREATE TABLE token (name TEXT PRIMARY KEY, role TEXT NOT NULL, sha256 TEXT NOT NULL UNIQUE, created_at TEXT NOT NULL)",
            """
            CREATE TABLE outbox (
                id BIGSERIAL PRIMARY KEY, sink TEXT NOT NULL, finding_id TEXT NOT NULL, payload TEXT NOT NULL,
                attempts INTEGER NOT NULL DEFAULT 0, next_attempt DOUBLE PRECISION NOT NULL, delivered_at TEXT, last_error TEXT,
                UNIQUE (sink, finding_id))
            """,
            "CREATE INDEX outbox_due ON outbox(next_attempt) WHERE delivered_at IS NULL",
            "CREATE SEQUENCE exception_number",
            """
            CREATE TABLE exception (
                id TEXT PRIMARY KEY, rule TEXT NOT NULL, resource TEXT, destination TEXT, account TEXT, device TEXT,
                owner TEXT NOT NULL, justification TEXT NOT NULL, ticket TEXT, expires TEXT NOT NULL, created_by TEXT NOT NULL, created_at TEXT NOT NULL)
            """,
            """
            CREATE TABLE policy_version (
                version BIGSERIAL PRIMARY KEY, text TEXT NOT NULL, sha256 TEXT NOT NULL, recorded_by TEXT NOT NULL, recorded_at TEXT NOT NULL)
            """,
            """
            CREATE TABLE job (
                id BIGSERIAL PRIMARY KEY, kind TEXT NOT NULL, reason TEXT NOT NULL, created_at TEXT NOT NULL,
                claimed_by TEXT, lease_until DOUBLE PRECISION NOT NULL DEFAULT 0, done_at TEXT)
            """,
        ]),
        ("v2: where a batch came from (source path, modification time, SHA-256)", [
            "ALTER TABLE batch ADD COLUMN sha256 TEXT",
            "ALTER TABLE batch ADD COLUMN source TEXT",
            "ALTER TABLE batch ADD COLUMN modified TEXT",
            "CREATE INDEX batch_sha256 ON batch(sha256)",
        ]),
        ("v3: the order findings were recorded in (a cursor for polling)", [
            "ALTER TABLE finding ADD COLUMN seq BIGINT",
            // Findings recorded before this version are numbered in the order they were first seen.
            "UPDATE finding SET seq = o.n FROM (SELECT id, ROW_NUMBER() OVER (ORDER BY first_seen, id) AS n FROM finding) o WHERE finding.id = o.id",
            "CREATE UNIQUE INDEX finding_seq ON finding(seq)",
        ]),
    ]

    /// Applies the versions not applied yet; returns every applied version's name, oldest first.
    @discardableResult
    static func migrate(_ client: PostgresClient, logger: Logger) async throws -> [String] {
        try await client.withTransaction(logger: logger) { connection in
            try await connection.query("SELECT pg_advisory_xact_lock(\(migrationLock))", logger: logger)
            try await connection.query("CREATE TABLE IF NOT EXISTS schema_migration (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)", logger: logger)
            var applied: [String] = []
            for try await name in try await connection.query("SELECT name FROM schema_migration ORDER BY applied_at, name", logger: logger).decode(String.self) {
                applied.append(name)
            }
            for migration in migrations where !applied.contains(migration.name) {
                for statement in migration.statements { try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger) }
                try await connection.query("INSERT INTO schema_migration (name, applied_at) VALUES (\(migration.name), \(StoreTime.now()))", logger: logger)
                applied.append(migration.name)
            }
            return applied
        }
    }
}
