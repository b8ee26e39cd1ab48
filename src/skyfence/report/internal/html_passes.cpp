// Section 6 of report.html: passes over chosen terminals.
#include "skyfence/report/internal/html_page.h"

#include <algorithm>

#include "skyfence/report/internal/passes.h"

namespace skyfence::report::internal::html {

namespace {

// One terminal's passes as a timeline: a row per provider, a bar for each period with at least one
// of its satellites in view (overlapping passes drawn as one bar, which is what their bars would
// show), over the run's window.
void pass_timeline(Page& page, const Results& r, const Terminal& t,
                   const std::vector<const ProviderInfo*>& providers) {
  const double window_s = std::max((r.run.stop - r.run.start).to_seconds(), 1e-3);
  const bool hours = window_s >= 3.0 * 3600.0;
  const double unit = hours ? 3600.0 : 60.0;
  const double x_max = window_s / unit;
  const double row_h = 16.0, row_gap = 8.0;
  PlotArea a;
  a.left = 120.0;
  a.top = 10.0;
  a.plot_h = static_cast<double>(providers.size()) * (row_h + row_gap);
  const auto to_x = [&](double v) { return a.left + a.inner_w() * std::clamp(v / x_max, 0.0, 1.0); };
  const auto since = [&](time::Instant i) { return (i - r.run.start).to_seconds() / unit; };
  const std::string name = escape_html(t.name.empty() ? t.id : t.name);
  const int n = page.next_figure();
  std::string& o = page.out;
  o += "<figure class=\"plot\"><div class=\"fig-title\">Passes over " + name + "</div>";
  o += svg_open(a, "timeline of passes over " + name);
  for (double tick : internal::nice_ticks(0.0, x_max, 12)) {
    if (tick > x_max + 1e-9) continue;
    const double x = to_x(tick);
    o += fmt::format("<line class=\"gridline\" x1=\"{0:.1f}\" x2=\"{0:.1f}\" y1=\"{1:.1f}\" y2=\"{2:.1f}\"/>",
                     x, a.top, a.top + a.inner_h());
    o += fmt::format("<text class=\"tick\" x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"middle\">{:g}</text>", x,
                     a.top + a.inner_h() + 16.0, tick);
  }
  o += fmt::format(
      "<text class=\"axis-title\" x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"middle\">time since {} ({})</text>",
      a.left + a.inner_w() / 2.0, a.height() - 6.0, utc(r.run.start), hours ? "h" : "min");
  for (std::size_t k = 0; k < providers.size(); ++k) {
    const ProviderInfo& p = *providers[k];
    const double y = a.top + static_cast<double>(k) * (row_h + row_gap) + row_gap / 2.0;
    o += fmt::format("<text class=\"cat\" x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"end\">{}</text>",
                     a.left - 8.0, y + row_h / 2.0 + 4.0, escape_html(p.name));
    o += fmt::format(
        "<rect class=\"lane\" x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"{:.1f}\" "
        "fill=\"#eef2f6\"/>",
        a.left, y, a.inner_w(), row_h);
    o += "<g class=\"passes\" fill=\"" + provider_colour(r, p.name) + "\">";
    for (const auto& period : internal::pass_stats(r, p.name, t.id).periods) {
      const double x0 = to_x(since(period.begin)), x1 = to_x(since(period.end));
      // At least 0.6 px wide, so that a short pass stays visible.
      o += fmt::format(
          "<rect x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"{:.1f}\"><title>{}: {} to {} ({} "
          "{})</title></rect>",
          x0, y, std::max(x1 - x0, 0.6), row_h, escape_html(p.name), utc(period.begin), utc(period.end),
          period.passes, period.passes == 1 ? "pass" : "overlapping passes");
    }
    o += "</g>";
  }
  o += fmt::format("<line class=\"axis\" x1=\"{0:.1f}\" x2=\"{1:.1f}\" y1=\"{2:.1f}\" y2=\"{2:.1f}\"/>",
                   a.left, a.width - a.right, a.top + a.inner_h());
  o += "</svg>";
  o += fmt::format(
      "<figcaption><b>Figure {}.</b> Passes of each provider's satellites over {}, baseline: a bar runs "
      "from a pass's acquisition of signal to its loss of signal (satellite above the provider's minimum "
      "elevation); overlapping passes merge into one bar. The axis spans the run's window, in time since "
      "{} ({}).</figcaption></figure>",
      n, name, utc(r.run.start), hours ? "h" : "min");
}

}  // namespace

void passes_section(Page& page, const Results& r) {
  if (r.passes.empty()) return;
  // Providers and terminals with passes, in the run's order.
  std::vector<const ProviderInfo*> providers;
  for (const auto& p : r.providers) {
    if (std::any_of(r.passes.begin(), r.passes.end(),
                    [&](const PassRecord& x) { return x.provider == p.name; }))
      providers.push_back(&p);
  }
  std::vector<const Terminal*> terminals;
  for (const auto& t : r.terminals) {
    if (std::any_of(r.passes.begin(), r.passes.end(),
                    [&](const PassRecord& x) { return x.terminal == t.id; }))
      terminals.push_back(&t);
  }
  std::string& o = page.out;
  o += "<section id=\"passes\"><h2>Passes over chosen terminals</h2>";
  o += "<p>When each provider's satellites rise above its minimum elevation at the terminals the scenario "
       "names, in the baseline: how often, for how long in all, and the longest wait with none in view.</p>";
  table_open(
      page,
      "Passes of each provider's satellites over each terminal in the baseline, over the run's window: "
      "number of passes, time with at least one satellite in view (h; overlapping passes count once) "
      "and the longest time with none in view, also before the first pass and after the last (min).");
  o += "<thead><tr><th>Terminal</th><th>Provider</th><th class=\"n\">passes</th><th class=\"n\">in view "
       "(h)</th><th class=\"n\">longest gap (min)</th></tr></thead><tbody>";
  for (const Terminal* t : terminals) {
    for (const ProviderInfo* p : providers) {
      const internal::PassStats s = internal::pass_stats(r, p->name, t->id);
      o += "<tr><td>" + escape_html(t->name.empty() ? t->id : t->name) +
           "</td><td><span class=\"swatch\" style=\"background:" + provider_colour(r, p->name) +
           "\"></span>" + escape_html(p->name) + "</td>" +
           fmt::format("<td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
                       s.pass_count, num(s.in_view.to_seconds() / 3600.0, 2),
                       num(s.longest_gap.to_seconds() / 60.0, 1));
    }
  }
  o += "</tbody>";
  table_close(page);
  for (const Terminal* t : terminals) pass_timeline(page, r, *t, providers);
  o += "</section>";
}

}  // namespace skyfence::report::internal::html
