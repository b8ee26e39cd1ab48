// Running a scenario: the baseline and every variant through the coverage engine (region cells and
// terminals, under each provider's policy), the reliance metrics, and latency to the internet over
// each provider's network; the results as a report::Results.
//
// Method: run_scenario calls named stages in this order (scenario/internal/stages.h, each tested on
// its own in tests/unit/scenario/stages_test.cpp):
//   1. load inputs      the borders, region and its cells, terminals, providers (orbits::load_satellites,
//                       warning through RunOptions::warn about what it left out), policies, gateways
//   2. plan variants    the baseline, then each variant's set of providers, satellites and policies
//   3. record           the run, its inputs, providers with their load issues, variants, cells, terminals
//   4. coverage         every plan through coverage::compute_coverage under its policies (cell layers,
//                       terminal service and decisions, the baseline's time series and SGP4 failures)
//   5. reliance         per plan, the region's and each terminal group's reliance against the baseline
//   6. latency          (compute.latency) each terminal's route to the internet per plan and provider
//   7. passes           (compute.passes_terminals) passes of the baseline's providers over them
// Every input is read and checked in stages 1-2, before anything is computed.
//
// Reproducible: the same scenario and seed give the same results for any thread count (the engines
// below are thread-invariant, random failures use the scenario's seed, and every sum runs in a fixed
// order).
#pragma once

#include <functional>
#include <stdexcept>
#include <string>
#include <string_view>

#include "skyfence/core/error.h"
#include "skyfence/report/model.h"
#include "skyfence/scenario/scenario.h"

namespace skyfence::scenario {

struct RunOptions {
  // The bundled data folder (catalogs, presets, country borders). REQUIRED: run_scenario reads nothing
  // from a global or the environment.
  std::string data_dir;
  unsigned threads = 0;  // worker threads of the engines. DEFAULT: 0, all cores; results do not depend on it
  std::string software_version;  // recorded in RunInfo. DEFAULT: empty
  time::Instant created;         // when the run is made, for the record (the caller's clock)
  // Optional: called as work advances with the stage ("loading", "coverage: VARIANT", "latency: VARIANT
  // PROVIDER", "passes: PROVIDER", "done") and the share of the whole run done, in [0, 1] and never
  // decreasing; returning false stops the run (run_scenario then throws Cancelled). Called from the
  // calling thread only.
  std::function<bool(std::string_view stage, double done)> progress;
  // Optional: warnings for people, one sentence each without a prefix: per provider, the loader's
  // sentences (orbits::load_warnings: records skipped, objects left out, stale element sets, SGP4
  // initialisation failures) prefixed "PROVIDER: ", and the baseline's SGP4 failures during the run.
  // Called from the calling thread only.
  std::function<void(const std::string&)> warn;
};

// Thrown when RunOptions::progress asks to stop (the one type of every layer, core/error.h).
using Cancelled = skyfence::Cancelled;

// Runs the scenario. REQUIRES: a scenario as load_scenario/parse_scenario return it (checked whole).
// Throws InputError for inputs that fail to load (catalogs, sites, policies, regions; with file, line
// and field) or variants that cannot apply, before any computation starts; Cancelled when asked to stop.
// The results pass report::validate. Ownership: the results own everything; nothing refers back to the
// scenario or the options.
// Cost: dominated by the coverage stage, about (variants + 1) x steps x satellites x the cells and
// terminals within each satellite's view (coverage.h); latency adds one network snapshot and routing per
// latency step, variant and provider with gateways. Memory: the per-step served masks, 8 bytes x steps x
// (cells + terminals) per variant.
report::Results run_scenario(const Scenario& scenario, const RunOptions& options);

}  // namespace skyfence::scenario
