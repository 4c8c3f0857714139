// (A + ridge·I) X = B for a symmetric positive definite dim×dim A and dim×nrhs B (row-major),
// by a float64 Cholesky. Used for ridge regressions such as the content→factor map.
#pragma once
#include <string>
#include <vector>

#include "cholesky.h"
#include "errors.h"

namespace mixtape {

inline void solve_spd(const float* A, const float* B, std::size_t dim, std::size_t nrhs, double ridge, float* X) {
  std::vector<double> U(dim * dim);
  for (std::size_t a = 0; a < dim; ++a)
    for (std::size_t c = a; c < dim; ++c) U[a * dim + c] = A[a * dim + c] + (a == c ? ridge : 0.0);
  double pivot = 0;
  const long bad = cholesky_factor_upper(U.data(), dim, &pivot);
  if (bad >= 0)
    throw_range("solveSpd: A + ridge*I is not positive definite (pivot " + std::to_string(bad) + " = " +
                std::to_string(pivot) + ")");
  std::vector<double> col(dim);
  for (std::size_t r = 0; r < nrhs; ++r) {
    for (std::size_t a = 0; a < dim; ++a) col[a] = B[a * nrhs + r];
    cholesky_solve_upper(U.data(), dim, col.data());
    for (std::size_t a = 0; a < dim; ++a) X[a * nrhs + r] = static_cast<float>(col[a]);
  }
}

}  // namespace mixtape
