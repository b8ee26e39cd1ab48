// How a long computation runs, given by its caller to every layer the same way: how many threads,
// where progress goes, how to ask it to stop, and where the bundled data are. What to compute stays in
// each layer's options; how to run it is here, once.
#pragma once

#include <atomic>
#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

namespace skyfence {

struct RunContext {
  // Worker threads; 0 = all cores (the CPUs this process may run on). More than the hardware runs is
  // clamped to it. DEFAULT: 0. No result of any layer depends on it.
  unsigned threads = 0;
  // Optional: called as work advances with the stage (e.g. "coverage", "coverage: VARIANT") and the
  // share of the computation done, in [0, 1] and never decreasing. Called from one thread at a time,
  // not necessarily the caller's. It cannot stop the computation: `stop` does.
  std::function<void(std::string_view stage, double done)> progress = {};
  // Optional: when it reads true (set by the caller from any thread, e.g. a signal handler), the
  // computation stops at its next check and throws skyfence::Cancelled; no partial result is returned
  // and nothing half-written is left. Not owned: it must outlive the computation. DEFAULT: none.
  const std::atomic<bool>* stop = nullptr;
  // The bundled data folder (catalogs, presets, country borders, provider models). Needed only by the
  // computations that say so (the scenario runner); none reads a global or the environment.
  std::string data_dir = {};

  // The number of workers `threads` means here: at least 1.
  [[nodiscard]] unsigned workers() const;
  [[nodiscard]] bool stop_requested() const {
    return stop != nullptr && stop->load(std::memory_order_relaxed);
  }
  // Throws skyfence::Cancelled when a stop was requested.
  void check_stop() const;
  // Reports progress (when a callback is set), then check_stop(). `done` is clamped to [0, 1].
  void report(std::string_view stage, double done) const;
  // The context of one part of a larger computation: the same threads, stop and data folder; progress
  // of the part, in [0, 1], is reported as [from, to] of this context's, under `stage` when it is not
  // empty (else under the part's own stage). REQUIRES: 0 <= from <= to <= 1.
  [[nodiscard]] RunContext part(double from, double to, std::string stage = {}) const;
  // The same context with another thread count (e.g. 1 inside a loop already run in parallel).
  [[nodiscard]] RunContext with_threads(unsigned n) const;
};

}  // namespace skyfence
