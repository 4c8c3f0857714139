// Exact top-k through an 8-bit pre-filter: the same results as score_topk, bit for bit, with a
// fraction of its arithmetic. Items are quantized to small integers (one scale each), users to
// 8 bits, and integer multiply-adds score four pairs per lane and instruction where float FMA
// scores one. Every approximate score comes with a rigorous interval [lo, hi] around the float
// kernel's own score: the quantization residuals are bounded by Cauchy–Schwarz with their actual
// norms, plus slack for every float rounding. A running threshold τ is the n-th best lo seen; only
// items whose hi reaches τ are kept, and every true top-n item is (its score ≥ the n-th best score
// ≥ τ). Items are visited by descending norm so τ nears its final value early, and per user and
// tile one integer compare (the gate) rules out most accumulators before any bound is formed. The
// kept items — a few times n — are then scored with the float kernel's own chain (one FMA per
// factor, in order) and selected by the same (score, item) key, so ties and padding are the same.
// The items are quantized per call, or once for many calls (PreparedItems); without prepared
// items `score_topk_best` takes this path only where that pass over V is amortised.
#pragma once
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <climits>
#include <cstring>
#include <cstdlib>
#include <memory>
#include <new>
#include <limits>
#include <vector>

#include "prefetch.h"
#include "scratch.h"
#include "topk.h"

namespace mixtape {

/** Which path a top-k call took. */
enum class TopKPath { Float, Int8 };

#if defined(__AVX2__)

#if (defined(__AVX512VNNI__) && defined(__AVX512VL__)) || defined(__AVXVNNI__)
#define MIXTAPE_INT8_VNNI 1
/** vpdpbusd sums four u8×s8 products into 32 bits: the full signed range is exact. */
constexpr int kItemLevels = 127;
#else
/** vpmaddubsw adds pairs of u8×s8 products in 16 bits, saturating: 2·255·63 is the most that fits. */
constexpr int kItemLevels = 63;
#endif

/** Users and items per integer block: 6 × 16 accumulators, as the float micro-kernel. */
constexpr std::size_t kQMR = 6, kQNR = 16;
/** Up to this many factors |D| ≤ 127·127·k < 2²², so D and the bounds round by under 0.25 each. */
constexpr std::size_t kInt8MaxFactors = 256;

/** One multiply-add of the float kernel's chain (fmadd256 on one lane). */
inline float chain_fma(float a, float b, float c) {
#if defined(__FMA__)
  return std::fma(a, b, c);
#else
  const volatile float prod = a * b;  // two roundings, as _mm256_mul_ps then _mm256_add_ps
  return prod + c;
#endif
}

/** Relative slack on every computed norm and bound term, and absolute slack in integer units. */
constexpr float kRel = 1.f + 1.f / 64.f, kAbs = 0.01f;
constexpr float kBiasRel = 1.f / (1 << 22);

inline float max_abs(const float* v, std::size_t k) {
  const __m256 sign = _mm256_set1_ps(-0.f);
  __m256 m = _mm256_setzero_ps();
  std::size_t f = 0;
  for (; f + 8 <= k; f += 8) m = _mm256_max_ps(m, _mm256_andnot_ps(sign, _mm256_loadu_ps(v + f)));
  alignas(32) float t[8];
  _mm256_store_ps(t, m);
  float r = 0.f;
  for (float x : t) r = std::max(r, x);
  for (; f < k; ++f) r = std::max(r, std::fabs(v[f]));
  return r;
}

/** What encoding a row leaves for its bounds: Σ x, Σ x² and Σ (v·inv − x)². */
struct RowCode {
  int32_t sum = 0, squares = 0;
  float residual2 = 0.f;
};

/**
 * x_f = round(v_f·inv) clamped to ±levels, written as bytes four factors at a time: group g's four
 * bytes at dst + g·stride (the caller zeroes the k4 − k padding bytes). Any rounding works as
 * long as the residual is taken from the same x; the vector path rounds to nearest even.
 */
inline RowCode encode_row(const float* v, std::size_t k, float inv, int levels, int8_t* dst, std::size_t stride) {
  RowCode rc;
  const __m256 vinv = _mm256_set1_ps(inv);
  const __m256i hi = _mm256_set1_epi32(levels), lo = _mm256_set1_epi32(-levels);
  __m256i sum = _mm256_setzero_si256(), sq = _mm256_setzero_si256();
  __m256 r2 = _mm256_setzero_ps();
  std::size_t f = 0;
  for (; f + 8 <= k; f += 8) {
    const __m256 y = _mm256_mul_ps(_mm256_loadu_ps(v + f), vinv);
    const __m256i x = _mm256_max_epi32(lo, _mm256_min_epi32(hi, _mm256_cvtps_epi32(y)));
    const __m256 e = _mm256_sub_ps(y, _mm256_cvtepi32_ps(x));
    r2 = _mm256_add_ps(r2, _mm256_mul_ps(e, e));
    sum = _mm256_add_epi32(sum, x);
    sq = _mm256_add_epi32(sq, _mm256_mullo_epi32(x, x));
    const __m256i b16 = _mm256_packs_epi32(x, x);
    const __m256i b8 = _mm256_packs_epi16(b16, b16);  // lane 0: x0…x3, lane 1: x4…x7 (each repeated)
    const int32_t w0 = _mm256_cvtsi256_si32(b8), w1 = _mm256_extract_epi32(b8, 4);
    std::memcpy(dst + (f / 4) * stride, &w0, 4);
    std::memcpy(dst + (f / 4 + 1) * stride, &w1, 4);
  }
  alignas(32) int32_t a[8], b[8];
  _mm256_store_si256(reinterpret_cast<__m256i*>(a), sum);
  _mm256_store_si256(reinterpret_cast<__m256i*>(b), sq);
  for (int j = 0; j < 8; ++j) rc.sum += a[j], rc.squares += b[j];
  rc.residual2 = hsum256(r2);
  for (; f < k; ++f) {
    const float y = v[f] * inv;
    const int x = std::clamp(static_cast<int>(std::lrint(y)), -levels, levels);
    dst[(f / 4) * stride + (f % 4)] = static_cast<int8_t>(x);
    rc.sum += x, rc.squares += x * x;
    const float e = y - static_cast<float>(x);
    rc.residual2 += e * e;
  }
  return rc;
}

/**
 * Items as integers q_i = round(v_i / s_i), s_i = max_f |v_if| / kItemLevels, in panels of 16
 * columns laid out [factor group of 4][column][4 bytes], largest norms first (`item` maps a column
 * back to its item, `column` an item to its column); columns past the last item are zero. Per column, in units of s_i: `qn` ≥ ‖q_i‖₂,
 * `en` ≥ ‖v_i/s_i − q_i‖₂ (the residual), `gn` = qn + en. `offset` starts each accumulator at
 * −128·Σ_f q_if (users are stored as p + 128).
 */
struct QuantizedItems {
  std::size_t k = 0, k4 = 0, panels = 0;
  /** The largest |v_if| over all items (for the overflow check). */
  float vmax = 0.f;
  Scratch<int32_t> item, column;
  Scratch<int8_t> panel;
  Scratch<int32_t> offset;
  Scratch<float> scale, qn, en, gn, bias_hi, bias_lo;

