#include "skyfence/earth/grid.h"

#include <cmath>
#include <numbers>

#include <gtest/gtest.h>

namespace skyfence::earth {
namespace {

TEST(GridTest, GlobalLevel7CountAndArea) {
  const Grid g = global_grid(7);
  ASSERT_EQ(g.cells.size(), 98304u);
  double sum = 0.0;
  for (const Cell& c : g.cells) sum += c.area_km2;
  const double sphere = 4.0 * std::numbers::pi * kEarthMeanRadiusKm * kEarthMeanRadiusKm;
  EXPECT_NEAR(sum / sphere, 1.0, 1e-9);
  for (std::size_t i = 1; i < g.cells.size(); ++i) ASSERT_LT(g.cells[i - 1].id, g.cells[i].id);
  for (const Cell& c : g.cells) {
    ASSERT_LE(std::fabs(c.centre.lat_rad), std::numbers::pi / 2);
    ASSERT_GT(c.centre.lon_rad, -std::numbers::pi);
    ASSERT_LE(c.centre.lon_rad, std::numbers::pi);
    ASSERT_EQ(c.centre.alt_km, 0.0);
  }
}

TEST(GridTest, Level0HasTheSixFaces) {
  const Grid g = global_grid(0);
  ASSERT_EQ(g.cells.size(), 6u);
  EXPECT_EQ(g.cells[0].token, "1");
  EXPECT_NEAR(g.cells[0].centre.lat_rad, 0.0, 1e-15);
  EXPECT_NEAR(g.cells[0].centre.lon_rad, 0.0, 1e-15);
  EXPECT_NEAR(g.cells[2].centre.lat_rad, std::numbers::pi / 2, 1e-15);  // face 2: north pole
}

TEST(GridTest, TokenRoundTrip) {
  const Grid g = global_grid(3);
  for (const Cell& c : g.cells) {
    EXPECT_EQ(cell_id_from_token(c.token), c.id);
    EXPECT_EQ(cell_token(c.id), c.token);
    const Cell again = make_cell(c.id);
    EXPECT_EQ(again.token, c.token);
    EXPECT_EQ(again.area_km2, c.area_km2);
  }
  EXPECT_THROW(cell_id_from_token("xyz"), InputError);
  EXPECT_THROW(cell_id_from_token(""), InputError);
  EXPECT_THROW(make_cell(0), InputError);
}

TEST(GridTest, VerticesSurroundTheCentre) {
  const Grid g = global_grid(2);
  for (const Cell& c : g.cells) {
    for (const LonLatDeg& v : c.vertices) {
      EXPECT_LE(std::fabs(v.lat_deg), 90.0);
      EXPECT_LE(std::fabs(v.lon_deg), 180.0);
    }
  }
}

TEST(GridTest, LevelOutOfRangeRejected) {
  EXPECT_THROW(global_grid(-1), InputError);
  EXPECT_THROW(global_grid(kMaxGridLevel + 1), InputError);
}

TEST(GridTest, RegionGridOfASquareMatchesItsArea) {
  // A 10 x 10 degree square straddling the antimeridian.
  const Region r = Region::from_rings("square", {{{175, 0}, {-175, 0}, {-175, 10}, {175, 10}, {175, 0}}},
                                      SourceLocation{});
  const double expected = kEarthMeanRadiusKm * kEarthMeanRadiusKm * (10.0 * std::numbers::pi / 180) *
                          std::sin(10.0 * std::numbers::pi / 180);
  EXPECT_NEAR(r.area_km2() / expected, 1.0, 1e-3);  // edges along parallels densified
  const Grid g = region_grid(r, 8);
  double sum = 0.0;
  for (const Cell& c : g.cells) {
    EXPECT_TRUE(r.contains(c.centre));
    sum += c.area_km2;
  }
  EXPECT_NEAR(sum / expected, 1.0, 0.02);
  for (std::size_t i = 1; i < g.cells.size(); ++i) ASSERT_LT(g.cells[i - 1].id, g.cells[i].id);
  // The same cells as filtering the global grid by centre.
  std::size_t n = 0;
  for (const Cell& c : global_grid(8).cells) n += r.contains(c.centre) ? 1 : 0;
  EXPECT_EQ(n, g.cells.size());
}

}  // namespace
}  // namespace skyfence::earth
