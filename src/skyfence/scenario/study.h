// The inputs of area studies (`skyfence coverage` and `skyfence capacity`, and the Python package's
// `coverage` and `capacity`): ground points (S2 cells of the Earth or a region, or the sites of a file,
// fixed or moving), one service policy per provider with each point asking as itself, and for capacity
// the demand points, service models and minimum elevations. The command line and the Python package
// build their inputs here, so both compute on the same inputs; their errors name the inputs as each of
// them does (StudyNames).
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "skyfence/capacity/capacity.h"
#include "skyfence/capacity/service_model.h"
#include "skyfence/earth/grid.h"
#include "skyfence/earth/region.h"
#include "skyfence/earth/site.h"
#include "skyfence/earth/trajectory.h"
#include "skyfence/policy/permission.h"
#include "skyfence/policy/policy.h"
#include "skyfence/visibility/fleet.h"

namespace skyfence::scenario {

// What errors and warnings call each input: the command line's options (the defaults), or the Python
// package's arguments.
struct StudyNames {
  std::string level = "--level";
  std::string region = "--region";
  std::string region_file = "--region-file";
  std::string strict = "--strict";
  std::string customer = "--customer";
  std::string policy = "--policy";
  std::string provider = "--provider";
  std::string service_model = "--service-model";
  std::string min_elevation = "--min-elevation";
  std::string demand_density = "--demand-density";
  std::string demand_file = "--demand-file";
};

// Where a study's points are and who asks for service there.
struct StudyInput {
  int level = earth::kDefaultGridLevel;  // REQUIRES (checked): 0 .. earth::kMaxGridLevel
  std::string region;                    // a country of the bundled borders (ISO code or name), or
  std::string region_file, region_name;  // a GeoJSON (Multi)Polygon file, optionally its features NAME
  std::string sites;                     // a sites file (CSV or GeoJSON), fixed or trajectories; wins
  bool strict = false;                   // a bad sites row is an InputError rather than skipped
  std::vector<std::string> policies;     // service policy files, each for the provider it names
  std::string customer;                  // who asks at cells, and at sites without a customer column
  std::string data_folder;               // the bundled data: country borders, service models
  StudyNames names;
  // Receives each warning (a sentence without "warning:"); may be empty, and then warnings are dropped.
  std::function<void(const std::string&)> warn;
};

// At most this many rows skipped of a sites file are listed; the rest are counted.
inline constexpr std::size_t kMaxListedRows = 20;

// Reads a sites file (CSV or GeoJSON); every skipped row is warned about (at most kMaxListedRows
// listed, then a count, then the total with a hint to use `strict_name`); with `strict` the first bad
// row throws InputError instead.
std::vector<earth::Site> read_sites(const std::string& path, bool strict, const std::string& strict_name,
                                    const std::function<void(const std::string&)>& warn);

// The bundled country borders of `data_folder`, read into `borders` at most once.
const earth::CountryBorders& bundled_borders(const std::string& data_folder,
                                             std::optional<earth::CountryBorders>& borders);

// A region named in one text: "FILE.geojson#NAME" (the file's features named NAME), a GeoJSON file (one
// that exists, or a name ending in .geojson/.json: all its polygons), else a country of the bundled
// borders (ISO code or name). Throws InputError when there is none such.
earth::Region named_region(const std::string& text, const std::string& data_folder,
                           std::optional<earth::CountryBorders>& borders);

// The ground points: grid cells or sites (fixed, or moving along trajectories).
struct Points {
  bool cells = true;
  std::vector<earth::Cell> grid;     // when cells
  std::vector<earth::Site> sites;    // otherwise (a moving terminal: its first position)
  std::vector<earth::Track> tracks;  // per site, in its order: its trajectory (one sample at rest)
  std::vector<frames::Geodetic> locations;
  std::string description;  // for a summary
  std::string area;         // when cells: the region's name, or "the whole Earth"
};

// `sites` (fixed sites, or trajectories: then `tracks` holds them), else the cells of `level` in
// `region`/`region_file`, else of the whole Earth. Throws InputError for an empty result or a bad level.
Points load_points(const StudyInput& in, std::optional<earth::CountryBorders>& borders);

// Who asks at each point: a site's own customer, group and id (as `check` and `run` read them;
// `customer` is the default for sites without one), or `customer` for every cell.
std::vector<policy::RequestContext> request_contexts(const StudyInput& in, const Points& pts,
                                                     const std::string& provider);

// Whether the sites are decided along the series, as `check` decides them (tracked_permissions): some
// move, or some carry an activation_country (their roaming days grow with time even at rest). Cells and
// other sites are decided per point (load_permissions), which gives the same decisions faster.
bool decided_along_series(const Points& pts);

// For sites decided along the series (pts.tracks): the policies as a permission hook that decides each
// terminal where it is at each step, with its speed and roaming days, and the policy's enforcement
// delay (the decision before the first step is the one at that step minus the delay). The hook keeps
// state: call it once per step and provider in step order (the coverage and capacity engines do). Empty
// when no policy is given.
policy::PermissionHook tracked_permissions(const StudyInput& in, const Points& pts,
                                           std::span<const std::string> provider_names,
                                           std::optional<earth::CountryBorders>& borders);

// The warning load_permissions gives about `policy_file` when `without` of `total` points (cells or
// sites) ask with no customer class; a study computed in parts gives it once, with the parts' counts
// summed.
std::string no_customer_warning(const StudyInput& in, const std::string& policy_file, std::size_t without,
                                std::size_t total, bool cells);

// The policies, each for the provider it names (InputError when it names none or a provider has two),
// evaluated per point (request_contexts); warns when points ask with no customer class.
policy::ProviderPermissions load_permissions(const StudyInput& in, const Points& pts,
                                             std::span<const std::string> provider_names,
                                             std::optional<earth::CountryBorders>& borders);

// The permission hook of a study: tracked_permissions when decided_along_series, else load_permissions'
// (which the hook owns). Empty when no policy is given.
policy::PermissionHook study_permissions(const StudyInput& in, const Points& pts,
                                         std::span<const std::string> provider_names,
                                         std::optional<earth::CountryBorders>& borders);

// ------------------------------------------------------------------------------------------- capacity

// What a capacity study adds (docs/capacity.md).
struct CapacityInput {
  // One service model file per provider, in the providers' order; or none: then each provider takes
  // the bundled data/providers/<provider name>.toml.
  std::vector<std::string> service_models;
  // User-link minimum elevation in degrees: one for all providers or one per provider; empty: 25.
  // REQUIRES (checked): in [0, 90).
  std::vector<double> min_elevation_deg;
  double demand_density = -1.0;  // Mbps per km2 of the cells; < 0: not given
  std::string demand_file;       // demand per cell (CSV or GeoJSON, earth/cell_values.h); empty: not given
};

// A provider of a capacity study: its name, fleet and satellite names (for the model's classes).
struct StudyProvider {
  std::string name;
  const visibility::Fleet* fleet = nullptr;  // REQUIRES: not null; outlives the study
  std::vector<std::string> satellite_names;  // per fleet satellite; may be empty
};

// Everything capacity::compute_capacity takes. Not copyable (providers point into models; the
// permission hook may point into the points): keep it where it is built, and the Points it was built
// from alive while it is used.
struct CapacityStudy {
  std::vector<capacity::ServiceModel> models;  // per provider
  std::vector<capacity::Provider> providers;
  std::vector<capacity::DemandPoint> demand;  // per point
  capacity::CapacityOptions options;
  CapacityStudy() = default;
  CapacityStudy(const CapacityStudy&) = delete;
  CapacityStudy& operator=(const CapacityStudy&) = delete;
  CapacityStudy(CapacityStudy&&) = default;
  CapacityStudy& operator=(CapacityStudy&&) = default;
};

// The service models, minimum elevations, demand points (a site's demand_mbps, customer and providers
// columns; a cell's demand from the demand file or density) and permissions of a capacity study over
// `pts` (which must outlive the result), checked in that order. Throws InputError naming the input.
CapacityStudy capacity_study(const StudyInput& in, const CapacityInput& cap, const Points& pts,
                             std::vector<StudyProvider> providers,
                             std::optional<earth::CountryBorders>& borders);

}  // namespace skyfence::scenario
