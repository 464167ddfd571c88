import Foundation
import MirrorwatchTestSupport
import Testing

/// The web UI in a real browser (Debian's headless Chromium) against the real server: a one-time
/// login link opens a session, the findings page and a finding's page render with their
/// explanation; lifecycle forms are guarded by the session's CSRF token.
@Suite(.serialized) struct WebUITests {
    @Test func aBrowserSignsInWithALinkAndSeesFindingsAndTheirExplanation() async throws {
        let server = try RunningServer()
        defer { server.stop() }
        #expect(try await server.request("POST", "/v1/ingest/cloudtrail", as: "collector", body: ServeTests.cloudTrailObject).status == 202)
        _ = try await server.waitForEvaluation()
        let findings = (try await server.request("GET", "/v1/findings", as: "dashboard").object["findings"] as? [[String: Any]] ?? [])
        let first = try #require(findings.first?["finding"] as? [String: Any])
        let id = try #require(first["id"] as? String)

        // Without a session a browser lands on the login page.
        let anonymous = try HeadlessChromium.run(["--dump-dom", "--virtual-time-budget=3000"], url: "http://127.0.0.1:\(server.port)/ui/findings")
        #expect(anonymous.contains("Sign in") && anonymous.contains("name=\"token\""), "\(anonymous.prefix(300))")

        // A one-time link (asked for with the analyst's token) opens a session and redirects to the findings.
        let link = try #require(try await server.request("POST", "/v1/ui/login-link", as: "alice").object["url"] as? String)
        let dom = try HeadlessChromium.run(["--dump-dom", "--virtual-time-budget=3000"], url: "http://127.0.0.1:\(server.port)\(link)")
        #expect(dom.contains("<h1>Findings</h1>"), "\(dom.prefix(400))")
        #expect(dom.contains("alice · analyst"))
        #expect(dom.contains("/ui/findings/\(id)"))
        #expect(!dom.contains("<script"))
        // The link is spent.
        let reused = try await server.request("GET", link)
        #expect(reused.status == 401)

        // A finding's page in the browser (a link may name the page to open): why, benign-if, the lifecycle forms.
        let second = try #require(try await server.request("POST", "/v1/ui/login-link?next=/ui/findings/\(id)", as: "alice").object["url"] as? String)
        let detail = try HeadlessChromium.run(["--dump-dom", "--virtual-time-budget=3000"], url: "http://127.0.0.1:\(server.port)\(second)")
        #expect(detail.contains("<h2>Why</h2>") && detail.contains("Benign if") && detail.contains("name=\"csrf\""), "\(detail.prefix(400))")
        let outside = try #require(try await server.request("POST", "/v1/ui/login-link?next=//evil.example/", as: "alice").object["url"] as? String)
        #expect(!outside.contains("next"), "no open redirect")
        // The mirroring graph (of one platform) and the coverage pages.
        let graphLink = try #require(try await server.request("POST", "/v1/ui/login-link?next=/ui/graph?platform=aws", as: "alice").object["url"] as? String)
        let graph = try HeadlessChromium.run(["--dump-dom", "--virtual-time-budget=3000"], url: "http://127.0.0.1:\(server.port)\(graphLink)")
        #expect(graph.contains("Mirroring graph and baseline") && graph.contains("<svg") && !graph.contains("id=\"coverage\""), "\(graph.prefix(300))")
        let coverageLink = try #require(try await server.request("POST", "/v1/ui/login-link?next=/ui/coverage", as: "alice").object["url"] as? String)
        let coverage = try HeadlessChromium.run(["--dump-dom", "--virtual-time-budget=3000"], url: "http://127.0.0.1:\(server.port)\(coverageLink)")
        #expect(coverage.contains("111122223333") && !coverage.contains("Mirroring graph and baseline</h2>"), "\(coverage.prefix(300))")
        let third = try #require(try await server.request("POST", "/v1/ui/login-link", as: "alice").object["url"] as? String)
        let screenshot = server.directory.path + "/findings.png"
        _ = try HeadlessChromium.run(["--screenshot=\(screenshot)", "--window-size=1280,900"], url: "http://127.0.0.1:\(server.port)\(third)")
        let png = try Data(contentsOf: URL(fileURLWithPath: screenshot))
        #expect(png.count > 10_000 && png.starts(with: [0x89, 0x50, 0x4E, 0x47]))
    }

