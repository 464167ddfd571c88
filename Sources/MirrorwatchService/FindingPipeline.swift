import Crypto
import Foundation
import Logging
import Mirrorwatch
import MirrorwatchStore

/// Accepted batches → the engine's readers → the same evaluation as `mirrorwatch scan` → findings
/// recorded in the store with their lifecycle. No second implementation of readers or rules.
///
/// Batches are read when they arrive (outside this actor) and kept read; evaluations run in the
/// background, at most one at a time, so ingest never waits for the rules.
actor FindingPipeline {
    private let store: SQLiteStore
    /// The policy file's policy, and that plus the exceptions made in the service (what the rules run with).
    private let filePolicy: Policy
    private var policy: Policy
    private let metrics: ServiceMetrics
    private let logger: Logger
    private var results: [(id: Int64, result: ReadResult)] = []
    /// Syslog from the listener: one stream, so command context carries over between batches.
    private var stream = DeviceLogStream(year: Calendar(identifier: .gregorian).component(.year, from: Date()))
    /// The kind the syslog listener's batches are stored as.
    static let syslogStreamKind = "syslog-stream"
    private var evaluating = false
    private var pending = false
    /// The highest batch id accepted, and the highest one the findings reflect.
    private(set) var acceptedThrough: Int64 = 0
    private(set) var evaluatedThrough: Int64 = 0
    /// The last evaluation (state, coverage, exceptions), for the audit view.
    private(set) var lastResult: ScanResult?
    /// SHA-256 of every batch read, by its evidence name.
    private(set) var digests: [String: String] = [:]

    private let sinks: [AlertSink]
    /// The version CEF headers carry.
    static let version = "0.8"

    init(store: SQLiteStore, policy: Policy, metrics: ServiceMetrics, logger: Logger, sinks: [AlertSink] = []) {
        self.sinks = sinks
        self.store = store
        self.filePolicy = policy
        self.policy = policy
        self.metrics = metrics
        self.logger = logger
    }

    /// Reads a stored batch with the reader for its kind (`auto`: sniffed), as `scan` would.
    nonisolated static func read(_ batch: StoredBatch, policy: Policy, inflateLimit: Int) -> ReadResult {
        let input = InputSource.load(name: batch.name, bytes: batch.bytes, limit: inflateLimit)
        let kind = batch.kind == "auto" ? nil : InputKind(rawValue: batch.kind)
        return InputReader.read(input, as: kind, options: Scanner.readerOptions(policy))
    }

    /// Runs the rules with the policy file's exceptions plus those made in the service, and
    /// evaluates again so findings they cover become suppressed.
    func useServiceExceptions(_ exceptions: [StoredException]) {
        policy = filePolicy
        policy.exceptions += ServiceExceptions.policyExceptions(exceptions)
        pending = true
        guard !evaluating, !results.isEmpty else { return }
        evaluating = true
        Task { await self.evaluateWhilePending() }
    }

    /// Reads every stored batch again (after a restart) and evaluates them.
    func restore(inflateLimit: Int) async throws {
        policy.exceptions += ServiceExceptions.policyExceptions(try store.exceptions())
        for batch in try store.batches() {
            digests[batch.name] = Self.sha256(batch.bytes)
            let result = batch.kind == Self.syslogStreamKind ? stream.read(batch.bytes, name: batch.name)
                : Self.read(batch, policy: policy, inflateLimit: inflateLimit)
            results.append((batch.id, result))
            acceptedThrough = max(acceptedThrough, batch.id)
        }
        if !results.isEmpty { await evaluateNow() }
    }

    /// Notes the SHA-256 of a batch's bytes, for evidence.
    func noteDigest(_ digest: String, of name: String) { digests[name] = digest }

    /// Adds a read batch and makes sure an evaluation follows.
    func add(_ result: ReadResult, batch: Int64) {
        results.append((batch, result))
        acceptedThrough = max(acceptedThrough, batch)
        pending = true
        guard !evaluating else { return }
        evaluating = true
        Task { await self.evaluateWhilePending() }
    }

    nonisolated static func sha256(_ bytes: [UInt8]) -> String {
        SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
    }

    /// Adds a batch from the syslog listener, read by the syslog stream.
    func addStreamed(_ bytes: [UInt8], batch: Int64) {
        digests["ingest/\(batch)/\(Self.syslogStreamKind)"] = Self.sha256(bytes)
        add(stream.read(bytes, name: "ingest/\(batch)/\(Self.syslogStreamKind)"), batch: batch)
    }

    private func evaluateWhilePending() async {
        while pending {
            pending = false
            await evaluateNow()
        }
        evaluating = false
    }

    /// One evaluation over everything accepted so far; the rules run off this actor.
    private func evaluateNow() async {
        let through = acceptedThrough
        let snapshot = results.sorted { $0.id < $1.id }.map(\.result)
        let policy = self.policy
        let start = Date()
        let scan = await Task.detached { Scanner.evaluate(snapshot, options: ScanOptions(paths: [], policy: policy)) }.value
        let findings = scan.correlatedFindings
        lastResult = scan
        do {
            let new = Set(try store.record(findings.map {
                StoreFinding(id: $0.id, rule: $0.rule, severity: $0.severity.name, title: $0.title, json: FindingJSON.line($0),
                             exception: $0.exception)
            }))
            // New findings not covered by an exception go to every sink that wants their severity.
            var queued: [(sink: String, findingId: String, payload: String)] = []
            for finding in findings where new.contains(finding.id) && finding.exception == nil {
                for sink in sinks where finding.severity >= sink.minimumSeverity {
                    queued.append((sink.name, finding.id, sink.format(finding, version: Self.version)))
                }
            }
            try store.enqueue(queued)
            evaluatedThrough = max(evaluatedThrough, through)
            metrics.evaluated(seconds: Date().timeIntervalSince(start))
        } catch {
            logger.error("could not record findings", metadata: ["error": .string("\(error)")])
        }
    }
}
