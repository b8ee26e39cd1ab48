// Where can a terminal be, given which satellite served it when? Each observation "satellite S served
// the terminal at t" puts the terminal where S was in view at t (rule `visible`: S at or above the
// minimum elevation), or, stricter, where S was also among the k highest satellites in view (rule
// `top_k`, when the scheduler is assumed to prefer high satellites). The consistent set is the set of
// positions meeting every observation (or all but `max_outliers` of them).
//
// Method: S2 cells are refined from coarse ones (the prior's covering, or the six faces for the whole
// Earth) down to `level`, a cell being split only while it may still hold a consistent position. The
// test of a cell is conservative, never exact: with the cell's centre c, the angle delta within which
// every point's surface normal lies (earth::CellCap), and d = 6399.6 km x delta (the longest radius of
// curvature of WGS84 times the angle: no point of the cell is farther from c), a satellite's elevation
// anywhere in the cell lies within b = delta + asin(d / (range_c - d)) of its elevation e_c at c (the
// local vertical turns by at most delta, the direction to the satellite by at most the asin term). So
// a cell fails an observation only when e_c(S) + b_S < the minimum elevation, or when at least k other
// satellites have e_c(T) - b_T > e_c(S) + b_S (higher than S everywhere in the cell). The result holds
// every cell of `level` that holds a consistent position (the true one included, when the
// observations are right), plus cells within about one cell of the boundary of the consistent set.
// The same test applied to every cell of `level` without refinement gives the same cells
// (tests/unit/detection/locate_test.cpp), and no position meeting the observations exactly lies outside
// them.
#pragma once

#include <cstddef>
#include <cstdint>
#include <numbers>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "skyfence/core/run_context.h"
#include "skyfence/detection/observations.h"
#include "skyfence/earth/region.h"
#include "skyfence/frames/frames.h"
#include "skyfence/visibility/fleet.h"

namespace skyfence::detection {

enum class Rule { visible, top_k };

struct LocateOptions {
  // The provider's minimum elevation. DEFAULT: 25 deg. REQUIRES: in [-pi/2, pi/2].
  double min_elevation_rad = 25.0 * std::numbers::pi / 180.0;
  Rule rule = Rule::visible;  // DEFAULT: visible
  // With Rule::top_k: the serving satellite was among the k highest in view. DEFAULT: 1 (the highest).
  // REQUIRES: >= 1.
  unsigned k = 1;
  // S2 level of the cells of the result. DEFAULT: 13 (about 1.3 km^2, 1.1 km across). REQUIRES: in
  // [1, 20].
  int level = 13;
  // Observations a cell may fail and still be kept (wrong observations tolerated). DEFAULT: 0.
  std::size_t max_outliers = 0;
};

// One cell of the consistent set.
struct LocatedCell {
  std::uint64_t id = 0;
  frames::Geodetic centre;
  double area_km2 = 0.0;
  std::uint32_t misses = 0;  // observations the cell fails (<= max_outliers)
};

// Why an observation was not used.
struct UnusedObservation {
  Observation observation;
  std::string reason;  // "satellite not in the catalog", "SGP4 error at that time: ..."
};

struct Location {
  std::vector<LocatedCell> cells;  // in cell id order; empty when no position meets the observations
  std::size_t observations_used = 0;
  std::vector<UnusedObservation> unused;
  double area_km2 = 0.0;  // of the cells
  // The area-weighted mean of the cells' centres (their normals, renormalised); unset without cells.
  std::optional<frames::Geodetic> estimate;
  // The radius of a circle about the estimate holding every cell whole (great-circle km on the mean
  // Earth sphere); 0 without cells.
  double radius_km = 0.0;
  // Cells tested on the way down (the cost of the search).
  std::size_t cells_tested = 0;
};

// The prior: where the terminal may be before the observations. `region` unset: the whole Earth.
struct Prior {
  std::optional<earth::Region> region;
};

// The consistent set of one terminal. Observations of a satellite the fleet lacks, or at a time its
// SGP4 fails, are listed in `unused`, not used. Threads from `run` (the result does not depend on them);
// progress ("locate", share of the levels done); a stop requested through `run` throws Cancelled.
// Throws std::invalid_argument on a violated REQUIRES. Cost: one propagation of the fleet per
// observation, then per level about (cells kept) x 4 x (observations tested before one fails) cell
// tests, each 1 look angle (plus the competing satellites, about 100 for Starlink, with top_k).
Location locate(const visibility::Fleet& fleet, std::span<const Observation> observations, const Prior& prior,
                const LocateOptions& options = {}, const RunContext& run = {});

// The observations of a terminal at `position` under the scheduler model of the top-1 rule: each slot
// (start + k x slot, k < slots), the satellite of the fleet highest in view at or above
// min_elevation_rad serves it (ties: the lower fleet index); no observation while none is in view. Each
// observation's line is k + 2, as if written to a file with a header. For examples, tests and
// benchmarks (scripts/simulate-observations.sh does the same with `skyfence visible`).
std::vector<Observation> simulate_observations(const visibility::Fleet& fleet,
                                               const frames::Geodetic& position, time::Instant start,
                                               int slots, time::Duration slot,
                                               double min_elevation_rad = 25.0 * std::numbers::pi / 180.0);

// The exact test at given positions: the number of observations each fails (the oracle of the tests).
std::vector<std::size_t> misses_at(const visibility::Fleet& fleet, std::span<const Observation> observations,
                                   std::span<const frames::Geodetic> positions,
                                   const LocateOptions& options = {});

// The same cells as locate() found without refinement: every cell of options.level that may meet the
// prior's region, tested alone (for the tests). REQUIRES: prior.region set. Cost: grows as 4^level.
Location locate_flat(const visibility::Fleet& fleet, std::span<const Observation> observations,
                     const Prior& prior, const LocateOptions& options = {});

}  // namespace skyfence::detection
