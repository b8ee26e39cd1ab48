// The inputs of area studies (study.h).
#include "skyfence/scenario/study.h"

#include <algorithm>
#include <filesystem>
#include <memory>
#include <numbers>
#include <utility>

#include <fmt/core.h>
#include <fmt/format.h>

#include "skyfence/core/error.h"
#include "skyfence/detection/leakage.h"
#include "skyfence/earth/cell_values.h"
#include "skyfence/policy/enforcement.h"

namespace skyfence::scenario {

namespace study_internal {

void emit(const StudyInput& in, const std::string& message) {
  if (in.warn) in.warn(message);
}

// A policy evaluated with no customer class denies every rule that names one: say so rather than report
// a silent 0 %.
void warn_without_customer(const StudyInput& in, const std::vector<policy::RequestContext>& contexts,
                           const Points& pts, const std::string& policy_file) {
  const auto n = static_cast<std::size_t>(std::count_if(
      contexts.begin(), contexts.end(), [](const policy::RequestContext& c) { return c.customer.empty(); }));
  if (n == 0) return;
  emit(in, no_customer_warning(in, policy_file, n, contexts.size(), pts.cells));
}

// The policies, each with the index of the provider it names (InputError when it names none or a
// provider has two).
std::vector<std::pair<std::size_t, policy::Policy>> provider_policies(
    const StudyInput& in, std::span<const std::string> provider_names,
    std::optional<earth::CountryBorders>& borders) {
  std::vector<std::pair<std::size_t, policy::Policy>> out;
  std::vector<bool> governed(provider_names.size(), false);
  for (const std::string& file : in.policies) {
    policy::LoadOptions load_options;
    load_options.data_dir = in.data_folder;
    load_options.borders = bundled_borders(in.data_folder, borders);
    policy::Policy pol = policy::Policy::load_file(file, load_options);
    std::size_t p = 0;
    while (p < provider_names.size() && provider_names[p] != pol.provider()) ++p;
    if (p == provider_names.size()) {
      std::string names;
      for (const auto& q : provider_names) names += (names.empty() ? "" : ", ") + q;
      throw InputError(SourceLocation{file, 0, "provider"},
                       fmt::format("the policy governs '{}', which is none of the providers ({}); name the "
                                   "provider with {}",
                                   pol.provider(), names, in.names.provider));
    }
    if (governed[p]) {
      throw InputError(SourceLocation{file, 0, "provider"},
                       fmt::format("a second policy for provider '{}'", pol.provider()));
    }
    governed[p] = true;
    out.emplace_back(p, std::move(pol));
  }
  if (!in.customer.empty() && out.empty())
    throw InputError(SourceLocation{in.names.customer, 0, {}}, "needs " + in.names.policy);
  return out;
}

// The names of the bundled service models (data/providers/*.toml), sorted, for messages.
std::string bundled_models(const std::string& data_folder) {
  std::vector<std::string> names;
  for (const auto& e :
       std::filesystem::directory_iterator(std::filesystem::path(data_folder) / "providers")) {
    if (e.path().extension() == ".toml") names.push_back(e.path().stem().string());
  }
  std::sort(names.begin(), names.end());
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

// One service model per provider in order, or none: then data/providers/<provider name>.toml.
std::vector<capacity::ServiceModel> load_models(const StudyInput& in, const CapacityInput& cap,
                                                std::span<const StudyProvider> providers) {
  const std::string& what = in.names.service_model;
  if (!cap.service_models.empty() && cap.service_models.size() != providers.size()) {
    throw InputError(
        SourceLocation{what, 0, {}},
        fmt::format("{} given for {} providers: give one per provider, in the providers' order, or "
                    "none to use the bundled models named like the providers",
                    cap.service_models.size(), providers.size()));
  }
  std::vector<capacity::ServiceModel> models;
  for (std::size_t p = 0; p < providers.size(); ++p) {
    std::string path;
    if (!cap.service_models.empty()) {
      path = cap.service_models[p];
    } else {
      path = (std::filesystem::path(in.data_folder) / "providers" / (providers[p].name + ".toml")).string();
      if (!std::filesystem::exists(path)) {
        throw InputError(
            SourceLocation{what, 0, {}},
            fmt::format("no bundled service model for provider '{}' (bundled: {}); give "
                        "a model ({}) for each provider, or name it with {}",
                        providers[p].name, bundled_models(in.data_folder), what, in.names.provider));
      }
    }
    models.push_back(capacity::read_service_model(path));
  }
  return models;
}

std::vector<double> min_elevations(const StudyInput& in, const CapacityInput& cap, std::size_t providers) {
  const std::string& what = in.names.min_elevation;
  std::vector<double> deg = cap.min_elevation_deg.empty() ? std::vector<double>{25.0} : cap.min_elevation_deg;
  if (deg.size() == 1) deg.assign(providers, deg.front());
  if (deg.size() != providers) {
    throw InputError(SourceLocation{what, 0, {}},
                     fmt::format("{} values for {} providers: give one for all or one per provider",
                                 deg.size(), providers));
  }
  std::vector<double> rad;
  for (double d : deg) {
    if (!(d >= 0.0 && d < 90.0)) {
      throw InputError(SourceLocation{what, 0, {}}, fmt::format("expected 0 to 90 degrees, found {}", d));
    }
    rad.push_back(d * std::numbers::pi / 180.0);
  }
  return rad;
}

// A site's preferences: its providers column (names separated by ';', most preferred first), else every
// provider in the order given.
std::vector<std::uint32_t> site_preferences(const StudyInput& in, const earth::Site& s,
                                            std::span<const StudyProvider> providers) {
  std::vector<std::uint32_t> all(providers.size());
  for (std::uint32_t p = 0; p < all.size(); ++p) all[p] = p;
  const std::string* text = s.attribute("providers");
  if (text == nullptr || text->empty()) return all;
  std::vector<std::uint32_t> out;
  std::size_t from = 0;
  while (from <= text->size()) {
    const std::size_t to = std::min(text->find(';', from), text->size());
    std::string name = text->substr(from, to - from);
    name.erase(0, name.find_first_not_of(" \t"));
    name.erase(name.find_last_not_of(" \t") + 1);
    from = to + 1;
    if (name.empty()) continue;
    const auto it =
        std::find_if(providers.begin(), providers.end(), [&](const auto& p) { return p.name == name; });
    if (it == providers.end()) {
      std::string names;
      for (const auto& p : providers) names += (names.empty() ? "" : ", ") + p.name;
      throw InputError(SourceLocation{in.sites, 0, "site " + s.id + ": providers"},
                       fmt::format("\"{}\" is none of the providers ({})", name, names));
    }
    const auto p = static_cast<std::uint32_t>(it - providers.begin());
    if (std::find(out.begin(), out.end(), p) != out.end()) {
      throw InputError(SourceLocation{in.sites, 0, "site " + s.id + ": providers"},
                       fmt::format("\"{}\" is listed twice", name));
    }
    out.push_back(p);
  }
  return out;
}

// Also the sites' uplink demand into `demand_up` (left empty without a demand_up_mbps column).
std::vector<capacity::DemandPoint> demand_points(const StudyInput& in, const CapacityInput& cap,
                                                 const Points& pts, std::span<const StudyProvider> providers,
                                                 std::vector<double>& demand_up) {
  std::vector<capacity::DemandPoint> out;
  std::vector<std::uint32_t> all(providers.size());
  for (std::uint32_t p = 0; p < all.size(); ++p) all[p] = p;
  if (pts.cells) {
    std::vector<double> demand(pts.grid.size(), 0.0);
    if (!cap.demand_file.empty()) {
      earth::CellValueReadOptions ro;
      ro.column = "demand_mbps";
      ro.expected_value = "a demand >= 0 Mbps";
      ro.cells_name = pts.area;
      demand = earth::read_cell_values_file(cap.demand_file, pts.grid, in.level, ro);
    } else if (cap.demand_density >= 0.0) {
      for (std::size_t i = 0; i < pts.grid.size(); ++i) demand[i] = cap.demand_density * pts.grid[i].area_km2;
    } else {
      throw InputError(SourceLocation{in.names.demand_density, 0, {}},
                       fmt::format("expected a demand density (Mbps per km2) or a {} for the cells of {} "
                                   "or the Earth",
                                   in.names.demand_file, in.names.region));
    }
    for (std::size_t i = 0; i < pts.grid.size(); ++i) {
      out.push_back({pts.grid[i].centre, demand[i], in.customer, all, in.level});
    }
    return out;
  }
  if (cap.demand_density >= 0.0 || !cap.demand_file.empty()) {
    throw InputError(
        SourceLocation{cap.demand_file.empty() ? in.names.demand_density : in.names.demand_file, 0, {}},
        "applies to cells; sites take their demand from the demand_mbps column");
  }
  // Uplink demand: a demand_up_mbps column asks it of every site.
  const bool uplink = std::any_of(pts.sites.begin(), pts.sites.end(), [](const earth::Site& s) {
    const std::string* up = s.attribute("demand_up_mbps");
    return up != nullptr && !up->empty();
  });
  for (const earth::Site& s : pts.sites) {
    const std::string* customer = s.attribute("customer");
    out.push_back({s.location, capacity::site_demand_mbps(s, in.sites, -1.0, ""),
                   customer && !customer->empty() ? *customer : in.customer,
                   site_preferences(in, s, providers), 30});
    if (uplink) {
      demand_up.push_back(*capacity::site_demand_up_mbps(
          s, in.sites, std::nullopt, true,
          " (the file gives demand_up_mbps to other sites: give every site one, 0 for none)"));
    }
  }
  return out;
}

// With uplink demand every provider's service model must model the uplink.
void check_uplink(const StudyInput& in, std::span<const double> demand_up,
                  std::span<const capacity::ServiceModel> models, std::span<const StudyProvider> providers) {
  if (demand_up.empty()) return;
  for (std::size_t p = 0; p < models.size(); ++p) {
    const capacity::ServiceModel& m = models[p];
    if (m.has_uplink) continue;
    throw InputError(SourceLocation{m.source, 0, "satellite_class"},
                     fmt::format("expected uplink figures (capacity_up_gbps, beams_up and "
                                 "beam_bandwidth_up_mhz in every [[satellite_class]]): {} asks for uplink "
                                 "demand (demand_up_mbps), and provider \"{}\" does not model the uplink",
                                 in.sites, providers[p].name));
  }
}

}  // namespace study_internal

std::string no_customer_warning(const StudyInput& in, const std::string& policy_file, std::size_t without,
                                std::size_t total, bool cells) {
  return fmt::format(
      "{}: evaluated for {} of {} {} with no customer class, so rules that name a customer "
      "do not apply to them; give {}{}",
      policy_file, without, total, cells ? "cells" : "sites", in.names.customer,
      cells ? "" : " or a customer column in the sites file");
}

std::vector<earth::Site> read_sites(const std::string& path, bool strict, const std::string& strict_name,
                                    const std::function<void(const std::string&)>& warn) {
  earth::SiteReadOptions ropts;
  ropts.strict = strict;
  earth::SiteList list = earth::read_sites_file(path, ropts);
  if (warn) {
    for (std::size_t i = 0; i < list.rejected.size(); ++i) {
      if (i == kMaxListedRows) {
        warn(fmt::format("... and {} more rows skipped", list.rejected.size() - kMaxListedRows));
        break;
      }
      warn(list.rejected[i].to_string() + " (row skipped)");
    }
    if (!list.rejected.empty()) {
      warn(fmt::format("{}: {} row(s) skipped, {} sites loaded; use {} to fail instead", path,
                       list.rejected.size(), list.sites.size(), strict_name));
    }
  }
  return std::move(list.sites);
}

const earth::CountryBorders& bundled_borders(const std::string& data_folder,
                                             std::optional<earth::CountryBorders>& borders) {
  if (!borders) borders = earth::CountryBorders::read_bundled(data_folder);
  return *borders;
}

earth::Region named_region(const std::string& text, const std::string& data_folder,
                           std::optional<earth::CountryBorders>& borders) {
  const std::size_t hash = text.find('#');
  if (hash != std::string::npos) return earth::read_region_file(text.substr(0, hash), text.substr(hash + 1));
  const std::filesystem::path p(text);
  if (std::filesystem::exists(p) || p.extension() == ".geojson" || p.extension() == ".json") {
    return earth::read_region_file(text);
  }
  return bundled_borders(data_folder, borders).find(text);
}

Points load_points(const StudyInput& in, std::optional<earth::CountryBorders>& borders) {
  Points pts;
  if (!in.sites.empty() && earth::holds_trajectories(in.sites)) {
    pts.cells = false;
    pts.tracks = earth::read_tracks_file(in.sites);
    for (const earth::Track& t : pts.tracks) {
      pts.sites.push_back(t.first_site());
      pts.locations.push_back(t.samples.front().location);
    }
    pts.description = fmt::format("{} terminals of {}, {} moving", pts.tracks.size(), in.sites,
                                  std::count_if(pts.tracks.begin(), pts.tracks.end(),
                                                [](const earth::Track& t) { return t.moving(); }));
    return pts;
  }
  if (!in.sites.empty()) {
    pts.cells = false;
    pts.sites = read_sites(in.sites, in.strict, in.names.strict, in.warn);
    if (pts.sites.empty())
      throw InputError(SourceLocation{in.sites, 0, {}}, "expected at least one site, found none");
    for (const auto& s : pts.sites) {
      pts.locations.push_back(s.location);
      pts.tracks.push_back(earth::fixed_track(s));
    }
    pts.description = fmt::format("{} sites of {}", pts.sites.size(), in.sites);
    return pts;
  }
  if (in.level < 0 || in.level > earth::kMaxGridLevel) {
    throw InputError(SourceLocation{in.names.level, 0, {}},
                     fmt::format("expected a level from 0 to {}, found {}", earth::kMaxGridLevel, in.level));
  }
  if (!in.region.empty() || !in.region_file.empty()) {
    const earth::Region region = !in.region.empty() ? bundled_borders(in.data_folder, borders).find(in.region)
                                                    : earth::read_region_file(in.region_file, in.region_name);
    pts.grid = earth::region_grid(region, in.level).cells;
    if (pts.grid.empty()) {
      throw InputError(SourceLocation{in.region.empty() ? in.names.region_file : in.names.region, 0, {}},
                       fmt::format("{} ({:.0f} km2) holds no cell centre at level {}; use a higher {}",
                                   region.name(), region.area_km2(), in.level, in.names.level));
    }
    pts.description = fmt::format("{} level-{} cells of {}", pts.grid.size(), in.level, region.name());
    pts.area = region.name();
  } else {
    pts.grid = earth::global_grid(in.level).cells;
    pts.description = fmt::format("{} level-{} cells (whole Earth)", pts.grid.size(), in.level);
    pts.area = "the whole Earth";
  }
  for (const auto& c : pts.grid) pts.locations.push_back(c.centre);
  return pts;
}

std::vector<policy::RequestContext> request_contexts(const StudyInput& in, const Points& pts,
                                                     const std::string& provider) {
  std::vector<policy::RequestContext> out(pts.locations.size(),
                                          policy::RequestContext{provider, in.customer, {}, {}});
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

policy::ProviderPermissions load_permissions(const StudyInput& in, const Points& pts,
                                             std::span<const std::string> provider_names,
                                             std::optional<earth::CountryBorders>& borders) {
  policy::ProviderPermissions permissions(provider_names.size());
  const auto policies = study_internal::provider_policies(in, provider_names, borders);
  for (std::size_t k = 0; k < policies.size(); ++k) {
    const auto& [p, pol] = policies[k];
    const std::vector<policy::RequestContext> contexts = request_contexts(in, pts, pol.provider());
    permissions.add(p, 0, policy::PointPolicy::per_point(pol, pts.locations, contexts));
    study_internal::warn_without_customer(in, contexts, pts,
                                          in.policies[k]);  // policies come in the order given
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

policy::PermissionHook tracked_permissions(const StudyInput& in, const Points& pts,
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
      pts.tracks, in.customer, "",
      [&]() -> const earth::CountryBorders& { return bundled_borders(in.data_folder, borders); }, in.sites);
  std::vector<policy::RoamingClock::Terminal> roam;
  for (const detection::TerminalInfo& i : infos) roam.push_back(i.roaming);
  for (auto& [p, pol] : study_internal::provider_policies(in, provider_names, borders)) {
    std::vector<policy::RequestContext> contexts = request_contexts(in, pts, pol.provider());
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

policy::PermissionHook study_permissions(const StudyInput& in, const Points& pts,
                                         std::span<const std::string> provider_names,
                                         std::optional<earth::CountryBorders>& borders) {
  if (decided_along_series(pts)) return tracked_permissions(in, pts, provider_names, borders);
  auto permissions =
      std::make_shared<policy::ProviderPermissions>(load_permissions(in, pts, provider_names, borders));
  if (permissions->empty()) return {};
  return [permissions, hook = permissions->hook()](std::size_t p, time::Instant at,
                                                   std::span<std::uint8_t> out) { hook(p, at, out); };
}

CapacityStudy capacity_study(const StudyInput& in, const CapacityInput& cap, const Points& pts,
                             std::vector<StudyProvider> providers,
                             std::optional<earth::CountryBorders>& borders) {
  CapacityStudy st;
  st.models = study_internal::load_models(in, cap, providers);
  const std::vector<double> elevations = study_internal::min_elevations(in, cap, providers.size());
  st.demand = study_internal::demand_points(in, cap, pts, providers, st.options.demand_up_mbps);
  study_internal::check_uplink(in, st.options.demand_up_mbps, st.models, providers);
  std::vector<std::string> names;
  for (std::size_t p = 0; p < providers.size(); ++p) {
    names.push_back(providers[p].name);
    st.providers.push_back({providers[p].name, providers[p].fleet, std::move(providers[p].satellite_names),
                            &st.models[p], elevations[p]});
  }
  // Moving terminals: each step's demand where each terminal is then; those that move or roam are
  // decided with their speed, roaming days and the policy's delay (as check decides them).
  st.options.permission = study_permissions(in, pts, names, borders);
  if (earth::any_moving(pts.tracks)) {
    st.options.positions = [&tracks = pts.tracks](time::Instant at, std::span<frames::Geodetic> out) {
      earth::positions_at(tracks, at, out);
    };
  }
  return st;
}

}  // namespace skyfence::scenario
