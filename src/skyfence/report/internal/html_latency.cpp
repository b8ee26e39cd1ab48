// Section 4 of report.html: latency to the internet.
#include "skyfence/report/internal/html_page.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>

namespace skyfence::report::internal::html {

namespace {

// Empirical distribution of the pooled round-trip times to the internet (pooled_internet_rtt), a line
// per variant and provider.
void latency_cdf(Page& page, const Results& r) {
  const std::vector<PooledRtt> lines = pooled_internet_rtt(r);
  if (lines.empty()) return;
  double lo = std::numeric_limits<double>::infinity(), hi = 0.0;
  for (const auto& l : lines) {
    lo = std::min(lo, l.samples_ms.front());
    hi = std::max(hi, l.samples_ms.back());
  }
  // The x axis starts at a round value below the smallest sample (RTTs never approach 0 ms).
  auto xt = internal::nice_ticks(lo, std::max(hi, lo + 1.0), 8);
  const double step = xt.size() > 1 ? xt[1] - xt[0] : 1.0;
  const double x_min = std::max(0.0, std::floor(lo / step) * step);
  const double x_max = std::max(std::ceil(hi / step) * step, x_min + step);
  xt = internal::nice_ticks(x_min, x_max, 8);
  PlotArea a;
  std::vector<LegendItem> legend;
  for (const auto& l : lines) {
    const bool base = l.variant == r.variants.front().id;
    legend.push_back({provider_colour(r, l.provider),
                      provider_label(l.provider) + (base ? "" : " (" + escape_html(l.variant) + ")"), !base});
  }
  const Legend key = plot_legend(a, legend, true);
  const auto to_x = [&](double v) { return a.left + a.inner_w() * (v - x_min) / (x_max - x_min); };
  const auto to_y = [&](double v) { return a.top + a.inner_h() * (1.0 - v); };
  const int n = page.next_figure();
  std::string& o = page.out;
  o += "<figure class=\"plot\"><div class=\"fig-title\">Round-trip time to the internet</div>";
  o += svg_open(a, "cumulative distribution of round-trip time") + key.svg;
  o += y_axis(
      a, {0.0, 0.25, 0.5, 0.75, 1.0}, to_y, [](double t) { return fmt::format("{:.0f}&#160;%", 100.0 * t); },
      "share of samples (%)");
  for (double t : xt) {
    o += fmt::format("<text class=\"tick\" x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"middle\">{:g}</text>",
                     to_x(t), a.height() - a.bottom + 16.0, t);
  }
  o += fmt::format(
      "<text class=\"axis-title\" x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"middle\">round-trip time "
      "(ms)</text>",
      a.left + a.inner_w() / 2.0, a.height() - 6.0);
  for (std::size_t k = 0; k < lines.size(); ++k) {
    const auto& l = lines[k];
    std::string d = "M" + xy(to_x(l.samples_ms.front()), to_y(0.0));
    const double count = static_cast<double>(l.samples_ms.size());
    for (std::size_t i = 0; i < l.samples_ms.size(); ++i) {
      // Empirical CDF as steps: rises by 1/n at each sample.
      d += "H" + fmt::format("{:.1f}", to_x(l.samples_ms[i])) + "V" +
           fmt::format("{:.1f}", to_y(static_cast<double>(i + 1) / count));
    }
    o += fmt::format("<path d=\"{}\" fill=\"none\" stroke=\"{}\" stroke-width=\"2\"{}/>", d, legend[k].colour,
                     legend[k].dashed ? " stroke-dasharray=\"5 3\"" : "");
  }
  o += fmt::format("<line class=\"axis\" x1=\"{:.1f}\" x2=\"{:.1f}\" y1=\"{:.1f}\" y2=\"{:.1f}\"/>", a.left,
                   a.width - a.right, to_y(0.0), to_y(0.0));
  o += "</svg>";
  o += fmt::format(
      "<figcaption><b>Figure {}.</b> Cumulative distribution of the round-trip time from the terminals to "
      "the "
      "internet over each provider's network, pooled over terminals and reachable time steps (ms). Solid: "
      "baseline; "
      "dashed: variants. Unreachable steps are not samples; their share is in the table "
      "below.</figcaption></figure>",
      n);
}

// How each provider's routes were built (ProviderInfo's topology fields): its inter-satellite links and
// ground-link rule, for the providers whose routes the section shows.
void network_table(Page& page, const Results& r) {
  std::string& o = page.out;
  table_open(page,
             "How each provider's network was built (docs/scenario.md, \"Network topology\"): its "
             "inter-satellite links (the plus grid with its pairing across planes, an explicit list, or "
             "none), the longest usable link, and its ground links (elevation masks, or a slant-range "
             "limit with both masks at the horizon).");
  o +=
      "<thead><tr><th>Provider</th><th>Inter-satellite links</th><th class=\"n\">max ISL (km)</th><th>Ground "
      "links</th><th>Hypatia state</th></tr></thead><tbody>";
  for (const ProviderInfo& p : r.providers) {
    const bool routed = std::any_of(r.latency.begin(), r.latency.end(),
                                    [&](const LatencySummary& l) { return l.provider == p.name; });
    if (!routed) continue;
    std::string links = p.isl == "none"       ? std::string("none (bent pipe)")
                        : !p.isl_file.empty() ? "from <code>" + escape_html(p.isl_file) + "</code>"
                                              : "plus grid, " + escape_html(p.isl_pairing) + " pairing";
    if (p.isl_pairing == "same-index" && p.isl_shift != 0) links += fmt::format(", shift {}", p.isl_shift);
    const std::string ground = p.gsl_max_range_km > 0.0
                                   ? "slant range &#8804; " + num(p.gsl_max_range_km, 3) + " km"
                                   : "elevation &#8805; " + num(p.min_elevation_deg, 1) +
                                         "&#176; (terminals), " + num(p.gateway_min_elevation_deg, 1) +
                                         "&#176; (gateways)";
    o += "<tr><td>" + provider_label(p.name) + "</td><td>" + links + "</td><td class=\"n\">" +
         (p.isl_max_range_km > 0.0 ? num(p.isl_max_range_km, 3) : std::string("no limit")) + "</td><td>" +
         ground + "</td><td>" +
         (p.hypatia_state.empty() ? std::string("<span class=\"muted\">none</span>")
                                  : "<code>" + escape_html(p.hypatia_state) + "</code>") +
         "</td></tr>";
  }
  o += "</tbody>";
  table_close(page);
}

}  // namespace

void latency_section(Page& page, const Results& r) {
  if (r.latency.empty()) return;
  std::string& o = page.out;
  o += "<section id=\"latency\"><h2>Latency to the internet</h2>";
  latency_cdf(page, r);
  std::map<std::string, std::string> names;
  for (const auto& t : r.terminals) names[t.id] = t.name.empty() ? t.id : t.name;
  table_open(page,
             "Round-trip time per source and destination over each provider's network: minimum, median, 95th "
             "percentile and maximum over the reachable time steps (ms), times the chosen path changed, and "
             "the share "
             "of time steps with no path (percent).");
  o += "<thead><tr><th>Variant</th><th>Provider</th><th>From</th><th>To</th><th class=\"n\">min (ms)</th><th "
       "class=\"n\">median (ms)</th><th class=\"n\">p95 (ms)</th><th class=\"n\">max (ms)</th><th "
       "class=\"n\">path changes</th><th class=\"n\">unreachable</th></tr></thead><tbody>";
  const auto label = [&](const std::string& id) {
    const auto it = names.find(id);
    return escape_html(it == names.end() ? id : it->second);
  };
  for (const auto& l : r.latency) {
    o += "<tr><td>" + escape_html(l.variant) +
         "</td><td><span class=\"swatch\" style=\"background:" + provider_colour(r, l.provider) +
         "\"></span>" + provider_label(l.provider) + "</td><td>" + label(l.src) + "</td><td>" + label(l.dst) +
         "</td>";
    const bool none = l.rtt_samples_ms.empty() && l.unreachable_fraction >= 1.0;
    for (double x : {l.min_rtt_ms, l.median_rtt_ms, l.p95_rtt_ms, l.max_rtt_ms}) {
      o += "<td class=\"n\">" + (none ? std::string("&#8211;") : num(x, 1)) + "</td>";
    }
    o += fmt::format("<td class=\"n\">{}</td><td class=\"n\">{}</td></tr>", l.path_changes,
                     pct(l.unreachable_fraction));
  }
  o += "</tbody>";
  table_close(page);
  network_table(page, r);
  o += "</section>";
}

}  // namespace skyfence::report::internal::html
