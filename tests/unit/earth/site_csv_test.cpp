// The CSV site reader: columns by name, RFC 4180 quoting, line ends, byte-order mark, attributes in
// column order, and one located message per kind of bad row.
#include <gtest/gtest.h>

#include <cmath>
#include <numbers>
#include <string>

#include "../../test_support.h"
#include "skyfence/core/error.h"
#include "skyfence/core/units.h"
#include "skyfence/earth/site.h"

namespace skyfence::earth {
namespace {

using skyfence_test::kTestDataDir;

void expect_location(const Site& s, double lat_deg, double lon_deg, double alt_km) {
  const frames::Geodetic g = frames::Geodetic::degrees(lat_deg, lon_deg, alt_km);
  EXPECT_EQ(s.location.lat_rad, g.lat_rad) << s.id;
  EXPECT_EQ(s.location.lon_rad, g.lon_rad) << s.id;
  EXPECT_EQ(s.location.alt_km, g.alt_km) << s.id;
}

// The sites of tests/data/earth/terminals.csv, however the same content is spelled.
void expect_terminals(const SiteList& list) {
  ASSERT_TRUE(list.rejected.empty()) << list.rejected.front().to_string();
  ASSERT_EQ(list.sites.size(), 5U);
  const Site& t1 = list.sites[0];
  EXPECT_EQ(t1.id, "T1");
  EXPECT_EQ(t1.name, "Kyiv terminal");
  expect_location(t1, 50.45, 30.52, 0.18);
  const Attributes t1_attributes{{"operator", "Acme, Inc."}, {"notes", "rooftop"}};
  EXPECT_EQ(t1.attributes, t1_attributes);

  const Site& t2 = list.sites[1];
  EXPECT_EQ(t2.id, "T2");
  EXPECT_EQ(t2.name, "Z\xC3\xBCrich \"HB\"");
  expect_location(t2, 47.3779, 8.5403, 0.0);  // empty alt_m: 0
  ASSERT_NE(t2.attribute("notes"), nullptr);
  EXPECT_EQ(*t2.attribute("notes"), "two\nlines");
  EXPECT_EQ(t2.attribute("missing"), nullptr);

  const Site& t3 = list.sites[2];
  EXPECT_EQ(t3.id, "T3");
  EXPECT_EQ(t3.location.lon_rad, std::numbers::pi);  // -180 normalised to +180
  const Attributes empty_attributes{{"operator", ""}, {"notes", ""}};
  EXPECT_EQ(t3.attributes, empty_attributes);

  const Site& t4 = list.sites[3];
  EXPECT_EQ(t4.id, "T4");  // trimmed
  EXPECT_EQ(t4.name, "Suva");
  expect_location(t4, -18.1416, 178.4419, 0.0055);
  EXPECT_EQ(t4.attributes, empty_attributes);

  const Site& t5 = list.sites[4];
  EXPECT_EQ(t5.location.lat_rad, 90.0 * kRadPerDeg);
  EXPECT_EQ(t5.location.alt_km, 2.835);
  EXPECT_EQ(*t5.attribute("notes"), "say \"hi\"");
}

std::string crlf(const std::string& lf) {
  std::string out;
  for (char c : lf) {
    if (c == '\n') out += '\r';
    out += c;
  }
  return out;
}

// terminals.csv, byte for byte.
const std::string kTerminals =
    "name,id,lat_deg,lon_deg,alt_m,operator,notes\n"
    "Kyiv terminal,T1,50.45,30.52,180,\"Acme, Inc.\",rooftop\n"
    "\"Z\xC3\xBCrich \"\"HB\"\"\",T2,47.3779,8.5403,,Acme,\"two\nlines\"\n"
    "\n"
    "Date line east,T3,-16.5,-180,0,,\n"
    " Suva ,  T4 ,-18.1416,178.4419,5.5,\"\",\n"
    "Pole,T5,90,0,2835,,\"say \"\"hi\"\"\"\n";

TEST(EarthSitesCsv, GoodFile) {
  expect_terminals(read_sites_file(kTestDataDir + "/earth/terminals.csv"));
}

TEST(EarthSitesCsv, FixtureMatchesInlineCopy) {
  expect_terminals(read_sites(kTerminals, SiteFormat::csv, "terminals.csv"));
}

TEST(EarthSitesCsv, CrlfReadsLikeLf) {
  expect_terminals(read_sites(crlf(kTerminals), SiteFormat::csv, "t.csv"));
}

TEST(EarthSitesCsv, ByteOrderMarkTolerated) {
  expect_terminals(read_sites("\xEF\xBB\xBF" + kTerminals, SiteFormat::csv, "t.csv"));
  expect_terminals(read_sites("\xEF\xBB\xBF" + crlf(kTerminals), SiteFormat::csv, "t.csv"));
}

TEST(EarthSitesCsv, NoFinalLineEnd) {
  const SiteList list = read_sites("id,lat_deg,lon_deg\nA,1,2", SiteFormat::csv, "t.csv");
  ASSERT_EQ(list.sites.size(), 1U);
  EXPECT_EQ(list.sites[0].id, "A");
  const SiteList crlf_list = read_sites("id,lat_deg,lon_deg\r\nA,1,2\r", SiteFormat::csv, "t.csv");
  ASSERT_EQ(crlf_list.sites.size(), 1U);
  expect_location(crlf_list.sites[0], 1.0, 2.0, 0.0);
}

TEST(EarthSitesCsv, ColumnsInAnyOrderAndCase) {
  const SiteList list = read_sites("extra,LON_DEG,Alt_M,Lat_Deg,ID\nx,2,100,1,A\n", SiteFormat::csv, "t.csv");
  ASSERT_EQ(list.sites.size(), 1U);
  expect_location(list.sites[0], 1.0, 2.0, 0.1);
  EXPECT_EQ(list.sites[0].name, "A");  // no name column: the id
  const Attributes attributes{{"extra", "x"}};
  EXPECT_EQ(list.sites[0].attributes, attributes);
}

TEST(EarthSitesCsv, AttributesKeepColumnOrder) {
  const SiteList list =
      read_sites("zeta,id,alpha,lat_deg,mid,lon_deg,beta\n1,A,2,0,3,0,4\n", SiteFormat::csv, "t.csv");
  ASSERT_EQ(list.sites.size(), 1U);
  const Attributes attributes{{"zeta", "1"}, {"alpha", "2"}, {"mid", "3"}, {"beta", "4"}};
  EXPECT_EQ(list.sites[0].attributes, attributes);
}

TEST(EarthSitesCsv, NameFallsBackToDescriptionThenPlaceThenId) {
  const std::string text = "id,place,description,lat_deg,lon_deg\nA,Here,\"Here, XX\",1,2\nB,There,,1,2\n";
  const SiteList list = read_sites(text, SiteFormat::csv, "t.csv");
  ASSERT_EQ(list.sites.size(), 2U);
  EXPECT_EQ(list.sites[0].name, "Here, XX");
  EXPECT_EQ(list.sites[1].name, "B");  // empty description: the id
  const Attributes attributes{{"place", "Here"}};
  EXPECT_EQ(list.sites[0].attributes, attributes);

  const SiteList by_place = read_sites("id,place,lat_deg,lon_deg\nA,Here,1,2\n", SiteFormat::csv, "t.csv");
  EXPECT_EQ(by_place.sites.at(0).name, "Here");
}

TEST(EarthSitesCsv, NameColumnOption) {
  SiteReadOptions options;
  options.name_column = "place";
  const std::string text = "id,name,place,lat_deg,lon_deg\nA,Alpha,Here,1,2\n";
  const SiteList list = read_sites(text, SiteFormat::csv, "t.csv", options);
  ASSERT_EQ(list.sites.size(), 1U);
  EXPECT_EQ(list.sites[0].name, "Here");
  const Attributes attributes{{"name", "Alpha"}};
  EXPECT_EQ(list.sites[0].attributes, attributes);

  options.name_column = "label";
  EXPECT_EQ(
      skyfence_test::input_error_of([&] { (void)read_sites(text, SiteFormat::csv, "t.csv", options); }),
      "t.csv:1: header: expected a column named \"label\" (the name column asked for), found columns \"id\", "
      "\"name\", \"place\", \"lat_deg\", \"lon_deg\"");
}

TEST(EarthSitesCsv, BlankLinesSkippedAndCounted) {
  const SiteList list =
      read_sites("\n\nid,lat_deg,lon_deg\n\n  \nA,1,2\n\r\n\nB,100,2\n", SiteFormat::csv, "t.csv");
  ASSERT_EQ(list.sites.size(), 1U);
  ASSERT_EQ(list.rejected.size(), 1U);
  EXPECT_EQ(list.rejected[0].to_string(),
            "t.csv:9: lat_deg: expected a latitude from -90 to 90 degrees, found \"100\"");
}

TEST(EarthSitesCsv, HeaderOnlyGivesEmptyList) {
  const SiteList list = read_sites("id,lat_deg,lon_deg\n", SiteFormat::csv, "t.csv");
  EXPECT_TRUE(list.sites.empty());
  EXPECT_TRUE(list.rejected.empty());
}

TEST(EarthSitesCsv, LongitudeLimits) {
  const SiteList list =
      read_sites("id,lat_deg,lon_deg\nE,0,180\nW,0,-180\nM,-90,-179.999\n", SiteFormat::csv, "t.csv");
  ASSERT_EQ(list.sites.size(), 3U);
  EXPECT_EQ(list.sites[0].location.lon_rad, std::numbers::pi);
  EXPECT_EQ(list.sites[1].location.lon_rad, std::numbers::pi);
  EXPECT_LT(list.sites[2].location.lon_rad, 0.0);
}

TEST(EarthSitesCsv, NumberSpellings) {
  const SiteList list =
      read_sites("id,lat_deg,lon_deg,alt_m\nA,+1.5, -.5 ,1e3\nB,5.,2E-1,-0\n", SiteFormat::csv, "t.csv");
  ASSERT_EQ(list.sites.size(), 2U) << list.rejected.at(0).to_string();
  expect_location(list.sites[0], 1.5, -0.5, 1.0);
  expect_location(list.sites[1], 5.0, 0.2, 0.0);
  for (const char* bad : {"1,5", "0x10", "nan", "1e", "--1", "1 2", "."}) {
    const std::string text = std::string("id,lat_deg,lon_deg\nA,\"") + bad + "\",0\n";
    const SiteList l = read_sites(text, SiteFormat::csv, "t.csv");
    ASSERT_EQ(l.rejected.size(), 1U) << bad;
    EXPECT_EQ(l.rejected[0].message,
              std::string("expected a decimal number of degrees, found \"") + bad + "\"");
  }
}

// One row per kind of problem between good rows; each message exactly.
TEST(EarthSitesCsv, BadRowsListedWithLocation) {
  const std::string path = kTestDataDir + "/earth/bad_rows.csv";
  const SiteList list = read_sites_file(path);
  ASSERT_EQ(list.sites.size(), 2U);
  EXPECT_EQ(list.sites[0].id, "G1");
  EXPECT_EQ(list.sites[0].name, "Good one");  // the first G1 stays
  EXPECT_EQ(list.sites[1].id, "G2");
  expect_location(list.sites[1], -10.0, -20.0, -0.005);

  const std::vector<std::string> expected = {
      ":3: lat_deg: expected a latitude from -90 to 90 degrees, found \"91\"",
      ":4: lat_deg: expected a latitude from -90 to 90 degrees, found \"-90.5\"",
      ":5: lon_deg: expected a longitude from -180 to 180 degrees, found \"180.25\"",
      ":6: lat_deg: expected a decimal number of degrees, found \"ten\"",
      ":7: lat_deg: expected a decimal number of degrees, found an empty value",
      ":8: id: expected a non-empty id, found an empty value",
      ":9: id: expected a unique id, found \"G1\" again (first on line 2)",
      ":10: lon_deg: expected 5 fields as in the header, found 3",
      ":11: expected 5 fields as in the header, found 6",
      ":12: alt_m: expected an altitude from -11000 to 100000 metres, found \"200000\"",
      ":13: lat_deg: expected a comma or a line end after the closing quote, found \"x\"",
      ":14: lon_deg: expected a decimal number of degrees, found \"inf\"",
  };
  ASSERT_EQ(list.rejected.size(), expected.size());
  for (std::size_t k = 0; k < expected.size(); ++k) {
    EXPECT_EQ(list.rejected[k].to_string(), path + expected[k]);
    EXPECT_EQ(list.rejected[k].where.file, path);
  }
  EXPECT_EQ(list.rejected[0].where.line, 3);
  EXPECT_EQ(list.rejected[0].where.field, "lat_deg");
  EXPECT_EQ(list.rejected[0].message, "expected a latitude from -90 to 90 degrees, found \"91\"");
}

TEST(EarthSitesCsv, StrictThrowsAtFirstBadRow) {
  SiteReadOptions options;
  options.strict = true;
  const std::string path = kTestDataDir + "/earth/bad_rows.csv";
  try {
    (void)read_sites_file(path, options);
    FAIL() << "no InputError";
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()),
              path + ":3: lat_deg: expected a latitude from -90 to 90 degrees, found \"91\"");
    EXPECT_EQ(e.where().line, 3);
    EXPECT_EQ(e.where().field, "lat_deg");
  }
  EXPECT_EQ(read_sites_file(kTestDataDir + "/earth/terminals.csv", options).sites.size(), 5U);
}

