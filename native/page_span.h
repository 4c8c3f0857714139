// The whole pages of a given size inside a byte range: what a madvise call may be given for a typed
// array's memory, which need not start or end on a page.
#pragma once

#include <cstddef>
#include <cstdint>

#if defined(__linux__)
#include <sys/mman.h>
#endif

namespace mixtape {

struct PageSpan {
  std::uintptr_t first;
  std::uintptr_t last;
  std::size_t bytes() const { return last > first ? last - first : 0; }
  void* begin() const { return reinterpret_cast<void*>(first); }
};

// [first, last): the pages of `page` bytes (a power of two) that lie wholly in [data, data + bytes).
inline PageSpan whole_pages(const void* data, std::size_t bytes, std::uintptr_t page) {
  const auto begin = reinterpret_cast<std::uintptr_t>(data);
  return {(begin + page - 1) & ~(page - 1), (begin + bytes) & ~(page - 1)};
}

#if defined(__linux__)
// madvise(`advice`) on the whole pages of `page` bytes inside [data, data + bytes); the bytes
// advised, or 0 when there is no whole page or the kernel refuses.
inline std::size_t advise_whole_pages(void* data, std::size_t bytes, std::uintptr_t page, int advice) {
  const PageSpan span = whole_pages(data, bytes, page);
  if (data == nullptr || span.bytes() == 0) return 0;
  if (madvise(span.begin(), span.bytes(), advice) != 0) return 0;
  return span.bytes();
}
#endif

}  // namespace mixtape
