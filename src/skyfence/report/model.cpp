#include "skyfence/report/model.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>
#include <set>
#include <stdexcept>

#include "skyfence/core/statistics.h"
#include "skyfence/core/units.h"
#include "skyfence/time/scales.h"

namespace skyfence::report {

std::string_view to_string(VariantKind kind) {
  switch (kind) {
    case VariantKind::baseline:
      return "baseline";
    case VariantKind::withdraw:
      return "withdraw";
    case VariantKind::policy_rule:
      return "policy_rule";
    case VariantKind::satellite_failure:
      return "satellite_failure";
    case VariantKind::add_provider:
      return "add_provider";
    case VariantKind::background_load:
      return "background_load";
    case VariantKind::catalog_swap:
      return "catalog_swap";
    case VariantKind::enforcement:
      return "enforcement";
  }
  return "unknown";
}

std::string_view to_string(TerminalDecision decision) {
  switch (decision) {
    case TerminalDecision::permit:
      return "permit";
    case TerminalDecision::deny:
      return "deny";
    case TerminalDecision::varies:
      return "varies";
  }
  return "unknown";
}

std::string_view to_string(TerminalState state) {
  switch (state) {
    case TerminalState::served:
      return "served";
    case TerminalState::uncovered:
      return "uncovered";
    case TerminalState::denied:
      return "denied";
  }
  return "unknown";
}

CellInfo cell_info(const earth::Cell& cell) {
  CellInfo c;
  c.token = cell.token;
  c.lat_deg = cell.centre.lat_rad * kDegPerRad;
  c.lon_deg = cell.centre.lon_rad * kDegPerRad;
  c.area_km2 = cell.area_km2;
  c.vertices = cell.vertices;
  return c;
}

RttQuantiles rtt_quantiles(std::vector<double> samples_ms) {
  if (samples_ms.empty()) throw std::invalid_argument("rtt_quantiles: no samples");
  for (double s : samples_ms) {
    if (!std::isfinite(s)) throw std::invalid_argument("rtt_quantiles: non-finite sample");
  }
  std::sort(samples_ms.begin(), samples_ms.end());
  return RttQuantiles{samples_ms.front(), median_of_sorted(samples_ms),
                      nearest_rank_of_sorted(samples_ms, 95), samples_ms.back()};
}

const ProviderInfo* Results::provider(std::string_view name) const {
  for (const auto& p : providers) {
    if (p.name == name) return &p;
  }
  return nullptr;
}

const Variant* Results::variant(std::string_view id) const {
  for (const auto& v : variants) {
    if (v.id == id) return &v;
  }
  return nullptr;
}

const CellLayer* Results::cell_layer(std::string_view variant_id, std::string_view provider_name) const {
  for (const auto& l : cell_layers) {
    if (l.variant == variant_id && l.provider == provider_name) return &l;
  }
  return nullptr;
}

const TerminalGroup* Results::group(std::string_view id) const {
  for (const auto& g : groups) {
    if (g.id == id) return &g;
  }
  return nullptr;
}

const TerminalService* Results::service(std::string_view variant_id, std::string_view provider_name,
                                        std::string_view terminal_id) const {
  for (const auto& s : terminal_service) {
    if (s.variant == variant_id && s.provider == provider_name && s.terminal == terminal_id) return &s;
  }
  return nullptr;
}

const Reliance* Results::reliance_row(std::string_view scope, std::string_view scope_id,
                                      std::string_view variant_id) const {
  for (const auto& x : reliance) {
    if (x.scope == scope && x.scope_id == scope_id && x.variant == variant_id) return &x;
  }
  return nullptr;
}

const CapacityCellLayer* Results::capacity_cell_layer(std::string_view variant_id,
                                                      std::string_view provider_name) const {
  for (const auto& x : capacity_cells) {
    if (x.variant == variant_id && x.provider == provider_name) return &x;
  }
  return nullptr;
}

const CapacityScope* Results::capacity_row(std::string_view scope, std::string_view scope_id,
                                           std::string_view variant_id,
                                           std::string_view provider_name) const {
  for (const auto& x : capacity) {
    if (x.scope == scope && x.scope_id == scope_id && x.variant == variant_id && x.provider == provider_name)
      return &x;
  }
  return nullptr;
}

const ProviderReliance* Reliance::provider(std::string_view name) const {
  for (const auto& p : providers) {
    if (p.provider == name) return &p;
  }
  return nullptr;
}

namespace {

[[noreturn]] void fail(const std::string& what) {
  throw std::invalid_argument("results: " + what);
}

void check_fraction(double x, const std::string& what) {
  if (!(x >= 0.0 && x <= 1.0)) fail(what + " must lie in [0, 1]");
}

void check_finite(double x, const std::string& what) {
  if (!std::isfinite(x)) fail(what + " must be finite");
}

template <class T, class F>
void check_unique(const std::vector<T>& items, F key, const std::string& what) {
  std::set<std::string> seen;
  for (const auto& item : items) {
    const std::string& k = key(item);
    if (k.empty()) fail(what + " with an empty id");
    if (!seen.insert(k).second) fail(what + " \"" + k + "\" given twice");
  }
}

}  // namespace

// Long on purpose: one short block of checks per table of the model, in model.h's order.
namespace {

// The demand-met tables: known references, unique keys, fractions in [0, 1], finite non-negative Mbps.
template <class Variant, class Provider, class Terminal, class Fraction, class Key>
void validate_capacity(const Results& r, Variant known_variant, Provider known_provider,
                       Terminal known_terminal, Fraction check_fraction, Key unique_key) {
  const auto check_mbps = [](double v, const std::string& w) {
    if (!(v >= 0.0) || !std::isfinite(v))
      throw std::invalid_argument("report: " + w + " must be finite and >= 0");
  };
  for (const CapacityScope& x : r.capacity) {
    const std::string w =
        "capacity (" + x.scope + " " + x.scope_id + ", " + x.variant + ", " + x.provider + ")";
    known_variant(x.variant, w);
    known_provider(x.provider, w);
    if (x.scope == kScopeGroup ? r.group(x.scope_id) == nullptr : x.scope != kScopeRegion) {
      throw std::invalid_argument("report: " + w + ": unknown scope");
    }
    unique_key("capacity", {x.scope, x.scope_id, x.variant, x.provider});
    check_mbps(x.demand_mbps, w + ": demand_mbps");
    check_mbps(x.carried_mbps, w + ": carried_mbps");
    check_fraction(x.demand_met_fraction, w + ": demand_met_fraction");
    check_fraction(x.full_service_share, w + ": full_service_share");
  }
  for (const bool up : {false, true}) {
    const std::string table = up ? "terminal capacity up" : "terminal capacity";
    for (const TerminalCapacity& x : up ? r.terminal_capacity_up : r.terminal_capacity) {
      const std::string w = table + " (" + x.variant + ", " + x.provider + ", " + x.terminal + ")";
      known_variant(x.variant, w);
      known_provider(x.provider, w);
      known_terminal(x.terminal, w);
      unique_key(table, {x.variant, x.provider, x.terminal});
      for (double v : {x.demand_mbps, x.mean_mbps, x.p5_mbps, x.min_mbps}) check_mbps(v, w + ": Mbps");
      check_fraction(x.demand_met_fraction, w + ": demand_met_fraction");
      check_fraction(x.full_service_fraction, w + ": full_service_fraction");
    }
  }
  for (const CapacityScope& x : r.capacity_up) {
    const std::string w =
        "capacity up (" + x.scope + " " + x.scope_id + ", " + x.variant + ", " + x.provider + ")";
    known_variant(x.variant, w);
    known_provider(x.provider, w);
    if (x.scope != kScopeGroup || r.group(x.scope_id) == nullptr) {
      throw std::invalid_argument("report: " + w + ": unknown scope (the uplink's scopes are groups)");
    }
    unique_key("capacity up", {x.scope, x.scope_id, x.variant, x.provider});
    check_mbps(x.demand_mbps, w + ": demand_mbps");
    check_mbps(x.carried_mbps, w + ": carried_mbps");
    check_fraction(x.demand_met_fraction, w + ": demand_met_fraction");
    check_fraction(x.full_service_share, w + ": full_service_share");
  }
  for (const CapacityCellLayer& x : r.capacity_cells) {
    const std::string w = "capacity cells (" + x.variant + ", " + x.provider + ")";
    known_variant(x.variant, w);
    known_provider(x.provider, w);
    unique_key("capacity cells", {x.variant, x.provider});
    if (x.demand_mbps.size() != r.cells.size() || x.carried_mbps.size() != r.cells.size() ||
        x.demand_met_fraction.size() != r.cells.size()) {
      throw std::invalid_argument("report: " + w + ": one value per cell expected");
    }
    for (std::size_t i = 0; i < r.cells.size(); ++i) {
      check_mbps(x.demand_mbps[i], w + ": demand_mbps");
      check_mbps(x.carried_mbps[i], w + ": carried_mbps");
      check_fraction(x.demand_met_fraction[i], w + ": demand_met_fraction");
    }
  }
  for (const ProviderUsage& x : r.provider_usage) {
    const std::string w = "provider usage (" + x.variant + ", " + x.provider + ")";
    known_variant(x.variant, w);
    if (r.provider(x.provider) == nullptr) throw std::invalid_argument("report: " + w + ": unknown provider");
    unique_key("provider usage", {x.variant, x.provider});
    check_mbps(x.offered_mbps, w + ": offered_mbps");
    check_mbps(x.carried_mbps, w + ": carried_mbps");
    for (double f :
         {x.background_load, x.satellite_utilisation, x.saturated_satellite_share, x.saturated_cell_share})
      check_fraction(f, w + ": share");
    if (x.gateway_utilisation) check_fraction(*x.gateway_utilisation, w + ": gateway_utilisation");
  }
}

}  // namespace

void validate(const Results& r) {
  check_unique(
      r.providers, [](const ProviderInfo& p) -> const std::string& { return p.name; }, "provider");
  check_unique(
      r.variants, [](const Variant& v) -> const std::string& { return v.id; }, "variant");
  check_unique(
      r.cells, [](const CellInfo& c) -> const std::string& { return c.token; }, "cell");
  check_unique(
      r.groups, [](const TerminalGroup& g) -> const std::string& { return g.id; }, "terminal group");
  check_unique(
      r.terminals, [](const Terminal& t) -> const std::string& { return t.id; }, "terminal");
  if (r.run.scenario_name.empty()) fail("the run has no scenario name");
  if (r.run.stop < r.run.start) fail("the run stops before it starts");
  for (const auto& p : r.providers) {
    if (p.name == kAnyProvider) fail("a provider may not be named \"any\"");
    if (p.epoch_max < p.epoch_min) fail("provider \"" + p.name + "\": epoch_max before epoch_min");
  }
  for (std::size_t i = 0; i < r.load_issues.size(); ++i) {
    const LoadIssues& x = r.load_issues[i];
    if (r.provider(x.provider) == nullptr) fail("load issues of an unknown provider \"" + x.provider + "\"");
    if (std::none_of(r.variants.begin(), r.variants.end(),
                     [&](const Variant& v) { return v.id == x.variant; }))
      fail("load issues of provider \"" + x.provider + "\" in an unknown variant \"" + x.variant + "\"");
    for (std::size_t j = 0; j < i; ++j) {
      if (r.load_issues[j].provider == x.provider && r.load_issues[j].variant == x.variant)
        fail("load issues of provider \"" + x.provider + "\" in variant \"" + x.variant + "\" given twice");
    }
  }
  if (r.variants.empty() || r.variants.front().kind != VariantKind::baseline) {
    fail("the first variant must be the baseline");
  }
  for (std::size_t i = 1; i < r.variants.size(); ++i) {
    if (r.variants[i].kind == VariantKind::baseline) fail("only the first variant may be the baseline");
  }
  const auto known_variant = [&](const std::string& v, const std::string& where) {
    if (r.variant(v) == nullptr) fail(where + ": unknown variant \"" + v + "\"");
  };
  const auto known_provider = [&](const std::string& p, const std::string& where) {
    if (p != kAnyProvider && r.provider(p) == nullptr) fail(where + ": unknown provider \"" + p + "\"");
  };
  for (const auto& v : r.variants) {
    if (!v.provider.empty()) known_provider(v.provider, "variant \"" + v.id + "\"");
  }
  for (const auto& c : r.cells) {
    const std::string w = "cell \"" + c.token + "\"";
    if (!(std::fabs(c.lat_deg) <= 90.0) || !std::isfinite(c.lon_deg)) fail(w + ": bad centre");
    if (!(c.area_km2 >= 0.0) || !std::isfinite(c.area_km2)) fail(w + ": bad area_km2");
    for (const auto& v : c.vertices) {
      if (!(std::fabs(v.lat_deg) <= 90.0) || !std::isfinite(v.lon_deg)) fail(w + ": bad vertex");
    }
  }
  std::set<std::pair<std::string, std::string>> layers;
  for (const auto& l : r.cell_layers) {
    const std::string w = "cell layer (" + l.variant + ", " + l.provider + ")";
    known_variant(l.variant, w);
    known_provider(l.provider, w);
    if (!layers.emplace(l.variant, l.provider).second) fail(w + " given twice");
    if (l.stats.size() != r.cells.size()) fail(w + ": one stat per cell expected");
    for (const auto& s : l.stats) {
      check_fraction(s.coverage_fraction, w + ": coverage_fraction");
      check_fraction(s.served_fraction, w + ": served_fraction");
      check_finite(s.mean_visible, w + ": mean_visible");
      check_finite(s.max_gap_s, w + ": max_gap_s");
    }
  }
  for (const auto& t : r.terminals) {
    const std::string w = "terminal \"" + t.id + "\"";
    if (r.group(t.group) == nullptr) fail(w + ": unknown group \"" + t.group + "\"");
    if (!(std::fabs(t.lat_deg) <= 90.0) || !std::isfinite(t.lon_deg)) fail(w + ": bad location");
    for (std::size_t k = 0; k < t.track.size(); ++k) {
      const TrackPoint& p = t.track[k];
      if (!(std::fabs(p.lat_deg) <= 90.0) || !std::isfinite(p.lon_deg)) fail(w + ": bad track location");
      if (k > 0 && !(t.track[k - 1].time < p.time)) fail(w + ": track times not increasing");
    }
  }
  const auto known_terminal = [&](const std::string& id, const std::string& where) {
    for (const auto& t : r.terminals) {
      if (t.id == id) return;
    }
    fail(where + ": unknown terminal \"" + id + "\"");
  };
  for (const auto& s : r.terminal_service) {
    const std::string w = "terminal service (" + s.variant + ", " + s.provider + ", " + s.terminal + ")";
    known_variant(s.variant, w);
    known_provider(s.provider, w);
    known_terminal(s.terminal, w);
    check_fraction(s.coverage_fraction, w + ": coverage_fraction");
    check_fraction(s.served_fraction, w + ": served_fraction");
  }
  for (const auto& l : r.latency) {
    const std::string w = "latency (" + l.variant + ", " + l.provider + ", " + l.src + " -> " + l.dst + ")";
    known_variant(l.variant, w);
    known_provider(l.provider, w);
    check_fraction(l.unreachable_fraction, w + ": unreachable_fraction");
    for (double x : {l.min_rtt_ms, l.median_rtt_ms, l.p95_rtt_ms, l.max_rtt_ms}) check_finite(x, w + ": RTT");
    for (double x : l.rtt_samples_ms) check_finite(x, w + ": RTT sample");
  }
  for (const auto& t : r.timeseries) {
    const std::string w = "time series (" + t.variant + ", " + t.provider + ", " + t.site + ")";
    known_variant(t.variant, w);
    known_provider(t.provider, w);
    if (t.t_s.size() != t.satellites_in_view.size())
      fail(w + ": t_s and satellites_in_view differ in length");
    for (std::size_t i = 0; i < t.t_s.size(); ++i) {
      check_finite(t.t_s[i], w + ": t_s");
      check_finite(t.satellites_in_view[i], w + ": satellites_in_view");
      if (i > 0 && !(t.t_s[i] > t.t_s[i - 1])) fail(w + ": t_s must increase");
    }
  }
  // Keys of the row tables (docs/results.md) are unique.
  std::set<std::string> keys;
  const auto unique_key = [&](const std::string& table, std::initializer_list<std::string_view> parts) {
    std::string k = table;
    for (auto p : parts) {
      k += '\x1f';
      k += p;
    }
    if (!keys.insert(k).second) {
      std::string shown;
      for (auto p : parts) shown += (shown.empty() ? "" : ", ") + std::string(p);
      fail(table + " (" + shown + ") given twice");
    }
  };
  for (const auto& s : r.terminal_service)
    unique_key("terminal service", {s.variant, s.provider, s.terminal});
  for (const auto& l : r.latency) unique_key("latency", {l.variant, l.provider, l.src, l.dst});
  for (const auto& t : r.timeseries) unique_key("time series", {t.variant, t.provider, t.site});
  for (const auto& p : r.passes) {
    const std::string aos = time::format_iso8601(p.aos, 3);  // as stored (internal/tables.h)
    const std::string w =
        "pass (" + p.provider + ", " + p.terminal + ", " + std::to_string(p.norad_id) + ", " + aos + ")";
    if (r.provider(p.provider) == nullptr) fail(w + ": unknown provider \"" + p.provider + "\"");
    known_terminal(p.terminal, w);
    if (!(p.aos <= p.tca && p.tca <= p.los)) fail(w + ": aos <= tca <= los expected");
    if (!(std::fabs(p.max_elevation_deg) <= 90.0)) fail(w + ": max_elevation_deg must lie in [-90, 90]");
    unique_key("pass", {p.provider, p.terminal, std::to_string(p.norad_id), aos});
  }
  std::vector<std::pair<std::string, std::uint32_t>> satellite_ids;  // sorted, for failed_satellites
  for (const auto& e : r.satellites) satellite_ids.emplace_back(e.provider, e.norad_id);
  std::sort(satellite_ids.begin(), satellite_ids.end());
  for (const auto& e : r.satellites) {
    const std::string w = "satellite (" + e.provider + ", " + std::to_string(e.norad_id) + ")";
    if (r.provider(e.provider) == nullptr) fail(w + ": unknown provider \"" + e.provider + "\"");
    for (double v : {e.mean_motion_rev_per_day, e.eccentricity, e.inclination_deg, e.raan_deg,
                     e.arg_perigee_deg, e.mean_anomaly_deg, e.bstar, e.mean_motion_dot, e.mean_motion_ddot})
      check_finite(v, w + ": elements");
    unique_key("satellite", {e.provider, std::to_string(e.norad_id)});
  }
  for (const auto& vs : r.variant_satellites) {
    const Variant* v = r.variant(vs.variant);
    if (v == nullptr || v->kind != VariantKind::catalog_swap)
      fail("variant satellites (" + vs.variant + "): not a catalog-swap variant");
    unique_key("variant satellites", {vs.variant});
    for (const auto& e : vs.satellites) {
      const std::string w =
          "variant satellite (" + vs.variant + ", " + e.provider + ", " + std::to_string(e.norad_id) + ")";
      if (e.provider != v->provider) fail(w + ": the variant's provider is \"" + v->provider + "\"");
      for (double x : {e.mean_motion_rev_per_day, e.eccentricity, e.inclination_deg, e.raan_deg,
                       e.arg_perigee_deg, e.mean_anomaly_deg, e.bstar, e.mean_motion_dot, e.mean_motion_ddot})
        check_finite(x, w + ": elements");
      unique_key("variant satellite", {vs.variant, std::to_string(e.norad_id)});
    }
  }
  for (const auto& fs : r.failed_satellites) {
    const Variant* v = r.variant(fs.variant);
    if (v == nullptr || v->kind != VariantKind::satellite_failure)
      fail("failed satellites (" + fs.variant + "): not a satellite-failure variant");
    unique_key("failed satellites", {fs.variant});
    if (!std::is_sorted(fs.norad_ids.begin(), fs.norad_ids.end()) ||
        std::adjacent_find(fs.norad_ids.begin(), fs.norad_ids.end()) != fs.norad_ids.end())
      fail("failed satellites (" + fs.variant + "): NORAD ids not increasing");
    for (std::uint32_t id : fs.norad_ids) {
      if (!std::binary_search(satellite_ids.begin(), satellite_ids.end(), std::pair{v->provider, id}))
        fail("failed satellite (" + fs.variant + ", " + std::to_string(id) + "): not one of " + v->provider +
             "'s satellites");
    }
  }
  for (const auto& g : r.ground_stations) {
    const std::string w = "ground station (" + g.provider + ", " + g.kind + ", " + g.id + ")";
    if (r.provider(g.provider) == nullptr) fail(w + ": unknown provider \"" + g.provider + "\"");
    if (g.kind != "gateway" && g.kind != "pop") fail(w + ": kind must be \"gateway\" or \"pop\"");
    if (!(std::fabs(g.lat_deg) <= 90.0) || !std::isfinite(g.lon_deg)) fail(w + ": bad location");
    unique_key("ground station", {g.provider, g.kind, g.id});
  }
  for (const auto& x : r.policy_regions) {
    const std::string w = "policy region (" + x.variant + ", " + x.provider + ", " + x.rule + ")";
    if (r.variant(x.variant) == nullptr) fail(w + ": unknown variant \"" + x.variant + "\"");
    if (r.provider(x.provider) == nullptr) fail(w + ": unknown provider \"" + x.provider + "\"");
    if (x.side != "inside" && x.side != "outside") fail(w + ": side must be \"inside\" or \"outside\"");
    for (const auto& polygon : x.polygons) {
      for (const auto& ring : polygon) {
        for (const auto& v : ring) {
          if (!(std::fabs(v.lat_deg) <= 90.0) || !std::isfinite(v.lon_deg)) fail(w + ": bad vertex");
        }
      }
    }
  }
  for (const auto& x : r.terminal_states) {
    const std::string w = "terminal state (" + x.variant + ", " + x.provider + ", " + x.terminal + ", " +
                          std::to_string(x.first_step) + ")";
    if (r.variant(x.variant) == nullptr) fail(w + ": unknown variant \"" + x.variant + "\"");
    if (r.provider(x.provider) == nullptr) fail(w + ": unknown provider \"" + x.provider + "\"");
    known_terminal(x.terminal, w);
    if (r.run.step_count > 0 && x.first_step >= r.run.step_count) fail(w + ": beyond the run's steps");
    unique_key("terminal state", {x.variant, x.provider, x.terminal, std::to_string(x.first_step)});
  }
  for (const auto& x : r.routes) {
    const std::string at = time::format_iso8601(x.time, 3);  // as stored (internal/tables.h)
    const std::string w = "route (" + x.variant + ", " + x.provider + ", " + x.terminal + ", " + at + ")";
    if (r.variant(x.variant) == nullptr) fail(w + ": unknown variant \"" + x.variant + "\"");
    if (r.provider(x.provider) == nullptr) fail(w + ": unknown provider \"" + x.provider + "\"");
    known_terminal(x.terminal, w);
    if (!x.path.empty() && !(std::isfinite(x.rtt_ms) && x.rtt_ms >= 0.0)) fail(w + ": bad rtt_ms");
    unique_key("route", {x.variant, x.provider, x.terminal, at});
  }
  for (const auto& x : r.reliance) {
    unique_key("reliance", {x.scope, x.scope_id, x.variant});
    for (const auto& p : x.providers)
      unique_key("reliance provider", {x.scope, x.scope_id, x.variant, p.provider});
  }
  for (const auto& x : r.reliance) {
    const std::string w = "reliance (" + x.scope + " " + x.scope_id + ", " + x.variant + ")";
    known_variant(x.variant, w);
    if (x.scope == kScopeGroup) {
      if (r.group(x.scope_id) == nullptr) fail(w + ": unknown group");
    } else if (x.scope != kScopeRegion) {
      fail(w + ": scope must be \"region\" or \"group\"");
    }
    for (const auto& p : x.providers) {
      known_provider(p.provider, w);
      check_fraction(p.served_share, w + ": served_share");
      check_fraction(p.sole_share, w + ": sole_share");
    }
    for (double f :
         {x.served_share_any, x.single_provider_share, x.lost_share, x.recovered_share, x.net_loss_share}) {
      check_fraction(f, w + ": share");
    }
  }
  validate_capacity(r, known_variant, known_provider, known_terminal, check_fraction, unique_key);
}

}  // namespace skyfence::report

