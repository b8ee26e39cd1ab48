// What CSV formatting alone costs, to hold `skyfence propagate --format csv` against: the states of
// the bundled Starlink snapshot (data/tle/starlink_2026-04-27.tle) over one day from
// 2026-04-27T00:00:00Z at 10-minute steps (144 times), TEME, computed once before timing; each
// iteration formats every satellite's rows with orbits::CsvStateWriter into memory (no
// propagation, no I/O), satellites split over the threads as write_states() splits them.
// Reports items_per_second = CSV rows per second (wall clock) and the bytes formatted.
//
//   BM_CsvFormat/threads:<n>
#include <benchmark/benchmark.h>

#include <cmath>
#include <cstring>
#include <string>
#include <vector>

#include <oneapi/tbb/blocked_range.h>
#include <oneapi/tbb/parallel_for.h>
#include <oneapi/tbb/task_arena.h>

#include "skyfence/orbits/sgp4.h"
#include "skyfence/orbits/state_writers.h"
#include "skyfence/orbits/tle.h"
#include "skyfence/time/scales.h"

namespace {

using namespace skyfence;

struct Workload {
  std::vector<orbits::ElementSet> sets;
  orbits::StateTimes times = orbits::StateTimes::since_epoch({0});
  std::vector<std::vector<double>> values;  // per satellite: valid rows x 6
  std::size_t rows = 0;
};

const Workload& workload() {
  static const Workload w = [] {
    Workload r;
    r.sets = orbits::read_tle_file(std::string(SKYFENCE_DATA_DIR) + "/tle/starlink_2026-04-27.tle").sets;
    r.times = orbits::StateTimes::utc(time::Window::make(time::parse_iso8601("2026-04-27T00:00:00Z"),
                                                         time::parse_iso8601("2026-04-28T00:00:00Z"),
                                                         time::Duration::minutes(10)));
    std::vector<orbits::Sgp4Record> records;
    for (const auto& es : r.sets) records.push_back(orbits::sgp4_init(es));
    // The states as the .npy writer lays them out: satellite, time, component; NaN after an error.
    const orbits::NpyStateWriter npy(r.times, orbits::StateFrame::teme, r.sets.size());
    std::string bytes;
    orbits::write_states(r.sets, records, r.times, orbits::StateFrame::teme, npy,
                         [&](std::string_view b) { bytes += b; });
    const std::size_t n_times = r.times.size(), off = npy.begin().size();
    for (std::size_t s = 0; s < r.sets.size(); ++s) {
      std::vector<double> v(n_times * 6);
      std::memcpy(v.data(), bytes.data() + off + s * v.size() * sizeof(double), v.size() * sizeof(double));
      std::size_t valid = 0;
      while (valid < n_times && !std::isnan(v[valid * 6])) ++valid;
      v.resize(valid * 6);
      r.rows += valid;
      r.values.push_back(std::move(v));
    }
    return r;
  }();
  return w;
}

void BM_CsvFormat(benchmark::State& state) {
  const Workload& w = workload();
  const orbits::CsvStateWriter csv(w.times, orbits::StateFrame::teme);
  tbb::task_arena arena(static_cast<int>(state.range(0)));
  std::size_t bytes = 0;
  for (auto _ : state) {
    std::vector<std::size_t> sizes(w.sets.size());
    arena.execute([&] {
      tbb::parallel_for(tbb::blocked_range<std::size_t>(0, w.sets.size(), 8),
                        [&](const tbb::blocked_range<std::size_t>& r) {
                          std::string out;
                          for (std::size_t s = r.begin(); s != r.end(); ++s) {
                            out.clear();
                            orbits::SatelliteStates sat;
                            sat.index = s;
                            sat.set = &w.sets[s];
                            sat.values = w.values[s].data();
                            sat.n_valid = w.values[s].size() / 6;
                            csv.append(sat, out);
                            sizes[s] = out.size();
                          }
                        });
    });
    bytes = 0;
    for (std::size_t n : sizes) bytes += n;
    benchmark::DoNotOptimize(bytes);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * w.rows));
  state.counters["rows"] = static_cast<double>(w.rows);
  state.counters["MB"] = static_cast<double>(bytes) / 1e6;
}
BENCHMARK(BM_CsvFormat)->ArgName("threads")->Arg(1)->Arg(2)->UseRealTime()->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
