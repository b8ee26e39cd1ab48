// Earth frames. References:
//  - GMST (IAU 1982): Vallado, "Fundamentals of Astrodynamics and Applications", 4th ed., eq. 3-47,
//    and the gstime routine of Vallado's SGP4 (AIAA 2006-6753, "Revisiting Spacetrack Report #3").
//  - TEME -> PEF: AIAA 2006-6753, teme2ecef, with xp = yp = 0 (so PEF is taken as ITRF).
//  - Geodetic: GeographicLib::Geocentric (Karney's version of Vermeille 2002).
// Accuracy claims and the tests proving them: docs/accuracy.md, "frames".
#include "skyfence/frames/frames.h"

#include <GeographicLib/Geocentric.hpp>

#include <cmath>
#include <numbers>
#include <vector>

#include "skyfence/core/units.h"

namespace skyfence::frames {
namespace {

constexpr double kTwoPi = 2.0 * std::numbers::pi;
constexpr double kMetresPerKm = 1000.0;

constexpr double kJ2000JulianDate = 2451545.0;
constexpr double kDaysPerJulianCentury = 36525.0;
constexpr double kSecondsPerDay = 86400.0;

// Fractional part in [0, 1). std::fmod is exact, so this adds no rounding of its own except the
// final +1 for negative inputs.
double turns_in_unit_interval(double turns) {
  double f = std::fmod(turns, 1.0);
  if (f < 0.0) f += 1.0;
  // -tiny + 1 rounds to 1.0: that is a whole turn, i.e. zero.
  if (f >= 1.0) f = 0.0;
  return f;
}

// Longitude in degrees -> (-180, 180]. std::remainder is exact.
double normalize_lon_deg(double lon_deg) {
  double l = std::remainder(lon_deg, 360.0);
  if (l <= -180.0) l += 360.0;
  return l;
}

const GeographicLib::Geocentric& wgs84() {
  return GeographicLib::Geocentric::WGS84();
}

}  // namespace

double gmst1982(time::JulianDate ut1) {
  // Vallado eq. 3-47 in seconds of time:
  //   GMST = 67310.54841 + (876600 h + 8640184.812866) T + 0.093104 T^2 - 6.2e-6 T^3,
  // T in Julian centuries of UT1 from J2000. The 876600 h * T term is 86400 s per day of UT1, i.e.
  // exactly one turn per day elapsed: it is taken in turns from the two parts of the date separately,
  // so the ~1e4-day count never has to carry the sub-microsecond fraction in one double. (SGP4's
  // gstime evaluates the same polynomial from one double JD, which rounds the date to ~40 us in this
  // century, ~3e-9 rad of rotation; the two-part evaluation keeps ~1e-14 rad.)
  const double whole_days = ut1.whole - kJ2000JulianDate;  // exact for any date of interest
  const double t = (whole_days + ut1.fraction) / kDaysPerJulianCentury;
  const double g_s = 67310.54841 + (8640184.812866 + (0.093104 + (-6.2e-6) * t) * t) * t;
  const double turns =
      std::fmod(whole_days, 1.0) + std::fmod(ut1.fraction, 1.0) + std::fmod(g_s / kSecondsPerDay, 1.0);
  double theta = turns_in_unit_interval(turns) * kTwoPi;
  if (theta >= kTwoPi) theta = 0.0;  // a fraction just below 1 can round up to a whole turn
  return theta;
}

// v_itrf = R3(gmst) v_teme - omega x r_itrf, omega = (0, 0, kEarthRotationRadPerS). The rate is the
// header's constant (as teme2ecef), not d(gmst)/dt, which is larger by 7.1e-12 rad/s: the two
// choices differ by 7.1e-12 rad/s * |r| (3e-7 km/s at GEO), far below SGP4's own error.
StateVector teme_to_itrf(const StateVector& teme, time::JulianDate ut1) {
  const double g = gmst1982(ut1);
  const double c = std::cos(g);
  const double s = std::sin(g);
  const Vec3& r = teme.r_km;
  const Vec3& v = teme.v_km_s;
  StateVector out;
  out.r_km = {c * r.x + s * r.y, -s * r.x + c * r.y, r.z};
  const double w = kEarthRotationRadPerS;
  out.v_km_s = {c * v.x + s * v.y + w * out.r_km.y, -s * v.x + c * v.y - w * out.r_km.x, v.z};
  return out;
}

StateVector itrf_to_teme(const StateVector& itrf, time::JulianDate ut1) {
  const double g = gmst1982(ut1);
  const double c = std::cos(g);
  const double s = std::sin(g);
  const Vec3& r = itrf.r_km;
  const double w = kEarthRotationRadPerS;
  // Add omega x r back first: this is the velocity of the Earth-fixed frame's point in inertial terms.
  const Vec3 v = {itrf.v_km_s.x - w * r.y, itrf.v_km_s.y + w * r.x, itrf.v_km_s.z};
  StateVector out;
  out.r_km = {c * r.x - s * r.y, s * r.x + c * r.y, r.z};
  out.v_km_s = {c * v.x - s * v.y, s * v.x + c * v.y, v.z};
  return out;
}

Geodetic Geodetic::degrees(double lat_deg, double lon_deg, double alt_km) {
  Geodetic g;
  g.lat_rad = lat_deg * kRadPerDeg;
  g.lon_rad = normalize_lon_deg(lon_deg) * kRadPerDeg;
  g.alt_km = alt_km;
  return g;
}

Geodetic itrf_to_geodetic(const Vec3& r_km) {
  double lat_deg = 0.0;
  double lon_deg = 0.0;
  double h_m = 0.0;
  wgs84().Reverse(r_km.x * kMetresPerKm, r_km.y * kMetresPerKm, r_km.z * kMetresPerKm, lat_deg, lon_deg, h_m);
  Geodetic g;
  g.lat_rad = lat_deg * kRadPerDeg;
  // GeographicLib returns [-180, 180]; the contract is (-pi, pi].
  g.lon_rad = normalize_lon_deg(lon_deg) * kRadPerDeg;
  g.alt_km = h_m / kMetresPerKm;
  return g;
}

namespace {

// Degrees for GeographicLib. A latitude of exactly +/-pi/2 rad can come back as 90.00000000000001 deg,
// which GeographicLib would reject (NaN): clamp within the valid radian range, leave the rest alone.
double lat_rad_to_deg(double lat_rad) {
  const double lat_deg = lat_rad * kDegPerRad;
  if (std::abs(lat_rad) <= std::numbers::pi / 2.0) return std::fmin(90.0, std::fmax(-90.0, lat_deg));
  return lat_deg;
}

}  // namespace

Vec3 geodetic_to_itrf(const Geodetic& g) {
  double x_m = 0.0;
  double y_m = 0.0;
  double z_m = 0.0;
  wgs84().Forward(lat_rad_to_deg(g.lat_rad), g.lon_rad * kDegPerRad, g.alt_km * kMetresPerKm, x_m, y_m, z_m);
  return {x_m / kMetresPerKm, y_m / kMetresPerKm, z_m / kMetresPerKm};
}

Topocentric::Topocentric(const Geodetic& site) : site_(site) {
  // GeographicLib's local frame matrix M (row-major) maps ENU to geocentric, so its columns are the
  // east, north and up unit vectors in ITRF; its sines and cosines of degrees are exact at multiples
  // of 90 deg, so a site on the equator or a pole gets exactly axis-aligned vectors.
  std::vector<double> m(9);
  double x_m = 0.0;
  double y_m = 0.0;
  double z_m = 0.0;
  wgs84().Forward(lat_rad_to_deg(site.lat_rad), site.lon_rad * kDegPerRad, site.alt_km * kMetresPerKm, x_m,
                  y_m, z_m, m);
  r_site_ = {x_m / kMetresPerKm, y_m / kMetresPerKm, z_m / kMetresPerKm};
  east_ = {m[0], m[3], m[6]};
  north_ = {m[1], m[4], m[7]};
  up_ = {m[2], m[5], m[8]};
}

LookAngles Topocentric::look(const StateVector& target_itrf) const {
  const Vec3 rel = target_itrf.r_km - r_site_;
  const double e = east_.dot(rel);
  const double n = north_.dot(rel);
  const double u = up_.dot(rel);
  LookAngles out;
  out.range_km = rel.norm();
  // atan2 rather than asin(u / range): well conditioned near the zenith too.
  out.elevation_rad = std::atan2(u, std::hypot(e, n));
  double az = std::atan2(e, n);
  if (az < 0.0) az += kTwoPi;
  if (az >= kTwoPi) az = 0.0;  // -tiny + 2pi rounds to 2pi
  out.azimuth_rad = az;
  // The site is at rest in ITRF, so the relative velocity is the target's ITRF velocity.
  out.range_rate_km_s = out.range_km > 0.0 ? rel.dot(target_itrf.v_km_s) / out.range_km : 0.0;
  return out;
}

}  // namespace skyfence::frames
