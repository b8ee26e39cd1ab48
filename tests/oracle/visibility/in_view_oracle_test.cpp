// Oracle test of the spatially indexed in-view sets against testing every pair: random sites (poles,
// antimeridian, -11 to 100 km), the bundled Starlink snapshot and random orbits, minimum elevations
// from -30 to 80 deg, several grid cell sizes and thread counts. The sets must be equal bit for bit
// (same satellites, look angles and order). The seed is printed; SKYFENCE_TEST_SEED replays one.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <memory>
#include <numbers>
#include <random>
#include <vector>

#include "skyfence/core/units.h"
#include "skyfence/visibility/fleet.h"
#include "skyfence/visibility/in_view.h"
#include "skyfence/visibility/site_grid.h"
#include "test_support.h"

namespace skyfence::visibility {
namespace {

using testing::bundled;
using testing::random_orbits;
using testing::random_sites;
using testing::test_seed;

std::vector<bool> valid_of(const std::vector<orbits::Sgp4Error>& errors) {
  std::vector<bool> v;
  for (auto e : errors) v.push_back(e == orbits::Sgp4Error::none);
  return v;
}

void expect_equal_sets(const InViewSet& fast, const InViewSet& brute, const char* what) {
  ASSERT_EQ(fast.site_offsets, brute.site_offsets) << what;
  ASSERT_EQ(fast.entries.size(), brute.entries.size()) << what;
  for (std::size_t i = 0; i < fast.entries.size(); ++i) {
    ASSERT_EQ(fast.entries[i], brute.entries[i]) << what << " entry " << i;
  }
  EXPECT_EQ(fast.failed, brute.failed) << what;
}

// Runs fast and brute force on one case and compares; returns the number of pairs in view.
std::size_t check_case(const SiteIndex& index, const std::vector<frames::StateVector>& states,
                       const std::vector<orbits::Sgp4Error>& errors, double min_el_deg, unsigned threads) {
  const std::vector<bool> vv = valid_of(errors);
  std::unique_ptr<bool[]> valid(new bool[vv.size()]);
  for (std::size_t i = 0; i < vv.size(); ++i) valid[i] = vv[i];
  const std::span<const bool> vspan(valid.get(), vv.size());
  InViewOptions o;
  o.min_elevation_rad = min_el_deg * kRadPerDeg;
  InViewSet fast, brute;
  in_view(index, states, vspan, o, fast, {.threads = threads});
  in_view_brute_force(index, states, vspan, o, brute);
  expect_equal_sets(fast, brute, "fast vs brute force");
  return brute.entries.size();
}

TEST(VisibilityInViewOracle, RealStarlinkRandomSites) {
  std::mt19937_64 rng(test_seed("in_view_oracle real"));
  std::vector<orbits::ElementSet> sets = bundled("starlink_2026-04-27.tle");
  sets.resize(2000);
  const Fleet fleet(sets);
  std::size_t total = 0;
  for (int round = 0; round < (skyfence_test::kSanitized ? 1 : 3); ++round) {
    const auto sites = random_sites(rng, 250);
    const time::Instant t = time::parse_iso8601("2026-04-27T00:00:00Z") +
                            time::Duration::seconds(testing::uniform(rng, 0, 3 * 86400.0));
    std::vector<frames::StateVector> states;
    std::vector<orbits::Sgp4Error> errors;
    fleet.itrf_states(t, states, errors, {});
    const std::vector<bool> vv = valid_of(errors);
    std::unique_ptr<bool[]> valid(new bool[vv.size()]);
    for (std::size_t i = 0; i < vv.size(); ++i) valid[i] = vv[i];
    const std::span<const bool> vspan(valid.get(), vv.size());
    const SiteIndex reference(sites);
    for (double el : {-30.0, -5.0, 0.0, 10.0, 25.0, 40.0, 80.0}) {
      InViewOptions o;
      o.min_elevation_rad = el * kRadPerDeg;
      InViewSet brute;
      in_view_brute_force(reference, states, vspan, o, brute);
      total += brute.entries.size();
      for (double cell : {0.0, 0.7, 4.0, 45.0}) {
        InViewSet fast;
        in_view(SiteIndex(sites, cell), states, vspan, o, fast);
        expect_equal_sets(fast, brute, "fast vs brute force");
      }
    }
  }
  EXPECT_GT(total, 1000U);  // the cases are not vacuous
}

TEST(VisibilityInViewOracle, RandomOrbitsRandomSites) {
  std::mt19937_64 rng(test_seed("in_view_oracle random"));
  const time::Instant t0 = time::parse_iso8601("2026-04-27T12:00:00Z");
  std::size_t total = 0;
  for (int round = 0; round < 5; ++round) {
    const auto sets = random_orbits(rng, 600, t0);
    const Fleet fleet(sets);
    const auto sites = random_sites(rng, 200);
    std::vector<frames::StateVector> states;
    std::vector<orbits::Sgp4Error> errors;
    fleet.itrf_states(t0 + time::Duration::seconds(testing::uniform(rng, -86400.0, 86400.0)), states, errors,
                      {.threads = 1u});
    const SiteIndex index(sites, round == 0 ? 0.0 : testing::uniform(rng, 0.3, 20.0));
    for (double el : {-30.0, -1.0, 0.0, 5.0, 25.0, 60.0}) total += check_case(index, states, errors, el, 1);
  }
  EXPECT_GT(total, 1000U);
}

// sightings() over a SiteGrid: in_view's pairs (over a SiteIndex) and elevations bit for bit, in the same
// order, with and without a validity mask, on real and random orbits at several minimum elevations and
// cell sizes (the decision taken mostly without the elevation must be in_view's), sin(elevation)
// within 1e-14, and each satellite's first site.
TEST(VisibilityInViewOracle, SightingsAreInViewsPairsAndElevations) {
  std::mt19937_64 rng(test_seed("in_view_oracle sightings"));
  std::vector<orbits::ElementSet> sets = bundled("starlink_2026-04-27.tle");
  sets.resize(1500);
  const time::Instant t0 = time::parse_iso8601("2026-04-27T00:00:00Z");
  std::size_t total = 0;
  for (int round = 0; round < 4; ++round) {
    const auto fleet_sets = round % 2 == 0 ? sets : random_orbits(rng, 500, t0);
    const Fleet fleet(fleet_sets);
    std::vector<frames::StateVector> states;
    std::vector<orbits::Sgp4Error> errors;
    fleet.itrf_states(t0 + time::Duration::seconds(testing::uniform(rng, 0, 86400.0)), states, errors,
                      {.threads = 1u});
    const std::vector<bool> vv = valid_of(errors);
    std::unique_ptr<bool[]> valid(new bool[vv.size()]);
    for (std::size_t k = 0; k < vv.size(); ++k)
      valid[k] = vv[k] && (k % 7 != 3);  // some left out by the mask
    const std::span<const bool> vspan(valid.get(), vv.size());
    const auto sites = random_sites(rng, 300);
    const double cell = round == 0 ? 0.0 : testing::uniform(rng, 0.5, 10.0);
    const SiteIndex index(sites, cell);
    const SiteGrid grid(sites, cell);
    SightingBuffers buffers;
    for (double el : {-10.0, 0.0, 25.0, 55.0}) {
      InViewOptions o;
      o.min_elevation_rad = el * kRadPerDeg;
      for (const bool masked : {false, true}) {
        const std::span<const bool> v = masked ? vspan : std::span<const bool>();
        InViewSet reference;
        in_view(index, states, v, o, reference);
        Sightings got;
        sightings(grid, states, v, o.min_elevation_rad, buffers, got);
        ASSERT_EQ(got.site_offsets, reference.site_offsets) << "round " << round << " el " << el;
        for (std::size_t site = 0; site < index.size(); ++site) {
          for (std::size_t k = got.site_offsets[site]; k < got.site_offsets[site + 1]; ++k) {
            ASSERT_EQ(got.entries[k].satellite, reference.entries[k].satellite) << k;
            // The geometry computed again from the site and the state, as the capacity engine does.
            const frames::Vec3 enu = grid.site(site).enu(states[got.entries[k].satellite].r_km);
            ASSERT_EQ(elevation_of(enu), reference.entries[k].look.elevation_rad) << k;
            ASSERT_NEAR(sin_elevation_of(enu), std::sin(reference.entries[k].look.elevation_rad), 1e-14) << k;
          }
        }
        // Each satellite's first site: the lowest site whose in_view pairs hold it.
        std::vector<std::uint32_t> first(states.size(), Sightings::kNoSite);
        for (std::size_t site = index.size(); site-- > 0;) {
          for (std::size_t k = reference.site_offsets[site]; k < reference.site_offsets[site + 1]; ++k)
            first[reference.entries[k].satellite] = static_cast<std::uint32_t>(site);
        }
        ASSERT_EQ(got.first_site, first) << "round " << round << " el " << el;
        total += got.entries.size();
      }
    }
  }
  EXPECT_GT(total, 1000U);
}

// summarize_sightings(): each site's reductions equal those of its sightings() entries, found here by
// walking them: the count and first kListed of the satellites with a slot, the three highest keys of
// each slot (a multiset), the satellites of the keys above the third, each satellite's first site.
// Random slots (some satellites without one) over one to three slots, twin satellites (equal keys at
// every site), masks, sites that see many satellites and some that see none.
TEST(VisibilityInViewOracle, SummaryIsTheReductionOfSightings) {
  std::mt19937_64 rng(test_seed("in_view_oracle summary"));
  std::vector<orbits::ElementSet> sets = bundled("starlink_2026-04-27.tle");
  sets.resize(2000);
  const time::Instant t0 = time::parse_iso8601("2026-04-27T00:00:00Z");
  constexpr std::size_t kListed = SightingSummary::kListed;
  constexpr float kNone = -std::numeric_limits<float>::infinity();
  std::size_t total = 0, ties = 0, crowded = 0;
  for (int round = 0; round < 4; ++round) {
    const Fleet fleet(round % 2 == 0 ? sets : random_orbits(rng, 700, t0));
    std::vector<frames::StateVector> states;
    std::vector<orbits::Sgp4Error> errors;
    fleet.itrf_states(t0 + time::Duration::seconds(testing::uniform(rng, 0, 86400.0)), states, errors,
                      {.threads = 1u});
    // Twins: copies of some satellites, at the end and in the middle of the order.
    for (std::size_t k = 0; k < 60; ++k) states.push_back(states[(k * 13) % 500]);
    states.insert(states.begin() + 700, states.begin() + 100, states.begin() + 130);
    const std::size_t slots = 1 + static_cast<std::size_t>(round % 3);
    std::vector<std::uint32_t> slot(states.size());
    for (std::uint32_t& q : slot) {
      q = rng() % 6 == 0 ? SightingSummary::kNoSlot : static_cast<std::uint32_t>(rng() % slots);
    }
    std::unique_ptr<bool[]> valid(new bool[states.size()]);
    for (std::size_t k = 0; k < states.size(); ++k)
      valid[k] = (k >= errors.size() || errors[k] == orbits::Sgp4Error::none) && k % 9 != 4;
    const auto sites = random_sites(rng, 400);
    const SiteGrid grid(sites, round == 0 ? 0.0 : testing::uniform(rng, 0.5, 10.0));
    SightingBuffers buffers;
    for (const double el : {0.0, 25.0, 50.0}) {
      for (const bool masked : {false, true}) {
        const std::span<const bool> v =
            masked ? std::span<const bool>(valid.get(), states.size()) : std::span<const bool>();
        Sightings all;
        sightings(grid, states, v, el * kRadPerDeg, buffers, all);
        SightingSummary got;
        summarize_sightings(grid, states, v, el * kRadPerDeg, slot, slots, buffers, got);
        ASSERT_EQ(got.first_site, all.first_site) << round << " " << el;
        ASSERT_EQ(got.slots, slots);
        for (std::size_t site = 0; site < grid.size(); ++site) {
          std::vector<Sighting> with_slot;
          std::vector<std::vector<Sighting>> by_slot(slots);
          for (const Sighting& e : all.of_site(site)) {
            if (slot[e.satellite] == SightingSummary::kNoSlot) continue;
            with_slot.push_back(e);
            by_slot[slot[e.satellite]].push_back(e);
          }
          ASSERT_EQ(got.count[site], std::min(with_slot.size(), kListed + 1)) << site;
          ASSERT_EQ(got.complete(site), with_slot.size() <= kListed);
          crowded += got.complete(site) ? 0 : 1;
          const std::span<const Sighting> listed = got.listed_of(site);
          ASSERT_EQ(listed.size(), std::min(with_slot.size(), kListed));
          for (std::size_t j = 0; j < listed.size(); ++j)
            ASSERT_EQ(listed[j], with_slot[j]) << site << " " << j;
          for (std::size_t q = 0; q < slots; ++q) {
            std::vector<Sighting>& mine = by_slot[q];
            std::stable_sort(mine.begin(), mine.end(), [](const Sighting& a, const Sighting& b) {
              return a.elevation_key > b.elevation_key;
            });
            const SightingSummary::Top& t = got.top[site * slots + q];
            for (std::size_t m = 0; m < 3; ++m)
              ASSERT_EQ(t.key[m], m < mine.size() ? mine[m].elevation_key : kNone) << site << " " << q;
            // The sightings above the third key are exactly the ones named (any order among equals).
            std::vector<std::uint32_t> above, named;
            for (const Sighting& e : mine) {
              if (e.elevation_key > t.key[2]) above.push_back(e.satellite);
            }
            for (std::size_t m = 0; m < 2; ++m) {
              if (t.key[m] > t.key[2]) named.push_back(t.satellite[m]);
            }
            std::sort(above.begin(), above.end());
            std::sort(named.begin(), named.end());
            ASSERT_EQ(named, above) << site << " " << q;
            ties += mine.size() >= 2 && mine[0].elevation_key == mine[1].elevation_key ? 1 : 0;
          }
          total += with_slot.size();
        }
      }
    }
  }
  EXPECT_GT(total, 10000U);
  EXPECT_GT(ties, 10U) << "twins must make equal highest keys";
  EXPECT_GT(crowded, 100U) << "sites must see more satellites than are listed";
}

// sightings() (and sees()) decide most pairs from sin(elevation) and settle a difference within the
// margin with the elevation itself: satellites placed at the minimum elevation, a few ulps to 1e-10 rad
// either side, get in_view's decisions.
TEST(VisibilityInViewOracle, SightingsDecideAtTheMinimumElevationAsInView) {
  std::mt19937_64 rng(test_seed("in_view_oracle sightings limit"));
  const std::vector<frames::Geodetic> sites = random_sites(rng, 40);
  const SiteIndex index(sites);
  const SiteGrid grid(sites);
  std::size_t in_band = 0;
  for (const double min_deg : {-10.0, 0.0, 25.0, 61.5}) {
    const double m = min_deg * kRadPerDeg;
    std::vector<frames::StateVector> states;
    for (const frames::Geodetic& g : sites) {
      const frames::Vec3 up{std::cos(g.lat_rad) * std::cos(g.lon_rad),
                            std::cos(g.lat_rad) * std::sin(g.lon_rad), std::sin(g.lat_rad)};
      const frames::Vec3 east{-std::sin(g.lon_rad), std::cos(g.lon_rad), 0.0};
      const frames::Vec3 north{-std::sin(g.lat_rad) * std::cos(g.lon_rad),
                               -std::sin(g.lat_rad) * std::sin(g.lon_rad), std::cos(g.lat_rad)};
      const frames::Vec3 site = frames::Topocentric(g).site_itrf_km();
      for (const double offset : {-1e-10, -1e-13, -1e-15, 0.0, 1e-15, 1e-13, 1e-10}) {
        const double el = m + offset, az = testing::uniform(rng, 0.0, 2.0 * std::numbers::pi);
        const frames::Vec3 dir =
            (north * std::cos(az) + east * std::sin(az)) * std::cos(el) + up * std::sin(el);
        frames::StateVector sv;
        sv.r_km = site + dir * 800.0;
        states.push_back(sv);
        const double got = frames::Topocentric(g).look(sv).elevation_rad;
        if (std::abs(std::sin(got) - std::sin(m)) < 1e-12) ++in_band;
        // sees(): the same decision, with the atan2 only in the band.
        ASSERT_EQ(sees(frames::Topocentric(g).enu(sv.r_km), m, std::sin(m)), got >= m)
            << min_deg << " " << offset;
      }
    }
    InViewOptions o;
    o.min_elevation_rad = m;
    InViewSet reference;
    in_view(index, states, {}, o, reference);
    Sightings got;
    SightingBuffers buffers;
    sightings(grid, states, {}, m, buffers, got);
    ASSERT_EQ(got.site_offsets, reference.site_offsets) << min_deg;
    for (std::size_t site = 0; site < index.size(); ++site) {
      for (std::size_t k = got.site_offsets[site]; k < got.site_offsets[site + 1]; ++k) {
        ASSERT_EQ(got.entries[k].satellite, reference.entries[k].satellite) << min_deg << " " << k;
        const frames::Vec3 enu = grid.site(site).enu(states[got.entries[k].satellite].r_km);
        ASSERT_EQ(elevation_of(enu), reference.entries[k].look.elevation_rad) << k;
      }
    }
  }
  EXPECT_GT(in_band, 300U);  // most placements fall where the elevation itself decides
}

TEST(VisibilityInViewOracle, HandMadeStatesNearTheLimits) {
  // Satellites placed at exactly the search radius and just inside the highest site's radius, states
  // that are NaN or marked invalid, and a single site at each pole.
  std::mt19937_64 rng(test_seed("in_view_oracle limits"));
  std::vector<frames::Geodetic> sites = random_sites(rng, 200);
  sites.push_back(frames::Geodetic::degrees(90, 0, 0));
  sites.push_back(frames::Geodetic::degrees(-90, 0, 0));
  const SiteIndex index(sites);
  std::vector<frames::StateVector> states;
  for (int i = 0; i < 2000; ++i) {
    const double r =
        i % 7 == 0 ? testing::uniform(rng, 6340.0, 6480.0) : testing::uniform(rng, 6500.0, 45000.0);
    const double z = testing::uniform(rng, -1.0, 1.0),
                 phi = testing::uniform(rng, -std::numbers::pi, std::numbers::pi);
    const double c = std::sqrt(1 - z * z);
    frames::StateVector sv{
        {r * c * std::cos(phi), r * c * std::sin(phi), r * z},
        {testing::uniform(rng, -8, 8), testing::uniform(rng, -8, 8), testing::uniform(rng, -8, 8)}};
    if (i % 101 == 0) sv.r_km.x = std::nan("");
    states.push_back(sv);
  }
  std::vector<orbits::Sgp4Error> errors(states.size(), orbits::Sgp4Error::none);
  errors[5] = orbits::Sgp4Error::decayed;
  for (double el : {-45.0, 0.0, 25.0, 89.0}) check_case(index, states, errors, el, 2);
}

TEST(VisibilityInViewOracle, IdenticalForAnyThreadCount) {
  std::vector<orbits::ElementSet> sets = bundled("starlink_2026-04-27.tle");
  const Fleet fleet(sets);
  std::mt19937_64 rng(test_seed("in_view_oracle threads"));
  const SiteIndex index(random_sites(rng, 2000));
  std::vector<frames::StateVector> states;
  std::vector<orbits::Sgp4Error> errors;
  fleet.itrf_states(time::parse_iso8601("2026-04-28T03:00:00Z"), states, errors, {});
  InViewSet one, two, three;
  InViewOptions o;
  in_view(index, states, {}, o, one, {.threads = 1});
  in_view(index, states, {}, o, two, {.threads = 2});
  in_view(index, states, {}, o, three, {.threads = 3});
  EXPECT_TRUE(one == two);
  EXPECT_TRUE(one == three);
  EXPECT_GT(one.entries.size(), 100U);
}

TEST(VisibilityInViewSeries, StepsInOrderWithFailures) {
  auto sets = bundled("iridium-next_2026-04-27.tle");
  sets[3].eccentricity = 2.0;  // fails at init: listed as failed at every step
  const Fleet fleet(sets);
  const std::vector<frames::Geodetic> sites{frames::Geodetic::degrees(78.2, 15.6, 0.0),
                                            frames::Geodetic::degrees(-0.2, -78.5, 2.8)};
  const SiteIndex index(sites);
  std::vector<time::Instant> times;
  for (int k = 0; k < 5; ++k)
    times.push_back(time::parse_iso8601("2026-04-27T12:00:00Z") + time::Duration::seconds(600.0 * k));
  std::size_t expected = 0;
  InViewOptions o;
  o.min_elevation_rad = 10 * kRadPerDeg;
  in_view_series(fleet, index, times, o, [&](std::size_t step, const InViewSet& set) {
    EXPECT_EQ(step, expected++);
    EXPECT_EQ(set.failed, std::vector<std::uint32_t>{3});
    std::vector<frames::StateVector> states;
    std::vector<orbits::Sgp4Error> errors;
    fleet.itrf_states(times[step], states, errors, {.threads = 1u});
    check_case(index, states, errors, 10.0, 1);
    InViewSet brute;
    in_view_brute_force(index, states, {}, o, brute);
    EXPECT_EQ(set.entries, brute.entries);
  });
  EXPECT_EQ(expected, times.size());
}

}  // namespace
}  // namespace skyfence::visibility
