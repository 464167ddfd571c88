import Foundation
import Logging
import MirrorwatchPostgres
import MirrorwatchStore
import MirrorwatchTestSupport
import Testing

/// The same contract on a real PostgreSQL server (started by `.ci/run`), plus what only a shared
/// store has to do: concurrent writers that never double a finding or an outbox entry, batch ids
/// that become visible in order, and claims that two replicas never both win.
@Suite(.enabled(if: TestPostgres.serverURL != nil, "needs MIRRORWATCH_TEST_POSTGRES_URL (set by .ci/run)"))
struct PostgresStoreTests {
    static let logger = Logger(label: "test")

    static func open() async throws -> PostgresStore {
        try await PostgresStore(url: try TestPostgres.freshDatabase(), logger: logger)
    }

    @Test func migratesOnceAndReportsItsVersions() async throws {
        let url = try TestPostgres.freshDatabase()
        // Two replicas starting together: the advisory lock has one apply the schema.
        async let a = PostgresStore(url: url, logger: Self.logger)
        async let b = PostgresStore(url: url, logger: Self.logger)
        let (first, second) = try await (a, b)
        #expect(try await first.appliedMigrations() == PostgresStoreTests.versions)
        #expect(try await second.appliedMigrations() == PostgresStoreTests.versions)
        #expect(first.isShared && first.location.hasPrefix("postgresql postgres"))
        await first.close()
        await second.close()
    }

    static let versions = ["v1: batches, findings, audit log, tokens, outbox, exceptions, policy history, jobs",
                           "v2: where a batch came from (source path, modification time, SHA-256)",
                           "v3: the order findings were recorded in (a cursor for polling)"]

    @Test func keepsTheStoreContract() async throws {
        var opened: [PostgresStore] = []
        try await StoreContract.all {
            let store = try await Self.open()
            opened.append(store)
            return store
        }
        for store in opened { await store.close() }
    }

    @Test func concurrentWritersNeverDoubleAFindingOrAnOutboxEntry() async throws {
        let url = try TestPostgres.freshDatabase()
        let replicas = [try await PostgresStore(url: url, logger: Self.logger), try await PostgresStore(url: url, logger: Self.logger)]
        let findings = (0..<200).map { StoreFinding(id: "mw-\($0)", rule: "mirror.session.created", severity: "high", title: "\($0)", json: "{}") }
        // Both record the same findings at once (in opposite orders): every id is new to exactly one of them.
        async let a = replicas[0].record(findings, through: 5)
        async let b = replicas[1].record(findings.reversed(), through: 5)
        let (insertedA, insertedB) = try await (a, b)
        #expect(insertedA.count + insertedB.count == 200)
        #expect(Set(insertedA).isDisjoint(with: insertedB))
        #expect(try await replicas[0].findingCounts()[.new] == 200)
        // Both queue the same sink entries and both claim: each entry is handed out once.
        let items = findings.map { OutboxItem(sink: "hook", findingId: $0.id, payload: $0.id) }
        async let qa: Void = replicas[0].enqueue(items)
        async let qb: Void = replicas[1].enqueue(items)
        _ = try await (qa, qb)
        async let ca = replicas[0].claimOutbox(sink: nil, limit: 150, lease: 60)
        async let cb = replicas[1].claimOutbox(sink: nil, limit: 150, lease: 60)
        let (claimedA, claimedB) = try await (ca, cb)
        #expect(claimedA.count + claimedB.count == 200)
        #expect(Set(claimedA.map(\.findingId)).isDisjoint(with: claimedB.map(\.findingId)))
        for replica in replicas { await replica.close() }
    }

