// Where an entry's kernel reads and writes. Sync entries use the caller's arrays in place: no JS
// runs while their kernel does. Async kernels run while JS goes on, and a plain ArrayBuffer can be
// transferred meanwhile, which frees its memory however the view is referenced; so those views are
// copied into native memory at the call (inputs) and copied back when it settles (outputs), after
// checking the target still exists. SharedArrayBuffer views cannot be detached: they are used in
// place and only referenced, which is why shared arrays avoid the copies.
#pragma once
#include <napi.h>

#include <cstring>
#include <string>
#include <utility>
#include <vector>

#include "args.h"
#include "errors.h"
#include "scratch.h"

namespace mixtape {

class Staging {
 public:
  explicit Staging(bool async) : async_(async) {}
  Staging(const Staging&) = delete;
  Staging& operator=(const Staging&) = delete;

  /** Memory the kernel owns for the call (e.g. validated index copies); stays put until the end. */
  float* own(std::vector<float> v) { return (floats_.push_back(std::move(v)), floats_.back().data()); }
  int32_t* own(std::vector<int32_t> v) { return (ints_.push_back(std::move(v)), ints_.back().data()); }
  int32_t* own(Scratch<int32_t> v) { return (scratch_ints_.push_back(std::move(v)), scratch_ints_.back().data()); }

  /** Elements [begin, begin+count) of an array the kernel only reads. */
  template <typename T>
  const T* input(const ArrayView<T>& a, std::size_t begin, std::size_t count) {
    if (!async_) return a.data + begin;
    if (a.shared) return hold(a), a.data + begin;
    return own(std::vector<T>(a.data + begin, a.data + begin + count));
  }

  /** Elements [begin, begin+count) of an array the kernel writes (and reads first when `in_out`). */
  template <typename T>
  T* output(const std::string& fn, const ArrayView<T>& a, std::size_t begin, std::size_t count, bool in_out) {
    if (!async_) return a.data + begin;
    if (a.shared) return hold(a), a.data + begin;
    T* data = own(in_out ? std::vector<T>(a.data + begin, a.data + begin + count) : std::vector<T>(count));
    backs_.push_back(CopyBack{Napi::Persistent(a.value.template As<Napi::Object>()), fn + ": " + a.name,
                              begin * sizeof(T), count * sizeof(T), data});
    return data;
  }

  /**
   * On the JS thread once the kernel finished: copies outputs back into the caller's arrays. An
   * array whose buffer was transferred (or shrunk) meanwhile gets nothing and the call fails with
   * a TypeError naming it; no output is written unless all can be.
   */
  void finish(Napi::Env env) {
    std::vector<char*> targets;
    for (auto& b : backs_) {
      napi_typedarray_type kind;
      std::size_t length = 0, offset = 0;
      void* data = nullptr;
      napi_value buffer;
      if (napi_get_typedarray_info(env, b.target.Value(), &kind, &length, &data, &buffer, &offset) != napi_ok)
        throw_type(b.name + " could not be read as a typed array when the call finished");
      bool detached = false;
      napi_is_detached_arraybuffer(env, buffer, &detached);
      if (detached || length * element_size(kind) < b.offset + b.bytes)
        throw_type(b.name + " was detached (its ArrayBuffer transferred) before the call finished; "
                   "pass SharedArrayBuffer-backed arrays to async entries to keep using them meanwhile");
      targets.push_back(static_cast<char*>(data) + b.offset);
    }
    for (std::size_t i = 0; i < backs_.size(); ++i)
      if (backs_[i].bytes) std::memcpy(targets[i], backs_[i].source, backs_[i].bytes);
  }

 private:
  struct CopyBack {
    Napi::ObjectReference target;
    std::string name;
    std::size_t offset, bytes;  // the range written, in bytes
    const void* source;
  };

  template <typename T>
  void hold(const ArrayView<T>& a) {
    refs_.push_back(Napi::Persistent(a.value.template As<Napi::Object>()));
  }

  static std::size_t element_size(napi_typedarray_type kind) {
    switch (kind) {
      case napi_int8_array: case napi_uint8_array: case napi_uint8_clamped_array: return 1;
      case napi_int16_array: case napi_uint16_array: return 2;
      case napi_float64_array: case napi_bigint64_array: case napi_biguint64_array: return 8;
      default: return 4;
    }
  }

  bool async_;
  std::vector<std::vector<float>> floats_;
  std::vector<std::vector<int32_t>> ints_;
  std::vector<Scratch<int32_t>> scratch_ints_;
  std::vector<Napi::ObjectReference> refs_;
  std::vector<CopyBack> backs_;
};

}  // namespace mixtape
