import Foundation
import Synchronization

/// Bytes read so far by the readers of one scan, counted as each window is done with, so progress
/// moves inside a large input too. Safe to add to from any reader and read from any thread.
public final class ReadMeter: Sendable {
    private let counted = Atomic<Int>(0)

    public init() {}

    /// Bytes readers are done with so far (inflated, for gzip).
    public var bytes: Int { counted.load(ordering: .relaxed) }

    func add(_ bytes: Int) { counted.add(bytes, ordering: .relaxed) }
}

/// An input whose windows are counted on a `ReadMeter` as its reader is done with them.
struct MeteredWindows: ByteWindows {
    let base: any ByteWindows
    let meter: ReadMeter

    var name: String { base.name }
    var modified: Date? { base.modified }

    func forEachWindow(_ body: (UnsafeRawBufferPointer, Bool) -> Int) {
        base.forEachWindow { window, isLast in
            let consumed = body(window, isLast)
            meter.add(isLast ? window.count : min(max(consumed, 0), window.count))
            return consumed
        }
    }
}