namespace skyfence::report {

namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
}  // namespace

double region_mean(const Results& r, std::string_view variant, std::string_view provider,
                   double CellStat::*field) {
  const CellLayer* l = r.cell_layer(variant, provider);
  if (l == nullptr || r.cells.empty()) return kNaN;
  return weighted_mean(
      r.cells.size(), [&](std::size_t i) { return l->stats[i].*field; },
      [&](std::size_t i) { return r.cells[i].area_km2; }, kNaN);
}

double group_mean(const Results& r, std::string_view group, std::string_view variant,
                  std::string_view provider, double TerminalService::*field) {
  std::set<std::string_view> members;
  for (const auto& t : r.terminals) {
    if (t.group == group) members.insert(t.id);
  }
  double sum = 0.0;
  int n = 0;
  for (const auto& s : r.terminal_service) {
    if (s.variant == variant && s.provider == provider && members.count(s.terminal) != 0) {
      sum += s.*field;
      ++n;
    }
  }
  return n > 0 ? sum / n : kNaN;
}

ScopeService scope_service(const Results& r, std::string_view scope, std::string_view scope_id,
                           std::string_view variant, std::string_view provider) {
  if (scope == kScopeRegion) {
    return {region_mean(r, variant, provider, &CellStat::coverage_fraction),
            region_mean(r, variant, provider, &CellStat::served_fraction)};
  }
  return {group_mean(r, scope_id, variant, provider, &TerminalService::coverage_fraction),
          group_mean(r, scope_id, variant, provider, &TerminalService::served_fraction)};
}