    @Test func formsNeedTheSessionAndItsCSRFToken() async throws {
        let server = try RunningServer()
        defer { server.stop() }
        #expect(try await server.request("POST", "/v1/ingest/cloudtrail", as: "collector", body: ServeTests.cloudTrailObject).status == 202)
        _ = try await server.waitForEvaluation()
        let id = try #require((try await server.request("GET", "/v1/findings", as: "dashboard").object["findings"] as? [[String: Any]])?.first?["id"] as? String)

        // Sign in through the form, as a person would, without following the redirect.
        let signIn = try await server.request("POST", "/ui/login", body: Data("token=mw_test_analyst_token".utf8),
                                              headers: ["Content-Type": "application/x-www-form-urlencoded"], followRedirects: false)
        #expect(signIn.status == 303)
        let cookie = try #require(signIn.headers["Set-Cookie"]?.split(separator: ";").first.map(String.init))
        #expect(signIn.headers["Set-Cookie"]?.contains("HttpOnly") == true && signIn.headers["Set-Cookie"]?.contains("SameSite=Strict") == true)
        #expect(try await server.request("POST", "/ui/login", body: Data("token=wrong".utf8), headers: ["Content-Type": "application/x-www-form-urlencoded"]).status == 401)

        let page = try await server.request("GET", "/ui/findings/\(id)", headers: ["Cookie": cookie])
        #expect(page.status == 200)
        #expect(page.text.contains("<h2>Why</h2>") && page.text.contains("<h2>Benign if</h2>") && page.text.contains("Evidence"))
        let csrf = try #require(page.text.range(of: #"name="csrf" value="([0-9a-f]+)""#, options: .regularExpression).map {
            String(page.text[$0].dropFirst("name=\"csrf\" value=\"".count).dropLast())
        })
        // Without the CSRF token (a forged cross-site form) nothing changes.
        let forged = try await server.request("POST", "/ui/findings/\(id)/acknowledge", body: Data("note=x".utf8),
                                              headers: ["Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"], followRedirects: false)
        #expect(forged.status == 403)
        let done = try await server.request("POST", "/ui/findings/\(id)/acknowledge", body: Data("csrf=\(csrf)&note=seen+in+the+UI".utf8),
                                            headers: ["Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"], followRedirects: false)
        #expect(done.status == 303)
        let after = try await server.request("GET", "/v1/findings/\(id)", as: "dashboard").object
        #expect(after["status"] as? String == "acknowledged" && after["status_by"] as? String == "alice")
        let log = try await server.request("GET", "/v1/audit-log", as: "ops").json as? [[String: Any]] ?? []
        #expect(log.contains { $0["detail"] as? String == "seen in the UI" })
        // A viewer's session sees no forms.
        let viewer = try await server.request("POST", "/ui/login", body: Data("token=mw_test_viewer_token".utf8),
                                              headers: ["Content-Type": "application/x-www-form-urlencoded"], followRedirects: false)
        let viewerCookie = try #require(viewer.headers["Set-Cookie"]?.split(separator: ";").first.map(String.init))
        let viewerPage = try await server.request("GET", "/ui/findings/\(id)", headers: ["Cookie": viewerCookie])
        #expect(viewerPage.text.contains("Your role may view findings only.") && !viewerPage.text.contains("name=\"csrf\""))
        // Signing out ends the session (the cookie no longer opens a page) and clears the cookie.
        #expect(viewerPage.text.contains("action=/ui/logout"))
        let out = try await server.request("POST", "/ui/logout", headers: ["Cookie": viewerCookie], followRedirects: false)
        #expect(out.status == 303 && out.headers["Location"] == "/ui/login")
        #expect(out.headers["Set-Cookie"]?.contains("Max-Age=0") == true)
        let afterwards = try await server.request("GET", "/ui/findings/\(id)", headers: ["Cookie": viewerCookie], followRedirects: false)
        #expect(afterwards.status == 303 && afterwards.headers["Location"] == "/ui/login")
        // The analyst's own session is untouched; plain HTTP cookies are not marked Secure.
        #expect(try await server.request("GET", "/ui/findings/\(id)", headers: ["Cookie": cookie]).status == 200)
        #expect(signIn.headers["Set-Cookie"]?.contains("Secure") == false)
    }
}
