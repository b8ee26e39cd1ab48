// Tests of lonlat_parts: rings cut at the antimeridian and closed along a pole, checked by planar
// areas (which cutting must keep) and by the S2 grids, whose cells drawn in lon/lat must tile the
// whole plane.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "skyfence/earth/grid.h"
#include "skyfence/earth/lonlat_polygon.h"

namespace skyfence::earth {
namespace {

// Shoelace area in the lon/lat plane, square degrees (positive for counter-clockwise rings).
double planar_area(const Ring& r) {
  double a = 0.0;
  for (std::size_t i = 0; i + 1 < r.size(); ++i)
    a += r[i].lon_deg * r[i + 1].lat_deg - r[i + 1].lon_deg * r[i].lat_deg;
  return a / 2.0;
}

double total_area(const std::vector<Ring>& parts) {
  double a = 0.0;
  for (const Ring& r : parts) a += std::abs(planar_area(r));
  return a;
}

void expect_in_range(const std::vector<Ring>& parts) {
  for (const Ring& r : parts) {
    ASSERT_GE(r.size(), 4u);
    EXPECT_EQ(r.front().lon_deg, r.back().lon_deg);
    EXPECT_EQ(r.front().lat_deg, r.back().lat_deg);
    for (const LonLatDeg& p : r) {
      EXPECT_GE(p.lon_deg, -180.0);
      EXPECT_LE(p.lon_deg, 180.0);
      EXPECT_GE(p.lat_deg, -90.0);
      EXPECT_LE(p.lat_deg, 90.0);
    }
  }
}

TEST(LonLatParts, OrdinaryRingIsKept) {
  const Ring r{{10, 10}, {20, 10}, {20, 20}, {10, 20}, {10, 10}};
  const auto parts = lonlat_parts(r);
  ASSERT_EQ(parts.size(), 1u);
  EXPECT_EQ(parts[0].size(), r.size());
  EXPECT_DOUBLE_EQ(total_area(parts), 100.0);
}

TEST(LonLatParts, AntimeridianRingIsCutInTwo) {
  const Ring r{{178, -5}, {-178, -5}, {-178, 5}, {178, 5}, {178, -5}};
  const auto parts = lonlat_parts(r);
  ASSERT_EQ(parts.size(), 2u);
  expect_in_range(parts);
  EXPECT_NEAR(std::abs(planar_area(parts[0])), 20.0, 1e-9);
  EXPECT_NEAR(std::abs(planar_area(parts[1])), 20.0, 1e-9);
  // The same ring given with +182 instead of -178.
  const Ring unwrapped{{178, -5}, {182, -5}, {182, 5}, {178, 5}, {178, -5}};
  EXPECT_NEAR(total_area(lonlat_parts(unwrapped)), 40.0, 1e-9);
}

TEST(LonLatParts, RingAroundAPoleIsClosedAlongIt) {
  for (double sign : {1.0, -1.0}) {
    const Ring r{{0, 80 * sign}, {90, 80 * sign}, {180, 80 * sign}, {-90, 80 * sign}, {0, 80 * sign}};
    const auto parts = lonlat_parts(r);
    expect_in_range(parts);
    EXPECT_NEAR(total_area(parts), 3600.0, 1e-9) << sign;
    Ring reversed(r.rbegin(), r.rend());
    EXPECT_NEAR(total_area(lonlat_parts(reversed)), 3600.0, 1e-9) << sign;
    for (const Ring& part : lonlat_parts(reversed)) EXPECT_GT(planar_area(part), 0.0) << sign;
  }
}

TEST(LonLatParts, PoleVertexTakesItsNeighboursLongitudes) {
  const Ring r{{10, 80}, {100, 80}, {0, 90}, {10, 80}};
  const auto parts = lonlat_parts(r);
  ASSERT_EQ(parts.size(), 1u);
  EXPECT_NEAR(total_area(parts), 900.0, 1e-9);
}

// Cells of a grid share their edges, so drawn in lon/lat (cut and closed) they tile the plane:
// their planar areas sum to 360 x 180 square degrees. Level 0 has face cells around the poles;
// level 1 and up have cells with a vertex at a pole and cells across the antimeridian.
TEST(LonLatParts, GridCellsTileThePlane) {
  for (int level : {0, 1, 3}) {
    double sum = 0.0;
    for (const Cell& c : global_grid(level).cells) {
      Ring ring(c.vertices.begin(), c.vertices.end());
      ring.push_back(ring.front());
      const auto parts = lonlat_parts(ring);
      expect_in_range(parts);
      for (const Ring& part : parts) EXPECT_GT(planar_area(part), 0.0) << "counter-clockwise, " << c.token;
      sum += total_area(parts);
    }
    EXPECT_NEAR(sum, 64800.0, 1e-6) << "level " << level;
  }
}

// From level 1 on, S2 cells meet the antimeridian only along their edges: no cell is cut, and a cell
// with a corner on +-180 (which may unwrap a rounding step past the seam) gives no sliver part.
TEST(LonLatParts, FineCellsAreNeverCut) {
  for (int level : {1, 4}) {
    for (const Cell& c : global_grid(level).cells) {
      Ring ring(c.vertices.begin(), c.vertices.end());
      ring.push_back(ring.front());
      EXPECT_EQ(lonlat_parts(ring).size(), 1u) << c.token;
    }
  }
}

}  // namespace
}  // namespace skyfence::earth
