// Demand met over a time window: at each step, every provider's satellites, service cells and
// gateways are shared among the demand points by capacity::allocate (allocation.h), with each
// point's demand offered to its providers in order of preference (docs/capacity.md).
//
// Per step:
//   geometry  - batched SGP4 states of every provider's satellites (visibility::Fleet); the satellites
//               in view of each point at the provider's minimum elevation, with their elevations
//               (visibility::in_view, exact); the gateways each satellite sees at the model's gateway
//               minimum elevation;
//   capacities - service_model.h: a satellite S = min(capacity, beams x bandwidth x max efficiency) x
//               (1 - background load); a link satellite -> point min(max beams per cell, beams) x
//               bandwidth x efficiency(elevation); a service cell max beams per cell x the highest
//               single-beam rate among the links of all the study's points in the cell, times the
//               number of service cells a coarser demand cell spans (4^(cell level - point level));
//               a gateway its capacity; with inter-satellite links (isl) the gateways seen by any
//               satellite pool their capacity for every satellite, without them (bent pipe) a
//               satellite is fed only by the gateways it sees;
//   rounds    - round 1 offers each point's whole demand to the first provider of its preference list
//               that permits it (CapacityOptions::permission) and has a satellite in view; round r
//               offers what is still unmet to the next such provider. A provider keeps what it gave in
//               earlier rounds (they are its first priority class) and shares the rest by the points'
//               ranks (ServiceModel::priorities), max-min fair within a rank. Providers are solved
//               independently within a round, so the result does not depend on any processing order.
// The result per point and provider is what that provider carried for the point; "any" is the sum.
//   uplink    - with uplink demand (CapacityOptions::demand_up_mbps), the step is allocated
//               a second time, over the same geometry and permissions, with every capacity above taken
//               from the uplink's figures (uplink_model in service_model.h) and the points' uplink
//               demands, in rounds of its own: the uplink's first choice is the downlink's (the same
//               provider is permitted and in view), and what the uplink cannot carry spills over by the
//               uplink's own shortfall. The two directions share nothing else (separate spectrum and
//               beams; a gateway's capacity applies to each direction).
//
// Determinism: steps are computed in parallel and folded in step order; results are identical for any
// thread count.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "skyfence/capacity/allocation.h"
#include "skyfence/capacity/service_model.h"
#include "skyfence/core/error.h"
#include "skyfence/core/run_context.h"
#include "skyfence/earth/site.h"
#include "skyfence/frames/frames.h"
#include "skyfence/time/window.h"
#include "skyfence/visibility/fleet.h"

