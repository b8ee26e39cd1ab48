// The results of one run, as plain data: what the scenario runner fills and what the result store
// (store.h), the exports (exports.h) and the HTML report (html.h) read.
//
// Everything is named by text ids (provider name, variant id, cell token, terminal id, group id) so
// that a runner can fill the tables in any order; validate() checks that every reference resolves.
// Fractions and shares are dimensionless in [0, 1]; other numbers carry their unit in their name.
// Metric definitions: docs/report.md. Table schema: docs/results.md.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "skyfence/earth/grid.h"
#include "skyfence/earth/region.h"
#include "skyfence/time/instant.h"

namespace skyfence::report {

// The provider name of the "any provider" rows: the satellites of all providers together.
inline constexpr std::string_view kAnyProvider = "any";
// The destination of latency summaries to the internet (through a gateway or point of presence).
inline constexpr std::string_view kInternet = "internet";
// Scope kinds of reliance rows.
inline constexpr std::string_view kScopeRegion = "region";
inline constexpr std::string_view kScopeGroup = "group";

// An input file of the run (scenario, catalog, policy, sites), for the record.
struct InputFile {
  std::string role;  // e.g. "scenario", "catalog", "policy", "sites", "region"
  std::string path;
};

struct RunInfo {
  std::string scenario_name;
  std::string scenario_path;  // empty for the bundled default scenario
  std::vector<InputFile> inputs;
  std::uint64_t seed = 0;
  time::Instant start;           // first time step
  time::Instant stop;            // last time step (included)
  time::Duration step;           // between time steps
  std::string region_name;       // the region of interest, e.g. "Ukraine"
  double region_area_km2 = 0.0;  // its area; 0 when unknown
  std::string software_version;  // e.g. "skyfence 0.1.0"
  time::Instant created;         // when the run was made
  std::uint64_t step_count = 0;  // time steps evaluated
};

struct ProviderInfo {
  std::string name;    // unique; never "any"
  std::string source;  // catalog file, bundled snapshot or preset name
  std::uint64_t satellite_count = 0;
  time::Instant epoch_min;  // oldest element-set epoch
  time::Instant epoch_max;  // newest element-set epoch
  double min_elevation_deg = 0.0;
  std::string policy;  // policy file or name; empty when the provider serves everywhere
  // "deployed" (a real catalog: its epochs say when) or "planned" (a preset generated for the run).
  std::string status = "deployed";
  std::string service_model;  // capacity model file; empty when demand met is not computed
  // How the latency routes' network is built (docs/scenario.md, "Network topology"), so that a result
  // says how it was computed; recorded for every provider, used by those with gateways.
  std::string isl = "plus-grid";  // "plus-grid" or "none" (bent pipe)
  // The plus grid's pairing across planes, "nearest" or "same-index"; empty when there is no grid (isl
  // "none", or the links come from isl_file).
  std::string isl_pairing = "nearest";
  std::int64_t isl_shift = 0;  // same-index's slot shift (0 otherwise)
  std::string isl_file;        // the explicit links' file (isls, or a Hypatia state's isls.txt); empty: none
  double isl_max_range_km = 0.0;            // longest usable ISL (Hypatia's max_isl_length_m); 0: no limit
  double gateway_min_elevation_deg = 25.0;  // the gateways' mask when gsl_max_range_km is 0
  // The routes' ground links limited by slant range (km), both masks at the horizon; 0: by the masks
  // (min_elevation_deg for terminals, gateway_min_elevation_deg for gateways).
  double gsl_max_range_km = 0.0;
  std::string hypatia_state;  // the Hypatia state folder the satellites and links came from; empty: none
};

// What loading a provider's satellites left out or doubted, and its SGP4 failures in the baseline:
// the counts behind the warnings a run prints (orbits::load_satellites, docs/results.md `load_issues`).
struct LoadIssues {
  std::string provider;  // ProviderInfo::name
  // Whose loading this is: "baseline" for the scenario's own providers (the satellites every variant
  // flies but a catalog swap of that provider), or the id of the catalog-swap variant whose catalog this is.
  std::string variant = "baseline";
  std::uint64_t records_rejected = 0;       // bad records skipped by the reader
  std::uint64_t records_with_warnings = 0;  // records accepted with a warning (e.g. a bad checksum)
  std::uint64_t non_payloads_left_out = 0;  // debris, rocket bodies and kick motors left out
  std::uint64_t duplicates_dropped = 0;     // older element sets of a NORAD id left out
  std::uint64_t stale_element_sets = 0;  // used more than 14 days from their epoch (orbits::is_stale_epoch)
  std::uint64_t sgp4_init_failures = 0;  // element sets SGP4 cannot initialise (never in view)
  std::uint64_t sgp4_failed_states = 0;  // satellite-steps whose SGP4 state failed in the baseline coverage
};

enum class VariantKind {
  baseline,           // the scenario as written
  withdraw,           // a provider withdraws
  policy_rule,        // a provider's policy gains a rule
  satellite_failure,  // a fraction, plane or shell of a provider's satellites fails
  add_provider,       // a provider is added
  background_load,    // a provider's capacity is partly used by customers outside the scenario
  catalog_swap,       // a provider's satellites come from another catalog snapshot, as they were then
  enforcement,        // a provider enforces its policy another way (service cells, mode, delay)
};
// "baseline", "withdraw", "policy_rule", "satellite_failure", "add_provider", "background_load",
// "catalog_swap", "enforcement".
std::string_view to_string(VariantKind kind);

struct Variant {
  std::string id;  // unique, e.g. "baseline", "a-forbids-east"
  std::string description;
  VariantKind kind = VariantKind::baseline;
  // The provider the variant changes (withdrawn, restricted, failed or added); empty for the baseline.
  std::string provider;
  // catalog_swap only (empty / 0 otherwise): the catalog swapped in, its satellite count, and how far
  // back in time its satellites were taken: at the run's instant t, the provider's satellites are
  // where the catalog's were at t - time_shift, a whole number of sidereal days (docs/scenario.md).
  std::string catalog{};
  std::size_t satellite_count = 0;
  time::Duration time_shift{};
};

struct CellInfo {
  std::string token;  // S2 cell token
  double lat_deg = 0.0;
  double lon_deg = 0.0;  // centre
  double area_km2 = 0.0;
  std::array<earth::LonLatDeg, 4> vertices{};  // corners, as earth::Cell::vertices
};
// The cell's token, centre (degrees), area and corners.
CellInfo cell_info(const earth::Cell& cell);

// Statistics of one cell for one provider (or "any") in one variant, over the run's time steps.
struct CellStat {
  double coverage_fraction = 0.0;  // share of steps with enough satellites in view
  double served_fraction = 0.0;    // share of steps served under the provider's policy
  double mean_visible = 0.0;       // satellites in view, mean over steps
  std::uint32_t min_visible = 0;
  std::uint32_t max_visible = 0;
  double max_gap_s = 0.0;       // longest run of steps not covered, seconds
  std::uint32_t gap_count = 0;  // maximal runs of steps not covered
};

// One (variant, provider) layer: stats[i] belongs to Results::cells[i].
struct CellLayer {
  std::string variant;
  std::string provider;  // a provider name or "any"
  std::vector<CellStat> stats;
};

struct TerminalGroup {
  std::string id;  // unique
  std::string name;
  std::string customer_class;  // e.g. "consumer", "government", "maritime"
};

// Where a moving terminal is at one of its trajectory's samples.
struct TrackPoint {
  time::Instant time;
  double lat_deg = 0.0;
  double lon_deg = 0.0;
};

struct Terminal {
  std::string id;  // unique
  std::string name;
  double lat_deg = 0.0;
  double lon_deg = 0.0;        // where it is (a moving terminal: its first sample)
  std::string group;           // TerminalGroup::id
  std::string customer_class;  // usually the group's
  // A moving terminal's trajectory samples, times increasing (positions between them along the great
  // circle, earth/trajectory.h); empty for a terminal at rest.
  std::vector<TrackPoint> track{};
};

// A terminal's service decision in terminal_service (docs/results.md), at the run's start:
//   permit  the provider's policy permits it (or the provider has none); for "any": served at some step
//   deny    the policy forbids it; for "any": never served
//   varies  the policy's decision there changes with time (a rule with from/until/hours_utc); the
//           reason gives the decision at the start
enum class TerminalDecision { permit, deny, varies };
// "permit", "deny", "varies": the text stored in results.sqlite and the CSV export.
std::string_view to_string(TerminalDecision decision);

// Service of one terminal by one provider (or "any") in one variant.
struct TerminalService {
  std::string variant;
  std::string provider;
  std::string terminal;
  double coverage_fraction = 0.0;  // share of steps with enough satellites in view
  double served_fraction = 0.0;    // share of steps served under the provider's policy
  TerminalDecision decision = TerminalDecision::permit;
  std::string reason;  // the rule or reason behind it, for people
};

// Round-trip time from a source to a destination over one provider's network in one variant.
struct LatencySummary {
  std::string variant;
  std::string provider;
  std::string src;  // terminal id
  std::string dst;  // terminal id or "internet"
  double min_rtt_ms = 0.0;
  double median_rtt_ms = 0.0;
  double p95_rtt_ms = 0.0;
  double max_rtt_ms = 0.0;
  std::uint32_t path_changes = 0;      // times the chosen path changed between steps
  double unreachable_fraction = 0.0;   // share of steps with no path
  std::vector<double> rtt_samples_ms;  // RTT at the reachable steps, for distribution plots
};

// Min, median, 95th percentile and max of RTT samples (docs/report.md): the median and the nearest-rank
// percentile of core/statistics.h, the same as network's route summaries (the median of an even count
// is the mean of the two middle samples). Throws std::invalid_argument for no samples or a non-finite
// sample.
struct RttQuantiles {
  double min_ms = 0.0, median_ms = 0.0, p95_ms = 0.0, max_ms = 0.0;
};
RttQuantiles rtt_quantiles(std::vector<double> samples_ms);

// Satellites in view of one provider (or "any") over time at one site, or the mean over the
// region's cells (site "region-mean").
struct TimeSeries {
  std::string variant;
  std::string provider;
  std::string site;                        // terminal id, or "region-mean"
  std::vector<double> t_s;                 // seconds since RunInfo::start, increasing
  std::vector<double> satellites_in_view;  // same length as t_s
};
inline constexpr std::string_view kRegionMeanSite = "region-mean";

// One pass of a provider's satellite over a terminal (baseline), from visibility::find_passes.
struct PassRecord {
  std::string provider;
  std::string terminal;  // Terminal::id
  std::uint32_t norad_id = 0;
  std::string satellite;  // name
  time::Instant aos, tca, los;
  double max_elevation_deg = 0.0;
  bool aos_clipped = false, los_clipped = false;  // began before the window / still on at its end
};

// One satellite of a provider as loaded: its mean elements as SGP4 was initialised from them
// (orbits::ElementSet, without the fields SGP4 does not use), so that a reader of the results alone
// (the globe viewer, `skyfence view`) can place it at any instant of the window.
struct SatelliteElements {
  std::string provider;  // ProviderInfo::name
  std::uint32_t norad_id = 0;
  std::string name;     // may be empty
  time::Instant epoch;  // UTC
  double mean_motion_rev_per_day = 0.0;
  double eccentricity = 0.0;
  double inclination_deg = 0.0;
  double raan_deg = 0.0;
  double arg_perigee_deg = 0.0;
  double mean_anomaly_deg = 0.0;
  double bstar = 0.0;             // 1/earth radii
  double mean_motion_dot = 0.0;   // rev/day^2 (TLE field: half the derivative)
  double mean_motion_ddot = 0.0;  // rev/day^3 (TLE field: a sixth of the second derivative)
};

// The satellites a catalog-swap variant gives its provider (Variant::provider), as SGP4 was initialised
// from them in that variant: their epochs moved forward by the variant's time_shift, so that SGP4 run
// at the scenario's instants places them where the catalog's satellites were time_shift earlier.
struct VariantSatellites {
  std::string variant;                        // Variant::id, of kind catalog_swap
  std::vector<SatelliteElements> satellites;  // provider: the variant's provider
};

// The satellites a satellite-failure variant takes out of its provider's fleet (Variant::provider).
struct FailedSatellites {
  std::string variant;                   // Variant::id, of kind satellite_failure
  std::vector<std::uint32_t> norad_ids;  // increasing
};

// A gateway or point of presence of a provider's network (the scenario's `gateways` and `pops` files).
struct GroundStation {
  std::string provider;  // ProviderInfo::name
  std::string kind;      // "gateway" or "pop"
  std::string id;        // unique within (provider, kind)
  double lat_deg = 0.0;
  double lon_deg = 0.0;
};

// The region of one forbid rule of a provider's policy, for drawing (the globe viewer's forbidden
// regions): one row per region the rule names (a list of countries gives one row per country).
struct PolicyRegion {
  // "baseline" for the provider's policy as the scenario loads it, or the id of the policy-rule variant
  // whose added rule this is.
  std::string variant;
  std::string provider;     // ProviderInfo::name
  std::string rule;         // the rule's id
  std::string description;  // the rule's description; may be empty
  std::string summary;      // its conditions in words, as decisions' reasons give them
  std::string region;       // the region as written: "RUS", "areas.geojson#zone", "polygon"
  std::string side;         // "inside" or "outside": the side of the region the rule forbids
  // earth::Region::outline(kPolicyOutlineToleranceDeg): each an outer ring, then its holes.
  std::vector<std::vector<earth::Ring>> polygons;
};
// The thinning of policy regions' outlines, degrees (about 5.6 km of latitude): what the globe shows,
// not what decisions use (those use the regions themselves).
inline constexpr double kPolicyOutlineToleranceDeg = 0.05;

// A terminal's state under one provider at one time step.
enum class TerminalState : std::uint8_t {
  served,     // permitted and in view of enough satellites
  uncovered,  // permitted, but in view of too few satellites
  denied,     // the provider's policy denies it (whatever is in view)
};
// "served", "uncovered", "denied".
std::string_view to_string(TerminalState state);

// From `first_step` (an index of the run's time steps) until the next row of the same variant,
// provider and terminal (or the run's end), the terminal is in `state`: the terminals' state step by
// step, stored as its changes. Every (variant, provider, terminal) has a row at step 0.
struct TerminalStateChange {
  std::string variant;
  std::string provider;  // a provider name (never "any")
  std::string terminal;  // Terminal::id
  std::uint32_t first_step = 0;
  TerminalState state = TerminalState::served;
  // denied: the ids of the forbid rules that matched (comma-separated, file order), empty when no permit
  // rule matched; empty otherwise.
  std::string rules;
};

// The route of one terminal to the internet over one provider's network at one latency step (the
// scenario's `latency_step`), as the latency summaries were computed from it.
struct RouteRecord {
  std::string variant;
  std::string provider;  // a provider with gateways
  std::string terminal;  // Terminal::id
  time::Instant time;    // the latency step
  double rtt_ms = 0.0;   // 0 when unreachable
  // The nodes after the terminal, space-separated, in order: "sat:NORAD" (the first is the serving
  // satellite, the next ones over inter-satellite links), "gateway:ID", "pop:ID"; empty when the
  // terminal has no route then (not served, denied, or no gateway in reach).
  std::string path;
};

// Reliance of one provider within a scope (see Reliance).
struct ProviderReliance {
  std::string provider;
  double served_share = 0.0;  // share of the scope's unit-time served by this provider
  double sole_share = 0.0;    // share served by this provider and no other
};

// Reliance metrics of one scope (the region, or one terminal group) in one variant. A scope's
// "unit-time" is area x time for the region (cells weighted by area_km2) and terminal x time for a
// group. Definitions: docs/report.md; reliance.h computes them.
struct Reliance {
  std::string scope;     // "region" or "group"
  std::string scope_id;  // the region name or the group id
  std::string variant;
  std::vector<ProviderReliance> providers;
  double served_share_any = 0.0;       // served by at least one provider
  double single_provider_share = 0.0;  // served by exactly one provider
  // Against the baseline (all 0 in the baseline itself):
  double lost_share = 0.0;       // served in the baseline by a provider that no longer serves it
  double recovered_share = 0.0;  // of the lost unit-time, the share still served by some provider
  double net_loss_share = 0.0;   // served by some provider in the baseline, by none in the variant

