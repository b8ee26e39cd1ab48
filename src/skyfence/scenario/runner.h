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
#include "skyfence/core/run_context.h"
#include "skyfence/report/model.h"
#include "skyfence/scenario/scenario.h"

namespace skyfence::scenario {

// What to record about the run, and where warnings go. How it runs (threads, progress, stopping, the
// bundled data folder) is the RunContext (core/run_context.h).
struct RunOptions {
  std::string software_version;  // recorded in RunInfo. DEFAULT: empty
  time::Instant created;         // when the run is made, for the record (the caller's clock)
  // Optional: warnings for people, one sentence each without a prefix: per provider, the loader's
  // sentences (orbits::load_warnings: records skipped, objects left out, stale element sets, SGP4
  // initialisation failures) prefixed "PROVIDER: ", and the baseline's SGP4 failures during the run.
  // Called from the calling thread only.
  std::function<void(const std::string&)> warn;
};

// Runs the scenario. REQUIRES: a scenario as load_scenario/parse_scenario return it (checked whole).
// Throws InputError for inputs that fail to load (catalogs, sites, policies, regions; with file, line
// and field) or variants that cannot apply, before any computation starts; Cancelled when asked to stop.
// The results pass report::validate. Ownership: the results own everything; nothing refers back to the
// scenario or the options.
// Cost: dominated by the coverage stage, about (variants + 1) x steps x satellites x the cells and
// terminals within each satellite's view (coverage.h); latency adds one network snapshot and routing per
// latency step, variant and provider with gateways. Memory: the per-step served masks, 8 bytes x steps x
// (cells + terminals) per variant.
//
// `run`: run.data_dir is REQUIRED (the bundled catalogs, presets and country borders; nothing is read
// from a global or the environment; std::invalid_argument when empty). The engines use run.workers()
// threads; the results do not depend on them. Progress is reported from the calling thread with the
// stage ("loading", "coverage: VARIANT", "demand met", "latency: VARIANT PROVIDER", "passes: PROVIDER",
// "done") and the share of the whole run done, never decreasing; a stop requested through run.stop
// throws Cancelled at the next step of whichever engine is running.
report::Results run_scenario(const Scenario& scenario, const RunOptions& options, const RunContext& run);

}  // namespace skyfence::scenario
