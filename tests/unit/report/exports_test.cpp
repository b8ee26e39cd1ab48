#include "skyfence/report/exports.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "skyfence/earth/grid.h"
#include "skyfence/report/internal/geo.h"
#include "skyfence/report/internal/tables.h"
#include "skyfence/time/scales.h"
#include "synthetic.h"

namespace skyfence::report {
namespace {

namespace fs = std::filesystem;

// RFC 4180 records (fields unquoted).
std::vector<std::vector<std::string>> parse_csv(const std::string& text) {
  std::vector<std::vector<std::string>> out;
  std::vector<std::string> row;
  std::string field;
  bool quoted = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        field += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        field += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      row.push_back(std::move(field));
      field.clear();
    } else if (c == '\n') {
      row.push_back(std::move(field));
      field.clear();
      out.push_back(std::move(row));
      row.clear();
    } else {
      field += c;
    }
  }
  return out;
}

TEST(ReportExports, CsvHasEveryTableWithItsColumnsAndRows) {
  const fs::path dir = testing::scratch_dir("csv");
  const auto written = write_csv_tables(testing::synthetic(), dir.string());
  const auto tables = internal::build_tables(testing::synthetic());
  ASSERT_EQ(written.size(), tables.size());
  for (const auto& t : tables) {
    const auto rows = parse_csv(skyfence_test::slurp(dir / (t.name + ".csv")));
    ASSERT_EQ(rows.size(), t.rows.size() + 1) << t.name;
    ASSERT_EQ(rows[0].size(), t.columns.size());
    for (std::size_t i = 0; i < t.columns.size(); ++i) EXPECT_EQ(rows[0][i], t.columns[i].name);
    for (std::size_t r = 1; r < rows.size(); ++r)
      ASSERT_EQ(rows[r].size(), t.columns.size()) << t.name << " row " << r;
  }
  // No temporary left behind.
  for (const auto& e : fs::directory_iterator(dir)) {
    EXPECT_EQ(e.path().string().find(".tmp-"), std::string::npos) << e.path();
  }
}

TEST(ReportExports, CsvQuotesAndRoundTripsValues) {
  const fs::path dir = testing::scratch_dir("csv-values");
  write_csv_tables(testing::synthetic(), dir.string());
  const std::string runs = skyfence_test::slurp(dir / "runs.csv");
  EXPECT_NE(runs.find("\"synthetic <test> & \"\"quotes\"\"\""), std::string::npos) << runs;
  const auto rows = parse_csv(skyfence_test::slurp(dir / "cell_stats.csv"));
  const Results& r = testing::synthetic();
  // The first data row is the first layer's first cell; reals read back to the same double.
  const CellStat& s = r.cell_layers[0].stats[0];
  EXPECT_EQ(rows[1][0], r.cell_layers[0].variant);
  EXPECT_EQ(rows[1][2], r.cells[0].token);
  EXPECT_EQ(std::stod(rows[1][3]), s.coverage_fraction);
  EXPECT_EQ(std::stod(rows[1][5]), s.mean_visible);
  EXPECT_EQ(std::stod(rows[1][8]), s.max_gap_s);
  // NULL is an empty field: the baseline has no affected provider.
  const auto variants = parse_csv(skyfence_test::slurp(dir / "variants.csv"));
  EXPECT_EQ(variants[1][1], "baseline");
  EXPECT_EQ(variants[1][4], "");
  EXPECT_EQ(variants[2][4], "Alpha");
}

