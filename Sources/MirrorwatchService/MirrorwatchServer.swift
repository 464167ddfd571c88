import Foundation
import Hummingbird
import Logging
import Mirrorwatch
import MirrorwatchStore
import NIOCore

/// `mirrorwatch serve`: the engine as a long-running service.
public enum MirrorwatchServer {
    /// Opens the store (creating it on first start), restores state from the stored batches,
    /// and serves until SIGTERM or SIGINT (in-flight requests finish first).
    public static func run(configuration: ServiceConfiguration) async throws {
        var logger = Logger(label: "mirrorwatch")
        logger.logLevel = .info
        let policy = try configuration.policy.map { path in try PolicyLoader.load(path: path) } ?? Policy()
        let store = try SQLiteStore(path: configuration.database)
        if configuration.tokens.isEmpty, try store.tokens().isEmpty {
            // First start without tokens: one admin token, shown once on the terminal (never logged).
            let token = TokenAuthority.generate()
            try store.saveToken(name: "admin", role: Role.admin.rawValue, sha256: TokenAuthority.hash(token), by: "mirrorwatch serve (first start)")
            FileHandle.standardError.write(Data("""
                mirrorwatch serve: first start: created the token 'admin' (role admin):
                  \(token)
                It is stored hashed and will not be shown again.

                """.utf8))
        }
        let authority = TokenAuthority(tokens: configuration.tokens, stored: try store.tokens())
        let metrics = ServiceMetrics()
        let pipeline = FindingPipeline(store: store, policy: policy, metrics: metrics, logger: logger, sinks: configuration.sinks)
        let delivery = SinkDelivery(sinks: configuration.sinks, store: store, metrics: metrics, logger: logger)
        delivery.start()
        try await pipeline.restore(inflateLimit: configuration.maxInflatedBytes)

        var syslog: SyslogListener? = nil
        if configuration.syslogUDP != nil || configuration.syslogTCP != nil {
            let listener = SyslogListener(collector: SyslogCollector(store: store, pipeline: pipeline, metrics: metrics, logger: logger))
            try await listener.start(udp: configuration.syslogUDP.map { ($0.host, $0.port) }, tcp: configuration.syslogTCP.map { ($0.host, $0.port) },
                                     maximumLine: 64 << 10)
            FileHandle.standardOutput.write(Data("mirrorwatch serve: syslog on \(listener.addresses.joined(separator: " "))\n".utf8))
            syslog = listener
        }

        let sessions = WebSessions()
        let router = Router(context: ServiceRequestContext.self)
        router.add(middleware: TokenMiddleware(authority: authority, metrics: metrics, sessions: sessions))
        ServiceRoutes(store: store, pipeline: pipeline, metrics: metrics, configuration: configuration, policy: policy).add(to: router)
        WebRoutes(store: store, pipeline: pipeline, authority: authority, sessions: sessions, policy: policy).add(to: router)
        let host = configuration.host
        let app = Application(
            router: router,
            configuration: .init(address: .hostname(host, port: configuration.port), serverName: "mirrorwatch"),
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? 0
                let shown = host.contains(":") ? "[\(host)]" : host
                FileHandle.standardOutput.write(Data("mirrorwatch serve: listening on http://\(shown):\(port) (database \(store.path))\n".utf8))
            },
            logger: logger)
        try await app.runService()
        // Stopped (SIGTERM/SIGINT): store what the syslog listener still holds.
        await syslog?.stop()
        await delivery.stop()
    }
}
