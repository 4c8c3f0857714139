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

/**
 * Per-call packed operands. Users are packed once per super-block, items once per tile; each
 * (users sub-block × tile) product then reads only packed, contiguous panels.
 */
class TileScorer {
 public:
  /** Sub-block row offsets must be multiples of this (micro-kernel rows)... */
  static constexpr std::size_t row_pad = kMR;
  /** ...and the row stride of S a multiple of this. */
  static constexpr std::size_t col_pad = kNR;

  static std::size_t round_up(std::size_t x, std::size_t m) { return (x + m - 1) / m * m; }

  explicit TileScorer(std::size_t k) : k_(k) {}

  /** Packs rows [u0, u0+mb) of U (the super-block). */
  void pack_users(const float* U, std::size_t u0, std::size_t mb) {
#if defined(MIXTAPE_TILE_BLAS)
    U_ = U + u0 * k_;
    (void)mb;
#else
    const std::size_t panels = round_up(mb, kMR) / kMR;
    up_.assign(panels * kMR * k_, 0.f);
    for (std::size_t r = 0; r < mb; ++r) {
      const float* src = U + (u0 + r) * k_;
      float* dst = up_.data() + (r / kMR) * kMR * k_ + (r % kMR);
      for (std::size_t f = 0; f < k_; ++f) dst[f * kMR] = src[f];
    }
#endif
  }

  /** Packs items [t0, t0+T) of V (the tile). */
  void pack_items(const float* V, std::size_t t0, std::size_t T) {
    T_ = T;
#if defined(MIXTAPE_TILE_BLAS)
    V_ = V + t0 * k_;
#else
    const std::size_t panels = round_up(T, kNR) / kNR;
    vp_.resize(panels * kNR * k_);
    for (std::size_t p = 0; p < panels; ++p) {
      float* dst = vp_.data() + p * kNR * k_;
      const std::size_t c1 = std::min(kNR, T - p * kNR);
      for (std::size_t c = 0; c < c1; ++c) {
        const float* src = V + (t0 + p * kNR + c) * k_;
        for (std::size_t f = 0; f < k_; ++f) dst[f * kNR + c] = src[f];
      }
      for (std::size_t c = c1; c < kNR; ++c)
        for (std::size_t f = 0; f < k_; ++f) dst[f * kNR + c] = 0.f;
    }
#endif
  }

  /**
   * S (rows × T, stride ldS ≥ round_up(T, col_pad), at least round_up(rows, row_pad) rows) =
   * packed users [r0, r0+rows) · packed tileᵀ; r0 is a multiple of row_pad.
   */
  void score(std::size_t r0, std::size_t rows, float* S, std::size_t ldS) const {
#if defined(MIXTAPE_TILE_BLAS)
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, static_cast<int>(rows), static_cast<int>(T_),
                static_cast<int>(k_), 1.f, U_ + r0 * k_, static_cast<int>(k_), V_, static_cast<int>(k_), 0.f, S,
                static_cast<int>(ldS));
#else
    const std::size_t vpanels = round_up(T_, kNR) / kNR, upanels = round_up(rows, kMR) / kMR;
    const float* up = up_.data() + r0 * k_;  // r0 / kMR panels of kMR·k floats
    for (std::size_t vp = 0; vp < vpanels; ++vp)
      for (std::size_t u = 0; u < upanels; ++u)
        micro_kernel(up + u * kMR * k_, vp_.data() + vp * kNR * k_, k_, S + u * kMR * ldS + vp * kNR, ldS);
#endif
  }

#if !defined(MIXTAPE_TILE_BLAS) && defined(__AVX2__)
  /**
   * The same products as score(), handed to `epi(row, col, c)` in registers instead of stored:
   * c holds users r0+row…+kMR−1 (packed rows, some past `rows` when it is not a multiple of kMR)
   * × tile items col…col+kNR−1 (some past the tile's end in its last panel). For each user the
   * item panels arrive in ascending order.
   */
  template <class Epilogue>
  void score_blocks(std::size_t r0, std::size_t rows, Epilogue&& epi) const {
    const std::size_t vpanels = round_up(T_, kNR) / kNR, upanels = round_up(rows, kMR) / kMR;
    const float* up = up_.data() + r0 * k_;
    for (std::size_t vp = 0; vp < vpanels; ++vp)
      for (std::size_t u = 0; u < upanels; ++u) {
        __m256 c[kMR][2];
        for (auto& row : c) row[0] = row[1] = _mm256_setzero_ps();
        micro_accumulate(up + u * kMR * k_, vp_.data() + vp * kNR * k_, k_, c);
        epi(u * kMR, vp * kNR, c);
      }
  }
#endif

  std::size_t tile_items() const { return T_; }

 private:
  std::size_t k_, T_ = 0;
#if defined(MIXTAPE_TILE_BLAS)
  const float* U_ = nullptr;
  const float* V_ = nullptr;
#else
  std::vector<float> up_, vp_;
#endif
};

}  // namespace mixtape
