// Topocentric look angles of obvious geometry: overhead, the four compass points on the horizon,
// range rate of radial and tangential motion, and degenerate cases.
#include <cmath>
#include <numbers>
#include <string>

#include <gtest/gtest.h>

#include "skyfence/frames/frames.h"

namespace skyfence::frames {
namespace {

// Local unit vectors written out from the geodetic angles (independent of the class's own set-up).
struct LocalAxes {
  Vec3 east, north, up;
};
LocalAxes axes(const Geodetic& g) {
  const double sp = std::sin(g.lat_rad), cp = std::cos(g.lat_rad);
  const double sl = std::sin(g.lon_rad), cl = std::cos(g.lon_rad);
  return {{-sl, cl, 0.0}, {-sp * cl, -sp * sl, cp}, {cp * cl, cp * sl, sp}};
}

// Azimuth difference folded into (-pi, pi]: due north may come back as 0 or as 2pi - 1e-16.
double az_diff(double a, double b) {
  return std::remainder(a - b, 2.0 * std::numbers::pi);
}

class FramesTopocentric : public ::testing::TestWithParam<Geodetic> {};

TEST_P(FramesTopocentric, StraightOverheadIsNinetyDegrees) {
  const Topocentric topo(GetParam());
  const LocalAxes a = axes(GetParam());
  const LookAngles look = topo.look({topo.site_itrf_km() + a.up * 550.0, {0.0, 0.0, 0.0}});
  EXPECT_NEAR(look.elevation_rad, std::numbers::pi / 2.0, 1e-12);
  EXPECT_NEAR(look.range_km, 550.0, 1e-10);
}

TEST_P(FramesTopocentric, CompassPointsOnTheHorizon) {
  const Topocentric topo(GetParam());
  const LocalAxes a = axes(GetParam());
  const Vec3 s = topo.site_itrf_km();
  const struct {
    Vec3 dir;
    double az_rad;
  } cases[] = {{a.north, 0.0},
               {a.east, std::numbers::pi / 2.0},
               {a.north * -1.0, std::numbers::pi},
               {a.east * -1.0, 1.5 * std::numbers::pi}};
  for (const auto& c : cases) {
    const LookAngles look = topo.look({s + c.dir * 1000.0, {0.0, 0.0, 0.0}});
    EXPECT_NEAR(look.elevation_rad, 0.0, 1e-12);
    EXPECT_NEAR(az_diff(look.azimuth_rad, c.az_rad), 0.0, 1e-12);
    EXPECT_NEAR(look.range_km, 1000.0, 1e-10);
  }
}

TEST_P(FramesTopocentric, EnuMatchesLocalAxes) {
  const Topocentric topo(GetParam());
  const LocalAxes a = axes(GetParam());
  const Vec3 enu = topo.enu(topo.site_itrf_km() + a.east * 3.0 + a.north * -4.0 + a.up * 12.0);
  EXPECT_NEAR(enu.x, 3.0, 1e-11);
  EXPECT_NEAR(enu.y, -4.0, 1e-11);
  EXPECT_NEAR(enu.z, 12.0, 1e-11);
  const LookAngles look = topo.look({topo.site_itrf_km() + a.east * 3.0 + a.north * -4.0 + a.up * 12.0, {}});
  EXPECT_NEAR(look.range_km, 13.0, 1e-11);
  EXPECT_NEAR(look.elevation_rad, std::atan2(12.0, 5.0), 1e-12);
  EXPECT_NEAR(look.azimuth_rad, std::numbers::pi - std::atan2(3.0, 4.0), 1e-12);  // south-south-east
}

TEST_P(FramesTopocentric, RangeRateOfRadialAndTangentialMotion) {
  const Topocentric topo(GetParam());
  const LocalAxes a = axes(GetParam());
  const Vec3 target = topo.site_itrf_km() + a.up * 800.0;
  EXPECT_NEAR(topo.look({target, a.up * 2.5}).range_rate_km_s, 2.5, 1e-12);    // receding
  EXPECT_NEAR(topo.look({target, a.up * -7.0}).range_rate_km_s, -7.0, 1e-12);  // approaching
  EXPECT_NEAR(topo.look({target, a.east * 7.5}).range_rate_km_s, 0.0, 1e-12);  // crossing
}

TEST_P(FramesTopocentric, BelowTheHorizonIsNegative) {
  const Topocentric topo(GetParam());
  const LocalAxes a = axes(GetParam());
  const LookAngles look = topo.look({topo.site_itrf_km() + a.north * 100.0 + a.up * -100.0, {}});
  EXPECT_NEAR(look.elevation_rad, -std::numbers::pi / 4.0, 1e-12);
  EXPECT_NEAR(az_diff(look.azimuth_rad, 0.0), 0.0, 1e-12);
}

TEST_P(FramesTopocentric, AzimuthJustWestOfNorthStaysBelowTwoPi) {
  const Topocentric topo(GetParam());
  const LocalAxes a = axes(GetParam());
  const LookAngles look = topo.look({topo.site_itrf_km() + a.north * 1000.0 + a.east * -1e-9, {}});
  EXPECT_GE(look.azimuth_rad, 0.0);
  EXPECT_LT(look.azimuth_rad, 2.0 * std::numbers::pi);
  EXPECT_NEAR(az_diff(look.azimuth_rad, 0.0), 0.0, 1e-11);
}

TEST_P(FramesTopocentric, SiteIsTheGeodeticPoint) {
  const Topocentric topo(GetParam());
  const Vec3 r = geodetic_to_itrf(GetParam());
  EXPECT_NEAR((topo.site_itrf_km() - r).norm(), 0.0, 1e-12);
}

INSTANTIATE_TEST_SUITE_P(
    Frames, FramesTopocentric,
    ::testing::Values(Geodetic::degrees(0.0, 0.0), Geodetic::degrees(51.4779, -0.0015, 0.046),
                      Geodetic::degrees(-33.9, 18.4, 0.0), Geodetic::degrees(40.0, 180.0, 1.5),
                      Geodetic::degrees(-45.0, -179.95, 0.25), Geodetic::degrees(89.999, 30.0, 2.75),
                      Geodetic::degrees(-89.5, -60.0, 2.8)),
    [](const ::testing::TestParamInfo<Geodetic>& param) { return "site" + std::to_string(param.index); });

TEST(FramesTopocentricEdge, TargetAtTheSiteGivesZeros) {
  const Topocentric topo(Geodetic::degrees(10.0, 20.0));
  const LookAngles look = topo.look({topo.site_itrf_km(), {1.0, 2.0, 3.0}});
  EXPECT_EQ(look.range_km, 0.0);
  EXPECT_EQ(look.range_rate_km_s, 0.0);
  EXPECT_EQ(look.azimuth_rad, 0.0);
  EXPECT_EQ(look.elevation_rad, 0.0);
}

TEST(FramesTopocentricEdge, PoleSitesLookAlongTheirMeridian) {
  // At the pole "north" is the direction of the prime meridian of the site's longitude, rotated by
  // 180 deg (GeographicLib's convention: north = -(cos lon, sin lon, 0) at lat +90).
  const Topocentric topo(Geodetic::degrees(90.0, 0.0));
  const LookAngles overhead = topo.look({{0.0, 0.0, 7000.0}, {}});
  EXPECT_NEAR(overhead.elevation_rad, std::numbers::pi / 2.0, 1e-15);
  // A point displaced toward -x from the pole is "north" (az 0); toward +y is "east" (az 90 deg).
  const Vec3 s = topo.site_itrf_km();
  EXPECT_NEAR(az_diff(topo.look({s + Vec3{-100.0, 0.0, 0.0}, {}}).azimuth_rad, 0.0), 0.0, 1e-12);
  EXPECT_NEAR(topo.look({s + Vec3{0.0, 100.0, 0.0}, {}}).azimuth_rad, std::numbers::pi / 2.0, 1e-12);
  // At the south pole (lon 0) north is +x and east +y.
  const Topocentric south(Geodetic::degrees(-90.0, 0.0));
  const Vec3 ss = south.site_itrf_km();
  EXPECT_NEAR(az_diff(south.look({ss + Vec3{100.0, 0.0, 0.0}, {}}).azimuth_rad, 0.0), 0.0, 1e-12);
  EXPECT_NEAR(south.look({ss + Vec3{0.0, 100.0, 0.0}, {}}).azimuth_rad, std::numbers::pi / 2.0, 1e-12);
  EXPECT_NEAR(south.look({{0.0, 0.0, -7000.0}, {}}).elevation_rad, std::numbers::pi / 2.0, 1e-15);
}

TEST(FramesTopocentricEdge, EquatorSiteAxesAreExact) {
  // Sines and cosines of whole quadrants are exact, so an equator site at lon 0 has e = y, n = z, u = x.
  const Topocentric topo(Geodetic::degrees(0.0, 0.0));
  const Vec3 enu = topo.enu({6378.137 + 1.0, 2.0, 3.0});
  EXPECT_EQ(enu.x, 2.0);
  EXPECT_EQ(enu.y, 3.0);
  EXPECT_NEAR(enu.z, 1.0, 1e-12);
}

}  // namespace
}  // namespace skyfence::frames
