// Frames and legends of the plots of report.html.
#include "skyfence/report/internal/html_page.h"

namespace skyfence::report::internal::html {

std::string svg_open(const PlotArea& a, const std::string& label) {
  return fmt::format("<svg viewBox=\"0 0 {:.0f} {:.0f}\" role=\"img\" aria-label=\"{}\">", a.width,
                     a.height(), label);
}

Legend plot_legend(PlotArea& a, const std::vector<LegendItem>& items, bool lines) {
  Legend out;
  double x = a.left, y = 14.0;
  for (const auto& it : items) {
    // Width estimate: 6.6 px per character of the label (entities count as one).
    std::size_t chars = 0;
    for (std::size_t i = 0; i < it.label_html.size(); ++i) {
      if (it.label_html[i] == '&') i = std::min(it.label_html.find(';', i), it.label_html.size());
      ++chars;
    }
    const double w = (lines ? 23.0 : 17.0) + 6.6 * static_cast<double>(chars) + 18.0;
    if (x > a.left && x + w > a.width - a.right) {
      x = a.left;
      y += 20.0;
    }
    if (lines) {
      out.svg += fmt::format(
          "<line x1=\"{:.1f}\" x2=\"{:.1f}\" y1=\"{:.1f}\" y2=\"{:.1f}\" stroke=\"{}\" "
          "stroke-width=\"2.2\"{}/>",
          x, x + 18.0, y, y, it.colour, it.dashed ? " stroke-dasharray=\"5 3\"" : "");
    } else {
      out.svg +=
          fmt::format("<rect x=\"{:.1f}\" y=\"{:.1f}\" width=\"12\" height=\"12\" rx=\"2\" fill=\"{}\"/>", x,
                      y - 6.0, it.colour);
    }
    out.svg += fmt::format("<text class=\"legend\" x=\"{:.1f}\" y=\"{:.1f}\">{}</text>",
                           x + (lines ? 23.0 : 17.0), y + 4.0, it.label_html);
    x += w;
  }
  out.height = y + 12.0;
  a.top = out.height + 12.0;
  return out;
}

}  // namespace skyfence::report::internal::html
