// Reading JS arguments: each reader checks the kind (TypeError) and value (RangeError) and names
// the argument. Typed arrays may be views over SharedArrayBuffers.
#pragma once
#include <napi.h>

#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "errors.h"

namespace mixtape {

inline std::string describe(const Napi::Value& v) {
  if (v.IsUndefined()) return "undefined";
  if (v.IsNull()) return "null";
  if (v.IsTypedArray()) {
    switch (v.As<Napi::TypedArray>().TypedArrayType()) {
      case napi_int8_array: return "Int8Array";
      case napi_uint8_array: return "Uint8Array";
      case napi_uint8_clamped_array: return "Uint8ClampedArray";
      case napi_int16_array: return "Int16Array";
      case napi_uint16_array: return "Uint16Array";
      case napi_int32_array: return "Int32Array";
      case napi_uint32_array: return "Uint32Array";
      case napi_float32_array: return "Float32Array";
      case napi_float64_array: return "Float64Array";
      default: return "a typed array of another kind";
    }
  }
  if (v.IsArrayBuffer()) return "an ArrayBuffer";
  if (v.IsArray()) return "an Array";
  if (v.IsNumber()) return "a number";
  if (v.IsString()) return "a string";
  if (v.IsBoolean()) return "a boolean";
  if (v.IsFunction()) return "a function";
  return "an object";
}

/**
 * A typed array's memory as read at one moment on the JS thread. `data` stays valid only while no
 * JS runs (a getter or a later turn can transfer a plain ArrayBuffer and let it be freed), so
 * entries read every property first and take views last; async entries go through staging.h.
 */
template <typename T>
struct ArrayView {
  T* data = nullptr;
  std::size_t length = 0;
  bool shared = false;  // backed by a SharedArrayBuffer, which cannot be detached
  std::string name;
  Napi::Value value;
};

template <typename T> constexpr napi_typedarray_type typed_kind();
template <> constexpr napi_typedarray_type typed_kind<float>() { return napi_float32_array; }
template <> constexpr napi_typedarray_type typed_kind<int32_t>() { return napi_int32_array; }
template <> constexpr napi_typedarray_type typed_kind<double>() { return napi_float64_array; }
template <typename T> constexpr const char* typed_name();
template <> constexpr const char* typed_name<float>() { return "Float32Array"; }
template <> constexpr const char* typed_name<int32_t>() { return "Int32Array"; }
template <> constexpr const char* typed_name<double>() { return "Float64Array"; }

/** A typed array of element T (exact kind), not detached. */
template <typename T>
ArrayView<T> typed(const std::string& fn, const std::string& name, const Napi::Value& v) {
  if (!v.IsTypedArray() || v.As<Napi::TypedArray>().TypedArrayType() != typed_kind<T>())
    throw_type(fn + ": " + name + " must be a " + typed_name<T>() + ", got " + describe(v));
  auto arr = v.As<Napi::TypedArray>();
  napi_value buffer;
  void* data = nullptr;
  std::size_t length = 0;
  napi_typedarray_type kind;
  std::size_t offset = 0;
  if (napi_get_typedarray_info(v.Env(), arr, &kind, &length, &data, &buffer, &offset) != napi_ok)
    throw_type(fn + ": " + name + " could not be read as a typed array");
  // A transferred buffer leaves views of length 0 whose ArrayBuffer reports detached.
  // napi_is_arraybuffer is false for a SharedArrayBuffer.
  const bool plain = Napi::Value(v.Env(), buffer).IsArrayBuffer();
  bool detached = false;
  if (length == 0 && plain && napi_is_detached_arraybuffer(v.Env(), buffer, &detached) == napi_ok && detached)
    throw_type(fn + ": " + name + " is a view over a detached ArrayBuffer");
  return {static_cast<T*>(data), length, !plain, name, v};
}

inline Napi::Value field(const Napi::Object& o, const char* name) { return o.Get(name); }

/** A finite number. */
inline double number(const std::string& fn, const std::string& name, const Napi::Value& v) {
  if (!v.IsNumber()) throw_type(fn + ": " + name + " must be a number, got " + describe(v));
  const double x = v.As<Napi::Number>().DoubleValue();
  if (!std::isfinite(x)) throw_range(fn + ": " + name + "=" + std::to_string(x) + " must be finite");
  return x;
}

/** An integer in [lo, hi]. */
inline int64_t integer(const std::string& fn, const std::string& name, const Napi::Value& v, int64_t lo, int64_t hi) {
  if (!v.IsNumber()) throw_type(fn + ": " + name + " must be an integer, got " + describe(v));
  const double x = v.As<Napi::Number>().DoubleValue();
  if (!std::isfinite(x) || std::floor(x) != x || x < static_cast<double>(lo) || x > static_cast<double>(hi))
    throw_range(fn + ": " + name + "=" + (std::isfinite(x) ? Napi::Number::New(v.Env(), x).ToString().Utf8Value()
                                                            : std::to_string(x)) +
                " must be an integer in [" + std::to_string(lo) + ", " + std::to_string(hi) + "]");
  return static_cast<int64_t>(x);
}

inline Napi::Object options(const std::string& fn, const Napi::CallbackInfo& info) {
  if (info.Length() < 1 || !info[0].IsObject() || info[0].IsTypedArray() || info[0].IsArray())
    throw_type(fn + ": expected an options object, got " + (info.Length() ? describe(info[0]) : "nothing"));
  return info[0].As<Napi::Object>();
}

/** Length of `name` must be `expected` (described by `what`, e.g. "rows*factors"). */
inline void expect_length(const std::string& fn, const std::string& name, std::size_t got, std::size_t expected,
                          const std::string& what) {
  if (got != expected)
    throw_range(fn + ": " + name + " has length " + std::to_string(got) + ", expected " + what + " = " +
                std::to_string(expected));
}

constexpr int64_t kMaxFactors = 4096;

}  // namespace mixtape
