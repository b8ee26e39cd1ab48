#include "skyfence/core/run_context.h"

#include <algorithm>
#include <stdexcept>
#include <thread>

#if defined(__linux__)
#include <sched.h>
#endif

#include "skyfence/core/error.h"

namespace skyfence {

namespace {

// The CPUs this process may run on (its affinity mask, as taskset or a container sets it), else the
// hardware's.
unsigned available_cpus() {
#if defined(__linux__)
  cpu_set_t set;
  CPU_ZERO(&set);
  if (sched_getaffinity(0, sizeof(set), &set) == 0) {
    const int n = CPU_COUNT(&set);
    if (n > 0) return static_cast<unsigned>(n);
  }
#endif
  return std::max(1u, std::thread::hardware_concurrency());
}

}  // namespace

unsigned RunContext::workers() const {
  const unsigned hardware = available_cpus();
  return threads == 0 ? hardware : std::min(threads, hardware);
}

void RunContext::check_stop() const {
  if (stop_requested()) throw Cancelled();
}

void RunContext::report(std::string_view stage, double done) const {
  if (progress) progress(stage, std::clamp(done, 0.0, 1.0));
  check_stop();
}

RunContext RunContext::part(double from, double to, std::string stage) const {
  if (!(0.0 <= from && from <= to && to <= 1.0)) {
    throw std::invalid_argument("RunContext::part: the range must satisfy 0 <= from <= to <= 1");
  }
  RunContext out = with_threads(threads);
  if (progress) {
    out.progress = [outer = progress, from, to, stage = std::move(stage)](std::string_view inner,
                                                                          double done) {
      outer(stage.empty() ? inner : std::string_view(stage), from + (to - from) * std::clamp(done, 0.0, 1.0));
    };
  }
  return out;
}

RunContext RunContext::with_threads(unsigned n) const {
  RunContext out = *this;
  out.threads = n;
  return out;
}

}  // namespace skyfence
