// Dense Cholesky factorisation and solve in float64. ALS and ridge systems are small (k×k with
// k ≲ 256), so double precision costs little next to building the matrix and keeps ill-conditioned
// systems (tiny λ) stable.
#pragma once
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <vector>

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

/** out[t] = a · b_t over n doubles for four vectors b_t, sharing each load of a. */
inline void ddot4(const double* a, const double* b0, const double* b1, const double* b2, const double* b3,
                  std::size_t n, double* out) {
  std::size_t i = 0;
#if defined(__AVX2__) && defined(__FMA__)
  __m256d s0 = _mm256_setzero_pd(), s1 = _mm256_setzero_pd(), s2 = _mm256_setzero_pd(), s3 = _mm256_setzero_pd();
  for (; i + 4 <= n; i += 4) {
    const __m256d x = _mm256_loadu_pd(a + i);
    s0 = _mm256_fmadd_pd(x, _mm256_loadu_pd(b0 + i), s0);
    s1 = _mm256_fmadd_pd(x, _mm256_loadu_pd(b1 + i), s1);
    s2 = _mm256_fmadd_pd(x, _mm256_loadu_pd(b2 + i), s2);
    s3 = _mm256_fmadd_pd(x, _mm256_loadu_pd(b3 + i), s3);
  }
  // Horizontal sums of the four accumulators at once.
  const __m256d h01 = _mm256_hadd_pd(s0, s1), h23 = _mm256_hadd_pd(s2, s3);
  const __m256d sum = _mm256_add_pd(_mm256_permute2f128_pd(h01, h23, 0x20), _mm256_permute2f128_pd(h01, h23, 0x31));
  _mm256_storeu_pd(out, sum);
#else
  out[0] = out[1] = out[2] = out[3] = 0.0;
#endif
  for (; i < n; ++i) {
    out[0] += a[i] * b0[i];
    out[1] += a[i] * b1[i];
    out[2] += a[i] * b2[i];
    out[3] += a[i] * b3[i];
  }
}

/**
 * In-place lower Cholesky factor of the symmetric n×n row-major A (only the lower triangle is read
 * and written). Row-oriented; four entries of a row share one pass over their common prefix, then
 * finish the small triangle between them. Returns -1 on success, else the index of the first pivot
 * that is not positive (or not finite); `pivot` then holds its value. `inv_diag` is scratch.
 */
inline long cholesky_factor(double* A, std::size_t n, std::vector<double>& inv_diag, double* pivot = nullptr) {
  // Dividing by the pivots sits on the dependency chain of each row; multiply by their inverses.
  inv_diag.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    double* Li = A + i * n;
    for (std::size_t j0 = 0; j0 <= i; j0 += 4) {
      const std::size_t cnt = std::min<std::size_t>(4, i + 1 - j0);
      double s[4];
      if (cnt == 4) {
        ddot4(Li, A + j0 * n, A + (j0 + 1) * n, A + (j0 + 2) * n, A + (j0 + 3) * n, j0, s);
      } else {
        for (std::size_t t = 0; t < cnt; ++t) s[t] = ddot(Li, A + (j0 + t) * n, j0);
      }
      for (std::size_t t = 0; t < cnt; ++t) {
        const std::size_t j = j0 + t;
        const double* Lj = A + j * n;
        double v = Li[j] - s[t];
        for (std::size_t q = j0; q < j; ++q) v -= Li[q] * Lj[q];
        if (j == i) {
          if (!(v > 0.0) || !std::isfinite(v)) {
            if (pivot) *pivot = v;
            return static_cast<long>(i);
          }
          Li[i] = std::sqrt(v);
          inv_diag[i] = 1.0 / Li[i];
        } else {
          Li[j] = v * inv_diag[j];
        }
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
