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
    ])
    func settingsThatCannotWorkAreRefused(yaml: String, options: [String], message: String) throws {
        let directory = TemporaryDirectory()
        let config = directory.write("serve.yaml", "listen: 127.0.0.1:0\ndatabase: \(directory.path)/s.sqlite\n"
                                     + yaml.replacingOccurrences(of: "SELF", with: directory.path + "/serve.yaml"))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: RepositoryPaths.executable)
        process.arguments = ["serve", "--config", config] + options
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus != 0)
        #expect(text.contains(message), "\(text)")
        #expect(!FileManager.default.fileExists(atPath: directory.path + "/s.sqlite"), "nothing created")
    }
}
