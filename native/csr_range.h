// The index structure of a row range, copied out of the caller's arrays. Kernels index memory with
// these integers, so they must not change between validation and use: the caller's arrays may be
// views over a SharedArrayBuffer written by another thread, or (async entries) be written by JS
// while the call is pending. Validating and using a private copy closes both races; the copy is
// O(entries of the range), small next to any kernel's work on them.
#pragma once
#include <algorithm>
#include <cstdint>
#include <cstring>
#include <string>

#include "errors.h"
#include "scratch.h"
#include "validate.h"

namespace mixtape {

struct CsrRange {
  Scratch<int32_t> indptr;   // rows+1 offsets into `indices`, starting at 0
  Scratch<int32_t> indices;  // column indices of the range's entries
  std::size_t entry_begin = 0;  // position of indices[0] in the caller's indices
  std::size_t rows() const { return indptr.size() - 1; }
};

/**
 * True when row `c[0..n)` has every index in [0, cols) and increasing (strictly when `strict`).
 * Branch-free, so the compiler can vectorize it: it runs over every entry of every call.
 */
inline bool csr_row_ok(const int32_t* c, std::size_t n, uint32_t cols, bool strict) {
  if (n == 0) return true;
  uint32_t bad = static_cast<uint32_t>(c[0]) >= cols;
  if (strict)
    for (std::size_t i = 1; i < n; ++i) bad |= (static_cast<uint32_t>(c[i]) >= cols) | (c[i] <= c[i - 1]);
  else
    for (std::size_t i = 1; i < n; ++i) bad |= (static_cast<uint32_t>(c[i]) >= cols) | (c[i] < c[i - 1]);
  return bad == 0;
}

/** Throws the message for the first bad index of row `row` (of the copy; `first` rebases numbers). */
[[noreturn]] inline void throw_bad_row(const std::string& f, const int32_t* c, std::size_t n, int64_t ncols, bool strict,
                                       std::size_t row, int64_t at_entry) {
  int64_t prev = -1;
  for (std::size_t i = 0; i < n; ++i) {
    const int64_t v = c[i];
    if (v >= 0 && v < ncols && (strict ? v > prev : v >= prev)) {
      prev = v;
      continue;
    }
    const std::string at = "indices[" + std::to_string(at_entry + static_cast<int64_t>(i)) + "]=" + std::to_string(v);
    if (v < 0 || v >= ncols) throw_range(f + ": " + at + " out of range [0, " + std::to_string(ncols) + ")");
    throw_range(f + ": " + at + " in row " + std::to_string(row) + " is not " + (strict ? "strictly " : "") +
                "greater than the previous index " + std::to_string(prev));
  }
  throw_range(f + ": row " + std::to_string(row) + " failed validation");  // not reached: csr_row_ok found a bad index
}

/**
 * Copies rows [row_begin, row_end) of `m` (indptr must have at least row_end+1 entries) and
 * validates the copy: offsets nondecreasing within [0, nnz], column indices in [0, cols) and
 * increasing within each row (strictly when `strict`). Messages use the caller's row and entry
 * numbers, as validate_csr does. Rows are copied and checked one at a time, so the check reads
 * what was just written from L1 instead of a second pass over the whole range; the buffers are
 * uninitialised scratch (huge pages from 1 MiB), written once.
 */
inline CsrRange copy_csr_range(const char* fn, const CsrView& m, std::size_t cols, std::size_t row_begin,
                               std::size_t row_end, bool strict) {
  // Messages are composed only on failure: this runs over every entry of every call.
  const std::size_t rows = row_end - row_begin;
  CsrRange r;
  r.indptr.reset(rows + 1);
  int32_t* ptr = r.indptr.data();
  std::memcpy(ptr, m.indptr + row_begin, (rows + 1) * sizeof(int32_t));
  const int64_t nnz = static_cast<int64_t>(m.nnz);
  for (std::size_t i = 0; i <= rows; ++i) {
    const int64_t v = ptr[i];
    if (v >= 0 && v <= nnz && (i == 0 || v >= ptr[i - 1])) continue;
    const std::string f(fn), at = "indptr[" + std::to_string(row_begin + i) + "]=" + std::to_string(v);
    if (v < 0 || v > nnz) throw_range(f + ": " + at + " out of range [0, " + std::to_string(nnz) + "]");
    throw_range(f + ": " + at + " is less than indptr[" + std::to_string(row_begin + i - 1) + "]=" + std::to_string(ptr[i - 1]));
  }
  const int32_t first = ptr[0];
  r.entry_begin = static_cast<std::size_t>(first);
  r.indices.reset(static_cast<std::size_t>(ptr[rows] - first));
  int32_t* out = r.indices.data();
  const int32_t* in = m.indices + first;
  // As unsigned, a negative index is ≥ 2^31 ≥ the bound, so one comparison checks both ends.
  const auto ncols = static_cast<uint32_t>(std::min<std::size_t>(cols, std::size_t{1} << 31));
  for (std::size_t row = 0; row < rows; ++row) {
    const int32_t b = ptr[row] - first, e = ptr[row + 1] - first;
    const std::size_t n = static_cast<std::size_t>(e - b);
    if (n == 0) continue;  // (an empty caller array may have no data pointer at all)
    std::memcpy(out + b, in + b, n * sizeof(int32_t));
    if (!csr_row_ok(out + b, n, ncols, strict))
      throw_bad_row(fn, out + b, n, static_cast<int64_t>(cols), strict, row_begin + row, first + b);
  }
  for (std::size_t i = 0; i <= rows; ++i) ptr[i] -= first;
  return r;
}

}  // namespace mixtape
