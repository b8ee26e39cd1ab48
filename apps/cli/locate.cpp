// skyfence locate: where a terminal can be, given which satellite served it when
// (detection::locate over observations read by detection::read_observations).
#include "locate.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <fmt/core.h>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "common.h"
#include "data_dir.h"
#include "inputs.h"
#include "skyfence/core/error.h"
#include "skyfence/core/units.h"
#include "skyfence/detection/locate.h"
#include "skyfence/detection/locate_report.h"
#include "skyfence/detection/observations.h"
#include "skyfence/earth/grid.h"
#include "skyfence/earth/point_table.h"
#include "skyfence/earth/region.h"
#include "skyfence/time/scales.h"
#include "skyfence/visibility/fleet.h"

namespace skyfence::cli {
namespace locate_command {

using namespace inputs;

struct Options {
  SatelliteInput in;
  std::string observations;
  std::string prior = "world";
  std::string region;
  double min_elevation_deg = 25.0;
  std::string rule = "visible";
  unsigned k = 1;
  int level = 13;
  std::size_t max_outliers = 0;
  std::string output, summary;
  bool quiet = false;
  unsigned threads = 0;
};

struct Answer {
  detection::ObservedTerminal terminal;
  detection::Location location;
  std::optional<detection::RegionVerdict> verdict;  // with --region
};

std::string cells_csv(const std::vector<Answer>& answers) {
  fmt::memory_buffer b;
  fmt::format_to(std::back_inserter(b), "terminal_id,cell_id,lat_deg,lon_deg,area_km2\n");
  for (const Answer& a : answers) {
    const std::string id = csv_field(a.terminal.id);
    for (const detection::LocatedCell& c : a.location.cells) {
      fmt::format_to(std::back_inserter(b), "{},{},{:.6f},{:.6f},{:.4f}\n", id, earth::cell_token(c.id),
                     c.centre.lat_rad * kDegPerRad, c.centre.lon_rad * kDegPerRad, c.area_km2);
    }
  }
  return {b.data(), b.size()};
}

std::string cells_geojson(const std::vector<Answer>& answers) {
  fmt::memory_buffer b;
  fmt::format_to(std::back_inserter(b), "{{\"type\":\"FeatureCollection\",\"features\":[");
  bool first = true;
  for (const Answer& a : answers) {
    const std::string id = nlohmann::json(a.terminal.id).dump();
    for (const detection::LocatedCell& c : a.location.cells) {
      fmt::format_to(std::back_inserter(b),
                     "{}\n{{\"type\":\"Feature\",\"geometry\":{},\"properties\":{{\"terminal_id\":{},"
                     "\"cell_id\":\"{}\",\"area_km2\":{:.4f},\"misses\":{}}}}}",
                     first ? "" : ",", earth::cell_geometry_json(earth::make_cell(c.id)), id,
                     earth::cell_token(c.id), c.area_km2, c.misses);
      first = false;
    }
  }
  fmt::format_to(std::back_inserter(b), "\n]}}\n");
  return {b.data(), b.size()};
}

// One object per terminal (docs/locate.md).
std::string summary_json(const std::vector<Answer>& answers) {
  nlohmann::json out = nlohmann::json::array();
  for (const Answer& a : answers) {
    const detection::Location& l = a.location;
    nlohmann::json j;
    j["terminal_id"] = a.terminal.id;
    j["observations"] = a.terminal.observations.size();
    j["observations_used"] = l.observations_used;
    j["consistent_area_km2"] = l.area_km2;
    j["cells"] = l.cells.size();
    j["estimate_lat_deg"] = l.estimate ? nlohmann::json(l.estimate->lat_rad * kDegPerRad) : nlohmann::json();
    j["estimate_lon_deg"] = l.estimate ? nlohmann::json(l.estimate->lon_rad * kDegPerRad) : nlohmann::json();
    j["radius_km"] = l.estimate ? nlohmann::json(l.radius_km) : nlohmann::json();
    j["inside"] = a.verdict ? nlohmann::json(a.verdict->inside) : nlohmann::json();
    j["inside_share"] =
        a.verdict && a.verdict->inside_share ? nlohmann::json(*a.verdict->inside_share) : nlohmann::json();
    j["unused"] = nlohmann::json::array();
    for (const detection::UnusedObservation& u : l.unused)
      j["unused"].push_back({{"line", u.observation.line}, {"reason", u.reason}});
    out.push_back(std::move(j));
  }
  return out.dump(2) + "\n";
}

void report(const Options& o, const Answer& a) {
  const detection::Location& l = a.location;
  for (const std::string& w :
       detection::location_warnings(l, a.terminal.id, o.observations, o.max_outliers, kMaxListed))
    warn(w);
  if (o.quiet || l.cells.empty()) return;
  fmt::print(
      stderr,
      "skyfence: {}: {} observation(s), {:.0f} km2 in {} cell(s), estimate {:.4f},{:.4f} within {:.1f} km\n",
      a.terminal.id, l.observations_used, l.area_km2, l.cells.size(), l.estimate->lat_rad * kDegPerRad,
      l.estimate->lon_rad * kDegPerRad, l.radius_km);
}

int run(const Options& o) {
  install_interrupt_handler();
  const auto t0 = std::chrono::steady_clock::now();
  detection::LocateOptions lo;
  lo.min_elevation_rad = min_elevation_rad(o.min_elevation_deg, "--min-elevation");
  lo.rule = o.rule == "top-k" ? detection::Rule::top_k : detection::Rule::visible;
  lo.k = o.k;
  lo.level = o.level;
  lo.max_outliers = o.max_outliers;
  std::vector<detection::ObservedTerminal> terminals = detection::read_observations(o.observations);
  time::Instant first = terminals.front().observations.front().at, last = first;
  for (const auto& t : terminals) {
    first = std::min(first, t.observations.front().at);
    last = std::max(last, t.observations.back().at);
  }
  std::optional<earth::CountryBorders> borders;
  detection::Prior prior;
  if (o.prior != "world") prior.region = inputs::named_region(o.prior, borders);
  std::optional<earth::Region> region;
  if (!o.region.empty()) region = inputs::named_region(o.region, borders);
  const std::vector<orbits::ElementSet> sets = load_satellites(o.in, first, last).sets;
  warn_about_leap_seconds(last);
  const visibility::Fleet fleet(sets);

  const std::string format =
      o.output.ends_with(".geojson") || o.output.ends_with(".json") ? "geojson" : "csv";
  OutputSink sink(o.output);  // opened first, so that an unwritable path fails at once
  Progress progress("locate", 1.0, o.quiet);
  std::vector<Answer> answers;
  for (std::size_t i = 0; i < terminals.size(); ++i) {
    const double n = static_cast<double>(terminals.size());
    const RunContext run =
        run_context(o.threads, &progress).part(static_cast<double>(i) / n, static_cast<double>(i + 1) / n);
    Answer a;
    a.location = detection::locate(fleet, terminals[i].observations, prior, lo, run);
    a.terminal = std::move(terminals[i]);
    if (region) a.verdict = detection::region_verdict(a.location, *region);
    answers.push_back(std::move(a));
  }
  progress.finish();
  for (const Answer& a : answers) report(o, a);
  sink.write(format == "geojson" ? cells_geojson(answers) : cells_csv(answers));
  check_interrupted();
  if (!o.summary.empty()) write_output(o.summary, summary_json(answers));
  sink.commit();
  if (!o.quiet) {
    fmt::print(stderr, "skyfence: located {} terminal(s) against {} satellites in {:.2f} s{}\n",
               answers.size(), sets.size(),
               std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count(),
               o.output.empty() || o.output == "-" ? "" : ", wrote " + o.output);
  }
  return kExitOk;
}

}  // namespace locate_command

void add_locate_command(CLI::App& app, std::function<int()>& run_fn) {
  using namespace locate_command;
  auto opts = std::make_shared<Options>();
  CLI::App* cmd =
      app.add_subcommand("locate", "Where a terminal can be, given which satellite served it when");
  cmd->footer(R"(Examples:
  skyfence locate --observations data/observations/example.csv --catalog starlink --prior Ukraine
  skyfence locate --observations data/observations/example.csv --catalog starlink --rule top-k \
      --prior Ukraine --region data/policies/areas.geojson#example-denied-area -o cells.geojson \
      --summary where.json

Observations (CSV): time_utc,norad_id[,terminal_id], one row per observation: satellite NORAD_ID served
the terminal at TIME_UTC. Each puts the terminal where that satellite was at or above --min-elevation
(--rule visible), or also among the --k highest satellites in view (--rule top-k: the scheduler prefers
high satellites; --k 1, the highest). The answer is every S2 cell of --level that may hold a position
meeting every observation (all but --max-outliers of them): the true position's cell is always among
them when the observations are right, with cells about one cell wide along the boundary.
--prior: where the terminal may be before the observations: world (default), a country, or a GeoJSON
file (FILE.geojson#NAME: its features named NAME). --region R: say whether the terminal is inside R ("inside", "outside" or "undetermined", and the
share of the consistent area inside) in the summary.
Output (-o, default standard output): CSV terminal_id,cell_id,lat_deg,lon_deg,area_km2, or GeoJSON cells
(-o NAME.geojson) with terminal_id, cell_id, area_km2 and misses (observations the cell fails).
--summary FILE: JSON, one object per terminal: terminal_id, observations, observations_used,
consistent_area_km2, cells, estimate_lat_deg, estimate_lon_deg (the area-weighted centre), radius_km
(a circle about the estimate holding every cell), inside, inside_share, unused (line and reason).
Observations of a satellite the catalog lacks, or at a time its SGP4 fails, are listed and not used.
Exit status: 0 ok (also when no position meets the observations: a warning says so), 1 runtime
failure, 2 bad input, 130 interrupted.)");
  add_satellite_options(*cmd, opts->in);
  cmd->add_option("--observations", opts->observations, "observations CSV (time_utc,norad_id[,terminal_id])")
      ->required();
  cmd->add_option("--prior", opts->prior, "where the terminal may be: world, a country, or a GeoJSON file")
      ->capture_default_str();
  cmd->add_option("--region", opts->region, "report inside/outside this country or GeoJSON area");
  cmd->add_option("--min-elevation", opts->min_elevation_deg, "the provider's minimum elevation, degrees")
      ->capture_default_str();
  cmd->add_option("--rule", opts->rule, "visible: the satellite was in view; top-k: among the k highest")
      ->check(CLI::IsMember({"visible", "top-k"}))
      ->capture_default_str();
  cmd->add_option("--k", opts->k, "with --rule top-k: among the K highest in view (>= 1)")
      ->capture_default_str();
  cmd->add_option("--level", opts->level, "S2 level of the answer's cells, 1-20 (13: about 1.3 km2)")
      ->capture_default_str();
  cmd->add_option("--max-outliers", opts->max_outliers,
                  "observations a position may fail (wrong observations)")
      ->capture_default_str();
  cmd->add_option("-o,--output", opts->output,
                  "cells, CSV or .geojson (default: standard output); written whole or not at all");
  cmd->add_option("--summary", opts->summary, "per-terminal summary, JSON");
  cmd->add_option("--threads", opts->threads, "worker threads (0: all cores); results do not depend on it")
      ->capture_default_str();
  cmd->add_flag("-q,--quiet", opts->quiet, "no progress or summary on stderr");
  cmd->callback([&run_fn, opts] { run_fn = [opts] { return run(*opts); }; });
}

}  // namespace skyfence::cli
