// Section 1 of report.html: the summary figures.
#include "skyfence/report/internal/html_page.h"

#include "skyfence/time/scales.h"

namespace skyfence::report::internal::html {

void summary_section(Page& page, const Results& r) {
  std::string& o = page.out;
  const std::string& base = r.variants.front().id;
  o += "<section id=\"summary\"><h2>Summary</h2><div class=\"kpis\">";
  const auto kpi = [&](const std::string& value, const std::string& label, const std::string& colour) {
    o += "<div class=\"kpi\" style=\"--c:" + colour + "\"><div class=\"v\">" + value +
         "</div><div class=\"k\">" + label + "</div></div>";
  };
  const std::string region =
      escape_html(r.run.region_name.empty() ? std::string("the region") : r.run.region_name);
  const auto served = &CellStat::served_fraction;
  if (!r.cells.empty()) {
    kpi(pct(region_mean(r, base, kAnyProvider, served)),
        "of " + region + " served by any provider (area-time)", kAnyColour);
    for (const auto& p : r.providers) {
      kpi(pct(region_mean(r, base, p.name, served)), "served by " + escape_html(p.name) + " under its policy",
          provider_colour(r, p.name));
    }
  }
  if (const Reliance* x = r.reliance_row(kScopeRegion, r.run.region_name, base)) {
    kpi(pct(x->single_provider_share), "served by one provider only (single-provider dependence)", "#b45309");
  }
  if (const auto drop = largest_region_drop(r)) {
    kpi(fmt::format("{:.1f}&#160;pp", 100.0 * drop->drop),
        "largest drop in service by any provider: " + escape_html(drop->variant), "#9b1c1c");
  }
  if (const CapacityScope* met = r.capacity_row(kScopeRegion, r.run.region_name, base, kAnyProvider)) {
    kpi(pct(met->demand_met_fraction),
        fmt::format("of {}'s demand met ({:.1f} Gbps mean, capacity shared)", region,
                    met->demand_mbps / 1000.0),
        kAnyColour);
    if (const auto drop = largest_demand_drop(r, kScopeRegion, r.run.region_name)) {
      kpi(pct(drop->variant_met_fraction),
          fmt::format("of the demand met when {} ({:.1f} Gbps less)", escape_html(drop->variant),
                      drop->lost_mbps / 1000.0),
          "#9b1c1c");
    }
  }
  o += "</div>";
  o += fmt::format(
      "<p class=\"muted\">Scenario <b>{}</b>: {} providers, {} variants, {} cells covering {}, {} terminals "
      "in {} "
      "groups, from {} to {} every {}.</p>",
      escape_html(r.run.scenario_name), r.providers.size(), r.variants.size(), r.cells.size(), region,
      r.terminals.size(), r.groups.size(), utc(r.run.start), utc(r.run.stop),
      escape_html(time::format_duration(r.run.step)));
  o += "</section>";
}

}  // namespace skyfence::report::internal::html
