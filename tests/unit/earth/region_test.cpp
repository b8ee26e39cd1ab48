#include "skyfence/earth/region.h"

#include <cmath>
#include <stdexcept>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include <fstream>

#include "skyfence/earth/grid.h"

namespace skyfence::earth {
namespace {

const std::string kEarthData = SKYFENCE_TEST_DATA_DIR "/earth/";

frames::Geodetic at(double lat, double lon) {
  return frames::Geodetic::degrees(lat, lon);
}

TEST(RegionTest, WindingDoesNotMatter) {
  const Ring ccw{{0, 0}, {1, 0}, {1, 1}, {0, 1}, {0, 0}};
  const Ring cw{{0, 0}, {0, 1}, {1, 1}, {1, 0}, {0, 0}};
  for (const Ring& r : {ccw, cw}) {
    const Region g = Region::from_rings("sq", {r}, SourceLocation{});
    EXPECT_TRUE(g.contains(at(0.5, 0.5)));
    EXPECT_FALSE(g.contains(at(-0.5, 0.5)));
    EXPECT_FALSE(g.contains(at(0.5, 180)));
    EXPECT_NEAR(g.area_km2(), 12364, 20);
  }
}

TEST(RegionTest, RingAroundAPole) {
  // A cap north of 80N drawn as a ring along the parallel, crossing the antimeridian.
  Ring ring;
  for (int lon = -180; lon <= 180; lon += 30) ring.push_back({static_cast<double>(lon), 80});
  const Region r = Region::from_rings("cap", {ring}, SourceLocation{});
  EXPECT_TRUE(r.contains(at(90, 0)));
  EXPECT_TRUE(r.contains(at(80.1, 179.9)));
  EXPECT_FALSE(r.contains(at(79.9, 10)));
}

TEST(RegionTest, FileWithHoleAndAntimeridian) {
  const Region all = read_region_file(kEarthData + "region_hole.geojson");
  EXPECT_EQ(all.name(), "Ring Land");
  EXPECT_TRUE(all.contains(at(2, 2)));
  EXPECT_FALSE(all.contains(at(5, 5)));  // in the hole
  EXPECT_TRUE(all.contains(at(20.5, 20.5)));
  EXPECT_TRUE(all.contains(at(-16.5, 179.5)));
  EXPECT_TRUE(all.contains(at(-16.5, -179.5)));
  EXPECT_FALSE(all.contains(at(-16.5, 0)));
  const Region islands = read_region_file(kEarthData + "region_hole.geojson", "islands");
  EXPECT_EQ(islands.name(), "islands");
  EXPECT_FALSE(islands.contains(at(2, 2)));
  EXPECT_TRUE(islands.contains(at(-16.5, 179.9)));
  EXPECT_THROW(read_region_file(kEarthData + "region_hole.geojson", "nowhere"), InputError);
}

// Region::outline: the shell with its hole, thinned within the tolerance; a ring across the antimeridian
// with continuous longitudes; a ring around a pole and islands below the tolerance left out.
TEST(RegionTest, OutlineForDrawing) {
  const Region all = read_region_file(kEarthData + "region_hole.geojson");
  const std::vector<std::vector<Ring>> out = all.outline(0.05);
  bool with_hole = false, across = false;
  for (const std::vector<Ring>& polygon : out) {
    with_hole = with_hole || polygon.size() == 2;
    for (const Ring& ring : polygon) {
      ASSERT_GE(ring.size(), 4u);
      EXPECT_EQ(ring.front().lon_deg, ring.back().lon_deg);
      EXPECT_EQ(ring.front().lat_deg, ring.back().lat_deg);
      for (std::size_t k = 1; k < ring.size(); ++k) {
        EXPECT_LT(std::abs(ring[k].lon_deg - ring[k - 1].lon_deg), 180.0);
        across = across || std::abs(ring[k].lon_deg) > 180.0 || std::abs(ring[k].lon_deg) == 180.0;
      }
    }
  }
  EXPECT_TRUE(with_hole);
  EXPECT_TRUE(across);
  // The densified edges (0.25 deg) of straight lon/lat lines thin back to their corners.
  const Region square =
      Region::from_rings("sq", {{{0, 0}, {10, 0}, {10, 10}, {0, 10}, {0, 0}}}, SourceLocation{});
  ASSERT_GT(square.vertex_count(), 40u);
  const auto thin = square.outline(0.05);
  ASSERT_EQ(thin.size(), 1u);
  ASSERT_EQ(thin[0].size(), 1u);
  EXPECT_LE(thin[0][0].size(), 12u);  // the corners and a few vertices of the great-circle bulge
  EXPECT_GE(thin[0][0].size(), 5u);
  for (const LonLatDeg& v : thin[0][0]) {
    EXPECT_GE(v.lat_deg, -1e-9);
    EXPECT_LE(v.lon_deg, 10.0 + 1e-9);
  }
  EXPECT_TRUE(
      Region::from_rings("tiny", {{{0, 0}, {0.01, 0}, {0.01, 0.01}, {0, 0.01}, {0, 0}}}, SourceLocation{})
          .outline(0.05)
          .empty());
  Ring cap;
  for (int lon = -180; lon <= 180; lon += 30) cap.push_back({static_cast<double>(lon), 80});
  EXPECT_TRUE(Region::from_rings("cap", {cap}, SourceLocation{}).outline(0.05).empty());
  EXPECT_THROW((void)square.outline(-1.0), std::invalid_argument);
}

TEST(RegionTest, SelfCrossingRejectedWithFeatureAndVertex) {
  try {
    read_region_file(kEarthData + "region_self_crossing.geojson");
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    const std::string m = e.what();
    EXPECT_NE(m.find("region_self_crossing.geojson"), std::string::npos) << m;
    EXPECT_NE(m.find("ring 0 vertex"), std::string::npos) << m;
    EXPECT_NE(m.find("crosses itself"), std::string::npos) << m;
  }
}

TEST(RegionTest, UnclosedRingRejected) {
  try {
    read_region_file(kEarthData + "region_unclosed.geojson");
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("ring 0 vertex 3: ring not closed"), std::string::npos) << e.what();
  }
}

TEST(RegionTest, TooFewVerticesAndBadLatitudeRejected) {
  const SourceLocation where{"f.geojson", 0, "features[2]"};
  try {
    Region::from_rings("x", {{{0, 0}, {1, 1}, {0, 0}, {0, 0}}}, where);
    FAIL();
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("features[2]: ring 0 vertex 0: ring has fewer than 3"),
              std::string::npos)
        << e.what();
  }
  EXPECT_THROW(Region::from_rings("x", {{{0, 0}, {1, 91}, {1, 0}, {0, 0}}}, where), InputError);
  EXPECT_THROW(Region::from_rings("x", {}, where), InputError);
}

TEST(RegionTest, CrossingRingsRejected) {
  const Ring a{{0, 0}, {2, 0}, {2, 2}, {0, 2}, {0, 0}};
  const Ring b{{1, 1}, {3, 1}, {3, 3}, {1, 3}, {1, 1}};
  try {
    Region::from_rings("x", {a, b}, SourceLocation{"f", 0, "features[0]"});
    FAIL();
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("rings cross each other"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace skyfence::earth

namespace skyfence::earth {
namespace {

// A "type" that is not a string is bad input located in the file, not a runtime failure.
TEST(RegionTest, NonStringTypeIsAnInputError) {
  const std::string path = ::testing::TempDir() + "/region_type_not_string.geojson";
  for (const char* text : {R"({"type": [1, 2]})",
                           R"({"type": "FeatureCollection", "features": [{"type": 7, "geometry": null}]})"}) {
    {
      std::ofstream out(path);
      out << text;
    }
    try {
      read_region_file(path);
      FAIL() << text;
    } catch (const InputError& e) {
      EXPECT_NE(std::string(e.what()).find(path), std::string::npos) << e.what();
    }
  }
}

}  // namespace
}  // namespace skyfence::earth
