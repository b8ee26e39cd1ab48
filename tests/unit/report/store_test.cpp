#include "skyfence/report/store.h"

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "skyfence/report/internal/tables.h"
#include "skyfence/time/scales.h"
#include "synthetic.h"

namespace skyfence::report {
namespace {

namespace fs = std::filesystem;

// A read-only connection, closed on destruction.
class Db {
 public:
  explicit Db(const fs::path& p) {
    if (sqlite3_open_v2(p.c_str(), &db_, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
      throw std::runtime_error("cannot open " + p.string());
    }
  }
  ~Db() { sqlite3_close(db_); }
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;

  // Every row of a query, each value as text ("NULL" for null; reals in %.17g).
  std::vector<std::vector<std::string>> rows(const std::string& sql) const {
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &st, nullptr) != SQLITE_OK) {
      throw std::runtime_error(sql + ": " + sqlite3_errmsg(db_));
    }
    std::vector<std::vector<std::string>> out;
    while (sqlite3_step(st) == SQLITE_ROW) {
      std::vector<std::string> row;
      for (int i = 0; i < sqlite3_column_count(st); ++i) {
        switch (sqlite3_column_type(st, i)) {
          case SQLITE_NULL:
            row.emplace_back("NULL");
            break;
          case SQLITE_INTEGER:
            row.push_back(std::to_string(sqlite3_column_int64(st, i)));
            break;
          case SQLITE_FLOAT: {
            char buf[40];
            std::snprintf(buf, sizeof buf, "%.17g", sqlite3_column_double(st, i));
            row.emplace_back(buf);
            break;
          }
          default:
            row.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(st, i)));
        }
      }
      out.push_back(std::move(row));
    }
    sqlite3_finalize(st);
    return out;
  }
  double real(const std::string& sql) const { return std::stod(rows(sql).at(0).at(0)); }

 private:
  sqlite3* db_ = nullptr;
};

std::string as_text(const internal::Value& v) {
  if (const auto* n = std::get_if<std::int64_t>(&v)) return std::to_string(*n);
  if (const auto* d = std::get_if<double>(&v)) {
    char buf[40];
    std::snprintf(buf, sizeof buf, "%.17g", *d);
    return buf;
  }
  if (const auto* s = std::get_if<std::string>(&v)) return *s;
  return "NULL";
}

TEST(ReportStore, RoundTripEveryTableAndRow) {
  const fs::path p = testing::scratch_dir("roundtrip") / "results.sqlite";
  write_sqlite(testing::synthetic(), p.string());
  ASSERT_TRUE(fs::exists(p));
  const Db db(p);
  const auto tables = internal::build_tables(testing::synthetic());
  const auto names = db.rows("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name");
  EXPECT_EQ(names.size(), tables.size());
  for (const auto& t : tables) {
    // Rows in primary-key order on both sides.
    std::string order;
    for (const auto& k : t.primary_key) order += (order.empty() ? "" : ", ") + k;
    const auto got = db.rows("SELECT * FROM " + t.name + " ORDER BY " + order);
    ASSERT_EQ(got.size(), t.rows.size()) << t.name;
    std::vector<std::vector<std::string>> want;
    for (const auto& row : t.rows) {
      std::vector<std::string> w;
      for (const auto& v : row) w.push_back(as_text(v));
      want.push_back(std::move(w));
    }
    std::vector<std::size_t> key_cols;
    for (const auto& k : t.primary_key) {
      for (std::size_t i = 0; i < t.columns.size(); ++i) {
        if (t.columns[i].name == k) key_cols.push_back(i);
      }
    }
    std::sort(want.begin(), want.end(), [&](const auto& a, const auto& b) {
      for (std::size_t i : key_cols) {
        if (a[i] != b[i]) {
          // Integers in key columns sort numerically in SQLite.
          if (t.columns[i].type == internal::ColumnType::integer) return std::stoll(a[i]) < std::stoll(b[i]);
          return a[i] < b[i];
        }
      }
      return false;
    });
    EXPECT_EQ(got, want) << t.name;
  }
}

