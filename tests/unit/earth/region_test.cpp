#include "skyfence/earth/region.h"

#include <string>

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
