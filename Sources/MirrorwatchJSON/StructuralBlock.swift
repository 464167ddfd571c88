#if arch(x86_64)
import _Builtin_intrinsics.intel
#endif

/// Where the bytes that matter to JSON structure are in one 64-byte block: bit `i` of each mask
/// stands for byte `i`. Computed 16 bytes at a time with SSE2 on x86-64 (every x86-64 CPU has
/// it), byte by byte elsewhere; the record splitter then visits only those bytes.
struct StructuralBlock {
    var quotes: UInt64 = 0
    var backslashes: UInt64 = 0
    var newlines: UInt64 = 0
    /// `{` and `[`.
    var opens: UInt64 = 0
    /// `}` and `]`.
    var closes: UInt64 = 0

    /// Classifies the 64 bytes at `p` (all must be readable).
    @inline(__always)
    init(_ p: UnsafeRawPointer) {
        #if arch(x86_64)
        let quote = _mm_set1_epi8(0x22), backslash = _mm_set1_epi8(0x5C), newline = _mm_set1_epi8(0x0A)
        let open = _mm_set1_epi8(0x7B), close = _mm_set1_epi8(0x7D), caseBit = _mm_set1_epi8(0x20)
        for k in 0..<4 {
            let v = _mm_loadu_si128((p + 16 * k).assumingMemoryBound(to: __m128i.self))
            // `[` | 0x20 is `{` and `]` | 0x20 is `}`; no other byte maps to them.
            let folded = _mm_or_si128(v, caseBit)
            let shift = UInt64(16 * k)
            quotes |= Self.bits(_mm_cmpeq_epi8(v, quote)) << shift
            backslashes |= Self.bits(_mm_cmpeq_epi8(v, backslash)) << shift
            newlines |= Self.bits(_mm_cmpeq_epi8(v, newline)) << shift
            opens |= Self.bits(_mm_cmpeq_epi8(folded, open)) << shift
            closes |= Self.bits(_mm_cmpeq_epi8(folded, close)) << shift
        }
        #else
        for i in 0..<64 {
            let bit: UInt64 = 1 << UInt64(i)
            switch p.load(fromByteOffset: i, as: UInt8.self) {
            case 0x22: quotes |= bit
            case 0x5C: backslashes |= bit
            case 0x0A: newlines |= bit
            case 0x7B, 0x5B: opens |= bit
            case 0x7D, 0x5D: closes |= bit
            default: break
            }
        }
        #endif
    }

    #if arch(x86_64)
    @inline(__always)
    private static func bits(_ comparison: __m128i) -> UInt64 {
        UInt64(UInt16(truncatingIfNeeded: _mm_movemask_epi8(comparison)))
    }
    #endif

    /// The bytes escaped by a backslash, given whether the byte before the block was an
    /// unescaped backslash; updates that for the next block.
    @inline(__always)
    func escaped(carry: inout Bool) -> UInt64 {
        var escaped: UInt64 = carry ? 1 : 0
        carry = false
        var pending = backslashes & ~escaped  // an escaped backslash escapes nothing
        while pending != 0 {
            let i = UInt64(pending.trailingZeroBitCount)
            if i == 63 { carry = true; break }
            escaped |= 1 << (i + 1)
            pending &= ~(3 << i)
        }
        return escaped
    }

    /// Bit `i` set when byte `i` is inside a string or is its opening quote, from the unescaped
    /// quotes and whether the block starts inside a string; updates that for the next block.
    @inline(__always)
    static func insideStrings(_ quotes: UInt64, carry: inout Bool) -> UInt64 {
        var x = quotes
        x ^= x << 1
        x ^= x << 2
        x ^= x << 4
        x ^= x << 8
        x ^= x << 16
        x ^= x << 32
        if carry { x = ~x }
        carry = x >> 63 != 0
        return x
    }
}
