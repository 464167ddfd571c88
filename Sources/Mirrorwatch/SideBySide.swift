import Dispatch

/// Runs two independent pieces of work at once (on two cores when there are), or one after the
/// other when `concurrently` is false, and returns both results. Neither may touch what the other
/// changes; the results do not depend on which finishes first.
func sideBySide<First, Second>(concurrently: Bool, _ first: () -> First, _ second: () -> Second) -> (First, Second) {
    guard concurrently else { return (first(), second()) }
    var a: First? = nil
    var b: Second? = nil
    withoutActuallyEscaping(first) { first in
        withoutActuallyEscaping(second) { second in
            let results = UnsafeSendablePair(first: { a = first() }, second: { b = second() })
            DispatchQueue.concurrentPerform(iterations: 2) { part in
                if part == 0 { results.first() } else { results.second() }
            }
        }
    }
    return (a!, b!)
}

/// The two closures of `sideBySide`, handed to the worker threads: each writes only its own result.
private struct UnsafeSendablePair: @unchecked Sendable {
    let first: () -> Void
    let second: () -> Void
}
