// skyfence._skyfence.route: round-trip times over satellites, gateways and fibre, step by step, as
// `skyfence route` builds its network and routes (apps/cli/route.cpp), one row per pair and step as
// columns for pandas (the CLI's rows form; its --summary statistics are a pandas groupby away).
#include <pybind11/numpy.h>
#include <pybind11/stl.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <map>
#include <memory>
#include <numbers>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include <fmt/core.h>
#include <fmt/format.h>

#include "catalog.h"
#include "common.h"
#include "skyfence/earth/site.h"
#include "skyfence/network/hypatia.h"
#include "skyfence/network/links.h"
#include "skyfence/network/planes.h"
#include "skyfence/network/routing.h"
#include "skyfence/network/series.h"
#include "skyfence/network/topology.h"
#include "skyfence/orbits/presets.h"
#include "skyfence/time/window.h"

namespace skyfence::python {

namespace {

// The CLI's bound on the number of steps, against a mistyped step (one a second for 30 days).
constexpr std::size_t kMaxSteps = 2'592'000;
constexpr std::size_t kMaxListed = 20;

// What to route and over which links: the CLI's options, named as the Python arguments.
struct RouteSpec {
  std::string sites_file, gateways_file, pops_file;
  std::vector<std::pair<std::string, std::string>> pairs;  // site ids; empty with to_internet
  bool to_internet = false;
  bool isl = true;                      // plus-grid; false: none (bent pipe)
  std::string isl_pairing = "nearest";  // or "same-index"
  int isl_shift = 0;
  std::string isls_file;          // an explicit link list instead of the plus grid
  double gsl_max_range_km = 0.0;  // 0: none (the elevation masks alone)
  double min_elevation_deg = 25.0, gateway_min_elevation_deg = 25.0;
  double isl_max_range_km = 0.0, grazing_altitude_km = 80.0;
  double fibre_route_factor = 1.5, fibre_index = network::kFibreRefractiveIndex;
  bool satellites_only = false, strict = false;
  network::Reconfiguration reconfiguration;  // serving-satellite slots; off by default
  std::string hypatia_state;                 // Hypatia's static state folder, as --hypatia-state
  network::HypatiaOverrides given;           // the arguments given explicitly (they override the state)
};

std::vector<earth::Site> read_sites(const std::string& path, bool strict, const char* what,
                                    std::vector<std::string>& warnings) {
  earth::SiteReadOptions ropts;
  ropts.strict = strict;
  earth::SiteList list = earth::read_sites_file(path, ropts);
  for (std::size_t i = 0; i < list.rejected.size() && i < kMaxListed; ++i)
    warnings.push_back(list.rejected[i].to_string() + " (row skipped)");
  if (!list.rejected.empty()) {
    warnings.push_back(fmt::format("{}: {} row(s) skipped, {} {} loaded; use strict=True to fail instead",
                                   path, list.rejected.size(), list.sites.size(), what));
  }
  if (list.sites.empty())
    throw InputError(SourceLocation{path, 0, {}},
                     fmt::format("expected at least one of the {}, found none", what));
  return std::move(list.sites);
}

std::vector<network::GroundNode> ground_nodes(const std::vector<earth::Site>& sites) {
  std::vector<network::GroundNode> out;
  out.reserve(sites.size());
  for (const auto& s : sites) out.push_back({s.id, s.location});
  return out;
}

// As the CLI's network_options: degrees to radians as min_elevation_rad does; the library checks the
// ranges (std::invalid_argument, a ValueError).
network::NetworkOptions network_options(const RouteSpec& o) {
  network::NetworkOptions nopts;
  nopts.isl = o.isl ? network::IslMode::plus_grid : network::IslMode::none;
  nopts.user_min_elevation_rad = o.min_elevation_deg * std::numbers::pi / 180.0;
  nopts.gateway_min_elevation_rad = o.gateway_min_elevation_deg * std::numbers::pi / 180.0;
  nopts.isl_max_range_km =
      o.isl_max_range_km == 0.0 ? std::numeric_limits<double>::infinity() : o.isl_max_range_km;
  nopts.isl_grazing_altitude_km = o.grazing_altitude_km;
  network::limit_ground_links_by_range(nopts, o.gsl_max_range_km);  // the masks go to the horizon
  nopts.fibre_route_factor = o.fibre_route_factor;
  nopts.fibre_refractive_index = o.fibre_index;
  nopts.ground_relay = !o.satellites_only;
  nopts.gateway_links = !o.satellites_only || o.to_internet;
  network::check(nopts);
  return nopts;
}

// As the CLI's assign_planes: the preset's Walker layout, else planes inferred from the elements.
network::PlaneAssignment assign_planes(const Catalog& cat, const std::string& data_folder, time::Instant when,
                                       std::vector<std::string>& warnings) {
  if (cat.preset.empty()) {
    network::PlaneAssignment a = network::infer_planes(cat.sets);
    if (!a.unassigned.empty()) {
      std::vector<std::string> listed;
      for (std::size_t k = 0; k < a.unassigned.size() && k < kMaxListed; ++k) {
        const auto& es = cat.sets[a.unassigned[k]];
        listed.push_back(fmt::format("{} {}", es.norad_id, es.name));
      }
      warnings.push_back(fmt::format("{} satellite(s) fit no plane and get no inter-satellite links: {}{}",
                                     a.unassigned.size(), fmt::join(listed, ", "),
                                     a.unassigned.size() > kMaxListed ? ", ..." : ""));
    }
    return a;
  }
  const orbits::PresetLibrary lib = orbits::load_presets(orbits::presets_path(data_folder));
  const orbits::Preset& preset = lib.find(cat.preset);
  const orbits::GeneratedConstellation gen = orbits::generate(preset, when);
  std::map<std::uint32_t, orbits::WalkerSlot> slot_of;
  for (std::size_t i = 0; i < gen.sets.size(); ++i) slot_of[gen.sets[i].norad_id] = gen.slots[i];
  std::vector<orbits::WalkerShell> shells;
  for (const auto& sh : preset.shells) shells.push_back(*sh.layout);
  std::vector<orbits::WalkerSlot> slots;
  for (const auto& es : cat.sets) slots.push_back(slot_of.at(es.norad_id));
  return network::planes_from_walker(slots, shells);
}

std::vector<network::EndpointPair> endpoint_pairs(const RouteSpec& o, const std::vector<earth::Site>& sites) {
  std::map<std::string, std::uint32_t> ids;
  for (std::size_t i = 0; i < sites.size(); ++i) ids.emplace(sites[i].id, static_cast<std::uint32_t>(i));
  std::vector<network::EndpointPair> pairs;
  if (o.to_internet) {
    for (std::uint32_t i = 0; i < sites.size(); ++i) pairs.push_back({i, network::kToInternet});
    return pairs;
  }
  const auto index = [&](const std::string& id, std::size_t k, const char* field) {
    const auto it = ids.find(id);
    if (it == ids.end()) {
      throw InputError(
          SourceLocation{fmt::format("pairs[{}]", k), 0, field},
          fmt::format("expected the id of a site in {}, got \"{}\"",
                      o.sites_file.empty() ? o.hypatia_state + "/ground_stations.txt" : o.sites_file, id));
    }
    return it->second;
  };
  for (std::size_t k = 0; k < o.pairs.size(); ++k)
    pairs.push_back({index(o.pairs[k].first, k, "src"), index(o.pairs[k].second, k, "dst")});
  if (pairs.empty())
    throw InputError(SourceLocation{"pairs", 0, {}}, "expected at least one pair, found none");
  return pairs;
}

// As the CLI with --hypatia-state: Hypatia's ground stations as sites, their names as ids.
std::vector<earth::Site> state_sites(const network::HypatiaState& state) {
  std::vector<earth::Site> out;
  for (const auto& g : state.ground_stations) out.push_back({g.id, g.id, g.location, {}});
  return out;
}

// The satellites of Hypatia's tles.txt as a catalog.
Catalog state_catalog(const std::string& dir, const network::HypatiaState& state) {
  Catalog c;
  c.source = dir + "/tles.txt";
  c.sets = state.tles.satellites;
  c.fleet = std::make_shared<const visibility::Fleet>(c.sets);
  return c;
}

py::dict route(const Catalog* given_catalog, const RouteSpec& o, std::int64_t start_ns, std::int64_t stop_ns,
               std::int64_t step_ns, unsigned threads, const std::string& data_given) {
  const std::string folder = data_dir(data_given);
  const std::vector<time::Instant> times =
      time::Window::make(instant_from_unix_ns(start_ns, "start"), instant_from_unix_ns(stop_ns, "stop"),
                         time::Duration::nanoseconds(step_ns), {"start", "stop", "step"}, kMaxSteps)
          .instants();
  network::NetworkOptions nopts = network_options(o);
  std::optional<network::HypatiaState> hypatia;
  std::optional<Catalog> from_state;
  if (!o.hypatia_state.empty()) {
    hypatia = network::read_hypatia_state(o.hypatia_state);
    network::apply_hypatia_limits(hypatia->description, o.given, nopts);
    from_state = state_catalog(o.hypatia_state, *hypatia);
  }
  const Catalog& cat = from_state ? *from_state : *given_catalog;
  std::vector<std::string> warnings;
  const std::vector<earth::Site> sites =
      o.sites_file.empty() ? state_sites(*hypatia) : read_sites(o.sites_file, o.strict, "sites", warnings);
  const std::vector<network::EndpointPair> pairs = endpoint_pairs(o, sites);
  // Hypatia's state has no gateways or PoPs: none unless given.
  std::vector<earth::Site> gateways, pops;
  if (!hypatia || !o.gateways_file.empty()) {
    const std::string gw_path =
        o.gateways_file.empty() ? folder + "/gateways/starlink_gateways.csv" : o.gateways_file;
    gateways = read_sites(gw_path, o.strict, "gateways", warnings);
  }
  if (!hypatia || !o.pops_file.empty()) {
    const std::string pop_path = o.pops_file.empty() ? folder + "/gateways/starlink_pops.csv" : o.pops_file;
    pops = read_sites(pop_path, o.strict, "points of presence", warnings);
  }
  for (std::string& w : cat.stale_warnings(times.front(), times.back())) warnings.push_back(std::move(w));

  std::vector<network::SatellitePair> isl;
  if (nopts.isl == network::IslMode::plus_grid) {
    const network::IslChoice choice{
        .grid = {.pairing = *network::isl_pairing_named(o.isl_pairing), .shift = o.isl_shift},
        .isls_file = o.isls_file};
    isl = hypatia ? network::hypatia_candidate_isls(*hypatia, choice, o.given)
                  : network::candidate_isls(choice, cat.sets, [&] {
                      return assign_planes(cat, folder, times.front(), warnings);
                    });
  }
  const network::Network net(*cat.fleet, std::move(isl), ground_nodes(gateways), ground_nodes(pops),
                             ground_nodes(sites), nopts);

  // One row per pair and step, as RouteCsv's rows form.
  std::vector<std::int64_t> when;
  std::vector<std::uint32_t> src, dst;  // endpoint index; dst: the PoP's node for pairs to the internet
  std::vector<bool> dst_is_node;
  std::vector<double> one_way;
  std::vector<std::int64_t> hops;
  std::vector<std::string> path, serving;
  std::vector<std::int64_t> slot_start;  // INT64_MIN (NaT) when off
  const network::SeriesCounts counts = run_released(threads, folder, [&](const RunContext& run) {
    return network::route_series(
        net, times, pairs,
        [&](std::size_t step, std::span<const network::Route> routes, const network::StepSlot& slot) {
          for (std::size_t k = 0; k < pairs.size(); ++k) {
            const network::Route& r = routes[k];
            when.push_back(unix_ns(times[step]));
            src.push_back(pairs[k].src_endpoint);
            const bool internet = pairs[k].dst_endpoint == network::kToInternet;
            dst.push_back(internet ? (r.reachable() ? r.path.back() : network::kToInternet)
                                   : pairs[k].dst_endpoint);
            dst_is_node.push_back(internet);
            one_way.push_back(r.reachable() ? r.one_way_ms : std::numeric_limits<double>::quiet_NaN());
            hops.push_back(r.reachable() ? static_cast<std::int64_t>(r.hops()) : -1);
            std::string p;
            for (std::size_t i = 0; i < r.path.size(); ++i) {
              if (i > 0) p += '>';
              p += network::node_label(net, r.path[i]);
            }
            path.push_back(std::move(p));
            // As RouteCsv: the source's satellite, held or the first of the path.
            std::uint32_t sat = network::kNoNode;
            if (slot.on) {
              sat = slot.serving[pairs[k].src_endpoint];
            } else if (r.path.size() >= 2 && net.kind(r.path[1]) == network::NodeKind::satellite) {
              sat = r.path[1];
            }
            serving.push_back(sat == network::kNoNode ? std::string() : network::node_label(net, sat));
            slot_start.push_back(slot.on ? unix_ns(slot.slot_start)
                                         : std::numeric_limits<std::int64_t>::min());
          }
        },
        run, {}, o.reconfiguration);
  });
  if (o.strict && counts.sgp4_failures > 0) {
    throw std::runtime_error(fmt::format("{}: {} satellite-step(s) with an SGP4 error with strict=True",
                                         cat.source, counts.sgp4_failures));
  }
  if (counts.sgp4_failures > 0)
    warnings.push_back(fmt::format("{} satellite-step(s) with an SGP4 error", counts.sgp4_failures));

  const std::size_t n = when.size();
  py::list src_ids, dst_ids, paths, serving_ids;
  std::vector<double> rtt(n);
  for (std::size_t i = 0; i < n; ++i) {
    src_ids.append(py::str(net.endpoint(src[i]).id));
    if (!dst_is_node[i]) {
      dst_ids.append(py::str(net.endpoint(dst[i]).id));
    } else {
      dst_ids.append(
          py::str(dst[i] == network::kToInternet ? std::string() : network::node_label(net, dst[i])));
    }
    paths.append(py::str(path[i]));
    serving_ids.append(py::str(serving[i]));
    rtt[i] = 2.0 * one_way[i];
  }
  py::dict cols;
  cols["time_utc"] = py::array_t<std::int64_t>(static_cast<py::ssize_t>(n), when.data());
  cols["src"] = src_ids;
  cols["dst"] = dst_ids;
  cols["rtt_ms"] = py::array_t<double>(static_cast<py::ssize_t>(n), rtt.data());
  cols["one_way_ms"] = py::array_t<double>(static_cast<py::ssize_t>(n), one_way.data());
  cols["hops"] = py::array_t<std::int64_t>(static_cast<py::ssize_t>(n), hops.data());
  cols["path"] = paths;
  cols["serving_satellite"] = serving_ids;
  cols["slot_start"] = py::array_t<std::int64_t>(static_cast<py::ssize_t>(n), slot_start.data());
  return py::dict(py::arg("columns") = cols, py::arg("warnings") = warnings);
}

}  // namespace

void add_route(py::module_& m) {
  m.def(
      "route",
      [](const Catalog* cat, const std::string& sites_file,
         const std::vector<std::pair<std::string, std::string>>& pairs, bool to_internet,
         const std::string& isl, const std::string& isl_pairing, int isl_shift, const std::string& isls_file,
         double gsl_max_range_km, const std::string& gateways_file, const std::string& pops_file,
         double min_elevation_deg, double gateway_min_elevation_deg, double isl_max_range_km,
         double grazing_altitude_km, double fibre_route_factor, double fibre_index, bool satellites_only,
         bool strict, std::int64_t start_ns, std::int64_t stop_ns, std::int64_t step_ns,
         std::int64_t reconfiguration_interval_ns, std::int64_t reconfiguration_offset_ns,
         const std::string& reconfiguration_rule, bool hold_gateways, const std::string& hypatia_state,
         bool pairing_given, bool ground_rule_given, bool isl_max_range_given, unsigned threads,
         const std::string& data_given) {
        if (hypatia_state.empty() && (cat == nullptr || sites_file.empty()))
          throw py::type_error("give a catalog and sites, or hypatia_state");
        if (!hypatia_state.empty() && cat != nullptr)
          throw py::type_error("hypatia_state gives the satellites (its tles.txt): give no catalog");
        if (isl != "plus-grid" && isl != "none")
          throw py::value_error("isl must be \"plus-grid\" or \"none\", got \"" + isl + "\"");
        if (isl_pairing != "nearest" && isl_pairing != "same-index")
          throw py::value_error("isl_pairing must be \"nearest\" or \"same-index\", got \"" + isl_pairing +
                                "\"");
        if (isl_shift != 0 && isl_pairing != "same-index")
          throw py::value_error("isl_shift applies to isl_pairing=\"same-index\" only");
        if (!isls_file.empty() && (isl != "plus-grid" || isl_pairing != "nearest" || isl_shift != 0))
          throw py::value_error(
              "isls replaces the plus grid: give it without isl=\"none\", isl_pairing or isl_shift");
        if (!(gsl_max_range_km >= 0.0))
          throw py::value_error("gsl_max_range_km must be > 0 (0: no limit), got " +
                                std::to_string(gsl_max_range_km));
        RouteSpec o;
        o.sites_file = sites_file;
        o.gateways_file = gateways_file;
        o.pops_file = pops_file;
        o.pairs = pairs;
        o.to_internet = to_internet;
        o.isl = isl == "plus-grid";
        o.isl_pairing = isl_pairing;
        o.isl_shift = isl_shift;
        o.isls_file = isls_file;
        o.gsl_max_range_km = gsl_max_range_km;
        o.min_elevation_deg = min_elevation_deg;
        o.gateway_min_elevation_deg = gateway_min_elevation_deg;
        o.isl_max_range_km = isl_max_range_km;
        o.grazing_altitude_km = grazing_altitude_km;
        o.fibre_route_factor = fibre_route_factor;
        o.fibre_index = fibre_index;
        o.satellites_only = satellites_only;
        o.strict = strict;
        o.reconfiguration.interval = time::Duration::nanoseconds(reconfiguration_interval_ns);
        o.reconfiguration.offset = time::Duration::nanoseconds(reconfiguration_offset_ns);
        if (reconfiguration_rule != "highest-elevation" && reconfiguration_rule != "shortest-path")
          throw py::value_error(
              "reconfiguration_rule must be \"highest-elevation\" or \"shortest-path\", got \"" +
              reconfiguration_rule + "\"");
        o.reconfiguration.rule = reconfiguration_rule == "shortest-path"
                                     ? network::ServingRule::shortest_path
                                     : network::ServingRule::highest_elevation;
        o.reconfiguration.hold_gateways = hold_gateways;
        try {
          network::check(o.reconfiguration);
        } catch (const std::invalid_argument& e) {
          throw py::value_error(e.what());
        }
        o.hypatia_state = hypatia_state;
        o.given = {.pairing_given = pairing_given || !isls_file.empty(),
                   .ground_rule_given = ground_rule_given || gsl_max_range_km != 0.0,
                   .isl_max_range_given = isl_max_range_given};
        return route(cat, o, start_ns, stop_ns, step_ns, threads, data_given);
      },
      py::arg("catalog").none(true), py::arg("sites_file"), py::arg("pairs"), py::arg("to_internet"),
      py::arg("isl"), py::arg("isl_pairing"), py::arg("isl_shift"), py::arg("isls_file"),
      py::arg("gsl_max_range_km"), py::arg("gateways_file"), py::arg("pops_file"),
      py::arg("min_elevation_deg"), py::arg("gateway_min_elevation_deg"), py::arg("isl_max_range_km"),
      py::arg("grazing_altitude_km"), py::arg("fibre_route_factor"), py::arg("fibre_index"),
      py::arg("satellites_only"), py::arg("strict"), py::arg("start_ns"), py::arg("stop_ns"),
      py::arg("step_ns"), py::arg("reconfiguration_interval_ns"), py::arg("reconfiguration_offset_ns"),
      py::arg("reconfiguration_rule"), py::arg("hold_gateways"), py::arg("hypatia_state"),
      py::arg("pairing_given"), py::arg("ground_rule_given"), py::arg("isl_max_range_given"),
      py::arg("threads"), py::arg("data_dir"),
      "network::route_series as `skyfence route`; see skyfence.route.");
}

}  // namespace skyfence::python
