// Running a scenario: the baseline and every variant through the coverage engine (region cells and
// terminals, under each provider's policy), the reliance metrics, and latency to the internet over
// each provider's network; the results as a report::Results.
//
// Reproducible: the same scenario and seed give the same results for any thread count (the engines
// below are thread-invariant, random failures use the scenario's seed, and every sum runs in a fixed
// order).
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "skyfence/core/error.h"
#include "skyfence/report/model.h"
#include "skyfence/scenario/scenario.h"

namespace skyfence::scenario {

struct RunOptions {
  std::string data_dir;  // the bundled data folder (catalogs, presets, borders). REQUIRED
  unsigned threads = 0;  // 0 = all cores
  std::string software_version;
  time::Instant created;  // when the run is made, for the record (the caller's clock)
  // Called as work advances: the stage and the share of the whole run done, [0, 1]; returning false
  // stops the run (run_scenario then throws Cancelled).
  std::function<bool(std::string_view stage, double done)> progress;
  // Warnings for people (stale element sets, skipped records...).
  std::function<void(const std::string&)> warn;
};

// Thrown when RunOptions::progress asks to stop (the one type of every layer, core/error.h).
using Cancelled = skyfence::Cancelled;

// Runs the scenario. Throws InputError for inputs that fail to load (catalogs, sites, policies,
// regions; with file, line and field) before any computation starts.
report::Results run_scenario(const Scenario& scenario, const RunOptions& options);

}  // namespace skyfence::scenario
