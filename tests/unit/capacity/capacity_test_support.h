// Helpers shared by the capacity layer's tests (tests/test_support.h says why they live here).
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "skyfence/orbits/tle.h"
#include "skyfence/time/scales.h"

namespace skyfence::capacity::fixtures {

// The first `n` element sets of a bundled TLE file (data/tle/).
inline std::vector<orbits::ElementSet> bundled(const std::string& file, std::size_t n) {
  auto sets = orbits::read_tle_file(std::string(SKYFENCE_DATA_DIR) + "/tle/" + file).sets;
  if (sets.size() > n) sets.resize(n);
  return sets;
}

// The start of the tests' windows: the bundled snapshots' date.
inline const time::Instant kStart = time::parse_iso8601("2026-04-27T00:00:00Z");

}  // namespace skyfence::capacity::fixtures