namespace skyfence::capacity {

struct Provider {
  std::string name;
  const visibility::Fleet* fleet = nullptr;  // REQUIRES: not null; outlives the computation
  std::vector<std::string> satellite_names;  // per fleet satellite (for the model's classes); may be empty
  const ServiceModel* model = nullptr;       // REQUIRES: not null
  double min_elevation_rad = 0.0;            // user links. REQUIRES: in [0, pi/2]
};

struct DemandPoint {
  frames::Geodetic location;
  double demand_mbps = 0.0;                // REQUIRES: finite, >= 0
  std::string customer;                    // for the providers' priorities
  std::vector<std::uint32_t> preferences;  // provider indices, most preferred first; each at most once
  int level = 30;                          // S2 level of a demand cell (region); 30 for a terminal
};

struct CapacityOptions {
  // Optional: whether provider p may serve each point at a step, as coverage::CoverageOptions.
  // `permitted` is preset to 1; set 0 where not permitted. Called from one thread, in step order, once
  // per step for each provider some point's preferences name (before the step is computed), so it may
  // keep state along the series (an enforcement delay, roaming days).
  std::function<void(std::size_t provider, time::Instant at, std::span<std::uint8_t> permitted)> permission;
  // Optional: where the points are at a step, for points that move (terminals along trajectories, e.g.
  // earth::positions_at): fills out[i] for every point, in order; DemandPoint::location is then unused.
  // Each step's allocation is the one of points at rest at the step's positions (service cells, in-view
  // sets and caps are taken there), so a point that does not move gets the results it gets at rest
  // (CapacityMoving.EachStepEqualsPointsAtRestThere). Called concurrently from several threads, for
  // different steps: it must be thread-safe. Cost per step: a site index and the service cell of every
  // point, per provider.
  std::function<void(time::Instant at, std::span<frames::Geodetic> out)> positions;
  // Optional: the points' uplink demand (terminal to satellite), Mbps, one per point (0: none). When
  // given, the uplink is allocated too (capacity.h's "uplink") and every provider's service model must
  // model the uplink (ServiceModel::has_uplink). REQUIRES: empty or one per point, each finite and >= 0.
  std::vector<double> demand_up_mbps;
  // Whether to list every (point, satellite) pair in view at every step, the engine's reference: by
  // default a step starts from a summary of each point's satellites in view (its first ones and the
  // highest elevations) and lists every pair only when the allocation needs more. The results are the
  // same, double for double (CapacityStreaming tests); only the time differs.
  bool list_every_pair = false;
};

// One point and one provider (or "any") over the window, Mbps.
struct PointCapacity {
  double mean_mbps = 0.0;
  double min_mbps = 0.0;
  double p5_mbps = 0.0;                // nearest-rank 5th percentile over the steps
  double demand_met_fraction = 0.0;    // mean / demand (1 for zero demand)
  double full_service_fraction = 0.0;  // share of steps with the whole demand met (by this row)
};

// Utilisation of one provider over the window.
struct ProviderUsage {
  double offered_mbps_steps = 0.0;        // sum over steps of the demand offered to it
  double carried_mbps_steps = 0.0;        // sum over steps of what it carried
  double satellite_capacity_steps = 0.0;  // sum over steps of the capacity of its satellites in use
  double satellite_flow_steps = 0.0;
  std::uint64_t satellite_steps = 0;  // satellites in view of a point with demand, summed over steps
  std::uint64_t saturated_satellite_steps = 0;
  std::uint64_t cell_steps = 0;  // service cells with demand offered, summed over steps
  std::uint64_t saturated_cell_steps = 0;
  double gateway_capacity_steps = 0.0;  // sum over steps of the capacity of gateways in use
  double gateway_flow_steps = 0.0;
  std::uint64_t unclassified_satellites = 0;  // matching no satellite class (no capacity)
  std::uint64_t failed_states = 0;            // satellite-steps without an SGP4 state
};

struct CapacityResult {
  std::vector<std::string> names;  // providers, then "any"
  std::size_t points = 0, steps = 0;
  std::vector<double> demand_mbps;   // per point
  std::vector<PointCapacity> stats;  // [row * points + point], row = provider or names.size()-1
  std::vector<ProviderUsage> usage;  // per provider
  // The uplink, as the three above, when CapacityOptions::demand_up_mbps was given (else uplink is false
  // and they are empty).
  bool uplink = false;
  std::vector<double> demand_up_mbps;
  std::vector<PointCapacity> stats_up;
  std::vector<ProviderUsage> usage_up;
  [[nodiscard]] const PointCapacity& at(std::size_t row, std::size_t point) const {
    return stats[row * points + point];
  }
  [[nodiscard]] const PointCapacity& at_up(std::size_t row, std::size_t point) const {
    return stats_up[row * points + point];
  }
};

// A site's downlink demand, Mbps: its `demand_mbps` attribute (a number >= 0), else `fallback` when it is
// >= 0. Throws InputError located at `source` and the site's id: a value that is not a number >= 0, or
// no value and no fallback (`missing_hint` ends that message, saying where a demand could come from).
double site_demand_mbps(const earth::Site& site, const std::string& source, double fallback,
                        const std::string& missing_hint);

// A site's uplink demand, Mbps: its `demand_up_mbps` attribute (a number >= 0), else `fallback`. Throws
// InputError located at `source` and the site's id: a value that is not a number >= 0, or, when
// `required` (some site of the file gives one), no value and no fallback (`missing_hint` ends that
// message).
std::optional<double> site_demand_up_mbps(const earth::Site& site, const std::string& source,
                                          std::optional<double> fallback, bool required,
                                          const std::string& missing_hint);

// Steps run in parallel on run.workers() threads (the result does not depend on them); progress
// ("capacity", share of the steps done) after each block of steps, where a stop requested through `run`
// throws skyfence::Cancelled. Throws std::invalid_argument on a violated REQUIRES.
// Cost per step: batched SGP4 of every satellite, the in-view sets, and per provider and round one
// allocation (allocation.h).
CapacityResult compute_capacity(std::span<const DemandPoint> points, std::span<const Provider> providers,
                                const time::Window& window, const CapacityOptions& options = {},
                                const RunContext& run = {});

}  // namespace skyfence::capacity
