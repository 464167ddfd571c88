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
    /// Per string, its first and last bytes as words (see `words`): most comparisons end there.
    private let heads: [UInt64]
    private let tails: [UInt64]
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
        var heads: [UInt64] = [], tails: [UInt64] = []
        bytes.withUnsafeBytes { flat in
            for k in 0..<(offsets.count - 1) {
                let (head, tail) = Self.words(flat.baseAddress! + offsets[k], offsets[k + 1] - offsets[k])
                heads.append(head)
                tails.append(tail)
            }
        }
        self.heads = heads
        self.tails = tails
    }

    /// The first and last (up to) 8 bytes of `length` bytes at `p`, overlapping for short strings;
    /// equal strings of equal length have equal words, and for 16 bytes or fewer the converse holds.
    @inline(__always)
    static func words(_ p: UnsafeRawPointer, _ length: Int) -> (UInt64, UInt64) {
        if length >= 8 { return (p.loadUnaligned(as: UInt64.self), (p + length - 8).loadUnaligned(as: UInt64.self)) }
        if length >= 4 { return (UInt64(p.loadUnaligned(as: UInt32.self)), UInt64((p + length - 4).loadUnaligned(as: UInt32.self))) }
        var word: UInt64 = 0
        for i in 0..<length { word |= UInt64(p.load(fromByteOffset: i, as: UInt8.self)) << UInt64(8 * i) }
        return (word, 0)
    }

    /// Number of strings.
    public var count: Int { offsets.count - 1 }

    /// The position (in the order given) of the string spelled by the `length` bytes at `start`, or nil.
    @inline(__always)
    public func index(of start: UnsafeRawPointer, length: Int) -> Int? {
        guard lengthMask & (1 << UInt64(min(length, 63))) != 0 else { return nil }
        let (head, tail) = Self.words(start, length)
        return bytes.withUnsafeBufferPointer { flat in
            offsets.withUnsafeBufferPointer { offsets in
                heads.withUnsafeBufferPointer { heads in
                    tails.withUnsafeBufferPointer { tails in
                        for k in 0..<(offsets.count - 1) where offsets[k + 1] - offsets[k] == length && heads[k] == head && tails[k] == tail {
                            if length <= 16 || memcmp(start, flat.baseAddress! + offsets[k], length) == 0 { return k }
                        }
                        return nil
                    }
                }
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
