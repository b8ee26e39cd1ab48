// Demand met by terminals that move (CapacityOptions::positions): each step equals the same points at
// rest where they are at that step (the oracle: one single-step run per step), a trajectory that stays
// put gives exactly the results of the point at rest, and the permission is asked in step order.
#include <gtest/gtest.h>

#include <map>
#include <numbers>
#include <string>
#include <vector>

#include "capacity_test_support.h"
#include "skyfence/capacity/capacity.h"
#include "skyfence/core/units.h"
#include "skyfence/earth/grid.h"
#include "skyfence/earth/trajectory.h"
#include "skyfence/orbits/tle.h"
#include "skyfence/time/scales.h"

namespace skyfence::capacity {
namespace {

// `gbps` per satellite, 8 beams of 250 MHz at 4 bit/s/Hz, at most 4 beams per level-9 cell; class
// "gov" before "civil".
ServiceModel graded_model(double gbps) {
  return parse_service_model(R"(
name = "m"
cell_level = 9
max_beams_per_cell = 4
isl = true
priorities = ["gov", "civil"]
[spectral_efficiency]
elevation_deg = [25.0, 60.0]
bps_per_hz = [2.0, 5.0]
[[satellite_class]]
name = "all"
capacity_down_gbps = )" + std::to_string(gbps) +
                                 R"(
beams = 8
beam_bandwidth_mhz = 250.0
)",
                             "test.toml");
}

earth::Track track(const std::string& id, std::vector<std::pair<double, double>> lat_lon_deg,
                   time::Duration every) {
  earth::Track t;
  t.id = t.name = id;
  for (std::size_t k = 0; k < lat_lon_deg.size(); ++k) {
    t.samples.push_back({fixtures::kStart + every * static_cast<std::int64_t>(k),
                         frames::Geodetic::degrees(lat_lon_deg[k].first, lat_lon_deg[k].second)});
  }
  return t;
}

// Terminals around Kyiv and Kharkiv, three of them moving through the others' service cells, one on a
// trajectory that stays put; demand well above what provider a's satellites hold there, so that the
// terminals compete for satellites and cells.
struct Terminals {
  std::vector<earth::Track> tracks;
  std::vector<DemandPoint> points;
};

Terminals terminals() {
  Terminals t;
  const time::Duration hour = time::Duration::seconds(3600);
  t.tracks.push_back(track("kyiv", {{50.45, 30.52}}, hour));
  t.tracks.push_back(track("kharkiv", {{49.99, 36.23}}, hour));
  t.tracks.push_back(track("east", {{50.45, 30.52}, {49.99, 36.23}}, hour));  // ~410 km/h
  t.tracks.push_back(track("west", {{49.99, 36.23}, {50.40, 30.60}, {50.45, 30.52}}, hour));
  t.tracks.push_back(track("still", {{50.44, 30.50}, {50.44, 30.50}, {50.44, 30.50}}, hour));
  t.tracks.push_back(track("odesa", {{46.48, 30.72}, {46.60, 31.50}}, time::Duration::seconds(1800)));
  const char* customers[] = {"civil", "gov", "civil", "gov", "civil", "civil"};
  for (std::size_t i = 0; i < t.tracks.size(); ++i) {
    t.points.push_back({t.tracks[i].samples.front().location, 3000.0, customers[i], {0, 1}, 30});
  }
  return t;
}

void expect_same(const CapacityResult& a, const CapacityResult& b) {
  ASSERT_EQ(a.stats.size(), b.stats.size());
  for (std::size_t k = 0; k < a.stats.size(); ++k) {
    SCOPED_TRACE(k);
    EXPECT_EQ(a.stats[k].mean_mbps, b.stats[k].mean_mbps);
    EXPECT_EQ(a.stats[k].min_mbps, b.stats[k].min_mbps);
    EXPECT_EQ(a.stats[k].p5_mbps, b.stats[k].p5_mbps);
    EXPECT_EQ(a.stats[k].full_service_fraction, b.stats[k].full_service_fraction);
  }
  for (std::size_t p = 0; p < a.usage.size(); ++p) {
    EXPECT_EQ(a.usage[p].carried_mbps_steps, b.usage[p].carried_mbps_steps);
    EXPECT_EQ(a.usage[p].offered_mbps_steps, b.usage[p].offered_mbps_steps);
    EXPECT_EQ(a.usage[p].cell_steps, b.usage[p].cell_steps);
    EXPECT_EQ(a.usage[p].satellite_steps, b.usage[p].satellite_steps);
  }
}

