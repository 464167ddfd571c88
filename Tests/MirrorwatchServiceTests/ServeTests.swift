import Crypto
import Foundation
import Mirrorwatch
import MirrorwatchTestSupport
import Testing

/// The OpenAPI document in the repository describes what the server serves.
@Suite struct OpenAPIDocumentTests {
    @Test func listsEveryPathAndInputKind() throws {
        let text = try String(contentsOfFile: RepositoryPaths.root + "/docs/openapi.yaml", encoding: .utf8)
        // Every API route the service registers (the web UI's /ui pages aside), read from its sources.
        let sources = RepositoryPaths.root + "/Sources/MirrorwatchService"
        var routes: Set<String> = []
        for file in try FileManager.default.contentsOfDirectory(atPath: sources) where file.hasSuffix(".swift") {
            let code = try String(contentsOfFile: sources + "/" + file, encoding: .utf8)
            for match in code.matches(of: /router\.(get|post|put|delete)\("(\/[^"]*)"/) where !match.output.2.hasPrefix("/ui") {
                let path = match.output.2.split(separator: "/").map { $0.hasPrefix(":") ? "{\($0.dropFirst())}" : String($0) }.joined(separator: "/")
                routes.insert("/" + path)
            }
        }
        #expect(routes.count >= 15, "\(routes.sorted())")
        for path in routes.sorted() {
            #expect(text.contains("\n  \(path):\n"), "docs/openapi.yaml does not describe \(path)")
        }
        let kinds = try #require(text.split(separator: "\n").first { $0.contains("enum: [auto,") }.map(String.init))
        let all = kinds + (text.split(separator: "\n").first { $0.contains("tickets, vpc-flow") }.map(String.init) ?? "")
            + (text.split(separator: "\n").first { $0.contains("logging-config]") }.map(String.init) ?? "")
        for kind in InputKind.allCases { #expect(all.contains(" \(kind.rawValue),") || all.contains(" \(kind.rawValue)]"), "\(kind.rawValue)") }
    }
}

/// `mirrorwatch serve` as a real process on loopback: authentication, ingest in native formats,
/// findings through the API, lifecycle with an audit log, restarts and `kill -9`.
@Suite(.serialized) struct ServeTests {
    /// The first gzipped CloudTrail S3 object of the bundled examples, as S3 holds it.
    static var cloudTrailObject: Data {
        let root = RepositoryPaths.examples + "/aws/cloudtrail/AWSLogs"
        let files = (FileManager.default.enumerator(atPath: root)?.allObjects as? [String] ?? []).filter { $0.hasSuffix(".json.gz") }.sorted()
        return try! Data(contentsOf: URL(fileURLWithPath: root + "/" + files.first!))
    }

    @Test func onlyTheHealthCheckIsOpenAndRolesAreEnforced() async throws {
        let server = try RunningServer()
        defer { server.stop() }
        #expect(try await server.request("GET", "/health").status == 200)
        let anonymous = try await server.request("GET", "/v1/findings")
        #expect(anonymous.status == 401)
        #expect(try await server.request("GET", "/v1/findings", token: "mw_not_a_token").status == 401)
        #expect(try await server.request("GET", "/metrics").status == 401)
        // Ingest-only tokens post data and read nothing; viewers read and change nothing.
        #expect(try await server.request("GET", "/v1/findings", as: "collector").status == 403)
        #expect(try await server.request("POST", "/v1/ingest/cloudtrail", as: "dashboard", body: Data("{}".utf8)).status == 403)
        #expect(try await server.request("POST", "/v1/findings/x/acknowledge", as: "dashboard").status == 403)
        #expect(try await server.request("GET", "/v1/audit-log", as: "alice").status == 403)
        #expect(try await server.request("GET", "/v1/findings", as: "dashboard").status == 200)
        #expect(try await server.request("GET", "/v1/audit-log", as: "ops").status == 200)
        let metrics = try await server.request("GET", "/metrics", as: "dashboard")
        #expect(metrics.status == 200)
        #expect(metrics.text.contains("mirrorwatch_http_unauthorized_total 3"))
        // A refusal says what it is, in JSON.
        #expect(anonymous.headers["Content-Type"] == "application/json")
        #expect(anonymous.headers.first { $0.key.lowercased() == "www-authenticate" }?.value.hasPrefix("Bearer") == true)
        // The scheme is matched in any case (RFC 9110); a scheme alone is no token.
        let token = RunningServer.tokens["dashboard"]!.1
        #expect(try await server.request("GET", "/v1/findings", headers: ["Authorization": "bearer \(token)"]).status == 200)
        #expect(try await server.request("GET", "/v1/findings", headers: ["Authorization": "BEARER \(token)"]).status == 200)
        #expect(try await server.request("GET", "/v1/findings", headers: ["Authorization": "Bearer "]).status == 401)
        #expect(try await server.request("GET", "/v1/findings", headers: ["Authorization": "Basic \(token)"]).status == 401)
    }

