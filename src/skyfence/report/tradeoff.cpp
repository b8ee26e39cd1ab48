// The standalone trade-off plot; see tradeoff.h.
#include "skyfence/report/tradeoff.h"

#include <algorithm>
#include <vector>

#include <fmt/core.h>

#include "skyfence/report/internal/svg.h"

namespace skyfence::report {

namespace {

// Colour-blind-safe categorical colours (Okabe and Ito, 2008).
constexpr const char* kSeriesColours[] = {"#0072B2", "#D55E00", "#009E73", "#CC79A7",
                                          "#E69F00", "#56B4E9", "#000000"};

std::string tick_text(double v) {
  return fmt::format("{:g}", v);
}

}  // namespace

std::string tradeoff_svg(std::span<const TradeoffPoint> points, const std::string& title,
                         const std::string& x_title, const std::string& y_title) {
  using internal::escape_html;
  constexpr double kW = 720.0, kH = 480.0, kLeft = 72.0, kRight = 150.0, kTop = 44.0, kBottom = 56.0;
  const double inner_w = kW - kLeft - kRight, inner_h = kH - kTop - kBottom;
  double max_x = 1e-9, max_y = 1e-9;
  for (const TradeoffPoint& p : points) {
    max_x = std::max(max_x, p.x);
    max_y = std::max(max_y, p.y);
  }
  const std::vector<double> xt = internal::nice_ticks(0.0, max_x, 5);
  const std::vector<double> yt = internal::nice_ticks(0.0, max_y, 5);
  const double x_hi = std::max(max_x, xt.back()), y_hi = std::max(max_y, yt.back());
  const auto to_x = [&](double v) { return kLeft + v / x_hi * inner_w; };
  const auto to_y = [&](double v) { return kTop + inner_h - v / y_hi * inner_h; };

  std::string s = fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"tradeoff\" width=\"{0:.0f}\" height=\"{1:.0f}\" "
      "viewBox=\"0 0 {0:.0f} {1:.0f}\" role=\"img\" aria-label=\"{2}\">\n"
      "<style>.tradeoff text{{font-family:sans-serif;font-size:12px;fill:#222}}.tradeoff .tg{{stroke:#ddd}}"
      ".tradeoff .ta{{stroke:#444}}.tradeoff .tt{{font-size:15px;font-weight:bold}}"
      ".tradeoff .tl{{font-size:11px}}</style>\n"
      "<rect width=\"100%\" height=\"100%\" fill=\"#fff\"/>\n"
      "<text class=\"tt\" x=\"{3:.1f}\" y=\"24\">{2}</text>\n",
      kW, kH, escape_html(title), kLeft);
  for (double t : xt) {
    s += fmt::format(
        "<line class=\"tg\" x1=\"{0:.1f}\" x2=\"{0:.1f}\" y1=\"{1:.1f}\" y2=\"{2:.1f}\"/>"
        "<text x=\"{0:.1f}\" y=\"{3:.1f}\" text-anchor=\"middle\">{4}</text>\n",
        to_x(t), kTop, kTop + inner_h, kTop + inner_h + 16.0, tick_text(t));
  }
  for (double t : yt) {
    s += fmt::format(
        "<line class=\"tg\" x1=\"{0:.1f}\" x2=\"{1:.1f}\" y1=\"{2:.1f}\" y2=\"{2:.1f}\"/>"
        "<text x=\"{3:.1f}\" y=\"{4:.1f}\" text-anchor=\"end\">{5}</text>\n",
        kLeft, kLeft + inner_w, to_y(t), kLeft - 6.0, to_y(t) + 4.0, tick_text(t));
  }
  s += fmt::format(
      "<line class=\"ta\" x1=\"{0:.1f}\" x2=\"{1:.1f}\" y1=\"{2:.1f}\" y2=\"{2:.1f}\"/>"
      "<line class=\"ta\" x1=\"{0:.1f}\" x2=\"{0:.1f}\" y1=\"{3:.1f}\" y2=\"{2:.1f}\"/>\n",
      kLeft, kLeft + inner_w, kTop + inner_h, kTop);
  s += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"middle\">{}</text>\n",
                   kLeft + inner_w / 2.0, kH - 14.0, escape_html(x_title));
  s += fmt::format("<text transform=\"translate(18 {:.1f}) rotate(-90)\" text-anchor=\"middle\">{}</text>\n",
                   kTop + inner_h / 2.0, escape_html(y_title));
  // Series in order of first appearance, each a polyline through its points and markers.
  std::vector<std::string> series;
  for (const TradeoffPoint& p : points) {
    if (std::find(series.begin(), series.end(), p.series) == series.end()) series.push_back(p.series);
  }
  for (std::size_t k = 0; k < series.size(); ++k) {
    const char* colour = kSeriesColours[k % std::size(kSeriesColours)];
    std::string line;
    for (const TradeoffPoint& p : points) {
      if (p.series != series[k]) continue;
      line += fmt::format("{:.1f},{:.1f} ", to_x(p.x), to_y(p.y));
    }
    s += fmt::format("<polyline points=\"{}\" fill=\"none\" stroke=\"{}\" stroke-opacity=\"0.5\"/>\n", line,
                     colour);
    for (const TradeoffPoint& p : points) {
      if (p.series != series[k]) continue;
      s += fmt::format(
          "<circle cx=\"{0:.1f}\" cy=\"{1:.1f}\" r=\"4.5\" fill=\"{2}\"><title>{3}: {4:g}, {5:g}</title>"
          "</circle><text class=\"tl\" x=\"{6:.1f}\" y=\"{7:.1f}\">{3}</text>\n",
          to_x(p.x), to_y(p.y), colour, escape_html(p.label), p.x, p.y, to_x(p.x) + 7.0, to_y(p.y) - 6.0);
    }
    const double ly = kTop + 8.0 + 20.0 * static_cast<double>(k);
    s += fmt::format(
        "<circle cx=\"{0:.1f}\" cy=\"{1:.1f}\" r=\"4.5\" fill=\"{2}\"/><text x=\"{3:.1f}\" "
        "y=\"{4:.1f}\">{5}</text>\n",
        kLeft + inner_w + 20.0, ly, colour, kLeft + inner_w + 30.0, ly + 4.0, escape_html(series[k]));
  }
  s += "</svg>\n";
  return s;
}

}  // namespace skyfence::report