TEST(ReportStore, ValuesAndUnitsAsDocumented) {
  const fs::path p = testing::scratch_dir("values") / "results.sqlite";
  const Results& r = testing::synthetic();
  write_sqlite(r, p.string());
  const Db db(p);
  const auto run = db.rows("SELECT scenario_name, seed, start_utc, stop_utc, step_s, step_count FROM runs");
  ASSERT_EQ(run.size(), 1u);
  EXPECT_EQ(run[0][0], r.run.scenario_name);
  EXPECT_EQ(run[0][1], "42");
  EXPECT_EQ(run[0][2], "2026-11-20T00:00:00.000Z");
  EXPECT_EQ(run[0][3], "2026-11-20T23:45:00.000Z");
  EXPECT_EQ(run[0][4], "900");
  EXPECT_EQ(run[0][5], "96");
  // Beta's oldest element set is 18 days older than the start.
  EXPECT_DOUBLE_EQ(db.real("SELECT epoch_age_max_days FROM providers WHERE provider='Beta'"), 18.0);
  EXPECT_EQ(db.rows("SELECT affected_provider FROM variants WHERE variant='baseline'")[0][0], "NULL");
  // The same cell statistic read back exactly.
  const CellLayer* l = r.cell_layer("alpha-forbids-east", "any");
  ASSERT_NE(l, nullptr);
  EXPECT_EQ(
      db.real("SELECT served_fraction FROM cell_stats WHERE variant='alpha-forbids-east' AND provider='any' "
              "AND cell_token='" +
              r.cells[7].token + "'"),
      l->stats[7].served_fraction);
  // Counts: one stat per cell per layer, samples as listed.
  EXPECT_EQ(std::stoul(db.rows("SELECT COUNT(*) FROM cell_stats")[0][0]),
            r.cells.size() * r.cell_layers.size());
  std::size_t samples = 0;
  for (const auto& x : r.latency) samples += x.rtt_samples_ms.size();
  EXPECT_EQ(std::stoul(db.rows("SELECT COUNT(*) FROM latency_samples")[0][0]), samples);
  EXPECT_EQ(db.rows("SELECT SUM(sample_count) FROM latency_summaries")[0][0], std::to_string(samples));
}

// Every pass reads back: ids, times as ISO-8601 UTC text to the millisecond, elevation exactly,
// clipping flags as 0/1.
TEST(ReportStore, PassesRoundTrip) {
  const fs::path p = testing::scratch_dir("passes") / "results.sqlite";
  const Results& r = testing::synthetic();
  ASSERT_FALSE(r.passes.empty());
  write_sqlite(r, p.string());
  const Db db(p);
  EXPECT_EQ(db.rows("SELECT COUNT(*) FROM passes")[0][0], std::to_string(r.passes.size()));
  EXPECT_EQ(db.rows("SELECT DISTINCT typeof(norad_id) || typeof(aos_utc) || typeof(duration_s) || "
                    "typeof(aos_clipped) FROM passes"),
            (std::vector<std::vector<std::string>>{{"integertextrealinteger"}}));
  std::size_t clipped_aos = 0, clipped_los = 0;
  for (const PassRecord& x : r.passes) {
    const std::string aos = time::format_iso8601(x.aos, 3);
    const auto got = db.rows(
        "SELECT satellite, aos_utc, tca_utc, los_utc, duration_s, max_elevation_deg, aos_clipped, "
        "los_clipped "
        "FROM passes WHERE provider='" +
        x.provider + "' AND terminal_id='" + x.terminal + "' AND norad_id=" + std::to_string(x.norad_id) +
        " AND aos_utc='" + aos + "'");
    ASSERT_EQ(got.size(), 1u) << x.provider << " " << x.terminal << " " << aos;
    const auto& row = got[0];
    EXPECT_EQ(row[0], x.satellite);
    EXPECT_EQ(row[1], aos);
    EXPECT_EQ(row[2], time::format_iso8601(x.tca, 3));
    EXPECT_EQ(row[3], time::format_iso8601(x.los, 3));
    // Truncated to the millisecond.
    const time::Duration cut = x.aos - time::parse_iso8601(row[1]);
    EXPECT_GE(cut, time::Duration());
    EXPECT_LT(cut, time::Duration::nanoseconds(1'000'000));
    EXPECT_EQ(std::stod(row[4]), (x.los - x.aos).to_seconds());
    EXPECT_EQ(std::stod(row[5]), x.max_elevation_deg);
    EXPECT_EQ(row[6], x.aos_clipped ? "1" : "0");
    EXPECT_EQ(row[7], x.los_clipped ? "1" : "0");
    clipped_aos += x.aos_clipped ? 1 : 0;
    clipped_los += x.los_clipped ? 1 : 0;
  }
  EXPECT_GT(clipped_aos, 0u);
  EXPECT_GT(clipped_los, 0u);
  // A pass on at the start begins at the window's start.
  EXPECT_EQ(db.rows("SELECT DISTINCT aos_utc FROM passes WHERE aos_clipped = 1"),
            (std::vector<std::vector<std::string>>{{"2026-11-20T00:00:00.000Z"}}));
}

