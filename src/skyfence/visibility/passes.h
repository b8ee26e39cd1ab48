// Passes of satellites over ground sites: acquisition of signal (AOS: the elevation rises through the
// minimum), time of closest approach (TCA: the highest elevation of the pass) and loss of signal
// (LOS), found by root finding.
//
// Method, for each satellite and site over [start, stop]:
//  1. Coarse scan. The satellite's ITRF state is sampled every `scan_step` (120 s; the last sample is
//     `stop`) with the batched propagator. At each sample z = sin(elevation) = u / rho (u the up
//     component of the site-to-satellite vector, rho its length) and its exact rate
//     z' = (u' rho^2 - u (rel . v)) / rho^3 are computed from the relative velocity. Working with
//     sin(elevation) keeps the function smooth through the zenith.
//  2. Each interval between samples holds at most one extremum of the elevation (see "Step" below), so
//     a sign change of z' from + to - brackets the one maximum and from - to + the one minimum; the
//     extremum is found by Brent's method on z', and splits the interval into monotonic pieces, each
//     with at most one AOS or LOS, found by Newton's method safeguarded by bisection on
//     z - sin(min_elevation) (the analytic z' is the derivative). A pass that rises and sets between
//     two samples is therefore found through its maximum. Maxima below the threshold are skipped
//     without root finding when a bound proves the interval cannot reach it: z is Lipschitz with
//     constant |v| / rho_low (the direction to the satellite turns no faster than |v| / rho), so
//     max z <= (z_a + z_b + L h) / 2, with |v| bounded by 1.05 max(|v_a|, |v_b|) + 0.0115 km/s^2 * h
//     (gravity, J2, Coriolis and centrifugal terms in ITRF stay below 0.0115 km/s^2 above the ground).
//  3. Roots are iterated until the bracket is narrower than `tolerance` (1 ms), so AOS, TCA and LOS are
//     found to better than 1 ms of the model's own elevation curve (the 0.1 s the product asks for, with
//     margin); the maximum elevation is evaluated at TCA with frames::Topocentric::look.
// Step. Elevation extrema come from the satellite's closest and farthest approaches to the site, about
// half an orbit apart: more than 40 minutes for any Earth orbit (period >= 84 min). A 120 s step puts
// more than 20 samples between extrema (Skyfield's find_events uses P/20, about 5 min for Starlink).
// The claim is tested, not assumed: tests/oracle/visibility/passes_oracle_test.cpp compares against a
// 1 s brute-force scan on real Starlink, OneWeb and Iridium element sets and random orbits (300 to
// 2000 km, eccentricity to 0.05), sites with poles and the antimeridian, minimum elevations -10 to 80 deg.
//
// Edges. A pass already above the minimum at `start` gets aos = start and aos_clipped; one still above
// it at `stop` gets los = stop and los_clipped; its TCA is the highest point inside the window. When SGP4
// fails for a satellite (e.g. decay) the satellite's window ends at its last good sample: the failure is
// reported in PassList::failures and a pass under way then is closed there with los_clipped.
//
// Against Skyfield's EarthSatellite.find_events (an independent implementation) on 50 Starlink element
// sets (52), 3 sites, 2 days, 25 deg: AOS/LOS within 1 s, maximum elevation within 0.01 deg
// (tests/validation/visibility/skyfield_passes_test.cpp; measured figures in docs/accuracy.md).
//
// Cost: (stop - start) / 120 s batched SGP4 samples per satellite, an elevation test per sample and
// site, and a few scalar SGP4 evaluations per root (Newton/Brent) for each pass. Parallel over satellites
// (fixed blocks), identical results for any thread count.
#pragma once

#include <cstdint>
#include <functional>
#include <numbers>
#include <span>
#include <vector>

#include "skyfence/earth/trajectory.h"
#include "skyfence/frames/frames.h"
#include "skyfence/orbits/sgp4.h"
#include "skyfence/time/instant.h"
#include "skyfence/visibility/fleet.h"

namespace skyfence::visibility {

struct PassOptions {
  // Minimum elevation on the WGS84 local vertical; the satellite is in view at or above it.
  // DEFAULT: 25 deg. REQUIRES: -pi/2 < min_elevation_rad < pi/2.
  double min_elevation_rad = 25.0 * std::numbers::pi / 180.0;
  // Coarse scan step. DEFAULT: 120 s. REQUIRES: 0 < scan_step <= 120 s (see "Step" above).
  time::Duration scan_step = time::Duration::nanoseconds(120'000'000'000);
  // Root-finding tolerance: brackets are narrowed below it. DEFAULT: 1 ms. REQUIRES: >= 1 us.
  time::Duration tolerance = time::Duration::nanoseconds(1'000'000);
};

struct Pass {
  std::uint32_t satellite = 0;  // index in the fleet
  std::uint32_t site = 0;       // index in the sites
  time::Instant aos, tca, los;
  double max_elevation_rad = 0.0;  // at tca
  double aos_azimuth_rad = 0.0, tca_azimuth_rad = 0.0, los_azimuth_rad = 0.0;
  bool aos_clipped = false;  // already in view at the window's start: aos is the start
  bool los_clipped = false;  // still in view at the window's end (or the satellite's SGP4 failure)
  [[nodiscard]] time::Duration duration() const { return los - aos; }
};

// A satellite whose SGP4 propagation failed inside the window: its passes end at its last good sample.
struct PassFailure {
  std::uint32_t satellite = 0;
  time::Instant when;  // the first failing time found
  orbits::Sgp4Error error = orbits::Sgp4Error::none;
};

struct PassList {
  // Sorted by aos, then NORAD id, then site index (then fleet index).
  std::vector<Pass> passes;
  std::vector<PassFailure> failures;  // by fleet index
};

// Passes of every satellite of `fleet` over every site between start and stop (inclusive). Never throws
// on a satellite's SGP4 error (see PassList::failures); throws std::invalid_argument on options
// outside their REQUIRES or stop < start. Satellites are searched in blocks on run.workers() threads (the
// result does not depend on them); progress ("passes", share of the satellites done) after each block,
// from any worker, one call at a time; a stop requested through `run` lets the blocks under way finish,
// starts no other, and throws skyfence::Cancelled.
PassList find_passes(const Fleet& fleet, std::span<const frames::Geodetic> sites, time::Instant start,
                     time::Instant stop, const PassOptions& options = {}, const RunContext& run = {});

// Passes over terminals that may move (earth/trajectory.h), Pass::site indexing `terminals`. Terminals
// at rest are searched as sites by find_passes (the same passes). A moving terminal is searched
// on the scan grid plus its own sample times, so that between two grid samples it moves smoothly along
// one great-circle segment; sin(elevation) and its rate then take its ITRF velocity and the turning of
// its local vertical into account (finite differences inside the segment), the Lipschitz bound adds
// that turn rate, and the azimuths and elevations are looked from where it is at each instant. Checked
// against a 1 s brute-force scan along moving tracks (tests/oracle/visibility/passes_oracle_test.cpp).
// Cost: the fixed terminals' search, plus one search of the fleet per moving terminal. Throws, reports
// progress and stops as find_passes.
PassList find_terminal_passes(const Fleet& fleet, std::span<const earth::Track> terminals,
                              time::Instant start, time::Instant stop, const PassOptions& options = {},
                              const RunContext& run = {});

}  // namespace skyfence::visibility
