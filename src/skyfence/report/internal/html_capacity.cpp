// Section "Demand met" of report.html: per scope and variant, the demand carried in all and by each
// provider (capacity shared as docs/capacity.md describes), and each provider's utilisation. Shown when
// the run computed demand met (every provider has a service model).
#include <algorithm>

#include "skyfence/report/internal/html_page.h"

namespace skyfence::report::internal::html {
namespace {

std::string gbps(double mbps) {
  return num(mbps / 1000.0, 2);
}

void scope_table(Page& page, const Results& r, const Scope& s) {
  const std::string& base_id = r.variants.front().id;
  const CapacityScope* base = r.capacity_row(s.kind, s.id, base_id, kAnyProvider);
  if (base == nullptr) return;
  table_open(page, fmt::format("Demand met for {} ({} Gbps of demand, mean over the steps): in all, and the "
                               "Gbps each provider carried. Change: carried minus the baseline's.",
                               s.label, gbps(base->demand_mbps)));
  std::string& o = page.out;
  o += "<thead><tr><th>Variant</th><th>Demand met</th><th>Full service</th><th>Change (Gbps)</th>";
  for (const ProviderInfo& p : r.providers) o += "<th>" + escape_html(p.name) + " (Gbps)</th>";
  o += "</tr></thead><tbody>";
  for (const Variant& v : r.variants) {
    const CapacityScope* any = r.capacity_row(s.kind, s.id, v.id, kAnyProvider);
    if (any == nullptr) continue;
    o += "<tr><td>" + escape_html(v.id) + "</td>" + bar_cell(any->demand_met_fraction, kAnyColour) + "<td>" +
         pct(any->full_service_share) + "</td><td>" +
         (v.id == base_id ? std::string("&#8211;") : gbps(any->carried_mbps - base->carried_mbps)) + "</td>";
    for (const ProviderInfo& p : r.providers) {
      const CapacityScope* x = r.capacity_row(s.kind, s.id, v.id, p.name);
      o += "<td>" + (x ? gbps(x->carried_mbps) : std::string("&#8211;")) + "</td>";
    }
    o += "</tr>";
  }
  o += "</tbody>";
  table_close(page);
}

// The uplink's demand met per terminal group and variant (shown when some group asks uplink demand).
void uplink_table(Page& page, const Results& r) {
  if (r.capacity_up.empty()) return;
  const auto row = [&](const std::string& group, const std::string& variant,
                       const std::string& provider) -> const CapacityScope* {
    for (const CapacityScope& x : r.capacity_up) {
      if (x.scope_id == group && x.variant == variant && x.provider == provider) return &x;
    }
    return nullptr;
  };
  table_open(page,
             "Uplink demand met per terminal group (terminal to satellite, allocated over each provider's "
             "uplink capacity in preference rounds of its own; mean over the steps): in all, and the Mbps "
             "each provider carried.");
  std::string& o = page.out;
  o += "<thead><tr><th>Group</th><th>Variant</th><th>Uplink demand (Mbps)</th><th>Demand met</th><th>Full "
       "service</th>";
  for (const ProviderInfo& p : r.providers) o += "<th>" + escape_html(p.name) + " (Mbps)</th>";
  o += "</tr></thead><tbody>";
  for (const TerminalGroup& g : r.groups) {
    for (const Variant& v : r.variants) {
      const CapacityScope* any = row(g.id, v.id, std::string(kAnyProvider));
      if (any == nullptr) continue;
      o += "<tr><td>" + escape_html(g.id) + "</td><td>" + escape_html(v.id) + "</td><td>" +
           num(any->demand_mbps, 1) + "</td>" + bar_cell(any->demand_met_fraction, kAnyColour) + "<td>" +
           pct(any->full_service_share) + "</td>";
      for (const ProviderInfo& p : r.providers) {
        const CapacityScope* x = row(g.id, v.id, p.name);
        o += "<td>" + (x ? num(x->carried_mbps, 1) : std::string("&#8211;")) + "</td>";
      }
      o += "</tr>";
    }
  }
  o += "</tbody>";
  table_close(page);
}

void usage_table(Page& page, const Results& r) {
  table_open(
      page,
      "How much of each provider's capacity the scenario's demand used (means over the steps). Satellites "
      "and service cells count when they serve some demand; saturated: at capacity. Background load: the "
      "share of capacity assumed used by customers outside the scenario.");
  std::string& o = page.out;
  o += "<thead><tr><th>Variant</th><th>Provider</th><th>Status</th><th>Background load</th><th>Offered "
       "(Gbps)</th><th>Carried (Gbps)</th><th>Satellite utilisation</th><th>Satellites "
       "saturated</th><th>Cells "
       "saturated</th><th>Gateway utilisation</th></tr></thead><tbody>";
  for (const ProviderUsage& u : r.provider_usage) {
    const ProviderInfo* p = r.provider(u.provider);
    o += "<tr><td>" + escape_html(u.variant) + "</td><td>" + escape_html(u.provider) + "</td><td>" +
         escape_html(p ? p->status : std::string()) + "</td><td>" + pct(u.background_load, 0) + "</td><td>" +
         gbps(u.offered_mbps) + "</td><td>" + gbps(u.carried_mbps) + "</td><td>" +
         pct(u.satellite_utilisation) + "</td><td>" + pct(u.saturated_satellite_share) + "</td><td>" +
         pct(u.saturated_cell_share) + "</td><td>" +
         (u.gateway_utilisation ? pct(*u.gateway_utilisation) : std::string("not modelled")) + "</td></tr>";
  }
  o += "</tbody>";
  table_close(page);
}

// Maps of the demand met by any provider per cell: the baseline, then each variant that changes it.
void capacity_maps(Page& page, const Results& r, const MapBase& base) {
  const std::string region =
      escape_html(r.run.region_name.empty() ? std::string("region") : r.run.region_name);
  const CapacityCellLayer* baseline = r.capacity_cell_layer(r.variants.front().id, kAnyProvider);
  if (baseline == nullptr) return;
  page.out += "<h3>Demand met per cell</h3><div class=\"grid2\">";
  for (const Variant& v : r.variants) {
    const CapacityCellLayer* l = r.capacity_cell_layer(v.id, kAnyProvider);
    if (l == nullptr || (l != baseline && l->demand_met_fraction == baseline->demand_met_fraction)) continue;
    map_figure(page, base, l->demand_met_fraction, served_scale(), "Demand met: " + escape_html(v.id),
               "Share of each cell's demand in " + region +
                   " carried by any provider (mean over the steps), " + escape_html(v.id) + " (percent).",
               "demand met (%)", false);
  }
  page.out += "</div>";
}

}  // namespace

void capacity_section(Page& page, const Results& r, const MapBase* base) {
  if (r.capacity.empty()) return;
  page.out +=
      "<section id=\"demand\"><h2>Demand met</h2><p>Served here means carried: each step, every provider's "
      "satellites, service cells and gateways are shared among the demand offered to it (strict priority "
      "between customer classes, then max-min fairness of the fraction of demand met), and each point's "
      "demand goes to its providers in order of preference, what one cannot carry passing to the next. "
      "The model, its parameters and their sources: docs/capacity.md.</p>";
  for (const Scope& s : scopes(r)) scope_table(page, r, s);
  uplink_table(page, r);
  if (base != nullptr) capacity_maps(page, r, *base);
  usage_table(page, r);
  page.out += "</section>";
}

}  // namespace skyfence::report::internal::html
