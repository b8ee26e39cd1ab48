// Golden values from Skyfield 1.45 (an independent implementation), made by
// scripts/reference/frames_skyfield.py into tests/data/frames/*.csv. Each test prints the worst
// difference it saw, so the margins in docs/accuracy.md can be checked against a run.
#include <cmath>
#include <iostream>
#include <numbers>

#include <gtest/gtest.h>

#include "../../test_support.h"
#include "fixture_csv.h"
#include "skyfence/core/units.h"
#include "skyfence/frames/frames.h"

namespace skyfence::frames {
namespace {

using testing::CsvFixture;

constexpr double kSecondsPerDay = 86400.0;

Vec3 vec(const CsvFixture::Row& row, const char* x, const char* y, const char* z) {
  return {row.num(x), row.num(y), row.num(z)};
}

void report(const char* what, double worst) {
  std::cout << "  worst " << what << ": " << worst << "\n";
}

TEST(FramesSkyfield, Gmst1982) {
  // Tolerance 1e-12 rad (7 nm at a 7000 km radius; seen: 1.4e-15): both sides evaluate the same
  // polynomial from the same two doubles, so only rounding remains. A one-part double JD (SGP4's
  // gstime) would miss by up to ~3e-9 rad and fail this test.
  const CsvFixture csv("gmst.csv");
  ASSERT_GE(csv.rows().size(), 40u);
  double worst = 0.0;
  for (const auto& row : csv.rows()) {
    const time::JulianDate jd{row.num("jd_ut1_whole"), row.num("jd_ut1_fraction")};
    const double d = std::abs(skyfence_test::angle_diff(gmst1982(jd), row.num("gmst_rad")));
    EXPECT_LT(d, 1e-12) << "JD " << jd.whole << " + " << jd.fraction;
    worst = std::fmax(worst, d);
  }
  report("GMST difference (rad)", worst);
}

TEST(FramesSkyfield, TemeToItrf) {
  const CsvFixture csv("teme_itrf.csv");
  ASSERT_GE(csv.rows().size(), 30u);
  double worst_r = 0.0;
  double worst_v_raw = 0.0;
  double worst_v = 0.0;
  for (const auto& row : csv.rows()) {
    const time::JulianDate jd{row.num("jd_ut1_whole"), row.num("jd_ut1_fraction")};
    const StateVector teme{vec(row, "teme_x_km", "teme_y_km", "teme_z_km"),
                           vec(row, "teme_vx_km_s", "teme_vy_km_s", "teme_vz_km_s")};
    const Vec3 r_ref = vec(row, "itrf_x_km", "itrf_y_km", "itrf_z_km");
    const Vec3 v_ref = vec(row, "itrf_vx_km_s", "itrf_vy_km_s", "itrf_vz_km_s");
    const StateVector itrf = teme_to_itrf(teme, jd);
    SCOPED_TRACE(::testing::Message() << "JD " << jd.whole << " + " << jd.fraction);

    // Position: 1e-9 km (1 um). Rounding of a rotation of |r| <= 61000 km is ~1e-11 km; the GMST
    // difference above (< 1e-14 rad here) adds < 1e-9 km even at 61000 km.
    const double dr = (itrf.r_km - r_ref).norm();
    EXPECT_LT(dr, 1e-9);
    worst_r = std::fmax(worst_r, dr);

    // Velocity: Skyfield's Earth rate is d(GMST)/dt, ours kEarthRotationRadPerS (as teme2ecef); the
    // two differ by dw = 7.1e-12 rad/s, so the velocities differ by exactly dw x r. Raw bound:
    // |dw| |r| + 1e-12 km/s. After removing dw x r, only rounding may remain: 1e-12 km/s.
    const double w_ref = row.num("gmst_rate_rad_per_day") / kSecondsPerDay;
    const double dw = w_ref - kEarthRotationRadPerS;
    EXPECT_GT(dw, 7.0e-12);
    EXPECT_LT(dw, 7.2e-12);
    const double raw = (itrf.v_km_s - v_ref).norm();
    EXPECT_LT(raw, dw * itrf.r_km.norm() + 1e-12);
    worst_v_raw = std::fmax(worst_v_raw, raw);
    // v_ours - v_ref = (w_ref - w_ours) (-y, x, 0).
    const Vec3 expected_gap{-dw * itrf.r_km.y, dw * itrf.r_km.x, 0.0};
    const double dv = (itrf.v_km_s - v_ref - expected_gap).norm();
    EXPECT_LT(dv, 1e-12);
    worst_v = std::fmax(worst_v, dv);

    // And back again.
    const StateVector back = itrf_to_teme(itrf, jd);
    EXPECT_LT((back.r_km - teme.r_km).norm(), 1e-10);
    EXPECT_LT((back.v_km_s - teme.v_km_s).norm(), 1e-13);
  }
  report("TEME->ITRF position difference (km)", worst_r);
  report("TEME->ITRF velocity difference, raw (km/s)", worst_v_raw);
  report("TEME->ITRF velocity difference, Earth-rate gap removed (km/s)", worst_v);
}

TEST(FramesSkyfield, GeodeticForward) {
  // Skyfield's closed-form forward formula against GeographicLib's: 1e-9 km (1 um). Both are exact
  // formulas; what remains is rounding (Skyfield works in au), ~1e-11 km.
  const CsvFixture csv("geodetic.csv");
  double worst_r = 0.0;
  double worst_lat = 0.0;
  double worst_lon = 0.0;
  double worst_alt = 0.0;
  int n = 0;
  for (const auto& row : csv.rows()) {
    if (row.str("kind") != "forward") continue;
    ++n;
    const double lat_deg = row.num("lat_deg");
    const Geodetic g = Geodetic::degrees(lat_deg, row.num("lon_deg"), row.num("alt_km"));
    const Vec3 r_ref = vec(row, "itrf_x_km", "itrf_y_km", "itrf_z_km");
    SCOPED_TRACE(::testing::Message()
                 << "lat " << lat_deg << " lon " << row.num("lon_deg") << " alt " << row.num("alt_km"));
    const double dr = (geodetic_to_itrf(g) - r_ref).norm();
    EXPECT_LT(dr, 1e-9);
    worst_r = std::fmax(worst_r, dr);
    // Our inverse recovers the grid from Skyfield's points: 1e-12 rad in angle (6 um on the
    // ground), 1e-9 km in height; at the poles the longitude is undefined and not compared. The
    // inputs themselves carry Skyfield's rounding (4e-13 km at the poles, where cos(pi/2) != 0).
    const Geodetic back = itrf_to_geodetic(r_ref);
    const double dlat = std::abs(back.lat_rad - g.lat_rad);
    EXPECT_LT(dlat, 1e-12);
    worst_lat = std::fmax(worst_lat, dlat);
    if (std::abs(lat_deg) < 90.0) {
      const double dlon = std::abs(skyfence_test::angle_diff(back.lon_rad, g.lon_rad));
      EXPECT_LT(dlon, 1e-12);
      worst_lon = std::fmax(worst_lon, dlon);
    }
    const double dalt = std::abs(back.alt_km - g.alt_km);
    EXPECT_LT(dalt, 1e-9);
    worst_alt = std::fmax(worst_alt, dalt);
  }
  EXPECT_GE(n, 600);
  report("geodetic->ITRF difference (km)", worst_r);
  report("ITRF->geodetic latitude difference (rad)", worst_lat);
  report("ITRF->geodetic longitude difference (rad)", worst_lon);
  report("ITRF->geodetic height difference (km)", worst_alt);
}

TEST(FramesSkyfield, GeodeticInverse) {
  // Skyfield's inverse stops after three fixed-point iterations from the geocentric latitude, which
  // leaves it up to 4.5e-10 rad (3 mm) short of converged on these points (iterating the same formula
  // to convergence closes the gap to 4e-16 rad); GeographicLib's closed form is good to 7 nm. So the
  // tolerances are set by Skyfield: 1e-9 rad in latitude (6 mm), 1e-9 km in height (Skyfield's worst
  // is 3.3e-10 km); longitude, atan2(y, x) on both sides, 1e-12 rad. Our own result is checked
  // tightly by mapping it forward again: 5e-11 km (a few ulps of a 42000 km radius).
  const CsvFixture csv("geodetic.csv");
  double worst_lat = 0.0;
  double worst_lon = 0.0;
  double worst_alt = 0.0;
  int n = 0;
  for (const auto& row : csv.rows()) {
    if (row.str("kind") != "inverse") continue;
    ++n;
    const Vec3 r = vec(row, "itrf_x_km", "itrf_y_km", "itrf_z_km");
    const Geodetic g = itrf_to_geodetic(r);
    SCOPED_TRACE(::testing::Message() << "r " << r.x << ", " << r.y << ", " << r.z);
    const double dlat = std::abs(g.lat_rad - row.num("lat_deg") * kRadPerDeg);
    const double dlon = std::abs(skyfence_test::angle_diff(g.lon_rad, row.num("lon_deg") * kRadPerDeg));
    const double dalt = std::abs(g.alt_km - row.num("alt_km"));
    EXPECT_LT(dlat, 1e-9);
    EXPECT_LT(dlon, 1e-12);
    EXPECT_LT(dalt, 1e-9);
    EXPECT_LT((geodetic_to_itrf(g) - r).norm(), 5e-11);
    worst_lat = std::fmax(worst_lat, dlat);
    worst_lon = std::fmax(worst_lon, dlon);
    worst_alt = std::fmax(worst_alt, dalt);
  }
  EXPECT_GE(n, 50);
  report("latitude difference (rad)", worst_lat);
  report("longitude difference (rad)", worst_lon);
  report("height difference (km)", worst_alt);
}

TEST(FramesSkyfield, TopocentricLookAngles) {
  // Skyfield builds the site's horizon frame from its own rotation matrices through the GCRS (and
  // back), we from GeographicLib's ENU vectors; both are exact, so what differs is rounding.
  // Tolerances: site position 1e-10 km, angles 1e-12 rad (seen: 7e-15), range 2e-10 km (seen: 4e-11,
  // Skyfield's km -> au -> km and GCRS round trip of ~8000 km), range rate 1e-12 km/s (seen: 1e-13).
  // Azimuth is compared only below 89.99 deg of elevation, where it is well conditioned.
  const CsvFixture csv("topocentric.csv");
  ASSERT_GE(csv.rows().size(), 60u);
  double worst_site = 0.0;
  double worst_el = 0.0;
  double worst_az = 0.0;
  double worst_range = 0.0;
  double worst_rate = 0.0;
  int above = 0;
  for (const auto& row : csv.rows()) {
    const Geodetic site =
        Geodetic::degrees(row.num("site_lat_deg"), row.num("site_lon_deg"), row.num("site_alt_km"));
    const Topocentric topo(site);
    const StateVector target{vec(row, "x_km", "y_km", "z_km"), vec(row, "vx_km_s", "vy_km_s", "vz_km_s")};
    const LookAngles look = topo.look(target);
    SCOPED_TRACE(::testing::Message()
                 << "site " << row.num("site_lat_deg") << ", " << row.num("site_lon_deg") << " target "
                 << target.r_km.x << ", " << target.r_km.y << ", " << target.r_km.z);
    const double ds = (topo.site_itrf_km() - vec(row, "site_x_km", "site_y_km", "site_z_km")).norm();
    const double del = std::abs(look.elevation_rad - row.num("elevation_rad"));
    const double dr = std::abs(look.range_km - row.num("range_km"));
    const double drr = std::abs(look.range_rate_km_s - row.num("range_rate_km_s"));
    EXPECT_LT(ds, 1e-10);
    EXPECT_LT(del, 1e-12);
    EXPECT_LT(dr, 2e-10);
    EXPECT_LT(drr, 1e-12);
    EXPECT_GE(look.azimuth_rad, 0.0);
    EXPECT_LT(look.azimuth_rad, 2.0 * std::numbers::pi);
    if (look.elevation_rad < 89.99 * kRadPerDeg) {
      const double daz = std::abs(skyfence_test::angle_diff(look.azimuth_rad, row.num("azimuth_rad")));
      EXPECT_LT(daz, 1e-12);
      worst_az = std::fmax(worst_az, daz);
    }
    if (look.elevation_rad > 0.0) ++above;
    worst_site = std::fmax(worst_site, ds);
    worst_el = std::fmax(worst_el, del);
    worst_range = std::fmax(worst_range, dr);
    worst_rate = std::fmax(worst_rate, drr);
  }
  EXPECT_GE(above, 20);  // the fixture must exercise visible satellites, not only the far side
  report("site position difference (km)", worst_site);
  report("elevation difference (rad)", worst_el);
  report("azimuth difference (rad)", worst_az);
  report("range difference (km)", worst_range);
  report("range-rate difference (km/s)", worst_rate);
}

}  // namespace
}  // namespace skyfence::frames
