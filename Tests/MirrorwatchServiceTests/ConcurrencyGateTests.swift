@testable import MirrorwatchService
import Testing

/// The ingest gate: at most its limit at once, the others in turn, and one that waits longer than
/// its patience is turned away (before the server's idle timeout would drop it).
@Suite struct ConcurrencyGateTests {
    @Test func holdsItsLimitAndTurnsAwayWhoWaitsTooLong() async throws {
        // Five at once, each holding 50 ms: at most two in at a time, all served (a patience no busy
        // machine exhausts: being served in turn is what is checked here, not the timer).
        let patient = ConcurrencyGate(limit: 2, patience: .seconds(30))
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<5 { group.addTask { try await patient.run { try await Task.sleep(for: .milliseconds(50)) } } }
            try await group.waitForAll()
        }
        #expect(await patient.mostAtOnce == 2)
        let gate = ConcurrencyGate(limit: 2, patience: .milliseconds(300))
        // Two holding four seconds: a third gives up after its 300 ms (late on a busy machine, but long
        // before a place frees), and is not let in later.
        async let first: Void = gate.run { try await Task.sleep(for: .seconds(4)) }
        async let second: Void = gate.run { try await Task.sleep(for: .seconds(4)) }
        try await Task.sleep(for: .milliseconds(50))
        let clock = ContinuousClock(), start = clock.now
        await #expect(throws: ConcurrencyGate.Busy.self) { try await gate.run { } }
        #expect(clock.now - start < .seconds(3), "turned away at its patience, not when a place freed")
        _ = try await (first, second)
        // Places free again: served at once.
        #expect(try await gate.run { 42 } == 42)
        #expect(await gate.mostAtOnce == 2)
    }
}
