import AsyncHTTPClient
import Crypto
import Foundation
import Mirrorwatch
import NIOCore
import NIOPosix

/// Where new findings are sent. A sink formats a finding when it is queued (the payload waits in
/// the outbox table) and delivers payloads; a failed delivery is retried with backoff, so a sink
/// that is down never blocks ingest and loses nothing.
public struct AlertSink: Sendable {
    public enum Kind: String, Sendable, Codable, CaseIterable {
        /// JSON finding, `X-Mirrorwatch-Signature: sha256=HMAC` over the body.
        case webhook
        /// Slack incoming webhook message.
        case slack
        /// CEF over syslog on TCP.
        case cefTCP = "cef-tcp"
        /// OCSF Detection Finding lines appended to a file.
        case ocsfFile = "ocsf-file"
        /// Splunk HTTP Event Collector.
        case splunkHEC = "splunk-hec"
        /// Elasticsearch or OpenSearch `_bulk`.
        case elasticsearch
    }

    public var name: String
    public var kind: Kind
    public var url: String?
    public var address: ServiceConfiguration.Address?
    public var path: String?
    public var index: String?
    /// Secret for the webhook signature, or the Splunk/Elasticsearch token (read from the environment;
    /// never printed: see `description`).
    public var secret: String?
    /// Findings below this severity are not sent.
    public var minimumSeverity: Severity

    /// The payload queued for `finding`.
    func format(_ finding: Finding, version: String) -> String {
        switch kind {
        case .webhook: FindingJSON.line(finding)
        case .slack: AlertFormats.slack(finding)
        case .cefTCP: AlertFormats.cef(finding, version: version)
        case .ocsfFile: OCSFFormatter.line(finding)
        case .splunkHEC: AlertFormats.splunkHEC(finding)
        case .elasticsearch: AlertFormats.elasticsearchBulk(finding, index: index ?? "mirrorwatch-findings")
        }
    }

    struct DeliveryError: Error, CustomStringConvertible { var description: String }

    /// The longest one delivery may take, from connecting to the receiver's last byte.
    static let attemptLimit: Duration = .seconds(15)

    /// The client of the HTTP sinks. Redirects are refused (a POST answered by 302 or 303 would be
    /// retried as a GET without the alert, and its 2xx taken for a delivery); connecting and each read are bounded.
    static let httpClient = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup,
                                       configuration: .init(redirectConfiguration: .disallow, timeout: .init(connect: .seconds(10), read: .seconds(15))))

    /// Delivers one payload within `attemptLimit` (headers, body and all), or throws.
    func deliverWithinLimit(_ payload: String) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await deliver(payload) }
            group.addTask {
                try await Task.sleep(for: Self.attemptLimit)
                throw DeliveryError(description: "no answer within \(Self.attemptLimit)")
            }
            defer { group.cancelAll() }
            try await group.next()
        }
    }

    /// Delivers one payload; throws with the reason when the receiver did not take it.
    func deliver(_ payload: String) async throws {
        switch kind {
        case .webhook:
            var headers = ["Content-Type": "application/json"]
            if let secret {
                let mac = HMAC<SHA256>.authenticationCode(for: Array(payload.utf8), using: SymmetricKey(data: Array(secret.utf8)))
                headers["X-Mirrorwatch-Signature"] = "sha256=" + mac.map { String(format: "%02x", $0) }.joined()
            }
            try await post(url!, payload, headers: headers)
        case .slack:
            try await post(url!, payload, headers: ["Content-Type": "application/json"])
        case .splunkHEC:
            try await post(url!, payload, headers: ["Content-Type": "application/json", "Authorization": "Splunk \(secret ?? "")"])
        case .elasticsearch:
            var headers = ["Content-Type": "application/x-ndjson"]
            if let secret { headers["Authorization"] = "ApiKey \(secret)" }
            let base = url!.hasSuffix("/") ? String(url!.dropLast()) : url!
            let body = try await post(base + "/_bulk", payload, headers: headers)
            // `_bulk` answers 200 even when a document was refused.
            if body.contains("\"errors\":true") { throw DeliveryError(description: "the bulk request reported errors: \(body.prefix(300))") }
        case .cefTCP:
            try await sendLine(syslogHeader() + payload)
        case .ocsfFile:
            try append(payload + "\n", to: path!)
        }
    }

    @discardableResult
    private func post(_ url: String, _ body: String, headers: [String: String]) async throws -> String {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        request.body = .bytes(ByteBuffer(string: body))
        let response = try await Self.httpClient.execute(request, timeout: .seconds(15))
        let text = String(buffer: try await response.body.collect(upTo: 1 << 20))
        guard (200..<300).contains(Int(response.status.code)) else {
            throw DeliveryError(description: "HTTP \(response.status.code) from \(name)")
        }
        return text
    }

    /// `<PRI>TIMESTAMP HOST` in RFC 3164 style, facility local4, severity notice.
    private func syslogHeader() -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "MMM dd HH:mm:ss"
        return "<165>\(formatter.string(from: Date())) mirrorwatch "
    }

    private func sendLine(_ line: String) async throws {
        guard let address else { throw DeliveryError(description: "no address") }
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connectTimeout(.seconds(10))
            .connect(host: address.host, port: address.port).get()
        // Closing the channel fails a write a stalled receiver holds up (the delivery's time limit cancels this task).
        try await withTaskCancellationHandler {
            defer { channel.close(promise: nil) }
            try await channel.writeAndFlush(ByteBuffer(string: line + "\n")).get()
        } onCancel: {
            channel.close(promise: nil)
        }
    }

    private func append(_ text: String, to path: String) throws {
        let fd = open(path, O_WRONLY | O_APPEND | O_CREAT, 0o640)
        guard fd >= 0 else { throw DeliveryError(description: "cannot open \(path): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        let written = text.utf8CString.withUnsafeBufferPointer { write(fd, $0.baseAddress, $0.count - 1) }
        guard written == text.utf8.count, fsync(fd) == 0 else { throw DeliveryError(description: "cannot write \(path)") }
    }
}

extension AlertSink: CustomStringConvertible {
    /// The sink without its secret or URL (a webhook URL may itself be the secret).
    public var description: String { "\(kind.rawValue) sink '\(name)'" }
}
