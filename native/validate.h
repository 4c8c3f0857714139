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
 * Offsets of a CSR: indptr[0] = 0, monotone, last = nnz (O(rows)). The column indices of the rows a
 * kernel reads are checked on a private copy (csr_range.h), so they cannot change after the check.
 */
inline void validate_indptr(const char* fn, const CsrView& m) {
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
}

/**
 * Every value of elements [begin, end) is finite (and >= 0 when `nonnegative`); `v` points at
 * element `begin` (it may be a copy of just that range), messages use the element numbers.
 */
inline void validate_values(const char* fn, const char* name, const float* v, std::size_t begin, std::size_t end,
                            bool nonnegative) {
  for (std::size_t i = begin; i < end; ++i) {
    const float x = v[i - begin];
    if (!std::isfinite(x) || (nonnegative && x < 0.f))
      throw_range(std::string(fn) + ": " + name + "[" + std::to_string(i) + "]=" + std::to_string(x) + " must be " +
                  (nonnegative ? "finite and >= 0" : "finite"));
  }
}

}  // namespace mixtape
