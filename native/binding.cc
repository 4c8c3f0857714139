// Node-API surface of the native core: argument parsing and validation on the JS thread, then a
// header-only kernel, run either inline (sync entries, used inside worker threads) or on the libuv
// pool by an AsyncWorker over staged copies of plain buffers (staging.h).
#include <napi.h>

#include <functional>
#include <memory>
#include <string>
#include <utility>

#include "als_cg.h"
#include "als_cholesky.h"
#include "args.h"
#include "blas.h"
#include "csr_range.h"
#include "errors.h"
#include "gram.h"
#include "huge_pages.h"
#include "loss.h"
#include "release_pages.h"
#include "row_dots.h"
#include "score_int8.h"
#include "sgemm_bench.h"
#include "simd.h"
#include "solve_spd.h"
#include "staging.h"
#include "topk.h"
#include "validate.h"
#include "version.h"

namespace mixtape {
namespace {

Napi::Error to_js(Napi::Env env, ArgError::Kind kind, const std::string& msg) {
  if (kind == ArgError::Kind::Type) return Napi::TypeError::New(env, msg);
  return Napi::RangeError::New(env, msg);
}

/** Runs `body`, turning ArgError into the matching JS exception. */
template <typename F>
Napi::Value guarded(Napi::Env env, F&& body) {
  try {
    return body();
  } catch (const ArgError& e) {
    throw to_js(env, e.kind, e.what());
  }
}

/** What a settled kernel resolves with, made on the JS thread once the kernel is done. */
using ResultOf = std::function<Napi::Value(Napi::Env)>;

/** Resolves with `value` (an object held until then, or undefined). */
ResultOf resolve_with(Napi::Value value) {
  if (value.IsUndefined()) return [](Napi::Env env) -> Napi::Value { return env.Undefined(); };
  auto held = std::make_shared<Napi::ObjectReference>(Napi::Persistent(value.As<Napi::Object>()));
  return [held](Napi::Env) -> Napi::Value { return held->Value(); };
}

/**
 * Runs a validated kernel on the libuv pool and settles a promise with what `result_of` makes of
 * its outcome, after copying the staged outputs back into the caller's arrays.
 */
class KernelWorker : public Napi::AsyncWorker {
 public:
  KernelWorker(Napi::Env env, std::function<void()> job, std::unique_ptr<Staging> staging, ResultOf result_of)
      : Napi::AsyncWorker(env, "mixtape.kernel"),
        job_(std::move(job)),
        staging_(std::move(staging)),
        deferred_(Napi::Promise::Deferred::New(env)),
        result_of_(std::move(result_of)) {}
  Napi::Promise promise() const { return deferred_.Promise(); }

 protected:
  void Execute() override {
    try {
      job_();
    } catch (const ArgError& e) {
      kind_ = e.kind;
      SetError(e.what());
    } catch (const std::exception& e) {
      kind_ = ArgError::Kind::Range;
      generic_ = true;
      SetError(e.what());
    }
  }
  void OnOK() override {
    settle([this] {
      try {
        staging_->finish(Env());
      } catch (const ArgError& e) {
        deferred_.Reject(to_js(Env(), e.kind, e.what()).Value());
        return;
      }
      deferred_.Resolve(result_of_(Env()));
    });
  }
  void OnError(const Napi::Error& e) override {
    const std::string msg = e.Message();
    settle([&] { deferred_.Reject(generic_ ? Napi::Error::New(Env(), msg).Value() : to_js(Env(), kind_, msg).Value()); });
  }

 private:
  /**
   * Runs `body`, which settles the promise. A JS error it meets rejects the promise instead. A
   * thread that is shutting down (a worker terminated while a call was in flight) refuses every
   * call into JS: nobody is left to settle for, and the error must not escape this callback.
   */
  template <typename F>
  void settle(F&& body) {
    try {
      body();
    } catch (const Napi::Error& e) {
      try {
        deferred_.Reject(e.Value());
      } catch (const Napi::Error&) {
      }
    }
  }