    /// Every response, refusals and errors included, forbids sniffing, caching and framing.
    /// A sign-in form posted by another site's page is refused (login CSRF); the service's own page
    /// (also behind a proxy, over plain HTTP, where browsers send no `Sec-Fetch-Site`) and clients
    /// that are not browsers sign in.
    @Test func aSignInPostedFromAnotherSiteIsRefused() async throws {
        let server = try RunningServer()
        defer { server.stop() }
        func post(_ headers: [String: String], form: String = "") async throws -> RunningServer.Reply {
            try await server.request("POST", "/ui/login", body: Data(("token=mw_test_viewer_token" + form).utf8),
                                     headers: headers.merging(["Content-Type": "application/x-www-form-urlencoded"]) { a, _ in a }, followRedirects: false)
        }
        // The sign-in page sets the form token as a SameSite=Strict cookie and in the form.
        let page = try await server.request("GET", "/ui/login")
        let cookie = try #require(page.headers["Set-Cookie"])
        #expect(cookie.contains("SameSite=Strict") && cookie.contains("HttpOnly") && cookie.contains("Path=/ui/login"))
        let token = try #require(cookie.split(separator: ";").first.map { String($0.dropFirst("mw_login=".count)) })
        #expect(page.text.contains(#"<input type="hidden" name="form" value="\#(token)">"#))
        let other = String(token.reversed())
        for (headers, form) in [(["Sec-Fetch-Site": "cross-site"], ""), (["Sec-Fetch-Site": "same-site"], "&form=\(token)"),
                                (["Origin": "https://evil.example"], ""), (["Origin": "null"], ""),
                                (["Origin": "https://evil.example"], "&form=\(token)"),   // the cookie is not sent cross-site
                                (["Origin": "https://evil.example", "Cookie": "mw_login=\(other)"], "&form=\(token)")] {
            let refused = try await post(headers, form: form)
            #expect(refused.status == 403, "\(headers)")
            #expect(refused.headers["Set-Cookie"]?.hasPrefix("mw_session=") != true, "\(headers)")
            #expect(refused.text.contains("Sign in from this site&#39;s own page.") || refused.text.contains("Sign in from this site's own page."), "\(refused.text)")
        }
        for (headers, form) in [(["Sec-Fetch-Site": "same-origin", "Origin": "http://127.0.0.1:\(server.port)"], ""),
                                (["Origin": "https://mirrorwatch.example.com", "Cookie": "mw_login=\(token)"], "&form=\(token)"),
                                ([:], "")] {
            let signedIn = try await post(headers, form: form)
            #expect(signedIn.status == 303, "\(headers): \(signedIn.status)")
            #expect(signedIn.headers["Set-Cookie"]?.hasPrefix("mw_session=") == true, "\(headers)")
        }
    }

