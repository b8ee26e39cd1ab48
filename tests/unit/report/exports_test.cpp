#include "skyfence/report/exports.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "skyfence/report/internal/tables.h"
#include "synthetic.h"

namespace skyfence::report {
namespace {

namespace fs = std::filesystem;

const Results& synthetic() {
  static const Results r = testing::synthetic_results(SKYFENCE_DATA_DIR);
  return r;
}

fs::path scratch_dir(const std::string& name) {
  const fs::path d =
      fs::temp_directory_path() / ("skyfence-report-exports-" + std::to_string(::getpid())) / name;
  fs::remove_all(d);
  fs::create_directories(d);
  return d;
}

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

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
  const fs::path dir = scratch_dir("csv");
  const auto written = write_csv_tables(synthetic(), dir.string());
  const auto tables = internal::build_tables(synthetic());
  ASSERT_EQ(written.size(), tables.size());
  for (const auto& t : tables) {
    const auto rows = parse_csv(slurp(dir / (t.name + ".csv")));
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
  const fs::path dir = scratch_dir("csv-values");
  write_csv_tables(synthetic(), dir.string());
  const std::string runs = slurp(dir / "runs.csv");
  EXPECT_NE(runs.find("\"synthetic <test> & \"\"quotes\"\"\""), std::string::npos) << runs;
  const auto rows = parse_csv(slurp(dir / "cell_stats.csv"));
  const Results& r = synthetic();
  // The first data row is the first layer's first cell; reals read back to the same double.
  const CellStat& s = r.cell_layers[0].stats[0];
  EXPECT_EQ(rows[1][0], r.cell_layers[0].variant);
  EXPECT_EQ(rows[1][2], r.cells[0].token);
  EXPECT_EQ(std::stod(rows[1][3]), s.coverage_fraction);
  EXPECT_EQ(std::stod(rows[1][5]), s.mean_visible);
  EXPECT_EQ(std::stod(rows[1][8]), s.max_gap_s);
  // NULL is an empty field: the baseline has no affected provider.
  const auto variants = parse_csv(slurp(dir / "variants.csv"));
  EXPECT_EQ(variants[1][1], "baseline");
  EXPECT_EQ(variants[1][4], "");
  EXPECT_EQ(variants[2][4], "Alpha");
}

TEST(ReportExports, GeoJsonCellsAndTerminals) {
  const fs::path dir = scratch_dir("geojson");
  const Results& r = synthetic();
  const auto written = write_geojson(r, dir.string());
  ASSERT_EQ(written.size(), 2u);
  const auto cells = nlohmann::json::parse(slurp(dir / "cells.geojson"));
  EXPECT_EQ(cells["type"], "FeatureCollection");
  ASSERT_EQ(cells["features"].size(), r.cells.size());
  const auto& f = cells["features"][3];
  EXPECT_EQ(f["geometry"]["type"], "Polygon");
  const auto& ring = f["geometry"]["coordinates"][0];
  ASSERT_EQ(ring.size(), 5u);
  EXPECT_EQ(ring[0], ring[4]);
  EXPECT_EQ(ring[1][0].get<double>(), r.cells[3].vertices[1].lon_deg);
  EXPECT_EQ(ring[1][1].get<double>(), r.cells[3].vertices[1].lat_deg);
  EXPECT_EQ(f["properties"]["cell_token"], r.cells[3].token);
  EXPECT_EQ(f["properties"]["alpha-withdraws:any:served_fraction"].get<double>(),
            r.cell_layer("alpha-withdraws", "any")->stats[3].served_fraction);
  EXPECT_FALSE(f["properties"].contains("alpha-withdraws:Alpha:served_fraction"));

  const auto terms = nlohmann::json::parse(slurp(dir / "terminals.geojson"));
  ASSERT_EQ(terms["features"].size(), r.terminals.size());
  const auto& t = terms["features"][0];
  EXPECT_EQ(t["geometry"]["coordinates"][0].get<double>(), r.terminals[0].lon_deg);
  EXPECT_EQ(t["properties"]["group_id"], "gov");
  EXPECT_TRUE(t["properties"].contains("baseline:Beta:served_fraction"));
}

// Cells on the antimeridian (Fiji) keep their corners next to their centre: no ring jumps across
// the map.
TEST(ReportExports, GeoJsonCellsOnTheAntimeridianStayWhole) {
  const Results r = testing::synthetic_results(SKYFENCE_DATA_DIR, "Fiji", 8);
  const fs::path dir = scratch_dir("fiji");
  write_geojson(r, dir.string());
  const auto cells = nlohmann::json::parse(slurp(dir / "cells.geojson"));
  bool east = false, west = false;
  for (std::size_t i = 0; i < r.cells.size(); ++i) {
    const double c = r.cells[i].lon_deg;
    east = east || c > 0;
    west = west || c < 0;
    for (const auto& v : cells["features"][i]["geometry"]["coordinates"][0]) {
      EXPECT_LT(std::fabs(v[0].get<double>() - c), 1.0) << r.cells[i].token;
    }
  }
  EXPECT_TRUE(east && west) << "Fiji's cells should lie on both sides of the antimeridian";
}

TEST(ReportExports, MissingFolderIsAnErrorAndWritesNothing) {
  EXPECT_THROW(write_csv_tables(synthetic(), "/nonexistent-folder"), std::runtime_error);
  EXPECT_THROW(write_geojson(synthetic(), "/nonexistent-folder"), std::runtime_error);
}

}  // namespace
}  // namespace skyfence::report
