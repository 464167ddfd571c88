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

__attribute__((target("avx2,bmi")))
static size_t special_avx2(const uint8_t *p, size_t n, int controls) {
    const __m256i quote = _mm256_set1_epi8(0x22), backslash = _mm256_set1_epi8(0x5C), below = _mm256_set1_epi8(0x1F);
    size_t i = 0;
    for (; i + 32 <= n; i += 32) {
        __m256i v = _mm256_loadu_si256((const __m256i *)(p + i));
        __m256i hit = _mm256_or_si256(_mm256_cmpeq_epi8(v, quote), _mm256_cmpeq_epi8(v, backslash));
        // Unsigned v < 0x20: min(v, 0x1F) == v.
        if (controls) hit = _mm256_or_si256(hit, _mm256_cmpeq_epi8(_mm256_min_epu8(v, below), v));
        uint32_t m = (uint32_t)_mm256_movemask_epi8(hit);
        if (m) return i + (size_t)__builtin_ctz(m);
    }
    return special_bytes(p, i, n, controls);
}
#endif

static size_t special_scalar(const uint8_t *p, size_t n, int controls) { return special_bytes(p, 0, n, controls); }

typedef size_t (*special_scanner)(const uint8_t *, size_t, int);
static special_scanner chosen_scanner;

__attribute__((constructor)) static void choose_scanner(void) {
#if defined(__x86_64__)
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("bmi")) { chosen_scanner = special_avx512; return; }
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("bmi")) { chosen_scanner = special_avx2; return; }
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
