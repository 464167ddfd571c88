import Foundation
import Logging
import Mirrorwatch
import Yams

/// How `mirrorwatch serve` runs: a YAML file, then environment overrides, then defaults that
/// start on localhost with a SQLite file in the working directory.
///
/// ```yaml
/// listen: 127.0.0.1:8080
/// database: /var/lib/mirrorwatch/mirrorwatch.sqlite   # or postgres://user@db.internal/mirrorwatch?sslmode=require
/// policy: /etc/mirrorwatch/policy.yaml
/// max_request_bytes: 33554432
/// tls: {certificate: /etc/mirrorwatch/tls.crt, key: /etc/mirrorwatch/tls.key}   # HTTPS, and syslog_tls
/// syslog_tls: 0.0.0.0:6514
/// tokens:                      # SHA-256 of each token, never the token itself
///   - {name: collector, role: ingest, sha256: 9f86d08…}
/// ```
public struct ServiceConfiguration: Sendable {
    public var host = "127.0.0.1"
    public var port = 8080
    /// A SQLite file, or a PostgreSQL URL (`postgres://…`) for several replicas sharing one database.
    public var database = "mirrorwatch.sqlite"
    public var policy: String?
    /// Largest request body accepted (compressed size); larger ones get 413.
    public var maxRequestBytes = 32 << 20
    /// Largest a gzip body may inflate to (a decompression bomb is cut there and reported).
    public var maxInflatedBytes = 256 << 20
    /// Ingest requests read and stored at once; more wait their turn (their bodies unread). With the
    /// two limits above it bounds what ingest holds in memory.
    public var maxConcurrentIngest = 4
    /// Where to receive device syslog (RFC 5424 and 3164; TCP with RFC 6587 framing), if anywhere.
    public var syslogUDP: Address?
    public var syslogTCP: Address?
    /// Syslog over TLS (RFC 5425), with the certificate of `tls`.
    public var syslogTLS: Address?
    /// The most syslog lines and bytes held while storing falls behind (a database outage, a flood):
    /// lines past them are dropped and counted (`mirrorwatch_syslog_dropped_lines_total`).
    public var syslogQueueLines = 200_000
    public var syslogQueueBytes = 64 << 20
    /// The server's certificate chain and private key (PEM files): HTTPS instead of HTTP, and syslog over TLS.
    public var tls: TLSFiles?

    public struct TLSFiles: Sendable, Equatable, Decodable {
        public var certificate: String
        public var key: String
        public init(certificate: String, key: String) {
            self.certificate = certificate
            self.key = key
        }
    }

    /// True when `database` names a PostgreSQL server rather than a SQLite file.
    public var usesPostgreSQL: Bool { database.hasPrefix("postgres://") || database.hasPrefix("postgresql://") }
    /// Tokens from the file (their hashes); tokens created by the service are in its database.
    public var tokens: [TokenEntry] = []
    /// Where new findings are sent.
    public var sinks: [AlertSink] = []
    /// `text` or `json` log lines on standard error, and the lowest level logged.
    public var logFormat: ServiceLogFormat = .text
    public var logLevel: Logger.Level = .info
    /// Files and directories stored as batches before serving (archives to backfill); a file already stored is skipped.
    public var load: [String] = []

    public struct TokenEntry: Sendable, Equatable, Codable {
        public var name: String
        public var role: Role
        public var sha256: String
    }

    public struct Address: Sendable, Equatable {
        public var host: String
        public var port: Int
    }

    public init() {}

    /// Members of the YAML file; unknown members are an error (a typo must not pass silently).
    private struct File: Decodable {
        var listen: String?
        var database: String?
        var policy: String?
        var max_request_bytes: Int?
        var max_inflated_bytes: Int?
        var max_concurrent_ingest: Int?
        var tokens: [TokenEntry]?
        var syslog_udp: String?
        var syslog_tcp: String?
        var syslog_tls: String?
        var syslog_queue_lines: Int?
        var syslog_queue_bytes: Int?
        var tls: TLSFiles?
        var sinks: [SinkEntry]?
        var log_format: String?
        var log_level: String?
        enum CodingKeys: String, CodingKey, CaseIterable {
            case listen, database, policy, max_request_bytes, max_inflated_bytes, max_concurrent_ingest, tokens, syslog_udp, syslog_tcp, syslog_tls, syslog_queue_lines,
                 syslog_queue_bytes, tls, sinks, log_format, log_level
        }
    }

    /// One sink in the file; secrets are named by environment variable, never written in the file.
    private struct SinkEntry: Decodable {
        var name: String
        var type: AlertSink.Kind
        var url: String?
        var address: String?
        var path: String?
        var index: String?
        var secret_env: String?
        var min_severity: String?
    }

