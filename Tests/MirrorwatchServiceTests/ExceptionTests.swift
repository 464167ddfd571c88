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
}