double served_share_any(const Results& r, std::string_view scope, std::string_view scope_id,
                        std::string_view variant) {
  if (const Reliance* x = r.reliance_row(scope, scope_id, variant)) return x->served_share_any;
  if (scope == kScopeRegion) return region_mean(r, variant, kAnyProvider, &CellStat::served_fraction);
  return group_mean(r, scope_id, variant, kAnyProvider, &TerminalService::served_fraction);
}

std::optional<DemandDrop> largest_demand_drop(const Results& r, std::string_view scope,
                                              std::string_view scope_id) {
  const CapacityScope* base = r.capacity_row(scope, scope_id, r.variants.front().id, kAnyProvider);
  if (base == nullptr) return std::nullopt;
  std::optional<DemandDrop> best;
  for (std::size_t v = 1; v < r.variants.size(); ++v) {
    const CapacityScope* x = r.capacity_row(scope, scope_id, r.variants[v].id, kAnyProvider);
    if (x == nullptr) continue;
    const double lost = base->carried_mbps - x->carried_mbps;
    if (lost > 0.0 && (!best || lost > best->lost_mbps)) {
      best = DemandDrop{r.variants[v].id, base->demand_met_fraction, x->demand_met_fraction, lost};
    }
  }
  return best;
}

std::optional<ServiceDrop> largest_region_drop(const Results& r) {
  std::optional<ServiceDrop> worst;
  const double b = served_share_any(r, kScopeRegion, r.run.region_name, r.variants.front().id);
  if (std::isnan(b)) return worst;
  for (std::size_t v = 1; v < r.variants.size(); ++v) {
    const double d = served_share_any(r, kScopeRegion, r.run.region_name, r.variants[v].id);
    if (std::isnan(d)) continue;
    if (!worst || b - d > worst->drop) worst = ServiceDrop{r.variants[v].id, b - d};
  }
  if (worst && !(worst->drop >= 0.0)) worst.reset();
  return worst;
}