  /** Bytes these buffers hold. */
  std::size_t bytes() const {
    return item.bytes() + column.bytes() + panel.bytes() + offset.bytes() + scale.bytes() + qn.bytes() + en.bytes() +
           gn.bytes() + bias_hi.bytes() + bias_lo.bytes();
  }

  /** False (the float path then runs) when a value is not finite. */
  bool build(const float* V, std::size_t items, std::size_t kk, const float* bias) {
    k = kk, k4 = (k + 3) / 4 * 4, panels = (items + kQNR - 1) / kQNR;
    const std::size_t cols = panels * kQNR, groups = k4 / 4;
    // Encoded in item order (V read once, sequentially), then placed in columns by norm: the
    // gather reads one 64-byte code row per item from a buffer on huge pages, where reading V's
    // rows in column order missed the caches and the TLB on every row.
    Scratch<int8_t> codes;
    Scratch<float> norm2, mxs;
    Scratch<RowCode> stats;
    codes.reset(items * k4), norm2.reset(items), mxs.reset(items), stats.reset(items);
    for (std::size_t i = 0; i < items; ++i) {
      const float* v = V + i * k;
      norm2[i] = dot(v, v, k);  // any order: it orders items and screens for non-finite values
      if (!std::isfinite(norm2[i])) return false;  // catches NaN and ±Infinity (and overflow)
      if (bias && !std::isfinite(bias[i])) return false;
      const float mx = max_abs(v, k);
      mxs[i] = mx;
      vmax = std::max(vmax, mx);
      int8_t* code = codes.data() + i * k4;
      if (k < k4) std::memset(code + (k4 - 4), 0, 4);  // the last group's padding bytes
      stats[i] = encode_row(v, k, mx > 0.f ? static_cast<float>(kItemLevels) / mx : 0.f, kItemLevels, code, 4);
    }
    order_by_norm(norm2.data(), items);
    panel.reset(panels * groups * kQNR * 4), offset.reset(cols);
    scale.reset(cols), qn.reset(cols), en.reset(cols), gn.reset(cols);
    if (bias) bias_hi.reset(cols), bias_lo.reset(cols);
    // Columns past the last item score 0 with no bound and never pass the mask.
    if (items < cols) std::fill(panel.data() + (panels - 1) * groups * kQNR * 4, panel.data() + panel.size(), int8_t{0});
    for (std::size_t c = items; c < cols; ++c) {
      offset[c] = 0, scale[c] = qn[c] = en[c] = gn[c] = 0.f;
      if (bias) bias_hi[c] = bias_lo[c] = 0.f;
    }
    // Columns visit items at random, so the code rows kPlaceAhead columns on are asked for now:
    // waiting on each row's miss was most of this pass.
    constexpr std::size_t kPlaceAhead = 16;
    for (std::size_t c = 0; c < items; ++c) {
      if (c + kPlaceAhead < items) prefetch_bytes(codes.data() + static_cast<std::size_t>(item[c + kPlaceAhead]) * k4, k4);
      const int32_t i = item[c];
      const int8_t* src = codes.data() + static_cast<std::size_t>(i) * k4;
      int8_t* dst = panel.data() + (c / kQNR) * groups * kQNR * 4 + (c % kQNR) * 4;
      for (std::size_t g = 0; g < groups; ++g) std::memcpy(dst + g * kQNR * 4, src + g * 4, 4);
      const RowCode& rc = stats[i];
      const float mx = mxs[i];
      offset[c] = -128 * rc.sum;
      scale[c] = mx / static_cast<float>(kItemLevels);
      // v/s_i·… carries one rounding per factor: kRel and kAbs cover it and the square roots.
      qn[c] = std::sqrt(static_cast<float>(rc.squares)) * kRel;
      en[c] = mx > 0.f ? std::sqrt(rc.residual2) * kRel + kAbs : 0.f;
      gn[c] = qn[c] + en[c];
      if (bias) {
        const float e = std::fabs(bias[i]) * kBiasRel;
        bias_hi[c] = bias[i] + e, bias_lo[c] = bias[i] - e;
      }
    }
    return true;
  }

