// Re-fitting an element set to another epoch: SGP4 mean elements at a chosen epoch whose SGP4
// trajectory reproduces the original element set's over a time window, for tools that need one epoch
// for every satellite (Hypatia's satgenpy requires it; its ns-3 module propagates each TLE from its own
// epoch plus the simulation time). docs/network.md, "Epochs", has the method and measured residuals.
//
// Method: differential correction (Vallado, "Fundamentals of Astrodynamics and Applications", 4th ed.,
// sec. 10.4-10.5: least squares on observations, a numerically differentiated Jacobian, iterated). The
// observations are the original's SGP4 states (TEME position, and velocity scaled by the orbit's
// 1/n, so that a few samples, or one, determine the six unknowns) at evenly spaced instants of the
// window. The unknowns are the six mean elements at the new epoch in a non-singular form for near-
// circular orbits: mean motion, e cos(w), e sin(w), inclination, right ascension of the ascending node
// and the mean argument of latitude w + M. The drag term, ndot and nddot are the original's. Steps are
// Levenberg-Marquardt (a damped Gauss-Newton), started from the original's elements carried to the new
// epoch at SGP4's secular rates.
//
// Decisions:
//  - The result is the element set as its TLE text reads back (orbits::format_tle then parse_tle): the
//    fields a TLE holds are quantized (angles to 1e-4 deg, about 12 m at 550 km; the epoch to 1e-8 day,
//    864 us), and the residual is measured on what a reader of the text gets.
//  - Time since epoch: a reader propagates the set to `epoch` + s at tsince = s (ns-3's simulation time
//    since the state's start); the residual is measured that way, against the original at the same UTC
//    instant. The written epoch may differ from `epoch` by up to 432 us (its rounding): the TEME position
//    then matches, the Earth under it has turned by up to 0.2 m.
//  - An element set whose epoch is within 432 us of `epoch` (the same TLE epoch field) is kept as it is,
//    not re-fitted: Hypatia's own TLEs at its state's start pass through unchanged.
//  - An original that SGP4 cannot propagate at some instant of the window is kept as it is, with its
//    error: it has no trajectory there to reproduce.
#pragma once

#include <cstddef>
#include <span>
#include <vector>

#include "skyfence/core/run_context.h"
#include "skyfence/orbits/element_set.h"
#include "skyfence/orbits/sgp4.h"
#include "skyfence/time/instant.h"

namespace skyfence::orbits {

struct RefitOptions {
  // Fit instants over the window, ends included: one a minute, at least 2 and at most 25 (one when the
  // window is a single instant). DEFAULT: 0 (that rule); else this many (>= 1).
  int fit_samples = 0;
  // Instants at which the residual is measured, evenly spaced, ends included. DEFAULT: 101 (REQUIRES >= 1).
  int check_samples = 101;
  int max_iterations = 30;  // Levenberg-Marquardt steps. DEFAULT: 30
};

struct RefitResult {
  ElementSet elements;    // the re-fitted set as its TLE text reads back, or the original when kept
  bool refitted = false;  // false: kept (already at the epoch, or it fails to propagate)
  Sgp4Error error = Sgp4Error::none;  // the original's SGP4 error in the window, when it has one
  // Largest distance (km) between the written set's position (at tsince = t - epoch) and the
  // original's, over the check instants t of the window; 0 for a set that cannot propagate.
  double max_position_error_km = 0.0;
  int iterations = 0;  // Levenberg-Marquardt steps taken
};

// Re-fits `original` to `epoch` over the window [first, last] (UTC instants). REQUIRES: first <= last
// (else std::invalid_argument). Never throws for bad elements: they are kept, with `error`. The new
// set keeps the original's name, ids, classification, designator (in its TLE form), drag terms and
// revolution number.
// Accuracy: on the bundled Starlink (10,238 sets) and OneWeb (651) catalogs, at most 43 m and 13 m over
// a 5-minute window, 401 m and 13 m over an hour (mean 5-6 m; docs/network.md, "Epochs"); checked within
// 1 km by OrbitsRefit.ReproducesRealCatalogsWithinAKilometre. Cost: about (fit samples + 1) x 7 SGP4
// evaluations per Levenberg-Marquardt step; 0.8 s of CPU for the 10,238 Starlink sets over 5 minutes.
RefitResult refit_to_epoch(const ElementSet& original, time::Instant epoch, time::Instant first,
                           time::Instant last, const RefitOptions& options = {});

// refit_to_epoch for every set, in parallel on run.workers() threads (results in the sets' order, the
// same for any thread count); progress under "refit", stop requests through `run`.
std::vector<RefitResult> refit_to_epoch(std::span<const ElementSet> sets, time::Instant epoch,
                                        time::Instant first, time::Instant last,
                                        const RefitOptions& options = {}, const RunContext& run = {});

}  // namespace skyfence::orbits
