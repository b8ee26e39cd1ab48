// Formats, colours, scopes and tables shared by the sections of report.html.
#include "skyfence/report/internal/html_page.h"

#include <algorithm>
#include <cmath>

#include "skyfence/time/scales.h"

namespace skyfence::report::internal::html {

namespace {

const std::vector<std::string> kProviderColours = {"#2563a8", "#e07b1f", "#2e9e6b", "#b0407a",
                                                   "#7356b8", "#1f9bb0", "#8c6d31"};
const std::vector<std::string> kVariantColours = {"#475569", "#e07b1f", "#b0407a", "#2e9e6b",
                                                  "#7356b8", "#1f9bb0", "#8c6d31"};

}  // namespace

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

std::string pct(double x, int decimals) {
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

std::vector<Scope> scopes(const Results& r) {
  std::vector<Scope> out;
  if (!r.cells.empty() || r.reliance_row(kScopeRegion, r.run.region_name, r.variants.front().id) != nullptr) {
    out.push_back({std::string(kScopeRegion), r.run.region_name,
                   (r.run.region_name.empty() ? std::string("Region") : r.run.region_name) + " (area)"});
  }
  for (const auto& g : r.groups)
    out.push_back({std::string(kScopeGroup), g.id, g.name.empty() ? g.id : g.name});
  return out;
}

std::string xy(double x, double y) {
  return fmt::format("{:.1f} {:.1f}", x, y);
}

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

}  // namespace skyfence::report::internal::html
