// Helpers shared by the scenario layer's tests (tests/test_support.h says why they live here).
#pragma once

#include <stdexcept>
#include <string>

#include "skyfence/report/model.h"
#include "skyfence/report/reliance.h"

namespace skyfence::scenario::fixtures {

// The tests' scenario files (tests/data/scenario/).
inline const std::string kScenarioData = std::string(SKYFENCE_TEST_DATA_DIR) + "/scenario/";

// The region-wide reliance row of `variant`.
inline const report::Reliance& region_row(const report::Results& r, const std::string& variant) {
  for (const auto& rel : r.reliance) {
    if (rel.scope == report::kScopeRegion && rel.variant == variant) return rel;
  }
  throw std::runtime_error("no region row for " + variant);
}

// `provider`'s served share in a reliance row, or -1 when the row does not list it.
inline double served_share(const report::Reliance& rel, const std::string& provider) {
  for (const auto& p : rel.providers) {
    if (p.provider == provider) return p.served_share;
  }
  return -1.0;
}

}  // namespace skyfence::scenario::fixtures
