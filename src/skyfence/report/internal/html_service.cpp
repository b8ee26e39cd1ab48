// Section 2 of report.html: coverage and service in the region and the terminal groups.
#include "skyfence/report/internal/html_page.h"

namespace skyfence::report::internal::html {

namespace {

// Covered and served shares of each scope (rows) by each provider and "any" (columns), baseline.
void service_table(Page& page, const Results& r, const std::vector<std::string>& cols) {
  std::string& o = page.out;
  const std::string& bv = r.variants.front().id;
  table_open(
      page,
      "Coverage and service in the baseline: share of the region's area-time (cells weighted by area) and of "
      "each group's terminal-time with enough satellites in view (<i>covered</i>) and served under the "
      "provider's policy (<i>served</i>), percent.");
  o += "<thead><tr><th rowspan=\"2\">Scope</th>";
  for (const auto& c : cols) {
    o += "<th colspan=\"2\" class=\"n\"><span class=\"swatch\" style=\"background:" + provider_colour(r, c) +
         "\"></span>" + provider_label(c) + "</th>";
  }
  o += "</tr><tr>";
  for (std::size_t i = 0; i < cols.size(); ++i)
    o += "<th class=\"n\">covered</th><th class=\"n\">served</th>";
  o += "</tr></thead><tbody>";
  for (const auto& s : scopes(r)) {
    o += "<tr><td>" + escape_html(s.label) + "</td>";
    for (const auto& c : cols) {
      const ScopeService x = scope_service(r, s.kind, s.id, bv, c);
      o += "<td class=\"n\">" + pct(x.covered) + "</td>" + bar_cell(x.served, provider_colour(r, c));
    }
    o += "</tr>";
  }
  o += "</tbody>";
  table_close(page);
}

// A coverage map and a service map per provider and "any", baseline.
void service_maps(Page& page, const Results& r, const MapBase& base, const std::vector<std::string>& cols) {
  std::string& o = page.out;
  const std::string& bv = r.variants.front().id;
  const std::string region =
      escape_html(r.run.region_name.empty() ? std::string("region") : r.run.region_name);
  o += "<h3>Coverage and service under policy, by provider</h3><p class=\"muted\">Left: covered, whatever "
       "the "
       "policy; right: served under the provider's policy. Dots: terminals.</p><div class=\"grid2\">";
  for (const auto& c : cols) {
    const CellLayer* l = r.cell_layer(bv, c);
    if (l == nullptr) continue;
    std::vector<double> cov, srv;
    for (const auto& s : l->stats) {
      cov.push_back(s.coverage_fraction);
      srv.push_back(s.served_fraction);
    }
    map_figure(page, base, cov, coverage_scale(), "Coverage: " + provider_label(c),
               "Share of time steps at which each cell of " + region + " has enough satellites of " +
                   provider_label(c) + " above the minimum elevation, baseline (percent).",
               "covered time (%)", true);
    map_figure(page, base, srv, served_scale(), "Served under policy: " + provider_label(c),
               "Share of time steps at which each cell of " + region + " is served by " + provider_label(c) +
                   (c == kAnyProvider ? std::string(" (at least one provider, each under its own policy)")
                                      : std::string(" under its policy")) +
                   ", baseline (percent).",
               "served time (%)", true);
  }
  o += "</div>";
}

}  // namespace

void service_section(Page& page, const Results& r, const MapBase* base) {
  std::string& o = page.out;
  o += "<section id=\"service\"><h2>Service in the region and the terminal groups</h2>";
  o += "<p>How much of the region and of each terminal group each provider covers (enough satellites above "
       "its "
       "minimum elevation) and serves under its policy, and how much at least one provider serves, in the "
       "baseline."
       "</p>";
  std::vector<std::string> cols;
  for (const auto& p : r.providers) cols.push_back(p.name);
  cols.emplace_back(kAnyProvider);
  service_table(page, r, cols);
  if (base != nullptr) service_maps(page, r, *base, cols);
  o += "</section>";
}

}  // namespace skyfence::report::internal::html
