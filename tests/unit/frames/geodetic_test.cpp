// WGS84 geodetic <-> ITRF: round trips over a grid with poles and the antimeridian, known points, and
// the longitude convention (-pi, pi].
#include <cmath>
#include <limits>
#include <numbers>

#include <gtest/gtest.h>

#include "../../test_support.h"
#include "skyfence/core/units.h"
#include "skyfence/frames/frames.h"

namespace skyfence::frames {
namespace {

// WGS84: a = 6378.137 km, 1/f = 298.257223563, so b = a (1 - f) = 6356.752314245179 km (NIMA TR8350.2).
constexpr double kA_km = 6378.137;
constexpr double kB_km = 6356.752314245179;

TEST(FramesGeodetic, DegreesConvertsAndNormalizesLongitude) {
  const Geodetic g = Geodetic::degrees(45.0, -120.0, 1.5);
  EXPECT_DOUBLE_EQ(g.lat_rad, std::numbers::pi / 4.0);
  EXPECT_DOUBLE_EQ(g.lon_rad, -2.0 * std::numbers::pi / 3.0);
  EXPECT_EQ(g.alt_km, 1.5);
  // The antimeridian is +pi from either side; longitudes outside [-180, 180] wrap.
  EXPECT_EQ(Geodetic::degrees(0.0, 180.0).lon_rad, std::numbers::pi);
  EXPECT_EQ(Geodetic::degrees(0.0, -180.0).lon_rad, std::numbers::pi);
  EXPECT_EQ(Geodetic::degrees(0.0, 540.0).lon_rad, std::numbers::pi);
  EXPECT_DOUBLE_EQ(Geodetic::degrees(0.0, 190.0).lon_rad, -170.0 * kRadPerDeg);
  EXPECT_DOUBLE_EQ(Geodetic::degrees(0.0, -370.0).lon_rad, -10.0 * kRadPerDeg);
  EXPECT_EQ(Geodetic::degrees(90.0, 0.0).lat_rad, std::numbers::pi / 2.0);
}

TEST(FramesGeodetic, KnownPoints) {
  const Vec3 equator = geodetic_to_itrf(Geodetic::degrees(0.0, 0.0));
  EXPECT_NEAR(equator.x, kA_km, 1e-12);
  EXPECT_EQ(equator.y, 0.0);
  EXPECT_EQ(equator.z, 0.0);
  const Vec3 east = geodetic_to_itrf(Geodetic::degrees(0.0, 90.0, 10.0));
  EXPECT_NEAR(east.x, 0.0, 1e-12);
  EXPECT_NEAR(east.y, kA_km + 10.0, 1e-12);
  const Vec3 north_pole = geodetic_to_itrf(Geodetic::degrees(90.0, 33.0));
  EXPECT_NEAR(north_pole.x, 0.0, 1e-12);
  EXPECT_NEAR(north_pole.y, 0.0, 1e-12);
  EXPECT_NEAR(north_pole.z, kB_km, 1e-12);
  const Vec3 south_pole = geodetic_to_itrf(Geodetic::degrees(-90.0, 0.0, -1.0));
  EXPECT_NEAR(south_pole.z, -(kB_km - 1.0), 1e-12);

  const Geodetic g = itrf_to_geodetic({0.0, 0.0, kB_km + 550.0});
  EXPECT_EQ(g.lat_rad, std::numbers::pi / 2.0);
  EXPECT_NEAR(g.alt_km, 550.0, 1e-12);
  const Geodetic s = itrf_to_geodetic({0.0, 0.0, -kB_km});
  EXPECT_EQ(s.lat_rad, -std::numbers::pi / 2.0);
  EXPECT_NEAR(s.alt_km, 0.0, 1e-12);
}

TEST(FramesGeodetic, RoundTripOverGridWithPolesAndAntimeridian) {
  const double lats_deg[] = {-90.0,    -89.999999, -75.0, -45.0,     -0.000001, 0.0,
                             0.000001, 30.0,       60.0,  89.999999, 90.0};
  const double lons_deg[] = {-180.0, -179.999999, -135.0, -90.0,      -0.000001,
                             0.0,    45.0,        90.0,   179.999999, 180.0};
  const double alts_km[] = {-10.0, -0.4, 0.0, 0.5, 550.0, 1200.0, 20200.0, 35786.0, 100000.0};
  double worst_lat = 0.0;
  double worst_lon = 0.0;
  double worst_alt = 0.0;
  double worst_pos = 0.0;
  for (double lat : lats_deg) {
    for (double lon : lons_deg) {
      for (double alt : alts_km) {
        const Geodetic in = Geodetic::degrees(lat, lon, alt);
        const Vec3 r = geodetic_to_itrf(in);
        const Geodetic out = itrf_to_geodetic(r);
        SCOPED_TRACE(::testing::Message() << "lat " << lat << " lon " << lon << " alt " << alt);
        EXPECT_GT(out.lon_rad, -std::numbers::pi);
        EXPECT_LE(out.lon_rad, std::numbers::pi);
        EXPECT_GE(out.lat_rad, -std::numbers::pi / 2.0);
        EXPECT_LE(out.lat_rad, std::numbers::pi / 2.0);
        worst_lat = std::fmax(worst_lat, std::abs(out.lat_rad - in.lat_rad));
        // Longitude is undefined at the poles; there the position comparison below covers it.
        if (std::abs(lat) < 90.0)
          worst_lon = std::fmax(worst_lon, std::abs(skyfence_test::angle_diff(out.lon_rad, in.lon_rad)));
        worst_alt = std::fmax(worst_alt, std::abs(out.alt_km - in.alt_km));
        worst_pos = std::fmax(worst_pos, (geodetic_to_itrf(out) - r).norm());
      }
    }
  }
  // GeographicLib's bound is 7 nm near the surface; far out the absolute error stays at the
  // rounding of |r| (1e5 km * 1e-16 = 1e-11 km). Angles: rounding, a few 1e-16 rad.
  EXPECT_LT(worst_lat, 1e-14);
  EXPECT_LT(worst_lon, 1e-14);
  EXPECT_LT(worst_alt, 5e-11);
  EXPECT_LT(worst_pos, 5e-11);
}

TEST(FramesGeodetic, AntimeridianComesBackAsPlusPi) {
  // ITRF points with y = +0 and y = -0 on the antimeridian both map to +pi (GeographicLib may say -180).
  EXPECT_EQ(itrf_to_geodetic({-7000.0, 0.0, 0.0}).lon_rad, std::numbers::pi);
  EXPECT_EQ(itrf_to_geodetic({-7000.0, -0.0, 0.0}).lon_rad, std::numbers::pi);
  EXPECT_EQ(itrf_to_geodetic(geodetic_to_itrf(Geodetic::degrees(10.0, -180.0, 5.0))).lon_rad > 0.0, true);
  // Just west of the antimeridian stays negative.
  EXPECT_LT(itrf_to_geodetic({-7000.0, -1e-6, 0.0}).lon_rad, 0.0);
}

TEST(FramesGeodetic, CentreOfTheEarthAndNonFinite) {
  // The Earth's centre is nearest to the poles: GeographicLib reports lat = +90 deg, h = -b.
  const Geodetic c = itrf_to_geodetic({0.0, 0.0, 0.0});
  EXPECT_EQ(c.lat_rad, std::numbers::pi / 2.0);
  EXPECT_NEAR(c.alt_km, -kB_km, 1e-9);
  // A latitude beyond the poles is outside the contract and yields NaN rather than a wrong point.
  const Vec3 bad = geodetic_to_itrf({2.0, 0.0, 0.0});
  EXPECT_TRUE(std::isnan(bad.x) || std::isnan(bad.z));
  const Geodetic nan = itrf_to_geodetic({std::numeric_limits<double>::quiet_NaN(), 0.0, 0.0});
  EXPECT_TRUE(std::isnan(nan.lat_rad) || std::isnan(nan.alt_km));
}

}  // namespace
}  // namespace skyfence::frames
