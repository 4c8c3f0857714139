// Own syrk for builds without BLAS: C += Σ_r w_r z_r z_rᵀ (k×k, upper triangle) over the rows of a
// row-major Z (len×k), by packing row chunks into micro-kernel panels. Serves the gram (w = 1)
// and the per-row Cholesky system (w = c − 1).
#pragma once
#include <algorithm>
#include <cstddef>
#include <vector>

#include "micro_kernel.h"

namespace mixtape {

class Syrk {
 public:
  explicit Syrk(std::size_t k)
      : k_(k), km_(round_up(k, kMR)), kn_(round_up(k, kNR)), C_(km_ * kn_), a_(km_ * kChunk), b_(kn_ * kChunk) {}

  /** C (k×k, upper or lower triangle) += Σ_r w_r z_r z_rᵀ; w may be null (all ones). */
  void add(const float* Z, std::size_t len, const float* w, float* C, bool lower = false) {
    std::fill(C_.begin(), C_.end(), 0.f);
    for (std::size_t r0 = 0; r0 < len; r0 += kChunk) {
      const std::size_t n = std::min(kChunk, len - r0);
      pack(Z + r0 * k_, n, w ? w + r0 : nullptr, kMR, km_, a_.data());
      pack(Z + r0 * k_, n, nullptr, kNR, kn_, b_.data());
      for (std::size_t q = 0; q < kn_ / kNR; ++q)
        for (std::size_t p = 0; p < km_ / kMR && p * kMR < (q + 1) * kNR; ++p)  // blocks touching the upper triangle
          micro_kernel<true>(a_.data() + p * kMR * n, b_.data() + q * kNR * n, n, C_.data() + p * kMR * kn_ + q * kNR,
                             kn_);
    }
    for (std::size_t a = 0; a < k_; ++a)
      for (std::size_t b = a; b < k_; ++b) (lower ? C[b * k_ + a] : C[a * k_ + b]) += C_[a * kn_ + b];
  }

 private:
  static constexpr std::size_t kChunk = 256;
  static std::size_t round_up(std::size_t x, std::size_t m) { return (x + m - 1) / m * m; }

  /** Panels of `width` columns: dst[panel][r][c] = w_r · Z[r][panel·width + c], zero past k. */
  void pack(const float* Z, std::size_t n, const float* w, std::size_t width, std::size_t padded, float* dst) const {
    for (std::size_t p = 0; p < padded / width; ++p) {
      float* out = dst + p * width * n;
      for (std::size_t r = 0; r < n; ++r) {
        const float s = w ? w[r] : 1.f;
        const float* z = Z + r * k_ + p * width;
        for (std::size_t c = 0; c < width; ++c) out[r * width + c] = p * width + c < k_ ? s * z[c] : 0.f;
      }
    }
  }

  std::size_t k_, km_, kn_;
  std::vector<float> C_, a_, b_;
};

}  // namespace mixtape
