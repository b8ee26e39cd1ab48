// SGP4/SDP4 analytic propagation of mean element sets, as in the reference implementation of
// D. A. Vallado, P. Crawford, R. Hujsak, T. S. Kelso, "Revisiting Spacetrack Report #3",
// AIAA 2006-6753 (the "improved" operation mode by default), written anew for skyfence.
//
// Set-up (sgp4_init) is separate from evaluation (sgp4): the record is immutable after init, so one
// record serves any number of threads. The deep-space resonance integrator restarts from epoch on
// every call instead of caching its state in the record (same results: its steps are fixed).
// Accuracy: reproduces tcppver.out (Vallado's verification output, printed to 1e-8 km and 1e-9 km/s)
// within 2e-7 km and 2e-9 km/s on every row, and stops at the same rows with the same error codes:
// tests/validation/orbits/vallado_test.cpp (measured maxima in docs/accuracy.md). SGP4 itself is a
// model of about 1 km accuracy at epoch, growing by a few km per day: these tolerances are about
// reproducing the reference arithmetic, not about where the satellite is.
//
// Deviations from the reference, none of which changes a verification row:
//  - sgp4_init rejects what the reference would silently turn into NaN: a non-finite element, an
//    eccentricity outside [0, 1) (Sgp4Error::mean_elements) and a mean motion <= 0
//    (Sgp4Error::mean_motion).
//  - The deep-space resonance integrator restarts from epoch on every call (see above).
//  - Per-call values that the reference writes back into its record (the deep-space short-period
//    coefficients aycof, xlcof, con41, x1mth2, x7thm1; the singly averaged mean elements) stay local
//    to sgp4(): in a deep-space record those fields keep sgp4init's values (from the unperturbed
//    inclination), which sgp4() recomputes on every call instead of reading.
// Cost (one x86-64 core, -O3): sgp4() takes about 0.7 us near earth and 1.3 us in deep space; a
// resonant deep-space call adds one integrator step (about 0.3 us) per 720 min of |tsince|.
#pragma once

#include <string_view>

#include "skyfence/frames/vec3.h"
#include "skyfence/orbits/element_set.h"

namespace skyfence::orbits {

// The reference implementation's error codes, with the same numbers.
enum class Sgp4Error : int {
  none = 0,
  mean_elements = 1,           // mean eccentricity (after drag) >= 1 or < -0.001; at init: e outside [0, 1)
  mean_motion = 2,             // mean motion (after the resonance terms) <= 0; at init: n <= 0
  perturbed_eccentricity = 3,  // perturbed eccentricity outside [0, 1]
  semi_latus_rectum = 4,       // semi-latus rectum less than zero
  suborbital = 5,              // epoch elements are sub-orbital (no longer raised by the reference)
  decayed = 6,                 // orbit has decayed: radius below one earth radius
};
// A sentence saying what the error means, for messages ("mean motion less than zero").
std::string_view describe(Sgp4Error e);

enum class GravityModel { wgs72old, wgs72, wgs84 };
enum class OpsMode { afspc, improved };

struct GravityConstants {
  double tumin, mu, radiusearthkm, xke, j2, j3, j4, j3oj2;
};
GravityConstants gravity_constants(GravityModel model);

// The initialised state of one satellite. Field names follow the reference implementation so
// that the code can be checked against the paper line by line.
struct Sgp4Record {
  std::uint32_t norad_id = 0;
  Sgp4Error init_error = Sgp4Error::none;  // set by sgp4_init; a record with an error never propagates
  GravityConstants gc{};
  OpsMode opsmode = OpsMode::improved;
  double jdsatepoch = 0.0, jdsatepochF = 0.0;  // UTC Julian date of epoch, two parts

  // Semi-major axis (earth radii) from the un-Kozai'd mean motion, apogee and perigee heights above
  // the earth's equatorial radius (earth radii), at epoch. Informational.
  double a = 0.0, alta = 0.0, altp = 0.0;

  // Mean elements at epoch (radians, rad/min), SGP4's units.
  double no_kozai = 0.0, no_unkozai = 0.0, ecco = 0.0, inclo = 0.0, nodeo = 0.0, argpo = 0.0, mo = 0.0;
  double bstar = 0.0, ndot = 0.0, nddot = 0.0;

  // Near-earth terms.
  int isimp = 0;
  char method = 'n';  // 'n' near earth (SGP4), 'd' deep space (SDP4: period >= 225 min)
  double aycof = 0, con41 = 0, cc1 = 0, cc4 = 0, cc5 = 0, d2 = 0, d3 = 0, d4 = 0, delmo = 0, eta = 0,
         argpdot = 0, omgcof = 0, sinmao = 0, t2cof = 0, t3cof = 0, t4cof = 0, t5cof = 0, x1mth2 = 0,
         x7thm1 = 0, mdot = 0, nodedot = 0, xlcof = 0, xmcof = 0, nodecf = 0;

  // Deep-space terms. irez: 0 no resonance, 1 synchronous (24 h), 2 half-day (12 h, e >= 0.5).
  int irez = 0;
  double d2201 = 0, d2211 = 0, d3210 = 0, d3222 = 0, d4410 = 0, d4422 = 0, d5220 = 0, d5232 = 0, d5421 = 0,
         d5433 = 0, dedt = 0, del1 = 0, del2 = 0, del3 = 0, didt = 0, dmdt = 0, dnodt = 0, domdt = 0, e3 = 0,
         ee2 = 0, peo = 0, pgho = 0, pho = 0, pinco = 0, plo = 0, se2 = 0, se3 = 0, sgh2 = 0, sgh3 = 0,
         sgh4 = 0, sh2 = 0, sh3 = 0, si2 = 0, si3 = 0, sl2 = 0, sl3 = 0, sl4 = 0, gsto = 0, xfact = 0,
         xgh2 = 0, xgh3 = 0, xgh4 = 0, xh2 = 0, xh3 = 0, xi2 = 0, xi3 = 0, xl2 = 0, xl3 = 0, xl4 = 0,
         xlamo = 0, zmol = 0, zmos = 0;
};

// Initialises a record (the reference's sgp4init, including its call of sgp4 at tsince 0, whose
// error is reported in init_error). Converts the element set as the reference's twoline2rv does:
// degrees -> radians, rev/day -> rad/min, ndot / (xpdotp * 1440), nddot / (xpdotp * 1440^2) with
// xpdotp = 1440 / (2 pi); the epoch is time::jd_utc(es.epoch). Never throws on bad elements: they
// give init_error (see the deviations above).
Sgp4Record sgp4_init(const ElementSet& es, GravityModel model = GravityModel::wgs72,
                     OpsMode opsmode = OpsMode::improved);

// Position (km) and velocity (km/s) in TEME at `tsince_min` minutes after the record's epoch.
// Returns Sgp4Error::none on success; on an error `out` is unspecified. Thread-safe (const record).
Sgp4Error sgp4(const Sgp4Record& rec, double tsince_min, frames::StateVector& out);

}  // namespace skyfence::orbits
