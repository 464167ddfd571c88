import Crypto
import Foundation
import MirrorwatchTestSupport
import Testing

/// Alert sinks against a real HTTP and TCP receiver (a Python process) that refuses the first
/// requests, as a sink that is down would: every new finding reaches every sink once, in that
/// sink's format, and nothing is sent again after a restart.
@Suite(.serialized) struct SinkTests {
    final class Receiver {
        let process = Process()
        let log: String
        var httpPort = 0, tcpPort = 0

        init(directory: TemporaryDirectory, failFirst: Int) throws {
            log = directory.path + "/received.jsonl"
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["python3", RepositoryPaths.root + "/Tests/MirrorwatchServiceTests/Support/sink_receiver.py", log, String(failFirst)]
            let out = Pipe()
            process.standardOutput = out
            // Not the test's own stderr: a receiver left behind must not keep `swift test` waiting for it.
            process.standardError = FileHandle(forWritingAtPath: "/dev/null")
            try process.run()
            // "HTTP_PORT TCP_PORT\n", possibly in pieces.
            var text = ""
            while !text.contains("\n") {
                let data = out.fileHandleForReading.availableData
                if data.isEmpty { break }
                text += String(decoding: data, as: UTF8.self)
            }
            let ports = text.split(whereSeparator: { $0 == " " || $0 == "\n" }).compactMap { Int($0) }
            guard ports.count == 2 else { throw RunningServer.ServerError(description: "the sink receiver did not start: \(text)") }
            httpPort = ports[0]
            tcpPort = ports[1]
        }

        func stop() {
            guard process.isRunning else { return }
            // SIGKILL: a child spawned from a test thread inherits its blocked SIGTERM.
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }

        deinit { stop() }

        var posts: [[String: Any]] {
            ((try? String(contentsOfFile: log, encoding: .utf8)) ?? "").split(separator: "\n").compactMap {
                try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
            }
        }

        var tcpLines: [String] { ((try? String(contentsOfFile: log + ".tcp", encoding: .utf8)) ?? "").split(separator: "\n").map(String.init) }
    }

