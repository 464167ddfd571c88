import Foundation
import MirrorwatchTestSupport
import Testing

/// `mirrorwatch serve` refuses settings that cannot work, saying why, before it creates anything.
@Suite struct StartupTests {
    /// Settings that cannot work stop the start with the reason, before a database or token is created.
    @Test(arguments: [
        ("syslog_tls: 127.0.0.1:0\n", [], "syslog over TLS needs a certificate and key"),
        ("tls: {certificate: /nonexistent/tls.crt, key: /nonexistent/tls.key}\n", [], "tls certificate /nonexistent/tls.crt: cannot be read"),
        ("tls: {certificate: SELF, key: SELF}\n", [], "not a PEM certificate"),
        ("log_format: xml\n", [], "log format must be text or json, not 'xml'"),
        ("log_level: loud\n", [], "log level must be one of trace, debug, info, notice, warning, error, critical, not 'loud'"),
        ("", ["--database", "mysql://db/x"], "database must be a SQLite file path or a postgres:// URL"),
        ("", ["--tls-certificate", "a.crt"], "--tls-certificate and --tls-key go together"),
        ("tokens:\n  - {name: ops, role: admin, sha256: 9f86d08}\n", [], "token 'ops': sha256 must be 64 hexadecimal digits"),
        ("max_request_bytes: 0\n", [], "max_request_bytes must be a positive number, not 0"),
        ("max_inflated_bytes: -5\n", [], "max_inflated_bytes must be a positive number, not -5"),
        ("syslog_queue_lines: 0\n", [], "syslog_queue_lines must be a positive number"),
        ("sinks:\n  - {name: hec, type: splunk-hec, url: 'http://127.0.0.1:9/services/collector'}\n", [], "sink 'hec' (splunk-hec) needs 'secret_env'"),
    ])
    func settingsThatCannotWorkAreRefused(yaml: String, options: [String], message: String) throws {
        try refuses(yaml: yaml, options: options, message: message)
    }

    /// A sink URL that is refused is not printed: a webhook URL may itself be the secret.
    @Test func aRefusedSinkURLIsNotPrinted() throws {
        let text = try refuses(yaml: "sinks:\n  - {name: chat, type: slack, url: 'ftp://hooks.example/services/T0/B0/XSECRETX'}\n", options: [],
                               message: "sink 'chat': url must be http or https, not ftp://…")
        #expect(!text.contains("XSECRETX"))
    }

    /// A certificate without its key (or a key without its certificate) in the environment is an
    /// error, not a quiet fall back to plain HTTP.
    @Test(arguments: [("MIRRORWATCH_TLS_CERTIFICATE", "MIRRORWATCH_TLS_CERTIFICATE is set without MIRRORWATCH_TLS_KEY"),
                      ("MIRRORWATCH_TLS_KEY", "MIRRORWATCH_TLS_KEY is set without MIRRORWATCH_TLS_CERTIFICATE")])
    func halfATLSPairIsRefused(variable: String, message: String) throws {
        try refuses(yaml: "", options: [], message: message, environment: [variable: "/etc/mirrorwatch/tls.pem"])
    }

    @discardableResult
    private func refuses(yaml: String, options: [String], message: String, environment: [String: String] = [:]) throws -> String {
        let directory = TemporaryDirectory()
        let config = directory.write("serve.yaml", "listen: 127.0.0.1:0\ndatabase: \(directory.path)/s.sqlite\n"
                                     + yaml.replacingOccurrences(of: "SELF", with: directory.path + "/serve.yaml"))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: RepositoryPaths.executable)
        process.arguments = ["serve", "--config", config] + options
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus != 0)
        #expect(text.contains(message), "\(text)")
        #expect(!FileManager.default.fileExists(atPath: directory.path + "/s.sqlite"), "nothing created")
        return text
    }
}
