// The inputs of area studies (`coverage`, `capacity`): providers named in the order their sources are
// given, ground points (S2 cells of the Earth or a region, or the sites of a file), the time window,
// and one service policy per provider with each point asking as itself.
#pragma once

#include <CLI/CLI.hpp>

#include <memory>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "skyfence/earth/grid.h"
#include "skyfence/earth/region.h"
#include "skyfence/earth/site.h"
#include "skyfence/earth/trajectory.h"
#include "skyfence/orbits/element_set.h"
#include "skyfence/policy/permission.h"
#include "skyfence/policy/policy.h"
#include "skyfence/time/window.h"
#include "skyfence/visibility/fleet.h"

namespace skyfence::cli::study {

struct StudyOptions {
  std::vector<std::string> tle, omm, preset, catalog, provider_names;
  bool all_objects = false, strict = false, accept_bad_checksums = false;
  std::string start, stop, duration, step = "60s";
  int level = earth::kDefaultGridLevel;
  std::string region, region_file, region_name, sites;
  std::vector<std::string> policies;
  std::string customer;
  std::string output, format;  // -o, --format
  unsigned threads = 0;
  bool quiet = false;
  // The providers' sources in the order given: (kind, value), kind one of tle, omm, preset, catalog.
  std::vector<std::pair<std::string, std::string>> sources;
};

// Registers --tle/--omm/--preset/--catalog (repeatable, one provider each), --provider, --all-objects,
// --strict and --accept-bad-checksums.
void add_provider_options(CLI::App& cmd, StudyOptions& o);
// Registers --start (required), --stop or --duration, --step.
void add_window_options(CLI::App& cmd, StudyOptions& o);
// Registers --level, --region, --region-file, --region-name and --sites (exclusive with the others).
void add_point_options(CLI::App& cmd, StudyOptions& o);
// Registers --policy (repeatable) and --customer.
void add_policy_options(CLI::App& cmd, StudyOptions& o);
// Registers -o/--output, --format, --threads and -q/--quiet.
void add_output_options(CLI::App& cmd, StudyOptions& o);
// "csv" or "geojson": --format, else from the output's extension (.geojson, .json), else CSV. Throws
// InputError for any other --format.
std::string output_format(const StudyOptions& o);
// In the command's callback, after parsing: checks --stop/--duration and fills o.sources in the order
// the source options were given.
void finish_parsing(const CLI::App& cmd, StudyOptions& o);

// The bundled country borders, read at most once.
const earth::CountryBorders& bundled_borders(std::optional<earth::CountryBorders>& borders);

// The ground points: grid cells or sites (fixed, or moving along trajectories).
struct Points {
  bool cells = true;
  std::vector<earth::Cell> grid;     // when cells
  std::vector<earth::Site> sites;    // otherwise (a moving terminal: its first position)
  std::vector<earth::Track> tracks;  // per site, in its order: its trajectory (one sample at rest)
  std::vector<frames::Geodetic> locations;
  std::string description;  // for the summary
  std::string area;         // when cells: the region's name, or "the whole Earth"
};

// --sites (fixed sites, or trajectories: then `tracks` holds them), else the cells of --level in
// --region/--region-file, else of the whole Earth. Throws InputError for an empty result or a bad level.
Points load_points(const StudyOptions& o, std::optional<earth::CountryBorders>& borders);

struct LoadedProvider {
  std::string name;
  std::vector<orbits::ElementSet> sets;
  std::unique_ptr<visibility::Fleet> fleet;
};

// Loads every source (warnings on stderr) over [start, stop] and names it (--provider in the same
// position, else the file's stem, preset or catalog). Throws InputError for a missing, repeated or
// reserved ("any") name.
std::vector<LoadedProvider> load_providers(const StudyOptions& o, time::Instant start, time::Instant stop);

// The window of --start and --stop or --duration, stepped by --step.
time::Window window_of(const StudyOptions& o);

// Who asks at each point: a site's own customer, group and id (as `check` and `run` read them;
// --customer is the default for sites without one), or --customer for every cell.
std::vector<policy::RequestContext> request_contexts(const StudyOptions& o, const Points& pts,
                                                     const std::string& provider);

// Whether the sites are decided along the series, as `check` decides them (tracked_permissions): some
// move, or some carry an activation_country (their roaming days grow with time even at rest). Cells and
// other sites are decided per point (load_permissions), which gives the same decisions faster.
bool decided_along_series(const Points& pts);

// For sites decided along the series (pts.tracks): the --policy files as a permission hook that decides
// each terminal where it is at each step, with its speed and roaming days, and the policy's enforcement
// delay (the decision before the first step is the one at that step minus the delay). The hook keeps
// state: call it once per step and provider in step order (the coverage and capacity engines do). Empty
// when no --policy is given.
policy::PermissionHook tracked_permissions(const StudyOptions& o, const Points& pts,
                                           std::span<const std::string> provider_names,
                                           std::optional<earth::CountryBorders>& borders);

// The --policy files, each for the provider it names (InputError when it names none or a provider has
// two), evaluated per point (request_contexts); warns when points ask with no customer class.
policy::ProviderPermissions load_permissions(const StudyOptions& o, const Points& pts,
                                             std::span<const std::string> provider_names,
                                             std::optional<earth::CountryBorders>& borders);

}  // namespace skyfence::cli::study
