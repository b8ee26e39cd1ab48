#include "skyfence/visibility/fleet.h"

#include <cmath>
#include <limits>
#include <numbers>

#include "skyfence/time/scales.h"

namespace skyfence::visibility {
namespace {

std::vector<orbits::Sgp4Record> init_all(std::span<const orbits::ElementSet> sets) {
  std::vector<orbits::Sgp4Record> out;
  out.reserve(sets.size());
  for (const auto& es : sets) out.push_back(orbits::sgp4_init(es));
  return out;
}

}  // namespace

Fleet::Fleet(std::span<const orbits::ElementSet> sets) : records_(init_all(sets)), batch_(records_) {
  epochs_.reserve(sets.size());
  for (const auto& es : sets) epochs_.push_back(es.epoch);
}

double Fleet::period_s(std::size_t i) const {
  const double n = records_[i].no_kozai;  // rad/min
  if (!(n > 0.0)) return std::numeric_limits<double>::infinity();
  return 2.0 * std::numbers::pi / n * 60.0;
}

orbits::Sgp4Error Fleet::itrf_state(std::size_t i, time::Instant t, frames::StateVector& out) const {
  frames::StateVector teme;
  const orbits::Sgp4Error e = orbits::sgp4(records_[i], (t - epochs_[i]).to_minutes(), teme);
  if (e != orbits::Sgp4Error::none) return e;
  out = frames::teme_to_itrf(teme, time::jd_utc(t));
  return orbits::Sgp4Error::none;
}

void Fleet::itrf_states(time::Instant t, std::vector<frames::StateVector>& states,
                        std::vector<orbits::Sgp4Error>& errors, const RunContext& run) const {
  const std::size_t n = size();
  std::vector<double> offsets(n);
  for (std::size_t i = 0; i < n; ++i) offsets[i] = (t - epochs_[i]).to_minutes();
  const double zero = 0.0;
  orbits::BatchStates bs;
  batch_.propagate_grid(offsets, std::span<const double>(&zero, 1), bs, run);
  // frames::teme_to_itrf with the step's GMST computed once: the same operations, so the same doubles.
  const double g = frames::gmst1982(time::jd_utc(t));
  const double c = std::cos(g);
  const double s = std::sin(g);
  const double w = frames::kEarthRotationRadPerS;
  states.resize(n);
  errors.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    errors[i] = bs.error[i];
    frames::StateVector& out = states[i];
    out.r_km = {c * bs.x[i] + s * bs.y[i], -s * bs.x[i] + c * bs.y[i], bs.z[i]};
    out.v_km_s = {c * bs.vx[i] + s * bs.vy[i] + w * out.r_km.y, -s * bs.vx[i] + c * bs.vy[i] - w * out.r_km.x,
                  bs.vz[i]};
  }
}

double elevation_rate_rad_s(const frames::Topocentric& site, const frames::StateVector& target_itrf) {
  // el = atan2(u, h) with u the up component and h = hypot(east, north) of the relative vector; with
  // rho^2 = u^2 + h^2, d(el)/dt = (u' rho^2 - u (rel . v)) / (rho^2 h). The site is at rest in ITRF, so
  // the relative velocity is the target's, and u' = up . v.
  const frames::Vec3 enu = site.enu(target_itrf.r_km);
  const double e = enu.x, n = enu.y, u = enu.z;
  const double rho2 = e * e + n * n + u * u;
  const double h = std::hypot(e, n);
  if (!(h > 0.0) || !(rho2 > 0.0)) return 0.0;
  const frames::Geodetic& g = site.site();
  const frames::Vec3 up{std::cos(g.lat_rad) * std::cos(g.lon_rad), std::cos(g.lat_rad) * std::sin(g.lon_rad),
                        std::sin(g.lat_rad)};
  const frames::Vec3 rel = target_itrf.r_km - site.site_itrf_km();
  return (up.dot(target_itrf.v_km_s) * rho2 - u * rel.dot(target_itrf.v_km_s)) / (rho2 * h);
}

SatelliteLook look_angles(const Fleet& fleet, std::size_t i, const frames::Topocentric& site,
                          time::Instant t) {
  SatelliteLook out;
  frames::StateVector sv;
  out.error = fleet.itrf_state(i, t, sv);
  if (!out.ok()) return out;
  out.angles = site.look(sv);
  out.elevation_rate_rad_s = elevation_rate_rad_s(site, sv);
  return out;
}

}  // namespace skyfence::visibility
