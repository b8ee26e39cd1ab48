// skyfence locate: time and accuracy (docs/locate.md, docs/performance.md). Terminals at random places
// in Ukraine (fixed seed) are served every 15 s by the highest Starlink satellite in view (the scheduler
// model of docs/locate.md) from random start times over the catalog's day; each is located with the
// top-1 rule over a Ukraine prior at level 13 (about 1.3 km2 cells). Prints, per observation duration,
// the median and 95th-percentile distance from the estimate to the truth, the median consistent area
// and the median time of one locate call; then the time for 60 observations against the prior's size
// (Ukraine, Europe's box, the whole Earth) and the rule.
//   locate_bench [--terminals N] [--threads N]      (default: 40 terminals, all cores). Not a test.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "skyfence/detection/locate.h"
#include "skyfence/earth/grid.h"
#include "skyfence/earth/region.h"
#include "skyfence/orbits/tle.h"
#include "skyfence/time/scales.h"

using namespace skyfence;

namespace {

double km_between(const frames::Geodetic& a, const frames::Geodetic& b) {
  const double c = std::sin(a.lat_rad) * std::sin(b.lat_rad) +
                   std::cos(a.lat_rad) * std::cos(b.lat_rad) * std::cos(a.lon_rad - b.lon_rad);
  return std::acos(std::clamp(c, -1.0, 1.0)) * earth::kEarthMeanRadiusKm;
}

double quantile(std::vector<double> v, double q) {
  std::sort(v.begin(), v.end());
  const std::size_t k = static_cast<std::size_t>(std::ceil(q * static_cast<double>(v.size())));
  return v[std::clamp<std::size_t>(k, 1, v.size()) - 1];
}

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

}  // namespace

int main(int argc, char** argv) {
  int terminals = 40;
  unsigned threads = 0;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--terminals") == 0 && i + 1 < argc) {
      terminals = std::atoi(argv[++i]);
    } else if (std::strcmp(argv[i], "--threads") == 0 && i + 1 < argc) {
      threads = static_cast<unsigned>(std::atoi(argv[++i]));
    } else {
      std::fprintf(stderr, "usage: locate_bench [--terminals N] [--threads N]\n");
      return 2;
    }
  }
  const visibility::Fleet fleet(
      orbits::read_tle_file(std::string(SKYFENCE_DATA_DIR) + "/tle/starlink_2026-04-27.tle").sets);
  const earth::CountryBorders borders = earth::CountryBorders::read_bundled(SKYFENCE_DATA_DIR);
  const earth::Region ukraine = borders.find("Ukraine");
  const detection::Prior prior{ukraine};
  const RunContext run{.threads = threads};
  const time::Instant t0 = time::parse_iso8601("2026-04-27T00:00:00Z");

  std::mt19937_64 rng(20261202);
  std::uniform_real_distribution<double> lat(44.5, 52.5), lon(22.5, 40.0), minute(0.0, 1380.0);
  std::vector<frames::Geodetic> places;
  std::vector<time::Instant> starts;
  while (static_cast<int>(places.size()) < terminals) {
    const frames::Geodetic p = frames::Geodetic::degrees(lat(rng), lon(rng), 0.0);
    if (!ukraine.contains(p)) continue;
    places.push_back(p);
    starts.push_back(t0 + time::Duration::seconds(60.0 * std::floor(minute(rng))));
  }

  detection::LocateOptions o;
  o.rule = detection::Rule::top_k;
  std::printf("satellites %zu, terminals %d, threads %u, rule top-1, level %d, prior Ukraine\n", fleet.size(),
              terminals, run.workers(), o.level);
  std::printf(
      "| minutes | observations | error median km | error p95 km | area median km2 | time median s |\n");
  std::printf("|---|---|---|---|---|---|\n");
  std::vector<detection::Observation> sixty;
  for (int minutes : {1, 5, 15, 60}) {
    std::vector<double> error, area, secs;
    std::size_t n_obs = 0;
    for (int t = 0; t < terminals; ++t) {
      const auto obs = detection::simulate_observations(fleet, places[t], starts[t], minutes * 4,
                                                        time::Duration::seconds(15));
      if (minutes == 15 && t == 0) sixty = obs;
      n_obs += obs.size();
      const auto c0 = std::chrono::steady_clock::now();
      const detection::Location loc = detection::locate(fleet, obs, prior, o, run);
      secs.push_back(seconds_since(c0));
      if (!loc.estimate) {
        std::fprintf(stderr, "terminal %d: no consistent position\n", t);
        return 1;
      }
      error.push_back(km_between(*loc.estimate, places[t]));
      area.push_back(loc.area_km2);
    }
    std::printf("| %d | %.0f | %.2f | %.2f | %.0f | %.3f |\n", minutes,
                static_cast<double>(n_obs) / terminals, quantile(error, 0.5), quantile(error, 0.95),
                quantile(area, 0.5), quantile(secs, 0.5));
  }

  // 60 observations (15 minutes): time against the prior's size and the rule.
  const earth::Ring europe{{-10.0, 35.0}, {40.0, 35.0}, {40.0, 60.0}, {-10.0, 60.0}, {-10.0, 35.0}};
  const std::vector<std::pair<std::string, detection::Prior>> priors{
      {"Ukraine (603,000 km2)", prior},
      {"Europe's box 35-60N 10W-40E", detection::Prior{earth::Region::from_rings("europe", {europe}, {})}},
      {"the whole Earth", detection::Prior{}}};
  std::printf(
      "\n| prior | rule | cells tested | cells kept | time median of 3, s |\n|---|---|---|---|---|\n");
  for (const auto& [name, p] : priors) {
    for (detection::Rule rule : {detection::Rule::top_k, detection::Rule::visible}) {
      detection::LocateOptions ro = o;
      ro.rule = rule;
      std::vector<double> secs;
      detection::Location loc;
      for (int rep = 0; rep < 3; ++rep) {
        const auto c0 = std::chrono::steady_clock::now();
        loc = detection::locate(fleet, sixty, p, ro, run);
        secs.push_back(seconds_since(c0));
      }
      std::printf("| %s | %s | %zu | %zu | %.3f |\n", name.c_str(),
                  rule == detection::Rule::top_k ? "top-1" : "visible", loc.cells_tested, loc.cells.size(),
                  quantile(secs, 0.5));
    }
  }
  return 0;
}