TEST(EarthSitesCsv, StrictThrowsOnDuplicate) {
  SiteReadOptions options;
  options.strict = true;
  EXPECT_EQ(skyfence_test::input_error_of([&] {
              (void)read_sites("id,lat_deg,lon_deg\nA,1,2\nB,1,2\n\nA,3,4\n", SiteFormat::csv, "t.csv",
                               options);
            }),
            "t.csv:5: id: expected a unique id, found \"A\" again (first on line 2)");
}

TEST(EarthSitesCsv, DuplicateOfRejectedRowLoads) {
  // Only accepted rows claim their id: a bad first row does not block a good later one.
  const SiteList list = read_sites("id,lat_deg,lon_deg\nA,99,2\nA,1,2\n", SiteFormat::csv, "t.csv");
  ASSERT_EQ(list.sites.size(), 1U);
  EXPECT_EQ(list.rejected.size(), 1U);
  EXPECT_EQ(list.rejected[0].where.line, 2);
}

TEST(EarthSitesCsv, QuotedFieldSpanningLinesKeepsLineNumbers) {
  const SiteList list =
      read_sites("id,notes,lat_deg,lon_deg\nA,\"1\n2\n3\",1,2\nB,x,95,2\n", SiteFormat::csv, "t.csv");
  ASSERT_EQ(list.sites.size(), 1U);
  EXPECT_EQ(*list.sites[0].attribute("notes"), "1\n2\n3");
  ASSERT_EQ(list.rejected.size(), 1U);
  EXPECT_EQ(list.rejected[0].where.line, 5);
}

