// The near-earth SGP4 kernel of BatchPropagator: its packed inputs, its job description and one entry
// point per instruction set. Private to orbits/ (batch.cpp and the tests that force a kernel).
//
// The kernel translation units (batch_kernel_sse2.cpp, batch_kernel_avx2.cpp, batch_kernel_avx512.cpp)
// are compiled with their own instruction-set flags, so this header holds only plain declarations:
// no inline code that could be emitted once per instruction set and merged by the linker.
#pragma once

#include <cstddef>

#include "skyfence/orbits/sgp4.h"

namespace skyfence::orbits::internal {

// Per-satellite constants of the near-earth evaluation, structure of arrays by tiles of kBatchTile
// satellites: tile k holds every field of its satellites, field f of satellite s at
// data[(s / kBatchTile) * kFieldCount * kBatchTile + f * kBatchTile + s % kBatchTile]. A tile's
// constants are contiguous (20 KB), so they stay in L1 while the tile is evaluated at every time
// (one long array per field would put the fields of a satellite a multiple of 4 KB apart, all in the
// same L1 sets). Names follow Sgp4Record; the products that the reference evaluates first in
// left-to-right order are stored ready-made (bc4 = bstar * cc4, ...), so the kernel repeats the
// reference's roundings.
enum BatchField : int {
  kMo,
  kMdot,
  kArgpo,
  kArgpdot,
  kNodeo,
  kNodedot,
  kNodecf,
  kCc1,
  kBc4,
  kT2cof,
  // Terms of the full drag model (isimp 0); zero for isimp 1, which makes them drop out exactly.
  kOmgcof,
  kEta,
  kXmcof,
  kDelmo,
  kD2,
  kD3,
  kD4,
  kBc5,
  kSinmao,
  kT3cof,
  kT4cof,
  kT5cof,
  kAo,  // pow(xke / no_unkozai, 2/3), as the reference computes it before scaling by tempa^2
  kNo,
  kEcco,
  kInclo,
  kSinim,
  kCosim,
  kAycof,
  kXlcof,
  kCon41,
  kX1mth2,
  kX7thm1,
  kXke,
  kInvXke,
  kHalfJ2,
  kRadius,
  kVkmpersec,
  kNmBad,  // 1.0 where no_unkozai <= 0 (error 2 at every time), else 0.0
  kFieldCount
};

// Satellites per tile (a multiple of every kernel's lanes per step), and the alignment of the data.
inline constexpr std::size_t kBatchTile = 64;
inline constexpr std::size_t kBatchAlign = 64;

struct BatchSoA {
  const double* data = nullptr;  // ceil(n / kBatchTile) * kFieldCount * kBatchTile doubles, aligned
  std::size_t n = 0;             // satellites
};

// One evaluation: outputs in the [t * n + s] layout of BatchStates. Times come either from `tsince`
// ([t * n + s]) or, when it is null, from offsets[s] + times[t] (the grid form).
struct BatchJob {
  std::size_t n_times = 0;
  const double* tsince = nullptr;
  const double* offsets = nullptr;
  const double* times = nullptr;
  double *x = nullptr, *y = nullptr, *z = nullptr, *vx = nullptr, *vy = nullptr, *vz = nullptr;
  Sgp4Error* error = nullptr;
};

// Evaluates satellites [sat_begin, sat_end) at every time of the job. REQUIRES: sat_begin a multiple
// of kBatchTile; sat_end a multiple of kBatchTile or equal to soa.n. Every output element of the range
// is written (NaN state where the error code is not none). Lanes of satellites that are not near-earth
// hold placeholder constants; the caller overwrites their outputs.
using BatchKernelFn = void (*)(const BatchSoA& soa, const BatchJob& job, std::size_t sat_begin,
                               std::size_t sat_end);

void batch_kernel_sse2(const BatchSoA& soa, const BatchJob& job, std::size_t sat_begin, std::size_t sat_end);
void batch_kernel_avx2(const BatchSoA& soa, const BatchJob& job, std::size_t sat_begin, std::size_t sat_end);
void batch_kernel_avx512(const BatchSoA& soa, const BatchJob& job, std::size_t sat_begin,
                         std::size_t sat_end);

enum class BatchKernel { sse2, avx2, avx512 };

// Whether this CPU (and OS) can run the kernel; sse2 always can on x86-64.
bool batch_kernel_supported(BatchKernel k);
// The widest supported kernel.
BatchKernel best_batch_kernel();
const char* batch_kernel_name(BatchKernel k);

}  // namespace skyfence::orbits::internal
