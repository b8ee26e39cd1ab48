// A scenario run in parts (runner.h: run_record, run_plans, run_reliance, run_tail, merge_parts)
// merges to exactly what run_scenario gives, whatever the split of the plans.
#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <vector>

#include "scenario_test_support.h"
#include "skyfence/report/serialize.h"
#include "skyfence/scenario/runner.h"
#include "skyfence/scenario/scenario.h"
#include "skyfence/time/scales.h"

namespace skyfence::scenario {
namespace {

RunOptions parts_options() {
  RunOptions o;
  o.software_version = "skyfence test";
  o.created = time::parse_iso8601("2026-05-01T12:00:00Z");
  return o;
}

// The scenario's results from the parts: the plans in groups of the given sizes (in plan order), each
// group's reliance from its masks and the baseline's.
report::Results merged(const Scenario& sc, const std::vector<std::size_t>& sizes, const RunContext& run,
                       std::vector<std::string>& warnings) {
  RunOptions o = parts_options();
  o.warn = [&](const std::string& m) { warnings.push_back(m); };
  const report::Results record = run_record(sc, o, run);
  std::vector<report::Results> parts, reliance;
  ServedMasks baseline;
  std::size_t first = 0;
  for (const std::size_t n : sizes) {
    PlansPart p = run_plans(sc, first, n, o, run);
    EXPECT_EQ(p.masks.size(), n);
    if (first == 0) baseline = p.masks.front();
    // Through bytes, as the parts travel between machines.
    parts.push_back(report::decode_results(report::encode_results(p.results)));
    reliance.push_back(run_reliance(record, first, baseline, p.masks));
    first += n;
  }
  EXPECT_EQ(first, plan_count(sc));
  for (report::Results& r : reliance) parts.push_back(std::move(r));
  parts.push_back(run_tail(sc, o, run));
  return merge_parts(record, std::move(parts));
}

TEST(ScenarioParts, MergedPartsAreTheSingleRun) {
  const Scenario sc = load_scenario(fixtures::kScenarioData + "parts.toml");
  ASSERT_EQ(plan_count(sc), 4u);
  const RunContext run{.threads = 2, .data_dir = SKYFENCE_DATA_DIR};
  const report::Results whole = run_scenario(sc, parts_options(), run);
  // Every table is filled, so every table's merge is checked.
  EXPECT_FALSE(whole.cell_layers.empty());
  EXPECT_FALSE(whole.timeseries.empty());
  EXPECT_FALSE(whole.reliance.empty());
  EXPECT_FALSE(whole.capacity.empty());
  EXPECT_FALSE(whole.capacity_cells.empty());
  EXPECT_FALSE(whole.latency.empty());
  EXPECT_FALSE(whole.passes.empty());
  EXPECT_TRUE(whole.enforcement.has_value());
  EXPECT_GT(whole.run.inputs.size(), 1u);
  const std::string expected = report::encode_results(whole);
  // The baseline alone, then two variants together, then one alone; one thread instead of two.
  std::vector<std::string> warnings;
  const RunContext one{.threads = 1, .data_dir = SKYFENCE_DATA_DIR};
  EXPECT_TRUE(report::encode_results(merged(sc, {1, 2, 1}, one, warnings)) == expected);
}

// The uplink's tables travel and merge too.
TEST(ScenarioParts, MergedPartsKeepTheUplink) {
  const Scenario sc = load_scenario(fixtures::kScenarioData + "uplink.toml");
  ASSERT_EQ(plan_count(sc), 3u);
  const RunContext run{.threads = 2, .data_dir = SKYFENCE_DATA_DIR};
  const report::Results whole = run_scenario(sc, parts_options(), run);
  EXPECT_FALSE(whole.capacity_up.empty());
  EXPECT_FALSE(whole.terminal_capacity_up.empty());
  std::vector<std::string> warnings;
  const report::Results parts = merged(sc, {1, 2}, run, warnings);
  EXPECT_EQ(parts.terminal_capacity_up.size(), whole.terminal_capacity_up.size());
  EXPECT_TRUE(report::encode_results(parts) == report::encode_results(whole));
}

TEST(ScenarioParts, RefusesPartsThatAreNot) {
  const Scenario sc = load_scenario(fixtures::kScenarioData + "parts.toml");
  const RunContext run{.threads = 1, .data_dir = SKYFENCE_DATA_DIR};
  const report::Results record = run_record(sc, parts_options(), run);
  EXPECT_THROW((void)run_plans(sc, plan_count(sc), 1, parts_options(), run), std::invalid_argument);
  // A part holding the record's rows, or load issues of a provider the run does not have.
  EXPECT_THROW((void)merge_parts(record, {record}), std::invalid_argument);
  report::Results stray;
  stray.load_issues.push_back({.provider = "nobody"});
  EXPECT_THROW((void)merge_parts(record, {stray}), std::invalid_argument);
  // Reliance of plans the record does not have, or masks of another size.
  const ServedMasks few(3, 0);
  EXPECT_THROW((void)run_reliance(record, 4, few, {few}), std::invalid_argument);
  EXPECT_THROW((void)run_reliance(record, 0, few, {few}), std::invalid_argument);
  // The record alone is valid results: no rows of any plan yet.
  const report::Results alone = merge_parts(record, {});
  EXPECT_TRUE(alone.cell_layers.empty());
  EXPECT_EQ(alone.variants.size(), 4u);
}

}  // namespace
}  // namespace skyfence::scenario
