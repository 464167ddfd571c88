import ArgumentParser
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
            then these options.
            """)

    @Option(help: "YAML configuration file.")
    var config: String?

    @Option(help: "Address to listen on, host:port (port 0: any free port).")
    var listen: String?

    @Option(help: "SQLite database file.")
    var database: String?

    @Option(help: "Policy file (approved destinations, sensitive sources, exceptions).")
    var policy: String?

    @Option(name: .customLong("syslog-udp"), help: "Receive device syslog on UDP, host:port.")
    var syslogUDP: String?

    @Option(name: .customLong("syslog-tcp"), help: "Receive device syslog on TCP (RFC 6587 octet counting or one message per line), host:port.")
    var syslogTCP: String?

    func run() async throws {
        var configuration = try ServiceConfiguration.load(path: config)
        if let listen { try configuration.setListen(listen, from: "--listen") }
        if let database { configuration.database = database }
        if let policy { configuration.policy = policy }
        if let syslogUDP { configuration.syslogUDP = try ServiceConfiguration.address(syslogUDP, from: "--syslog-udp") }
        if let syslogTCP { configuration.syslogTCP = try ServiceConfiguration.address(syslogTCP, from: "--syslog-tcp") }
        try await MirrorwatchServer.run(configuration: configuration)
    }
}
