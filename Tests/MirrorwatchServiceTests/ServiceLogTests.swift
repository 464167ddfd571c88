import Foundation
import MirrorwatchTestSupport
import Testing

/// What the service writes to its log: JSON lines when asked, refusals with the path and never
/// the token, and the first-start admin token kept out of the log when nobody is at a terminal.
@Suite(.serialized) struct ServiceLogTests {
    @Test func jsonLogLinesNameRefusalsButNeverTheTokenOrTheFirstAdminToken() async throws {
        let directory = TemporaryDirectory()
        let log = directory.path + "/serve.log"
        let server = try RunningServer(directory: directory, tokens: false, extraYAML: "log_format: json\n", logFile: log)
        defer { server.stop() }
        // No token configured and standard error is a file: the admin token is in a file of its own.
        let tokenFile = directory.path + "/state/mirrorwatch-admin-token"
        let token = try String(contentsOfFile: tokenFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(token.count >= 32)
        let mode = try FileManager.default.attributesOfItem(atPath: tokenFile)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        #expect(try await server.request("GET", "/v1/status", token: token).status == 200)
        #expect(try await server.request("GET", "/v1/findings", token: "mw_not_a_token_s3cr3t").status == 401)
        server.stop()

        let text = try String(contentsOfFile: log, encoding: .utf8)
        let lines = text.split(separator: "\n")
        #expect(!lines.isEmpty)
        let events = lines.compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        #expect(events.count == lines.count, "every line is one JSON object: \(text.prefix(300))")
        #expect(events.allSatisfy { $0["time"] is String && $0["level"] is String && $0["message"] is String })
        let refusal = events.first { ($0["message"] as? String)?.contains("without a valid token") == true }
        #expect((refusal?["metadata"] as? [String: Any])?["path"] as? String == "/v1/findings")
        let firstStart = events.first { ($0["message"] as? String)?.hasPrefix("first start") == true }
        #expect((firstStart?["metadata"] as? [String: Any])?["file"] as? String == tokenFile)
        #expect(!text.contains("s3cr3t") && !text.contains(token), "no token in the log")
    }
}