  std::function<void()> job_;
  std::unique_ptr<Staging> staging_;
  Napi::Promise::Deferred deferred_;
  ResultOf result_of_;
  ArgError::Kind kind_ = ArgError::Kind::Range;
  bool generic_ = false;
};

Napi::Value run_async(Napi::Env env, std::function<void()> job, std::unique_ptr<Staging> staging, ResultOf result_of) {
  auto* w = new KernelWorker(env, std::move(job), std::move(staging), std::move(result_of));
  Napi::Promise p = w->promise();
  w->Queue();
  return p;
}

// Parsing order matters in every entry: all properties (which may be getters or proxy traps that
// run JS, e.g. transfer a buffer) are read first; typed-array memory is taken last, when no more
// JS can run before the kernel (sync) or the staging copies (async).

// ---- gram ---------------------------------------------------------------------------------------

struct GramJob {
  const float* Y;
  std::size_t n, k;
  float* G;
  Napi::Value out;
};

GramJob parse_gram(const Napi::CallbackInfo& info, const std::string& fn, Staging& st) {
  auto Y = typed<float>(fn, "Y", info[0]);
  const auto k = static_cast<std::size_t>(integer(fn, "factors", info[1], 1, kMaxFactors));
  if (Y.length % k != 0)
    throw_range(fn + ": Y has length " + std::to_string(Y.length) + ", not a multiple of factors=" + std::to_string(k));
  Napi::Value out = info[2];
  if (out.IsUndefined()) out = Napi::Float32Array::New(info.Env(), k * k);
  auto G = typed<float>(fn, "out", out);
  expect_length(fn, "out", G.length, k * k, "factors*factors");
  return {st.input(Y, 0, Y.length), Y.length / k, k, st.output(fn, G, 0, G.length, false), out};
}

Napi::Value Gram(const Napi::CallbackInfo& info) {
  return guarded(info.Env(), [&]() -> Napi::Value {
    Staging st(false);
    GramJob j = parse_gram(info, "gram", st);
    gram(j.Y, j.n, j.k, j.G);
    return j.out;
  });
}

Napi::Value GramAsync(const Napi::CallbackInfo& info) {
  return guarded(info.Env(), [&]() -> Napi::Value {
    auto st = std::make_unique<Staging>(true);
    GramJob j = parse_gram(info, "gramAsync", *st);
    return run_async(info.Env(), [j]() { gram(j.Y, j.n, j.k, j.G); }, std::move(st), resolve_with(j.out));
  });
}

// ---- the implicit problem (ALS and the loss) ----------------------------------------------------

/** The shared properties of a factorisation problem, read before any view is taken. */
struct ImplicitValues {
  Napi::Value indptr, indices, pref, conf, X, Y, factors, regularization;
};

ImplicitValues read_implicit(const Napi::Object& o) {
  return {o.Get("indptr"), o.Get("indices"), o.Get("pref"), o.Get("conf"),
          o.Get("X"),      o.Get("Y"),       o.Get("factors"), o.Get("regularization")};
}

/** A CSR matrix (rows × cols) with per-entry pref and conf; X (rows × k) against Y (cols × k); λ. */
struct ImplicitArgs {
  ArrayView<int32_t> indptr, indices;
  ArrayView<float> pref, conf, X, Y;
  std::size_t k = 0, rows = 0, cols = 0;
  double reg = 0;
  CsrView csr() const { return {indptr.data, indptr.length, indices.data, indices.length}; }
};

/** Views and checks of the shared properties: kinds, k, λ ≥ 0, every length, and indptr. */
ImplicitArgs parse_implicit(const std::string& fn, const ImplicitValues& v) {
  ImplicitArgs a;
  a.indptr = typed<int32_t>(fn, "indptr", v.indptr);
  a.indices = typed<int32_t>(fn, "indices", v.indices);
  a.pref = typed<float>(fn, "pref", v.pref);
  a.conf = typed<float>(fn, "conf", v.conf);
  a.X = typed<float>(fn, "X", v.X);
  a.Y = typed<float>(fn, "Y", v.Y);
  a.k = static_cast<std::size_t>(integer(fn, "factors", v.factors, 1, kMaxFactors));
  a.reg = number(fn, "regularization", v.regularization);
  if (a.reg < 0) throw_range(fn + ": regularization=" + std::to_string(a.reg) + " must be >= 0");
  if (a.indptr.length < 1) throw_range(fn + ": indptr has length 0, expected rows+1 >= 1");
  a.rows = a.indptr.length - 1;
  expect_length(fn, "X", a.X.length, a.rows * a.k, "rows*factors");
  if (a.Y.length % a.k != 0)
    throw_range(fn + ": Y has length " + std::to_string(a.Y.length) + ", not a multiple of factors=" + std::to_string(a.k));
  a.cols = a.Y.length / a.k;
  expect_length(fn, "pref", a.pref.length, a.indices.length, "indices.length");
  expect_length(fn, "conf", a.conf.length, a.indices.length, "indices.length");
  validate_indptr(fn.c_str(), a.csr());
  return a;
}

// ---- ALS half-step ------------------------------------------------------------------------------

struct AlsJob {
  AlsProblem p;
  bool cg;
  int steps;
  void run() const {
    if (cg)
      als_cg(p, steps);
    else
      als_cholesky(p);
  }
};

/** The kernel sees only rows [rowBegin, rowEnd): index copies, and the value arrays from the range. */
AlsJob parse_als(const Napi::CallbackInfo& info, const std::string& fn, Staging& st) {
  const Napi::Object o = options(fn, info);
  const ImplicitValues values = read_implicit(o);
  const Napi::Value vYtY = o.Get("YtY"), solver = o.Get("solver"), stepsV = o.Get("cgSteps"), vRb = o.Get("rowBegin"),
                    vRe = o.Get("rowEnd");
  // No JS runs from here on.
  const ImplicitArgs a = parse_implicit(fn, values);
  auto YtY = typed<float>(fn, "YtY", vYtY);
  const std::string s = solver.IsString() ? solver.As<Napi::String>().Utf8Value() : "";
  if (!solver.IsString()) throw_type(fn + ": solver must be 'cg' or 'cholesky', got " + describe(solver));
  if (s != "cg" && s != "cholesky") throw_range(fn + ": solver must be 'cg' or 'cholesky', got '" + s + "'");
  const int steps = stepsV.IsUndefined() ? 3 : static_cast<int>(integer(fn, "cgSteps", stepsV, 1, 1 << 20));
  const std::size_t k = a.k;
  expect_length(fn, "YtY", YtY.length, k * k, "factors*factors");
  const auto rb = static_cast<std::size_t>(integer(fn, "rowBegin", vRb, 0, static_cast<int64_t>(a.rows)));
  const auto re = static_cast<std::size_t>(integer(fn, "rowEnd", vRe, 0, static_cast<int64_t>(a.rows)));
  if (rb > re)
    throw_range(fn + ": rowBegin=" + std::to_string(rb) + " is greater than rowEnd=" + std::to_string(re));
  CsrRange range = copy_csr_range(fn.c_str(), a.csr(), a.cols, rb, re, true);
  const std::size_t e0 = range.entry_begin, ne = range.indices.size();
  const float* conf_r = st.input(a.conf, e0, ne);
  const float* pref_r = st.input(a.pref, e0, ne);
  const float* YtY_s = st.input(YtY, 0, YtY.length);
  validate_values(fn.c_str(), "conf", conf_r, e0, e0 + ne, true);
  validate_values(fn.c_str(), "pref", pref_r, e0, e0 + ne, false);
  validate_values(fn.c_str(), "YtY", YtY_s, 0, YtY.length, false);
  AlsProblem p{st.own(std::move(range.indptr)), st.own(std::move(range.indices)), pref_r, conf_r,
               st.output(fn, a.X, rb * k, (re - rb) * k, true), st.input(a.Y, 0, a.Y.length), YtY_s, k,
               static_cast<float>(a.reg), 0, re - rb, rb};
  return {p, s == "cg", steps};
}

Napi::Value AlsHalfStep(const Napi::CallbackInfo& info) {
  return guarded(info.Env(), [&]() -> Napi::Value {
    Staging st(false);
    parse_als(info, "alsHalfStep", st).run();
    return info.Env().Undefined();
  });
}

Napi::Value AlsHalfStepAsync(const Napi::CallbackInfo& info) {
  return guarded(info.Env(), [&]() -> Napi::Value {
    auto st = std::make_unique<Staging>(true);
    AlsJob j = parse_als(info, "alsHalfStepAsync", *st);
    return run_async(info.Env(), [j]() { j.run(); }, std::move(st), resolve_with(info.Env().Undefined()));
  });
}

// ---- loss ---------------------------------------------------------------------------------------

/**
 * The additive parts of the objective over user rows [rowBegin, rowEnd) (default all): fit, normX,
 * confSum, and normY (the same for every range), so shards of rows sum to the whole.
 */
Napi::Value ImplicitLoss(const Napi::CallbackInfo& info) {
  return guarded(info.Env(), [&]() -> Napi::Value {
    const std::string fn = "implicitLoss";
    const Napi::Object o = options(fn, info);
    const ImplicitValues values = read_implicit(o);
    const Napi::Value vRb = o.Get("rowBegin"), vRe = o.Get("rowEnd");
    // No JS runs from here on.
    const ImplicitArgs a = parse_implicit(fn, values);
    const auto rows = static_cast<int64_t>(a.rows);
    const auto rb = static_cast<std::size_t>(vRb.IsUndefined() ? 0 : integer(fn, "rowBegin", vRb, 0, rows));
    const auto re = static_cast<std::size_t>(vRe.IsUndefined() ? a.rows : integer(fn, "rowEnd", vRe, 0, rows));
    if (rb > re)
      throw_range(fn + ": rowBegin=" + std::to_string(rb) + " is greater than rowEnd=" + std::to_string(re));
    const CsrRange m = copy_csr_range(fn.c_str(), a.csr(), a.cols, rb, re, true);
    const std::size_t e0 = m.entry_begin, ne = m.indices.size();
    validate_values(fn.c_str(), "conf", a.conf.data + e0, e0, e0 + ne, true);
    validate_values(fn.c_str(), "pref", a.pref.data + e0, e0, e0 + ne, false);
    const LossParts p = implicit_loss_parts(m.indptr.data(), m.indices.data(), a.pref.data + e0, a.conf.data + e0,
                                            re - rb, a.X.data + rb * a.k, a.Y.data, a.cols, a.k);
    Napi::Object out = Napi::Object::New(info.Env());
    out.Set("fit", p.fit);
    out.Set("normX", p.norm_x);
    out.Set("normY", p.norm_y);
    out.Set("confSum", p.conf_sum);
    return out;
  });
}

// ---- prepared items -----------------------------------------------------------------------------

/** Per-environment state: the main thread and every worker thread load the addon apart. */
struct AddonData {
  Napi::FunctionReference prepared_items;  // the PreparedItems class, for prepareItemsAsync
};

/**
 * `new PreparedItems({V, factors, itemBias?})` and `prepareItemsAsync(same)`: the items quantized
 * once for the 8-bit pre-filter, for scoreTopK calls over the same V and bias (score_int8.h's
 * PreparedItems). V and the bias must be SharedArrayBuffer views: the object holds them, so their
 * memory cannot move or be freed while it lives, and each call checks by address that it is given
 * that same memory.
 */
class PreparedItemsWrap : public Napi::ObjectWrap<PreparedItemsWrap> {
 public:
  /** The memory prepared items were made from; a call may use them only over the same. */
  struct Memory {
    const float* V;
    std::size_t v_len, k;
    const float* bias;
    bool operator==(const Memory& o) const { return V == o.V && v_len == o.v_len && k == o.k && bias == o.bias; }
  };
  /** {V, factors, itemBias?} as read from the options and validated, with the arrays themselves. */
  struct Source {
    Memory mem;
    Napi::Value v_value, bias_value;
  };