  // The provider's row; nullptr when absent.
  [[nodiscard]] const ProviderReliance* provider(std::string_view name) const;
};

// Demand met within a scope (the region's cells, or one terminal group's terminals) by one provider (or
// "any": all together) in one variant, as means over the run's steps (docs/capacity.md). Computed when
// every provider has a service model.
struct CapacityScope {
  std::string scope;     // "region" or "group"
  std::string scope_id;  // the region name or the group id
  std::string variant;
  std::string provider;              // a provider name or "any"
  double demand_mbps = 0.0;          // the scope's demand (sum over its points)
  double carried_mbps = 0.0;         // what the provider carried for it, mean over steps
  double demand_met_fraction = 0.0;  // carried / demand (1 when there is no demand)
  double full_service_share = 0.0;   // demand-weighted share of point-steps with all the demand met
};

// Demand met at one terminal by one provider (or "any") in one variant.
struct TerminalCapacity {
  std::string variant;
  std::string provider;
  std::string terminal;
  double demand_mbps = 0.0;
  double mean_mbps = 0.0;
  double p5_mbps = 0.0;  // nearest-rank 5th percentile over the steps
  double min_mbps = 0.0;
  double demand_met_fraction = 0.0;
  double full_service_fraction = 0.0;  // share of steps with all the demand met
};

// Demand met in each cell of the region by one provider (or "any") in one variant: values[i] belongs to
// Results::cells[i]. Present when the region has demand (a density or a demand file).
struct CapacityCellLayer {
  std::string variant;
  std::string provider;
  std::vector<double> demand_mbps;          // per cell
  std::vector<double> carried_mbps;         // per cell, mean over steps
  std::vector<double> demand_met_fraction;  // per cell
};

// How much of one provider's capacity the scenario's demand used in one variant (means over steps).
struct ProviderUsage {
  std::string variant;
  std::string provider;
  double background_load = 0.0;               // the model's, or the variant's
  double offered_mbps = 0.0;                  // demand offered to it (after preferences)
  double carried_mbps = 0.0;                  // what it carried
  double satellite_utilisation = 0.0;         // flow / capacity of its satellites serving some demand
  double saturated_satellite_share = 0.0;     // of those satellite-steps, the share at capacity
  double saturated_cell_share = 0.0;          // of its service-cell-steps with demand, the share at capacity
  std::optional<double> gateway_utilisation;  // flow / capacity of its gateways in use; none without gateways
};

// One enforcement setting of the leakage and collateral study (docs/enforcement.md).
struct EnforcementSettingResult {
  std::string setting;  // "exact", "L9 centre", ...
  int level = -1;       // -1 for exact
  std::string mode;     // exact, centre, any, all
  double leakage_km2_h = 0.0;
  double leakage_share = 0.0;  // of the region's area x window
  double collateral_km2_h = 0.0;
  double collateral_share = 0.0;  // of the region's area x window (may exceed 1)
  double leakage_terminal_h = 0.0;
  double collateral_terminal_h = 0.0;
};

// One terminal group under one setting of the study.
struct EnforcementGroupResult {
  std::string setting;
  std::string group;
  bool hostile = false;
  std::uint64_t terminals = 0;
  double terminal_h = 0.0;
  double served_h = 0.0;
  double denied_h = 0.0;
  double speed_denied_h = 0.0;  // of denied_h, denied while a speed cap matched
};

// The leakage and collateral study of a scenario's [enforcement] section.
struct EnforcementStudy {
  std::string provider;
  std::string policy;  // the policy file swept
  std::string region;  // the region meant to be denied
  double region_area_km2 = 0.0;
  double study_area_km2 = 0.0;
  double window_h = 0.0;
  std::uint64_t samples = 0;
  int reference_level = 0;
  std::vector<EnforcementSettingResult> settings;  // the first is exact
  std::vector<EnforcementGroupResult> groups;
};

struct Results {
  RunInfo run;
  std::vector<ProviderInfo> providers;
  std::vector<LoadIssues> load_issues;  // one per provider with satellites from a catalog, file or preset
  std::vector<Variant> variants;        // the first is the baseline
  std::vector<CellInfo> cells;
  std::vector<CellLayer> cell_layers;
  std::vector<TerminalGroup> groups;
  std::vector<Terminal> terminals;
  std::vector<TerminalService> terminal_service;
  std::vector<LatencySummary> latency;
  std::vector<TimeSeries> timeseries;
  std::vector<Reliance> reliance;
  std::vector<PassRecord> passes;       // at the scenario's chosen terminals, baseline; any order
  std::vector<CapacityScope> capacity;  // empty unless demand met is computed
  std::vector<TerminalCapacity> terminal_capacity;
  std::vector<CapacityCellLayer> capacity_cells;
  std::vector<ProviderUsage> provider_usage;
  // The uplink's demand met (docs/capacity.md, "The uplink"), as `capacity` (group scopes only: cells
  // ask no uplink) and `terminal_capacity`; empty unless some terminal group asks uplink demand.
  std::vector<CapacityScope> capacity_up;
  std::vector<TerminalCapacity> terminal_capacity_up;
  std::optional<EnforcementStudy> enforcement;       // when the scenario has an [enforcement] study
  std::vector<SatelliteElements> satellites;         // every provider's satellites as loaded
  std::vector<GroundStation> ground_stations;        // gateways and PoPs of providers with a network
  std::vector<PolicyRegion> policy_regions;          // the forbid rules' regions, baseline and variants
  std::vector<TerminalStateChange> terminal_states;  // per plan, provider and terminal, in step order
  std::vector<RouteRecord> routes;  // per plan, provider with gateways, latency step and terminal
  std::vector<VariantSatellites> variant_satellites;  // one per catalog-swap variant
  std::vector<FailedSatellites> failed_satellites;    // one per satellite-failure variant