 private:
  /** Columns by descending norm: a counting sort on the top bits of the squared norms (nearly sorted is enough). */
  void order_by_norm(const float* norm2, std::size_t items) {
    constexpr std::size_t kBuckets = 4096;
    std::vector<int32_t> start(kBuckets + 1, 0);
    Scratch<uint16_t> key;
    key.reset(items);
    for (std::size_t i = 0; i < items; ++i) {
      uint32_t b;
      std::memcpy(&b, &norm2[i], 4);
      key[i] = static_cast<uint16_t>(kBuckets - 1 - (b >> 19));  // positive floats order as their bits
      ++start[key[i] + 1];
    }
    for (std::size_t b = 0; b < kBuckets; ++b) start[b + 1] += start[b];
    item.reset(panels * kQNR), column.reset(items);
    for (std::size_t c = items; c < panels * kQNR; ++c) item[c] = -1;
    for (std::size_t i = 0; i < items; ++i) {
      const auto c = start[key[i]]++;
      item[static_cast<std::size_t>(c)] = static_cast<int32_t>(i), column[i] = c;
    }
  }
};

/** Users [u0, u0+m) as p + 128 with p = round(u / t), t = max|u| / 127, in rows of k4 bytes. */
struct QuantizedUsers {
  std::vector<uint8_t> rows;
  /** Per user: t, pn ≥ ‖p‖₂, dn ≥ ‖u/t − p‖₂, and the float-rounding coefficient of the bound. */
  std::vector<float> scale, pn, dn, rc;

  void build(const float* U, std::size_t u0, std::size_t m, std::size_t k, std::size_t k4) {
    rows.assign(((m + kQMR - 1) / kQMR * kQMR) * k4, 128);
    scale.assign(m, 0.f), pn.assign(m, 0.f), dn.assign(m, 0.f), rc.assign(m, 0.f);
    // The float kernel's own rounding: |fl(u·v) − u·v| ≤ k·2⁻²⁴·‖u‖₂‖v‖₂ ≤ k·2⁻²⁴·(pn+dn)(qn+en)·t·s.
    const float chain = static_cast<float>(k) * std::ldexp(1.f, -23);
    std::vector<int8_t> row(k4, 0);
    for (std::size_t r = 0; r < m; ++r) {
      const float* u = U + (u0 + r) * k;
      const float mx = max_abs(u, k);
      const float inv = mx > 0.f ? 127.f / mx : 0.f;
      const RowCode code = encode_row(u, k, inv, 127, row.data(), 4);
      for (std::size_t f = 0; f < k; ++f) rows[r * k4 + f] = static_cast<uint8_t>(row[f] + 128);
      scale[r] = mx / 127.f;
      pn[r] = std::sqrt(static_cast<float>(code.squares)) * kRel;
      dn[r] = mx > 0.f ? std::sqrt(code.residual2) * kRel + kAbs : 0.f;
      rc[r] = dn[r] + chain * (pn[r] + dn[r]);
    }
  }
};

/**
 * Slack (integer units) for the roundings of the bound's own evaluation and of the float kernel's
 * final bias addition: under 2 units in all while |D| < 2²², doubled.
 */
constexpr float kUnitSlack = 4.f;

/** One user's pass: the n best lower bounds (a min-heap; τ is its least) and the items whose upper bound reached τ. */
struct Int8Lane {
  std::vector<float> lows, highs;
  std::vector<int32_t> items;
  std::size_t cap = 0, prune_at = 0;
  float tau = -std::numeric_limits<float>::infinity();

