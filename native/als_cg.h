// Conjugate-gradient ALS row solver (Takács et al. 2011; the CPU CG of benfred/implicit): warm
// start from the current x_u, a fixed number of steps, A applied as (YᵀY+λI)v + Σ (c−1)(y·v) y
// so the k×k system matrix is never formed. Per row: O(nnz_u·k + k²) per step.
//
// Rows are solved kCgLanes at a time in lockstep so that the k² product with the gram reads it
// once per group (it is 64 KiB at k = 128, more than L1). A row's entries are gathered once when
// they fit the lane's scratch; longer rows (popular items) stream through it in pieces on every
// pass, so scratch stays bounded. Each lane's arithmetic is independent of the others and of the
// piece boundaries' positions in other rows, so results do not depend on the sharding.
#pragma once
#include <algorithm>
#include <array>
#include <vector>

#include "als_problem.h"
#include "gemv.h"
#include "simd.h"

namespace mixtape {

/** One CG row in flight: its gathered entries (when they fit) and its CG vectors. */
struct CgLane {
  RowGather g;
  std::size_t u = 0, len = 0, piece = 0;
  bool resident = false, active = false;
  float rsold = 0.f;
  std::vector<float> r, wide;  // wide: gemv_t_acc's accumulator sets
  Scratch<float> t;            // Z·v of the current piece, written before it is read (split products only)
  CgLane(const AlsProblem& p, std::size_t max_entries) : g(p, max_entries), r(p.k), wide(t_acc_sets(p.k) * p.k) {
    if (!uses_fused_pass(p.k)) t.reset(g.capacity);
  }
};

/**
 * acc += Σ_j Z_j · h(j, Z_j·v) over row u's entries, piece by piece: `resident` lanes use the
 * gathered entries, others gather each piece again. h(j, d) = cp_j − w_j d (residual) or w_j d.
 * The sum runs in gemv_t_acc's accumulator sets, added up into acc once the row is done.
 */
template <bool Residual>
inline void cg_pass(const AlsProblem& p, CgLane& L, const float* v, float* acc) {
  const std::size_t k = p.k, piece = L.piece, sets = t_acc_sets(k);
#if defined(__AVX512F__) && defined(__AVX512VL__)
  if (L.resident && uses_fused_pass(k))  // one read of the gathered row, its sets kept in registers
    return fused_pass<Residual, true>(L.g.Z.data(), L.len, k, v, L.g.w.data(), L.g.cp.data(), acc);
#endif
  float* wide = sets == 1 ? acc : L.wide.data();
  if (sets > 1) {
    std::copy(acc, acc + k, wide);
    std::fill(wide + k, wide + sets * k, 0.f);
  }
  for (std::size_t first = 0; first < L.len; first += piece) {
    const std::size_t n = std::min(piece, L.len - first);
    if (!L.resident) L.g.load(p, L.u, first, n);
#if defined(__AVX512F__) && defined(__AVX512VL__)
    if (uses_fused_pass(k)) {  // rows read once
      fused_pass<Residual>(L.g.Z.data(), n, k, v, L.g.w.data(), L.g.cp.data(), wide);
      continue;
    }
#endif
    float* t = L.t.data();
    gemv_rows(L.g.Z.data(), n, k, v, t);
    if (Residual)
      for (std::size_t j = 0; j < n; ++j) t[j] = L.g.cp[j] - L.g.w[j] * t[j];
    else
      for (std::size_t j = 0; j < n; ++j) t[j] *= L.g.w[j];
    gemv_t_acc(L.g.Z.data(), n, k, t, wide);
  }
  if (sets > 1) fold_t_acc_sets(wide, sets, k, acc);
}

/** Entries per piece of a row too long to keep gathered (128 KiB of factors at k = 64). */
constexpr std::size_t kStreamPiece = 512;
static_assert(kStreamPiece % 4 == 0, "pieces keep gemv_t_acc's row-to-set assignment");

inline void als_cg(const AlsProblem& p, int steps) {
  constexpr std::size_t R = kCgLanes;
  // Rows up to 4 MiB of gathered factors stay resident; longer ones stream in pieces.
  const std::size_t k = p.k, resident_cap = std::max<std::size_t>(512, (std::size_t{4} << 20) / (k * sizeof(float)));
  const std::vector<float> G = regularized_gram(p);
  std::vector<CgLane> lanes;
  lanes.reserve(R);
  for (std::size_t l = 0; l < R; ++l) lanes.emplace_back(p, resident_cap);
  std::vector<float> dir(R * k), GD(R * k);

  for (std::size_t u0 = p.row_begin; u0 < p.row_end; u0 += R) {
    std::fill(dir.begin(), dir.end(), 0.f);
    for (std::size_t l = 0; l < R; ++l) {
      CgLane& L = lanes[l];
      L.u = u0 + l;
      L.active = L.u < p.row_end;
      if (!L.active) continue;
      L.len = RowGather::row_length(p, L.u);
      float* x = p.X + L.u * k;
      if (L.len == 0) {  // (YᵀY + λI) x = 0
        std::fill(x, x + k, 0.f);
        L.active = false;
        continue;
      }
      L.resident = L.len <= L.g.capacity;
      L.piece = L.resident ? L.len : std::min(kStreamPiece, L.g.capacity);
      if (L.resident) L.g.load(p, L.u, 0, L.len);
      std::copy(x, x + k, dir.begin() + l * k);  // G·x is computed for all lanes at once below
    }
    // r = b − A x = −G x + Σ_j (c p − (c−1)(z_j·x)) z_j
    gram_times_lanes(G.data(), k, dir.data(), GD.data());
    for (std::size_t l = 0; l < R; ++l) {
      CgLane& L = lanes[l];
      if (!L.active) continue;
      const float* x = p.X + L.u * k;
      float* r = L.r.data();
      for (std::size_t a = 0; a < k; ++a) r[a] = -GD[l * k + a];
      cg_pass<true>(p, L, x, r);
      std::copy(r, r + k, dir.begin() + l * k);
      L.rsold = dot(r, r, k);
      if (L.rsold < 1e-20f) L.active = false;
    }
    for (int it = 0; it < steps; ++it) {
      bool any = false;
      for (std::size_t l = 0; l < R; ++l) {
        any = any || lanes[l].active;
        if (!lanes[l].active) std::fill(dir.begin() + l * k, dir.begin() + (l + 1) * k, 0.f);
      }
      if (!any) break;
      // A·dir = G·dir + Zᵀ (w ∘ (Z·dir))
      gram_times_lanes(G.data(), k, dir.data(), GD.data());
      for (std::size_t l = 0; l < R; ++l) {
        CgLane& L = lanes[l];
        if (!L.active) continue;
        float *d = dir.data() + l * k, *Ad = GD.data() + l * k, *x = p.X + L.u * k, *r = L.r.data();
        cg_pass<false>(p, L, d, Ad);
        const float alpha = L.rsold / dot(d, Ad, k);
        axpy(alpha, d, x, k);
        axpy(-alpha, Ad, r, k);
        const float rsnew = dot(r, r, k);
        if (rsnew < 1e-20f) {
          L.active = false;
          check_solution(x, k, p.first_row + L.u);
          continue;
        }
        xpby(r, rsnew / L.rsold, d, k);
        L.rsold = rsnew;
      }
    }
    for (std::size_t l = 0; l < R; ++l) {
      CgLane& L = lanes[l];
      if (L.active) check_solution(p.X + L.u * k, k, p.first_row + L.u);
    }
  }
}

}  // namespace mixtape
