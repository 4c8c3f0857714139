// Dot products of a list of rows of a row-major float32 matrix with one vector (one of its rows, or
// another), in float64 in a fixed order: four partial sums over j mod 4, a tail added to the first,
// then (s0 + s1) + (s2 + s3) (test/reference/row-dots.ts writes it plainly). It is the order of the
// JS dot products the re-ranker and the hybrid stage used, so their results kept their bits. A
// product of two floats is exact in float64, so a fused multiply-add rounds as a separate add does.
#pragma once
#include <cstddef>
#include <cstdint>

#include "simd.h"

namespace mixtape {

/** x · y over d floats in that order (the portable path; also the tail of the vector path). */
inline double dot_rows_order(const float* x, const float* y, std::size_t d) {
  double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  std::size_t j = 0;
  for (; j + 4 <= d; j += 4) {
    s0 += static_cast<double>(x[j]) * y[j];
    s1 += static_cast<double>(x[j + 1]) * y[j + 1];
    s2 += static_cast<double>(x[j + 2]) * y[j + 2];
    s3 += static_cast<double>(x[j + 3]) * y[j + 3];
  }
  for (; j < d; ++j) s0 += static_cast<double>(x[j]) * y[j];
  return (s0 + s1) + (s2 + s3);
}

#if defined(__AVX2__) && defined(__FMA__)
/** Lane a of `acc` holds s_a; adds the tail x[j..d)·y[j..d) to s0 and sums as dot_rows_order does. */
inline double finish_dot(__m256d acc, const float* x, const float* y, std::size_t j, std::size_t d) {
  alignas(32) double s[4];
  _mm256_store_pd(s, acc);
  for (; j < d; ++j) s[0] += static_cast<double>(x[j]) * y[j];
  return (s[0] + s[1]) + (s[2] + s[3]);
}
#endif

/**
 * out[i] = V[rows[i]] · y for i < n (rows are row indices of V, dim floats each; y has dim floats).
 * Eight rows at a time share the loads of y and keep eight independent chains of multiply-adds:
 * each row's chain is as long as its dot (the fixed order allows no reassociation), so with four
 * chains the multiply-adds waited on each other's latency at half the core's throughput. The
 * re-ranker calls this for every pick (30 a listener, 200 candidates each).
 */
inline void dots_with(const float* V, std::size_t dim, const int32_t* rows, std::size_t n, const float* y, double* out) {
  std::size_t i = 0;
#if defined(__AVX2__) && defined(__FMA__)
  const std::size_t body = dim & ~std::size_t{3};
  for (; i + 8 <= n; i += 8) {
    const float* x[8];
    for (int r = 0; r < 8; ++r) x[r] = V + static_cast<std::size_t>(rows[i + r]) * dim;
    __m256d a0 = _mm256_setzero_pd(), a1 = _mm256_setzero_pd(), a2 = _mm256_setzero_pd(), a3 = _mm256_setzero_pd();
    __m256d a4 = _mm256_setzero_pd(), a5 = _mm256_setzero_pd(), a6 = _mm256_setzero_pd(), a7 = _mm256_setzero_pd();
    for (std::size_t j = 0; j < body; j += 4) {
      const __m256d yj = _mm256_cvtps_pd(_mm_loadu_ps(y + j));
      a0 = _mm256_fmadd_pd(_mm256_cvtps_pd(_mm_loadu_ps(x[0] + j)), yj, a0);
      a1 = _mm256_fmadd_pd(_mm256_cvtps_pd(_mm_loadu_ps(x[1] + j)), yj, a1);
      a2 = _mm256_fmadd_pd(_mm256_cvtps_pd(_mm_loadu_ps(x[2] + j)), yj, a2);
      a3 = _mm256_fmadd_pd(_mm256_cvtps_pd(_mm_loadu_ps(x[3] + j)), yj, a3);
      a4 = _mm256_fmadd_pd(_mm256_cvtps_pd(_mm_loadu_ps(x[4] + j)), yj, a4);
      a5 = _mm256_fmadd_pd(_mm256_cvtps_pd(_mm_loadu_ps(x[5] + j)), yj, a5);
      a6 = _mm256_fmadd_pd(_mm256_cvtps_pd(_mm_loadu_ps(x[6] + j)), yj, a6);
      a7 = _mm256_fmadd_pd(_mm256_cvtps_pd(_mm_loadu_ps(x[7] + j)), yj, a7);
    }
    out[i] = finish_dot(a0, x[0], y, body, dim);
    out[i + 1] = finish_dot(a1, x[1], y, body, dim);
    out[i + 2] = finish_dot(a2, x[2], y, body, dim);
    out[i + 3] = finish_dot(a3, x[3], y, body, dim);
    out[i + 4] = finish_dot(a4, x[4], y, body, dim);
    out[i + 5] = finish_dot(a5, x[5], y, body, dim);
    out[i + 6] = finish_dot(a6, x[6], y, body, dim);
    out[i + 7] = finish_dot(a7, x[7], y, body, dim);
  }
  for (; i + 4 <= n; i += 4) {
    const float* x0 = V + static_cast<std::size_t>(rows[i]) * dim;
    const float* x1 = V + static_cast<std::size_t>(rows[i + 1]) * dim;
    const float* x2 = V + static_cast<std::size_t>(rows[i + 2]) * dim;
    const float* x3 = V + static_cast<std::size_t>(rows[i + 3]) * dim;
    __m256d a0 = _mm256_setzero_pd(), a1 = _mm256_setzero_pd(), a2 = _mm256_setzero_pd(), a3 = _mm256_setzero_pd();
    for (std::size_t j = 0; j < body; j += 4) {
      const __m256d yj = _mm256_cvtps_pd(_mm_loadu_ps(y + j));
      a0 = _mm256_fmadd_pd(_mm256_cvtps_pd(_mm_loadu_ps(x0 + j)), yj, a0);
      a1 = _mm256_fmadd_pd(_mm256_cvtps_pd(_mm_loadu_ps(x1 + j)), yj, a1);
      a2 = _mm256_fmadd_pd(_mm256_cvtps_pd(_mm_loadu_ps(x2 + j)), yj, a2);
      a3 = _mm256_fmadd_pd(_mm256_cvtps_pd(_mm_loadu_ps(x3 + j)), yj, a3);
    }
    out[i] = finish_dot(a0, x0, y, body, dim);
    out[i + 1] = finish_dot(a1, x1, y, body, dim);
    out[i + 2] = finish_dot(a2, x2, y, body, dim);
    out[i + 3] = finish_dot(a3, x3, y, body, dim);
  }
#endif
  for (; i < n; ++i) out[i] = dot_rows_order(V + static_cast<std::size_t>(rows[i]) * dim, y, dim);
}

/** out[i] = V[rows[i]] · V[row] for i < n: dots_with one of V's own rows. */
inline void row_dots(const float* V, std::size_t dim, const int32_t* rows, std::size_t n, std::size_t row, double* out) {
  dots_with(V, dim, rows, n, V + row * dim, out);
}

}  // namespace mixtape
