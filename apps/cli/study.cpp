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
}

// The bundled country borders, read at most once for --region and every --policy.
const earth::CountryBorders& bundled_borders(std::optional<earth::CountryBorders>& borders) {
  if (!borders) borders = earth::CountryBorders::read_bundled(data_dir());
  return *borders;
}

Points load_points(const StudyOptions& o, std::optional<earth::CountryBorders>& borders) {
  Points pts;
  if (!o.sites.empty() && earth::holds_trajectories(o.sites)) {
    pts.cells = false;
    pts.tracks = earth::read_tracks_file(o.sites);
    for (const earth::Track& t : pts.tracks) {
      pts.sites.push_back(t.first_site());
      pts.locations.push_back(t.samples.front().location);
    }
    pts.description = fmt::format("{} terminals of {}, {} moving", pts.tracks.size(), o.sites,
                                  std::count_if(pts.tracks.begin(), pts.tracks.end(),
                                                [](const earth::Track& t) { return t.moving(); }));
    return pts;
  }
  if (!o.sites.empty()) {
    pts.cells = false;
    pts.sites = read_sites(o.sites, o.strict);
    if (pts.sites.empty())
      throw InputError(SourceLocation{o.sites, 0, {}}, "expected at least one site, found none");
    for (const auto& s : pts.sites) {
      pts.locations.push_back(s.location);
      pts.tracks.push_back(earth::fixed_track(s));
    }
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
    pts.area = region.name();
  } else {
    pts.grid = earth::global_grid(o.level).cells;
    pts.description = fmt::format("{} level-{} cells (whole Earth)", pts.grid.size(), o.level);
    pts.area = "the whole Earth";
  }
  for (const auto& c : pts.grid) pts.locations.push_back(c.centre);
  return pts;
}

// Who asks at each point: a site's own customer, group and id (as `check` and `run` read them; --customer
// is the default for sites without one), or --customer for every cell.
std::vector<policy::RequestContext> request_contexts(const StudyOptions& o, const Points& pts,
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

namespace {

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

// Service policies: each names its provider; a provider without one is unrestricted. Each point asks
// as itself (request_contexts).
namespace {

// The --policy files, each with the index of the provider it names (InputError when it names none or a
// provider has two).
std::vector<std::pair<std::size_t, policy::Policy>> provider_policies(
    const StudyOptions& o, std::span<const std::string> provider_names,
    std::optional<earth::CountryBorders>& borders) {
  std::vector<std::pair<std::size_t, policy::Policy>> out;
  std::vector<bool> governed(provider_names.size(), false);
  for (const std::string& file : o.policies) {
    policy::LoadOptions load_options;
    load_options.data_dir = data_dir();
    load_options.borders = bundled_borders(borders);
    policy::Policy pol = policy::Policy::load_file(file, load_options);
    std::size_t p = 0;
    while (p < provider_names.size() && provider_names[p] != pol.provider()) ++p;
    if (p == provider_names.size()) {
      std::string names;
      for (const auto& q : provider_names) names += (names.empty() ? "" : ", ") + q;
      throw InputError(SourceLocation{file, 0, "provider"},
                       fmt::format("the policy governs '{}', which is none of the providers ({}); name the "
                                   "provider with --provider",
                                   pol.provider(), names));
    }
    if (governed[p]) {
      throw InputError(SourceLocation{file, 0, "provider"},
                       fmt::format("a second policy for provider '{}'", pol.provider()));
    }
    governed[p] = true;
    out.emplace_back(p, std::move(pol));
  }
  if (!o.customer.empty() && out.empty())
    throw InputError(SourceLocation{"--customer", 0, {}}, "needs --policy");
  return out;
}

}  // namespace

policy::ProviderPermissions load_permissions(const StudyOptions& o, const Points& pts,
                                             std::span<const std::string> provider_names,
                                             std::optional<earth::CountryBorders>& borders) {
  policy::ProviderPermissions permissions(provider_names.size());
  const auto policies = provider_policies(o, provider_names, borders);
  for (std::size_t k = 0; k < policies.size(); ++k) {
    const auto& [p, pol] = policies[k];
    const std::vector<policy::RequestContext> contexts = request_contexts(o, pts, pol.provider());
    permissions.add(p, 0, policy::PointPolicy::per_point(pol, pts.locations, contexts));
    warn_without_customer(contexts, pts, o.policies[k]);  // policies come in the order of --policy
  }
  return permissions;
}

bool decided_along_series(const Points& pts) {
  return earth::any_moving(pts.tracks) ||
         std::any_of(pts.sites.begin(), pts.sites.end(), [](const earth::Site& s) {
           const std::string* country = s.attribute("activation_country");
           return country != nullptr && !country->empty();
         });
}

policy::PermissionHook tracked_permissions(const StudyOptions& o, const Points& pts,
                                           std::span<const std::string> provider_names,
                                           std::optional<earth::CountryBorders>& borders) {
  // Per provider: its policy and its terminals' decisions along the series (roaming days, the delay).
  struct Governed {
    policy::Policy policy;
    std::optional<policy::TrackDecisions> decisions;
    bool started = false;
  };
  auto governed = std::make_shared<std::vector<std::optional<Governed>>>(provider_names.size());
  const std::vector<detection::TerminalInfo> infos = detection::terminal_infos(
      pts.tracks, o.customer, "", [&]() -> const earth::CountryBorders& { return bundled_borders(borders); },
      o.sites);
  std::vector<policy::RoamingClock::Terminal> roam;
  for (const detection::TerminalInfo& i : infos) roam.push_back(i.roaming);
  for (auto& [p, pol] : provider_policies(o, provider_names, borders)) {
    std::vector<policy::RequestContext> contexts = request_contexts(o, pts, pol.provider());
    Governed& g = (*governed)[p].emplace(Governed{std::move(pol), std::nullopt, false});
    g.decisions.emplace(g.policy, pts.tracks, std::move(contexts), roam);
  }
  if (std::none_of(governed->begin(), governed->end(), [](const auto& g) { return g.has_value(); }))
    return {};
  return [governed](std::size_t p, time::Instant at, std::span<std::uint8_t> out) {
    std::optional<Governed>& g = (*governed)[p];
    if (!g) return;
    if (!g->started) g->decisions->start(at);
    g->started = true;
    g->decisions->permitted(at, out);
  };
}

}  // namespace skyfence::cli::study
