// Shared pieces of the skyfence command: exit codes, diagnostics, progress, interruption.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdio>
#include <string>
#include <string_view>

namespace skyfence::cli {

// Exit status (DESIGN.md): 0 ok, 1 runtime failure, 2 bad usage or bad input, 130 interrupted.
inline constexpr int kExitOk = 0;
inline constexpr int kExitRuntime = 1;
inline constexpr int kExitInput = 2;
inline constexpr int kExitInterrupted = 130;

// Set by SIGINT/SIGTERM; long loops poll it and unwind (outputs are then abandoned, never half-written).
extern std::atomic<bool> g_interrupted;
void install_interrupt_handler();

// Thrown when a loop notices g_interrupted.
struct Interrupted {};

// "skyfence: warning: ..." on stderr.
void warn(std::string_view message);

// A one-line progress bar with ETA on stderr, drawn only when stderr is a terminal and not quiet.
class Progress {
 public:
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

}  // namespace skyfence::cli
