#include "mw_structural.h"

#if defined(__x86_64__)
#include <immintrin.h>
#endif

/// The byte loop every implementation ends with (and the whole scan without vector units).
static size_t special_bytes(const uint8_t *p, size_t from, size_t n, int controls) {
    for (size_t i = from; i < n; i++) {
        uint8_t c = p[i];
        if (c == 0x22 || c == 0x5C || (controls && c < 0x20)) return i;
    }
    return n;
}

#if defined(__x86_64__)
__attribute__((target("avx512f,avx512bw,bmi")))
static size_t special_avx512(const uint8_t *p, size_t n, int controls) {
    const __m512i quote = _mm512_set1_epi8(0x22), backslash = _mm512_set1_epi8(0x5C), space = _mm512_set1_epi8(0x20);
    size_t i = 0;
    for (; i + 64 <= n; i += 64) {
        __m512i v = _mm512_loadu_si512((const void *)(p + i));
        uint64_t m = _mm512_cmpeq_epi8_mask(v, quote) | _mm512_cmpeq_epi8_mask(v, backslash);
        if (controls) m |= _mm512_cmplt_epu8_mask(v, space);
        if (m) return i + (size_t)__builtin_ctzll(m);
    }
    return special_bytes(p, i, n, controls);
}

/// The bytes of `v` below 0x20 (unsigned: their own minimum with 0x1F), as a byte mask.
__attribute__((target("avx2")))
static inline __m256i controls_avx2(__m256i v) { return _mm256_cmpeq_epi8(_mm256_min_epu8(v, _mm256_set1_epi8(0x1F)), v); }

__attribute__((target("avx2,bmi")))
static size_t special_avx2(const uint8_t *p, size_t n, int controls) {
    const __m256i quote = _mm256_set1_epi8(0x22), backslash = _mm256_set1_epi8(0x5C);
    size_t i = 0;
    for (; i + 32 <= n; i += 32) {
        __m256i v = _mm256_loadu_si256((const __m256i *)(p + i));
        __m256i hit = _mm256_or_si256(_mm256_cmpeq_epi8(v, quote), _mm256_cmpeq_epi8(v, backslash));
        if (controls) hit = _mm256_or_si256(hit, controls_avx2(v));
        uint32_t m = (uint32_t)_mm256_movemask_epi8(hit);
        if (m) return i + (size_t)__builtin_ctz(m);
    }
    return special_bytes(p, i, n, controls);
}

/// One 64-byte block of a string: its backslashes, quotes, control bytes, and the bytes an escape
/// may name without more (`"` `\\` `/` `b` `f` `n` `r` `t`).
typedef struct {
    uint64_t backslashes, quotes, controls, simple;
} string_masks;

static const char simple_escapes[8] = {'"', '\\', '/', 'b', 'f', 'n', 'r', 't'};

__attribute__((target("avx512f,avx512bw")))
static inline string_masks string_masks_avx512(const uint8_t *p) {
    __m512i v = _mm512_loadu_si512((const void *)p);
    uint64_t simple = 0;
    for (int k = 0; k < 8; k++) simple |= _mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8(simple_escapes[k]));
    string_masks m = {_mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8(0x5C)), _mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8(0x22)),
                      _mm512_cmplt_epu8_mask(v, _mm512_set1_epi8(0x20)), simple};
    return m;
}

/// Bit i for byte i of a 64-byte block, from the byte masks of its two halves.
__attribute__((target("avx2")))
static inline uint64_t mask64_avx2(__m256i lo, __m256i hi) {
    return (uint64_t)(uint32_t)_mm256_movemask_epi8(lo) | ((uint64_t)(uint32_t)_mm256_movemask_epi8(hi) << 32);
}

/// The bytes of the block (halves `lo`, `hi`) equal to `x`.
__attribute__((target("avx2")))
static inline uint64_t equal64_avx2(__m256i lo, __m256i hi, char x) {
    return mask64_avx2(_mm256_cmpeq_epi8(lo, _mm256_set1_epi8(x)), _mm256_cmpeq_epi8(hi, _mm256_set1_epi8(x)));
}

