// RegionIndex against brute force: at every point, the regions that the index says contain it must
// be exactly those whose own S2 test (earth::Region::contains: the same point on the sphere, the
// same semi-open boundaries) contains it, with no tolerance. The index answers most points from a
// latitude/longitude grid (region_index.cpp) that is exact by construction; these points aim at
// where such a grid could go wrong: on borders (found by bisection) and 1e-9 to 1e-3 deg from them
// and from vertices, on grid lines of every power-of-two spacing from 1 to 1/64 deg and one ulp
// either side, on the antimeridian (both -pi and +pi), at and around both poles. Regions: the
// bundled countries, the test areas (one across the antimeridian) and small rings round the poles,
// across and on the antimeridian, with vertices on grid lines and one at the north pole; several
// overlap countries or each other, so points lie in up to three regions. Seeds are fixed and
// printed.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iomanip>
#include <limits>
#include <numbers>
#include <random>
#include <string>
#include <vector>

#include "../../test_seed.h"
#include "skyfence/earth/region.h"
#include "skyfence/policy/internal/region_index.h"

namespace skyfence::policy {
namespace {

// The seed of every random stream here (stream k uses seed + k): 20261127 unless SKYFENCE_TEST_SEED says.
std::uint64_t seed() {
  static const std::uint64_t s = skyfence_test::test_seed("region_index_oracle", 20261127);
  return s;
}

struct Fixture {
  std::vector<earth::Region> regions;
  std::vector<earth::LonLatDeg> vertices;  // of the small regions made here
  internal::RegionIndex index;
};

earth::Ring ring(std::vector<earth::LonLatDeg> v) {
  v.push_back(v.front());
  return v;
}

Fixture make_fixture(bool with_countries) {
  Fixture out;
  if (with_countries) {
    const auto borders = earth::CountryBorders::read_bundled(SKYFENCE_DATA_DIR);
    for (const earth::Country& c : borders.countries()) out.regions.push_back(borders.find(c.name));
  }
  const std::string areas = SKYFENCE_TEST_DATA_DIR "/policy/areas.geojson";
  out.regions.push_back(earth::read_region_file(areas, "pacific-box"));  // across the antimeridian
  out.regions.push_back(earth::read_region_file(areas, "test-range"));   // over Italy and its neighbours
  std::vector<std::pair<std::string, earth::Ring>> rings;
  earth::Ring north, south;
  for (int lon = -180; lon < 180; lon += 10) north.push_back({static_cast<double>(lon), 80.0});
  for (int lon = 180; lon > -180; lon -= 15) south.push_back({static_cast<double>(lon), -65.5});
  rings.emplace_back("north-cap", ring(north));  // round the north pole, over Greenland
  rings.emplace_back("south-cap", ring(south));  // round the south pole, over Antarctica
  // Vertices on grid lines (multiples of 1/2, 1/32 and 1/64 deg), one region inside another, and
  // long diagonal edges.
  rings.emplace_back("grid-box", ring({{10.5, 20.0}, {11.0, 20.0}, {11.0, 20.5}, {10.5, 20.5}}));
  rings.emplace_back("grid-inner", ring({{10.75, 20.25}, {10.78125, 20.25}, {10.78125, 20.28125}}));
  rings.emplace_back("grid-kite",
                     ring({{30.03125, -5.0}, {30.5, -4.03125}, {29.015625, -3.5}, {28.75, -4.5}}));
  // Across the antimeridian along a parallel, with vertices on it, and sharing an edge along it.
  rings.emplace_back("dateline-strip",
                     ring({{179.75, -30.0}, {-179.75, -30.0}, {-179.75, -29.5}, {179.75, -29.5}}));
  rings.emplace_back("on-dateline", ring({{180.0, 40.0}, {-179.5, 40.0}, {-179.5, 41.0}, {180.0, 41.0}}));
  rings.emplace_back("west-of-dateline", ring({{179.0, 40.0}, {180.0, 40.0}, {180.0, 41.0}, {179.0, 41.0}}));
  // A vertex at the north pole.
  rings.emplace_back("pole-wedge", ring({{20.0, 85.0}, {60.0, 85.0}, {0.0, 90.0}}));
  for (const auto& [name, r] : rings) {
    out.regions.push_back(earth::Region::from_rings(name, {r}, {}));
    out.vertices.insert(out.vertices.end(), r.begin(), r.end() - 1);
  }
  out.vertices.push_back({170.0, -10.0});  // pacific-box
  out.vertices.push_back({-170.0, 10.0});
  out.vertices.push_back({10.0, 40.0});  // test-range
  out.index = internal::RegionIndex(out.regions);
  return out;
}

// The bundled countries and the small regions: brute force is slow (about 80 us a point).
const Fixture& with_countries() {
  static const Fixture f = make_fixture(true);
  return f;
}

// The small regions alone: brute force is fast.
const Fixture& small_regions() {
  static const Fixture f = make_fixture(false);
  return f;
}

std::vector<std::uint32_t> brute_force(const Fixture& f, const frames::Geodetic& g) {
  std::vector<std::uint32_t> out;
  for (std::uint32_t k = 0; k < f.regions.size(); ++k) {
    if (f.regions[k].contains(g)) out.push_back(k);
  }
  return out;
}

// Compares the index with brute force at every point; counts how many the grid answered.
struct Checker {
  const Fixture& f;
  std::size_t points = 0, on_grid = 0, in_some_region = 0, in_two = 0, failures = 0;

