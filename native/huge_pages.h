// Transparent huge pages for a large buffer. With THP in "madvise" mode (the default of many Linux
// distributions) anonymous memory gets 4 KiB pages unless asked otherwise, and a sort or group
// step that writes 100 M entries to scattered places then waits on a page walk for most writes and
// takes a page fault for every 4 KiB it first touches. Advising the buffer before it is written
// lets those first touches fault in 2 MiB pages instead.
#pragma once

#include <cstddef>
#include <cstdint>

#include "page_span.h"

namespace mixtape {

constexpr std::size_t kHugePageBytes = std::size_t(2) << 20;

// Advises the whole 2 MiB-aligned pages inside [data, data + bytes) and returns how many bytes
// were advised: 0 when the range holds no whole huge page, on other systems, or when the kernel
// refuses (advice only: the memory works the same either way).
inline std::size_t advise_huge_pages(void* data, std::size_t bytes) {
#if defined(__linux__) && defined(MADV_HUGEPAGE)
  return advise_whole_pages(data, bytes, kHugePageBytes, MADV_HUGEPAGE);
#else
  (void)data;
  (void)bytes;
  return 0;
#endif
}

}  // namespace mixtape
