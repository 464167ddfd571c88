import Crypto
import Foundation
import Logging
import Mirrorwatch
import MirrorwatchStore

/// Accepted batches → the engine's readers → the same evaluation as `mirrorwatch scan` → findings
/// recorded in the store with their lifecycle. No second implementation of readers or rules.
///
/// Batches are read when they arrive (outside this actor) and kept read; evaluations run in the
/// background, at most one at a time, so ingest never waits for the rules. A background loop
/// follows the store: batches other replicas accepted (when the store is shared), the current
/// policy version and the exceptions, and work queued for one replica (re-evaluation after a
/// policy or exception change), claimed with a lease.
actor FindingPipeline {
    private let store: any ServiceStore
    /// This process, as it claims work (`host:pid`).
    let replica: String
    private let metrics: ServiceMetrics
    private let logger: Logger
    private let inflateLimit: Int
    private let sinks: [AlertSink]

    /// The current policy version (its policy without the service's exceptions), and the policy the rules run with.
    private(set) var policyVersion: PolicyVersion?
    private var basePolicy: Policy
    private(set) var policy: Policy
    private var exceptions: [StoredException] = []

    private var results: [(id: Int64, result: ReadResult)] = []
    private var known: Set<Int64> = []
    /// The highest id read back from the store: every batch at or below it is known (ids commit in order).
    private var horizon: Int64 = 0
    /// Syslog from the listener: one stream, so command context carries over between batches.
    private var stream = FindingPipeline.newStream()
    /// The kind the syslog listener's batches are stored as.
    static let syslogStreamKind = "syslog-stream"
    /// An evaluation is running (at most one at a time), one is wanted, the loop is following the
    /// store, batches are being read again after a new policy (no evaluation of a half-read set).
    private var evaluating = false
    private var pending = false
    private var following = false
    private var reading = false
    private var follower: Task<Void, Never>?
    /// The highest batch id accepted, and the highest one the findings reflect.
    private(set) var acceptedThrough: Int64 = 0
    private(set) var evaluatedThrough: Int64 = 0
    /// The last evaluation (state, coverage, exceptions), for the audit view.
    private(set) var lastResult: ScanResult?
    /// SHA-256 of every batch read, by its evidence name.
    private(set) var digests: [String: String] = [:]

    /// The version CEF headers carry.
    static let version = ProductVersion.current

    init(store: any ServiceStore, policy: Policy, metrics: ServiceMetrics, logger: Logger, sinks: [AlertSink] = [], inflateLimit: Int) {
        self.store = store
        self.basePolicy = policy
        self.policy = policy
        self.metrics = metrics
        self.logger = logger
        self.sinks = sinks
        self.inflateLimit = inflateLimit
        replica = "\(ProcessInfo.processInfo.hostName):\(getpid())"
    }

    private static func newStream() -> DeviceLogStream {
        DeviceLogStream(year: Calendar(identifier: .gregorian).component(.year, from: Date()))
    }

    /// Reads a stored batch with the reader for its kind (`auto`: sniffed), as `scan` would.
    nonisolated static func read(_ batch: StoredBatch, policy: Policy, inflateLimit: Int) -> ReadResult {
        var input = InputSource.load(name: batch.name, bytes: batch.bytes, limit: inflateLimit)
        input.modified = batch.modified.flatMap { Timestamp.parse($0) }
        let kind = batch.kind == "auto" ? nil : InputKind(rawValue: batch.kind)
        return InputReader.read(input, as: kind, options: Scanner.readerOptions(policy))
    }

    nonisolated static func sha256(_ bytes: [UInt8]) -> String {
        SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
    }

    // MARK: Following the store

    /// Takes the current policy, reads every stored batch (after a restart), evaluates (which reads
    /// the exceptions), and (unless `follow` is false: one evaluation only) starts following the store.
    func start(follow: Bool = true) async throws {
        try await refreshPolicy()
        try await readNewBatches()
        if !results.isEmpty { await evaluateExclusively() }
        guard follow else { return }
        follower = Task { [weak self] in
            while !Task.isCancelled {
                try? await Task.sleep(for: .milliseconds(500))
                await self?.followStore()
            }
        }
    }

    func stop() {
        follower?.cancel()
    }

    /// One turn of the loop: other replicas' batches, a new policy version, queued work. Turns never
    /// overlap (a request for one while one runs is taken by the next).
    private func followStore() async {
        guard !following else { return }
        following = true
        defer { following = false }
        do {
            if try await refreshPolicy() {
                // Everything is read again: no evaluation may see the half-read set.
                reading = true
                defer { reading = false }
                while evaluating { try await Task.sleep(for: .milliseconds(20)) }
                rereadAll()
                try await readNewBatches()
            } else if store.isShared {
                try await readNewBatches()
            }
            if let job = try await store.claimJob(by: replica, lease: 300) {
                logger.info("re-evaluating", metadata: ["reason": .string(job.reason), "replica": .string(replica)])
                await evaluateExclusively()
                try await store.finishJob(job.id)
            }
        } catch is CancellationError {
            return
        } catch {
            logger.error("could not follow the store", metadata: ["error": .string("\(error)")])
        }
        schedule()
    }

    /// Reads batches above the horizon that this process has not read yet (fetching only those).
    private func readNewBatches() async throws {
        while true {
            let ids = try await store.batchIds(after: horizon, limit: 1000)
            guard let last = ids.last else { return }
            for id in ids where !known.contains(id) {
                guard let batch = try await store.batch(id: id), !known.contains(id) else { continue }
                digests[batch.name] = batch.sha256 ?? Self.sha256(batch.bytes)
                let result = batch.kind == Self.syslogStreamKind ? stream.read(batch.bytes, name: batch.name)
                    : Self.read(batch, policy: policy, inflateLimit: inflateLimit)
                insert(result, batch: batch.id)
            }
            horizon = max(horizon, last)
        }
    }

    /// Makes the store's latest policy version current; true when it changed.
    @discardableResult
    private func refreshPolicy() async throws -> Bool {
        guard let latest = try await store.policyHistory().last, latest.version != policyVersion?.version else { return false }
        do {
            basePolicy = try PolicyLoader.parse(latest.text, file: "policy version \(latest.version)")
        } catch {
            logger.error("stored policy does not load; keeping the previous one", metadata: ["version": .stringConvertible(latest.version), "error": .string("\(error)")])
            return false
        }
        policyVersion = latest
        rebuildPolicy()
        return true
    }

    private func rebuildPolicy() {
        policy = basePolicy
        policy.exceptions += ServiceExceptions.policyExceptions(exceptions)
    }

    /// A new policy changes how inputs are read (time zone, internal ranges, mirror ports): read everything again.
    private func rereadAll() {
        known = []
        results = []
        horizon = 0
        stream = Self.newStream()
        pending = true
    }

    // MARK: Batches accepted here

    /// Adds a read batch (`digest`: SHA-256 of its bytes, for evidence) and makes sure an evaluation follows.
    func add(_ result: ReadResult, batch: Int64, digest: String, name: String) {
        guard !known.contains(batch) else { return }
        digests[name] = digest
        insert(result, batch: batch)
        schedule()
    }

    /// Adds a batch from the syslog listener, read by the syslog stream.
    func addStreamed(_ bytes: [UInt8], batch: Int64, digest: String) {
        guard !known.contains(batch) else { return }
        let name = StoredBatch.name(id: batch, kind: Self.syslogStreamKind)
        add(stream.read(bytes, name: name), batch: batch, digest: digest, name: name)
    }

    private func insert(_ result: ReadResult, batch: Int64) {
        guard known.insert(batch).inserted else { return }
        results.append((batch, result))
        acceptedThrough = max(acceptedThrough, batch)
        pending = true
    }

    /// Queues a re-evaluation (claimed by one replica) and has this replica look for it now, in the
    /// background (the caller does not wait for the evaluation).
    func requestReevaluation(reason: String) async throws {
        try await store.enqueueJob(kind: "reevaluate", reason: reason)
        Task { await self.followStore() }
    }

    // MARK: Evaluation

    private func schedule() {
        guard pending, !evaluating, !reading else { return }
        evaluating = true
        Task { await self.evaluateWhilePending() }
    }

    private func evaluateWhilePending() async {
        while pending && !reading {
            await evaluateNow()
        }
        evaluating = false
    }

    /// Waits for a running evaluation to end, then evaluates until one succeeds.
    private func evaluateExclusively() async {
        while evaluating { try? await Task.sleep(for: .milliseconds(20)) }
        evaluating = true
        pending = true
        while pending { await evaluateNow() }
        evaluating = false
    }

    /// One evaluation over everything read so far; the rules run off this actor.
    private func evaluateNow() async {
        pending = false
        // Exceptions made on any replica since the last evaluation: without them this one would
        // count their findings as no longer covered.
        do {
            exceptions = try await store.exceptions()
            rebuildPolicy()
        } catch {
            pending = true
            logger.error("could not read the exceptions; will try again", metadata: ["error": .string("\(error)")])
            try? await Task.sleep(for: .seconds(1))
            return
        }
        let through = acceptedThrough
        // Shared store: only what this replica has read back is known to be complete.
        let complete = store.isShared ? min(horizon, through) : through
        let snapshot = results.sorted { $0.id < $1.id }.map(\.result)
        let policy = self.policy
        let start = Date()
        let scan = await Task.detached { Scanner.evaluate(snapshot, options: ScanOptions(paths: [], policy: policy)) }.value
        let findings = scan.correlatedFindings
        lastResult = scan
        do {
            let new = Set(try await store.record(findings.map {
                StoreFinding(id: $0.id, rule: $0.rule, severity: $0.severity.name, title: $0.title, json: FindingJSON.line($0),
                             exception: $0.exception)
            }, through: complete))
            // New findings not covered by an exception go to every sink that wants their severity.
            var queued: [OutboxItem] = []
            for finding in findings where new.contains(finding.id) && finding.exception == nil {
                for sink in sinks where finding.severity >= sink.minimumSeverity {
                    queued.append(OutboxItem(sink: sink.name, findingId: finding.id, payload: sink.format(finding, version: Self.version)))
                }
            }
            try await store.enqueue(queued)
            // An exception made meanwhile (on another replica) may have been undone by this record: go again.
            if try await store.exceptions().count != exceptions.count { pending = true }
            evaluatedThrough = max(evaluatedThrough, through)
            metrics.evaluated(seconds: Date().timeIntervalSince(start))
        } catch {
            pending = true
            logger.error("could not record findings; will try again", metadata: ["error": .string("\(error)")])
            try? await Task.sleep(for: .seconds(1))
        }
    }
}
