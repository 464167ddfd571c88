#include "mw_structural.h"

#include <string.h>

#if defined(__x86_64__)
#include <immintrin.h>
#endif

/// Prefix XOR by shifts (each bit becomes the XOR of itself and every bit below it).
static inline uint64_t prefix_xor_shifts(uint64_t x) {
    x ^= x << 1; x ^= x << 2; x ^= x << 4; x ^= x << 8; x ^= x << 16; x ^= x << 32;
    return x;
}

/// Stores a block's masks; `quote_prefix` is the prefix XOR of its unescaped quotes. The string state
/// carried from the block before (`*string_carry`, 0 or 1) is the only thing that links blocks, and it
/// costs a negate and an XOR: callers keep it in a local, not behind the pointer they were given, so the
/// compiler need not assume a store to `out` changed it (that reload made every block wait for the last).
static inline void finish(uint64_t quotes, uint64_t quote_prefix, uint64_t newlines, uint64_t opens, uint64_t closes,
                          uint64_t colons, uint64_t *string_carry, mw_block *out) {
    uint64_t inside = quote_prefix ^ (0 - *string_carry);
    *string_carry = inside >> 63;
    out->quotes = quotes;
    out->inside = inside;
    out->newlines = newlines;
    out->opens = opens;
    out->closes = closes;
    out->colons = colons;
}

static void classify_scalar(const uint8_t *p, size_t count, uint64_t *escape_carry_out, uint64_t *string_carry_out, mw_block *out) {
    uint64_t escape_carry = *escape_carry_out, string_carry = *string_carry_out;
    for (size_t b = 0; b < count; b++, p += 64, out++) {
        uint64_t q = 0, s = 0, n = 0, o = 0, c = 0, k = 0;
        for (unsigned i = 0; i < 64; i++) {
            uint64_t bit = 1ULL << i;
            switch (p[i]) {
            case 0x22: q |= bit; break;
            case 0x5C: s |= bit; break;
            case 0x0A: n |= bit; break;
            case 0x7B: case 0x5B: o |= bit; break;
            case 0x7D: case 0x5D: c |= bit; break;
            case 0x3A: k |= bit; break;
            default: break;
            }
        }
        q &= ~mw_escaped_bytes(s, &escape_carry);
        finish(q, prefix_xor_shifts(q), n, o, c, k, &string_carry, out);
    }
    *escape_carry_out = escape_carry;
    *string_carry_out = string_carry;
}

#if defined(__x86_64__)
static void classify_sse2(const uint8_t *p, size_t count, uint64_t *escape_carry_out, uint64_t *string_carry_out, mw_block *out) {
    uint64_t escape_carry = *escape_carry_out, string_carry = *string_carry_out;
    const __m128i quote = _mm_set1_epi8(0x22), backslash = _mm_set1_epi8(0x5C), newline = _mm_set1_epi8(0x0A);
    const __m128i open = _mm_set1_epi8(0x7B), close = _mm_set1_epi8(0x7D), case_bit = _mm_set1_epi8(0x20);
    const __m128i colon = _mm_set1_epi8(0x3A);
    for (size_t b = 0; b < count; b++, p += 64, out++) {
        uint64_t q = 0, s = 0, n = 0, o = 0, c = 0, colons = 0;
        for (unsigned k = 0; k < 4; k++) {
            __m128i v = _mm_loadu_si128((const __m128i *)(p + 16 * k));
            __m128i folded = _mm_or_si128(v, case_bit);  // `[` | 0x20 is `{`, `]` | 0x20 is `}`
            unsigned shift = 16 * k;
            q |= (uint64_t)(uint16_t)_mm_movemask_epi8(_mm_cmpeq_epi8(v, quote)) << shift;
            s |= (uint64_t)(uint16_t)_mm_movemask_epi8(_mm_cmpeq_epi8(v, backslash)) << shift;
            n |= (uint64_t)(uint16_t)_mm_movemask_epi8(_mm_cmpeq_epi8(v, newline)) << shift;
            o |= (uint64_t)(uint16_t)_mm_movemask_epi8(_mm_cmpeq_epi8(folded, open)) << shift;
            c |= (uint64_t)(uint16_t)_mm_movemask_epi8(_mm_cmpeq_epi8(folded, close)) << shift;
            colons |= (uint64_t)(uint16_t)_mm_movemask_epi8(_mm_cmpeq_epi8(v, colon)) << shift;
        }
        q &= ~mw_escaped_bytes(s, &escape_carry);
        finish(q, prefix_xor_shifts(q), n, o, c, colons, &string_carry, out);
    }
    *escape_carry_out = escape_carry;
    *string_carry_out = string_carry;
}

