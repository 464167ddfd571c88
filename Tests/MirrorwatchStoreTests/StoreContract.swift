import Foundation
import MirrorwatchStore
import Testing

/// What every ``ServiceStore`` must do, checked the same way on SQLite and on PostgreSQL.
enum StoreContract {
    static func batchesComeBackInOrderWithTheirBytes(_ store: any ServiceStore) async throws {
        let first = try await store.insertBatch(NewBatch(kind: "cloudtrail", bytes: [1, 2, 3, 0, 255], receivedBy: "collector", sha256: "aa"))
        let second = try await store.insertBatch(NewBatch(kind: "auto", bytes: Array("line\n".utf8), receivedBy: "relay", sha256: "bb",
                                                          source: "devices/core-sw1.log", modified: "2026-11-04T10:00:00Z"))
        #expect(second > first)
        let batches = try await store.batches(after: 0, limit: 10)
        #expect(batches.map(\.id) == [first, second])
        #expect(batches[0].bytes == [1, 2, 3, 0, 255])
        #expect(batches[0].name == "ingest/\(first)/cloudtrail" && batches[0].source == nil && batches[0].sha256 == "aa")
        #expect(batches[1].name == "ingest/\(second)/devices/core-sw1.log")
        #expect(batches[1].receivedBy == "relay" && batches[1].modified == "2026-11-04T10:00:00Z")
        #expect(try await store.batches(after: first, limit: 10).map(\.id) == [second])
        #expect(try await store.batches(after: 0, limit: 1).map(\.id) == [first])
        #expect(try await store.batchIds(after: 0, limit: 10) == [first, second])
        #expect(try await store.batch(id: second)?.bytes == Array("line\n".utf8))
        #expect(try await store.batch(id: second + 100) == nil)
        #expect(try await store.batchCount() == 2)
        // A batch sent again is recognized by its bytes and source, and stored once.
        let again = try await store.insertBatchUnlessPresent(NewBatch(kind: "auto", bytes: Array("line\n".utf8), receivedBy: "relay", sha256: "bb",
                                                                      source: "devices/core-sw1.log"))
        #expect(again.id == second && !again.inserted)
        #expect(try await store.insertBatchUnlessPresent(NewBatch(kind: "cloudtrail", bytes: [1], receivedBy: "c", sha256: "aa")).id == first)
        let other = try await store.insertBatchUnlessPresent(NewBatch(kind: "auto", bytes: Array("line\n".utf8), receivedBy: "relay", sha256: "bb"))
        #expect(other.inserted && other.id > second, "the same bytes without a source are another batch")
        #expect(try await store.batchCount() == 3)
    }