  void reset(std::size_t c) {
    cap = c, tau = -std::numeric_limits<float>::infinity();
    prune_at = min_prune();
    lows.clear(), highs.clear(), items.clear();
  }

  std::size_t min_prune() const { return std::max<std::size_t>(4 * cap, 512); }

  void offer(int32_t item, float hi, float lo) {
    items.push_back(item), highs.push_back(hi);
    if (lows.size() < cap) {
      lows.push_back(lo);
      std::push_heap(lows.begin(), lows.end(), std::greater<float>());
      if (lows.size() == cap) tau = lows.front();
    } else if (lo > lows.front()) {
      std::pop_heap(lows.begin(), lows.end(), std::greater<float>());
      lows.back() = lo;
      std::push_heap(lows.begin(), lows.end(), std::greater<float>());
      tau = lows.front();
    }
    if (items.size() >= prune_at) prune();
  }

  /**
   * Drops the items whose upper bound fell below τ. The next prune waits until the list has doubled:
   * where many bounds tie τ (a user with no taste scores every item 0) or stay above it, a prune
   * keeps most items, and pruning again at a fixed size made the pass quadratic in the items.
   */
  void prune() {
    std::size_t w = 0;
    for (std::size_t r = 0; r < items.size(); ++r)
      if (highs[r] >= tau) items[w] = items[r], highs[w] = highs[r], ++w;
    items.resize(w), highs.resize(w);
    prune_at = std::max(min_prune(), 2 * w);
  }
};

/**
 * The largest scale, residual terms and bias of a tile's columns: with them, one integer per user
 * and tile (the gate) tells which accumulators could reach τ at all, before any bound is formed.
 */
struct TileBound {
  float smax = 0.f, emax = 0.f, gmax = 0.f, bmax = 0.f;

  /**
   * hi_i ≤ t·smax·W_i + bmax for W_i = D_i + pn·en_i + rc·gn_i + slack ≥ 0 (and ≤ bmax when W_i < 0),
   * so with τ > bmax no column whose D_i ≤ (τ − bmax)/(t·smax) − (pn·emax + rc·gmax + slack) can
   * reach τ. Returns that threshold rounded down with a margin, or INT32_MIN (let all through).
   */
  int32_t gate(float tau, float t, float pn, float rc) const {
    const float room = tau - bmax;
    if (!(room > 0.f) || !(t > 0.f) || !(smax > 0.f)) return INT32_MIN;
    const double d = static_cast<double>(room) / (static_cast<double>(t) * smax) - (static_cast<double>(pn) * emax + static_cast<double>(rc) * gmax + kUnitSlack);
    if (d > 1e9) return INT32_MAX;
    if (d < -1e9) return INT32_MIN;
    // Two units below, so rounding in the vector bound can never let a gated column reach τ.
    return static_cast<int32_t>(std::floor(d - 2.0 - 1e-6 * std::fabs(d)));
  }
};

inline TileBound tile_bound(const QuantizedItems& q, std::size_t c0, std::size_t c1, bool bias) {
  TileBound b;
  b.bmax = bias ? -std::numeric_limits<float>::infinity() : 0.f;
  for (std::size_t c = c0; c < c1; ++c) {
    b.smax = std::max(b.smax, q.scale[c]), b.emax = std::max(b.emax, q.en[c]), b.gmax = std::max(b.gmax, q.gn[c]);
    if (bias) b.bmax = std::max(b.bmax, q.bias_hi[c]);
  }
  if (c1 <= c0) b.bmax = 0.f;
  return b;
}

/** acc[q][h] += Σ_g p_q[g]·Q[g][8h…] over the k4/4 factor groups (four byte products per lane). */
inline void int8_block(const uint8_t* users, std::size_t k4, const int8_t* panel, __m256i (&c)[kQMR][2]) {
  // Twelve named accumulators, as in micro_accumulate: an array indexed in the loop is kept in memory.
  __m256i c00 = c[0][0], c01 = c[0][1], c10 = c[1][0], c11 = c[1][1], c20 = c[2][0], c21 = c[2][1];
  __m256i c30 = c[3][0], c31 = c[3][1], c40 = c[4][0], c41 = c[4][1], c50 = c[5][0], c51 = c[5][1];
#if defined(__AVX512VNNI__) && defined(__AVX512VL__)
#define MIXTAPE_DOT4(acc, x, v) acc = _mm256_dpbusd_epi32(acc, x, v)
#elif defined(__AVXVNNI__)
#define MIXTAPE_DOT4(acc, x, v) acc = _mm256_dpbusd_avx_epi32(acc, x, v)
#else
  const __m256i ones = _mm256_set1_epi16(1);
#define MIXTAPE_DOT4(acc, x, v) acc = _mm256_add_epi32(acc, _mm256_madd_epi16(_mm256_maddubs_epi16(x, v), ones))
#endif
  const std::size_t groups = k4 / 4;
  const uint8_t* u = users;
  for (std::size_t g = 0; g < groups; ++g, u += 4) {
    const __m256i v0 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(panel + g * 64));
    const __m256i v1 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(panel + g * 64 + 32));
    int32_t w;
    __m256i x;
    std::memcpy(&w, u, 4), x = _mm256_set1_epi32(w);
    MIXTAPE_DOT4(c00, x, v0), MIXTAPE_DOT4(c01, x, v1);
    std::memcpy(&w, u + k4, 4), x = _mm256_set1_epi32(w);
    MIXTAPE_DOT4(c10, x, v0), MIXTAPE_DOT4(c11, x, v1);
    std::memcpy(&w, u + 2 * k4, 4), x = _mm256_set1_epi32(w);
    MIXTAPE_DOT4(c20, x, v0), MIXTAPE_DOT4(c21, x, v1);
    std::memcpy(&w, u + 3 * k4, 4), x = _mm256_set1_epi32(w);
    MIXTAPE_DOT4(c30, x, v0), MIXTAPE_DOT4(c31, x, v1);
    std::memcpy(&w, u + 4 * k4, 4), x = _mm256_set1_epi32(w);
    MIXTAPE_DOT4(c40, x, v0), MIXTAPE_DOT4(c41, x, v1);
    std::memcpy(&w, u + 5 * k4, 4), x = _mm256_set1_epi32(w);
    MIXTAPE_DOT4(c50, x, v0), MIXTAPE_DOT4(c51, x, v1);
  }
