import Foundation
import Hummingbird
import HummingbirdTLS
import Logging
import Mirrorwatch
import MirrorwatchPostgres
import MirrorwatchStore
import NIOCore
import NIOSSL

/// `mirrorwatch serve`: the engine as a long-running service.
public enum MirrorwatchServer {
    /// Opens the store (creating it on first start), restores state from the stored batches,
    /// and serves until SIGTERM or SIGINT (in-flight requests finish first).
    public static func run(configuration: ServiceConfiguration) async throws {
        try configuration.validate()
        var logger = Logger(label: "mirrorwatch")
        logger.logLevel = configuration.logLevel
        // Everything that can be refused is checked before the store is created.
        let tls = try configuration.tls.map(serverTLS)
        let store = try await openStore(configuration, logger: logger)
        try await createFirstToken(configuration: configuration, store: store, logger: logger)
        let policy = try await currentPolicy(configuration: configuration, store: store, logger: logger)
        let authority = TokenAuthority(tokens: configuration.tokens, stored: try await store.tokens())
        let metrics = ServiceMetrics()
        if !configuration.load.isEmpty {
            let loaded = try await BatchLoader(store: store).load(configuration.load)
            FileHandle.standardOutput.write(Data("mirrorwatch serve: \(loaded)\n".utf8))
        }
        let pipeline = FindingPipeline(store: store, policy: policy, metrics: metrics, logger: logger, sinks: configuration.sinks,
                                       inflateLimit: configuration.maxInflatedBytes)
        let delivery = SinkDelivery(sinks: configuration.sinks, store: store, metrics: metrics, logger: logger)
        delivery.start()
        try await pipeline.start()

        var syslog: SyslogListener? = nil
        if configuration.syslogUDP != nil || configuration.syslogTCP != nil || configuration.syslogTLS != nil {
            let listener = SyslogListener(collector: SyslogCollector(store: store, pipeline: pipeline, metrics: metrics, logger: logger,
                                                                            maximumPendingLines: configuration.syslogQueueLines,
                                                                            maximumPendingBytes: configuration.syslogQueueBytes))
            let syslogTLS = try configuration.syslogTLS.flatMap { address in
                try tls.map { (address.host, address.port, try NIOSSLContext(configuration: $0)) }
            }
            try await listener.start(udp: configuration.syslogUDP.map { ($0.host, $0.port) }, tcp: configuration.syslogTCP.map { ($0.host, $0.port) },
                                     tls: syslogTLS, maximumLine: 64 << 10)
            FileHandle.standardOutput.write(Data("mirrorwatch serve: syslog on \(listener.addresses.joined(separator: " "))\n".utf8))
            syslog = listener
        }

        let sessions = WebSessions()
        let router = Router(context: ServiceRequestContext.self)
        router.add(middleware: SecurityHeadersMiddleware(https: tls != nil))
        router.add(middleware: TokenMiddleware(authority: authority, metrics: metrics, sessions: sessions))
        ServiceRoutes(store: store, pipeline: pipeline, metrics: metrics, configuration: configuration).add(to: router)
        PolicyRoutes(store: store, pipeline: pipeline).add(to: router)
        WebRoutes(store: store, pipeline: pipeline, authority: authority, sessions: sessions, secureCookies: tls != nil).add(to: router)
        let host = configuration.host
        let scheme = tls == nil ? "http" : "https"
        let app = Application(
            router: router,
            // Connections idle for a minute are closed (a client cannot hold them open for ever).
            server: try tls.map { try .tls(.http1(configuration: .init(idleTimeout: .seconds(60))), tlsConfiguration: $0) }
                ?? .http1(configuration: .init(idleTimeout: .seconds(60))),
            configuration: .init(address: .hostname(host, port: configuration.port), serverName: "mirrorwatch"),
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? 0
                let shown = host.contains(":") ? "[\(host)]" : host
                FileHandle.standardOutput.write(Data("mirrorwatch serve: listening on \(scheme)://\(shown):\(port) (\(store.location))\n".utf8))
            },
            logger: logger)
        try await app.runService()
        // Stopped (SIGTERM/SIGINT): store what the syslog listener still holds.
        await syslog?.stop()
        await delivery.stop()
        await pipeline.stop()
        if let postgres = store as? PostgresStore { await postgres.close() }
    }

    /// The configured store: PostgreSQL for a `postgres://` URL, otherwise a SQLite file.
    static func openStore(_ configuration: ServiceConfiguration, logger: Logger) async throws -> any ServiceStore {
        configuration.usesPostgreSQL ? try await PostgresStore(url: configuration.database, logger: logger) : try SQLiteStore(path: configuration.database)
    }

    /// `serve --once`: stores `paths` as batches (see ``BatchLoader``), evaluates everything the store
    /// holds as the service would, and returns the evaluation with the store's counts, without listening.
    public static func runOnce(configuration: ServiceConfiguration, loading paths: [String]) async throws -> OnceResult {
        try configuration.validate()
        var logger = Logger(label: "mirrorwatch")
        logger.logLevel = .warning
        let store = try await openStore(configuration, logger: logger)
        let loaded = try await BatchLoader(store: store).load(paths)
        let policy = try await currentPolicy(configuration: configuration, store: store, logger: logger)
        let pipeline = FindingPipeline(store: store, policy: policy, metrics: ServiceMetrics(), logger: logger, inflateLimit: configuration.maxInflatedBytes)
        try await pipeline.start(follow: false)
        let counts = try await store.findingCounts()
        let result = OnceResult(loaded: loaded, scan: await pipeline.lastResult, findingsByStatus: FindingStatus.allCases.map { ($0.rawValue, counts[$0] ?? 0) },
                                batches: try await store.batchCount(),
                                location: store.location)
        if let postgres = store as? PostgresStore { await postgres.close() }
        return result
    }

    /// What `serve --once` did.
    public struct OnceResult: Sendable {
        public var loaded: BatchLoader.Summary
        /// The evaluation of everything stored (nil when the store holds no batch).
        public var scan: ScanResult?
        /// Findings in the store per lifecycle status (`new`, `acknowledged`, `resolved`, `suppressed`).
        public var findingsByStatus: [(status: String, count: Int)]
        public var batches: Int
        public var location: String
    }

    /// First start without tokens: one admin token. On a terminal it is shown once; otherwise
    /// (under systemd, with standard error going to the journal) it is never written to the log
    /// but to a file only this user can read, `mirrorwatch-admin-token` beside the SQLite file (or
    /// in the working directory with PostgreSQL), and the log says where.
    private static func createFirstToken(configuration: ServiceConfiguration, store: any ServiceStore, logger: Logger) async throws {
        guard configuration.tokens.isEmpty, try await store.tokens().isEmpty else { return }
        let token = TokenAuthority.generate()
        if isatty(STDERR_FILENO) != 0 {
            // Another replica starting at the same time may have made it: then there is nothing to show.
            guard try await store.createToken(name: "admin", role: Role.admin.rawValue, sha256: TokenAuthority.hash(token),
                                              by: "mirrorwatch serve (first start)") else { return }
            FileHandle.standardError.write(Data("""
                mirrorwatch serve: first start: created the token 'admin' (role admin):
                  \(token)
                It is stored hashed and will not be shown again.

                """.utf8))
            return
        }
        let directory = configuration.usesPostgreSQL ? FileManager.default.currentDirectoryPath : (configuration.database as NSString).deletingLastPathComponent
        let path = ((directory.isEmpty ? "." : directory) as NSString).appendingPathComponent("mirrorwatch-admin-token")
        unlink(path)
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard fd >= 0 else {
            throw ServiceConfiguration.ConfigurationError(description: "first start: cannot write the admin token to \(path): \(String(cString: strerror(errno)))")
        }
        let written = Array((token + "\n").utf8).withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        close(fd)
        guard written == token.utf8.count + 1 else {
            throw ServiceConfiguration.ConfigurationError(description: "first start: cannot write the admin token to \(path)")
        }
        // Written first, stored then: a token nobody can read is never the only one. Another replica
        // starting at the same time may have made it: then this file holds nothing valid.
        guard try await store.createToken(name: "admin", role: Role.admin.rawValue, sha256: TokenAuthority.hash(token),
                                          by: "mirrorwatch serve (first start)") else {
            unlink(path)
            return
        }
        logger.notice("first start: created the token 'admin' (role admin); standard error is not a terminal, so it is in a file readable by this user only: store it safely and delete the file",
                      metadata: ["file": .string(path)])
    }

    /// The policy to start with. A policy file whose content the history has not seen becomes the
    /// current version (recorded with this host as its author); without one, the latest stored
    /// version holds (what another replica or `PUT /v1/policy` recorded).
    /// A file matching an older version is taken for a stale copy (another replica's file, or one
    /// edited before a `PUT /v1/policy`): the latest version stays, and the log says so.
    private static func currentPolicy(configuration: ServiceConfiguration, store: any ServiceStore, logger: Logger) async throws -> Policy {
        if let path = configuration.policy {
            let policy = try PolicyLoader.load(path: path)
            let text = try String(contentsOfFile: path, encoding: .utf8)
            let digest = FindingPipeline.sha256(Array(text.utf8))
            let history = try await store.policyHistory()
            if let seen = history.last(where: { $0.sha256 == digest }) {
                if let latest = history.last, latest.sha256 != digest {
                    logger.warning("the policy file matches an older stored version; the latest stays in force (PUT /v1/policy, or change the file, to make it current)",
                                   metadata: ["file": .string(path), "file_version": .stringConvertible(seen.version),
                                              "current_version": .stringConvertible(latest.version)])
                }
            } else {
                _ = try await store.recordPolicy(text: text, sha256: digest, by: "policy file \(path) on \(ProcessInfo.processInfo.hostName)")
            }
            return policy
        }
        return Policy()
    }

    /// The TLS configuration for HTTPS and syslog over TLS, from PEM files.
    private static func serverTLS(_ files: ServiceConfiguration.TLSFiles) throws -> TLSConfiguration {
        func refused(_ path: String, _ what: String, _ error: any Error) -> ServiceConfiguration.ConfigurationError {
            let reason = FileManager.default.isReadableFile(atPath: path) ? "not a PEM \(what) (\(error))" : "cannot be read"
            return ServiceConfiguration.ConfigurationError(description: "tls \(what) \(path): \(reason)")
        }
        let chain: [NIOSSLCertificateSource]
        do { chain = try NIOSSLCertificate.fromPEMFile(files.certificate).map { .certificate($0) } } catch { throw refused(files.certificate, "certificate", error) }
        guard !chain.isEmpty else { throw ServiceConfiguration.ConfigurationError(description: "tls certificate \(files.certificate): no certificate in it") }
        let key: NIOSSLPrivateKey
        do { key = try NIOSSLPrivateKey(file: files.key, format: .pem) } catch { throw refused(files.key, "key", error) }
        var configuration = TLSConfiguration.makeServerConfiguration(certificateChain: chain, privateKey: .privateKey(key))
        // TLS 1.0 and 1.1 are deprecated (RFC 8996).
        configuration.minimumTLSVersion = .tlsv12
        return configuration
    }
}
