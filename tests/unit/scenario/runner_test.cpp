// The scenario runner's handling of what loading left out: warnings and the load_issues counts.
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <filesystem>
#include <string>
#include <vector>

#include "scenario_test_support.h"
#include "skyfence/report/store.h"
#include "skyfence/scenario/runner.h"
#include "skyfence/scenario/scenario.h"
#include "skyfence/time/scales.h"

namespace skyfence::scenario {
namespace {

bool any_contains(const std::vector<std::string>& lines, const std::string& part) {
  for (const auto& l : lines) {
    if (l.find(part) != std::string::npos) return true;
  }
  return false;
}

// One integer column of the store's load_issues row for `provider`; -1 when there is no such row.
long long stored_count(const std::string& db_path, const std::string& provider, const std::string& column) {
  sqlite3* db = nullptr;
  long long value = -1;
  if (sqlite3_open_v2(db_path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
    const std::string sql = "SELECT " + column + " FROM load_issues WHERE provider = ?";
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr) == SQLITE_OK) {
      sqlite3_bind_text(stmt, 1, provider.c_str(), -1, SQLITE_TRANSIENT);
      if (sqlite3_step(stmt) == SQLITE_ROW) value = sqlite3_column_int64(stmt, 0);
    }
    sqlite3_finalize(stmt);
  }
  sqlite3_close(db);
  return value;
}

// Bug: `skyfence run` dropped the warnings every other command gives (records rejected, debris left
// out, stale epochs, SGP4 failures) and recorded none of them in the results.
TEST(RunDroppedLoadWarnings, WarnsAndCountsRejectedRecordsAndDebris) {
  const Scenario sc = load_scenario(fixtures::kScenarioData + "issues.toml");
  RunOptions o;
  o.software_version = "test";
  o.created = time::parse_iso8601("2026-11-27T00:00:00Z");
  std::vector<std::string> warnings;
  o.warn = [&](const std::string& m) { warnings.push_back(m); };
  const report::Results res = run_scenario(sc, o, {.threads = 1, .data_dir = SKYFENCE_DATA_DIR});

  EXPECT_TRUE(any_contains(warnings, "few-iridium: " + fixtures::kScenarioData + "issues.tle:18: "))
      << warnings.size();
  EXPECT_TRUE(any_contains(warnings, "(record skipped)"));
  EXPECT_TRUE(any_contains(warnings, "1 record(s) skipped, 5 loaded"));
  EXPECT_TRUE(any_contains(warnings, "left out NORAD 41919 CZ-2C R/B: rocket body"));
  EXPECT_TRUE(any_contains(warnings, "left out NORAD 41920 FENGYUN 1C DEB: debris"));
  EXPECT_TRUE(any_contains(warnings, "3 object(s) left out in all"));
  EXPECT_FALSE(any_contains(warnings, "--strict"));  // a scenario has no such option
  EXPECT_FALSE(any_contains(warnings, "--all-objects"));

  ASSERT_EQ(res.load_issues.size(), 1u);
  const report::LoadIssues& x = res.load_issues[0];
  EXPECT_EQ(x.provider, "few-iridium");
  EXPECT_EQ(x.records_rejected, 1u);
  EXPECT_EQ(x.records_with_warnings, 0u);
  EXPECT_EQ(x.non_payloads_left_out, 2u);
  EXPECT_EQ(x.duplicates_dropped, 1u);
  EXPECT_EQ(x.stale_element_sets, 0u);
  EXPECT_EQ(x.sgp4_init_failures, 0u);
  EXPECT_EQ(x.sgp4_failed_states, 0u);

  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("skyfence-runner-test-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::string db = (dir / "results.sqlite").string();
  report::write_sqlite(res, db);
  EXPECT_EQ(stored_count(db, "few-iridium", "records_rejected"), 1);
  EXPECT_EQ(stored_count(db, "few-iridium", "non_payloads_left_out"), 2);
  EXPECT_EQ(stored_count(db, "few-iridium", "duplicates_dropped"), 1);
  EXPECT_EQ(stored_count(db, "few-iridium", "stale_element_sets"), 0);
  std::filesystem::remove_all(dir);
}

// The same scenario 30 days later: every element set is stale, said once with the count.
TEST(RunDroppedLoadWarnings, WarnsAndCountsStaleElementSets) {
  Scenario sc = load_scenario(fixtures::kScenarioData + "issues.toml");
  sc.start = sc.start + time::Duration::days(30);
  sc.stop = sc.stop + time::Duration::days(30);
  RunOptions o;
  std::vector<std::string> warnings;
  o.warn = [&](const std::string& m) { warnings.push_back(m); };
  const report::Results res = run_scenario(sc, o, {.threads = 1, .data_dir = SKYFENCE_DATA_DIR});
  EXPECT_TRUE(any_contains(warnings, "2 element set(s) more than 14 days from the window"));
  ASSERT_EQ(res.load_issues.size(), 1u);
  EXPECT_EQ(res.load_issues[0].stale_element_sets, 2u);
}

}  // namespace
}  // namespace skyfence::scenario
