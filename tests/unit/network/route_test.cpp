// Routing over the Starlink 550 km shell: geometric sanity (RTT never below the great-circle bound, two
// sites under one satellite route through it), ISL dropping, to-internet routes, statistics and thread
// invariance.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <numbers>
#include <random>
#include <string>
#include <vector>

#include "../../test_seed.h"
#include "skyfence/core/units.h"
#include "skyfence/earth/site.h"
#include "skyfence/network/planes.h"
#include "skyfence/network/routing.h"
#include "skyfence/network/topology.h"
#include "skyfence/orbits/presets.h"
#include "skyfence/orbits/walker.h"
#include "skyfence/time/scales.h"
#include "skyfence/visibility/fleet.h"

namespace skyfence::network {
namespace {

const time::Instant kT0 = time::parse_iso8601("2026-05-01T00:00:00Z");

struct Shell {
  orbits::WalkerShell layout;
  orbits::GeneratedConstellation gen;
  PlaneAssignment planes;
};

const Shell& starlink_shell1() {
  static const Shell s = [] {
    Shell out;
    const auto lib = orbits::load_presets(orbits::presets_path(SKYFENCE_DATA_DIR));
    out.layout = *lib.find("starlink_gen1").shells[0].layout;
    out.gen = orbits::generate_walker(std::span(&out.layout, 1), kT0);
    out.planes = planes_from_walker(out.gen.slots, std::span(&out.layout, 1));
    return out;
  }();
  return s;
}

std::vector<GroundNode> load_nodes(const std::string& relative) {
  const auto list = earth::read_sites_file(std::string(SKYFENCE_DATA_DIR) + "/" + relative,
                                           {.strict = true, .name_column = {}});
  std::vector<GroundNode> out;
  for (const auto& s : list.sites) out.push_back({s.id, s.location});
  return out;
}

std::vector<GroundNode> cities() {
  return load_nodes("cities/cities_top100.csv");
}

TEST(NetworkGeometry, RttNeverBelowGreatCircleBound) {
  const Shell& sh = starlink_shell1();
  const visibility::Fleet fleet(sh.gen.sets);
  const std::vector<GroundNode> ends = cities();
  for (bool relay : {false, true}) {
    NetworkOptions opt;
    opt.ground_relay = relay;
    const Network net(fleet, plus_grid_links(sh.planes), load_nodes("gateways/starlink_gateways.csv"),
                      load_nodes("gateways/starlink_pops.csv"), ends, opt);
    std::vector<EndpointPair> pairs;
    for (std::uint32_t a = 0; a < ends.size(); ++a) {
      for (std::uint32_t b = 0; b < ends.size(); ++b) {
        if (a != b) pairs.push_back({a, b});
      }
    }
    Snapshot snap;
    std::vector<Route> routes;
    std::size_t reachable = 0;
    for (int step = 0; step < 3; ++step) {
      net.snapshot(kT0 + time::Duration::seconds(100.0 * step), snap);
      route_step(net, snap, pairs, routes);
      for (std::size_t k = 0; k < pairs.size(); ++k) {
        if (!routes[k].reachable()) continue;
        ++reachable;
        // Any path outside the sphere of the WGS84 polar radius is at least that radius times the
        // central angle long.
        const double bound_ms =
            central_angle_rad(ends[pairs[k].src_endpoint].location, ends[pairs[k].dst_endpoint].location) *
            kPolarEarthRadiusKm / kSpeedOfLightKmS * 1000.0;
        EXPECT_GE(routes[k].one_way_ms, bound_ms)
            << ends[pairs[k].src_endpoint].id << " " << ends[pairs[k].dst_endpoint].id;
        EXPECT_DOUBLE_EQ(routes[k].rtt_ms(), 2.0 * routes[k].one_way_ms);
        // End points are never relays, and only the ends are end points.
        for (std::size_t i = 1; i + 1 < routes[k].path.size(); ++i) {
          EXPECT_NE(net.kind(routes[k].path[i]), NodeKind::endpoint);
          if (!relay) {
            EXPECT_EQ(net.kind(routes[k].path[i]), NodeKind::satellite);
          }
        }
      }
    }
    // The 53 deg shell serves all but the highest-latitude cities.
    EXPECT_GT(reachable, pairs.size() * 3 * 8 / 10);
  }
}

TEST(NetworkGeometry, TwoSitesUnderOneSatelliteRouteThroughIt) {
  const Shell& sh = starlink_shell1();
  const visibility::Fleet fleet(sh.gen.sets);
  const std::uint64_t seed = skyfence_test::test_seed("route under one satellite", 42);
  SCOPED_TRACE(testing::Message() << "seed " << seed);
  std::mt19937_64 rng(seed);
  for (int trial = 0; trial < 10; ++trial) {
    const std::uint32_t sat = std::uniform_int_distribution<std::uint32_t>(0, 72 * 22 - 1)(rng);
    const time::Instant t = kT0 + time::Duration::seconds(37.0 * trial);
    frames::StateVector s;
    ASSERT_EQ(fleet.itrf_state(sat, t, s), orbits::Sgp4Error::none);
    const frames::Geodetic sub = frames::itrf_to_geodetic(s.r_km);
    const std::vector<GroundNode> ends{
        {"A", frames::Geodetic{sub.lat_rad + 0.4 * kRadPerDeg, sub.lon_rad, 0.0}},
        {"B", frames::Geodetic{sub.lat_rad - 0.4 * kRadPerDeg, sub.lon_rad, 0.0}}};
    for (IslMode isl : {IslMode::plus_grid, IslMode::none}) {
      NetworkOptions opt;
      opt.isl = isl;
      const Network net(fleet, plus_grid_links(sh.planes), {}, {}, ends, opt);
      Snapshot snap;
      net.snapshot(t, snap);
      std::vector<Route> routes;
      const std::vector<EndpointPair> pairs{{0, 1}};
      route_step(net, snap, pairs, routes);
      ASSERT_TRUE(routes[0].reachable());
      EXPECT_EQ(routes[0].path,
                (std::vector<std::uint32_t>{net.endpoint_node(0), sat, net.endpoint_node(1)}));
      EXPECT_EQ(routes[0].hops(), 2u);
    }
  }
}

TEST(NetworkGeometry, IslDroppedWhenGrazingOrTooLong) {
  // Straight through the Earth, grazing at ~100 km, and well clear.
  EXPECT_NEAR(segment_min_radius_km({7000, 0, 0}, {-7000, 0, 0}), 0.0, 1e-9);
  EXPECT_NEAR(segment_min_radius_km({7000, 100, 0}, {7000, -100, 0}), 7000.0, 1e-9);
  EXPECT_NEAR(segment_min_radius_km({7000, 0, 0}, {8000, 0, 0}), 7000.0, 1e-9);
  const Shell& sh = starlink_shell1();
  const visibility::Fleet fleet(sh.gen.sets);
  // A link between satellites on opposite sides of the Earth, and a short one.
  const std::vector<SatellitePair> isl{{0, 11}, {0, 1}};  // plane 0 slots 0 and 11 (half an orbit apart)
  Snapshot snap;
  {
    const Network net(fleet, isl, {}, {}, {}, {});
    net.snapshot(kT0, snap);
    EXPECT_EQ(snap.isl_too_low, 1u);
    EXPECT_EQ(snap.isl_up, 1u);
  }
  {
    NetworkOptions opt;
    opt.isl_max_range_km = 100.0;
    const Network net(fleet, isl, {}, {}, {}, opt);
    net.snapshot(kT0, snap);
    EXPECT_EQ(snap.isl_up, 0u);
    EXPECT_EQ(snap.isl_too_long, 2u);
  }
  // The plus grid of a 550 km shell stays up: in-plane links ~1900 km, cross-plane shorter.
  const Network net(fleet, plus_grid_links(sh.planes), {}, {}, {}, {});
  net.snapshot(kT0, snap);
  EXPECT_EQ(snap.isl_up, snap.isl_candidates);
  EXPECT_EQ(snap.isl_candidates, 2u * 72 * 22);
}

TEST(NetworkGeometry, BentPipeNeedsGatewaysAndToInternetEndsAtAPop) {
  const Shell& sh = starlink_shell1();
  const visibility::Fleet fleet(sh.gen.sets);
  const std::vector<GroundNode> ends = cities();
  std::uint32_t paris = 0, moscow = 0;
  for (std::uint32_t i = 0; i < ends.size(); ++i) {
    if (ends[i].id == "Paris") paris = i;
    if (ends[i].id == "Moskva-(Moscow)") moscow = i;
  }
  NetworkOptions opt;
  opt.isl = IslMode::none;
  opt.ground_relay = false;
  Snapshot snap;
  std::vector<Route> routes;
  const std::vector<EndpointPair> pairs{{paris, moscow}, {paris, kToInternet}};
  {
    // Bent pipe, no ground relay: Paris and Moscow (2500 km apart) never share a satellite.
    const Network net(fleet, {}, load_nodes("gateways/starlink_gateways.csv"),
                      load_nodes("gateways/starlink_pops.csv"), ends, opt);
    net.snapshot(kT0, snap);
    route_step(net, snap, pairs, routes);
    EXPECT_FALSE(routes[0].reachable());
    ASSERT_TRUE(routes[1].reachable());
    // Paris -> satellite -> gateway -> PoP.
    const auto& p = routes[1].path;
    ASSERT_EQ(p.size(), 4u);
    EXPECT_EQ(net.kind(p[1]), NodeKind::satellite);
    EXPECT_EQ(net.kind(p[2]), NodeKind::gateway);
    EXPECT_EQ(net.kind(p[3]), NodeKind::pop);
    EXPECT_EQ(net.gateway_pop(net.index(p[2])), net.index(p[3]));
  }
  {
    // With ground relay, bent pipe reaches Moscow through gateways and fibre.
    opt.ground_relay = true;
    const Network net(fleet, {}, load_nodes("gateways/starlink_gateways.csv"),
                      load_nodes("gateways/starlink_pops.csv"), ends, opt);
    net.snapshot(kT0, snap);
    route_step(net, snap, pairs, routes);
    EXPECT_TRUE(routes[0].reachable());
  }
}

TEST(NetworkRouting, SameResultForAnyThreadCount) {
  const Shell& sh = starlink_shell1();
  const visibility::Fleet fleet(sh.gen.sets);
  const std::vector<GroundNode> ends = cities();
  std::vector<EndpointPair> pairs;
  for (std::uint32_t a = 0; a < ends.size(); a += 3) {
    for (std::uint32_t b = 1; b < ends.size(); b += 7) pairs.push_back({a, b});
    pairs.push_back({a, kToInternet});
  }
  std::vector<std::vector<Route>> results;
  for (unsigned threads : {1u, 2u, 0u}) {
    const Network net(fleet, plus_grid_links(sh.planes), load_nodes("gateways/starlink_gateways.csv"),
                      load_nodes("gateways/starlink_pops.csv"), ends, NetworkOptions{});
    Snapshot snap;
    const RunContext run{.threads = threads};
    net.snapshot(kT0 + time::Duration::seconds(600.0), snap, run);
    results.emplace_back();
    route_step(net, snap, pairs, results.back(), nullptr, run);
  }
  for (std::size_t r = 1; r < results.size(); ++r) {
    for (std::size_t k = 0; k < pairs.size(); ++k) {
      EXPECT_EQ(results[r][k].path, results[0][k].path);
      EXPECT_EQ(std::memcmp(&results[r][k].one_way_ms, &results[0][k].one_way_ms, sizeof(double)), 0);
    }
  }
}

TEST(NetworkRouting, MemoryOfThePreviousStepChangesNothing) {
  // Steps of 1 s (the order carries over almost always) and of 60 s (it often does not), between
  // cities and to the internet, with ground relay (fibre edges) and without: a RouteMemory gives the
  // same routes, bit for bit, as a fresh search per step, and is actually used.
  const Shell& sh = starlink_shell1();
  const visibility::Fleet fleet(sh.gen.sets);
  const std::vector<GroundNode> ends = cities();
  std::vector<EndpointPair> pairs;
  for (std::uint32_t a = 0; a < ends.size(); a += 2) {
    for (std::uint32_t b = 0; b < ends.size(); b += 3) {
      if (a != b) pairs.push_back({a, b});
    }
    pairs.push_back({a, kToInternet});
  }
  for (bool relay : {false, true}) {
    NetworkOptions opt;
    opt.ground_relay = relay;
    const Network net(fleet, plus_grid_links(sh.planes), load_nodes("gateways/starlink_gateways.csv"),
                      load_nodes("gateways/starlink_pops.csv"), ends, opt);
    for (double step_s : {1.0, 60.0}) {
      RouteMemory memory;
      Snapshot snap;
      std::vector<Route> warm, fresh;
      for (int step = 0; step < 8; ++step) {
        net.snapshot(kT0 + time::Duration::seconds(step_s * step), snap);
        route_step(net, snap, pairs, warm, &memory);
        route_step(net, snap, pairs, fresh);
        for (std::size_t k = 0; k < pairs.size(); ++k) {
          ASSERT_EQ(warm[k].path, fresh[k].path) << "step " << step << " pair " << k;
          ASSERT_EQ(std::memcmp(&warm[k].one_way_ms, &fresh[k].one_way_ms, sizeof(double)), 0);
        }
      }
      if (step_s == 1.0) {
        EXPECT_GT(memory.reused(), memory.searches() / 2) << memory.reused() << " of " << memory.searches();
      }
    }
  }
}

TEST(NetworkRouting, MovedEndpointsRouteAsANetworkBuiltThere) {
  // End points moved step by step (terminals that move) give the routes of a network built with the
  // end points where they are then, also with a RouteMemory carried across the moves.
  const Shell& sh = starlink_shell1();
  const visibility::Fleet fleet(sh.gen.sets);
  const std::vector<GroundNode> gateways = load_nodes("gateways/starlink_gateways.csv");
  const std::vector<GroundNode> pops = load_nodes("gateways/starlink_pops.csv");
  std::vector<GroundNode> ends = cities();
  ends.resize(12);
  std::vector<EndpointPair> pairs;
  for (std::uint32_t a = 0; a < ends.size(); ++a) pairs.push_back({a, kToInternet});
  pairs.push_back({0, 5});
  Network moving(fleet, plus_grid_links(sh.planes), gateways, pops, ends, NetworkOptions{});
  RouteMemory memory;
  Snapshot snap, snap_there;
  std::vector<Route> moved, there;
  for (int step = 0; step < 4; ++step) {
    std::vector<GroundNode> now = ends;
    std::vector<frames::Geodetic> where;
    for (GroundNode& g : now) {
      g.location.lat_rad += 0.02 * step;  // about 130 km north each step
      where.push_back(g.location);
    }
    moving.move_endpoints(where);
    EXPECT_EQ(moving.endpoint(3).location.lat_rad, now[3].location.lat_rad);
    const Network built(fleet, plus_grid_links(sh.planes), gateways, pops, now, NetworkOptions{});
    const time::Instant t = kT0 + time::Duration::seconds(30.0 * step);
    moving.snapshot(t, snap);
    built.snapshot(t, snap_there);
    EXPECT_EQ(snap.user_links, snap_there.user_links);
    route_step(moving, snap, pairs, moved, &memory);
    route_step(built, snap_there, pairs, there);
    for (std::size_t k = 0; k < pairs.size(); ++k) {
      ASSERT_EQ(moved[k].path, there[k].path) << "step " << step << " pair " << k;
      ASSERT_EQ(moved[k].one_way_ms, there[k].one_way_ms);
    }
  }
  EXPECT_THROW(moving.move_endpoints(std::vector<frames::Geodetic>(3)), std::invalid_argument);
}

TEST(NetworkRouting, Statistics) {
  RouteStatistics st;
  auto route = [](double one_way, std::vector<std::uint32_t> path) {
    Route r;
    r.one_way_ms = one_way;
    r.path = std::move(path);
    return r;
  };
  st.add(route(2.0, {1, 5, 2}));
  st.add(route(1.0, {1, 5, 2}));
  st.add(Route{});  // unreachable
  st.add(route(4.0, {1, 6, 7, 2}));
  st.add(route(3.0, {1, 5, 2}));
  const RouteSummary s = st.summary();
  EXPECT_EQ(s.steps, 5u);
  EXPECT_EQ(s.reachable_steps, 4u);
  EXPECT_DOUBLE_EQ(s.unreachable_share(), 0.2);
  EXPECT_DOUBLE_EQ(s.rtt_min_ms, 2.0);
  EXPECT_DOUBLE_EQ(s.rtt_max_ms, 8.0);
  EXPECT_DOUBLE_EQ(s.rtt_median_ms, 5.0);  // RTTs 2, 4, 6, 8
  EXPECT_DOUBLE_EQ(s.rtt_p95_ms, 8.0);     // rank ceil(3.8) = 4
  EXPECT_DOUBLE_EQ(s.rtt_mean_ms, 5.0);
  EXPECT_EQ(s.path_changes, 2u);
  EXPECT_EQ(s.hops_min, 2u);
  EXPECT_EQ(s.hops_max, 3u);
  const RouteSummary none = RouteStatistics{}.summary();
  EXPECT_EQ(none.steps, 0u);
  EXPECT_TRUE(std::isnan(none.rtt_min_ms));
  // p95 of 20 values 1..20 by nearest rank: the 19th.
  RouteStatistics twenty;
  for (int i = 1; i <= 20; ++i) twenty.add(route(0.5 * i, {0, 1}));
  EXPECT_DOUBLE_EQ(twenty.summary().rtt_p95_ms, 19.0);
  EXPECT_DOUBLE_EQ(twenty.summary().rtt_median_ms, 10.5);
}

TEST(NetworkGeometry, GreatCircle) {
  const auto paris = frames::Geodetic::degrees(48.85341, 2.3488);
  const auto moscow = frames::Geodetic::degrees(55.754996, 37.621849);
  // Haversine on the 6371.0088 km sphere; the ellipsoidal geodesic is 2486.1 km (GeographicLib).
  EXPECT_NEAR(great_circle_km(paris, moscow), 2486.0, 8.0);
  EXPECT_NEAR(great_circle_km(paris, paris), 0.0, 1e-12);
  EXPECT_NEAR(great_circle_km(frames::Geodetic::degrees(0, 0), frames::Geodetic::degrees(0, 180)),
              std::numbers::pi * kMeanEarthRadiusKm, 1e-6);
}

}  // namespace
}  // namespace skyfence::network
