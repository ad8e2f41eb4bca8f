/* Scalar and AVX-512 versions of the signature filter; the vector one is
 * compiled for its target only and chosen at run time, so the binary runs
 * on any x86-64 (and elsewhere the scalar loop is all there is). */
#include "match/sigscan.h"

static size_t scan_scalar(const uint64_t *sig, uint32_t from, uint32_t to, uint64_t q,
                          unsigned need, uint32_t *out) {
    size_t n = 0;
    for (uint32_t i = from; i < to; i++)
        if ((unsigned)__builtin_popcountll(sig[i] & q) >= need) out[n++] = i;
    return n;
}

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>

bool rf_sigscan_simd_available(void) {
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512vpopcntdq");
}

__attribute__((target("avx512f,avx512vpopcntdq"))) static size_t
scan_avx512(const uint64_t *sig, uint32_t from, uint32_t to, uint64_t q, unsigned need,
            uint32_t *out) {
    const __m512i vq = _mm512_set1_epi64((long long)q);
    const __m512i vneed = _mm512_set1_epi64((long long)need);
    size_t n = 0;
    uint32_t i = from;
    for (; i + 8 <= to; i += 8) {
        __m512i s = _mm512_loadu_si512((const void *)(sig + i));
        __m512i pc = _mm512_popcnt_epi64(_mm512_and_si512(s, vq));
        unsigned m = _mm512_cmpge_epu64_mask(pc, vneed);
        while (m) { /* few pass: take them one by one */
            out[n++] = i + (uint32_t)__builtin_ctz(m);
            m &= m - 1;
        }
    }
    return n + scan_scalar(sig, i, to, q, need, out + n);
}
#else
bool rf_sigscan_simd_available(void) {
    return false;
}
#endif

size_t rf_sigscan(const uint64_t *sig, uint32_t from, uint32_t to, uint64_t q, unsigned need,
                  uint32_t *out, bool simd) {
#if defined(__x86_64__) && defined(__GNUC__)
    if (simd) return scan_avx512(sig, from, to, q, need, out);
#else
    (void)simd;
#endif
    return scan_scalar(sig, from, to, q, need, out);
}