TEST(ReportStore, LoadIssuesRoundTrip) {
  const fs::path p = testing::scratch_dir("load_issues") / "results.sqlite";
  Results r = testing::synthetic();
  ASSERT_FALSE(r.providers.empty());
  LoadIssues x;
  x.provider = r.providers[0].name;
  x.records_rejected = 1;
  x.records_with_warnings = 2;
  x.non_payloads_left_out = 3;
  x.duplicates_dropped = 4;
  x.stale_element_sets = 5;
  x.sgp4_init_failures = 6;
  x.sgp4_failed_states = 7;
  r.load_issues.push_back(x);
  write_sqlite(r, p.string());
  const Db db(p);
  EXPECT_EQ(
      db.rows("SELECT * FROM load_issues"),
      (std::vector<std::vector<std::string>>{{x.provider, "baseline", "1", "2", "3", "4", "5", "6", "7"}}));
  // A row for a provider the run does not have, or in a variant it does not have, or a second row for
  // the same provider and variant, is refused.
  r.load_issues.push_back(x);
  EXPECT_THROW(validate(r), std::invalid_argument);
  r.load_issues.back().variant = "no-such-variant";
  EXPECT_THROW(validate(r), std::invalid_argument);
  r.load_issues.back() = x;
  r.load_issues.back().provider = "nobody";
  EXPECT_THROW(validate(r), std::invalid_argument);
}

TEST(ReportStore, ReplacesAnExistingStore) {
  const fs::path p = testing::scratch_dir("replace") / "results.sqlite";
  { std::ofstream(p) << "not a database"; }
  write_sqlite(testing::synthetic(), p.string());
  const Db db(p);
  EXPECT_EQ(db.rows("SELECT COUNT(*) FROM runs")[0][0], "1");
}

// A failure in the middle of the transaction (here: after the third table) leaves no store and
// no temporary, and keeps a store written before.
TEST(ReportStore, InterruptedWriteLeavesNothing) {
  const fs::path dir = testing::scratch_dir("interrupted");
  const fs::path p = dir / "results.sqlite";
  StoreOptions opts;
  int tables = 0;
  opts.on_table = [&](std::string_view) {
    if (++tables == 3) throw std::runtime_error("interrupted");
  };
  EXPECT_THROW(write_sqlite(testing::synthetic(), p.string(), opts), std::runtime_error);
  EXPECT_EQ(tables, 3);
  EXPECT_TRUE(fs::is_empty(dir)) << "a file was left in " << dir;

  write_sqlite(testing::synthetic(), p.string());
  const auto before = fs::file_size(p);
  tables = 0;
  EXPECT_THROW(write_sqlite(testing::synthetic(), p.string(), opts), std::runtime_error);
  EXPECT_EQ(fs::file_size(p), before);
  std::size_t files = 0;
  for ([[maybe_unused]] const auto& e : fs::directory_iterator(dir)) ++files;
  EXPECT_EQ(files, 1u);
  const Db db(p);
  EXPECT_EQ(db.rows("SELECT COUNT(*) FROM runs")[0][0], "1");
}

TEST(ReportStore, InvalidResultsWriteNothing) {
  const fs::path dir = testing::scratch_dir("invalid");
  Results r = testing::synthetic();
  r.cell_layers[0].stats.pop_back();
  EXPECT_THROW(write_sqlite(r, (dir / "results.sqlite").string()), std::invalid_argument);
  EXPECT_TRUE(fs::is_empty(dir));
}

