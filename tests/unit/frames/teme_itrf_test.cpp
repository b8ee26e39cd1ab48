// TEME <-> ITRF: round trips, invariants of the rotation, and the omega x r velocity term.
#include <cmath>
#include <cstdint>
#include <random>

#include <gtest/gtest.h>

#include "../../test_seed.h"
#include "skyfence/frames/frames.h"

namespace skyfence::frames {
namespace {

void expect_vec_near(const Vec3& a, const Vec3& b, double tol) {
  EXPECT_NEAR(a.x, b.x, tol);
  EXPECT_NEAR(a.y, b.y, tol);
  EXPECT_NEAR(a.z, b.z, tol);
}

TEST(FramesTemeItrf, RoundTripOverRandomStates) {
  const std::uint64_t seed = skyfence_test::test_seed("teme_itrf round trip", 12345);
  SCOPED_TRACE(::testing::Message() << "seed " << seed);
  std::mt19937 rng(static_cast<std::mt19937::result_type>(seed));
  std::uniform_real_distribution<double> pos(-45000.0, 45000.0);
  std::uniform_real_distribution<double> vel(-8.0, 8.0);
  std::uniform_real_distribution<double> day(2436000.0, 2472500.0);
  std::uniform_real_distribution<double> frac(0.0, 1.0);
  double worst_r = 0.0;
  double worst_v = 0.0;
  for (int i = 0; i < 2000; ++i) {
    const StateVector teme{{pos(rng), pos(rng), pos(rng)}, {vel(rng), vel(rng), vel(rng)}};
    const time::JulianDate jd{std::floor(day(rng)) + 0.5, frac(rng)};
    const StateVector back = itrf_to_teme(teme_to_itrf(teme, jd), jd);
    worst_r = std::fmax(worst_r, (back.r_km - teme.r_km).norm());
    worst_v = std::fmax(worst_v, (back.v_km_s - teme.v_km_s).norm());
  }
  // Rounding only: a few ulps of |r| <= 78000 km (~1e-11 km) and of omega * |r| (~6 km/s).
  EXPECT_LT(worst_r, 1e-10);
  EXPECT_LT(worst_v, 1e-13);
}

TEST(FramesTemeItrf, PreservesRadiusAndZ) {
  const StateVector teme{{-2000.5, 6200.25, 1500.125}, {-6.5, -1.25, 3.0}};
  const time::JulianDate jd{2460310.5, 0.6180339887};
  const StateVector itrf = teme_to_itrf(teme, jd);
  EXPECT_NEAR(itrf.r_km.norm(), teme.r_km.norm(), 1e-11);
  EXPECT_EQ(itrf.r_km.z, teme.r_km.z);
  EXPECT_EQ(itrf.v_km_s.z, teme.v_km_s.z);
}

TEST(FramesTemeItrf, RotatesByGmst) {
  // A TEME point on the x axis lands at longitude -GMST in ITRF.
  const time::JulianDate jd{2458000.5, 0.3};
  const double g = gmst1982(jd);
  const StateVector itrf = teme_to_itrf({{7000.0, 0.0, 0.0}, {0.0, 0.0, 0.0}}, jd);
  EXPECT_NEAR(itrf.r_km.x, 7000.0 * std::cos(g), 1e-11);
  EXPECT_NEAR(itrf.r_km.y, -7000.0 * std::sin(g), 1e-11);
}

TEST(FramesTemeItrf, GroundPointIsAtRestInItrf) {
  // A point fixed on the Earth moves in TEME with omega x r; converting that back must give zero
  // ITRF velocity, and the forward conversion must produce exactly that TEME velocity.
  const time::JulianDate jd{2460500.5, 0.123};
  const StateVector ground{{4000.0, -3000.0, 3500.0}, {0.0, 0.0, 0.0}};
  const StateVector teme = itrf_to_teme(ground, jd);
  const double w = kEarthRotationRadPerS;
  expect_vec_near(teme.v_km_s, {-w * teme.r_km.y, w * teme.r_km.x, 0.0}, 1e-15);
  expect_vec_near(teme_to_itrf(teme, jd).v_km_s, {0.0, 0.0, 0.0}, 1e-15);
}

TEST(FramesTemeItrf, GeostationaryIsNearlyFixed) {
  // A circular equatorial orbit at the geostationary radius moving with the Earth's rate has (almost)
  // no ITRF velocity; 42164.17 km and kEarthRotationRadPerS give v = 3.0747 km/s.
  const double r = 42164.17;
  const double w = kEarthRotationRadPerS;
  const time::JulianDate jd{2460000.5, 0.0};
  const StateVector teme{{r, 0.0, 0.0}, {0.0, w * r, 0.0}};
  expect_vec_near(teme_to_itrf(teme, jd).v_km_s, {0.0, 0.0, 0.0}, 1e-12);
}

TEST(FramesTemeItrf, OriginStaysAtOrigin) {
  const StateVector zero{};
  const StateVector itrf = teme_to_itrf(zero, {2460000.5, 0.7});
  expect_vec_near(itrf.r_km, {0.0, 0.0, 0.0}, 0.0);
  expect_vec_near(itrf.v_km_s, {0.0, 0.0, 0.0}, 0.0);
}

}  // namespace
}  // namespace skyfence::frames
