// One tile of the score matrix: S (mb × T, row stride ldS) = U_block · V_tileᵀ, with U (users×k)
// and V (items×k) row-major. With BLAS this is one sgemm; otherwise both operands are packed into
// register-blocked panels (MR users × NR items) and an outer-product micro-kernel computes each
// MR×NR block with all accumulators held in registers.
#pragma once
#include <algorithm>
#include <cstddef>
#include <vector>

#include "blas.h"
#include "simd.h"

namespace mixtape {

#if defined(__AVX2__)
// 6 users × 16 items = 12 ymm accumulators + 2 loads + 1 broadcast: fits the 16 AVX2 registers.
// AVX-512 builds use this kernel as well (AVX2 is implied); the 256-bit form is a good fit for
// CPUs that split 512-bit operations.
constexpr std::size_t kMR = 6, kNR = 16;
#else
constexpr std::size_t kMR = 4, kNR = 8;
#endif

/** acc(MR×NR) = Σ_f Up[f][r] · Vp[f][c]; writes the block to S (stride ldS). */
inline void micro_kernel(const float* Up, const float* Vp, std::size_t k, float* S, std::size_t ldS) {
#if defined(__AVX2__)
  __m256 c00 = _mm256_setzero_ps(), c01 = _mm256_setzero_ps(), c10 = _mm256_setzero_ps(),
         c11 = _mm256_setzero_ps(), c20 = _mm256_setzero_ps(), c21 = _mm256_setzero_ps(),
         c30 = _mm256_setzero_ps(), c31 = _mm256_setzero_ps(), c40 = _mm256_setzero_ps(),
         c41 = _mm256_setzero_ps(), c50 = _mm256_setzero_ps(), c51 = _mm256_setzero_ps();
  for (std::size_t f = 0; f < k; ++f) {
    const __m256 v0 = _mm256_loadu_ps(Vp + f * kNR), v1 = _mm256_loadu_ps(Vp + f * kNR + 8);
    const float* u = Up + f * kMR;
    __m256 b = _mm256_broadcast_ss(u + 0);
    c00 = fmadd256(b, v0, c00), c01 = fmadd256(b, v1, c01);
    b = _mm256_broadcast_ss(u + 1);
    c10 = fmadd256(b, v0, c10), c11 = fmadd256(b, v1, c11);
    b = _mm256_broadcast_ss(u + 2);
    c20 = fmadd256(b, v0, c20), c21 = fmadd256(b, v1, c21);
    b = _mm256_broadcast_ss(u + 3);
    c30 = fmadd256(b, v0, c30), c31 = fmadd256(b, v1, c31);
    b = _mm256_broadcast_ss(u + 4);
    c40 = fmadd256(b, v0, c40), c41 = fmadd256(b, v1, c41);
    b = _mm256_broadcast_ss(u + 5);
    c50 = fmadd256(b, v0, c50), c51 = fmadd256(b, v1, c51);
  }
  _mm256_storeu_ps(S, c00), _mm256_storeu_ps(S + 8, c01);
  _mm256_storeu_ps(S + ldS, c10), _mm256_storeu_ps(S + ldS + 8, c11);
  _mm256_storeu_ps(S + 2 * ldS, c20), _mm256_storeu_ps(S + 2 * ldS + 8, c21);
  _mm256_storeu_ps(S + 3 * ldS, c30), _mm256_storeu_ps(S + 3 * ldS + 8, c31);
  _mm256_storeu_ps(S + 4 * ldS, c40), _mm256_storeu_ps(S + 4 * ldS + 8, c41);
  _mm256_storeu_ps(S + 5 * ldS, c50), _mm256_storeu_ps(S + 5 * ldS + 8, c51);
#else
  float acc[kMR][kNR] = {};
  for (std::size_t f = 0; f < k; ++f)
    for (std::size_t r = 0; r < kMR; ++r)
      for (std::size_t c = 0; c < kNR; ++c) acc[r][c] += Up[f * kMR + r] * Vp[f * kNR + c];
  for (std::size_t r = 0; r < kMR; ++r)
    for (std::size_t c = 0; c < kNR; ++c) S[r * ldS + c] = acc[r][c];
#endif
}

/** Per-call buffers of the own kernel (unused with BLAS). */
class TileScorer {
 public:
  /** Rows of S must be padded to a multiple of this (micro-kernel rows)... */
  static constexpr std::size_t row_pad = kMR;
  /** ...and its row stride to a multiple of this. */
  static constexpr std::size_t col_pad = kNR;

  static std::size_t round_up(std::size_t x, std::size_t m) { return (x + m - 1) / m * m; }

  /** Packs rows [u0, u0+mb) of U; call once per user block. */
  void pack_users(const float* U, std::size_t u0, std::size_t mb, std::size_t k) {
#if defined(MIXTAPE_HAVE_BLAS)
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
#if defined(MIXTAPE_HAVE_BLAS)
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
#if defined(MIXTAPE_HAVE_BLAS)
  const float* U_ = nullptr;
#else
  std::vector<float> up_, vp_;
#endif
};

}  // namespace mixtape
