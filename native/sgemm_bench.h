// A reference dense product, timed in-process: C (m×n) = A (m×k) · Bᵀ with B n×k, the shape of
// scoring users against items. Benchmarks report kernels as a fraction of this rate measured in
// the same run, so machine speed and load cancel out. Uses cblas_sgemm when BLAS is present, the
// own packed micro-kernel otherwise.
#pragma once
#include <chrono>
#include <cstddef>
#include <vector>

#include "blas.h"
#include "score_tile.h"

namespace mixtape {

inline const char* sgemm_bench_impl() {
#if defined(MIXTAPE_HAVE_BLAS)
  return "cblas_sgemm";
#else
  return "own micro-kernel";
#endif
}

/** Seconds for `reps` products after one untimed warm-up product. */
inline double sgemm_bench_seconds(std::size_t m, std::size_t n, std::size_t k, int reps) {
  std::vector<float> A(m * k), B(n * k), C(m * n);
  for (std::size_t i = 0; i < A.size(); ++i) A[i] = static_cast<float>((i * 2654435761u) % 1000) * 1e-3f - 0.5f;
  for (std::size_t i = 0; i < B.size(); ++i) B[i] = static_cast<float>((i * 40503u) % 1000) * 1e-3f - 0.5f;
  auto product = [&]() {
#if defined(MIXTAPE_HAVE_BLAS)
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, static_cast<int>(m), static_cast<int>(n), static_cast<int>(k),
                1.f, A.data(), static_cast<int>(k), B.data(), static_cast<int>(k), 0.f, C.data(), static_cast<int>(n));
#else
    // Row stride rounded up to the micro-kernel width; S holds whole micro-kernel rows.
    const std::size_t ld = TileScorer::round_up(n, TileScorer::col_pad);
    static thread_local std::vector<float> S;
    S.resize(TileScorer::round_up(m, TileScorer::row_pad) * ld);
    TileScorer t(k);
    t.pack_users(A.data(), 0, m);
    t.pack_items(B.data(), 0, n);
    t.score(0, m, S.data(), ld);
#endif
  };
  product();
  const auto t0 = std::chrono::steady_clock::now();
  for (int r = 0; r < reps; ++r) product();
  const auto t1 = std::chrono::steady_clock::now();
  return std::chrono::duration<double>(t1 - t0).count();
}

}  // namespace mixtape
