// The one exception type the kernels and validators throw. The binding turns it into a JS
// TypeError or RangeError; keeping it Napi-free lets the kernels run inside AsyncWorker threads.
#pragma once
#include <stdexcept>
#include <string>

namespace mixtape {

struct ArgError : std::runtime_error {
  enum class Kind { Type, Range };
  Kind kind;
  ArgError(Kind k, const std::string& msg) : std::runtime_error(msg), kind(k) {}
};

[[noreturn]] inline void throw_range(const std::string& msg) { throw ArgError(ArgError::Kind::Range, msg); }
[[noreturn]] inline void throw_type(const std::string& msg) { throw ArgError(ArgError::Kind::Type, msg); }

}  // namespace mixtape
