// Small Cartesian vector and state types. Units are in the member names' documentation: km, km/s.
#pragma once

#include <cmath>

namespace skyfence::frames {

struct Vec3 {
  double x = 0.0, y = 0.0, z = 0.0;
  constexpr Vec3 operator+(const Vec3& o) const { return {x + o.x, y + o.y, z + o.z}; }
  constexpr Vec3 operator-(const Vec3& o) const { return {x - o.x, y - o.y, z - o.z}; }
  constexpr Vec3 operator*(double k) const { return {x * k, y * k, z * k}; }
  [[nodiscard]] constexpr double dot(const Vec3& o) const { return x * o.x + y * o.y + z * o.z; }
  [[nodiscard]] double norm() const { return std::sqrt(dot(*this)); }
};

// Position (km) and velocity (km/s) in one frame; which frame is the caller's contract.
struct StateVector {
  Vec3 r_km;
  Vec3 v_km_s;
};

}  // namespace skyfence::frames
