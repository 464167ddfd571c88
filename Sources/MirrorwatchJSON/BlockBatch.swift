import CStructural

/// A few 64-byte blocks classified at once by `mw_classify_blocks` (C: AVX-512BW or AVX2 when the
/// CPU has them, else SSE2 or a byte loop): per block, where the unescaped quotes, the string
/// interiors, the newlines and the brackets are (bit `i` stands for byte `i`).
enum BlockBatch {
    /// Blocks classified per call: enough to amortize the call, few enough that a record ending
    /// early wastes little.
    static let size = 4
    /// Room for one batch, on the caller's stack.
    typealias Storage = (mw_block, mw_block, mw_block, mw_block)
    static var emptyStorage: Storage { (mw_block(), mw_block(), mw_block(), mw_block()) }

    /// Classifies the blocks starting at `p`, of which `bytes` are readable, into `out` (room for
    /// `size`): up to `size` whole blocks, or, when less than one remains, the rest padded with
    /// spaces (which mark nothing). Returns how many blocks are ready.
    @inline(__always)
    static func classify(_ p: UnsafeRawPointer, bytes: Int, into out: UnsafeMutablePointer<mw_block>,
                         escapeCarry: inout UInt64, stringCarry: inout UInt64) -> Int {
        let whole = min(bytes / 64, size)
        if whole > 0 {
            mw_classify_blocks(p.assumingMemoryBound(to: UInt8.self), whole, &escapeCarry, &stringCarry, out)
            return whole
        }
        withUnsafeTemporaryAllocation(byteCount: 64, alignment: 64) { tail in
            tail.initializeMemory(as: UInt8.self, repeating: 0x20)
            tail.copyMemory(from: UnsafeRawBufferPointer(start: p, count: bytes))
            mw_classify_blocks(tail.baseAddress!.assumingMemoryBound(to: UInt8.self), 1, &escapeCarry, &stringCarry, out)
        }
        return 1
    }
}
