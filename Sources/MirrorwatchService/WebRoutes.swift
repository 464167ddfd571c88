import Foundation
import Hummingbird
import Mirrorwatch
import MirrorwatchReport
import MirrorwatchStore

/// The web UI: sign in, findings with filters, a finding with its full explanation and the
/// lifecycle forms (analysts), the audit report.
struct WebRoutes: Sendable {
    let store: any ServiceStore
    let pipeline: FindingPipeline
    let authority: TokenAuthority
    let sessions: WebSessions
    /// Session cookies marked `Secure` (the service speaks HTTPS).
    var secureCookies = false

    func add(to router: Router<ServiceRequestContext>) {
        router.get("/ui/login") { _, _ in loginPage(error: nil) }
        router.post("/ui/login") { request, _ in try await signIn(request) }
        router.get("/ui/login/:code") { request, context in
            signIn(code: context.parameters.get("code") ?? "", next: request.uri.queryParameters.get("next").map { String($0) })
        }
        router.post("/v1/ui/login-link") { request, context in
            let caller = try context.require(.view)
            var url = "/ui/login/\(sessions.link(for: caller))"
            if let next = request.uri.queryParameters.get("next"), Self.isPage(String(next)) {
                url += "?next=" + (String(next).addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed) ?? "")
            }
            var w = JSONWriter()
            w.beginObject()
            w.string("url", url)
            w.endObject()
            return ServiceRoutes.json(w.output, status: .created)
        }
        router.get("/ui") { _, _ in Response(status: .seeOther, headers: [.location: "/ui/findings"]) }
        router.post("/ui/logout") { request, _ in
            if let id = WebSessions.sessionId(cookie: request.headers[.cookie]) { sessions.close(id) }
            return Response(status: .seeOther, headers: [.location: "/ui/login", .setCookie: "mw_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0"])
        }
        router.get("/ui/findings") { request, context in try await findings(request, context) }
        router.get("/ui/findings/:id") { _, context in try await finding(context) }
        router.post("/ui/findings/:id/exception") { request, context in try await createException(request, context) }
        router.post("/ui/findings/:id/:action") { request, context in try await transition(request, context) }
        router.get("/ui/audit") { _, context in try await audit(context) }
        router.get("/ui/graph") { request, context in try await audit(context, only: .graph, platform: request.uri.queryParameters.get("platform").map { String($0) }) }
        router.get("/ui/coverage") { _, context in try await audit(context, only: .coverage) }
        router.get("/ui/exceptions") { _, context in
            let caller = try context.require(.view)
            let unused = Set(await pipeline.lastResult?.unusedExceptions.map(\.id) ?? [])
            let rows = try await store.exceptions().map { ($0, ServiceExceptions.status(of: $0, unused: unused)) }
            return Self.html(WebPages.exceptions(rows, caller: caller))
        }
        router.get("/ui/policy") { _, context in
            Self.html(WebPages.policy(try await store.policyHistory(), caller: try context.require(.view)))
        }
    }

    static func html(_ text: String, status: HTTPResponse.Status = .ok) -> Response {
        var headers: HTTPFields = [.contentType: "text/html; charset=utf-8"]
        headers[.contentSecurityPolicy] = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'self'; frame-ancestors 'none'"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    /// Only pages of the UI may follow a sign-in (no open redirect).
    static func isPage(_ path: String) -> Bool {
        path.hasPrefix("/ui/") && !path.hasPrefix("//") && !path.contains("..") && !path.contains("\\")
    }

    private func startSession(_ caller: Caller, next: String? = nil) -> Response {
        let id = sessions.open(for: caller)
        return Response(status: .seeOther, headers: [
            .location: next.flatMap { Self.isPage($0) ? $0 : nil } ?? "/ui/findings",
            .setCookie: "mw_session=\(id); Path=/; HttpOnly; SameSite=Strict; Max-Age=\(Int(WebSessions.lifetime))\(secureCookies ? "; Secure" : "")",
        ])
    }

    private func signIn(_ request: Request) async throws -> Response {
        let body = try await request.body.collect(upTo: 8 << 10)
        let form = Self.form(String(buffer: body))
        if Self.postedFromElsewhere(request, form: form) {
            return loginPage(error: "Sign in from this site's own page.", status: .forbidden)
        }
        guard let token = form["token"], let caller = authority.caller(for: Substring(token)), caller.role.allows(.view) else {
            return loginPage(error: "That token is not valid for the web UI.", status: .unauthorized)
        }
        return startSession(caller)
    }

    /// The sign-in page with a fresh form token, also set as the `mw_login` cookie (`SameSite=Strict`,
    /// so a page of another site posting the form cannot send it).
    private func loginPage(error: String?, status: HTTPResponse.Status = .ok) -> Response {
        let formToken = WebSessions.random()
        var response = Self.html(WebPages.login(error: error, formToken: formToken), status: status)
        response.headers[.setCookie] = "mw_login=\(formToken); Path=/ui/login; HttpOnly; SameSite=Strict; Max-Age=3600\(secureCookies ? "; Secure" : "")"
        return response
    }

    private static let secFetchSite = HTTPFields.Element.Name("Sec-Fetch-Site")!

    /// Whether a sign-in form was posted by another site's page (login CSRF: signing the victim in
    /// as the attacker, so what they do next lands in the attacker's session). Browsers say where a
    /// post comes from in `Sec-Fetch-Site` (over HTTPS and to localhost), which proxies do not change.
    /// Without it, a browser still names the posting page in `Origin`: then the form must carry the
    /// token of the `mw_login` cookie set with the sign-in page, which another site's page cannot
    /// send (`SameSite=Strict`), whatever a proxy does to the `Host`. Clients that send neither
    /// header (curl, scripts) are not a browser being tricked.
    static func postedFromElsewhere(_ request: Request, form: [String: String]) -> Bool {
        if let site = request.headers[secFetchSite] { return site != "same-origin" && site != "none" }
        guard request.headers[.origin] != nil else { return false }
        guard let sent = form["form"], let expected = loginCookie(request.headers[.cookie]) else { return true }
        return !TokenAuthority.constantTimeEquals(Array(sent.utf8), Array(expected.utf8))
    }

    /// The `mw_login` value in a `Cookie` header.
    static func loginCookie(_ cookie: String?) -> String? {
        cookie?.split(separator: ";").lazy.map { $0.trimmingCharacters(in: .whitespaces) }
            .first { $0.hasPrefix("mw_login=") }.map { String($0.dropFirst("mw_login=".count)) }
    }

    private func signIn(code: String, next: String?) -> Response {
        guard let caller = sessions.redeem(code) else {
            return loginPage(error: "That link has expired or was already used.", status: .unauthorized)
        }
        return startSession(caller, next: next)
    }

    private func findings(_ request: Request, _ context: ServiceRequestContext) async throws -> Response {
        let caller = try context.require(.view)
        let query = request.uri.queryParameters
        let status = query.get("status").flatMap { $0.isEmpty ? nil : FindingStatus(rawValue: $0) }
        let severity = query.get("severity").flatMap { $0.isEmpty ? nil : $0 }
        let page = try ListPaging.page(request, defaultLimit: 200)
        let found = try await store.findings(status: status, severity: severity, page: page)
        return Self.html(WebPages.findings(found, page: page, status: status?.rawValue, severity: severity, caller: caller))
    }

    private func finding(_ context: ServiceRequestContext) async throws -> Response {
        let caller = try context.require(.view)
        guard let id = context.parameters.get("id"), let row = try await store.finding(id: id) else { throw HTTPError(.notFound, message: "no such finding") }
        return Self.html(WebPages.finding(row, caller: caller, csrf: context.csrf ?? ""))
    }

    private func transition(_ request: Request, _ context: ServiceRequestContext) async throws -> Response {
        let caller = try context.require(.triage)
        let body = try await request.body.collect(upTo: 16 << 10)
        let form = Self.form(String(buffer: body))
        try Self.checkCSRF(form, context)
        guard let id = context.parameters.get("id"), let action = context.parameters.get("action"), let target = ServiceRoutes.lifecycleActions[action],
              try await store.setStatus(of: id, to: target, by: caller.name, note: form["note"] ?? "") else {
            throw HTTPError(.notFound, message: "no such finding or action")
        }
        return Response(status: .seeOther, headers: [.location: "/ui/findings/\(id)"])
    }

    /// The exception form of a finding's page: checked like the API's, then back to the finding
    /// (suppressed once the rules have run again).
    private func createException(_ request: Request, _ context: ServiceRequestContext) async throws -> Response {
        let caller = try context.require(.triage)
        let body = try await request.body.collect(upTo: 16 << 10)
        let form = Self.form(String(buffer: body))
        try Self.checkCSRF(form, context)
        guard let id = context.parameters.get("id") else { throw HTTPError(.notFound) }
        do { _ = try await ServiceExceptions.make(form, by: caller, store: store, pipeline: pipeline) } catch let invalid as ServiceExceptions.Invalid {
            let back = "<p><a href=\"/ui/findings/\(HTML.escape(id))\">Back to the finding</a></p>"
            return Self.html(WebPages.page("Exception refused", caller: caller,
                                           "<h1>Exception refused</h1><p class=box>\(HTML.escape("\(invalid)"))</p>" + back), status: .badRequest)
        }
        return Response(status: .seeOther, headers: [.location: "/ui/findings/\(id)"])
    }

    /// The audit report of the last evaluation, whole or one section (the mirroring graph, of one
    /// platform when `platform` names one; coverage).
    private func audit(_ context: ServiceRequestContext, only section: AuditReport.Section? = nil, platform: String? = nil) async throws -> Response {
        _ = try context.require(.view)
        guard let result = await pipeline.lastResult else { return Self.html(WebPages.page("Audit report", caller: context.caller, "<p>Nothing evaluated yet.</p>")) }
        var report = AuditReport(result: result, policy: await pipeline.policy, sections: section.map { [$0] } ?? Set(AuditReport.Section.allCases),
                                 inputDigests: await pipeline.digests)
        if let platform, !platform.isEmpty { report.liveSessions = report.liveSessions.filter { $0.platform.rawValue == platform } }
        return Self.html(AuditHTML.render(report))
    }

    /// A form must carry its session's CSRF token (a cross-site form cannot know it).
    static func checkCSRF(_ form: [String: String], _ context: ServiceRequestContext) throws {
        guard let csrf = context.csrf, let sent = form["csrf"], TokenAuthority.constantTimeEquals(Array(sent.utf8), Array(csrf.utf8)) else { throw HTTPError(.forbidden, message: "the form is stale; reload the page") }
    }

    /// `application/x-www-form-urlencoded` fields.
    static func form(_ text: String) -> [String: String] {
        var fields: [String: String] = [:]
        for pair in text.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ s: Substring) -> String { String(s).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String(s) }
            if let name = parts.first { fields[decode(name)] = parts.count > 1 ? decode(parts[1]) : "" }
        }
        return fields
    }
}
