// skyfence locate: observations of which satellite served a terminal bound where it is. The true
// position is always inside the consistent set (property, many seeds); refinement finds the same cells
// as testing every cell alone (oracle); every point meeting the observations exactly lies in a kept
// cell (oracle on a fine grid of points); the readers' located errors.
#include "skyfence/detection/locate.h"
#include "../../test_seed.h"
#include "skyfence/core/units.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "../../test_seed.h"
#include "skyfence/core/error.h"
#include "skyfence/detection/observations.h"
#include "skyfence/earth/grid.h"
#include "skyfence/orbits/tle.h"
#include "skyfence/time/scales.h"

namespace skyfence::detection {
namespace {

// Under AddressSanitizer (make test-asan) the heaviest cases are smaller: the same checks on every fourth
// satellite of the snapshot, fewer random places and coarser grids, so the sanitizer build sees every code
// path at a small part of the cost.
using skyfence_test::kSanitized;

const visibility::Fleet& starlink() {
  static const visibility::Fleet fleet([] {
    std::vector<orbits::ElementSet> sets =
        orbits::read_tle_file(std::string(SKYFENCE_DATA_DIR) + "/tle/starlink_2026-04-27.tle").sets;
    if (!kSanitized) return sets;
    std::vector<orbits::ElementSet> every_fourth;
    for (std::size_t i = 0; i < sets.size(); i += 4) every_fourth.push_back(sets[i]);
    return every_fourth;
  }());
  return fleet;
}

earth::Region square(double lat, double lon, double half_deg) {
  const earth::Ring ring{{lon - half_deg, lat - half_deg},
                         {lon + half_deg, lat - half_deg},
                         {lon + half_deg, lat + half_deg},
                         {lon - half_deg, lat + half_deg},
                         {lon - half_deg, lat - half_deg}};
  return earth::Region::from_rings("square", {ring}, SourceLocation{});
}

bool holds(const Location& loc, const frames::Geodetic& p, int level) {
  const std::uint64_t id = earth::cell_containing(p, level);
  return std::any_of(loc.cells.begin(), loc.cells.end(), [&](const LocatedCell& c) { return c.id == id; });
}

TEST(Locate, TheTruePositionIsAlwaysInTheConsistentSet) {
  const std::uint64_t seed = skyfence_test::test_seed("locate truth", 20261202);
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> lat(-55.0, 55.0), lon(-180.0, 180.0), minutes(0.0, 1440.0);
  const time::Instant t0 = time::parse_iso8601("2026-04-27T00:00:00Z");
  int located_somewhere = 0;
  for (int trial = 0; trial < (kSanitized ? 4 : 12); ++trial) {
    const frames::Geodetic truth = frames::Geodetic::degrees(lat(rng), lon(rng), 0.0);
    const time::Instant start = t0 + time::Duration::seconds(60.0 * minutes(rng));
    const std::vector<Observation> obs =
        simulate_observations(starlink(), truth, start, 20, time::Duration::seconds(15));
    if (obs.empty()) continue;
    for (Rule rule : {Rule::visible, Rule::top_k}) {
      LocateOptions o;
      o.rule = rule;
      // The visible rule keeps a footprint-wide area: coarser cells keep the test quick.
      o.level = rule == Rule::visible ? 8 : 11;
      const Location loc = locate(starlink(), obs, Prior{}, o);
      EXPECT_EQ(misses_at(starlink(), obs, std::span(&truth, 1), o)[0], 0u)
          << "seed " << seed << " trial " << trial;
      EXPECT_TRUE(holds(loc, truth, o.level)) << "seed " << seed << " trial " << trial;
      ASSERT_TRUE(loc.estimate.has_value());
      ++located_somewhere;
    }
  }
  EXPECT_GT(located_somewhere, kSanitized ? 4 : 10);  // two rules per place with observations
}

// The visible rule keeps a region about a footprint wide, the top-1 rule a few cells: each is checked
// on a square a few times wider than what it keeps.
struct Case {
  Rule rule;
  double half_deg;  // of the prior square
  int level;
  double grid_deg;  // spacing of the exact points
};
constexpr Case kCases[] = {{Rule::visible, kSanitized ? 10.0 : 14.0, 8, kSanitized ? 0.8 : 0.4},
                           {Rule::top_k, 0.5, 12, kSanitized ? 0.04 : 0.02}};

TEST(Locate, RefinementFindsTheCellsOfTestingEachCellAlone) {
  const frames::Geodetic truth = frames::Geodetic::degrees(49.0, 31.5, 0.0);
  const time::Instant start = time::parse_iso8601("2026-04-27T06:00:00Z");
  const std::vector<Observation> obs =
      simulate_observations(starlink(), truth, start, 40, time::Duration::seconds(15));
  ASSERT_GE(obs.size(), 20u);
  for (const Case& c : kCases) {
    const Prior prior{square(49.0, 31.5, c.half_deg)};
    for (std::size_t outliers : {0u, 2u}) {
      LocateOptions o;
      o.rule = c.rule;
      o.level = c.level;
      o.max_outliers = outliers;
      const Location fast = locate(starlink(), obs, prior, o, {.threads = 2});
      const Location flat = locate_flat(starlink(), obs, prior, o);
      ASSERT_EQ(fast.cells.size(), flat.cells.size());
      for (std::size_t i = 0; i < fast.cells.size(); ++i) {
        EXPECT_EQ(fast.cells[i].id, flat.cells[i].id);
        EXPECT_EQ(fast.cells[i].misses, flat.cells[i].misses);
      }
      EXPECT_GT(fast.cells.size(), 0u);
      EXPECT_LT(fast.cells.size() * 2, flat.cells_tested);  // the prior is wider than the answer
      EXPECT_LT(fast.cells_tested, flat.cells_tested);      // refinement skips cells
      EXPECT_EQ(locate(starlink(), obs, prior, o, {.threads = 1}).cells.size(), fast.cells.size());
    }
  }
}

TEST(Locate, EveryExactlyConsistentPointLiesInAKeptCell) {
  const frames::Geodetic truth = frames::Geodetic::degrees(48.2, 37.6, 0.0);
  const time::Instant start = time::parse_iso8601("2026-04-27T18:30:00Z");
  const std::vector<Observation> obs =
      simulate_observations(starlink(), truth, start, 40, time::Duration::seconds(15));
  ASSERT_GE(obs.size(), 20u);
  for (const Case& c : kCases) {
    const Prior prior{square(48.2, 37.6, c.half_deg)};
    LocateOptions o;
    o.rule = c.rule;
    o.level = c.level;
    const Location loc = locate(starlink(), obs, prior, o);
    std::set<std::uint64_t> kept;
    for (const LocatedCell& cell : loc.cells) kept.insert(cell.id);
    std::vector<frames::Geodetic> points;
    for (double lat = 48.2 - c.half_deg; lat <= 48.2 + c.half_deg; lat += c.grid_deg) {
      for (double lon = 37.6 - c.half_deg; lon <= 37.6 + c.half_deg; lon += c.grid_deg)
        points.push_back(frames::Geodetic::degrees(lat, lon, 0.0));
    }
    const std::vector<std::size_t> misses = misses_at(starlink(), obs, points, o);
    const int tested = static_cast<int>(points.size());
    int consistent = 0;
    for (std::size_t i = 0; i < points.size(); ++i) {
      if (misses[i] != 0) continue;
      ++consistent;
      EXPECT_TRUE(kept.count(earth::cell_containing(points[i], o.level)))
          << points[i].lat_rad / kRadPerDeg << " " << points[i].lon_rad / kRadPerDeg;
    }
    // The points see both sides of the boundary, and the kept area is the consistent points' share of
    // the square plus a band along its boundary (cells there are kept whole, and the cell test is
    // conservative by up to about a cell's width: top-1 sets of a few hundred km^2 keep about 3x).
    EXPECT_GT(consistent, 0);
    EXPECT_LT(consistent, tested / 2);
    const double consistent_area = prior.region->area_km2() * consistent / tested;
    EXPECT_LT(loc.area_km2, 4.0 * consistent_area) << "rule " << static_cast<int>(c.rule);
    EXPECT_GT(loc.area_km2, 0.8 * consistent_area) << "rule " << static_cast<int>(c.rule);
  }
}

TEST(Locate, MoreObservationsNeverGrowTheSetAndTopKIsTighter) {
  const frames::Geodetic truth = frames::Geodetic::degrees(50.45, 30.52, 0.0);
  const time::Instant start = time::parse_iso8601("2026-04-27T12:00:00Z");
  const std::vector<Observation> obs =
      simulate_observations(starlink(), truth, start, 20, time::Duration::seconds(15));
  ASSERT_GE(obs.size(), 10u);
  LocateOptions o;
  o.level = 11;
  const Location five = locate(starlink(), std::span(obs).first(5), Prior{}, o);
  const Location all = locate(starlink(), obs, Prior{}, o);
  EXPECT_LE(all.area_km2, five.area_km2);
  o.rule = Rule::top_k;
  const Location top = locate(starlink(), obs, Prior{}, o);
  EXPECT_LE(top.area_km2, all.area_km2);
  ASSERT_TRUE(top.estimate.has_value());
  // The estimate lies within the reported radius of the truth.
  const auto unit = [](const frames::Geodetic& g) {
    return frames::Vec3{std::cos(g.lat_rad) * std::cos(g.lon_rad), std::cos(g.lat_rad) * std::sin(g.lon_rad),
                        std::sin(g.lat_rad)};
  };
  const double km =
      std::acos(std::clamp(unit(*top.estimate).dot(unit(truth)), -1.0, 1.0)) * earth::kEarthMeanRadiusKm;
  EXPECT_LE(km, top.radius_km);
}

TEST(Locate, UnusableObservationsAreListedAndWrongOnesToleratedAsOutliers) {
  const frames::Geodetic truth = frames::Geodetic::degrees(50.45, 30.52, 0.0);
  const time::Instant start = time::parse_iso8601("2026-04-27T12:00:00Z");
  std::vector<Observation> obs =
      simulate_observations(starlink(), truth, start, 10, time::Duration::seconds(15));
  ASSERT_GE(obs.size(), 5u);
  obs.push_back({start, 99999999, 99});  // not in the catalog
  // A satellite on the other side of the Earth served the terminal: nowhere meets every observation.
  const frames::Geodetic antipode = frames::Geodetic::degrees(-50.45, 30.52 - 180.0, 0.0);
  obs.push_back(simulate_observations(starlink(), antipode, start, 1, time::Duration::seconds(15)).at(0));
  LocateOptions o;
  o.level = 9;
  const Location strict = locate(starlink(), obs, Prior{}, o);
  ASSERT_EQ(strict.unused.size(), 1u);
  EXPECT_EQ(strict.unused[0].reason, "satellite not in the catalog");
  EXPECT_EQ(strict.observations_used, obs.size() - 1);
  EXPECT_TRUE(strict.cells.empty());
  EXPECT_FALSE(strict.estimate.has_value());
  o.max_outliers = 1;
  const Location tolerant = locate(starlink(), obs, Prior{}, o);
  EXPECT_TRUE(holds(tolerant, truth, o.level));
}

TEST(Locate, RequirementsAndStop) {
  const std::vector<Observation> obs{{time::parse_iso8601("2026-04-27T12:00:00Z"), 44713, 2}};
  EXPECT_THROW(locate(starlink(), obs, Prior{}, {.k = 0}), std::invalid_argument);
  EXPECT_THROW(locate(starlink(), obs, Prior{}, {.level = 0}), std::invalid_argument);
  EXPECT_THROW(locate(starlink(), obs, Prior{}, {.level = 21}), std::invalid_argument);
  EXPECT_THROW(locate(starlink(), obs, Prior{}, {.min_elevation_rad = 2.0}), std::invalid_argument);
  EXPECT_THROW(locate_flat(starlink(), obs, Prior{}, {}), std::invalid_argument);
  const std::atomic<bool> stop{true};
  EXPECT_THROW(locate(starlink(), obs, Prior{}, {.level = 8}, {.stop = &stop}), Cancelled);
}

TEST(Observations, ReadsTerminalsInOrderAndSortsByTime) {
  const auto t = parse_observations(
      "terminal_id,time_utc,norad_id\nB,2026-04-27T00:00:30Z,2\nA,2026-04-27T00:00:15Z,1\n\n"
      "B,2026-04-27T00:00:00Z,3\n",
      "obs.csv");
  ASSERT_EQ(t.size(), 2u);
  EXPECT_EQ(t[0].id, "B");
  ASSERT_EQ(t[0].observations.size(), 2u);
  EXPECT_EQ(t[0].observations[0].norad_id, 3u);
  EXPECT_EQ(t[0].observations[0].line, 5);
  EXPECT_EQ(t[1].id, "A");
  const auto one = parse_observations("time_utc,norad_id\n2026-04-27T00:00:00Z,44713\n", "obs.csv");
  ASSERT_EQ(one.size(), 1u);
  EXPECT_EQ(one[0].id, "terminal");
}

TEST(Observations, EveryBadRowIsLocated) {
  const auto message = [](const std::string& text) -> std::string {
    try {
      parse_observations(text, "obs.csv");
    } catch (const InputError& e) {
      return e.what();
    }
    return "no error";
  };
  EXPECT_EQ(message(""), "obs.csv: expected a header line, found an empty file");
  EXPECT_EQ(
      message("time_utc,norad\n"),
      "obs.csv:1: header: unknown column \"norad\": expected time_utc, norad_id and optionally terminal_id");
  EXPECT_EQ(message("time_utc\n"),
            "obs.csv:1: header: expected the columns time_utc and norad_id (and optionally terminal_id)");
  EXPECT_EQ(message("time_utc,norad_id,norad_id\n"), "obs.csv:1: header: column \"norad_id\" appears twice");
  EXPECT_EQ(message("time_utc,norad_id\n"), "obs.csv: expected at least one observation, found none");
  EXPECT_EQ(message("time_utc,norad_id\n2026-04-27T00:00:00Z,0\n"),
            "obs.csv:2: norad_id: expected a catalog number from 1 to 999999999, found \"0\"");
  EXPECT_EQ(message("time_utc,norad_id\n2026-04-27T00:00:00Z,12x\n"),
            "obs.csv:2: norad_id: expected a catalog number from 1 to 999999999, found \"12x\"");
  EXPECT_EQ(message("time_utc,norad_id\n2026-04-27T00:00:00Z\n"),
            "obs.csv:2: expected 2 fields as the header has, found 1");
  EXPECT_EQ(message("terminal_id,time_utc,norad_id\n,2026-04-27T00:00:00Z,1\n"),
            "obs.csv:2: terminal_id: expected a terminal id, found an empty value");
  EXPECT_NE(message("time_utc,norad_id\nyesterday,1\n").find("obs.csv:2: time_utc: "), std::string::npos);
  // Every bad row at once.
  try {
    parse_observations("time_utc,norad_id\nx,1\n2026-04-27T00:00:00Z,y\n2026-04-27T00:00:00Z,5\n", "obs.csv");
    FAIL();
  } catch (const InputErrors& e) {
    ASSERT_EQ(e.issues().size(), 2u);
    EXPECT_EQ(e.issues()[0].where().line, 2);
    EXPECT_EQ(e.issues()[1].where().line, 3);
  }
}

}  // namespace
}  // namespace skyfence::detection
