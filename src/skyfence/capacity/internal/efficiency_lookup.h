// ServiceModel::efficiency with the table's segment found from a bucket of elevations instead of a
// binary search: the same segment and the same arithmetic, so the same doubles
// (tests/oracle/capacity/efficiency_lookup_oracle_test.cpp compares the two on random tables and
// elevations). The capacity engine evaluates it once per link and step. Holds references to the
// model's table: the model must outlive it.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "skyfence/capacity/service_model.h"

namespace skyfence::capacity::internal {

class EfficiencyLookup {
 public:
  explicit EfficiencyLookup(const ServiceModel& m)
      : x_(m.efficiency_elevation_rad), y_(m.efficiency_bps_per_hz) {
    const double span = x_.back() - x_.front();
    if (!(span > 0.0)) return;  // one point: the two end tests decide every elevation
    inv_step_ = static_cast<double>(kBuckets) / span;
    segment_.resize(kBuckets);
    for (std::size_t b = 0; b < kBuckets; ++b) {
      // A bucket's elevations are above the start of the bucket below it (a whole bucket of margin for
      // the rounding of (el - x0) * inv_step_), so the segment found there is never past theirs.
      const double below = x_.front() + (static_cast<double>(b) - 1.0) / inv_step_;
      segment_[b] = static_cast<std::uint32_t>(std::upper_bound(x_.begin(), x_.end(), below) - x_.begin());
    }
  }

  [[nodiscard]] double operator()(double elevation_rad) const {
    const std::vector<double>& x = x_;
    const std::vector<double>& y = y_;
    if (elevation_rad <= x.front()) return y.front();
    if (elevation_rad >= x.back()) return y.back();
    const double at = (elevation_rad - x.front()) * inv_step_;
    std::size_t k =
        segment_[at < static_cast<double>(kBuckets) ? static_cast<std::size_t>(at) : kBuckets - 1];
    while (x[k] <= elevation_rad) ++k;  // k: the first point above, as std::upper_bound finds it
    const double f = (elevation_rad - x[k - 1]) / (x[k] - x[k - 1]);
    return std::clamp(y[k - 1] + f * (y[k] - y[k - 1]), std::min(y[k - 1], y[k]), std::max(y[k - 1], y[k]));
  }

 private:
  static constexpr std::size_t kBuckets = 1024;
  const std::vector<double>& x_;
  const std::vector<double>& y_;
  double inv_step_ = 0.0;
  std::vector<std::uint32_t> segment_;  // per bucket: a segment index at or below its elevations'
};

}  // namespace skyfence::capacity::internal
