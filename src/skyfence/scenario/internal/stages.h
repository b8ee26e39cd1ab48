// The stages of scenario::run_scenario (runner.h), in the order it calls them:
//   load_inputs -> plan_variants -> record_inputs -> cover_variants -> record_reliance
//   -> record_latency -> record_capacity -> record_passes.
// Each stage reads what the earlier ones produced and appends its own rows to a report::Results; no
// stage reads or writes a row another stage writes, except that cover_variants adds the baseline's
// SGP4 failures to the load_issues rows record_inputs made. Every sum runs in a fixed order, so each
// stage's rows are the same for any thread count. Internal: the contract may change with the runner.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "skyfence/capacity/service_model.h"
#include "skyfence/earth/grid.h"
#include "skyfence/earth/region.h"
#include "skyfence/earth/site.h"
#include "skyfence/earth/trajectory.h"
#include "skyfence/network/planes.h"
#include "skyfence/network/topology.h"
#include "skyfence/orbits/load.h"
#include "skyfence/policy/enforcement.h"
#include "skyfence/policy/permission.h"
#include "skyfence/policy/policy.h"
#include "skyfence/report/model.h"
#include "skyfence/scenario/runner.h"
#include "skyfence/scenario/scenario.h"

namespace skyfence::scenario::internal {

// A provider as loaded: its element sets, policy and network inputs.
struct Loaded {
  ProviderSpec spec;
  std::vector<orbits::ElementSet> sets;
  orbits::LoadedSatellites load;  // what the loader left out or doubted (its sets moved to `sets`)
  std::optional<policy::Policy> policy;
  std::string policy_text;  // for policy-rule variants
  std::vector<network::GroundNode> gateways, pops;
  // The links fixed at loading (spec.isls' file, or Hypatia's state's choice), indices into `sets`, when
  // links_fixed; else the plus grid is built over the planes inferred from each plan's satellites.
  std::vector<network::SatellitePair> isls;
  bool links_fixed = false;
  // Longest usable inter-satellite link (km): Hypatia's max_isl_length_m; infinite: no limit.
  double isl_max_range_km = std::numeric_limits<double>::infinity();
  std::optional<capacity::ServiceModel> model;  // the provider's service model, when it has one
};

// The satellites a catalog-swap variant gives its provider: the catalog's element sets with their epochs
// moved forward by `shift`, so that at any instant t they are where the catalog's satellites were at
// t - shift (docs/scenario.md, "Catalog swaps").
struct SwappedCatalog {
  std::size_t variant = 0;               // index in Scenario::variants
  std::vector<orbits::ElementSet> sets;  // epochs moved forward by `shift`
  orbits::LoadedSatellites load;         // what loading left out (its sets moved to `sets`)
  time::Duration shift;                  // a whole number of sidereal days; may be zero or negative
  time::Instant median_epoch;            // of the catalog as loaded (before the shift)
};

// The shift of a catalog-swap variant: the whole number of sidereal days (kSiderealDay) that brings the
// middle of [start, stop) nearest to `median_epoch`: the run's window minus the shift is centred on the
// catalog's epochs within half a sidereal day, and GMST (the rotation SGP4's TEME frame takes to the
// Earth) is the same at t and t - shift, so Earth-fixed positions at t from the moved epochs are the
// catalog's at t - shift (within 1 m over 652 days,
// RunStages.CatalogSwapPositionsAreTheCatalogsAtTheShiftedTime).
time::Duration catalog_shift(time::Instant start, time::Instant stop, time::Instant median_epoch);

// One provider as a variant uses it.
struct Active {
  std::size_t union_index = 0;  // bit in the served masks: the index in RunInputs::loaded
  const Loaded* loaded = nullptr;
  std::vector<orbits::ElementSet> sets;  // after failures
  std::optional<policy::Policy> policy;  // after a policy-rule variant
  double background_load = -1.0;         // a background-load variant's; < 0: the model's
};

struct TerminalRow {
  earth::Site site;      // a moving terminal: at its first position
  std::string group;     // scenario group id
  std::string customer;  // class used for the policy
  std::string policy_group;
  double demand_mbps = 0.0;  // when demand met is computed: the terminal's, else its group's
  // The same for the uplink; 0 when its group asks none.
  double demand_up_mbps = 0.0;
  // From a trajectories file (earth/trajectory.h), or at rest with an activation country: decided by
  // policy::TrackDecisions, as `check` decides (where it is at each step, its speed and roaming days, the
  // delay); else by its fixed site, as a cell.
  bool tracked = false;
  policy::RoamingClock::Terminal roaming{};  // its activation country and roaming_since (tracked)
};

// One variant: its record and the providers it runs with.
struct Plan {
  report::Variant info;
  std::vector<Active> active;
};

// Per-step served masks of every point (cells, then terminals): bit k = union provider k serves it.
struct Masks {
  std::size_t points = 0;
  std::vector<std::uint64_t> bits;  // [step * points + point]
};

// The plans a stage computes: plans [first, first + count) of plan_variants' (a part of a run,
// runner.h's run_plans); all of them by default.
struct PlanRange {
  std::size_t first = 0;
  std::size_t count = static_cast<std::size_t>(-1);  // to the last plan
  // One past the last plan of the range among `plans` plans. REQUIRES: first <= plans.
  [[nodiscard]] std::size_t end(std::size_t plans) const { return first + std::min(count, plans - first); }
};

// Everything a run reads, checked, before anything is computed.
struct RunInputs {
  policy::LoadOptions policy_options;       // with the bundled country borders, read once
  std::optional<earth::Region> region;      // set by load_inputs (Region has no empty state)
  std::vector<earth::Cell> cells;           // the region's cells, not empty
  std::vector<double> cell_demand_mbps;     // per cell: density x area or the demand file's; all 0 without
  std::vector<TerminalRow> terminals;       // every group's, in group then file order
  std::vector<earth::Track> tracks;         // per terminal: where it is over time (one sample at rest)
  bool moving = false;                      // whether some terminal moves
  std::vector<std::size_t> pass_terminals;  // indices into terminals
  std::vector<Loaded> loaded;               // the scenario's providers, then those variants add
  std::vector<SwappedCatalog> swapped;      // one per catalog-swap variant, in scenario order
  std::vector<std::string> union_names;     // loaded[k].spec.name
  std::vector<frames::Geodetic> points;     // cell centres, then terminals
  // With uplink demand (some group's default or terminals file column): the first terminals file asking
  // it; empty: none, the uplink is not computed.
  std::string uplink_asked_by;
};

// Stage "load": reads the borders, region, terminals, providers and the catalogs of catalog-swap
// variants (warning through options.warn about what loading left out) and policies. Throws InputError for any
// bad input, naming the file, line and field; at most 64 providers. Cost: reading the files and one sgp4_init
// per satellite. Bundled data from run.data_dir.
RunInputs load_inputs(const Scenario& sc, const RunOptions& options, const RunContext& run);

// Stage "plan variants": the baseline (the scenario's providers), then one plan per variant, in
// scenario order. Throws InputError when a variant cannot apply (a rule that does not load, planes that
// do not exist). The plans point into `in.loaded`, which must outlive them. A catalog-swap variant flies
// in.swapped's sets. REQUIRES: `in` from load_inputs of the same scenario (std::invalid_argument).
std::vector<Plan> plan_variants(const Scenario& sc, const RunInputs& in);

// Stage "record": the run, its inputs, providers and load issues, variants, cells, groups and
// terminals into `res`.
void record_inputs(const Scenario& sc, const RunInputs& in, const std::vector<Plan>& plans,
                   const RunOptions& options, report::Results& res);

// Stage "coverage under policy": every variant through the coverage engine over the points, each
// provider at its own minimum elevation and under its policy. Appends the cell layers, the terminals'
// service and decisions, and the baseline's time series; sets the baseline's sgp4_failed_states in
// res.load_issues (warning through options.warn). Computes the plans of `range` only, and returns
// their per-step served masks (masks[k]: plan range.first + k's); the baseline's series and SGP4
// failures when the range holds the baseline (res.load_issues must then hold record_inputs' rows).
// Progress: the whole of `run`'s, plan by plan. Cost: the coverage engine's, once per plan.
std::vector<Masks> cover_variants(const Scenario& sc, const RunInputs& in, const std::vector<Plan>& plans,
                                  const RunOptions& options, const RunContext& run, report::Results& res,
                                  PlanRange range = {});

// Stage "reliance": per plan, the region's (cells weighted by area) and each terminal group's reliance
// against the baseline's masks (masks[0]). REQUIRES: masks from cover_variants for the same plans.
void record_reliance(const Scenario& sc, const RunInputs& in, const std::vector<Plan>& plans,
                     const std::vector<Masks>& masks, report::Results& res);

// The reliance rows of one plan (the region's, then each group's in `groups` order) from its served
// masks and the baseline's ([step * points + point], cells then terminals): what record_reliance
// appends for it, with the same sums in the same order. `cell_area_km2` per cell, `terminal_group`
// per terminal (an id of `groups`), `union_names` the providers of the masks' bits.
void add_reliance(std::span<const double> cell_area_km2, std::span<const std::string> terminal_group,
                  std::span<const std::string> groups, const std::vector<std::string>& union_names,
                  const std::string& region_name, const std::string& variant, std::size_t steps,
                  std::span<const std::uint64_t> baseline, std::span<const std::uint64_t> masks,
                  std::vector<report::Reliance>& out);

// Stage "latency": when the scenario asks for it and has terminals, per plan (of `range`) and provider
// with gateways, each terminal's route to the internet at the latency step (denied terminals are
// unreachable).
// Progress: the whole of `run`'s, job by job. Cost: one network snapshot and routing per latency step
// and job.
void record_latency(const Scenario& sc, const RunInputs& in, const std::vector<Plan>& plans,
                    const RunContext& run, report::Results& res, PlanRange range = {});

// The policies of a plan's providers, per point (cells ask as the region's customer, terminals as
// themselves), indexed as plan.active; tracked terminals are left to plan_permission_hook.
policy::ProviderPermissions plan_permissions(const Scenario& sc, const RunInputs& in, const Plan& plan);

// The permission hook of a plan over the points: `permits` (plan_permissions', which must outlive the
// hook), and each tracked terminal decided by policy::TrackDecisions where it is at each step, with its
// speed, roaming days and the policy's delay (the decision before the first step is the one at that
// step minus the delay). With tracked terminals the hook keeps state: call it once per step and provider
// in step order (the coverage and capacity engines do), and make a new one for each series. Empty when
// no provider has a policy.
policy::PermissionHook plan_permission_hook(const RunInputs& in, const Plan& plan,
                                            const policy::ProviderPermissions& permits);

// Where every point is at `at`: the cell centres, then each terminal on its track. REQUIRES:
// out.size() == in.points.size().
void point_positions(const RunInputs& in, time::Instant at, std::span<frames::Geodetic> out);

// Stage "demand met" (when every provider has a service model, Scenario::capacity): per plan (of
// `range`), capacity::compute_capacity over the region's cells (RunInputs::cell_demand_mbps, the region's
// customer and preferences) and the terminals (their demand, customer and group preferences), under the
// plan's policies; appends the capacity, terminal_capacity and provider_usage rows. Progress: the whole of
// `run`'s, plan by plan. Cost: the capacity engine's, once per plan.
void record_capacity(const Scenario& sc, const RunInputs& in, const std::vector<Plan>& plans,
                     const RunContext& run, report::Results& res, PlanRange range = {});

// Stage "passes": the passes of the baseline's providers (or those compute.passes_providers names) over
// the chosen terminals, each provider at its own minimum elevation; a moving terminal seen from where it
// is at each instant (visibility::find_terminal_passes).
void record_passes(const Scenario& sc, const RunInputs& in, const std::vector<Plan>& plans,
                   const RunContext& run, report::Results& res);

// Stage "enforcement" (when the scenario has an [enforcement] study): detection::sweep_enforcement of the
// study's policy (or the provider's) over its levels and modes for its region, with its terminals, over
// the scenario's window at the study's step; fills Results::enforcement.
void record_enforcement(const Scenario& sc, const RunInputs& in, const RunContext& run, report::Results& res);

}  // namespace skyfence::scenario::internal
