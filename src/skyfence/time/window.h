// A time window and the instants that sample it: the one convention of every skyfence layer and command.
//
// A window is half-open, [start, stop). Sampled every `step`, its instants are start, start + step,
// start + 2 step, ... strictly before stop, so a window of 24 h at 60 s has 1,440 instants and the last
// is 23:59:00; each instant stands for the interval it begins (clipped at stop when the length is not a
// whole number of steps: a 10 min window at 3 min has 4 instants, the last standing for 1 min). This is
// numpy's `arange(start, stop, step)`. Continuous searches (passes) look at [start, stop) too. A window
// of zero or negative length, or a step that is not positive, is an error everywhere: such a window
// has nothing to compute.
//
// The one exception in the product is `propagate --minutes=START:STOP:STEP`, which follows the SGP4
// verification set's convention (STOP included) because it replays those files row for row.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "skyfence/time/instant.h"

namespace skyfence::time {

// The names a window's errors are located at (command-line options or scenario keys).
struct WindowNames {
  std::string start = "--start";
  std::string stop = "--stop";
  std::string step = "--step";
};

class Window {
 public:
  // The most instants a window may hold unless the caller says otherwise: a day at 10 ms.
  static constexpr std::size_t kDefaultMaxInstants = 10'000'000;

  // An empty window (no instants); use `make` for a checked one.
  Window() = default;

  // A checked window. Throws InputError located at `names` unless stop > start, step > 0 and the
  // window holds at most `max_instants` instants (a typo such as "--step 1s" over a year).
  static Window make(Instant start, Instant stop, Duration step, const WindowNames& names = {},
                     std::size_t max_instants = kDefaultMaxInstants);

  // A checked window searched continuously (passes), with one step spanning it: as above with
  // step = stop - start.
  static Window continuous(Instant start, Instant stop, const WindowNames& names = {});

  // A checked window of `count` instants from `start` (stop = start + count * step).
  // REQUIRES: count >= 1 and step > 0 (else InputError).
  static Window of_count(Instant start, Duration step, std::size_t count);

  [[nodiscard]] Instant start() const { return start_; }
  [[nodiscard]] Instant stop() const { return stop_; }
  [[nodiscard]] Duration step() const { return step_; }
  [[nodiscard]] Duration length() const { return stop_ - start_; }
  // Number of instants: ceil((stop - start) / step); 0 for the empty window.
  [[nodiscard]] std::size_t size() const { return size_; }
  [[nodiscard]] bool empty() const { return size_ == 0; }
  // The i-th instant, start + i * step (exact). REQUIRES: i < size().
  [[nodiscard]] Instant at(std::size_t i) const { return start_ + step_ * static_cast<std::int64_t>(i); }
  // Every instant, in order.
  [[nodiscard]] std::vector<Instant> instants() const;
  // Whether t lies in [start, stop).
  [[nodiscard]] bool contains(Instant t) const { return start_ <= t && t < stop_; }

 private:
  Window(Instant start, Instant stop, Duration step, std::size_t size)
      : start_(start), stop_(stop), step_(step), size_(size) {}
  Instant start_;
  Instant stop_;
  Duration step_;
  std::size_t size_ = 0;
};

// The text form of the convention, for `--help` of every command that takes a window.
inline constexpr const char* kWindowHelp =
    "Times: ISO-8601 UTC. The window is half-open, [START, STOP): samples are START, START+STEP, ... "
    "before STOP (24h at 60s is 1,440 samples, the last at 23:59:00).";

}  // namespace skyfence::time