  // Lookups; nullptr when absent.
  [[nodiscard]] const ProviderInfo* provider(std::string_view name) const;
  [[nodiscard]] const Variant* variant(std::string_view id) const;
  [[nodiscard]] const CellLayer* cell_layer(std::string_view variant_id,
                                            std::string_view provider_name) const;
  [[nodiscard]] const TerminalGroup* group(std::string_view id) const;
  [[nodiscard]] const TerminalService* service(std::string_view variant_id, std::string_view provider_name,
                                               std::string_view terminal_id) const;
  [[nodiscard]] const Reliance* reliance_row(std::string_view scope, std::string_view scope_id,
                                             std::string_view variant_id) const;
  [[nodiscard]] const CapacityCellLayer* capacity_cell_layer(std::string_view variant_id,
                                                             std::string_view provider_name) const;
  [[nodiscard]] const CapacityScope* capacity_row(std::string_view scope, std::string_view scope_id,
                                                  std::string_view variant_id,
                                                  std::string_view provider_name) const;
};

// Checks the references and ranges the writers rely on: unique ids; the first variant (and only it)
// is the baseline; every layer, service, latency, series and reliance row names a known variant and a
// known provider or "any"; load issues name known providers, at most once each; each layer has one stat per
// cell; terminals name known groups; fractions in [0, 1]; finite coordinates; time series of matching
// lengths; passes name a known provider (not "any") and a known terminal, have aos <= tca <= los and
// max_elevation_deg in [-90, 90], and are unique by (provider, terminal, norad_id, aos to the millisecond),
// the key of the store's table. Throws std::invalid_argument naming the first problem.
void validate(const Results& results);

// ---------------------------------------------------------------------------------------------
// The figures of report.html (docs/report.md, "What the page shows"), computed from the results so that
// the page only formats them. Every function takes results that passed validate(); a figure without the
// rows it needs is NaN (or nullopt), which the page shows as a dash. Summation orders are fixed (the
// order of the results' vectors), so figures are reproducible. Checked by tests/unit/report/figures_test.cpp.

// Mean over the region's cells of `field` of the (variant, provider) cell layer, each cell weighted by
// area_km2: the region's share of area-time (docs/report.md, "Per cell and per terminal"). NaN without
// that layer, without cells, or when the cells' total area is 0. Cost: O(cells + layers).
double region_mean(const Results& results, std::string_view variant, std::string_view provider,
                   double CellStat::*field);

// Plain mean over the terminals of `group` of `field` of their (variant, provider) service rows: the
// group's share of terminal-time. Terminals without such a row do not count. NaN without rows.
double group_mean(const Results& results, std::string_view group, std::string_view variant,
                  std::string_view provider, double TerminalService::*field);

// Covered and served shares of a scope (kScopeRegion with the region's name, or kScopeGroup with a group
// id) for one provider (or "any") in one variant: region_mean or group_mean of coverage_fraction and
// served_fraction. NaN where those have no rows.
struct ScopeService {
  double covered = 0.0;
  double served = 0.0;
};
ScopeService scope_service(const Results& results, std::string_view scope, std::string_view scope_id,
                           std::string_view variant, std::string_view provider);

// Share of a scope's unit-time served by at least one provider in a variant: the reliance row's
// served_share_any when the results have it, else scope_service(..., "any").served, the same quantity
// computed from the "any" rows. NaN when neither exists.
double served_share_any(const Results& results, std::string_view scope, std::string_view scope_id,
                        std::string_view variant);

// The variant (not the baseline) whose region served share by any provider (served_share_any) falls
// most from the baseline's, with that fall (a share; 0.05 is 5 percentage points). The first of equal
// falls wins; variants with a NaN share are skipped. nullopt when no variant falls (every change is a
// gain) or none can be compared.
struct ServiceDrop {
  std::string variant;
  double drop = 0.0;  // baseline minus variant, >= 0
};
std::optional<ServiceDrop> largest_region_drop(const Results& results);

// The variant whose demand met ("any" row of Results::capacity) in one scope falls most from the
// baseline's: the fall in Mbps carried (baseline minus variant, > 0) and both fractions. The first of
// equal falls wins. nullopt without capacity rows for the scope or when no variant carries less.
struct DemandDrop {
  std::string variant;
  double baseline_met_fraction = 0.0;
  double variant_met_fraction = 0.0;
  double lost_mbps = 0.0;
};
std::optional<DemandDrop> largest_demand_drop(const Results& results, std::string_view scope,
                                              std::string_view scope_id);

// Per-cell change of service a variant makes (docs/report.md, "Maps of a variant"), from time fractions;
// one value per Results::cells entry. With p the variant's provider and any the "any" layers:
//   gained     max(0, served(any, variant) - served(any, baseline))
//   lost       max(0, served(p, baseline) - served(p, variant)); a missing layer of p counts as 0
//              served, and without p (no provider named, or p has no baseline layer) lost is 0
//   recovered  (lost - net) / lost clamped to [0, 1], net = max(0, served(any, baseline) -
//              served(any, variant)): the share of the lost time still served by another provider;
//              NaN where nothing is lost
// nullopt when the baseline or the variant has no "any" layer.
struct CellChange {
  std::vector<double> gained, lost, recovered;
};
std::optional<CellChange> cell_change(const Results& results, std::string_view variant);

// Round-trip times to the internet pooled over sources, per (variant, provider): every sample of the
// latency rows with dst "internet", in the rows' order, then sorted ascending. One entry per (variant,
// provider) pair with at least one sample, in the order of their first row.
struct PooledRtt {
  std::string variant;
  std::string provider;
  std::vector<double> samples_ms;  // sorted, non-empty
};
std::vector<PooledRtt> pooled_internet_rtt(const Results& results);

// Age of a provider's oldest element set at the run's start, days (negative when the epoch is later).
double epoch_age_days(const RunInfo& run, const ProviderInfo& provider);

// Freshness of element sets by age: fresh under 3 days, ageing under 14, stale beyond (SGP4 errors grow by
// roughly 1-3 km a day of age; 14 days is also orbits::is_stale_epoch's limit). NaN is stale.
enum class EpochFreshness { fresh, ageing, stale };
EpochFreshness epoch_freshness(double age_days);
// "fresh", "ageing", "stale".
std::string_view to_string(EpochFreshness freshness);

}  // namespace skyfence::report