TEST(ReportStore, UnwritableFolderIsAClearError) {
  try {
    write_sqlite(testing::synthetic(), "/nonexistent-folder/results.sqlite");
    FAIL() << "no error";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("/nonexistent-folder/results.sqlite"), std::string::npos)
        << e.what();
  }
}

// The uplink's tables are in a store only with uplink rows (a store without uplink demand is as it was
// before they existed); their rows read back as written.
TEST(ReportStore, UplinkTablesOnlyWithUplinkDemand) {
  const fs::path dir = testing::scratch_dir("uplink");
  write_sqlite(testing::synthetic(), (dir / "without.sqlite").string());
  EXPECT_TRUE(
      Db(dir / "without.sqlite").rows("SELECT name FROM sqlite_master WHERE name LIKE '%_up'").empty());

  Results r = testing::synthetic();
  const std::string variant = r.variants.front().id, provider = r.providers.front().name;
  const std::string terminal = r.terminals.front().id, group = r.terminals.front().group;
  r.terminal_capacity_up.push_back({variant, provider, terminal, 12.5, 7.25, 0.5, 0.0, 0.58, 0.25});
  r.capacity_up.push_back(
      {std::string(kScopeGroup), group, variant, std::string(kAnyProvider), 12.5, 7.25, 0.58, 0.25});
  write_sqlite(r, (dir / "with.sqlite").string());
  const Db db(dir / "with.sqlite");
  EXPECT_EQ(db.rows("SELECT name FROM sqlite_master WHERE name LIKE '%_up' ORDER BY name"),
            (std::vector<std::vector<std::string>>{{"capacity_up"}, {"terminal_capacity_up"}}));
  EXPECT_EQ(db.rows("SELECT * FROM terminal_capacity_up"),
            (std::vector<std::vector<std::string>>{
                {variant, provider, terminal, "12.5", "7.25", "0.5", "0", "0.57999999999999996", "0.25"}}));
  EXPECT_EQ(db.rows("SELECT * FROM capacity_up"),
            (std::vector<std::vector<std::string>>{
                {"group", group, variant, "any", "12.5", "7.25", "0.57999999999999996", "0.25"}}));
  EXPECT_NE(sqlite_schema().find("CREATE TABLE terminal_capacity_up ("), std::string::npos);

  // Validated like the downlink's: a fraction out of range, an unknown terminal or group.
  Results bad = r;
  bad.terminal_capacity_up[0].demand_met_fraction = 1.5;
  EXPECT_THROW(write_sqlite(bad, (dir / "bad.sqlite").string()), std::invalid_argument);
  bad = r;
  bad.terminal_capacity_up[0].terminal = "nobody";
  EXPECT_THROW(write_sqlite(bad, (dir / "bad.sqlite").string()), std::invalid_argument);
  bad = r;
  bad.capacity_up[0].scope_id = "no-group";
  EXPECT_THROW(write_sqlite(bad, (dir / "bad.sqlite").string()), std::invalid_argument);
  bad = r;
  bad.capacity_up.push_back(bad.capacity_up[0]);
  EXPECT_THROW(write_sqlite(bad, (dir / "bad.sqlite").string()), std::invalid_argument);
  EXPECT_FALSE(fs::exists(dir / "bad.sqlite"));
}

// docs/results.md documents every table and every column of the store.
TEST(ReportStore, SchemaIsDocumented) {
  std::ifstream in(std::string(SKYFENCE_DATA_DIR) + "/../docs/results.md");
  ASSERT_TRUE(in) << "docs/results.md missing";
  std::stringstream ss;
  ss << in.rdbuf();
  const std::string doc = ss.str();
  for (const auto& t : internal::build_tables(Results{}, true)) {
    const auto at = doc.find("### `" + t.name + "`");
    ASSERT_NE(at, std::string::npos) << "table " << t.name << " is not documented";
    const auto end = doc.find("### ", at + 4);
    const std::string section = doc.substr(at, end == std::string::npos ? std::string::npos : end - at);
    for (const auto& c : t.columns) {
      EXPECT_NE(section.find("| `" + c.name + "` |"), std::string::npos)
          << "column " << t.name << "." << c.name << " is not documented";
    }
  }
  EXPECT_NE(sqlite_schema().find("CREATE TABLE cell_stats ("), std::string::npos);
}

}  // namespace
}  // namespace skyfence::report
