// Checks on raw buffers, done before any kernel touches memory. Messages name the entry point and
// the argument, e.g. "alsHalfStep: indices[17]=5000 out of range [0, 4000)".
#pragma once
#include <cmath>
#include <cstdint>
#include <string>

#include "errors.h"

namespace mixtape {

/** A CSR matrix as raw views; values may be null when a caller has none. */
struct CsrView {
  const int32_t* indptr = nullptr;
  std::size_t indptr_len = 0;  // rows + 1
  const int32_t* indices = nullptr;
  std::size_t nnz = 0;
  std::size_t rows() const { return indptr_len - 1; }
};

/**
 * Structure of a CSR: indptr[0] = 0, monotone, last = nnz (O(rows)); then for rows in
 * [row_begin, row_end) only, column indices in [0, cols) and increasing within each row (strictly
 * when `strict`). Rows outside the range are not read by the kernels, so they are not checked.
 */
inline void validate_csr(const char* fn, const CsrView& m, std::size_t cols, std::size_t row_begin,
                         std::size_t row_end, bool strict) {
  const std::string f(fn);
  if (m.indptr_len < 1) throw_range(f + ": indptr must have length rows+1 >= 1, got 0");
  if (m.indptr[0] != 0) throw_range(f + ": indptr[0]=" + std::to_string(m.indptr[0]) + ", expected 0");
  for (std::size_t r = 1; r < m.indptr_len; ++r) {
    if (m.indptr[r] < m.indptr[r - 1])
      throw_range(f + ": indptr[" + std::to_string(r) + "]=" + std::to_string(m.indptr[r]) +
                  " is less than indptr[" + std::to_string(r - 1) + "]=" + std::to_string(m.indptr[r - 1]));
  }
  const int64_t last = m.indptr[m.indptr_len - 1];
  if (last != static_cast<int64_t>(m.nnz))
    throw_range(f + ": indptr[" + std::to_string(m.indptr_len - 1) + "]=" + std::to_string(last) +
                " must equal indices.length=" + std::to_string(m.nnz));
  const int64_t ncols = static_cast<int64_t>(cols);
  for (std::size_t r = row_begin; r < row_end; ++r) {
    int64_t prev = -1;
    for (int64_t e = m.indptr[r]; e < m.indptr[r + 1]; ++e) {
      const int64_t c = m.indices[e];
      if (c < 0 || c >= ncols)
        throw_range(f + ": indices[" + std::to_string(e) + "]=" + std::to_string(c) + " out of range [0, " +
                    std::to_string(ncols) + ")");
      if (strict ? c <= prev : c < prev)
        throw_range(f + ": indices[" + std::to_string(e) + "]=" + std::to_string(c) + " in row " +
                    std::to_string(r) + " is not " + (strict ? "strictly " : "") +
                    "greater than the previous index " + std::to_string(prev));
      prev = c;
    }
  }
}

/** Every value in [begin, end) is finite (and >= 0 when `nonnegative`). */
inline void validate_values(const char* fn, const char* name, const float* v, std::size_t begin, std::size_t end,
                            bool nonnegative) {
  for (std::size_t i = begin; i < end; ++i) {
    const float x = v[i];
    if (!std::isfinite(x) || (nonnegative && x < 0.f))
      throw_range(std::string(fn) + ": " + name + "[" + std::to_string(i) + "]=" + std::to_string(x) + " must be " +
                  (nonnegative ? "finite and >= 0" : "finite"));
  }
}

}  // namespace mixtape
