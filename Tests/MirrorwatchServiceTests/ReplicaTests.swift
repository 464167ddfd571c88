import Foundation
import MirrorwatchTestSupport
import Testing

/// Two `mirrorwatch serve` replicas on one real PostgreSQL server, batches posted to both at once:
/// each sees every batch, the findings are exactly those one server finds in the same batches
/// (none lost, none doubled), each new finding reaches the sink once, and an exception or a policy
/// made on one replica holds on the other.
@Suite(.serialized, .enabled(if: TestPostgres.serverURL != nil, "needs MIRRORWATCH_TEST_POSTGRES_URL (set by .ci/run)"))
struct ReplicaTests {
    /// The bundled CloudTrail object cut into `parts` S3-style objects, and the EventBridge events.
    static func batches(parts: Int) throws -> [Data] {
        let gunzip = Process()
        gunzip.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        gunzip.arguments = ["gzip", "-dc"]
        let input = Pipe(), output = Pipe()
        gunzip.standardInput = input
        gunzip.standardOutput = output
        try gunzip.run()
        input.fileHandleForWriting.write(ServeTests.cloudTrailObject)
        try input.fileHandleForWriting.close()
        let plain = output.fileHandleForReading.readDataToEndOfFile()
        gunzip.waitUntilExit()
        let records = try #require((try JSONSerialization.jsonObject(with: plain) as? [String: Any])?["Records"] as? [Any])
        let size = (records.count + parts - 1) / parts
        var batches = try stride(from: 0, to: records.count, by: size).map {
            try JSONSerialization.data(withJSONObject: ["Records": Array(records[$0..<min($0 + size, records.count)])])
        }
        batches.append(try Data(contentsOf: URL(fileURLWithPath: RepositoryPaths.examples + "/aws/eventbridge/ec2-api-calls-2026-11-04.jsonl")))
        return batches
    }

