// Optional OpenBLAS: the build defines MIXTAPE_HAVE_BLAS when CMake found it.
#pragma once
#if defined(MIXTAPE_HAVE_BLAS)
#include <cblas.h>
extern "C" {
void openblas_set_num_threads(int);
char* openblas_get_config(void);
}
#endif
#include <string>

namespace mixtape {

/** A short description of the BLAS in use, or "none (own kernels)". */
inline std::string blas_info() {
#if defined(MIXTAPE_HAVE_BLAS)
  const char* cfg = openblas_get_config();
  return std::string("openblas ") + (cfg ? cfg : "");
#else
  return "none (own kernels)";
#endif
}

/** Each worker thread runs its own kernel, so BLAS threads inside a call only add contention. */
inline void blas_single_thread() {
#if defined(MIXTAPE_HAVE_BLAS)
  openblas_set_num_threads(1);
#endif
}

}  // namespace mixtape
