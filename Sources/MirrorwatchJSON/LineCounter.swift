#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Turns byte offsets into 1-based line numbers, counting newlines incrementally so that
/// asking for increasing offsets costs one pass over the buffer in total.
public struct LineCounter {
    private var offset = 0
    private var line = 1

    public init() {}

    /// Line number of the byte at `target` in `buffer`.
    public mutating func line(at target: Int, in buffer: UnsafeRawBufferPointer) -> Int {
        guard let base = buffer.baseAddress else { return 1 }
        let target = min(target, buffer.count)
        if target < offset { offset = 0; line = 1 }
        while offset < target {
            guard let hit = memchr(base + offset, 0x0A, target - offset) else { break }
            line += 1
            offset = UnsafeRawPointer(hit) - base + 1
        }
        offset = max(offset, 0)
        if offset < target { offset = target }
        return line
    }
}
