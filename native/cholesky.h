// Dense Cholesky factorisation and solve in float64. ALS and ridge systems are small (k×k with
// k ≲ 256), so double precision costs little next to building the matrix and keeps ill-conditioned
// systems (tiny λ) stable.
#pragma once
#include <cmath>
#include <cstddef>

#include "simd.h"

namespace mixtape {

/** a · b over n doubles, with independent partial sums so the loop vectorises. */
inline double ddot(const double* a, const double* b, std::size_t n) {
  std::size_t i = 0;
#if defined(__AVX512F__)
  __m512d s0 = _mm512_setzero_pd(), s1 = _mm512_setzero_pd();
  for (; i + 16 <= n; i += 16) {
    s0 = _mm512_fmadd_pd(_mm512_loadu_pd(a + i), _mm512_loadu_pd(b + i), s0);
    s1 = _mm512_fmadd_pd(_mm512_loadu_pd(a + i + 8), _mm512_loadu_pd(b + i + 8), s1);
  }
  for (; i + 8 <= n; i += 8) s0 = _mm512_fmadd_pd(_mm512_loadu_pd(a + i), _mm512_loadu_pd(b + i), s0);
  double s = _mm512_reduce_add_pd(_mm512_add_pd(s0, s1));
#elif defined(__AVX2__) && defined(__FMA__)
  __m256d s0 = _mm256_setzero_pd(), s1 = _mm256_setzero_pd();
  for (; i + 8 <= n; i += 8) {
    s0 = _mm256_fmadd_pd(_mm256_loadu_pd(a + i), _mm256_loadu_pd(b + i), s0);
    s1 = _mm256_fmadd_pd(_mm256_loadu_pd(a + i + 4), _mm256_loadu_pd(b + i + 4), s1);
  }
  for (; i + 4 <= n; i += 4) s0 = _mm256_fmadd_pd(_mm256_loadu_pd(a + i), _mm256_loadu_pd(b + i), s0);
  __m256d t = _mm256_add_pd(s0, s1);
  __m128d h = _mm_add_pd(_mm256_castpd256_pd128(t), _mm256_extractf128_pd(t, 1));
  double s = _mm_cvtsd_f64(_mm_add_sd(h, _mm_unpackhi_pd(h, h)));
#else
  double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  for (; i + 4 <= n; i += 4) {
    s0 += a[i] * b[i];
    s1 += a[i + 1] * b[i + 1];
    s2 += a[i + 2] * b[i + 2];
    s3 += a[i + 3] * b[i + 3];
  }
  double s = (s0 + s1) + (s2 + s3);
#endif
  for (; i < n; ++i) s += a[i] * b[i];
  return s;
}

/**
 * In-place lower Cholesky factor of the symmetric n×n row-major A (only the lower triangle is read
 * and written). Returns -1 on success, else the index of the first pivot that is not positive
 * (or not finite); `pivot` then holds its value.
 */
inline long cholesky_factor(double* A, std::size_t n, double* pivot = nullptr) {
  for (std::size_t i = 0; i < n; ++i) {
    double* Li = A + i * n;
    for (std::size_t j = 0; j <= i; ++j) {
      const double* Lj = A + j * n;
      const double s = Li[j] - ddot(Li, Lj, j);
      if (j == i) {
        if (!(s > 0.0) || !std::isfinite(s)) {
          if (pivot) *pivot = s;
          return static_cast<long>(i);
        }
        Li[i] = std::sqrt(s);
      } else {
        Li[j] = s / Lj[j];
      }
    }
  }
  return -1;
}

/** Solves L Lᵀ x = b in place (b becomes x) for a factor from cholesky_factor. */
inline void cholesky_solve(const double* L, std::size_t n, double* b) {
  for (std::size_t i = 0; i < n; ++i) {
    const double* Li = L + i * n;
    b[i] = (b[i] - ddot(Li, b, i)) / Li[i];
  }
  for (std::size_t i = n; i-- > 0;) {
    double s = b[i];
    for (std::size_t p = i + 1; p < n; ++p) s -= L[p * n + i] * b[p];
    b[i] = s / L[i * n + i];
  }
}

}  // namespace mixtape
