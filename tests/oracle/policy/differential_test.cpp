// Country membership against an independent implementation: 100,000 seeded points (uniform, near
// borders, near the antimeridian and the poles) decided by python3-shapely on the same Natural
// Earth borders (scripts/reference/policy/borders_shapely.py, which writes the fixture). The index
// over every country must agree except within 1 m of a border (the fixture's coordinates are
// rounded to 0.1 m) and, for the great-circle edges of the densified rings, within 10 m (at most
// 7.6 m from the lon/lat line, region.h).
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "skyfence/earth/region.h"
#include "skyfence/policy/internal/region_index.h"

namespace skyfence::policy {
namespace {

struct RefPoint {
  double lat_deg, lon_deg;
  std::set<std::uint32_t> countries;
  double border_m;  // upper bound; 1e9 when "far"
};

std::vector<RefPoint> read_reference() {
  std::ifstream in(SKYFENCE_TEST_DATA_DIR "/policy/borders_reference.csv");
  std::vector<RefPoint> out;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#' || line[0] == 'l') continue;
    std::stringstream s(line);
    std::string lat, lon, c, b;
    std::getline(s, lat, ',');
    std::getline(s, lon, ',');
    std::getline(s, c, ',');
    std::getline(s, b, ',');
    RefPoint p{std::stod(lat), std::stod(lon), {}, b == "far" ? 1e9 : std::stod(b)};
    if (c != "-1") {
      std::stringstream cs(c);
      std::string one;
      while (std::getline(cs, one, '|')) p.countries.insert(static_cast<std::uint32_t>(std::stoul(one)));
    }
    out.push_back(std::move(p));
  }
  return out;
}

TEST(DifferentialTest, CountryMembershipAgreesWithShapely) {
  const auto ref = read_reference();
  ASSERT_GE(ref.size(), 100000u);
  const auto borders = earth::CountryBorders::read_bundled(SKYFENCE_DATA_DIR);
  std::vector<earth::Region> regions;
  for (const earth::Country& c : borders.countries()) regions.push_back(borders.find(c.name));
  ASSERT_EQ(regions.size(), 241u);
  const internal::RegionIndex index(regions);
  std::size_t disagree = 0, within_1m = 0, within_10m = 0, far = 0, near_border = 0, pole_cap = 0;
  std::uint32_t ids[8];
  for (const RefPoint& p : ref) {
    if (p.border_m < 1e9) ++near_border;
    const std::size_t n = index.containing(frames::Geodetic::degrees(p.lat_deg, p.lon_deg), ids, 8);
    const std::set<std::uint32_t> got(ids, ids + std::min<std::size_t>(n, 8));
    if (got == p.countries) continue;
    ++disagree;
    if (p.lat_deg <= -89.999) {
      // The borders stop at 89.999 S (the TopoJSON's extent): in lon/lat the last 112 m round the
      // pole lie outside Antarctica; on the sphere the ring along that parallel encloses the pole, and
      // the pole is Antarctica's, as in geography.
      ++pole_cap;
      EXPECT_EQ(got, std::set<std::uint32_t>{239}) << p.lat_deg << "," << p.lon_deg;  // Antarctica
    } else if (p.border_m < 1.0) {
      ++within_1m;
    } else if (p.border_m < 10.0) {
      ++within_10m;
    } else {
      ++far;
      if (far <= 10) {
        ADD_FAILURE() << "disagreement at " << p.lat_deg << "," << p.lon_deg << " (border " << p.border_m
                      << " m): reference "
                      << (p.countries.empty() ? -1 : static_cast<int>(*p.countries.begin())) << ", index "
                      << (got.empty() ? -1 : static_cast<int>(*got.begin()));
      }
    }
  }
  std::printf(
      "differential: %zu points (%zu within 200 m of a border), %zu disagreements: %zu within 1 m "
      "(excluded), %zu within 1-10 m (densification), %zu south of 89.999 S (pole cap), %zu beyond 10 m\n",
      ref.size(), near_border, disagree, within_1m, within_10m, pole_cap, far);
  EXPECT_EQ(far, 0u);
  EXPECT_LE(within_10m, ref.size() / 1000);
}

TEST(DifferentialTest, IndexAgreesWithEachRegion) {
  // The one index over all countries gives the same answers as each Region on its own.
  const auto ref = read_reference();
  const auto borders = earth::CountryBorders::read_bundled(SKYFENCE_DATA_DIR);
  std::vector<earth::Region> regions;
  for (const earth::Country& c : borders.countries()) regions.push_back(borders.find(c.name));
  const internal::RegionIndex index(regions);
  std::uint32_t ids[8];
  for (std::size_t i = 0; i < ref.size(); i += 10) {
    const auto g = frames::Geodetic::degrees(ref[i].lat_deg, ref[i].lon_deg);
    const std::size_t n = index.containing(g, ids, 8);
    std::set<std::uint32_t> got(ids, ids + std::min<std::size_t>(n, 8)), want;
    for (std::uint32_t k = 0; k < regions.size(); ++k) {
      if (regions[k].contains(g)) want.insert(k);
    }
    ASSERT_EQ(got, want) << ref[i].lat_deg << "," << ref[i].lon_deg;
  }
}

}  // namespace
}  // namespace skyfence::policy
