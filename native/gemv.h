// Matrix-vector products over a small row-major block (a row's gathered factors, or the k×k gram):
// t = Z v (row dots), out += Zᵀ s (the k-vector kept in registers while every row streams past),
// both in one read of Z for k ≤ 64, and G·v for a few CG rows at once. These are the inner loops
// of CG, in 16-float registers where AVX-512 is compiled in (8-float ones with AVX2). Every
// output element is computed by the same sequence of operations wherever its row falls in a
// block, so a row's result never depends on which other rows share the call (results are
// identical for any sharding).
#pragma once
#include <algorithm>
#include <cstddef>

#include "simd.h"

namespace mixtape {

#if defined(__AVX2__)
/** z·v with two accumulators (even/odd 8-float groups): the per-row sequence of gemv_rows. */
inline float row_dot2(const float* z, const float* v, std::size_t k) {
  __m256 s0 = _mm256_setzero_ps(), s1 = _mm256_setzero_ps();
  std::size_t f = 0;
  for (; f + 16 <= k; f += 16) {
    s0 = fmadd256(_mm256_loadu_ps(z + f), _mm256_loadu_ps(v + f), s0);
    s1 = fmadd256(_mm256_loadu_ps(z + f + 8), _mm256_loadu_ps(v + f + 8), s1);
  }
  if (f + 8 <= k) s0 = fmadd256(_mm256_loadu_ps(z + f), _mm256_loadu_ps(v + f), s0), f += 8;
  float r = hsum256(_mm256_add_ps(s0, s1));
  for (; f < k; ++f) r += z[f] * v[f];
  return r;
}
#endif

#if defined(__AVX512F__)
/** The two 8-float halves of a register added. (GCC 12's _mm512_castps512_ps256 warns of an uninitialised register.) */
inline __m256 add_halves(__m512 a) {
#if defined(__AVX512DQ__)
  return _mm256_add_ps(_mm512_extractf32x8_ps(a, 0), _mm512_extractf32x8_ps(a, 1));
#else
  const __m512d d = _mm512_castps_pd(a);
  return _mm256_add_ps(_mm256_castpd_ps(_mm512_extractf64x4_pd(d, 0)), _mm256_castpd_ps(_mm512_extractf64x4_pd(d, 1)));
#endif
}

/** The eight sums of eight 16-float accumulators, in one register (a transposing add tree). */
inline __m256 sum8x16(const __m512* a) {
  __m256 y[8];
  for (int r = 0; r < 8; ++r) y[r] = add_halves(a[r]);
  const __m256 h0 = _mm256_hadd_ps(y[0], y[1]), h1 = _mm256_hadd_ps(y[2], y[3]), h2 = _mm256_hadd_ps(y[4], y[5]),
               h3 = _mm256_hadd_ps(y[6], y[7]);
  const __m256 q0 = _mm256_hadd_ps(h0, h1), q1 = _mm256_hadd_ps(h2, h3);  // per 128-bit half: rows 0–3, 4–7
  return _mm256_add_ps(_mm256_permute2f128_ps(q0, q1, 0x20), _mm256_permute2f128_ps(q0, q1, 0x31));
}
#endif

/** t[j] = Z[j]·v for j < rows (Z is rows×k, row-major). */
inline void gemv_rows(const float* Z, std::size_t rows, std::size_t k, const float* v, float* t) {
  std::size_t j = 0;
#if defined(__AVX512F__)
  // Eight rows share each load of v (eight FMA chains in flight); their sums leave as one register.
  for (; j + 8 <= rows; j += 8) {
    const float* z = Z + j * k;
    __m512 a[8];
    for (int r = 0; r < 8; ++r) a[r] = _mm512_setzero_ps();
    for (std::size_t f = 0; f < k; f += 16) {
      const __mmask16 m = lanes16(k - f);
      const __m512 x = _mm512_maskz_loadu_ps(m, v + f);
      for (int r = 0; r < 8; ++r) a[r] = _mm512_fmadd_ps(_mm512_maskz_loadu_ps(m, z + r * k + f), x, a[r]);
    }
    _mm256_storeu_ps(t + j, sum8x16(a));
  }
  for (; j < rows; ++j) t[j] = dot(Z + j * k, v, k);
#elif defined(__AVX2__)
  // Four rows share each load of v; two accumulators per row keep eight FMA chains in flight.
  for (; j + 4 <= rows; j += 4) {
    const float *z0 = Z + j * k, *z1 = z0 + k, *z2 = z1 + k, *z3 = z2 + k;
    __m256 a0 = _mm256_setzero_ps(), a1 = _mm256_setzero_ps(), a2 = _mm256_setzero_ps(), a3 = _mm256_setzero_ps();
    __m256 b0 = _mm256_setzero_ps(), b1 = _mm256_setzero_ps(), b2 = _mm256_setzero_ps(), b3 = _mm256_setzero_ps();
    std::size_t f = 0;
    for (; f + 16 <= k; f += 16) {
      const __m256 x = _mm256_loadu_ps(v + f), y = _mm256_loadu_ps(v + f + 8);
      a0 = fmadd256(_mm256_loadu_ps(z0 + f), x, a0), b0 = fmadd256(_mm256_loadu_ps(z0 + f + 8), y, b0);
      a1 = fmadd256(_mm256_loadu_ps(z1 + f), x, a1), b1 = fmadd256(_mm256_loadu_ps(z1 + f + 8), y, b1);
      a2 = fmadd256(_mm256_loadu_ps(z2 + f), x, a2), b2 = fmadd256(_mm256_loadu_ps(z2 + f + 8), y, b2);
      a3 = fmadd256(_mm256_loadu_ps(z3 + f), x, a3), b3 = fmadd256(_mm256_loadu_ps(z3 + f + 8), y, b3);
    }
    if (f + 8 <= k) {
      const __m256 x = _mm256_loadu_ps(v + f);
      a0 = fmadd256(_mm256_loadu_ps(z0 + f), x, a0), a1 = fmadd256(_mm256_loadu_ps(z1 + f), x, a1);
      a2 = fmadd256(_mm256_loadu_ps(z2 + f), x, a2), a3 = fmadd256(_mm256_loadu_ps(z3 + f), x, a3);
      f += 8;
    }
    float r0 = hsum256(_mm256_add_ps(a0, b0)), r1 = hsum256(_mm256_add_ps(a1, b1)), r2 = hsum256(_mm256_add_ps(a2, b2)),
          r3 = hsum256(_mm256_add_ps(a3, b3));
    for (; f < k; ++f) r0 += z0[f] * v[f], r1 += z1[f] * v[f], r2 += z2[f] * v[f], r3 += z3[f] * v[f];
    t[j] = r0, t[j + 1] = r1, t[j + 2] = r2, t[j + 3] = r3;
  }
  for (; j < rows; ++j) t[j] = row_dot2(Z + j * k, v, k);
#else
  for (; j < rows; ++j) t[j] = dot(Z + j * k, v, k);
#endif
}

/**
 * Accumulator sets of gemv_t_acc for k factors. One FMA chain per register of outputs is too few
 * to hide FMA latency when k is small (two chains at k = 32), so with AVX-512 rows alternate
 * between sets of accumulators (row j adds to set j mod sets) that are added up once a row is done.
 */
inline std::size_t t_acc_sets(std::size_t k) {
#if defined(__AVX512F__)
  return k <= 32 ? 4 : k <= 64 ? 2 : 1;
#else
  (void)k;
  return 1;
#endif
}

/** acc = ((set 0 + set 1) + set 2) + … over the `sets` k-vectors of `wide`. */
inline void fold_t_acc_sets(const float* wide, std::size_t sets, std::size_t k, float* acc) {
  std::copy(wide, wide + k, acc);
  for (std::size_t q = 1; q < sets; ++q)
    for (std::size_t a = 0; a < k; ++a) acc[a] += wide[q * k + a];
}

#if defined(__AVX512F__)
/** Columns [f, f + w) of gemv_t_acc with S sets of 8/S registers each (w ≤ 128/S). */
template <int S>
inline void t_acc_block(const float* Z, std::size_t rows, std::size_t k, const float* s, float* out, std::size_t f, std::size_t w) {
  constexpr int C = 8 / S;
  __mmask16 m[C];
  __m512 a[S][C];
  for (int c = 0; c < C; ++c) m[c] = 16 * static_cast<std::size_t>(c) < w ? lanes16(w - 16 * c) : __mmask16(0);
  for (int q = 0; q < S; ++q)
    for (int c = 0; c < C; ++c) a[q][c] = _mm512_maskz_loadu_ps(m[c], out + q * k + f + 16 * c);
  std::size_t j = 0;
  for (; j + S <= rows; j += S)
    for (int q = 0; q < S; ++q) {
      const float* z = Z + (j + q) * k + f;
      const __m512 b = _mm512_set1_ps(s[j + q]);
      for (int c = 0; c < C; ++c) a[q][c] = _mm512_fmadd_ps(b, _mm512_maskz_loadu_ps(m[c], z + 16 * c), a[q][c]);
    }
  for (int q = 0; j < rows; ++j, ++q) {
    const float* z = Z + j * k + f;
    const __m512 b = _mm512_set1_ps(s[j]);
    for (int c = 0; c < C; ++c) a[q][c] = _mm512_fmadd_ps(b, _mm512_maskz_loadu_ps(m[c], z + 16 * c), a[q][c]);
  }
  for (int q = 0; q < S; ++q)
    for (int c = 0; c < C; ++c) _mm512_mask_storeu_ps(out + q * k + f + 16 * c, m[c], a[q][c]);
}
#endif

/**
 * out += Σ_j s[j] Z[j] (Z is rows×k, row-major), summing over j in order for every column. `out`
 * holds t_acc_sets(k) k-vectors and row j adds to vector j mod sets; a row streamed in pieces
 * keeps the same assignment as long as every piece but the last has a multiple of four entries.
 */
inline void gemv_t_acc(const float* Z, std::size_t rows, std::size_t k, const float* s, float* out) {
  std::size_t f = 0;
#if defined(__AVX512F__)
  // Eight registers of outputs per pass over the rows: 128 columns in one set, 64 in two, 32 in four.
  switch (t_acc_sets(k)) {
    case 4:
      for (; f < k; f += 32) t_acc_block<4>(Z, rows, k, s, out, f, std::min<std::size_t>(32, k - f));
      break;
    case 2:
      for (; f < k; f += 64) t_acc_block<2>(Z, rows, k, s, out, f, std::min<std::size_t>(64, k - f));
      break;
    default:
      for (; f < k; f += 128) t_acc_block<1>(Z, rows, k, s, out, f, std::min<std::size_t>(128, k - f));
  }
#elif defined(__AVX2__)
  for (; f + 64 <= k; f += 64) {  // 64 outputs in eight registers: eight FMA chains in flight
    float* o = out + f;
    __m256 a0 = _mm256_loadu_ps(o), a1 = _mm256_loadu_ps(o + 8), a2 = _mm256_loadu_ps(o + 16), a3 = _mm256_loadu_ps(o + 24),
           a4 = _mm256_loadu_ps(o + 32), a5 = _mm256_loadu_ps(o + 40), a6 = _mm256_loadu_ps(o + 48), a7 = _mm256_loadu_ps(o + 56);
    for (std::size_t j = 0; j < rows; ++j) {
      const float* z = Z + j * k + f;
      const __m256 b = _mm256_broadcast_ss(s + j);
      a0 = fmadd256(b, _mm256_loadu_ps(z), a0), a1 = fmadd256(b, _mm256_loadu_ps(z + 8), a1);
      a2 = fmadd256(b, _mm256_loadu_ps(z + 16), a2), a3 = fmadd256(b, _mm256_loadu_ps(z + 24), a3);
      a4 = fmadd256(b, _mm256_loadu_ps(z + 32), a4), a5 = fmadd256(b, _mm256_loadu_ps(z + 40), a5);
      a6 = fmadd256(b, _mm256_loadu_ps(z + 48), a6), a7 = fmadd256(b, _mm256_loadu_ps(z + 56), a7);
    }
    _mm256_storeu_ps(o, a0), _mm256_storeu_ps(o + 8, a1), _mm256_storeu_ps(o + 16, a2), _mm256_storeu_ps(o + 24, a3);
    _mm256_storeu_ps(o + 32, a4), _mm256_storeu_ps(o + 40, a5), _mm256_storeu_ps(o + 48, a6), _mm256_storeu_ps(o + 56, a7);
  }
  for (; f + 32 <= k; f += 32) {
    float* o = out + f;
    __m256 a0 = _mm256_loadu_ps(o), a1 = _mm256_loadu_ps(o + 8), a2 = _mm256_loadu_ps(o + 16), a3 = _mm256_loadu_ps(o + 24);
    for (std::size_t j = 0; j < rows; ++j) {
      const float* z = Z + j * k + f;
      const __m256 b = _mm256_broadcast_ss(s + j);
      a0 = fmadd256(b, _mm256_loadu_ps(z), a0), a1 = fmadd256(b, _mm256_loadu_ps(z + 8), a1);
      a2 = fmadd256(b, _mm256_loadu_ps(z + 16), a2), a3 = fmadd256(b, _mm256_loadu_ps(z + 24), a3);
    }
    _mm256_storeu_ps(o, a0), _mm256_storeu_ps(o + 8, a1), _mm256_storeu_ps(o + 16, a2), _mm256_storeu_ps(o + 24, a3);
  }
  for (; f + 8 <= k; f += 8) {
    __m256 a0 = _mm256_loadu_ps(out + f);
    for (std::size_t j = 0; j < rows; ++j) a0 = fmadd256(_mm256_broadcast_ss(s + j), _mm256_loadu_ps(Z + j * k + f), a0);
    _mm256_storeu_ps(out + f, a0);
  }
#endif
  if (f < k)
    for (std::size_t j = 0; j < rows; ++j) {
      const float sj = s[j];
      const float* z = Z + j * k;
      for (std::size_t c = f; c < k; ++c) out[c] += sj * z[c];
    }
}

#if defined(__AVX512F__) && defined(__AVX512VL__)
/** The sums of R = 2 or 4 sixteen-float accumulators, in the first R lanes of one register. */
template <int R>
inline __m128 sum_rows16(const __m512* a) {
  const __m256 h0 = _mm256_hadd_ps(add_halves(a[0]), add_halves(a[1]));
  const __m256 h1 = R == 4 ? _mm256_hadd_ps(add_halves(a[2]), add_halves(a[3])) : h0;
  const __m256 q = _mm256_hadd_ps(h0, h1);  // per 128-bit half: rows 0…R−1
  return _mm_add_ps(_mm256_castps256_ps128(q), _mm256_extractf128_ps(q, 1));
}

/**
 * gemv_rows, then h, then gemv_t_acc in one read of Z, for k ≤ 16·C ≤ 64 with R = t_acc_sets(k)
 * accumulator sets: set(j mod R) += h_j Z_j with h_j = cp_j − w_j (Z_j·v) (Residual) or
 * w_j (Z_j·v). At such k a row is at most four registers, and the split products load every row
 * twice for two FMAs a register, so the loads bound the loop; here a row's registers serve its dot
 * and its update. Rows go R at a time, a short last block padded with zero rows that add exact
 * zeros, so every row's sequence is the same wherever it falls.
 *
 * Pieces of a longer row keep the sets in `out` (R k-vectors) between calls. With Whole, Z is a
 * whole row and `out` one k-vector: the sets start as (out, 0, …) and are added up in order into
 * it at the end, as fold_t_acc_sets would, without a trip through memory.
 */
template <bool Residual, int C, int R, bool Whole>
inline void fused_pass_small(const float* Z, std::size_t rows, std::size_t k, const float* v, const float* w,
                             const float* cp, float* out) {
  static_assert(C >= 1 && C <= 4 && (R == 2 || R == 4) && C * R <= 8, "rows of a block stay in registers");
  __mmask16 m[C];
  __m512 vv[C], acc[R][C];
  for (int c = 0; c < C; ++c) {
    m[c] = lanes16(k - 16 * c);
    vv[c] = _mm512_maskz_loadu_ps(m[c], v + 16 * c);
    for (int q = 0; q < R; ++q)
      acc[q][c] = Whole && q > 0 ? _mm512_setzero_ps() : _mm512_maskz_loadu_ps(m[c], out + (Whole ? 0 : q * k) + 16 * c);
  }
  for (std::size_t j = 0; j < rows; j += R) {
    // Padding rows load as zeros through their masks rather than a branch, which would make the
    // compiler keep the accumulators in memory.
    const std::size_t n = std::min<std::size_t>(R, rows - j);
    __m512 z[R][C], a[R];
    for (std::size_t r = 0; r < R; ++r) {
      const __mmask16 row = r < n ? __mmask16(0xFFFF) : __mmask16(0);
      for (int c = 0; c < C; ++c) z[r][c] = _mm512_maskz_loadu_ps(m[c] & row, Z + (j + r) * k + 16 * c);
      a[r] = _mm512_mul_ps(z[r][0], vv[0]);
      for (int c = 1; c < C; ++c) a[r] = _mm512_fmadd_ps(z[r][c], vv[c], a[r]);
    }
    const __mmask8 live = static_cast<__mmask8>((1u << n) - 1u);
    const __m128 t = sum_rows16<R>(a), wj = _mm_maskz_loadu_ps(live, w + j);
    const __m128 hj = Residual ? _mm_fnmadd_ps(wj, t, _mm_maskz_loadu_ps(live, cp + j)) : _mm_mul_ps(wj, t);
    alignas(16) float h[4];
    _mm_store_ps(h, _mm_maskz_mov_ps(live, hj));  // zero for padding rows even when v is not finite
    for (std::size_t r = 0; r < R; ++r) {
      const __m512 b = _mm512_set1_ps(h[r]);
      for (int c = 0; c < C; ++c) acc[r][c] = _mm512_fmadd_ps(b, z[r][c], acc[r][c]);
    }
  }
  for (int c = 0; c < C; ++c) {
    if (Whole) {
      __m512 s = acc[0][c];
      for (int q = 1; q < R; ++q) s = _mm512_add_ps(s, acc[q][c]);
      _mm512_mask_storeu_ps(out + 16 * c, m[c], s);
    } else {
      for (int q = 0; q < R; ++q) _mm512_mask_storeu_ps(out + q * k + 16 * c, m[c], acc[q][c]);
    }
  }
}

/** fused_pass_small for any k ≤ 64 (the accumulator sets t_acc_sets gives). */
template <bool Residual, bool Whole = false>
inline void fused_pass(const float* Z, std::size_t rows, std::size_t k, const float* v, const float* w, const float* cp,
                       float* out) {
  switch ((k + 15) / 16) {
    case 1: return fused_pass_small<Residual, 1, 4, Whole>(Z, rows, k, v, w, cp, out);
    case 2: return fused_pass_small<Residual, 2, 4, Whole>(Z, rows, k, v, w, cp, out);
    case 3: return fused_pass_small<Residual, 3, 2, Whole>(Z, rows, k, v, w, cp, out);
    default: return fused_pass_small<Residual, 4, 2, Whole>(Z, rows, k, v, w, cp, out);
  }
}
#endif

/** Whether a CG pass at this k reads its rows once (fused_pass) rather than in two products. */
inline bool uses_fused_pass(std::size_t k) {
#if defined(__AVX512F__) && defined(__AVX512VL__)
  return k <= 64;
#else
  (void)k;
  return false;
#endif
}

/** Rows solved together by CG: the gram is read once per group instead of once per row. */
constexpr std::size_t kCgLanes = 4;

#if defined(__AVX512F__) || defined(__AVX2__)
/** The widest float register compiled in, for kernels written once for either width. */
struct WideFloat {
#if defined(__AVX512F__)
  using V = __m512;
  static constexpr std::size_t width = 16;
  static V zero() { return _mm512_setzero_ps(); }
  static V load(const float* p) { return _mm512_loadu_ps(p); }
  static void store(float* p, V v) { _mm512_storeu_ps(p, v); }
  static V broadcast(const float* p) { return _mm512_set1_ps(*p); }
  static V fma(V a, V b, V c) { return _mm512_fmadd_ps(a, b, c); }
#else
  using V = __m256;
  static constexpr std::size_t width = 8;
  static V zero() { return _mm256_setzero_ps(); }
  static V load(const float* p) { return _mm256_loadu_ps(p); }
  static void store(float* p, V v) { _mm256_storeu_ps(p, v); }
  static V broadcast(const float* p) { return _mm256_broadcast_ss(p); }
  static V fma(V a, V b, V c) { return fmadd256(a, b, c); }
#endif
};

/**
 * Columns [a, a + C·width) of G·V[r] for the four lanes, in 4·C accumulators: each load of a
 * gram row serves all four lanes (C = 2 keeps eight FMA chains in flight).
 */
template <std::size_t C>
inline void gram_lanes_block(const float* G, std::size_t k, const float* V, float* out, std::size_t a) {
  using W = WideFloat;
  typename W::V c[kCgLanes][C];
  for (auto& lane : c)
    for (auto& x : lane) x = W::zero();
  for (std::size_t f = 0; f < k; ++f) {
    typename W::V g[C];
    for (std::size_t i = 0; i < C; ++i) g[i] = W::load(G + f * k + a + i * W::width);
    for (std::size_t r = 0; r < kCgLanes; ++r) {
      const typename W::V b = W::broadcast(V + r * k + f);
      for (std::size_t i = 0; i < C; ++i) c[r][i] = W::fma(b, g[i], c[r][i]);
    }
  }
  for (std::size_t r = 0; r < kCgLanes; ++r)
    for (std::size_t i = 0; i < C; ++i) W::store(out + r * k + a + i * W::width, c[r][i]);
}
#endif

/**
 * out[r] = G·V[r] for the kCgLanes rows of V (each k floats; G symmetric k×k, so this is V·G).
 * Element (r, a) is Σ_f V[r][f]·G[f][a] summed over f in order, whatever the other lanes hold.
 */
inline void gram_times_lanes(const float* G, std::size_t k, const float* V, float* out) {
  std::size_t a = 0;
#if defined(__AVX512F__) || defined(__AVX2__)
  constexpr std::size_t w = WideFloat::width;
  for (; a + 2 * w <= k; a += 2 * w) gram_lanes_block<2>(G, k, V, out, a);
  for (; a + w <= k; a += w) gram_lanes_block<1>(G, k, V, out, a);
#endif
#if defined(__AVX512F__)
  if (a < k) {  // the last k mod 16 columns, masked
    const __mmask16 m = lanes16(k - a);
    __m512 c[kCgLanes];
    for (auto& x : c) x = _mm512_setzero_ps();
    for (std::size_t f = 0; f < k; ++f) {
      const __m512 g = _mm512_maskz_loadu_ps(m, G + f * k + a);
      for (std::size_t r = 0; r < kCgLanes; ++r) c[r] = _mm512_fmadd_ps(_mm512_set1_ps(V[r * k + f]), g, c[r]);
    }
    for (std::size_t r = 0; r < kCgLanes; ++r) _mm512_mask_storeu_ps(out + r * k + a, m, c[r]);
    return;
  }
#endif
  for (; a < k; ++a)
    for (std::size_t r = 0; r < kCgLanes; ++r) {
      const float* v = V + r * k;
      float s = 0.f;
      for (std::size_t f = 0; f < k; ++f) s += v[f] * G[f * k + a];
      out[r * k + a] = s;
    }
}

}  // namespace mixtape