TEST(ReportExports, CsvPassesColumnsAndValues) {
  const fs::path dir = testing::scratch_dir("csv-passes");
  write_csv_tables(testing::synthetic(), dir.string());
  const auto rows = parse_csv(skyfence_test::slurp(dir / "passes.csv"));
  const Results& r = testing::synthetic();
  ASSERT_EQ(rows.size(), r.passes.size() + 1);
  EXPECT_EQ(rows[0], (std::vector<std::string>{"provider", "terminal_id", "norad_id", "satellite", "aos_utc",
                                               "tca_utc", "los_utc", "duration_s", "max_elevation_deg",
                                               "aos_clipped", "los_clipped"}));
  // Rows in the results' order; the first is Alpha's pass already on at the start.
  const PassRecord& x = r.passes[0];
  ASSERT_TRUE(x.aos_clipped);
  EXPECT_EQ(rows[1][0], x.provider);
  EXPECT_EQ(rows[1][1], x.terminal);
  EXPECT_EQ(rows[1][2], std::to_string(x.norad_id));
  EXPECT_EQ(rows[1][3], x.satellite);
  EXPECT_EQ(rows[1][4], "2026-11-20T00:00:00.000Z");
  EXPECT_EQ(rows[1][6], time::format_iso8601(x.los, 3));
  EXPECT_EQ(std::stod(rows[1][7]), (x.los - x.aos).to_seconds());
  EXPECT_EQ(std::stod(rows[1][8]), x.max_elevation_deg);
  EXPECT_EQ(rows[1][9], "1");
  EXPECT_EQ(rows[1][10], "0");
}

TEST(ReportExports, GeoJsonCellsAndTerminals) {
  const fs::path dir = testing::scratch_dir("geojson");
  const Results& r = testing::synthetic();
  const auto written = write_geojson(r, dir.string());
  ASSERT_EQ(written.size(), 2u);
  const auto cells = nlohmann::json::parse(skyfence_test::slurp(dir / "cells.geojson"));
  EXPECT_EQ(cells["type"], "FeatureCollection");
  ASSERT_EQ(cells["features"].size(), r.cells.size());
  const auto& f = cells["features"][3];
  EXPECT_EQ(f["geometry"]["type"], "Polygon");
  const auto& ring = f["geometry"]["coordinates"][0];
  ASSERT_EQ(ring.size(), 5u);
  EXPECT_EQ(ring[0], ring[4]);
  EXPECT_EQ(ring[1][0].get<double>(), r.cells[3].vertices[1].lon_deg);
  EXPECT_EQ(ring[1][1].get<double>(), r.cells[3].vertices[1].lat_deg);
  // The S2 token under the key every GeoJSON of skyfence gives it (coverage's writers too).
  EXPECT_EQ(f["properties"]["cell_id"], r.cells[3].token);
  EXPECT_FALSE(f["properties"].contains("cell_token"));
  EXPECT_EQ(f["properties"]["alpha-withdraws:any:served_fraction"].get<double>(),
            r.cell_layer("alpha-withdraws", "any")->stats[3].served_fraction);
  EXPECT_FALSE(f["properties"].contains("alpha-withdraws:Alpha:served_fraction"));

  const auto terms = nlohmann::json::parse(skyfence_test::slurp(dir / "terminals.geojson"));
  ASSERT_EQ(terms["features"].size(), r.terminals.size());
  const auto& t = terms["features"][0];
  EXPECT_EQ(t["geometry"]["coordinates"][0].get<double>(), r.terminals[0].lon_deg);
  EXPECT_EQ(t["properties"]["group_id"], "gov");
  EXPECT_TRUE(t["properties"].contains("baseline:Beta:served_fraction"));
  EXPECT_EQ(t["geometry"]["type"], "Point");
  EXPECT_FALSE(t["properties"].contains("times"));
  // The moving ship: its trajectory, with the time of each sample.
  const Terminal& ship = r.terminals.back();
  ASSERT_EQ(ship.track.size(), 3u);
  const auto& m = terms["features"].back();
  EXPECT_EQ(m["geometry"]["type"], "LineString");
  ASSERT_EQ(m["geometry"]["coordinates"].size(), 3u);
  EXPECT_EQ(m["geometry"]["coordinates"][2][0].get<double>(), ship.track[2].lon_deg);
  EXPECT_EQ(m["geometry"]["coordinates"][2][1].get<double>(), ship.track[2].lat_deg);
  EXPECT_EQ(m["properties"]["times"][1], time::format_iso8601(ship.track[1].time, 3));
}

// Every ring of a cell feature: a Polygon's rings, or the rings of every polygon of a MultiPolygon.
std::vector<nlohmann::json> polygons_of(const nlohmann::json& geometry) {
  if (geometry["type"] == "Polygon") return {geometry["coordinates"]};
  EXPECT_EQ(geometry["type"], "MultiPolygon");
  return std::vector<nlohmann::json>(geometry["coordinates"].begin(), geometry["coordinates"].end());
}