__attribute__((target("pclmul,sse4.2")))
static inline uint64_t prefix_xor_clmul(uint64_t x) {
    return (uint64_t)_mm_cvtsi128_si64(_mm_clmulepi64_si128(_mm_set_epi64x(0, (long long)x), _mm_set1_epi8((char)0xFF), 0));
}

/// The bytes that matter in one 64-byte block, as masks (bit i for byte i), before escapes and
/// strings are resolved. `[` and `]` count as `{` and `}` (their case bit is set before comparing).
/// `low` is the bytes up to 0x20 (blanks, and control bytes the walk checks one by one).
typedef struct {
    uint64_t quotes, backslashes, newlines, opens, closes, colons, low;
} raw_masks;

__attribute__((target("avx2")))
static inline raw_masks raw_masks_avx2(const uint8_t *p) {
    const __m256i case_bit = _mm256_set1_epi8(0x20);
    __m256i lo = _mm256_loadu_si256((const __m256i *)p), hi = _mm256_loadu_si256((const __m256i *)(p + 32));
    __m256i flo = _mm256_or_si256(lo, case_bit), fhi = _mm256_or_si256(hi, case_bit);
#define MW_MASK(a, b, x) ((uint64_t)(uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(a, _mm256_set1_epi8(x))) \
                          | ((uint64_t)(uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(b, _mm256_set1_epi8(x))) << 32))
    const __m256i space = _mm256_set1_epi8(0x20);
    raw_masks m = {MW_MASK(lo, hi, 0x22), MW_MASK(lo, hi, 0x5C), MW_MASK(lo, hi, 0x0A),
                   MW_MASK(flo, fhi, 0x7B), MW_MASK(flo, fhi, 0x7D), MW_MASK(lo, hi, 0x3A),
                   // A byte up to 0x20 is its own unsigned minimum with 0x20.
                   (uint64_t)(uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(_mm256_min_epu8(lo, space), lo))
                   | ((uint64_t)(uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(_mm256_min_epu8(hi, space), hi)) << 32)};
#undef MW_MASK
    return m;
}

__attribute__((target("avx512f,avx512bw")))
static inline raw_masks raw_masks_avx512(const uint8_t *p) {
    __m512i v = _mm512_loadu_si512((const void *)p);
    __m512i folded = _mm512_or_si512(v, _mm512_set1_epi8(0x20));
    raw_masks m = {_mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8(0x22)), _mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8(0x5C)),
                   _mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8(0x0A)), _mm512_cmpeq_epi8_mask(folded, _mm512_set1_epi8(0x7B)),
                   _mm512_cmpeq_epi8_mask(folded, _mm512_set1_epi8(0x7D)), _mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8(0x3A)),
                   _mm512_cmple_epu8_mask(v, _mm512_set1_epi8(0x20))};
    return m;
}

/// Classifies blocks as `mw_classify_blocks` says, reading each with `masks`; inlined into one
/// function per instruction set, where `masks` becomes a direct call.
static inline __attribute__((always_inline)) void classify_with(raw_masks (*masks)(const uint8_t *), const uint8_t *p, size_t count,
                                                                uint64_t *escape_carry_out, uint64_t *string_carry_out, mw_block *out) {
    uint64_t escape_carry = *escape_carry_out, string_carry = *string_carry_out;
    for (size_t b = 0; b < count; b++, p += 64, out++) {
        raw_masks m = masks(p);
        uint64_t q = m.quotes;
        if (m.backslashes | escape_carry) q &= ~mw_escaped_bytes(m.backslashes, &escape_carry);
        finish(q, prefix_xor_clmul(q), m.newlines, m.opens, m.closes, m.colons, &string_carry, out);
    }
    *escape_carry_out = escape_carry;
    *string_carry_out = string_carry;
}

