// The inputs of area studies (study.h).
#include "study.h"

#include <algorithm>
#include <filesystem>
#include <map>
#include <memory>
#include <set>
#include <utility>

#include <fmt/core.h>
#include <fmt/format.h>

#include "common.h"
#include "data_dir.h"
#include "inputs.h"
#include "skyfence/core/error.h"
#include "skyfence/detection/leakage.h"
#include "skyfence/earth/trajectory.h"
#include "skyfence/policy/enforcement.h"
#include "skyfence/time/scales.h"

namespace skyfence::cli::study {

using namespace inputs;

void add_provider_options(CLI::App& cmd, StudyOptions& o) {
  const auto source = [&](const char* name, std::vector<std::string>& into, const char* help) {
    cmd.add_option(name, into, help)->expected(1)->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  };
  source("--tle", o.tle, "a TLE file: one provider (repeatable)");
  source("--omm", o.omm, "a CCSDS OMM file (JSON, CSV or XML): one provider (repeatable)");
  source("--preset", o.preset, "a constellation preset (skyfence constellations): one provider (repeatable)");
  source("--catalog", o.catalog,
         "a bundled snapshot (skyfence constellations lists them: starlink, oneweb, iridium, kuiper...): one "
         "provider (repeatable)");
  cmd.add_option("--provider", o.provider_names, "the name of the provider given in the same position");
  cmd.add_flag("--all-objects", o.all_objects, "keep debris, rocket bodies and older duplicates");
  cmd.add_flag("--strict", o.strict, "fail on the first bad record or SGP4 error instead of skipping it");
  cmd.add_flag("--accept-bad-checksums", o.accept_bad_checksums, "accept TLE lines whose checksum is wrong");
}

void add_window_options(CLI::App& cmd, StudyOptions& o) {
  cmd.add_option("--start", o.start, "start of the window, ISO-8601 UTC")->required();
  auto* stop = cmd.add_option("--stop", o.stop, "end of the window, ISO-8601 UTC (excluded)");
  auto* duration = cmd.add_option("--duration", o.duration, "length of the window: 90m, 24h, 7d");
  stop->excludes(duration);
  cmd.add_option("--step", o.step, "time step: 30s, 1m...")->capture_default_str();
}

void add_point_options(CLI::App& cmd, StudyOptions& o) {
  auto* level = cmd.add_option("--level", o.level, "S2 level of the cells (0-10)")->capture_default_str();
  auto* region = cmd.add_option("--region", o.region, "a country: UKR, UA, 804 or Ukraine");
  auto* region_file = cmd.add_option("--region-file", o.region_file, "a GeoJSON (Multi)Polygon file");
  cmd.add_option("--region-name", o.region_name, "only the features of --region-file with this name")
      ->needs(region_file);
  auto* sites =
      cmd.add_option("--sites", o.sites, "a sites file (CSV id,lat_deg,lon_deg[,alt_m] or GeoJSON)");
  region->excludes(region_file);
  sites->excludes(region)->excludes(region_file)->excludes(level);
}

void add_policy_options(CLI::App& cmd, StudyOptions& o) {
  cmd.add_option("--policy", o.policies,
                 "a service policy file (docs/policy.md) for the provider it names (repeatable, one per "
                 "provider)");
  cmd.add_option("--customer", o.customer,
                 "the customer class the policies are applied for (civil, government, military...); the "
                 "default for sites without a customer column");
}

void add_output_options(CLI::App& cmd, StudyOptions& o) {
  cmd.add_option("-o,--output", o.output, "output file, .csv or .geojson (default: CSV on standard output)");
  cmd.add_option("--format", o.format, "csv or geojson (default: from the output's extension)");
  cmd.add_option("--threads", o.threads, "worker threads (default: all cores); results do not depend on it");
  cmd.add_flag("-q,--quiet", o.quiet, "no progress bar or summary on standard error");
}

std::string output_format(const StudyOptions& o) {
  if (o.format.empty())
    return o.output.ends_with(".geojson") || o.output.ends_with(".json") ? "geojson" : "csv";
  if (o.format != "csv" && o.format != "geojson") {
    throw InputError(SourceLocation{"--format", 0, {}},
                     fmt::format("expected csv or geojson, found '{}'", o.format));
  }
  return o.format;
}

void finish_parsing(const CLI::App& cmd, StudyOptions& o) {
  if (o.stop.empty() && o.duration.empty())
    throw CLI::ValidationError("--stop or --duration", "one of them is required");
  std::map<const CLI::Option*, std::size_t> next;
  const std::vector<std::pair<std::string, std::vector<std::string>*>> kinds{
      {"tle", &o.tle}, {"omm", &o.omm}, {"preset", &o.preset}, {"catalog", &o.catalog}};
  o.sources.clear();
  for (const CLI::Option* opt : cmd.parse_order()) {
    for (const auto& [kind, values] : kinds) {
      if (opt->get_name() != "--" + kind) continue;
      std::size_t& used = next[opt];
      if (used < values->size()) o.sources.emplace_back(kind, (*values)[used++]);
    }
  }
  o.data_folder = data_dir();
  o.warn = [](const std::string& message) { warn(message); };
}

namespace {

std::string default_name(const std::string& kind, const std::string& value) {
  if (kind == "tle" || kind == "omm") {
    std::string stem = std::filesystem::path(value).filename().string();
    for (const char* ext : {".tle", ".txt", ".json", ".csv", ".xml"}) {
      if (stem.size() > std::string_view(ext).size() && stem.ends_with(ext)) {
        stem.resize(stem.size() - std::string_view(ext).size());
        if (stem.ends_with(".omm")) stem.resize(stem.size() - 4);
        break;
      }
    }
    return stem;
  }
  return value;
}

}  // namespace

std::vector<LoadedProvider> load_providers(const StudyOptions& o, time::Instant start, time::Instant stop) {
  if (o.sources.empty()) {
    throw InputError(SourceLocation{"--tle/--omm/--preset/--catalog", 0, {}},
                     "expected at least one constellation");
  }
  if (o.provider_names.size() > o.sources.size()) {
    throw InputError(SourceLocation{"--provider", 0, {}},
                     fmt::format("{} names given for {} constellations (one --provider per --tle, --omm, "
                                 "--preset or --catalog, in order)",
                                 o.provider_names.size(), o.sources.size()));
  }
  std::vector<LoadedProvider> out;
  std::set<std::string> names;
  for (std::size_t i = 0; i < o.sources.size(); ++i) {
    const auto& [kind, value] = o.sources[i];
    LoadedProvider p;
    p.name = i < o.provider_names.size() ? o.provider_names[i] : default_name(kind, value);
    if (p.name.empty() || p.name == "any") {
      throw InputError(SourceLocation{"--provider", 0, {}},
                       fmt::format("provider name '{}' for {} is empty or reserved (\"any\" names all "
                                   "providers together)",
                                   p.name, value));
    }
    if (!names.insert(p.name).second) {
      throw InputError(
          SourceLocation{"--provider", 0, {}},
          fmt::format("two constellations are named '{}'; give each its own --provider", p.name));
    }
    SatelliteInput in;
    in.all_objects = o.all_objects;
    in.strict = o.strict;
    in.accept_bad_checksums = o.accept_bad_checksums;
    if (kind == "tle") in.tle = value;
    if (kind == "omm") in.omm = value;
    if (kind == "preset") in.preset = value;
    if (kind == "catalog") in.catalog = value;
    p.sets = load_satellites(in, start, stop).sets;
    p.fleet = std::make_unique<visibility::Fleet>(p.sets);
    out.push_back(std::move(p));
  }
  warn_about_leap_seconds(stop);
  return out;
}

time::Window window_of(const StudyOptions& o) {
  const time::Instant start = time::parse_iso8601(o.start, "--start");
  const time::Instant stop = !o.stop.empty() ? time::parse_iso8601(o.stop, "--stop")
                                             : start + time::parse_duration(o.duration, "--duration");
  return time::Window::make(start, stop, time::parse_duration(o.step, "--step"),
                            time::WindowNames{"--start", o.stop.empty() ? "--duration" : "--stop", "--step"});
}

}  // namespace skyfence::cli::study
