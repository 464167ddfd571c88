import Hummingbird

/// Per-request context: Hummingbird's core plus the caller its token identified.
public struct ServiceRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// Set by `TokenMiddleware` for every route but the health check and the login pages.
    public var caller: Caller?
    /// The browser session, for web UI pages (its CSRF token guards forms).
    var csrf: String?

    public init(source: Source) {
        coreContext = .init(source: source)
    }

    /// The caller, when its role allows `permission`; otherwise 403 (401 without a caller).
    func require(_ permission: Role.Permission) throws -> Caller {
        guard let caller else { throw HTTPError(.unauthorized) }
        guard caller.role.allows(permission) else {
            throw HTTPError(.forbidden, message: "token '\(caller.name)' (role \(caller.role.rawValue)) may not do this")
        }
        return caller
    }
}

/// Nothing but `/health` and the login pages without a valid bearer token (API) or session cookie
/// (web UI, `/ui/...`; without one a browser is sent to the login page). Tokens never reach the
/// logs: failures are logged with the path only.
struct TokenMiddleware: RouterMiddleware {
    typealias Context = ServiceRequestContext
    let authority: TokenAuthority
    let metrics: ServiceMetrics
    let sessions: WebSessions

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let path = request.uri.path
        if path == "/health" || path == "/ui/login" || path.hasPrefix("/ui/login/") { return try await next(request, context) }
        if path == "/ui" || path.hasPrefix("/ui/") {
            guard let id = WebSessions.sessionId(cookie: request.headers[.cookie]), let session = sessions.session(id) else {
                return Response(status: .seeOther, headers: [.location: "/ui/login"])
            }
            var context = context
            context.caller = session.caller
            context.csrf = session.csrf
            return try await next(request, context)
        }
        guard let token = Self.bearerToken(request.headers[.authorization]), let caller = authority.caller(for: token) else {
            metrics.unauthorized()
            context.logger.notice("rejected a request without a valid token", metadata: ["path": .string(request.uri.path)])
            var headers: HTTPFields = [.contentType: "application/json"]
            headers[.wwwAuthenticate] = "Bearer realm=\"mirrorwatch\""
            return Response(status: .unauthorized, headers: headers, body: .init(byteBuffer: ByteBuffer(string: #"{"error":"a valid bearer token is required"}"#)))
        }
        var context = context
        context.caller = caller
        context.logger[metadataKey: "caller"] = .string(caller.name)
        return try await next(request, context)
    }

    /// The token of an `Authorization: Bearer TOKEN` header (the scheme in any case, RFC 9110).
    static func bearerToken(_ header: String?) -> Substring? {
        guard let header, header.count > 7, header.prefix(7).lowercased() == "bearer " else { return nil }
        return header.dropFirst(7).drop(while: { $0 == " " })
    }
}

/// Headers every response carries, errors included: no MIME sniffing, no caching of what a token or
/// session could read, no framing or referrer leaks, and HSTS when the service speaks HTTPS.
struct SecurityHeadersMiddleware: RouterMiddleware {
    typealias Context = ServiceRequestContext
    let https: Bool
    private static let referrerPolicy = HTTPFields.Element.Name("Referrer-Policy")!
    private static let frameOptions = HTTPFields.Element.Name("X-Frame-Options")!

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response: Response
        do { response = try await next(request, context) } catch let error as any HTTPResponseError {
            response = try error.response(from: request, context: context)
        } catch {
            // Anything else is the server's fault: logged here, answered without detail.
            context.logger.error("request failed", metadata: ["path": .string(request.uri.path), "error": .string("\(error)")])
            response = Response(status: .internalServerError, headers: [.contentType: "application/json"],
                                body: .init(byteBuffer: ByteBuffer(string: #"{"error":"internal error"}"#)))
        }
        response.headers[.xContentTypeOptions] = "nosniff"
        response.headers[.cacheControl] = "no-store"
        response.headers[Self.referrerPolicy] = "no-referrer"
        response.headers[Self.frameOptions] = "DENY"
        if https { response.headers[.strictTransportSecurity] = "max-age=31536000" }
        return response
    }
}
