import Foundation
import Logging
import MirrorwatchStore

/// Delivers the outbox: every quarter second, the entries due are sent to their sinks; a failure
/// is recorded and retried after 1, 2, 4 … seconds (at most 5 minutes between attempts), for as long
/// as it takes. Runs beside ingest and never holds it up.
final class SinkDelivery: @unchecked Sendable {
    private let sinks: [String: AlertSink]
    private let store: any ServiceStore
    private let metrics: ServiceMetrics
    private let logger: Logger
    private var worker: Task<Void, Never>?

    init(sinks: [AlertSink], store: any ServiceStore, metrics: ServiceMetrics, logger: Logger) {
        self.sinks = Dictionary(uniqueKeysWithValues: sinks.map { ($0.name, $0) })
        self.store = store
        self.metrics = metrics
        self.logger = logger
    }

    func start() {
        guard !sinks.isEmpty else { return }
        worker = Task { [self] in
            while !Task.isCancelled {
                // A full claim means more may be due: go on at once.
                if await deliverDue() < Self.claimSize { try? await Task.sleep(for: .milliseconds(250)) }
            }
        }
    }

    func stop() async {
        worker?.cancel()
        _ = await worker?.value
    }

    /// Entries claimed at a time: few enough that sending them takes less than the lease.
    static let claimSize = 10

    /// One pass over the entries due; returns how many were claimed.
    @discardableResult
    func deliverDue() async -> Int {
        // Claimed for longer than sending them can take (each attempt is bounded by the sink's
        // 15-second timeout): another replica does not send these meanwhile.
        guard let due = try? await store.claimOutbox(limit: Self.claimSize, lease: 300) else { return 0 }
        for entry in due {
            guard let sink = sinks[entry.sink] else {
                // A sink removed from the configuration: keep the entry, try again later.
                try? await store.markFailed(entry.id, error: "no sink named \(entry.sink) is configured", retryAfter: 300)
                continue
            }
            do {
                try await sink.deliver(entry.payload)
                try await store.markDelivered(entry.id)
                metrics.delivered(sink: sink.name)
            } catch {
                let wait = min(300, pow(2, Double(entry.attempts)))
                try? await store.markFailed(entry.id, error: "\(error)", retryAfter: wait)
                metrics.deliveryFailed(sink: sink.name)
                logger.warning("sink delivery failed; retrying", metadata: [
                    "sink": .string(sink.name), "finding": .string(entry.findingId), "attempt": .stringConvertible(entry.attempts + 1),
                    "retry_in_seconds": .stringConvertible(wait), "error": .string("\(error)"),
                ])
            }
        }
        return due.count
    }
}
