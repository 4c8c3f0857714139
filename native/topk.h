// Fused score + top-k: for users [user_begin, user_end) of U, keep the n best items of V by
// u·v_i (+ bias_i), highest first, ties to the lower item index, skipping each user's excluded
// items; fewer eligible items than n pads with item −1 and score −Infinity. A super-block of users
// (up to 1024) is packed once; each item tile is packed once per super-block and scored against it
// in sub-blocks of a few dozen users. With AVX2 each 6×16 block of scores is compared with its
// users' running thresholds in registers and only survivors leave them; otherwise a sub-block's
// scores go to a small buffer and each row is merged behind the threshold. Either way the
// users×items matrix never exists. Items whose score is NaN or −Infinity are treated as ineligible.
#pragma once
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <functional>
#include <limits>
#include <vector>

#include "score_tile.h"
#include "simd.h"

namespace mixtape {

struct TopKProblem {
  const float* U;  // users × k
  const float* V;  // items × k
  std::size_t users, items, k;
  std::size_t user_begin, user_end, n;
  const int32_t* excl_indptr = nullptr;  // users + 1, or null
  const int32_t* excl_indices = nullptr;
  const float* bias = nullptr;  // items, or null
  int32_t* out_items;
  float* out_scores;
};

/**
 * A (score, item) candidate as one integer whose order is the order of results: higher score
 * first, then lower item index. The score's bits are mapped to an unsigned integer that sorts like
 * the float (negatives flipped) in the high half and the complemented item fills the low half, so
 * selection and sorting compare plain 64-bit integers — several times cheaper than a two-field
 * comparator on the hot path of top-k. NaN and −Infinity are never offered (the merge rejects them).
 */
using Scored = uint64_t;

inline Scored make_scored(float score, int32_t item) {
  uint32_t u;
  const float s = score + 0.f;  // −0 → +0: equal scores must tie, then order by item
  std::memcpy(&u, &s, sizeof u);
  u = (u & 0x80000000u) ? ~u : (u | 0x80000000u);
  return (static_cast<uint64_t>(u) << 32) | static_cast<uint32_t>(~static_cast<uint32_t>(item));
}
inline float scored_score(Scored c) {
  uint32_t u = static_cast<uint32_t>(c >> 32);
  u = (u & 0x80000000u) ? (u & 0x7FFFFFFFu) : ~u;
  float s;
  std::memcpy(&s, &u, sizeof s);
  return s;
}
inline int32_t scored_item(Scored c) { return static_cast<int32_t>(~static_cast<uint32_t>(c)); }

/**
 * Keeps the best `cap` candidates of a stream of ascending items: candidates that beat the
 * threshold are appended to a buffer of 2·cap; when it fills, a selection (nth_element) keeps the
 * best cap and raises the threshold to the cap-th best score. Amortised O(1) per accepted
 * candidate, and cheaper than sifting a heap for every one. Because items arrive in ascending
 * order, a later item that only ties the threshold can never displace a kept one, so the test is
 * a strict `s > threshold`.
 */
struct TopBuffer {
  Scored* buf;
  std::size_t size, cap;
  float threshold;

  void reset(Scored* storage, std::size_t capacity) {
    buf = storage, size = 0, cap = capacity;
    threshold = -std::numeric_limits<float>::infinity();
  }

  void offer(float score, int32_t item) {
    buf[size++] = make_scored(score, item);
    if (size == 2 * cap) shrink();
  }