#undef MIXTAPE_DOT4
  c[0][0] = c00, c[0][1] = c01, c[1][0] = c10, c[1][1] = c11, c[2][0] = c20, c[2][1] = c21;
  c[3][0] = c30, c[3][1] = c31, c[4][0] = c40, c[4][1] = c41, c[5][0] = c50, c[5][1] = c51;
}

/** Scores of four items for one user, four independent chains side by side (each the float kernel's chain). */
inline void chain_score4(const float* u, const float* v0, const float* v1, const float* v2, const float* v3, std::size_t k,
                         float* out) {
  float a0 = 0.f, a1 = 0.f, a2 = 0.f, a3 = 0.f;
  for (std::size_t f = 0; f < k; ++f) {
    const float x = u[f];
    a0 = chain_fma(x, v0[f], a0), a1 = chain_fma(x, v1[f], a1), a2 = chain_fma(x, v2[f], a2), a3 = chain_fma(x, v3[f], a3);
  }
  out[0] = a0, out[1] = a1, out[2] = a2, out[3] = a3;
}

/**
 * The float kernel's offers for user `u` whose row is all zeros: each score is 0 + bias_i (u·v_i is
 * +0 for finite v_i), offered in ascending items, skipping the user's excluded items.
 */
inline void offer_flat(const TopKProblem& p, std::size_t u, TopBuffer& h) {
  int64_t e = p.excl_indptr ? p.excl_indptr[u] : 0;
  const int64_t e_end = p.excl_indptr ? p.excl_indptr[u + 1] : 0;
  for (std::size_t i = 0; i < p.items; ++i) {
    const auto item = static_cast<int32_t>(i);
    while (e < e_end && p.excl_indices[e] < item) ++e;
    if (e < e_end && p.excl_indices[e] == item) continue;
    const float s = p.bias ? 0.f + p.bias[i] : 0.f;
    if (s > h.threshold) h.offer(s, item);
  }
}

/**
 * score_topk's results through the 8-bit pre-filter; false (nothing written) when an input is not
 * finite or products could overflow, in which case the caller runs the float kernel.
 */