__attribute__((target("avx2,pclmul,sse4.2,bmi")))
static void classify_avx2(const uint8_t *p, size_t count, uint64_t *escape_carry_out, uint64_t *string_carry_out, mw_block *out) {
    classify_with(raw_masks_avx2, p, count, escape_carry_out, string_carry_out, out);
}

__attribute__((target("avx512f,avx512bw,pclmul,sse4.2,bmi")))
static void classify_avx512(const uint8_t *p, size_t count, uint64_t *escape_carry_out, uint64_t *string_carry_out, mw_block *out) {
    classify_with(raw_masks_avx512, p, count, escape_carry_out, string_carry_out, out);
}
#endif

typedef void (*classifier)(const uint8_t *, size_t, uint64_t *, uint64_t *, mw_block *);
static classifier chosen;
static const char *chosen_name;

typedef int (*record_walker)(const uint8_t *, int64_t, int64_t, const mw_name_table *, mw_top_colon *, int32_t, mw_walk *);
static const char *chosen_walker_name = "none";
/// The fused classify-and-walk of `mw_walk_record` for this CPU, or none (the caller walks records itself).
static record_walker chosen_walker;
#if defined(__x86_64__)
static int walk_avx512(const uint8_t *base, int64_t count, int64_t start, const mw_name_table *names, mw_top_colon *colons, int32_t capacity, mw_walk *out);
static int walk_avx2(const uint8_t *base, int64_t count, int64_t start, const mw_name_table *names, mw_top_colon *colons, int32_t capacity, mw_walk *out);
#endif

__attribute__((constructor)) static void choose(void) {
#if defined(__x86_64__)
    __builtin_cpu_init();
    int popcnt_bmi = __builtin_cpu_supports("popcnt") && __builtin_cpu_supports("bmi");
    if (__builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("pclmul")) {
        chosen_name = "avx512"; chosen = classify_avx512;
        if (popcnt_bmi) { chosen_walker = walk_avx512; chosen_walker_name = "avx512"; }
        return;
    }
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("pclmul")) {
        chosen_name = "avx2"; chosen = classify_avx2;
        if (popcnt_bmi) { chosen_walker = walk_avx2; chosen_walker_name = "avx2"; }
        return;
    }
    chosen_name = "sse2";
    chosen = classify_sse2;
#else
    chosen_name = "scalar";
    chosen = classify_scalar;
#endif
}

void mw_classify_blocks(const uint8_t *p, size_t count, uint64_t *escape_carry, uint64_t *string_carry, mw_block *out) {
    if (__builtin_expect(chosen == 0, 0)) choose();
    chosen(p, count, escape_carry, string_carry, out);
}

/// The implementation called `name`, if this CPU and build have it.
static classifier named(const char *name) {
    if (strcmp(name, "scalar") == 0) return classify_scalar;
#if defined(__x86_64__)
    __builtin_cpu_init();
    if (strcmp(name, "sse2") == 0) return classify_sse2;
    if (strcmp(name, "avx2") == 0 && __builtin_cpu_supports("avx2") && __builtin_cpu_supports("pclmul")) return classify_avx2;
    if (strcmp(name, "avx512") == 0 && __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("pclmul")) return classify_avx512;
#endif
    return 0;
}

int mw_classify_blocks_using(const char *name, const uint8_t *p, size_t count, uint64_t *escape_carry, uint64_t *string_carry, mw_block *out) {
    classifier chosen_here = named(name);
    if (chosen_here == 0) return 0;
    chosen_here(p, count, escape_carry, string_carry, out);
    return 1;
}

const char *mw_classify_implementation(void) {
    if (chosen == 0) choose();
    return chosen_name;
}

/// Bits `from..<to` of a block mask (0 <= from, to <= 64).
static inline uint64_t bits_between(int from, int to) {
    if (from >= to) return 0;
    uint64_t below = to >= 64 ? ~0ULL : (1ULL << to) - 1;
    return below & ~((1ULL << from) - 1);
}