  static Napi::Function define(Napi::Env env) {
    return DefineClass(env, "PreparedItems",
                       {InstanceAccessor<&PreparedItemsWrap::Items>("items"),
                        InstanceAccessor<&PreparedItemsWrap::Factors>("factors"),
                        InstanceAccessor<&PreparedItemsWrap::Usable>("usable"),
                        InstanceAccessor<&PreparedItemsWrap::Bytes>("bytes"),
                        InstanceMethod<&PreparedItemsWrap::Matches>("matches")});
  }

  /** {V, factors, itemBias?} as the constructor, prepareItemsAsync and `matches` take it. */
  static Source source(const std::string& fn, const Napi::CallbackInfo& info) {
    const Napi::Object o = options(fn, info);
    const Napi::Value vV = o.Get("V"), vK = o.Get("factors"), vBias = o.Get("itemBias");
    // No JS runs from here on.
    const auto k = static_cast<std::size_t>(integer(fn, "factors", vK, 1, kMaxFactors));
    auto V = typed<float>(fn, "V", vV);
    if (!V.shared) throw_type(fn + ": V must be a view over a SharedArrayBuffer (calls are checked against its memory)");
    if (V.length % k != 0)
      throw_range(fn + ": V has length " + std::to_string(V.length) + ", not a multiple of factors=" + std::to_string(k));
    if (V.length / k > static_cast<std::size_t>(INT32_MAX))
      throw_range(fn + ": V has " + std::to_string(V.length / k) + " items, more than an Int32Array can index");
    Source src{{V.data, V.length, k, nullptr}, vV, vBias};
    if (!vBias.IsUndefined() && !vBias.IsNull()) {
      auto b = typed<float>(fn, "itemBias", vBias);
      if (!b.shared) throw_type(fn + ": itemBias must be a view over a SharedArrayBuffer (calls are checked against its memory)");
      expect_length(fn, "itemBias", b.length, V.length / k, "items");
      src.mem.bias = b.data;
    }
    return src;
  }

