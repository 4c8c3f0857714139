// Software prefetch of a factor row. Kernels that walk a CSR row read the other side's factor rows
// at random from a matrix larger than the caches; asking for rows a few entries ahead lets those
// misses overlap instead of each stalling the loop.
#pragma once
#include <cstddef>
#include <cstdint>

namespace mixtape {

/** Entries ahead to prefetch: enough to cover a miss, few enough to stay in L1. */
constexpr int64_t kPrefetchAhead = 12;

/**
 * Prefetches every cache line of `bytes` bytes from `src` for reading; `Locality` is
 * __builtin_prefetch's: 3 into every level (L1), 1 into L2 only.
 */
template <int Locality = 3>
inline void prefetch_bytes(const void* src, std::size_t bytes) {
  const char* c = static_cast<const char*>(src);
  for (std::size_t b = 0; b < bytes; b += 64) __builtin_prefetch(c + b, 0, Locality);
}

/** Prefetches every cache line of a k-float row for reading. */
inline void prefetch_row(const float* src, std::size_t k) { prefetch_bytes(src, k * sizeof(float)); }

/** Prefetches every cache line of a k-float row into L2 only. */
inline void prefetch_row_l2(const float* src, std::size_t k) { prefetch_bytes<1>(src, k * sizeof(float)); }

/**
 * Entries ahead for a second, L2-only prefetch of short rows, or 0. Rows of 32 floats take two
 * lines, so twelve entries ahead keep only about 24 misses in flight, fewer than the wait on
 * memory needs while the loop over short rows runs fast; asking L2 for about 4 KiB of rows ahead
 * overlaps more of them. Only where that reaches twice as far: at k = 64 it gained nothing, and at
 * k = 128 (two entries past the first prefetch) it slowed the gather.
 */
inline int64_t l2_prefetch_ahead(std::size_t k) {
  const auto entries = static_cast<int64_t>(4096 / (k * sizeof(float)));
  return entries >= 2 * kPrefetchAhead ? entries : 0;
}

}  // namespace mixtape
