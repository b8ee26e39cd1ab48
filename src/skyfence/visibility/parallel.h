// Parallel loops over fixed work items (used by visibility and the layers above it): the split of the
// work never depends on the thread count, so results built per item and joined in item order are
// identical for any number of threads.
#pragma once

#include <oneapi/tbb/blocked_range.h>
#include <oneapi/tbb/info.h>
#include <oneapi/tbb/parallel_for.h>
#include <oneapi/tbb/task_arena.h>

#include <algorithm>
#include <cstddef>

#include "skyfence/core/run_context.h"

namespace skyfence::visibility {

// Calls body(i) for i in [0, n) on run.workers() workers.
template <class Body>
void run_parallel(const RunContext& run, std::size_t n, const Body& body) {
  if (n == 0) return;
  const int workers = static_cast<int>(run.workers());
  if (workers <= 1 || n == 1) {
    for (std::size_t i = 0; i < n; ++i) body(i);
    return;
  }
  tbb::task_arena arena(workers);
  arena.execute([&] {
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, n, 1),
                      [&](const tbb::blocked_range<std::size_t>& r) {
                        for (std::size_t i = r.begin(); i != r.end(); ++i) body(i);
                      });
  });
}

}  // namespace skyfence::visibility
