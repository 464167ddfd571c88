import Foundation
import MirrorwatchStore
import PostgresNIO

/// Exceptions, the policy history, claimed work and the outbox in PostgreSQL.
extension PostgresStore {
    /// The database's clock in seconds since 1970 (a constant SQL expression, no input in it).
    static let databaseNow = "extract(epoch from clock_timestamp())::float8"

    // MARK: Exceptions and policy

    public func addException(_ exception: StoredException, by actor: String) async throws -> StoredException {
        var stored = exception
        stored.createdBy = actor
        stored.createdAt = StoreTime.now()
        return try await client.withTransaction(logger: logger) { connection in
            for try await number in try await connection.query("SELECT nextval('exception_number')", logger: logger).decode(Int64.self) {
                stored.id = "svc-\(number)"
            }
            let e = stored
            try await connection.query("""
                INSERT INTO exception (id, rule, resource, destination, account, device, owner, justification, ticket, expires, created_by, created_at)
                VALUES (\(e.id), \(e.rule), \(e.resource), \(e.destination), \(e.account), \(e.device), \(e.owner), \(e.justification), \(e.ticket),
                        \(e.expires), \(e.createdBy), \(e.createdAt))
                """, logger: logger)
            try await Self.audit(connection, logger: logger, at: e.createdAt, actor: actor, action: "exception.created", subject: e.id, detail: e.auditDetail)
            return e
        }
    }

    public func exceptions() async throws -> [StoredException] {
        try await rows("SELECT * FROM exception ORDER BY created_at, id").map {
            StoredException(id: try $0["id"].decode(String.self), rule: try $0["rule"].decode(String.self),
                            resource: try $0["resource"].decode(String?.self), destination: try $0["destination"].decode(String?.self),
                            account: try $0["account"].decode(String?.self), device: try $0["device"].decode(String?.self),
                            owner: try $0["owner"].decode(String.self), justification: try $0["justification"].decode(String.self),
                            ticket: try $0["ticket"].decode(String?.self), expires: try $0["expires"].decode(String.self),
                            createdBy: try $0["created_by"].decode(String.self), createdAt: try $0["created_at"].decode(String.self))
        }
    }

    public func recordPolicy(text: String, sha256: String, by actor: String) async throws -> PolicyVersion {
        let now = StoreTime.now()
        return try await client.withTransaction(logger: logger) { connection in
            try await connection.query("SELECT pg_advisory_xact_lock(\(PostgresSchema.policyLock))", logger: logger)
            let current = try await connection.query("SELECT * FROM policy_version ORDER BY version DESC LIMIT 1", logger: logger).collect()
            if let row = current.first?.makeRandomAccess(), try row["sha256"].decode(String.self) == sha256 { return try Self.policyVersion(row) }
            var version: Int64 = 0
            for try await id in try await connection.query("""
                INSERT INTO policy_version (text, sha256, recorded_by, recorded_at) VALUES (\(text), \(sha256), \(actor), \(now)) RETURNING version
                """, logger: logger).decode(Int64.self) { version = id }
            try await Self.audit(connection, logger: logger, at: now, actor: actor, action: "policy.recorded", subject: "policy \(version)", detail: "sha256 \(sha256)")
            return PolicyVersion(version: version, text: text, sha256: sha256, recordedBy: actor, recordedAt: now)
        }
    }

    static func policyVersion(_ row: PostgresRandomAccessRow) throws -> PolicyVersion {
        PolicyVersion(version: try row["version"].decode(Int64.self), text: try row["text"].decode(String.self), sha256: try row["sha256"].decode(String.self),
                      recordedBy: try row["recorded_by"].decode(String.self), recordedAt: try row["recorded_at"].decode(String.self))
    }

    public func policyHistory() async throws -> [PolicyVersion] {
        try await rows("SELECT * FROM policy_version ORDER BY version").map(Self.policyVersion)
    }

    // MARK: Work claimed once