std::optional<CellChange> cell_change(const Results& r, std::string_view variant) {
  const Variant* var = r.variant(variant);
  if (var == nullptr) return std::nullopt;
  const std::string& bv = r.variants.front().id;
  const CellLayer* any_b = r.cell_layer(bv, kAnyProvider);
  const CellLayer* any_v = r.cell_layer(variant, kAnyProvider);
  if (any_b == nullptr || any_v == nullptr) return std::nullopt;
  const CellLayer* p_b = var->provider.empty() ? nullptr : r.cell_layer(bv, var->provider);
  const CellLayer* p_v = var->provider.empty() ? nullptr : r.cell_layer(variant, var->provider);
  const std::size_t n = r.cells.size();
  CellChange c{std::vector<double>(n), std::vector<double>(n), std::vector<double>(n)};
  for (std::size_t i = 0; i < n; ++i) {
    const double any_before = any_b->stats[i].served_fraction, any_after = any_v->stats[i].served_fraction;
    c.gained[i] = std::max(0.0, any_after - any_before);
    // Exact when the variant only removes p's service: the time lost to every provider is then part of
    // the time p lost (docs/report.md, "Maps of a variant").
    const double lost = p_b == nullptr
                            ? 0.0
                            : std::max(0.0, p_b->stats[i].served_fraction -
                                                (p_v == nullptr ? 0.0 : p_v->stats[i].served_fraction));
    const double net = std::max(0.0, any_before - any_after);
    c.lost[i] = lost;
    c.recovered[i] = lost > 0.0 ? std::clamp((lost - net) / lost, 0.0, 1.0) : kNaN;
  }
  return c;
}

