// The topology choices shared by `skyfence route`, skyfence.route and scenarios (network/links.h).
#include "skyfence/network/links.h"

#include <gtest/gtest.h>

#include <cmath>
#include <stdexcept>
#include <vector>

namespace skyfence::network::links_test {

std::vector<orbits::ElementSet> satellites(const std::vector<std::uint32_t>& norad_ids) {
  std::vector<orbits::ElementSet> out;
  for (std::uint32_t id : norad_ids) {
    out.emplace_back();
    out.back().norad_id = id;
  }
  return out;
}

TEST(NetworkLinks, PairingNames) {
  EXPECT_EQ(isl_pairing_named("nearest"), IslPairing::nearest);
  EXPECT_EQ(isl_pairing_named("same-index"), IslPairing::same_index);
  EXPECT_FALSE(isl_pairing_named("same_index").has_value());
  EXPECT_FALSE(isl_pairing_named("").has_value());
}

// A failed satellite takes its links along; the others are renumbered by NORAD id.
TEST(NetworkLinks, CarriedLinksFollowTheNoradIds) {
  const auto from = satellites({10, 20, 30, 40});
  const std::vector<SatellitePair> links{{0, 1}, {0, 3}, {1, 2}, {2, 3}};
  EXPECT_EQ(carry_links(links, from, from), links);
  const auto to = satellites({40, 30, 10});  // 20 failed; another order
  EXPECT_EQ(carry_links(links, from, to), (std::vector<SatellitePair>{{0, 1}, {0, 2}}));
  EXPECT_TRUE(carry_links(links, from, satellites({})).empty());
}

TEST(NetworkLinks, PlanesAreAskedForOnlyWithoutAFile) {
  const auto sets = satellites({1, 2, 3});
  bool asked = false;
  const auto links = candidate_isls({}, sets, [&] {
    asked = true;
    return PlaneAssignment{};
  });
  EXPECT_TRUE(asked);
  EXPECT_TRUE(links.empty());
}

TEST(NetworkLinks, SlantRangePutsTheMasksAtTheHorizon) {
  NetworkOptions o;
  const NetworkOptions before = o;
  limit_ground_links_by_range(o, 0.0);  // none
  EXPECT_EQ(o.gsl_max_range_km, before.gsl_max_range_km);
  EXPECT_EQ(o.user_min_elevation_rad, before.user_min_elevation_rad);
  limit_ground_links_by_range(o, 1089.5);
  EXPECT_EQ(o.gsl_max_range_km, 1089.5);
  EXPECT_EQ(o.user_min_elevation_rad, 0.0);
  EXPECT_EQ(o.gateway_min_elevation_rad, 0.0);
  EXPECT_THROW(limit_ground_links_by_range(o, -1.0), std::invalid_argument);
  EXPECT_THROW(limit_ground_links_by_range(o, std::nan("")), std::invalid_argument);
}

}  // namespace skyfence::network::links_test