  /**
   * A new PreparedItems over `src` holding `built` (made on the pool by prepareItemsAsync), on the
   * JS thread. The constructor is given a fresh options object, so no getter runs.
   */
  static Napi::Value adopt(Napi::Env env, const Source& src, std::shared_ptr<const PreparedItems> built) {
    Napi::Object o = Napi::Object::New(env);
    o.Set("V", src.v_value), o.Set("factors", Napi::Number::New(env, static_cast<double>(src.mem.k)));
    if (src.mem.bias) o.Set("itemBias", src.bias_value);
    struct Adopting {  // for the one constructor call below, however it ends
      explicit Adopting(const std::shared_ptr<const PreparedItems>* p) { adopting_ = p; }
      ~Adopting() { adopting_ = nullptr; }
    } scope(&built);
    return env.GetInstanceData<AddonData>()->prepared_items.New({o});
  }

  explicit PreparedItemsWrap(const Napi::CallbackInfo& info) : Napi::ObjectWrap<PreparedItemsWrap>(info) {
    const std::shared_ptr<const PreparedItems>* adopted = adopting_;
    adopting_ = nullptr;
    try {
      const Source src = source("PreparedItems", info);
      mem_ = src.mem;
      v_ref_ = Napi::Persistent(src.v_value.As<Napi::Object>());
      if (mem_.bias) bias_ref_ = Napi::Persistent(src.bias_value.As<Napi::Object>());
      prepared_ = adopted ? *adopted : prepare_items(mem_.V, mem_.v_len / mem_.k, mem_.k, mem_.bias);
    } catch (const ArgError& e) {
      throw to_js(info.Env(), e.kind, e.what());
    }
    info.This().As<Napi::Object>().TypeTag(&kTag);
    Napi::MemoryManagement::AdjustExternalMemory(info.Env(), static_cast<int64_t>(prepared_->bytes));
  }

  void Finalize(Napi::Env env) override {
    if (prepared_) Napi::MemoryManagement::AdjustExternalMemory(env, -static_cast<int64_t>(prepared_->bytes));
  }

  /** The wrapped object `v` (the `prepared` of a call), or a TypeError; runs no JS. */
  static PreparedItemsWrap* from(const std::string& fn, const Napi::Value& v) {
    PreparedItemsWrap* w = nullptr;
    if (v.IsObject() && v.As<Napi::Object>().CheckTypeTag(&kTag)) w = Unwrap(v.As<Napi::Object>());
    if (!w) throw_type(fn + ": prepared must be a PreparedItems (prepareItems({V, factors, itemBias})), got " + describe(v));
    return w;
  }

  /** Whether a call over `mem` may use these items: the same memory. */
  bool same(const Memory& mem) const { return mem == mem_; }
  std::shared_ptr<const PreparedItems> prepared() const { return prepared_; }

 private:
  static constexpr napi_type_tag kTag = {0x6d69787461706501ULL, 0x7072657061726564ULL};
  /** Set by adopt() for the one constructor call it makes (JS threads each have their own). */
  static thread_local const std::shared_ptr<const PreparedItems>* adopting_;

  Napi::Value Items(const Napi::CallbackInfo& info) { return Napi::Number::New(info.Env(), static_cast<double>(mem_.v_len / mem_.k)); }
  Napi::Value Factors(const Napi::CallbackInfo& info) { return Napi::Number::New(info.Env(), static_cast<double>(mem_.k)); }
  Napi::Value Usable(const Napi::CallbackInfo& info) { return Napi::Boolean::New(info.Env(), prepared_->usable); }
  Napi::Value Bytes(const Napi::CallbackInfo& info) { return Napi::Number::New(info.Env(), static_cast<double>(prepared_->bytes)); }
  /** matches({V, factors, itemBias?}): whether a call with these arrays may use the items. */
  Napi::Value Matches(const Napi::CallbackInfo& info) {
    return guarded(info.Env(), [&]() -> Napi::Value {
      return Napi::Boolean::New(info.Env(), same(source("PreparedItems.matches", info).mem));
    });
  }

