// The whole pages of a given size inside a byte range: what a madvise call may be given for a typed
// array's memory, which need not start or end on a page.
#pragma once

#include <cstddef>
#include <cstdint>

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

}  // namespace mixtape