    @Test func everyResponseCarriesTheSecurityHeaders() async throws {
        let server = try RunningServer()
        defer { server.stop() }
        let replies = [
            try await server.request("GET", "/health"),
            try await server.request("GET", "/v1/findings"),
            try await server.request("GET", "/v1/findings", as: "dashboard"),
            try await server.request("GET", "/v1/findings/no-such-finding", as: "dashboard"),
            try await server.request("GET", "/v1/audit-log", as: "alice"),
            try await server.request("GET", "/ui/login"),
            try await server.request("GET", "/ui/findings", followRedirects: false),
        ]
        #expect(replies.map(\.status) == [200, 401, 200, 404, 403, 200, 303])
        for reply in replies {
            #expect(reply.headers["X-Content-Type-Options"] == "nosniff", "\(reply.status)")
            #expect(reply.headers["Cache-Control"] == "no-store", "\(reply.status)")
            #expect(reply.headers["X-Frame-Options"] == "DENY", "\(reply.status)")
            #expect(reply.headers["Referrer-Policy"] == "no-referrer", "\(reply.status)")
            #expect(reply.headers["Strict-Transport-Security"] == nil, "plain HTTP: no HSTS")
        }
    }

    @Test func batchesBecomeFindingsWithALifecycleThatSurvivesARestart() async throws {
        let server = try RunningServer()
        defer { server.stop() }
        let posted = try await server.request("POST", "/v1/ingest/cloudtrail", as: "collector", body: Self.cloudTrailObject)
        #expect(posted.status == 202, "\(posted.text)")
        #expect(posted.object["format"] as? String == "cloudtrail")
        #expect((posted.object["records"] as? Int ?? 0) > 100)
        // EventBridge events as an API destination delivers them, one per request, sniffed.
        let eventBridge = try Data(contentsOf: URL(fileURLWithPath: RepositoryPaths.examples + "/aws/eventbridge/ec2-api-calls-2026-11-04.jsonl"))
        #expect(try await server.request("POST", "/v1/ingest/auto", as: "collector", body: eventBridge).status == 202)
        _ = try await server.waitForEvaluation()

        let list = try await server.request("GET", "/v1/findings", as: "dashboard").object
        let findings = list["findings"] as? [[String: Any]] ?? []
        #expect(!findings.isEmpty)
        let rules = Set(findings.compactMap { ($0["finding"] as? [String: Any])?["rule"] as? String })
        #expect(rules.contains { $0.hasPrefix("mirror.") }, "\(rules)")
        let evidence = findings.compactMap { ($0["finding"] as? [String: Any])?["evidence"] as? [[String: Any]] }.flatMap { $0 }
        #expect(evidence.contains { ($0["input"] as? String)?.hasPrefix("ingest/1/cloudtrail") == true }, "evidence names the batch")

        // The evidence report of the last evaluation: live state, coverage, the batch's SHA-256.
        let audit = try await server.request("GET", "/v1/audit", as: "dashboard")
        #expect(audit.status == 200)
        #expect(audit.object["coverage"] != nil && audit.object["graph"] != nil, "\(audit.object.keys.sorted())")
        #expect(audit.text.contains("ingest/1/cloudtrail"))
        let digest = Data(SHA256Hex.of(Self.cloudTrailObject).utf8)
        #expect(audit.text.contains(String(decoding: digest, as: UTF8.self)))
        let page = try await server.request("GET", "/v1/audit.html", as: "dashboard")
        #expect(page.status == 200)
        #expect(page.text.hasPrefix("<!DOCTYPE html>") && !page.text.contains("<script"))
        #expect(try await server.request("GET", "/v1/audit.html").status == 401)

        let id = try #require(findings.first?["id"] as? String)
        let acknowledged = try await server.request("POST", "/v1/findings/\(id)/acknowledge", as: "alice", body: Data(#"{"note":"sensor rollout CHG0031001"}"#.utf8))
        #expect(acknowledged.status == 200)
        #expect(acknowledged.object["status"] as? String == "acknowledged")
        #expect(acknowledged.object["status_by"] as? String == "alice")
        #expect(try await server.request("POST", "/v1/findings/mw-nope/resolve", as: "alice").status == 404)
        #expect(try await server.request("POST", "/v1/findings/\(id)/approve", as: "alice").status == 404)
        let log = try await server.request("GET", "/v1/audit-log", as: "ops").json as? [[String: Any]] ?? []
        #expect(log.contains { $0["actor"] as? String == "alice" && $0["action"] as? String == "finding.acknowledged" && $0["subject"] as? String == id
            && $0["detail"] as? String == "sensor rollout CHG0031001" })

        // A restart keeps the batches, the findings and their status, and finds nothing new to add.
        server.stop()
        try server.start()
        let status = try await server.waitForEvaluation()
        #expect(status["batches"] as? Int == 2)
        let again = try await server.request("GET", "/v1/findings/\(id)", as: "dashboard").object
        #expect(again["status"] as? String == "acknowledged")
        let relisted = try await server.request("GET", "/v1/findings", as: "dashboard").object
        #expect(relisted["count"] as? Int == findings.count)
        let onlyAcknowledged = try await server.request("GET", "/v1/findings?status=acknowledged", as: "dashboard").object
        #expect(onlyAcknowledged["count"] as? Int == 1)
        #expect(try await server.request("GET", "/v1/findings?status=bogus", as: "dashboard").status == 400)

        // Long lists come a page at a time: the pages together are the whole list, in its order.
        let whole = findings.compactMap { $0["id"] as? String }
        #expect(whole.count >= 3 && relisted["next_offset"] is NSNull && relisted["offset"] as? Int == 0)
        var paged: [String] = []
        var offset: Int? = 0
        while let from = offset {
            let page = try await server.request("GET", "/v1/findings?limit=2&offset=\(from)", as: "dashboard").object
            #expect(page["count"] as? Int == whole.count && page["limit"] as? Int == 2)
            paged += (page["findings"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
            offset = page["next_offset"] as? Int
        }
        #expect(paged == whole)
        // New since a poll: everything was first seen after 2000, nothing after 2100; a time with an
        // offset is the same instant as in UTC (the newest first_seen, written two hours ahead).
        #expect(try await server.request("GET", "/v1/findings?since=2000-01-01T00:00:00Z", as: "dashboard").object["count"] as? Int == whole.count)
        #expect(try await server.request("GET", "/v1/findings?since=2100-01-01T00:00:00%2B02:00", as: "dashboard").object["count"] as? Int == 0)
        let newest = try #require(findings.compactMap { $0["first_seen"] as? String }.max())
        let newestDate = try #require(ISO8601DateFormatter().date(from: newest))
        let ahead = ISO8601DateFormatter()
        ahead.timeZone = TimeZone(secondsFromGMT: 7200)
        let atNewest = try await server.request("GET", "/v1/findings?since=" + ahead.string(from: newestDate).replacingOccurrences(of: "+", with: "%2B"), as: "dashboard").object
        #expect(atNewest["count"] as? Int == findings.filter { $0["first_seen"] as? String == newest }.count, "\(ahead.string(from: newestDate))")
        let afterNewest = ahead.string(from: newestDate.addingTimeInterval(1)).replacingOccurrences(of: "+", with: "%2B")
        #expect(try await server.request("GET", "/v1/findings?since=" + afterNewest, as: "dashboard").object["count"] as? Int == 0)
        // An exact cursor: every finding has its number; `after` lists those recorded later, oldest
        // first, and says where the next poll starts (`cursor`); nothing is new after a restart.
        var polled: [String] = []
        var cursor = 0
        while true {
            let page = try await server.request("GET", "/v1/findings?after=\(cursor)&limit=2", as: "dashboard").object
            let rows = page["findings"] as? [[String: Any]] ?? []
            let numbers = rows.compactMap { $0["seq"] as? Int }
            #expect(numbers == numbers.sorted() && numbers.allSatisfy { $0 > cursor } && numbers.count == rows.count)
            polled += rows.compactMap { $0["id"] as? String }
            let next = try #require(page["cursor"] as? Int)
            #expect(next == numbers.last ?? cursor)
            if rows.isEmpty { break }
            cursor = next
        }
        #expect(polled.sorted() == whole.sorted() && polled.count == whole.count)
        #expect(try await server.request("GET", "/v1/findings?after=\(cursor)", as: "dashboard").object["count"] as? Int == 0)
        for bad in ["limit=0", "limit=5001", "limit=ten", "offset=-1", "since=yesterday", "after=-1", "after=last"] {
            #expect(try await server.request("GET", "/v1/findings?\(bad)", as: "dashboard").status == 400, "\(bad)")
        }
        let first = try await server.request("GET", "/v1/audit-log?limit=1", as: "ops")
        #expect((first.json as? [[String: Any]])?.count == 1)
        let entries = Int(first.headers["X-Total-Count"] ?? "") ?? 0
        #expect(entries >= 2, "\(first.headers)")
        #expect(first.headers["Link"] == "</v1/audit-log?limit=1&offset=1>; rel=\"next\"", "\(first.headers)")
        let last = try await server.request("GET", "/v1/audit-log?limit=1&offset=\(entries - 1)", as: "ops")
        #expect(last.headers["Link"] == nil)
        // The dashboard's list links its pages, keeping the filter.
        let cookie = try await server.signIn(as: "dashboard")
        let ui = try await server.request("GET", "/ui/findings?limit=2&offset=2&status=new", headers: ["Cookie": cookie])
        #expect(ui.status == 200)
        let new = try #require(try await server.request("GET", "/v1/findings?status=new", as: "dashboard").object["count"] as? Int)
        try #require(new > 4, "enough findings for three pages")
        #expect(ui.text.contains("3–4 of \(new) finding(s)"), "\(ui.text)")
        #expect(ui.text.contains(#"<a rel="prev" href="/ui/findings?limit=2&amp;offset=0&amp;status=new">← Newer</a>"#))
        #expect(ui.text.contains(#"<a rel="next" href="/ui/findings?limit=2&amp;offset=4&amp;status=new">Older →</a>"#))
        #expect(try await server.request("GET", "/ui/findings?limit=0", headers: ["Cookie": cookie]).status == 400)
    }

    /// A snapshot posted with the path it was collected at reads as the file would (account and region
    /// from the path) and is named by it in evidence; the same bytes from the same path again are a retry.
    @Test func aSourcePathNamesTheBatchAndARetryIsNotStoredTwice() async throws {
        let server = try RunningServer()
        defer { server.stop() }
        let source = "aws/snapshots/111122223333/us-east-1/describe-traffic-mirror-sessions.json"
        let body = try Data(contentsOf: URL(fileURLWithPath: RepositoryPaths.examples + "/" + source))
        let path = "/v1/ingest/auto?source=\(source)&modified=2026-11-05T00:00:00Z"
        let posted = try await server.request("POST", path, as: "collector", body: body)
        #expect(posted.status == 202, "\(posted.text)")
        #expect(posted.object["input"] as? String == "ingest/1/\(source)")
        #expect(posted.object["format"] as? String == "aws-inventory")
        let again = try await server.request("POST", path, as: "collector", body: body)
        #expect(again.status == 200 && again.object["duplicate"] as? Bool == true && again.object["batch"] as? Int == 1)
        #expect(try await server.request("POST", "/v1/ingest/auto?source=../etc/passwd", as: "collector", body: body).status == 400)
        // Bidirectional controls would make a path read otherwise in a report (U+202E, right-to-left override).
        #expect(try await server.request("POST", "/v1/ingest/auto?source=logs/%E2%80%AEnosj.gol", as: "collector", body: body).status == 400)
        #expect(try await server.request("POST", "/v1/ingest/auto?source=logs/%C2%85x.json", as: "collector", body: body).status == 400)
        #expect(try await server.request("POST", "/v1/ingest/auto?source=x.json&modified=yesterday", as: "collector", body: body).status == 400)
        let status = try await server.waitForEvaluation()
        #expect(status["batches"] as? Int == 1)
        let audit = try await server.request("GET", "/v1/state", as: "dashboard")
        #expect(audit.status == 200 && audit.text.contains("111122223333"), "the account came from the path")
    }

    @Test func badBatchesAreStoredAndExplainedAndLimitsHold() async throws {
        let server = try RunningServer(maxRequestBytes: 4096)
        defer { server.stop() }
        let junk = try await server.request("POST", "/v1/ingest/cloudtrail", as: "collector", body: Data("{\"Records\":[{\"eventName\":\"CreateTrafficMirrorSession\",\"x\":".utf8))
        #expect(junk.status == 202)
        let problems = junk.object["problems"] as? [String] ?? []
        #expect(problems.contains { $0.contains("byte") && $0.contains("input ends") }, "\(problems)")
        #expect(junk.object["skipped"] as? Int == 1)
        #expect(try await server.request("POST", "/v1/ingest/nonsense", as: "collector", body: Data("x".utf8)).status == 404)
        #expect(try await server.request("POST", "/v1/ingest/cloudtrail", as: "collector", body: Data()).status == 400)
        let big = Data(repeating: UInt8(ascii: " "), count: 10_000)
        #expect(try await server.request("POST", "/v1/ingest/cloudtrail", as: "collector", body: big).status == 413)
        let status = try await server.request("GET", "/v1/status", as: "dashboard").object
        #expect(status["batches"] as? Int == 1)
    }

    /// With one ingest at a time, senders posting together wait their turn: every batch is stored.
    @Test func concurrentIngestsWaitTheirTurn() async throws {
        let server = try RunningServer(extraYAML: "max_concurrent_ingest: 1\n")
        defer { server.stop() }
        let body = Self.cloudTrailObject
        let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
            for i in 0..<6 {
                group.addTask { try await server.request("POST", "/v1/ingest/cloudtrail?source=sender-\(i)/object.json.gz", as: "collector", body: body).status }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(statuses == Array(repeating: 202, count: 6))
        let status = try await server.waitForEvaluation()
        #expect(status["batches"] as? Int == 6)
        // One at a time, as configured (six senders at once would otherwise overlap).
        let metrics = try await server.request("GET", "/metrics", as: "dashboard").text
        #expect(metrics.contains("mirrorwatch_ingest_concurrent_max 1.0"), "\(metrics.split(separator: "\n").filter { $0.contains("concurrent") })")
    }

    @Test func killDuringIngestLosesNoAcknowledgedBatch() async throws {
        let server = try RunningServer()
        let line = #"{"eventVersion":"1.08","eventTime":"2026-11-03T10:00:00Z","eventSource":"s3.amazonaws.com","eventName":"GetObject","awsRegion":"us-east-1","recipientAccountId":"111122223333"}"#
        let acknowledged = LockedCounter()
        // The sender stops at the first refused request (not by cancelling it: cancelling a URLSession
        // request while it fails deadlocks FoundationNetworking on Linux).
        let sender = Task {
            while true {
                // Each batch different (the same bytes again would be recognized as a retry and not stored twice).
                let batch = Data((String(repeating: line + "\n", count: 200) + "{\"eventID\":\"\(acknowledged.value)\"}\n").utf8)
                guard let reply = try? await server.request("POST", "/v1/ingest/cloudtrail", as: "collector", body: batch), reply.status == 202 else { return }
                acknowledged.increment()
            }
        }
        while acknowledged.value < 20 { try await Task.sleep(for: .milliseconds(10)) }
        server.stop(kill: true)
        _ = await sender.result
        let before = acknowledged.value
        try server.start()
        defer { server.stop() }
        let status = try await server.waitForEvaluation()
        let stored = status["batches"] as? Int ?? 0
        // Every acknowledged batch is there; at most the one in flight was stored without an answer.
        #expect(stored >= before && stored <= before + 1, "stored \(stored), acknowledged \(before)")
    }
}

/// The syslog listener: RFC 6587 framings on TCP, datagrams on UDP, one session across batches.
@Suite(.serialized) struct SyslogListenerTests {
    @Test func commandsOverTCPAndUDPBecomeOneSessionAndAFinding() async throws {
        let server = try RunningServer(syslog: true)
        defer { server.stop() }
        #expect(server.syslogTCP > 0 && server.syslogUDP > 0)
        let lines = DeviceLogFixture.iosErspanAttack.split(separator: "\n").map(String.init)
        // The first two lines octet-counted, the next three one per line, in one connection: the
        // session up to its `destination` sub-mode.
        var stream = ""
        for line in lines[0..<2] { stream += "\(line.utf8.count) \(line)" }
        for line in lines[2..<5] { stream += line + "\r\n" }
        try server.sendSyslogTCP(Data(stream.utf8))
        // Let those lines become a batch of their own: `ip address 203.0.113.50` arrives later, by UDP,
        // and only the context carried over from the first batch says whose destination it is.
        try await Task.sleep(for: .milliseconds(400))
        for line in lines[5...] { server.sendSyslogUDP(Data(line.utf8)) }
        var findings: [[String: Any]] = []
        for _ in 0..<100 {
            _ = try await server.waitForEvaluation()
            findings = try await server.request("GET", "/v1/findings", as: "dashboard").object["findings"] as? [[String: Any]] ?? []
            if findings.contains(where: { ($0["finding"] as? [String: Any])?["why"].map { "\($0)".contains("203.0.113.50") } == true }) { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        let about = findings.compactMap { $0["finding"] as? [String: Any] }.filter { "\($0["why"] ?? "")".contains("203.0.113.50") }
        #expect(!about.isEmpty, "\(findings.map { ($0["finding"] as? [String: Any])?["title"] ?? "" })")
        #expect(about.contains { "\($0["why"] ?? "")".contains("mallory") })
        let status = try await server.request("GET", "/v1/status", as: "dashboard").object
        #expect((status["batches"] as? Int ?? 0) >= 2, "lines arrived in more than one batch")
        let metrics = try await server.request("GET", "/metrics", as: "dashboard").text
        #expect(metrics.contains("mirrorwatch_findings{status=\"new\"}"))
    }

    /// An octet count larger than any message the listener takes ends that connection before any of
    /// it is held; the listener goes on for everyone else.
    @Test func anOversizedFrameClosesItsConnectionOnly() async throws {
        let server = try RunningServer(syslog: true)
        defer { server.stop() }
        // 999,999,999 bytes announced, a few sent: the listener must not wait to hold them.
        let closed = try server.syslogTCPIsClosedByServer(after: Data("999999999 <189>Nov  3 10:00:00 core-sw1 junk".utf8))
        #expect(closed, "the listener closed the connection")
        let line = "<189>Nov  3 10:00:01 core-sw1 %SYS-5-CONFIG_I: Configured from console by admin on vty0 (10.0.0.5)"
        try server.sendSyslogTCP(Data("\(line.utf8.count) \(line)".utf8))
        var metrics = ""
        for _ in 0..<50 {
            metrics = try await server.request("GET", "/metrics", as: "dashboard").text
            if metrics.contains("mirrorwatch_ingest_records_total{kind=\"syslog-stream\"} 1") { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(metrics.contains("mirrorwatch_syslog_dropped_lines_total{reason=\"oversized frame\"} 1"), "\(metrics)")
        #expect(metrics.contains("mirrorwatch_ingest_records_total{kind=\"syslog-stream\"} 1"), "the next sender is heard")
    }

    /// The lines held before they are stored are bounded: past `syslog_queue_lines` they are
    /// dropped and counted, never held without end.
    @Test func theQueueIsBoundedAndDropsAreCounted() async throws {
        let server = try RunningServer(syslog: true, extraYAML: "syslog_queue_lines: 3\n")
        defer { server.stop() }
        let lines = (0..<10).map { "<189>Nov  3 10:00:0\($0) core-sw1 %SYS-5-CONFIG_I: Configured from console by admin on vty0 (10.0.0.\($0))" }
        try server.sendSyslogTCP(Data(lines.map { $0 + "\n" }.joined().utf8))
        func count(_ name: String, in text: String) -> Int {
            text.split(separator: "\n").first { $0.hasPrefix(name + " ") }.flatMap { Int($0.split(separator: " ").last ?? "") } ?? 0
        }
        var stored = 0, dropped = 0
        for _ in 0..<50 {
            let metrics = try await server.request("GET", "/metrics", as: "dashboard").text
            stored = count("mirrorwatch_ingest_records_total{kind=\"syslog-stream\"}", in: metrics)
            dropped = count("mirrorwatch_syslog_dropped_lines_total{reason=\"queue full\"}", in: metrics)
            if stored + dropped == 10 { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(stored + dropped == 10, "every line stored or counted as dropped")
        // At most three held before a flush, and flushes come every 200 ms: most of a burst is dropped.
        #expect(dropped >= 4 && stored >= 3, "stored \(stored), dropped \(dropped)")
    }
}

enum SHA256Hex {
    static func of(_ data: Data) -> String { SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined() }
}

final class LockedCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    var value: Int { lock.lock(); defer { lock.unlock() }; return count }
    func increment() { lock.lock(); count += 1; lock.unlock() }
}

