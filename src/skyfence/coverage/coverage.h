// Coverage of ground points (cell centres or sites) by one or more providers over a time window:
// for each step and point, the number of satellites in view above a minimum elevation, reduced on the
// fly to statistics per point and provider (nothing of size steps x points is stored).
//
// Method, per step: the batched SGP4 propagator gives every satellite's TEME state, rotated to ITRF by
// frames::teme_to_itrf (the same doubles as visibility::Fleet::itrf_states). Points are sorted once on a
// grid of geocentric latitude and longitude (internal/point_grid.h); for each satellite only the rows of
// the cap of Earth-central radius visibility::search_radius_rad around it are visited, and in each row
// the contiguous run of points inside the cap's longitude extent at that row's latitudes. Each
// candidate gets a sqrt-free test u|u| >= s|s| |rel|^2 (u: component of the site-to-satellite vector
// rel along the WGS84 vertical, s = sin(min elevation)) with a margin of 1e-12 |rel|^2, which decides
// every pair whose elevation is more than ~5e-13 rad from the minimum; the rare pairs inside the margin
// get the exact test frames::Topocentric::look(state).elevation_rad >= min_elevation. So the counts
// equal those of the brute-force test of every pair (coverage_brute_force) bit for bit
// (tests/oracle/coverage/coverage_oracle_test.cpp).
//
// Determinism: counts are integers summed per step, statistics integer sums, so results are identical
// for any thread count.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <numbers>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include "skyfence/core/error.h"
#include "skyfence/core/run_context.h"
#include "skyfence/frames/frames.h"
#include "skyfence/time/instant.h"
#include "skyfence/time/window.h"
#include "skyfence/visibility/fleet.h"

namespace skyfence::coverage {

// A constellation whose satellites count together. The fleet must outlive the computation.
struct Provider {
  std::string name;
  const visibility::Fleet* fleet = nullptr;  // REQUIRES: not null
};

// The steps: window.at(0), ..., window.at(window.size() - 1), i.e. start, start + step, ... before stop
// (time/window.h: the one convention of the product). An empty window gives empty statistics.
using Window = time::Window;

struct CoverageOptions {
  // Minimum elevation on the WGS84 local vertical; a satellite exactly at it is in view.
  // DEFAULT: 25 deg. REQUIRES: -pi/2 <= min_elevation_rad <= pi/2.
  double min_elevation_rad = 25.0 * std::numbers::pi / 180.0;
  // Per provider minimum elevations (radians, index as the providers); empty: min_elevation_rad for
  // all. "any" counts each provider's satellites at its own minimum. REQUIRES: empty or one per
  // provider, each in [-pi/2, pi/2].
  std::vector<double> provider_min_elevation_rad;
  // A point is served at a step when at least min_sats satellites are in view. DEFAULT: 1. REQUIRES: >= 1.
  std::uint32_t min_sats = 1;
  // Point grid cell size, degrees; 0 = automatic (about 1.5 deg, coarser for few points).
  // DEFAULT: 0. REQUIRES: 0 or in [0.1, 180]. Results do not depend on it.
  double cell_deg = 0.0;
  // Steps propagated together (the batched propagator's time block). DEFAULT: 16. REQUIRES: >= 1.
  // Results do not depend on it.
  std::size_t steps_per_block = 16;
  // Optional: whether each provider may serve each point at a step (an operator's service policy).
  // Called once per step and provider, in step order, with `permitted` sized to the points (input
  // order) and preset to 1; set an entry to 0 where service is not permitted. When set, the statistics
  // also count steps_served_permitted. May be called from any one thread at a time.
  std::function<void(std::size_t provider, time::Instant at, std::span<std::uint8_t> permitted)> permission;
  // Optional: called once per step, in step order, after the step is folded into the statistics, with
  // the number of satellites in view of each provider at each point (in_view[provider][point], input
  // order) and the permission used (permitted[provider][point]; empty without `permission`).
  std::function<void(std::size_t step, std::span<const std::vector<std::uint32_t>> in_view,
                     std::span<const std::vector<std::uint8_t>> permitted)>
      on_step;
};

// Statistics of one point and one provider over the window.
struct PointStats {
  std::uint32_t steps_served = 0;  // steps with >= min_sats in view
  // The runs of steps not served that touch the window's first and last steps (0 when that step is
  // served; both equal the window's length when no step is). They let the statistics of consecutive
  // windows be merged exactly (merge_consecutive). The fields sit where the layout had padding.
  std::uint32_t leading_gap_steps = 0;
  std::uint64_t sum_visible = 0;  // sum over steps of the number in view
  std::uint32_t min_visible = 0;  // 0 when the window is empty
  std::uint32_t max_visible = 0;
  std::uint32_t max_gap_steps = 0;  // longest run of consecutive steps not served
  std::uint32_t gap_count = 0;      // number of maximal runs of steps not served (runs touching either
                                    // end of the window count)
  // Steps served and permitted (CoverageOptions::permission); for "any", steps on which the
  // satellites in view of the providers that permit service number at least min_sats. Equals
  // steps_served when no permission is given.
  std::uint32_t steps_served_permitted = 0;
  std::uint32_t trailing_gap_steps = 0;  // see leading_gap_steps
  friend bool operator==(const PointStats&, const PointStats&) = default;
};

// The statistics of one point and provider over two consecutive windows (the steps of `earlier`, then
// those of `later`, with the same step), from each window's own: sums add, extremes combine, and the
// run of steps not served that ends `earlier` joins the one that starts `later` (one gap, perhaps the
// longest). Exact: equal to the statistics of the joined window computed at once, which
// tests/unit/coverage/coverage_test.cpp (MergedWindowsEqualTheWholeWindow) checks on every split.
// An empty window (0 steps) leaves the other unchanged. Cost: O(1).
PointStats merge_consecutive(const PointStats& earlier, std::size_t earlier_steps, const PointStats& later,
                             std::size_t later_steps);

// Results for every point and provider. Provider index providers() is "any": the satellites of all
// providers together (served when the total in view across providers is >= min_sats; with min_sats 1
// that is "at least one provider sees a satellite"). It is present even with a single provider.
class CoverageResult {
 public:
  CoverageResult() = default;
  CoverageResult(std::size_t n_points, std::vector<std::string> provider_names, const Window& window);

