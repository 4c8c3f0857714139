// The implicit-ALS objective as benfred/implicit reports it:
//   L = Σ_{u,i} c_ui (p_ui − x_u·y_i)² + λ(Σ_u |x_u|² + Σ_i |y_i|²),  unobserved: c = 1, p = 0,
// in O(nnz·k + (m+n)k²) via Σ_{all} (x·y)² = Σ_u x_uᵀ(YᵀY)x_u plus corrections on the nonzeros.
// Accumulates in float64.
#pragma once
#include <cstdint>
#include <vector>

#include "cholesky.h"

namespace mixtape {

struct LossResult {
  double raw;
  double normalized;  // raw / (Σ_nnz c + m·n − nnz)
};

// The additive parts of the objective over a range of user rows, so row shards can be summed:
// fit = Σ_{u in range, all i} c_ui (p_ui − x_u·y_i)², norm_x = Σ_{u in range} |x_u|²,
// conf_sum = Σ c over the range's nonzeros; norm_y = Σ_i |y_i|² (the same for every range).
struct LossParts {
  double fit;
  double norm_x;
  double norm_y;
  double conf_sum;
};

// Rows [0, rows) of a CSR range whose offsets start at 0 (as copy_csr_range makes them).
inline LossParts implicit_loss_parts(const int32_t* indptr, const int32_t* indices, const float* pref, const float* conf,
                                     std::size_t rows, const float* X, const float* Y, std::size_t n, std::size_t k) {
  std::vector<double> G(k * k, 0.0), xd(k), yd(k);
  double norm_y = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const float* y = Y + i * k;
    for (std::size_t a = 0; a < k; ++a) yd[a] = y[a];
    norm_y += ddot(yd.data(), yd.data(), k);
    for (std::size_t a = 0; a < k; ++a) {
      const double s = yd[a];
      double* Ga = G.data() + a * k;
      for (std::size_t b = a; b < k; ++b) Ga[b] += s * yd[b];
    }
  }
  for (std::size_t a = 0; a < k; ++a)
    for (std::size_t b = 0; b < a; ++b) G[a * k + b] = G[b * k + a];

  double total = 0, norm_x = 0, conf_sum = 0;
  std::vector<double> Gx(k);
  for (std::size_t u = 0; u < rows; ++u) {
    const float* x = X + u * k;
    for (std::size_t a = 0; a < k; ++a) xd[a] = x[a];
    norm_x += ddot(xd.data(), xd.data(), k);
    for (std::size_t a = 0; a < k; ++a) Gx[a] = ddot(G.data() + a * k, xd.data(), k);
    total += ddot(xd.data(), Gx.data(), k);  // Σ_i (x·y_i)² as if every entry were unobserved
    for (int64_t e = indptr[u]; e < indptr[u + 1]; ++e) {
      // Widened first so the dot product runs on SIMD lanes (a scalar float-by-double loop
      // does not vectorise, and at a hundred million nonzeros it was most of the loss).
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

// The whole objective from the parts of all m rows (nnz entries, n items).
inline LossResult loss_from_parts(const LossParts& p, std::size_t m, std::size_t n, double nnz, double reg) {
  const double raw = p.fit + reg * (p.norm_x + p.norm_y);
  const double denom = p.conf_sum + static_cast<double>(m) * static_cast<double>(n) - nnz;
  return {raw, denom > 0 ? raw / denom : 0.0};
}

}  // namespace mixtape
