// Batched SGP4: many satellites x many times, structure of arrays, SIMD across satellites
// (AVX-512/AVX2 picked at run time; portable SSE2 otherwise) and both cores.
//
// Results agree with the scalar sgp4() within 1e-9 km and 1e-12 km/s (tests/oracle/orbits/), and are
// bit-identical for any thread count (each satellite's arithmetic does not depend on the split).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "skyfence/core/run_context.h"
#include "skyfence/orbits/sgp4.h"

namespace skyfence::orbits {

namespace internal {
struct BatchAccess;  // test access to a chosen kernel (internal/batch_access.h)
}

// Output layout of one batch evaluation: for time index t and satellite index s, element
// [t * n_satellites + s] of each array. Positions km, velocities km/s, TEME. Where error is not
// Sgp4Error::none the state is NaN.
struct BatchStates {
  std::size_t n_times = 0, n_satellites = 0;
  std::vector<double> x, y, z, vx, vy, vz;
  std::vector<Sgp4Error> error;  // Sgp4Error::none where the state is valid
  [[nodiscard]] std::size_t index(std::size_t t, std::size_t s) const { return t * n_satellites + s; }
};

// Set up once from initialised records (records with init errors propagate as errors), then evaluate
// many times from many threads.
class BatchPropagator {
 public:
  explicit BatchPropagator(std::span<const Sgp4Record> records);
  ~BatchPropagator();
  BatchPropagator(BatchPropagator&&) noexcept;
  BatchPropagator& operator=(BatchPropagator&&) noexcept;

  [[nodiscard]] std::size_t size() const;

  // tsince[t * n_satellites + s]: minutes since satellite s's epoch at time index t
  // (REQUIRES: tsince.size() == n_times * size(), else std::invalid_argument). Fills `out`
  // (resized; reusing one BatchStates across calls avoids reallocating). Never throws halfway: each
  // element gets its own error code. Cost: about 50 ns per near-earth propagation per core with the
  // AVX-512 kernel (docs/performance.md); deep-space satellites cost a scalar sgp4() call each.
  void propagate(std::span<const double> tsince, std::size_t n_times, BatchStates& out,
                 const RunContext& run = {}) const;

  // Common case: the same UTC instants for every satellite; tsince is computed from each epoch.
  // `epoch_offsets_min[s]` = minutes from satellite s's epoch to a reference instant; times are
  // minutes after that reference instant. tsince = epoch_offsets_min[s] + times_min[t], the same
  // double as propagate() would be given. REQUIRES: epoch_offsets_min.size() == size().
  void propagate_grid(std::span<const double> epoch_offsets_min, std::span<const double> times_min,
                      BatchStates& out, const RunContext& run = {}) const;

  // Which SIMD kernel the run-time dispatch selected: "avx512", "avx2" or "sse2".
  [[nodiscard]] static const char* kernel_name();

 private:
  struct Impl;
  friend struct internal::BatchAccess;
  Impl* impl_ = nullptr;
};

}  // namespace skyfence::orbits
