// Conjugate-gradient ALS row solver (Takács et al. 2011; the CPU CG of benfred/implicit): warm
// start from the current x_u, a fixed number of steps, A applied as (YᵀY+λI)v + Σ (c−1)(y·v) y
// so the k×k system matrix is never formed. Per row: O(nnz_u·k + k²) per step.
#pragma once
#include <algorithm>
#include <vector>

#include "als_problem.h"
#include "gemv.h"
#include "simd.h"

namespace mixtape {

inline void als_cg(const AlsProblem& p, int steps) {
  const std::size_t k = p.k;
  const std::vector<float> G = regularized_gram(p);
  RowGather g(p);
  std::vector<float> r(k), dir(k), Ad(k), t(g.w.size());
  for (std::size_t u = p.row_begin; u < p.row_end; ++u) {
    float* x = p.X + u * k;
    g.load(p, u);
    if (g.len == 0) {  // (YᵀY + λI) x = 0
      std::fill(x, x + k, 0.f);
      continue;
    }
    // r = b − A x = −G x + Σ_j (c p − (c−1)(z_j·x)) z_j
    gemv_rows(G.data(), k, k, x, r.data());
    for (std::size_t a = 0; a < k; ++a) r[a] = -r[a];
    gemv_rows(g.Z.data(), g.len, k, x, t.data());
    for (std::size_t j = 0; j < g.len; ++j) t[j] = g.cp[j] - g.w[j] * t[j];
    gemv_t_acc(g.Z.data(), g.len, k, t.data(), r.data());
    std::copy(r.begin(), r.end(), dir.begin());
    float rsold = dot(r.data(), r.data(), k);
    if (rsold < 1e-20f) continue;
    for (int it = 0; it < steps; ++it) {
      // A·dir = G·dir + Zᵀ (w ∘ (Z·dir))
      gemv_rows(G.data(), k, k, dir.data(), Ad.data());
      gemv_rows(g.Z.data(), g.len, k, dir.data(), t.data());
      for (std::size_t j = 0; j < g.len; ++j) t[j] *= g.w[j];
      gemv_t_acc(g.Z.data(), g.len, k, t.data(), Ad.data());
      const float alpha = rsold / dot(dir.data(), Ad.data(), k);
      axpy(alpha, dir.data(), x, k);
      axpy(-alpha, Ad.data(), r.data(), k);
      const float rsnew = dot(r.data(), r.data(), k);
      if (rsnew < 1e-20f) break;
      xpby(r.data(), rsnew / rsold, dir.data(), k);
      rsold = rsnew;
    }
    check_solution(x, k, u);
  }
}

}  // namespace mixtape
