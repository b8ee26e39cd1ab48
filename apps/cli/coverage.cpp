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
#include "skyfence/policy/permission.h"
#include "skyfence/policy/policy.h"
#include "skyfence/time/scales.h"
#include "skyfence/time/window.h"
#include "skyfence/visibility/fleet.h"

namespace skyfence::cli {
namespace {

// The bundled country borders, read at most once for --region and every --policy.
const earth::CountryBorders& bundled_borders(std::optional<earth::CountryBorders>& borders) {
  if (!borders) borders = earth::CountryBorders::read_bundled(data_dir());
  return *borders;
}

using namespace inputs;

struct Options {
  std::vector<std::string> tle, omm, preset, catalog, provider_names;
  bool all_objects = false, strict = false, accept_bad_checksums = false;
  std::string start, stop, duration, step = "60s";
  int level = earth::kDefaultGridLevel;
  std::string region, region_file, region_name, sites;
  double min_elevation_deg = 25.0;
  std::uint32_t min_sats = 1;
  std::string output, format;
  std::vector<std::string> policies;
  std::string customer;
  unsigned threads = 0;
  bool quiet = false;
  // Options in the order given, for the providers' order.
  std::vector<std::pair<std::string, std::string>> sources;  // (kind, value)
};

constexpr double kRadToDeg = kDegPerRad;  // core/units.h

// The ground points: grid cells or sites.
struct Points {
  bool cells = true;
  std::vector<earth::Cell> grid;   // when cells
  std::vector<earth::Site> sites;  // otherwise
  std::vector<frames::Geodetic> locations;
  std::string description;  // for the summary
};

Points load_points(const Options& o, std::optional<earth::CountryBorders>& borders) {
  Points pts;
  if (!o.sites.empty()) {
    pts.cells = false;
    pts.sites = read_sites(o.sites, o.strict);
    if (pts.sites.empty())
      throw InputError(SourceLocation{o.sites, 0, {}}, "expected at least one site, found none");
    for (const auto& s : pts.sites) pts.locations.push_back(s.location);
    pts.description = fmt::format("{} sites of {}", pts.sites.size(), o.sites);
    return pts;
  }
  if (o.level < 0 || o.level > earth::kMaxGridLevel) {
    throw InputError(SourceLocation{"--level", 0, {}},
                     fmt::format("expected a level from 0 to {}, found {}", earth::kMaxGridLevel, o.level));
  }
  if (!o.region.empty() || !o.region_file.empty()) {
    const earth::Region region = !o.region.empty() ? bundled_borders(borders).find(o.region)
                                                   : earth::read_region_file(o.region_file, o.region_name);
    pts.grid = earth::region_grid(region, o.level).cells;
    if (pts.grid.empty()) {
      throw InputError(SourceLocation{o.region.empty() ? "--region-file" : "--region", 0, {}},
                       fmt::format("{} ({:.0f} km2) holds no cell centre at level {}; use a higher --level",
                                   region.name(), region.area_km2(), o.level));
    }
    pts.description = fmt::format("{} level-{} cells of {}", pts.grid.size(), o.level, region.name());
  } else {
    pts.grid = earth::global_grid(o.level).cells;
    pts.description = fmt::format("{} level-{} cells (whole Earth)", pts.grid.size(), o.level);
  }
  for (const auto& c : pts.grid) pts.locations.push_back(c.centre);
  return pts;
}

// Who asks at each point: a site's own customer, group and id (as `check` and `run` read them; --customer
// is the default for sites without one), or --customer for every cell.
std::vector<policy::RequestContext> request_contexts(const Options& o, const Points& pts,
                                                     const std::string& provider) {
  std::vector<policy::RequestContext> out(pts.locations.size(),
                                          policy::RequestContext{provider, o.customer, {}, {}});
  if (pts.cells) return out;
  for (std::size_t i = 0; i < pts.sites.size(); ++i) {
    const earth::Site& s = pts.sites[i];
    const std::string* customer = s.attribute("customer");
    const std::string* group = s.attribute("group");
    if (customer != nullptr && !customer->empty()) out[i].customer = *customer;
    if (group != nullptr) out[i].group = *group;
    out[i].terminal_id = s.id;
  }
  return out;
}

// A policy evaluated with no customer class denies every rule that names one: say so rather than report
// a silent 0 %.
void warn_without_customer(const std::vector<policy::RequestContext>& contexts, const Points& pts,
                           const std::string& policy_file) {
  const auto n = static_cast<std::size_t>(std::count_if(
      contexts.begin(), contexts.end(), [](const policy::RequestContext& c) { return c.customer.empty(); }));
  if (n == 0) return;
  warn(
      fmt::format("{}: evaluated for {} of {} {} with no customer class, so rules that name a customer do "
                  "not apply to them; give --customer{}",
                  policy_file, n, contexts.size(), pts.cells ? "cells" : "sites",
                  pts.cells ? "" : " or a customer column in the sites file"));
}

struct LoadedProvider {
  std::string name;
  std::vector<orbits::ElementSet> sets;
  std::unique_ptr<visibility::Fleet> fleet;
};

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

std::vector<LoadedProvider> load_providers(const Options& o, time::Instant start, time::Instant stop) {
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

std::string output_format(const Options& o) {
  if (!o.format.empty()) return o.format;
  if (o.output.ends_with(".geojson") || o.output.ends_with(".json")) return "geojson";
  return "csv";
}

time::Window window_of(const Options& o) {
  const time::Instant start = time::parse_iso8601(o.start, "--start");
  const time::Instant stop = !o.stop.empty() ? time::parse_iso8601(o.stop, "--stop")
                                             : start + time::parse_duration(o.duration, "--duration");
  return time::Window::make(start, stop, time::parse_duration(o.step, "--step"),
                            time::WindowNames{"--start", o.stop.empty() ? "--duration" : "--stop", "--step"});
}

// Service policies: each names its provider; a provider without one is unrestricted. Each point asks
// as itself (request_contexts).
policy::ProviderPermissions load_permissions(const Options& o, const Points& pts,
                                             std::span<const coverage::Provider> providers,
                                             std::optional<earth::CountryBorders>& borders) {
  policy::ProviderPermissions permissions(providers.size());
  std::vector<bool> governed(providers.size(), false);
  for (const std::string& file : o.policies) {
    policy::LoadOptions load_options;
    load_options.data_dir = data_dir();
    load_options.borders = bundled_borders(borders);
    const policy::Policy pol = policy::Policy::load_file(file, load_options);
    std::size_t p = 0;
    while (p < providers.size() && providers[p].name != pol.provider()) ++p;
    if (p == providers.size()) {
      std::string names;
      for (const auto& q : providers) names += (names.empty() ? "" : ", ") + q.name;
      throw InputError(SourceLocation{file, 0, "provider"},
                       fmt::format("the policy governs '{}', which is none of the providers ({}); name the "
                                   "provider with --provider",
                                   pol.provider(), names));
    }
    if (governed[p]) {
      throw InputError(SourceLocation{file, 0, "provider"},
                       fmt::format("a second policy for provider '{}'", pol.provider()));
    }
    const std::vector<policy::RequestContext> contexts = request_contexts(o, pts, pol.provider());
    permissions.add(p, 0, policy::PointPolicy::per_point(pol, pts.locations, contexts));
    warn_without_customer(contexts, pts, file);
    governed[p] = true;
  }
  if (!o.customer.empty() && permissions.empty()) {
    throw InputError(SourceLocation{"--customer", 0, {}}, "needs --policy");
  }
  return permissions;
}

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
  copts.threads = o.threads;
  const std::string format = output_format(o);
  if (format != "csv" && format != "geojson") {
    throw InputError(SourceLocation{"--format", 0, {}},
                     fmt::format("expected csv or geojson, found '{}'", format));
  }

  std::optional<earth::CountryBorders> borders;
  const Points pts = load_points(o, borders);
  const std::vector<LoadedProvider> loaded = load_providers(o, window.start(), window.stop());
  std::vector<coverage::Provider> providers;
  std::size_t n_sats = 0;
  for (const auto& p : loaded) {
    providers.push_back({p.name, p.fleet.get()});
    n_sats += p.sets.size();
  }
  const policy::ProviderPermissions permissions = load_permissions(o, pts, providers, borders);
  const bool served = !permissions.empty();
  if (served) copts.permission = permissions.hook();

  // Opened before the long computation so that an unwritable path fails at once.
  OutputSink sink(o.output);
  Progress progress("coverage", static_cast<double>(window.size()), o.quiet);
  copts.progress = [&](std::size_t done) {
    progress.update(static_cast<double>(done));
    return !g_interrupted.load();
  };
  const auto t_compute = std::chrono::steady_clock::now();
  coverage::CoverageResult result;
  double compute_s = 0.0;
  coverage::WriteOptions wo;
  wo.served = served;
  wo.out = [&](std::string_view text) { sink.write(text); };
  wo.keep_going = [] { return !g_interrupted.load(); };
  try {
    result = coverage::compute_coverage(pts.locations, providers, window, copts);
    compute_s = seconds_since(t_compute);
    progress.finish();
    if (!accept_failures(o, providers, result)) return kExitRuntime;
    (format == "csv" ? coverage::write_csv : coverage::write_geojson)({pts.grid, pts.sites}, result, wo);
  } catch (const skyfence::Cancelled&) {
    throw Interrupted{};
  }
  if (g_interrupted.load()) throw Interrupted{};
  sink.commit();
  if (!o.quiet) print_summary(o, pts, window, n_sats, result, served, compute_s, seconds_since(t0));
  return kExitOk;
}

}  // namespace

void add_coverage_command(CLI::App& app, std::function<int()>& run_fn) {
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
the sites of a CSV/GeoJSON file (--sites; statistics per terminal).
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
  const auto source = [&](const char* name, std::vector<std::string>& into, const char* help) {
    cmd->add_option(name, into, help)->expected(1)->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  };
  source("--tle", opts->tle, "a TLE file: one provider (repeatable)");
  source("--omm", opts->omm, "a CCSDS OMM file (JSON, CSV or XML): one provider (repeatable)");
  source("--preset", opts->preset,
         "a constellation preset (skyfence constellations): one provider (repeatable)");
  source("--catalog", opts->catalog,
         "a bundled snapshot: starlink, oneweb, iridium, starlink-omm: one provider (repeatable)");
  cmd->add_option("--provider", opts->provider_names, "the name of the provider given in the same position");
  cmd->add_flag("--all-objects", opts->all_objects, "keep debris, rocket bodies and older duplicates");
  cmd->add_flag("--strict", opts->strict,
                "fail on the first bad record or SGP4 error instead of skipping it");
  cmd->add_flag("--accept-bad-checksums", opts->accept_bad_checksums,
                "accept TLE lines whose checksum is wrong");
  cmd->add_option("--start", opts->start, "start of the window, ISO-8601 UTC")->required();
  auto* stop = cmd->add_option("--stop", opts->stop, "end of the window, ISO-8601 UTC (excluded)");
  auto* duration = cmd->add_option("--duration", opts->duration, "length of the window: 90m, 24h, 7d");
  stop->excludes(duration);
  cmd->add_option("--step", opts->step, "time step: 30s, 1m...")->capture_default_str();
  auto* level =
      cmd->add_option("--level", opts->level, "S2 level of the cells (0-10)")->capture_default_str();
  auto* region = cmd->add_option("--region", opts->region, "a country: UKR, UA, 804 or Ukraine");
  auto* region_file = cmd->add_option("--region-file", opts->region_file, "a GeoJSON (Multi)Polygon file");
  cmd->add_option("--region-name", opts->region_name, "only the features of --region-file with this name")
      ->needs(region_file);
  auto* sites =
      cmd->add_option("--sites", opts->sites, "a sites file (CSV id,lat_deg,lon_deg[,alt_m] or GeoJSON)");
  region->excludes(region_file);
  sites->excludes(region)->excludes(region_file)->excludes(level);
  cmd->add_option("--min-elevation", opts->min_elevation_deg, "minimum elevation, degrees")
      ->capture_default_str();
  cmd->add_option("--min-sats", opts->min_sats, "satellites in view needed to be served")
      ->capture_default_str();
  cmd->add_option("-o,--output", opts->output,
                  "output file, .csv or .geojson (default: CSV on standard output)");
  cmd->add_option("--format", opts->format, "csv or geojson (default: from the output's extension)");
  cmd->add_option("--policy", opts->policies,
                  "a service policy file (docs/policy.md) for the provider it names; adds served_fraction "
                  "(repeatable, one per provider)");
  cmd->add_option("--customer", opts->customer,
                  "the customer class the policies are applied for (civil, government, military...)");
  cmd->add_option("--threads", opts->threads,
                  "worker threads (default: all cores); results do not depend on it");
  cmd->add_flag("-q,--quiet", opts->quiet, "no progress bar or summary on standard error");
  cmd->callback([opts, cmd, &run_fn] {
    if (opts->stop.empty() && opts->duration.empty())
      throw CLI::ValidationError("--stop or --duration", "one of them is required");
    // The providers in the order their options were given.
    std::map<const CLI::Option*, std::pair<std::string, std::size_t>> next;
    const std::vector<std::pair<std::string, std::vector<std::string>*>> kinds{
        {"tle", &opts->tle}, {"omm", &opts->omm}, {"preset", &opts->preset}, {"catalog", &opts->catalog}};
    opts->sources.clear();
    for (const CLI::Option* opt : cmd->parse_order()) {
      for (const auto& [kind, values] : kinds) {
        if (opt->get_name() != "--" + kind) continue;
        std::size_t& used = next[opt].second;
        if (used < values->size()) opts->sources.emplace_back(kind, (*values)[used++]);
      }
    }
    run_fn = [opts] { return run(*opts); };
  });
}

}  // namespace skyfence::cli