    public func enqueueJob(kind: String, reason: String) async throws {
        try await client.query("""
            INSERT INTO job (kind, reason, created_at) SELECT \(kind), \(reason), \(StoreTime.now())
            WHERE NOT EXISTS (SELECT 1 FROM job WHERE kind = \(kind) AND done_at IS NULL AND claimed_by IS NULL)
            """, logger: logger)
    }

    public func claimJob(by worker: String, lease: Double) async throws -> StoredJob? {
        // Lease times come from the database's clock, the one clock all replicas share.
        return try await rows("""
            UPDATE job SET claimed_by = \(worker), lease_until = \(unescaped: Self.databaseNow) + \(lease) WHERE id = (
                SELECT id FROM job WHERE done_at IS NULL AND lease_until < \(unescaped: Self.databaseNow) ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED)
            RETURNING id, kind, reason
            """).first.map { StoredJob(id: try $0["id"].decode(Int64.self), kind: try $0["kind"].decode(String.self), reason: try $0["reason"].decode(String.self)) }
    }

    public func finishJob(_ id: Int64) async throws {
        try await client.query("UPDATE job SET done_at = \(StoreTime.now()) WHERE id = \(id)", logger: logger)
    }

    // MARK: Outbox

    public func enqueue(_ entries: [OutboxItem]) async throws {
        guard !entries.isEmpty else { return }
        try await client.withTransaction(logger: logger) { connection in
            for entry in entries {
                try await connection.query("""
                    INSERT INTO outbox (sink, finding_id, payload, next_attempt)
                    VALUES (\(entry.sink), \(entry.findingId), \(entry.payload), \(unescaped: Self.databaseNow))
                    ON CONFLICT (sink, finding_id) DO NOTHING
                    """, logger: logger)
            }
        }
    }

    public func claimOutbox(sink: String?, limit: Int, lease: Double) async throws -> [OutboxEntry] {
        return try await rows("""
            UPDATE outbox SET next_attempt = \(unescaped: Self.databaseNow) + \(lease) WHERE id IN (
                SELECT id FROM outbox WHERE delivered_at IS NULL AND next_attempt <= \(unescaped: Self.databaseNow)
                AND (\(sink)::text IS NULL OR sink = \(sink))
                ORDER BY id LIMIT \(limit) FOR UPDATE SKIP LOCKED)
            RETURNING id, sink, finding_id, payload, attempts
            """).map {
            OutboxEntry(id: try $0["id"].decode(Int64.self), sink: try $0["sink"].decode(String.self), findingId: try $0["finding_id"].decode(String.self),
                        payload: try $0["payload"].decode(String.self), attempts: Int(try $0["attempts"].decode(Int32.self)))
        }.sorted { $0.id < $1.id }
    }

    public func markDelivered(_ id: Int64) async throws {
        try await client.query("UPDATE outbox SET delivered_at = \(StoreTime.now()) WHERE id = \(id)", logger: logger)
    }

    public func markFailed(_ id: Int64, error: String, retryAfter: Double) async throws {
        try await client.query("""
            UPDATE outbox SET attempts = attempts + 1, last_error = \(error), next_attempt = \(unescaped: Self.databaseNow) + \(retryAfter) WHERE id = \(id)
            """, logger: logger)
    }

    public func release(_ id: Int64, retryAfter: Double) async throws {
        try await client.query("""
            UPDATE outbox SET next_attempt = \(unescaped: Self.databaseNow) + \(retryAfter) WHERE id = \(id) AND delivered_at IS NULL
            """, logger: logger)
    }

    public func outboxCounts() async throws -> [String: OutboxCount] {
        var counts: [String: OutboxCount] = [:]
        for row in try await rows("""
            SELECT sink, COUNT(*) FILTER (WHERE delivered_at IS NOT NULL), COUNT(*) FILTER (WHERE delivered_at IS NULL) FROM outbox GROUP BY sink
            """) {
            counts[try row[0].decode(String.self)] = OutboxCount(delivered: try row[1].decode(Int.self), waiting: try row[2].decode(Int.self))
        }
        return counts
    }
}
