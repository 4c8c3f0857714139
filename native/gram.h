// G = YᵀY (k×k, full symmetric) for a row-major Y (n×k).
#pragma once
#include <algorithm>
#include <cstddef>
#include <cstring>

#include "blas.h"
#include "syrk.h"

namespace mixtape {

/** Writes the full symmetric k×k gram of Y (n×k) into G. */
inline void gram(const float* Y, std::size_t n, std::size_t k, float* G) {
  std::fill(G, G + k * k, 0.f);
  if (n == 0) return;
#if defined(MIXTAPE_HAVE_BLAS)
  cblas_ssyrk(CblasRowMajor, CblasUpper, CblasTrans, static_cast<int>(k), static_cast<int>(n), 1.f, Y,
              static_cast<int>(k), 0.f, G, static_cast<int>(k));
#else
  // Packed, register-blocked syrk over chunks of rows (the same micro-kernel as scoring).
  Syrk(k).add(Y, n, nullptr, G);
#endif
  for (std::size_t a = 0; a < k; ++a)
    for (std::size_t b = 0; b < a; ++b) G[a * k + b] = G[b * k + a];
}

}  // namespace mixtape
