/// At most `limit` holders at a time; the others wait their turn, first come first served. Ingest
/// holds it from before the body is read until the batch is stored and read, so the memory of
/// bodies, their copies and their inflated bytes is bounded by the limit, not by the number of
/// senders (a waiting request's body stays unread, held back by TCP).
actor ConcurrencyGate {
    private let limit: Int
    private var holders = 0
    private var waiting: [CheckedContinuation<Void, Never>] = []

    init(limit: Int) {
        precondition(limit > 0, "a gate needs room for one")
        self.limit = limit
    }

    /// Runs `body` once a place is free.
    nonisolated func run<T: Sendable>(_ body: @Sendable () async throws -> T) async throws -> T {
        await enter()
        do {
            let result = try await body()
            await leave()
            return result
        } catch {
            await leave()
            throw error
        }
    }

    private func enter() async {
        if holders < limit {
            holders += 1
            return
        }
        // The place is handed over by `leave`, which does not lower the count.
        await withCheckedContinuation { waiting.append($0) }
    }

    private func leave() {
        if waiting.isEmpty { holders -= 1 } else { waiting.removeFirst().resume() }
    }
}
