// Gives the pages under a buffer whose contents are no longer needed back to the system before the
// buffer itself is collected. A read on several threads hands each range's event columns to the
// reading thread, which copies them into the log's columns: without this the range's copy stays
// resident until a garbage collection frees it, and the read holds one and a half logs at its end.
#pragma once

#include <cstddef>
#include <cstdint>

#include "page_span.h"

#if defined(__linux__)
#include <unistd.h>
#endif

namespace mixtape {

// Releases the whole pages inside [data, data + bytes) and returns how many bytes were released:
// they read as zeros afterwards. 0 when the range holds no whole page, on other systems, or when
// the kernel refuses (the memory then keeps its contents).
inline std::size_t release_pages(void* data, std::size_t bytes) {
#if defined(__linux__) && defined(MADV_DONTNEED)
  const long page_size = sysconf(_SC_PAGESIZE);
  if (page_size <= 0) return 0;
  return advise_whole_pages(data, bytes, static_cast<std::uintptr_t>(page_size), MADV_DONTNEED);
#else
  (void)data;
  (void)bytes;
  return 0;
#endif
}

}  // namespace mixtape
