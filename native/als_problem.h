// The inputs of one ALS half-step over a row range, and the per-call scratch that gathers a row's
// fixed-side factors into one contiguous block (reused by every pass over the row).
#pragma once
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "errors.h"

namespace mixtape {

/**
 * Solve rows [row_begin, row_end) of X against the fixed Y:
 *   (YᵀY + Σ_i (c_ui − 1) y_i y_iᵀ + λI) x_u = Σ_i c_ui p_ui y_i
 * Validated by the binding before any kernel runs.
 */
struct AlsProblem {
  const int32_t* indptr;
  const int32_t* indices;
  const float* pref;
  const float* conf;
  float* X;          // rows × k, written in place
  const float* Y;    // cols × k
  const float* YtY;  // k × k
  std::size_t k;
  float reg;
  std::size_t row_begin, row_end;
};

/** Gathered rows of Y for one row u, plus its weights (c − 1) and targets c·p. */
struct RowGather {
  std::vector<float> Z, w, cp;
  std::size_t len = 0;

  explicit RowGather(const AlsProblem& p) {
    std::size_t longest = 0;
    for (std::size_t u = p.row_begin; u < p.row_end; ++u)
      longest = std::max<std::size_t>(longest, static_cast<std::size_t>(p.indptr[u + 1] - p.indptr[u]));
    Z.resize(longest * p.k);
    w.resize(longest);
    cp.resize(longest);
  }

  void load(const AlsProblem& p, std::size_t u) {
    const int64_t e0 = p.indptr[u], e1 = p.indptr[u + 1];
    len = static_cast<std::size_t>(e1 - e0);
    for (std::size_t j = 0; j < len; ++j) {
      const int64_t e = e0 + static_cast<int64_t>(j);
      std::memcpy(Z.data() + j * p.k, p.Y + static_cast<std::size_t>(p.indices[e]) * p.k, p.k * sizeof(float));
      w[j] = p.conf[e] - 1.f;
      cp[j] = p.conf[e] * p.pref[e];
    }
  }
};

/** G = YᵀY + λI, the part of every row's system that does not depend on the row. */
inline std::vector<float> regularized_gram(const AlsProblem& p) {
  std::vector<float> G(p.YtY, p.YtY + p.k * p.k);
  for (std::size_t a = 0; a < p.k; ++a) G[a * p.k + a] += p.reg;
  return G;
}

/** A solved row must be finite; NaN/Inf here means NaN/Inf in X (warm start), Y or YtY. */
inline void check_solution(const float* x, std::size_t k, std::size_t u) {
  for (std::size_t a = 0; a < k; ++a)
    if (!std::isfinite(x[a]))
      throw_range("alsHalfStep: solution of row " + std::to_string(u) +
                  " is not finite (NaN or Infinity in X, Y or YtY, or a singular system with regularization 0)");
}

}  // namespace mixtape
