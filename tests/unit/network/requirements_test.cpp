// The network layer checks its own REQUIRES: every documented requirement of topology.h, graph.h,
// routing.h and planes.h throws std::invalid_argument naming the field and its accepted range, one test
// per function, each field with values just outside its range (and NaN), and the edges of the ranges
// accepted.
#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <numbers>
#include <stdexcept>
#include <string>
#include <vector>

#include "skyfence/network/graph.h"
#include "skyfence/network/planes.h"
#include "skyfence/network/routing.h"
#include "skyfence/network/topology.h"
#include "skyfence/orbits/walker.h"
#include "skyfence/time/scales.h"
#include "skyfence/visibility/fleet.h"

namespace skyfence::network {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kHalfPi = std::numbers::pi / 2.0;

// Runs f, expecting std::invalid_argument whose message contains `needle`.
template <class F>
void expect_rejected(F&& f, const std::string& needle, const std::string& what) {
  try {
    f();
    ADD_FAILURE() << what << ": accepted, expected std::invalid_argument mentioning \"" << needle << "\"";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find(needle), std::string::npos) << what << ": " << e.what();
  }
}

// A small Walker shell: 3 planes of 4 satellites.
const orbits::GeneratedConstellation& small_constellation() {
  static const orbits::GeneratedConstellation gen = [] {
    orbits::WalkerShell shell;
    shell.altitude_km = 550.0;
    shell.inclination_deg = 53.0;
    shell.planes = 3;
    shell.sats_per_plane = 4;
    shell.phasing = 1;
    return orbits::generate_walker(std::span(&shell, 1), time::parse_iso8601("2026-05-01T00:00:00Z"));
  }();
  return gen;
}

TEST(NetworkRequirements, CheckNetworkOptions) {
  struct Bad {
    double NetworkOptions::*field;
    const char* message;
    std::vector<double> values;
  };
  const std::vector<Bad> bad{
      {&NetworkOptions::isl_max_range_km, "network: isl_max_range_km must be > 0", {0.0, -1.0, -kInf, kNaN}},
      {&NetworkOptions::isl_grazing_altitude_km,
       "network: isl_grazing_altitude_km must lie in [0, 10000)",
       {-1e-9, 10000.0, kInf, kNaN}},
      {&NetworkOptions::user_min_elevation_rad,
       "network: user_min_elevation_rad must lie in [-pi/2, pi/2]",
       {std::nextafter(-kHalfPi, -4.0), std::nextafter(kHalfPi, 4.0), 90.0, kNaN}},
      {&NetworkOptions::gateway_min_elevation_rad,
       "network: gateway_min_elevation_rad must lie in [-pi/2, pi/2]",
       {std::nextafter(-kHalfPi, -4.0), std::nextafter(kHalfPi, 4.0), -90.0, kNaN}},
      {&NetworkOptions::gsl_max_range_km, "network: gsl_max_range_km must be > 0", {0.0, -1.0, -kInf, kNaN}},
      {&NetworkOptions::fibre_route_factor,
       "network: fibre_route_factor must lie in [1, 100]",
       {std::nextafter(1.0, 0.0), std::nextafter(100.0, 200.0), kInf, kNaN}},
      {&NetworkOptions::fibre_refractive_index,
       "network: fibre_refractive_index must lie in [1, 10]",
       {std::nextafter(1.0, 0.0), std::nextafter(10.0, 20.0), kInf, kNaN}},
  };
  EXPECT_NO_THROW(check(NetworkOptions{}));
  for (const Bad& b : bad) {
    for (double v : b.values) {
      NetworkOptions o;
      o.*b.field = v;
      expect_rejected([&] { check(o); }, b.message, std::string(b.message) + ", value " + std::to_string(v));
    }
  }
  // The edges of the ranges are accepted.
  NetworkOptions edges;
  edges.isl_max_range_km = kInf;
  edges.isl_grazing_altitude_km = 0.0;
  edges.user_min_elevation_rad = -kHalfPi;
  edges.gateway_min_elevation_rad = kHalfPi;
  edges.fibre_route_factor = 100.0;
  edges.fibre_refractive_index = 10.0;
  EXPECT_NO_THROW(check(edges));
  edges.isl_max_range_km = 1e-9;
  edges.gsl_max_range_km = 1e-9;
  edges.isl_grazing_altitude_km = std::nextafter(10000.0, 0.0);
  edges.user_min_elevation_rad = kHalfPi;
  edges.gateway_min_elevation_rad = -kHalfPi;
  edges.fibre_route_factor = 1.0;
  edges.fibre_refractive_index = 1.0;
  EXPECT_NO_THROW(check(edges));
}

