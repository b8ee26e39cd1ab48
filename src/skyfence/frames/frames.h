// Earth frames: TEME (SGP4's output), ITRF/ECEF, WGS84 geodetic, topocentric look angles.
//
// TEME -> ITRF follows Vallado, "Fundamentals of Astrodynamics and Applications", 4th ed., and
// AIAA 2006-6753 (teme2ecef): a rotation by GMST (IAU 1982, as SGP4 expects) about z, velocity
// including the omega x r term with the Earth rate of the same model; polar motion is neglected
// (xp = yp = 0, an error below 20 m), UT1 = UTC (see time/instant.h). Accuracy claims and the
// tests that prove them are listed in docs/accuracy.md.
#pragma once

#include "skyfence/frames/vec3.h"
#include "skyfence/time/instant.h"

namespace skyfence::frames {

// Greenwich mean sidereal time, IAU 1982 model (as SGP4's gstime), radians in [0, 2pi).
double gmst1982(time::JulianDate ut1);
// Earth's rotation rate used with gmst1982, rad/s (7.292115146706979e-5, Vallado 2006).
inline constexpr double kEarthRotationRadPerS = 7.292115146706979e-5;

// TEME state (km, km/s) at UT1 Julian date -> ITRF (pseudo-Earth-fixed, no polar motion).
StateVector teme_to_itrf(const StateVector& teme, time::JulianDate ut1);
// The inverse of teme_to_itrf.
StateVector itrf_to_teme(const StateVector& itrf, time::JulianDate ut1);

// WGS84 geodetic coordinates. Latitude and longitude in radians (longitude in (-pi, pi]),
// altitude above the ellipsoid in km.
struct Geodetic {
  double lat_rad = 0.0;
  double lon_rad = 0.0;
  double alt_km = 0.0;
  static Geodetic degrees(double lat_deg, double lon_deg, double alt_km = 0.0);
};

// Exact conversions via GeographicLib::Geocentric (accuracy: a few nanometres).
Geodetic itrf_to_geodetic(const Vec3& r_km);
Vec3 geodetic_to_itrf(const Geodetic& g);

// Look angles of a target seen from a ground site.
struct LookAngles {
  double azimuth_rad = 0.0;    // from north, clockwise (east = pi/2), in [0, 2pi)
  double elevation_rad = 0.0;  // above the local geodetic horizon, [-pi/2, pi/2]
  double range_km = 0.0;
  double range_rate_km_s = 0.0;  // d(range)/dt, positive when receding
};

// A ground site prepared for repeated look-angle evaluation (set up once, evaluate many times).
class Topocentric {
 public:
  explicit Topocentric(const Geodetic& site);
  [[nodiscard]] const Geodetic& site() const { return site_; }
  [[nodiscard]] const Vec3& site_itrf_km() const { return r_site_; }
  // Target state in ITRF (the site is at rest in ITRF).
  [[nodiscard]] LookAngles look(const StateVector& target_itrf) const;
  // East, north, up components (km) of an ITRF vector relative to the site.
  [[nodiscard]] Vec3 enu(const Vec3& target_itrf_km) const;

 private:
  Geodetic site_;
  Vec3 r_site_;
  // Rows of the ITRF -> ENU rotation.
  Vec3 east_, north_, up_;
};

}  // namespace skyfence::frames
