#include "skyfence/time/window.h"

#include <string>

#include "skyfence/core/error.h"

namespace skyfence::time {

Window Window::make(Instant start, Instant stop, Duration step, const WindowNames& names,
                    std::size_t max_instants) {
  if (step.count_ns() <= 0) {
    throw InputError(SourceLocation{names.step, 0, {}}, "expected a positive step");
  }
  if (!(stop > start)) {
    throw InputError(SourceLocation{names.stop, 0, {}},
                     "expected a time after " + names.start + " (a window of positive length)");
  }
  // stop - start cannot overflow: both lie in Instant's range and stop > start.
  const std::int64_t span = (stop - start).count_ns();
  const std::int64_t s = step.count_ns();
  const std::int64_t n = span / s + (span % s != 0 ? 1 : 0);
  if (static_cast<std::uint64_t>(n) > max_instants) {
    throw InputError(SourceLocation{names.step, 0, {}},
                     "the window holds " + std::to_string(n) + " steps; expected at most " +
                         std::to_string(max_instants) + " (a larger step or a shorter window)");
  }
  return Window(start, stop, step, static_cast<std::size_t>(n));
}

Window Window::continuous(Instant start, Instant stop, const WindowNames& names) {
  if (!(stop > start)) {
    throw InputError(SourceLocation{names.stop, 0, {}},
                     "expected a time after " + names.start + " (a window of positive length)");
  }
  return Window(start, stop, stop - start, 1);
}

Window Window::of_count(Instant start, Duration step, std::size_t count) {
  if (step.count_ns() <= 0) throw InputError(SourceLocation{"step", 0, {}}, "expected a positive step");
  if (count == 0) throw InputError(SourceLocation{"steps", 0, {}}, "expected at least one step");
  return Window(start, start + step * static_cast<std::int64_t>(count), step, count);
}

std::vector<Instant> Window::instants() const {
  std::vector<Instant> out;
  out.reserve(size_);
  for (std::size_t i = 0; i < size_; ++i) out.push_back(at(i));
  return out;
}

}  // namespace skyfence::time
