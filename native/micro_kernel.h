// The register-blocked GEMM micro-kernel shared by scoring and the own gram/syrk: an MR×NR block
// of C = Σ_f a_f b_fᵀ from two packed panels (A panel: [f][MR], B panel: [f][NR]).
#pragma once
#include <cstddef>

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

#if defined(__AVX2__)
/**
 * c[r][h] += Σ_f Up[f][r] · Vp[f][8h..8h+8) in order f = 0…k−1, one fused multiply-add per term:
 * the accumulation every AVX2 caller shares (the score of a (user, item) pair is the same chain
 * whether it is stored or selected in registers).
 */
inline void micro_accumulate(const float* Up, const float* Vp, std::size_t k, __m256 (&c)[kMR][2]) {
  __m256 c00 = c[0][0], c01 = c[0][1], c10 = c[1][0], c11 = c[1][1], c20 = c[2][0], c21 = c[2][1];
  __m256 c30 = c[3][0], c31 = c[3][1], c40 = c[4][0], c41 = c[4][1], c50 = c[5][0], c51 = c[5][1];
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
  c[0][0] = c00, c[0][1] = c01, c[1][0] = c10, c[1][1] = c11, c[2][0] = c20, c[2][1] = c21;
  c[3][0] = c30, c[3][1] = c31, c[4][0] = c40, c[4][1] = c41, c[5][0] = c50, c[5][1] = c51;
}
#endif

/**
 * acc(MR×NR) = Σ_f Up[f][r] · Vp[f][c] over the inner dimension k; writes the block to S (stride
 * ldS), or adds it to S when Accumulate.
 */
template <bool Accumulate = false>
inline void micro_kernel(const float* Up, const float* Vp, std::size_t k, float* S, std::size_t ldS) {
#if defined(__AVX2__)
  __m256 c[kMR][2];
  for (std::size_t r = 0; r < kMR; ++r)
    for (std::size_t h = 0; h < 2; ++h) c[r][h] = Accumulate ? _mm256_loadu_ps(S + r * ldS + h * 8) : _mm256_setzero_ps();
  micro_accumulate(Up, Vp, k, c);
  for (std::size_t r = 0; r < kMR; ++r)
    for (std::size_t h = 0; h < 2; ++h) _mm256_storeu_ps(S + r * ldS + h * 8, c[r][h]);
#else
  float acc[kMR][kNR] = {};
  if (Accumulate)
    for (std::size_t r = 0; r < kMR; ++r)
      for (std::size_t c = 0; c < kNR; ++c) acc[r][c] = S[r * ldS + c];
  for (std::size_t f = 0; f < k; ++f)
    for (std::size_t r = 0; r < kMR; ++r)
      for (std::size_t c = 0; c < kNR; ++c) acc[r][c] += Up[f * kMR + r] * Vp[f * kNR + c];
  for (std::size_t r = 0; r < kMR; ++r)
    for (std::size_t c = 0; c < kNR; ++c) S[r * ldS + c] = acc[r][c];
#endif
}

}  // namespace mixtape
