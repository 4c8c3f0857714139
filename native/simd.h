// Small float32 vector kernels (dot, axpy, scale) with AVX-512 / AVX2 paths chosen at compile time
// and a plain loop fallback, plus compile-time and run-time reports of the instruction set.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#if defined(__AVX512F__) || defined(__AVX2__)
#include <immintrin.h>
#endif

namespace mixtape {

/** The instruction set the kernels were compiled for. */
inline const char* simd_compiled() {
#if defined(__AVX512F__)
  return "avx512f";
#elif defined(__AVX2__) && defined(__FMA__)
  return "avx2+fma";
#elif defined(__AVX2__)
  return "avx2";
#else
  return "scalar";
#endif
}

/** What the running CPU supports (may exceed what was compiled in). */
inline std::string simd_detected() {
#if (defined(__GNUC__) || defined(__clang__)) && (defined(__x86_64__) || defined(__i386__))
  __builtin_cpu_init();
  std::string s;
  auto add = [&s](bool on, const char* name) {
    if (!on) return;
    if (!s.empty()) s += ',';
    s += name;
  };
  add(__builtin_cpu_supports("avx512f"), "avx512f");
  add(__builtin_cpu_supports("avx2"), "avx2");
  add(__builtin_cpu_supports("fma"), "fma");
  add(__builtin_cpu_supports("sse4.2"), "sse4.2");
  return s.empty() ? "none" : s;
#else
  return "unknown";
#endif
}

#if defined(__AVX2__)
inline float hsum256(__m256 v) {
  __m128 lo = _mm256_castps256_ps128(v);
  __m128 hi = _mm256_extractf128_ps(v, 1);
  lo = _mm_add_ps(lo, hi);
  lo = _mm_add_ps(lo, _mm_movehl_ps(lo, lo));
  lo = _mm_add_ss(lo, _mm_shuffle_ps(lo, lo, 0x55));
  return _mm_cvtss_f32(lo);
}
inline __m256 fmadd256(__m256 a, __m256 b, __m256 c) {
#if defined(__FMA__)
  return _mm256_fmadd_ps(a, b, c);
#else
  return _mm256_add_ps(_mm256_mul_ps(a, b), c);
#endif
}

/**
 * The sixteen floats of (a0, a1) compared with t as one bit mask (bit j for lane j; a1 is lanes
 * 8–15). Cmp is an ordered predicate (_CMP_GT_OQ, _CMP_GE_OQ), so NaN lanes are never set.
 */
template <int Cmp>
inline unsigned compare_mask16(__m256 a0, __m256 a1, __m256 t) {
  return static_cast<unsigned>(_mm256_movemask_ps(_mm256_cmp_ps(a0, t, Cmp))) |
         static_cast<unsigned>(_mm256_movemask_ps(_mm256_cmp_ps(a1, t, Cmp))) << 8;
}
#endif

#if defined(__AVX512F__)
/** Lanes [0, n) of a 16-float block (all when n ≥ 16): masked loads read nothing past a row's end. */
inline __mmask16 lanes16(std::size_t n) { return n >= 16 ? __mmask16(0xFFFF) : __mmask16((1u << n) - 1u); }

/**
 * The sixteen lanes summed in _mm512_reduce_add_ps's order (halves, quarters, pairs, then the
 * last two), so results are the same; GCC 12's intrinsic warns of an uninitialised register in
 * every AVX-512 build.
 */
inline float reduce_add_512(__m512 v) {
  alignas(64) float t[16];
  _mm512_store_ps(t, v);
  float a[8], b[4];
  for (int j = 0; j < 8; ++j) a[j] = t[j + 8] + t[j];
  for (int j = 0; j < 4; ++j) b[j] = a[j + 4] + a[j];
  return (b[2] + b[0]) + (b[3] + b[1]);
}
#endif

/** a · b over n floats. */
inline float dot(const float* a, const float* b, std::size_t n) {
  std::size_t i = 0;
#if defined(__AVX512F__)
  __m512 s0 = _mm512_setzero_ps(), s1 = _mm512_setzero_ps();
  for (; i + 32 <= n; i += 32) {
    s0 = _mm512_fmadd_ps(_mm512_loadu_ps(a + i), _mm512_loadu_ps(b + i), s0);
    s1 = _mm512_fmadd_ps(_mm512_loadu_ps(a + i + 16), _mm512_loadu_ps(b + i + 16), s1);
  }
  for (; i < n; i += 16) {
    const __mmask16 m = lanes16(n - i);
    s0 = _mm512_fmadd_ps(_mm512_maskz_loadu_ps(m, a + i), _mm512_maskz_loadu_ps(m, b + i), s0);
  }
  return reduce_add_512(_mm512_add_ps(s0, s1));
#elif defined(__AVX2__)
  __m256 s0 = _mm256_setzero_ps(), s1 = _mm256_setzero_ps();
  for (; i + 16 <= n; i += 16) {
    s0 = fmadd256(_mm256_loadu_ps(a + i), _mm256_loadu_ps(b + i), s0);
    s1 = fmadd256(_mm256_loadu_ps(a + i + 8), _mm256_loadu_ps(b + i + 8), s1);
  }
  for (; i + 8 <= n; i += 8) s0 = fmadd256(_mm256_loadu_ps(a + i), _mm256_loadu_ps(b + i), s0);
  float s = hsum256(_mm256_add_ps(s0, s1));
  for (; i < n; ++i) s += a[i] * b[i];
  return s;
#else
  float s0 = 0.f, s1 = 0.f, s2 = 0.f, s3 = 0.f;
  for (; i + 4 <= n; i += 4) {
    s0 += a[i] * b[i];
    s1 += a[i + 1] * b[i + 1];
    s2 += a[i + 2] * b[i + 2];
    s3 += a[i + 3] * b[i + 3];
  }
  for (; i < n; ++i) s0 += a[i] * b[i];
  return (s0 + s1) + (s2 + s3);
#endif
}

/** y += alpha · x over n floats. */
inline void axpy(float alpha, const float* x, float* y, std::size_t n) {
  std::size_t i = 0;
#if defined(__AVX512F__)
  const __m512 va = _mm512_set1_ps(alpha);
  for (; i + 16 <= n; i += 16)
    _mm512_storeu_ps(y + i, _mm512_fmadd_ps(va, _mm512_loadu_ps(x + i), _mm512_loadu_ps(y + i)));
  if (i < n) {
    const __mmask16 m = lanes16(n - i);
    _mm512_mask_storeu_ps(y + i, m,
                          _mm512_fmadd_ps(va, _mm512_maskz_loadu_ps(m, x + i), _mm512_maskz_loadu_ps(m, y + i)));
  }
#elif defined(__AVX2__)
  const __m256 va = _mm256_set1_ps(alpha);
  for (; i + 8 <= n; i += 8) _mm256_storeu_ps(y + i, fmadd256(va, _mm256_loadu_ps(x + i), _mm256_loadu_ps(y + i)));
  for (; i < n; ++i) y[i] += alpha * x[i];
#else
  for (; i < n; ++i) y[i] += alpha * x[i];
#endif
}

/** y = x + beta · y over n floats (the CG direction update). */
inline void xpby(const float* x, float beta, float* y, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) y[i] = x[i] + beta * y[i];
}

}  // namespace mixtape
