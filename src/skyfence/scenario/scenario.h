// Scenarios (docs/scenario.md): a time window, providers (constellations with their minimum elevation,
// network and service policy), terminal groups, a region of interest, what to compute, and what-if
// variants that each change one thing against the baseline.
//
// Loading checks everything before anything runs and reports every problem at once, each with its
// file, line and field (ScenarioError); paths in a scenario are relative to the scenario file's
// folder. A scenario that fails to load runs nothing.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "skyfence/core/error.h"
#include "skyfence/network/planes.h"
#include "skyfence/orbits/load.h"
#include "skyfence/policy/policy.h"
#include "skyfence/time/instant.h"

namespace skyfence::scenario {

// Where a provider's satellites come from: the orbits layer's loader input (kind and value are set
// by the scenario; its selection options keep their defaults: payloads only, every satellite).
using SatelliteSource = orbits::SatelliteSource;

struct ProviderSpec {
  std::string name;  // unique, not "any"
  SatelliteSource source;
  double min_elevation_deg = 25.0;          // user terminals
  double gateway_min_elevation_deg = 25.0;  // gateways
  std::string policy;                       // policy file (resolved); empty: unrestricted
  bool isl = true;                          // plus-grid inter-satellite links, else bent pipe
  // The plus grid's pairing across planes and, for same-index, its slot shift (isl_pairing, isl_shift).
  // DEFAULT: nearest, 0 (the runner's links before these fields existed).
  network::PlusGridOptions isl_grid;
  bool isl_pairing_given = false;  // isl_pairing was given (it replaces a Hypatia state's isls.txt)
  std::string isls;  // explicit inter-satellite links (resolved; Hypatia's isls.txt or CSV of NORAD pairs)
  // Ground links limited by slant range instead of the elevation masks (km; 0: none, the masks).
  double gsl_max_range_km = 0.0;
  // Hypatia's static state folder (resolved; docs/scenario.md, "Hypatia's state"); empty: none. When
  // given, `source` names its tles.txt, and the routes take its isls.txt (unless isl_pairing or isls
  // is given), its max_gsl_length_m (unless gsl_max_range_km is) and its max_isl_length_m.
  std::string hypatia_state;
  std::string gateways;       // sites file (resolved); empty: no latency for it
  std::string pops;           // sites file (resolved)
  std::string service_model;  // capacity model (resolved, docs/capacity.md); empty: none
  SourceLocation defined_at;
};

struct TerminalGroupSpec {
  std::string id;  // unique
  std::string name;
  std::string file;  // sites CSV/GeoJSON (resolved): id,name,lat_deg,lon_deg[,customer][,group]
  // `file` is a Hypatia state's ground_stations.txt (the group's hypatia_state): the stations, their
  // names as ids.
  bool hypatia_ground_stations = false;
  std::string customer;  // the group's customer class; a terminal's own `customer` column wins
  // Downlink demand of each terminal, Mbps; a terminal's own `demand_mbps` column wins. < 0: none
  // given (then every terminal needs the column when capacity is computed).
  double demand_mbps = -1.0;
  // Uplink demand of each terminal, Mbps; a terminal's own `demand_up_mbps` column wins. < 0: none given
  // (then the terminals ask none unless the file has the column, docs/scenario.md).
  double demand_up_mbps = -1.0;
  std::vector<std::string> providers;  // preferences, most preferred first; empty: every provider in order
  SourceLocation defined_at;
};

struct RegionSpec {
  std::string country;             // ISO code or name of a bundled country; or
  std::string file;                // a GeoJSON file (resolved)
  std::string name;                // features of `file` with this name (empty: all)
  int level = 7;                   // S2 level of its cells
  std::string customer = "civil";  // customer class used for the region's served statistics
  // Uniform demand over the region's cells, Mbps per km2; < 0: none given.
  double demand_density_mbps_km2 = -1.0;
  // Or each cell's demand from a file (resolved): CSV cell_id,demand_mbps or GeoJSON features with those
  // properties (earth/cell_values.h); cells it leaves out ask for nothing. Empty: none given.
  std::string demand_file;
  std::vector<std::string> providers;  // preferences of the region's demand; empty: every provider
  SourceLocation defined_at;

