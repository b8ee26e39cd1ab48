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
// The date may be split anyhow (fraction negative or beyond one day is fine); the one-day turn of the
// model is taken from each part separately, so the result keeps ~1e-14 rad where gstime on a one-part
// double JD is limited to ~3e-9 rad by the date's rounding. Accuracy against Skyfield's
// theta_GMST1982: 1e-12 rad (FramesSkyfield.Gmst1982); Vallado Example 3-5 (FramesVallado.*).
double gmst1982(time::JulianDate ut1);
// Earth's rotation rate used with gmst1982, rad/s (7.292115146706979e-5, Vallado 2006).
inline constexpr double kEarthRotationRadPerS = 7.292115146706979e-5;

// TEME state (km, km/s) at UT1 Julian date -> ITRF (pseudo-Earth-fixed, no polar motion).
// Against Skyfield's TEME_to_ITRF (xp = yp = 0): position 1e-9 km; velocity differs by exactly
// (7.1e-12 rad/s) x r because Skyfield's Earth rate is d(GMST)/dt, not kEarthRotationRadPerS
// (4.3e-7 km/s at 60000 km), and agrees to 1e-12 km/s once that is removed
// (FramesSkyfield.TemeToItrf). Round trip with itrf_to_teme: 1e-10 km, 1e-13 km/s (FramesTemeItrf.*).
StateVector teme_to_itrf(const StateVector& teme, time::JulianDate ut1);
// The inverse of teme_to_itrf (a state at rest in ITRF gets v = omega x r in TEME).
StateVector itrf_to_teme(const StateVector& itrf, time::JulianDate ut1);

// WGS84 geodetic coordinates. Latitude and longitude in radians (longitude in (-pi, pi]),
// altitude above the ellipsoid in km.
struct Geodetic {
  double lat_rad = 0.0;
  double lon_rad = 0.0;
  double alt_km = 0.0;
  // REQUIRES: |lat_deg| <= 90. Any longitude is wrapped into (-180, 180] first (so -180 -> +pi).
  static Geodetic degrees(double lat_deg, double lon_deg, double alt_km = 0.0);
};

// Exact conversions via GeographicLib::Geocentric (accuracy: a few nanometres; 7 nm within 5000 km
// of the surface per GeographicLib). Round trips over a grid with poles and the antimeridian:
// 1e-14 rad, 5e-11 km (FramesGeodetic.*); against Skyfield's forward formula 1e-9 km and its
// inverse within its own 4.5e-10 rad truncation (FramesSkyfield.Geodetic*).
// itrf_to_geodetic: on the z axis lon = 0; the Earth's centre gives lat = +pi/2, alt = -b; the
// longitude of a point on the antimeridian is +pi. geodetic_to_itrf REQUIRES |lat_rad| <= pi/2
// (otherwise the result is NaN).
Geodetic itrf_to_geodetic(const Vec3& r_km);
Vec3 geodetic_to_itrf(const Geodetic& g);

// Look angles of a target seen from a ground site. A target at the site itself gets all zeros.
// Against Skyfield's altaz and frame_latlon_and_rates: angles 1e-12 rad, range 2e-10 km, range
// rate 1e-12 km/s (FramesSkyfield.TopocentricLookAngles); overhead, compass points and edge cases in
// FramesTopocentric*.
struct LookAngles {
  double azimuth_rad = 0.0;    // from north, clockwise (east = pi/2), in [0, 2pi)
  double elevation_rad = 0.0;  // above the local geodetic horizon, [-pi/2, pi/2]
  double range_km = 0.0;
  double range_rate_km_s = 0.0;  // d(range)/dt, positive when receding
};

// A ground site prepared for repeated look-angle evaluation (set up once, evaluate many times;
// immutable after construction, so safe to share between threads). At a pole the local axes are the
// limits along the site's meridian, so its longitude still matters: at the north pole "north" points
// along the meridian lon + 180 deg, at the south pole along lon.
class Topocentric {
 public:
  explicit Topocentric(const Geodetic& site);
  [[nodiscard]] const Geodetic& site() const { return site_; }
  [[nodiscard]] const Vec3& site_itrf_km() const { return r_site_; }
  // Target state in ITRF (the site is at rest in ITRF).
  [[nodiscard]] LookAngles look(const StateVector& target_itrf) const;
  // East, north, up components (km) of an ITRF vector relative to the site. Inline: it is the inner
  // loop of the in-view tests.
  [[nodiscard]] Vec3 enu(const Vec3& target_itrf_km) const {
    const Vec3 rel = target_itrf_km - r_site_;
    return {east_.dot(rel), north_.dot(rel), up_.dot(rel)};
  }

 private:
  Geodetic site_;
  Vec3 r_site_;
  // Rows of the ITRF -> ENU rotation.
  Vec3 east_, north_, up_;
};

}  // namespace skyfence::frames