  void check(const frames::Geodetic& g) {
    ++points;
    const std::vector<std::uint32_t> want = brute_force(f, g);
    std::uint32_t ids[16];
    const std::size_t n = f.index.containing(g, ids, 16);
    const std::vector<std::uint32_t> got(ids, ids + std::min<std::size_t>(n, 16));
    on_grid += f.index.answered_by_grid(g) ? 1 : 0;
    in_some_region += want.empty() ? 0 : 1;
    in_two += want.size() >= 2 ? 1 : 0;
    if (n == want.size() && got == want) return;
    if (++failures <= 10) {
      std::string w, o;
      for (auto k : want) w += " " + std::to_string(k);
      for (auto k : got) o += " " + std::to_string(k);
      ADD_FAILURE() << std::setprecision(17) << "at lat_rad " << g.lat_rad << ", lon_rad " << g.lon_rad
                    << " (" << g.lat_rad * 180 / std::numbers::pi << ", "
                    << g.lon_rad * 180 / std::numbers::pi << " deg): regions" << w << ", index (" << n << ")"
                    << o;
    }
  }
  void report(const char* what) const {
    std::printf(
        "%s: %zu points, %zu answered by the grid, %zu in a region, %zu in two or more, %zu failures\n", what,
        points, on_grid, in_some_region, in_two, failures);
  }
};

frames::Geodetic radians(double lat, double lon) {
  return frames::Geodetic{lat, lon, 0.0};
}

// Also one ulp either side in each coordinate, where that stays in range.
void check_with_neighbours(Checker& c, const frames::Geodetic& g) {
  c.check(g);
  for (double lat : {std::nextafter(g.lat_rad, -10.0), std::nextafter(g.lat_rad, 10.0)}) {
    if (std::abs(lat) <= std::numbers::pi / 2) c.check(radians(lat, g.lon_rad));
  }
  for (double lon : {std::nextafter(g.lon_rad, -10.0), std::nextafter(g.lon_rad, 10.0)}) {
    if (std::abs(lon) <= std::numbers::pi) c.check(radians(g.lat_rad, lon));
  }
}

double uniform_lat_deg(std::mt19937_64& rng) {
  return std::asin(std::uniform_real_distribution<double>(-1.0, 1.0)(rng)) * 180 / std::numbers::pi;
}

void check_uniform(const Fixture& f, int points) {
  std::mt19937_64 rng(seed());
  std::uniform_real_distribution<double> lon(-180.0, 180.0);
  Checker c{f};
  for (int i = 0; i < points; ++i) c.check(frames::Geodetic::degrees(uniform_lat_deg(rng), lon(rng)));
  c.report("uniform");
  EXPECT_EQ(c.failures, 0u);
  EXPECT_GT(c.in_some_region, c.points / 50);
}

// Points on borders found by bisection between nearby points in different regions, then points at
// 1e-9 to 1e-3 deg from them in every direction, and on the grid lines through them.
void check_next_to_borders(const Fixture& f, std::size_t border_points) {
  std::mt19937_64 rng(seed() + 1);
  std::uniform_real_distribution<double> unit(0.0, 1.0), step(-1.0, 1.0);
  Checker c{f};
  std::size_t borders = 0;
  while (borders < border_points) {
    const double lat_a = uniform_lat_deg(rng), lon_a = 360 * unit(rng) - 180;
    const double lat_b = std::clamp(lat_a + step(rng), -90.0, 90.0), lon_b = lon_a + step(rng);
    // The index only picks the pairs (quickly); the bisection and the checks use brute force.
    std::uint32_t in_a[16], in_b[16];
    const std::size_t n_a = f.index.containing(frames::Geodetic::degrees(lat_a, lon_a), in_a, 16);
    const std::size_t n_b = f.index.containing(frames::Geodetic::degrees(lat_b, lon_b), in_b, 16);
    if (std::vector<std::uint32_t>(in_a, in_a + n_a) == std::vector<std::uint32_t>(in_b, in_b + n_b))
      continue;
    // A region that contains one end and not the other: bisect on it alone.
    std::uint32_t k = 0;
    for (std::uint32_t r = 0; r < f.regions.size(); ++r) {
      if (std::count(in_a, in_a + n_a, r) != std::count(in_b, in_b + n_b, r)) k = r;
    }
    if (f.regions[k].contains(frames::Geodetic::degrees(lat_a, lon_a)) ==
        f.regions[k].contains(frames::Geodetic::degrees(lat_b, lon_b))) {
      ADD_FAILURE() << "the index is wrong at one of " << lat_a << "," << lon_a << " and " << lat_b << ","
                    << lon_b;
      continue;
    }
    const bool a_inside = f.regions[k].contains(frames::Geodetic::degrees(lat_a, lon_a));
    double t0 = 0, t1 = 1;
    for (int it = 0; it < 60; ++it) {
      const double t = 0.5 * (t0 + t1);
      const auto g = frames::Geodetic::degrees(lat_a + t * (lat_b - lat_a), lon_a + t * (lon_b - lon_a));
      (f.regions[k].contains(g) == a_inside ? t0 : t1) = t;
    }
    ++borders;
    const double lat = lat_a + t0 * (lat_b - lat_a), lon = lon_a + t0 * (lon_b - lon_a);
    c.check(frames::Geodetic::degrees(lat, lon));
    c.check(frames::Geodetic::degrees(lat_a + t1 * (lat_b - lat_a), lon_a + t1 * (lon_b - lon_a)));
    for (int e = 3; e <= 9; ++e) {
      const double r = std::pow(10.0, -e), angle = 2 * std::numbers::pi * unit(rng);
      const double lat_x = std::clamp(lat + r * std::sin(angle), -90.0, 90.0);
      c.check(frames::Geodetic::degrees(lat_x, lon + r * std::cos(angle)));
    }
    // The nearest grid lines of 1/32 and 1/2 deg through the border point.
    for (double spacing : {1.0 / 32, 0.5}) {
      check_with_neighbours(c, frames::Geodetic::degrees(std::round(lat / spacing) * spacing, lon));
      check_with_neighbours(c, frames::Geodetic::degrees(lat, std::round(lon / spacing) * spacing));
    }
  }
  c.report("next to borders");
  EXPECT_EQ(c.failures, 0u);
  // Both ways of answering were exercised.
  EXPECT_GT(c.on_grid, 0u);
  EXPECT_LT(c.on_grid, c.points);
}

TEST(RegionIndexOracle, NextToVertices) {
  std::mt19937_64 rng(seed() + 2);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  Checker c{small_regions()};
  for (const earth::LonLatDeg& v : small_regions().vertices) {
    check_with_neighbours(c, frames::Geodetic::degrees(v.lat_deg, v.lon_deg));
    for (int e = 3; e <= 9; ++e) {
      for (int d = 0; d < 16; ++d) {
        const double r = std::pow(10.0, -e) * (0.5 + unit(rng)),
                     angle = 2 * std::numbers::pi * (d + unit(rng)) / 16;
        const double lat = v.lat_deg + r * std::sin(angle);
        if (std::abs(lat) <= 90) c.check(frames::Geodetic::degrees(lat, v.lon_deg + r * std::cos(angle)));
      }
    }
  }
  c.report("next to vertices");
  EXPECT_EQ(c.failures, 0u);
}

// Latitudes and longitudes on multiples of 2^-k deg, k = 0..6 (every grid line of such a grid),
// as degrees and as radians, and one ulp either side; the small regions have vertices on them.
TEST(RegionIndexOracle, OnGridLines) {
  std::mt19937_64 rng(seed() + 3);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  Checker c{small_regions()};
  for (int k = 0; k <= 6; ++k) {
    const double spacing = std::ldexp(1.0, -k);
    const auto rows = static_cast<int>(180 / spacing), cols = static_cast<int>(360 / spacing);
    std::uniform_int_distribution<int> row(0, rows), col(0, cols);
    for (int i = 0; i < 300; ++i) {
      const int r = row(rng), q = col(rng);
      const double lat = r * spacing - 90, lon = q * spacing - 180;
      check_with_neighbours(c, frames::Geodetic::degrees(lat, lon));
      check_with_neighbours(c, frames::Geodetic::degrees(lat, 360 * unit(rng) - 180));
      check_with_neighbours(c, frames::Geodetic::degrees(uniform_lat_deg(rng), lon));
      const double step_rad = spacing * std::numbers::pi / 180, lat_rad = r * step_rad - std::numbers::pi / 2,
                   lon_rad = q * step_rad - std::numbers::pi;
      if (std::abs(lat_rad) <= std::numbers::pi / 2 && std::abs(lon_rad) <= std::numbers::pi)
        check_with_neighbours(c, radians(lat_rad, lon_rad));
    }
  }
  c.report("on grid lines");
  EXPECT_EQ(c.failures, 0u);
}

void check_antimeridian_and_poles(const Fixture& f, int random_points) {
  std::mt19937_64 rng(seed() + 4);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  Checker c{f};
  // On the antimeridian (-pi and +pi as given, and as Geodetic::degrees makes them) and beside it,
  // at random latitudes and along the edges of the regions that cross it.
  std::vector<double> lats;
  for (int i = 0; i < random_points; ++i) lats.push_back(uniform_lat_deg(rng));
  for (double lat : {-30.0, -29.5, -10.0, 10.0, 40.0, 41.0, -65.5, 80.0, 90.0, -90.0}) {
    for (int e = 3; e <= 12; ++e) {
      lats.push_back(lat + std::pow(10.0, -e));
      lats.push_back(lat - std::pow(10.0, -e));
    }
    lats.push_back(lat);
  }
  for (double lat : lats) {
    if (std::abs(lat) > 90) continue;
    check_with_neighbours(c, radians(lat * std::numbers::pi / 180, std::numbers::pi));
    check_with_neighbours(c, radians(lat * std::numbers::pi / 180, -std::numbers::pi));
    c.check(frames::Geodetic::degrees(lat, -180.0));
    for (int e = 1; e <= 12; ++e) {
      c.check(frames::Geodetic::degrees(lat, 180 - std::pow(10.0, -e)));
      c.check(frames::Geodetic::degrees(lat, -180 + std::pow(10.0, -e)));
    }
  }
  // At and around both poles, at random longitudes and at 0 and +-180.
  for (double pole : {90.0, -90.0}) {
    for (int i = 0; i < random_points; ++i) {
      const double lon = 360 * unit(rng) - 180;
      check_with_neighbours(c, frames::Geodetic::degrees(pole, lon));
      for (int e = 1; e <= 12; ++e)
        c.check(frames::Geodetic::degrees(pole - std::copysign(std::pow(10.0, -e), pole), lon));
    }
    for (double lon : {0.0, 180.0, -180.0, 20.0, 60.0})
      check_with_neighbours(c, frames::Geodetic::degrees(pole, lon));
    check_with_neighbours(c, radians(std::copysign(std::numbers::pi / 2, pole), -std::numbers::pi));
  }
  c.report("antimeridian and poles");
  EXPECT_EQ(c.failures, 0u);
}

TEST(RegionIndexOracle, SmallRegions) {
  check_uniform(small_regions(), 20000);
  check_next_to_borders(small_regions(), 2000);
  check_antimeridian_and_poles(small_regions(), 400);
}

// One test, as the countries take a while to load (and brute force over them about 80 us a point).
TEST(RegionIndexOracle, CountriesAndSmallRegions) {
  check_uniform(with_countries(), 5000);
  check_next_to_borders(with_countries(), 300);
  check_antimeridian_and_poles(with_countries(), 30);
}

// With room for fewer ids than regions: the count is still the number of regions, the ids the
// first ones.
TEST(RegionIndexOracle, CapacitySmallerThanTheSet) {
  const Fixture& f = small_regions();
  std::size_t tried = 0;
  const std::pair<double, double> places[] = {{20.26, 10.77}, {86.0, 40.0}, {87.0, 30.0}, {-80.0, 30.0}};
  for (const auto& [lat, lon] : places) {
    const auto g = frames::Geodetic::degrees(lat, lon);
    const auto want = brute_force(f, g);
    if (want.size() < 2) continue;
    ++tried;
    std::uint32_t one = 0xFFFFFFFFu;
    EXPECT_EQ(f.index.containing(g, &one, 1), want.size()) << lat << "," << lon;
    EXPECT_EQ(one, want.front()) << lat << "," << lon;
    EXPECT_EQ(f.index.containing(g, nullptr, 0), want.size()) << lat << "," << lon;
  }
  EXPECT_GE(tried, 2u);
}

TEST(RegionIndexOracle, OddInputTakesTheExactQuery) {
  const Fixture& f = small_regions();
  const double nan = std::numeric_limits<double>::quiet_NaN();
  for (const auto& g : {radians(nan, 0.0), radians(0.0, nan), radians(1.6, 0.0), radians(0.2, 3.5),
                        radians(0.2, -4.0), radians(0.0, std::numeric_limits<double>::infinity())}) {
    EXPECT_FALSE(f.index.answered_by_grid(g)) << g.lat_rad << "," << g.lon_rad;
  }
  const internal::RegionIndex empty;
  std::uint32_t id = 7;
  EXPECT_EQ(empty.containing(frames::Geodetic::degrees(10, 10), &id, 1), 0u);
  EXPECT_EQ(id, 7u);
  EXPECT_EQ(empty.stats().cells, 0u);
  const internal::RegionIndex none(std::vector<earth::Region>{});
  EXPECT_EQ(none.containing(frames::Geodetic::degrees(10, 10), &id, 1), 0u);
}

// The figures quoted in region_index.cpp and region_index.h for the bundled countries.
TEST(RegionIndexOracle, GridFiguresForTheCountries) {
  const auto borders = earth::CountryBorders::read_bundled(SKYFENCE_DATA_DIR);
  std::vector<earth::Region> regions;
  for (const earth::Country& c : borders.countries()) regions.push_back(borders.find(c.name));
  const internal::RegionIndex index(regions);
  const auto s = index.stats();
  std::mt19937_64 rng(seed() + 5);
  std::uniform_real_distribution<double> lon(-180.0, 180.0);
  std::size_t exact = 0;
  constexpr int kPoints = 200000;
  for (int i = 0; i < kPoints; ++i) {
    exact += index.answered_by_grid(frames::Geodetic::degrees(uniform_lat_deg(rng), lon(rng))) ? 0 : 1;
  }
  const double share = static_cast<double>(exact) / kPoints;
  std::printf(
      "grid: %zu cells, %zu marked (%.1f%%), %zu of their %zu subcells take the exact query, %zu sets, "
      "%.1f MB; %.2f%% of uniform points take the exact query\n",
      s.cells, s.marked_cells, 100.0 * static_cast<double>(s.marked_cells) / static_cast<double>(s.cells),
      s.exact_subcells, s.subcells, s.sets, static_cast<double>(s.bytes) / 1e6, 100 * share);
  EXPECT_EQ(s.cells, 259200u);
  EXPECT_LT(s.marked_cells, s.cells / 10);
  EXPECT_LT(s.bytes, 16u << 20);
  EXPECT_LT(share, 0.015);
  EXPECT_GT(s.sets, 200u);  // about one per country, and the empty set
}

}  // namespace
}  // namespace skyfence::policy
