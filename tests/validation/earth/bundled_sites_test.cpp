// The bundled Starlink gateway and PoP lists (data/gateways/) load whole: every row, no rejects,
// names and attributes as data/gateways/PROVENANCE.md describes.
#include <gtest/gtest.h>

#include <numbers>
#include <set>
#include <string>

#include "../../test_support.h"
#include "skyfence/core/units.h"
#include "skyfence/earth/site.h"

namespace skyfence::earth {
namespace {

using skyfence_test::kDataDir;

void expect_sane(const SiteList& list) {
  std::set<std::string> ids;
  for (const Site& s : list.sites) {
    EXPECT_TRUE(ids.insert(s.id).second) << s.id;
    EXPECT_FALSE(s.name.empty()) << s.id;
    EXPECT_LE(std::abs(s.location.lat_rad), std::numbers::pi / 2) << s.id;
    EXPECT_GT(s.location.lon_rad, -std::numbers::pi) << s.id;
    EXPECT_LE(s.location.lon_rad, std::numbers::pi) << s.id;
    EXPECT_EQ(s.location.alt_km, 0.0) << s.id;
  }
}

TEST(EarthBundledSites, StarlinkGateways) {
  SiteReadOptions strict;
  strict.strict = true;
  const SiteList list = read_sites_file(kDataDir + "/gateways/starlink_gateways.csv", strict);
  EXPECT_TRUE(list.rejected.empty());
  ASSERT_EQ(list.sites.size(), 261U);
  expect_sane(list);

  const Site& first = list.sites.front();
  EXPECT_EQ(first.id, "GS1");
  EXPECT_EQ(first.name,
            "Cama\xC3\xA7"
            "ari, BR");  // from "description": the file has no "name" column
  EXPECT_EQ(first.location.lat_rad, -12.74832 * kRadPerDeg);
  EXPECT_EQ(first.location.lon_rad, -38.28305 * kRadPerDeg);
  const Attributes attributes{{"place",
                               "Cama\xC3\xA7"
                               "ari"},
                              {"region", "BR"},
                              {"tag", ""},
                              {"band", "Ka"},
                              {"antenna_count", "8"},
                              {"uplink_ghz", "2.1"},
                              {"downlink_ghz", "1.3"}};
  EXPECT_EQ(first.attributes, attributes);
  EXPECT_EQ(list.sites.back().id, "GS261");

  // One row per band at the same place: different ids, same coordinates.
  const Site& ka = list.sites[36];
  const Site& e = list.sites[37];
  EXPECT_EQ(ka.id, "GS37");
  EXPECT_EQ(e.id, "GS38");
  EXPECT_EQ(ka.name, "Baxley, GA / Surrency, GA | Mega");
  EXPECT_EQ(*e.attribute("band"), "E");
  EXPECT_EQ(ka.location.lat_rad, e.location.lat_rad);
  EXPECT_EQ(ka.location.lon_rad, e.location.lon_rad);
}

TEST(EarthBundledSites, StarlinkGatewaysNamedByPlace) {
  SiteReadOptions options;
  options.name_column = "place";
  const SiteList list = read_sites_file(kDataDir + "/gateways/starlink_gateways.csv", options);
  EXPECT_TRUE(list.rejected.empty());
  ASSERT_EQ(list.sites.size(), 261U);
  EXPECT_EQ(list.sites.front().name,
            "Cama\xC3\xA7"
            "ari");
  ASSERT_NE(list.sites.front().attribute("description"), nullptr);
  EXPECT_EQ(*list.sites.front().attribute("description"),
            "Cama\xC3\xA7"
            "ari, BR");
}

TEST(EarthBundledSites, StarlinkPops) {
  SiteReadOptions strict;
  strict.strict = true;
  const SiteList list = read_sites_file(kDataDir + "/gateways/starlink_pops.csv", strict);
  EXPECT_TRUE(list.rejected.empty());
  ASSERT_EQ(list.sites.size(), 23U);
  expect_sane(list);
  EXPECT_EQ(list.sites.front().id, "POP1");
  EXPECT_EQ(list.sites.front().name, "SEA - STTLWAX1");
  EXPECT_EQ(list.sites.front().location.lat_rad, 47.6048790423666 * kRadPerDeg);
  EXPECT_TRUE(list.sites.front().attributes.empty());
  EXPECT_EQ(list.sites.back().id, "POP23");
}

}  // namespace
}  // namespace skyfence::earth
