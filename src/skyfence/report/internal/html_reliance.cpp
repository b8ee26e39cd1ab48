// Section 3 of report.html: reliance and what-if variants.
#include "skyfence/report/internal/html_page.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace skyfence::report::internal::html {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Served share by any provider per scope (groups of bars) and variant (bars).
void bar_chart(Page& page, const Results& r) {
  const auto sc = scopes(r);
  if (sc.empty()) return;
  PlotArea a;
  a.plot_h = 260.0;
  a.bottom = 40.0;
  std::vector<LegendItem> legend;
  for (const auto& v : r.variants) legend.push_back({variant_colour(r, v.id), escape_html(v.id)});
  const Legend key = plot_legend(a, legend, false);
  const double nv = static_cast<double>(r.variants.size());
  const double band = a.inner_w() / static_cast<double>(sc.size());
  const double bar_w = std::min(44.0, band * 0.8 / nv);
  const auto to_y = [&](double v) { return a.top + a.inner_h() * (1.0 - v); };
  const int n = page.next_figure();
  std::string& o = page.out;
  o += "<figure class=\"plot\"><div class=\"fig-title\">Served by any provider, per variant</div>";
  o += svg_open(a, "bar chart of served share per scope and variant") + key.svg;
  o += y_axis(
      a, {0.0, 0.2, 0.4, 0.6, 0.8, 1.0}, to_y,
      [](double t) { return fmt::format("{:.0f}&#160;%", 100.0 * t); }, "served share (%)");
  for (std::size_t s = 0; s < sc.size(); ++s) {
    const double cx = a.left + band * (static_cast<double>(s) + 0.5);
    const double x0 = cx - bar_w * nv / 2.0;
    for (std::size_t v = 0; v < r.variants.size(); ++v) {
      const double val = served_share_any(r, sc[s].kind, sc[s].id, r.variants[v].id);
      if (std::isnan(val)) continue;
      const double x = x0 + bar_w * static_cast<double>(v);
      const double y = to_y(std::clamp(val, 0.0, 1.0));
      o += fmt::format(
          "<rect x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"{:.1f}\" fill=\"{}\"><title>{}: "
          "{}</title></rect>",
          x + 1.0, y, bar_w - 2.0, to_y(0.0) - y, variant_colour(r, r.variants[v].id),
          escape_html(r.variants[v].id), pct(val));
      if (bar_w >= 22.0) {
        o += fmt::format(
            "<text class=\"bar-label\" x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"middle\">{:.0f}</text>",
            x + bar_w / 2.0, y - 4.0, 100.0 * val);
      }
    }
    o += fmt::format("<text class=\"cat\" x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"middle\">{}</text>", cx,
                     a.height() - a.bottom + 18.0, escape_html(sc[s].label));
  }
  o += fmt::format("<line class=\"axis\" x1=\"{:.1f}\" x2=\"{:.1f}\" y1=\"{:.1f}\" y2=\"{:.1f}\"/>", a.left,
                   a.width - a.right, to_y(0.0), to_y(0.0));
  o += "</svg>";
  o += fmt::format(
      "<figcaption><b>Figure {}.</b> Share of the region's area-time and of each terminal group's "
      "terminal-time "
      "served under policy by at least one provider, per variant (percent; the label on a bar is its value "
      "in "
      "percent).</figcaption></figure>",
      n);
}

// The reliance rows of the baseline, one per scope that has one.
void baseline_table(Page& page, const Results& r, const std::vector<Scope>& sc) {
  std::string& o = page.out;
  const std::string& bv = r.variants.front().id;
  table_open(
      page,
      "Reliance in the baseline: share of the scope's unit-time (area-time for the region, terminal-time "
      "for "
      "a group) served by at least one provider, by exactly one (single-provider dependence), and by each "
      "provider alone and together with others (<i>served</i>) or as the only one (<i>sole</i>), percent.");
  o += "<thead><tr><th>Scope</th><th class=\"n\">served by any</th><th class=\"n\">single-provider</th>";
  for (const auto& p : r.providers) {
    o += "<th class=\"n\">" + escape_html(p.name) + " served</th><th class=\"n\">" + escape_html(p.name) +
         " sole</th>";
  }
  o += "</tr></thead><tbody>";
  for (const auto& s : sc) {
    const Reliance* x = r.reliance_row(s.kind, s.id, bv);
    if (x == nullptr) continue;
    o += "<tr><td>" + escape_html(s.label) + "</td>" + bar_cell(x->served_share_any, kAnyColour) +
         bar_cell(x->single_provider_share, "#b45309");
    for (const auto& p : r.providers) {
      const ProviderReliance* q = x->provider(p.name);
      o += "<td class=\"n\">" + pct(q ? q->served_share : kNaN) + "</td><td class=\"n\">" +
           pct(q ? q->sole_share : kNaN) + "</td>";
    }
    o += "</tr>";
  }
  o += "</tbody>";
  table_close(page);
}

