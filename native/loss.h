// The implicit-ALS objective as benfred/implicit reports it:
//   L = Σ_{u,i} c_ui (p_ui − x_u·y_i)² + λ(Σ_u |x_u|² + Σ_i |y_i|²),  unobserved: c = 1, p = 0,
// in O(nnz·k + (m+n)k²) via Σ_{all} (x·y)² = ⟨XᵀX, YᵀY⟩ plus corrections on the nonzeros.
// Accumulates in float64.
#pragma once
#include <cstdint>
#include <vector>

#include "cholesky.h"
#include "prefetch.h"

namespace mixtape {

// The additive parts of the objective over a range of user rows, so row shards can be summed
// (the caller forms L and its normalisation from the parts of all rows):
// fit = Σ_{u in range, all i} c_ui (p_ui − x_u·y_i)², norm_x = Σ_{u in range} |x_u|²,
// conf_sum = Σ c over the range's nonzeros; norm_y = Σ_i |y_i|² (the same for every range).
struct LossParts {
  double fit;
  double norm_x;
  double norm_y;
  double conf_sum;
};

// C (k×k, upper triangle, float64) += Σ_r z_r z_rᵀ over the n rows of a row-major Z (n×k).
// Four rows per sweep: each load and store of C then carries four multiply-adds instead of one.
// The last sweep pads its missing rows with zeros, which add nothing.
inline void add_gram_upper(const float* Z, std::size_t n, std::size_t k, double* C) {
  std::vector<double> w(4 * k);
  double *w0 = w.data(), *w1 = w0 + k, *w2 = w1 + k, *w3 = w2 + k;
  for (std::size_t r = 0; r < n; r += 4) {
    const std::size_t filled = (n - r < 4 ? n - r : 4) * k;
    const float* z = Z + r * k;
    for (std::size_t a = 0; a < filled; ++a) w[a] = z[a];
    for (std::size_t a = filled; a < 4 * k; ++a) w[a] = 0;
    for (std::size_t a = 0; a < k; ++a) {
      const double s0 = w0[a], s1 = w1[a], s2 = w2[a], s3 = w3[a];
      double* Ca = C + a * k;
      for (std::size_t b = a; b < k; ++b) Ca[b] += s0 * w0[b] + s1 * w1[b] + s2 * w2[b] + s3 * w3[b];
    }
  }
}

// Rows [0, rows) of a CSR range whose offsets start at 0 (as copy_csr_range makes them).
// Σ_u x_uᵀ G x_u is taken as ⟨G, XᵀX⟩ over the upper triangles: two grams of k²/2 per row
// instead of a k² quadratic form per user.
inline LossParts implicit_loss_parts(const int32_t* indptr, const int32_t* indices, const float* pref, const float* conf,
                                     std::size_t rows, const float* X, const float* Y, std::size_t n, std::size_t k) {
  std::vector<double> G(k * k, 0.0), XtX(k * k, 0.0), xd(k), yd(k);
  add_gram_upper(Y, n, k, G.data());
  add_gram_upper(X, rows, k, XtX.data());
  double norm_y = 0, norm_x = 0, total = 0;
  for (std::size_t a = 0; a < k; ++a) {
    norm_y += G[a * k + a];
    norm_x += XtX[a * k + a];
    total += G[a * k + a] * XtX[a * k + a];
    for (std::size_t b = a + 1; b < k; ++b) total += 2 * G[a * k + b] * XtX[a * k + b];
  }
  // total is now Σ_u Σ_i (x_u·y_i)², as if every entry were unobserved; correct the nonzeros.
  double conf_sum = 0;
  const int64_t last = indptr[rows];
  for (std::size_t u = 0; u < rows; ++u) {
    const float* x = X + u * k;
    for (std::size_t a = 0; a < k; ++a) xd[a] = x[a];
    for (int64_t e = indptr[u]; e < indptr[u + 1]; ++e) {
      // Widened first so the dot product runs on SIMD lanes (a scalar float-by-double loop
      // does not vectorise, and at a hundred million nonzeros it was most of the loss).
      if (e + kPrefetchAhead < last) prefetch_row(Y + static_cast<std::size_t>(indices[e + kPrefetchAhead]) * k, k);
      const float* y = Y + static_cast<std::size_t>(indices[e]) * k;
      for (std::size_t a = 0; a < k; ++a) yd[a] = y[a];
      const double d = ddot(xd.data(), yd.data(), k);
      const double c = conf[e], diff = pref[e] - d;
      total += c * diff * diff - d * d;
      conf_sum += c;
    }
  }
  return {total, norm_x, norm_y, conf_sum};
}

}  // namespace mixtape