TEST(CapacityMoving, EachStepEqualsPointsAtRestThere) {
  const visibility::Fleet a(fixtures::bundled("starlink_2026-04-27.tle", 1500));
  const visibility::Fleet b(fixtures::bundled("oneweb_2026-03-26.tle", 651));
  const ServiceModel ma = graded_model(0.4), mb = graded_model(0.3);
  const std::vector<Provider> providers{{"a", &a, {}, &ma, 25 * kRadPerDeg},
                                        {"b", &b, {}, &mb, 35 * kRadPerDeg}};
  const Terminals t = terminals();
  const time::Duration step = time::Duration::seconds(300);
  const time::Window window = time::Window::of_count(fixtures::kStart, step, 14);
  // Provider a refuses terminal "east" on every other step, by the time asked about: the permission
  // depends on the step alone, so the single-step runs ask the same.
  const auto refuse = [&](std::size_t provider, time::Instant at, std::span<std::uint8_t> permitted) {
    const std::int64_t k = (at - fixtures::kStart).count_ns() / step.count_ns();
    if (provider == 0 && k % 2 == 1) permitted[2] = 0;
  };
  std::map<std::size_t, time::Instant> last_asked;
  CapacityOptions moving;
  moving.positions = [&](time::Instant at, std::span<frames::Geodetic> out) {
    earth::positions_at(t.tracks, at, out);
  };
  moving.permission = [&](std::size_t provider, time::Instant at, std::span<std::uint8_t> permitted) {
    const auto it = last_asked.find(provider);
    EXPECT_TRUE(it == last_asked.end() || it->second < at) << "asked out of step order";
    last_asked[provider] = at;
    refuse(provider, at, permitted);
  };
  const CapacityResult r = compute_capacity(t.points, providers, window, moving, {.threads = 2});
  EXPECT_EQ(last_asked.size(), 2u);

  // The oracle: each step alone, the points at rest where the tracks put them then.
  const std::size_t rows = providers.size() + 1, n = t.points.size();
  std::vector<double> sum(rows * n, 0.0), least(rows * n, 1e300);
  std::vector<std::size_t> full(rows * n, 0);
  std::vector<ProviderUsage> usage(providers.size());
  CapacityOptions at_rest;
  at_rest.permission = refuse;
  bool competes = false, moves_cell = false;
  std::vector<frames::Geodetic> where(n);
  for (std::size_t k = 0; k < window.size(); ++k) {
    earth::positions_at(t.tracks, window.at(k), where);
    std::vector<DemandPoint> points = t.points;
    for (std::size_t i = 0; i < n; ++i) points[i].location = where[i];
    moves_cell =
        moves_cell || earth::cell_containing(where[2], 9) != earth::cell_containing(t.points[2].location, 9);
    const CapacityResult one =
        compute_capacity(points, providers, time::Window::of_count(window.at(k), step, 1), at_rest);
    for (std::size_t row = 0; row < rows; ++row) {
      for (std::size_t i = 0; i < n; ++i) {
        const double x = one.at(row, i).mean_mbps;
        sum[row * n + i] += x;
        least[row * n + i] = std::min(least[row * n + i], x);
        full[row * n + i] += one.at(row, i).full_service_fraction == 1.0 ? 1 : 0;
        if (row == rows - 1 && x < 3000.0 * 0.99 && x > 0.0) competes = true;
      }
    }
    for (std::size_t p = 0; p < providers.size(); ++p) {
      usage[p].carried_mbps_steps += one.usage[p].carried_mbps_steps;
      usage[p].offered_mbps_steps += one.usage[p].offered_mbps_steps;
    }
  }
  EXPECT_TRUE(competes) << "the instance should share scarce capacity";
  EXPECT_TRUE(moves_cell) << "terminal east should leave its first service cell";
  const auto steps = static_cast<double>(window.size());
  for (std::size_t row = 0; row < rows; ++row) {
    for (std::size_t i = 0; i < n; ++i) {
      SCOPED_TRACE(::testing::Message() << "row " << row << " point " << i);
      EXPECT_EQ(r.at(row, i).mean_mbps, sum[row * n + i] / steps);
      EXPECT_EQ(r.at(row, i).min_mbps, least[row * n + i]);
      EXPECT_EQ(r.at(row, i).full_service_fraction, static_cast<double>(full[row * n + i]) / steps);
    }
  }
  for (std::size_t p = 0; p < providers.size(); ++p) {
    EXPECT_EQ(r.usage[p].carried_mbps_steps, usage[p].carried_mbps_steps);
    EXPECT_EQ(r.usage[p].offered_mbps_steps, usage[p].offered_mbps_steps);
  }
  // Moving matters: the same terminals held at their first positions get other results.
  const CapacityResult fixed = compute_capacity(t.points, providers, window, at_rest);
  std::size_t differ = 0;
  for (std::size_t k = 0; k < r.stats.size(); ++k) differ += fixed.stats[k].mean_mbps != r.stats[k].mean_mbps;
  EXPECT_GT(differ, 0u);
}

TEST(CapacityMoving, TerminalsThatStayPutGetTheResultsOfPointsAtRest) {
  const visibility::Fleet a(fixtures::bundled("starlink_2026-04-27.tle", 1500));
  const ServiceModel ma = graded_model(1.5);
  const std::vector<Provider> providers{{"a", &a, {}, &ma, 25 * kRadPerDeg}};
  Terminals t = terminals();
  for (DemandPoint& p : t.points) p.preferences = {0};
  // Every terminal on a trajectory of three samples at one place.
  std::vector<earth::Track> put;
  for (const DemandPoint& p : t.points) {
    const double lat = p.location.lat_rad / kRadPerDeg, lon = p.location.lon_rad / kRadPerDeg;
    put.push_back(track("p", {{lat, lon}, {lat, lon}, {lat, lon}}, time::Duration::seconds(1800)));
  }
  const time::Window window = time::Window::of_count(fixtures::kStart, time::Duration::seconds(240), 20);
  CapacityOptions o;
  o.positions = [&](time::Instant at, std::span<frames::Geodetic> out) { earth::positions_at(put, at, out); };
  expect_same(compute_capacity(t.points, providers, window, o),
              compute_capacity(t.points, providers, window));
}

}  // namespace
}  // namespace skyfence::capacity
