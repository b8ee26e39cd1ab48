// The GeoJSON site reader: FeatureCollection and single Feature, ids and names from their several
// places, attributes in property order, and one located message per kind of bad feature.
#include <gtest/gtest.h>

#include <numbers>
#include <string>
#include <vector>

#include "../../test_support.h"
#include "skyfence/core/error.h"
#include "skyfence/earth/site.h"

namespace skyfence::earth {
namespace {

using skyfence_test::kTestDataDir;

SiteList geojson(const std::string& text, const SiteReadOptions& options = {}) {
  return read_sites(text, SiteFormat::geojson, "s.geojson", options);
}

TEST(EarthSitesGeoJson, GoodFile) {
  const SiteList list = read_sites_file(kTestDataDir + "/earth/sites.geojson");
  ASSERT_TRUE(list.rejected.empty()) << list.rejected.front().to_string();
  ASSERT_EQ(list.sites.size(), 4U);

  const Site& a = list.sites[0];
  EXPECT_EQ(a.id, "gw-1");
  EXPECT_EQ(a.name, "Kyiv gateway");
  const frames::Geodetic kyiv = frames::Geodetic::degrees(50.45, 30.52, 0.18);
  EXPECT_EQ(a.location.lat_rad, kyiv.lat_rad);
  EXPECT_EQ(a.location.lon_rad, kyiv.lon_rad);
  EXPECT_EQ(a.location.alt_km, kyiv.alt_km);
  // Property order as written, values stringified (null -> empty, arrays as compact JSON).
  const Attributes a_attributes{
      {"operator", "Acme"}, {"antennas", "8"}, {"active", "true"}, {"note", ""}, {"tags", "[\"ka\",\"e\"]"}};
  EXPECT_EQ(a.attributes, a_attributes);

  const Site& b = list.sites[1];
  EXPECT_EQ(b.id, "gw-2");                          // from properties.id
  EXPECT_EQ(b.name, "gw-2");                        // no name: the id
  EXPECT_EQ(b.location.lon_rad, std::numbers::pi);  // -180 normalised to +180
  EXPECT_EQ(b.location.alt_km, 0.0);
  const Attributes b_attributes{{"band", "Ka"}};
  EXPECT_EQ(b.attributes, b_attributes);

  const Site& c = list.sites[2];
  EXPECT_EQ(c.id, "42");  // a numeric feature id
  EXPECT_EQ(c.name, "Z\xC3\xBCrich");
  const Attributes c_attributes{{"id", "shadowed"}};  // properties.id is kept when the feature has an id
  EXPECT_EQ(c.attributes, c_attributes);

  const Site& d = list.sites[3];
  EXPECT_EQ(d.id, "gw-4");
  EXPECT_EQ(d.location.lon_rad, std::numbers::pi);
  EXPECT_TRUE(d.attributes.empty());  // "properties": null
}

TEST(EarthSitesGeoJson, SingleFeature) {
  const SiteList list = geojson(
      R"({"type":"Feature","id":"x","geometry":{"type":"Point","coordinates":[1,2,3]},"properties":{"name":"X"}})");
  ASSERT_EQ(list.sites.size(), 1U);
  EXPECT_EQ(list.sites[0].name, "X");
  EXPECT_EQ(list.sites[0].location.alt_km, 0.003);
}

TEST(EarthSitesGeoJson, SingleBadFeature) {
  const SiteList list = geojson(
      "\n{\"type\":\"Feature\",\"id\":\"x\",\"geometry\":{\"type\":\"Point\",\"coordinates\":[1,92]}}");
  ASSERT_EQ(list.rejected.size(), 1U);
  EXPECT_EQ(
      list.rejected[0].to_string(),
      "s.geojson:2: feature: geometry.coordinates[1]: expected a latitude from -90 to 90 degrees, found 92");
}

TEST(EarthSitesGeoJson, NullFeatureIdFallsBackToPropertiesId) {
  const SiteList list = geojson(
      R"({"type":"Feature","id":null,"geometry":{"type":"Point","coordinates":[1,2]},"properties":{"id":"p"}})");
  ASSERT_EQ(list.sites.size(), 1U);
  EXPECT_EQ(list.sites[0].id, "p");
}

TEST(EarthSitesGeoJson, NameFallbackAndOption) {
  const std::string text =
      R"({"type":"FeatureCollection","features":[
      {"type":"Feature","id":"a","geometry":{"type":"Point","coordinates":[1,2]},
       "properties":{"place":"Here","description":"Here, XX"}}]})";
  const SiteList list = geojson(text);
  ASSERT_EQ(list.sites.size(), 1U);
  EXPECT_EQ(list.sites[0].name, "Here, XX");
  const Attributes attributes{{"place", "Here"}};
  EXPECT_EQ(list.sites[0].attributes, attributes);

  SiteReadOptions options;
  options.name_column = "place";
  const SiteList by_place = geojson(text, options);
  EXPECT_EQ(by_place.sites.at(0).name, "Here");
  options.name_column = "label";  // absent in a feature: the id
  EXPECT_EQ(geojson(text, options).sites.at(0).name, "a");
}

