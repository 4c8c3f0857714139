// Uninitialised per-call buffers. Kernels size their scratch to a call and write every element
// before reading it, so zero-filling (std::vector's resize) would only cost a pass over memory, and
// on a virtual machine the page faults of that first touch cost more than the pass itself.
#pragma once
#include <algorithm>
#include <cstddef>
#include <cstdlib>
#include <new>
#include <utility>
#include <vector>

#include "huge_pages.h"

namespace mixtape {

/** The least power of two ≥ max(n, floor) (C++17: no std::bit_ceil). */
inline std::size_t pow2_at_least(std::size_t n, std::size_t floor) {
  std::size_t p = floor;
  while (p < n) p <<= 1;
  return p;
}

/**
 * Large scratch blocks a thread has released, kept for its next calls. A pool thread runs the same
 * kernel shard after shard, and each call used to map its megabytes afresh: with two threads,
 * faulting them in (the OS zeroes every new 2 MiB page) was about a tenth of a CG iteration at
 * k = 32 in a profile. A thread keeps at most kKeepBytes, in blocks of at most kKeepBlock, and
 * frees them when it exits. A kept block is handed out as it was left: Scratch is uninitialised.
 */
class ScratchCache {
 public:
#if defined(__SANITIZE_ADDRESS__)
  static constexpr std::size_t kKeepBytes = 0;  // every block back to the allocator, so ASan sees each use after free
#else
  static constexpr std::size_t kKeepBytes = std::size_t{32} << 20;
#endif
  static constexpr std::size_t kKeepBlock = std::size_t{16} << 20;

  ScratchCache() = default;
  ScratchCache(const ScratchCache&) = delete;
  ScratchCache& operator=(const ScratchCache&) = delete;
  ~ScratchCache() {
    for (const Block& b : blocks_) std::free(b.p);
  }

  /** The smallest kept block of at least `bytes` (whose size goes to `got`), or nullptr. */
  void* take(std::size_t bytes, std::size_t& got) {
    auto best = blocks_.end();
    for (auto it = blocks_.begin(); it != blocks_.end(); ++it)
      if (it->bytes >= bytes && (best == blocks_.end() || it->bytes < best->bytes)) best = it;
    if (best == blocks_.end()) return nullptr;
    void* p = best->p;
    got = best->bytes;
    kept_ -= got;
    blocks_.erase(best);
    return p;
  }

  /** Keeps a released block when it fits the limits; otherwise frees it. Runs in destructors: never throws. */
  void give(void* p, std::size_t bytes) noexcept {
    if (bytes > kKeepBlock || kept_ + bytes > kKeepBytes) {
      std::free(p);
      return;
    }
    try {
      blocks_.push_back({p, bytes});
    } catch (...) {  // no room for the list entry: then no keeping either
      std::free(p);
      return;
    }
    kept_ += bytes;
  }

  static ScratchCache& here() {
    thread_local ScratchCache cache;
    return cache;
  }

 private:
  struct Block {
    void* p;
    std::size_t bytes;
  };
  std::vector<Block> blocks_;
  std::size_t kept_ = 0;
};

/**
 * A per-call buffer of n values, uninitialised. Buffers of a megabyte or more are aligned to 2 MiB
 * and advised onto huge pages before first use: the top-k pre-filter quantizes all items into tens
 * of MiB and an ALS gather holds a popular item's rows in megabytes, and on a virtual machine a
 * fault for every 4 KiB first touched (and a page walk for every scattered access) cost more than
 * the work on them. Those come from, and go back to, the thread's ScratchCache.
 */
template <class T>
class Scratch {
 public:
  Scratch() = default;
  Scratch(const Scratch&) = delete;
  Scratch& operator=(const Scratch&) = delete;
  Scratch(Scratch&& o) noexcept { *this = std::move(o); }
  Scratch& operator=(Scratch&& o) noexcept {
    if (this != &o) {
      release();
      std::swap(p_, o.p_);
      std::swap(n_, o.n_);
      std::swap(block_, o.block_);
      std::swap(huge_, o.huge_);
    }
    return *this;
  }
  ~Scratch() { release(); }

  void reset(std::size_t count) {
    release();
    const std::size_t bytes = std::max<std::size_t>(count, 1) * sizeof(T);
    huge_ = bytes >= (std::size_t{1} << 20);
    const std::size_t align = huge_ ? kHugePageBytes : 64;
    // Large blocks come in powers of two, so a call whose rows are a little longer than the last
    // one's still finds its block kept; the pages past what a call touches are never faulted in.
    block_ = huge_ ? pow2_at_least(bytes, kHugePageBytes) : (bytes + align - 1) / align * align;
    void* p = huge_ ? ScratchCache::here().take(block_, block_) : nullptr;
    if (p == nullptr) {
      p = std::aligned_alloc(align, block_);
      if (p == nullptr) throw std::bad_alloc();
      if (huge_) advise_huge_pages(p, block_);
    }
    p_ = static_cast<T*>(p);
    n_ = count;
  }
  T* data() { return p_; }
  const T* data() const { return p_; }
  T& operator[](std::size_t i) { return p_[i]; }
  const T& operator[](std::size_t i) const { return p_[i]; }
  std::size_t size() const { return n_; }
  std::size_t bytes() const { return n_ * sizeof(T); }

 private:
  void release() {
    if (p_ == nullptr) return;
    if (huge_)
      ScratchCache::here().give(p_, block_);
    else
      std::free(p_);
    p_ = nullptr;
    n_ = 0;
  }

  T* p_ = nullptr;
  std::size_t n_ = 0;
  std::size_t block_ = 0;  // bytes of the block behind p_ (a cached one may be larger than asked)
  bool huge_ = false;
};

}  // namespace mixtape
