// Propagation throughput on the bundled Starlink snapshot (data/tle/starlink_2026-04-27.tle): every
// satellite over one day from 2026-04-27T00:00:00Z at 1-minute steps (1440 times), the workload of
// docs/performance.md. Reports items_per_second = propagations per second (wall clock).
//
//   BM_Batch/<kernel>/<threads>   BatchPropagator::propagate_grid with a forced kernel
//   BM_BatchAuto/<threads>        the run-time kernel choice (what users get)
//   BM_Scalar                     the scalar sgp4(), one thread, for reference
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

#include "skyfence/orbits/batch.h"
#include "skyfence/orbits/internal/batch_access.h"
#include "skyfence/orbits/internal/batch_kernel.h"
#include "skyfence/orbits/sgp4.h"
#include "skyfence/orbits/tle.h"

namespace {

using namespace skyfence::orbits;

struct Workload {
  std::vector<Sgp4Record> records;
  std::vector<double> offsets;  // minutes from each epoch to 2026-04-27T00:00:00Z
  std::vector<double> times;    // minutes after it
  BatchPropagator propagator{std::span<const Sgp4Record>{}};
  std::size_t propagations() const { return records.size() * times.size(); }
};

const Workload& workload() {
  static const Workload w = [] {
    Workload r;
    const char* env = std::getenv("SKYFENCE_BENCH_TLE");
    const std::string path =
        env != nullptr ? env : std::string(SKYFENCE_DATA_DIR) + "/tle/starlink_2026-04-27.tle";
    const Catalog cat = read_tle_file(path);
    for (const auto& es : cat.sets) r.records.push_back(sgp4_init(es));
    const double jd_ref = 2461157.5;  // 2026-04-27T00:00:00Z
    for (const auto& rec : r.records)
      r.offsets.push_back(((jd_ref - rec.jdsatepoch) - rec.jdsatepochF) * 1440.0);
    for (int m = 0; m < 1440; ++m) r.times.push_back(m);
    r.propagator = BatchPropagator(r.records);
    std::cerr << path << ": " << r.records.size() << " satellites x " << r.times.size()
              << " times = " << r.propagations() << " propagations; run-time kernel "
              << BatchPropagator::kernel_name() << "\n";
    return r;
  }();
  return w;
}

void run_batch(benchmark::State& state, const internal::BatchKernel* kernel) {
  const Workload& w = workload();
  const skyfence::RunContext options{.threads = static_cast<unsigned>(state.range(0))};
  BatchStates out;
  // One untimed run sizes (and touches) the output arrays, as a caller reusing them would.
  if (kernel != nullptr) {
    internal::BatchAccess::propagate_grid(w.propagator, *kernel, w.offsets, w.times, out, options);
  } else {
    w.propagator.propagate_grid(w.offsets, w.times, out, options);
  }
  for (auto _ : state) {
    if (kernel != nullptr) {
      internal::BatchAccess::propagate_grid(w.propagator, *kernel, w.offsets, w.times, out, options);
    } else {
      w.propagator.propagate_grid(w.offsets, w.times, out, options);
    }
    benchmark::DoNotOptimize(out.x.data());
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) *
                          static_cast<std::int64_t>(w.propagations()));
}

void BM_Scalar(benchmark::State& state) {
  const Workload& w = workload();
  // A tenth of the times (every 10th minute) keeps one iteration short; the rate is per propagation.
  std::size_t count = 0;
  double sink = 0.0;
  for (auto _ : state) {
    for (std::size_t t = 0; t < w.times.size(); t += 10) {
      for (std::size_t s = 0; s < w.records.size(); ++s) {
        skyfence::frames::StateVector sv;
        if (sgp4(w.records[s], w.offsets[s] + w.times[t], sv) == Sgp4Error::none) sink += sv.r_km.x;
        ++count;
      }
    }
  }
  benchmark::DoNotOptimize(sink);
  state.SetItemsProcessed(static_cast<std::int64_t>(count));
}

void register_all() {
  static const internal::BatchKernel kernels[] = {internal::BatchKernel::avx512, internal::BatchKernel::avx2,
                                                  internal::BatchKernel::sse2};
  for (const auto& k : kernels) {
    if (!internal::batch_kernel_supported(k)) continue;
    const std::string name = std::string("BM_Batch/") + internal::batch_kernel_name(k);
    benchmark::RegisterBenchmark(name.c_str(), run_batch, &k)
        ->Arg(1)
        ->Arg(2)
        ->ArgName("threads")
        ->UseRealTime()
        ->Unit(benchmark::kMillisecond)
        ->MinTime(2.0);
  }
  benchmark::RegisterBenchmark("BM_BatchAuto", run_batch, nullptr)
      ->Arg(1)
      ->Arg(2)
      ->ArgName("threads")
      ->UseRealTime()
      ->Unit(benchmark::kMillisecond)
      ->MinTime(2.0);
  benchmark::RegisterBenchmark("BM_Scalar", BM_Scalar)->UseRealTime()->Unit(benchmark::kMillisecond);
}

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  register_all();
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