/// Lists the top-level members among the colons `listed` of the block at `b` (`q` its unescaped
/// quotes, `low` its bytes up to 0x20, `prev_q` the quotes of the block before when it is part of
/// the record, else 0) as `mw_top_colon` says. Colons followed by neither a quote nor a byte up to
/// 0x20 (a value plainly not a string) are dropped by their masks, without reading a byte; of those
/// followed by a byte up to 0x20, only the ones followed by a blank are listed; a compact member
/// (a quote on both sides of the colon, its name's opening quote in this block or the one before)
/// is listed when its name is in `names`. A listed string value whose closing quote is not in this
/// block leaves the member `*pending`, for the next block's first quote. Returns -1 when the list is full.
static inline __attribute__((always_inline)) int list_members(const uint8_t *base, int64_t count, int64_t b, uint64_t listed, uint64_t q,
                                                              uint64_t low, uint64_t prev_q, const mw_name_table *names, mw_top_colon *colons,
                                                              int32_t capacity, int32_t *found, int32_t *pending) {
    uint64_t next_quote = q >> 1, next_low = low >> 1;
    if (listed >> 63) {
        // The next block's first byte (none at the input's end: the record cannot end well, and the walk declines it).
        uint8_t after = b + 64 < count ? base[b + 64] : 0x7B;
        next_quote |= (uint64_t)(after == 0x22) << 63;
        next_low |= (uint64_t)(after <= 0x20) << 63;
    }
    listed &= next_quote | next_low;
    uint64_t compact = listed & next_quote & (q << 1) & ~1ULL & ~(1ULL << 63);
    while (listed) {
        int at = __builtin_ctzll(listed);
        listed &= listed - 1;
        int32_t key = -1;
        if ((compact >> at) & 1) {
            uint64_t before = q & ((1ULL << (at - 1)) - 1);
            int64_t open = before ? b + 63 - __builtin_clzll(before) : prev_q ? b - 64 + 63 - __builtin_clzll(prev_q) : -1;
            if (open >= 0) {
                key = mw_name_lookup(names, base + open + 1, b + at - 1 - (open + 1));
                if (key < 0) continue;  // a compact member not watched
            }
        } else if (!((next_quote >> at) & 1)) {
            // A byte up to 0x20 after the colon: listed only when it is a blank.
            uint8_t next = base[b + at + 1];
            if (next != 0x20 && next != 0x0A && next != 0x0D && next != 0x09) continue;
        }
        if (*found == capacity) return -1;
        mw_top_colon *m = &colons[(*found)++];
        m->colon = b + at;
        m->quotes = q;
        m->key = key;
        m->value_end = -1;
        if (key < 0) continue;
        uint64_t after = at < 62 ? q & ~((2ULL << (at + 1)) - 1) : 0;
        if (after) m->value_end = b + __builtin_ctzll(after);
        else *pending = *found - 1;
    }
    return 0;
}