// Twice the signed area of a closed [lon, lat] ring (shoelace), positive counter-clockwise.
double signed_area(const nlohmann::json& ring) {
  double a = 0.0;
  for (std::size_t i = 0; i + 1 < ring.size(); ++i) {
    a += ring[i][0].get<double>() * ring[i + 1][1].get<double>() -
         ring[i + 1][0].get<double>() * ring[i][1].get<double>();
  }
  return a;
}

// Checks what RFC 7946 asks of every ring: closed, at least 4 positions, longitudes in [-180, 180],
// latitudes in [-90, 90], counter-clockwise. Returns the cell's summed (planar, doubled) area.
double check_rings(const nlohmann::json& feature) {
  double area = 0.0;
  for (const auto& polygon : polygons_of(feature["geometry"])) {
    EXPECT_EQ(polygon.size(), 1u) << feature["id"];  // an exterior ring, no holes
    const auto& ring = polygon[0];
    EXPECT_GE(ring.size(), 4u) << feature["id"];
    EXPECT_EQ(ring.front(), ring.back()) << feature["id"];
    for (const auto& v : ring) {
      EXPECT_GE(v[0].get<double>(), -180.0) << feature["id"];
      EXPECT_LE(v[0].get<double>(), 180.0) << feature["id"];
      EXPECT_LE(std::fabs(v[1].get<double>()), 90.0) << feature["id"];
    }
    const double a = signed_area(ring);
    EXPECT_GT(a, 0.0) << feature["id"] << ": ring not counter-clockwise";
    area += a;
  }
  return area;
}

// The same, doubled, of the cell's corners unwrapped around its centre (the shape before cutting).
double unwrapped_area(const CellInfo& c) {
  double a = 0.0;
  for (std::size_t i = 0; i < 4; ++i) {
    const auto& p = c.vertices[i];
    const auto& q = c.vertices[(i + 1) % 4];
    a += internal::unwrap_lon(p.lon_deg, c.lon_deg) * q.lat_deg -
         internal::unwrap_lon(q.lon_deg, c.lon_deg) * p.lat_deg;
  }
  return a;
}

// Cells on the antimeridian (Fiji) stay whole on their side of it: S2 cell edges run along the
// 180 deg meridian, so each cell is one Polygon with longitudes within [-180, 180], next to its centre.
TEST(ReportExports, GeoJsonCellsOnTheAntimeridianStayOnTheirSide) {
  const Results r = testing::synthetic_results(SKYFENCE_DATA_DIR, "Fiji", 8);
  const fs::path dir = testing::scratch_dir("fiji");
  write_geojson(r, dir.string());
  const auto cells = nlohmann::json::parse(skyfence_test::slurp(dir / "cells.geojson"));
  ASSERT_EQ(cells["features"].size(), r.cells.size());
  bool east = false, west = false, on_meridian = false;
  for (std::size_t i = 0; i < r.cells.size(); ++i) {
    const double c = r.cells[i].lon_deg;
    east = east || c > 0;
    west = west || c < 0;
    const auto& f = cells["features"][i];
    EXPECT_EQ(f["geometry"]["type"], "Polygon") << r.cells[i].token;
    EXPECT_NEAR(check_rings(f), unwrapped_area(r.cells[i]), 1e-9) << r.cells[i].token;
    for (const auto& v : f["geometry"]["coordinates"][0]) {
      EXPECT_LT(std::fabs(v[0].get<double>() - c), 1.0) << r.cells[i].token;
      on_meridian = on_meridian || std::fabs(v[0].get<double>()) == 180.0;
    }
  }
  EXPECT_TRUE(east && west) << "Fiji's cells should lie on both sides of the antimeridian";
  EXPECT_TRUE(on_meridian) << "some of Fiji's cells should have corners on the antimeridian";
}

