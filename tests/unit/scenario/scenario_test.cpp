// Scenario files: the fields read, every problem of a bad file reported at once with its line, and
// the runner's results: thread invariance, what each kind of variant changes, and the reliance
// metrics against the per-provider service they are made from.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <charconv>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "scenario_test_support.h"
#include "skyfence/orbits/load.h"
#include "skyfence/report/model.h"
#include "skyfence/scenario/runner.h"
#include "skyfence/scenario/scenario.h"
#include "skyfence/time/scales.h"

namespace skyfence::scenario {
namespace {

TEST(Scenario, ReadsTheSmallScenario) {
  const Scenario sc = load_scenario(fixtures::kScenarioData + "small.toml");
  EXPECT_EQ(sc.name, "small");
  EXPECT_EQ(sc.start, time::parse_iso8601("2026-04-27T00:00:00Z"));
  EXPECT_EQ(sc.stop, time::parse_iso8601("2026-04-27T02:00:00Z"));
  EXPECT_EQ(sc.steps(), 24u);
  EXPECT_EQ(sc.seed, 11u);
  EXPECT_EQ(sc.region.country, "MDA");
  ASSERT_EQ(sc.providers.size(), 2u);
  EXPECT_EQ(sc.providers[0].source.kind, SatelliteSource::Kind::catalog);
  EXPECT_EQ(sc.providers[0].min_elevation_deg, 10.0);
  EXPECT_NE(sc.providers[0].policy.find("iridium.toml"), std::string::npos);
  EXPECT_FALSE(sc.providers[1].isl);
  ASSERT_EQ(sc.groups.size(), 2u);
  EXPECT_EQ(sc.groups[0].name, "civil");  // the id when no name is given
  EXPECT_EQ(sc.groups[1].name, "Military units");
  EXPECT_FALSE(sc.compute.latency);
  EXPECT_EQ(sc.compute.passes_terminals, std::vector<std::string>{"C1"});
  ASSERT_EQ(sc.variants.size(), 4u);
  EXPECT_EQ(sc.variants[0].kind, VariantSpec::Kind::policy_rule);
  EXPECT_NE(sc.variants[0].rule_toml.find("forbid-mda"), std::string::npos);
  EXPECT_EQ(sc.variants[2].fraction, 0.5);
  ASSERT_TRUE(sc.variants[3].added);
  EXPECT_EQ(sc.variants[3].added->source.kind, SatelliteSource::Kind::preset);
}

TEST(Scenario, ReportsEveryProblemWithItsLine) {
  try {
    load_scenario(fixtures::kScenarioData + "bad.toml");
    FAIL() << "bad.toml loaded";
  } catch (const ScenarioError& e) {
    const std::string all = e.what();
    const auto has = [&](const std::string& s) { return all.find(s) != std::string::npos; };
    EXPECT_TRUE(has("bad.toml:2: start:")) << all;
    EXPECT_TRUE(has("bad.toml:4: stop: expected exactly one of stop or duration")) << all;
    EXPECT_TRUE(has("bad.toml:5: step:")) << all;
    EXPECT_TRUE(has("bad.toml:6: colour: unknown key")) << all;
    EXPECT_TRUE(has("region.level: expected an integer from 0 to 10, found 12")) << all;
    EXPECT_TRUE(has("provider[0].tle: no such file")) << all;
    EXPECT_TRUE(has("expected exactly one of catalog, tle, omm, preset or hypatia_state")) << all;
    EXPECT_TRUE(has("provider[1].min_elevation_deg")) << all;
    EXPECT_TRUE(has("provider[1].isl: expected \"plus-grid\" or \"none\"")) << all;
    EXPECT_TRUE(has("terminals[0].file: missing")) << all;
    EXPECT_TRUE(has("no provider named \"nobody\"")) << all;
    EXPECT_TRUE(has("a second variant \"v\"")) << all;
    EXPECT_TRUE(has("found \"teleport\"")) << all;
    EXPECT_GE(e.issues().size(), 13u);
    // In line order.
    for (std::size_t k = 1; k < e.issues().size(); ++k)
      EXPECT_LE(e.issues()[k - 1].where().line, e.issues()[k].where().line);
  }
}

// The enforcement study and enforcement variants: the keys are read, every problem located.
TEST(Scenario, ReadsTheEnforcementStudyAndVariants) {
  const std::string data = std::string(SKYFENCE_DATA_DIR) + "/";
  const std::string head =
      "name = \"e\"\nstart = 2026-04-27T00:00:00Z\nduration = \"1h\"\n"
      "[region]\ncountry = \"MDA\"\n"
      "[[provider]]\nname = \"sl\"\ncatalog = \"starlink\"\npolicy = \"" +
      data + "policies/starlink.toml\"\n";
  const std::string good =
      head +
      "[[variant]]\nid = \"cells\"\nkind = \"enforcement\"\nprovider = \"sl\"\n"
      "[variant.enforcement]\nlevel = 8\nmode = \"any\"\ndelay = \"10m\"\n"
      "[[variant]]\nid = \"rule\"\nkind = \"policy-rule\"\nprovider = \"sl\"\n"
      "[variant.rule]\nid = \"x\"\neffect = \"forbid\"\nregion = \"UKR\"\n[variant.enforcement]\nlevel = 9\n"
      "[enforcement]\nprovider = \"sl\"\nregion = \"" +
      data +
      "policies/areas.geojson#example-denied-area\"\nlevels = [8, 9]\nmodes = [\"any\"]\nterminals = \"" +
      data + "terminals/moving.csv\"\nhostile_groups = [\"hostile\"]\nstep = \"5m\"\n";
  const Scenario sc = parse_scenario(good, fixtures::kScenarioData + "e.toml");
  ASSERT_EQ(sc.variants.size(), 2u);
  EXPECT_EQ(sc.variants[0].kind, VariantSpec::Kind::enforcement);
  ASSERT_TRUE(sc.variants[0].enforcement.has_value());
  EXPECT_EQ(sc.variants[0].enforcement->level, 8);
  EXPECT_EQ(sc.variants[0].enforcement->mode, policy::CellMode::any);
  EXPECT_EQ(sc.variants[0].enforcement->delay, time::Duration::minutes(10));
  ASSERT_TRUE(sc.variants[1].enforcement.has_value());
  EXPECT_EQ(sc.variants[1].enforcement->mode, policy::CellMode::centre);  // the default with a level
  ASSERT_TRUE(sc.enforcement.has_value());
  EXPECT_EQ(sc.enforcement->levels, (std::vector<int>{8, 9}));
  EXPECT_EQ(sc.enforcement->modes, std::vector<policy::CellMode>{policy::CellMode::any});
  EXPECT_EQ(sc.enforcement->step, time::Duration::minutes(5));
  EXPECT_NE(sc.enforcement->region.find("areas.geojson#example-denied-area"), std::string::npos);

  std::string bad = good;
  bad.replace(bad.find("mode = \"any\"\ndelay"), 12, "mode = \"near\"");
  bad.replace(bad.find("[enforcement]\nprovider = \"sl\""), 29, "[enforcement]\nprovider = \"ow\"");
  bad.replace(bad.find("levels = [8, 9]"), 15, "levels = [8, 13]");
  bad.replace(bad.find("modes = [\"any\"]"), 15, "modes = [\"exact\"]");
  bad.replace(bad.find("areas.geojson#"), 14, "nowhere.geojson#");
  try {
    (void)parse_scenario(bad, fixtures::kScenarioData + "e.toml");
    FAIL() << "loaded";
  } catch (const ScenarioError& e) {
    const std::string all = e.what();
    const auto has = [&](const std::string& x) { return all.find(x) != std::string::npos; };
    EXPECT_TRUE(has(
        "variant[0].enforcement.mode: expected \"exact\", \"centre\", \"any\" or \"all\", found \"near\""))
        << all;
    EXPECT_TRUE(has("enforcement.provider: no provider named \"ow\"")) << all;
    EXPECT_TRUE(has("enforcement.levels: expected levels at most reference_level (12), found 13")) << all;
    EXPECT_TRUE(has("enforcement.modes: expected \"centre\", \"any\" or \"all\", found \"exact\"")) << all;
    EXPECT_TRUE(has("enforcement.region: no such file: ")) << all;
  }
}

// Demand met: the keys are read, and every inconsistency is a located problem.
TEST(Scenario, ReadsDemandAndReportsItsProblems) {
  const std::string providers = std::string(SKYFENCE_DATA_DIR) + "/providers/";
  const std::string head = "name = \"d\"\nstart = 2026-04-27T00:00:00Z\nduration = \"1h\"\n";
  const std::string good =
      head +
      "[region]\ncountry = \"MDA\"\ndemand_density_mbps_km2 = 0.5\nproviders = [\"ow\"]\n"
      "[[provider]]\nname = \"ow\"\ncatalog = \"oneweb\"\nservice_model = \"" +
      providers +
      "oneweb.toml\"\n"
      "[[provider]]\nname = \"ir\"\ncatalog = \"iridium\"\nservice_model = \"" +
      providers +
      "iridium.toml\"\n"
      "[[terminals]]\ngroup = \"g\"\nfile = \"" +
      fixtures::kScenarioData +
      "terminals_civil.csv\"\ndemand_mbps = 20\nproviders = [\"ir\", \"ow\"]\n"
      "[compute]\ncapacity_step = \"10m\"\n"
      "[[variant]]\nid = \"busy\"\nkind = \"background-load\"\nprovider = \"ow\"\n"
      "background_load = 0.5\n";
  const Scenario sc = parse_scenario(good, fixtures::kScenarioData + "d.toml");
  EXPECT_TRUE(sc.capacity());
  EXPECT_EQ(sc.region.demand_density_mbps_km2, 0.5);
  EXPECT_EQ(sc.region.providers, std::vector<std::string>{"ow"});
  EXPECT_EQ(sc.groups[0].demand_mbps, 20.0);
  EXPECT_EQ(sc.groups[0].providers, (std::vector<std::string>{"ir", "ow"}));
  EXPECT_EQ(sc.compute.capacity_step, time::Duration::seconds(600.0));
  ASSERT_EQ(sc.variants.size(), 1u);
  EXPECT_EQ(sc.variants[0].kind, VariantSpec::Kind::background_load);
  EXPECT_EQ(sc.variants[0].background_load, 0.5);

  // One provider without a model, an unknown preference, a load out of range, a negative demand.
  std::string bad = good;
  bad.replace(bad.find("service_model = \"" + providers + "iridium.toml\"\n"),
              ("service_model = \"" + providers + "iridium.toml\"\n").size(), "");
  bad.replace(bad.find("providers = [\"ow\"]"), 18, "providers = [\"sl\"]");
  bad.replace(bad.find("background_load = 0.5"), 21, "background_load = 1.5");
  bad.replace(bad.find("demand_mbps = 20"), 16, "demand_mbps = -1");
  try {
    (void)parse_scenario(bad, fixtures::kScenarioData + "d.toml");
    FAIL() << "loaded";
  } catch (const ScenarioError& e) {
    const std::string all = e.what();
    const auto has = [&](const std::string& x) { return all.find(x) != std::string::npos; };
    EXPECT_TRUE(has("provider[0].service_model: missing: demand met is computed when every provider has a "
                    "service model") ||
                has("provider[1].service_model: missing"))
        << all;
    EXPECT_TRUE(has("region.providers: no provider named \"sl\"")) << all;
    EXPECT_TRUE(has("variant[0].background_load")) << all;
    EXPECT_TRUE(has("terminals[0].demand_mbps")) << all;
    EXPECT_TRUE(has("a background-load variant needs service models")) << all;
  }
  // Service models but no demand anywhere.
  const std::string no_demand = head +
                                "[region]\ncountry = \"MDA\"\n[[provider]]\nname = \"ow\"\ncatalog = "
                                "\"oneweb\"\nservice_model = \"" +
                                providers + "oneweb.toml\"\n";
  try {
    (void)parse_scenario(no_demand, fixtures::kScenarioData + "d.toml");
    FAIL() << "loaded";
  } catch (const ScenarioError& e) {
    EXPECT_NE(std::string(e.what()).find("nothing has demand"), std::string::npos) << e.what();
  }
}

TEST(Scenario, SyntaxErrorsAndMissingFiles) {
  EXPECT_THROW(parse_scenario("name = \n", "x.toml"), ScenarioError);
  try {
    parse_scenario("name = \"x\"\n[[provider]\n", "x.toml");
    FAIL();
  } catch (const ScenarioError& e) {
    EXPECT_NE(std::string(e.what()).find("x.toml:2: TOML syntax"), std::string::npos) << e.what();
  }
  EXPECT_THROW(load_scenario(fixtures::kScenarioData + "no-such.toml"), InputError);
  try {
    parse_scenario(
        "name = \"x\"\nstart = 2026-04-27T00:00:00Z\nduration = \"1h\"\n[region]\ncountry = \"MDA\"\n"
        "[[provider]]\nname = \"a\"\ncatalog = \"iridium\"\n[[provider]]\nname = \"a\"\npreset = "
        "\"kuiper\"\n",
        "x.toml");
    FAIL();
  } catch (const ScenarioError& e) {
    EXPECT_NE(std::string(e.what()).find("x.toml:10: provider[1].name: a second provider named \"a\""),
              std::string::npos)
        << e.what();
  }
  try {
    parse_scenario("name = \"x\"\nstart = 2026-04-27T00:00:00Z\nduration = \"1h\"\n", "x.toml");
    FAIL();
  } catch (const ScenarioError& e) {
    EXPECT_NE(std::string(e.what()).find("region: missing"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("provider: missing"), std::string::npos) << e.what();
  }
}

RunOptions options() {
  RunOptions o;
  o.software_version = "test";
  o.created = time::parse_iso8601("2026-11-27T00:00:00Z");
  return o;
}

RunContext context(unsigned threads) {
  return {.threads = threads, .data_dir = SKYFENCE_DATA_DIR};
}

class ScenarioRun : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    scenario_ = new Scenario(load_scenario(fixtures::kScenarioData + "small.toml"));
    one_ = new report::Results(run_scenario(*scenario_, options(), context(1)));
  }
  static void TearDownTestSuite() {
    delete one_;
    delete scenario_;
  }
  static Scenario* scenario_;
  static report::Results* one_;
};
Scenario* ScenarioRun::scenario_ = nullptr;
report::Results* ScenarioRun::one_ = nullptr;

TEST_F(ScenarioRun, SameResultsForAnyThreadCount) {
  const report::Results two = run_scenario(*scenario_, options(), context(2));
  ASSERT_EQ(two.cell_layers.size(), one_->cell_layers.size());
  for (std::size_t k = 0; k < two.cell_layers.size(); ++k) {
    for (std::size_t i = 0; i < two.cell_layers[k].stats.size(); ++i) {
      EXPECT_EQ(two.cell_layers[k].stats[i].served_fraction, one_->cell_layers[k].stats[i].served_fraction);
      EXPECT_EQ(two.cell_layers[k].stats[i].mean_visible, one_->cell_layers[k].stats[i].mean_visible);
    }
  }
  ASSERT_EQ(two.reliance.size(), one_->reliance.size());
  for (std::size_t k = 0; k < two.reliance.size(); ++k) {
    EXPECT_EQ(two.reliance[k].served_share_any, one_->reliance[k].served_share_any);
    EXPECT_EQ(two.reliance[k].single_provider_share, one_->reliance[k].single_provider_share);
    EXPECT_EQ(two.reliance[k].net_loss_share, one_->reliance[k].net_loss_share);
  }
}

TEST_F(ScenarioRun, VariantsChangeWhatTheySay) {
  const report::Results& r = *one_;
  ASSERT_EQ(r.variants.size(), 5u);
  EXPECT_EQ(r.variants[0].id, "baseline");
  EXPECT_EQ(r.providers.size(), 3u);  // iridium, oneweb and the added kuiper
  EXPECT_NE(r.cells.size(), 0u);
  // The baseline has no kuiper; the variant that adds it has; the withdrawal has no oneweb.
  EXPECT_EQ(r.cell_layer("baseline", "kuiper"), nullptr);
  EXPECT_NE(r.cell_layer("kuiper-joins", "kuiper"), nullptr);
  EXPECT_EQ(r.cell_layer("oneweb-withdraws", "oneweb"), nullptr);
  // Forbidding Moldova takes iridium's service to nothing there, coverage unchanged.
  const auto* base = r.cell_layer("baseline", "iridium");
  const auto* forbid = r.cell_layer("iridium-forbids-moldova", "iridium");
  ASSERT_TRUE(base && forbid);
  double base_served = 0.0;
  for (std::size_t i = 0; i < base->stats.size(); ++i) {
    EXPECT_EQ(forbid->stats[i].served_fraction, 0.0);
    EXPECT_EQ(forbid->stats[i].coverage_fraction, base->stats[i].coverage_fraction);
    base_served += base->stats[i].served_fraction;
  }
  EXPECT_GT(base_served, 0.0);
  EXPECT_EQ(fixtures::served_share(fixtures::region_row(r, "iridium-forbids-moldova"), "iridium"), 0.0);
  // Half of iridium failing lowers its mean number in view.
  const auto* half = r.cell_layer("iridium-half-fails", "iridium");
  double mean_base = 0.0, mean_half = 0.0;
  for (std::size_t i = 0; i < base->stats.size(); ++i) {
    mean_base += base->stats[i].mean_visible;
    mean_half += half->stats[i].mean_visible;
  }
  EXPECT_LT(mean_half, 0.75 * mean_base);
  EXPECT_GT(mean_half, 0.25 * mean_base);
}

TEST_F(ScenarioRun, RelianceAddsUp) {
  const report::Results& r = *one_;
  // The baseline loses nothing against itself.
  const report::Reliance& b = fixtures::region_row(r, "baseline");
  EXPECT_EQ(b.net_loss_share, 0.0);
  EXPECT_EQ(b.lost_share, 0.0);
  // The served share of each provider matches the area-weighted cell statistics of the same run.
  double area = 0.0, served = 0.0;
  const auto* layer = r.cell_layer("baseline", "oneweb");
  for (std::size_t i = 0; i < r.cells.size(); ++i) {
    area += r.cells[i].area_km2;
    served += r.cells[i].area_km2 * layer->stats[i].served_fraction;
  }
  EXPECT_NEAR(fixtures::served_share(b, "oneweb"), served / area, 1e-9);
  // Any provider's share is at least each provider's, and the variants' net loss is what "any" lost.
  for (const auto& p : b.providers) EXPECT_LE(p.served_share, b.served_share_any + 1e-12);
  for (const auto& v : r.variants) {
    const report::Reliance& rel = fixtures::region_row(r, v.id);
    EXPECT_GE(rel.net_loss_share, b.served_share_any - rel.served_share_any - 1e-9) << v.id;
    EXPECT_LE(rel.net_loss_share, rel.lost_share + 1e-12) << v.id;
  }
  // Terminal groups: the military group's M1 is military (iridium's policy permits civil only),
  // M2 is civil by its own column: iridium serves M2, not M1.
  for (const auto& ts : r.terminal_service) {
    if (ts.variant != "baseline" || ts.provider != "iridium") continue;
    if (ts.terminal == "M1") {
      EXPECT_EQ(ts.served_fraction, 0.0);
      EXPECT_EQ(ts.decision, report::TerminalDecision::deny);
    }
    if (ts.terminal == "M2") {
      EXPECT_EQ(ts.decision, report::TerminalDecision::permit);
    }
  }
}

TEST_F(ScenarioRun, RecordsTheRun) {
  const report::Results& r = *one_;
  EXPECT_EQ(r.run.scenario_name, "small");
  EXPECT_EQ(r.run.step_count, 24u);
  EXPECT_EQ(r.run.region_name, "Moldova");
  EXPECT_GT(r.run.region_area_km2, 25000.0);
  EXPECT_LT(r.run.region_area_km2, 40000.0);
  for (const auto& p : r.providers) {
    EXPECT_GT(p.satellite_count, 0u) << p.name;
    EXPECT_LE(p.epoch_min, p.epoch_max);
  }
  // Baseline time series: region mean and two terminals per provider and "any".
  std::size_t series = 0;
  for (const auto& s : r.timeseries) {
    EXPECT_EQ(s.t_s.size(), 24u);
    ++series;
  }
  EXPECT_EQ(series, 3u * 3u);
}

TEST_F(ScenarioRun, PassesOverTheChosenTerminal) {
  const report::Results& r = *one_;
  ASSERT_FALSE(r.passes.empty());
  for (const auto& p : r.passes) {
    EXPECT_EQ(p.provider, "iridium");
    EXPECT_EQ(p.terminal, "C1");
    EXPECT_GE(p.max_elevation_deg, 10.0 - 1e-9);  // iridium's minimum elevation
    EXPECT_LE(p.aos, p.tca);
    EXPECT_LE(p.tca, p.los);
    EXPECT_GE(p.aos, r.run.start);
  }
}

// A region's demand from a file (region.demand_file, relative to the scenario's folder): a file giving
// each cell what the density gives it yields the same demand met, to the bit; cells the file leaves out
// ask for nothing; a cell outside the region stops the run naming the file and line. OneWeb's level-5
// service cells are saturated at this density, so the shares depend on each cell's demand.
TEST(Scenario, RegionDemandFromAFile) {
  const std::filesystem::path dir = std::filesystem::temp_directory_path() / "skyfence_scenario_demand_test";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  const auto write = [&](const std::string& name, const std::string& text) {
    std::ofstream(dir / name, std::ios::binary) << text;
    return (dir / name).string();
  };
  const auto scenario = [&](const std::string& demand) {
    return "name = \"demand\"\nstart = 2026-04-27T00:00:00Z\nduration = \"30m\"\nstep = \"10m\"\n"
           "[region]\ncountry = \"MDA\"\nlevel = 7\n" +
           demand +
           "\n[[provider]]\nname = \"oneweb\"\ncatalog = \"oneweb\"\nisl = \"none\"\nservice_model = \"" +
           std::string(SKYFENCE_DATA_DIR) + "/providers/oneweb.toml\"\n[compute]\nlatency = false\n";
  };
  const report::Results by_density = run_scenario(
      load_scenario(write("density.toml", scenario("demand_density_mbps_km2 = 0.5"))), options(), context(1));
  const report::CapacityCellLayer* density_cells = by_density.capacity_cell_layer("baseline", "any");
  ASSERT_NE(density_cells, nullptr);
  ASSERT_GT(by_density.cells.size(), 3u);
  std::string table = "cell_id,demand_mbps\n";
  for (std::size_t i = 0; i < by_density.cells.size(); ++i) {
    char buf[32];
    const char* end = std::to_chars(buf, buf + sizeof buf, density_cells->demand_mbps[i]).ptr;
    table += by_density.cells[i].token + "," + std::string(static_cast<const char*>(buf), end) + "\n";
  }
  write("demand.csv", table);

  const Scenario sc = load_scenario(write("file.toml", scenario("demand_file = \"demand.csv\"")));
  EXPECT_EQ(sc.region.demand_file, (dir / "demand.csv").string());
  EXPECT_TRUE(sc.region.has_demand());
  const report::Results by_file = run_scenario(sc, options(), context(1));
  const report::CapacityCellLayer* file_cells = by_file.capacity_cell_layer("baseline", "any");
  ASSERT_NE(file_cells, nullptr);
  EXPECT_EQ(file_cells->demand_mbps, density_cells->demand_mbps);
  EXPECT_EQ(file_cells->carried_mbps, density_cells->carried_mbps);
  double shortfall = 0.0;
  for (double f : file_cells->demand_met_fraction) shortfall += 1.0 - f;
  EXPECT_GT(shortfall, 0.1);  // saturated: the shares depend on the demands
  ASSERT_EQ(by_file.capacity.size(), by_density.capacity.size());
  for (std::size_t k = 0; k < by_file.capacity.size(); ++k) {
    EXPECT_EQ(by_file.capacity[k].demand_mbps, by_density.capacity[k].demand_mbps);
    EXPECT_EQ(by_file.capacity[k].carried_mbps, by_density.capacity[k].carried_mbps);
    EXPECT_EQ(by_file.capacity[k].full_service_share, by_density.capacity[k].full_service_share);
  }
  const auto& inputs = by_file.run.inputs;
  EXPECT_TRUE(std::any_of(inputs.begin(), inputs.end(), [&](const report::InputFile& f) {
    return f.role == "demand" && f.path == (dir / "demand.csv").string();
  }));

  // One cell only: the others ask for nothing.
  write("demand.csv", "cell_id,demand_mbps\n" + by_density.cells[1].token + ",250\n");
  const report::Results one = run_scenario(sc, options(), context(1));
  const report::CapacityScope* region =
      one.capacity_row(report::kScopeRegion, one.run.region_name, "baseline", "any");
  ASSERT_NE(region, nullptr);
  EXPECT_EQ(region->demand_mbps, 250.0);
  EXPECT_EQ(one.capacity_cell_layer("baseline", "any")->demand_mbps[0], 0.0);

  // A cell of another region: the run stops before computing, naming the file, line and field.
  write("demand.csv", "cell_id,demand_mbps\n" + by_density.cells[0].token + ",1\n0f,1\n");
  try {
    (void)run_scenario(sc, options(), context(1));
    FAIL() << "ran";
  } catch (const InputError& e) {
    EXPECT_NE(
        std::string(e.what()).find((dir / "demand.csv").string() + ":3: cell_id: expected a cell of level 7"),
        std::string::npos)
        << e.what();
  }

  // A density and a file together, and a file that does not exist.
  try {
    (void)parse_scenario(scenario("demand_density_mbps_km2 = 0.5\ndemand_file = \"demand.csv\""),
                         (dir / "both.toml").string());
    FAIL() << "loaded";
  } catch (const ScenarioError& e) {
    const std::string all = e.what();
    EXPECT_NE(all.find("region.demand_file: expected at most one of demand_density_mbps_km2 and demand_file"),
              std::string::npos)
        << all;
  }
  try {
    (void)parse_scenario(scenario("demand_file = \"nowhere.csv\""), (dir / "none.toml").string());
    FAIL() << "loaded";
  } catch (const ScenarioError& e) {
    EXPECT_NE(std::string(e.what()).find("region.demand_file: no such file"), std::string::npos) << e.what();
  }
  std::filesystem::remove_all(dir);
}

// A catalog-swap variant (data/scenarios/starlink-growth.toml, shortened): the provider flies the other
// snapshot's satellites, as many as that catalog holds, at the snapshot's dates: each step's positions
// are those of a whole number of sidereal days earlier, the shifted window centred on the catalog's
// median epoch; the variants table says so, and the providers table keeps the baseline's catalog.
TEST(Scenario, CatalogSwapFliesTheOtherSnapshotAtItsDates) {
  Scenario sc = load_scenario(std::string(SKYFENCE_DATA_DIR) + "/scenarios/starlink-growth.toml");
  ASSERT_EQ(sc.variants.size(), 3u);
  EXPECT_EQ(sc.variants[0].kind, VariantSpec::Kind::catalog_swap);
  EXPECT_EQ(sc.variants[0].swap_source.kind, SatelliteSource::Kind::catalog);
  EXPECT_EQ(sc.variants[0].swap_source.value, "starlink-2024-07-16");
  sc.stop = sc.start + time::Duration::minutes(20);
  sc.step = time::Duration::minutes(10);
  sc.compute.capacity_step = time::Duration::minutes(10);
  sc.region.level = 6;
  const report::Results r = run_scenario(sc, options(), context(1));

  // The catalogs as every command loads them.
  const auto load = [&](const std::string& name) {
    return orbits::load_satellites({SatelliteSource::Kind::catalog, name}, sc.start, sc.stop,
                                   SKYFENCE_DATA_DIR)
        .sets;
  };
  const std::vector<orbits::ElementSet> old_sets = load("starlink-2024-07-16"), now_sets = load("starlink");
  ASSERT_NE(old_sets.size(), now_sets.size());
  std::vector<time::Instant> epochs;
  for (const auto& es : old_sets) epochs.push_back(es.epoch);
  std::sort(epochs.begin(), epochs.end());
  const time::Instant median = epochs[(epochs.size() - 1) / 2];

  ASSERT_EQ(r.variants.size(), 4u);
  const report::Variant& v = r.variants[1];
  EXPECT_EQ(v.kind, report::VariantKind::catalog_swap);
  EXPECT_EQ(v.provider, "starlink");
  EXPECT_EQ(v.catalog, "bundled catalog starlink-2024-07-16");
  EXPECT_EQ(v.satellite_count, old_sets.size());
  const std::int64_t sidereal_ns = 86'164'090'530'833;
  EXPECT_EQ(v.time_shift.count_ns() % sidereal_ns, 0);
  const time::Instant middle = sc.start + time::Duration::minutes(10) - v.time_shift;
  EXPECT_LE(std::abs((middle - median).count_ns()), sidereal_ns / 2);
  EXPECT_GT(v.time_shift.to_days(), 600.0);
  const std::string shifted_start = time::format_iso8601(sc.start - v.time_shift, 0).substr(0, 16) + "Z";
  EXPECT_NE(v.description.find(shifted_start), std::string::npos) << v.description;
  EXPECT_NE(v.description.find(std::to_string(old_sets.size()) + " satellites"), std::string::npos)
      << v.description;
  EXPECT_EQ(r.variants[2].catalog, "bundled catalog starlink-2025-09-01");
  EXPECT_EQ(r.variants[3].catalog, "");  // a withdrawal swaps nothing
  // The swapped-in satellites are recorded (variant_satellites, for the globe viewer) as SGP4 was
  // initialised from them: the catalog's element sets with their epochs moved by the shift.
  ASSERT_EQ(r.variant_satellites.size(), 2u);
  EXPECT_EQ(r.variant_satellites[0].variant, "starlink-2024-07");
  EXPECT_EQ(r.variant_satellites[1].variant, "starlink-2025-09");
  const std::vector<report::SatelliteElements>& swapped = r.variant_satellites[0].satellites;
  ASSERT_EQ(swapped.size(), old_sets.size());
  for (std::size_t i = 0; i < swapped.size(); ++i) {
    const auto it = std::find_if(old_sets.begin(), old_sets.end(), [&](const orbits::ElementSet& es) {
      return es.norad_id == swapped[i].norad_id;
    });
    ASSERT_NE(it, old_sets.end()) << swapped[i].norad_id;
    EXPECT_EQ(swapped[i].provider, "starlink");
    EXPECT_EQ(swapped[i].epoch, it->epoch + v.time_shift) << swapped[i].norad_id;
    EXPECT_EQ(swapped[i].mean_anomaly_deg, it->mean_anomaly_deg);
    EXPECT_EQ(swapped[i].mean_motion_rev_per_day, it->mean_motion_rev_per_day);
  }
  ASSERT_EQ(r.providers.size(), 2u);
  EXPECT_EQ(r.providers[0].satellite_count, now_sets.size());
  // What loading each swapped-in catalog left out is recorded under its variant, beside the baseline's.
  std::vector<std::pair<std::string, std::string>> issue_rows;
  for (const report::LoadIssues& x : r.load_issues) issue_rows.emplace_back(x.provider, x.variant);
  EXPECT_EQ(issue_rows, (std::vector<std::pair<std::string, std::string>>{{"starlink", "baseline"},
                                                                          {"oneweb", "baseline"},
                                                                          {"starlink", "starlink-2024-07"},
                                                                          {"starlink", "starlink-2025-09"}}));
  const orbits::LoadedSatellites old_load = orbits::load_satellites(
      {SatelliteSource::Kind::catalog, "starlink-2024-07-16"}, sc.start, sc.stop, SKYFENCE_DATA_DIR);
  EXPECT_EQ(r.load_issues[2].non_payloads_left_out, old_load.non_payloads.size());
  EXPECT_EQ(r.load_issues[2].duplicates_dropped, old_load.duplicates.size());
  EXPECT_EQ(r.load_issues[2].sgp4_init_failures, old_load.sgp4_init_failures.size());

  // The older, smaller fleet has fewer satellites in view of the region.
  const auto mean_visible = [&](const std::string& variant) {
    const auto* layer = r.cell_layer(variant, "starlink");
    double sum = 0.0;
    for (const auto& st : layer->stats) sum += st.mean_visible;
    return sum;
  };
  EXPECT_LT(mean_visible("starlink-2024-07"), mean_visible("starlink-2025-09"));
  EXPECT_LT(mean_visible("starlink-2025-09"), mean_visible("baseline"));
}

TEST(Scenario, CatalogSwapProblems) {
  const std::string head =
      "name = \"s\"\nstart = 2026-04-27T00:00:00Z\nduration = \"1h\"\n[region]\ncountry = \"MDA\"\n"
      "[[provider]]\nname = \"sl\"\ncatalog = \"starlink\"\n";
  const auto problems = [&](const std::string& variant) {
    try {
      (void)parse_scenario(head + "[[variant]]\nid = \"v\"\n" + variant, fixtures::kScenarioData + "s.toml");
    } catch (const ScenarioError& e) {
      return std::string(e.what());
    }
    return std::string("(loaded)");
  };
  EXPECT_NE(problems("kind = \"catalog-swap\"\nprovider = \"sl\"\n")
                .find("variant[0].catalog: expected exactly one of "
                      "catalog (a bundled snapshot), tle or omm"),
            std::string::npos);
  EXPECT_NE(
      problems(
          "kind = \"catalog-swap\"\nprovider = \"sl\"\ncatalog = \"starlink-2024-07-16\"\ntle = \"x.tle\"\n")
          .find("expected exactly one of catalog"),
      std::string::npos);
  EXPECT_NE(problems("kind = \"catalog-swap\"\nprovider = \"sl\"\ntle = \"nowhere.tle\"\n")
                .find("variant[0].tle: no such file"),
            std::string::npos);
  EXPECT_NE(problems("kind = \"catalog-swap\"\nprovider = \"ow\"\ncatalog = \"oneweb\"\n")
                .find("no provider named \"ow\""),
            std::string::npos);
  EXPECT_NE(problems("kind = \"withdraw\"\nprovider = \"sl\"\ncatalog = \"oneweb\"\n")
                .find("variant[0].catalog: only a catalog-swap variant takes a catalog"),
            std::string::npos);
  EXPECT_EQ(problems("kind = \"catalog-swap\"\nprovider = \"sl\"\ncatalog = \"starlink-2025-09-01\"\n"),
            "(loaded)");
}

TEST(Scenario, BadInputsStopBeforeComputing) {
  Scenario sc = load_scenario(fixtures::kScenarioData + "small.toml");
  sc.region.level = 2;  // no cell centre inside Moldova
  EXPECT_THROW(run_scenario(sc, options(), context(1)), InputError);
  sc = load_scenario(fixtures::kScenarioData + "small.toml");
  sc.providers[0].name = "iridium2";  // the policy governs "iridium"
  EXPECT_THROW(run_scenario(sc, options(), context(1)), InputError);
  sc = load_scenario(fixtures::kScenarioData + "small.toml");
  sc.compute.passes_terminals = {"NOBODY"};
  EXPECT_THROW(run_scenario(sc, options(), context(1)), InputError);
  sc = load_scenario(fixtures::kScenarioData + "small.toml");
  EXPECT_THROW(run_scenario(sc, options(), RunContext{}), std::invalid_argument);  // no data folder
}

// A group of trajectories (terminals_patrol.csv: P1 moves about 55 km in 20 minutes, P2 is at rest)
// runs through every stage, latency included (routed from where P1 is at each latency step), with the
// same results for any thread count; tables list P1 at its first position.
TEST(Scenario, MovingTerminalGroupRunsAlikeOnAnyThreadCount) {
  Scenario sc = load_scenario(fixtures::kScenarioData + "small.toml");
  sc.stop = sc.start + time::Duration::seconds(1800);
  sc.variants.resize(2);  // a policy rule and a withdrawal
  sc.compute.passes_terminals.clear();
  sc.compute.latency = true;
  sc.compute.latency_step = time::Duration::seconds(600);
  sc.providers[0].gateways = std::string(SKYFENCE_DATA_DIR) + "/gateways/starlink_gateways.csv";
  sc.providers[0].pops = std::string(SKYFENCE_DATA_DIR) + "/gateways/starlink_pops.csv";
  TerminalGroupSpec patrol;
  patrol.id = patrol.name = "patrol";
  patrol.file = fixtures::kScenarioData + "terminals_patrol.csv";
  patrol.customer = "military";
  sc.groups.push_back(patrol);
  const report::Results one = run_scenario(sc, options(), context(1));
  const report::Results two = run_scenario(sc, options(), context(2));
  const auto p1 = std::find_if(one.terminals.begin(), one.terminals.end(),
                               [](const report::Terminal& t) { return t.id == "P1"; });
  ASSERT_NE(p1, one.terminals.end());
  EXPECT_NEAR(p1->lat_deg, 47.20, 1e-9);
  EXPECT_NEAR(p1->lon_deg, 29.10, 1e-9);
  ASSERT_EQ(one.terminal_service.size(), two.terminal_service.size());
  for (std::size_t k = 0; k < one.terminal_service.size(); ++k) {
    EXPECT_EQ(one.terminal_service[k].served_fraction, two.terminal_service[k].served_fraction);
    EXPECT_EQ(one.terminal_service[k].coverage_fraction, two.terminal_service[k].coverage_fraction);
    EXPECT_EQ(one.terminal_service[k].reason, two.terminal_service[k].reason);
  }
  ASSERT_EQ(one.reliance.size(), two.reliance.size());
  for (std::size_t k = 0; k < one.reliance.size(); ++k)
    EXPECT_EQ(one.reliance[k].served_share_any, two.reliance[k].served_share_any);
  std::size_t patrol_latency = 0;
  ASSERT_EQ(one.latency.size(), two.latency.size());
  for (std::size_t k = 0; k < one.latency.size(); ++k) {
    EXPECT_EQ(one.latency[k].rtt_samples_ms, two.latency[k].rtt_samples_ms);
    patrol_latency += one.latency[k].src == "P1" ? 1 : 0;
  }
  EXPECT_GT(patrol_latency, 0u);
}

// Progress names the stages in order, never decreases and ends at 1; a stop requested while the run is
// under way (here from its own progress, as a signal handler would) throws Cancelled.
TEST(Scenario, ProgressAndStop) {
  const Scenario sc = load_scenario(fixtures::kScenarioData + "small.toml");
  RunContext run = context(1);
  std::vector<std::string> stages;
  double last = -1.0;
  run.progress = [&](std::string_view stage, double done) {
    EXPECT_GE(done, last) << stage;
    last = done;
    if (stages.empty() || stages.back() != stage) stages.emplace_back(stage);
  };
  run_scenario(sc, options(), run);
  EXPECT_EQ(last, 1.0);
  ASSERT_GE(stages.size(), 3u);
  EXPECT_EQ(stages.front(), "loading");
  EXPECT_EQ(stages[1], "coverage: baseline");
  EXPECT_EQ(stages.back(), "done");

  std::atomic<bool> stop{false};
  run.stop = &stop;
  run.progress = [&](std::string_view, double done) { stop.store(done >= 0.2); };
  EXPECT_THROW(run_scenario(sc, options(), run), Cancelled);
}

}  // namespace
}  // namespace skyfence::scenario