    private static func sink(_ entry: SinkEntry, from origin: String, environment: [String: String]) throws -> AlertSink {
        func missing(_ member: String) -> ConfigurationError {
            ConfigurationError(description: "\(origin): sink '\(entry.name)' (\(entry.type.rawValue)) needs '\(member)'")
        }
        switch entry.type {
        case .webhook, .slack, .splunkHEC, .elasticsearch:
            guard let url = entry.url else { throw missing("url") }
            guard URL(string: url)?.scheme.map({ ["http", "https"].contains($0) }) == true else {
                // Only the scheme: a webhook URL may itself be the secret (Slack's is).
                let scheme = url.contains("://") ? String(url.prefix(while: { $0 != ":" })) + "://…" : "a URL without a scheme"
                throw ConfigurationError(description: "\(origin): sink '\(entry.name)': url must be http or https, not \(scheme)")
            }
        case .cefTCP: guard entry.address != nil else { throw missing("address") }
        case .ocsfFile: guard entry.path != nil else { throw missing("path") }
        }
        if entry.type == .splunkHEC, entry.secret_env == nil {
            throw ConfigurationError(description: "\(origin): sink '\(entry.name)' (splunk-hec) needs 'secret_env': the environment variable holding the HEC token")
        }
        var secret: String? = nil
        if let variable = entry.secret_env {
            guard let value = environment[variable], !value.isEmpty else {
                throw ConfigurationError(description: "\(origin): sink '\(entry.name)': the environment variable \(variable) (secret_env) is not set")
            }
            secret = value
        }
        var minimum = Severity.low
        if let text = entry.min_severity {
            guard let parsed = Severity(name: text) else { throw ConfigurationError(description: "\(origin): sink '\(entry.name)': unknown min_severity '\(text)'") }
            minimum = parsed
        }
        return AlertSink(name: entry.name, kind: entry.type, url: entry.url, address: try entry.address.map { try address($0, from: origin) },
                         path: entry.path, index: entry.index, secret: secret, minimumSeverity: minimum)
    }

    public struct ConfigurationError: Error, CustomStringConvertible {
        public var description: String
    }

    /// Loads `path` (when given) and applies `MIRRORWATCH_LISTEN`, `MIRRORWATCH_DATABASE`,
    /// `MIRRORWATCH_POLICY`, `MIRRORWATCH_MAX_REQUEST_BYTES`, `MIRRORWATCH_SYSLOG_UDP`, `_TCP`, `_TLS`, `MIRRORWATCH_LOG_FORMAT`, `_LEVEL`,
    /// and `MIRRORWATCH_TLS_CERTIFICATE` with `MIRRORWATCH_TLS_KEY` from `environment`.
    public static func load(path: String?, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> ServiceConfiguration {
        var configuration = ServiceConfiguration()
        if let path {
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                throw ConfigurationError(description: "\(path): cannot read the configuration file")
            }
            if let mapping = try? Yams.load(yaml: text) as? [String: Any] {
                let known = Set(File.CodingKeys.allCases.map(\.rawValue))
                if let unknown = mapping.keys.sorted().first(where: { !known.contains($0) }) {
                    throw ConfigurationError(description: "\(path): unknown member '\(unknown)' (known: \(known.sorted().joined(separator: ", ")))")
                }
            }
            let file: File
            do { file = try YAMLDecoder().decode(File.self, from: text) } catch {
                throw ConfigurationError(description: "\(path): \(error)")
            }
            if let listen = file.listen { try configuration.setListen(listen, from: path) }
            configuration.database = file.database ?? configuration.database
            configuration.policy = file.policy
            configuration.maxRequestBytes = try positive(file.max_request_bytes, "max_request_bytes", from: path) ?? configuration.maxRequestBytes
            configuration.maxInflatedBytes = try positive(file.max_inflated_bytes, "max_inflated_bytes", from: path) ?? configuration.maxInflatedBytes
            configuration.maxConcurrentIngest = try positive(file.max_concurrent_ingest, "max_concurrent_ingest", from: path) ?? configuration.maxConcurrentIngest
            configuration.syslogQueueLines = try positive(file.syslog_queue_lines, "syslog_queue_lines", from: path) ?? configuration.syslogQueueLines
            configuration.syslogQueueBytes = try positive(file.syslog_queue_bytes, "syslog_queue_bytes", from: path) ?? configuration.syslogQueueBytes
            configuration.tokens = file.tokens ?? []
            for token in configuration.tokens where TokenAuthority.bytes(hex: token.sha256) == nil {
                // A hash that cannot match any token would leave the service with no usable token, silently.
                throw ConfigurationError(description: "\(path): token '\(token.name)': sha256 must be 64 hexadecimal digits (the SHA-256 of the token, as `printf %s TOKEN | sha256sum` prints it)")
            }
            if let udp = file.syslog_udp { configuration.syslogUDP = try Self.address(udp, from: path) }
            if let tcp = file.syslog_tcp { configuration.syslogTCP = try Self.address(tcp, from: path) }
            if let tls = file.syslog_tls { configuration.syslogTLS = try Self.address(tls, from: path) }
            configuration.tls = file.tls
            if let format = file.log_format { try configuration.setLogFormat(format, from: path) }
            if let level = file.log_level { try configuration.setLogLevel(level, from: path) }
            configuration.sinks = try (file.sinks ?? []).map { try Self.sink($0, from: path, environment: environment) }
            if let repeated = Dictionary(grouping: configuration.sinks, by: \.name).first(where: { $0.value.count > 1 })?.key {
                throw ConfigurationError(description: "\(path): two sinks are named '\(repeated)'")
            }
        }
        if let udp = environment["MIRRORWATCH_SYSLOG_UDP"] { configuration.syslogUDP = try Self.address(udp, from: "MIRRORWATCH_SYSLOG_UDP") }
        if let tcp = environment["MIRRORWATCH_SYSLOG_TCP"] { configuration.syslogTCP = try Self.address(tcp, from: "MIRRORWATCH_SYSLOG_TCP") }
        if let tls = environment["MIRRORWATCH_SYSLOG_TLS"] { configuration.syslogTLS = try Self.address(tls, from: "MIRRORWATCH_SYSLOG_TLS") }
        switch (environment["MIRRORWATCH_TLS_CERTIFICATE"], environment["MIRRORWATCH_TLS_KEY"]) {
        case let (certificate?, key?): configuration.tls = TLSFiles(certificate: certificate, key: key)
        case (nil, nil): break
        // One without the other would quietly serve plain HTTP.
        case (_?, nil): throw ConfigurationError(description: "MIRRORWATCH_TLS_CERTIFICATE is set without MIRRORWATCH_TLS_KEY")
        case (nil, _?): throw ConfigurationError(description: "MIRRORWATCH_TLS_KEY is set without MIRRORWATCH_TLS_CERTIFICATE")
        }
        if let format = environment["MIRRORWATCH_LOG_FORMAT"] { try configuration.setLogFormat(format, from: "MIRRORWATCH_LOG_FORMAT") }
        if let level = environment["MIRRORWATCH_LOG_LEVEL"] { try configuration.setLogLevel(level, from: "MIRRORWATCH_LOG_LEVEL") }
        if let listen = environment["MIRRORWATCH_LISTEN"] { try configuration.setListen(listen, from: "MIRRORWATCH_LISTEN") }
        if let database = environment["MIRRORWATCH_DATABASE"] { configuration.database = database }
        if let policy = environment["MIRRORWATCH_POLICY"] { configuration.policy = policy }
        if let bytes = environment["MIRRORWATCH_MAX_REQUEST_BYTES"] {
            guard let value = Int(bytes), value > 0 else { throw ConfigurationError(description: "MIRRORWATCH_MAX_REQUEST_BYTES: not a positive number: \(bytes)") }
            configuration.maxRequestBytes = value
        }
        return configuration
    }

