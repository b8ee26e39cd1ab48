// The reader of values per cell (earth::read_cell_values): CSV and GeoJSON as the per-point writers
// write them (an output read back gives its values exactly), and one located message for every kind of
// bad input, all problems of a file at once.
#include <gtest/gtest.h>

#include <charconv>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "skyfence/core/error.h"
#include "skyfence/earth/cell_values.h"
#include "skyfence/earth/grid.h"
#include "skyfence/earth/point_table.h"

namespace skyfence::earth {
namespace {

constexpr int kLevel = 2;

// "The region": the first half of the 96 cells of level 2; the other half lies outside it.
struct Fixture {
  Grid global = global_grid(kLevel);
  std::vector<Cell> region{global.cells.begin(), global.cells.begin() + 48};
  const Cell& outside() const { return global.cells[60]; }
};
const Fixture& fx() {
  static const Fixture f;
  return f;
}

std::vector<double> read(std::string_view text, CellTableFormat format = CellTableFormat::csv) {
  CellValueReadOptions o;
  o.expected_value = "a demand >= 0 Mbps";
  o.cells_name = "the region";
  return read_cell_values(text, format, "demand.csv", fx().region, kLevel, o);
}

// The message of the InputError `text` gives (every issue, one per line, for InputErrors).
std::string error_of(std::string_view text, CellTableFormat format = CellTableFormat::csv) {
  try {
    read(text, format);
  } catch (const InputErrors& e) {
    std::string out;
    for (const InputError& i : e.issues()) out += std::string(i.what()) + "\n";
    return out;
  } catch (const InputError& e) {
    return e.what();
  }
  return "(no InputError)";
}

std::string token(std::size_t i) {
  return fx().region[i].token;
}

TEST(CellValuesCsv, ValuesByTokenOthersZero) {
  const std::vector<double> v = read("cell_id,demand_mbps\n" + token(3) + ",12.5\n" + token(0) + ",1e3\n");
  ASSERT_EQ(v.size(), 48U);
  EXPECT_EQ(v[3], 12.5);
  EXPECT_EQ(v[0], 1000.0);
  double others = 0.0;
  for (std::size_t i = 0; i < v.size(); ++i) others += (i == 0 || i == 3) ? 0.0 : v[i];
  EXPECT_EQ(others, 0.0);
}

TEST(CellValuesCsv, ColumnsByNameCaseOrderQuotingLineEnds) {
  // Byte-order mark, CRLF, columns in another order and case, extra columns, quotes, spaces, blank lines,
  // an upper-case token with a trailing zero.
  std::string upper = token(5);
  for (char& ch : upper) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  const std::string text = "\xEF\xBB\xBFnote,DEMAND_MBPS,Cell_Id\r\n\"a, b\", 7 ,\"" + token(1) +
                           "\"\r\n\r\n" + "x,0.25," + upper + "0\r\n";
  const std::vector<double> v = read(text);
  EXPECT_EQ(v[1], 7.0);
  EXPECT_EQ(v[5], 0.25);
}

TEST(CellValuesCsv, NegativeZeroReadsAsZero) {
  const std::vector<double> v = read("cell_id,demand_mbps\n" + token(3) + ",-0\n" + token(3) + ",0\n");
  EXPECT_EQ(v[3], 0.0);
  EXPECT_FALSE(std::signbit(v[3]));
}

TEST(CellValuesCsv, CellTokenColumnAndHeaderOnly) {
  EXPECT_EQ(read("variant,cell_token,demand_mbps\nbaseline," + token(2) + ",3\n")[2], 3.0);
  const std::vector<double> none = read("cell_id,demand_mbps\n");
  EXPECT_EQ(none, std::vector<double>(48, 0.0));
}

// A capacity output lists each cell once per provider with the same demand: it reads back as it is,
// each value exactly as written.
TEST(CellValues, PointTableOutputReadsBack) {
  std::vector<double> demand(fx().region.size());
  for (std::size_t i = 0; i < demand.size(); ++i) demand[i] = 0.1 * fx().region[i].area_km2 / 3.0;
  PointTable table;
  table.series = {"oneweb", "any"};
  table.columns = {"demand_mbps", "mean_mbps"};
  table.values = [&](std::size_t i, std::size_t, std::vector<std::string>& v) {
    char buf[32];
    v[0].assign(buf, std::to_chars(buf, buf + sizeof buf, demand[i]).ptr);  // shortest, exact
    v[1] = "0.000";
  };
  for (const CellTableFormat format : {CellTableFormat::csv, CellTableFormat::geojson}) {
    std::string text;
    PointTableOutput out;
    out.out = [&](std::string_view s) { text += s; };
    const LabelledPoints points{fx().region, {}};
    (format == CellTableFormat::csv ? write_point_table_csv : write_point_table_geojson)(points, table, out,
                                                                                         {});
    EXPECT_EQ(read(text, format), demand);
  }
}

TEST(CellValuesCsv, EveryBadRowLocated) {
  const std::string t0 = token(0), t1 = token(1), t2 = token(2);
  const std::string text =
      "cell_id,demand_mbps\n"            // line 1
      "zz,1\n"                           // 2: not a token
      ",1\n"                             // 3: empty token
      + fx().outside().token + ",1\n" +  // 4: outside the region
      t0 + ",lots\n" +                   // 5: not a number
      t1 + ",\n" +                       // 6: empty value
      t2 + ",-1\n" +                     // 7: negative
      token(3) + ",1e400\n" +            // 8: overflows
      token(4) + ",nan\n" +              // 9: not a decimal
      token(5) + ",2\n" +                // 10: good
      token(5) + ",3\n" +                // 11: the same cell with another value
      token(5) + ",2\n" +                // 12: the same value again: fine
      token(6) + ",1,extra\n" +          // 13: too many fields
      "\"" + token(7) + ",1\n";          // 14: unclosed quote
  const std::string e = error_of(text);
  EXPECT_NE(e.find("demand.csv:2: cell_id: expected an S2 cell token (hex digits, as the per-point outputs "
                   "write cell_id), found \"zz\""),
            std::string::npos)
      << e;
  EXPECT_NE(e.find("demand.csv:3: cell_id: expected an S2 cell token, found an empty value"),
            std::string::npos)
      << e;
  EXPECT_NE(e.find("demand.csv:4: cell_id: expected a cell of the region (48 cells of level 2), found \"" +
                   fx().outside().token + "\" outside it"),
            std::string::npos)
      << e;
  EXPECT_NE(e.find("demand.csv:5: demand_mbps: expected a demand >= 0 Mbps, found \"lots\""),
            std::string::npos)
      << e;
  EXPECT_NE(e.find("demand.csv:6: demand_mbps: expected a demand >= 0 Mbps, found an empty value"),
            std::string::npos)
      << e;
  EXPECT_NE(e.find("demand.csv:7: demand_mbps: expected a demand >= 0 Mbps, found \"-1\""), std::string::npos)
      << e;
  EXPECT_NE(e.find("demand.csv:8: demand_mbps: expected a demand >= 0 Mbps, found \"1e400\""),
            std::string::npos)
      << e;
  EXPECT_NE(e.find("demand.csv:9: demand_mbps: expected a demand >= 0 Mbps, found \"nan\""),
            std::string::npos)
      << e;
  EXPECT_NE(e.find("demand.csv:11: demand_mbps: cell " + token(5) +
                   " again, with another value: expected 2 as given at line 10, found \"3\""),
            std::string::npos)
      << e;
  EXPECT_NE(e.find("demand.csv:13: expected 2 fields as in the header, found 3"), std::string::npos) << e;
  EXPECT_NE(e.find("demand.csv:14: cell_id: expected a closing quote for the field opened on line 14"),
            std::string::npos)
      << e;
  EXPECT_EQ(e.find("demand.csv:10:"), std::string::npos) << e;
  EXPECT_EQ(e.find("demand.csv:12:"), std::string::npos) << e;
}

TEST(CellValuesCsv, CellOfAnotherLevel) {
  // A region cell's first child (level 3) and its parent (level 1); an S2 id's lowest set bit gives its
  // level.
  const std::uint64_t id = fx().region[0].id;
  const std::uint64_t lsb = id & (~id + 1);
  const std::string child = cell_token(id - lsb + (lsb >> 2));
  const std::string up = cell_token((id & ~(lsb * 4 - 1)) | (lsb * 4));
  const std::string e = error_of("cell_id,demand_mbps\n" + child + ",1\n" + up + ",1\n");
  EXPECT_NE(
      e.find("demand.csv:2: cell_id: expected a cell of level 2, found \"" + child + "\", a cell of level 3"),
      std::string::npos)
      << e;
  EXPECT_NE(
      e.find("demand.csv:3: cell_id: expected a cell of level 2, found \"" + up + "\", a cell of level 1"),
      std::string::npos)
      << e;
}

TEST(CellValuesCsv, BadFiles) {
  EXPECT_EQ(
      error_of(""),
      "demand.csv: expected a header row naming the columns (cell_id, demand_mbps), found an empty file");
  EXPECT_EQ(
      error_of("\n  \n"),
      "demand.csv: expected a header row naming the columns (cell_id, demand_mbps), found an empty file");
  EXPECT_EQ(
      error_of("id,demand_mbps\n"),
      "demand.csv:1: header: expected a column named \"cell_id\" (S2 cell tokens), found columns \"id\", "
      "\"demand_mbps\"");
  EXPECT_EQ(
      error_of("cell_id,demand\n"),
      "demand.csv:1: header: expected a column named \"demand_mbps\", found columns \"cell_id\", \"demand\"");
  EXPECT_EQ(error_of("cell_id,demand_mbps,Demand_Mbps\n"),
            "demand.csv:1: header: expected one column named \"demand_mbps\", found columns 2 and 3");
  EXPECT_EQ(
      error_of("cell_id,\"demand_mbps\n"),
      "demand.csv:1: header: expected a closing quote for the field opened on line 1, found the end of the "
      "file");
}

TEST(CellValuesCsv, AllProblemsAtOnce) {
  try {
    read("cell_id,demand_mbps\nzz,1\n" + token(0) + ",x\n" + token(1) + ",1\n");
    FAIL() << "no error";
  } catch (const InputErrors& e) {
    ASSERT_EQ(e.issues().size(), 2U);
    EXPECT_EQ(e.issues()[0].where().line, 2);
    EXPECT_EQ(e.issues()[0].where().field, "cell_id");
    EXPECT_EQ(e.issues()[1].where().line, 3);
    EXPECT_EQ(e.issues()[1].where().field, "demand_mbps");
    EXPECT_NE(std::string(e.what()).find("(and 1 more problems)"), std::string::npos) << e.what();
  }
}

std::string feature(const std::string& props, const std::string& geometry = "null") {
  return "{\"type\":\"Feature\",\"geometry\":" + geometry + ",\"properties\":" + props + "}";
}

TEST(CellValuesGeojson, FeaturesAndOneFeature) {
  const std::string fc = "{\"type\":\"FeatureCollection\",\"features\":[\n" +
                         feature("{\"cell_id\":\"" + token(2) + "\",\"demand_mbps\":4.5}") + ",\n" +
                         feature("{\"cell_token\":\"" + token(7) + "\",\"demand_mbps\":0}",
                                 "{\"type\":\"Point\",\"coordinates\":[0,0]}") +
                         "\n]}";
  const std::vector<double> v = read(fc, CellTableFormat::geojson);
  EXPECT_EQ(v[2], 4.5);
  EXPECT_EQ(v[7], 0.0);
  EXPECT_EQ(
      read(feature("{\"cell_id\":\"" + token(9) + "\",\"demand_mbps\":2}"), CellTableFormat::geojson)[9],
      2.0);
  EXPECT_EQ(read("{\"type\":\"FeatureCollection\",\"features\":[]}", CellTableFormat::geojson),
            std::vector<double>(48, 0.0));
}

TEST(CellValuesGeojson, EveryBadFeatureLocated) {
  const std::string fc = "{\"type\":\"FeatureCollection\",\"features\":[\n" +     // line 1
                         std::string("3,\n") +                                    // 2
                         "{\"type\":\"Point\"},\n" +                              // 3
                         "{\"type\":\"Feature\",\"properties\":null},\n" +        // 4
                         feature("{\"demand_mbps\":1}") + ",\n" +                 // 5
                         feature("{\"cell_id\":12,\"demand_mbps\":1}") + ",\n" +  // 6
                         feature("{\"cell_id\":\"" + token(1) + "\",\"demand_mbps\":\"12\"}") + ",\n" +  // 7
                         feature("{\"cell_id\":\"" + token(2) + "\",\"demand_mbps\":-0.5}") + ",\n" +    // 8
                         feature("{\"cell_id\":\"" + token(3) + "\"}") + ",\n" +                         // 9
                         feature("{\"cell_id\":\"" + fx().outside().token + "\",\"demand_mbps\":1}") +   // 10
                         "\n]}";
  const std::string e = error_of(fc, CellTableFormat::geojson);
  EXPECT_NE(e.find("demand.csv:2: features[0]: expected a Feature object, found 3"), std::string::npos) << e;
  EXPECT_NE(e.find("demand.csv:3: features[1]: type: expected \"Feature\", found \"Point\""),
            std::string::npos)
      << e;
  EXPECT_NE(e.find("demand.csv:4: features[2]: properties: expected an object with cell_id and demand_mbps, "
                   "found null"),
            std::string::npos)
      << e;
  EXPECT_NE(e.find("demand.csv:5: features[3]: properties.cell_id: expected an S2 cell token, found none"),
            std::string::npos)
      << e;
  EXPECT_NE(
      e.find("demand.csv:6: features[4]: properties.cell_id: expected an S2 cell token (a string), found 12"),
      std::string::npos)
      << e;
  EXPECT_NE(
      e.find("demand.csv:7: features[5]: properties.demand_mbps: expected a demand >= 0 Mbps, found \"12\""),
      std::string::npos)
      << e;
  EXPECT_NE(
      e.find("demand.csv:8: features[6]: properties.demand_mbps: expected a demand >= 0 Mbps, found -0.5"),
      std::string::npos)
      << e;
  EXPECT_NE(
      e.find("demand.csv:9: features[7]: properties.demand_mbps: expected a demand >= 0 Mbps, found none"),
      std::string::npos)
      << e;
  EXPECT_NE(e.find("demand.csv:10: features[8]: properties.cell_id: expected a cell of the region"),
            std::string::npos)
      << e;
}

TEST(CellValuesGeojson, BadFiles) {
  const auto geo = [](std::string_view text) { return error_of(text, CellTableFormat::geojson); };
  EXPECT_EQ(geo(" \n"), "demand.csv: expected a GeoJSON FeatureCollection or Feature, found an empty file");
  EXPECT_NE(
      geo("{\"type\":\n\"FeatureCollection\",").find("demand.csv:2: expected JSON, found a syntax error"),
      std::string::npos);
  EXPECT_EQ(geo("[1]"), "demand.csv: expected a GeoJSON FeatureCollection or Feature, found an array");
  EXPECT_EQ(geo("{\"type\":\"Polygon\"}"),
            "demand.csv:1: type: expected \"FeatureCollection\" or \"Feature\", found \"Polygon\"");
  EXPECT_EQ(geo("{\"type\":\"FeatureCollection\",\"features\":{}}"),
            "demand.csv:1: features: expected an array of Features, found an object");
  EXPECT_NE(geo(std::string(300, '[') + std::string(300, ']')).find("nested at most 256 levels"),
            std::string::npos);
  EXPECT_NE(geo("{\"type\":\"Feature\",\"properties\":{\"demand_mbps\":1e400}}").find("expected JSON"),
            std::string::npos);
}

TEST(CellValues, FilesByExtensionOrContent) {
  const std::filesystem::path dir = std::filesystem::temp_directory_path() / "skyfence_cell_values_test";
  std::filesystem::create_directories(dir);
  const auto write = [&](const std::string& name, const std::string& text) {
    std::ofstream(dir / name, std::ios::binary) << text;
    return (dir / name).string();
  };
  const std::string csv = "cell_id,demand_mbps\n" + token(4) + ",6\n";
  const std::string geo = "{\"type\":\"FeatureCollection\",\"features\":[" +
                          feature("{\"cell_id\":\"" + token(4) + "\",\"demand_mbps\":6}") + "]}";
  EXPECT_EQ(read_cell_values_file(write("d.csv", csv), fx().region, kLevel)[4], 6.0);
  EXPECT_EQ(read_cell_values_file(write("d.GeoJSON", geo), fx().region, kLevel)[4], 6.0);
  EXPECT_EQ(read_cell_values_file(write("d.txt", "  " + geo), fx().region, kLevel)[4], 6.0);
  EXPECT_EQ(read_cell_values_file(write("d.dat", csv), fx().region, kLevel)[4], 6.0);
  try {
    read_cell_values_file((dir / "missing.csv").string(), fx().region, kLevel);
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("missing.csv"), std::string::npos) << e.what();
  }
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace skyfence::earth
