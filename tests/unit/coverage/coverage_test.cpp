// Unit tests of the coverage engine: thread-count and tuning invariance on a real workload, the
// definition of "any provider", statistics by hand, empty inputs and argument checks.
#include <gtest/gtest.h>

#include <atomic>
#include <cmath>
#include <numbers>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "skyfence/core/units.h"
#include "skyfence/coverage/coverage.h"
#include "skyfence/orbits/tle.h"
#include "skyfence/time/scales.h"

namespace skyfence::coverage {
namespace {

std::vector<orbits::ElementSet> bundled(const std::string& file, std::size_t n) {
  auto sets = orbits::read_tle_file(std::string(SKYFENCE_DATA_DIR) + "/tle/" + file).sets;
  if (sets.size() > n) sets.resize(n);
  return sets;
}

std::vector<frames::Geodetic> lat_lon_grid(double step_deg) {
  std::vector<frames::Geodetic> out;
  for (double lat = -90.0; lat <= 90.0; lat += step_deg) {
    for (double lon = -180.0; lon < 180.0; lon += step_deg)
      out.push_back(frames::Geodetic::degrees(lat, lon));
  }
  return out;
}

const time::Instant kStart = time::parse_iso8601("2026-04-27T00:00:00Z");

TEST(Coverage, IdenticalForAnyThreadCountCellSizeAndBlock) {
  const visibility::Fleet starlink(bundled("starlink_2026-04-27.tle", 1500));
  const visibility::Fleet oneweb(bundled("oneweb_2026-03-26.tle", 300));
  const std::vector<Provider> providers{{"starlink", &starlink}, {"oneweb", &oneweb}};
  const auto points = lat_lon_grid(3.0);
  const Window w = Window::of_count(kStart, time::Duration::seconds(60.0), 20);
  CoverageOptions o;
  o.min_sats = 8;
  const CoverageResult one = compute_coverage(points, providers, w, o, {.threads = 1});
  for (unsigned threads : {2u, 3u, 0u}) {
    for (double cell : {0.0, 2.0}) {
      for (std::size_t block : {1u, 7u, 16u}) {
        o.cell_deg = cell;
        o.steps_per_block = block;
        const CoverageResult r = compute_coverage(points, providers, w, o, {.threads = threads});
        EXPECT_TRUE(r == one) << "threads " << threads << " cell " << cell << " block " << block;
        if (cell == 0.0) {
          EXPECT_EQ(r.pair_tests, one.pair_tests);
        }
      }
    }
  }
  // Something is covered and something is not: the comparison is not vacuous.
  std::uint64_t served = 0;
  for (std::size_t i = 0; i < one.points(); ++i) served += one.at(2, i).steps_served;
  EXPECT_GT(served, 0u);
  EXPECT_LT(served, one.points() * w.size());
}

// "any" counts the satellites of all providers together: with min_sats 2 and the same fleet given as
// two providers, a point seeing one satellite is served by "any" (2 in view) but by neither provider.
TEST(Coverage, AnyProviderIsTheTotalInView) {
  const visibility::Fleet fleet(bundled("starlink_2026-04-27.tle", 400));
  const std::vector<Provider> providers{{"a", &fleet}, {"b", &fleet}};
  const auto points = lat_lon_grid(5.0);
  const Window w = Window::of_count(kStart, time::Duration::seconds(120.0), 10);
  CoverageOptions o;
  o.min_sats = 2;
  const CoverageResult r = compute_coverage(points, providers, w, o);
  ASSERT_EQ(r.providers(), 2u);
  EXPECT_EQ(r.provider_name(2), "any");
  bool any_only = false;
  for (std::size_t i = 0; i < r.points(); ++i) {
    EXPECT_EQ(r.at(0, i), r.at(1, i));
    EXPECT_EQ(r.at(2, i).sum_visible, 2 * r.at(0, i).sum_visible);
    EXPECT_EQ(r.at(2, i).max_visible, 2 * r.at(0, i).max_visible);
    EXPECT_GE(r.at(2, i).steps_served, r.at(0, i).steps_served);
    any_only = any_only || r.at(2, i).steps_served > r.at(0, i).steps_served;
  }
  EXPECT_TRUE(any_only);
}

TEST(Coverage, StatisticsAtTheExtremeElevations) {
  const visibility::Fleet fleet(bundled("starlink_2026-04-27.tle", 50));
  const std::vector<Provider> providers{{"starlink", &fleet}};
  const auto points = lat_lon_grid(30.0);
  const Window w = Window::of_count(kStart, time::Duration::seconds(600.0), 5);
  CoverageOptions o;
  o.min_elevation_rad = -90.0 * kRadPerDeg;  // every satellite is in view everywhere
  const CoverageResult all = compute_coverage(points, providers, w, o);
  for (std::size_t i = 0; i < all.points(); ++i) {
    EXPECT_EQ(all.at(0, i).min_visible, 50u);
    EXPECT_EQ(all.at(0, i).max_visible, 50u);
    EXPECT_DOUBLE_EQ(all.coverage_fraction(0, i), 1.0);
    EXPECT_DOUBLE_EQ(all.mean_visible(0, i), 50.0);
    EXPECT_EQ(all.at(0, i).gap_count, 0u);
    EXPECT_EQ(all.max_gap_s(0, i), 0.0);
  }
  o.min_elevation_rad = 90.0 * kRadPerDeg;  // nothing exactly overhead: one gap over the whole window
  const CoverageResult none = compute_coverage(points, providers, w, o);
  for (std::size_t i = 0; i < none.points(); ++i) {
    EXPECT_EQ(none.at(0, i).max_visible, 0u);
    EXPECT_EQ(none.coverage_fraction(0, i), 0.0);
    EXPECT_EQ(none.at(0, i).gap_count, 1u);
    EXPECT_DOUBLE_EQ(none.max_gap_s(0, i), 3000.0);
  }
}

// Pairs exactly at the minimum elevation: the fast test cannot decide them and hands them to the exact
// look angles, which count a satellite at the minimum as in view and one a rounding step below it as
// not. Each case sets the minimum to the elevation Topocentric::look gives for one pair.
TEST(Coverage, PairsExactlyAtTheMinimumElevation) {
  const auto sets = bundled("starlink_2026-04-27.tle", 40);
  const auto points = lat_lon_grid(20.0);
  std::vector<frames::StateVector> states;
  std::vector<orbits::Sgp4Error> errors;
  int exercised = 0;
  for (std::size_t j = 0; j < sets.size(); ++j) {
    const visibility::Fleet fleet(std::vector<orbits::ElementSet>{sets[j]});
    fleet.itrf_states(kStart, states, errors, {.threads = 1});
    ASSERT_EQ(errors[0], orbits::Sgp4Error::none);
    for (const frames::Geodetic& g : points) {
      const double el = frames::Topocentric(g).look(states[0]).elevation_rad;
      if (el < 0.0) continue;
      const std::vector<Provider> providers{{"one", &fleet}};
      const std::vector<frames::Geodetic> one_point{g};
      const Window w = Window::of_count(kStart, time::Duration::seconds(60.0), 1);
      CoverageOptions o;
      o.min_elevation_rad = el;
      EXPECT_EQ(compute_coverage(one_point, providers, w, o).at(0, 0).max_visible, 1u) << j;
      o.min_elevation_rad = std::nextafter(el, 2.0);
      EXPECT_EQ(compute_coverage(one_point, providers, w, o).at(0, 0).max_visible, 0u) << j;
      ++exercised;
      break;
    }
  }
  EXPECT_GT(exercised, 10);
}

TEST(Coverage, ProgressReportsStepsAndCancels) {
  const visibility::Fleet fleet(bundled("starlink_2026-04-27.tle", 30));
  const std::vector<Provider> providers{{"starlink", &fleet}};
  const auto points = lat_lon_grid(30.0);
  const Window w = Window::of_count(kStart, time::Duration::seconds(60.0), 10);
  CoverageOptions o;
  o.steps_per_block = 4;
  std::vector<double> seen;
  RunContext run;
  run.progress = [&](std::string_view stage, double done) {
    EXPECT_EQ(stage, "coverage");
    seen.push_back(done);
  };
  compute_coverage(points, providers, w, o, run);
  EXPECT_EQ(seen, (std::vector<double>{0.4, 0.8, 1.0}));
  // A stop requested while the computation runs (here from its own progress) ends it at the next check.
  std::atomic<bool> stop{false};
  run.stop = &stop;
  run.progress = [&](std::string_view, double done) { stop.store(done >= 0.8); };
  EXPECT_THROW(compute_coverage(points, providers, w, o, run), Cancelled);
  stop.store(false);
  EXPECT_THROW(coverage_brute_force(points, providers, w, o, run), Cancelled);
}

// The statistics of a window split anywhere into consecutive windows, merged, equal those of the
// whole window: what lets a long window be computed in time chunks (skyfence.distributed). The
// workload has gaps that cross the splits and points never served in a part.
TEST(Coverage, MergedWindowsEqualTheWholeWindow) {
  const visibility::Fleet starlink(bundled("starlink_2026-04-27.tle", 200));
  const visibility::Fleet oneweb(bundled("oneweb_2026-03-26.tle", 100));
  const std::vector<Provider> providers{{"starlink", &starlink}, {"oneweb", &oneweb}};
  const auto points = lat_lon_grid(9.0);
  const time::Duration step = time::Duration::seconds(120.0);
  const std::size_t n = 13;
  CoverageOptions o;
  o.min_elevation_rad = 10.0 * kRadPerDeg;
  const CoverageResult whole = compute_coverage(points, providers, Window::of_count(kStart, step, n), o);
  std::vector<CoverageResult> parts;  // parts[k]: the window of the steps k .. k + 1 alone
  for (std::size_t k = 0; k < n; ++k) {
    parts.push_back(compute_coverage(
        points, providers, Window::of_count(kStart + step * static_cast<std::int64_t>(k), step, 1), o));
  }
  std::size_t joined_gaps = 0, unserved_parts = 0;
  for (std::size_t split = 1; split < n; ++split) {
    const CoverageResult head = compute_coverage(points, providers, Window::of_count(kStart, step, split), o);
    const CoverageResult tail = compute_coverage(
        points, providers,
        Window::of_count(kStart + step * static_cast<std::int64_t>(split), step, n - split), o);
    for (std::size_t p = 0; p <= providers.size(); ++p) {
      for (std::size_t i = 0; i < points.size(); ++i) {
        const PointStats& a = head.at(p, i);
        const PointStats& b = tail.at(p, i);
        ASSERT_EQ(merge_consecutive(a, split, b, n - split), whole.at(p, i))
            << "split " << split << " provider " << p << " point " << i;
        joined_gaps += a.trailing_gap_steps > 0 && b.leading_gap_steps > 0 ? 1 : 0;
        unserved_parts += a.steps_served == 0 ? 1 : 0;
      }
    }
  }
  // Step by step, folded left to right: every step its own window.
  for (std::size_t p = 0; p <= providers.size(); ++p) {
    for (std::size_t i = 0; i < points.size(); ++i) {
      PointStats m = parts[0].at(p, i);
      for (std::size_t k = 1; k < n; ++k) m = merge_consecutive(m, k, parts[k].at(p, i), 1);
      ASSERT_EQ(m, whole.at(p, i)) << "provider " << p << " point " << i;
    }
  }
  EXPECT_GT(joined_gaps, 0u);
  EXPECT_GT(unserved_parts, 0u);
  // An empty window leaves the other unchanged.
  EXPECT_EQ(merge_consecutive(PointStats{}, 0, whole.at(0, 3), n), whole.at(0, 3));
  EXPECT_EQ(merge_consecutive(whole.at(0, 3), n, PointStats{}, 0), whole.at(0, 3));
}

TEST(Coverage, EmptyInputs) {
  const visibility::Fleet fleet(bundled("starlink_2026-04-27.tle", 10));
  const std::vector<Provider> providers{{"starlink", &fleet}};
  const auto points = lat_lon_grid(45.0);
  const CoverageResult no_steps = compute_coverage(points, providers, Window());
  EXPECT_EQ(no_steps.steps(), 0u);
  EXPECT_EQ(no_steps.coverage_fraction(0, 0), 0.0);
  EXPECT_EQ(no_steps.mean_visible(0, 0), 0.0);
  const CoverageResult no_points =
      compute_coverage({}, providers, Window::of_count(kStart, time::Duration::seconds(60.0), 3));
  EXPECT_EQ(no_points.points(), 0u);
  const CoverageResult no_providers =
      compute_coverage(points, {}, Window::of_count(kStart, time::Duration::seconds(60.0), 3));
  EXPECT_EQ(no_providers.providers(), 0u);
  EXPECT_EQ(no_providers.at(0, 0).max_visible, 0u);
  EXPECT_EQ(no_providers.at(0, 0).gap_count, 1u);
}

TEST(Coverage, RejectsBadArguments) {
  const visibility::Fleet fleet(bundled("starlink_2026-04-27.tle", 10));
  const std::vector<Provider> ok{{"starlink", &fleet}};
  const auto points = lat_lon_grid(45.0);
  const Window w = Window::of_count(kStart, time::Duration::seconds(60.0), 3);
  CoverageOptions o;
  o.min_sats = 0;
  EXPECT_THROW(compute_coverage(points, ok, w, o), std::invalid_argument);
  o = {};
  o.min_elevation_rad = 2.0;
  EXPECT_THROW(compute_coverage(points, ok, w, o), std::invalid_argument);
  o = {};
  o.cell_deg = 0.01;
  EXPECT_THROW(compute_coverage(points, ok, w, o), std::invalid_argument);
  const std::vector<Provider> null_fleet{{"x", nullptr}};
  EXPECT_THROW(compute_coverage(points, null_fleet, w), std::invalid_argument);
  // A zero step cannot even make a window (time::Window checks it: located InputError).
  EXPECT_THROW((void)Window::of_count(kStart, time::Duration::seconds(0.0), 3), InputError);
}

}  // namespace
}  // namespace skyfence::coverage
