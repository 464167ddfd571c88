import Foundation
import MirrorwatchTestSupport
import Testing

/// Exceptions made in the service: required owner, justification and expiry; once made, the
/// findings they cover become suppressed (with the exception named), and the audit log says who.
@Suite(.serialized) struct ExceptionTests {
    static func tomorrow(_ days: Double = 30) -> String {
        let formatter = DateFormatter()
        formatter.dateFormat = "yyyy-MM-dd"
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: Date().addingTimeInterval(days * 86400))
    }

    @Test func anExceptionSuppressesWhatItCoversAndIsChecked() async throws {
        let server = try RunningServer()
        defer { server.stop() }
        #expect(try await server.request("POST", "/v1/ingest/cloudtrail", as: "collector", body: ServeTests.cloudTrailObject).status == 202)
        _ = try await server.waitForEvaluation()
        let findings = (try await server.request("GET", "/v1/findings?status=new", as: "dashboard").object["findings"] as? [[String: Any]] ?? [])
            .compactMap { $0["finding"] as? [String: Any] }
        let target = try #require(findings.first { ($0["change"] as? [String: Any])?["resource"] is String })
        let rule = try #require(target["rule"] as? String)
        let resource = try #require((target["change"] as? [String: Any])?["resource"] as? String)
        let id = try #require(target["id"] as? String)

        func create(_ fields: [String: String], as owner: String = "alice") async throws -> RunningServer.Reply {
            try await server.request("POST", "/v1/exceptions", as: owner, body: try JSONSerialization.data(withJSONObject: fields))
        }
        // Refused: no owner, a past expiry, more than a year, nothing named, a viewer.
        let noOwner = try await create(["rule": rule, "resource": resource, "justification": "sensor", "expires": Self.tomorrow()])
        #expect(noOwner.status == 400 && noOwner.text.contains("owner is required"), "\(noOwner.text)")
        #expect(try await create(["rule": rule, "resource": resource, "owner": "netops", "justification": "x", "expires": "2020-01-01"]).text.contains("already past"))
        #expect(try await create(["rule": rule, "resource": resource, "owner": "netops", "justification": "x", "expires": Self.tomorrow(500)]).text.contains("more than a year"))
        #expect(try await create(["rule": rule, "owner": "netops", "justification": "x", "expires": Self.tomorrow()]).text.contains("name what the exception covers"))
        #expect(try await create(["rule": rule, "resource": resource, "owner": "netops", "justification": "x", "expires": Self.tomorrow()], as: "dashboard").status == 403)

        let made = try await create(["rule": rule, "resource": resource, "owner": "netops", "justification": "approved sensor rollout",
                                     "ticket": "CHG0031001", "expires": Self.tomorrow()])
        #expect(made.status == 201, "\(made.text)")
        let exceptionId = try #require(made.object["id"] as? String)
        var suppressed: [String: Any] = [:]
        for _ in 0..<100 {
            _ = try await server.waitForEvaluation()
            suppressed = try await server.request("GET", "/v1/findings/\(id)", as: "dashboard").object
            if suppressed["status"] as? String == "suppressed" { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        #expect(suppressed["status"] as? String == "suppressed")
        #expect(suppressed["status_by"] as? String == "policy exception \(exceptionId)")
        let listed = try await server.request("GET", "/v1/exceptions", as: "dashboard").json as? [[String: Any]] ?? []
        #expect(listed.count == 1 && listed.first?["status"] as? String == "active" && listed.first?["created_by"] as? String == "alice")
        let log = try await server.request("GET", "/v1/audit-log", as: "ops").json as? [[String: Any]] ?? []
        #expect(log.contains { $0["action"] as? String == "exception.created" && $0["actor"] as? String == "alice" })

        // A restart keeps the exception and the suppression.
        server.stop()
        try server.start()
        _ = try await server.waitForEvaluation()
        #expect(try await server.request("GET", "/v1/findings/\(id)", as: "dashboard").object["status"] as? String == "suppressed")
    }

    @Test func theFindingPageMakesExceptionsWithItsCSRFToken() async throws {
        let server = try RunningServer()
        defer { server.stop() }
        #expect(try await server.request("POST", "/v1/ingest/cloudtrail", as: "collector", body: ServeTests.cloudTrailObject).status == 202)
        _ = try await server.waitForEvaluation()
        let id = try #require((try await server.request("GET", "/v1/findings?status=new", as: "dashboard").object["findings"] as? [[String: Any]])?
            .first { (($0["finding"] as? [String: Any])?["change"] as? [String: Any])?["resource"] is String }?["id"] as? String)
        let signIn = try await server.request("POST", "/ui/login", body: Data("token=mw_test_analyst_token".utf8),
                                              headers: ["Content-Type": "application/x-www-form-urlencoded"], followRedirects: false)
        let cookie = try #require(signIn.headers["Set-Cookie"]?.split(separator: ";").first.map(String.init))
        let page = try await server.request("GET", "/ui/findings/\(id)", headers: ["Cookie": cookie]).text
        #expect(page.contains("Document an exception"))
        let csrf = try #require(page.range(of: #"name="csrf" value="([0-9a-f]+)""#, options: .regularExpression).map {
            String(page[$0].dropFirst("name=\"csrf\" value=\"".count).dropLast())
        })
        let rule = try #require(page.range(of: #"name="rule" value="[^"]+""#, options: .regularExpression).map {
            String(page[$0].dropFirst("name=\"rule\" value=\"".count).dropLast())
        })
        let resource = try #require(page.range(of: #"name="resource" value="[^"]+""#, options: .regularExpression).map {
            String(page[$0].dropFirst("name=\"resource\" value=\"".count).dropLast())
        })
        func post(_ form: String) async throws -> RunningServer.Reply {
            try await server.request("POST", "/ui/findings/\(id)/exception", body: Data(form.utf8),
                                     headers: ["Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"], followRedirects: false)
        }
        let refused = try await post("csrf=\(csrf)&rule=\(rule)&resource=\(resource)&owner=&justification=x&expires=\(Self.tomorrow())")
        #expect(refused.status == 400 && refused.text.contains("owner is required"))
        #expect(try await post("rule=\(rule)&resource=\(resource)&owner=netops&justification=x&expires=\(Self.tomorrow())").status == 403)
        let made = try await post("csrf=\(csrf)&rule=\(rule)&resource=\(resource)&owner=netops&justification=sensor+rollout&expires=\(Self.tomorrow())")
        #expect(made.status == 303)
        for _ in 0..<100 {
            if try await server.request("GET", "/v1/findings/\(id)", as: "dashboard").object["status"] as? String == "suppressed" { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        #expect(try await server.request("GET", "/v1/findings/\(id)", as: "dashboard").object["status"] as? String == "suppressed")
    }

    /// The exceptions page and the policy page in the browser: the exception with its owner, status
    /// and expiry; the policy the service runs with and its history.
    @Test func theBrowserShowsExceptionsAndThePolicyWithItsHistory() async throws {
        let server = try RunningServer()
        defer { server.stop() }
        #expect(try await server.request("POST", "/v1/ingest/cloudtrail", as: "collector", body: ServeTests.cloudTrailObject).status == 202)
        _ = try await server.waitForEvaluation()
        let fields = ["rule": "mirror.destination.unapproved", "destination": "eni-0feedfacecafe0001", "owner": "netops <b>team</b>",
                      "justification": "sensor rollout", "ticket": "CHG0031009", "expires": Self.tomorrow()]
        #expect(try await server.request("POST", "/v1/exceptions", as: "alice", body: try JSONSerialization.data(withJSONObject: fields)).status == 201)
        _ = try await server.waitForEvaluation()

        let link = try #require(try await server.request("POST", "/v1/ui/login-link?next=/ui/exceptions", as: "dashboard").object["url"] as? String)
        let page = try HeadlessChromium.run(["--dump-dom", "--virtual-time-budget=3000"], url: "http://127.0.0.1:\(server.port)\(link)")
        #expect(page.contains("<h1>Exceptions</h1>") && page.contains("svc-1") && page.contains("CHG0031009"), "\(page.prefix(400))")
        #expect(page.contains("destination eni-0feedfacecafe0001") && page.contains(Self.tomorrow()))
        #expect(page.contains("netops &lt;b&gt;team&lt;/b&gt;"), "values are escaped")
        #expect(page.contains(">unused<"), "nothing in the batch goes to that destination")

        let policyLink = try #require(try await server.request("POST", "/v1/ui/login-link?next=/ui/policy", as: "dashboard").object["url"] as? String)
        let screenshot = server.directory.path + "/policy.png"
        let policy = try HeadlessChromium.run(["--dump-dom", "--virtual-time-budget=3000"], url: "http://127.0.0.1:\(server.port)\(policyLink)")
        #expect(policy.contains("<h1>Policy</h1>") && policy.contains("Version <b>1</b>") && policy.contains("approved_destinations"), "\(policy.prefix(400))")
        #expect(policy.contains("policy file ") && policy.contains("<h2>History</h2>"))
        let again = try #require(try await server.request("POST", "/v1/ui/login-link?next=/ui/exceptions", as: "dashboard").object["url"] as? String)
        _ = try HeadlessChromium.run(["--screenshot=\(screenshot)", "--window-size=1280,700"], url: "http://127.0.0.1:\(server.port)\(again)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: screenshot)).count > 10_000)
        if let keep = ProcessInfo.processInfo.environment["MIRRORWATCH_KEEP_SCREENSHOTS"] {
            try? FileManager.default.removeItem(atPath: keep + "/exceptions.png")
            try? FileManager.default.copyItem(atPath: screenshot, toPath: keep + "/exceptions.png")
        }
    }
}