  /** Keeps the best cap entries (unordered) and raises the threshold. */
  void shrink() {
    std::nth_element(buf, buf + cap - 1, buf + size, std::greater<Scored>());
    threshold = scored_score(buf[cap - 1]);
    size = cap;
  }
};

#if !defined(__AVX2__)
/**
 * Without AVX2: scores packed users [s0, s0+rows) against the packed tile (items t0…) into S
 * (stride ld), marks each user's excluded items of the tile NaN (never accepted) and merges every
 * row into its buffer behind the running threshold. heaps/ex_pos/ex_end are indexed from user s0.
 */
inline void merge_blocks(const TileScorer& scorer, std::size_t s0, std::size_t rows, int32_t t0, const float* bias,
                         const int32_t* excl, TopBuffer* heaps, int64_t* ex_pos, const int64_t* ex_end, float* S,
                         std::size_t ld) {
  const std::size_t T = scorer.tile_items();
  const int64_t tile_end = t0 + static_cast<int64_t>(T);
  scorer.score(s0, rows, S, ld);
  for (std::size_t r = 0; r < rows; ++r) {
    float* row = S + r * ld;
    TopBuffer& h = heaps[r];
    for (; ex_pos[r] < ex_end[r] && excl[ex_pos[r]] < tile_end; ++ex_pos[r])
      row[excl[ex_pos[r]] - t0] = std::numeric_limits<float>::quiet_NaN();
    for (std::size_t j = 0; j < T; ++j) {
      const float v = bias ? row[j] + bias[j] : row[j];
      if (v > h.threshold) h.offer(v, t0 + static_cast<int32_t>(j));  // NaN compares false
    }
  }
}
#else
/**
 * Scores packed users [s0, s0+rows) against the packed tile (items t0…) and offers each micro-block's
 * survivors straight from registers: per user, sixteen scores (plus bias) are compared with its
 * threshold at once and only those above it are written out, so the score matrix never touches
 * memory. Excluded items are dropped at the offer by walking the user's sorted exclusion list,
 * which the ascending offers allow. heaps/ex_pos/ex_end are indexed from user s0.
 */
inline void select_blocks(const TileScorer& scorer, std::size_t s0, std::size_t rows, int32_t t0, const float* bias_tile,
                          const int32_t* excl, TopBuffer* heaps, int64_t* ex_pos, const int64_t* ex_end) {
  const std::size_t T = scorer.tile_items();
  scorer.score_blocks(s0, rows, [&](std::size_t row0, std::size_t col, const __m256 (&c)[kMR][2]) {
    const std::size_t valid = std::min(kNR, T - col), users = std::min(kMR, rows - row0);
    const unsigned item_mask = valid == kNR ? 0xFFFFu : (1u << valid) - 1u;
    __m256 b0 = _mm256_setzero_ps(), b1 = _mm256_setzero_ps();
    if (bias_tile) b0 = _mm256_loadu_ps(bias_tile + col), b1 = _mm256_loadu_ps(bias_tile + col + 8);
    for (std::size_t q = 0; q < users; ++q) {
      const std::size_t r = row0 + q;
      TopBuffer& h = heaps[r];
      __m256 a0 = c[q][0], a1 = c[q][1];
      if (bias_tile) a0 = _mm256_add_ps(a0, b0), a1 = _mm256_add_ps(a1, b1);
      const __m256 vt = _mm256_set1_ps(h.threshold);
      // NaN compares false (ordered), so NaN scores are never offered.
      unsigned m = compare_mask16<_CMP_GT_OQ>(a0, a1, vt) & item_mask;
      if (m == 0) continue;
      alignas(32) float sc[kNR];
      _mm256_store_ps(sc, a0), _mm256_store_ps(sc + 8, a1);
      while (m) {
        const unsigned b = static_cast<unsigned>(__builtin_ctz(m));
        m &= m - 1;
        const float v = sc[b];
        if (!(v > h.threshold)) continue;  // raised by an earlier offer of this block
        const int32_t item = t0 + static_cast<int32_t>(col + b);
        while (ex_pos[r] < ex_end[r] && excl[ex_pos[r]] < item) ++ex_pos[r];
        if (ex_pos[r] < ex_end[r] && excl[ex_pos[r]] == item) continue;
        h.offer(v, item);
      }
    }
  });
}
#endif

/** Writes a buffer's best entries first, padding to n with (−1, −Infinity). */
inline void emit(TopBuffer& h, std::size_t n, int32_t* items, float* scores) {
  if (h.size > h.cap) h.shrink();
  std::sort(h.buf, h.buf + h.size, std::greater<Scored>());
  for (std::size_t r = 0; r < h.size; ++r) items[r] = scored_item(h.buf[r]), scores[r] = scored_score(h.buf[r]);
  for (std::size_t r = h.size; r < n; ++r) items[r] = -1, scores[r] = -std::numeric_limits<float>::infinity();
}

inline void score_topk(const TopKProblem& p) {
  const std::size_t k = p.k, n = p.n, nu = p.user_end - p.user_begin;
  if (nu == 0 || n == 0) return;
  const std::size_t cap = std::min(n, p.items);
  const std::size_t sub = 8 * TileScorer::row_pad;  // users per product: their packed rows stay in L1
  // Item tiles of about 128 KiB packed; a super-block of users shares each packed tile, so packing
  // is amortised over many users, while its heaps stay within a few MiB.
  const std::size_t tile = TileScorer::round_up(std::clamp<std::size_t>((128 * 1024) / (k * 4), 256, 4096), TileScorer::col_pad);
  const std::size_t block =
      std::max(sub, std::min<std::size_t>(1024, (std::size_t{1} << 18) / std::max<std::size_t>(cap, 1)) / sub * sub);
#if defined(__AVX2__)
  std::vector<float> bias_tile(p.bias ? tile : 0);  // the tile's bias, zero-padded to whole panels
#else
  std::vector<float> S(sub * tile);
#endif
  std::vector<Scored> store(block * 2 * std::max<std::size_t>(cap, 1));
  std::vector<TopBuffer> heaps(block);
  std::vector<int64_t> ex_pos(block), ex_end(block);
  TileScorer scorer(k);

  for (std::size_t b0 = 0; b0 < nu; b0 += block) {
    const std::size_t bu = std::min(block, nu - b0), u0 = p.user_begin + b0;
    for (std::size_t r = 0; r < bu; ++r) {
      heaps[r].reset(store.data() + r * 2 * cap, cap);
      ex_pos[r] = p.excl_indptr ? p.excl_indptr[u0 + r] : 0;
      ex_end[r] = p.excl_indptr ? p.excl_indptr[u0 + r + 1] : 0;
    }
    scorer.pack_users(p.U, u0, bu);
    for (std::size_t t0 = 0; t0 < p.items && cap > 0; t0 += tile) {
      const std::size_t T = std::min(tile, p.items - t0);
      scorer.pack_items(p.V, t0, T);
#if defined(__AVX2__)
      if (p.bias) {
        std::copy(p.bias + t0, p.bias + t0 + T, bias_tile.begin());
        std::fill(bias_tile.begin() + static_cast<std::ptrdiff_t>(T), bias_tile.end(), 0.f);
      }
      const float* bias = p.bias ? bias_tile.data() : nullptr;
#else
      const float* bias = p.bias ? p.bias + t0 : nullptr;
#endif
      for (std::size_t s0 = 0; s0 < bu; s0 += sub) {
        const std::size_t rows = std::min(sub, bu - s0);
        TopBuffer* h = heaps.data() + s0;
#if defined(__AVX2__)
        select_blocks(scorer, s0, rows, static_cast<int32_t>(t0), bias, p.excl_indices, h, ex_pos.data() + s0, ex_end.data() + s0);
#else
        merge_blocks(scorer, s0, rows, static_cast<int32_t>(t0), bias, p.excl_indices, h, ex_pos.data() + s0,
                     ex_end.data() + s0, S.data(), tile);
#endif
      }
    }
    for (std::size_t r = 0; r < bu; ++r)
      emit(heaps[r], n, p.out_items + (b0 + r) * n, p.out_scores + (b0 + r) * n);
  }
}

}  // namespace mixtape
