// The parts report.html is made of (html.cpp puts them together): number formats, colours, the page's
// running figure and table numbers, maps, plots, and one function per section of the page (docs/report.md,
// "What the page shows"), each in its own html_<section>.cpp. The sections only render: the figures they
// show come from model.h ("The figures of report.html"), where they are computed and tested on their own.
#pragma once

#include <fmt/format.h>

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "skyfence/report/borders.h"
#include "skyfence/report/internal/geo.h"
#include "skyfence/report/internal/svg.h"
#include "skyfence/report/model.h"
#include "skyfence/time/instant.h"

namespace skyfence::report::internal::html {

// ---------------------------------------------------------------------------------------------
// Text (html_page.cpp). NaN is shown as an en dash.

// A share as percent with `decimals` decimals, e.g. "12.5&#160;%".
std::string pct(double x, int decimals = 1);
// A number with `decimals` decimals.
std::string num(double x, int decimals);
// "2026-04-27 00:00:00 UTC".
std::string utc(time::Instant t);
// An SVG coordinate pair "x y", to 0.1 px.
std::string xy(double x, double y);

// ---------------------------------------------------------------------------------------------
// Colours (html_page.cpp): one hue per provider in the run's order, neutral dark for "any", grey for
// the baseline among the variants.

inline constexpr const char* kAnyColour = "#343a40";
std::string provider_colour(const Results& r, std::string_view name);
std::string variant_colour(const Results& r, std::string_view id);
// "any provider" for "any", else the escaped name.
std::string provider_label(std::string_view name);

const ColorScale& coverage_scale();   // blues
const ColorScale& served_scale();     // greens
const ColorScale& lost_scale();       // reds
const ColorScale& recovered_scale();  // purples

// ---------------------------------------------------------------------------------------------
// The page (html_page.cpp).

class Page {
 public:
  std::string out;

  // Opens a figure; returns its number.
  int next_figure() { return ++figures_; }
  int next_table() { return ++tables_; }
  std::string unique_id(std::string_view prefix) { return fmt::format("{}-{}", prefix, ++ids_); }

 private:
  int figures_ = 0, tables_ = 0, ids_ = 0;
};

// A row of the service and reliance tables: the region (when it has cells or a reliance row), then each
// terminal group.
struct Scope {
  std::string kind;  // kScopeRegion or kScopeGroup
  std::string id;    // the region's name or the group's id
  std::string label;
};
std::vector<Scope> scopes(const Results& r);

// A table cell with a share and a bar of its length.
std::string bar_cell(double v, const std::string& colour);
// Opens a numbered table with its caption; table_close ends it.
void table_open(Page& page, const std::string& caption_html);
void table_close(Page& page);

// ---------------------------------------------------------------------------------------------
// Maps (html_maps.cpp).

// What every map of the run shares: the frame fitted to the cells and terminals, and the paths drawn.
struct MapBase {
  MapFrame frame;
  std::string land;                                  // path data of the country outlines in view
  std::vector<std::string> cells;                    // path data per cell
  std::vector<std::pair<double, double>> terminals;  // x, y per terminal (a moving one: where it starts)
  std::vector<std::string> tracks;                   // path data per moving terminal
  std::string graticule;                             // path data
  std::string graticule_labels;                      // SVG text elements
};
MapBase make_map_base(const Results& r, const BorderMap& borders);

// One map figure: values per cell (NaN: no data, drawn grey) coloured by `scale` over [0, 1].
void map_figure(Page& page, const MapBase& base, const std::vector<double>& values, const ColorScale& scale,
                const std::string& title_html, const std::string& caption_html,
                const std::string& legend_label, bool show_terminals);

// ---------------------------------------------------------------------------------------------
// Plots (html_plots.cpp).

// A plot's frame in SVG pixels: the plotting area is inner_w() x plot_h, inside margins. Full-width
// plots are 1100 wide and half-width ones 540, so that text keeps about its CSS size on a desktop.
struct PlotArea {
  double width = 1100.0, plot_h = 240.0;
  double left = 60.0, right = 16.0, top = 36.0, bottom = 44.0;
  [[nodiscard]] double inner_w() const { return width - left - right; }
  [[nodiscard]] double inner_h() const { return plot_h; }
  [[nodiscard]] double height() const { return top + plot_h + bottom; }
};

std::string svg_open(const PlotArea& a, const std::string& label);

// Y axis with grid lines; `to_y` maps a value to pixels; `fmt_tick` writes a label.
template <class ToY, class Fmt>
std::string y_axis(const PlotArea& a, const std::vector<double>& ticks, ToY to_y, Fmt fmt_tick,
                   const std::string& title) {
  std::string s;
  for (double t : ticks) {
    const double y = to_y(t);
    s += fmt::format("<line class=\"gridline\" x1=\"{:.1f}\" x2=\"{:.1f}\" y1=\"{:.1f}\" y2=\"{:.1f}\"/>",
                     a.left, a.width - a.right, y, y);
    s += fmt::format("<text class=\"tick\" x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"end\">{}</text>",
                     a.left - 6.0, y + 3.5, fmt_tick(t));
  }
  s += fmt::format(
      "<text class=\"axis-title\" transform=\"translate(14 {:.1f}) rotate(-90)\" "
      "text-anchor=\"middle\">{}</text>",
      a.top + a.inner_h() / 2.0, title);
  return s;
}

struct LegendItem {
  std::string colour;
  std::string label_html;
  bool dashed = false;
};

// Legend entries laid out left to right, wrapping onto new rows within the plot's width; places
// the plot's top below the last row.
struct Legend {
  std::string svg;
  double height = 0.0;
};
Legend plot_legend(PlotArea& a, const std::vector<LegendItem>& items, bool lines);

// ---------------------------------------------------------------------------------------------
// Sections, in the page's order; each appends to page.out. `base` is nullptr when the run has no cells.

void summary_section(Page& page, const Results& r);                        // html_summary.cpp
void service_section(Page& page, const Results& r, const MapBase* base);   // html_service.cpp
void reliance_section(Page& page, const Results& r, const MapBase* base);  // html_reliance.cpp
void capacity_section(Page& page, const Results& r, const MapBase* base);  // html_capacity.cpp
void enforcement_section(Page& page, const Results& r);                    // html_enforcement.cpp
void latency_section(Page& page, const Results& r);                        // html_latency.cpp
void in_view_section(Page& page, const Results& r);                        // html_in_view.cpp
void passes_section(Page& page, const Results& r);                         // html_passes.cpp
void data_section(Page& page, const Results& r);                           // html_data.cpp

}  // namespace skyfence::report::internal::html