    static func findingsKeepTheirLifecycleAcrossEvaluations(_ store: any ServiceStore) async throws {
        let a = StoreFinding(id: "mw-a", rule: "mirror.destination.unapproved", severity: "critical", title: "A", json: #"{"id":"mw-a"}"#)
        let b = StoreFinding(id: "mw-b", rule: "mirror.change.no-ticket", severity: "low", title: "B", json: #"{"id":"mw-b"}"#, exception: "EXC-7")
        #expect(Set(try await store.record([a, b], through: 1)) == ["mw-a", "mw-b"])
        #expect(try await store.finding(id: "mw-b")?.status == .suppressed)
        #expect(try await store.finding(id: "mw-b")?.statusBy == "policy exception EXC-7")
        #expect(try await store.setStatus(of: "mw-a", to: .acknowledged, by: "alice", note: "looking"))
        #expect(try await store.setStatus(of: "mw-none", to: .resolved, by: "alice", note: "") == false)
        // The next evaluation finds the same ids: nothing new, status kept, content refreshed.
        var changed = a
        changed.title = "A (updated)"
        #expect(try await store.record([changed, b], through: 2).isEmpty)
        let stored = try #require(try await store.finding(id: "mw-a"))
        #expect(stored.status == .acknowledged)
        #expect(stored.statusBy == "alice")
        #expect(stored.title == "A (updated)")
        // An evaluation that saw fewer batches (a replica behind) does not overwrite.
        var stale = a
        stale.title = "A (stale)"
        #expect(try await store.record([stale], through: 1).isEmpty)
        #expect(try await store.finding(id: "mw-a")?.title == "A (updated)")
        // The exception goes away: the suppressed finding is new again.
        var uncovered = b
        uncovered.exception = nil
        _ = try await store.record([uncovered], through: 3)
        #expect(try await store.finding(id: "mw-b")?.status == .new)
        #expect(try await store.finding(id: "mw-b")?.statusBy == "exception no longer applies")
        #expect(try await store.findings(status: .acknowledged, severity: nil).map(\.id) == ["mw-a"])
        #expect(try await store.findings(status: nil, severity: "low").map(\.id) == ["mw-b"])
        #expect(try await store.findings(status: nil, severity: nil).count == 2)
        let counts = try await store.findingCounts()
        #expect(counts[.acknowledged] == 1 && counts[.new] == 1 && counts[.resolved] == 0 && counts[.suppressed] == 0)
        let log = try await store.auditLog()
        #expect(log.count == 1)
        #expect(log.first.map { ($0.actor, $0.action, $0.subject, $0.detail) } ?? ("", "", "", "") == ("alice", "finding.acknowledged", "mw-a", "looking"))
    }

    static func findingsAreListedNewestFirstThenMostSevere(_ store: any ServiceStore) async throws {
        let severities = ["low", "critical", "info", "high", "medium"]
        let batch = severities.enumerated().map { StoreFinding(id: "mw-\($0.offset)", rule: "r", severity: $0.element, title: $0.element, json: "{}") }
        _ = try await store.record(batch, through: 1)
        #expect(try await store.findings(status: nil, severity: nil).map(\.severity) == ["critical", "high", "medium", "low", "info"])
        try await Task.sleep(for: .milliseconds(1100))   // timestamps have whole seconds
        _ = try await store.record([StoreFinding(id: "mw-later", rule: "r", severity: "info", title: "later", json: "{}")], through: 2)
        #expect(try await store.findings(status: nil, severity: nil).first?.id == "mw-later")
        // What is new since a poll: first seen at or after a time, whatever else changed.
        let later = try #require(try await store.finding(id: "mw-later"))
        let laterDate = try #require(ISO8601DateFormatter().date(from: later.firstSeen))
        let since = try await store.findings(FindingFilter(firstSeenSince: laterDate), page: .everything)
        #expect(since.rows.map(\.id) == ["mw-later"] && since.total == 1)
        #expect(try await store.findings(FindingFilter(severity: "critical", firstSeenSince: laterDate), page: .everything).total == 0)
    }

    /// Long lists come a page at a time, in the same order as the whole list, with its length.
    static func listsComeInPages(_ store: any ServiceStore) async throws {
        let severities = ["low", "critical", "info", "high", "medium", "high", "low"]
        let batch = severities.enumerated().map { StoreFinding(id: "mw-\($0.offset)", rule: "r", severity: $0.element, title: $0.element, json: "{}") }
        _ = try await store.record(batch, through: 1)
        let whole = try await store.findings(status: nil, severity: nil).map(\.id)
        var pages: [String] = []
        var page = Page(limit: 3)
        while true {
            let found = try await store.findings(status: nil, severity: nil, page: page)
            #expect(found.total == 7)
            #expect(found.rows.count <= 3)
            pages += found.rows.map(\.id)
            guard let next = found.nextOffset(after: page) else { break }
            page.offset = next
        }
        #expect(pages == whole, "the pages together are the whole list, in its order")
        #expect(page.offset == 6)
        let filtered = try await store.findings(status: nil, severity: "high", page: Page(limit: 1, offset: 1))
        #expect(filtered.total == 2 && filtered.rows.count == 1 && filtered.nextOffset(after: Page(limit: 1, offset: 1)) == nil)
        let beyond = try await store.findings(status: nil, severity: nil, page: Page(limit: 5, offset: 50))
        #expect(beyond.rows.isEmpty && beyond.total == 7 && beyond.nextOffset(after: Page(limit: 5, offset: 50)) == nil)
        for index in 0..<5 { try await store.audit(actor: "alice", action: "test", subject: "s\(index)", detail: "") }
        let log = try await store.auditLog(page: Page(limit: 2, offset: 2))
        #expect(log.total == 5)
        #expect(log.rows.map(\.subject) == ["s2", "s3"], "oldest first")
        #expect(log.nextOffset(after: Page(limit: 2, offset: 2)) == 4)
    }

    /// Findings are numbered in the order they were first recorded; a poller asking for what came
    /// after the last number it saw gets exactly the findings recorded since, oldest first.
    static func findingsAreNumberedForPolling(_ store: any ServiceStore) async throws {
        let first = ["low", "critical", "info"].enumerated().map { StoreFinding(id: "mw-\($0.offset)", rule: "r", severity: $0.element, title: $0.element, json: "{}") }
        _ = try await store.record(first, through: 1)
        let all = try await store.findings(FindingFilter(recordedAfter: 0), page: .everything)
        #expect(all.rows.map(\.sequence) == [1, 2, 3], "numbered from 1, in the order recorded")
        #expect(Set(all.rows.map(\.id)) == ["mw-0", "mw-1", "mw-2"] && all.total == 3)
        let cursor = try #require(all.rows.last?.sequence)
        #expect(try await store.findings(FindingFilter(recordedAfter: cursor), page: .everything).rows.isEmpty)
        // Seen again (updated, its status changed): not new, its number stays.
        _ = try await store.record([StoreFinding(id: "mw-1", rule: "r", severity: "high", title: "again", json: "{}"),
                                    StoreFinding(id: "mw-new", rule: "r", severity: "info", title: "new", json: "{}")], through: 2)
        _ = try await store.setStatus(of: "mw-0", to: .acknowledged, by: "alice", note: "")
        let polled = try await store.findings(FindingFilter(recordedAfter: cursor), page: .everything)
        #expect(polled.rows.map(\.id) == ["mw-new"] && polled.rows.first?.sequence == 4 && polled.total == 1)
        #expect(try await store.finding(id: "mw-1")?.sequence == all.rows.first { $0.id == "mw-1" }?.sequence)
        // Pages of a poll come oldest first; other filters still apply.
        let paged = try await store.findings(FindingFilter(recordedAfter: 1), page: Page(limit: 2))
        #expect(paged.rows.map(\.sequence) == [2, 3] && paged.total == 3)
        let infos = try await store.findings(FindingFilter(severity: "info", recordedAfter: 0), page: .everything).rows
        #expect(infos.allSatisfy { $0.severity == "info" } && infos.map(\.sequence) == infos.map(\.sequence).sorted() && Set(infos.map(\.id)) == ["mw-2", "mw-new"])
    }

    static func tokensAreStoredAsHashesWithTheirRole(_ store: any ServiceStore) async throws {
        try await store.saveToken(name: "admin", role: "viewer", sha256: String(repeating: "cd", count: 32), by: "first start")
        try await store.saveToken(name: "admin", role: "admin", sha256: String(repeating: "ab", count: 32), by: "first start")
        #expect(try await store.tokens() == [StoredToken(name: "admin", role: "admin", sha256: String(repeating: "ab", count: 32))])
        #expect(try await store.auditLog().last?.action == "token.saved")
        #expect(try await store.createToken(name: "admin", role: "admin", sha256: String(repeating: "ef", count: 32), by: "replica b") == false)
        #expect(try await store.createToken(name: "ops", role: "admin", sha256: String(repeating: "12", count: 32), by: "first start") == true)
        #expect(try await store.tokens().map(\.sha256) == [String(repeating: "ab", count: 32), String(repeating: "12", count: 32)])
    }

    static func exceptionsAndPolicyHistory(_ store: any ServiceStore) async throws {
        let made = try await store.addException(StoredException(rule: "mirror.*", destination: "eni-0abc", owner: "netops",
                                                                 justification: "approved sensor", ticket: "CHG-1", expires: "2027-06-30"), by: "bob")
        let second = try await store.addException(StoredException(rule: "mirror.filter.catch-all", device: "core-sw1", owner: "netops",
                                                                   justification: "lab", expires: "2027-01-31"), by: "bob")
        #expect(made.id == "svc-1" && second.id == "svc-2")
        let stored = try await store.exceptions()
        #expect(stored.map(\.id) == ["svc-1", "svc-2"])
        #expect(stored[0].destination == "eni-0abc" && stored[0].ticket == "CHG-1" && stored[0].createdBy == "bob" && stored[1].ticket == nil)
        #expect(try await store.auditLog().map(\.action) == ["exception.created", "exception.created"])

        let v1 = try await store.recordPolicy(text: "version: 1\n", sha256: "aa", by: "file")
        let again = try await store.recordPolicy(text: "version: 1\n", sha256: "aa", by: "file")
        let v2 = try await store.recordPolicy(text: "version: 1\n# two\n", sha256: "bb", by: "admin")
        #expect(again == v1)
        #expect(v2.version > v1.version)
        let history = try await store.policyHistory()
        #expect(history.map(\.sha256) == ["aa", "bb"])
        #expect(history.last?.recordedBy == "admin" && history.last?.text == "version: 1\n# two\n")
    }

    static func workIsClaimedOnceUntilItsLeaseRunsOut(_ store: any ServiceStore) async throws {
        try await store.enqueueJob(kind: "reevaluate", reason: "policy 2")
        try await store.enqueueJob(kind: "reevaluate", reason: "policy 3")   // one already waiting: not queued again
        let job = try #require(try await store.claimJob(by: "replica-a", lease: 60))
        #expect(job.kind == "reevaluate" && job.reason == "policy 2")
        #expect(try await store.claimJob(by: "replica-b", lease: 60) == nil)
        try await store.finishJob(job.id)
        #expect(try await store.claimJob(by: "replica-b", lease: 60) == nil)
        // A claim whose replica died: the lease runs out and another takes it.
        try await store.enqueueJob(kind: "reevaluate", reason: "exception svc-3")
        let abandoned = try #require(try await store.claimJob(by: "replica-a", lease: 0.2))
        try await Task.sleep(for: .milliseconds(400))
        #expect(try await store.claimJob(by: "replica-b", lease: 60)?.id == abandoned.id)
    }

    static func outboxEntriesAreClaimedAndRetried(_ store: any ServiceStore) async throws {
        try await store.enqueue([OutboxItem(sink: "hook", findingId: "mw-a", payload: "{1}"), OutboxItem(sink: "hook", findingId: "mw-b", payload: "{2}")])
        try await store.enqueue([OutboxItem(sink: "hook", findingId: "mw-a", payload: "{again}")])   // already queued for that sink
        try await store.enqueue([OutboxItem(sink: "chat", findingId: "mw-a", payload: "{chat}")])
        // One sink's entries alone (each sink is delivered on its own).
        #expect(try await store.claimOutbox(sink: "chat", limit: 10, lease: 60).map(\.payload) == ["{chat}"])
        let claimed = try await store.claimOutbox(sink: nil, limit: 10, lease: 60)
        #expect(claimed.map(\.payload) == ["{1}", "{2}"])
        #expect(try await store.claimOutbox(sink: nil, limit: 10, lease: 60).isEmpty)   // claimed: nobody else gets them
        try await store.markDelivered(claimed[0].id)
        try await store.markFailed(claimed[1].id, error: "503", retryAfter: 0)
        #expect(try await store.claimOutbox(sink: "chat", limit: 10, lease: 60).isEmpty)
        let retry = try await store.claimOutbox(sink: "hook", limit: 10, lease: 60)
        #expect(retry.map(\.findingId) == ["mw-b"])
        #expect(retry.first?.attempts == 1)
        #expect(try await store.outboxCounts()["hook"] == OutboxCount(delivered: 1, waiting: 1))
        // Given back untried: due again, its attempts unchanged.
        try await store.release(retry[0].id, retryAfter: 0)
        let again = try await store.claimOutbox(sink: "hook", limit: 10, lease: 60)
        #expect(again.map(\.findingId) == ["mw-b"] && again.first?.attempts == 1)
    }

    /// Every check, each on a store of its own from `make`.
    static func all(_ make: () async throws -> any ServiceStore) async throws {
        try await batchesComeBackInOrderWithTheirBytes(try await make())
        try await findingsKeepTheirLifecycleAcrossEvaluations(try await make())
        try await tokensAreStoredAsHashesWithTheirRole(try await make())
        try await findingsAreListedNewestFirstThenMostSevere(try await make())
        try await listsComeInPages(try await make())
        try await findingsAreNumberedForPolling(try await make())
        try await exceptionsAndPolicyHistory(try await make())
        try await workIsClaimedOnceUntilItsLeaseRunsOut(try await make())
        try await outboxEntriesAreClaimedAndRetried(try await make())
    }
}
