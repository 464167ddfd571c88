#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A small set of byte strings (member names, event names, service names) laid out flat in one
/// array, with a mask of their lengths and an open-addressing table keyed by each string's length
/// and first and last 8 bytes: asking whether some bytes are in the set costs a bit test for most
/// lengths, else a hash and usually one probe, touching no reference-counted storage. Built once,
/// looked up per member name and per record on hot paths.
public struct ByteStringSet: Sendable {
    /// The flat layout, in memory of its own that lookups read through plain pointers (no array
    /// bounds checks, no closures), freed with the set.
    private final class Storage: @unchecked Sendable {
        /// Entries in the order given: `offsets[k]..<offsets[k]+lengths[k]` in `bytes`.
        let bytes: UnsafeMutablePointer<UInt8>
        let offsets: UnsafeMutablePointer<Int>
        let lengths: UnsafeMutablePointer<Int>
        /// Per entry, its first and last bytes as words (see `words`): most comparisons end there.
        let heads: UnsafeMutablePointer<UInt64>
        let tails: UnsafeMutablePointer<UInt64>
        /// Open addressing, at most a quarter full: entry + 1 per slot, 0 for an empty slot.
        let slots: UnsafeMutablePointer<Int32>
        let slotMask: Int
        let count: Int

        init(_ strings: [String]) {
            count = strings.count
            let flat = strings.flatMap { Array($0.utf8) }
            bytes = .allocate(capacity: max(flat.count, 1))
            bytes.initialize(from: flat, count: flat.count)
            offsets = .allocate(capacity: max(count, 1))
            lengths = .allocate(capacity: max(count, 1))
            heads = .allocate(capacity: max(count, 1))
            tails = .allocate(capacity: max(count, 1))
            var offset = 0
            for (k, string) in strings.enumerated() {
                let length = string.utf8.count
                (offsets + k).initialize(to: offset)
                (lengths + k).initialize(to: length)
                let (head, tail) = ByteStringSet.words(UnsafeRawPointer(bytes + offset), length)
                (heads + k).initialize(to: head)
                (tails + k).initialize(to: tail)
                offset += length
            }
            var size = 16
            while size < count * 4 { size <<= 1 }
            slotMask = size - 1
            slots = .allocate(capacity: size)
            slots.initialize(repeating: 0, count: size)
            // Entries go in as given, so a string given twice is found at its first position.
            for k in 0..<count {
                var slot = ByteStringSet.hash(heads[k], tails[k], lengths[k]) & slotMask
                while slots[slot] != 0 { slot = (slot + 1) & slotMask }
                slots[slot] = Int32(k + 1)
            }
        }

        deinit {
            for pointer in [UnsafeMutableRawPointer(bytes), UnsafeMutableRawPointer(offsets), UnsafeMutableRawPointer(lengths),
                            UnsafeMutableRawPointer(heads), UnsafeMutableRawPointer(tails),
                            UnsafeMutableRawPointer(slots)] {
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

    /// A slot for a string from its length and its words (see `words`).
    @inline(__always)
    static func hash(_ head: UInt64, _ tail: UInt64, _ length: Int) -> Int {
        let mixed = (head ^ (tail &* 0x9E37_79B9_7F4A_7C15) ^ UInt64(truncatingIfNeeded: length)) &* 0xBF58_476D_1CE4_E5B9
        return Int(truncatingIfNeeded: mixed >> 32)
    }

    /// Number of strings.
    public var count: Int { storage.count }

    /// The position (in the order given) of the string spelled by the `length` bytes at `start`, or nil.
    @inline(__always)
    public func index(of start: UnsafeRawPointer, length: Int) -> Int? {
        guard lengthMask & (1 << UInt64(min(length, 63))) != 0 else { return nil }
        let (head, tail) = Self.words(start, length)
        let s = storage
        var slot = Self.hash(head, tail, length) & s.slotMask
        while true {
            let entry = Int(s.slots[slot])
            if entry == 0 { return nil }
            let k = entry &- 1
            if s.lengths[k] == length && s.heads[k] == head && s.tails[k] == tail
                && (length <= 16 || ShortBytes.equal(start, s.bytes + s.offsets[k], count: length)) {
                return k
            }
            slot = (slot &+ 1) & s.slotMask
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
