import Foundation
import MirrorwatchStore
import MirrorwatchTestSupport
import Testing

/// The service's store on a real SQLite file: schema versions, durable batches, findings that
/// keep their lifecycle across evaluations, and the audit log.
@Suite struct SQLiteStoreTests {
    @Test func createsTheFileWithVersionedSchemaAndReopensIt() throws {
        let dir = TemporaryDirectory()
        let path = dir.path + "/nested/state.sqlite"
        let store = try SQLiteStore(path: path)
        #expect(FileManager.default.fileExists(atPath: path))
        #expect(try store.appliedMigrations() == ["v1: batches, findings, audit log, tokens", "v2: outbox for alert sinks", "v3: exceptions made in the service"])
        let reopened = try SQLiteStore(path: path)
        #expect(try reopened.appliedMigrations().count == 3)
        // WAL: readers do not block the writer.
        #expect(FileManager.default.fileExists(atPath: path + "-wal"))
    }

    @Test func batchesComeBackInOrderWithTheirBytes() async throws {
        let store = try SQLiteStore(path: TemporaryDirectory().path + "/s.sqlite")
        let first = try await store.insertBatch(kind: "cloudtrail", bytes: [1, 2, 3], receivedBy: "collector")
        let second = try await store.insertBatch(kind: "syslog", bytes: Array("line\n".utf8), receivedBy: "relay")
        #expect(second > first)
        let batches = try store.batches()
        #expect(batches.map(\.id) == [first, second])
        #expect(batches[0].bytes == [1, 2, 3])
        #expect(batches[1].name == "ingest/\(second)/syslog")
        #expect(batches[1].receivedBy == "relay")
        #expect(try store.batches(after: first).map(\.id) == [second])
    }

    @Test func findingsKeepTheirLifecycleAcrossEvaluations() throws {
        let store = try SQLiteStore(path: TemporaryDirectory().path + "/s.sqlite")
        let a = StoreFinding(id: "mw-a", rule: "mirror.destination.unapproved", severity: "critical", title: "A", json: #"{"id":"mw-a"}"#)
        let b = StoreFinding(id: "mw-b", rule: "mirror.change.no-ticket", severity: "low", title: "B", json: #"{"id":"mw-b"}"#, exception: "EXC-7")
        #expect(try store.record([a, b]) == ["mw-a", "mw-b"])
        #expect(try store.finding(id: "mw-b")?.status == .suppressed)
        #expect(try store.finding(id: "mw-b")?.statusBy == "policy exception EXC-7")
        #expect(try store.setStatus(of: "mw-a", to: .acknowledged, by: "alice", note: "looking"))
        #expect(try store.setStatus(of: "mw-none", to: .resolved, by: "alice", note: "") == false)
        // The next evaluation finds the same ids: nothing new, status kept, content refreshed.
        var changed = a
        changed.title = "A (updated)"
        #expect(try store.record([changed, b]).isEmpty)
        let stored = try #require(try store.finding(id: "mw-a"))
        #expect(stored.status == .acknowledged)
        #expect(stored.statusBy == "alice")
        #expect(stored.title == "A (updated)")
        #expect(try store.findings(status: .acknowledged).map(\.id) == ["mw-a"])
        #expect(try store.findings(severity: "low").map(\.id) == ["mw-b"])
        #expect(try store.findingCounts()[.acknowledged] == 1)
        #expect(try store.findingCounts()[.resolved] == 0)
        let log = try store.auditLog()
        #expect(log.count == 1)
        #expect(log.first.map { ($0.actor, $0.action, $0.subject, $0.detail) } ?? ("", "", "", "") == ("alice", "finding.acknowledged", "mw-a", "looking"))
    }

    @Test func tokensAreStoredAsHashesWithTheirRole() throws {
        let store = try SQLiteStore(path: TemporaryDirectory().path + "/s.sqlite")
        try store.saveToken(name: "admin", role: "admin", sha256: String(repeating: "ab", count: 32), by: "first start")
        #expect(try store.tokens() == [StoredToken(name: "admin", role: "admin", sha256: String(repeating: "ab", count: 32))])
        #expect(try store.auditLog().last?.action == "token.saved")
    }
}
