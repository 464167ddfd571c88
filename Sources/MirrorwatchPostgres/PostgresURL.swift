import Foundation
import NIOSSL
import PostgresNIO

/// A PostgreSQL connection URL (`postgres://user:password@host:5432/database?sslmode=require`,
/// or `postgres://user@/database?host=/var/run/postgresql` for a Unix socket) as a client configuration.
///
/// `sslmode` is `disable`, `prefer` or `require`; `verify-full` is accepted as `require` (certificates
/// are always verified when TLS is used). Without one, a server on another host is `require` (an
/// attacker in between could otherwise make `prefer` fall back to plain text and read the password),
/// one on this host (loopback, Unix socket) `prefer`.
public struct PostgresURL: Sendable, CustomStringConvertible {
    public var configuration: PostgresClient.Configuration
    /// The URL without its password, for logs and the status page.
    public var description: String
    /// How TLS is used, after the default for the host is applied.
    public var tlsMode: TLSMode

    public enum TLSMode: String, Sendable {
        case disable, prefer, require
    }

    /// Why a URL is refused.
    public struct Invalid: Error, CustomStringConvertible {
        public var description: String
    }

    public init(_ text: String) throws {
        guard let url = URLComponents(string: text), url.scheme == "postgres" || url.scheme == "postgresql" else {
            throw Invalid(description: "not a PostgreSQL URL (postgres://user:password@host:port/database): \(Self.redacted(text))")
        }
        let query = Dictionary((url.queryItems ?? []).map { ($0.name, $0.value ?? "") }, uniquingKeysWith: { _, last in last })
        // `user` and `password` are already percent-decoded (`%40` in a password is `@`).
        let user = url.user ?? ProcessInfo.processInfo.environment["USER"] ?? "postgres"
        let password = url.password
        let database = url.path.isEmpty || url.path == "/" ? nil : String(url.path.dropFirst())
        let tls: PostgresClient.Configuration.TLS
        let local = query["host"]?.hasPrefix("/") == true || url.host.map(Self.isLoopback) ?? true
        switch query["sslmode"] ?? (local ? "prefer" : "require") {
        case "disable": tls = .disable; tlsMode = .disable
        case "prefer", "allow": tls = .prefer(.makeClientConfiguration()); tlsMode = .prefer
        case "require", "verify-ca", "verify-full": tls = .require(.makeClientConfiguration()); tlsMode = .require
        case let other: throw Invalid(description: "sslmode '\(other)' is not one of disable, prefer, require, verify-full")
        }
        if let socket = query["host"], socket.hasPrefix("/") {
            configuration = .init(unixSocketPath: socket + "/.s.PGSQL.\(url.port ?? 5432)", username: user, password: password, database: database)
        } else {
            guard let host = url.host, !host.isEmpty else { throw Invalid(description: "the URL names no host: \(Self.redacted(text))") }
            configuration = .init(host: host, port: url.port ?? 5432, username: user, password: password, database: database, tls: tls)
        }
        description = Self.redacted(text)
    }

    /// Whether `host` is this machine (a name or address of the loopback interface).
    static func isLoopback(_ host: String) -> Bool {
        let bare = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        let octets = bare.split(separator: ".", omittingEmptySubsequences: false)
        let loopbackIPv4 = octets.count == 4 && octets.first == "127" && octets.allSatisfy { UInt8($0) != nil }
        return bare.isEmpty || bare == "localhost" || bare.hasSuffix(".localhost") || loopbackIPv4 || bare == "::1"
    }

    /// `text` with any password replaced by `***` (also when the URL does not parse: everything
    /// between `://` and the last `@` of the authority is hidden then).
    public static func redacted(_ text: String) -> String {
        if var url = URLComponents(string: text) {
            guard url.password != nil else { return text }
            url.password = "***"
            return url.string ?? "postgres://***"
        }
        guard let scheme = text.range(of: "://") else { return "***" }
        let rest = text[scheme.upperBound...]
        let authorityEnd = rest.firstIndex(of: "/") ?? rest.endIndex
        guard let at = rest[..<authorityEnd].lastIndex(of: "@") else { return String(text[..<scheme.upperBound]) + "***" }
        let credentials = rest[..<at]
        let user = credentials.split(separator: ":", maxSplits: 1).first.map(String.init) ?? ""
        return String(text[..<scheme.upperBound]) + user + ":***" + String(rest[at...])
    }
}
