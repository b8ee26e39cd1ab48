// Statistics used by several layers, each defined once: the median and the nearest-rank percentile of
// samples sorted in increasing order (network's route summaries and report's latency table), and the
// weighted mean (area-weighted means over cells: the scenario runner's time series, the report, the
// coverage command's summary).
// Header-only. Cost: O(1) each; sorting is the caller's (O(n log n)). Tests:
// tests/unit/core/statistics_test.cpp.
#pragma once

#include <cstddef>
#include <span>
#include <stdexcept>

namespace skyfence {

// The median: the middle value for an odd count; for an even count the mean of the two middle values,
// computed as 0.5 * (a + b) (exact unless a + b overflows or is subnormal). REQUIRES: sorted is
// non-empty (else std::invalid_argument) and in increasing order (not checked).
[[nodiscard]] inline double median_of_sorted(std::span<const double> sorted) {
  const std::size_t n = sorted.size();
  if (n == 0) throw std::invalid_argument("median_of_sorted: sorted must not be empty");
  return n % 2 == 1 ? sorted[n / 2] : 0.5 * (sorted[n / 2 - 1] + sorted[n / 2]);
}

// The nearest-rank percentile: the smallest sample with at least `percent` % of the samples at or
// below it, i.e. the ceil(percent n / 100)-th smallest (computed in integers, so exact for every n),
// and the smallest sample for percent 0. REQUIRES: sorted non-empty and percent <= 100 (else
// std::invalid_argument); sorted in increasing order (not checked).
[[nodiscard]] inline double nearest_rank_of_sorted(std::span<const double> sorted, unsigned percent) {
  const std::size_t n = sorted.size();
  if (n == 0) throw std::invalid_argument("nearest_rank_of_sorted: sorted must not be empty");
  if (percent > 100) throw std::invalid_argument("nearest_rank_of_sorted: percent must lie in [0, 100]");
  const std::size_t rank = (percent * n + 99) / 100;
  return sorted[rank == 0 ? 0 : rank - 1];
}

// The weighted mean sum(weight(i) * value(i)) / sum(weight(i)) over i < n, both sums in index order
// (the same inputs give the same bits, whatever the caller); `none` when the weights sum to 0 (no
// points, or all weights 0). REQUIRES: value(i) and weight(i) defined for i < n.
template <class Value, class Weight>
[[nodiscard]] double weighted_mean(std::size_t n, const Value& value, const Weight& weight, double none) {
  double sum = 0.0, total = 0.0;
  for (std::size_t i = 0; i < n; ++i) {
    const double w = weight(i);
    sum += w * value(i);
    total += w;
  }
  return total > 0.0 ? sum / total : none;
}

}  // namespace skyfence