TEST(EarthSitesCsv, UnterminatedQuote) {
  const SiteList list = read_sites("id,lat_deg,lon_deg,notes\nA,1,2,ok\nB,1,2,\"never closed\nC,1,2,x\n",
                                   SiteFormat::csv, "t.csv");
  ASSERT_EQ(list.sites.size(), 1U);
  ASSERT_EQ(list.rejected.size(), 1U);
  EXPECT_EQ(
      list.rejected[0].to_string(),
      "t.csv:3: notes: expected a closing quote for the field opened on line 3, found the end of the file");
}

TEST(EarthSitesCsv, SpacesAroundQuotedField) {
  const SiteList list = read_sites("id,name,lat_deg,lon_deg\nA, \"x, y\" ,1,2\n", SiteFormat::csv, "t.csv");
  ASSERT_EQ(list.sites.size(), 1U) << list.rejected.at(0).to_string();
  EXPECT_EQ(list.sites[0].name, "x, y");
}

TEST(EarthSitesCsv, QuoteInsideUnquotedFieldIsText) {
  const SiteList list = read_sites("id,name,lat_deg,lon_deg\nA,5\" dish,1,2\n", SiteFormat::csv, "t.csv");
  ASSERT_EQ(list.sites.size(), 1U);
  EXPECT_EQ(list.sites[0].name, "5\" dish");
}