TEST(NetworkRequirements, NetworkConstructor) {
  const visibility::Fleet fleet(small_constellation().sets);
  const std::uint32_t n = static_cast<std::uint32_t>(fleet.size());
  // The options, through check.
  NetworkOptions o;
  o.fibre_route_factor = 0.5;
  expect_rejected([&] { Network(fleet, {}, {}, {}, {}, o); }, "fibre_route_factor must lie in [1, 100]",
                  "options");
  // ISL pairs: two distinct satellites of the fleet.
  for (const SatellitePair& p : {SatellitePair{0, n}, SatellitePair{n, 0}, SatellitePair{3, 3}}) {
    expect_rejected([&] { Network(fleet, {p}, {}, {}, {}, NetworkOptions{}); },
                    "network: an ISL pair must be two distinct satellites < " + std::to_string(n),
                    "pair " + std::to_string(p.a) + "-" + std::to_string(p.b));
  }
  EXPECT_NO_THROW(Network(fleet, {SatellitePair{0, n - 1}}, {}, {}, {}, NetworkOptions{}));
  // With IslMode::none the candidate pairs are ignored, bad or not.
  NetworkOptions bent;
  bent.isl = IslMode::none;
  EXPECT_NO_THROW(Network(fleet, {SatellitePair{0, n}}, {}, {}, {}, bent));
}

TEST(NetworkRequirements, AddEdge) {
  GraphBuilder b;
  b.reset(3);
  const std::string message = "network: add_edge: u and v must be < nodes (3) and delay_ms finite and >= 0";
  expect_rejected([&] { b.add_edge(3, 0, 1.0); }, message, "u");
  expect_rejected([&] { b.add_edge(0, 3, 1.0); }, message, "v");
  for (double d : {-1e-300, -1.0, kInf, kNaN}) {
    expect_rejected([&] { b.add_edge(0, 1, d); }, message, "delay_ms " + std::to_string(d));
  }
  EXPECT_EQ(b.edges(), 0u);
  b.add_edge(0, 2, 0.0);
  b.add_edge(2, 1, 5.0, 7);  // via is not a node of the graph: not checked
  EXPECT_EQ(b.edges(), 2u);
}

Graph small_graph() {
  GraphBuilder b;
  b.reset(3);
  b.add_edge(0, 1, 1.0);
  b.add_edge(1, 2, 1.0);
  Graph g;
  b.build(g);
  return g;
}

TEST(NetworkRequirements, ShortestPaths) {
  const Graph g = small_graph();
  ShortestPaths sp;
  expect_rejected([&] { shortest_paths(g, 3, {}, sp); },
                  "network: shortest_paths: source must be < graph.nodes (3), got 3", "source");
  for (std::size_t size : {1, 2, 4}) {
    const std::vector<std::uint8_t> flags(size, 0);
    expect_rejected([&] { shortest_paths(g, 0, flags, sp); },
                    "network: shortest_paths: flags must be empty or hold graph.nodes (3) entries, got " +
                        std::to_string(size),
                    "flags");
  }
  const std::vector<std::uint8_t> flags(3, 0);
  shortest_paths(g, 2, flags, sp);
  EXPECT_EQ(sp.delay_ms[0], 2.0);
}