// A cell that straddles the antimeridian (S2 face 3, centred on it) becomes a MultiPolygon of a part
// ending at 180 and a part starting at -180, with the cell's area; a cell around a pole (face 2) is
// closed along the pole's edge.
TEST(ReportExports, GeoJsonCellCutAtTheAntimeridianAndClosedAtThePole) {
  Results r = testing::synthetic();
  r.cells = {cell_info(earth::make_cell(earth::cell_id_from_token("7"))),
             cell_info(earth::make_cell(earth::cell_id_from_token("5")))};
  r.cell_layers.clear();
  ASSERT_NEAR(std::fabs(r.cells[0].lon_deg), 180.0, 1e-9);
  ASSERT_NEAR(r.cells[1].lat_deg, 90.0, 1e-9);
  const fs::path dir = testing::scratch_dir("cut");
  write_geojson(r, dir.string());
  const auto cells = nlohmann::json::parse(skyfence_test::slurp(dir / "cells.geojson"));
  ASSERT_EQ(cells["features"].size(), 2u);

  const auto& cut = cells["features"][0];
  ASSERT_EQ(cut["geometry"]["type"], "MultiPolygon");
  ASSERT_EQ(cut["geometry"]["coordinates"].size(), 2u);
  EXPECT_NEAR(check_rings(cut), unwrapped_area(r.cells[0]), 1e-9);
  double west_max = -1e9, east_min = 1e9;  // the part at 135..180 and the part at -180..-135
  for (const auto& polygon : polygons_of(cut["geometry"])) {
    double lo = 1e9, hi = -1e9;
    for (const auto& v : polygon[0]) {
      lo = std::min(lo, v[0].get<double>());
      hi = std::max(hi, v[0].get<double>());
    }
    if (lo > 0) west_max = std::max(west_max, hi);
    if (hi < 0) east_min = std::min(east_min, lo);
    EXPECT_NEAR(hi - lo, 45.0, 1e-9);
  }
  EXPECT_EQ(west_max, 180.0);
  EXPECT_EQ(east_min, -180.0);

  const auto& polar = cells["features"][1];
  double lo = 1e9, hi = -1e9, top = -90.0;
  for (const auto& polygon : polygons_of(polar["geometry"])) {
    for (const auto& v : polygon[0]) {
      lo = std::min(lo, v[0].get<double>());
      hi = std::max(hi, v[0].get<double>());
      top = std::max(top, v[1].get<double>());
    }
  }
  check_rings(polar);
  EXPECT_EQ(lo, -180.0);
  EXPECT_EQ(hi, 180.0);
  EXPECT_EQ(top, 90.0);
}

// Over a whole global grid: every ring valid, and cutting keeps each cell's area (no cell loses a
// part, none gains a sliver) for cells without a corner at a pole.
TEST(ReportExports, GeoJsonGlobalGridRingsAreValid) {
  Results r = testing::synthetic();
  r.cells.clear();
  r.cell_layers.clear();
  for (const auto& c : earth::global_grid(4).cells) r.cells.push_back(cell_info(c));
  const fs::path dir = testing::scratch_dir("global");
  write_geojson(r, dir.string());
  const auto cells = nlohmann::json::parse(skyfence_test::slurp(dir / "cells.geojson"));
  ASSERT_EQ(cells["features"].size(), r.cells.size());
  std::size_t polar = 0;
  for (std::size_t i = 0; i < r.cells.size(); ++i) {
    const auto& f = cells["features"][i];
    const double area = check_rings(f);
    bool at_pole = false;
    for (const auto& v : r.cells[i].vertices) at_pole = at_pole || std::fabs(v.lat_deg) > 90.0 - 1e-9;
    if (at_pole) {
      ++polar;
      continue;
    }
    EXPECT_EQ(f["geometry"]["type"], "Polygon") << r.cells[i].token;
    EXPECT_NEAR(area, unwrapped_area(r.cells[i]), 1e-9 * std::fabs(area)) << r.cells[i].token;
  }
  EXPECT_EQ(polar, 8u);  // the four cells around each pole
}

TEST(ReportExports, MissingFolderIsAnErrorAndWritesNothing) {
  EXPECT_THROW(write_csv_tables(testing::synthetic(), "/nonexistent-folder"), std::runtime_error);
  EXPECT_THROW(write_geojson(testing::synthetic(), "/nonexistent-folder"), std::runtime_error);
}

}  // namespace
}  // namespace skyfence::report
