import Crypto
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import MirrorwatchTestSupport

/// A real `mirrorwatch serve` process on a free loopback port, with a database in a temporary
/// directory and one token per role (their hashes in the configuration file).
final class RunningServer: @unchecked Sendable {
    static let tokens = ["collector": ("ingest", "mw_test_ingest_token"), "dashboard": ("viewer", "mw_test_viewer_token"),
                         "alice": ("analyst", "mw_test_analyst_token"), "ops": ("admin", "mw_test_admin_token")]
    let directory: TemporaryDirectory
    let configPath: String
    private(set) var process: Process?
    private(set) var port = 0
    /// Syslog listener ports, when asked for.
    private(set) var syslogUDP = 0, syslogTCP = 0, syslogTLS = 0
    let environment: [String: String]
    /// Where the server's standard error goes (nil: nowhere).
    let logFile: String?

    /// `database`: a PostgreSQL URL shared with other servers (default: a SQLite file of its own).
    init(directory: TemporaryDirectory = TemporaryDirectory(), maxRequestBytes: Int = 8 << 20, policy: String? = RepositoryPaths.examples + "/policy.yaml",
         syslog: Bool = false, database: String? = nil, tokens: Bool = true, extraYAML: String = "", environment: [String: String] = [:],
         logFile: String? = nil) throws {
        self.environment = environment
        self.logFile = logFile
        self.directory = directory
        var yaml = "listen: 127.0.0.1:0\ndatabase: \(database ?? directory.path + "/state/mirrorwatch.sqlite")\nmax_request_bytes: \(maxRequestBytes)\n"
        if syslog { yaml += "syslog_udp: 127.0.0.1:0\nsyslog_tcp: 127.0.0.1:0\n" }
        if let policy { yaml += "policy: \(policy)\n" }
        if tokens { yaml += "tokens:\n" }
        for (name, (role, token)) in Self.tokens.sorted(by: { $0.key < $1.key }) where tokens {
            let hash = SHA256.hash(data: Array(token.utf8)).map { String(format: "%02x", $0) }.joined()
            yaml += "  - {name: \(name), role: \(role), sha256: \(hash)}\n"
        }
        configPath = directory.write("serve.yaml", yaml + extraYAML)
        try start()
    }

    deinit { process?.terminate() }