#if defined(__x86_64__)
/// Walks a record as `mw_walk_record` says, reading each block with `masks`; inlined into one
/// function per instruction set, where `masks` becomes a direct call.
static inline __attribute__((always_inline)) int walk_with(raw_masks (*masks)(const uint8_t *), const uint8_t *base, int64_t count,
                                                           int64_t start, const mw_name_table *names, mw_top_colon *colons,
                                                           int32_t capacity, mw_walk *out) {
    uint64_t escape_carry = 0, string_carry = 0, kinds = 0, prev_q = 0;
    int32_t pending = -1, found = 0;
    int depth = 0;
    int64_t newlines = 0;
    for (int64_t b = start; b + 64 <= count; b += 64) {
        // The hardware prefetcher stops at each 4 KB page of the mapped file; asking 1 KB ahead keeps
        // the next page's first lines on their way (measured: 2-3% off a scan of the benchmark corpus).
        if (b + 1024 < count) __builtin_prefetch(base + b + 1024);
        raw_masks m = masks(base + b);
        uint64_t q = m.quotes, n = m.newlines;
        if (m.backslashes | escape_carry) q &= ~mw_escaped_bytes(m.backslashes, &escape_carry);
        uint64_t inside = prefix_xor_clmul(q) ^ (0 - string_carry);
        string_carry = inside >> 63;
        // A raw newline inside a string: the line, and the record, are broken (the Swift walk reports it).
        if (n & inside) return 0;
        // A long string value listed in an earlier block ends at this block's first quote.
        if (pending >= 0 && q) { colons[pending].value_end = b + __builtin_ctzll(q); pending = -1; }
        // Brackets: nesting (kinds: bit per level, 1 = object), the record's end, and the stretches
        // of the block at the record's top level.
        uint64_t brackets = (m.opens | m.closes) & ~inside;
        uint64_t top = 0;
        int from = depth == 1 ? 0 : 64, end_bit = -1;
        while (brackets) {
            int bit = __builtin_ctzll(brackets);
            brackets &= brackets - 1;
            uint8_t ch = base[b + bit];
            if (ch == 0x7B || ch == 0x5B) {
                if (depth >= 63) return 0;
                if (depth == 1) top |= bits_between(from, bit);
                kinds = kinds << 1 | (ch == 0x7B);
                depth++;
                if (depth == 1) from = bit + 1;
            } else {
                if ((kinds & 1) != (uint64_t)(ch == 0x7D)) return 0;
                kinds >>= 1;
                depth--;
                if (depth == 1) from = bit + 1;
                if (depth == 0) { top |= bits_between(from, bit); end_bit = bit; break; }
            }
        }
        if (end_bit < 0 && depth == 1) top |= bits_between(from, 64);
        // The colons at the top level, one per member.
        uint64_t listed = m.colons & ~inside & top;
        if (listed && list_members(base, count, b, listed, q, m.low, prev_q, names, colons, capacity, &found, &pending) < 0) return 0;
        if (end_bit >= 0) {
            out->end = b + end_bit + 1;
            out->newlines = newlines + __builtin_popcountll(n & bits_between(0, end_bit + 1));
            out->colons = found;
            return 1;
        }
        newlines += __builtin_popcountll(n);
        prev_q = q;
    }
    return 0;  // the input's last partial block, or its end: the caller walks the record
}

__attribute__((target("avx512f,avx512bw,pclmul,sse4.2,bmi,popcnt")))
static int walk_avx512(const uint8_t *base, int64_t count, int64_t start, const mw_name_table *names, mw_top_colon *colons, int32_t capacity, mw_walk *out) {
    return walk_with(raw_masks_avx512, base, count, start, names, colons, capacity, out);
}

__attribute__((target("avx2,pclmul,sse4.2,bmi,popcnt")))
static int walk_avx2(const uint8_t *base, int64_t count, int64_t start, const mw_name_table *names, mw_top_colon *colons, int32_t capacity, mw_walk *out) {
    return walk_with(raw_masks_avx2, base, count, start, names, colons, capacity, out);
}
#endif

int mw_walk_record(const uint8_t *base, int64_t count, int64_t start, const mw_name_table *names,
                   mw_top_colon *colons, int32_t capacity, mw_walk *out) {
    if (__builtin_expect(chosen == 0, 0)) choose();
    if (chosen_walker == 0) return 0;
    return chosen_walker(base, count, start, names, colons, capacity, out);
}

const char *mw_walk_implementation(void) {
    if (chosen == 0) choose();
    return chosen_walker_name;
}

int mw_walk_record_using(const char *implementation, const uint8_t *base, int64_t count, int64_t start,
                         const mw_name_table *names, mw_top_colon *colons, int32_t capacity, mw_walk *out) {
#if defined(__x86_64__)
    __builtin_cpu_init();
    int popcnt_bmi = __builtin_cpu_supports("popcnt") && __builtin_cpu_supports("bmi") && __builtin_cpu_supports("pclmul");
    if (strcmp(implementation, "avx512") == 0 && popcnt_bmi && __builtin_cpu_supports("avx512bw"))
        return walk_avx512(base, count, start, names, colons, capacity, out);
    if (strcmp(implementation, "avx2") == 0 && popcnt_bmi && __builtin_cpu_supports("avx2"))
        return walk_avx2(base, count, start, names, colons, capacity, out);
#endif
    return -1;
}
