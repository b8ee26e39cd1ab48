// GMST (IAU 1982): range, invariance under how the Julian date is split, and rate.
#include <cmath>
#include <numbers>

#include <gtest/gtest.h>

#include "../../test_support.h"
#include "skyfence/core/units.h"
#include "skyfence/frames/frames.h"

namespace skyfence::frames {
namespace {

constexpr double kTwoPi = 2.0 * std::numbers::pi;

// Angular difference folded into (-pi, pi], so 0 and 2pi - tiny compare as close.

TEST(FramesGmst, AtJ2000IsTheConstantTerm) {
  // At T = 0 only 67310.54841 s remain: 67310.54841 / 240 = 280.460618375 deg.
  EXPECT_NEAR(gmst1982({2451545.0, 0.0}), 280.460618375 * kRadPerDeg, 1e-14);
}

TEST(FramesGmst, StaysInZeroToTwoPi) {
  for (double whole = 2430000.5; whole < 2480000.0; whole += 997.0) {
    for (double fraction = -1.5; fraction <= 1.5; fraction += 0.0625) {
      const double g = gmst1982({whole, fraction});
      EXPECT_GE(g, 0.0);
      EXPECT_LT(g, kTwoPi);
    }
  }
  // A fraction just below one turn must not come back as 2pi.
  EXPECT_LT(gmst1982({2460676.5, std::nextafter(1.0, 0.0)}), kTwoPi);
}

TEST(FramesGmst, DoesNotDependOnHowTheDateIsSplit) {
  // The same instant written as midnight + fraction, noon + fraction, and with a fraction beyond a day
  // or negative: all splits must agree to a few ulps of 2pi (the splits are exact in binary).
  const double g = gmst1982({2460000.5, 0.375});
  EXPECT_NEAR(skyfence_test::angle_diff(gmst1982({2460000.0, 0.875}), g), 0.0, 4e-15);
  EXPECT_NEAR(skyfence_test::angle_diff(gmst1982({2459999.5, 1.375}), g), 0.0, 4e-15);
  EXPECT_NEAR(skyfence_test::angle_diff(gmst1982({2460001.5, -0.625}), g), 0.0, 4e-15);
  EXPECT_NEAR(skyfence_test::angle_diff(gmst1982({2460000.375, 0.5}), g), 0.0, 4e-15);
}

TEST(FramesGmst, ResolvesMicroseconds) {
  // One microsecond of UT1 turns the Earth by d(GMST)/dt * 1e-6 s = 7.29e-11 rad; the two-part date
  // keeps that resolution (a one-part double JD today rounds to ~40 us).
  constexpr double kDay = 86400.0;
  const time::JulianDate t0{2460676.5, 0.25};
  const time::JulianDate t1{2460676.5, 0.25 + 1e-6 / kDay};
  // d(GMST)/dt in rad/s: (1 + (8640184.812866 + ...)/(86400 * 36525)) * 2pi / 86400 = 7.2921158553e-5.
  EXPECT_NEAR(skyfence_test::angle_diff(gmst1982(t1), gmst1982(t0)), 7.2921158553e-11, 3e-15);
}

TEST(FramesGmst, AdvancesOneSiderealDayPerTurn) {
  // One mean solar day of UT1 turns GMST by 2pi plus the daily sidereal excess
  // (8640184.812866 s / 36525 per day = 236.555 s of time, 0.98565 deg at J2000).
  const double d = skyfence_test::angle_diff(gmst1982({2451546.0, 0.0}), gmst1982({2451545.0, 0.0}));
  EXPECT_NEAR(d, 8640184.812866 / 36525.0 / 240.0 * kRadPerDeg, 1e-12);
}

}  // namespace
}  // namespace skyfence::frames