    /// `value` when it is positive; nil when absent.
    private static func positive(_ value: Int?, _ member: String, from origin: String) throws -> Int? {
        guard let value else { return nil }
        guard value > 0 else { throw ConfigurationError(description: "\(origin): \(member) must be a positive number, not \(value)") }
        return value
    }

    /// Refuses settings that cannot work together.
    public func validate() throws {
        if database.contains("://"), !usesPostgreSQL {
            throw ConfigurationError(description: "database must be a SQLite file path or a postgres:// URL, not '\(database.prefix(while: { $0 != ":" }))://…'")
        }
        if syslogTLS != nil, tls == nil {
            throw ConfigurationError(description: "syslog over TLS needs a certificate and key (tls: {certificate, key}, or --tls-certificate and --tls-key)")
        }
    }

    public mutating func setLogFormat(_ text: String, from origin: String) throws {
        guard let format = ServiceLogFormat(rawValue: text) else {
            throw ConfigurationError(description: "\(origin): log format must be text or json, not '\(text)'")
        }
        logFormat = format
    }

    public mutating func setLogLevel(_ text: String, from origin: String) throws {
        guard let level = Logger.Level(rawValue: text) else {
            throw ConfigurationError(description: "\(origin): log level must be one of \(Logger.Level.allCases.map(\.rawValue).joined(separator: ", ")), not '\(text)'")
        }
        logLevel = level
    }

    /// Sets the HTTP address from `host:port`; `origin` names where it came from, for the error.
    public mutating func setListen(_ text: String, from origin: String) throws {
        let address = try Self.address(text, from: origin)
        host = address.host
        port = address.port
    }

    /// `host:port` (`[::1]:8080` for IPv6; an empty host is 127.0.0.1).
    public static func address(_ text: String, from origin: String) throws -> Address {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]), (0...65535).contains(port) else {
            throw ConfigurationError(description: "\(origin): an address must be host:port, not '\(text)'")
        }
        var host = String(text[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        return Address(host: host.isEmpty ? "127.0.0.1" : host, port: port)
    }
}