    /// Starts the server and waits for the line that says where it listens.
    func start() throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: RepositoryPaths.executable)
        process.arguments = ["serve", "--config", configPath]
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let out = Pipe()
        process.standardOutput = out
        if let logFile {
            if !FileManager.default.fileExists(atPath: logFile) { FileManager.default.createFile(atPath: logFile, contents: nil) }
            let handle = FileHandle(forWritingAtPath: logFile)
            handle?.seekToEndOfFile()
            process.standardError = handle
        } else {
            process.standardError = FileHandle(forWritingAtPath: "/dev/null")
        }
        try process.run()
        self.process = process
        var text = ""
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            let data = out.fileHandleForReading.availableData
            if data.isEmpty { break }
            text += String(decoding: data, as: UTF8.self)
            if let range = text.range(of: #"https?://127\.0\.0\.1:(\d+)"#, options: .regularExpression) {
                port = Int(text[range].split(separator: ":").last!)!
                func syslogPort(_ scheme: String) -> Int {
                    text.range(of: scheme + #"://127\.0\.0\.1:(\d+)"#, options: .regularExpression).map { Int(text[$0].split(separator: ":").last!)! } ?? 0
                }
                syslogUDP = syslogPort("udp")
                syslogTCP = syslogPort("tcp")
                syslogTLS = syslogPort("tls")
                return
            }
        }
        throw ServerError(description: "the server did not say where it listens: \(text)")
    }

    /// SIGTERM (graceful) or SIGKILL, then waits for the process to end.
    func stop(kill: Bool = false) {
        guard let process else { return }
        if kill { Foundation.kill(process.processIdentifier, SIGKILL) } else { process.terminate() }
        process.waitUntilExit()
        self.process = nil
    }

    struct ServerError: Error, CustomStringConvertible { var description: String }

    struct Reply {
        var status: Int
        var body: Data
        var headers: [String: String] = [:]
        var text: String { String(decoding: body, as: UTF8.self) }
        var json: Any? { try? JSONSerialization.jsonObject(with: body) }
        var object: [String: Any] { json as? [String: Any] ?? [:] }
    }

    /// One HTTP request to the server, as `token`'s owner (by name; nil: no token).
    func request(_ method: String, _ path: String, as owner: String? = nil, token: String? = nil, body: Data? = nil,
                 headers: [String: String] = [:], followRedirects: Bool = true) async throws -> Reply {
        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)\(path)")!)
        request.httpMethod = method
        request.httpBody = body
        if let owner { request.setValue("Bearer \(Self.tokens[owner]!.1)", forHTTPHeaderField: "Authorization") }
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        let (data, response) = try await (followRedirects ? Self.session : Self.noRedirects).data(for: request)
        let http = response as! HTTPURLResponse
        var fields: [String: String] = [:]
        for (name, value) in http.allHeaderFields { fields["\(name)"] = "\(value)" }
        return Reply(status: http.statusCode, body: data, headers: fields)
    }

    /// Signs in to the web UI with `owner`'s token; returns the session cookie (`name=value`).
    func signIn(as owner: String) async throws -> String {
        let reply = try await request("POST", "/ui/login", body: Data("token=\(Self.tokens[owner]!.1)".utf8),
                                      headers: ["Content-Type": "application/x-www-form-urlencoded"], followRedirects: false)
        guard let cookie = reply.headers["Set-Cookie"]?.split(separator: ";").first.map(String.init) else {
            throw ServerError(description: "sign-in as \(owner) gave no cookie (status \(reply.status))")
        }
        return cookie
    }

    /// Sends `data` over one TCP connection to the syslog listener, then closes it.
    func sendSyslogTCP(_ data: Data) throws {
        let fd = try connectSyslogTCP()
        defer { close(fd) }
        _ = data.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, 0) }
    }

    /// A new TCP connection to the syslog listener (the caller closes it).
    private func connectSyslogTCP() throws -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = Self.loopback(port: syslogTCP)
        let connected = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        guard connected == 0 else {
            close(fd)
            throw ServerError(description: "cannot connect to the syslog listener")
        }
        return fd
    }

    /// Sends `data` over a new TCP connection to the syslog listener and reports whether the
    /// listener closes it (within five seconds) while this end keeps it open.
    func syslogTCPIsClosedByServer(after data: Data) throws -> Bool {
        let fd = try connectSyslogTCP()
        defer { close(fd) }
        _ = data.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, 0) }
        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var byte: UInt8 = 0
        // 0: the peer closed; -1 with ECONNRESET: it reset; -1 with EAGAIN: still open after the timeout.
        let received = recv(fd, &byte, 1, 0)
        return received == 0 || (received < 0 && errno == ECONNRESET)
    }

    /// Sends one datagram to the syslog listener.
    func sendSyslogUDP(_ data: Data) {
        let fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        defer { close(fd) }
        var address = Self.loopback(port: syslogUDP)
        _ = data.withUnsafeBytes { bytes in
            withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { sendto(fd, bytes.baseAddress, bytes.count, 0, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        }
    }

    private static func loopback(port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return address
    }

    /// Sessions that keep no cookies (each test sends its own), with and without following redirects.
    static let session: URLSession = {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.httpShouldSetCookies = false
        configuration.httpCookieAcceptPolicy = .never
        return URLSession(configuration: configuration)
    }()
    static let noRedirects: URLSession = {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.httpShouldSetCookies = false
        configuration.httpCookieAcceptPolicy = .never
        return URLSession(configuration: configuration, delegate: NoRedirects(), delegateQueue: nil)
    }()

    final class NoRedirects: NSObject, URLSessionTaskDelegate, @unchecked Sendable {
        func urlSession(_ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
                        newRequest request: URLRequest, completionHandler: @escaping (URLRequest?) -> Void) {
            completionHandler(nil)
        }
    }

    /// Waits until the findings reflect every accepted batch.
    func waitForEvaluation() async throws -> [String: Any] {
        for _ in 0..<200 {
            let status = try await request("GET", "/v1/status", as: "dashboard").object
            if let accepted = status["accepted_through"] as? Int, let evaluated = status["evaluated_through"] as? Int, accepted == evaluated { return status }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw ServerError(description: "evaluation did not catch up")
    }
}
