// Stage "demand met" of the scenario runner (internal/stages.h): the capacity engine per plan, reduced
// to the capacity, terminal_capacity and provider_usage rows of the results (docs/capacity.md).
#include <algorithm>
#include <cmath>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "skyfence/capacity/capacity.h"
#include "skyfence/core/error.h"
#include "skyfence/core/units.h"
#include "skyfence/scenario/internal/stages.h"
#include "skyfence/time/window.h"
#include "skyfence/visibility/fleet.h"

namespace skyfence::scenario::internal {
// This file's helpers, in a named namespace so that the unity build of the layer cannot mix them up
// with another file's.
namespace capacity_stage_detail {

// Preferences as indices into plan.active: the named providers the plan has, in order (all of them,
// in order, when the list is empty). A provider a variant removed is skipped.
std::vector<std::uint32_t> preferences(const std::vector<std::string>& names, const Plan& plan) {
  std::vector<std::uint32_t> out;
  if (names.empty()) {
    for (std::uint32_t a = 0; a < plan.active.size(); ++a) out.push_back(a);
    return out;
  }
  for (const std::string& n : names) {
    for (std::uint32_t a = 0; a < plan.active.size(); ++a) {
      if (plan.active[a].loaded->spec.name == n) out.push_back(a);
    }
  }
  return out;
}

// The demand points of a plan: the region's cells (with RunInputs::cell_demand_mbps), then every
// terminal (a moving one at its first position; CapacityOptions::positions moves it), in
// RunInputs::points order (indices of the permissions).
std::vector<capacity::DemandPoint> demand_points(const Scenario& sc, const RunInputs& in, const Plan& plan) {
  std::vector<capacity::DemandPoint> out;
  const std::vector<std::uint32_t> region_prefs = preferences(sc.region.providers, plan);
  for (std::size_t i = 0; i < in.cells.size(); ++i) {
    out.push_back(
        {in.cells[i].centre, in.cell_demand_mbps[i], sc.region.customer, region_prefs, sc.region.level});
  }
  for (const TerminalRow& t : in.terminals) {
    const auto g = std::find_if(sc.groups.begin(), sc.groups.end(),
                                [&](const TerminalGroupSpec& spec) { return spec.id == t.group; });
    out.push_back({t.site.location, t.demand_mbps, t.customer, preferences(g->providers, plan), 30});
  }
  return out;
}

// Sums of demand and carried Mbps over a set of points, for one result row of `out` (res.capacity, or with
// `up` the uplink's res.capacity_up).
void add_scope(const std::string& scope, const std::string& scope_id, const std::string& variant,
               const capacity::CapacityResult& r, const std::vector<std::size_t>& points, bool up,
               std::vector<report::CapacityScope>& out) {
  const std::vector<double>& demands = up ? r.demand_up_mbps : r.demand_mbps;
  for (std::size_t row = 0; row < r.names.size(); ++row) {
    double demand = 0.0, carried = 0.0, full = 0.0;
    for (std::size_t i : points) {
      const capacity::PointCapacity& c = up ? r.at_up(row, i) : r.at(row, i);
      demand += demands[i];
      carried += c.mean_mbps;
      full += demands[i] * c.full_service_fraction;
    }
    report::CapacityScope x;
    x.scope = scope;
    x.scope_id = scope_id;
    x.variant = variant;
    x.provider = row + 1 == r.names.size() ? std::string(report::kAnyProvider) : r.names[row];
    x.demand_mbps = demand;
    x.carried_mbps = carried;
    x.demand_met_fraction = demand > 0.0 ? std::clamp(carried / demand, 0.0, 1.0) : 1.0;
    x.full_service_share = demand > 0.0 ? std::clamp(full / demand, 0.0, 1.0) : 1.0;
    out.push_back(std::move(x));
  }
}

void record_usage(const Plan& plan, const std::vector<capacity::ServiceModel>& models,
                  const capacity::CapacityResult& r, report::Results& res) {
  const double steps = std::max<double>(1.0, static_cast<double>(r.steps));
  const auto share = [](double a, double b) { return b > 0.0 ? std::clamp(a / b, 0.0, 1.0) : 0.0; };
  for (std::size_t a = 0; a < plan.active.size(); ++a) {
    const capacity::ProviderUsage& u = r.usage[a];
    report::ProviderUsage x;
    x.variant = plan.info.id;
    x.provider = r.names[a];
    x.background_load = models[a].background_load;
    x.offered_mbps = u.offered_mbps_steps / steps;
    x.carried_mbps = u.carried_mbps_steps / steps;
    x.satellite_utilisation = share(u.satellite_flow_steps, u.satellite_capacity_steps);
    x.saturated_satellite_share =
        share(static_cast<double>(u.saturated_satellite_steps), static_cast<double>(u.satellite_steps));
    x.saturated_cell_share =
        share(static_cast<double>(u.saturated_cell_steps), static_cast<double>(u.cell_steps));
    if (models[a].has_gateways) x.gateway_utilisation = share(u.gateway_flow_steps, u.gateway_capacity_steps);
    res.provider_usage.push_back(std::move(x));
  }
}

}  // namespace capacity_stage_detail

void record_capacity(const Scenario& sc, const RunInputs& in, const std::vector<Plan>& plans,
                     const RunContext& run, report::Results& res, PlanRange range) {
  const time::Duration step = sc.compute.capacity_step.count_ns() > 0 ? sc.compute.capacity_step : sc.step;
  const time::Window window = time::Window::make(sc.start, sc.stop, step);
  const std::size_t n_cells = in.cells.size();
  if (range.first > plans.size()) throw std::invalid_argument("record_capacity: no such plan");
  const std::size_t last = range.end(plans.size());
  for (std::size_t v = range.first; v < last; ++v) {
    const Plan& plan = plans[v];
    // Fleets and models as the plan has them (failed satellites gone, a variant's background load).
    std::vector<std::unique_ptr<visibility::Fleet>> fleets;
    std::vector<capacity::ServiceModel> models;
    models.reserve(plan.active.size());
    std::vector<capacity::Provider> providers;
    for (const Active& act : plan.active) {
      fleets.push_back(std::make_unique<visibility::Fleet>(act.sets));
      models.push_back(*act.loaded->model);
      if (act.background_load >= 0.0) models.back().background_load = act.background_load;
    }
    for (std::size_t a = 0; a < plan.active.size(); ++a) {
      const Active& act = plan.active[a];
      capacity::Provider p{act.loaded->spec.name,
                           fleets[a].get(),
                           {},
                           &models[a],
                           act.loaded->spec.min_elevation_deg * kRadPerDeg};
      for (const auto& es : act.sets) p.satellite_names.push_back(es.name);
      providers.push_back(std::move(p));
    }
    const std::vector<capacity::DemandPoint> points = capacity_stage_detail::demand_points(sc, in, plan);
    const policy::ProviderPermissions permits = plan_permissions(sc, in, plan);
    capacity::CapacityOptions co;
    co.permission = plan_permission_hook(in, plan, permits);
    // Uplink demand (when some group asks it): none from the cells, each terminal's.
    if (!in.uplink_asked_by.empty()) {
      co.demand_up_mbps.assign(n_cells, 0.0);
      for (const TerminalRow& t : in.terminals) co.demand_up_mbps.push_back(t.demand_up_mbps);
    }
    // Moving terminals: each step's demand where each terminal is then.
    if (in.moving) {
      co.positions = [&in](time::Instant at, std::span<frames::Geodetic> out) {
        point_positions(in, at, out);
      };
    }
    const double n = static_cast<double>(last - range.first), k = static_cast<double>(v - range.first);
    const capacity::CapacityResult r = capacity::compute_capacity(
        points, providers, window, co, run.part(k / n, (k + 1.0) / n, "demand met"));

    // The region (when it has demand), each terminal group, each terminal.
    if (sc.region.has_demand()) {
      std::vector<std::size_t> cells(n_cells);
      for (std::size_t i = 0; i < n_cells; ++i) cells[i] = i;
      capacity_stage_detail::add_scope(std::string(report::kScopeRegion), res.run.region_name, plan.info.id,
                                       r, cells, false, res.capacity);
      for (std::size_t row = 0; row < r.names.size(); ++row) {
        report::CapacityCellLayer layer;
        layer.variant = plan.info.id;
        layer.provider = row + 1 == r.names.size() ? std::string(report::kAnyProvider) : r.names[row];
        for (std::size_t i = 0; i < n_cells; ++i) {
          layer.demand_mbps.push_back(r.demand_mbps[i]);
          layer.carried_mbps.push_back(r.at(row, i).mean_mbps);
          layer.demand_met_fraction.push_back(r.at(row, i).demand_met_fraction);
        }
        res.capacity_cells.push_back(std::move(layer));
      }
    }
    for (const TerminalGroupSpec& g : sc.groups) {
      std::vector<std::size_t> members;
      for (std::size_t t = 0; t < in.terminals.size(); ++t) {
        if (in.terminals[t].group == g.id) members.push_back(n_cells + t);
      }
      capacity_stage_detail::add_scope(std::string(report::kScopeGroup), g.id, plan.info.id, r, members,
                                       false, res.capacity);
      if (r.uplink)
        capacity_stage_detail::add_scope(std::string(report::kScopeGroup), g.id, plan.info.id, r, members,
                                         true, res.capacity_up);
    }
    for (const bool up : {false, true}) {
      if (up && !r.uplink) break;
      std::vector<report::TerminalCapacity>& out = up ? res.terminal_capacity_up : res.terminal_capacity;
      const std::vector<double>& demands = up ? r.demand_up_mbps : r.demand_mbps;
      for (std::size_t t = 0; t < in.terminals.size(); ++t) {
        for (std::size_t row = 0; row < r.names.size(); ++row) {
          const capacity::PointCapacity& c = up ? r.at_up(row, n_cells + t) : r.at(row, n_cells + t);
          out.push_back({plan.info.id,
                         row + 1 == r.names.size() ? std::string(report::kAnyProvider) : r.names[row],
                         in.terminals[t].site.id, demands[n_cells + t], c.mean_mbps, c.p5_mbps, c.min_mbps,
                         c.demand_met_fraction, c.full_service_fraction});
        }
      }
    }
    capacity_stage_detail::record_usage(plan, models, r, res);
  }
}

}  // namespace skyfence::scenario::internal
