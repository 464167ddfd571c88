import Foundation
import GRDB

/// Exceptions, the policy history, claimed work and the outbox in SQLite. Claims are leases
/// written in a write transaction, which SQLite serializes.
extension SQLiteStore {
    // MARK: Exceptions and policy

    public func addException(_ exception: StoredException, by actor: String) async throws -> StoredException {
        try await pool.write { db in
            let count = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM exception") ?? 0
            var stored = exception
            stored.id = "svc-\(count + 1)"
            stored.createdBy = actor
            stored.createdAt = StoreTime.now()
            try db.execute(sql: """
                INSERT INTO exception (id, rule, resource, destination, account, device, owner, justification, ticket, expires, created_by, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [stored.id, stored.rule, stored.resource, stored.destination, stored.account, stored.device, stored.owner,
                                 stored.justification, stored.ticket, stored.expires, stored.createdBy, stored.createdAt])
            try Self.audit(db, at: stored.createdAt, actor: actor, action: "exception.created", subject: stored.id, detail: stored.auditDetail)
            return stored
        }
    }

    public func exceptions() async throws -> [StoredException] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM exception ORDER BY created_at, id").map {
                StoredException(id: $0["id"], rule: $0["rule"], resource: $0["resource"], destination: $0["destination"], account: $0["account"],
                                device: $0["device"], owner: $0["owner"], justification: $0["justification"], ticket: $0["ticket"],
                                expires: $0["expires"], createdBy: $0["created_by"], createdAt: $0["created_at"])
            }
        }
    }

    public func recordPolicy(text: String, sha256: String, by actor: String) async throws -> PolicyVersion {
        try await pool.write { db in
            if let current = try Self.currentPolicy(db), current.sha256 == sha256 { return current }
            let now = StoreTime.now()
            try db.execute(sql: "INSERT INTO policy_version (text, sha256, recorded_by, recorded_at) VALUES (?, ?, ?, ?)",
                           arguments: [text, sha256, actor, now])
            let version = db.lastInsertedRowID
            try Self.audit(db, at: now, actor: actor, action: "policy.recorded", subject: "policy \(version)", detail: "sha256 \(sha256)")
            return PolicyVersion(version: version, text: text, sha256: sha256, recordedBy: actor, recordedAt: now)
        }
    }

    private static func currentPolicy(_ db: Database) throws -> PolicyVersion? {
        try Row.fetchOne(db, sql: "SELECT * FROM policy_version ORDER BY version DESC LIMIT 1").map(policyVersion)
    }

    private static func policyVersion(_ row: Row) -> PolicyVersion {
        PolicyVersion(version: row["version"], text: row["text"], sha256: row["sha256"], recordedBy: row["recorded_by"], recordedAt: row["recorded_at"])
    }

    public func policyHistory() async throws -> [PolicyVersion] {
        try await pool.read { db in try Row.fetchAll(db, sql: "SELECT * FROM policy_version ORDER BY version").map(Self.policyVersion) }
    }

    // MARK: Work claimed once

    public func enqueueJob(kind: String, reason: String) async throws {
        try await pool.write { db in
            let waiting = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM job WHERE kind = ? AND done_at IS NULL AND claimed_by IS NULL", arguments: [kind]) ?? 0
            guard waiting == 0 else { return }
            try db.execute(sql: "INSERT INTO job (kind, reason, created_at) VALUES (?, ?, ?)", arguments: [kind, reason, StoreTime.now()])
        }
    }

    public func claimJob(by worker: String, lease: Double) async throws -> StoredJob? {
        try await pool.write { db in
            let now = Date().timeIntervalSince1970
            guard let row = try Row.fetchOne(db, sql: "SELECT id, kind, reason FROM job WHERE done_at IS NULL AND lease_until < ? ORDER BY id LIMIT 1",
                                             arguments: [now]) else { return nil }
            try db.execute(sql: "UPDATE job SET claimed_by = ?, lease_until = ? WHERE id = ?", arguments: [worker, now + lease, row["id"] as Int64])
            return StoredJob(id: row["id"], kind: row["kind"], reason: row["reason"])
        }
    }

    public func finishJob(_ id: Int64) async throws {
        try await pool.write { db in try db.execute(sql: "UPDATE job SET done_at = ? WHERE id = ?", arguments: [StoreTime.now(), id]) }
    }

    // MARK: Outbox

    public func enqueue(_ entries: [OutboxItem]) async throws {
        guard !entries.isEmpty else { return }
        try await pool.write { db in
            let now = Date().timeIntervalSince1970
            for entry in entries {
                try db.execute(sql: "INSERT OR IGNORE INTO outbox (sink, finding_id, payload, next_attempt) VALUES (?, ?, ?, ?)",
                               arguments: [entry.sink, entry.findingId, entry.payload, now])
            }
        }
    }

    public func claimOutbox(sink: String?, limit: Int, lease: Double) async throws -> [OutboxEntry] {
        try await pool.write { db in
            let now = Date().timeIntervalSince1970
            let due = try Row.fetchAll(db, sql: """
                SELECT id, sink, finding_id, payload, attempts FROM outbox
                WHERE delivered_at IS NULL AND next_attempt <= ? AND (? IS NULL OR sink = ?) ORDER BY id LIMIT ?
                """, arguments: [now, sink, sink, limit]).map {
                OutboxEntry(id: $0["id"], sink: $0["sink"], findingId: $0["finding_id"], payload: $0["payload"], attempts: $0["attempts"])
            }
            for entry in due { try db.execute(sql: "UPDATE outbox SET next_attempt = ? WHERE id = ?", arguments: [now + lease, entry.id]) }
            return due
        }
    }

    public func markDelivered(_ id: Int64) async throws {
        try await pool.write { db in try db.execute(sql: "UPDATE outbox SET delivered_at = ? WHERE id = ?", arguments: [StoreTime.now(), id]) }
    }

    public func markFailed(_ id: Int64, error: String, retryAfter: Double) async throws {
        try await pool.write { db in
            try db.execute(sql: "UPDATE outbox SET attempts = attempts + 1, last_error = ?, next_attempt = ? WHERE id = ?",
                           arguments: [error, Date().timeIntervalSince1970 + retryAfter, id])
        }
    }

    public func release(_ id: Int64, retryAfter: Double) async throws {
        try await pool.write { db in
            try db.execute(sql: "UPDATE outbox SET next_attempt = ? WHERE id = ? AND delivered_at IS NULL",
                           arguments: [Date().timeIntervalSince1970 + retryAfter, id])
        }
    }

    public func outboxCounts() async throws -> [String: OutboxCount] {
        try await pool.read { db in
            var counts: [String: OutboxCount] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT sink, SUM(delivered_at IS NOT NULL) AS d, SUM(delivered_at IS NULL) AS w FROM outbox GROUP BY sink") {
                counts[row["sink"]] = OutboxCount(delivered: row["d"], waiting: row["w"])
            }
            return counts
        }
    }
}