TEST(EarthSitesGeoJson, EmptyCollection) {
  const SiteList list = geojson(R"({"type":"FeatureCollection","features":[]})");
  EXPECT_TRUE(list.sites.empty());
  EXPECT_TRUE(list.rejected.empty());
}

TEST(EarthSitesGeoJson, BadFeaturesListedWithLocation) {
  const std::string path = kTestDataDir + "/earth/bad_features.geojson";
  const SiteList list = read_sites_file(path);
  ASSERT_EQ(list.sites.size(), 2U);
  EXPECT_EQ(list.sites[0].id, "ok-1");
  EXPECT_EQ(list.sites[1].id, "ok-2");
  const std::vector<std::string> expected = {
      ":5: features[1]: geometry.type: expected \"Point\", found \"Polygon\"",
      ":7: features[2]: geometry.coordinates[1]: expected a latitude from -90 to 90 degrees, found 95",
      ":8: features[3]: geometry.coordinates[0]: expected a longitude from -180 to 180 degrees, found -181",
      ":9: features[4]: geometry.coordinates[0]: expected a number of degrees, found \"20\"",
      ":10: features[5]: id: expected an id (the feature's \"id\" or properties.id), found none",
      ":11: features[6]: id: expected a non-empty id, found an empty value",
      ":12: features[7]: id: expected a unique id, found \"ok-1\" again (first on features[0] (line 4))",
      ":13: features[8]: geometry: expected a Point geometry, found null",
      std::string(":14: features[9]: geometry.coordinates: ") +
          "expected [lon_deg, lat_deg] or [lon_deg, lat_deg, alt_m], found an array of 1",
      std::string(":15: features[10]: geometry.coordinates[2]: ") +
          "expected an altitude from -11000 to 100000 metres, found -20000",
      ":16: features[11]: type: expected \"Feature\", found \"Point\"",
  };
  ASSERT_EQ(list.rejected.size(), expected.size());
  for (std::size_t k = 0; k < expected.size(); ++k)
    EXPECT_EQ(list.rejected[k].to_string(), path + expected[k]);
  EXPECT_EQ(list.rejected[0].where.line, 5);
  EXPECT_EQ(list.rejected[0].where.field, "features[1]: geometry.type");
}

TEST(EarthSitesGeoJson, StrictThrowsAtFirstBadFeature) {
  SiteReadOptions options;
  options.strict = true;
  const std::string path = kTestDataDir + "/earth/bad_features.geojson";
  EXPECT_EQ(skyfence_test::input_error_of([&] { (void)read_sites_file(path, options); }),
            path + ":5: features[1]: geometry.type: expected \"Point\", found \"Polygon\"");
}

