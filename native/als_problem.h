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
#include "prefetch.h"
#include "scratch.h"
#include "simd.h"

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
  std::size_t first_row = 0;  // the caller's number of row 0 here, for messages (the binding rebases to the range)
};

/**
 * Gathered rows of Y for (part of) one row u, plus its weights (c − 1) and targets c·p. Holds at
 * most `capacity` entries: longer rows are gathered in pieces, so scratch stays bounded however
 * popular an item is.
 */
struct RowGather {
  Scratch<float> Z, w, cp;  // uninitialised: load() writes each entry before it is read
  std::size_t len = 0;  // entries gathered by the last load
  std::size_t capacity = 0;

  RowGather(const AlsProblem& p, std::size_t max_entries) {
    std::size_t longest = 0;
    for (std::size_t u = p.row_begin; u < p.row_end; ++u)
      longest = std::max<std::size_t>(longest, static_cast<std::size_t>(p.indptr[u + 1] - p.indptr[u]));
    capacity = std::max<std::size_t>(1, std::min(longest, max_entries));
    Z.reset(capacity * p.k);
    w.reset(capacity);
    cp.reset(capacity);
  }

  static std::size_t row_length(const AlsProblem& p, std::size_t u) {
    return static_cast<std::size_t>(p.indptr[u + 1] - p.indptr[u]);
  }

  /**
   * Gathers entries [first, first + count) of row u (count ≤ capacity). The fixed side's rows are
   * scattered over a matrix larger than the caches, so each copy would wait on a miss; rows
   * kPrefetchAhead entries ahead (crossing into the next rows of the range) are prefetched so those
   * misses overlap, and short rows further ahead into L2 as well (l2_prefetch_ahead).
   */
  void load(const AlsProblem& p, std::size_t u, std::size_t first, std::size_t count) {
    const int64_t e0 = p.indptr[u] + static_cast<int64_t>(first), last = p.indptr[p.row_end];
    len = count;
    const int64_t far = l2_prefetch_ahead(p.k);
    for (std::size_t j = 0; j < len; ++j) {
      const int64_t e = e0 + static_cast<int64_t>(j);
      if (far && e + far < last) prefetch_row_l2(p.Y + static_cast<std::size_t>(p.indices[e + far]) * p.k, p.k);
      if (e + kPrefetchAhead < last) prefetch_row(p.Y + static_cast<std::size_t>(p.indices[e + kPrefetchAhead]) * p.k, p.k);
      copy_row(p.Y + static_cast<std::size_t>(p.indices[e]) * p.k, Z.data() + j * p.k, p.k);
      w[j] = p.conf[e] - 1.f;
      cp[j] = p.conf[e] * p.pref[e];
    }
  }

 private:
  static void copy_row(const float* src, float* dst, std::size_t k) {
#if defined(__AVX512F__)
    for (std::size_t f = 0; f < k; f += 16) {
      const __mmask16 m = lanes16(k - f);
      _mm512_mask_storeu_ps(dst + f, m, _mm512_maskz_loadu_ps(m, src + f));
    }
#elif defined(__AVX2__)
    std::size_t f = 0;
    for (; f + 8 <= k; f += 8) _mm256_storeu_ps(dst + f, _mm256_loadu_ps(src + f));
    for (; f < k; ++f) dst[f] = src[f];
#else
    std::memcpy(dst, src, k * sizeof(float));
#endif
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