inline bool score_topk_int8(const TopKProblem& p, const QuantizedItems* prepared = nullptr) {
  const std::size_t k = p.k, n = p.n, nu = p.user_end - p.user_begin;
  if (k > kInt8MaxFactors) return false;
  if (nu == 0 || n == 0) return true;
  float umax = 0.f;
  for (std::size_t i = 0; i < nu * k; ++i) {
    const float x = p.U[p.user_begin * k + i];
    if (!std::isfinite(x)) return false;
    umax = std::max(umax, std::fabs(x));
  }
  QuantizedItems own;
  if (!prepared && !own.build(p.V, p.items, k, p.bias)) return false;
  const QuantizedItems& q = prepared ? *prepared : own;
  if (static_cast<double>(umax) * q.vmax * static_cast<double>(k) > 1e30) return false;

  const std::size_t cap = std::min(n, p.items), k4 = q.k4, groups = k4 / 4;
  const std::size_t panel_bytes = groups * kQNR * 4;
  // Tiles of about 128 KiB of panels stay in L2 while every row group of the block passes over them.
  const std::size_t tile = std::max<std::size_t>(1, (128 * 1024) / panel_bytes);
  const std::size_t block = 240;  // users whose lanes are live at once (a multiple of kQMR)
  QuantizedUsers qu;
  std::vector<Int8Lane> lanes(block);
  std::vector<float> gate_tau(block);
  std::vector<int32_t> gate(block);
  std::vector<Scored> store(2 * std::max<std::size_t>(cap, 1));
  const bool bias = p.bias != nullptr;

  std::vector<int32_t> ex_cols;  // the block's excluded items as columns, ascending per user
  std::vector<std::size_t> ex_pos(block + 1), ex_end(block);
  for (std::size_t b0 = 0; b0 < nu; b0 += block) {
    const std::size_t bu = std::min(block, nu - b0), u0 = p.user_begin + b0;
    qu.build(p.U, u0, bu, k, k4);
    // Users whose row is all zeros (scale 0): every score is exactly 0 (+ bias), so every bound ties
    // τ and the pre-filter would keep every item; they take a plain pass over the biases instead.
    const auto flat = [&qu](std::size_t r) { return qu.scale[r] == 0.f; };
    ex_cols.clear();
    for (std::size_t r = 0; r < bu; ++r) {
      lanes[r].reset(cap);
      ex_pos[r] = ex_cols.size();
      if (p.excl_indptr)
        for (int64_t e = p.excl_indptr[u0 + r]; e < p.excl_indptr[u0 + r + 1]; ++e) ex_cols.push_back(q.column[static_cast<std::size_t>(p.excl_indices[e])]);
      ex_end[r] = ex_cols.size();
      std::sort(ex_cols.begin() + static_cast<std::ptrdiff_t>(ex_pos[r]), ex_cols.end());
    }
    for (std::size_t t0 = 0; t0 < q.panels; t0 += tile) {
      const std::size_t t1 = std::min(q.panels, t0 + tile);
      const TileBound tb = tile_bound(q, t0 * kQNR, std::min(p.items, t1 * kQNR), bias);
      std::fill(gate_tau.begin(), gate_tau.end(), std::numeric_limits<float>::quiet_NaN());
      // Zero rows never pass their gate (offer_flat answers them); their τ stays −∞, so it holds.
      for (std::size_t r = 0; r < bu; ++r)
        if (flat(r)) gate_tau[r] = lanes[r].tau, gate[r] = std::numeric_limits<int32_t>::max();
      for (std::size_t r0 = 0; r0 < bu; r0 += kQMR) {
        const std::size_t users = std::min(kQMR, bu - r0);
        const uint8_t* urows = qu.rows.data() + r0 * k4;
        for (std::size_t pi = t0; pi < t1; ++pi) {
          const std::size_t col = pi * kQNR;
          const std::size_t valid = std::min(kQNR, p.items - col);
          const unsigned col_mask = valid == kQNR ? 0xFFFFu : (1u << valid) - 1u;
          __m256i c[kQMR][2];
          const __m256i o0 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(q.offset.data() + col));
          const __m256i o1 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(q.offset.data() + col + 8));
          for (auto& row : c) row[0] = o0, row[1] = o1;
          int8_block(urows, k4, q.panel.data() + pi * panel_bytes, c);
          const __m256 s0 = _mm256_loadu_ps(q.scale.data() + col), s1 = _mm256_loadu_ps(q.scale.data() + col + 8);
          const __m256 e0 = _mm256_loadu_ps(q.en.data() + col), e1 = _mm256_loadu_ps(q.en.data() + col + 8);
          const __m256 g0 = _mm256_loadu_ps(q.gn.data() + col), g1 = _mm256_loadu_ps(q.gn.data() + col + 8);
          __m256 bh0 = _mm256_setzero_ps(), bh1 = _mm256_setzero_ps();
          if (bias) bh0 = _mm256_loadu_ps(q.bias_hi.data() + col), bh1 = _mm256_loadu_ps(q.bias_hi.data() + col + 8);
          const __m256 slack = _mm256_set1_ps(kUnitSlack);
          for (std::size_t r = 0; r < users; ++r) {
            const std::size_t lane = r0 + r;
            Int8Lane& L = lanes[lane];
            // The gate: an integer threshold below which no item of the tile can reach τ.
            if (!(gate_tau[lane] == L.tau)) {
              gate_tau[lane] = L.tau;
              gate[lane] = tb.gate(L.tau, qu.scale[lane], qu.pn[lane], qu.rc[lane]);
            }
            const __m256i vg = _mm256_set1_epi32(gate[lane]);
            if (_mm256_testz_si256(_mm256_or_si256(_mm256_cmpgt_epi32(c[r][0], vg), _mm256_cmpgt_epi32(c[r][1], vg)),
                                   _mm256_set1_epi32(-1)))
              continue;
            // hi = t·s_i·(D + pn·en_i + rc·gn_i + 4) + bias_i↑, at or above the float kernel's score.
            const __m256 vt = _mm256_set1_ps(qu.scale[lane]), vp = _mm256_set1_ps(qu.pn[lane]), vr = _mm256_set1_ps(qu.rc[lane]);
            const __m256 w0 = fmadd256(vr, g0, fmadd256(vp, e0, _mm256_add_ps(_mm256_cvtepi32_ps(c[r][0]), slack)));
            const __m256 w1 = fmadd256(vr, g1, fmadd256(vp, e1, _mm256_add_ps(_mm256_cvtepi32_ps(c[r][1]), slack)));
            const __m256 h0 = _mm256_add_ps(_mm256_mul_ps(vt, _mm256_mul_ps(s0, w0)), bh0);
            const __m256 h1 = _mm256_add_ps(_mm256_mul_ps(vt, _mm256_mul_ps(s1, w1)), bh1);
            const __m256 vtau = _mm256_set1_ps(L.tau);
            unsigned m = compare_mask16<_CMP_GE_OQ>(h0, h1, vtau) & col_mask;
            if (m == 0) continue;
            alignas(32) int32_t dd[kQNR];
            alignas(32) float hh[kQNR];
            _mm256_store_si256(reinterpret_cast<__m256i*>(dd), c[r][0]);
            _mm256_store_si256(reinterpret_cast<__m256i*>(dd + 8), c[r][1]);
            _mm256_store_ps(hh, h0), _mm256_store_ps(hh + 8, h1);
            const float t = qu.scale[lane], pnu = qu.pn[lane], rcu = qu.rc[lane];
            while (m) {
              const unsigned b = static_cast<unsigned>(__builtin_ctz(m));
              m &= m - 1;
              if (!(hh[b] >= L.tau)) continue;  // τ rose at an earlier offer of this block
              const std::size_t cc = col + b;
              // An excluded item must not raise τ. Each lane meets its columns in ascending order.
              const auto ci = static_cast<int32_t>(cc);
              while (ex_pos[lane] < ex_end[lane] && ex_cols[ex_pos[lane]] < ci) ++ex_pos[lane];
              if (ex_pos[lane] < ex_end[lane] && ex_cols[ex_pos[lane]] == ci) continue;
              const int32_t item = q.item[cc];
              const float w = static_cast<float>(dd[b]) - kUnitSlack - pnu * q.en[cc] - rcu * q.gn[cc];
              const float lo = t * (q.scale[cc] * w) + (bias ? q.bias_lo[cc] : 0.f);
              L.offer(item, hh[b], lo);
            }
          }
        }
      }
    }
    // The kept items' float scores, selected by the same key as score_topk (ascending items, as it offers them).
    for (std::size_t r = 0; r < bu; ++r) {
      TopBuffer h;
      h.reset(store.data(), cap);
      if (flat(r)) {
        offer_flat(p, u0 + r, h);
        emit(h, n, p.out_items + (b0 + r) * n, p.out_scores + (b0 + r) * n);
        continue;
      }
      Int8Lane& L = lanes[r];
      L.prune();
      std::sort(L.items.begin(), L.items.end());
      const float* u = p.U + (u0 + r) * k;
      const std::size_t m = L.items.size();
      float sc[4];
      for (std::size_t j = 0; j < m; j += 4) {
        const float* v[4];
        for (std::size_t x = 0; x < 4; ++x) v[x] = p.V + static_cast<std::size_t>(L.items[std::min(j + x, m - 1)]) * k;
        chain_score4(u, v[0], v[1], v[2], v[3], k, sc);
        for (std::size_t x = 0; x < 4 && j + x < m; ++x) {
          const int32_t item = L.items[j + x];
          const float s = bias ? sc[x] + p.bias[item] : sc[x];
          if (s > h.threshold) h.offer(s, item);
        }
      }
      emit(h, n, p.out_items + (b0 + r) * n, p.out_scores + (b0 + r) * n);
    }
  }
  return true;
}

