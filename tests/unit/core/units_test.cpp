#include "skyfence/core/units.h"

#include <gtest/gtest.h>

#include <numbers>

namespace skyfence {
namespace {

TEST(Units, DegreesAndRadians) {
  // The documented definitions, and the exact values they round to (hexadecimal literals).
  EXPECT_EQ(kRadPerDeg, std::numbers::pi / 180.0);
  EXPECT_EQ(kDegPerRad, 180.0 / std::numbers::pi);
  EXPECT_EQ(kRadPerDeg, 0x1.1df46a2529d39p-6);
  EXPECT_EQ(kDegPerRad, 0x1.ca5dc1a63c1f8p+5);
  // One is the other's reciprocal, rounded: code written either way agrees.
  EXPECT_EQ(1.0 / kRadPerDeg, kDegPerRad);
  EXPECT_EQ(180.0 * kRadPerDeg, std::numbers::pi);
  EXPECT_EQ(90.0 * kRadPerDeg, std::numbers::pi / 2.0);
}

}  // namespace
}  // namespace skyfence
