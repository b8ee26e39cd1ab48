// The maps of report.html: one frame and set of paths for the run, coloured per figure.
#include "skyfence/report/internal/html_page.h"

#include <algorithm>
#include <cmath>

namespace skyfence::report::internal::html {

namespace {

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

// The country outlines in view of the frame, as path data.
std::string land_paths(const MapFrame& f, const BorderMap& borders) {
  std::string land;
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
        land += d + "Z";
      }
    }
  }
  return land;
}

// Grid lines at round degrees, labelled on the left and bottom edges.
void add_graticule(MapBase& m) {
  const MapFrame& f = m.frame;
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
}

}  // namespace

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
  for (const auto& t : r.terminals) {
    extend(internal::unwrap_lon(t.lon_deg, ref), t.lat_deg);
    for (const TrackPoint& p : t.track) extend(internal::unwrap_lon(p.lon_deg, ref), p.lat_deg);
  }
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
  for (const auto& t : r.terminals) {
    m.terminals.emplace_back(f.x(internal::unwrap_lon(t.lon_deg, ref)), f.y(t.lat_deg));
    // A moving terminal's trajectory through its samples (straight between them at this scale).
    std::string d;
    for (const TrackPoint& p : t.track)
      d += (d.empty() ? "M" : "L") + xy(f.x(internal::unwrap_lon(p.lon_deg, ref)), f.y(p.lat_deg));
    if (!d.empty()) m.tracks.push_back(std::move(d));
  }

  m.land = land_paths(f, borders);
  add_graticule(m);
  return m;
}

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
    for (const std::string& d : base.tracks) o += "<path class=\"track\" d=\"" + d + "\"/>";
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

}  // namespace skyfence::report::internal::html