  Memory mem_{nullptr, 0, 1, nullptr};
  Napi::ObjectReference v_ref_, bias_ref_;
  std::shared_ptr<const PreparedItems> prepared_;
};

thread_local const std::shared_ptr<const PreparedItems>* PreparedItemsWrap::adopting_ = nullptr;

/** Resolves with a PreparedItems built on the thread pool (the arrays are shared, so used in place). */
Napi::Value PrepareItemsAsync(const Napi::CallbackInfo& info) {
  return guarded(info.Env(), [&]() -> Napi::Value {
    const PreparedItemsWrap::Source src = PreparedItemsWrap::source("prepareItemsAsync", info);
    const PreparedItemsWrap::Memory mem = src.mem;
    // The references keep V and the bias alive until the promise settles, and give them back then.
    auto v_ref = std::make_shared<Napi::ObjectReference>(Napi::Persistent(src.v_value.As<Napi::Object>()));
    auto bias_ref = std::make_shared<Napi::ObjectReference>();
    if (mem.bias) *bias_ref = Napi::Persistent(src.bias_value.As<Napi::Object>());
    auto built = std::make_shared<std::shared_ptr<const PreparedItems>>();
    return run_async(
        info.Env(), [mem, built]() { *built = prepare_items(mem.V, mem.v_len / mem.k, mem.k, mem.bias); },
        std::make_unique<Staging>(true), [mem, built, v_ref, bias_ref](Napi::Env env) -> Napi::Value {
          const Napi::Value bias = mem.bias ? bias_ref->Value() : env.Undefined();
          return PreparedItemsWrap::adopt(env, {mem, v_ref->Value(), bias}, *built);
        });
  });
}

// ---- score + top-k ------------------------------------------------------------------------------

/** How a top-k call may use the 8-bit pre-filter (`prefilter`: 'auto' by default, 'off', 'int8'). */
struct TopKMode {
  bool allow_int8 = true, force_int8 = false;
  std::shared_ptr<const PreparedItems> prepared;  // from the call's `prepared`, checked against its V
};

TopKMode parse_prefilter(const std::string& fn, const Napi::Value& v) {
  if (v.IsUndefined()) return {};
  const std::string s = v.IsString() ? v.As<Napi::String>().Utf8Value() : "";
  if (s == "auto") return {};
  if (s == "off") return {false, false, nullptr};
  if (s == "int8") return {true, true, nullptr};
  throw_type(fn + ": prefilter must be 'auto', 'off' or 'int8', got " + describe(v));
  return {};
}

/** The kernel sees only users [userBegin, userEnd): their rows of U, exclusions and outputs. */
TopKProblem parse_topk(const Napi::CallbackInfo& info, const std::string& fn, Staging& st, TopKMode& mode) {
  const Napi::Object o = options(fn, info);
  const Napi::Value vU = o.Get("U"), vV = o.Get("V"), vFactors = o.Get("factors"), vUb = o.Get("userBegin"),
                    vUe = o.Get("userEnd"), vN = o.Get("n"), vOutItems = o.Get("outItems"),
                    vOutScores = o.Get("outScores"), bias = o.Get("itemBias"), ex = o.Get("exclude"),
                    vPrefilter = o.Get("prefilter"), vPrepared = o.Get("prepared");
  mode = parse_prefilter(fn, vPrefilter);
  const PreparedItemsWrap* prepared = vPrepared.IsUndefined() ? nullptr : PreparedItemsWrap::from(fn, vPrepared);
  const bool hasBias = !bias.IsUndefined() && !bias.IsNull(), hasEx = !ex.IsUndefined() && !ex.IsNull();
  if (hasEx && (!ex.IsObject() || ex.IsTypedArray()))
    throw_type(fn + ": exclude must be an object {indptr, indices}, got " + describe(ex));
  Napi::Value vExIndptr, vExIndices;
  if (hasEx) {
    const Napi::Object eo = ex.As<Napi::Object>();
    vExIndptr = eo.Get("indptr");
    vExIndices = eo.Get("indices");
  }
  // No JS runs from here on.
  auto U = typed<float>(fn, "U", vU);
  auto V = typed<float>(fn, "V", vV);
  const auto k = static_cast<std::size_t>(integer(fn, "factors", vFactors, 1, kMaxFactors));
  if (U.length % k != 0)
    throw_range(fn + ": U has length " + std::to_string(U.length) + ", not a multiple of factors=" + std::to_string(k));
  if (V.length % k != 0)
    throw_range(fn + ": V has length " + std::to_string(V.length) + ", not a multiple of factors=" + std::to_string(k));
  const std::size_t users = U.length / k, items = V.length / k;
  if (items > static_cast<std::size_t>(INT32_MAX))
    throw_range(fn + ": V has " + std::to_string(items) + " items, more than an Int32Array can index");
  const auto ub = static_cast<std::size_t>(integer(fn, "userBegin", vUb, 0, static_cast<int64_t>(users)));
  const auto ue = static_cast<std::size_t>(integer(fn, "userEnd", vUe, 0, static_cast<int64_t>(users)));
  if (ub > ue) throw_range(fn + ": userBegin=" + std::to_string(ub) + " is greater than userEnd=" + std::to_string(ue));
  const auto n = static_cast<std::size_t>(integer(fn, "n", vN, 0, INT32_MAX));
  auto outItems = typed<int32_t>(fn, "outItems", vOutItems);
  auto outScores = typed<float>(fn, "outScores", vOutScores);
  expect_length(fn, "outItems", outItems.length, (ue - ub) * n, "(userEnd-userBegin)*n");
  expect_length(fn, "outScores", outScores.length, (ue - ub) * n, "(userEnd-userBegin)*n");
  const std::size_t nu = ue - ub;
  TopKProblem p{nullptr, nullptr, nu, items, k, 0, nu, n, nullptr, nullptr, nullptr, nullptr, nullptr};
  const float* bias_memory = nullptr;  // the caller's, which prepared items are checked against
  if (hasBias) {
    auto b = typed<float>(fn, "itemBias", bias);
    expect_length(fn, "itemBias", b.length, items, "items");
    bias_memory = b.data;
    p.bias = st.input(b, 0, b.length);
    validate_values(fn.c_str(), "itemBias", p.bias, 0, b.length, false);
  }
  if (prepared) {
    if (!prepared->same({V.data, V.length, k, bias_memory}))
      throw_range(fn + ": prepared was made from other item factors, factors or itemBias than this call's (V, factors, itemBias)");
    mode.prepared = prepared->prepared();
  }
  if (hasEx) {
    auto ip = typed<int32_t>(fn, "exclude.indptr", vExIndptr);
    auto ix = typed<int32_t>(fn, "exclude.indices", vExIndices);
    expect_length(fn, "exclude.indptr", ip.length, users + 1, "rows(U)+1");
    const CsrView csr{ip.data, ip.length, ix.data, ix.length};
    const std::string where = fn + ": exclude";
    validate_indptr(where.c_str(), csr);
    CsrRange range = copy_csr_range(where.c_str(), csr, items, ub, ue, false);
    p.excl_indptr = st.own(std::move(range.indptr));
    p.excl_indices = st.own(std::move(range.indices));
  }
  p.U = st.input(U, ub * k, nu * k);
  p.V = st.input(V, 0, V.length);
  p.out_items = st.output(fn, outItems, 0, outItems.length, false);
  p.out_scores = st.output(fn, outScores, 0, outScores.length, false);
  return p;
}

const char* path_name(TopKPath path) { return path == TopKPath::Int8 ? "int8" : "float"; }

/** Returns the path taken: 'int8' (the pre-filter) or 'float'; the results are the same. */
Napi::Value ScoreTopK(const Napi::CallbackInfo& info) {
  return guarded(info.Env(), [&]() -> Napi::Value {
    Staging st(false);
    TopKMode mode;
    const TopKProblem p = parse_topk(info, "scoreTopK", st, mode);
    return Napi::String::New(info.Env(), path_name(score_topk_best(p, mode.allow_int8, mode.force_int8, mode.prepared.get())));
  });
}

/** Resolves with the path taken, as scoreTopK returns it. */
Napi::Value ScoreTopKAsync(const Napi::CallbackInfo& info) {
  return guarded(info.Env(), [&]() -> Napi::Value {
    auto st = std::make_unique<Staging>(true);
    TopKMode mode;
    TopKProblem p = parse_topk(info, "scoreTopKAsync", *st, mode);
    auto path = std::make_shared<TopKPath>(TopKPath::Float);
    return run_async(
        info.Env(), [p, mode, path]() { *path = score_topk_best(p, mode.allow_int8, mode.force_int8, mode.prepared.get()); }, std::move(st),
        [path](Napi::Env env) -> Napi::Value { return Napi::String::New(env, path_name(*path)); });
  });
}

// ---- SPD solve ----------------------------------------------------------------------------------

Napi::Value SolveSpd(const Napi::CallbackInfo& info) {
  return guarded(info.Env(), [&]() -> Napi::Value {
    const std::string fn = "solveSpd";
    auto A = typed<float>(fn, "A", info[0]);
    auto B = typed<float>(fn, "B", info[1]);
    const auto dim = static_cast<std::size_t>(integer(fn, "dim", info[2], 0, 1 << 16));
    const auto nrhs = static_cast<std::size_t>(integer(fn, "nrhs", info[3], 0, INT32_MAX));
    const double ridge = number(fn, "ridge", info[4]);
    if (ridge < 0) throw_range(fn + ": ridge=" + std::to_string(ridge) + " must be >= 0");
    expect_length(fn, "A", A.length, dim * dim, "dim*dim");
    expect_length(fn, "B", B.length, dim * nrhs, "dim*nrhs");
    validate_values(fn.c_str(), "A", A.data, 0, A.length, false);
    validate_values(fn.c_str(), "B", B.data, 0, B.length, false);
    Napi::Float32Array X = Napi::Float32Array::New(info.Env(), dim * nrhs);
    solve_spd(A.data, B.data, dim, nrhs, ridge, X.Data());
    return X;
  });
}

// ---- dots of many rows with one (the re-ranker's similarities, the hybrid stage's) ---------------

/**
 * The arguments the two entries share, (V, dim, rows, count, ·, out, at): the numbers read first,
 * then the views; V a whole number of rows, count within rows and within out from at.
 */
struct RowList {
  std::size_t dim, count, n_rows;
  ArrayView<float> V;
  ArrayView<int32_t> rows;
  double* out;
};

RowList row_list(const Napi::CallbackInfo& info, const std::string& fn) {
  const auto dim = static_cast<std::size_t>(integer(fn, "dim", info[1], 1, kMaxFactors));
  const auto count = static_cast<std::size_t>(integer(fn, "count", info[3], 0, INT32_MAX));
  const auto at = static_cast<std::size_t>(integer(fn, "at", info[6], 0, INT32_MAX));
  auto V = typed<float>(fn, "V", info[0]);
  auto rows = typed<int32_t>(fn, "rows", info[2]);
  auto out = typed<double>(fn, "out", info[5]);
  if (V.length % dim != 0)
    throw_range(fn + ": V has length " + std::to_string(V.length) + ", not a multiple of dim=" + std::to_string(dim));
  if (count > rows.length)
    throw_range(fn + ": count=" + std::to_string(count) + " exceeds rows.length=" + std::to_string(rows.length));
  if (at + count > out.length)
    throw_range(fn + ": at + count = " + std::to_string(at + count) + " exceeds out.length=" + std::to_string(out.length));
  return {dim, count, V.length / dim, V, rows, out.data + at};
}

/** Every listed row is a row of V (checked last: a loop over the list). */
void check_rows(const RowList& l, const std::string& fn) {
  for (std::size_t i = 0; i < l.count; ++i)
    if (l.rows.data[i] < 0 || static_cast<std::size_t>(l.rows.data[i]) >= l.n_rows)
      throw_range(fn + ": rows[" + std::to_string(i) + "]=" + std::to_string(l.rows.data[i]) + " is not a row of V (" +
                  std::to_string(l.n_rows) + " rows)");
}

// Called once per pick of a playlist: positional arguments, and no staging (it runs inline).
Napi::Value RowDots(const Napi::CallbackInfo& info) {
  return guarded(info.Env(), [&]() -> Napi::Value {
    const std::string fn = "rowDots";
    const auto row = integer(fn, "row", info[4], 0, INT32_MAX);
    const RowList l = row_list(info, fn);
    if (static_cast<std::size_t>(row) >= l.n_rows)
      throw_range(fn + ": row=" + std::to_string(row) + " is not a row of V (" + std::to_string(l.n_rows) + " rows)");
    check_rows(l, fn);
    row_dots(l.V.data, l.dim, l.rows.data, l.count, static_cast<std::size_t>(row), l.out);
    return info.Env().Undefined();
  });
}

// Called once per user of the hybrid stage, with the user's content profile.
Napi::Value DotsWithVector(const Napi::CallbackInfo& info) {
  return guarded(info.Env(), [&]() -> Napi::Value {
    const std::string fn = "dotsWithVector";
    const RowList l = row_list(info, fn);
    auto y = typed<float>(fn, "y", info[4]);
    expect_length(fn, "y", y.length, l.dim, "dim");
    check_rows(l, fn);
    dots_with(l.V.data, l.dim, l.rows.data, l.count, y.data, l.out);
    return info.Env().Undefined();
  });
}

// ---- sgemm reference rate ---------------------------------------------------------------------

struct SgemmJob {
  std::size_t m, n, k;
  int reps;
};

SgemmJob parse_sgemm(const Napi::CallbackInfo& info, const std::string& fn) {
  const Napi::Object o = options(fn, info);
  const auto m = static_cast<std::size_t>(integer(fn, "m", o.Get("m"), 1, 1 << 16));
  const auto n = static_cast<std::size_t>(integer(fn, "n", o.Get("n"), 1, 1 << 16));
  const auto k = static_cast<std::size_t>(integer(fn, "k", o.Get("k"), 1, kMaxFactors));
  const int reps = static_cast<int>(integer(fn, "reps", o.Get("reps"), 1, 1 << 20));
  if (m * n > (std::size_t{1} << 26))
    throw_range(fn + ": m*n=" + std::to_string(m * n) + " exceeds 2^26 (a 256 MiB output)");
  return {m, n, k, reps};
}

Napi::Object sgemm_result(Napi::Env env, const SgemmJob& j, double seconds) {
  Napi::Object out = Napi::Object::New(env);
  out.Set("seconds", seconds);
  out.Set("gflops", seconds > 0 ? 2.0 * j.m * j.n * j.k * j.reps / seconds / 1e9 : 0.0);
  out.Set("impl", sgemm_bench_impl());
  return out;
}

Napi::Value SgemmBench(const Napi::CallbackInfo& info) {
  return guarded(info.Env(), [&]() -> Napi::Value {
    const SgemmJob j = parse_sgemm(info, "sgemmBench");
    return sgemm_result(info.Env(), j, sgemm_bench_seconds(j.m, j.n, j.k, j.reps));
  });
}

/** Times the product on the thread pool, so several can run at once (one per core). */
class SgemmWorker : public Napi::AsyncWorker {
 public:
  SgemmWorker(Napi::Env env, SgemmJob j)
      : Napi::AsyncWorker(env, "mixtape.sgemmBench"), j_(j), deferred_(Napi::Promise::Deferred::New(env)) {}
  Napi::Promise promise() const { return deferred_.Promise(); }

