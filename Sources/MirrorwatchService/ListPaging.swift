import Hummingbird
import MirrorwatchStore

/// The `limit` and `offset` query parameters of list endpoints: a long list comes a page at a
/// time, never all at once.
enum ListPaging {
    /// The most rows one request may ask for.
    static let maximum = 5_000

    /// The page a request asks for; `defaultLimit` when it names no limit. A limit outside
    /// 1…``maximum`` or a negative offset is a 400.
    static func page(_ request: Request, defaultLimit: Int) throws -> Page {
        let query = request.uri.queryParameters
        func number(_ name: String) throws -> Int? {
            guard let text = query.get(name), !text.isEmpty else { return nil }
            guard let value = Int(text) else { throw HTTPError(.badRequest, message: "\(name) must be a whole number") }
            return value
        }
        let limit = try number("limit") ?? defaultLimit
        let offset = try number("offset") ?? 0
        guard (1...maximum).contains(limit) else { throw HTTPError(.badRequest, message: "limit must be between 1 and \(maximum)") }
        guard offset >= 0 else { throw HTTPError(.badRequest, message: "offset must not be negative") }
        return Page(limit: limit, offset: offset)
    }
}
