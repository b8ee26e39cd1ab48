#include "skyfence/core/run_context.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "skyfence/core/error.h"

namespace skyfence {
namespace {

TEST(RunContext, WorkersAreAtLeastOneAndNeverAboveTheHardware) {
  const RunContext all;
  const unsigned hardware = all.workers();
  EXPECT_GE(hardware, 1u);
  EXPECT_LE(hardware, std::max(1u, std::thread::hardware_concurrency()));
  EXPECT_EQ(RunContext{.threads = 1}.workers(), 1u);
  EXPECT_EQ(RunContext{.threads = 100000}.workers(), hardware);
  EXPECT_EQ(all.with_threads(1).workers(), 1u);
}

TEST(RunContext, StopIsCheckedAndReportedAfterProgress) {
  RunContext run;
  EXPECT_FALSE(run.stop_requested());
  EXPECT_NO_THROW(run.check_stop());
  std::atomic<bool> stop{false};
  run.stop = &stop;
  std::vector<std::pair<std::string, double>> seen;
  run.progress = [&](std::string_view stage, double done) { seen.emplace_back(stage, done); };
  run.report("a", 0.5);
  stop.store(true);
  EXPECT_TRUE(run.stop_requested());
  EXPECT_THROW(run.check_stop(), Cancelled);
  // The last progress is still reported before the stop is noticed; `done` is clamped to [0, 1].
  EXPECT_THROW(run.report("a", 1.5), Cancelled);
  EXPECT_EQ(seen, (std::vector<std::pair<std::string, double>>{{"a", 0.5}, {"a", 1.0}}));
}

TEST(RunContext, PartsMapProgressIntoTheirRangeAndKeepTheRest) {
  std::vector<std::pair<std::string, double>> seen;
  std::atomic<bool> stop{false};
  RunContext run{.threads = 3, .stop = &stop, .data_dir = "/data"};
  run.progress = [&](std::string_view stage, double done) { seen.emplace_back(stage, done); };
  const RunContext part = run.part(0.25, 0.75, "coverage: baseline");
  EXPECT_EQ(part.threads, 3u);
  EXPECT_EQ(part.stop, &stop);
  EXPECT_EQ(part.data_dir, "/data");
  part.report("coverage", 0.0);
  part.report("coverage", 0.5);
  part.report("coverage", 2.0);
  // A part of a part: the ranges compose and the named part names the stage.
  part.part(0.5, 1.0).report("inner", 0.5);
  EXPECT_EQ(seen, (std::vector<std::pair<std::string, double>>{{"coverage: baseline", 0.25},
                                                               {"coverage: baseline", 0.5},
                                                               {"coverage: baseline", 0.75},
                                                               {"coverage: baseline", 0.625}}));
  EXPECT_THROW((void)run.part(0.5, 0.4), std::invalid_argument);
  EXPECT_THROW((void)run.part(-0.1, 0.4), std::invalid_argument);
  EXPECT_THROW((void)run.part(0.0, 1.5), std::invalid_argument);
  // Without a progress callback, parts have none either.
  EXPECT_FALSE(RunContext{}.part(0.0, 0.5).progress);
}

}  // namespace
}  // namespace skyfence