  [[nodiscard]] std::size_t points() const { return n_points_; }
  // Number of providers given (the "any" row is index providers()).
  [[nodiscard]] std::size_t providers() const { return names_.size() - 1; }
  // Name of provider p; "any" for p == providers().
  [[nodiscard]] const std::string& provider_name(std::size_t p) const { return names_[p]; }
  [[nodiscard]] std::size_t steps() const { return n_steps_; }
  [[nodiscard]] double step_s() const { return step_s_; }

  [[nodiscard]] const PointStats& at(std::size_t provider, std::size_t point) const {
    return stats_[provider * n_points_ + point];
  }
  PointStats& at(std::size_t provider, std::size_t point) { return stats_[provider * n_points_ + point]; }

  // Share of steps served, [0, 1]; 0 for an empty window.
  [[nodiscard]] double coverage_fraction(std::size_t provider, std::size_t point) const;
  // Mean number in view over the steps; 0 for an empty window.
  [[nodiscard]] double mean_visible(std::size_t provider, std::size_t point) const;
  // Share of steps served and permitted, [0, 1] (PointStats::steps_served_permitted).
  [[nodiscard]] double served_fraction(std::size_t provider, std::size_t point) const;
  // Longest run of steps not served times the step, seconds.
  [[nodiscard]] double max_gap_s(std::size_t provider, std::size_t point) const;

  // Satellite-step pairs whose SGP4 state failed (not counted in view), per provider.
  std::vector<std::uint64_t> failed_states;
  // Satellite x point pairs given the elevation test (candidates after the grid), all steps; the
  // brute force tests every pair.
  std::uint64_t pair_tests = 0;

  // Equal statistics, names, window and failed_states (pair_tests is not compared: it measures the
  // method, not the result).
  friend bool operator==(const CoverageResult& a, const CoverageResult& b) {
    return a.n_points_ == b.n_points_ && a.n_steps_ == b.n_steps_ && a.step_s_ == b.step_s_ &&
           a.names_ == b.names_ && a.stats_ == b.stats_ && a.failed_states == b.failed_states;
  }

 private:
  std::size_t n_points_ = 0, n_steps_ = 0;
  double step_s_ = 0.0;
  std::vector<std::string> names_;
  std::vector<PointStats> stats_;  // [provider * points + point]
};

// Coverage statistics with the point grid (see the top of this file). Throws std::invalid_argument on
// a violated REQUIRES. Cost per step: batched SGP4 of every satellite (~50 ns each per core) plus
// O(sats x points in their caps), parallel over satellites on run.workers() threads (the result does
// not depend on them). Progress ("coverage", share of the steps done) after each block of steps; a stop
// requested through `run` throws skyfence::Cancelled there.
CoverageResult compute_coverage(std::span<const frames::Geodetic> points, std::span<const Provider> providers,
                                const Window& window, const CoverageOptions& options = {},
                                const RunContext& run = {});

// Where each of n moving points is at an instant: fills out[0 .. n) (e.g. earth::positions_at of tracks).
using PositionsAt = std::function<void(time::Instant at, std::span<frames::Geodetic> out)>;

// Coverage statistics of points that move (terminals along trajectories), with the options and
// permission hook of compute_coverage (the hook is called once per step and provider, in step order, so
// it may keep state along the series, e.g. an enforcement delay). Per step: every provider's ITRF states
// (visibility::Fleet::itrf_states) and visibility::in_view over the points where they are then, whose
// elevation test is exact; so the counts equal the brute-force test of every pair at the step's positions
// (tests/oracle/coverage/coverage_oracle_test.cpp), and for points that do not move they equal
// compute_coverage's. REQUIRES: as compute_coverage; positions fill exactly n_points (else
// std::invalid_argument). Cost per step: each fleet's states and a site index of the points; meant for
// tens to thousands of moving points. Progress and stop as compute_coverage.
CoverageResult compute_coverage_moving(std::size_t n_points, const PositionsAt& positions,
                                       std::span<const Provider> providers, const Window& window,
                                       const CoverageOptions& options = {}, const RunContext& run = {});

// The same statistics by testing every satellite against every point with
// frames::Topocentric::look at states from visibility::Fleet::itrf_states (the oracle; one thread,
// O(steps x sats x points)). pair_tests counts every pair. Progress and stop as compute_coverage.
CoverageResult coverage_brute_force(std::span<const frames::Geodetic> points,
                                    std::span<const Provider> providers, const Window& window,
                                    const CoverageOptions& options = {}, const RunContext& run = {});

}  // namespace skyfence::coverage
