// internal::EfficiencyLookup (the capacity engine's spectral efficiency) against
// ServiceModel::efficiency: equal bit for bit on random tables (1 to 12 points, increasing or not,
// spanning a fraction of a degree to 90 deg) at random elevations, at the table's points and one ulp
// either side of them. The seed is printed; SKYFENCE_TEST_SEED replays one.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numbers>
#include <random>
#include <vector>

#include "../../test_seed.h"
#include "skyfence/capacity/internal/efficiency_lookup.h"
#include "skyfence/capacity/service_model.h"

namespace skyfence::capacity {
namespace {

using skyfence_test::test_seed;

TEST(CapacityEfficiencyLookupOracle, EqualsTheModelsTableBitForBit) {
  std::mt19937_64 rng(test_seed("efficiency_lookup"));
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  const double half_pi = std::numbers::pi / 2.0;
  for (int table = 0; table < 300; ++table) {
    ServiceModel m;
    const int n = 1 + static_cast<int>(rng() % 12);
    // Strictly increasing elevations in [0, pi/2]: sorted draws over a random span, duplicates dropped.
    const double lo = unit(rng) * half_pi * 0.5;
    const double span = (table % 3 == 0 ? 1e-3 : 1.0) * unit(rng) * (half_pi - lo);
    std::vector<double> x;
    for (int k = 0; k < n; ++k) x.push_back(lo + span * unit(rng));
    std::sort(x.begin(), x.end());
    x.erase(std::unique(x.begin(), x.end()), x.end());
    for (std::size_t k = 0; k < x.size(); ++k) {
      m.efficiency_elevation_rad.push_back(x[k]);
      m.efficiency_bps_per_hz.push_back(0.05 + 8.0 * unit(rng));
    }
    const internal::EfficiencyLookup lookup(m);
    std::vector<double> elevations;
    for (int k = 0; k < 400; ++k) elevations.push_back(-0.1 + (half_pi + 0.2) * unit(rng));
    for (int k = 0; k < 400; ++k) elevations.push_back(x.front() + (x.back() - x.front()) * unit(rng));
    for (const double p : x) {
      elevations.push_back(p);
      elevations.push_back(std::nextafter(p, -1.0));
      elevations.push_back(std::nextafter(p, 2.0));
    }
    for (const double el : elevations) {
      const double want = m.efficiency(el);
      const double got = lookup(el);
      ASSERT_EQ(got, want) << "table " << table << " (" << x.size() << " points), elevation " << el;
    }
  }
}

}  // namespace
}  // namespace skyfence::capacity
