// The near-earth batch kernel for AVX512, compiled with that instruction set's flags
// (src/skyfence/orbits/CMakeLists.txt); run only after batch_kernel_supported() said yes.
// 4 vectors in lockstep: the fastest pack size measured on the Starlink workload.
// GCC 12 reports its own _mm512_undefined_pd() placeholders in avx512fintrin.h as uninitialised
// (a known false positive). The same template is compiled with these warnings on in the SSE2 and
// AVX2 kernel files.
#pragma GCC diagnostic ignored "-Wuninitialized"
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"

// xsimd's large-argument reduction helpers are plain inline functions, not templates on the
// instruction set: renamed here so that the linker cannot merge this file's copy (compiled for
// AVX512) with another kernel's, which could hand a wider instruction set to a narrower CPU.
#define __kernel_rem_pio2 skyfence_kernel_rem_pio2_avx512    // NOLINT(bugprone-reserved-identifier)
#define __ieee754_rem_pio2 skyfence_ieee754_rem_pio2_avx512  // NOLINT(bugprone-reserved-identifier)
#include "skyfence/orbits/internal/batch_kernel_impl.h"

#if !(XSIMD_WITH_AVX512F && XSIMD_WITH_AVX512DQ)
#error "batch_kernel_avx512.cpp must be compiled with the AVX512 instruction set enabled"
#endif

namespace skyfence::orbits::internal {

void batch_kernel_avx512(const BatchSoA& soa, const BatchJob& job, std::size_t sat_begin,
                         std::size_t sat_end) {
  simd::run<xsimd::avx512f, 4>(soa, job, sat_begin, sat_end);
}

}  // namespace skyfence::orbits::internal
