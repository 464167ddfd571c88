import ArgumentParser
import Mirrorwatch
import MirrorwatchService

/// `mirrorwatch serve`: detection that runs continuously, with an HTTP API.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run as a service: ingest over HTTP, findings with their lifecycle through an API.",
        discussion: """
            With no arguments: listens on 127.0.0.1:8080 with the SQLite file mirrorwatch.sqlite in the working \
            directory (created on first start, when an admin token is printed once). Settings come from --config \
            (YAML), then MIRRORWATCH_LISTEN, MIRRORWATCH_DATABASE, MIRRORWATCH_POLICY, MIRRORWATCH_MAX_REQUEST_BYTES, \
            MIRRORWATCH_SYSLOG_UDP/_TCP/_TLS, MIRRORWATCH_TLS_CERTIFICATE with MIRRORWATCH_TLS_KEY, MIRRORWATCH_LOG_FORMAT, \
            MIRRORWATCH_LOG_LEVEL, then these options.
            """)

    @Option(help: "YAML configuration file.")
    var config: String?

    @Option(help: "Address to listen on, host:port (port 0: any free port).")
    var listen: String?

    @Option(help: "SQLite database file, or a PostgreSQL URL (postgres://user:password@host/database) for several replicas.")
    var database: String?

    @Option(help: "Policy file (approved destinations, sensitive sources, exceptions).")
    var policy: String?

    @Option(name: .customLong("syslog-udp"), help: "Receive device syslog on UDP, host:port.")
    var syslogUDP: String?

    @Option(name: .customLong("syslog-tcp"), help: "Receive device syslog on TCP (RFC 6587 octet counting or one message per line), host:port.")
    var syslogTCP: String?

    @Option(name: .customLong("syslog-tls"), help: "Receive device syslog over TLS (RFC 5425), host:port; needs --tls-certificate and --tls-key.")
    var syslogTLS: String?

    @Option(name: .customLong("tls-certificate"), help: "PEM certificate chain: serve HTTPS (and syslog over TLS).")
    var tlsCertificate: String?

    @Option(name: .customLong("tls-key"), help: "PEM private key for --tls-certificate.")
    var tlsKey: String?

    @Option(name: .customLong("log-format"), help: "text (default) or json: one JSON object per log line on standard error.")
    var logFormat: String?

    @Argument(help: "Files and directories to store as batches first (archives to backfill): named by path, with their modification time; a file already stored is skipped.")
    var paths: [String] = []

    @Flag(help: "Store the paths, evaluate everything the store holds as the service does, print the findings and exit instead of listening.")
    var once = false

    @Option(name: .long, help: "With --once: table, jsonl or ocsf.")
    var format: String = "table"

    func validate() throws {
        if (tlsCertificate == nil) != (tlsKey == nil) { throw ValidationError("--tls-certificate and --tls-key go together") }
        if FindingFormat(rawValue: format) == nil { throw ValidationError("--format must be one of: " + FindingFormat.allCases.map(\.rawValue).joined(separator: ", ")) }
    }

    func run() async throws {
        var configuration = try ServiceConfiguration.load(path: config)
        if let listen { try configuration.setListen(listen, from: "--listen") }
        if let database { configuration.database = database }
        if let policy { configuration.policy = policy }
        if let syslogUDP { configuration.syslogUDP = try ServiceConfiguration.address(syslogUDP, from: "--syslog-udp") }
        if let syslogTCP { configuration.syslogTCP = try ServiceConfiguration.address(syslogTCP, from: "--syslog-tcp") }
        if let syslogTLS { configuration.syslogTLS = try ServiceConfiguration.address(syslogTLS, from: "--syslog-tls") }
        if let tlsCertificate, let tlsKey { configuration.tls = .init(certificate: tlsCertificate, key: tlsKey) }
        if let logFormat { try configuration.setLogFormat(logFormat, from: "--log-format") }
        try configuration.validate()
        configuration.logFormat.bootstrap(level: configuration.logLevel)
        configuration.load += paths
        guard once else { return try await MirrorwatchServer.run(configuration: configuration) }
        let result = try await MirrorwatchServer.runOnce(configuration: configuration, loading: configuration.load)
        FileHandleOutput.standardError("mirrorwatch serve --once: \(result.loaded); \(result.batches) batches in \(result.location)\n")
        if let scan = result.scan { FileHandleOutput.standardError(InputSummary.render(scan)) }
        FileHandleOutput.standardOutput(FindingFormat(rawValue: format)!.render(result.scan?.correlatedFindings ?? [], width: 100))
        let counts = result.findingsByStatus.map { "\($0.count) \($0.status)" }.joined(separator: ", ")
        FileHandleOutput.standardError("findings in the store: \(counts)\n")
        // As `scan`: nothing read at all, and problems to show for it.
        if let scan = result.scan, scan.recordsRead == 0, !scan.issues.isEmpty {
            FileHandleOutput.standardError("mirrorwatch: no input could be read")
            throw ExitCode(2)
        }
        // As `scan`: a named path that does not exist is an error, after everything else was done.
        if result.loaded.unreadablePaths > 0 {
            FileHandleOutput.standardError("mirrorwatch: \(result.loaded.unreadablePaths) named path(s) could not be read")
            throw ExitCode(2)
        }
    }
}
