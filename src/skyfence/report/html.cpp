#include "skyfence/report/html.h"

#include "skyfence/core/statistics.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <optional>
#include <set>

#include "skyfence/core/atomic_file.h"
#include "skyfence/report/internal/geo.h"
#include "skyfence/report/internal/passes.h"
#include "skyfence/report/internal/svg.h"
#include "skyfence/time/scales.h"

namespace skyfence::report {

namespace {

using internal::ColorScale;
using internal::escape_html;
using internal::MapFrame;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Palettes: one hue per provider (colour-blind safe order), neutral dark for "any".
const std::vector<std::string> kProviderColours = {"#2563a8", "#e07b1f", "#2e9e6b", "#b0407a",
                                                   "#7356b8", "#1f9bb0", "#8c6d31"};
constexpr const char* kAnyColour = "#343a40";
const std::vector<std::string> kVariantColours = {"#475569", "#e07b1f", "#b0407a", "#2e9e6b",
                                                  "#7356b8", "#1f9bb0", "#8c6d31"};
const std::vector<std::string> kGroupColours = {"#2563a8", "#e07b1f", "#2e9e6b", "#b0407a",
                                                "#7356b8", "#1f9bb0", "#8c6d31", "#5f6b7a"};

const ColorScale& coverage_scale() {
  static const ColorScale s({"#f1f5fb", "#c6dbef", "#6baed6", "#2171b5", "#08306b"});
  return s;
}
const ColorScale& served_scale() {
  static const ColorScale s({"#f3faf0", "#c7e9c0", "#74c476", "#238b45", "#00441b"});
  return s;
}
const ColorScale& lost_scale() {
  static const ColorScale s({"#fff5f0", "#fcbba1", "#fb6a4a", "#cb181d", "#67000d"});
  return s;
}
const ColorScale& recovered_scale() {
  static const ColorScale s({"#f6f3fa", "#dadaeb", "#9e9ac8", "#6a51a3", "#3f007d"});
  return s;
}

std::string pct(double x, int decimals = 1) {
  if (std::isnan(x)) return "&#8211;";
  return fmt::format("{:.{}f}&#160;%", 100.0 * x, decimals);
}

std::string num(double x, int decimals) {
  if (std::isnan(x)) return "&#8211;";
  return fmt::format("{:.{}f}", x, decimals);
}

std::string utc(time::Instant t) {
  std::string s = time::format_iso8601(t, 0);
  std::replace(s.begin(), s.end(), 'T', ' ');
  if (!s.empty() && s.back() == 'Z') s.replace(s.size() - 1, 1, " UTC");
  return s;
}

std::string provider_colour(const Results& r, std::string_view name) {
  if (name == kAnyProvider) return kAnyColour;
  for (std::size_t i = 0; i < r.providers.size(); ++i) {
    if (r.providers[i].name == name) return kProviderColours[i % kProviderColours.size()];
  }
  return kAnyColour;
}

std::string variant_colour(const Results& r, std::string_view id) {
  for (std::size_t i = 0; i < r.variants.size(); ++i) {
    if (r.variants[i].id == id) {
      return i == 0 ? kVariantColours[0] : kVariantColours[1 + (i - 1) % (kVariantColours.size() - 1)];
    }
  }
  return kVariantColours[0];
}

std::string provider_label(std::string_view name) {
  return name == kAnyProvider ? std::string("any provider") : escape_html(name);
}

// ---------------------------------------------------------------------------------------------
// Aggregates over the region's cells and a group's terminals.

// Area-weighted mean over the cells of a layer's field; NaN without the layer or cells.
template <class F>
double region_mean(const Results& r, std::string_view variant, std::string_view provider, F field) {
  const CellLayer* l = r.cell_layer(variant, provider);
  if (l == nullptr || r.cells.empty()) return kNaN;
  return weighted_mean(
      r.cells.size(), [&](std::size_t i) { return field(l->stats[i]); },
      [&](std::size_t i) { return r.cells[i].area_km2; }, kNaN);
}

// Mean over the group's terminals of a service field; NaN without rows.
template <class F>
double group_mean(const Results& r, std::string_view group, std::string_view variant,
                  std::string_view provider, F field) {
  std::set<std::string_view> members;
  for (const auto& t : r.terminals) {
    if (t.group == group) members.insert(t.id);
  }
  double sum = 0.0;
  int n = 0;
  for (const auto& s : r.terminal_service) {
    if (s.variant == variant && s.provider == provider && members.count(s.terminal) != 0) {
      sum += field(s);
      ++n;
    }
  }
  return n > 0 ? sum / n : kNaN;
}

const Reliance* find_reliance(const Results& r, std::string_view scope, std::string_view id,
                              std::string_view variant) {
  for (const auto& x : r.reliance) {
    if (x.scope == scope && x.scope_id == id && x.variant == variant) return &x;
  }
  return nullptr;
}

// Served share by any provider of a scope in a variant: the reliance row when given, else the
// (area-weighted) mean served fraction, which is the same quantity (docs/report.md).
double served_any(const Results& r, std::string_view scope, std::string_view id, std::string_view variant) {
  if (const Reliance* x = find_reliance(r, scope, id, variant)) return x->served_share_any;
  const auto served = [](const auto& s) { return s.served_fraction; };
  if (scope == kScopeRegion) return region_mean(r, variant, kAnyProvider, served);
  return group_mean(r, id, variant, kAnyProvider, served);
}

struct Scope {
  std::string kind;
  std::string id;
  std::string label;
};

std::vector<Scope> scopes(const Results& r) {
  std::vector<Scope> out;
  if (!r.cells.empty() ||
      find_reliance(r, kScopeRegion, r.run.region_name, r.variants.front().id) != nullptr) {
    out.push_back({std::string(kScopeRegion), r.run.region_name,
                   (r.run.region_name.empty() ? std::string("Region") : r.run.region_name) + " (area)"});
  }
  for (const auto& g : r.groups)
    out.push_back({std::string(kScopeGroup), g.id, g.name.empty() ? g.id : g.name});
  return out;
}

// ---------------------------------------------------------------------------------------------
// Maps.

struct MapBase {
  MapFrame frame;
  std::string land;                                  // path data of the country outlines in view
  std::vector<std::string> cells;                    // path data per cell
  std::vector<std::pair<double, double>> terminals;  // x, y per terminal
  std::string graticule;                             // path data
  std::string graticule_labels;                      // SVG text elements
};

std::string xy(double x, double y) {
  return fmt::format("{:.1f} {:.1f}", x, y);
}

MapBase make_map_base(const Results& r, const BorderMap& borders) {
  MapBase m;
  std::vector<double> lons;
  for (const auto& c : r.cells) lons.push_back(c.lon_deg);
  for (const auto& t : r.terminals) lons.push_back(t.lon_deg);
  const double ref = internal::circular_mean_lon(lons);
  double lon_min = 1e9, lon_max = -1e9, lat_min = 1e9, lat_max = -1e9;
  const auto extend = [&](double lon, double lat) {
    lon_min = std::min(lon_min, lon);
    lon_max = std::max(lon_max, lon);
    lat_min = std::min(lat_min, lat);
    lat_max = std::max(lat_max, lat);
  };
  for (const auto& c : r.cells) {
    const double clon = internal::unwrap_lon(c.lon_deg, ref);
    for (const auto& v : c.vertices) extend(internal::unwrap_lon(v.lon_deg, clon), v.lat_deg);
  }
  for (const auto& t : r.terminals) extend(internal::unwrap_lon(t.lon_deg, ref), t.lat_deg);
  m.frame = internal::fit_frame(ref, lon_min, lon_max, lat_min, lat_max, 560.0, 300.0, 520.0);
  const MapFrame& f = m.frame;

  for (const auto& c : r.cells) {
    const double clon = internal::unwrap_lon(c.lon_deg, ref);
    std::string d;
    for (std::size_t k = 0; k < c.vertices.size(); ++k) {
      const auto& v = c.vertices[k];
      d += (k ? "L" : "M") + xy(f.x(internal::unwrap_lon(v.lon_deg, clon)), f.y(v.lat_deg));
    }
    m.cells.push_back(d + "Z");
  }
  for (const auto& t : r.terminals)
    m.terminals.emplace_back(f.x(internal::unwrap_lon(t.lon_deg, ref)), f.y(t.lat_deg));

  // Country outlines: each ring unwrapped point to point, then moved by whole turns next to the
  // frame; rings outside the frame are skipped and points closer than 0.6 px to the last kept dropped.
  const double margin = 2.0;
  for (const auto& country : borders.countries) {
    for (const auto& ring : country.rings) {
      if (ring.size() < 4) continue;
      std::vector<earth::LonLatDeg> u(ring.begin(), ring.end());
      double lo = u[0].lon_deg, hi = u[0].lon_deg, la = u[0].lat_deg, ha = u[0].lat_deg;
      for (std::size_t i = 1; i < u.size(); ++i) {
        u[i].lon_deg = internal::unwrap_lon(u[i].lon_deg, u[i - 1].lon_deg);
        lo = std::min(lo, u[i].lon_deg);
        hi = std::max(hi, u[i].lon_deg);
        la = std::min(la, u[i].lat_deg);
        ha = std::max(ha, u[i].lat_deg);
      }
      if (ha < f.lat_min_deg - margin || la > f.lat_max_deg + margin) continue;
      for (int turn = -2; turn <= 2; ++turn) {
        const double shift = 360.0 * turn;
        if (hi + shift < f.lon_min_deg - margin || lo + shift > f.lon_max_deg + margin) continue;
        std::string d;
        double lx = 0.0, ly = 0.0;
        for (std::size_t i = 0; i < u.size(); ++i) {
          const double x = f.x(u[i].lon_deg + shift), y = f.y(u[i].lat_deg);
          if (i > 0 && i + 1 < u.size() && std::hypot(x - lx, y - ly) < 0.6) continue;
          d += (i ? "L" : "M") + xy(x, y);
          lx = x;
          ly = y;
        }
        m.land += d + "Z";
      }
    }
  }

  // Graticule at round degrees, labelled on the left and bottom edges.
  const auto lat_ticks = internal::nice_ticks(f.lat_min_deg, f.lat_max_deg, 4);
  const auto lon_ticks = internal::nice_ticks(f.lon_min_deg, f.lon_max_deg, 5);
  const auto deg_text = [](double v, char pos, char neg) {
    const double a = std::fabs(v);
    const std::string n =
        std::fabs(a - std::round(a)) < 1e-6 ? fmt::format("{:.0f}", a) : fmt::format("{:.1f}", a);
    return n + "&#176;" + (v > 1e-9 ? std::string(1, pos) : v < -1e-9 ? std::string(1, neg) : std::string());
  };
  for (double lat : lat_ticks) {
    const double y = f.y(lat);
    m.graticule += "M" + xy(0.0, y) + "H" + fmt::format("{:.1f}", f.width_px);
    if (y > 12.0 && y < f.height_px - 4.0) {
      m.graticule_labels += fmt::format("<text class=\"grat\" x=\"4\" y=\"{:.1f}\">{}</text>", y - 3.0,
                                        deg_text(lat, 'N', 'S'));
    }
  }
  for (double lon : lon_ticks) {
    const double x = f.x(lon);
    m.graticule += "M" + xy(x, 0.0) + "V" + fmt::format("{:.1f}", f.height_px);
    if (x > 24.0 && x < f.width_px - 24.0) {
      const double wrapped = internal::unwrap_lon(lon, 0.0);
      m.graticule_labels +=
          fmt::format("<text class=\"grat\" x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"middle\">{}</text>", x,
                      f.height_px - 5.0, deg_text(wrapped == -180.0 ? 180.0 : wrapped, 'E', 'W'));
    }
  }
  return m;
}

// Horizontal legend bar for a colour scale over [0, 1] shown as percent.
std::string legend_bar(const ColorScale& scale, const std::string& id, double x0, double y0,
                       const std::string& label) {
  std::string s = "<defs><linearGradient id=\"" + id + "\" x1=\"0\" x2=\"1\" y1=\"0\" y2=\"0\">";
  const auto& stops = scale.stops();
  for (std::size_t i = 0; i < stops.size(); ++i) {
    s += fmt::format("<stop offset=\"{:.3f}\" stop-color=\"{}\"/>",
                     static_cast<double>(i) / static_cast<double>(stops.size() - 1), stops[i]);
  }
  s += "</linearGradient></defs>";
  const double w = 220.0;
  s += fmt::format("<text class=\"legend-title\" x=\"{:.1f}\" y=\"{:.1f}\">{}</text>", x0, y0 + 8.0, label);
  const double bx = x0 + 150.0;
  s += fmt::format(
      "<rect x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.0f}\" height=\"10\" rx=\"2\" fill=\"url(#{})\" "
      "stroke=\"#9aa5b1\" stroke-width=\"0.5\"/>",
      bx, y0, w, id);
  for (int k = 0; k <= 4; ++k) {
    const double x = bx + w * k / 4.0;
    s += fmt::format(
        "<line x1=\"{0:.1f}\" x2=\"{0:.1f}\" y1=\"{1:.1f}\" y2=\"{2:.1f}\" stroke=\"#6b7785\" "
        "stroke-width=\"0.6\"/>",
        x, y0 + 10.0, y0 + 13.0);
    s += fmt::format("<text class=\"tick\" x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"middle\">{}&#160;%</text>",
                     x, y0 + 24.0, 25 * k);
  }
  return s;
}

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

// One map figure: values per cell (NaN: no data, drawn grey) coloured by `scale` over [0, 1].
void map_figure(Page& page, const MapBase& base, const std::vector<double>& values, const ColorScale& scale,
                const std::string& title_html, const std::string& caption_html,
                const std::string& legend_label, bool show_terminals) {
  const MapFrame& f = base.frame;
  const int n = page.next_figure();
  const std::string clip = page.unique_id("clip"), grad = page.unique_id("grad");
  const double legend_h = 40.0;
  std::string& o = page.out;
  o += "<figure class=\"map\"><div class=\"fig-title\">" + title_html + "</div>";
  o += fmt::format("<svg viewBox=\"0 0 {:.0f} {:.0f}\" role=\"img\" aria-label=\"map {}\">", f.width_px,
                   f.height_px + legend_h, n);
  o += fmt::format("<defs><clipPath id=\"{}\"><rect width=\"{:.1f}\" height=\"{:.1f}\"/></clipPath></defs>",
                   clip, f.width_px, f.height_px);
  o += fmt::format("<rect class=\"sea\" width=\"{:.1f}\" height=\"{:.1f}\"/>", f.width_px, f.height_px);
  o += "<g clip-path=\"url(#" + clip + ")\">";
  o += "<path class=\"grid\" d=\"" + base.graticule + "\"/>";
  if (!base.land.empty()) o += "<path class=\"land\" d=\"" + base.land + "\"/>";
  o += "<g class=\"cells\">";
  for (std::size_t i = 0; i < base.cells.size(); ++i) {
    const std::string c = std::isnan(values[i]) ? std::string("#cfd4da") : scale.at(values[i]);
    o += "<path d=\"" + base.cells[i] + "\" fill=\"" + c + "\" stroke=\"" + c + "\"/>";
  }
  o += "</g>";
  if (!base.land.empty()) o += "<path class=\"border\" d=\"" + base.land + "\"/>";
  if (show_terminals) {
    for (const auto& [x, y] : base.terminals)
      o += fmt::format("<circle class=\"site\" cx=\"{:.1f}\" cy=\"{:.1f}\" r=\"2.6\"/>", x, y);
  }
  o += base.graticule_labels;
  o += "</g>";
  o += fmt::format("<rect class=\"frame\" width=\"{:.1f}\" height=\"{:.1f}\"/>", f.width_px, f.height_px);
  o += legend_bar(scale, grad, 8.0, f.height_px + 10.0, legend_label);
  o += "</svg>";
  o += fmt::format("<figcaption><b>Figure {}.</b> {}</figcaption></figure>", n, caption_html);
}

// ---------------------------------------------------------------------------------------------
// Plots.

// A plot's frame in SVG pixels: the plotting area is inner_w() x plot_h, inside margins. Full-width
// plots are 1100 wide and half-width ones 540, so that text keeps about its CSS size on a desktop.
struct PlotArea {
  double width = 1100.0, plot_h = 240.0;
  double left = 60.0, right = 16.0, top = 36.0, bottom = 44.0;
  [[nodiscard]] double inner_w() const { return width - left - right; }
  [[nodiscard]] double inner_h() const { return plot_h; }
  [[nodiscard]] double height() const { return top + plot_h + bottom; }
};

std::string svg_open(const PlotArea& a, const std::string& label) {
  return fmt::format("<svg viewBox=\"0 0 {:.0f} {:.0f}\" role=\"img\" aria-label=\"{}\">", a.width,
                     a.height(), label);
}

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
      const double val = served_any(r, sc[s].kind, sc[s].id, r.variants[v].id);
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

void latency_cdf(Page& page, const Results& r) {
  struct Line {
    std::string variant, provider;
    std::vector<double> samples;
  };
  std::vector<Line> lines;
  for (const auto& l : r.latency) {
    if (l.dst != kInternet || l.rtt_samples_ms.empty()) continue;
    auto it = std::find_if(lines.begin(), lines.end(),
                           [&](const Line& x) { return x.variant == l.variant && x.provider == l.provider; });
    if (it == lines.end()) it = lines.insert(lines.end(), Line{l.variant, l.provider, {}});
    it->samples.insert(it->samples.end(), l.rtt_samples_ms.begin(), l.rtt_samples_ms.end());
  }
  if (lines.empty()) return;
  double lo = std::numeric_limits<double>::infinity(), hi = 0.0;
  for (auto& l : lines) {
    std::sort(l.samples.begin(), l.samples.end());
    lo = std::min(lo, l.samples.front());
    hi = std::max(hi, l.samples.back());
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
    std::string d = "M" + xy(to_x(l.samples.front()), to_y(0.0));
    const double count = static_cast<double>(l.samples.size());
    for (std::size_t i = 0; i < l.samples.size(); ++i) {
      // Empirical CDF as steps: rises by 1/n at each sample.
      d += "H" + fmt::format("{:.1f}", to_x(l.samples[i])) + "V" +
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

// ---------------------------------------------------------------------------------------------
// Page sections.

const char* kCss = R"CSS(
:root{--ink:#1f2933;--muted:#5f6b7a;--line:#e3e8ee;--bg:#f7f9fb;--card:#ffffff;--accent:#2563a8}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--ink);font:15px/1.55 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,"Noto Sans",sans-serif;-webkit-font-smoothing:antialiased}
header{background:#16324f;color:#fff;padding:28px 0 24px}
header .wrap{display:flex;flex-direction:column;gap:4px}
header h1{margin:0;font-size:26px;font-weight:650;letter-spacing:-0.01em}
header .sub{color:#c9d6e3;font-size:14px}
.wrap{max-width:1180px;margin:0 auto;padding:0 24px}
main .wrap{padding-top:8px;padding-bottom:48px}
section{margin-top:36px}
h2{font-size:20px;font-weight:650;margin:0 0 6px;padding-bottom:6px;border-bottom:2px solid var(--line)}
h3{font-size:16px;font-weight:600;margin:22px 0 8px}
p{margin:6px 0 12px;max-width:880px}
.muted{color:var(--muted)}
.kpis{display:grid;grid-template-columns:repeat(auto-fit,minmax(200px,1fr));gap:12px;margin:18px 0 6px}
.kpi{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:14px 16px;border-top:4px solid var(--c,#2563a8)}
.kpi .v{font-size:28px;font-weight:650;letter-spacing:-0.02em;font-variant-numeric:tabular-nums}
.kpi .k{color:var(--muted);font-size:13px}
.grid2{display:grid;grid-template-columns:repeat(auto-fit,minmax(420px,1fr));gap:16px}
figure{margin:14px 0;background:var(--card);border:1px solid var(--line);border-radius:10px;padding:12px 14px 10px}
figure svg{display:block;width:100%;height:auto}
.fig-title{font-weight:600;font-size:14px;margin:0 0 8px}
figcaption{color:var(--muted);font-size:13px;margin-top:8px;line-height:1.45}
.table-wrap{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:4px 0 0;margin:14px 0;overflow-x:auto}
table{border-collapse:collapse;width:100%;font-size:13.5px;font-variant-numeric:tabular-nums}
caption{caption-side:bottom;text-align:left;color:var(--muted);font-size:13px;padding:8px 14px 10px;line-height:1.45}
th,td{padding:7px 12px;border-bottom:1px solid var(--line);text-align:left;vertical-align:top}
thead th{font-weight:600;color:#334155;background:#f1f4f8;border-bottom:1px solid #d5dde6;white-space:nowrap}
td.n,th.n{text-align:right;white-space:nowrap}
tbody tr:nth-child(even) td{background:#fafbfd}
tbody tr:last-child td{border-bottom:none}
.bar{display:inline-block;height:7px;border-radius:4px;background:var(--c,#2563a8);vertical-align:middle;margin-left:6px;opacity:.85}
.swatch{display:inline-block;width:10px;height:10px;border-radius:2px;margin-right:6px;vertical-align:baseline}
.badge{display:inline-block;padding:1px 7px;border-radius:9px;font-size:12px;font-weight:600}
.ok{background:#e3f4ea;color:#1d6b3d}.warn{background:#fdf0dc;color:#8a5300}.bad{background:#fde4e1;color:#9b1c1c}
details{margin:10px 0}
summary{cursor:pointer;color:var(--accent);font-weight:600}
code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12.5px;background:#eef2f6;padding:1px 4px;border-radius:4px}
svg text{font-family:inherit}
svg .tick{font-size:11px;fill:#5f6b7a}
svg .axis-title,svg .legend-title{font-size:12px;fill:#334155}
svg .legend{font-size:12px;fill:#1f2933}
svg .cat{font-size:12px;fill:#1f2933}
svg .bar-label{font-size:10.5px;fill:#334155}
svg .gridline{stroke:#e6ebf0;stroke-width:1}
svg .axis{stroke:#8a96a3;stroke-width:1}
svg .sea{fill:#e8eef4}
svg .land{fill:#fbfbf8;stroke:none}
svg .border{fill:none;stroke:#5b6675;stroke-width:0.7;stroke-linejoin:round;opacity:.75}
svg .grid{fill:none;stroke:#d3dce6;stroke-width:0.6}
svg .grat{font-size:10px;fill:#6b7785}
svg .frame{fill:none;stroke:#b8c2cc;stroke-width:1}
svg .cells path{stroke-width:0.6}
svg .site{fill:#ffffff;stroke:#111827;stroke-width:1.1}
footer{color:var(--muted);font-size:12.5px;border-top:1px solid var(--line);margin-top:40px;padding-top:14px}
@media (max-width:700px){.grid2{grid-template-columns:1fr}header h1{font-size:21px}}
)CSS";

std::string bar_cell(double v, const std::string& colour) {
  if (std::isnan(v)) return "<td class=\"n\">&#8211;</td>";
  return fmt::format("<td class=\"n\">{}<span class=\"bar\" style=\"--c:{};width:{:.0f}px\"></span></td>",
                     pct(v), colour, 4.0 + 56.0 * std::clamp(v, 0.0, 1.0));
}

void table_open(Page& page, const std::string& caption_html) {
  const int n = page.next_table();
  page.out +=
      fmt::format("<div class=\"table-wrap\"><table><caption><b>Table {}.</b> {}</caption>", n, caption_html);
}

void table_close(Page& page) {
  page.out += "</table></div>";
}

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
  const auto served = [](const CellStat& s) { return s.served_fraction; };
  if (!r.cells.empty()) {
    kpi(pct(region_mean(r, base, kAnyProvider, served)),
        "of " + region + " served by any provider (area-time)", kAnyColour);
    for (const auto& p : r.providers) {
      kpi(pct(region_mean(r, base, p.name, served)), "served by " + escape_html(p.name) + " under its policy",
          provider_colour(r, p.name));
    }
  }
  if (const Reliance* x = find_reliance(r, kScopeRegion, r.run.region_name, base)) {
    kpi(pct(x->single_provider_share), "served by one provider only (single-provider dependence)", "#b45309");
  }
  double worst = -1.0;
  std::string worst_id;
  for (std::size_t v = 1; v < r.variants.size(); ++v) {
    const double b = served_any(r, kScopeRegion, r.run.region_name, base);
    const double d = served_any(r, kScopeRegion, r.run.region_name, r.variants[v].id);
    if (!std::isnan(b) && !std::isnan(d) && b - d > worst) {
      worst = b - d;
      worst_id = r.variants[v].id;
    }
  }
  if (worst >= 0.0) {
    kpi(fmt::format("{:.1f}&#160;pp", 100.0 * worst),
        "largest drop in service by any provider: " + escape_html(worst_id), "#9b1c1c");
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

void service_section(Page& page, const Results& r, const MapBase* base) {
  std::string& o = page.out;
  const std::string& bv = r.variants.front().id;
  o += "<section id=\"service\"><h2>Service in the region and the terminal groups</h2>";
  o += "<p>How much of the region and of each terminal group each provider covers (enough satellites above "
       "its "
       "minimum elevation) and serves under its policy, and how much at least one provider serves, in the "
       "baseline."
       "</p>";
  const auto sc = scopes(r);
  std::vector<std::string> cols;
  for (const auto& p : r.providers) cols.push_back(p.name);
  cols.emplace_back(kAnyProvider);
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
  for (const auto& s : sc) {
    o += "<tr><td>" + escape_html(s.label) + "</td>";
    for (const auto& c : cols) {
      double cov = kNaN, srv = kNaN;
      if (s.kind == kScopeRegion) {
        cov = region_mean(r, bv, c, [](const CellStat& x) { return x.coverage_fraction; });
        srv = region_mean(r, bv, c, [](const CellStat& x) { return x.served_fraction; });
      } else {
        cov = group_mean(r, s.id, bv, c, [](const TerminalService& x) { return x.coverage_fraction; });
        srv = group_mean(r, s.id, bv, c, [](const TerminalService& x) { return x.served_fraction; });
      }
      o += "<td class=\"n\">" + pct(cov) + "</td>" + bar_cell(srv, provider_colour(r, c));
    }
    o += "</tr>";
  }
  o += "</tbody>";
  table_close(page);

  if (base != nullptr) {
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
      map_figure(page, *base, cov, coverage_scale(), "Coverage: " + provider_label(c),
                 "Share of time steps at which each cell of " + region + " has enough satellites of " +
                     provider_label(c) + " above the minimum elevation, baseline (percent).",
                 "covered time (%)", true);
      map_figure(page, *base, srv, served_scale(), "Served under policy: " + provider_label(c),
                 "Share of time steps at which each cell of " + region + " is served by " +
                     provider_label(c) +
                     (c == kAnyProvider ? std::string(" (at least one provider, each under its own policy)")
                                        : std::string(" under its policy")) +
                     ", baseline (percent).",
                 "served time (%)", true);
    }
    o += "</div>";
  }
  o += "</section>";
}

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
  for (const auto& s : sc) any_baseline = any_baseline || find_reliance(r, s.kind, s.id, bv) != nullptr;
  if (any_baseline) {
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
      const Reliance* x = find_reliance(r, s.kind, s.id, bv);
      if (x == nullptr) continue;
      o += "<tr><td>" + escape_html(s.label) + "</td>" + bar_cell(x->served_share_any, kAnyColour) +
           bar_cell(x->single_provider_share, "#b45309");
      for (const auto& p : r.providers) {
        double served = kNaN, sole = kNaN;
        for (const auto& q : x->providers) {
          if (q.provider == p.name) {
            served = q.served_share;
            sole = q.sole_share;
          }
        }
        o += "<td class=\"n\">" + pct(served) + "</td><td class=\"n\">" + pct(sole) + "</td>";
      }
      o += "</tr>";
    }
    o += "</tbody>";
    table_close(page);
  }

  if (r.variants.size() > 1) {
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
        const Reliance* x = find_reliance(r, s.kind, s.id, var.id);
        const double now = served_any(r, s.kind, s.id, var.id), was = served_any(r, s.kind, s.id, bv);
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
  bar_chart(page, r);

  if (base != nullptr) {
    const std::string region =
        escape_html(r.run.region_name.empty() ? std::string("region") : r.run.region_name);
    for (std::size_t v = 1; v < r.variants.size(); ++v) {
      const auto& var = r.variants[v];
      const CellLayer* any_b = r.cell_layer(bv, kAnyProvider);
      const CellLayer* any_v = r.cell_layer(var.id, kAnyProvider);
      if (any_b == nullptr || any_v == nullptr) continue;
      const CellLayer* p_b = var.provider.empty() ? nullptr : r.cell_layer(bv, var.provider);
      const CellLayer* p_v = var.provider.empty() ? nullptr : r.cell_layer(var.id, var.provider);
      const std::size_t n = r.cells.size();
      o += "<h3>Variant " + escape_html(var.id) + "</h3><div class=\"grid2\">";
      if (var.kind == VariantKind::add_provider || var.provider.empty()) {
        std::vector<double> gain(n);
        for (std::size_t i = 0; i < n; ++i) {
          gain[i] = std::max(0.0, any_v->stats[i].served_fraction - any_b->stats[i].served_fraction);
        }
        map_figure(page, *base, gain, served_scale(), "Gained: " + escape_html(var.id),
                   "Increase, from the baseline to variant " + escape_html(var.id) +
                       ", of the share of time steps at which each cell of " + region +
                       " is served by at least one provider (percentage points of time).",
                   "gained time (%)", false);
      } else {
        std::vector<double> lost(n), recovered(n);
        for (std::size_t i = 0; i < n; ++i) {
          // Per cell, from time fractions: exact when the variant only removes the named provider's service
          // (docs/report.md, "Maps of a variant").
          const double l = p_b == nullptr
                               ? 0.0
                               : std::max(0.0, p_b->stats[i].served_fraction -
                                                   (p_v == nullptr ? 0.0 : p_v->stats[i].served_fraction));
          const double net = std::max(0.0, any_b->stats[i].served_fraction - any_v->stats[i].served_fraction);
          lost[i] = l;
          // Share of the lost time that others recover; no value (grey) where nothing was lost.
          recovered[i] = l > 0.0 ? std::clamp((l - net) / l, 0.0, 1.0) : kNaN;
        }
        map_figure(page, *base, lost, lost_scale(),
                   "Lost: " + escape_html(var.provider) + " in " + escape_html(var.id),
                   "Share of time steps at which " + escape_html(var.provider) + " served each cell of " +
                       region + " in the baseline but no longer does in variant " + escape_html(var.id) +
                       " (percent of time).",
                   "lost time (%)", false);
        map_figure(page, *base, recovered, recovered_scale(), "Recovered by others in " + escape_html(var.id),
                   "Of the time steps that " + escape_html(var.provider) +
                       " no longer serves in each cell of " + region +
                       ", the share at which another provider still serves it (percent of the lost time; "
                       "the rest is lost to every provider). Grey: nothing lost.",
                   "recovered of lost (%)", false);
      }
      o += "</div>";
    }
  }
  o += "</section>";
}

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
  o += "</section>";
}

void timeseries_section(Page& page, const Results& r) {
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

void data_section(Page& page, const Results& r) {
  std::string& o = page.out;
  o += "<section id=\"data\"><h2>Data and run</h2>";
  table_open(
      page,
      "Providers and the age of their element sets: the oldest and newest element-set epoch (UTC) and the "
      "age of "
      "the oldest at the start of the run (days; SGP4 errors grow by roughly 1&#8211;3 km per day of age). "
      "Badges: under 3 days fresh, 3&#8211;14 days ageing, older stale.");
  o += "<thead><tr><th>Provider</th><th>Source</th><th class=\"n\">satellites</th><th class=\"n\">min "
       "elevation "
       "(deg)</th><th>Policy</th><th>Oldest epoch</th><th>Newest epoch</th><th class=\"n\">age at start "
       "(days)</th></tr></thead><tbody>";
  for (const auto& p : r.providers) {
    const double age = (r.run.start - p.epoch_min).to_days();
    const std::string cls = age < 3.0 ? "ok" : age < 14.0 ? "warn" : "bad";
    const std::string word = age < 3.0 ? "fresh" : age < 14.0 ? "ageing" : "stale";
    o += "<tr><td><span class=\"swatch\" style=\"background:" + provider_colour(r, p.name) + "\"></span>" +
         escape_html(p.name) + "</td><td><code>" + escape_html(p.source) + "</code></td>" +
         fmt::format("<td class=\"n\">{}</td><td class=\"n\">{}</td>", p.satellite_count,
                     num(p.min_elevation_deg, 1)) +
         "<td>" +
         (p.policy.empty() ? std::string("<span class=\"muted\">none</span>") : escape_html(p.policy)) +
         "</td><td>" + utc(p.epoch_min) + "</td><td>" + utc(p.epoch_max) + "</td><td class=\"n\">" +
         num(age, 2) + " <span class=\"badge " + cls + "\">" + word + "</span></td></tr>";
  }
  o += "</tbody>";
  table_close(page);

  table_open(page, "The run: scenario, time window (UTC), random seed, software and inputs.");
  o += "<tbody>";
  const auto row = [&](const std::string& k, const std::string& v) {
    o += "<tr><th>" + k + "</th><td>" + v + "</td></tr>";
  };
  row("Scenario",
      escape_html(r.run.scenario_name) + (r.run.scenario_path.empty()
                                              ? std::string(" <span class=\"muted\">(bundled)</span>")
                                              : " <code>" + escape_html(r.run.scenario_path) + "</code>"));
  row("Region", escape_html(r.run.region_name) +
                    (r.run.region_area_km2 > 0.0 ? fmt::format(" ({:.0f} km&#178;)", r.run.region_area_km2)
                                                 : std::string()));
  row("Window", utc(r.run.start) + " to " + utc(r.run.stop) + ", step " +
                    escape_html(time::format_duration(r.run.step)) +
                    fmt::format(" ({} steps)", r.run.step_count));
  row("Seed", fmt::format("{}", r.run.seed));
  row("Software", escape_html(r.run.software_version));
  row("Created", utc(r.run.created));
  for (const auto& in : r.run.inputs)
    row("Input: " + escape_html(in.role), "<code>" + escape_html(in.path) + "</code>");
  o += "</tbody>";
  table_close(page);

  if (!r.terminals.empty()) {
    o += fmt::format("<details><summary>Service of each terminal in the baseline ({} terminals)</summary>",
                     r.terminals.size());
    table_open(
        page,
        "Each terminal's share of time steps served under policy by each provider in the baseline (percent), "
        "with the provider's policy decision and its reason.");
    o += "<thead><tr><th>Terminal</th><th>Group</th><th>Class</th>";
    for (const auto& p : r.providers)
      o += "<th class=\"n\">" + escape_html(p.name) + "</th><th>decision</th>";
    o += "<th class=\"n\">any provider</th></tr></thead><tbody>";
    const std::string& bv = r.variants.front().id;
    for (const auto& t : r.terminals) {
      o += "<tr><td>" + escape_html(t.name.empty() ? t.id : t.name) + "</td><td>" + escape_html(t.group) +
           "</td><td>" + escape_html(t.customer_class) + "</td>";
      const auto find = [&](const std::string& p) -> const TerminalService* {
        for (const auto& s : r.terminal_service) {
          if (s.variant == bv && s.provider == p && s.terminal == t.id) return &s;
        }
        return nullptr;
      };
      for (const auto& p : r.providers) {
        const TerminalService* s = find(p.name);
        o += "<td class=\"n\">" + (s ? pct(s->served_fraction) : std::string("&#8211;")) + "</td><td>" +
             (s ? escape_html(to_string(s->decision)) +
                      (s->reason.empty() ? std::string() : ": " + escape_html(s->reason))
                : std::string()) +
             "</td>";
      }
      const TerminalService* a = find(std::string(kAnyProvider));
      o += "<td class=\"n\">" + (a ? pct(a->served_fraction) : std::string("&#8211;")) + "</td></tr>";
    }
    o += "</tbody>";
    table_close(page);
    o += "</details>";
  }
  o += "</section>";
}

}  // namespace

std::string render_report_html(const Results& r, const BorderMap& borders) {
  validate(r);
  Page page;
  std::string& o = page.out;
  const std::string title = "skyfence report: " + escape_html(r.run.scenario_name);
  o += "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"/>"
       "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>"
       "<meta name=\"generator\" content=\"" +
       escape_html(r.run.software_version) + "\"/><title>" + title + "</title><style>" + kCss +
       "</style></head><body>";
  o += "<header><div class=\"wrap\"><h1>" + title + "</h1><div class=\"sub\">" +
       escape_html(r.run.region_name.empty() ? std::string("") : r.run.region_name + " \xc2\xb7 ") +
       utc(r.run.start) + " to " + utc(r.run.stop) + " \xc2\xb7 step " +
       escape_html(time::format_duration(r.run.step)) + " \xc2\xb7 " +
       fmt::format("{} providers, {} variants", r.providers.size(), r.variants.size()) +
       "</div></div></header>";
  o += "<main><div class=\"wrap\">";
  summary_section(page, r);
  std::optional<MapBase> base;
  if (!r.cells.empty()) base = make_map_base(r, borders);
  service_section(page, r, base ? &*base : nullptr);
  reliance_section(page, r, base ? &*base : nullptr);
  latency_section(page, r);
  timeseries_section(page, r);
  passes_section(page, r);
  data_section(page, r);
  o += "<footer>Made by " + escape_html(r.run.software_version) + " on " + utc(r.run.created) +
       ". Results: <code>results.sqlite</code> and the CSV and GeoJSON files beside this page (schema in "
       "<code>docs/results.md</code>). Borders: Natural Earth 1:50m.</footer>";
  o += "</div></main></body></html>\n";
  return o;
}

void write_report_html(const Results& results, const BorderMap& borders, const std::string& path) {
  const std::string page = render_report_html(results, borders);
  AtomicFile f(path);
  f.write(page);
  f.commit();
}

}  // namespace skyfence::report