TEST(EarthSitesCsv, InvalidUtf8Rejected) {
  const SiteList list =
      read_sites("id,name,lat_deg,lon_deg\nA,abc\xFF,1,2\nB,\xC3\xA9t\xC3\xA9,1,2\nC,\xED\xA0\x80,1,2\n",
                 SiteFormat::csv, "t.csv");
  ASSERT_EQ(list.sites.size(), 1U);
  EXPECT_EQ(list.sites[0].name, "\xC3\xA9t\xC3\xA9");
  ASSERT_EQ(list.rejected.size(), 2U);
  EXPECT_EQ(list.rejected[0].to_string(),
            "t.csv:2: name: expected UTF-8 text, found an invalid UTF-8 byte \\xFF at byte 4");
  EXPECT_EQ(list.rejected[1].to_string(),
            "t.csv:4: name: expected UTF-8 text, found an invalid UTF-8 byte \\xED at byte 1");
}

TEST(EarthSitesCsv, HeaderErrors) {
  EXPECT_EQ(skyfence_test::input_error_of(
                [] { (void)read_sites("id,name,lat,lon\nA,a,1,2\n", SiteFormat::csv, "t.csv"); }),
            "t.csv:1: header: expected a column named \"lat_deg\", found columns \"id\", \"name\", \"lat\", "
            "\"lon\"");
  EXPECT_EQ(
      skyfence_test::input_error_of(
          [] { (void)read_sites("\nname,lat_deg,lon_deg\n", SiteFormat::csv, "t.csv"); }),
      "t.csv:2: header: expected a column named \"id\", found columns \"name\", \"lat_deg\", \"lon_deg\"");
  EXPECT_EQ(skyfence_test::input_error_of(
                [] { (void)read_sites("id,lat_deg,lon_deg,ID\n", SiteFormat::csv, "t.csv"); }),
            "t.csv:1: header: expected each column once, found \"ID\" as columns 1 and 4");
  EXPECT_EQ(skyfence_test::input_error_of(
                [] { (void)read_sites("id,lat_deg,lon_deg,\n", SiteFormat::csv, "t.csv"); }),
            "t.csv:1: header: column 4: expected a column name, found an empty one");
  EXPECT_EQ(
      skyfence_test::input_error_of(
          [] { (void)read_sites("id,lat_deg,\"lon_deg\n", SiteFormat::csv, "t.csv"); }),
      "t.csv:1: header: expected a closing quote for the field opened on line 1, found the end of the file");
  const std::string empty_file =
      "t.csv: expected a header row naming the columns (id, lat_deg, lon_deg and others), found an empty "
      "file";
  EXPECT_EQ(skyfence_test::input_error_of([] { (void)read_sites("", SiteFormat::csv, "t.csv"); }),
            empty_file);
  EXPECT_EQ(
      skyfence_test::input_error_of([] { (void)read_sites("\xEF\xBB\xBF\r\n\n", SiteFormat::csv, "t.csv"); }),
      empty_file);
}

TEST(EarthSitesCsv, FileErrors) {
  const std::string missing = kTestDataDir + "/earth/no-such-file.csv";
  try {
    (void)read_sites_file(missing);
    FAIL() << "no InputError";
  } catch (const InputError& e) {
    EXPECT_EQ(e.where().file, missing);
    EXPECT_EQ(e.detail(), "expected a readable sites file, found: No such file or directory");
  }
}

TEST(EarthSitesCsv, TrajectoriesAreRefusedWhereFixedSitesAreExpected) {
  try {
    (void)read_sites("id,time_utc,lat_deg,lon_deg\nA,2026-01-01T00:00:00Z,1,2\n", SiteFormat::csv, "t.csv");
    FAIL() << "a trajectories file read as sites";
  } catch (const InputError& e) {
    EXPECT_EQ(
        std::string(e.what()).rfind("t.csv:1: time_utc: expected fixed sites, found a time_utc column", 0),
        0u)
        << e.what();
  }
}

}  // namespace
}  // namespace skyfence::earth