// Per variant and scope: lost, recovered and net loss, and the served share by any with its change.
void variants_table(Page& page, const Results& r, const std::vector<Scope>& sc) {
  std::string& o = page.out;
  const std::string& bv = r.variants.front().id;
  table_open(
      page,
      "What each variant takes away: <i>lost</i> is the share of the scope's unit-time served in the "
      "baseline "
      "by a provider that no longer serves it; <i>recovered</i> is the share of that lost unit-time still "
      "served by another provider; <i>net loss</i> is the share served by some provider in the baseline "
      "and "
      "by none in the variant; served by any in the variant, with the change from the baseline in "
      "percentage points (pp).");
  o += "<thead><tr><th>Variant</th><th>Scope</th><th class=\"n\">lost</th><th class=\"n\">recovered (of "
       "lost)</th><th class=\"n\">net loss</th><th class=\"n\">served by any</th><th "
       "class=\"n\">change</th></tr>"
       "</thead><tbody>";
  for (std::size_t v = 1; v < r.variants.size(); ++v) {
    const auto& var = r.variants[v];
    for (const auto& s : sc) {
      const Reliance* x = r.reliance_row(s.kind, s.id, var.id);
      const double now = served_share_any(r, s.kind, s.id, var.id),
                   was = served_share_any(r, s.kind, s.id, bv);
      if (x == nullptr && std::isnan(now)) continue;
      o += "<tr><td><span class=\"swatch\" style=\"background:" + variant_colour(r, var.id) + "\"></span>" +
           escape_html(var.id) + "</td><td>" + escape_html(s.label) + "</td>";
      if (x != nullptr) {
        o += bar_cell(x->lost_share, "#cb181d") + bar_cell(x->recovered_share, "#6a51a3") +
             "<td class=\"n\">" + pct(x->net_loss_share) + "</td>";
      } else {
        o += "<td class=\"n\">&#8211;</td><td class=\"n\">&#8211;</td><td class=\"n\">&#8211;</td>";
      }
      const double delta = now - was;
      const std::string cls = std::isnan(delta) ? "ok"
                              : delta < -0.005  ? "bad"
                              : delta > 0.005   ? "ok"
                                                : "warn";
      o += "<td class=\"n\">" + pct(now) + "</td><td class=\"n\"><span class=\"badge " + cls + "\">" +
           (std::isnan(delta) ? std::string("&#8211;") : fmt::format("{:+.1f}&#160;pp", 100.0 * delta)) +
           "</span></td></tr>";
    }
  }
  o += "</tbody>";
  table_close(page);
  o += "<ul class=\"muted\">";
  for (std::size_t v = 1; v < r.variants.size(); ++v) {
    const auto& var = r.variants[v];
    o += "<li><b>" + escape_html(var.id) + "</b> (" + escape_html(to_string(var.kind)) +
         (var.provider.empty() ? std::string() : ", " + escape_html(var.provider)) +
         "): " + escape_html(var.description) + "</li>";
  }
  o += "</ul>";
}

// Per variant, the maps of its change (cell_change): the gain for a variant that adds a provider (or
// names none), else what its provider lost and the share of that others recover.
void variant_maps(Page& page, const Results& r, const MapBase& base) {
  std::string& o = page.out;
  const std::string region =
      escape_html(r.run.region_name.empty() ? std::string("region") : r.run.region_name);
  for (std::size_t v = 1; v < r.variants.size(); ++v) {
    const auto& var = r.variants[v];
    const auto change = cell_change(r, var.id);
    if (!change) continue;
    o += "<h3>Variant " + escape_html(var.id) + "</h3><div class=\"grid2\">";
    if (var.kind == VariantKind::add_provider || var.provider.empty()) {
      map_figure(page, base, change->gained, served_scale(), "Gained: " + escape_html(var.id),
                 "Increase, from the baseline to variant " + escape_html(var.id) +
                     ", of the share of time steps at which each cell of " + region +
                     " is served by at least one provider (percentage points of time).",
                 "gained time (%)", false);
    } else {
      map_figure(page, base, change->lost, lost_scale(),
                 "Lost: " + escape_html(var.provider) + " in " + escape_html(var.id),
                 "Share of time steps at which " + escape_html(var.provider) + " served each cell of " +
                     region + " in the baseline but no longer does in variant " + escape_html(var.id) +
                     " (percent of time).",
                 "lost time (%)", false);
      // No value (grey) where nothing was lost.
      map_figure(page, base, change->recovered, recovered_scale(),
                 "Recovered by others in " + escape_html(var.id),
                 "Of the time steps that " + escape_html(var.provider) +
                     " no longer serves in each cell of " + region +
                     ", the share at which another provider still serves it (percent of the lost time; "
                     "the rest is lost to every provider). Grey: nothing lost.",
                 "recovered of lost (%)", false);
    }
    o += "</div>";
  }
}

}  // namespace

void reliance_section(Page& page, const Results& r, const MapBase* base) {
  std::string& o = page.out;
  const std::string& bv = r.variants.front().id;
  o += "<section id=\"reliance\"><h2>Reliance and what-if variants</h2>";
  o +=
      "<p>Which share of the service depends on a single provider, and what each variant takes away from the "
      "baseline and how much of it the other providers still serve. Definitions: "
      "<code>docs/report.md</code>.</p>";
  const auto sc = scopes(r);
  bool any_baseline = false;
  for (const auto& s : sc) any_baseline = any_baseline || r.reliance_row(s.kind, s.id, bv) != nullptr;
  if (any_baseline) baseline_table(page, r, sc);
  if (r.variants.size() > 1) variants_table(page, r, sc);
  bar_chart(page, r);
  if (base != nullptr) variant_maps(page, r, *base);
  o += "</section>";
}

}  // namespace skyfence::report::internal::html
