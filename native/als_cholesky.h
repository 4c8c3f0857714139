// Exact ALS row solver: the row's part of the k×k normal equations, Σ (c−1) y yᵀ, is built in
// float32 (rank-1 updates on the gathered rows, or one syrk/gemm for longer rows), added to
// YᵀY + λI in float64, and solved by a float64 Cholesky. Rows longer than the gather scratch are
// built piece by piece, so scratch stays bounded however popular an item is. Entries whose term
// outweighs YᵀY + λI (very large confidences) are added in float64 instead (add_heavy_entries).
#pragma once
#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "als_problem.h"
#include "blas.h"
#include "cholesky.h"
#include "scratch.h"
#include "simd.h"
#include "syrk.h"

namespace mixtape {

/** Upper triangle of A = Σ_j w_j z_j z_jᵀ over the gathered rows (the lower part is scratch). */
inline void add_weighted_outer(const RowGather& g, std::size_t k, float* A, Scratch<float>& tmp, Syrk& syrk) {
#if defined(MIXTAPE_HAVE_BLAS)
  if (g.len >= 8) {
    const bool nonneg = std::all_of(g.w.data(), g.w.data() + g.len, [](float v) { return v >= 0.f; });
    const int K = static_cast<int>(k), L = static_cast<int>(g.len);
    if (nonneg) {  // A = SᵀS with S = diag(√w) Z: half the work of a general product
      for (std::size_t j = 0; j < g.len; ++j) {
        const float s = std::sqrt(g.w[j]);
        for (std::size_t a = 0; a < k; ++a) tmp[j * k + a] = s * g.Z[j * k + a];
      }
      cblas_ssyrk(CblasRowMajor, CblasUpper, CblasTrans, K, L, 1.f, tmp.data(), K, 0.f, A, K);
    } else {
      for (std::size_t j = 0; j < g.len; ++j)
        for (std::size_t a = 0; a < k; ++a) tmp[j * k + a] = g.w[j] * g.Z[j * k + a];
      cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, K, K, L, 1.f, tmp.data(), K, g.Z.data(), K, 0.f, A, K);
    }
    return;
  }
#endif
  (void)tmp;
  for (std::size_t a = 0; a < k; ++a) std::fill(A + a * k + a, A + (a + 1) * k, 0.f);
  if (g.len >= 8) {
    syrk.add(g.Z.data(), g.len, g.w.data(), A, false);
    return;
  }
  for (std::size_t a = 0; a < k; ++a) {
    float* Aa = A + a * k + a;
    for (std::size_t j = 0; j < g.len; ++j) {
      const float* z = g.Z.data() + j * k;
      const float s = g.w[j] * z[a];
      if (s != 0.f) axpy(s, z + a, Aa, k - a);
    }
  }
}

/** |z|² over k floats, accumulated in float64 (independent partial sums: this runs once per entry). */
inline double squared_norm_f64(const float* z, std::size_t k) {
  std::size_t a = 0;
  double s = 0;
#if defined(__AVX2__) && defined(__FMA__)
  __m256d s0 = _mm256_setzero_pd(), s1 = _mm256_setzero_pd();
  for (; a + 8 <= k; a += 8) {
    const __m256d x0 = _mm256_cvtps_pd(_mm_loadu_ps(z + a)), x1 = _mm256_cvtps_pd(_mm_loadu_ps(z + a + 4));
    s0 = _mm256_fmadd_pd(x0, x0, s0);
    s1 = _mm256_fmadd_pd(x1, x1, s1);
  }
  const __m256d t = _mm256_add_pd(s0, s1);
  const __m128d h = _mm_add_pd(_mm256_castpd256_pd128(t), _mm256_extractf128_pd(t, 1));
  s = _mm_cvtsd_f64(_mm_add_sd(h, _mm_unpackhi_pd(h, h)));
#endif
  for (; a < k; ++a) s += static_cast<double>(z[a]) * z[a];
  return s;
}

/**
 * Adds the entries of the gathered piece whose term w z zᵀ outweighs G = YᵀY + λI (w·|z|² > `heavy`)
 * to the upper triangle of U in float64, and zeroes their weight so the float32 build skips them.
 * A user with thousands of plays of one track has such an entry: float32 rounds its term by about
 * 6e-8·w|z|², which can exceed the system's smallest eigenvalue (about λ) and make the built matrix
 * indefinite, while G itself only carries rounding of its own size.
 */
inline void add_heavy_entries(RowGather& g, std::size_t k, double heavy, double* U) {
  for (std::size_t j = 0; j < g.len; ++j) {
    const float* z = g.Z.data() + j * k;
    const double zz = squared_norm_f64(z, k), w = g.w[j];
    if (!(std::abs(w) * zz > heavy)) continue;
    for (std::size_t a = 0; a < k; ++a) {
      const double s = w * z[a];
      double* Ua = U + a * k;
      for (std::size_t c = a; c < k; ++c) Ua[c] += s * z[c];
    }
    g.w[j] = 0.f;
  }
}

inline void als_cholesky(const AlsProblem& p) {
  const std::size_t k = p.k;
  const std::vector<float> G = regularized_gram(p);
  // Pieces of up to 4 MiB of gathered factors.
  RowGather g(p, std::max<std::size_t>(256, (std::size_t{4} << 20) / (k * sizeof(float))));
  std::vector<float> A(k * k);
  Scratch<float> tmp;  // the scaled rows handed to BLAS; never reserved without it
#if defined(MIXTAPE_HAVE_BLAS)
  tmp.reset(g.capacity * k);
#endif
  Syrk syrk(k);
  std::vector<double> U(k * k), b(k);
  double heavy = 0;  // an entry whose w·|z|² exceeds G's largest diagonal is built in float64
  for (std::size_t a = 0; a < k; ++a) heavy = std::max(heavy, static_cast<double>(G[a * k + a]));
  for (std::size_t u = p.row_begin; u < p.row_end; ++u) {
    float* x = p.X + u * k;
    const std::size_t len = RowGather::row_length(p, u);
    if (len == 0) {
      std::fill(x, x + k, 0.f);
      continue;
    }
    for (std::size_t a = 0; a < k; ++a)
      for (std::size_t c = a; c < k; ++c) U[a * k + c] = static_cast<double>(G[a * k + c]);
    std::fill(b.begin(), b.end(), 0.0);
    for (std::size_t first = 0; first < len; first += g.capacity) {
      g.load(p, u, first, std::min(g.capacity, len - first));
      add_heavy_entries(g, k, heavy, U.data());
      add_weighted_outer(g, k, A.data(), tmp, syrk);
      for (std::size_t a = 0; a < k; ++a)
        for (std::size_t c = a; c < k; ++c) U[a * k + c] += A[a * k + c];
      for (std::size_t j = 0; j < g.len; ++j) {
        const double cp = g.cp[j];
        if (cp == 0.0) continue;
        const float* z = g.Z.data() + j * k;
        for (std::size_t a = 0; a < k; ++a) b[a] += cp * z[a];
      }
    }
    double pivot = 0;
    const long bad = cholesky_factor_upper(U.data(), k, &pivot);
    if (bad >= 0)
      throw_range("alsHalfStep: normal equations of row " + std::to_string(p.first_row + u) +
                  " are not positive definite (pivot " + std::to_string(bad) + " = " + std::to_string(pivot) +
                  "); raise regularization or check conf and the factors for NaN/Infinity");
    cholesky_solve_upper(U.data(), k, b.data());
    for (std::size_t a = 0; a < k; ++a) x[a] = static_cast<float>(b[a]);
    check_solution(x, k, p.first_row + u);
  }
}

}  // namespace mixtape
