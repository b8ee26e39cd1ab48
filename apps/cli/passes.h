#pragma once

#include <CLI/CLI.hpp>

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "skyfence/earth/site.h"
#include "skyfence/orbits/element_set.h"
#include "skyfence/time/instant.h"

namespace skyfence::cli {

// Registers `skyfence passes`; `run` is set to the function that executes it after parsing.
void add_passes_command(CLI::App& app, std::function<int()>& run);

// Pieces shared by `passes` and `visible` (visible.cpp).
namespace visibility_cli {

// Where the element sets come from: exactly one of tle, omm, preset.
struct SatelliteInput {
  std::string tle, omm, preset;
  std::string catalog;                  // --catalog: a bundled snapshot by name ("starlink", "oneweb"...)
  bool all_objects = false;             // --all-objects: keep debris and rocket bodies
  std::vector<std::string> satellites;  // --satellite: NORAD ids, names or name patterns
  bool strict = false;
  bool accept_bad_checksums = false;
};

// Registers --tle/--omm/--catalog/--preset (one required), --all-objects, --satellite, --strict,
// --accept-bad-checksums.
void add_satellite_options(CLI::App& cmd, SatelliteInput& in);

// Reads and selects the element sets, warning on stderr about skipped records, dropped duplicates and
// element sets far from `when` (a preset is generated at `when`). Throws InputError on bad input or an
// empty selection. `source` is set to the name of the input for messages.
std::vector<orbits::ElementSet> load_satellites(const SatelliteInput& in, time::Instant when,
                                                std::string& source);

// Reads a sites file (CSV or GeoJSON), listing skipped rows on stderr; with `strict` the first bad
// row throws InputError instead.
std::vector<earth::Site> read_sites(const std::string& path, bool strict);

// Warns when element-set epochs lie more than 14 days from [first, last], or the times lie past the
// leap-second table's expiry.
void warn_about_epochs(const std::vector<orbits::ElementSet>& sets, time::Instant first, time::Instant last);

// A minimum elevation option value in degrees, checked to lie in [-90, 90) (InputError naming `what`).
double min_elevation_rad(double deg, const char* what);

// Writes all of `text` to the output (stdout when path is empty or "-", else an AtomicFile).
void write_output(const std::string& path, const std::string& text);

}  // namespace visibility_cli
}  // namespace skyfence::cli
