// Software prefetch of a factor row. Kernels that walk a CSR row read the other side's factor rows
// at random from a matrix larger than the caches; asking for rows a few entries ahead lets those
// misses overlap instead of each stalling the loop.
#pragma once
#include <cstddef>
#include <cstdint>

namespace mixtape {

/** Entries ahead to prefetch: enough to cover a miss, few enough to stay in L1. */
constexpr int64_t kPrefetchAhead = 12;

/** Prefetches every cache line of `bytes` bytes from `src` for reading. */
inline void prefetch_bytes(const void* src, std::size_t bytes) {
  const char* c = static_cast<const char*>(src);
  for (std::size_t b = 0; b < bytes; b += 64) __builtin_prefetch(c + b, 0, 3);
}

/** Prefetches every cache line of a k-float row for reading. */
inline void prefetch_row(const float* src, std::size_t k) { prefetch_bytes(src, k * sizeof(float)); }

}  // namespace mixtape
