// Uninitialised per-call buffers. Kernels size their scratch to a call and write every element
// before reading it, so zero-filling (std::vector's resize) would only cost a pass over memory, and
// on a virtual machine the page faults of that first touch cost more than the pass itself.
#pragma once
#include <algorithm>
#include <cstddef>
#include <cstdlib>
#include <memory>
#include <new>

#include "huge_pages.h"

namespace mixtape {

/**
 * A per-call buffer of n values, uninitialised. Buffers of a megabyte or more are aligned to 2 MiB
 * and advised onto huge pages before first use: the top-k pre-filter quantizes all items into tens
 * of MiB and an ALS gather holds a popular item's rows in megabytes, and on a virtual machine a
 * fault for every 4 KiB first touched (and a page walk for every scattered access) cost more than
 * the work on them.
 */
template <class T>
struct Scratch {
  struct Free {
    void operator()(T* p) const { std::free(p); }
  };
  std::unique_ptr<T, Free> p;
  std::size_t n = 0;

  void reset(std::size_t count) {
    const std::size_t bytes = std::max<std::size_t>(count, 1) * sizeof(T);
    const std::size_t align = bytes >= (std::size_t{1} << 20) ? kHugePageBytes : 64;
    p.reset(static_cast<T*>(std::aligned_alloc(align, (bytes + align - 1) / align * align)));
    if (!p) throw std::bad_alloc();
    n = count;
    if (align == kHugePageBytes) advise_huge_pages(p.get(), (bytes + align - 1) / align * align);
  }
  T* data() { return p.get(); }
  const T* data() const { return p.get(); }
  T& operator[](std::size_t i) { return p.get()[i]; }
  const T& operator[](std::size_t i) const { return p.get()[i]; }
  std::size_t size() const { return n; }
  std::size_t bytes() const { return n * sizeof(T); }
};

}  // namespace mixtape
