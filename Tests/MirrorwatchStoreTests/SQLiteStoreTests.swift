import Foundation
import GRDB
@testable import MirrorwatchStore
import MirrorwatchTestSupport
import Testing

/// The service's store on a real SQLite file: schema versions, WAL, and the store contract.
@Suite struct SQLiteStoreTests {
    @Test func createsTheFileWithVersionedSchemaAndReopensIt() throws {
        let dir = TemporaryDirectory()
        let path = dir.path + "/nested/state.sqlite"
        let store = try SQLiteStore(path: path)
        #expect(FileManager.default.fileExists(atPath: path))
        #expect(try store.appliedMigrations() == ["v1: batches, findings, audit log, tokens", "v2: outbox for alert sinks", "v3: exceptions made in the service",
                                                  "v4: policy history, work claimed once, evaluation order of findings",
                                                  "v5: where a batch came from (source path, modification time, SHA-256)",
                                                  "v6: the order findings were recorded in (a cursor for polling)"])
        let reopened = try SQLiteStore(path: path)
        #expect(try reopened.appliedMigrations().count == 6)
        // WAL: readers do not block the writer.
        #expect(FileManager.default.fileExists(atPath: path + "-wal"))
        #expect(store.location == "sqlite \(path)" && !store.isShared)
    }

    @Test func findingsRecordedBeforeTheCursorAreNumberedInTheOrderFirstSeen() async throws {
        let dir = TemporaryDirectory()
        let path = dir.path + "/old.sqlite"
        // A database as the version before numbering left it, with findings first seen out of name order.
        let queue = try DatabaseQueue(path: path)
        try SQLiteStore.migrator.migrate(queue, upTo: "v5: where a batch came from (source path, modification time, SHA-256)")
        try await queue.write { db in
            for (id, seen) in [("mw-b", "2026-11-01T10:00:00Z"), ("mw-a", "2026-11-02T10:00:00Z"), ("mw-c", "2026-10-30T10:00:00Z")] {
                try db.execute(sql: """
                    INSERT INTO finding (id, rule, severity, title, json, first_seen, last_seen) VALUES (?, 'r', 'high', 't', '{}', ?, ?)
                    """, arguments: [id, seen, seen])
            }
        }
        try queue.close()
        let store = try SQLiteStore(path: path)
        let listed = try await store.findings(FindingFilter(recordedAfter: 0), page: .everything).rows
        #expect(listed.map(\.id) == ["mw-c", "mw-b", "mw-a"] && listed.map(\.sequence) == [1, 2, 3])
        _ = try await store.record([StoreFinding(id: "mw-d", rule: "r", severity: "low", title: "t", json: "{}")], through: 1)
        #expect(try await store.finding(id: "mw-d")?.sequence == 4)
    }

    @Test func keepsTheStoreContract() async throws {
        let dir = TemporaryDirectory()
        var n = 0
        try await StoreContract.all {
            n += 1
            return try SQLiteStore(path: dir.path + "/s\(n).sqlite")
        }
    }
}