__attribute__((target("avx2")))
static inline string_masks string_masks_avx2(const uint8_t *p) {
    __m256i lo = _mm256_loadu_si256((const __m256i *)p), hi = _mm256_loadu_si256((const __m256i *)(p + 32));
    uint64_t simple = 0;
    for (int k = 0; k < 8; k++) simple |= equal64_avx2(lo, hi, simple_escapes[k]);
    string_masks m = {equal64_avx2(lo, hi, 0x5C), equal64_avx2(lo, hi, 0x22), mask64_avx2(controls_avx2(lo), controls_avx2(hi)), simple};
    return m;
}

/// `mw_escaped_string_end`, reading each block with `masks`; inlined into one function per
/// instruction set. The last partial block is read from a copy padded with zeros (control bytes:
/// a string not ended before them is left to the caller).
static inline __attribute__((always_inline)) int64_t escaped_string_end_with(string_masks (*masks)(const uint8_t *), const uint8_t *p, size_t n) {
    uint64_t carry = 0;
    uint8_t tail[64];
    for (size_t b = 0; b < n; b += 64) {
        const uint8_t *block = p + b;
        if (n - b < 64) {
            memset(tail, 0, sizeof tail);
            memcpy(tail, p + b, n - b);
            block = tail;
        }
        string_masks m = masks(block);
        uint64_t escaped = (m.backslashes | carry) ? mw_escaped_bytes(m.backslashes, &carry) : 0;
        uint64_t ends = m.quotes & ~escaped;
        uint64_t before = ends ? (ends & (0 - ends)) - 1 : ~0ULL;
        if ((m.controls | (escaped & ~m.simple)) & before) return -1;
        if (ends) return (int64_t)(b + (size_t)__builtin_ctzll(ends));
    }
    return -1;
}

__attribute__((target("avx512f,avx512bw,bmi")))
static int64_t escaped_end_avx512(const uint8_t *p, size_t n) { return escaped_string_end_with(string_masks_avx512, p, n); }

__attribute__((target("avx2,bmi")))
static int64_t escaped_end_avx2(const uint8_t *p, size_t n) { return escaped_string_end_with(string_masks_avx2, p, n); }
#endif

static size_t special_scalar(const uint8_t *p, size_t n, int controls) { return special_bytes(p, 0, n, controls); }
static int64_t escaped_end_none(const uint8_t *p, size_t n) { (void)p; (void)n; return -1; }

typedef size_t (*special_scanner)(const uint8_t *, size_t, int);
typedef int64_t (*escaped_scanner)(const uint8_t *, size_t);
static special_scanner chosen_scanner;
static escaped_scanner chosen_escaped = escaped_end_none;

__attribute__((constructor)) static void choose_scanner(void) {
#if defined(__x86_64__)
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("bmi")) {
        chosen_scanner = special_avx512;
        chosen_escaped = escaped_end_avx512;
        return;
    }
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("bmi")) {
        chosen_scanner = special_avx2;
        chosen_escaped = escaped_end_avx2;
        return;
    }
#endif
    chosen_scanner = special_scalar;
}

size_t mw_string_special(const uint8_t *p, size_t count, int controls) {
    if (__builtin_expect(chosen_scanner == 0, 0)) choose_scanner();
    return chosen_scanner(p, count, controls);
}

size_t mw_string_special_using(const char *implementation, const uint8_t *p, size_t count, int controls) {
    if (strcmp(implementation, "scalar") == 0) return special_scalar(p, count, controls);
#if defined(__x86_64__)
    __builtin_cpu_init();
    if (strcmp(implementation, "avx512") == 0 && __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("bmi")) return special_avx512(p, count, controls);
    if (strcmp(implementation, "avx2") == 0 && __builtin_cpu_supports("avx2") && __builtin_cpu_supports("bmi")) return special_avx2(p, count, controls);
#endif
    return (size_t)-1;
}

int64_t mw_escaped_string_end(const uint8_t *p, size_t count) {
    if (__builtin_expect(chosen_scanner == 0, 0)) choose_scanner();
    return chosen_escaped(p, count);
}

int64_t mw_escaped_string_end_using(const char *implementation, const uint8_t *p, size_t count) {
#if defined(__x86_64__)
    __builtin_cpu_init();
    if (strcmp(implementation, "avx512") == 0 && __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("bmi")) return escaped_end_avx512(p, count);
    if (strcmp(implementation, "avx2") == 0 && __builtin_cpu_supports("avx2") && __builtin_cpu_supports("bmi")) return escaped_end_avx2(p, count);
#endif
    (void)implementation; (void)p; (void)count;
    return -2;
}
