// Visibility workloads of docs/performance.md ("visibility"), timed end to end:
//   passes   the whole bundled Starlink snapshot over one site (Kyiv) for 7 days above 25 deg
//   in_view  the whole snapshot x 10,000 sites (uniform on the sphere, fixed seed) at one instant,
//            above 25 deg, with the spatial index and by testing every pair
// Usage: visibility_bench [--threads N] [--skip-brute-force]. Prints one "name value unit" line per
// figure for bench/visibility_bench.sh.
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "skyfence/orbits/batch.h"
#include "skyfence/orbits/tle.h"
#include "skyfence/time/scales.h"
#include "skyfence/visibility/fleet.h"
#include "skyfence/visibility/in_view.h"
#include "skyfence/visibility/passes.h"

using namespace skyfence;

namespace {

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

}  // namespace

int main(int argc, char** argv) {
  unsigned threads = 0;
  bool brute = true;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--threads") == 0 && i + 1 < argc) {
      threads = static_cast<unsigned>(std::atoi(argv[++i]));
    } else if (std::strcmp(argv[i], "--skip-brute-force") == 0) {
      brute = false;
    }
  }
  const auto sets =
      orbits::read_tle_file(std::string(SKYFENCE_DATA_DIR) + "/tle/starlink_2026-04-27.tle").sets;
  std::printf("satellites %zu\nkernel %s\nthreads %u\n", sets.size(), orbits::BatchPropagator::kernel_name(),
              threads);
  const visibility::Fleet fleet(sets);

  // Passes: 7 days over one site.
  {
    const std::vector<frames::Geodetic> site{frames::Geodetic::degrees(50.45, 30.52, 0.18)};
    const time::Instant start = time::parse_iso8601("2026-04-27T00:00:00Z");
    const auto t0 = std::chrono::steady_clock::now();
    const visibility::PassList l = visibility::find_passes(
        fleet, site, start, start + time::Duration::days(7), {}, {.threads = threads});
    std::printf("passes_s %.3f s\npasses_found %zu passes\npasses_sgp4_failures %zu\n", seconds_since(t0),
                l.passes.size(), l.failures.size());
  }

  // In-view sets: 10,000 sites at one instant.
  {
    std::mt19937_64 rng(20260427);
    std::uniform_real_distribution<double> u(-1.0, 1.0), lon(-180.0, 180.0);
    std::vector<frames::Geodetic> sites;
    for (int k = 0; k < 10000; ++k) {
      sites.push_back(
          frames::Geodetic::degrees(std::asin(u(rng)) * 180.0 / 3.141592653589793, lon(rng), 0.0));
    }
    const time::Instant t = time::parse_iso8601("2026-04-27T12:00:00Z");
    auto t0 = std::chrono::steady_clock::now();
    const visibility::SiteIndex index(sites);
    std::printf("in_view_index_build_s %.4f s\n", seconds_since(t0));
    visibility::InViewOptions o;
    double best = 1e9;
    std::size_t pairs = 0;
    visibility::InViewSet set;
    for (int rep = 0; rep < 5; ++rep) {
      t0 = std::chrono::steady_clock::now();
      std::vector<frames::StateVector> states;
      std::vector<orbits::Sgp4Error> errors;
      fleet.itrf_states(t, states, errors, {.threads = threads});
      std::unique_ptr<bool[]> valid(new bool[errors.size()]);
      for (std::size_t i = 0; i < errors.size(); ++i) valid[i] = errors[i] == orbits::Sgp4Error::none;
      visibility::in_view(index, states, std::span<const bool>(valid.get(), errors.size()), o, set,
                          {.threads = threads});
      best = std::min(best, seconds_since(t0));
      pairs = set.entries.size();
    }
    std::printf("in_view_s %.4f s\nin_view_pairs %zu pairs\n", best, pairs);
    if (brute) {
      std::vector<frames::StateVector> states;
      std::vector<orbits::Sgp4Error> errors;
      fleet.itrf_states(t, states, errors, {.threads = threads});
      visibility::InViewSet b;
      t0 = std::chrono::steady_clock::now();
      visibility::in_view_brute_force(index, states, {}, o, b);
      std::printf("in_view_brute_force_s %.3f s\nin_view_brute_force_equal %d\n", seconds_since(t0),
                  b.entries == set.entries ? 1 : 0);
    }
  }
  return 0;
}
