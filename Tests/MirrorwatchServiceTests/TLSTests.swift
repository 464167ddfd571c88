import Foundation
import MirrorwatchTestSupport
import Testing

/// HTTPS and syslog over TLS (RFC 5425) with a certificate made for the test: a client that
/// verifies the certificate gets the API, plain HTTP gets nothing, and commands sent over TLS
/// become a finding.
@Suite(.serialized) struct TLSTests {
    /// A self-signed certificate for 127.0.0.1 and its key (openssl), in `directory`.
    static func certificate(in directory: TemporaryDirectory) throws -> (certificate: String, key: String) {
        let certificate = directory.path + "/tls.crt", key = directory.path + "/tls.key"
        let openssl = Process()
        openssl.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        openssl.arguments = ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1",
                             "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", key, "-out", certificate]
        openssl.standardOutput = FileHandle.nullDevice
        openssl.standardError = FileHandle.nullDevice
        try openssl.run()
        openssl.waitUntilExit()
        guard openssl.terminationStatus == 0 else { throw RunningServer.ServerError(description: "openssl could not make a certificate") }
        return (certificate, key)
    }

    /// Runs the Python TLS client with `arguments`; returns what it printed.
    static func client(_ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", RepositoryPaths.root + "/Tests/MirrorwatchServiceTests/Support/tls_client.py"] + arguments
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle(forWritingAtPath: "/dev/null")
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }

    @Test func httpsAndSyslogOverTLSCarryTheSameService() async throws {
        let directory = TemporaryDirectory()
        let (certificate, key) = try Self.certificate(in: directory)
        let server = try RunningServer(directory: directory, extraYAML: "tls: {certificate: \(certificate), key: \(key)}\nsyslog_tls: 127.0.0.1:0\n")
        defer { server.stop() }
        #expect(server.syslogTLS > 0)
        let base = "https://127.0.0.1:\(server.port)"
        #expect(try Self.client(["get", certificate, base + "/health"]).hasPrefix("200\n{\"status\":\"ok\"}"))
        #expect(try Self.client(["get", certificate, base + "/v1/findings"]).hasPrefix("401"))
        #expect(try Self.client(["plain", "http://127.0.0.1:\(server.port)/health"]).hasPrefix("refused"), "no plain HTTP on the TLS port")
        // Over HTTPS, browsers are told to keep to it (HSTS), on refusals too.
        for path in ["/health", "/v1/findings"] {
            let headers = try Self.client(["headers", certificate, base + path])
            #expect(headers.contains("Strict-Transport-Security: max-age=31536000"), "\(headers)")
        }

        let lines = directory.write("attack.log", DeviceLogFixture.iosErspanAttack)
        #expect(try Self.client(["syslog", certificate, "127.0.0.1", String(server.syslogTLS), lines]).hasPrefix("sent"))
        var findings = ""
        for _ in 0..<100 {
            findings = try Self.client(["get", certificate, base + "/v1/findings", RunningServer.tokens["dashboard"]!.1])
            if findings.contains("203.0.113.50") { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(findings.hasPrefix("200\n"))
        #expect(findings.contains("203.0.113.50") && findings.contains("mallory"), "the session configured over TLS is a finding")
    }
}
