#ifndef MW_STRUCTURAL_H
#define MW_STRUCTURAL_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

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

/// One slot of a name table: a name's first and last (up to) 8 bytes as little-endian words,
/// overlapping for short names (`ByteStringSet.words` in Swift), its length (-1 for an empty slot)
/// and its position in the set.
typedef struct {
    uint64_t head;
    uint64_t tail;
    int32_t length;
    int32_t entry;
} mw_name_slot;

/// A set of names as `ByteStringSet` (Swift) lays it out, for `mw_walk_record` to look member names
/// up in: slot `hash & slot_mask`, probing on when the table is not `perfect` (collision-free).
typedef struct {
    const mw_name_slot *slots;
    /// The names, one after the other; name `k` starts at `offsets[k]`.
    const uint8_t *bytes;
    const int64_t *offsets;
    /// Bit `min(length, 63)` is set for the length of every name.
    uint64_t length_mask;
    uint64_t seed;
    int64_t slot_mask;
    int32_t perfect;
} mw_name_table;

/// The first and last (up to) 8 bytes of the `length` bytes at `p` as little-endian words,
/// overlapping for short names (the tail is 0 below 4 bytes): equal names of equal length have equal
/// words, and for 16 bytes or fewer the converse holds.
static inline void mw_name_words(const uint8_t *p, int64_t length, uint64_t *head, uint64_t *tail) {
    *head = 0;
    *tail = 0;
    if (length >= 8) {
        memcpy(head, p, 8);
        memcpy(tail, p + length - 8, 8);
    } else if (length >= 4) {
        uint32_t h, t;
        memcpy(&h, p, 4);
        memcpy(&t, p + length - 4, 4);
        *head = h;
        *tail = t;
    } else {
        for (int64_t i = 0; i < length; i++) *head |= (uint64_t)p[i] << (8 * i);
    }
}

/// The home slot (before `& slot_mask`) of a name with these words and length, for hash multiplier `seed`.
/// The high half is folded into the low one before the multiplication: a product's high bits (the
/// slot) depend only on its factors' lower bits, so names differing only in their last bytes
/// (`recipientAccountId` and `recipientaccountid`) otherwise shared a slot whatever the seed, and the
/// table they were in could never be collision-free.
static inline int64_t mw_name_hash(uint64_t head, uint64_t tail, int64_t length, uint64_t seed) {
    uint64_t mixed = head ^ (tail * 0x9E3779B97F4A7C15ULL) ^ (uint64_t)length;
    return (int64_t)(((mixed ^ (mixed >> 32)) * seed) >> 40);
}

/// Whether names of `length` bytes (more than 16) at `a` and `b` whose first and last 8 bytes are
/// equal are equal: the words between compared in place up to 32 bytes (a `memcmp` call costs more
/// than the comparison for the event sources and member names looked up per record), `memcmp` beyond.
static inline __attribute__((always_inline)) int mw_name_middle_equal(const uint8_t *a, const uint8_t *b, int64_t length) {
    if (length > 32) return memcmp(a, b, (size_t)length) == 0;
    uint64_t x, y;
    memcpy(&x, a + 8, 8);
    memcpy(&y, b + 8, 8);
    if (x != y) return 0;
    if (length <= 24) return 1;
    memcpy(&x, a + 16, 8);
    memcpy(&y, b + 16, 8);
    return x == y;
}

/// The position in `names` of the `length` bytes at `p`, or -1: a bit test on the length, then one
/// slot read in a collision-free table (probing on otherwise). The one lookup `ByteStringSet` (Swift)
/// and `mw_walk_record` both use.
static inline __attribute__((always_inline)) int32_t mw_name_lookup(const mw_name_table *names, const uint8_t *p, int64_t length) {
    if (!((names->length_mask >> (length < 63 ? length : 63)) & 1)) return -1;
    uint64_t head, tail;
    mw_name_words(p, length, &head, &tail);
    int64_t slot = mw_name_hash(head, tail, length, names->seed) & names->slot_mask;
    for (;;) {
        const mw_name_slot *candidate = &names->slots[slot];
        if ((int64_t)candidate->length == length && candidate->head == head && candidate->tail == tail
            && (length <= 16 || mw_name_middle_equal(p, names->bytes + names->offsets[candidate->entry], length))) {
            return candidate->entry;
        }
        if (names->perfect || candidate->length < 0) return -1;
        slot = (slot + 1) & names->slot_mask;
    }
}

