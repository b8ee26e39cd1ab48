// Satellites prepared for visibility work, and their look angles from a ground site.
//
// A Fleet is set up once from element sets (SGP4 initialisation, the batched propagator) and is
// immutable afterwards, so one Fleet serves any number of threads. Positions go TEME (SGP4) ->
// ITRF (frames::teme_to_itrf: GMST 1982, UT1 = UTC, no polar motion) -> topocentric (WGS84 local
// vertical, frames::Topocentric). SGP4's time argument is the TAI difference between the requested
// instant and the element set's epoch (docs/design.md, "Time").
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "skyfence/core/run_context.h"
#include "skyfence/frames/frames.h"
#include "skyfence/orbits/batch.h"
#include "skyfence/orbits/element_set.h"
#include "skyfence/orbits/sgp4.h"
#include "skyfence/time/instant.h"

namespace skyfence::visibility {

class Fleet {
 public:
  // sgp4_init of every set (WGS-72, improved mode, as `skyfence propagate`). Sets that fail to
  // initialise stay in the fleet and report their error on every evaluation.
  explicit Fleet(std::span<const orbits::ElementSet> sets);

  [[nodiscard]] std::size_t size() const { return records_.size(); }
  [[nodiscard]] const orbits::Sgp4Record& record(std::size_t i) const { return records_[i]; }
  [[nodiscard]] std::span<const orbits::Sgp4Record> records() const { return records_; }
  [[nodiscard]] time::Instant epoch(std::size_t i) const { return epochs_[i]; }
  [[nodiscard]] std::uint32_t norad_id(std::size_t i) const { return records_[i].norad_id; }
  // Orbital period from the Kozai mean motion, seconds (infinity for a mean motion <= 0).
  [[nodiscard]] double period_s(std::size_t i) const;
  [[nodiscard]] const orbits::BatchPropagator& batch() const { return batch_; }

  // ITRF state (km, km/s) of satellite i at t. Returns the SGP4 error (out unspecified unless none).
  // Thread-safe. Cost: one sgp4() call (~0.7 us) plus the rotation.
  orbits::Sgp4Error itrf_state(std::size_t i, time::Instant t, frames::StateVector& out) const;

  // ITRF states of every satellite at t with the batched propagator. states[i] is NaN where
  // errors[i] != Sgp4Error::none. Results do not depend on `threads` (0 = all cores).
  void itrf_states(time::Instant t, std::vector<frames::StateVector>& states,
                   std::vector<orbits::Sgp4Error>& errors, const RunContext& run = {}) const;

 private:
  std::vector<orbits::Sgp4Record> records_;
  std::vector<time::Instant> epochs_;
  orbits::BatchPropagator batch_;
};

// Look angles with the rate of change of elevation.
struct SatelliteLook {
  frames::LookAngles angles;
  // d(elevation)/dt, rad/s, from the relative velocity (the site is at rest in ITRF): exact for the
  // given state, no differencing. 0 straight overhead or at the site, where it is undefined.
  double elevation_rate_rad_s = 0.0;
  orbits::Sgp4Error error = orbits::Sgp4Error::none;  // angles are unspecified unless none
  [[nodiscard]] bool ok() const { return error == orbits::Sgp4Error::none; }
};

// Look angles of fleet satellite i from `site` at t. Accuracy: that of frames::Topocentric::look
// on the SGP4 state (tests/unit/visibility/look_test.cpp checks it against a hand-made chain and
// the elevation rate against a central difference).
SatelliteLook look_angles(const Fleet& fleet, std::size_t i, const frames::Topocentric& site,
                          time::Instant t);

// Elevation rate (rad/s) of an ITRF target state seen from `site`, as in SatelliteLook.
double elevation_rate_rad_s(const frames::Topocentric& site, const frames::StateVector& target_itrf);

}  // namespace skyfence::visibility
