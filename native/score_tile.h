// One tile of the score matrix: S (mb × T, row stride ldS) = U_block · V_tileᵀ, with U (users×k)
// and V (items×k) row-major. With BLAS this is one sgemm; otherwise both operands are packed into
// register-blocked panels (MR users × NR items) and an outer-product micro-kernel computes each
// MR×NR block with all accumulators held in registers. With AVX2 the own kernel is used even when
// BLAS is present: for these skinny products (k ≈ 32–128) it matched or beat OpenBLAS sgemm here,
// and it avoids sgemm's per-call packing of a fresh tile.
#pragma once
#include <algorithm>
#include <cstddef>
#include <vector>

#include "blas.h"
#include "micro_kernel.h"

namespace mixtape {

#if defined(MIXTAPE_HAVE_BLAS) && !defined(__AVX2__)
#define MIXTAPE_TILE_BLAS 1
#endif

/** Per-call buffers of the own kernel (unused when tiles go to BLAS). */
class TileScorer {
 public:
  /** Rows of S must be padded to a multiple of this (micro-kernel rows)... */
  static constexpr std::size_t row_pad = kMR;
  /** ...and its row stride to a multiple of this. */
  static constexpr std::size_t col_pad = kNR;

  static std::size_t round_up(std::size_t x, std::size_t m) { return (x + m - 1) / m * m; }

  /** Packs rows [u0, u0+mb) of U; call once per user block. */
  void pack_users(const float* U, std::size_t u0, std::size_t mb, std::size_t k) {
#if defined(MIXTAPE_TILE_BLAS)
    U_ = U + u0 * k;
    (void)mb;
#else
    const std::size_t panels = round_up(mb, kMR) / kMR;
    up_.assign(panels * kMR * k, 0.f);
    for (std::size_t r = 0; r < mb; ++r) {
      const float* src = U + (u0 + r) * k;
      float* dst = up_.data() + (r / kMR) * kMR * k + (r % kMR);
      for (std::size_t f = 0; f < k; ++f) dst[f * kMR] = src[f];
    }
#endif
    mb_ = mb;
  }

  /** S(mb × T, stride ldS ≥ round_up(T, col_pad)) = U_block · V[t0, t0+T)ᵀ. */
  void score(const float* V, std::size_t t0, std::size_t T, std::size_t k, float* S, std::size_t ldS) {
#if defined(MIXTAPE_TILE_BLAS)
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, static_cast<int>(mb_), static_cast<int>(T),
                static_cast<int>(k), 1.f, U_, static_cast<int>(k), V + t0 * k, static_cast<int>(k), 0.f, S,
                static_cast<int>(ldS));
#else
    const std::size_t vpanels = round_up(T, kNR) / kNR, upanels = round_up(mb_, kMR) / kMR;
    vp_.assign(vpanels * kNR * k, 0.f);
    for (std::size_t c = 0; c < T; ++c) {
      const float* src = V + (t0 + c) * k;
      float* dst = vp_.data() + (c / kNR) * kNR * k + (c % kNR);
      for (std::size_t f = 0; f < k; ++f) dst[f * kNR] = src[f];
    }
    for (std::size_t vp = 0; vp < vpanels; ++vp)
      for (std::size_t up = 0; up < upanels; ++up)
        micro_kernel(up_.data() + up * kMR * k, vp_.data() + vp * kNR * k, k, S + up * kMR * ldS + vp * kNR, ldS);
#endif
  }

 private:
  std::size_t mb_ = 0;
#if defined(MIXTAPE_TILE_BLAS)
  const float* U_ = nullptr;
#else
  std::vector<float> up_, vp_;
#endif
};

}  // namespace mixtape
