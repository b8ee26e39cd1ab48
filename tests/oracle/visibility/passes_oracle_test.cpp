// Oracle test of find_passes against a brute-force scan of the elevation every second (scalar SGP4 and
// frames::Topocentric::look): real Starlink, OneWeb and Iridium element sets and random orbits, sites with
// the poles, the antimeridian and high altitudes, minimum elevations from -10 to 80 deg, windows starting
// at random times (so passes are cut by the window's edges). Every pass of the scan must be found with its
// AOS and LOS within the scan's 1 s resolution, the same edge flags and a maximum elevation at least the
// scan's; every pass found must be seen by the scan unless it lasts less than 1 s. The roots themselves
// are checked to 2 ms: the elevation at AOS/LOS equals the minimum within |rate| * 2 ms.
// Terminals moving along tracks are checked the same way, the scan looking from where each is every
// second. The seed is printed; SKYFENCE_TEST_SEED replays one.
#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <numbers>
#include <random>
#include <string>
#include <vector>

#include "skyfence/core/units.h"
#include "skyfence/earth/trajectory.h"
#include "skyfence/time/scales.h"
#include "skyfence/visibility/fleet.h"
#include "skyfence/visibility/passes.h"
#include "test_support.h"

namespace skyfence::visibility {
namespace {

using testing::bundled;
using testing::random_orbits;
using testing::random_sites;
using testing::test_seed;
using time::Duration;
using time::Instant;

struct ScanPass {
  std::int64_t first = 0, last = 0;  // seconds after start of the first and last samples in view
  double max_el = -10.0;
  bool aos_clipped = false, los_clipped = false;
};

// Where site k is at t (its topocentric frame).
using SiteAt = std::function<frames::Topocentric(std::size_t k, Instant t)>;

// Elevation every second over [start, start + seconds]; runs at or above min_el.
std::vector<ScanPass> brute_force(const Fleet& fleet, std::size_t sat, const SiteAt& site, std::size_t k_site,
                                  Instant start, std::int64_t seconds, double min_el) {
  std::vector<ScanPass> out;
  bool open = false;
  for (std::int64_t k = 0; k <= seconds; ++k) {
    const Instant t = start + Duration::seconds(static_cast<double>(k));
    const SatelliteLook l = look_angles(fleet, sat, site(k_site, t), t);
    EXPECT_TRUE(l.ok());
    const bool in = l.angles.elevation_rad >= min_el;
    if (in && !open) {
      out.push_back(ScanPass{k, k, l.angles.elevation_rad, k == 0, false});
      open = true;
    } else if (in) {
      out.back().last = k;
      out.back().max_el = std::max(out.back().max_el, l.angles.elevation_rad);
    } else {
      open = false;
    }
  }
  if (open) out.back().los_clipped = true;
  return out;
}

double seconds_after(Instant t, Instant start) {
  return (t - start).to_seconds();
}

// Compares passes found over n_sites sites (site_at says where each is) with the brute-force scan for
// every satellite and site; returns passes compared.
std::size_t compare_found(const Fleet& fleet, const PassList& found, std::size_t n_sites,
                          const SiteAt& site_at, Instant start, std::int64_t seconds, double min_el_deg) {
  PassOptions o;
  o.min_elevation_rad = min_el_deg * kRadPerDeg;
  EXPECT_TRUE(found.failures.empty());
  std::size_t compared = 0;
  std::vector<bool> matched(found.passes.size(), false);
  for (std::size_t k = 0; k < n_sites; ++k) {
    for (std::size_t s = 0; s < fleet.size(); ++s) {
      const std::string what = "sat " + std::to_string(fleet.norad_id(s)) + " site " + std::to_string(k) +
                               " min el " + std::to_string(min_el_deg);
      for (const ScanPass& b : brute_force(fleet, s, site_at, k, start, seconds, o.min_elevation_rad)) {
        // The found pass overlapping this run.
        std::size_t hit = found.passes.size();
        for (std::size_t i = 0; i < found.passes.size(); ++i) {
          const Pass& p = found.passes[i];
          if (p.satellite != s || p.site != k) continue;
          if (seconds_after(p.los, start) >= static_cast<double>(b.first) - 1e-3 &&
              seconds_after(p.aos, start) <= static_cast<double>(b.last) + 1e-3) {
            hit = i;
            break;
          }
        }
        if (hit == found.passes.size()) {
          ADD_FAILURE() << what << ": scan pass at +" << b.first << " s (max " << b.max_el / kRadPerDeg
                        << " deg) not found";
          continue;
        }
        EXPECT_FALSE(matched[hit]) << what << ": two scan passes match one pass";
        matched[hit] = true;
        ++compared;
        const Pass& p = found.passes[hit];
        const double aos = seconds_after(p.aos, start), los = seconds_after(p.los, start);
        EXPECT_EQ(p.aos_clipped, b.aos_clipped) << what;
        EXPECT_EQ(p.los_clipped, b.los_clipped) << what;
        EXPECT_LE(aos, static_cast<double>(b.first) + 1e-3) << what;
        EXPECT_GE(aos, static_cast<double>(b.first) - (b.aos_clipped ? 1e-3 : 1.0 + 1e-3)) << what;
        EXPECT_GE(los, static_cast<double>(b.last) - 1e-3) << what;
        EXPECT_LE(los, static_cast<double>(b.last) + (b.los_clipped ? 1e-3 : 1.0 + 1e-3)) << what;
        EXPECT_GE(p.max_elevation_rad, b.max_el - 1e-9) << what;
        EXPECT_LE(seconds_after(p.tca, start), los + 1e-6) << what;
        EXPECT_GE(seconds_after(p.tca, start), aos - 1e-6) << what;
      }
    }
  }
  for (std::size_t i = 0; i < found.passes.size(); ++i) {
    const Pass& p = found.passes[i];
    const auto look = [&](Instant t) { return look_angles(fleet, p.satellite, site_at(p.site, t), t); };
    const SatelliteLook at_tca = look(p.tca);
    EXPECT_GE(at_tca.angles.elevation_rad, o.min_elevation_rad - 1e-12);
    EXPECT_EQ(at_tca.angles.elevation_rad, p.max_elevation_rad);
    if (!matched[i]) {
      // Missed by the 1 s scan: must be shorter than its resolution.
      EXPECT_LT(p.duration().to_seconds(), 1.0)
          << "pass of " << fleet.norad_id(p.satellite) << " not in the scan";
    }
    // Root accuracy: the elevation at an unclipped AOS/LOS is the minimum within |rate| * 2 ms (the
    // rate as the site sees it, moving or not: a central difference over 2 ms).
    for (const auto& [t, clipped] : {std::pair{p.aos, p.aos_clipped}, std::pair{p.los, p.los_clipped}}) {
      if (clipped) continue;
      const double rate = (look(t + Duration::seconds(1e-3)).angles.elevation_rad -
                           look(t - Duration::seconds(1e-3)).angles.elevation_rad) /
                          2e-3;
      EXPECT_LE(std::abs(look(t).angles.elevation_rad - o.min_elevation_rad), std::abs(rate) * 2e-3 + 1e-9);
    }
    // TCA is a maximum: nothing higher 0.5 s either side (unless clipped there).
    for (double dt : {-0.5, 0.5}) {
      const Instant t = p.tca + Duration::seconds(dt);
      if (t < p.aos || t > p.los) continue;
      EXPECT_LE(look(t).angles.elevation_rad, p.max_elevation_rad + 1e-12);
    }
  }
  return compared;
}

// find_passes over sites at rest against the scan.
std::size_t compare(const std::vector<orbits::ElementSet>& sets, const std::vector<frames::Geodetic>& sites,
                    Instant start, std::int64_t seconds, double min_el_deg) {
  const Fleet fleet(sets);
  PassOptions o;
  o.min_elevation_rad = min_el_deg * kRadPerDeg;
  const Instant stop = start + Duration::seconds(static_cast<double>(seconds));
  const PassList found = find_passes(fleet, sites, start, stop, o);
  std::vector<frames::Topocentric> topo;
  for (const auto& g : sites) topo.emplace_back(g);
  return compare_found(
      fleet, found, sites.size(), [&](std::size_t k, Instant) { return topo[k]; }, start, seconds,
      min_el_deg);
}

// A track through `n` random places at random speeds up to 900 km/h (a sharp turn at each), starting
// `lead` seconds after start; one sample: a terminal at rest.
earth::Track random_track(std::mt19937_64& rng, const std::string& id, Instant start, std::size_t n,
                          double lead) {
  earth::Track t;
  t.id = t.name = id;
  frames::Geodetic at = frames::Geodetic::degrees(
      testing::uniform(rng, -70, 70), testing::uniform(rng, -180, 180), testing::uniform(rng, 0, 0.5));
  Instant when = start + Duration::seconds(lead);
  for (std::size_t i = 0; i < n; ++i) {
    t.samples.push_back({when, at});
    const double hours = testing::uniform(rng, 0.2, 1.0), km = hours * testing::uniform(rng, 50, 900);
    const double bearing = testing::uniform(rng, 0, 2 * std::numbers::pi), d = km / earth::kMeanEarthRadiusKm;
    const double lat = std::asin(std::sin(at.lat_rad) * std::cos(d) +
                                 std::cos(at.lat_rad) * std::sin(d) * std::cos(bearing));
    const double lon = at.lon_rad + std::atan2(std::sin(bearing) * std::sin(d) * std::cos(at.lat_rad),
                                               std::cos(d) - std::sin(at.lat_rad) * std::sin(lat));
    at = frames::Geodetic{lat, std::remainder(lon, 2 * std::numbers::pi), testing::uniform(rng, 0, 0.5)};
    when += Duration::seconds(hours * 3600.0);
  }
  return t;
}

TEST(VisibilityPassesOracle, RealCatalogs) {
  std::mt19937_64 rng(test_seed("passes_oracle real"));
  std::vector<orbits::ElementSet> sets;
  const auto starlink = bundled("starlink_2026-04-27.tle");
  const auto oneweb = bundled("oneweb_2026-03-26.tle");
  const auto iridium = bundled("iridium-next_2026-04-27.tle");
  for (int i = 0; i < 6; ++i) sets.push_back(starlink[rng() % starlink.size()]);
  for (int i = 0; i < 2; ++i) sets.push_back(iridium[rng() % iridium.size()]);
  const std::vector<frames::Geodetic> sites{
      frames::Geodetic::degrees(50.45, 30.52, 0.18), frames::Geodetic::degrees(-53.0, 180.0, 0.0),
      frames::Geodetic::degrees(0.0, -78.5, 2.8), frames::Geodetic::degrees(89.99, 0.0, 0.0)};
  const Instant start =
      time::parse_iso8601("2026-04-27T00:00:00Z") + Duration::seconds(testing::uniform(rng, 0, 86400));
  std::size_t n = 0;
  for (double el : {0.0, 25.0, 60.0}) n += compare(sets, sites, start, 6 * 3600, el);
  std::vector<orbits::ElementSet> ow;
  for (int i = 0; i < 3; ++i) ow.push_back(oneweb[rng() % oneweb.size()]);
  n += compare(ow, sites, time::parse_iso8601("2026-03-26T06:00:00Z"), 8 * 3600, 10.0);
  EXPECT_GT(n, 20U);
}

TEST(VisibilityPassesOracle, RandomOrbitsAndSites) {
  std::mt19937_64 rng(test_seed("passes_oracle random"));
  const Instant t0 = time::parse_iso8601("2026-04-27T12:00:00Z");
  std::size_t n = 0;
  for (double el : {-10.0, 5.0, 25.0, 80.0}) {
    const auto sets = random_orbits(rng, 6, t0, false);
    const auto sites = random_sites(rng, 3);
    n += compare(sets, sites, t0 + Duration::seconds(testing::uniform(rng, -86400, 86400)), 5 * 3600, el);
  }
  EXPECT_GT(n, 10U);
}

// Terminals moving along tracks (segments at up to 900 km/h with sharp turns, starting before or inside
// the window and stopping inside it) against the scan from where each is every second; a terminal at rest
// among them gets exactly the passes of the same place as a site.
TEST(VisibilityPassesOracle, MovingTerminals) {
  std::mt19937_64 rng(test_seed("passes_oracle moving"));
  const auto starlink = bundled("starlink_2026-04-27.tle");
  const auto iridium = bundled("iridium-next_2026-04-27.tle");
  std::vector<orbits::ElementSet> sets;
  for (int i = 0; i < 8; ++i) sets.push_back(starlink[rng() % starlink.size()]);
  for (int i = 0; i < 2; ++i) sets.push_back(iridium[rng() % iridium.size()]);
  const Fleet fleet(sets);
  const Instant start =
      time::parse_iso8601("2026-04-27T00:00:00Z") + Duration::seconds(testing::uniform(rng, 0, 43200));
  constexpr std::int64_t kSeconds = 3 * 3600;
  const std::vector<earth::Track> tracks{random_track(rng, "A", start, 6, -1800.0),
                                         random_track(rng, "B", start, 4, 1200.0),
                                         random_track(rng, "R", start, 1, 0.0)};
  std::size_t n = 0;
  for (double el : {5.0, 25.0, 60.0}) {
    PassOptions o;
    o.min_elevation_rad = el * kRadPerDeg;
    const PassList found = find_terminal_passes(fleet, tracks, start, start + Duration::seconds(kSeconds), o);
    n += compare_found(
        fleet, found, tracks.size(),
        [&](std::size_t k, Instant t) { return frames::Topocentric(tracks[k].at(t)); }, start, kSeconds, el);
    // The terminal at rest: the passes of its place as a site, exactly.
    const std::vector<frames::Geodetic> rest{tracks[2].samples.front().location};
    const PassList as_site = find_passes(fleet, rest, start, start + Duration::seconds(kSeconds), o);
    std::vector<Pass> of_rest;
    for (Pass p : found.passes) {
      if (p.site != 2) continue;
      p.site = 0;
      of_rest.push_back(p);
    }
    ASSERT_EQ(of_rest.size(), as_site.passes.size());
    for (std::size_t i = 0; i < of_rest.size(); ++i) {
      EXPECT_EQ(of_rest[i].aos, as_site.passes[i].aos);
      EXPECT_EQ(of_rest[i].los, as_site.passes[i].los);
      EXPECT_EQ(of_rest[i].max_elevation_rad, as_site.passes[i].max_elevation_rad);
    }
  }
  EXPECT_GT(n, 12U);
}

TEST(VisibilityPasses, WindowEdgesClipPasses) {
  const auto sets = bundled("starlink_2026-04-27.tle");
  const std::vector<orbits::ElementSet> one(sets.begin(), sets.begin() + 40);
  const Fleet fleet(one);
  const std::vector<frames::Geodetic> site{frames::Geodetic::degrees(47.6, -122.3, 0.05)};
  const Instant start = time::parse_iso8601("2026-04-27T00:00:00Z");
  const PassList full = find_passes(fleet, site, start, start + Duration::hours(12));
  const Pass* first = nullptr;
  for (const Pass& q : full.passes) {
    if (!q.aos_clipped && !q.los_clipped) {
      first = &q;
      break;
    }
  }
  ASSERT_NE(first, nullptr);
  const Pass& p = *first;
  const Duration ms = Duration::nanoseconds(1'000'000);
  const auto only_sat = [&](const PassList& l) {
    std::vector<Pass> out;
    for (const Pass& q : l.passes) {
      if (q.satellite == p.satellite) out.push_back(q);
    }
    return out;
  };
  // Window starting at TCA: the pass is under way.
  auto a = only_sat(find_passes(fleet, site, p.tca, p.los + Duration::seconds(10)));
  ASSERT_EQ(a.size(), 1U);
  EXPECT_TRUE(a[0].aos_clipped);
  EXPECT_FALSE(a[0].los_clipped);
  EXPECT_EQ(a[0].aos, p.tca);
  EXPECT_LT(std::abs((a[0].los - p.los).to_seconds()), 2e-3);
  // Window ending at TCA.
  auto b = only_sat(find_passes(fleet, site, p.aos - Duration::seconds(10), p.tca));
  ASSERT_EQ(b.size(), 1U);
  EXPECT_FALSE(b[0].aos_clipped);
  EXPECT_TRUE(b[0].los_clipped);
  EXPECT_EQ(b[0].los, p.tca);
  EXPECT_EQ(b[0].tca, p.tca);
  EXPECT_LT(std::abs((b[0].aos - p.aos).to_seconds()), 2e-3);
  // Window inside the pass, and a window of one instant.
  auto c = only_sat(find_passes(fleet, site, p.aos + ms * 500, p.los - ms * 500));
  ASSERT_EQ(c.size(), 1U);
  EXPECT_TRUE(c[0].aos_clipped && c[0].los_clipped);
  EXPECT_NEAR(c[0].max_elevation_rad, p.max_elevation_rad, 1e-9);
  auto d = only_sat(find_passes(fleet, site, p.tca, p.tca));
  ASSERT_EQ(d.size(), 1U);
  EXPECT_EQ(d[0].aos, d[0].los);
}

TEST(VisibilityPasses, IdenticalForAnyThreadCountAndSorted) {
  auto sets = bundled("starlink_2026-04-27.tle");
  sets.resize(300);
  const Fleet fleet(sets);
  const std::vector<frames::Geodetic> sites{frames::Geodetic::degrees(40.4, -3.7, 0.6),
                                            frames::Geodetic::degrees(-33.9, 151.2, 0.0)};
  const Instant start = time::parse_iso8601("2026-04-27T06:00:00Z");
  PassOptions o;
  const PassList one = find_passes(fleet, sites, start, start + Duration::hours(12), o, {.threads = 1});
  const PassList two = find_passes(fleet, sites, start, start + Duration::hours(12), o, {.threads = 2});
  const PassList five = find_passes(fleet, sites, start, start + Duration::hours(12), o, {.threads = 5});
  ASSERT_EQ(one.passes.size(), two.passes.size());
  ASSERT_EQ(one.passes.size(), five.passes.size());
  ASSERT_GT(one.passes.size(), 50U);
  for (std::size_t i = 0; i < one.passes.size(); ++i) {
    for (const PassList* other : {&two, &five}) {
      const Pass& x = one.passes[i];
      const Pass& y = other->passes[i];
      EXPECT_TRUE(x.satellite == y.satellite && x.site == y.site && x.aos == y.aos && x.tca == y.tca &&
                  x.los == y.los && x.max_elevation_rad == y.max_elevation_rad &&
                  x.aos_azimuth_rad == y.aos_azimuth_rad && x.los_azimuth_rad == y.los_azimuth_rad);
    }
    if (i > 0) {
      const Pass& x = one.passes[i - 1];
      const Pass& y = one.passes[i];
      EXPECT_TRUE(x.aos < y.aos ||
                  (x.aos == y.aos && fleet.norad_id(x.satellite) <= fleet.norad_id(y.satellite)));
    }
  }
}

TEST(VisibilityPasses, DecayingSatelliteIsReportedAndItsPassesStop) {
  auto sets = bundled("starlink_2026-04-27.tle");
  orbits::ElementSet es = sets.front();
  es.mean_motion_rev_per_day = 16.2;  // ~250 km
  es.bstar = 0.5;                     // decays within hours
  const Fleet fleet(std::vector<orbits::ElementSet>{es, sets[1]});
  const std::vector<frames::Geodetic> site{frames::Geodetic::degrees(0.0, 0.0, 0.0),
                                           frames::Geodetic::degrees(53, 10, 0)};
  PassOptions o;
  o.min_elevation_rad = -20 * kRadPerDeg;
  const Instant start = es.epoch;
  const PassList l = find_passes(fleet, site, start, start + Duration::days(3), o);
  ASSERT_EQ(l.failures.size(), 1U);
  EXPECT_EQ(l.failures[0].satellite, 0U);
  EXPECT_NE(l.failures[0].error, orbits::Sgp4Error::none);
  bool other = false;
  for (const Pass& p : l.passes) {
    if (p.satellite == 0) {
      EXPECT_LE(p.los, l.failures[0].when);
    } else {
      other = true;
    }
  }
  EXPECT_TRUE(other);  // the healthy satellite is unaffected
}

TEST(VisibilityPasses, RejectsBadOptions) {
  const Fleet fleet(bundled("iridium-next_2026-04-27.tle"));
  const std::vector<frames::Geodetic> site{frames::Geodetic{}};
  const Instant t = time::parse_iso8601("2026-04-27T00:00:00Z");
  PassOptions o;
  o.scan_step = Duration::seconds(600);
  EXPECT_THROW(find_passes(fleet, site, t, t + Duration::hours(1), o), std::invalid_argument);
  EXPECT_THROW(find_passes(fleet, site, t, t - Duration::hours(1)), std::invalid_argument);
  o = {};
  o.min_elevation_rad = 2.0;
  EXPECT_THROW(find_passes(fleet, site, t, t + Duration::hours(1), o), std::invalid_argument);
  // No sites, no satellites: empty results.
  EXPECT_TRUE(find_passes(fleet, {}, t, t + Duration::hours(1)).passes.empty());
  EXPECT_TRUE(find_passes(Fleet({}), site, t, t + Duration::hours(1)).passes.empty());
}

}  // namespace
}  // namespace skyfence::visibility
