/// Values a one-shot command leaves for the operating system to reclaim when the process exits,
/// instead of freeing them one by one: a scan's read results hold hundreds of thousands of small
/// allocations (every sign-in, role assumption and logging change, with their strings), and
/// releasing them cost 3% of a 1 GB scan for nothing (measured: 10-14 ms of 0.39 s). Only for
/// processes about to end: a long-running service frees what it reads.
public enum ProcessLifetime {
    private final class Kept<Value>: @unchecked Sendable {
        let value: Value
        init(_ value: Value) { self.value = value }
    }

    /// Keeps `value` alive until the process exits (a deliberate, bounded leak: one per command run).
    public static func keep<Value>(_ value: Value) {
        _ = Unmanaged.passRetained(Kept(value))
    }
}
