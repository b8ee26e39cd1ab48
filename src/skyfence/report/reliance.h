// Reliance metrics (docs/report.md, "Reliance") from per-step service indicators.
//
// The runner knows, for every unit of a scope (a cell of the region, or a terminal of a group) and
// every time step, which providers serve it under their policies, in the baseline and in a variant.
// Fed those indicators, RelianceAccumulator sums the weighted unit-time of each case and gives the
// scope's Reliance row. Sums are in the order of add() calls, so results are reproducible.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "skyfence/report/model.h"

namespace skyfence::report {

class RelianceAccumulator {
 public:
  // Bit k of the masks given to add() stands for providers[k]. Throws std::invalid_argument for more
  // than 64 providers, a duplicate name or the name "any".
  explicit RelianceAccumulator(std::vector<std::string> providers);

  // One unit at one time step. weight: the unit's weight, area_km2 for a cell and 1 for a terminal
  // (the step length is the same for every step and cancels). REQUIRES: weight finite and >= 0;
  // masks use only the low providers().size() bits. Throws std::invalid_argument otherwise.
  void add(double weight, std::uint64_t baseline_served, std::uint64_t variant_served);

  // The Reliance row of the variant. With nothing added every share is 0.
  [[nodiscard]] Reliance result(std::string scope, std::string scope_id, std::string variant) const;

  [[nodiscard]] const std::vector<std::string>& providers() const { return providers_; }

 private:
  std::vector<std::string> providers_;
  double total_ = 0.0;
  double any_ = 0.0;     // variant served by >= 1
  double single_ = 0.0;  // variant served by exactly 1
  double lost_ = 0.0;    // a baseline provider stopped serving
  double lost_recovered_ = 0.0;
  double net_lost_ = 0.0;       // baseline served by >= 1, variant by none
  std::vector<double> served_;  // per provider, in the variant
  std::vector<double> sole_;
};

}  // namespace skyfence::report
