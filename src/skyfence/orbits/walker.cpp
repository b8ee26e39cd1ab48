// Walker delta/star generators. See walker.h for the pattern formulas and the altitude relationship.
#include "skyfence/orbits/walker.h"

#include <cmath>
#include <numbers>
#include <string>

#include "skyfence/core/error.h"
#include "skyfence/core/units.h"
#include "skyfence/orbits/sgp4.h"

namespace skyfence::orbits {

namespace {

constexpr double kPi = std::numbers::pi;

// Angle in [0, 360).
double wrap_deg(double a) {
  double r = std::fmod(a, 360.0);
  if (r < 0.0) r += 360.0;
  if (r >= 360.0) r -= 360.0;  // fmod of a tiny negative value plus 360 can round up to 360
  return r;
}

int digits(int n) {
  int d = 1;
  while (n >= 10) {
    n /= 10;
    ++d;
  }
  return d;
}

std::string padded(int value, int width) {
  std::string s = std::to_string(value);
  if (static_cast<int>(s.size()) < width) s.insert(0, static_cast<std::size_t>(width) - s.size(), '0');
  return s;
}

void check_altitude(double altitude_km, double inclination_deg, const std::string& where) {
  if (!(altitude_km >= 100.0 && altitude_km <= 40000.0)) {
    throw InputError(SourceLocation{where, 0, "altitude_km"},
                     "expected 100 to 40000 km, found " + std::to_string(altitude_km));
  }
  if (!(inclination_deg >= 0.0 && inclination_deg <= 180.0)) {
    throw InputError(SourceLocation{where, 0, "inclination_deg"},
                     "expected 0 to 180 degrees, found " + std::to_string(inclination_deg));
  }
}

void check_shell(const WalkerShell& s, const std::string& where) {
  check_altitude(s.altitude_km, s.inclination_deg, where);
  if (s.planes < 1) {
    throw InputError(SourceLocation{where, 0, "planes"},
                     "expected at least 1 plane, found " + std::to_string(s.planes));
  }
  if (s.sats_per_plane < 1) {
    throw InputError(SourceLocation{where, 0, "sats_per_plane"},
                     "expected at least 1 satellite per plane, found " + std::to_string(s.sats_per_plane));
  }
  if (s.phasing < 0 || s.phasing >= s.planes) {
    throw InputError(SourceLocation{where, 0, "phasing"},
                     "expected a Walker phasing F from 0 to planes - 1 = " + std::to_string(s.planes - 1) +
                         ", found " + std::to_string(s.phasing));
  }
  if (s.pattern == WalkerPattern::star && s.raan_step_deg != 0.0) {
    if (!(s.raan_step_deg > 0.0 && s.raan_step_deg * (s.planes - 1) < 360.0)) {
      throw InputError(SourceLocation{where, 0, "raan_step_deg"},
                       "expected a positive RAAN step whose planes span less than 360 degrees, found " +
                           std::to_string(s.raan_step_deg));
    }
  }
  if (!std::isfinite(s.raan0_deg) || !std::isfinite(s.u0_deg)) {
    throw InputError(SourceLocation{where, 0, "raan0_deg/u0_deg"}, "expected finite angles");
  }
}

}  // namespace

double WalkerShell::effective_raan_step_deg() const {
  if (pattern == WalkerPattern::delta) return 360.0 / planes;
  return raan_step_deg != 0.0 ? raan_step_deg : 180.0 / planes;
}

double mean_motion_for_altitude(double altitude_km, double inclination_deg) {
  check_altitude(altitude_km, inclination_deg, "mean_motion_for_altitude");
  const GravityConstants gc = gravity_constants(GravityModel::wgs72);
  const double cosi = std::cos(inclination_deg * kRadPerDeg);
  const double con41 = 3.0 * cosi * cosi - 1.0;
  // Mean radius (earth radii) = a (1 + e'^2 / 2) - 0.75 J2 con41 / a, where e' = aycof / a is the J3
  // long-period eccentricity SGP4 adds (aycof = -0.5 (J3/J2) sin i; e'^2 / 2 is ~3 m at 1000 km).
  // Solved by fixed point from the J2-only root; two or three steps reach 1e-15.
  const double rbar = 1.0 + altitude_km / gc.radiusearthkm;
  const double aycof = -0.5 * gc.j3oj2 * std::sin(inclination_deg * kRadPerDeg);
  double a = 0.5 * (rbar + std::sqrt(rbar * rbar + 3.0 * gc.j2 * con41));
  for (int iter = 0; iter < 10; ++iter) {
    const double e2 = (aycof / a) * (aycof / a);
    a = (rbar + 0.75 * gc.j2 * con41 / a) / (1.0 + 0.5 * e2);
  }
  const double n_brouwer = gc.xke / std::pow(a, 1.5);  // rad/min
  // sgp4_init's conversion for e = 0 (improved mode):
  //   ak = (xke/n_k)^(2/3); d1 = 0.75 J2 con41; del = d1/ak^2;
  //   adel = ak (1 - del^2 - del (1/3 + 134 del^2 / 81)); del0 = d1/adel^2; n_brouwer = n_k / (1 + del0).
  // Fixed point n_k = n_brouwer (1 + del0(n_k)): del0 ~ 1e-3, so each step gains ~3 digits.
  const double d1 = 0.75 * gc.j2 * con41;
  double n_kozai = n_brouwer;
  for (int iter = 0; iter < 50; ++iter) {
    const double ak = std::pow(gc.xke / n_kozai, 2.0 / 3.0);
    const double del = d1 / (ak * ak);
    const double adel = ak * (1.0 - del * del - del * (1.0 / 3.0 + 134.0 * del * del / 81.0));
    const double del0 = d1 / (adel * adel);
    const double next = n_brouwer * (1.0 + del0);
    const bool converged = std::abs(next - n_kozai) <= 1e-15 * n_kozai;
    n_kozai = next;
    if (converged) break;
  }
  return n_kozai * 1440.0 / (2.0 * kPi);
}

GeneratedConstellation generate_walker(std::span<const WalkerShell> shells, time::Instant epoch,
                                       const WalkerOptions& options) {
  std::uint64_t total = 0;
  for (std::size_t i = 0; i < shells.size(); ++i) {
    const std::string where = "walker shell " + std::to_string(i);
    check_shell(shells[i], where);
    total += static_cast<std::uint64_t>(shells[i].total());
  }
  if (total > 0 && options.first_norad_id + (total - 1) > 0xffffffffull) {
    throw InputError(SourceLocation{"walker", 0, "first_norad_id"},
                     "expected room for " + std::to_string(total) + " NORAD ids after " +
                         std::to_string(options.first_norad_id));
  }

  GeneratedConstellation out;
  out.sets.reserve(total);
  out.slots.reserve(total);
  std::uint32_t id = options.first_norad_id;
  for (std::size_t si = 0; si < shells.size(); ++si) {
    const WalkerShell& s = shells[si];
    const double n = mean_motion_for_altitude(s.altitude_km, s.inclination_deg);
    const double raan_step = s.effective_raan_step_deg();
    const double slot_step = 360.0 / s.sats_per_plane;
    const double phase_step = 360.0 * s.phasing / s.total();  // f * 360 / t between adjacent planes
    const int plane_width = digits(s.planes - 1);
    const int slot_width = digits(s.sats_per_plane - 1);
    const std::string shell_prefix = options.prefix + "-" + std::to_string(si) + "-";
    for (int j = 0; j < s.planes; ++j) {
      const double raan = wrap_deg(s.raan0_deg + j * raan_step);
      for (int k = 0; k < s.sats_per_plane; ++k) {
        ElementSet es;
        es.name = shell_prefix + padded(j, plane_width) + "-" + padded(k, slot_width);
        es.norad_id = id++;
        es.epoch = epoch;
        es.inclination_deg = s.inclination_deg;
        es.raan_deg = raan;
        es.eccentricity = 0.0;  // sgp4_init accepts 0; SGP4 floors its working eccentricity at 1e-6
        es.arg_perigee_deg = 0.0;
        // Each term reduced separately before summing keeps the sum exact to a few 1e-13 degrees.
        es.mean_anomaly_deg = wrap_deg(s.u0_deg + k * slot_step + wrap_deg(j * phase_step));
        es.mean_motion_rev_per_day = n;
        out.sets.push_back(std::move(es));
        out.slots.push_back(WalkerSlot{static_cast<int>(si), j, k});
      }
    }
  }
  return out;
}

}  // namespace skyfence::orbits