    static func findingIds(_ server: RunningServer) async throws -> [String] {
        let list = try await server.request("GET", "/v1/findings", as: "dashboard").object
        return (list["findings"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
    }

    /// Waits until `server` has read and evaluated every batch up to `through`.
    static func waitFor(_ server: RunningServer, through: Int) async throws {
        for _ in 0..<300 {
            let status = try await server.request("GET", "/v1/status", as: "dashboard").object
            if (status["accepted_through"] as? Int ?? 0) >= through, status["accepted_through"] as? Int == status["evaluated_through"] as? Int { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw RunningServer.ServerError(description: "replica on port \(server.port) did not catch up to batch \(through)")
    }

    @Test func twoReplicasLoseNoFindingAndDoubleNone() async throws {
        let database = try TestPostgres.freshDatabase()
        let directory = TemporaryDirectory()
        let receiver = try SinkTests.Receiver(directory: directory, failFirst: 2)
        defer { receiver.stop() }
        let sink = "sinks:\n  - {name: soc-webhook, type: webhook, url: http://127.0.0.1:\(receiver.httpPort)/hook}\n"
        let a = try RunningServer(database: database, extraYAML: sink)
        defer { a.stop() }
        let b = try RunningServer(database: database, extraYAML: sink)
        defer { b.stop() }

        // Every batch posted at once, alternating replicas.
        let batches = try Self.batches(parts: 6)
        let accepted = try await withThrowingTaskGroup(of: (Int, Int).self) { group in
            for (index, body) in batches.enumerated() {
                let replica = index.isMultiple(of: 2) ? a : b
                let kind = index == batches.count - 1 ? "auto" : "cloudtrail"
                group.addTask {
                    let reply = try await replica.request("POST", "/v1/ingest/\(kind)", as: "collector", body: body)
                    guard reply.status == 202, let id = reply.object["batch"] as? Int else { throw RunningServer.ServerError(description: reply.text) }
                    return (index, id)
                }
            }
            return try await group.reduce(into: [:]) { $0[$1.0] = $1.1 }
        }
        let last = accepted.values.max() ?? 0
        #expect(Set(accepted.values).count == batches.count, "one id per batch")
        try await Self.waitFor(a, through: last)
        try await Self.waitFor(b, through: last)

        // Each replica has every batch; both list the same findings, each once.
        for replica in [a, b] { #expect(try await replica.request("GET", "/v1/status", as: "dashboard").object["batches"] as? Int == batches.count) }
        let idsA = try await Self.findingIds(a)
        let idsB = try await Self.findingIds(b)
        #expect(!idsA.isEmpty)
        #expect(Set(idsA).count == idsA.count, "no finding doubled")
        #expect(idsA.sorted() == idsB.sorted())

        // One server alone, given the same batches in the order the replicas accepted them, finds exactly these.
        let single = try RunningServer()
        defer { single.stop() }
        for (index, _) in accepted.sorted(by: { $0.value < $1.value }) {
            let kind = index == batches.count - 1 ? "auto" : "cloudtrail"
            #expect(try await single.request("POST", "/v1/ingest/\(kind)", as: "collector", body: batches[index]).status == 202)
        }
        _ = try await single.waitForEvaluation()
        #expect(try await Self.findingIds(single).sorted() == idsA.sorted(), "no finding lost")

        // The sink got every new finding once, though both replicas deliver the shared outbox.
        let expected = Set(try await a.request("GET", "/v1/findings?status=new", as: "dashboard").object["findings"].map { ($0 as? [[String: Any]] ?? []).compactMap { $0["id"] as? String } } ?? [])
        var hooks: [String] = []
        for _ in 0..<100 {
            hooks = receiver.posts.compactMap { (try? JSONSerialization.jsonObject(with: Data(($0["body"] as? String ?? "").utf8)) as? [String: Any])?["id"] as? String }
            if hooks.count >= expected.count { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        try await Task.sleep(for: .milliseconds(800))   // anything doubled would arrive now
        hooks = receiver.posts.compactMap { (try? JSONSerialization.jsonObject(with: Data(($0["body"] as? String ?? "").utf8)) as? [String: Any])?["id"] as? String }
        #expect(hooks.count == expected.count, "each new finding delivered once")
        #expect(Set(hooks) == expected)
    }

    @Test func anExceptionOrAPolicyMadeOnOneReplicaHoldsOnTheOther() async throws {
        let database = try TestPostgres.freshDatabase()
        let a = try RunningServer(database: database)
        defer { a.stop() }
        let b = try RunningServer(policy: nil, database: database)
        defer { b.stop() }
        let posted = try await a.request("POST", "/v1/ingest/cloudtrail", as: "collector", body: ServeTests.cloudTrailObject)
        let batch = try #require(posted.object["batch"] as? Int)
        try await Self.waitFor(a, through: batch)
        try await Self.waitFor(b, through: batch)
        let findings = (try await a.request("GET", "/v1/findings?status=new", as: "dashboard").object["findings"] as? [[String: Any]] ?? [])
            .compactMap { $0["finding"] as? [String: Any] }
        let target = try #require(findings.first { ($0["change"] as? [String: Any])?["resource"] is String })
        let id = try #require(target["id"] as? String)
        let fields = ["rule": try #require(target["rule"] as? String), "resource": try #require((target["change"] as? [String: Any])?["resource"] as? String),
                      "owner": "netops", "justification": "approved sensor rollout", "expires": ExceptionTests.tomorrow()]
        #expect(try await b.request("POST", "/v1/exceptions", as: "alice", body: try JSONSerialization.data(withJSONObject: fields)).status == 201)
        // Suppressed once (one replica claims the re-evaluation), and it stays so when the other evaluates new batches.
        var status = ""
        for _ in 0..<100 {
            status = try await a.request("GET", "/v1/findings/\(id)", as: "dashboard").object["status"] as? String ?? ""
            if status == "suppressed" { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(status == "suppressed")
        let more = try await a.request("POST", "/v1/ingest/auto", as: "collector",
                                       body: try Data(contentsOf: URL(fileURLWithPath: RepositoryPaths.examples + "/aws/eventbridge/ec2-api-calls-2026-11-04.jsonl")))
        try await Self.waitFor(a, through: try #require(more.object["batch"] as? Int))
        #expect(try await b.request("GET", "/v1/findings/\(id)", as: "dashboard").object["status"] as? String == "suppressed")

        // B started without a policy file: it runs with the version A recorded. A new version put through B reaches A.
        let policyB = try await b.request("GET", "/v1/policy", as: "dashboard").object
        #expect(policyB["version"] as? Int == 1)
        #expect((policyB["history"] as? [[String: Any]])?.first?["recorded_by"] as? String ?? "" != "")
        let text = try String(contentsOfFile: RepositoryPaths.examples + "/policy.yaml", encoding: .utf8) + "\n# reviewed 2026-11-29\n"
        let byAnalyst = try await b.request("PUT", "/v1/policy", as: "alice", body: Data(text.utf8))
        #expect(byAnalyst.status == 403, "admins only")
        let bad = try await b.request("PUT", "/v1/policy", as: "ops", body: Data("approved_destinations: 7\n".utf8))
        #expect(bad.status == 400, "\(bad.text)")
        let put = try await b.request("PUT", "/v1/policy", as: "ops", body: Data(text.utf8))
        #expect(put.object["version"] as? Int == 2)
        #expect(put.status == 200, "\(put.text)")
        let policyA = try await a.request("GET", "/v1/policy", as: "dashboard").object
        #expect(policyA["version"] as? Int == 2 && policyA["text"] as? String == text)
        #expect((policyA["history"] as? [[String: Any]])?.last?["recorded_by"] as? String == "ops")
        let log = try await a.request("GET", "/v1/audit-log", as: "ops").json as? [[String: Any]] ?? []
        #expect(log.contains { $0["action"] as? String == "policy.recorded" && $0["actor"] as? String == "ops" })
    }
}
