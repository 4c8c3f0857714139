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
  // The lanes summed in _mm512_reduce_add_pd's order (halves, then quarters, then the pair), so
  // the result is the same; GCC 12's intrinsic (and its 512→256 casts) warn of an uninitialised
  // register in every AVX-512 build.
  alignas(64) double t[8];
  _mm512_store_pd(t, _mm512_add_pd(s0, s1));
  double s = ((t[4] + t[0]) + (t[6] + t[2])) + ((t[5] + t[1]) + (t[7] + t[3]));
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
 * In-place Cholesky A = UᵀU of the symmetric n×n row-major A, reading and writing only the upper
 * triangle (U[j][c] for c ≥ j). Right-looking and blocked by four: each pivot row is scaled, and
 * the rows below take the four pivot rows' updates in one pass of contiguous 4-wide FMAs, so almost
 * all the work is vectorised along rows. Returns -1 on success, else the index of the first pivot
 * that is not positive (or not finite); `pivot` then holds its value.
 */
inline long cholesky_factor_upper(double* A, std::size_t n, double* pivot = nullptr) {
  for (std::size_t j0 = 0; j0 < n; j0 += 4) {
    const std::size_t j1 = std::min(n, j0 + 4);
    // Factor the pivot rows j0..j1 among themselves.
    for (std::size_t j = j0; j < j1; ++j) {
      double* Uj = A + j * n;
      const double d = Uj[j];
      if (!(d > 0.0) || !std::isfinite(d)) {
        if (pivot) *pivot = d;
        return static_cast<long>(j);
      }
      const double ujj = std::sqrt(d), inv = 1.0 / ujj;
      Uj[j] = ujj;
      for (std::size_t c = j + 1; c < n; ++c) Uj[c] *= inv;
      for (std::size_t i = j + 1; i < j1; ++i) {
        const double s = Uj[i];
        double* Ai = A + i * n;
        for (std::size_t c = i; c < n; ++c) Ai[c] -= s * Uj[c];
      }
    }
    // Rank-(j1 − j0) update of the trailing rows: A[i][c] −= Σ_t U[t][i] U[t][c], c ≥ i.
    const double* U0 = A + j0 * n;
    const std::size_t m = j1 - j0;
    for (std::size_t i = j1; i < n; ++i) {
      double* Ai = A + i * n;
      if (m == 4) {
        const double *U1 = U0 + n, *U2 = U1 + n, *U3 = U2 + n;
        const double s0 = U0[i], s1 = U1[i], s2 = U2[i], s3 = U3[i];
        std::size_t c = i;
#if defined(__AVX2__) && defined(__FMA__)
        const __m256d v0 = _mm256_set1_pd(s0), v1 = _mm256_set1_pd(s1), v2 = _mm256_set1_pd(s2), v3 = _mm256_set1_pd(s3);
        auto update = [&](std::size_t at, __m256i mask) {  // lanes outside the mask are neither read nor written
          __m256d a = _mm256_maskload_pd(Ai + at, mask);
          a = _mm256_fnmadd_pd(v0, _mm256_maskload_pd(U0 + at, mask), a);
          a = _mm256_fnmadd_pd(v1, _mm256_maskload_pd(U1 + at, mask), a);
          a = _mm256_fnmadd_pd(v2, _mm256_maskload_pd(U2 + at, mask), a);
          a = _mm256_fnmadd_pd(v3, _mm256_maskload_pd(U3 + at, mask), a);
          _mm256_maskstore_pd(Ai + at, mask, a);
        };
        // Rows start at the diagonal: a masked head reaches a multiple of four, a masked tail ends
        // the row, so the short rows near the end of the matrix stay vectorised too.
        const std::size_t head = c & 3;
        if (head != 0 && c - head + 4 <= n) {
          update(c - head, _mm256_cmpgt_epi64(_mm256_setr_epi64x(0, 1, 2, 3), _mm256_set1_epi64x(static_cast<long long>(head) - 1)));
          c += 4 - head;
        }
        for (; c + 4 <= n; c += 4) {
          __m256d a = _mm256_loadu_pd(Ai + c);
          a = _mm256_fnmadd_pd(v0, _mm256_loadu_pd(U0 + c), a);
          a = _mm256_fnmadd_pd(v1, _mm256_loadu_pd(U1 + c), a);
          a = _mm256_fnmadd_pd(v2, _mm256_loadu_pd(U2 + c), a);
          a = _mm256_fnmadd_pd(v3, _mm256_loadu_pd(U3 + c), a);
          _mm256_storeu_pd(Ai + c, a);
        }
        if (c < n && (c & 3) == 0 && c + 4 > n) {
          update(c, _mm256_cmpgt_epi64(_mm256_set1_epi64x(static_cast<long long>(n - c)), _mm256_setr_epi64x(0, 1, 2, 3)));
          c = n;
        }
#endif
        for (; c < n; ++c) Ai[c] = Ai[c] - s0 * U0[c] - s1 * U1[c] - s2 * U2[c] - s3 * U3[c];
      } else {
        for (std::size_t t = 0; t < m; ++t) {
          const double* Ut = U0 + t * n;
          const double s = Ut[i];
          for (std::size_t c = i; c < n; ++c) Ai[c] -= s * Ut[c];
        }
      }
    }
  }
  return -1;
}

/** Solves UᵀU x = b in place (b becomes x) for a factor from cholesky_factor_upper. */
inline void cholesky_solve_upper(const double* U, std::size_t n, double* b) {
  for (std::size_t i = 0; i < n; ++i) {  // Uᵀ y = b, by columns of Uᵀ (rows of U)
    const double* Ui = U + i * n;
    const double y = b[i] / Ui[i];
    b[i] = y;
    for (std::size_t c = i + 1; c < n; ++c) b[c] -= y * Ui[c];
  }
  for (std::size_t i = n; i-- > 0;) {  // U x = y
    const double* Ui = U + i * n;
    b[i] = (b[i] - ddot(Ui + i + 1, b + i + 1, n - i - 1)) / Ui[i];
  }
}

}  // namespace mixtape
