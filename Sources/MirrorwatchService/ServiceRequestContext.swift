import Hummingbird

/// Per-request context: Hummingbird's core plus the caller its token identified.
public struct ServiceRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// Set by `TokenMiddleware` for every route but the health check.
    public var caller: Caller?

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

/// Nothing but `/health` without a valid bearer token. Tokens never reach the logs: failures
/// are logged with the path only.
struct TokenMiddleware: RouterMiddleware {
    typealias Context = ServiceRequestContext
    let authority: TokenAuthority
    let metrics: ServiceMetrics

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if request.uri.path == "/health" { return try await next(request, context) }
        let header = request.headers[.authorization] ?? ""
        guard header.hasPrefix("Bearer "), let caller = authority.caller(for: header.dropFirst("Bearer ".count)) else {
            metrics.unauthorized()
            context.logger.notice("rejected a request without a valid token", metadata: ["path": .string(request.uri.path)])
            var headers = HTTPFields()
            headers[.wwwAuthenticate] = "Bearer realm=\"mirrorwatch\""
            return Response(status: .unauthorized, headers: headers, body: .init(byteBuffer: ByteBuffer(string: #"{"error":"a valid bearer token is required"}"#)))
        }
        var context = context
        context.caller = caller
        context.logger[metadataKey: "caller"] = .string(caller.name)
        return try await next(request, context)
    }
}
