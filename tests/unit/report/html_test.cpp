#include "skyfence/report/html.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <pugixml.hpp>
#include <sstream>

#ifdef SKYFENCE_HAVE_PNG
#include <png.h>
#endif

#include "skyfence/report/internal/geo.h"
#include "skyfence/report/internal/passes.h"
#include "skyfence/report/internal/svg.h"
#include "synthetic.h"

namespace skyfence::report {
namespace {

namespace fs = std::filesystem;

const BorderMap& borders() {
  static const BorderMap b = read_bundled_borders(SKYFENCE_DATA_DIR);
  return b;
}

const std::string& page() {
  static const std::string p = render_report_html(testing::synthetic(), borders());
  return p;
}

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

// The targets of every url(...) in the text, spaces trimmed.
std::vector<std::string> url_targets(const std::string& text) {
  std::vector<std::string> out;
  for (auto at = text.find("url("); at != std::string::npos; at = text.find("url(", at + 4)) {
    const auto end = text.find(')', at);
    std::string t = text.substr(at + 4, end == std::string::npos ? std::string::npos : end - at - 4);
    t.erase(0, t.find_first_not_of(" \t\"'"));
    out.push_back(t);
  }
  return out;
}

TEST(ReportBorders, ReadsTheBundledCountries) {
  const BorderMap& b = borders();
  EXPECT_GT(b.countries.size(), 200u);
  const auto it = std::find_if(b.countries.begin(), b.countries.end(),
                               [](const BorderCountry& c) { return c.name == "Ukraine"; });
  ASSERT_NE(it, b.countries.end());
  EXPECT_EQ(it->id, "804");
  ASSERT_FALSE(it->rings.empty());
  for (const auto& ring : it->rings) {
    EXPECT_EQ(ring.front().lon_deg, ring.back().lon_deg);
    EXPECT_EQ(ring.front().lat_deg, ring.back().lat_deg);
  }
  // Kyiv's latitude and longitude lie inside the outline's extent.
  double lo = 1e9, hi = -1e9, la = 1e9, ha = -1e9;
  for (const auto& p : it->rings.front()) {
    lo = std::min(lo, p.lon_deg);
    hi = std::max(hi, p.lon_deg);
    la = std::min(la, p.lat_deg);
    ha = std::max(ha, p.lat_deg);
  }
  EXPECT_LT(lo, 30.5);
  EXPECT_GT(hi, 30.5);
  EXPECT_LT(la, 50.45);
  EXPECT_GT(ha, 50.45);
  EXPECT_THROW(read_borders("/nonexistent.json"), InputError);
}

TEST(ReportGeo, UnwrapAndFrameAcrossTheAntimeridian) {
  EXPECT_DOUBLE_EQ(internal::unwrap_lon(-179.0, 179.0), 181.0);
  EXPECT_DOUBLE_EQ(internal::unwrap_lon(179.0, -179.0), -181.0);
  EXPECT_DOUBLE_EQ(internal::unwrap_lon(30.0, 0.0), 30.0);
  const std::vector<double> lons = {178.0, 179.5, -179.5, -178.0};
  const double ref = internal::circular_mean_lon(lons);
  EXPECT_NEAR(std::fabs(ref), 180.0, 1e-9);
  const auto f = internal::fit_frame(ref, internal::unwrap_lon(178.0, ref), internal::unwrap_lon(-178.0, ref),
                                     -20.0, -15.0, 560.0, 300.0, 520.0);
  EXPECT_LT(f.lon_max_deg - f.lon_min_deg, 10.0);  // not the whole globe
  EXPECT_NEAR(f.x(internal::unwrap_lon(180.0, ref)), 280.0, 1e-6);
}

TEST(ReportHtml, EscapesText) {
  EXPECT_EQ(internal::escape_html("a<b>&\"c'"), "a&lt;b&gt;&amp;&quot;c&#39;");
  const std::string& p = page();
  EXPECT_NE(p.find("synthetic &lt;test&gt; &amp; &quot;quotes&quot;"), std::string::npos);
  EXPECT_EQ(p.find("<test>"), std::string::npos);
}

TEST(ReportHtml, IsSelfContained) {
  const std::string& p = page();
  EXPECT_EQ(p.find("http://"), std::string::npos);
  EXPECT_EQ(p.find("https://"), std::string::npos);
  EXPECT_EQ(p.find("<script"), std::string::npos);
  EXPECT_EQ(p.find("<link"), std::string::npos);
  EXPECT_EQ(p.find("@import"), std::string::npos);
  EXPECT_EQ(p.find("<img"), std::string::npos);
  // Every url() is a reference inside the page (#id).
  for (const std::string& target : url_targets(p))
    EXPECT_EQ(target.substr(0, 1), "#") << "url(" << target << ")";
}

// The page parses as XML; every figure and table has a caption with a unit; ids are unique and
// every url(#id) resolves; every SVG has a viewBox.
TEST(ReportHtml, WellFormedWithCaptions) {
  pugi::xml_document doc;
  const auto ok = doc.load_string(page().c_str(), pugi::parse_default | pugi::parse_doctype);
  ASSERT_TRUE(ok) << ok.description() << " at offset " << ok.offset << ": "
                  << page().substr(static_cast<std::size_t>(std::max<std::ptrdiff_t>(0, ok.offset - 80)),
                                   160);
  const auto figures = doc.select_nodes("//figure");
  EXPECT_GE(figures.size(), 12u);  // 3 + 3 maps, 2 x 2 variant maps, bar chart, CDF, series
  for (const auto& f : figures) {
    const auto cap = f.node().child("figcaption");
    ASSERT_TRUE(cap) << "figure without a caption";
    const std::string text = cap.text().get() + std::string(cap.child_value());
    std::ostringstream all;
    cap.print(all);
    EXPECT_TRUE(all.str().find("percent") != std::string::npos ||
                all.str().find("(ms)") != std::string::npos || all.str().find("count") != std::string::npos ||
                all.str().find("(h)") != std::string::npos)
        << "caption without a unit: " << all.str();
  }
  const auto tables = doc.select_nodes("//table");
  EXPECT_GE(tables.size(), 6u);
  for (const auto& t : tables) EXPECT_TRUE(t.node().child("caption")) << "table without a caption";
  const auto svgs = doc.select_nodes("//svg");
  EXPECT_EQ(svgs.size(), figures.size());
  std::set<std::string> ids;
  for (const auto& n : doc.select_nodes("//*[@id]")) {
    EXPECT_TRUE(ids.insert(n.node().attribute("id").value()).second)
        << "duplicate id " << n.node().attribute("id").value();
  }
  for (const auto& s : svgs) EXPECT_TRUE(s.node().attribute("viewBox")) << "svg without viewBox";
  const std::string& p = page();
  for (const std::string& target : url_targets(p)) {
    EXPECT_TRUE(target.size() > 1 && ids.count(target.substr(1))) << "dangling url(" << target << ")";
  }
  // Headline numbers: the region's served share by any provider in the baseline, as in the reliance row.
  const Reliance& base = testing::synthetic().reliance.front();
  ASSERT_EQ(base.scope, kScopeRegion);
  char headline[32];
  std::snprintf(headline, sizeof headline, "%.1f&#160;%%", 100.0 * base.served_share_any);
  EXPECT_NE(p.find(headline), std::string::npos) << headline;
}

// Every cell of every map lies inside the map's frame, including a region on the antimeridian.
void expect_cells_inside_maps(const std::string& html) {
  pugi::xml_document doc;
  ASSERT_TRUE(doc.load_string(html.c_str(), pugi::parse_default | pugi::parse_doctype));
  const auto maps = doc.select_nodes("//figure[@class='map']/svg");
  ASSERT_FALSE(maps.empty());
  for (const auto& m : maps) {
    double w = 0, h = 0, x0 = 0, y0 = 0;
    std::istringstream(m.node().attribute("viewBox").value()) >> x0 >> y0 >> w >> h;
    std::size_t paths = 0;
    for (const auto& path : m.node().select_nodes(".//g[@class='cells']/path")) {
      ++paths;
      const std::string d = path.node().attribute("d").value();
      std::vector<double> v;
      // Path data here is commands M, L, Z with "x y" pairs.
      const char* c = d.c_str();
      while (*c != '\0') {
        if (*c == '-' || (*c >= '0' && *c <= '9')) {
          char* end = nullptr;
          v.push_back(std::strtod(c, &end));
          c = end;
        } else {
          ++c;
        }
      }
      ASSERT_EQ(v.size() % 2, 0u);
      for (std::size_t i = 0; i < v.size(); i += 2) {
        EXPECT_GE(v[i], 0.0);
        EXPECT_LE(v[i], w);
        EXPECT_GE(v[i + 1], 0.0);
        EXPECT_LE(v[i + 1], h);
      }
    }
    EXPECT_GT(paths, 0u);
  }
}

TEST(ReportHtml, MapsFitTheRegion) {
  expect_cells_inside_maps(page());
}

// Maps that show terminals draw a moving one's trajectory (dashed) from where it starts.
TEST(ReportHtml, MapsDrawMovingTerminalsTracks) {
  const std::string html = page();
  const std::size_t maps_with_sites =
      count(html, "<circle class=\"site\"") / testing::synthetic().terminals.size();
  ASSERT_GT(maps_with_sites, 0u);
  EXPECT_EQ(count(html, "<path class=\"track\" d=\"M"), maps_with_sites);
}

TEST(ReportHtml, MapsAcrossTheAntimeridian) {
  const Results r = testing::synthetic_results(SKYFENCE_DATA_DIR, "Fiji", 8);
  const std::string html = render_report_html(r, borders());
  expect_cells_inside_maps(html);
  const fs::path dir = testing::scratch_dir("fiji");
  write_report_html(r, borders(), (dir / "report.html").string());
  std::cout << "report: " << (dir / "report.html").string() << "\n";
  // Fiji's islands are drawn (land paths present) and the map is not the whole globe wide.
  EXPECT_GT(count(html, "class=\"land\""), 0u);
}

// A variant that adds a provider shows what it gains; a run without cells or terminals still renders.
TEST(ReportHtml, AddedProviderAndEmptyRun) {
  Results r = testing::synthetic();
  r.providers.push_back(r.providers[1]);
  r.providers.back().name = "Gamma";
  r.variants.push_back({"gamma-added", "Gamma joins.", VariantKind::add_provider, "Gamma"});
  for (const std::string p : {"Alpha", "Beta", "any"}) {
    CellLayer l = *r.cell_layer("baseline", p);
    l.variant = "gamma-added";
    if (p == "any") {
      for (auto& s : l.stats) s.served_fraction = std::min(1.0, s.served_fraction + 0.05);
    }
    r.cell_layers.push_back(std::move(l));
  }
  CellLayer gamma = *r.cell_layer("baseline", "Beta");
  gamma.variant = "gamma-added";
  gamma.provider = "Gamma";
  r.cell_layers.push_back(std::move(gamma));
  const std::string html = render_report_html(r, borders());
  EXPECT_NE(html.find("Gained: gamma-added"), std::string::npos);
  pugi::xml_document doc;
  EXPECT_TRUE(doc.load_string(html.c_str(), pugi::parse_default | pugi::parse_doctype));

  Results empty;
  empty.run = testing::synthetic().run;
  empty.providers = testing::synthetic().providers;
  empty.variants = testing::synthetic().variants;
  const std::string bare = render_report_html(empty, BorderMap{});
  EXPECT_TRUE(doc.load_string(bare.c_str(), pugi::parse_default | pugi::parse_doctype));
  EXPECT_EQ(bare.find("class=\"map\""), std::string::npos);
  EXPECT_NE(bare.find("Data and run"), std::string::npos);
}

// Pass statistics: overlapping passes count once, the window clips them, gaps at either end count.
TEST(ReportPasses, StatsMergeOverlapsAndCountEdgeGaps) {
  Results r = testing::synthetic();
  r.passes.clear();
  const time::Instant t0 = r.run.start;  // window: 23 h 45 min
  const auto at = [&](double minutes) { return t0 + time::Duration::minutes(minutes); };
  const auto pass = [&](double aos_min, double los_min, std::uint32_t norad) {
    PassRecord p{"Alpha",     "homes-1",   norad, "ALPHA", at(aos_min),
                 at(aos_min), at(los_min), 40.0,  false,   false};
    r.passes.push_back(p);
  };
  pass(100.0, 110.0, 1);
  pass(-5.0, 3.0, 2);       // on at the start: 3 min inside the window
  pass(105.0, 120.0, 3);    // overlaps the first: together 100..120
  pass(120.0, 125.0, 4);    // touches them: 100..125
  pass(1420.0, 1430.0, 5);  // past the window's end (1425 min): 5 min inside
  r.passes.push_back(r.passes[0]);
  r.passes.back().provider = "Beta";  // another provider's pass does not count
  validate(r);
  const internal::PassStats s = internal::pass_stats(r, "Alpha", "homes-1");
  EXPECT_EQ(s.pass_count, 5u);
  ASSERT_EQ(s.periods.size(), 3u);
  EXPECT_EQ(s.periods[0].begin, t0);
  EXPECT_EQ(s.periods[0].end, at(3.0));
  EXPECT_EQ(s.periods[1].begin, at(100.0));
  EXPECT_EQ(s.periods[1].end, at(125.0));
  EXPECT_EQ(s.periods[1].passes, 3u);
  EXPECT_EQ(s.periods[2].end, r.run.stop);
  EXPECT_EQ(s.in_view, time::Duration::minutes(3.0 + 25.0 + 5.0));
  EXPECT_EQ(s.longest_gap, time::Duration::minutes(1420.0 - 125.0));
  // No pass: the whole window is one gap.
  const internal::PassStats none = internal::pass_stats(r, "Beta", "gov-1");
  EXPECT_EQ(none.pass_count, 0u);
  EXPECT_EQ(none.in_view, time::Duration());
  EXPECT_EQ(none.longest_gap, r.run.stop - r.run.start);
  // The gap after the last pass counts...
  r.passes.erase(r.passes.begin() + 1);  // the pass on at the start
  r.passes.pop_back();                   // Beta's
  r.passes.pop_back();                   // the pass past the end
  EXPECT_EQ(internal::pass_stats(r, "Alpha", "homes-1").longest_gap, r.run.stop - at(125.0));
  // ...and so does the gap before the first.
  r.passes.clear();
  pass(1420.0, 1430.0, 5);
  EXPECT_EQ(internal::pass_stats(r, "Alpha", "homes-1").longest_gap, time::Duration::minutes(1420.0));
}

// The passes section: one table row per terminal and provider with the statistics above, one
// timeline per terminal with a bar per period in view, captions with units.
TEST(ReportHtml, PassesSectionShowsTableAndTimelines) {
  const Results& r = testing::synthetic();
  pugi::xml_document doc;
  ASSERT_TRUE(doc.load_string(page().c_str(), pugi::parse_default | pugi::parse_doctype));
  const auto section = doc.select_node("//section[@id='passes']").node();
  ASSERT_TRUE(section) << "no passes section";
  EXPECT_STREQ(section.child("h2").child_value(), "Passes over chosen terminals");
  // The table: caption with units, a row per (terminal, provider).
  const auto table = section.select_node(".//table").node();
  ASSERT_TRUE(table);
  std::ostringstream caption;
  table.child("caption").print(caption);
  EXPECT_NE(caption.str().find("(h;"), std::string::npos) << caption.str();
  EXPECT_NE(caption.str().find("(min)"), std::string::npos) << caption.str();
  const auto rows = table.select_nodes("./tbody/tr");
  ASSERT_EQ(rows.size(), 4u);  // homes-1 and ships-1, Alpha and Beta
  const auto cells = rows[0].node().select_nodes("./td");
  ASSERT_EQ(cells.size(), 5u);
  EXPECT_STREQ(cells[0].node().child_value(), "Households 1");
  const internal::PassStats s = internal::pass_stats(r, "Alpha", "homes-1");
  EXPECT_GT(s.pass_count, 100u);
  EXPECT_LT(s.periods.size(), s.pass_count);  // the synthetic passes overlap
  EXPECT_EQ(std::string(cells[2].node().child_value()), std::to_string(s.pass_count));
  char hours[32], gap[32];
  std::snprintf(hours, sizeof hours, "%.2f", s.in_view.to_seconds() / 3600.0);
  std::snprintf(gap, sizeof gap, "%.1f", s.longest_gap.to_seconds() / 60.0);
  EXPECT_EQ(std::string(cells[3].node().child_value()), hours);
  EXPECT_EQ(std::string(cells[4].node().child_value()), gap);
  // Timelines: one per terminal, a row per provider, one bar per period in view.
  const auto figures = section.select_nodes(".//figure");
  ASSERT_EQ(figures.size(), 2u);
  for (const auto& f : figures) {
    std::ostringstream cap;
    f.node().child("figcaption").print(cap);
    EXPECT_NE(cap.str().find("(h)"), std::string::npos) << cap.str();
    EXPECT_NE(cap.str().find("Figure"), std::string::npos);
  }
  const auto lanes = figures[0].node().select_nodes(".//g[@class='passes']");
  ASSERT_EQ(lanes.size(), 2u);
  EXPECT_STREQ(lanes[0].node().attribute("fill").value(), "#2563a8");  // Alpha's colour
  const auto bars = lanes[0].node().select_nodes("./rect");
  EXPECT_EQ(bars.size(), s.periods.size());
  double w = 0, h = 0, x0 = 0, y0 = 0;
  std::istringstream(figures[0].node().child("svg").attribute("viewBox").value()) >> x0 >> y0 >> w >> h;
  for (const auto& b : bars) {
    const double x = b.node().attribute("x").as_double(), bw = b.node().attribute("width").as_double();
    EXPECT_GE(x, 0.0);
    EXPECT_GT(bw, 0.0);
    EXPECT_LE(x + bw, w + 0.6);
  }
  // The first pass is on at the start: its bar starts at the axis origin, the plot's left edge.
  EXPECT_EQ(s.periods.front().begin, r.run.start);
  EXPECT_DOUBLE_EQ(bars[0].node().attribute("x").as_double(), 120.0);
}

// Without passes there is no passes section at all, and none of its figures or tables.
TEST(ReportHtml, NoPassesNoSection) {
  Results r = testing::synthetic();
  r.passes.clear();
  const std::string html = render_report_html(r, borders());
  EXPECT_EQ(html.find("id=\"passes\""), std::string::npos);
  EXPECT_EQ(html.find("Passes over"), std::string::npos);
  EXPECT_EQ(html.find("class=\"passes\""), std::string::npos);
  pugi::xml_document doc;
  ASSERT_TRUE(doc.load_string(html.c_str(), pugi::parse_default | pugi::parse_doctype));
  ASSERT_TRUE(doc.load_string(page().c_str(), pugi::parse_default | pugi::parse_doctype));
  EXPECT_NE(page().find("id=\"passes\""), std::string::npos);
}

TEST(ReportHtml, WritesAtomically) {
  const fs::path dir = testing::scratch_dir("write");
  write_report_html(testing::synthetic(), borders(), (dir / "report.html").string());
  std::size_t files = 0;
  for ([[maybe_unused]] const auto& e : fs::directory_iterator(dir)) ++files;
  EXPECT_EQ(files, 1u);
  EXPECT_EQ(fs::file_size(dir / "report.html"), page().size());
  Results bad = testing::synthetic();
  bad.variants.clear();
  EXPECT_THROW(write_report_html(bad, borders(), (dir / "bad.html").string()), std::invalid_argument);
  EXPECT_FALSE(fs::exists(dir / "bad.html"));
}

// ---------------------------------------------------------------------------------------------
// In a real browser: chromium renders the page headless and the screenshot is checked for the
// page's colours.

std::string find_chromium() {
  for (const char* name : {"chromium", "chromium-browser", "google-chrome"}) {
    const std::string cmd = std::string("command -v ") + name + " >/dev/null 2>&1";
    if (std::system(cmd.c_str()) == 0) return name;
  }
  return {};
}

struct Image {
  std::size_t width = 0, height = 0;
  std::vector<unsigned char> rgba;
};

#ifdef SKYFENCE_HAVE_PNG
Image read_png(const fs::path& p) {
  png_image img{};
  img.version = PNG_IMAGE_VERSION;
  Image out;
  if (!png_image_begin_read_from_file(&img, p.c_str())) return out;
  img.format = PNG_FORMAT_RGBA;
  out.width = img.width;
  out.height = img.height;
  out.rgba.resize(PNG_IMAGE_SIZE(img));
  if (!png_image_finish_read(&img, nullptr, out.rgba.data(), 0, nullptr)) return Image{};
  return out;
}
#endif

TEST(ReportBrowser, ScreenshotShowsThePage) {
  const std::string chromium = find_chromium();
  if (chromium.empty())
    GTEST_SKIP() << "chromium is not installed (apt-get install chromium): browser check skipped";
#ifndef SKYFENCE_HAVE_PNG
  GTEST_SKIP()
      << "libpng was not found at configure time (apt-get install libpng-dev): browser check skipped";
#else
  const fs::path dir = testing::scratch_dir("browser");
  const fs::path html = dir / "report.html";
  const fs::path shot = dir / "report.png";
  write_report_html(testing::synthetic(), borders(), html.string());
  const std::string cmd = "timeout 120 " + chromium +
                          " --headless --no-sandbox --disable-gpu --disable-dev-shm-usage --hide-scrollbars"
                          " --no-first-run --user-data-dir=" +
                          (dir / "profile").string() +
                          " --window-size=1280,3000 --screenshot=" + shot.string() + " file://" +
                          html.string() + " >" + (dir / "chromium.log").string() + " 2>&1";
  ASSERT_EQ(std::system(cmd.c_str()), 0) << cmd;
  std::cout << "screenshot: " << shot.string() << "\n";
  const Image img = read_png(shot);
  ASSERT_EQ(img.width, 1280u);
  ASSERT_EQ(img.height, 3000u);
  // Count pixels by kind.
  std::size_t header = 0, blue_cells = 0, green_cells = 0, dark_text = 0;
  std::set<std::uint32_t> colours;
  for (std::size_t i = 0; i < img.width * img.height; ++i) {
    const int r = img.rgba[4 * i], g = img.rgba[4 * i + 1], b = img.rgba[4 * i + 2];
    colours.insert(static_cast<std::uint32_t>((r << 16) | (g << 8) | b));
    if (std::abs(r - 0x16) < 6 && std::abs(g - 0x32) < 6 && std::abs(b - 0x4f) < 6) ++header;
    if (b > r + 60 && b > g + 10) ++blue_cells;
    if (g > r + 40 && g > b + 20) ++green_cells;
    if (r < 60 && g < 60 && b < 70) ++dark_text;
  }
  // The header band (#16324f) spans the width; coverage maps (blue) and served maps (green) are in
  // view; there is text; and the page is not one flat colour.
  EXPECT_GT(header, 1280u * 60u) << "header band missing";
  EXPECT_GT(blue_cells, 20000u) << "coverage maps missing";
  EXPECT_GT(green_cells, 20000u) << "served maps missing";
  EXPECT_GT(dark_text, 2000u) << "no text";
  EXPECT_GT(colours.size(), 500u) << "screenshot looks blank";
#endif
}

}  // namespace
}  // namespace skyfence::report