std::vector<PooledRtt> pooled_internet_rtt(const Results& r) {
  std::vector<PooledRtt> out;
  for (const auto& l : r.latency) {
    if (l.dst != kInternet || l.rtt_samples_ms.empty()) continue;
    auto it = std::find_if(out.begin(), out.end(), [&](const PooledRtt& x) {
      return x.variant == l.variant && x.provider == l.provider;
    });
    if (it == out.end()) it = out.insert(out.end(), PooledRtt{l.variant, l.provider, {}});
    it->samples_ms.insert(it->samples_ms.end(), l.rtt_samples_ms.begin(), l.rtt_samples_ms.end());
  }
  for (auto& x : out) std::sort(x.samples_ms.begin(), x.samples_ms.end());
  return out;
}

double epoch_age_days(const RunInfo& run, const ProviderInfo& provider) {
  return (run.start - provider.epoch_min).to_days();
}

EpochFreshness epoch_freshness(double age_days) {
  if (age_days < 3.0) return EpochFreshness::fresh;
  if (age_days < 14.0) return EpochFreshness::ageing;
  return EpochFreshness::stale;
}

std::string_view to_string(EpochFreshness freshness) {
  switch (freshness) {
    case EpochFreshness::fresh:
      return "fresh";
    case EpochFreshness::ageing:
      return "ageing";
    case EpochFreshness::stale:
      return "stale";
  }
  return "unknown";
}

}  // namespace skyfence::report
