// Section 5 of report.html: satellites in view over time.
#include "skyfence/report/internal/html_page.h"

#include <algorithm>

namespace skyfence::report::internal::html {

namespace {

// Satellites in view at one site over time, baseline, a line per provider and "any".
void timeseries_plot(Page& page, const Results& r, const std::string& site, const std::string& site_label) {
  std::vector<const TimeSeries*> series;
  for (const auto& t : r.timeseries) {
    if (t.site == site && t.variant == r.variants.front().id && !t.t_s.empty()) series.push_back(&t);
  }
  if (series.empty()) return;
  double t_max = 0.0, v_max = 0.0;
  for (const auto* s : series) {
    t_max = std::max(t_max, s->t_s.back());
    for (double v : s->satellites_in_view) v_max = std::max(v_max, v);
  }
  const bool hours = t_max >= 3.0 * 3600.0;
  const double unit = hours ? 3600.0 : 60.0;
  const auto xt = internal::nice_ticks(0.0, std::max(t_max / unit, 1e-3), 8);
  const double x_max = std::max(t_max / unit, 1e-3);
  const auto yt = internal::nice_ticks(0.0, std::max(v_max, 1.0), 4);
  const double y_max = std::max(yt.back(), 1.0);
  PlotArea a;
  a.width = 540.0;
  a.plot_h = 170.0;
  a.left = 46.0;
  std::vector<LegendItem> legend;
  for (const auto* s : series)
    legend.push_back({provider_colour(r, s->provider), provider_label(s->provider)});
  const Legend key = plot_legend(a, legend, true);
  const auto to_x = [&](double v) { return a.left + a.inner_w() * v / x_max; };
  const auto to_y = [&](double v) { return a.top + a.inner_h() * (1.0 - v / y_max); };
  const int n = page.next_figure();
  std::string& o = page.out;
  o += "<figure class=\"plot\"><div class=\"fig-title\">Satellites in view: " + site_label + "</div>";
  o += svg_open(a, "satellites in view over time") + key.svg;
  o += y_axis(
      a, yt, to_y, [](double t) { return fmt::format("{:g}", t); }, "satellites");
  for (double t : xt) {
    if (t > x_max + 1e-9) continue;
    o += fmt::format("<text class=\"tick\" x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"middle\">{:g}</text>",
                     to_x(t), a.height() - a.bottom + 16.0, t);
  }
  o += fmt::format(
      "<text class=\"axis-title\" x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"middle\">time since {} ({})</text>",
      a.left + a.inner_w() / 2.0, a.height() - 6.0, utc(r.run.start), hours ? "h" : "min");
  for (const auto* s : series) {
    std::string d;
    for (std::size_t i = 0; i < s->t_s.size(); ++i) {
      d += (i ? "L" : "M") + xy(to_x(s->t_s[i] / unit), to_y(s->satellites_in_view[i]));
    }
    const std::string colour = provider_colour(r, s->provider);
    o += fmt::format(
        "<path d=\"{}\" fill=\"none\" stroke=\"{}\" stroke-width=\"1.6\" stroke-linejoin=\"round\"/>", d,
        colour);
  }
  o += fmt::format("<line class=\"axis\" x1=\"{:.1f}\" x2=\"{:.1f}\" y1=\"{:.1f}\" y2=\"{:.1f}\"/>", a.left,
                   a.width - a.right, to_y(0.0), to_y(0.0));
  o += "</svg>";
  o += fmt::format(
      "<figcaption><b>Figure {}.</b> Number of satellites above each provider's minimum elevation at {}, "
      "baseline, "
      "at every time step (count; &#8220;any provider&#8221; counts all providers' satellites "
      "together).</figcaption>"
      "</figure>",
      n, site_label);
}

}  // namespace

void in_view_section(Page& page, const Results& r) {
  std::vector<std::string> sites;
  for (const auto& t : r.timeseries) {
    if (std::find(sites.begin(), sites.end(), t.site) == sites.end()) sites.push_back(t.site);
  }
  if (sites.empty()) return;
  // The region mean first.
  std::stable_partition(sites.begin(), sites.end(),
                        [](const std::string& s) { return s == kRegionMeanSite; });
  std::string& o = page.out;
  o += "<section id=\"in-view\"><h2>Satellites in view over time</h2><div class=\"grid2\">";
  for (const auto& s : sites) {
    std::string label =
        s == kRegionMeanSite ? "mean over the region&#8217;s cells (area-weighted)" : escape_html(s);
    for (const auto& t : r.terminals) {
      if (t.id == s) label = escape_html(t.name.empty() ? t.id : t.name);
    }
    timeseries_plot(page, r, s, label);
  }
  o += "</div></section>";
}

}  // namespace skyfence::report::internal::html
