// The command-line inputs of area studies (`coverage`, `capacity`): providers named in the order their
// sources are given and the time window; the points and policies are scenario/study.h's, read from the
// options below.
#pragma once

#include <CLI/CLI.hpp>

#include <memory>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "skyfence/orbits/element_set.h"
#include "skyfence/scenario/study.h"
#include "skyfence/time/window.h"
#include "skyfence/visibility/fleet.h"

namespace skyfence::cli::study {

using scenario::decided_along_series;
using scenario::load_permissions;
using scenario::load_points;
using scenario::Points;
using scenario::request_contexts;
using scenario::study_permissions;
using scenario::tracked_permissions;

// The points, policies, customer and --strict are scenario::StudyInput's (its data folder and warnings
// set by finish_parsing).
struct StudyOptions : scenario::StudyInput {
  std::vector<std::string> tle, omm, preset, catalog, provider_names;
  bool all_objects = false, accept_bad_checksums = false;
  std::string start, stop, duration, step = "60s";
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
// In the command's callback, after parsing: checks --stop/--duration, fills o.sources in the order
// the source options were given, and sets o.data_folder (data_dir()) and o.warn (warn()).
void finish_parsing(const CLI::App& cmd, StudyOptions& o);

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

}  // namespace skyfence::cli::study
