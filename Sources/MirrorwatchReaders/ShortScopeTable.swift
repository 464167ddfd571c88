/// Up to 24 bytes of a field held inline (three words and a length), compared in a few word
/// comparisons; longer fields are marked long and never equal (the caller compares them another way).
struct InlineBytes: Equatable {
    private var words: (UInt64, UInt64, UInt64)
    /// The length, -1 for an absent field, -2 for one longer than 24 bytes.
    private var length: Int

    static let absent = InlineBytes(words: (0, 0, 0), length: -1)

    private init(words: (UInt64, UInt64, UInt64), length: Int) {
        self.words = words
        self.length = length
    }

    @inline(__always)
    init(_ range: Range<Int>?, in buffer: UnsafeRawBufferPointer) {
        guard let range else { self = .absent; return }
        guard range.count <= 24, let base = buffer.baseAddress else { self.init(words: (0, 0, 0), length: -2); return }
        var w: (UInt64, UInt64, UInt64) = (0, 0, 0)
        let count = range.count
        if range.lowerBound + 24 <= buffer.count {
            // Three word loads inside the buffer, the bytes past the field masked off.
            @inline(__always) func word(_ i: Int) -> UInt64 {
                let kept = min(max(count - 8 * i, 0), 8)
                let mask: UInt64 = kept == 8 ? ~0 : (1 << UInt64(8 * kept)) &- 1
                return UInt64(littleEndian: base.loadUnaligned(fromByteOffset: range.lowerBound + 8 * i, as: UInt64.self)) & mask
            }
            w = (word(0), word(1), word(2))
        } else {
            withUnsafeMutableBytes(of: &w) { $0.copyMemory(from: UnsafeRawBufferPointer(start: base + range.lowerBound, count: count)) }
            w = (UInt64(littleEndian: w.0), UInt64(littleEndian: w.1), UInt64(littleEndian: w.2))
        }
        self.init(words: w, length: count)
    }

    /// Absent or at most 24 bytes: equality of two such values is equality of the fields.
    var isShort: Bool { length >= -1 }

    @inline(__always)
    static func == (a: InlineBytes, b: InlineBytes) -> Bool {
        a.length == b.length && a.length >= -1 && a.words.0 == b.words.0 && a.words.1 == b.words.1 && a.words.2 == b.words.2
    }

    /// A cheap mix of the words and length, for `ShortScopeTable`.
    @inline(__always)
    var mixed: UInt64 {
        (words.0 &* 0x9E37_79B9_7F4A_7C15) ^ (words.1 &* 0xC2B2_AE3D_27D4_EB4F) ^ (words.2 &* 0x1656_67B1_9E37_79F9) ^ UInt64(bitPattern: Int64(length))
    }
}

/// An account and region both held inline, and how the account was read (`ScopeTallier.note`).
struct ShortScope: Equatable {
    var account: InlineBytes
    var region: InlineBytes
    var reading: Int
}

/// Entries by `ShortScope`, in an open-addressing table with a multiply-xor hash: a lookup costs a
/// few word operations (a `Dictionary` would run SipHash over eight words for every record whose
/// scope differs from the previous one's, which in mixed exports is one in five).
struct ShortScopeTable {
    private var keys: [ShortScope?] = Array(repeating: nil, count: 64)
    private var values: [Int] = Array(repeating: 0, count: 64)
    private var count = 0
    /// 64 minus the table's size in bits: slots are the top bits of a multiplied hash, which every
    /// byte of the key reaches (the low bits of a product see only the low bytes).
    private var shift: UInt64 = 58

    @inline(__always)
    private func slot(_ key: ShortScope) -> Int {
        let h = key.account.mixed ^ (key.region.mixed &* 0xFF51_AFD7_ED55_8CCD) ^ UInt64(truncatingIfNeeded: key.reading)
        return Int(truncatingIfNeeded: (h &* 0x9E37_79B9_7F4A_7C15) >> shift)
    }

    func value(for key: ShortScope) -> Int? {
        var i = slot(key)
        while let present = keys[i] {
            if present == key { return values[i] }
            i = (i + 1) & (keys.count - 1)
        }
        return nil
    }

    mutating func insert(_ key: ShortScope, _ value: Int) {
        if 2 * (count + 1) > keys.count {
            let old = zip(keys, values).compactMap { k, v in k.map { ($0, v) } }
            keys = Array(repeating: nil, count: keys.count * 2)
            values = Array(repeating: 0, count: keys.count)
            shift -= 1
            count = 0
            for (k, v) in old { insert(k, v) }
        }
        var i = slot(key)
        while let present = keys[i] {
            if present == key { values[i] = value; return }
            i = (i + 1) & (keys.count - 1)
        }
        keys[i] = key
        values[i] = value
        count += 1
    }
}