 protected:
  void Execute() override { seconds_ = sgemm_bench_seconds(j_.m, j_.n, j_.k, j_.reps); }
  void OnOK() override { deferred_.Resolve(sgemm_result(Env(), j_, seconds_)); }
  void OnError(const Napi::Error& e) override { deferred_.Reject(e.Value()); }

 private:
  SgemmJob j_;
  double seconds_ = 0;
  Napi::Promise::Deferred deferred_;
};

Napi::Value SgemmBenchAsync(const Napi::CallbackInfo& info) {
  return guarded(info.Env(), [&]() -> Napi::Value {
    auto* w = new SgemmWorker(info.Env(), parse_sgemm(info, "sgemmBenchAsync"));
    Napi::Promise p = w->promise();
    w->Queue();
    return p;
  });
}

// ---- memory advice ------------------------------------------------------------------------------

// The memory under a typed array argument (any element type), checked as every entry checks its
// arguments: a JS TypeError naming the call otherwise.
struct ArrayMemory {
  void* data;
  std::size_t bytes;
};

ArrayMemory array_memory(const char* call, const Napi::Value& v) {
  if (!v.IsTypedArray()) throw_type(std::string(call) + ": array must be a typed array, got " + describe(v));
  void* data = nullptr;
  if (napi_get_typedarray_info(v.Env(), v, nullptr, nullptr, &data, nullptr, nullptr) != napi_ok)
    throw_type(std::string(call) + ": array could not be read as a typed array");
  return {data, v.As<Napi::TypedArray>().ByteLength()};
}

// adviseHugePages(array): asks for 2 MiB pages under a large typed array that is about to be written
// at scattered places; returns the bytes advised (0 where the system has no such advice).
Napi::Value AdviseHugePages(const Napi::CallbackInfo& info) {
  return guarded(info.Env(), [&]() -> Napi::Value {
    const ArrayMemory m = array_memory("adviseHugePages", info[0]);
    return Napi::Number::New(info.Env(), static_cast<double>(advise_huge_pages(m.data, m.bytes)));
  });
}

// releasePages(array): gives the whole pages under a typed array whose contents are no longer
// needed back to the system; returns the bytes released (they read as zeros afterwards).
Napi::Value ReleasePages(const Napi::CallbackInfo& info) {
  return guarded(info.Env(), [&]() -> Napi::Value {
    const ArrayMemory m = array_memory("releasePages", info[0]);
    return Napi::Number::New(info.Env(), static_cast<double>(release_pages(m.data, m.bytes)));
  });
}

/** Bytes from the start of `array` to the next 64-byte boundary of its memory (0 when aligned). */
Napi::Value BytesToCacheLine(const Napi::CallbackInfo& info) {
  return guarded(info.Env(), [&]() -> Napi::Value {
    const ArrayMemory m = array_memory("bytesToCacheLine", info[0]);
    const auto mod = reinterpret_cast<std::uintptr_t>(m.data) % 64;
    return Napi::Number::New(info.Env(), static_cast<double>((64 - mod) % 64));
  });
}

// ---- info ---------------------------------------------------------------------------------------

Napi::Value NativeInfo(const Napi::CallbackInfo& info) {
  Napi::Object o = Napi::Object::New(info.Env());
  o.Set("simdCompiled", simd_compiled());
  o.Set("simdDetected", simd_detected());
  o.Set("blas", blas_info());
  o.Set("topkPrefilter", int8_prefilter_info());
  o.Set("version", MIXTAPE_VERSION);
  return o;
}

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  blas_single_thread();
  exports.Set("gram", Napi::Function::New(env, Gram, "gram"));
  exports.Set("gramAsync", Napi::Function::New(env, GramAsync, "gramAsync"));
  exports.Set("alsHalfStep", Napi::Function::New(env, AlsHalfStep, "alsHalfStep"));
  exports.Set("alsHalfStepAsync", Napi::Function::New(env, AlsHalfStepAsync, "alsHalfStepAsync"));
  exports.Set("implicitLoss", Napi::Function::New(env, ImplicitLoss, "implicitLoss"));
  exports.Set("scoreTopK", Napi::Function::New(env, ScoreTopK, "scoreTopK"));
  exports.Set("scoreTopKAsync", Napi::Function::New(env, ScoreTopKAsync, "scoreTopKAsync"));
  Napi::Function prepared_items = PreparedItemsWrap::define(env);
  env.SetInstanceData(new AddonData{Napi::Persistent(prepared_items)});
  exports.Set("PreparedItems", prepared_items);
  exports.Set("prepareItemsAsync", Napi::Function::New(env, PrepareItemsAsync, "prepareItemsAsync"));
  exports.Set("solveSpd", Napi::Function::New(env, SolveSpd, "solveSpd"));
  exports.Set("rowDots", Napi::Function::New(env, RowDots, "rowDots"));
  exports.Set("dotsWithVector", Napi::Function::New(env, DotsWithVector, "dotsWithVector"));
  exports.Set("sgemmBench", Napi::Function::New(env, SgemmBench, "sgemmBench"));
  exports.Set("sgemmBenchAsync", Napi::Function::New(env, SgemmBenchAsync, "sgemmBenchAsync"));
  exports.Set("adviseHugePages", Napi::Function::New(env, AdviseHugePages, "adviseHugePages"));
  exports.Set("releasePages", Napi::Function::New(env, ReleasePages, "releasePages"));
  exports.Set("bytesToCacheLine", Napi::Function::New(env, BytesToCacheLine, "bytesToCacheLine"));
  exports.Set("nativeInfo", Napi::Function::New(env, NativeInfo, "nativeInfo"));
  return exports;
}

}  // namespace
}  // namespace mixtape

static Napi::Object InitModule(Napi::Env env, Napi::Object exports) { return mixtape::Init(env, exports); }
NODE_API_MODULE(mixtape_native, InitModule)
