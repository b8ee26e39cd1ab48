// The coverage writers (CSV and GeoJSON), moved out of the command: exact CSV text, GeoJSON structure,
// the antimeridian cut, and their requirements.
#include "skyfence/coverage/writers.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <atomic>
#include <stdexcept>
#include <string>
#include <vector>

#include "skyfence/core/error.h"
#include "skyfence/earth/grid.h"
#include "skyfence/earth/site.h"
#include "skyfence/time/scales.h"

namespace skyfence::coverage {
namespace {

const time::Window kWindow =
    time::Window::of_count(time::parse_iso8601("2026-04-27T00:00:00Z"), time::Duration::seconds(60.0), 4);

// Two sites, providers "a" and "b,c" (a name that needs CSV quoting), hand-set statistics.
CoverageResult two_sites() {
  CoverageResult r(2, {"a", "b,c", "any"}, kWindow);
  PointStats& s = r.at(0, 1);
  s.steps_served = 3;
  s.steps_served_permitted = 1;
  s.sum_visible = 7;
  s.min_visible = 0;
  s.max_visible = 3;
  s.max_gap_steps = 1;
  s.gap_count = 1;
  return r;
}

std::vector<earth::Site> sites() {
  std::vector<earth::Site> out{earth::parse_site_spec("50.45,30.52", "s"),
                               earth::parse_site_spec("-33.9,18.4", "s")};
  out[0].id = "kyiv";
  out[1].id = "cape town";
  return out;
}

std::string write(const LabelledPoints& pts, const CoverageResult& r, bool served, bool geojson) {
  std::string text;
  WriteOptions o;
  o.served = served;
  o.out = [&](std::string_view s) { text += s; };
  (geojson ? write_geojson : write_csv)(pts, r, o, {});
  return text;
}

TEST(CoverageWriters, CsvOfSitesIsExact) {
  const auto s = sites();
  const std::string text = write({{}, s}, two_sites(), true, false);
  EXPECT_EQ(
      text,
      "cell_id,lat_deg,lon_deg,area_km2,provider,coverage_fraction,mean_visible,min_visible,max_visible,"
      "max_gap_s,gap_count,served_fraction\n"
      "kyiv,50.450000,30.520000,,a,0.000000,0.0000,0,0,0,0,0.000000\n"
      "kyiv,50.450000,30.520000,,\"b,c\",0.000000,0.0000,0,0,0,0,0.000000\n"
      "kyiv,50.450000,30.520000,,any,0.000000,0.0000,0,0,0,0,0.000000\n"
      "cape town,-33.900000,18.400000,,a,0.750000,1.7500,0,3,60,1,0.250000\n"
      "cape town,-33.900000,18.400000,,\"b,c\",0.000000,0.0000,0,0,0,0,0.000000\n"
      "cape town,-33.900000,18.400000,,any,0.000000,0.0000,0,0,0,0,0.000000\n");
  EXPECT_EQ(write({{}, s}, two_sites(), false, false).find("served_fraction"), std::string::npos);
}

TEST(CoverageWriters, GeoJsonOfCellsKeepsRingsOnOneSideOfTheAntimeridian) {
  const earth::Grid g = earth::global_grid(2);
  CoverageResult r(g.cells.size(), {"a", "any"}, kWindow);
  const nlohmann::json j = nlohmann::json::parse(write({g.cells, {}}, r, false, true));
  ASSERT_EQ(j["features"].size(), 2 * g.cells.size());
  std::size_t multi = 0;
  for (std::size_t k = 0; k < j["features"].size(); ++k) {
    const auto& f = j["features"][k];
    const earth::Cell& c = g.cells[k / 2];
    EXPECT_EQ(f["properties"]["cell_id"], c.token);
    EXPECT_EQ(f["properties"]["provider"], k % 2 == 0 ? "a" : "any");
    EXPECT_NEAR(f["properties"]["area_km2"].get<double>(), c.area_km2, 1e-3);
    EXPECT_FALSE(f["properties"].contains("served_fraction"));
    const std::string type = f["geometry"]["type"];
    ASSERT_TRUE(type == "Polygon" || type == "MultiPolygon") << type;
    multi += type == "MultiPolygon" ? 1 : 0;
    // No ring spans the antimeridian: each ring's longitudes stay within 180 degrees of each other.
    const auto rings = type == "Polygon" ? nlohmann::json::array({f["geometry"]["coordinates"]})
                                         : f["geometry"]["coordinates"];
    for (const auto& poly : rings) {
      double lo = 360, hi = -360;
      for (const auto& v : poly[0]) {
        lo = std::min(lo, v[0].get<double>());
        hi = std::max(hi, v[0].get<double>());
      }
      EXPECT_LE(hi - lo, 180.0) << c.token;
    }
  }
  // S2 cells of level >= 1 meet the antimeridian only along edges: each stays one Polygon, with the
  // corners on the seam on its own side (a span above 180 degrees above would be a ring across the map).
  EXPECT_EQ(multi, 0U);
}

TEST(CoverageWriters, SitesAsPointsWithNullArea) {
  const auto s = sites();
  const nlohmann::json j = nlohmann::json::parse(write({{}, s}, two_sites(), true, true));
  const auto& f = j["features"][3];
  EXPECT_EQ(f["geometry"]["type"], "Point");
  EXPECT_EQ(f["geometry"]["coordinates"][0], 18.4);
  EXPECT_TRUE(f["properties"]["area_km2"].is_null());
  EXPECT_EQ(f["properties"]["cell_id"], "cape town");
  EXPECT_EQ(f["properties"]["served_fraction"], 0.25);
}

TEST(CoverageWriters, RequirementsAndCancellation) {
  const auto s = sites();
  WriteOptions o;
  EXPECT_THROW(write_csv({{}, s}, two_sites(), o), std::invalid_argument);  // no sink
  o.out = [](std::string_view) {};
  EXPECT_THROW(write_csv({{}, std::span<const earth::Site>(s).first(1)}, two_sites(), o),
               std::invalid_argument);
  const std::atomic<bool> stop{true};
  EXPECT_THROW(write_geojson({{}, s}, two_sites(), o, {.stop = &stop}), skyfence::Cancelled);
}

}  // namespace
}  // namespace skyfence::coverage
