#include "skyfence/report/internal/tables.h"

#include <cmath>
#include <limits>
#include <stdexcept>

#include <fmt/format.h>

#include "skyfence/time/scales.h"

namespace skyfence::report::internal {

std::string utc_text(time::Instant t) {
  return time::format_iso8601(t, 3);
}

std::string geojson_multipolygon(const std::vector<std::vector<earth::Ring>>& polygons) {
  std::string out = "{\"type\":\"MultiPolygon\",\"coordinates\":[";
  for (std::size_t p = 0; p < polygons.size(); ++p) {
    out += p == 0 ? "[" : ",[";
    for (std::size_t r = 0; r < polygons[p].size(); ++r) {
      out += r == 0 ? "[" : ",[";
      for (std::size_t v = 0; v < polygons[p][r].size(); ++v) {
        out += fmt::format("{}[{:.3f},{:.3f}]", v == 0 ? "" : ",", polygons[p][r][v].lon_deg,
                           polygons[p][r][v].lat_deg);
      }
      out += "]";
    }
    out += "]";
  }
  return out + "]}";
}

namespace {

constexpr auto I = ColumnType::integer;
constexpr auto R = ColumnType::real;
constexpr auto T = ColumnType::text;

Value integer(std::uint64_t x) {
  if (x > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
    throw std::invalid_argument("results: integer " + std::to_string(x) +
                                " exceeds the store's 64-bit range");
  }
  return static_cast<std::int64_t>(x);
}

Value text_or_null(const std::string& s) {
  if (s.empty()) return std::monostate{};
  return s;
}

}  // namespace

// Long on purpose: one short block per table, in the order and with the columns of docs/results.md,
// so that the schema reads top to bottom as the document does.
namespace {

// A satellite's element columns (the satellites and variant_satellites tables), after `key`'s.
std::vector<Column> with_element_columns(std::vector<Column> key) {
  for (const char* name :
       {"mean_motion_rev_per_day", "eccentricity", "inclination_deg", "raan_deg", "arg_perigee_deg",
        "mean_anomaly_deg", "bstar", "mean_motion_dot", "mean_motion_ddot"})
    key.push_back({name, R});
  return key;
}

// `key`'s values, then satellite e's elements, as with_element_columns lays them out.
std::vector<Value> with_element_values(std::vector<Value> key, const SatelliteElements& e) {
  for (const double x :
       {e.mean_motion_rev_per_day, e.eccentricity, e.inclination_deg, e.raan_deg, e.arg_perigee_deg,
        e.mean_anomaly_deg, e.bstar, e.mean_motion_dot, e.mean_motion_ddot})
    key.emplace_back(x);
  return key;
}

// One row per scope (docs/capacity.md): the capacity table, or the uplink's.
Table capacity_scope_table(const std::string& name, const std::vector<CapacityScope>& rows) {
  Table t{name,
          {{"scope", T},
           {"scope_id", T},
           {"variant", T},
           {"provider", T},
           {"demand_mbps", R},
           {"carried_mbps", R},
           {"demand_met_fraction", R},
           {"full_service_share", R}},
          {"scope", "scope_id", "variant", "provider"},
          {}};
  for (const auto& x : rows) {
    t.rows.push_back({x.scope, x.scope_id, x.variant, x.provider, x.demand_mbps, x.carried_mbps,
                      x.demand_met_fraction, x.full_service_share});
  }
  return t;
}

// One row per terminal and provider: the terminal_capacity table, or the uplink's.
Table terminal_capacity_table(const std::string& name, const std::vector<TerminalCapacity>& rows) {
  Table t{name,
          {{"variant", T},
           {"provider", T},
           {"terminal", T},
           {"demand_mbps", R},
           {"mean_mbps", R},
           {"p5_mbps", R},
           {"min_mbps", R},
           {"demand_met_fraction", R},
           {"full_service_fraction", R}},
          {"variant", "provider", "terminal"},
          {}};
  for (const auto& x : rows) {
    t.rows.push_back({x.variant, x.provider, x.terminal, x.demand_mbps, x.mean_mbps, x.p5_mbps, x.min_mbps,
                      x.demand_met_fraction, x.full_service_fraction});
  }
  return t;
}

// The demand-met tables (docs/capacity.md): per scope, per terminal, and each provider's usage; then the
// uplink's two when it has rows or `every_table` (a store without uplink demand is as it was before the
// uplink existed).
void append_capacity_tables(const Results& r, bool every_table, std::vector<Table>& out) {
  Table capacity = capacity_scope_table("capacity", r.capacity);
  Table terminal_capacity = terminal_capacity_table("terminal_capacity", r.terminal_capacity);
  Table usage{"provider_usage",
              {{"variant", T},
               {"provider", T},
               {"background_load", R},
               {"offered_mbps", R},
               {"carried_mbps", R},
               {"satellite_utilisation", R},
               {"saturated_satellite_share", R},
               {"saturated_cell_share", R},
               {"gateway_utilisation", R, true}},
              {"variant", "provider"},
              {}};
  for (const auto& x : r.provider_usage) {
    usage.rows.push_back({x.variant, x.provider, x.background_load, x.offered_mbps, x.carried_mbps,
                          x.satellite_utilisation, x.saturated_satellite_share, x.saturated_cell_share,
                          x.gateway_utilisation ? Value(*x.gateway_utilisation) : Value(std::monostate{})});
  }
  Table cells{"capacity_cells",
              {{"variant", T},
               {"provider", T},
               {"cell_token", T},
               {"demand_mbps", R},
               {"carried_mbps", R},
               {"demand_met_fraction", R}},
              {"variant", "provider", "cell_token"},
              {}};
  for (const auto& x : r.capacity_cells) {
    for (std::size_t i = 0; i < r.cells.size(); ++i) {
      cells.rows.push_back({x.variant, x.provider, r.cells[i].token, x.demand_mbps[i], x.carried_mbps[i],
                            x.demand_met_fraction[i]});
    }
  }
  out.push_back(std::move(capacity));
  out.push_back(std::move(cells));
  out.push_back(std::move(terminal_capacity));
  out.push_back(std::move(usage));
  if (every_table || !r.capacity_up.empty() || !r.terminal_capacity_up.empty()) {
    out.push_back(capacity_scope_table("capacity_up", r.capacity_up));
    out.push_back(terminal_capacity_table("terminal_capacity_up", r.terminal_capacity_up));
  }
}

// The leakage and collateral study (docs/enforcement.md): one row per setting, and per setting and
// terminal group; empty tables when the scenario has no study.
void append_enforcement_tables(const Results& r, std::vector<Table>& out) {
  Table settings{"enforcement",
                 {{"provider", T},
                  {"region", T},
                  {"setting", T},
                  {"level", I, true},
                  {"mode", T},
                  {"leakage_km2_h", R},
                  {"leakage_share", R},
                  {"collateral_km2_h", R},
                  {"collateral_share", R},
                  {"leakage_terminal_h", R},
                  {"collateral_terminal_h", R}},
                 {"setting"},
                 {}};
  Table groups{"enforcement_groups",
               {{"setting", T},
                {"group_id", T},
                {"role", T},
                {"terminals", I},
                {"terminal_h", R},
                {"served_h", R},
                {"denied_h", R},
                {"speed_denied_h", R}},
               {"setting", "group_id"},
               {}};
  if (r.enforcement) {
    const EnforcementStudy& e = *r.enforcement;
    for (const EnforcementSettingResult& x : e.settings) {
      settings.rows.push_back(
          {e.provider, e.region, x.setting,
           x.level < 0 ? Value(std::monostate{}) : Value(static_cast<std::int64_t>(x.level)), x.mode,
           x.leakage_km2_h, x.leakage_share, x.collateral_km2_h, x.collateral_share, x.leakage_terminal_h,
           x.collateral_terminal_h});
    }
    for (const EnforcementGroupResult& g : e.groups) {
      groups.rows.push_back({g.setting, g.group, std::string(g.hostile ? "hostile" : "friendly"),
                             integer(g.terminals), g.terminal_h, g.served_h, g.denied_h, g.speed_denied_h});
    }
  }
  out.push_back(std::move(settings));
  out.push_back(std::move(groups));
}

}  // namespace

std::vector<Table> build_tables(const Results& r, bool every_table) {
  std::vector<Table> out;

  Table runs{"runs",
             {{"scenario_name", T},
              {"scenario_path", T, true},
              {"seed", I},
              {"start_utc", T},
              {"stop_utc", T},
              {"step_s", R},
              {"step_count", I},
              {"region_name", T},
              {"region_area_km2", R},
              {"software_version", T},
              {"created_utc", T}},
             {"scenario_name"},
             {}};
  runs.rows.push_back({r.run.scenario_name, text_or_null(r.run.scenario_path), integer(r.run.seed),
                       utc_text(r.run.start), utc_text(r.run.stop), r.run.step.to_seconds(),
                       integer(r.run.step_count), r.run.region_name, r.run.region_area_km2,
                       r.run.software_version, utc_text(r.run.created)});
  out.push_back(std::move(runs));

  Table inputs{"inputs", {{"input_index", I}, {"role", T}, {"path", T}}, {"input_index"}, {}};
  for (std::size_t i = 0; i < r.run.inputs.size(); ++i) {
    inputs.rows.push_back({integer(i), r.run.inputs[i].role, r.run.inputs[i].path});
  }
  out.push_back(std::move(inputs));

  Table providers{"providers",
                  {{"provider", T},
                   {"source", T},
                   {"satellite_count", I},
                   {"epoch_min_utc", T},
                   {"epoch_max_utc", T},
                   {"epoch_age_max_days", R},
                   {"min_elevation_deg", R},
                   {"policy", T, true},
                   {"status", T},
                   {"service_model", T, true},
                   {"isl", T},
                   {"isl_pairing", T, true},
                   {"isl_shift", I, true},
                   {"isl_file", T, true},
                   {"isl_max_range_km", R, true},
                   {"gateway_min_elevation_deg", R, true},
                   {"gsl_max_range_km", R, true},
                   {"hypatia_state", T, true}},
                  {"provider"},
                  {}};
  for (const auto& p : r.providers) {
    // NULL where a choice does not apply: no shift but same-index's, no gateway mask under a slant range.
    const auto positive_or_null = [](double x) { return x > 0.0 ? Value(x) : Value(); };
    providers.rows.push_back({p.name, p.source, integer(p.satellite_count), utc_text(p.epoch_min),
                              utc_text(p.epoch_max), epoch_age_days(r.run, p), p.min_elevation_deg,
                              text_or_null(p.policy), p.status, text_or_null(p.service_model), p.isl,
                              text_or_null(p.isl_pairing),
                              p.isl_pairing == "same-index" ? Value(p.isl_shift) : Value(),
                              text_or_null(p.isl_file), positive_or_null(p.isl_max_range_km),
                              p.gsl_max_range_km > 0.0 ? Value() : Value(p.gateway_min_elevation_deg),
                              positive_or_null(p.gsl_max_range_km), text_or_null(p.hypatia_state)});
  }
  out.push_back(std::move(providers));

  Table load_issues{"load_issues",
                    {{"provider", T},
                     {"variant", T},
                     {"records_rejected", I},
                     {"records_with_warnings", I},
                     {"non_payloads_left_out", I},
                     {"duplicates_dropped", I},
                     {"stale_element_sets", I},
                     {"sgp4_init_failures", I},
                     {"sgp4_failed_states", I}},
                    {"provider", "variant"},
                    {}};
  for (const auto& x : r.load_issues) {
    load_issues.rows.push_back({x.provider, x.variant, integer(x.records_rejected),
                                integer(x.records_with_warnings), integer(x.non_payloads_left_out),
                                integer(x.duplicates_dropped), integer(x.stale_element_sets),
                                integer(x.sgp4_init_failures), integer(x.sgp4_failed_states)});
  }
  out.push_back(std::move(load_issues));

  Table variants{"variants",
                 {{"variant_index", I},
                  {"variant", T},
                  {"kind", T},
                  {"description", T},
                  {"affected_provider", T, true},
                  {"catalog", T, true},
                  {"satellite_count", I, true},
                  {"time_shift_days", R, true},
                  {"satellites_start_utc", T, true},
                  {"satellites_stop_utc", T, true}},
                 {"variant"},
                 {}};
  for (std::size_t i = 0; i < r.variants.size(); ++i) {
    const auto& v = r.variants[i];
    std::vector<Value> row{integer(i), v.id, std::string(to_string(v.kind)), v.description,
                           text_or_null(v.provider)};
    if (v.kind == VariantKind::catalog_swap) {
      // The window as the swapped-in satellites lived it.
      row.insert(row.end(), {v.catalog, integer(v.satellite_count), v.time_shift.to_seconds() / 86400.0,
                             utc_text(r.run.start - v.time_shift), utc_text(r.run.stop - v.time_shift)});
    } else {
      row.insert(row.end(), 5, std::monostate{});
    }
    variants.rows.push_back(std::move(row));
  }
  out.push_back(std::move(variants));

  Table cells{
      "cells", {{"cell_token", T}, {"lat_deg", R}, {"lon_deg", R}, {"area_km2", R}}, {"cell_token"}, {}};
  for (int k = 0; k < 4; ++k) {
    cells.columns.push_back({"v" + std::to_string(k) + "_lon_deg", R});
    cells.columns.push_back({"v" + std::to_string(k) + "_lat_deg", R});
  }
  for (const auto& c : r.cells) {
    std::vector<Value> row{c.token, c.lat_deg, c.lon_deg, c.area_km2};
    for (const auto& v : c.vertices) {
      row.emplace_back(v.lon_deg);
      row.emplace_back(v.lat_deg);
    }
    cells.rows.push_back(std::move(row));
  }
  out.push_back(std::move(cells));

  Table cell_stats{"cell_stats",
                   {{"variant", T},
                    {"provider", T},
                    {"cell_token", T},
                    {"coverage_fraction", R},
                    {"served_fraction", R},
                    {"mean_visible", R},
                    {"min_visible", I},
                    {"max_visible", I},
                    {"max_gap_s", R},
                    {"gap_count", I}},
                   {"variant", "provider", "cell_token"},
                   {}};
  for (const auto& l : r.cell_layers) {
    for (std::size_t i = 0; i < l.stats.size(); ++i) {
      const auto& s = l.stats[i];
      cell_stats.rows.push_back({l.variant, l.provider, r.cells[i].token, s.coverage_fraction,
                                 s.served_fraction, s.mean_visible, integer(s.min_visible),
                                 integer(s.max_visible), s.max_gap_s, integer(s.gap_count)});
    }
  }
  out.push_back(std::move(cell_stats));

  Table groups{"terminal_groups", {{"group_id", T}, {"name", T}, {"customer_class", T}}, {"group_id"}, {}};
  for (const auto& g : r.groups) groups.rows.push_back({g.id, g.name, g.customer_class});
  out.push_back(std::move(groups));

  Table terminals{"terminals",
                  {{"terminal_id", T},
                   {"name", T},
                   {"lat_deg", R},
                   {"lon_deg", R},
                   {"group_id", T},
                   {"customer_class", T}},
                  {"terminal_id"},
                  {}};
  for (const auto& t : r.terminals) {
    terminals.rows.push_back({t.id, t.name, t.lat_deg, t.lon_deg, t.group, t.customer_class});
  }
  out.push_back(std::move(terminals));

  Table tracks{"terminal_tracks",
               {{"terminal_id", T}, {"time_utc", T}, {"lat_deg", R}, {"lon_deg", R}},
               {"terminal_id", "time_utc"},
               {}};
  for (const auto& t : r.terminals) {
    for (const TrackPoint& p : t.track) tracks.rows.push_back({t.id, utc_text(p.time), p.lat_deg, p.lon_deg});
  }
  out.push_back(std::move(tracks));

  Table service{"terminal_service",
                {{"variant", T},
                 {"provider", T},
                 {"terminal_id", T},
                 {"coverage_fraction", R},
                 {"served_fraction", R},
                 {"decision", T},
                 {"reason", T}},
                {"variant", "provider", "terminal_id"},
                {}};
  for (const auto& s : r.terminal_service) {
    service.rows.push_back({s.variant, s.provider, s.terminal, s.coverage_fraction, s.served_fraction,
                            std::string(to_string(s.decision)), s.reason});
  }
  out.push_back(std::move(service));

  Table latency{"latency_summaries",
                {{"variant", T},
                 {"provider", T},
                 {"src", T},
                 {"dst", T},
                 {"min_rtt_ms", R},
                 {"median_rtt_ms", R},
                 {"p95_rtt_ms", R},
                 {"max_rtt_ms", R},
                 {"path_changes", I},
                 {"unreachable_fraction", R},
                 {"sample_count", I}},
                {"variant", "provider", "src", "dst"},
                {}};
  Table samples{"latency_samples",
                {{"variant", T}, {"provider", T}, {"src", T}, {"dst", T}, {"sample_index", I}, {"rtt_ms", R}},
                {"variant", "provider", "src", "dst", "sample_index"},
                {}};
  for (const auto& l : r.latency) {
    latency.rows.push_back({l.variant, l.provider, l.src, l.dst, l.min_rtt_ms, l.median_rtt_ms, l.p95_rtt_ms,
                            l.max_rtt_ms, integer(l.path_changes), l.unreachable_fraction,
                            integer(l.rtt_samples_ms.size())});
    for (std::size_t i = 0; i < l.rtt_samples_ms.size(); ++i) {
      samples.rows.push_back({l.variant, l.provider, l.src, l.dst, integer(i), l.rtt_samples_ms[i]});
    }
  }
  out.push_back(std::move(latency));
  out.push_back(std::move(samples));

  Table series{"timeseries",
               {{"variant", T},
                {"provider", T},
                {"site", T},
                {"sample_index", I},
                {"t_s", R},
                {"time_utc", T},
                {"satellites_in_view", R}},
               {"variant", "provider", "site", "sample_index"},
               {}};
  for (const auto& t : r.timeseries) {
    for (std::size_t i = 0; i < t.t_s.size(); ++i) {
      series.rows.push_back({t.variant, t.provider, t.site, integer(i), t.t_s[i],
                             utc_text(r.run.start + time::Duration::seconds(t.t_s[i])),
                             t.satellites_in_view[i]});
    }
  }
  out.push_back(std::move(series));

  Table passes{"passes",
               {{"provider", T},
                {"terminal_id", T},
                {"norad_id", I},
                {"satellite", T},
                {"aos_utc", T},
                {"tca_utc", T},
                {"los_utc", T},
                {"duration_s", R},
                {"max_elevation_deg", R},
                {"aos_clipped", I},
                {"los_clipped", I}},
               {"provider", "terminal_id", "norad_id", "aos_utc"},
               {}};
  for (const auto& p : r.passes) {
    passes.rows.push_back({p.provider, p.terminal, integer(p.norad_id), p.satellite, utc_text(p.aos),
                           utc_text(p.tca), utc_text(p.los), (p.los - p.aos).to_seconds(),
                           p.max_elevation_deg, integer(p.aos_clipped ? 1 : 0),
                           integer(p.los_clipped ? 1 : 0)});
  }
  out.push_back(std::move(passes));

  Table satellites{"satellites",
                   with_element_columns({{"provider", T}, {"norad_id", I}, {"name", T}, {"epoch_utc", T}}),
                   {"provider", "norad_id"},
                   {}};
  for (const auto& e : r.satellites) {
    satellites.rows.push_back(
        with_element_values({e.provider, integer(e.norad_id), e.name, utc_text(e.epoch)}, e));
  }
  out.push_back(std::move(satellites));

  Table variant_satellites{
      "variant_satellites",
      with_element_columns({{"variant", T}, {"provider", T}, {"norad_id", I}, {"name", T}, {"epoch_utc", T}}),
      {"variant", "provider", "norad_id"},
      {}};
  for (const auto& vs : r.variant_satellites) {
    for (const auto& e : vs.satellites) {
      variant_satellites.rows.push_back(
          with_element_values({vs.variant, e.provider, integer(e.norad_id), e.name, utc_text(e.epoch)}, e));
    }
  }
  out.push_back(std::move(variant_satellites));

  Table failed_satellites{"failed_satellites",
                          {{"variant", T}, {"provider", T}, {"norad_id", I}},
                          {"variant", "provider", "norad_id"},
                          {}};
  for (const auto& fs : r.failed_satellites) {
    const Variant* v = r.variant(fs.variant);
    const std::string provider = v != nullptr ? v->provider : std::string();
    for (std::uint32_t id : fs.norad_ids)
      failed_satellites.rows.push_back({fs.variant, provider, integer(id)});
  }
  out.push_back(std::move(failed_satellites));

  Table ground_stations{"ground_stations",
                        {{"provider", T}, {"kind", T}, {"station_id", T}, {"lat_deg", R}, {"lon_deg", R}},
                        {"provider", "kind", "station_id"},
                        {}};
  for (const auto& g : r.ground_stations) {
    ground_stations.rows.push_back({g.provider, g.kind, g.id, g.lat_deg, g.lon_deg});
  }
  out.push_back(std::move(ground_stations));

  Table policy_regions{"policy_regions",
                       {{"variant", T},
                        {"provider", T},
                        {"rule_id", T},
                        {"region", T},
                        {"side", T},
                        {"description", T},
                        {"summary", T},
                        {"geometry_geojson", T}},
                       {"variant", "provider", "rule_id", "region"},
                       {}};
  for (const auto& x : r.policy_regions) {
    policy_regions.rows.push_back({x.variant, x.provider, x.rule, x.region, x.side, x.description, x.summary,
                                   geojson_multipolygon(x.polygons)});
  }
  out.push_back(std::move(policy_regions));

  Table terminal_states{"terminal_states",
                        {{"variant", T},
                         {"provider", T},
                         {"terminal_id", T},
                         {"first_step", I},
                         {"state", T},
                         {"rule_ids", T, true}},
                        {"variant", "provider", "terminal_id", "first_step"},
                        {}};
  for (const auto& x : r.terminal_states) {
    terminal_states.rows.push_back(
        {x.variant, x.provider, x.terminal, integer(x.first_step), std::string(to_string(x.state)),
         x.state == TerminalState::denied ? Value(x.rules) : Value(std::monostate{})});
  }
  out.push_back(std::move(terminal_states));

  Table routes{"routes",
               {{"variant", T},
                {"provider", T},
                {"terminal_id", T},
                {"time_utc", T},
                {"rtt_ms", R, true},
                {"path", T}},
               {"variant", "provider", "terminal_id", "time_utc"},
               {}};
  for (const auto& x : r.routes) {
    routes.rows.push_back({x.variant, x.provider, x.terminal, utc_text(x.time),
                           x.path.empty() ? Value(std::monostate{}) : Value(x.rtt_ms), x.path});
  }
  out.push_back(std::move(routes));

  Table reliance{"reliance",
                 {{"scope", T},
                  {"scope_id", T},
                  {"variant", T},
                  {"served_share_any", R},
                  {"single_provider_share", R},
                  {"lost_share", R},
                  {"recovered_share", R},
                  {"net_loss_share", R}},
                 {"scope", "scope_id", "variant"},
                 {}};
  Table reliance_providers{"reliance_providers",
                           {{"scope", T},
                            {"scope_id", T},
                            {"variant", T},
                            {"provider", T},
                            {"served_share", R},
                            {"sole_share", R}},
                           {"scope", "scope_id", "variant", "provider"},
                           {}};
  for (const auto& x : r.reliance) {
    reliance.rows.push_back({x.scope, x.scope_id, x.variant, x.served_share_any, x.single_provider_share,
                             x.lost_share, x.recovered_share, x.net_loss_share});
    for (const auto& p : x.providers) {
      reliance_providers.rows.push_back(
          {x.scope, x.scope_id, x.variant, p.provider, p.served_share, p.sole_share});
    }
  }
  out.push_back(std::move(reliance));
  out.push_back(std::move(reliance_providers));
  append_capacity_tables(r, every_table, out);
  append_enforcement_tables(r, out);
  return out;
}

}  // namespace skyfence::report::internal