TEST(NetworkRequirements, ShortestPathsReusing) {
  const Graph g = small_graph();
  ShortestPaths sp;
  // With and without an order to reuse (without one, the search falls back to shortest_paths: the
  // message still names the function called).
  for (const std::vector<std::uint32_t>& start :
       {std::vector<std::uint32_t>{}, std::vector<std::uint32_t>{0, 1, 2}}) {
    std::vector<std::uint32_t> order = start;
    expect_rejected([&] { shortest_paths_reusing(g, 5, {}, order, sp); },
                    "network: shortest_paths_reusing: source must be < graph.nodes (3), got 5", "source");
    const std::vector<std::uint8_t> flags(2, 0);
    expect_rejected(
        [&] { shortest_paths_reusing(g, 0, flags, order, sp); },
        "network: shortest_paths_reusing: flags must be empty or hold graph.nodes (3) entries, got 2",
        "flags");
  }
  std::vector<std::uint32_t> order{0, 1, 2};
  shortest_paths_reusing(g, 0, {}, order, sp);
  EXPECT_EQ(sp.delay_ms[2], 2.0);
}

TEST(NetworkRequirements, RouteStep) {
  const visibility::Fleet fleet(small_constellation().sets);
  const std::vector<GroundNode> ends{{"A", frames::Geodetic::degrees(0.0, 0.0)},
                                     {"B", frames::Geodetic::degrees(10.0, 10.0)}};
  const Network net(fleet, {}, {}, {}, ends, NetworkOptions{});
  Snapshot snap;
  net.snapshot(time::parse_iso8601("2026-05-01T00:00:00Z"), snap);
  std::vector<Route> routes;
  RouteMemory memory;
  const std::vector<EndpointPair> good{{0, 1}, {1, kToInternet}};
  EXPECT_NO_THROW(route_step(net, snap, good, routes, &memory));
  // Bad pairs, also after a step with good ones (the memory's plan must not skip the check).
  expect_rejected(
      [&] {
        route_step(net, snap, std::vector<EndpointPair>{{0, 1}, {2, 0}}, routes, &memory);
      },
      "network: route_step: pairs[1].src_endpoint must be < network.endpoints() (2), got 2", "src");
  expect_rejected(
      [&] {
        route_step(net, snap, std::vector<EndpointPair>{{kToInternet, 0}}, routes);
      },
      "pairs[0].src_endpoint must be < network.endpoints() (2)", "src kToInternet");
  expect_rejected(
      [&] {
        route_step(net, snap, std::vector<EndpointPair>{{0, 2}}, routes, &memory);
      },
      "network: route_step: pairs[0].dst_endpoint must be kToInternet or < network.endpoints() (2), got 2",
      "dst");
}

TEST(NetworkRequirements, PlanesFromWalker) {
  const auto& gen = small_constellation();
  orbits::WalkerShell shell;
  shell.altitude_km = 550.0;
  shell.inclination_deg = 53.0;
  shell.planes = 3;
  shell.sats_per_plane = 4;
  shell.phasing = 1;
  EXPECT_NO_THROW(planes_from_walker(gen.slots, std::span(&shell, 1)));
  for (const orbits::WalkerSlot& bad : {orbits::WalkerSlot{1, 0, 0}, orbits::WalkerSlot{-1, 0, 0},
                                        orbits::WalkerSlot{0, -1, 0}, orbits::WalkerSlot{0, 0, -1}}) {
    std::vector<orbits::WalkerSlot> slots = gen.slots;
    slots[5] = bad;
    expect_rejected(
        [&] { planes_from_walker(slots, std::span(&shell, 1)); },
        "network: planes_from_walker: slots[5] must have shell in [0, shells.size() = 1) and plane, "
        "slot >= 0",
        "slot");
  }
}

}  // namespace
}  // namespace skyfence::network
