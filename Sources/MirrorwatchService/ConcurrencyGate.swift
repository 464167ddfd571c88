/// At most `limit` holders at a time; the others wait their turn, first come first served, for at
/// most `patience` (then they are turned away: a request waiting longer would meet the server's idle
/// timeout anyway). Ingest holds it from before the body is read until the batch is stored and read,
/// so the memory of bodies, their copies and their inflated bytes is bounded by the limit, not by
/// the number of senders (a waiting request's body stays unread, held back by TCP).
actor ConcurrencyGate {
    private let limit: Int
    private let patience: Duration
    private var holders = 0
    private var waiting: [(id: Int, turn: CheckedContinuation<Bool, Never>)] = []
    private var nextId = 0
    /// The most holders seen at once (for tests and metrics).
    private(set) var mostAtOnce = 0

    /// Waited longer than `patience` for a place.
    struct Busy: Error {}

    init(limit: Int, patience: Duration = .seconds(30)) {
        precondition(limit > 0, "a gate needs room for one")
        self.limit = limit
        self.patience = patience
    }

    /// Runs `body` once a place is free; throws `Busy` when none frees within `patience`.
    nonisolated func run<T: Sendable>(_ body: @Sendable () async throws -> T) async throws -> T {
        guard await enter() else { throw Busy() }
        do {
            let result = try await body()
            await leave()
            return result
        } catch {
            await leave()
            throw error
        }
    }

    private func enter() async -> Bool {
        if holders < limit {
            holders += 1
            mostAtOnce = max(mostAtOnce, holders)
            return true
        }
        let id = nextId
        nextId += 1
        let patience = self.patience
        let timer = Task { [weak self] in
            try? await Task.sleep(for: patience)
            await self?.giveUp(id)
        }
        // The place is handed over by `leave`, which does not lower the count; `giveUp` answers false.
        let admitted = await withCheckedContinuation { waiting.append((id, $0)) }
        timer.cancel()
        return admitted
    }

    private func giveUp(_ id: Int) {
        guard let at = waiting.firstIndex(where: { $0.id == id }) else { return }
        waiting.remove(at: at).turn.resume(returning: false)
    }

    private func leave() {
        if waiting.isEmpty {
            holders -= 1
        } else {
            waiting.removeFirst().turn.resume(returning: true)
        }
    }
}
