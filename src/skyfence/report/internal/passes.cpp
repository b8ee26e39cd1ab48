#include "skyfence/report/internal/passes.h"

#include <algorithm>
#include <utility>

namespace skyfence::report::internal {

PassStats pass_stats(const Results& r, std::string_view provider, std::string_view terminal) {
  PassStats s;
  std::vector<std::pair<time::Instant, time::Instant>> spans;
  for (const auto& p : r.passes) {
    if (p.provider != provider || p.terminal != terminal) continue;
    ++s.pass_count;
    const time::Instant b = std::max(p.aos, r.run.start), e = std::min(p.los, r.run.stop);
    if (b <= e) spans.emplace_back(b, e);
  }
  std::sort(spans.begin(), spans.end());
  for (const auto& [b, e] : spans) {
    if (!s.periods.empty() && b <= s.periods.back().end) {
      s.periods.back().end = std::max(s.periods.back().end, e);
      ++s.periods.back().passes;
    } else {
      s.periods.push_back({b, e, 1});
    }
  }
  time::Instant cursor = r.run.start;
  for (const auto& p : s.periods) {
    s.in_view += p.end - p.begin;
    s.longest_gap = std::max(s.longest_gap, p.begin - cursor);
    cursor = p.end;
  }
  s.longest_gap = std::max(s.longest_gap, r.run.stop - cursor);
  return s;
}

}  // namespace skyfence::report::internal
