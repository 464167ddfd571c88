import CStructural

/// A small set of byte strings (member names, event names, service names) laid out flat in one
/// array, with a mask of their lengths and a table of slots keyed by each string's length and
/// first and last 8 bytes: asking whether some bytes are in the set costs a bit test for most
/// lengths, else a hash and one slot read (the hash is chosen, when the set is built, so that no
/// two strings share a slot), touching no reference-counted storage. Built once, looked up per
/// member name and per record on hot paths. The same table, as an `mw_name_table`, is what the
/// record walk in C looks member names up in.
public struct ByteStringSet: @unchecked Sendable {  // immutable after init; `table` lives as long as `storage`
    /// One slot of the table (`mw_name_slot`): a string's words, its length (-1 for an empty slot)
    /// and its position.
    private typealias Slot = mw_name_slot

    /// The flat layout, in memory of its own that lookups read through plain pointers (no array
    /// bounds checks, no closures), freed with the set.
    private final class Storage: @unchecked Sendable {
        /// Entries in the order given, one after the other: entry `k` starts at `offsets[k]` in `bytes`.
        let bytes: UnsafeMutablePointer<UInt8>
        let offsets: UnsafeMutablePointer<Int64>
        let slots: UnsafeMutablePointer<Slot>
        /// The table as C reads it (`mw_walk_record`).
        let table: UnsafeMutablePointer<mw_name_table>
        let count: Int

        init(_ strings: [String]) {
            count = strings.count
            let flat = strings.flatMap { Array($0.utf8) }
            bytes = .allocate(capacity: max(flat.count, 1))
            bytes.initialize(from: flat, count: flat.count)
            offsets = .allocate(capacity: max(count, 1))
            var keys: [(head: UInt64, tail: UInt64, length: Int)] = []
            var offset = 0
            for (k, string) in strings.enumerated() {
                let length = string.utf8.count
                (offsets + k).initialize(to: Int64(offset))
                var head: UInt64 = 0, tail: UInt64 = 0
                mw_name_words(bytes + offset, Int64(length), &head, &tail)
                keys.append((head, tail, length))
                offset += length
            }
            func slot(_ k: Int, _ seed: UInt64) -> Int { Int(mw_name_hash(keys[k].head, keys[k].tail, Int64(keys[k].length), seed)) }
            // A string given twice is found at its first position: later copies take no slot.
            var firsts: [Int] = []
            var seen = Set<[UInt8]>()
            for (k, string) in strings.enumerated() where seen.insert(Array(string.utf8)).inserted { firsts.append(k) }
            // Look for a multiplier that gives every string a slot of its own, in a table at most a
            // quarter full, growing it twice; failing that (or for a large set, whose table would
            // grow past what stays in cache), share slots and probe.
            var quarterFull = 16
            while quarterFull < firsts.count * 4 { quarterFull <<= 1 }
            var chosen: (size: Int, seed: UInt64)? = nil
            var candidate: UInt64 = 0x9E37_79B9_7F4A_7C15
            search: for growth in 0..<(firsts.count <= 64 ? 3 : 0) {
                let size = quarterFull << growth
                for _ in 0..<64 {
                    candidate = candidate &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                    let seed = candidate | 1
                    var taken = Set<Int>()
                    if firsts.allSatisfy({ taken.insert(slot($0, seed) & (size - 1)).inserted }) {
                        chosen = (size, seed)
                        break search
                    }
                }
            }
            let size = chosen?.size ?? quarterFull, seed = chosen?.seed ?? 0xBF58_476D_1CE4_E5B9
            slots = .allocate(capacity: size)
            slots.initialize(repeating: Slot(head: 0, tail: 0, length: -1, entry: 0), count: size)
            for k in firsts {
                var at = slot(k, seed) & (size - 1)
                while slots[at].length >= 0 { at = (at + 1) & (size - 1) }
                slots[at] = Slot(head: keys[k].head, tail: keys[k].tail, length: Int32(keys[k].length), entry: Int32(k))
            }
            var lengths: UInt64 = 0
            for key in keys { lengths |= 1 << UInt64(min(key.length, 63)) }
            table = .allocate(capacity: 1)
            table.initialize(to: mw_name_table(slots: slots, bytes: bytes, offsets: offsets, length_mask: lengths, seed: seed,
                                               slot_mask: Int64(size - 1), perfect: chosen != nil ? 1 : 0))
        }

        deinit {
            bytes.deallocate()
            offsets.deallocate()
            slots.deallocate()
            table.deallocate()
        }
    }

    private let storage: Storage
    /// `storage.table`, kept beside it for lookups inlined into other modules (valid while `storage` lives).
    @usableFromInline let table: UnsafePointer<mw_name_table>

    public init(_ strings: [String]) {
        storage = Storage(strings)
        table = UnsafePointer(storage.table)
    }

    /// Number of strings.
    public var count: Int { storage.count }

    /// Whether every string has a slot of its own, so that a lookup reads one slot and never probes
    /// (true for the small sets on the hot paths; a large set may share slots).
    public var isCollisionFree: Bool { table.pointee.perfect != 0 }

    /// The table as `mw_walk_record` reads it; valid while this set (or a copy) lives.
    var nameTable: UnsafePointer<mw_name_table> { table }

    /// The position (in the order given) of the string spelled by the `length` bytes at `start`, or nil.
    @inlinable @inline(__always)
    public func index(of start: UnsafeRawPointer, length: Int) -> Int? {
        // The table lives as long as this set does: kept alive across the call.
        let k = withExtendedLifetime(self) { mw_name_lookup(table, start.assumingMemoryBound(to: UInt8.self), Int64(length)) }
        return k < 0 ? nil : Int(k)
    }

    /// The position of the string in `buffer[range]`, or nil.
    @inlinable @inline(__always)
    public func index(of range: Range<Int>, in buffer: UnsafeRawBufferPointer) -> Int? {
        guard let base = buffer.baseAddress else { return nil }
        return index(of: base + range.lowerBound, length: range.count)
    }

    /// Whether `buffer[range]` is one of the strings.
    @inlinable @inline(__always)
    public func contains(_ range: Range<Int>, in buffer: UnsafeRawBufferPointer) -> Bool {
        index(of: range, in: buffer) != nil
    }
}
