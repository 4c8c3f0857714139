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

/**
 * acc(MR×NR) = Σ_f Up[f][r] · Vp[f][c] over the inner dimension k; writes the block to S (stride
 * ldS), or adds it to S when Accumulate.
 */
template <bool Accumulate = false>
inline void micro_kernel(const float* Up, const float* Vp, std::size_t k, float* S, std::size_t ldS) {
#if defined(__AVX2__)
  auto init = [S, ldS](std::size_t r, std::size_t h) {
    return Accumulate ? _mm256_loadu_ps(S + r * ldS + h * 8) : _mm256_setzero_ps();
  };
  __m256 c00 = init(0, 0), c01 = init(0, 1), c10 = init(1, 0), c11 = init(1, 1), c20 = init(2, 0), c21 = init(2, 1),
         c30 = init(3, 0), c31 = init(3, 1), c40 = init(4, 0), c41 = init(4, 1), c50 = init(5, 0), c51 = init(5, 1);
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
