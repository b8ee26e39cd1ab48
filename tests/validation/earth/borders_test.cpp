// The bundled Natural Earth borders: lookups and hard cases (antimeridian, poles, long straight
// borders along parallels).
#include <string>

#include <gtest/gtest.h>

#include "skyfence/earth/grid.h"
#include "skyfence/earth/region.h"

namespace skyfence::earth {
namespace {

const CountryBorders& borders() {
  static const CountryBorders b = CountryBorders::read_bundled(SKYFENCE_DATA_DIR);
  return b;
}

frames::Geodetic place(double lat, double lon) {
  return frames::Geodetic::degrees(lat, lon);
}

TEST(BordersTest, EveryFeatureBuilds) {
  ASSERT_EQ(borders().countries().size(), 241u);
  for (const Country& c : borders().countries()) {
    const Region r = find_country(borders(), c.name);
    EXPECT_GT(r.area_km2(), 0.0) << c.name;
    EXPECT_LT(r.area_km2(), 2.0e7) << c.name;
  }
}

TEST(BordersTest, LookupsByCodeAndName) {
  const Region a = find_country(borders(), "UKR");
  const Region b = find_country(borders(), "804");
  const Region c = find_country(borders(), " ukraine ");
  const Region d = find_country(borders(), "ua");
  EXPECT_EQ(a.name(), "Ukraine");
  for (const Region& r : {a, b, c, d}) {
    EXPECT_TRUE(r.contains(place(50.45, 30.52)));   // Kyiv
    EXPECT_FALSE(r.contains(place(52.23, 21.01)));  // Warsaw
  }
  EXPECT_EQ(find_country(borders(), "4").name(), "Afghanistan");
}

TEST(BordersTest, UnknownCountryListsCloseMatches) {
  try {
    find_country(borders(), "Ukrain");
    FAIL();
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("UKR (Ukraine)"), std::string::npos) << e.what();
  }
  EXPECT_THROW(find_country(borders(), "ZZZ"), InputError);
  EXPECT_THROW(find_country(borders(), ""), InputError);
}

TEST(BordersTest, RussiaAcrossTheAntimeridian) {
  const Region rus = find_country(borders(), "RUS");
  EXPECT_TRUE(rus.contains(place(66.0, 179.9)));      // Chukotka, east of the antimeridian
  EXPECT_TRUE(rus.contains(place(66.0, -179.9)));     // Chukotka, west of it
  EXPECT_TRUE(rus.contains(place(55.75, 37.62)));     // Moscow
  EXPECT_FALSE(rus.contains(place(64.84, -147.72)));  // Fairbanks, Alaska
  EXPECT_FALSE(rus.contains(place(0.0, 0.0)));
  EXPECT_NEAR(rus.area_km2(), 16.9e6, 0.6e6);
}

TEST(BordersTest, FijiAndTheAleutians) {
  const Region fji = find_country(borders(), "FJI");
  EXPECT_TRUE(fji.contains(place(-17.8, 178.0)));  // Viti Levu
  // Natural Earth cuts Fiji at the antimeridian: pieces on both sides.
  EXPECT_TRUE(fji.contains(place(-16.9, 179.99)));
  EXPECT_TRUE(fji.contains(place(-16.85, -179.98)));
  EXPECT_FALSE(fji.contains(place(-17.0, -170.0)));
  EXPECT_LT(fji.area_km2(), 30000.0);
  const Region usa = find_country(borders(), "USA");
  EXPECT_TRUE(usa.contains(place(64.84, -147.72)));  // Fairbanks
  EXPECT_TRUE(usa.contains(place(39.0, -98.0)));     // Kansas
  EXPECT_FALSE(usa.contains(place(66.0, 179.9)));
  EXPECT_NEAR(usa.area_km2(), 9.5e6, 0.5e6);
}

TEST(BordersTest, AntarcticaContainsTheSouthPole) {
  const Region ata = find_country(borders(), "ATA");
  EXPECT_TRUE(ata.contains(place(-90.0, 0.0)));
  EXPECT_TRUE(ata.contains(place(-89.9995, 123.0)));
  // Across the antimeridian; Natural Earth's Antarctica leaves out the Ross Ice Shelf (-80, 180).
  EXPECT_TRUE(ata.contains(place(-85.0, 179.99)));
  EXPECT_TRUE(ata.contains(place(-85.0, -179.99)));
  EXPECT_FALSE(ata.contains(place(-80.0, 179.99)));
  EXPECT_FALSE(ata.contains(place(-50.0, 0.0)));
  EXPECT_NEAR(ata.area_km2(), 12.3e6, 1.0e6);
}

TEST(BordersTest, PointOneKmInsideLongParallelBorder) {
  // The USA-Canada border runs along 49N from the Lake of the Woods to the Strait of Georgia, in
  // long straight lon/lat edges; 0.009 deg of latitude is 1 km.
  const Region usa = find_country(borders(), "USA");
  const Region can = find_country(borders(), "CAN");
  for (double lon : {-110.0, -100.0, -120.0}) {
    EXPECT_TRUE(usa.contains(place(49.0 - 0.009, lon))) << lon;
    EXPECT_FALSE(can.contains(place(49.0 - 0.009, lon))) << lon;
    EXPECT_TRUE(can.contains(place(49.0 + 0.009, lon))) << lon;
    EXPECT_FALSE(usa.contains(place(49.0 + 0.009, lon))) << lon;
  }
}

TEST(BordersTest, UkraineGridAtLevel7) {
  // Natural Earth 4.1.0 (1:50m, world-atlas 2.0.2) draws Crimea as part of Russia (its de facto
  // policy), so the reference is Ukraine's 603,550 km^2 less Crimea and Sevastopol (26,081 + 864):
  // 576,605 km^2.
  const double expected = 603550.0 - 26081.0 - 864.0;
  const Region ukr = find_country(borders(), "UKR");
  EXPECT_FALSE(ukr.contains(place(44.95, 34.10)));  // Simferopol, Crimea
  EXPECT_TRUE(find_country(borders(), "RUS").contains(place(44.95, 34.10)));
  EXPECT_NEAR(ukr.area_km2() / expected, 1.0, 0.02);
  const Grid g = region_grid(ukr, 7);
  double sum = 0.0;
  for (const Cell& c : g.cells) sum += c.area_km2;
  EXPECT_NEAR(sum / expected, 1.0, 0.05);
  EXPECT_GT(g.cells.size(), 100u);
  EXPECT_LT(g.cells.size(), 140u);
}

}  // namespace
}  // namespace skyfence::earth