/// A member at the top level of a record walked by `mw_walk_record` whose value is a string or may
/// be one: its colon, and the unescaped quotes of the colon's 64-byte block (blocks start at the
/// record's start, every 64 bytes). For a compact member (`"name":"value"`) whose name is in the
/// table, `key` is its position there and `value_end` the value's closing quote; for a member of any
/// other shape (blanks around the colon, a name longer than a block) `key` is -1 and the caller reads
/// it from the bytes. Compact members whose name is not in the table, and members whose value is
/// plainly not a string, are not listed.
typedef struct {
    int64_t colon;
    uint64_t quotes;
    int64_t value_end;
    int32_t key;
} mw_top_colon;

/// What `mw_walk_record` found: where the record ends (just past its closing brace), the newlines in
/// it, and how many top-level members it listed.
typedef struct {
    int64_t end;
    int64_t newlines;
    int32_t colons;
} mw_walk;

/// Walks the record whose `{` is at `base[start]` (of `count` readable bytes) in one pass, classifying
/// and following brackets block by block, and lists its top-level members into `colons` (room for
/// `capacity`), looking their names up in `names`. Returns 1 with `out` filled when the record is well
/// formed and ends in a whole block before `count`. Returns 0 for anything else (a broken record, more
/// listed members than room, the input's last partial block, or a CPU without AVX2, BMI and POPCNT):
/// the caller then walks the record itself, which also reports what is wrong with it.
int mw_walk_record(const uint8_t *base, int64_t count, int64_t start, const mw_name_table *names,
                   mw_top_colon *colons, int32_t capacity, mw_walk *out);

/// Which implementation `mw_walk_record` uses here: "avx512", "avx2" or "none".
const char *mw_walk_implementation(void);

/// Walks as `mw_walk_record` does with the implementation named ("avx512", "avx2"), for tests that
/// compare them; returns -1, doing nothing, when this CPU or build does not have it.
int mw_walk_record_using(const char *implementation, const uint8_t *base, int64_t count, int64_t start,
                         const mw_name_table *names, mw_top_colon *colons, int32_t capacity, mw_walk *out);

/// The escaped bytes of a 64-byte block from its backslashes (bit i for byte i): a backslash escapes
/// the next byte unless it is itself escaped; `*carry` says the first byte of the block is escaped and
/// is set when the block's last byte escapes the next block's first. Backslashes are rare in audit
/// logs, so a loop over them is cheap.
static inline uint64_t mw_escaped_bytes(uint64_t backslashes, uint64_t *carry) {
    uint64_t escaped = *carry ? 1 : 0;
    *carry = 0;
    uint64_t pending = backslashes & ~escaped;
    while (pending) {
        unsigned i = (unsigned)__builtin_ctzll(pending);
        if (i == 63) { *carry = 1; break; }
        escaped |= 1ULL << (i + 1);
        pending &= ~(3ULL << i);
    }
    return escaped;
}

/// The offset in the `count` bytes at `p` of the first quote, backslash or (when `controls`) byte below
/// 0x20: where a run of plain string bytes ends; `count` when there is none. 64 bytes at a time with
/// AVX-512BW, 32 with AVX2 (chosen at run time), a byte loop otherwise. For long strings; callers scan
/// the first bytes of a string themselves.
size_t mw_string_special(const uint8_t *p, size_t count, int controls);

/// As `mw_string_special` with the implementation named ("avx512", "avx2", "scalar"), for tests that
/// compare them; `(size_t)-1` when this CPU or build does not have it.
size_t mw_string_special_using(const char *implementation, const uint8_t *p, size_t count, int controls);

/// The offset in the `count` bytes at `p` (a string's bytes from one of its backslashes on) of the
/// first quote no backslash escapes: where the string ends, when every byte before it is neither a
/// control byte nor escaped other than by `\"` `\\` `\/` `\b` `\f` `\n` `\r` `\t`; else -1, and the caller
/// reads the string escape by escape (`\u` escapes, errors). 64 bytes at a time with AVX-512BW, 32 with
/// AVX2; always -1 without them. For strings full of escapes (policy documents in role assumptions).
int64_t mw_escaped_string_end(const uint8_t *p, size_t count);

/// As `mw_escaped_string_end` with the implementation named ("avx512", "avx2"), for tests; -2 when
/// this CPU or build does not have it.
int64_t mw_escaped_string_end_using(const char *implementation, const uint8_t *p, size_t count);

#endif
