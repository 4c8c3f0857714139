// Matrix-vector products over a small row-major block (a row's gathered factors, or the k×k gram):
// t = Z v (row dots, four rows at a time sharing each load of v) and out += Zᵀ s (the k-vector
// kept in registers while every row streams past). These are the inner loops of CG.
#pragma once
#include <cstddef>

#include "simd.h"

namespace mixtape {

/** t[j] = Z[j]·v for j < rows (Z is rows×k, row-major). */
inline void gemv_rows(const float* Z, std::size_t rows, std::size_t k, const float* v, float* t) {
  std::size_t j = 0;
#if defined(__AVX2__)
  for (; j + 4 <= rows; j += 4) {
    const float *z0 = Z + j * k, *z1 = z0 + k, *z2 = z1 + k, *z3 = z2 + k;
    __m256 s0 = _mm256_setzero_ps(), s1 = _mm256_setzero_ps(), s2 = _mm256_setzero_ps(), s3 = _mm256_setzero_ps();
    std::size_t f = 0;
    for (; f + 8 <= k; f += 8) {
      const __m256 x = _mm256_loadu_ps(v + f);
      s0 = fmadd256(_mm256_loadu_ps(z0 + f), x, s0);
      s1 = fmadd256(_mm256_loadu_ps(z1 + f), x, s1);
      s2 = fmadd256(_mm256_loadu_ps(z2 + f), x, s2);
      s3 = fmadd256(_mm256_loadu_ps(z3 + f), x, s3);
    }
    float r0 = hsum256(s0), r1 = hsum256(s1), r2 = hsum256(s2), r3 = hsum256(s3);
    for (; f < k; ++f) {
      r0 += z0[f] * v[f], r1 += z1[f] * v[f], r2 += z2[f] * v[f], r3 += z3[f] * v[f];
    }
    t[j] = r0, t[j + 1] = r1, t[j + 2] = r2, t[j + 3] = r3;
  }
#endif
  for (; j < rows; ++j) t[j] = dot(Z + j * k, v, k);
}

/** out += Σ_j s[j] Z[j] (Z is rows×k, row-major). */
inline void gemv_t_acc(const float* Z, std::size_t rows, std::size_t k, const float* s, float* out) {
  std::size_t f = 0;
#if defined(__AVX2__)
  for (; f + 32 <= k; f += 32) {  // 32 outputs in four registers across all rows
    __m256 a0 = _mm256_loadu_ps(out + f), a1 = _mm256_loadu_ps(out + f + 8), a2 = _mm256_loadu_ps(out + f + 16),
           a3 = _mm256_loadu_ps(out + f + 24);
    for (std::size_t j = 0; j < rows; ++j) {
      const float* z = Z + j * k + f;
      const __m256 b = _mm256_broadcast_ss(s + j);
      a0 = fmadd256(b, _mm256_loadu_ps(z), a0);
      a1 = fmadd256(b, _mm256_loadu_ps(z + 8), a1);
      a2 = fmadd256(b, _mm256_loadu_ps(z + 16), a2);
      a3 = fmadd256(b, _mm256_loadu_ps(z + 24), a3);
    }
    _mm256_storeu_ps(out + f, a0), _mm256_storeu_ps(out + f + 8, a1);
    _mm256_storeu_ps(out + f + 16, a2), _mm256_storeu_ps(out + f + 24, a3);
  }
  for (; f + 8 <= k; f += 8) {
    __m256 a0 = _mm256_loadu_ps(out + f);
    for (std::size_t j = 0; j < rows; ++j) a0 = fmadd256(_mm256_broadcast_ss(s + j), _mm256_loadu_ps(Z + j * k + f), a0);
    _mm256_storeu_ps(out + f, a0);
  }
#endif
  if (f < k)
    for (std::size_t j = 0; j < rows; ++j) {
      const float sj = s[j];
      const float* z = Z + j * k;
      for (std::size_t c = f; c < k; ++c) out[c] += sj * z[c];
    }
}

}  // namespace mixtape