  // Whether the region's cells have demand: a density or a demand file (at most one is given).
  [[nodiscard]] bool has_demand() const { return demand_density_mbps_km2 >= 0.0 || !demand_file.empty(); }
};

struct ComputeSpec {
  bool latency = true;  // to the internet, for providers with gateways
  time::Duration latency_step = time::Duration::seconds(600.0);  // steps of the latency series
  // Steps of demand met (when computed): 0 means the scenario's step.
  time::Duration capacity_step = time::Duration::seconds(0.0);
  std::size_t timeseries_terminals = 6;       // terminals whose in-view series are kept
  std::vector<std::string> passes_terminals;  // terminals whose passes are listed
  std::vector<std::string> passes_providers;  // providers for them (empty: all)
  SourceLocation passes_at;                   // where they were given
};

// The scenario's leakage and collateral study ([enforcement]; docs/enforcement.md): one provider's policy
// swept over service-cell levels and modes for a region it means to deny.
struct EnforcementStudySpec {
  std::string provider;
  std::string policy;  // the policy file swept; empty: the provider's own
  std::string region;  // a country (ISO code or name) or a GeoJSON file, with #NAME for its named features
  std::vector<int> levels{7, 8, 9, 10, 11};
  std::vector<policy::CellMode> modes{policy::CellMode::centre, policy::CellMode::any, policy::CellMode::all};
  std::string terminals;  // fixed or moving terminals (earth/trajectory.h); empty: none
  std::vector<std::string> hostile_groups;
  std::string customer = "civil";  // who asks over the area, and terminals without a customer
  time::Duration step{};           // zero: the scenario's step
  int reference_level = 12;
  SourceLocation defined_at;
};

// A rule added by a policy-rule variant, kept as TOML text in the policy format (docs/policy.md).
struct VariantSpec {
  enum class Kind {
    withdraw,
    policy_rule,
    satellite_failure,
    add_provider,
    background_load,
    catalog_swap,
    enforcement
  };
  std::string id;
  std::string description;
  Kind kind = Kind::withdraw;
  std::string provider;   // the provider changed (for add_provider: the added provider's name)
  std::string rule_toml;  // policy_rule: a [[rule]] table
  // satellite_failure: a fraction of the satellites chosen at random with the seed, or whole planes
  // (orbit planes by RAAN, numbered from 0 in increasing RAAN within the provider).
  double fraction = 0.0;
  std::vector<int> planes;
  std::uint64_t seed = 0;
  std::optional<ProviderSpec> added;  // add_provider
  double background_load = 0.0;       // background_load: the provider's load from outside, [0, 1)
  // catalog_swap: the provider's satellites from this catalog instead (kind catalog, tle or omm; a TLE or
  // OMM file resolved), placed where they were at the catalog's epochs (docs/scenario.md, "Catalog swaps").
  SatelliteSource swap_source;
  // enforcement (and optionally policy_rule): the provider's policy enforced this way instead (its
  // [enforcement] table: level, mode, delay).
  std::optional<policy::Enforcement> enforcement;
  SourceLocation defined_at;
};

struct Scenario {
  std::string name;
  std::string description;
  std::string path;  // the scenario file
  time::Instant start, stop;
  time::Duration step = time::Duration::seconds(60.0);
  std::uint32_t min_sats = 1;
  std::uint64_t seed = 1;
  RegionSpec region;
  std::vector<ProviderSpec> providers;
  std::vector<TerminalGroupSpec> groups;
  ComputeSpec compute;
  std::vector<VariantSpec> variants;
  std::optional<EnforcementStudySpec> enforcement;

  // Time steps: start, start + step, ... before stop.
  [[nodiscard]] std::size_t steps() const;
  // Whether demand met is computed: every provider (also those variants add) has a service model.
  [[nodiscard]] bool capacity() const;
};

// Every problem found in a scenario file.
class ScenarioError : public InputErrors {
 public:
  explicit ScenarioError(std::vector<InputError> issues);
};

// Parses scenario text; `path` names it in messages and anchors relative paths. Checks the fields,
// their types and ranges, unknown keys, duplicate ids, references between tables, and that every
// named file exists; the files' contents are checked when the scenario runs. Throws ScenarioError.
Scenario parse_scenario(std::string_view toml_text, const std::string& path);
// Reads and parses a file; throws InputError when unreadable, ScenarioError when invalid.
Scenario load_scenario(const std::string& path);

}  // namespace skyfence::scenario
