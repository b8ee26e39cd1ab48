// Uplink demand in scenarios (docs/scenario.md, "Demand"): a run's uplink demand met is the capacity
// study's (`skyfence capacity`) on the same terminals and window, value for value; bad uplink inputs
// stop the run with located errors.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "../../test_support.h"
#include "scenario_test_support.h"
#include "skyfence/capacity/capacity.h"
#include "skyfence/core/error.h"
#include "skyfence/scenario/internal/stages.h"
#include "skyfence/scenario/runner.h"
#include "skyfence/scenario/scenario.h"
#include "skyfence/scenario/study.h"
#include "skyfence/time/scales.h"
#include "skyfence/time/window.h"
#include "skyfence/visibility/fleet.h"

namespace skyfence::scenario::uplink_test {
namespace {

RunOptions uplink_options() {
  RunOptions o;
  o.software_version = "test";
  o.created = time::parse_iso8601("2026-11-27T00:00:00Z");
  return o;
}

RunContext uplink_context() {
  return {.threads = 2, .data_dir = SKYFENCE_DATA_DIR};
}

std::string uplink_scratch(const std::string& name) {
  return skyfence_test::scratch_dir("skyfence-uplink-tests", name).string();
}

// uplink.toml's terminals as one sites file, in the scenario's order (groups, then file order), each with
// the customer and demands the scenario gives it (its own columns, else its group's).
const char* const kStudySites =
    "id,lat_deg,lon_deg,customer,demand_mbps,demand_up_mbps\n"
    "U1,47.05,28.80,civil,50,10\n"
    "U2,47.76,27.93,civil,50,5\n"
    "U3,47.21,27.80,military,200,400\n"
    "U4,48.16,28.30,civil,25,0\n"
    "M1,45.90,28.19,military,100,20\n"
    "M2,46.84,29.63,civil,100,20\n"
    "C1,47.01,28.86,civil,25,0\n"
    "C2,47.76,27.93,civil,25,0\n";

const report::TerminalCapacity* terminal_row(const std::vector<report::TerminalCapacity>& rows,
                                             const std::string& variant, const std::string& provider,
                                             const std::string& terminal) {
  for (const report::TerminalCapacity& x : rows) {
    if (x.variant == variant && x.provider == provider && x.terminal == terminal) return &x;
  }
  return nullptr;
}

TEST(ScenarioUplink, DemandMetIsTheCapacityStudys) {
  const Scenario sc = load_scenario(fixtures::kScenarioData + "uplink.toml");
  const report::Results res = run_scenario(sc, uplink_options(), uplink_context());
  // Three plans (baseline 2 providers, withdraw 1, background load 2), each with "any"; 8 terminals.
  ASSERT_EQ(res.terminal_capacity_up.size(), (3u + 2u + 3u) * 8u);
  ASSERT_EQ(res.terminal_capacity.size(), res.terminal_capacity_up.size());
  ASSERT_EQ(res.capacity_up.size(), (3u + 2u + 3u) * 3u);  // three groups, no region scope

  // The study: the same terminals, satellites, models, elevations and steps.
  const std::string dir = uplink_scratch("study");
  {
    std::ofstream f(dir + "/sites.csv");
    f << kStudySites;
  }
  const internal::RunInputs in = internal::load_inputs(sc, uplink_options(), uplink_context());
  ASSERT_EQ(in.terminals.size(), 8u);
  StudyInput si;
  si.sites = dir + "/sites.csv";
  si.strict = true;
  si.data_folder = SKYFENCE_DATA_DIR;
  std::optional<earth::CountryBorders> borders;
  const Points pts = load_points(si, borders);
  CapacityInput cap;
  for (const ProviderSpec& p : sc.providers) {
    cap.service_models.push_back(p.service_model);
    cap.min_elevation_deg.push_back(p.min_elevation_deg);
  }
  std::vector<std::unique_ptr<visibility::Fleet>> fleets;
  std::vector<StudyProvider> providers;
  for (std::size_t k = 0; k < sc.providers.size(); ++k) {
    fleets.push_back(std::make_unique<visibility::Fleet>(in.loaded[k].sets));
    StudyProvider p{sc.providers[k].name, fleets.back().get(), {}};
    for (const auto& es : in.loaded[k].sets) p.satellite_names.push_back(es.name);
    providers.push_back(std::move(p));
  }
  const CapacityStudy study = capacity_study(si, cap, pts, providers, borders);
  ASSERT_EQ(study.options.demand_up_mbps.size(), 8u);
  const time::Window window = time::Window::make(sc.start, sc.stop, sc.compute.capacity_step);
  const capacity::CapacityResult r =
      capacity::compute_capacity(study.demand, study.providers, window, study.options, uplink_context());
  ASSERT_TRUE(r.uplink);

  // The baseline's rows are the study's, bit for bit, both directions.
  bool spilled = false;
  for (std::size_t i = 0; i < in.terminals.size(); ++i) {
    const std::string& id = in.terminals[i].site.id;
    for (std::size_t row = 0; row < r.names.size(); ++row) {
      const std::string provider = row + 1 == r.names.size() ? "any" : r.names[row];
      SCOPED_TRACE(id + " " + provider);
      for (const bool up : {false, true}) {
        const report::TerminalCapacity* x =
            terminal_row(up ? res.terminal_capacity_up : res.terminal_capacity, "baseline", provider, id);
        ASSERT_NE(x, nullptr);
        const capacity::PointCapacity& c = up ? r.at_up(row, i) : r.at(row, i);
        EXPECT_EQ(x->demand_mbps, (up ? r.demand_up_mbps : r.demand_mbps)[i]);
        EXPECT_EQ(x->mean_mbps, c.mean_mbps);
        EXPECT_EQ(x->p5_mbps, c.p5_mbps);
        EXPECT_EQ(x->min_mbps, c.min_mbps);
        EXPECT_EQ(x->demand_met_fraction, c.demand_met_fraction);
        EXPECT_EQ(x->full_service_fraction, c.full_service_fraction);
        if (up && provider == "oneweb" && x->mean_mbps > 0.0) spilled = true;
      }
    }
  }
  // Not a trivial instance: Iridium's uplink (about 0.7 Mbps per cell) leaves demand to OneWeb's.
  EXPECT_TRUE(spilled);
  // Terminals whose group asks no uplink ask 0 and have it met; U4's own 0 too.
  EXPECT_EQ(terminal_row(res.terminal_capacity_up, "baseline", "any", "C1")->demand_mbps, 0.0);
  EXPECT_EQ(terminal_row(res.terminal_capacity_up, "baseline", "any", "C1")->demand_met_fraction, 1.0);
  EXPECT_EQ(terminal_row(res.terminal_capacity_up, "baseline", "any", "M2")->demand_mbps, 20.0);

  // A group's row sums its terminals'.
  for (const report::CapacityScope& g : res.capacity_up) {
    SCOPED_TRACE(g.scope_id + " " + g.variant + " " + g.provider);
    EXPECT_EQ(g.scope, report::kScopeGroup);
    double demand = 0.0, carried = 0.0;
    for (std::size_t i = 0; i < in.terminals.size(); ++i) {
      if (in.terminals[i].group != g.scope_id) continue;
      const report::TerminalCapacity* x =
          terminal_row(res.terminal_capacity_up, g.variant, g.provider, in.terminals[i].site.id);
      ASSERT_NE(x, nullptr);
      demand += x->demand_mbps;
      carried += x->mean_mbps;
    }
    EXPECT_EQ(g.demand_mbps, demand);
    EXPECT_EQ(g.carried_mbps, carried);
  }
  // Load on OneWeb from outside leaves less for the uplink of those who spill over to it.
  const auto any_up = [&](const std::string& variant, const std::string& group) {
    for (const report::CapacityScope& g : res.capacity_up) {
      if (g.variant == variant && g.scope_id == group && g.provider == "any") return g.carried_mbps;
    }
    ADD_FAILURE() << variant << " " << group;
    return -1.0;
  };
  EXPECT_LE(any_up("oneweb-background-80pct", "mixed"), any_up("baseline", "mixed"));
}

// Without uplink demand nothing about the uplink is computed or recorded.
TEST(ScenarioUplink, NoUplinkDemandNoUplinkRows) {
  Scenario sc = load_scenario(fixtures::kScenarioData + "uplink.toml");
  sc.groups.erase(sc.groups.begin());  // the file with the column
  sc.groups[0].demand_up_mbps = -1.0;  // and the default
  const internal::RunInputs in = internal::load_inputs(sc, uplink_options(), uplink_context());
  EXPECT_TRUE(in.uplink_asked_by.empty());
  const report::Results res = run_scenario(sc, uplink_options(), uplink_context());
  EXPECT_FALSE(res.terminal_capacity.empty());
  EXPECT_TRUE(res.terminal_capacity_up.empty());
  EXPECT_TRUE(res.capacity_up.empty());
}

std::string parse_problems(const std::string& text) {
  try {
    (void)parse_scenario(text, fixtures::kScenarioData + "u.toml");
  } catch (const ScenarioError& e) {
    return e.what();
  }
  return "(loaded)";
}

TEST(ScenarioUplink, BadScenarioFields) {
  const std::string providers = "../../../data/providers/";
  const std::string head =
      "name = \"u\"\nstart = 2026-04-27T00:00:00Z\nduration = \"10m\"\n[region]\ncountry = \"MDA\"\n";
  const std::string provider =
      "[[provider]]\nname = \"ow\"\ncatalog = \"oneweb\"\nservice_model = \"" + providers + "oneweb.toml\"\n";
  const std::string group = "[[terminals]]\ngroup = \"g\"\nfile = \"terminals_civil.csv\"\ndemand_mbps = 5\n";
  EXPECT_EQ(parse_problems(head + provider + group + "demand_up_mbps = 2.5\n"), "(loaded)");
  EXPECT_EQ(
      parse_scenario(head + provider + group + "demand_up_mbps = 2.5\n", fixtures::kScenarioData + "u.toml")
          .groups[0]
          .demand_up_mbps,
      2.5);
  EXPECT_NE(
      parse_problems(head + provider + group + "demand_up_mbps = -1\n").find("terminals[0].demand_up_mbps"),
      std::string::npos);
  EXPECT_NE(parse_problems(head + provider + group + "demand_up_mbps = \"lots\"\n")
                .find("terminals[0].demand_up_mbps"),
            std::string::npos);
  // Uplink demand without service models: nothing would compute it.
  const std::string no_model = "[[provider]]\nname = \"ow\"\ncatalog = \"oneweb\"\n";
  const std::string p = parse_problems(head + no_model + group + "demand_up_mbps = 1\n");
  EXPECT_NE(p.find("terminals[0].demand_up_mbps: uplink demand needs service models"), std::string::npos)
      << p;
}

// The run's inputs: `dir` holds terminals.csv with `rows` (after the header), used by uplink.toml's first
// group; `model` replaces the first provider's service model when not empty.
std::string load_problem(const std::string& dir, const std::string& rows, const std::string& model = "") {
  Scenario sc = load_scenario(fixtures::kScenarioData + "uplink.toml");
  {
    std::ofstream f(dir + "/terminals.csv");
    f << "id,lat_deg,lon_deg,demand_mbps,demand_up_mbps\n" << rows;
  }
  sc.groups[0].file = dir + "/terminals.csv";
  if (!model.empty()) sc.providers[0].service_model = model;
  try {
    (void)internal::load_inputs(sc, uplink_options(), uplink_context());
  } catch (const InputError& e) {
    return e.what();
  }
  return "(loaded)";
}

TEST(ScenarioUplink, BadTerminalsAndModels) {
  const std::string dir = uplink_scratch("bad");
  EXPECT_EQ(load_problem(dir, "A,47.0,28.5,10,1\nB,47.1,28.6,10,0\n"), "(loaded)");
  // A value that is not a number >= 0, named with the file and the terminal.
  std::string p = load_problem(dir, "A,47.0,28.5,10,1\nB,47.1,28.6,10,-3\n");
  EXPECT_NE(p.find("terminals.csv"), std::string::npos) << p;
  EXPECT_NE(p.find("demand_up_mbps"), std::string::npos) << p;
  EXPECT_NE(p.find("B"), std::string::npos) << p;
  p = load_problem(dir, "A,47.0,28.5,10,fast\nB,47.1,28.6,10,0\n");
  EXPECT_NE(p.find("demand_up_mbps"), std::string::npos) << p;
  // The column given to some terminals only, and no group default.
  p = load_problem(dir, "A,47.0,28.5,10,1\nB,47.1,28.6,10,\n");
  EXPECT_NE(p.find("terminals.csv"), std::string::npos) << p;
  EXPECT_NE(p.find("give every terminal one"), std::string::npos) << p;
  EXPECT_NE(p.find("demand_up_mbps for group \"mixed\""), std::string::npos) << p;

  // A provider whose service model has no uplink: an error naming the model, the provider and the file.
  std::ifstream in(std::string(SKYFENCE_DATA_DIR) + "/providers/iridium.toml");
  std::string text, line;
  while (std::getline(in, line)) {
    if (line.find("_up") == std::string::npos) text += line + "\n";
  }
  const std::string model = dir + "/iridium-downlink-only.toml";
  {
    std::ofstream f(model);
    f << text;
  }
  p = load_problem(dir, "A,47.0,28.5,10,1\nB,47.1,28.6,10,0\n", model);
  EXPECT_NE(p.find("iridium-downlink-only.toml"), std::string::npos) << p;
  EXPECT_NE(p.find("provider \"iridium\" does not model the uplink"), std::string::npos) << p;
  EXPECT_NE(p.find("terminals.csv asks for uplink demand"), std::string::npos) << p;
  // The same model is fine when nothing asks for the uplink.
  Scenario sc = load_scenario(fixtures::kScenarioData + "uplink.toml");
  sc.groups.erase(sc.groups.begin(), sc.groups.begin() + 2);
  sc.providers[0].service_model = model;
  EXPECT_NO_THROW((void)internal::load_inputs(sc, uplink_options(), uplink_context()));
}

}  // namespace
}  // namespace skyfence::scenario::uplink_test