#endif  // __AVX2__

/** The 8-bit pre-filter this build has: 'vnni' (vpdpbusd), 'avx2' (vpmaddubsw) or 'none'. */
inline const char* int8_prefilter_info() {
#if defined(MIXTAPE_INT8_VNNI)
  return "vnni";
#elif defined(__AVX2__)
  return "avx2";
#else
  return "none";
#endif
}

/**
 * 'auto' takes the pre-filter only where it was measured faster (one thread, bench/topk-policy.ts
 * at 2,048–200,000 items, k 32–128, n 50 and 200): with VNNI's four-product instruction
 * (without it, vpmaddubsw + vpmaddwd at 63 levels ran no faster than the float kernel)...
 */
#if defined(MIXTAPE_INT8_VNNI)
constexpr bool kInt8Auto = true;
#else
constexpr bool kInt8Auto = false;
#endif
/** ...with enough items and factors for the integer products to pay at all... */
constexpr std::size_t kInt8MinItems = 2048, kInt8MinFactors = 16;
/**
 * ...and, for more than a few users, at least this many items per result asked for: with fewer,
 * V sits in the caches, the float kernel runs at full speed, and the pre-filter's heaps and
 * rescoring of a few times n items per user made it 10–30% slower (20,000 items at n = 200);
 * from 400 items per result it took 0.4–0.8 of the float kernel's time...
 */
