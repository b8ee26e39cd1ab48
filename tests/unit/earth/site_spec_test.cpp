// Command-line sites ("--site LAT,LON[,ALT_M]"), format choice by extension or content, and
// robustness of both readers against arbitrary bytes.
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <numbers>
#include <random>
#include <string>

#include "../../test_seed.h"
#include "../../test_support.h"
#include "skyfence/core/error.h"
#include "skyfence/earth/site.h"

namespace skyfence::earth {
namespace {

TEST(EarthSiteSpec, LatLonAlt) {
  const Site s = parse_site_spec("50.45,30.52,180", "--site");
  EXPECT_EQ(s.id, "50.45,30.52,180");
  EXPECT_EQ(s.name, s.id);
  const frames::Geodetic g = frames::Geodetic::degrees(50.45, 30.52, 0.18);
  EXPECT_EQ(s.location.lat_rad, g.lat_rad);
  EXPECT_EQ(s.location.lon_rad, g.lon_rad);
  EXPECT_EQ(s.location.alt_km, 0.18);
  EXPECT_TRUE(s.attributes.empty());
}

TEST(EarthSiteSpec, SpacesAndDefaults) {
  const Site s = parse_site_spec(" -33.9 , -180 ", "--site");
  EXPECT_EQ(s.id, "-33.9 , -180");
  EXPECT_EQ(s.location.lon_rad, std::numbers::pi);
  EXPECT_EQ(s.location.alt_km, 0.0);
  EXPECT_EQ(parse_site_spec("90,180,-10", "--site").location.alt_km, -0.01);
}

TEST(EarthSiteSpec, Errors) {
  const std::string shape = "--site: expected LAT,LON or LAT,LON,ALT_M (degrees, degrees, metres), found ";
  EXPECT_EQ(skyfence_test::input_error_of([] { (void)parse_site_spec("50.45", "--site"); }),
            shape + "\"50.45\"");
  EXPECT_EQ(skyfence_test::input_error_of([] { (void)parse_site_spec("", "--site"); }), shape + "\"\"");
  EXPECT_EQ(skyfence_test::input_error_of([] { (void)parse_site_spec("1,2,3,4", "--site"); }),
            shape + "\"1,2,3,4\"");
  EXPECT_EQ(skyfence_test::input_error_of([] { (void)parse_site_spec("91,0", "--site"); }),
            "--site: latitude: expected a latitude from -90 to 90 degrees, found \"91\"");
  EXPECT_EQ(skyfence_test::input_error_of([] { (void)parse_site_spec("0,-180.5", "--site"); }),
            "--site: longitude: expected a longitude from -180 to 180 degrees, found \"-180.5\"");
  EXPECT_EQ(skyfence_test::input_error_of([] { (void)parse_site_spec("0,abc", "--site"); }),
            "--site: longitude: expected a decimal number of degrees, found \"abc\"");
  EXPECT_EQ(skyfence_test::input_error_of([] { (void)parse_site_spec(",", "--site"); }),
            "--site: latitude: expected a decimal number of degrees, found an empty value");
  EXPECT_EQ(skyfence_test::input_error_of([] { (void)parse_site_spec("0,0,1e6", "--terminal"); }),
            "--terminal: altitude: expected an altitude from -11000 to 100000 metres, found \"1e6\"");
  EXPECT_EQ(skyfence_test::input_error_of([] { (void)parse_site_spec("0,0,5m", "--site"); }),
            "--site: altitude: expected a decimal number of metres, found \"5m\"");
  try {
    (void)parse_site_spec("0,0,x", "--site");
  } catch (const InputError& e) {
    EXPECT_EQ(e.where().file, "--site");
    EXPECT_EQ(e.where().line, 0);
    EXPECT_EQ(e.where().field, "altitude");
  }
}

class EarthSitesFile : public ::testing::Test {
 protected:
  std::string write(const std::string& name, const std::string& text) {
    std::string path = ::testing::TempDir() + "skyfence_earth_" + name;
    std::ofstream(path, std::ios::binary) << text;
    written_.push_back(path);
    return path;
  }
  void TearDown() override {
    for (const std::string& p : written_) std::remove(p.c_str());
  }
  std::vector<std::string> written_;
};

const std::string kFeature = R"({"type":"Feature","id":"x","geometry":{"type":"Point","coordinates":[1,2]}})";

TEST_F(EarthSitesFile, FormatByExtensionThenContent) {
  EXPECT_EQ(read_sites_file(write("a.GeoJSON", kFeature)).sites.at(0).id, "x");
  EXPECT_EQ(read_sites_file(write("a.json", kFeature)).sites.at(0).id, "x");
  EXPECT_EQ(read_sites_file(write("a.txt", "\xEF\xBB\xBF \n" + kFeature)).sites.at(0).id, "x");
  EXPECT_EQ(read_sites_file(write("noext", "id,lat_deg,lon_deg\ny,1,2\n")).sites.at(0).id, "y");
  EXPECT_EQ(read_sites_file(write("a.CSV", "id,lat_deg,lon_deg\nz,1,2\n")).sites.at(0).id, "z");
  // An explicit .csv extension wins over content that looks like JSON.
  EXPECT_NE(skyfence_test::input_error_of([&] {
              (void)read_sites_file(write("b.csv", kFeature));
            }).find(":1: header: "),
            std::string::npos);
}

// Arbitrary bytes, and mutations of good files, give sites or InputError: never a crash or another
// exception (run under ASan+UBSan too).
TEST(EarthSitesRobustness, ArbitraryInputNeverCrashes) {
  const std::uint64_t seed = skyfence_test::test_seed("sites robustness", 20240601);
  std::mt19937 rng(static_cast<std::mt19937::result_type>(seed));
  SCOPED_TRACE("seed " + std::to_string(seed));
  const std::string csv_seed =
      "id,name,lat_deg,lon_deg,alt_m,x\r\nA,\"q,\"\"r\",1,2,3,\"a\nb\"\nB,c,-90,180,,\n";
  const std::string json_seed =
      R"({"type":"FeatureCollection","features":[{"type":"Feature","id":"a","geometry":{"type":"Point",)"
      R"("coordinates":[1,2,3]},"properties":{"name":"n","k":[1,{"z":null}]}}]})";
  const std::string alphabet = "\",\r\n{}[]:\\ 0123456789.-+eEidlatlonFeature\xC3\xA9\xFF";
  for (int round = 0; round < 3000; ++round) {
    const bool csv = round % 2 == 0;
    std::string text = csv ? csv_seed : json_seed;
    const int edits = 1 + static_cast<int>(rng() % 6);
    for (int e = 0; e < edits; ++e) {
      const std::size_t at = text.empty() ? 0 : rng() % (text.size() + 1);
      const char c = alphabet[rng() % alphabet.size()];
      switch (rng() % 3) {
        case 0:
          text.insert(at, 1, c);
          break;
        case 1:
          if (at < text.size()) text.erase(at, 1);
          break;
        default:
          if (at < text.size()) text[at] = c;
          break;
      }
    }
    if (round % 50 == 0) {
      text.resize(rng() % 64);
      for (char& ch : text) ch = static_cast<char>(rng() % 256);
    }
    for (const bool strict : {false, true}) {
      SiteReadOptions options;
      options.strict = strict;
      try {
        const SiteList list = read_sites(text, csv ? SiteFormat::csv : SiteFormat::geojson, "f", options);
        for (const Site& s : list.sites) {
          EXPECT_FALSE(s.id.empty());
          EXPECT_LE(std::abs(s.location.lat_rad), std::numbers::pi / 2);
          EXPECT_GT(s.location.lon_rad, -std::numbers::pi);
          EXPECT_LE(s.location.lon_rad, std::numbers::pi);
        }
      } catch (const InputError&) {
        // expected for many inputs
      }
    }
  }
}

}  // namespace
}  // namespace skyfence::earth
