import Foundation

/// Browser sessions of the web UI: a session cookie stands for the token that opened it (its
/// name and role), with a CSRF token for forms. Sessions start from a token typed into the login
/// form or from a one-time login link (valid one minute, used once) that an API client asks for.
/// Kept in memory: a restart logs browsers out. Expired sessions and links are swept as new ones
/// are made, and a caller holds at most `linksPerCaller` unspent links, so neither grows without end.
final class WebSessions: @unchecked Sendable {
    struct Session {
        var caller: Caller
        var csrf: String
        var expires: Date
    }

    private let lock = NSLock()
    private var sessions: [String: Session] = [:]
    private var links: [String: (caller: Caller, expires: Date)] = [:]
    static let lifetime: TimeInterval = 8 * 3600
    static let linksPerCaller = 16
    private var lastSweep = Date.distantPast

    static func random() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<32).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }.joined()
    }

    /// A new session for `caller`: its cookie value.
    func open(for caller: Caller) -> String {
        let id = Self.random()
        lock.withLock {
            sweepExpired()
            sessions[id] = Session(caller: caller, csrf: Self.random(), expires: Date().addingTimeInterval(Self.lifetime))
        }
        return id
    }

    func session(_ id: String) -> Session? {
        lock.withLock {
            guard let session = sessions[id] else { return nil }
            guard session.expires > Date() else { sessions[id] = nil; return nil }
            return session
        }
    }

    func close(_ id: String) { lock.withLock { sessions[id] = nil } }

    /// A one-time login code for `caller`.
    func link(for caller: Caller) -> String {
        let code = Self.random()
        lock.withLock {
            sweepExpired()
            // The oldest of a caller's unspent links gives way to a new one.
            let held = links.filter { $0.value.caller == caller }.sorted { $0.value.expires < $1.value.expires }
            for (old, _) in held.prefix(max(0, held.count - Self.linksPerCaller + 1)) { links[old] = nil }
            links[code] = (caller, Date().addingTimeInterval(60))
        }
        return code
    }

    /// The caller a login code stands for; the code is spent.
    func redeem(_ code: String) -> Caller? {
        lock.withLock {
            guard let link = links.removeValue(forKey: code), link.expires > Date() else { return nil }
            return link.caller
        }
    }

    /// How many sessions and links are held (expired ones not yet swept included).
    var counts: (sessions: Int, links: Int) { lock.withLock { (sessions.count, links.count) } }

    /// Drops expired sessions and links, at most once a minute (called with the lock held).
    private func sweepExpired() {
        let now = Date()
        guard now.timeIntervalSince(lastSweep) >= 60 else { return }
        lastSweep = now
        sessions = sessions.filter { $0.value.expires > now }
        links = links.filter { $0.value.expires > now }
    }

    /// The session id in a `Cookie` header.
    static func sessionId(cookie: String?) -> String? {
        cookie?.split(separator: ";").lazy.map { $0.trimmingCharacters(in: .whitespaces) }
            .first { $0.hasPrefix("mw_session=") }.map { String($0.dropFirst("mw_session=".count)) }
    }
}
