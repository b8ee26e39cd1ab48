// Look angles through the fleet, the elevation rate, and the geometry behind the in-view pre-filter
// (search radius, the bound on the WGS84 vertical's deflection from the geocentric radial).
#include <gtest/gtest.h>

#include <cmath>
#include <numbers>
#include <string>
#include <vector>

#include "skyfence/core/units.h"
#include "skyfence/frames/frames.h"
#include "skyfence/orbits/tle.h"
#include "skyfence/time/scales.h"
#include "skyfence/visibility/fleet.h"
#include "skyfence/visibility/in_view.h"

namespace skyfence::visibility {
namespace {

std::vector<orbits::ElementSet> iridium() {
  return orbits::read_tle_file(std::string(SKYFENCE_DATA_DIR) + "/tle/iridium-next_2026-04-27.tle").sets;
}

TEST(VisibilityLook, MatchesTheChainOfSgp4TemeToItrfAndTopocentric) {
  const auto sets = iridium();
  const Fleet fleet(sets);
  const frames::Topocentric site(frames::Geodetic::degrees(50.45, 30.52, 0.18));
  const time::Instant t = time::parse_iso8601("2026-04-27T18:00:00Z");
  for (std::size_t i = 0; i < fleet.size(); ++i) {
    const orbits::Sgp4Record rec = orbits::sgp4_init(sets[i]);
    frames::StateVector teme;
    ASSERT_EQ(orbits::sgp4(rec, (t - sets[i].epoch).to_minutes(), teme), orbits::Sgp4Error::none);
    const frames::LookAngles want = site.look(frames::teme_to_itrf(teme, time::jd_utc(t)));
    const SatelliteLook got = look_angles(fleet, i, site, t);
    ASSERT_TRUE(got.ok());
    EXPECT_EQ(got.angles.elevation_rad, want.elevation_rad);
    EXPECT_EQ(got.angles.azimuth_rad, want.azimuth_rad);
    EXPECT_EQ(got.angles.range_km, want.range_km);
    EXPECT_EQ(got.angles.range_rate_km_s, want.range_rate_km_s);
  }
}

TEST(VisibilityLook, ElevationRateMatchesCentralDifference) {
  const auto sets = iridium();
  const Fleet fleet(sets);
  const frames::Topocentric site(frames::Geodetic::degrees(-33.9, 18.4, 0.0));
  const time::Instant t0 = time::parse_iso8601("2026-04-27T06:00:00Z");
  const double h = 0.01;  // s
  double worst = 0.0;
  for (std::size_t i = 0; i < fleet.size(); ++i) {
    for (int k = 0; k < 20; ++k) {
      const time::Instant t = t0 + time::Duration::seconds(317.0 * k);
      const SatelliteLook mid = look_angles(fleet, i, site, t);
      const SatelliteLook a = look_angles(fleet, i, site, t - time::Duration::seconds(h));
      const SatelliteLook b = look_angles(fleet, i, site, t + time::Duration::seconds(h));
      ASSERT_TRUE(mid.ok() && a.ok() && b.ok());
      if (std::abs(mid.angles.elevation_rad) > 85 * kRadPerDeg) continue;
      const double numeric = (b.angles.elevation_rad - a.angles.elevation_rad) / (2 * h);
      worst = std::max(worst, std::abs(numeric - mid.elevation_rate_rad_s));
    }
  }
  // The central difference's own error (h^2 el''' / 6) and SGP4's velocity, which is the model's
  // analytic rate, not the exact derivative of its positions, limit the agreement.
  EXPECT_LT(worst, 2e-7);
}

TEST(VisibilityLook, ReportsSgp4Errors) {
  orbits::ElementSet es = iridium().front();
  es.eccentricity = 1.5;  // rejected by sgp4_init
  const Fleet fleet(std::vector<orbits::ElementSet>{es});
  const SatelliteLook got = look_angles(fleet, 0, frames::Topocentric(frames::Geodetic{}), es.epoch);
  EXPECT_FALSE(got.ok());
}

TEST(VisibilityInView, VerticalDeflectionBound) {
  // The angle between the WGS84 normal (the Topocentric "up") and the geocentric radial direction, for
  // every latitude and the altitudes a Site may have, stays below kVerticalDeflectionBoundRad.
  double worst = 0.0;
  for (double alt : {-11.0, 0.0, 10.0, 100.0}) {
    for (double lat = -90.0; lat <= 90.0; lat += 0.25) {
      const frames::Geodetic g = frames::Geodetic::degrees(lat, 37.0, alt);
      const frames::Topocentric topo(g);
      const frames::Vec3 r = topo.site_itrf_km();
      const frames::Vec3 up_enu = topo.enu(r + r * (1.0 / r.norm()));  // the radial unit vector in ENU
      const double angle = std::acos(std::clamp(up_enu.z, -1.0, 1.0));
      worst = std::max(worst, angle);
    }
  }
  EXPECT_GT(worst, 0.19 * kRadPerDeg);
  EXPECT_LT(worst, kVerticalDeflectionBoundRad);
  std::printf("largest deflection of the vertical: %.5f deg\n", worst / kRadPerDeg);
}

TEST(VisibilityInView, SearchRadiusIsTheSphericalLimit) {
  // Geocentric elevation exactly e' at central angle psi*: the formula's defining property.
  const double rho = 6371.0;
  for (double r : {6600.0, 6921.0, 8000.0, 26560.0, 42164.0}) {
    for (double e_deg : {-30.0, -5.0, 0.0, 10.0, 25.0, 40.0, 80.0}) {
      const double lambda = search_radius_rad(r, rho, rho, e_deg * kRadPerDeg);
      const double psi = lambda - kSearchRadiusMarginRad;
      const double e = e_deg * kRadPerDeg - kVerticalDeflectionBoundRad;
      // Site on the x axis, satellite at angle psi in the x-y plane.
      const double dx = r * std::cos(psi) - rho, dy = r * std::sin(psi);
      const double el = std::atan2(dx, dy);
      EXPECT_NEAR(el, e, 1e-12) << r << " " << e_deg;
    }
  }
  EXPECT_EQ(search_radius_rad(6400.0, 6350.0, 6450.0, 0.0), std::numbers::pi);  // inside the highest site
  EXPECT_EQ(search_radius_rad(7000.0, 6350.0, 6450.0, -90 * kRadPerDeg), std::numbers::pi);
  // Larger for lower sites and lower minimum elevations, smaller for lower satellites.
  EXPECT_GT(search_radius_rad(6921, 6350, 6400, 25 * kRadPerDeg),
            search_radius_rad(6921, 6370, 6400, 25 * kRadPerDeg));
  EXPECT_GT(search_radius_rad(6921, 6370, 6400, 10 * kRadPerDeg),
            search_radius_rad(6921, 6370, 6400, 25 * kRadPerDeg));
  EXPECT_GT(search_radius_rad(7921, 6370, 6400, 25 * kRadPerDeg),
            search_radius_rad(6921, 6370, 6400, 25 * kRadPerDeg));
}

TEST(VisibilityInView, SiteIndexFindsSitesWithinAnAngle) {
  std::vector<frames::Geodetic> sites;
  for (double lat = -90; lat <= 90; lat += 7.5) {
    for (double lon = -180; lon < 180; lon += 7.5) sites.push_back(frames::Geodetic::degrees(lat, lon, 0));
  }
  const SiteIndex index(sites, 3.0);
  for (const frames::Geodetic& c :
       {frames::Geodetic::degrees(89.9, 10, 0), frames::Geodetic::degrees(0, 179.9, 0),
        frames::Geodetic::degrees(-45, -179.99, 0), frames::Geodetic::degrees(60, 0, 0)}) {
    const frames::Vec3 p = frames::geodetic_to_itrf(c);
    const frames::Vec3 dir = p * (1.0 / p.norm());
    for (double a_deg : {0.5, 5.0, 20.0, 95.0, 180.0}) {
      std::vector<std::uint32_t> got;
      index.sites_within(dir, a_deg * kRadPerDeg, got);
      std::sort(got.begin(), got.end());
      std::vector<std::uint32_t> want;
      for (std::size_t k = 0; k < sites.size(); ++k) {
        const frames::Vec3 s = index.site(k).site_itrf_km();
        if ((s * (1.0 / s.norm())).dot(dir) >= std::cos(a_deg * kRadPerDeg))
          want.push_back(static_cast<std::uint32_t>(k));
      }
      EXPECT_EQ(got, want) << a_deg;
    }
  }
}

}  // namespace
}  // namespace skyfence::visibility
