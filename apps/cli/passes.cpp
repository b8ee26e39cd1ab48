// skyfence passes: AOS, TCA and LOS of satellites over ground sites or moving terminals
// (visibility::find_terminal_passes).
#include "passes.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <memory>
#include <numbers>
#include <set>
#include <string>
#include <vector>

#include <fmt/core.h>
#include <fmt/format.h>

#include "common.h"
#include "inputs.h"
#include "skyfence/core/error.h"
#include "skyfence/core/units.h"
#include "skyfence/earth/site.h"
#include "skyfence/earth/trajectory.h"
#include "skyfence/time/scales.h"
#include "skyfence/time/window.h"
#include "skyfence/visibility/fleet.h"
#include "skyfence/visibility/passes.h"

namespace skyfence::cli {

namespace passes_command {

using namespace inputs;
using time::Instant;

struct Options {
  SatelliteInput in;
  SiteInput sites;
  std::string start, stop;
  double min_elevation_deg = 25.0;
  std::string output;
  bool quiet = false;
  unsigned threads = 0;
};

constexpr double kRadToDeg = kDegPerRad;  // core/units.h

// One warning per SGP4 failure, the first 20, then their count.
void warn_about_failures(const visibility::PassList& found, const std::vector<orbits::ElementSet>& sets) {
  for (std::size_t i = 0; i < found.failures.size(); ++i) {
    if (i == 20) {
      warn(fmt::format("... and {} more SGP4 failures", found.failures.size() - 20));
      break;
    }
    const auto& f = found.failures[i];
    const auto& es = sets[f.satellite];
    warn(fmt::format("{} (NORAD {}): SGP4 error {} at {}: {}; its passes stop there",
                     es.name.empty() ? "satellite" : es.name, es.norad_id, static_cast<int>(f.error),
                     time::format_iso8601(f.when, 3), orbits::describe(f.error)));
  }
}

// The CSV of the passes, one row each, in find_passes' order.
std::string passes_csv(const visibility::PassList& found, const visibility::Fleet& fleet,
                       const std::vector<orbits::ElementSet>& sets, const std::vector<earth::Track>& sites) {
  fmt::memory_buffer buf;
  fmt::format_to(
      std::back_inserter(buf),
      "norad_id,name,site_id,aos_utc,tca_utc,los_utc,max_elevation_deg,aos_azimuth_deg,los_azimuth_deg,"
      "duration_s,aos_clipped,los_clipped\n");
  std::vector<std::string> site_ids, names;
  for (const auto& s : sites) site_ids.push_back(csv_field(s.id));
  for (const auto& es : sets) names.push_back(csv_field(es.name));
  for (const visibility::Pass& p : found.passes) {
    fmt::format_to(std::back_inserter(buf), "{},{},{},{},{},{},{:.4f},{:.4f},{:.4f},{:.3f},{},{}\n",
                   fleet.norad_id(p.satellite), names[p.satellite], site_ids[p.site],
                   time::format_iso8601(p.aos, 3), time::format_iso8601(p.tca, 3),
                   time::format_iso8601(p.los, 3), p.max_elevation_rad * kRadToDeg,
                   p.aos_azimuth_rad * kRadToDeg, p.los_azimuth_rad * kRadToDeg, p.duration().to_seconds(),
                   p.aos_clipped ? "true" : "false", p.los_clipped ? "true" : "false");
  }
  return std::string(buf.data(), buf.size());
}

int run(const Options& o) {
  install_interrupt_handler();
  const auto t0 = std::chrono::steady_clock::now();
  const time::Window window = time::Window::continuous(time::parse_iso8601(o.start, "--start"),
                                                       time::parse_iso8601(o.stop, "--stop"));
  const Instant start = window.start(), stop = window.stop();
  visibility::PassOptions popts;
  popts.min_elevation_rad = min_elevation_rad(o.min_elevation_deg, "--min-elevation");
  Progress progress("passes", 1.0, o.quiet);
  const RunContext run = run_context(o.threads, &progress);
  // --site places and the --sites file: fixed sites, or terminals moving along trajectories.
  const std::vector<earth::Track> sites = load_terminals(o.sites, o.in.strict);
  const std::vector<orbits::ElementSet> sets = load_satellites(o.in, start, stop).sets;
  warn_about_leap_seconds(stop);

  const visibility::Fleet fleet(sets);
  const visibility::PassList found = visibility::find_terminal_passes(fleet, sites, start, stop, popts, run);
  progress.finish();
  check_interrupted();

  warn_about_failures(found, sets);
  const std::string csv = passes_csv(found, fleet, sets, sites);
  // --strict fails before anything is written: a complete-looking file must not outlive a failed run.
  if (o.in.strict && !found.failures.empty()) {
    fmt::print(stderr, "skyfence: error: {} SGP4 failure(s) with --strict; nothing was written\n",
               found.failures.size());
    return kExitRuntime;
  }
  write_output(o.output, csv);

  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  if (!o.quiet) {
    fmt::print(stderr,
               "skyfence: {} satellites x {} sites, {} to {}: {} passes above {} deg, {} SGP4 error(s), "
               "{:.2f} s{}\n",
               sets.size(), sites.size(), time::format_iso8601(start, 0), time::format_iso8601(stop, 0),
               found.passes.size(), o.min_elevation_deg, found.failures.size(), secs,
               o.output.empty() || o.output == "-" ? "" : ", wrote " + o.output);
  }
  return kExitOk;
}

}  // namespace passes_command

void add_passes_command(CLI::App& app, std::function<int()>& run_fn) {
  using namespace passes_command;
  auto opts = std::make_shared<Options>();
  CLI::App* cmd = app.add_subcommand(
      "passes", "Passes of satellites over ground sites: AOS, TCA (highest elevation) and LOS");
  cmd->footer(R"(Examples:
  skyfence passes --tle data/tle/starlink_2026-04-27.tle --satellite STARLINK-1008 \
      --site 50.45,30.52,180 --start 2026-04-27T00:00:00Z --stop 2026-04-29T00:00:00Z
  skyfence passes --tle data/tle/iridium-next_2026-04-27.tle --sites data/gateways/starlink_gateways.csv \
      --start 2026-04-27T00:00:00Z --stop 2026-04-28T00:00:00Z --min-elevation 10 -o passes.csv
  skyfence passes --preset kuiper --site -33.9,18.4 --start 2026-05-01T00:00:00Z --stop 2026-05-01T06:00:00Z

A pass is a time span in which the satellite stands at or above --min-elevation on the site's WGS84
local vertical (no refraction). AOS and LOS are where the elevation crosses it, TCA where it is highest;
all three are found by root finding to 1 ms and printed to the millisecond (UTC, truncated).
CSV columns: norad_id,name,site_id,aos_utc,tca_utc,los_utc,max_elevation_deg,aos_azimuth_deg,
los_azimuth_deg,duration_s,aos_clipped,los_clipped, sorted by aos_utc, then NORAD id, then site.
aos_clipped=true: the pass was already under way at --start (aos_utc is --start); los_clipped=true: it
was still under way at --stop (los_utc is --stop) or at the satellite's SGP4 failure. A clipped pass's
max_elevation_deg and tca_utc are the highest point inside the window.
Sites: --site LAT,LON[,ALT_M] (degrees, metres; repeatable; its site_id is the text given) and/or
--sites FILE (CSV id,lat_deg,lon_deg[,alt_m] or GeoJSON points). Terminals may move: a CSV with a time_utc
column, one row per sample, or GeoJSON LineStrings with "times" (docs/enforcement.md); a moving terminal's
passes are seen from where it is at each instant (its elevations and azimuths too). --preset generates the preset's
satellites at --start. When SGP4 fails for a satellite (decay) its passes stop there with a warning;
the exit status is 0 unless --strict (then 1, and no output is written).
The window is [--start, --stop): passes are searched in it continuously; --stop must come after --start.
Exit status: 0 ok, 1 runtime failure (or an SGP4 error with --strict), 2 bad input, 130 interrupted.)");
  add_satellite_options(*cmd, opts->in);
  add_site_options(*cmd, opts->sites);
  cmd->add_option("--start", opts->start, "start of the window, ISO-8601 UTC (2026-04-27T00:00:00Z)")
      ->required();
  cmd->add_option("--stop", opts->stop, "end of the window, ISO-8601 UTC (excluded; after --start)")
      ->required();
  cmd->add_option("--min-elevation", opts->min_elevation_deg, "minimum elevation, degrees")
      ->capture_default_str();
  cmd->add_option("-o,--output", opts->output,
                  "output file (default: standard output); written whole or not at all");
  cmd->add_option("--threads", opts->threads,
                  "worker threads (default: all cores); results do not depend on it");
  cmd->add_flag("-q,--quiet", opts->quiet, "no summary on standard error");
  cmd->callback([opts, &run_fn] { run_fn = [opts] { return run(*opts); }; });
}

}  // namespace skyfence::cli
