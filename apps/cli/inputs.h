// The inputs several commands share: element sets (--tle/--omm/--catalog/--preset and their selection,
// loaded by orbits::load_satellites, its issues printed as "skyfence: warning:" lines), ground sites,
// minimum elevations, and writing one output whole.
#pragma once

#include <CLI/CLI.hpp>

#include <optional>
#include <string>
#include <vector>

#include "skyfence/earth/region.h"
#include "skyfence/earth/site.h"
#include "skyfence/earth/trajectory.h"
#include "skyfence/orbits/load.h"
#include "skyfence/time/instant.h"

namespace skyfence::cli::inputs {

// Where the element sets come from: exactly one of tle, omm, catalog, preset.
struct SatelliteInput {
  std::string tle, omm, preset;
  std::string catalog;                  // --catalog: a bundled snapshot by name ("starlink", "oneweb"...)
  bool all_objects = false;             // --all-objects: keep debris and rocket bodies
  std::vector<std::string> satellites;  // --satellite: NORAD ids, names or name patterns
  bool strict = false;
  bool accept_bad_checksums = false;
};

// A region named on the command line: "FILE.geojson#NAME" (the file's features named NAME), a GeoJSON
// file (one that exists, or a name ending in .geojson/.json: all its polygons), else a country of the
// bundled borders (ISO code or name), read into `borders` at most once.
earth::Region named_region(const std::string& text, std::optional<earth::CountryBorders>& borders);

// Registers --tle/--omm/--catalog/--preset (one required), --all-objects, --satellite, --strict,
// --accept-bad-checksums.
void add_satellite_options(CLI::App& cmd, SatelliteInput& in);

// The loader's description of the input.
orbits::SatelliteSource satellite_source(const SatelliteInput& in);

// Loads the element sets for use over [first, last] (orbits::load_satellites with the data directory;
// a preset is generated at `first`) and prints its warnings (orbits::load_warnings) on stderr. Throws
// InputError on bad input or an empty selection.
orbits::LoadedSatellites load_satellites(const SatelliteInput& in, time::Instant first, time::Instant last);

// Prints every line of orbits::load_warnings as "skyfence: warning: ...".
void print_load_warnings(const orbits::LoadedSatellites& loaded);

// Reads a sites file (CSV or GeoJSON), listing skipped rows on stderr; with `strict` the first bad
// row throws InputError instead.
std::vector<earth::Site> read_sites(const std::string& path, bool strict);

// Ground sites given as repeatable --site LAT,LON[,ALT_M] and/or --sites FILE.
struct SiteInput {
  std::vector<std::string> specs;  // --site, in the order given; each site's id is its text
  std::string file;                // --sites
};

// Registers --site and --sites (at least one required) in a "sites" option group.
void add_site_options(CLI::App& cmd, SiteInput& in);

// The --site sites, then the file's (skipped rows listed on stderr; with `strict` the first bad row
// throws). Throws InputError when there is none.
std::vector<earth::Site> load_sites(const SiteInput& in, bool strict);

// The same as terminals: fixed sites, or, when the --sites file holds trajectories (a CSV with time_utc,
// GeoJSON LineStrings with times: earth/trajectory.h), the --site places at rest then the file's
// terminals, some moving. Throws InputError as load_sites, or for any bad trajectory.
std::vector<earth::Track> load_terminals(const SiteInput& in, bool strict);

// Warns when a time up to `last` lies past the leap-second table's expiry.
void warn_about_leap_seconds(time::Instant last);

// A minimum elevation option value in degrees, checked to lie in [-90, 90) (InputError naming `what`).
double min_elevation_rad(double deg, const char* what);

// Writes all of `text` to the output (stdout when path is empty or "-", else an AtomicFile).
void write_output(const std::string& path, const std::string& text);

}  // namespace skyfence::cli::inputs
