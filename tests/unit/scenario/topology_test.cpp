// A provider's network topology fields (isl_pairing, isl_shift, isls, gsl_max_range_km): read with their
// problems located, and passed to the latency routes as `skyfence route` passes its options of the same
// names (network/links.h).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "scenario_test_support.h"
#include "skyfence/report/model.h"
#include "skyfence/scenario/runner.h"
#include "skyfence/scenario/scenario.h"
#include "skyfence/time/scales.h"

namespace skyfence::scenario::topology_test {

const char* const kHead =
    "name = \"x\"\nstart = 2026-04-27T00:00:00Z\nduration = \"1h\"\n[region]\ncountry = \"MDA\"\n";

// The problems of a scenario whose first provider (line 6 on) has `fields`, all in one text.
std::string problems(const std::string& fields) {
  try {
    parse_scenario(std::string(kHead) + "[[provider]]\nname = \"a\"\ncatalog = \"iridium\"\n" + fields,
                   fixtures::kScenarioData + "x.toml");
  } catch (const ScenarioError& e) {
    return e.what();
  }
  return "";
}

TEST(ScenarioTopology, ReadsTheFields) {
  const Scenario sc = load_scenario(fixtures::kScenarioData + "topology.toml");
  ASSERT_EQ(sc.providers.size(), 4u);
  EXPECT_EQ(sc.providers[0].isl_grid.pairing, network::IslPairing::nearest);  // the defaults
  EXPECT_EQ(sc.providers[0].isl_grid.shift, 0);
  EXPECT_TRUE(sc.providers[0].isls.empty());
  EXPECT_EQ(sc.providers[0].gsl_max_range_km, 0.0);
  EXPECT_EQ(sc.providers[1].isl_grid.pairing, network::IslPairing::same_index);
  EXPECT_NE(sc.providers[2].isls.find("hypatia-starlink-550/isls.txt"), std::string::npos);  // resolved
  EXPECT_EQ(sc.providers[3].gsl_max_range_km, 1089.6864181956202);
  EXPECT_EQ(sc.providers[3].min_elevation_deg, 25.0);  // coverage keeps its mask
}

TEST(ScenarioTopology, BadValuesAreLocated) {
  const auto has = [](const std::string& all, const std::string& s) {
    return all.find(s) != std::string::npos;
  };
  std::string all = problems("isl_pairing = \"diagonal\"\n");
  EXPECT_TRUE(has(all,
                  "x.toml:9: provider[0].isl_pairing: expected \"nearest\" or \"same-index\", found "
                  "\"diagonal\""))
      << all;
  all = problems("isl_shift = 3\n");
  EXPECT_TRUE(has(all, "x.toml:9: provider[0].isl_shift: applies to isl_pairing = \"same-index\" only"))
      << all;
  all = problems("isl_pairing = \"same-index\"\nisl_shift = 1.5\n");
  EXPECT_TRUE(has(all, "x.toml:10: provider[0].isl_shift: expected an integer, found")) << all;
  all = problems("isls = \"no-such-isls.txt\"\n");
  EXPECT_TRUE(has(all, "x.toml:9: provider[0].isls: no such file: ")) << all;
  all = problems("isls = \"../hypatia-starlink-550/isls.txt\"\nisl_pairing = \"nearest\"\n");
  EXPECT_TRUE(has(all,
                  "x.toml:9: provider[0].isls: gives the links itself: expected no isl_pairing or "
                  "isl_shift"))
      << all;
  all = problems("isl = \"none\"\nisl_pairing = \"same-index\"\n");
  EXPECT_TRUE(has(all, "x.toml:9: provider[0].isl: \"none\" has no inter-satellite links")) << all;
  all = problems("gsl_max_range_km = -5\n");
  EXPECT_TRUE(has(all,
                  "x.toml:9: provider[0].gsl_max_range_km: expected a number from 0.001 to 1e+06, found "
                  "-5"))
      << all;
  all = problems("gsl_max_range_km = \"far\"\n");
  EXPECT_TRUE(has(all, "x.toml:9: provider[0].gsl_max_range_km: expected a number, found")) << all;
  // An added provider takes the same keys.
  all = problems(
      "[[variant]]\nid = \"v\"\nkind = \"add-provider\"\n[variant.provider]\nname = \"b\"\n"
      "preset = \"kuiper\"\nisl_pairing = \"diagonal\"\n");
  EXPECT_TRUE(has(all, "x.toml:15: variant[0].provider.isl_pairing: expected \"nearest\" or \"same-index\""))
      << all;
}

// A provider and a terminal group read from Hypatia's state folder (docs/scenario.md, "Hypatia's state").
TEST(ScenarioTopology, ReadsHypatiaStateFolders) {
  const Scenario sc = load_scenario(fixtures::kScenarioData + "hypatia.toml");
  ASSERT_EQ(sc.providers.size(), 2u);
  const ProviderSpec& p = sc.providers[0];
  EXPECT_NE(p.hypatia_state.find("hypatia-starlink-550"), std::string::npos);  // resolved
  EXPECT_EQ(p.source.kind, SatelliteSource::Kind::tle);
  EXPECT_EQ(p.source.value, p.hypatia_state + "/tles.txt");
  EXPECT_FALSE(p.isl_pairing_given);
  EXPECT_TRUE(sc.providers[1].isl_pairing_given);
  EXPECT_EQ(sc.providers[1].gsl_max_range_km, 1200.0);
  ASSERT_EQ(sc.groups.size(), 1u);
  EXPECT_TRUE(sc.groups[0].hypatia_ground_stations);
  EXPECT_EQ(sc.groups[0].file, p.hypatia_state + "/ground_stations.txt");
  const auto has = [](const std::string& all, const std::string& s) {
    return all.find(s) != std::string::npos;
  };
  // Line 6 is the provider's table, 9 its first field after catalog (problems()' layout).
  std::string all = problems("hypatia_state = \"../hypatia-starlink-550\"\n");
  EXPECT_TRUE(has(all,
                  "x.toml:6: provider[0].catalog: expected exactly one of catalog, tle, omm, preset or "
                  "hypatia_state"))
      << all;
  all = problems("hypatia_state = 5\n");
  EXPECT_TRUE(has(all, "x.toml:9: provider[0].hypatia_state: expected a string")) << all;
}

// The latency samples of `provider`, terminal by terminal.
std::vector<std::vector<double>> samples(const report::Results& r, const std::string& provider) {
  std::vector<std::vector<double>> out;
  for (const report::LatencySummary& l : r.latency) {
    if (l.variant == "baseline" && l.provider == provider) out.push_back(l.rtt_samples_ms);
  }
  return out;
}

TEST(ScenarioTopology, PairingAndLinksChangeTheRoutes) {
  const Scenario sc = load_scenario(fixtures::kScenarioData + "topology.toml");
  RunOptions o;
  o.software_version = "test";
  o.created = time::parse_iso8601("2026-11-27T00:00:00Z");
  const report::Results r = run_scenario(sc, o, {.threads = 2, .data_dir = SKYFENCE_DATA_DIR});
  const auto nearest = samples(r, "default");
  const auto same_index = samples(r, "same-index");
  const auto hypatia = samples(r, "hypatia-isls");
  const auto range = samples(r, "slant-range");
  ASSERT_EQ(nearest.size(), 4u);
  ASSERT_EQ(same_index.size(), 4u);
  // Hypatia's isls.txt is its same-index plus grid, and the inferred planes number slots as Hypatia does.
  EXPECT_EQ(hypatia, same_index);
  EXPECT_NE(nearest, same_index);
  EXPECT_NE(range, same_index);  // other ground links
  std::size_t reached = 0;
  for (const auto& s : same_index) reached += s.size();
  EXPECT_GT(reached, 4u);
}

}  // namespace skyfence::scenario::topology_test
