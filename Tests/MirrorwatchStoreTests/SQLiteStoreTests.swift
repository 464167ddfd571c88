import Foundation
import MirrorwatchStore
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
                                                  "v5: where a batch came from (source path, modification time, SHA-256)"])
        let reopened = try SQLiteStore(path: path)
        #expect(try reopened.appliedMigrations().count == 5)
        // WAL: readers do not block the writer.
        #expect(FileManager.default.fileExists(atPath: path + "-wal"))
        #expect(store.location == "sqlite \(path)" && !store.isShared)
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
