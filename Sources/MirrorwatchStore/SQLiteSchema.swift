import GRDB

extension SQLiteStore {
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
        migrator.registerMigration("v4: policy history, work claimed once, evaluation order of findings") { db in
            try db.execute(sql: """
                ALTER TABLE finding ADD COLUMN through INTEGER NOT NULL DEFAULT 0;
                CREATE TABLE policy_version (
                    version INTEGER PRIMARY KEY AUTOINCREMENT,
                    text TEXT NOT NULL,
                    sha256 TEXT NOT NULL,
                    recorded_by TEXT NOT NULL,
                    recorded_at TEXT NOT NULL
                );
                CREATE TABLE job (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    kind TEXT NOT NULL,
                    reason TEXT NOT NULL,
                    created_at TEXT NOT NULL,
                    claimed_by TEXT,
                    lease_until REAL NOT NULL DEFAULT 0,
                    done_at TEXT
                );
                """)
        }
        migrator.registerMigration("v5: where a batch came from (source path, modification time, SHA-256)") { db in
            try db.execute(sql: """
                ALTER TABLE batch ADD COLUMN sha256 TEXT;
                ALTER TABLE batch ADD COLUMN source TEXT;
                ALTER TABLE batch ADD COLUMN modified TEXT;
                CREATE INDEX batch_sha256 ON batch(sha256);
                """)
        }
        migrator.registerMigration("v6: the order findings were recorded in (a cursor for polling)") { db in
            // Findings recorded before this version are numbered in the order they were first seen.
            try db.execute(sql: """
                ALTER TABLE finding ADD COLUMN seq INTEGER;
                CREATE TEMP TABLE finding_order (id TEXT PRIMARY KEY, n INTEGER NOT NULL);
                INSERT INTO finding_order SELECT id, ROW_NUMBER() OVER (ORDER BY first_seen, rowid) FROM finding;
                UPDATE finding SET seq = (SELECT n FROM finding_order WHERE finding_order.id = finding.id);
                DROP TABLE finding_order;
                CREATE UNIQUE INDEX finding_seq ON finding(seq);
                """)
        }
        return migrator
    }

}
