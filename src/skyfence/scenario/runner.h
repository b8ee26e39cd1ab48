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

#include <cstdint>
#include <functional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

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

// ---------------------------------------------------------------------------------------------
// A run in parts, which other processes or machines can compute (the distributed run,
// docs/distributed.md, "run"), merged into the results run_scenario gives, row for row:
//   record    run_record: stages 1-3 (the run, inputs, providers, load issues, variants, cells,
//             groups, terminals); every input is read and checked here
//   plans     run_plans(first, count): plans [first, first + count) (0 the baseline, then the variants
//             in scenario order) through coverage, demand met and latency, with their per-step served
//             masks
//   reliance  run_reliance: the reliance rows of some plans, from their masks and the baseline's
//   tail      run_tail: passes and the enforcement study
// Each part computes exactly what run_scenario computes for it (the same engines, inputs and sums in
// the same order; the engines do not depend on the thread count), and merge_parts puts the rows in
// run_scenario's order, so the merge equals run_scenario's results field for field, whatever the split
// (ScenarioParts tests in tests/unit/scenario/parts_test.cpp). Each part but the record reads the
// scenario's inputs again (seconds at most; the record's caller has checked them).

// The plans of a scenario: the baseline and one per variant.
[[nodiscard]] std::size_t plan_count(const Scenario& scenario);

// A plan's per-step served masks: [step * points + point] over the region's cells then the terminals
// (in the results' order), bit k set when the run's provider k (Results::providers order) serves it.
using ServedMasks = std::vector<std::uint64_t>;

// What run_plans computes.
struct PlansPart {
  report::Results results;         // the part's rows only (not valid on its own)
  std::vector<ServedMasks> masks;  // per plan of the part, in order
};

// The record of the run: stages 1-3 of run_scenario, with options' software version and created time.
// Warns (options.warn) as run_scenario does about what loading left out. Throws as run_scenario for
// bad input. The results pass report::validate.
[[nodiscard]] report::Results run_record(const Scenario& scenario, const RunOptions& options,
                                         const RunContext& run);

// Plans [first, first + count) (count clipped to the plans there are): their cell layers and terminal
// service, the baseline's time series when first is 0, demand met and latency rows, and the record's
// load issues rows with the SGP4 failures of the part's plans (warned about through options.warn; 0
// in the rows no plan of the part records). Throws std::invalid_argument when first is beyond the last
// plan. Progress: the whole of `run`'s.
[[nodiscard]] PlansPart run_plans(const Scenario& scenario, std::size_t first, std::size_t count,
                                  const RunOptions& options, const RunContext& run);

// The reliance rows of plans [first, first + masks.size()) from their masks and the baseline's (run_plans'),
// with the record's cells, terminals, groups and providers. Throws std::invalid_argument for masks of
// another size or plans the record does not have.
[[nodiscard]] report::Results run_reliance(const report::Results& record, std::size_t first,
                                           const ServedMasks& baseline,
                                           const std::vector<ServedMasks>& masks);

// The passes and the enforcement study (and the input files the study read).
[[nodiscard]] report::Results run_tail(const Scenario& scenario, const RunOptions& options,
                                       const RunContext& run);

// The record with the parts' rows: each table's rows appended in the order of `parts` (so give the
// plans parts in plan order, and the reliance parts in plan order), the SGP4 failures of a part's load
// issues added to the record's rows (each row's are counted by the one plan that records them), its
// input files appended, its enforcement study taken. Then report::validate. Throws
// std::invalid_argument when a part holds rows only the record has (providers, variants, cells,
// groups, terminals) or load issues that are not the record's rows.
// A table added to report::Results is merged here: appended when parts fill it, nothing when the
// record does (serialize.cpp lists its fields for the parts' travel).
[[nodiscard]] report::Results merge_parts(report::Results record, std::vector<report::Results> parts);

}  // namespace skyfence::scenario
