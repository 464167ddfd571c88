import Foundation
import Logging
import MirrorwatchStore

/// Delivers the outbox, one worker per sink: every quarter second each sink's entries that are due
/// are sent in order; a failure is recorded and retried after 1, 2, 4 … seconds (at most 5 minutes
/// between attempts), for as long as it takes. A receiver that is down or slow holds up only its own
/// sink (each attempt is bounded by `AlertSink.attemptLimit`), and delivery runs beside ingest,
/// never holding it up. Entries of a sink no longer configured stay queued (counted as waiting) and
/// go out if it is configured again.
final class SinkDelivery: @unchecked Sendable {
    private let sinks: [AlertSink]
    private let store: any ServiceStore
    private let metrics: ServiceMetrics
    private let logger: Logger
    private var workers: [Task<Void, Never>] = []

    init(sinks: [AlertSink], store: any ServiceStore, metrics: ServiceMetrics, logger: Logger) {
        self.sinks = sinks
        self.store = store
        self.metrics = metrics
        self.logger = logger
    }

    func start() {
        workers = sinks.map { sink in
            Task { [self] in
                while !Task.isCancelled {
                    // A full claim means more may be due: go on at once.
                    if await deliverDue(to: sink) < Self.claimSize { try? await Task.sleep(for: .milliseconds(250)) }
                }
            }
        }
    }

    func stop() async {
        for worker in workers { worker.cancel() }
        for worker in workers { _ = await worker.value }
    }

    /// Entries claimed at a time: few enough that sending them takes less than the lease.
    static let claimSize = 10

    /// One pass over `sink`'s entries that are due; returns how many were claimed.
    @discardableResult
    func deliverDue(to sink: AlertSink) async -> Int {
        // Claimed for longer than sending them can take (`claimSize` attempts of at most
        // `AlertSink.attemptLimit` each): another replica does not send these meanwhile.
        guard let due = try? await store.claimOutbox(sink: sink.name, limit: Self.claimSize, lease: 300) else { return 0 }
        // After a failure the receiver is likely down: the rest wait as long as the failed one, untried
        // (given back, their attempts unchanged).
        var wait: Double? = nil
        for entry in due {
            if let wait {
                try? await store.release(entry.id, retryAfter: wait)
                continue
            }
            if await deliver(entry, to: sink) != nil { wait = Self.backoff(entry.attempts) }
        }
        return due.count
    }

    /// Seconds before attempt `attempts + 1`: 1, 2, 4 … at most 300.
    static func backoff(_ attempts: Int) -> Double { min(300, pow(2, Double(min(attempts, 9)))) }

    /// Sends one entry; returns why it failed, or nil.
    private func deliver(_ entry: OutboxEntry, to sink: AlertSink) async -> String? {
        do {
            try await sink.deliverWithinLimit(entry.payload)
        } catch {
            let wait = Self.backoff(entry.attempts)
            try? await store.markFailed(entry.id, error: "\(error)", retryAfter: wait)
            metrics.deliveryFailed(sink: sink.name)
            logger.warning("sink delivery failed; retrying", metadata: [
                "sink": .string(sink.name), "finding": .string(entry.findingId), "attempt": .stringConvertible(entry.attempts + 1),
                "retry_in_seconds": .stringConvertible(wait), "error": .string("\(error)"),
            ])
            return "\(error)"
        }
        metrics.delivered(sink: sink.name)
        do { try await store.markDelivered(entry.id) } catch {
            // Sent, but not recorded: it is sent again when its lease ends (receivers may see it twice, never not at all).
            logger.error("sink delivery succeeded but could not be recorded; it will be sent again", metadata: [
                "sink": .string(sink.name), "finding": .string(entry.findingId), "error": .string("\(error)"),
            ])
        }
        return nil
    }
}
