#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A small set of byte strings (member names, event names, service names) laid out flat in one
/// array, with a mask of their lengths: asking whether some bytes are in the set costs a bit test
/// for most lengths and a `memcmp` per same-length entry, touching no reference-counted storage
/// per entry. Built once, looked up per record on hot paths.
public struct ByteStringSet: Sendable {
    private let bytes: [UInt8]
    private let offsets: [Int]
    private let lengthMask: UInt64

    public init(_ strings: [String]) {
        var bytes: [UInt8] = [], offsets = [0], mask: UInt64 = 0
        for string in strings {
            bytes += string.utf8
            offsets.append(bytes.count)
            let length = string.utf8.count
            mask |= length < 64 ? 1 << UInt64(length) : 1 << 63
        }
        self.bytes = bytes
        self.offsets = offsets
        self.lengthMask = mask
    }

    /// Number of strings.
    public var count: Int { offsets.count - 1 }

    /// The position (in the order given) of the string spelled by the `length` bytes at `start`, or nil.
    @inline(__always)
    public func index(of start: UnsafeRawPointer, length: Int) -> Int? {
        guard lengthMask & (1 << UInt64(min(length, 63))) != 0 else { return nil }
        return bytes.withUnsafeBufferPointer { flat in
            offsets.withUnsafeBufferPointer { offsets in
                for k in 0..<(offsets.count - 1) where offsets[k + 1] - offsets[k] == length {
                    if memcmp(start, flat.baseAddress! + offsets[k], length) == 0 { return k }
                }
                return nil
            }
        }
    }

    /// The position of the string in `buffer[range]`, or nil.
    @inline(__always)
    public func index(of range: Range<Int>, in buffer: UnsafeRawBufferPointer) -> Int? {
        guard let base = buffer.baseAddress else { return nil }
        return index(of: base + range.lowerBound, length: range.count)
    }

    /// Whether `buffer[range]` is one of the strings.
    @inline(__always)
    public func contains(_ range: Range<Int>, in buffer: UnsafeRawBufferPointer) -> Bool {
        index(of: range, in: buffer) != nil
    }
}
