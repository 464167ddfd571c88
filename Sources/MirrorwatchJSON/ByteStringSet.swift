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
    /// The flat layout, in memory of its own that lookups read through plain pointers (no array
    /// bounds checks, no closures), freed with the set.
    private final class Storage: @unchecked Sendable {
        /// Entries ordered by length: `offsets[k]..<offsets[k]+lengths[k]` in `bytes`, `original[k]` their position as given.
        let bytes: UnsafeMutablePointer<UInt8>
        let offsets: UnsafeMutablePointer<Int>
        let lengths: UnsafeMutablePointer<Int>
        let original: UnsafeMutablePointer<Int>
        /// Per entry, its first and last bytes as words (see `words`): most comparisons end there.
        let heads: UnsafeMutablePointer<UInt64>
        let tails: UnsafeMutablePointer<UInt64>
        /// For each length below 64, where its entries start in that order and how many there are
        /// (entries of 64 bytes or more share the last bucket).
        let firstOfLength: UnsafeMutablePointer<Int>
        let countOfLength: UnsafeMutablePointer<Int>
        let count: Int

        init(_ strings: [String]) {
            let order = strings.indices.sorted { (min(strings[$0].utf8.count, 63), $0) < (min(strings[$1].utf8.count, 63), $1) }
            count = strings.count
            let flat = order.flatMap { Array(strings[$0].utf8) }
            bytes = .allocate(capacity: max(flat.count, 1))
            bytes.initialize(from: flat, count: flat.count)
            offsets = .allocate(capacity: max(count, 1))
            lengths = .allocate(capacity: max(count, 1))
            original = .allocate(capacity: max(count, 1))
            heads = .allocate(capacity: max(count, 1))
            tails = .allocate(capacity: max(count, 1))
            firstOfLength = .allocate(capacity: 64)
            firstOfLength.initialize(repeating: 0, count: 64)
            countOfLength = .allocate(capacity: 64)
            countOfLength.initialize(repeating: 0, count: 64)
            var offset = 0
            for (k, index) in order.enumerated() {
                let length = strings[index].utf8.count
                let bucket = min(length, 63)
                if countOfLength[bucket] == 0 { firstOfLength[bucket] = k }
                countOfLength[bucket] += 1
                (offsets + k).initialize(to: offset)
                (lengths + k).initialize(to: length)
                (original + k).initialize(to: index)
                let (head, tail) = ByteStringSet.words(UnsafeRawPointer(bytes + offset), length)
                (heads + k).initialize(to: head)
                (tails + k).initialize(to: tail)
                offset += length
            }
        }

        deinit {
            for pointer in [UnsafeMutableRawPointer(bytes), UnsafeMutableRawPointer(offsets), UnsafeMutableRawPointer(lengths),
                            UnsafeMutableRawPointer(original), UnsafeMutableRawPointer(heads), UnsafeMutableRawPointer(tails),
                            UnsafeMutableRawPointer(firstOfLength), UnsafeMutableRawPointer(countOfLength)] {
                pointer.deallocate()
            }
        }
    }

    private let storage: Storage
    private let lengthMask: UInt64

    public init(_ strings: [String]) {
        storage = Storage(strings)
        var mask: UInt64 = 0
        for string in strings { mask |= 1 << UInt64(min(string.utf8.count, 63)) }
        lengthMask = mask
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
    public var count: Int { storage.count }

    /// The position (in the order given) of the string spelled by the `length` bytes at `start`, or nil.
    /// Only the entries of that length are compared.
    @inline(__always)
    public func index(of start: UnsafeRawPointer, length: Int) -> Int? {
        let bucket = min(length, 63)
        guard lengthMask & (1 << UInt64(bucket)) != 0 else { return nil }
        let (head, tail) = Self.words(start, length)
        let s = storage
        let first = s.firstOfLength[bucket]
        for k in first..<(first + s.countOfLength[bucket]) where s.lengths[k] == length && s.heads[k] == head && s.tails[k] == tail {
            if length <= 16 || ShortBytes.equal(start, s.bytes + s.offsets[k], count: length) { return s.original[k] }
        }
        return nil
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