    @Test func batchIdsBecomeVisibleInOrder() async throws {
        let url = try TestPostgres.freshDatabase()
        let writers = [try await PostgresStore(url: url, logger: Self.logger), try await PostgresStore(url: url, logger: Self.logger)]
        let reader = try await PostgresStore(url: url, logger: Self.logger)
        // Writers insert concurrently while a reader follows with `after: highest seen`; it must miss none.
        let writing = Task {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for writer in writers {
                    group.addTask { for i in 0..<100 { _ = try await writer.insertBatch(NewBatch(kind: "auto", bytes: [UInt8(i)], receivedBy: "w", sha256: "\(i)")) } }
                }
                try await group.waitForAll()
            }
        }
        var seen: [Int64] = []
        var horizon: Int64 = 0
        while seen.count < 200 {
            let batches = try await reader.batches(after: horizon, limit: 7)
            seen += batches.map(\.id)
            horizon = batches.last?.id ?? horizon
            if batches.isEmpty { try await Task.sleep(for: .milliseconds(5)) }
        }
        try await writing.value
        #expect(seen.count == 200)
        #expect(Set(seen).count == 200)
        #expect(seen == seen.sorted())
        for store in writers + [reader] { await store.close() }
    }

    @Test func findingNumbersBecomeVisibleInOrder() async throws {
        let url = try TestPostgres.freshDatabase()
        let writers = [try await PostgresStore(url: url, logger: Self.logger), try await PostgresStore(url: url, logger: Self.logger)]
        let reader = try await PostgresStore(url: url, logger: Self.logger)
        // Two replicas record evaluations concurrently while a poller follows `after: last seen`: it
        // must miss none (a number is never given to a transaction that commits after a bigger one).
        let writing = Task {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for (w, writer) in writers.enumerated() {
                    group.addTask {
                        for i in 0..<40 {
                            let batch = (0..<3).map { StoreFinding(id: "mw-\(w)-\(i)-\($0)", rule: "r", severity: "high", title: "t", json: "{}") }
                            _ = try await writer.record(batch, through: Int64(i))
                        }
                    }
                }
                try await group.waitForAll()
            }
        }
        var seen: [Int64] = []
        var cursor: Int64 = 0
        while seen.count < 240 {
            let page = try await reader.findings(FindingFilter(recordedAfter: cursor), page: Page(limit: 7)).rows
            seen += page.map(\.sequence)
            cursor = page.last?.sequence ?? cursor
            if page.isEmpty { try await Task.sleep(for: .milliseconds(5)) }
        }
        try await writing.value
        #expect(seen == Array(1...240), "every number once, in order, none skipped")
        for store in writers + [reader] { await store.close() }
    }
}

/// What needs no server: URLs, an unreachable server, and that in CI the server is there (a missing
/// one fails instead of skipping the tests above).
@Suite struct PostgresWithoutServerTests {
    @Test func urlsAreParsedAndPasswordsNeverShown() throws {
        let url = try PostgresURL("postgres://mw:s3cret@db.internal:5433/state?sslmode=require")
        #expect(url.description == "postgres://mw:***@db.internal:5433/state?sslmode=require")
        #expect(url.configuration.host == "db.internal" && url.configuration.port == 5433 && url.configuration.database == "state")
        #expect(throws: PostgresURL.Invalid.self) { try PostgresURL("mysql://x@y/z") }
        #expect(throws: PostgresURL.Invalid.self) { try PostgresURL("postgres://x@y/z?sslmode=sometimes") }
        // Without sslmode: TLS required for a server elsewhere (no downgrade to plain text), preferred on this host.
        #expect(try PostgresURL("postgres://mw@db.internal/state").tlsMode == .require)
        #expect(try PostgresURL("postgres://mw@10.0.0.5:5432/state").tlsMode == .require)
        #expect(try PostgresURL("postgres://mw@127.0.0.1/state").tlsMode == .prefer)
        #expect(try PostgresURL("postgres://mw@127.db.example/state").tlsMode == .require, "a name that starts like an address is a name")
        #expect(try PostgresURL("postgres://mw@localhost/state").tlsMode == .prefer)
        #expect(try PostgresURL("postgres://mw@[::1]/state").tlsMode == .prefer)
        #expect(try PostgresURL("postgres://mw@/state?host=/var/run/postgresql").tlsMode == .prefer)
        #expect(try PostgresURL("postgres://mw@db.internal/state?sslmode=disable").tlsMode == .disable)
        #expect(try PostgresURL("postgres://mw@db.internal/state?sslmode=prefer").tlsMode == .prefer)
        // Percent-encoded credentials are decoded once.
        let encoded = try PostgresURL("postgres://m%40w:p%25ss%2Fw%40rd@db/state")
        #expect(encoded.configuration.username == "m@w" && encoded.configuration.password == "p%ss/w@rd")
        // A URL that does not parse is refused without showing its password.
        do {
            _ = try PostgresURL("postgres://mw:se cret#x@db/state")
            Issue.record("an unparseable URL was accepted")
        } catch {
            #expect(!"\(error)".contains("se cret") && "\(error)".contains("mw:***@db/state"), "\(error)")
        }
        let socket = try PostgresURL("postgres://mw@/state?host=/var/run/postgresql")
        #expect(socket.configuration.unixSocketPath == "/var/run/postgresql/.s.PGSQL.5432")
    }

    @Test func anUnreachableServerIsAnErrorNamingItNotAHang() async throws {
        do {
            _ = try await PostgresStore(url: "postgres://mw:secret@127.0.0.1:1/state?sslmode=disable", logger: Logger(label: "test"), connectTimeout: .seconds(1))
            Issue.record("connected to a closed port")
        } catch {
            let text = "\(error)"
            #expect(text.contains("could not reach PostgreSQL at postgres://mw:***@127.0.0.1:1/state"), "\(text)")
            #expect(!text.contains("secret"))
        }
    }

    @Test func aServerIsAvailableWhenTheRunRequiresOne() {
        #expect(!TestPostgres.isRequired || TestPostgres.serverURL != nil, "MIRRORWATCH_REQUIRE_POSTGRES=1 but MIRRORWATCH_TEST_POSTGRES_URL is not set")
    }
}
