// Planes and slots: Walker layouts taken as generated, inference from elements recovering them, the
// plus-grid links, and real catalogs.
#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>
#include <vector>

#include "skyfence/network/planes.h"
#include "skyfence/orbits/catalog_select.h"
#include "skyfence/orbits/presets.h"
#include "skyfence/orbits/walker.h"
#include "skyfence/time/scales.h"

namespace skyfence::network {
namespace {

orbits::WalkerShell walker_shell1() {
  const auto lib = orbits::load_presets(orbits::presets_path(SKYFENCE_DATA_DIR));
  return *lib.find("starlink_gen1").shells[0].layout;
}

const time::Instant kEpoch = time::parse_iso8601("2026-05-01T00:00:00Z");

std::map<std::uint32_t, int> degree(const std::vector<SatellitePair>& links) {
  std::map<std::uint32_t, int> d;
  for (const auto& l : links) {
    ++d[l.a];
    ++d[l.b];
  }
  return d;
}

TEST(NetworkPlanes, WalkerPlusGridHasFourLinksEach) {
  const orbits::WalkerShell shell = walker_shell1();
  ASSERT_EQ(shell.planes, 72);
  ASSERT_EQ(shell.sats_per_plane, 22);
  const auto gen = orbits::generate_walker(std::span(&shell, 1), kEpoch);
  const PlaneAssignment a = planes_from_walker(gen.slots, std::span(&shell, 1));
  ASSERT_EQ(a.shells.size(), 1u);
  EXPECT_TRUE(a.shells[0].wraps);
  const auto links = plus_grid_links(a);
  EXPECT_EQ(links.size(), 2u * 72 * 22);  // 4 per satellite, each counted twice
  for (const auto& [sat, d] : degree(links)) EXPECT_EQ(d, 4) << sat;
  // Slot k of plane j faces slot k of plane j+1, and slot k+1 of its own plane.
  const auto index = [&](int plane, int slot) { return static_cast<std::uint32_t>(plane * 22 + slot); };
  const std::set<SatellitePair> set(links.begin(), links.end());
  EXPECT_TRUE(set.count({index(3, 5), index(4, 5)}));
  EXPECT_TRUE(set.count({index(3, 5), index(3, 6)}));
  // Delta: the last plane wraps to the first, slot k to slot k + F (F = 36: 14 mod 22).
  EXPECT_TRUE(set.count({index(0, (7 + 36) % 22), index(71, 7)}));
  EXPECT_FALSE(set.count({index(0, 7), index(71, 7)}));
  EXPECT_TRUE(set.count({index(3, 0), index(3, 21)}));  // planes close on themselves
}

TEST(NetworkPlanes, StarHasASeam) {
  orbits::WalkerShell star{.altitude_km = 780,
                           .inclination_deg = 86.4,
                           .planes = 6,
                           .sats_per_plane = 11,
                           .phasing = 3,
                           .pattern = orbits::WalkerPattern::star,
                           .raan_step_deg = 31.6};
  const auto gen = orbits::generate_walker(std::span(&star, 1), kEpoch);
  const PlaneAssignment a = planes_from_walker(gen.slots, std::span(&star, 1));
  EXPECT_FALSE(a.shells[0].wraps);
  const auto links = plus_grid_links(a);
  // 66 in-plane links + 5 plane pairs x 11.
  EXPECT_EQ(links.size(), 66u + 55u);
  // Inference sees the seam too.
  const PlaneAssignment inferred = infer_planes(gen.sets);
  ASSERT_EQ(inferred.shells.size(), 1u);
  EXPECT_EQ(inferred.shells[0].planes, 6);
  EXPECT_FALSE(inferred.shells[0].wraps);
}

TEST(NetworkPlanes, InferenceRecoversWalkerPlanes) {
  const auto lib = orbits::load_presets(orbits::presets_path(SKYFENCE_DATA_DIR));
  const auto gen = orbits::generate(lib.find("starlink_gen1"), kEpoch);
  const PlaneAssignment a = infer_planes(gen.sets);
  // Gen1 shells 1 and 2 (550 km 53.0 deg, 540 km 53.2 deg), 3 (570 km 70 deg), 4a and 4b (560 km
  // 97.6 deg: one shell of 10 planes by elements).
  ASSERT_EQ(a.shells.size(), 4u);
  EXPECT_TRUE(a.unassigned.empty());
  // Same partition into planes: satellites share an inferred plane exactly when they share a Walker one.
  std::map<std::pair<int, int>, std::set<std::pair<int, int>>> walker_to_inferred;
  for (std::size_t i = 0; i < gen.sets.size(); ++i) {
    const auto& w = gen.slots[i];
    walker_to_inferred[{w.shell, w.plane}].insert({a.of[i].shell, a.of[i].plane});
  }
  std::set<std::pair<int, int>> seen;
  for (const auto& [wp, inferred] : walker_to_inferred) {
    ASSERT_EQ(inferred.size(), 1u) << "walker shell " << wp.first << " plane " << wp.second;
    // Shells 4a (6 planes, 60 deg apart) and 4b (4 planes, 90 deg apart) share the planes at RAAN 0
    // and 180 deg: one orbital plane each, which elements cannot (and need not) tell apart.
    if (wp.first < 3) {
      EXPECT_TRUE(seen.insert(*inferred.begin()).second);
    }
  }
  for (const auto& sh : a.shells) {
    if (sh.planes == 72) {
      EXPECT_EQ(sh.min_per_plane, 22);
      EXPECT_EQ(sh.max_per_plane, 22);
      EXPECT_TRUE(sh.wraps);
    }
  }
  const auto links = plus_grid_links(a);
  for (const auto& [sat, d] : degree(links)) EXPECT_LE(d, 4) << sat;
}

TEST(NetworkPlanes, RealCatalogMostlyAssignedAndListed) {
  const auto cat = orbits::load_catalog_file(std::string(SKYFENCE_DATA_DIR) + "/tle/starlink_2026-04-27.tle");
  const PlaneAssignment a = infer_planes(cat.sets);
  ASSERT_EQ(a.of.size(), cat.sets.size());
  std::size_t assigned = 0;
  for (const auto& p : a.of) assigned += p.assigned() ? 1 : 0;
  EXPECT_EQ(assigned + a.unassigned.size(), cat.sets.size());
  EXPECT_GT(assigned, cat.sets.size() * 8 / 10);
  EXPECT_FALSE(a.unassigned.empty());  // satellites raising or lowering their orbits fit no plane
  // Planes are tight: one inferred plane's satellites lie within a few degrees of inclination.
  const auto links = plus_grid_links(a);
  for (const auto& [sat, d] : degree(links)) EXPECT_LE(d, 4) << sat;
  for (auto u : a.unassigned) EXPECT_FALSE(a.of[u].assigned());
}

TEST(NetworkPlanes, SmallGroupsFitNoPlane) {
  const auto lib = orbits::load_presets(orbits::presets_path(SKYFENCE_DATA_DIR));
  auto gen = orbits::generate(lib.find("iridium_next"), kEpoch);
  // A lone satellite far from every plane.
  orbits::ElementSet stray = gen.sets[0];
  stray.raan_deg += 7.0;
  stray.norad_id = 1;
  gen.sets.push_back(stray);
  const PlaneAssignment a = infer_planes(gen.sets);
  ASSERT_EQ(a.unassigned.size(), 1u);
  EXPECT_EQ(a.unassigned[0], gen.sets.size() - 1);
  EXPECT_EQ(a.shells.at(0).planes, 6);
}

}  // namespace
}  // namespace skyfence::network
