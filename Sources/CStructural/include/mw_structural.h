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

/// A member at the top level of a record walked by `mw_walk_record`: the offset of its colon and the
/// unescaped quotes of the colon's 64-byte block (blocks start at the record's start, every 64 bytes).
/// For a compact member whose value is a string (`"name":"value"`, the name within the colon's block)
/// `name`/`name_length` give the name without quotes and `value_end` the value's closing quote (-1
/// when it is not in the colon's block); for any other member whose value may be a string (blanks
/// around the colon, a long name) `name_length` is -1 and the caller reads it from the bytes.
/// Members whose value is plainly not a string are not listed.
typedef struct {
    int64_t colon;
    uint64_t quotes;
    int64_t name;
    int64_t name_length;
    int64_t value_end;
} mw_top_colon;

/// What `mw_walk_record` found: where the record ends (just past its closing brace), the newlines in
/// it, and how many top-level colons it listed.
typedef struct {
    int64_t end;
    int64_t newlines;
    int32_t colons;
} mw_walk;

/// Walks the record whose `{` is at `base[start]` (of `count` readable bytes) in one pass, classifying
/// and following brackets block by block, and lists the colons at its top level into `colons` (room
/// for `capacity`). Returns 1 with `out` filled when the record is well formed and ends in a whole
/// block before `count`. Returns 0 for anything else (a broken record, more top-level colons than
/// room, the input's last partial block, or a CPU without AVX2): the caller then walks the record
/// itself, which also reports what is wrong with it.
int mw_walk_record(const uint8_t *base, int64_t count, int64_t start, mw_top_colon *colons, int32_t capacity, mw_walk *out);

#endif
