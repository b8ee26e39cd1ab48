// Access to BatchPropagator with a chosen kernel instead of the run-time choice, so that the oracle
// tests and the benchmarks exercise every kernel this CPU supports. Not part of the public API.
#pragma once

#include <cstddef>
#include <span>

#include "skyfence/orbits/batch.h"
#include "skyfence/orbits/internal/batch_kernel.h"

namespace skyfence::orbits::internal {

struct BatchAccess {
  // As BatchPropagator::propagate / propagate_grid, with kernel `k`.
  // REQUIRES: batch_kernel_supported(k).
  static void propagate(const BatchPropagator& p, BatchKernel k, std::span<const double> tsince,
                        std::size_t n_times, BatchStates& out, const RunContext& run = {});
  static void propagate_grid(const BatchPropagator& p, BatchKernel k,
                             std::span<const double> epoch_offsets_min, std::span<const double> times_min,
                             BatchStates& out, const RunContext& run = {});
};

}  // namespace skyfence::orbits::internal
