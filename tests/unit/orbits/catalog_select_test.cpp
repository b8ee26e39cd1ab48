// Catalog selection: the non-payload filter, selection by pattern and NORAD id, duplicates, the epoch
// spread, loading by extension and the bundled catalog registry.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "skyfence/core/error.h"
#include "skyfence/orbits/catalog_select.h"
#include "skyfence/time/scales.h"

namespace skyfence::orbits {
namespace {

const std::string kMixed = std::string(SKYFENCE_TEST_DATA_DIR) + "/orbits/const_mixed.tle";

std::vector<std::string> names_of(const std::vector<ElementSet>& sets) {
  std::vector<std::string> out;
  for (const ElementSet& es : sets) out.push_back(es.name);
  return out;
}

// The instant of a 2026 TLE epoch "26DDD.FFFFFFFF" (1e-8 day = 864 us exactly).
time::Instant tle_epoch_2026(int day_of_year, std::int64_t fraction_1e8) {
  return time::parse_iso8601("2026-01-01T00:00:00Z") + time::Duration::days(day_of_year - 1) +
         time::Duration::nanoseconds(fraction_1e8 * 864000);
}

SelectedCatalog select_mixed(CatalogSelection sel = {}) {
  sel.files = {kMixed};
  return load_and_select(sel, SKYFENCE_DATA_DIR);
}

TEST(NonPayload, Markers) {
  EXPECT_EQ(non_payload_reason("FENGYUN 1C DEB"), "debris (\"DEB\")");
  EXPECT_EQ(non_payload_reason("ISS DEB (SPX-28 IPA FSE)"), "debris (\"DEB\")");
  EXPECT_EQ(non_payload_reason("STARLINK-1234 (DEB)"), "debris (\"DEB\")");
  EXPECT_EQ(non_payload_reason("cosmos 2251 deb"), "debris (\"DEB\")");
  EXPECT_EQ(non_payload_reason("SOME DEBRIS"), "debris (\"DEBRIS\")");
  EXPECT_EQ(non_payload_reason("CZ-2C R/B"), "rocket body (\"R/B\")");
  EXPECT_EQ(non_payload_reason("DELTA 2 R/B(1)"), "rocket body (\"R/B\")");
  EXPECT_EQ(non_payload_reason("FALCON 9 R/B"), "rocket body (\"R/B\")");
  EXPECT_EQ(non_payload_reason("PAM-D AKM"), "kick motor (\"AKM\")");
  EXPECT_EQ(non_payload_reason("STAR-48 PKM"), "kick motor (\"PKM\")");
  // Payloads, and words that only contain a marker.
  for (const char* name : {"STARLINK-1007", "IRIDIUM 106", "ONEWEB-0012", "OBJECT A", "TBA - TO BE ASSIGNED",
                           "DEBUT SAT", "ADEB-1", "AR/B", "R/BX", "", "DEB1"}) {
    EXPECT_EQ(non_payload_reason(name), std::nullopt) << name;
  }
}

TEST(CatalogSelect, DropsNonPayloadsAndDuplicatesAndListsThem) {
  const SelectedCatalog c = select_mixed();
  EXPECT_EQ(names_of(c.sets),
            (std::vector<std::string>{"IRIDIUM 106", "IRIDIUM 103", "OBJECT A", "DEBUT SAT", "iridium 180"}));
  ASSERT_EQ(c.sources.size(), c.sets.size());
  EXPECT_EQ(c.sources[0], kMixed);
  ASSERT_EQ(c.dropped.size(), 6u);
  EXPECT_EQ(c.dropped[0].name, "CZ-2C R/B");
  EXPECT_EQ(c.dropped[0].norad_id, 41919u);
  EXPECT_EQ(c.dropped[0].reason, "rocket body (\"R/B\")");
  EXPECT_EQ(c.dropped[0].source, kMixed);
  EXPECT_EQ(c.dropped[1].name, "FENGYUN 1C DEB");
  EXPECT_EQ(c.dropped[2].name, "ISS DEB (SPX-28 IPA FSE)");
  EXPECT_EQ(c.dropped[3].name, "DELTA 2 R/B(1)");
  EXPECT_EQ(c.dropped[4].name, "PAM-D AKM");
  // The older copy of 41917 (one day earlier) is the duplicate left out.
  EXPECT_EQ(c.dropped[5].name, "IRIDIUM 106 OLD");
  EXPECT_EQ(c.dropped[5].norad_id, 41917u);
  EXPECT_NE(c.dropped[5].reason.find("duplicate NORAD id"), std::string::npos);
  EXPECT_EQ(c.sets[0].epoch, tle_epoch_2026(117, 44354512));
  EXPECT_EQ(c.summary.satellites, 5u);
  EXPECT_EQ(c.summary.dropped, 6u);
  EXPECT_EQ(c.summary.not_selected, 0u);
  EXPECT_EQ(c.summary.rejected, 0u);
}

TEST(CatalogSelect, KeepsEverythingWhenAskedTo) {
  const SelectedCatalog c = select_mixed({.payloads_only = false});
  EXPECT_EQ(c.sets.size(), 10u);
  ASSERT_EQ(c.dropped.size(), 1u);  // only the duplicate
}

TEST(CatalogSelect, EpochSpread) {
  const SelectedCatalog c = select_mixed();
  ASSERT_TRUE(c.summary.epochs.has_value());
  const time::Instant day0 = time::parse_iso8601("2026-01-01T00:00:00Z");
  EXPECT_EQ(c.summary.epochs->min, tle_epoch_2026(117, 38303782));     // DEBUT SAT
  EXPECT_EQ(c.summary.epochs->median, tle_epoch_2026(117, 42451669));  // OBJECT A
  EXPECT_EQ(c.summary.epochs->max, tle_epoch_2026(117, 44354512));     // IRIDIUM 106
  EXPECT_FALSE(epoch_spread({}).has_value());
  // Even count: the upper middle.
  std::vector<ElementSet> four(4);
  for (int i = 0; i < 4; ++i) four[static_cast<std::size_t>(i)].epoch = day0 + time::Duration::hours(3 - i);
  const auto s = epoch_spread(four);
  EXPECT_EQ(s->median, day0 + time::Duration::hours(2));
  EXPECT_EQ(s->min, day0);
  EXPECT_EQ(s->max, day0 + time::Duration::hours(3));
}

TEST(CatalogSelect, ByPatternNameAndId) {
  // fnmatch, case-insensitive: "IRIDIUM 1*" also matches "iridium 180".
  EXPECT_EQ(names_of(select_mixed({.names = {"IRIDIUM 1*"}}).sets),
            (std::vector<std::string>{"IRIDIUM 106", "IRIDIUM 103", "iridium 180"}));
  EXPECT_EQ(names_of(select_mixed({.names = {"*10[0-3]"}}).sets), (std::vector<std::string>{"IRIDIUM 103"}));
  EXPECT_EQ(names_of(select_mixed({.names = {"iridium 10?"}}).sets),
            (std::vector<std::string>{"IRIDIUM 106", "IRIDIUM 103"}));
  // An exact name, case-insensitive; no substring matching.
  EXPECT_EQ(names_of(select_mixed({.names = {"object a"}}).sets), (std::vector<std::string>{"OBJECT A"}));
  // Ids and names together: the union, in catalog order.
  const SelectedCatalog u = select_mixed({.names = {"OBJECT A"}, .norad_ids = {41918, 41923}});
  EXPECT_EQ(names_of(u.sets), (std::vector<std::string>{"IRIDIUM 103", "OBJECT A"}));
  EXPECT_EQ(u.summary.not_selected, 3u);
}

TEST(CatalogSelect, SelectorsThatMatchNothingAreErrors) {
  const auto message = [](CatalogSelection sel) {
    try {
      (void)select_mixed(std::move(sel));
    } catch (const InputError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_EQ(message({.names = {"IRIDIUM 1"}}), "selection: no satellite matches \"IRIDIUM 1\"");
  EXPECT_EQ(message({.norad_ids = {99999}}), "selection: no satellite matches NORAD id 99999");
  // Matching only objects that were left out says so.
  EXPECT_EQ(message({.names = {"*R/B*"}}),
            "selection: no satellite matches \"*R/B*\" except objects left out (non-payloads or duplicates)");
  EXPECT_EQ(
      message({.norad_ids = {41919}}),
      "selection: no satellite matches NORAD id 41919 except objects left out (non-payloads or duplicates)");
  EXPECT_EQ(message({.names = {"IRIDIUM 106 OLD"}}),
            "selection: no satellite matches \"IRIDIUM 106 OLD\" except objects left out (non-payloads or "
            "duplicates)");
  EXPECT_THROW((void)load_and_select(CatalogSelection{}, SKYFENCE_DATA_DIR), InputError);
}

TEST(CatalogSelect, FromCatalogsInMemory) {
  Catalog a, b;
  ElementSet x;
  x.name = "SAT A";
  x.norad_id = 1;
  x.epoch = time::parse_iso8601("2026-01-01T00:00:00Z");
  a.sets.push_back(x);
  ElementSet newer = x;
  newer.epoch = x.epoch + time::Duration::hours(1);
  newer.name = "SAT A NEWER";
  b.sets.push_back(newer);
  b.rejected.push_back(RecordIssue{SourceLocation{"b", 3, "line 1"}, "bad"});
  const SelectedCatalog c = select_satellites({{"a", a}, {"b", b}}, {});
  ASSERT_EQ(c.sets.size(), 1u);
  EXPECT_EQ(c.sets[0].name, "SAT A NEWER");
  EXPECT_EQ(c.sources[0], "b");
  ASSERT_EQ(c.dropped.size(), 1u);
  EXPECT_EQ(c.dropped[0].source, "a");
  EXPECT_NE(c.dropped[0].reason.find("from b"), std::string::npos) << c.dropped[0].reason;
  EXPECT_EQ(c.summary.rejected, 1u);
  EXPECT_TRUE(select_satellites({}, {}).sets.empty());
}

TEST(BundledCatalogs, RegistryAndCounts) {
  const auto cats = bundled_catalogs();
  ASSERT_EQ(cats.size(), 7u);
  EXPECT_EQ(cats[0].name, "starlink");
  EXPECT_EQ(bundled_catalog_path("Starlink", "/d"), "/d/tle/starlink_2026-04-27.tle");
  EXPECT_EQ(bundled_catalog_path("starlink-omm", "/d"), "/d/tle/starlink_2026-03-26.omm.json");
  EXPECT_EQ(bundled_catalog_path("oneweb", "/d"), "/d/tle/oneweb_2026-03-26.tle");
  EXPECT_EQ(bundled_catalog_path("iridium", "/d"), "/d/tle/iridium-next_2026-04-27.tle");
  try {
    (void)bundled_catalog_path("telesat", "/d");
    FAIL();
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find(
                  "known: starlink, starlink-omm, oneweb, iridium, kuiper, starlink-2024-07-16, "
                  "starlink-2025-09-01"),
              std::string::npos);
  }
  // Counts in data/tle/PROVENANCE.md; the bundled groups hold payloads only.
  const std::vector<std::pair<std::string, std::size_t>> counts{{"starlink", 10238},
                                                                {"starlink-omm", 9984},
                                                                {"oneweb", 651},
                                                                {"iridium", 80},
                                                                {"kuiper", 210},
                                                                {"starlink-2024-07-16", 6227},
                                                                {"starlink-2025-09-01", 8140}};
  for (const auto& [name, n] : counts) {
    SCOPED_TRACE(name);
    const Catalog raw = load_catalog_file(bundled_catalog_path(name, SKYFENCE_DATA_DIR));
    EXPECT_EQ(raw.sets.size(), n);
    EXPECT_TRUE(raw.rejected.empty());
    const CatalogSummary s = summarize(raw);
    EXPECT_EQ(s.satellites, n);
    ASSERT_TRUE(s.epochs.has_value());
    EXPECT_LE(s.epochs->min, s.epochs->median);
    EXPECT_LE(s.epochs->median, s.epochs->max);
  }
  const SelectedCatalog iridium = load_and_select({.groups = {"iridium"}}, SKYFENCE_DATA_DIR);
  EXPECT_EQ(iridium.sets.size(), 80u);
  EXPECT_TRUE(iridium.dropped.empty());
  // The Iridium snapshot's spread (data/tle/PROVENANCE.md): 2026-04-27 01:24 / 09:11 / 12:27.
  EXPECT_EQ(time::format_iso8601(iridium.summary.epochs->min, 0).substr(0, 16), "2026-04-27T01:24");
  EXPECT_EQ(time::format_iso8601(iridium.summary.epochs->median, 0).substr(0, 16), "2026-04-27T09:11");
  EXPECT_EQ(time::format_iso8601(iridium.summary.epochs->max, 0).substr(0, 16), "2026-04-27T12:27");
}

TEST(BundledCatalogs, GroupsCombineAndDeduplicate) {
  // The two Starlink snapshots share most NORAD ids: one set each is kept, the newer (the TLE).
  const SelectedCatalog c = load_and_select(
      {.groups = {"starlink-omm", "starlink"}, .names = {"STARLINK-1008"}}, SKYFENCE_DATA_DIR);
  ASSERT_EQ(c.sets.size(), 1u);
  EXPECT_NE(c.sources[0].find("starlink_2026-04-27.tle"), std::string::npos);
  EXPECT_GT(c.summary.dropped, 9000u);
}

TEST(LoadCatalogFile, ChoosesReaderByExtension) {
  // OMM by the extensions .json (BundledCatalogs.RegistryAndCounts), .csv and .xml; TLE otherwise.
  const std::string dir = std::string(SKYFENCE_TEST_DATA_DIR) + "/sgp4-verification/";
  const Catalog csv = load_catalog_file(dir + "sample_omm.csv");
  ASSERT_FALSE(csv.sets.empty());
  EXPECT_EQ(csv.sets[0].name, "VANGUARD 1");
  EXPECT_FALSE(load_catalog_file(dir + "sample_omm.xml").sets.empty());
  const Catalog tle = load_catalog_file(kMixed);
  EXPECT_EQ(tle.sets.size(), 11u);
  EXPECT_THROW((void)load_catalog_file(std::string(SKYFENCE_TEST_DATA_DIR) + "/orbits/missing.tle"),
               InputError);
  EXPECT_THROW((void)load_catalog_file(std::string(SKYFENCE_TEST_DATA_DIR) + "/orbits/missing.JSON"),
               InputError);
}

}  // namespace
}  // namespace skyfence::orbits
