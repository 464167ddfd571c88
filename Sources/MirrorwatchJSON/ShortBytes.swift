#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Equality and order of short byte strings (ids, regions, timestamps) compared in place, eight
/// bytes at a time: for the handful of bytes compared per record, a `memcmp` call costs more than
/// the comparison.
public enum ShortBytes {
    /// Whether the `count` bytes at `a` and at `b` are equal.
    @inlinable @inline(__always)
    public static func equal(_ a: UnsafeRawPointer, _ b: UnsafeRawPointer, count: Int) -> Bool {
        var i = 0
        while i + 8 <= count {
            if a.loadUnaligned(fromByteOffset: i, as: UInt64.self) != b.loadUnaligned(fromByteOffset: i, as: UInt64.self) { return false }
            i += 8
        }
        // The last few bytes of a string of eight or more: one word ending at its end (overlapping).
        if i < count, count >= 8 {
            return a.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self) == b.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self)
        }
        while i < count {
            if a.load(fromByteOffset: i, as: UInt8.self) != b.load(fromByteOffset: i, as: UInt8.self) { return false }
            i += 1
        }
        return true
    }

    /// Negative, zero or positive as the `count` bytes at `a` sort before, with or after those at `b`
    /// (unsigned bytes, as `memcmp`).
    @inlinable @inline(__always)
    public static func compare(_ a: UnsafeRawPointer, _ b: UnsafeRawPointer, count: Int) -> Int {
        var i = 0
        while i + 8 <= count {
            let x = UInt64(bigEndian: a.loadUnaligned(fromByteOffset: i, as: UInt64.self))
            let y = UInt64(bigEndian: b.loadUnaligned(fromByteOffset: i, as: UInt64.self))
            if x != y { return x < y ? -1 : 1 }
            i += 8
        }
        // As in `equal`: the bytes before the last word are equal, so it decides (a 20-byte time
        // takes three word comparisons, no byte loop).
        if i < count, count >= 8 {
            let x = UInt64(bigEndian: a.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self))
            let y = UInt64(bigEndian: b.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self))
            return x == y ? 0 : x < y ? -1 : 1
        }
        while i < count {
            let x = a.load(fromByteOffset: i, as: UInt8.self), y = b.load(fromByteOffset: i, as: UInt8.self)
            if x != y { return x < y ? -1 : 1 }
            i += 1
        }
        return 0
    }
}
