// skyfence run: a scenario (or the bundled default one) to a results folder: results.sqlite, CSV and
// GeoJSON exports and report.html.
#include "run.h"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include <fmt/core.h>
#include <fmt/format.h>

#include "common.h"
#include "data_dir.h"
#include "skyfence/core/error.h"
#include "skyfence/report/results_files.h"
#include "skyfence/report/results_folder.h"
#include "skyfence/scenario/runner.h"
#include "skyfence/scenario/scenario.h"
#include "skyfence/time/scales.h"
#include "view.h"

namespace skyfence::cli {
namespace run_command {

namespace fs = std::filesystem;

struct Options {
  std::string scenario;
  std::string output;
  bool check = false;
  bool quiet = false;
  unsigned threads = 0;
};

// A folder name from the scenario's name: letters, digits, '-', '_' and '.', others as '-'.
std::string slug(const std::string& name) {
  std::string s;
  for (const char c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
                    c == '_' || c == '.';
    s += ok ? c : '-';
  }
  return s.empty() || s == "." || s == ".." ? "run" : s;
}

// The system clock's time, to the second.
time::Instant now_utc() {
  const std::time_t t = std::time(nullptr);
  std::tm utc{};
  ::gmtime_r(&t, &utc);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return time::parse_iso8601(buf);
}

std::string percent(double share) {
  return fmt::format("{:.1f}%", 100.0 * share);
}

// Demand met (when computed): per scope and variant, the share of demand carried, in all and by each
// provider, in Gbps.
void print_demand_met(const report::Results& r) {
  if (r.capacity.empty()) return;
  fmt::print(stderr, "  demand met (mean over the steps; capacity shared as docs/capacity.md describes):\n");
  std::vector<std::pair<std::string, std::string>> scopes;
  for (const report::CapacityScope& c : r.capacity) {
    if (std::find(scopes.begin(), scopes.end(), std::pair{c.scope, c.scope_id}) == scopes.end())
      scopes.emplace_back(c.scope, c.scope_id);
  }
  for (const auto& [scope, id] : scopes) {
    const report::CapacityScope* base = r.capacity_row(scope, id, "baseline", report::kAnyProvider);
    fmt::print(stderr, "    {} {} (demand {:.2f} Gbps):\n", scope, id,
               base ? base->demand_mbps / 1000.0 : 0.0);
    for (const report::Variant& v : r.variants) {
      const report::CapacityScope* any = r.capacity_row(scope, id, v.id, report::kAnyProvider);
      if (any == nullptr) continue;
      std::string by;
      for (const report::CapacityScope& c : r.capacity) {
        if (c.scope == scope && c.scope_id == id && c.variant == v.id && c.provider != report::kAnyProvider &&
            c.carried_mbps > 0.0)
          by += fmt::format(" {} {:.2f}", c.provider, c.carried_mbps / 1000.0);
      }
      fmt::print(stderr, "      {:<28} met {:>6} ({:.2f} Gbps) | carried by{}\n", v.id,
                 percent(any->demand_met_fraction), any->carried_mbps / 1000.0, by.empty() ? " none" : by);
    }
  }
}

// A few lines answering the scenario's question, for the terminal.
void print_summary(const report::Results& r) {
  fmt::print(stderr, "  region {} ({:.0f} km2, {} cells), served share of area x time under policy:\n",
             r.run.region_name, r.run.region_area_km2, r.cells.size());
  for (const report::Reliance& rel : r.reliance) {
    if (rel.scope != report::kScopeRegion) continue;
    std::string by;
    for (const auto& p : rel.providers) {
      if (p.served_share > 0.0 || rel.variant == "baseline")
        by += fmt::format(" {} {}", p.provider, percent(p.served_share));
    }
    fmt::print(stderr, "    {:<28} any {:>6}  only one provider {:>6}  net loss {:>6} |{}\n", rel.variant,
               percent(rel.served_share_any), percent(rel.single_provider_share), percent(rel.net_loss_share),
               by);
  }
  for (const report::TerminalGroup& g : r.groups) {
    std::string line = fmt::format("  group {}:", g.id);
    for (const report::Reliance& rel : r.reliance) {
      if (rel.scope != report::kScopeGroup || rel.scope_id != g.id) continue;
      if (rel.variant == "baseline") {
        line += fmt::format(" served by any provider {} of terminal x time, by one provider only {}",
                            percent(rel.served_share_any), percent(rel.single_provider_share));
      } else if (rel.net_loss_share > 0.0) {
        line += fmt::format("; {}: {} lost", rel.variant, percent(rel.net_loss_share));
      }
    }
    fmt::print(stderr, "{}\n", line);
  }
  print_demand_met(r);
}

int run(const Options& o) {
  install_interrupt_handler();
  const auto t0 = std::chrono::steady_clock::now();
  const std::string path = o.scenario.empty() ? data_dir() + "/scenarios/default.toml" : o.scenario;
  const scenario::Scenario sc = scenario::load_scenario(path);
  if (o.check) {
    fmt::print(
        "{}: scenario \"{}\" is valid: {} provider(s), {} terminal group(s), {} variant(s), {} steps\n", path,
        sc.name, sc.providers.size(), sc.groups.size(), sc.variants.size(), sc.steps());
    return kExitOk;
  }
  // Checked before anything is computed: -o never replaces what skyfence did not create.
  const fs::path out =
      o.output.empty() ? fs::path("results") / slug(sc.name) : report::normalize_folder(o.output, "--output");
  report::StagedResultsFolder folder(out, "--output", [](const std::string& m) { warn(m); });

  Progress progress("run", 1.0, o.quiet);
  const RunContext run = run_context(o.threads, &progress);
  scenario::RunOptions ro;
  ro.software_version = std::string("skyfence ") + SKYFENCE_VERSION;
  ro.created = now_utc();
  ro.warn = [&](const std::string& m) {
    progress.finish();
    warn(m);
  };
  const report::Results results = scenario::run_scenario(sc, ro, run);
  progress.finish();
  check_interrupted();

  // The globe viewer is written when its packages are installed; the report says whether it was.
  const report::ResultsFiles files =
      report::write_results_files(results, folder.staging(), run.data_dir, web_dir());
  const std::vector<std::string>& csvs = files.csv_tables;
  const std::string& viewer_missing = files.viewer_missing;
  if (!files.viewer) {
    progress.finish();
    warn("the globe viewer was not written: " + viewer_missing + "; then `skyfence view " + out.string() +
         "` writes it");
  }
  check_interrupted();
  folder.commit(
      report::Manifest{results.run.software_version, time::format_iso8601(results.run.created, 0), sc.name});

  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  if (!o.quiet) {
    fmt::print(stderr, "skyfence: ran \"{}\": {} provider(s), {} variant(s), {} steps of {} s, in {:.1f} s\n",
               sc.name, results.providers.size(), results.variants.size(), results.run.step_count,
               sc.step.to_seconds(), secs);
    print_summary(results);
    fmt::print(stderr,
               "skyfence: results in {}/: report.html, results.sqlite, csv/ ({} tables), geojson/{}\n",
               out.string(), csvs.size(), viewer_missing.empty() ? ", viewer/" : "");
    if (viewer_missing.empty())
      fmt::print(stderr,
                 "skyfence: the globe: `skyfence serve {}`, then open http://127.0.0.1:8000/viewer/\n",
                 out.string());
  }
  return kExitOk;
}

}  // namespace run_command

void add_run_command(CLI::App& app, std::function<int()>& run_fn) {
  using namespace run_command;
  auto opts = std::make_shared<Options>();
  CLI::App* cmd = app.add_subcommand(
      "run", "Run a scenario (default: the bundled one) and write its results folder and report.html");
  cmd->footer(R"(Examples:
  skyfence run                                   # the bundled default scenario (data/scenarios/default.toml)
  skyfence run my-scenario.toml -o results/mine
  skyfence run my-scenario.toml --check          # load and check only; runs nothing

A scenario (TOML, docs/scenario.md) names a time window (half-open: steps start, start + step, ...
before stop), providers (bundled catalog, TLE/OMM file or preset, minimum elevation, policy, network),
terminal groups, a region of interest and what-if variants.
The results folder (default: results/<scenario name>) is written beside its place and moved there whole
at the end, never half-written. An existing folder is replaced only when it is a previous skyfence results
folder (it holds skyfence-results.json and results.sqlite); anything else is refused before the run:
  report.html      one self-contained page: service by provider and variant, reliance, latency, maps
  results.sqlite   every table (docs/results.md)
  csv/, geojson/   the same tables as CSV, cells and terminals as GeoJSON
  viewer/          the 3D globe (skyfence view; open it through skyfence serve DIR), when the viewer's
                   npm packages are installed (make deps); otherwise a warning, and the report says so
Exit status: 0 ok, 1 runtime failure, 2 bad scenario or input (every problem listed), 130 interrupted.)");
  cmd->add_option("scenario", opts->scenario, "the scenario file (default: the bundled default scenario)");
  cmd->add_option("-o,--output", opts->output, "the results folder (default: results/<scenario name>)");
  cmd->add_flag("--check", opts->check, "only load and check the scenario");
  cmd->add_option("--threads", opts->threads,
                  "worker threads (default: all cores); results do not depend on it");
  cmd->add_flag("-q,--quiet", opts->quiet, "no progress bar or summary on standard error");
  cmd->callback([opts, &run_fn] { run_fn = [opts] { return run(*opts); }; });
}

}  // namespace skyfence::cli
