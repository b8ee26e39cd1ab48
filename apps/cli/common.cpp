#include "common.h"

#include <unistd.h>

#include <algorithm>
#include <csignal>
#include <cstdio>
#include <stdexcept>
#include <string>
#include <vector>

#include <fmt/core.h>

#include "data_dir.h"
#include "skyfence/core/csv.h"

namespace skyfence::cli {

std::atomic<bool> g_interrupted{false};

namespace {
extern "C" void on_signal(int /*sig*/) {
  g_interrupted.store(true);
}
}  // namespace

void install_interrupt_handler() {
  std::signal(SIGINT, on_signal);
  std::signal(SIGTERM, on_signal);
}

void check_interrupted() {
  if (g_interrupted.load()) throw skyfence::Cancelled();
}

RunContext run_context(unsigned threads, Progress* bar) {
  RunContext run;
  run.threads = threads;
  run.stop = &g_interrupted;
  run.data_dir = data_dir();
  if (bar != nullptr) run.progress = [bar](std::string_view, double done) { bar->update(done); };
  return run;
}

void warn(std::string_view message) {
  fmt::print(stderr, "skyfence: warning: {}\n", message);
}

void report_input_errors(const InputErrors& errors) {
  std::vector<std::string> files;
  for (const InputError& i : errors.issues()) {
    fmt::print(stderr, "skyfence: error: {}\n", i.what());
    const std::string& f = i.where().file;
    if (!f.empty() && std::find(files.begin(), files.end(), f) == files.end()) files.push_back(f);
  }
  if (errors.issues().empty()) fmt::print(stderr, "skyfence: error: {}\n", errors.what());
  const std::size_t n = std::max<std::size_t>(errors.issues().size(), 1);
  std::string where;
  for (const std::string& f : files) where += (where.empty() ? " in " : ", ") + f;
  fmt::print(stderr, "skyfence: {} problem{}{}\n", n, n == 1 ? "" : "s", where);
}

std::string csv_field(const std::string& s) {
  return ::skyfence::csv_field(s);
}

namespace {
template <class Issues>
void warn_listed(const Issues& issues, const char* suffix, const char* more) {
  for (std::size_t i = 0; i < issues.size(); ++i) {
    if (i == kMaxListed) {
      warn(fmt::format("... and {} more {}", issues.size() - kMaxListed, more));
      break;
    }
    warn(issues[i].to_string() + suffix);
  }
}
}  // namespace

void report_catalog_issues(const orbits::Catalog& catalog, const std::string& source) {
  warn_listed(catalog.warnings, "", "warnings");
  warn_listed(catalog.rejected, " (record skipped)", "records skipped");
  if (!catalog.rejected.empty()) {
    warn(fmt::format("{}: {} record(s) skipped, {} loaded; use --strict to fail instead", source,
                     catalog.rejected.size(), catalog.sets.size()));
  }
}

OutputSink::OutputSink(const std::string& path) {
  if (!path.empty() && path != "-") file_ = std::make_unique<AtomicFile>(path);
}

OutputSink::~OutputSink() = default;

void OutputSink::write(std::string_view s) {
  if (file_) {
    file_->write(s);
  } else if (std::fwrite(s.data(), 1, s.size(), stdout) != s.size()) {
    throw std::runtime_error("writing to standard output failed");
  }
}

void OutputSink::commit() {
  if (file_) {
    file_->commit();
  } else if (std::fflush(stdout) != 0) {
    throw std::runtime_error("writing to standard output failed");
  }
}

Progress::Progress(std::string label, double total, bool quiet)
    : label_(std::move(label)),
      total_(total),
      enabled_(!quiet && ::isatty(::fileno(stderr)) != 0 && total > 0),
      start_(std::chrono::steady_clock::now()),
      last_draw_(start_) {}

Progress::~Progress() {
  finish();
}

void Progress::update(double done) {
  if (!enabled_) return;
  const auto now = std::chrono::steady_clock::now();
  if (now - last_draw_ < std::chrono::milliseconds(100) && done < total_) return;
  last_draw_ = now;
  const double frac = done / total_;
  const double elapsed = std::chrono::duration<double>(now - start_).count();
  const double eta = frac > 0 ? elapsed * (1.0 - frac) / frac : 0.0;
  constexpr int kWidth = 30;
  const int filled = static_cast<int>(frac * kWidth);
  fmt::print(stderr, "\r{} [{:=<{}}{:<{}}] {:3.0f}%  ETA {:.0f}s ", label_, "", filled, "", kWidth - filled,
             frac * 100.0, eta);
  std::fflush(stderr);
}

void Progress::finish() {
  if (!enabled_) return;
  fmt::print(stderr, "\r{:<{}}\r", "", label_.size() + 52);
  std::fflush(stderr);
  enabled_ = false;
}

}  // namespace skyfence::cli
