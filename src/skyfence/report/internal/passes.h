// Passes of one provider's satellites over one terminal, reduced to the periods with at least one
// of them in view: what the report's pass table and timelines show (docs/report.md, "Passes").
#pragma once

#include <cstddef>
#include <string_view>
#include <vector>

#include "skyfence/report/model.h"
#include "skyfence/time/instant.h"

namespace skyfence::report::internal {

// A maximal period with at least one pass in view, within the run's window.
struct InViewPeriod {
  time::Instant begin, end;
  std::size_t passes = 0;  // passes that make it up
};

struct PassStats {
  std::size_t pass_count = 0;         // the provider's passes over the terminal (all listed)
  time::Duration in_view;             // length of the union of [aos, los] within [start, stop]
  time::Duration longest_gap;         // longest part of [start, stop] with no pass in view, also
                                      // before the first pass and after the last; the whole window
                                      // when there is no pass
  std::vector<InViewPeriod> periods;  // sorted and disjoint; passes that overlap or touch merge
};

// The statistics of `provider`'s passes over `terminal` in `results` (validated), over the run's
// window [run.start, run.stop]. Exact: sums of whole nanoseconds, independent of the passes' order.
// Cost: O(n log n) in the run's passes.
PassStats pass_stats(const Results& results, std::string_view provider, std::string_view terminal);

}  // namespace skyfence::report::internal
