#ifndef MW_STRUCTURAL_H
#define MW_STRUCTURAL_H

#include <stddef.h>
#include <stdint.h>

/// Where the bytes that matter to JSON structure are in one 64-byte block (bit i stands for byte i).
typedef struct {
    /// Quotes that are not escaped.
    uint64_t quotes;
    /// Bytes inside a string, and the quote opening it.
    uint64_t inside;
    uint64_t newlines;
    /// `{` and `[`.
    uint64_t opens;
    /// `}` and `]`.
    uint64_t closes;
    /// `:` (member names end just before the ones outside strings).
    uint64_t colons;
} mw_block;

/// Classifies `count` consecutive 64-byte blocks at `p` (all readable) into `out`, carrying escape
/// and string state from block to block: `*escape_carry` is 1 when the byte before `p` is an
/// unescaped backslash, `*string_carry` 1 when `p` starts inside a string; both are updated for the
/// byte after the last block. Uses AVX-512BW or AVX2 (with carry-less multiplication) when the CPU
/// has them, checked once at run time, SSE2 otherwise on x86-64, and a byte loop elsewhere.
void mw_classify_blocks(const uint8_t *p, size_t count, uint64_t *escape_carry, uint64_t *string_carry, mw_block *out);

/// Which implementation `mw_classify_blocks` uses here: "avx512", "avx2", "sse2" or "scalar".
const char *mw_classify_implementation(void);

/// Classifies as `mw_classify_blocks` does with the implementation named ("avx512", "avx2", "sse2",
/// "scalar"), for tests that compare them; returns 0, doing nothing, when this CPU or build does not
/// have it. The implementation `mw_classify_blocks` uses is not changed.
int mw_classify_blocks_using(const char *name, const uint8_t *p, size_t count, uint64_t *escape_carry, uint64_t *string_carry, mw_block *out);

#endif
