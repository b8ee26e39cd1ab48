// Shared pieces of the skyfence command: exit codes, diagnostics, progress, interruption.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdio>
#include <memory>
#include <string>
#include <string_view>

#include "skyfence/core/atomic_file.h"
#include "skyfence/core/error.h"
#include "skyfence/core/run_context.h"
#include "skyfence/orbits/element_set.h"

namespace skyfence::cli {

// Exit status (DESIGN.md): 0 ok, 1 runtime failure, 2 bad usage or bad input, 130 interrupted.
inline constexpr int kExitOk = 0;
inline constexpr int kExitRuntime = 1;
inline constexpr int kExitInput = 2;
inline constexpr int kExitInterrupted = 130;

// Set by SIGINT/SIGTERM; long loops poll it and unwind (outputs are then abandoned, never half-written).
extern std::atomic<bool> g_interrupted;
void install_interrupt_handler();

// Throws skyfence::Cancelled (exit status 130) when g_interrupted is set: the check of a command's own
// loops; the library's loops check the RunContext instead.
void check_interrupted();

// "skyfence: warning: ..." on stderr.
void warn(std::string_view message);

// Every problem of a file checked whole (a policy, a scenario), one `skyfence: error:` line each, then a
// count: "skyfence: 9 problems in my-policy.toml". The one format of every command.
void report_input_errors(const InputErrors& errors);

// One CSV field, quoted (RFC 4180) when it holds a comma, quote or line break (skyfence::csv_field).
std::string csv_field(const std::string& s);

// Where a command's data go: standard output, or a file written whole or not at all (AtomicFile).
class OutputSink {
 public:
  explicit OutputSink(const std::string& path);  // "" or "-": standard output
  ~OutputSink();
  OutputSink(const OutputSink&) = delete;
  OutputSink& operator=(const OutputSink&) = delete;
  void write(std::string_view s);
  // Renames the file into place (or flushes standard output). Throws on any I/O failure.
  void commit();

 private:
  std::unique_ptr<AtomicFile> file_;
};

// At most this many issues of one kind are listed on stderr; the rest are counted.
inline constexpr std::size_t kMaxListed = 20;

// Lists a catalog's accepted-with-warning and skipped records on stderr (at most kMaxListed of each),
// and a one-line count of the skipped ones. `source` names the catalog.
void report_catalog_issues(const orbits::Catalog& catalog, const std::string& source);

// A one-line progress bar with ETA on stderr, drawn only when stderr is a terminal and not quiet.
class Progress {
 public:
  // `total`: the value of update() when the work is done (1 for a share).
  Progress(std::string label, double total, bool quiet);
  ~Progress();
  void update(double done);
  void finish();

 private:
  std::string label_;
  double total_;
  bool enabled_;
  std::chrono::steady_clock::time_point start_, last_draw_;
};

// The run context of a command: `threads` (its --threads), stopped by g_interrupted (SIGINT/SIGTERM),
// the bundled data folder (data_dir()), and progress drawn on `bar` when given (built with total 1).
RunContext run_context(unsigned threads, Progress* bar = nullptr);

}  // namespace skyfence::cli