constexpr std::size_t kInt8ItemsPerResult = 256;
/**
 * ...when each call quantizes the items (a pass over V and the first touch of its buffers, about
 * 20–40 ms at 200,000 × 64 here), for calls of at least this many users: a call of 64 users took
 * 1.3–1.7× the float kernel's time and one of 1,024 users 0.64–0.94×...
 */
constexpr std::size_t kInt8MinUsers = 512;
/**
 * ...while with prepared items (quantized once) it pays from one user: a call of up to this many
 * users takes it whatever n (a float pass reads all of V per call; one user at 200,000 × 64 took
 * 1.8–2.1 against 8.2–9.0 ms)...
 */
constexpr std::size_t kInt8FewUsers = 16;
/** ...and the call's transient memory (see int8_transient_bytes) stays modest. */
constexpr std::size_t kInt8AutoMaxBytes = std::size_t{256} << 20;

/**
 * The most a pre-filter call allocates at once, while QuantizedItems::build runs: the codes and the
 * panels (k4 bytes an item each), plus per item the norm, scale, code statistics, column maps and
 * the five per-column arrays (about 52 bytes, 8 more with a bias). For 64 factors that is about
 * 0.7× V's own bytes.
 */
inline std::size_t int8_transient_bytes(std::size_t items, std::size_t k, bool bias) {
  const std::size_t k4 = (k + 3) / 4 * 4;
  return items * (2 * k4 + 52 + (bias ? 8 : 0));
}

/**
 * Items quantized once for many top-k calls over the same V and bias (prepareItems): a call given
 * them skips the pass over V, so the pre-filter pays from the first user. They are a snapshot, so
 * V and the bias must not change while they are used. `usable` is false where the pre-filter is not
 * compiled in, k is too large for it, or V or the bias holds a value that is not finite.
 */
struct PreparedItems {
  bool usable = false;
  std::size_t bytes = 0;  // held, for the JS heap's accounting
#if defined(__AVX2__)
  QuantizedItems q;
#endif
};

inline std::shared_ptr<PreparedItems> prepare_items(const float* V, std::size_t items, std::size_t k, const float* bias) {
  auto out = std::make_shared<PreparedItems>();
#if defined(__AVX2__)
  if (k <= kInt8MaxFactors && out->q.build(V, items, k, bias)) {
    out->usable = true;
    out->bytes = out->q.bytes();
  }
#else
  (void)V, (void)items, (void)k, (void)bias;
#endif
  return out;
}

/**
 * Top-k by the fastest exact path: the 8-bit pre-filter when VNNI is compiled in and the call is
 * of a shape where it pays (above; `prepared` items, built from this V and bias, lift the bound on
 * users), or with `force_int8` (any AVX2); else, or when it declines the input, the float kernel.
 * `allow_int8` false always takes the float kernel. The results are the same either way.
 */
inline TopKPath score_topk_best(const TopKProblem& p, bool allow_int8, bool force_int8, const PreparedItems* prepared = nullptr) {
#if defined(__AVX2__)
  const std::size_t nu = p.user_end - p.user_begin;
  const bool ready = prepared && prepared->usable;
  const bool wide = p.items >= kInt8ItemsPerResult * p.n;
  const bool pays = ready ? (nu <= kInt8FewUsers || wide)
                          : (wide && nu >= kInt8MinUsers && int8_transient_bytes(p.items, p.k, p.bias != nullptr) <= kInt8AutoMaxBytes);
  const bool big = kInt8Auto && p.items >= kInt8MinItems && p.k >= kInt8MinFactors && pays;
  if (allow_int8 && (force_int8 || big) && score_topk_int8(p, ready ? &prepared->q : nullptr)) return TopKPath::Int8;
#else
  (void)allow_int8, (void)force_int8, (void)prepared;
#endif
  score_topk(p);
  return TopKPath::Float;
}

}  // namespace mixtape
