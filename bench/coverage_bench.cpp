// Coverage benchmark driver (plain; run by bench/coverage_bench.sh, which also runs the numpy peers of
// bench/coverage_peer.py). Prints "name value" lines.
//   coverage_bench [--threads N] [--steps N] [--growth] [--export DIR]
// Workload: the bundled Starlink snapshot x 98,304 points (a Fibonacci lattice, the cell count of the
// S2 level-7 grid) at 60 s steps from 2026-04-27T00:00Z, minimum elevation 25 deg, K = 1.
// --export DIR writes the points (lat, lon in degrees) and the satellites' ITRF positions at the first
// step (km) as .npy for the peers, and the number of pairs in view at that step.
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <numbers>
#include <string>
#include <vector>

#include "skyfence/coverage/coverage.h"
#include "skyfence/orbits/tle.h"
#include "skyfence/time/scales.h"

namespace {

using namespace skyfence;

std::vector<frames::Geodetic> fibonacci_points(std::size_t n) {
  std::vector<frames::Geodetic> out;
  const double golden = std::numbers::pi * (3.0 - std::sqrt(5.0));
  for (std::size_t i = 0; i < n; ++i) {
    const double z = 1.0 - (2.0 * static_cast<double>(i) + 1.0) / static_cast<double>(n);
    double lon = std::remainder(golden * static_cast<double>(i), 2.0 * std::numbers::pi);
    out.push_back({std::asin(z), lon, 0.0});
  }
  return out;
}

void write_npy(const std::string& path, const std::vector<double>& data, std::size_t rows, std::size_t cols) {
  std::string header = "{'descr': '<f8', 'fortran_order': False, 'shape': (" + std::to_string(rows) + ", " +
                       std::to_string(cols) + "), }";
  while ((10 + header.size() + 1) % 64 != 0) header += ' ';
  header += '\n';
  std::ofstream f(path, std::ios::binary);
  f.write("\x93NUMPY\x01\x00", 8);
  const auto len = static_cast<unsigned short>(header.size());
  f.put(static_cast<char>(len & 0xff));
  f.put(static_cast<char>(len >> 8));
  f << header;
  f.write(reinterpret_cast<const char*>(data.data()),
          static_cast<std::streamsize>(data.size() * sizeof(double)));
}

struct Run {
  double seconds = 0.0;
  std::uint64_t pair_tests = 0;
  std::uint64_t in_view = 0;
};

Run run(const visibility::Fleet& fleet, const std::vector<frames::Geodetic>& points, std::size_t steps,
        unsigned threads) {
  const std::vector<coverage::Provider> providers{{"starlink", &fleet}};
  const time::Window w = time::Window::of_count(time::parse_iso8601("2026-04-27T00:00:00Z"),
                                                time::Duration::seconds(60.0), steps);
  const auto t0 = std::chrono::steady_clock::now();
  const coverage::CoverageResult r =
      coverage::compute_coverage(points, providers, w, {}, {.threads = threads});
  Run out;
  out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  out.pair_tests = r.pair_tests;
  for (std::size_t i = 0; i < r.points(); ++i) out.in_view += r.at(0, i).sum_visible;
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  unsigned threads = 0;
  std::size_t steps = 60;
  bool growth = false;
  std::string export_dir;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--threads" && i + 1 < argc)
      threads = static_cast<unsigned>(std::atoi(argv[++i]));
    else if (a == "--steps" && i + 1 < argc)
      steps = static_cast<std::size_t>(std::atol(argv[++i]));
    else if (a == "--growth")
      growth = true;
    else if (a == "--export" && i + 1 < argc)
      export_dir = argv[++i];
    else {
      std::fprintf(stderr, "usage: coverage_bench [--threads N] [--steps N] [--growth] [--export DIR]\n");
      return 2;
    }
  }
  const auto all =
      orbits::read_tle_file(std::string(SKYFENCE_DATA_DIR) + "/tle/starlink_2026-04-27.tle").sets;
  const visibility::Fleet fleet(all);
  const auto points = fibonacci_points(98304);
  if (!export_dir.empty()) {
    std::vector<double> p;
    for (const auto& g : points) {
      p.push_back(g.lat_rad * 180.0 / std::numbers::pi);
      p.push_back(g.lon_rad * 180.0 / std::numbers::pi);
    }
    write_npy(export_dir + "/points.npy", p, points.size(), 2);
    std::vector<frames::StateVector> states;
    std::vector<orbits::Sgp4Error> errors;
    fleet.itrf_states(time::parse_iso8601("2026-04-27T00:00:00Z"), states, errors, {.threads = threads});
    std::vector<double> s;
    std::size_t ok = 0;
    for (std::size_t i = 0; i < states.size(); ++i) {
      if (errors[i] != orbits::Sgp4Error::none) continue;
      s.push_back(states[i].r_km.x), s.push_back(states[i].r_km.y), s.push_back(states[i].r_km.z);
      ++ok;
    }
    write_npy(export_dir + "/sats_itrf_km.npy", s, ok, 3);
    const Run one = run(fleet, points, 1, threads);
    std::printf("step0_pairs_in_view %llu\n", static_cast<unsigned long long>(one.in_view));
  }
  run(fleet, points, 2, threads);  // warm-up
  const Run r = run(fleet, points, steps, threads);
  const double per_step = r.seconds / static_cast<double>(steps);
  std::printf("satellites %zu\npoints %zu\nsteps %zu\n", fleet.size(), points.size(), steps);
  std::printf("total_s %.4f\nper_step_s %.6f\n", r.seconds, per_step);
  std::printf("candidate_tests_per_s %.4g\n", static_cast<double>(r.pair_tests) / r.seconds);
  std::printf("pairs_per_s %.4g\n", static_cast<double>(fleet.size()) * static_cast<double>(points.size()) *
                                        static_cast<double>(steps) / r.seconds);
  std::printf("projected_1440_steps_s %.2f\n", per_step * 1440.0);
  if (growth) {
    for (std::size_t n : {2560u, 5120u, 10238u}) {
      const visibility::Fleet f(
          std::vector<orbits::ElementSet>(all.begin(), all.begin() + static_cast<long>(n)));
      std::printf("growth_sats %zu %.6f\n", n,
                  run(f, points, steps, threads).seconds / static_cast<double>(steps));
    }
    for (std::size_t n : {24576u, 49152u, 98304u}) {
      std::printf("growth_points %zu %.6f\n", n,
                  run(fleet, fibonacci_points(n), steps, threads).seconds / static_cast<double>(steps));
    }
    for (std::size_t k : {steps / 4, steps / 2, steps}) {
      std::printf("growth_steps %zu %.4f\n", k, run(fleet, points, k, threads).seconds);
    }
  }
  return 0;
}
