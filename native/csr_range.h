// The index structure of a row range, copied out of the caller's arrays. Kernels index memory with
// these integers, so they must not change between validation and use: the caller's arrays may be
// views over a SharedArrayBuffer written by another thread, or (async entries) be written by JS
// while the call is pending. Validating and using a private copy closes both races; the copy is
// O(entries of the range), small next to any kernel's work on them.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "errors.h"
#include "validate.h"

namespace mixtape {

struct CsrRange {
  std::vector<int32_t> indptr;   // rows+1 offsets into `indices`, starting at 0
  std::vector<int32_t> indices;  // column indices of the range's entries
  std::size_t entry_begin = 0;   // position of indices[0] in the caller's indices
  std::size_t rows() const { return indptr.size() - 1; }
};

/**
 * Copies rows [row_begin, row_end) of `m` (indptr must have at least row_end+1 entries) and
 * validates the copy: offsets nondecreasing within [0, nnz], column indices in [0, cols) and
 * increasing within each row (strictly when `strict`). Messages use the caller's row and entry
 * numbers, as validate_csr does.
 */
inline CsrRange copy_csr_range(const char* fn, const CsrView& m, std::size_t cols, std::size_t row_begin,
                               std::size_t row_end, bool strict) {
  // Messages are composed only on failure: this loop runs once per entry of every call.
  const std::string f(fn);
  CsrRange r;
  r.indptr.assign(m.indptr + row_begin, m.indptr + row_end + 1);
  const int64_t nnz = static_cast<int64_t>(m.nnz);
  for (std::size_t i = 0; i < r.indptr.size(); ++i) {
    const int64_t v = r.indptr[i];
    if (v >= 0 && v <= nnz && (i == 0 || v >= r.indptr[i - 1])) continue;
    const std::string at = "indptr[" + std::to_string(row_begin + i) + "]=" + std::to_string(v);
    if (v < 0 || v > nnz) throw_range(f + ": " + at + " out of range [0, " + std::to_string(nnz) + "]");
    throw_range(f + ": " + at + " is less than indptr[" + std::to_string(row_begin + i - 1) + "]=" +
                std::to_string(r.indptr[i - 1]));
  }
  const int32_t first = r.indptr.front();
  r.entry_begin = static_cast<std::size_t>(first);
  r.indices.assign(m.indices + first, m.indices + r.indptr.back());
  for (auto& v : r.indptr) v -= first;
  const int64_t ncols = static_cast<int64_t>(cols);
  for (std::size_t row = 0; row + 1 < r.indptr.size(); ++row) {
    int64_t prev = -1;
    for (int64_t e = r.indptr[row]; e < r.indptr[row + 1]; ++e) {
      const int64_t c = r.indices[static_cast<std::size_t>(e)];
      if (c >= 0 && c < ncols && (strict ? c > prev : c >= prev)) {
        prev = c;
        continue;
      }
      const std::string at = "indices[" + std::to_string(first + e) + "]=" + std::to_string(c);
      if (c < 0 || c >= ncols) throw_range(f + ": " + at + " out of range [0, " + std::to_string(ncols) + ")");
      throw_range(f + ": " + at + " in row " + std::to_string(row_begin + row) + " is not " + (strict ? "strictly " : "") +
                  "greater than the previous index " + std::to_string(prev));
    }
  }
  return r;
}

}  // namespace mixtape