TEST(EarthSitesGeoJson, MoreFeatureProblems) {
  const auto one = [](const std::string& feature) {
    const SiteList list = geojson(R"({"type":"FeatureCollection","features":[)" + feature + "]}");
    return list.rejected.empty() ? std::string("(accepted)") : list.rejected[0].to_string();
  };
  EXPECT_EQ(one("7"), "s.geojson:1: features[0]: expected a Feature object, found 7");
  EXPECT_EQ(one(R"({"id":"a","geometry":{"type":"Point","coordinates":[1,2]}})"),
            "s.geojson:1: features[0]: type: expected \"Feature\", found none");
  EXPECT_EQ(one(R"({"type":"Feature","id":true,"geometry":{"type":"Point","coordinates":[1,2]}})"),
            "s.geojson:1: features[0]: id: expected a string or a number, found true");
  EXPECT_EQ(
      one(R"({"type":"Feature","geometry":{"type":"Point","coordinates":[1,2]},"properties":{"id":" "}})"),
      "s.geojson:1: features[0]: properties.id: expected a non-empty id, found an empty value");
  EXPECT_EQ(
      one(R"({"type":"Feature","id":"a","geometry":{"type":"Point","coordinates":[1,2]},"properties":[]})"),
      "s.geojson:1: features[0]: properties: expected an object or null, found an array");
  EXPECT_EQ(
      one(R"({"type":"Feature","id":"a","geometry":{"type":"Point","coordinates":[1,2]},"properties":{"name":{}}})"),
      "s.geojson:1: features[0]: properties.name: expected a string, found an object");
  EXPECT_EQ(one(R"({"type":"Feature","id":"a"})"),
            "s.geojson:1: features[0]: geometry: expected a Point geometry, found none");
  EXPECT_EQ(one(R"({"type":"Feature","id":"a","geometry":{"coordinates":[1,2]}})"),
            "s.geojson:1: features[0]: geometry.type: expected \"Point\", found none");
  EXPECT_EQ(one(R"({"type":"Feature","id":"a","geometry":{"type":"MultiPoint","coordinates":[[1,2]]}})"),
            "s.geojson:1: features[0]: geometry.type: expected \"Point\", found \"MultiPoint\"");
  EXPECT_EQ(one(R"({"type":"Feature","id":"a","geometry":{"type":"Point"}})"),
            "s.geojson:1: features[0]: geometry.coordinates: expected [lon_deg, lat_deg] or [lon_deg, "
            "lat_deg, alt_m], "
            "found none");
  EXPECT_EQ(one(R"({"type":"Feature","id":"a","geometry":{"type":"Point","coordinates":[1,2,3,4]}})"),
            "s.geojson:1: features[0]: geometry.coordinates: expected [lon_deg, lat_deg] or [lon_deg, "
            "lat_deg, alt_m], "
            "found an array of 4");
  EXPECT_EQ(one(R"({"type":"Feature","id":"a","geometry":{"type":"Point","coordinates":[1,2,"x"]}})"),
            "s.geojson:1: features[0]: geometry.coordinates[2]: expected a number of metres, found \"x\"");
  EXPECT_EQ(one(R"({"type":"Feature","id":"a","geometry":{"type":"Point","coordinates":[180,-90]}})"),
            "(accepted)");
}

TEST(EarthSitesGeoJson, FileErrors) {
  EXPECT_EQ(skyfence_test::input_error_of([] { (void)geojson(""); }),
            "s.geojson: expected a GeoJSON FeatureCollection or Feature, found an empty file");
  EXPECT_EQ(skyfence_test::input_error_of([] { (void)geojson("[]"); }),
            "s.geojson: expected a GeoJSON FeatureCollection or Feature, found an array");
  EXPECT_EQ(skyfence_test::input_error_of([] { (void)geojson("\n{\"type\":\"Polygon\"}"); }),
            "s.geojson:2: type: expected \"FeatureCollection\" or \"Feature\", found \"Polygon\"");
  EXPECT_EQ(skyfence_test::input_error_of([] { (void)geojson(R"({"type":"FeatureCollection"})"); }),
            "s.geojson:1: features: expected an array of Features, found none");
  EXPECT_EQ(
      skyfence_test::input_error_of([] { (void)geojson(R"({"type":"FeatureCollection","features":{}})"); }),
      "s.geojson:1: features: expected an array of Features, found an object");

  try {
    (void)geojson("{\n\"type\": \"FeatureCollection\",\n\"features\": [,]}");
    FAIL() << "no InputError";
  } catch (const InputError& e) {
    EXPECT_EQ(e.where().line, 3);
    EXPECT_EQ(e.detail().rfind("expected JSON, found a syntax error: ", 0), 0U) << e.detail();
  }
  // Invalid UTF-8 inside a string is a syntax error of the whole file.
  EXPECT_NE(skyfence_test::input_error_of([] {
              (void)geojson("{\"type\":\"Feature\",\"id\":\"\xFF\"}");
            }).find("syntax error"),
            std::string::npos);
  EXPECT_NE(
      skyfence_test::input_error_of([] {
        (void)geojson(R"({"type":"Feature","id":"a","geometry":{"type":"Point","coordinates":[1e999,2]}})");
      }).find("s.geojson: expected JSON"),
      std::string::npos);
  const std::string deep = "{\"type\":\"Feature\",\"properties\":{\"x\":" + std::string(100000, '[') +
                           std::string(100000, ']') + "}}";
  EXPECT_EQ(skyfence_test::input_error_of([&] { (void)geojson(deep); }),
            "s.geojson:1: expected JSON nested at most 256 levels deep, found deeper nesting");
}

TEST(EarthSitesGeoJson, ByteOrderMarkTolerated) {
  const SiteList list = geojson(
      "\xEF\xBB\xBF{\"type\":\"Feature\",\"id\":\"x\",\"geometry\":{\"type\":\"Point\",\"coordinates\":[1,2]}"
      "}");
  EXPECT_EQ(list.sites.size(), 1U);
}

}  // namespace
}  // namespace skyfence::earth