    @Test func everySinkGetsEveryNewFindingOnceDespiteFailures() async throws {
        let directory = TemporaryDirectory()
        let receiver = try Receiver(directory: directory, failFirst: 3)
        defer { receiver.stop() }
        let base = "http://127.0.0.1:\(receiver.httpPort)"
        let ocsf = directory.path + "/findings.ocsf.jsonl"
        let sinks = """
            sinks:
              - {name: soc-webhook, type: webhook, url: \(base)/hook, secret_env: MW_TEST_WEBHOOK_SECRET}
              - {name: slack, type: slack, url: \(base)/slack}
              - {name: splunk, type: splunk-hec, url: \(base)/services/collector/event, secret_env: MW_TEST_HEC_TOKEN}
              - {name: elastic, type: elasticsearch, url: \(base)/es, index: mw-findings}
              - {name: siem, type: cef-tcp, address: 127.0.0.1:\(receiver.tcpPort)}
              - {name: archive, type: ocsf-file, path: \(ocsf)}
              - {name: pager, type: webhook, url: \(base)/pager, min_severity: critical}

            """
        let server = try RunningServer(directory: directory, extraYAML: sinks,
                                       environment: ["MW_TEST_WEBHOOK_SECRET": "s3cret", "MW_TEST_HEC_TOKEN": "hec-token-1"])
        defer { server.stop() }
        let posted = try await server.request("POST", "/v1/ingest/cloudtrail", as: "collector", body: ServeTests.cloudTrailObject)
        #expect(posted.status == 202)
        _ = try await server.waitForEvaluation()
        let findings = (try await server.request("GET", "/v1/findings?status=new", as: "dashboard").object["findings"] as? [[String: Any]] ?? [])
            .compactMap { $0["finding"] as? [String: Any] }
        let ids = Set(findings.compactMap { $0["id"] as? String })
        let critical = Set(findings.filter { $0["severity"] as? String == "critical" }.compactMap { $0["id"] as? String })
        #expect(!ids.isEmpty)

        // Wait for the retries (the receiver refused the first three posts).
        func arrived(_ path: String) -> [[String: Any]] { receiver.posts.filter { ($0["path"] as? String) == path } }
        for _ in 0..<150 {
            if arrived("/hook").count == ids.count && arrived("/es/_bulk").count == ids.count && receiver.tcpLines.count == ids.count { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        let hooks = arrived("/hook")
        #expect(hooks.count == ids.count, "each new finding once")
        #expect(Set(hooks.compactMap { (try? JSONSerialization.jsonObject(with: Data(($0["body"] as? String ?? "").utf8))) as? [String: Any] }.compactMap { $0["id"] as? String }) == ids)
        for hook in hooks {
            let body = hook["body"] as? String ?? ""
            let headers = hook["headers"] as? [String: String] ?? [:]
            let expected = "sha256=" + HMAC<SHA256>.authenticationCode(for: Array(body.utf8), using: SymmetricKey(data: Array("s3cret".utf8))).map { String(format: "%02x", $0) }.joined()
            #expect(headers["X-Mirrorwatch-Signature"] == expected)
        }
        #expect(arrived("/slack").count == ids.count)
        #expect(arrived("/slack").allSatisfy { ($0["body"] as? String ?? "").contains("\"blocks\"") })
        let splunk = arrived("/services/collector/event")
        #expect(splunk.count == ids.count)
        #expect(splunk.allSatisfy { ($0["headers"] as? [String: String])?["Authorization"] == "Splunk hec-token-1" && ($0["body"] as? String ?? "").contains("\"sourcetype\":\"mirrorwatch:finding\"") })
        let bulk = arrived("/es/_bulk")
        #expect(bulk.count == ids.count)
        #expect(bulk.allSatisfy { ($0["body"] as? String ?? "").hasPrefix("{\"index\":{\"_index\":\"mw-findings\",\"_id\":\"mw-") })
        #expect(arrived("/pager").count == critical.count, "min_severity filters")
        let cef = receiver.tcpLines
        #expect(cef.count == ids.count)
        #expect(cef.allSatisfy { $0.hasPrefix("<165>") && $0.contains(" mirrorwatch CEF:0|mirrorwatch|mirrorwatch|") && $0.contains("cs1Label=findingId") })
        let archive = ((try? String(contentsOfFile: ocsf, encoding: .utf8)) ?? "").split(separator: "\n")
        #expect(archive.count == ids.count)
        #expect(archive.allSatisfy { $0.contains("\"class_uid\":2004") })
        let metrics = try await server.request("GET", "/metrics", as: "dashboard").text
        #expect(metrics.contains("mirrorwatch_sink_deliveries_total{sink=\"soc-webhook\"} \(ids.count)"))
        #expect(metrics.contains("mirrorwatch_sink_failures_total"))

        // After a restart nothing is new and nothing is sent again.
        let before = receiver.posts.count
        server.stop()
        try server.start()
        _ = try await server.waitForEvaluation()
        try await Task.sleep(for: .milliseconds(600))
        #expect(receiver.posts.count == before)
    }

    /// A receiver that redirects is not a delivery (the redirect is not followed as a GET without
    /// the alert), one that stalls after its headers fails within the attempt limit, and neither
    /// holds up a healthy sink.
    @Test func redirectsAndStalledReceiversFailWithoutHoldingUpOthers() async throws {
        let directory = TemporaryDirectory()
        let receiver = try Receiver(directory: directory, failFirst: 0)
        defer { receiver.stop() }
        let base = "http://127.0.0.1:\(receiver.httpPort)"
        let sinks = """
            sinks:
              - {name: moved, type: webhook, url: \(base)/redirect}
              - {name: stalled, type: webhook, url: \(base)/stall}
              - {name: healthy, type: webhook, url: \(base)/hook}

            """
        let server = try RunningServer(directory: directory, extraYAML: sinks)
        defer { server.stop() }
        let started = Date()
        #expect(try await server.request("POST", "/v1/ingest/cloudtrail", as: "collector", body: ServeTests.cloudTrailObject).status == 202)
        _ = try await server.waitForEvaluation()
        let ids = (try await server.request("GET", "/v1/findings?status=new", as: "dashboard").object["findings"] as? [[String: Any]] ?? []).count
        #expect(ids > 0)
        // The healthy sink gets everything while the stalled one is still waiting for its first answer.
        for _ in 0..<100 where receiver.posts.filter({ $0["path"] as? String == "/hook" }).count < ids {
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(receiver.posts.filter { $0["path"] as? String == "/hook" }.count == ids)
        #expect(Date().timeIntervalSince(started) < 14, "not held up by the stalled sink")
        // Each failing sink fails (and is retried); nothing counts as delivered; no redirect is followed.
        func failures(_ metrics: String, _ sink: String) -> Int {
            metrics.split(separator: "\n").first { $0.hasPrefix("mirrorwatch_sink_failures_total{sink=\"\(sink)\"}") }.flatMap { Int($0.split(separator: " ").last ?? "") } ?? 0
        }
        var metrics = ""
        for _ in 0..<250 {
            metrics = try await server.request("GET", "/metrics", as: "dashboard").text
            if failures(metrics, "stalled") > 0 && failures(metrics, "moved") > 0 { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(failures(metrics, "moved") > 0 && failures(metrics, "stalled") > 0, "\(metrics)")
        #expect(Date().timeIntervalSince(started) < 40, "a stalled receiver fails within the attempt limit")
        #expect(!metrics.contains("mirrorwatch_sink_deliveries_total{sink=\"moved\"}"))
        #expect(!metrics.contains("mirrorwatch_sink_deliveries_total{sink=\"stalled\"}"))
        #expect(!receiver.posts.contains { $0["method"] as? String == "GET" }, "the redirect was not followed")
    }

    @Test func aSinkWithoutItsSecretIsAConfigurationError() throws {
        let directory = TemporaryDirectory()
        let config = directory.write("serve.yaml", "listen: 127.0.0.1:0\ndatabase: \(directory.path)/db.sqlite\nsinks:\n  - {name: soc, type: webhook, url: http://127.0.0.1:9/x, secret_env: MW_NOT_SET_ANYWHERE}\n")
        let result = Command.run(RepositoryPaths.executable, ["serve", "--config", config])
        #expect(result.status != 0)
        #expect(result.stderr.contains("MW_NOT_SET_ANYWHERE"), "\(result.stderr)")
        let typo = directory.write("typo.yaml", "listen: 127.0.0.1:0\nsink: []\n")
        let typoResult = Command.run(RepositoryPaths.executable, ["serve", "--config", typo])
        #expect(typoResult.status != 0)
        #expect(typoResult.stderr.contains("unknown member 'sink'"), "\(typoResult.stderr)")
    }
}
