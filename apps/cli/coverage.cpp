// skyfence coverage: per cell (or site) and provider, how often and how well the ground is served
// over a time window.
#include "coverage.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <map>
#include <memory>
#include <numbers>
#include <numeric>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <fmt/core.h>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "common.h"
#include "data_dir.h"
#include "inputs.h"
#include "skyfence/core/error.h"
#include "skyfence/core/statistics.h"
#include "skyfence/core/units.h"
#include "skyfence/coverage/coverage.h"
#include "skyfence/coverage/writers.h"
#include "skyfence/earth/grid.h"
#include "skyfence/earth/lonlat_polygon.h"
#include "skyfence/earth/region.h"
#include "skyfence/earth/site.h"
#include "skyfence/earth/trajectory.h"
#include "skyfence/policy/permission.h"
#include "skyfence/policy/policy.h"
#include "skyfence/time/scales.h"
#include "skyfence/time/window.h"
#include "skyfence/visibility/fleet.h"
#include "study.h"

namespace skyfence::cli {
namespace coverage_command {

using namespace inputs;
using namespace study;

struct Options : study::StudyOptions {
  double min_elevation_deg = 25.0;
  std::uint32_t min_sats = 1;
};

constexpr double kRadToDeg = kDegPerRad;  // core/units.h

// Warns about SGP4 failures; with --strict they fail the run before anything is written (a
// complete-looking file must not outlive a failed run). Returns whether the run may go on.
bool accept_failures(const Options& o, std::span<const coverage::Provider> providers,
                     const coverage::CoverageResult& result) {
  for (std::size_t p = 0; p < providers.size(); ++p) {
    if (result.failed_states[p] > 0) {
      warn(fmt::format("{}: {} satellite-step(s) with an SGP4 error were not counted in view",
                       providers[p].name, result.failed_states[p]));
    }
  }
  const auto failed = std::accumulate(result.failed_states.begin(), result.failed_states.end(), 0ULL);
  if (!o.strict || failed == 0) return true;
  fmt::print(stderr,
             "skyfence: error: {} satellite-step(s) with an SGP4 error with --strict; nothing was written\n",
             failed);
  return false;
}

// The one-line summary: the share of the window served per provider, area-weighted over cells (the
// mean over sites).
void print_summary(const Options& o, const Points& pts, const time::Window& window, std::size_t n_sats,
                   const coverage::CoverageResult& result, bool served, double compute_s, double secs) {
  std::string shares;
  for (std::size_t p = 0; p <= result.providers(); ++p) {
    const double share = weighted_mean(
        result.points(),
        [&](std::size_t i) { return served ? result.served_fraction(p, i) : result.coverage_fraction(p, i); },
        [&](std::size_t i) { return pts.cells ? pts.grid[i].area_km2 : 1.0; }, 0.0);
    shares += fmt::format("{}{} {:.2f}%", p == 0 ? "" : ", ", result.provider_name(p), 100.0 * share);
  }
  fmt::print(stderr,
             "skyfence: {}; {} satellites of {} provider(s); {} steps of {} s from {}; {:.3g} pair tests in "
             "{:.2f} s ({:.3g}/s); mean {} fraction ({}, >= {} in view above {} deg): {}; {:.2f} s in "
             "all{}\n",
             pts.description, n_sats, result.providers(), window.size(), window.step().to_seconds(),
             time::format_iso8601(window.start(), 0), static_cast<double>(result.pair_tests), compute_s,
             static_cast<double>(result.pair_tests) / std::max(compute_s, 1e-9),
             served ? "served (under policy)" : "coverage", pts.cells ? "area-weighted" : "over sites",
             o.min_sats, o.min_elevation_deg, shares, secs,
             o.output.empty() || o.output == "-" ? "" : ", wrote " + o.output);
}

double seconds_since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

int run(const Options& o) {
  install_interrupt_handler();
  const auto t0 = std::chrono::steady_clock::now();
  const time::Window window = window_of(o);
  coverage::CoverageOptions copts;
  copts.min_elevation_rad = min_elevation_rad(o.min_elevation_deg, "--min-elevation");
  if (o.min_sats < 1) throw InputError(SourceLocation{"--min-sats", 0, {}}, "expected at least 1");
  copts.min_sats = o.min_sats;
  const std::string format = output_format(o);

  std::optional<earth::CountryBorders> borders;
  const Points pts = load_points(o, borders);
  const std::vector<LoadedProvider> loaded = load_providers(o, window.start(), window.stop());
  std::vector<coverage::Provider> providers;
  std::vector<std::string> names;
  std::size_t n_sats = 0;
  for (const auto& p : loaded) {
    providers.push_back({p.name, p.fleet.get()});
    names.push_back(p.name);
    n_sats += p.sets.size();
  }
  // Terminals that move or roam are decided along the series, as `check` decides them.
  const bool moving = earth::any_moving(pts.tracks);
  copts.permission = study_permissions(o, pts, names, borders);
  const bool served = static_cast<bool>(copts.permission);

  // Opened before the long computation so that an unwritable path fails at once.
  OutputSink sink(o.output);
  Progress progress("coverage", 1.0, o.quiet);
  const RunContext run = run_context(o.threads, &progress);
  const auto t_compute = std::chrono::steady_clock::now();
  coverage::CoverageResult result;
  double compute_s = 0.0;
  coverage::WriteOptions wo;
  wo.served = served;
  wo.out = [&](std::string_view text) { sink.write(text); };
  if (moving) {
    const auto positions = [&](time::Instant at, std::span<frames::Geodetic> out) {
      earth::positions_at(pts.tracks, at, out);
    };
    result = coverage::compute_coverage_moving(pts.tracks.size(), positions, providers, window, copts, run);
  } else {
    result = coverage::compute_coverage(pts.locations, providers, window, copts, run);
  }
  compute_s = seconds_since(t_compute);
  progress.finish();
  if (!accept_failures(o, providers, result)) return kExitRuntime;
  (format == "csv" ? coverage::write_csv : coverage::write_geojson)({pts.grid, pts.sites, pts.tracks}, result,
                                                                    wo, run);
  check_interrupted();
  sink.commit();
  if (!o.quiet) print_summary(o, pts, window, n_sats, result, served, compute_s, seconds_since(t0));
  return kExitOk;
}

}  // namespace coverage_command

void add_coverage_command(CLI::App& app, std::function<int()>& run_fn) {
  using namespace coverage_command;
  auto opts = std::make_shared<Options>();
  CLI::App* cmd = app.add_subcommand(
      "coverage", "How often and how well each ground cell (or site) is served, per provider and by any");
  cmd->footer(R"(Examples:
  skyfence coverage --catalog starlink --start 2026-04-27T00:00:00Z --duration 24h --step 60s -o starlink.csv
  skyfence coverage --catalog starlink --catalog oneweb --region UKR --level 8 \
      --start 2026-04-27T00:00:00Z --duration 6h --step 30s -o ukraine.geojson
  skyfence coverage --tle mine.tle --provider mine --preset kuiper --region-file area.geojson \
      --start 2026-05-01T00:00:00Z --stop 2026-05-02T00:00:00Z --min-sats 2 -o area.csv
  skyfence coverage --preset starlink-gen1 --sites data/gateways/starlink_pops.csv \
      --start 2026-05-01T00:00:00Z --duration 1d --min-elevation 40

Providers: each --tle, --omm, --preset or --catalog (repeatable, in any mix) is one provider, named by the
--provider given in the same position, else by the file name, preset or catalog; "any" is all of them
together. Presets are generated at --start.
Points: the whole Earth as S2 cells of --level (default 7: 98,304 cells of about 5,200 km2), the cells
whose centre lies in a country (--region: ISO 3166 alpha-3/alpha-2/numeric code or name, from the bundled
Natural Earth borders) or in a GeoJSON (Multi)Polygon (--region-file, --region-name to pick features), or
the sites of a CSV/GeoJSON file (--sites; statistics per terminal). Terminals may move: a CSV with a
time_utc column or GeoJSON LineStrings with "times" (docs/enforcement.md); each is then counted where it
is at each step, decided by --policy with its speed and roaming days, and listed at its first position (GeoJSON:
its trajectory, a LineString with "times").
A site at rest with an activation_country column (and roaming_since) is decided with its roaming days
too, step by step, as `check` decides it.
Steps: START, START+STEP, ... before STOP (a step stands for the STEP-long interval it begins).
In view: at or above --min-elevation on the point's WGS84 vertical; served: at least --min-sats in view.
Output columns (CSV; the same as GeoJSON properties, one polygon per cell and provider, cut at the
antimeridian): cell_id (S2 token or site id), lat_deg, lon_deg (cell centre or site), area_km2 (empty for
sites), provider, coverage_fraction (share of steps served), mean_visible, min_visible, max_visible,
max_gap_s (longest run of steps not served, times the step), gap_count (runs of steps not served); with
--policy also served_fraction: share of steps served while the provider's policy permits service there
for --customer ("any": the providers that permit service, together, reach --min-sats). A provider
without a policy is unrestricted.
Exit status: 0 ok, 1 runtime failure, 2 bad input, 130 interrupted (nothing written).)");
  add_provider_options(*cmd, *opts);
  add_window_options(*cmd, *opts);
  add_point_options(*cmd, *opts);
  cmd->add_option("--min-elevation", opts->min_elevation_deg, "minimum elevation, degrees")
      ->capture_default_str();
  cmd->add_option("--min-sats", opts->min_sats, "satellites in view needed to be served")
      ->capture_default_str();
  add_policy_options(*cmd, *opts);
  add_output_options(*cmd, *opts);
  cmd->callback([opts, cmd, &run_fn] {
    finish_parsing(*cmd, *opts);
    run_fn = [opts] { return run(*opts); };
  });
}

}  // namespace skyfence::cli
