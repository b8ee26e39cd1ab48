// Degrees and radians: the one pair of conversion factors of the project. Header-only.
//
// kRadPerDeg is pi / 180 and kDegPerRad is 180 / pi, each rounded once to double from std::numbers::pi
// (a double); 1.0 / kRadPerDeg rounds to kDegPerRad exactly (tests/unit/core/units_test.cpp), so code
// that divided by the one and code that multiplies by the other agree. Multiply: angle_rad =
// angle_deg * kRadPerDeg, angle_deg = angle_rad * kDegPerRad. (x * pi / 180.0, a product then a quotient,
// rounds twice and may differ from x * kRadPerDeg in the last bit: keep whichever form a result was
// defined with.)
#pragma once

#include <numbers>

namespace skyfence {

inline constexpr double kRadPerDeg = std::numbers::pi / 180.0;
inline constexpr double kDegPerRad = 180.0 / std::numbers::pi;

}  // namespace skyfence
