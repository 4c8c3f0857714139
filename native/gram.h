// G = YᵀY (k×k, full symmetric) for a row-major Y (n×k).
#pragma once
#include <algorithm>
#include <cstddef>
#include <cstring>

#include "blas.h"
#include "simd.h"

namespace mixtape {

/** Writes the full symmetric k×k gram of Y (n×k) into G. */
inline void gram(const float* Y, std::size_t n, std::size_t k, float* G) {
  std::fill(G, G + k * k, 0.f);
  if (n == 0) return;
#if defined(MIXTAPE_HAVE_BLAS)
  cblas_ssyrk(CblasRowMajor, CblasUpper, CblasTrans, static_cast<int>(k), static_cast<int>(n), 1.f, Y,
              static_cast<int>(k), 0.f, G, static_cast<int>(k));
#else
  // Blocked over rows of Y so a block stays in cache while each row of G (upper part) sweeps it.
  const std::size_t block = std::max<std::size_t>(16, (32 * 1024) / (k * sizeof(float)));
  for (std::size_t r0 = 0; r0 < n; r0 += block) {
    const std::size_t r1 = std::min(n, r0 + block);
    for (std::size_t a = 0; a < k; ++a) {
      float* g = G + a * k + a;
      for (std::size_t r = r0; r < r1; ++r) {
        const float* y = Y + r * k;
        axpy(y[a], y + a, g, k - a);
      }
    }
  }
#endif
  for (std::size_t a = 0; a < k; ++a)
    for (std::size_t b = 0; b < a; ++b) G[a * k + b] = G[b * k + a];
}

}  // namespace mixtape
