// skyfence._skyfence.capacity: capacity::compute_capacity over the inputs `skyfence capacity` builds
// (scenario/study.h: points, service models, minimum elevations, demand, policies), its statistics
// returned as (providers + 1, points) arrays and each provider's usage, for a pandas DataFrame.
#include "skyfence/capacity/capacity.h"

#include <pybind11/numpy.h>
#include <pybind11/stl.h>

#include <cstdint>
#include <limits>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include <fmt/core.h>

#include "catalog.h"
#include "common.h"
#include "skyfence/core/units.h"
#include "skyfence/scenario/study.h"
#include "skyfence/time/window.h"
#include "study_names.h"

namespace skyfence::python {

scenario::StudyNames study_names() {
  scenario::StudyNames n;
  n.level = "level";
  n.region = "region";
  n.region_file = "region_file";
  n.strict = "strict=True";
  n.customer = "customer";
  n.policy = "policies";
  n.provider = "a dict {name: Catalog}";
  n.service_model = "service_models";
  n.min_elevation = "min_elevation_deg";
  n.demand_density = "demand_density";
  n.demand_file = "demand_file";
  return n;
}

namespace capacity_binding {

py::array_t<double> column(const std::vector<double>& v) {
  return py::array_t<double>(static_cast<py::ssize_t>(v.size()), v.data());
}

py::dict usage_dict(const capacity::ProviderUsage& u, const capacity::ServiceModel& m) {
  py::dict d;
  d["status"] = m.status;
  d["background_load"] = m.background_load;
  d["has_gateways"] = m.has_gateways;
  d["offered_mbps_steps"] = u.offered_mbps_steps;
  d["carried_mbps_steps"] = u.carried_mbps_steps;
  d["satellite_capacity_steps"] = u.satellite_capacity_steps;
  d["satellite_flow_steps"] = u.satellite_flow_steps;
  d["satellite_steps"] = u.satellite_steps;
  d["saturated_satellite_steps"] = u.saturated_satellite_steps;
  d["cell_steps"] = u.cell_steps;
  d["saturated_cell_steps"] = u.saturated_cell_steps;
  d["gateway_capacity_steps"] = u.gateway_capacity_steps;
  d["gateway_flow_steps"] = u.gateway_flow_steps;
  d["unclassified_satellites"] = u.unclassified_satellites;
  d["failed_states"] = u.failed_states;
  return d;
}

struct Request {
  std::vector<std::string> names;
  std::vector<const Catalog*> catalogs;
  std::int64_t start_ns = 0, stop_ns = 0, step_ns = 0;
  scenario::StudyInput study;
  scenario::CapacityInput capacity;
  unsigned threads = 0;
};

py::dict capacity(Request& q) {
  if (q.names.size() != q.catalogs.size() || q.catalogs.empty())
    throw py::value_error("give at least one provider, each with a name");
  const time::Window window =
      time::Window::make(instant_from_unix_ns(q.start_ns, "start"), instant_from_unix_ns(q.stop_ns, "stop"),
                         time::Duration::nanoseconds(q.step_ns), {"start", "stop", "step"});
  std::vector<std::string> warnings;
  std::vector<scenario::StudyProvider> providers;
  for (std::size_t p = 0; p < q.catalogs.size(); ++p) {
    if (q.names[p].empty() || q.names[p] == "any") {
      throw InputError(SourceLocation{"providers", 0, {}},
                       fmt::format("a provider's name must not be empty or \"any\", got \"{}\"", q.names[p]));
    }
    for (std::size_t r = 0; r < p; ++r) {
      if (q.names[r] == q.names[p]) {
        throw InputError(SourceLocation{"providers", 0, {}},
                         fmt::format("two providers are named \"{}\"; name each in a dict", q.names[p]));
      }
    }
    for (std::string& w : q.catalogs[p]->stale_warnings(window.start(), window.stop()))
      warnings.push_back(std::move(w));
    scenario::StudyProvider sp{q.names[p], q.catalogs[p]->fleet.get(), {}};
    for (const auto& set : q.catalogs[p]->sets) sp.satellite_names.push_back(set.name);
    providers.push_back(std::move(sp));
  }
  q.study.data_folder = data_dir(q.study.data_folder);
  q.study.names = study_names();
  q.study.warn = [&warnings](const std::string& w) { warnings.push_back(w); };
  scenario::Points pts;
  std::optional<scenario::CapacityStudy> study;
  capacity::CapacityResult r;
  run_released(q.threads, q.study.data_folder, [&](const RunContext& run) {
    std::optional<earth::CountryBorders> borders;
    pts = scenario::load_points(q.study, borders);
    study.emplace(scenario::capacity_study(q.study, q.capacity, pts, std::move(providers), borders));
    r = capacity::compute_capacity(study->demand, study->providers, window, study->options, run);
  });
  std::uint64_t failed = 0;
  for (const capacity::ProviderUsage& u : r.usage) failed += u.failed_states;
  if (q.study.strict && failed > 0) {
    throw std::runtime_error(fmt::format("{} satellite-step(s) with an SGP4 error with strict=True", failed));
  }
  const std::size_t n = r.points, rows = r.names.size();
  std::vector<double> lat(n), lon(n), area(n, std::numeric_limits<double>::quiet_NaN());
  py::list ids;
  for (std::size_t i = 0; i < n; ++i) {
    ids.append(py::str(pts.cells ? pts.grid[i].token : pts.sites[i].id));
    lat[i] = pts.locations[i].lat_rad * kDegPerRad;
    lon[i] = pts.locations[i].lon_rad * kDegPerRad;
    if (pts.cells) area[i] = pts.grid[i].area_km2;
  }
  // Per statistic an (n, rows) array, of the downlink's or the uplink's statistics.
  const auto stats_of = [&](const std::vector<capacity::PointCapacity>& s) {
    py::dict stats;
    for (const auto& [name, member] :
         {std::pair{"mean_mbps", &capacity::PointCapacity::mean_mbps},
          {"p5_mbps", &capacity::PointCapacity::p5_mbps},
          {"min_mbps", &capacity::PointCapacity::min_mbps},
          {"demand_met_fraction", &capacity::PointCapacity::demand_met_fraction},
          {"full_service_fraction", &capacity::PointCapacity::full_service_fraction}}) {
      py::array_t<double> a({static_cast<py::ssize_t>(n), static_cast<py::ssize_t>(rows)});
      auto v = a.mutable_unchecked<2>();
      for (std::size_t i = 0; i < n; ++i) {
        for (std::size_t p = 0; p < rows; ++p)
          v(static_cast<py::ssize_t>(i), static_cast<py::ssize_t>(p)) = s[p * n + i].*member;
      }
      stats[name] = a;
    }
    return stats;
  };
  py::list usage;
  for (std::size_t p = 0; p < r.usage.size(); ++p) {
    usage.append(usage_dict(r.usage[p], study->models[p]));
    if (r.usage[p].unclassified_satellites > 0) {
      warnings.push_back(fmt::format("{}: {} satellites match no satellite class of {} and carry nothing",
                                     r.names[p], r.usage[p].unclassified_satellites,
                                     study->models[p].source));
    }
    if (r.usage[p].failed_states > 0) {
      warnings.push_back(fmt::format("{}: {} satellite-step(s) with an SGP4 error were left out", r.names[p],
                                     r.usage[p].failed_states));
    }
  }
  py::dict out;
  out["point_kind"] = pts.cells ? "cell" : "site";
  out["ids"] = ids;
  out["lat_deg"] = column(lat);
  out["lon_deg"] = column(lon);
  out["area_km2"] = column(area);
  out["providers"] = r.names;
  out["demand_mbps"] = column(r.demand_mbps);
  out["stats"] = stats_of(r.stats);
  out["usage"] = usage;
  out["uplink"] = r.uplink;
  if (r.uplink) {
    out["demand_up_mbps"] = column(r.demand_up_mbps);
    out["stats_up"] = stats_of(r.stats_up);
    py::list usage_up;
    for (std::size_t p = 0; p < r.usage_up.size(); ++p)
      usage_up.append(usage_dict(r.usage_up[p], study->models[p]));
    out["usage_up"] = usage_up;
  }
  out["steps"] = r.steps;
  out["step_s"] = window.step().to_seconds();
  out["warnings"] = warnings;
  return out;
}

}  // namespace capacity_binding

void add_capacity(py::module_& m) {
  m.def(
      "capacity",
      [](const std::vector<std::string>& names, const std::vector<const Catalog*>& catalogs,
         const std::vector<std::string>& service_models, const std::vector<double>& min_elevation_deg,
         std::int64_t start_ns, std::int64_t stop_ns, std::int64_t step_ns, int level,
         const std::string& region, const std::string& region_file, const std::string& region_name,
         const std::string& sites, double demand_density, const std::string& demand_file,
         const std::vector<std::string>& policies, const std::string& customer, bool strict, unsigned threads,
         const std::string& data_given) {
        capacity_binding::Request q;
        q.names = names;
        q.catalogs = catalogs;
        q.start_ns = start_ns;
        q.stop_ns = stop_ns;
        q.step_ns = step_ns;
        q.study.level = level;
        q.study.region = region;
        q.study.region_file = region_file;
        q.study.region_name = region_name;
        q.study.sites = sites;
        q.study.strict = strict;
        q.study.policies = policies;
        q.study.customer = customer;
        q.study.data_folder = data_given;
        q.capacity.service_models = service_models;
        q.capacity.min_elevation_deg = min_elevation_deg;
        q.capacity.demand_density = demand_density;
        q.capacity.demand_file = demand_file;
        q.threads = threads;
        return capacity_binding::capacity(q);
      },
      py::arg("names"), py::arg("catalogs"), py::arg("service_models"), py::arg("min_elevation_deg"),
      py::arg("start_ns"), py::arg("stop_ns"), py::arg("step_ns"), py::arg("level"), py::arg("region"),
      py::arg("region_file"), py::arg("region_name"), py::arg("sites"), py::arg("demand_density"),
      py::arg("demand_file"), py::arg("policies"), py::arg("customer"), py::arg("strict"), py::arg("threads"),
      py::arg("data_dir"),
      "Demand met per point and provider (capacity::compute_capacity) over the inputs `skyfence capacity` "
      "builds; see skyfence.capacity.");
}

}  // namespace skyfence::python
