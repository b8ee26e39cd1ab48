// Routes over a window (route_series: the same routes as independent steps, the counts, stopping) and
// the two CSV forms of skyfence route (RouteCsv, node_label), on hand-made routes with exact text.
#include "skyfence/network/series.h"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <vector>

#include "skyfence/core/units.h"
#include "skyfence/frames/frames.h"
#include "skyfence/orbits/walker.h"
#include "skyfence/time/scales.h"
#include "skyfence/visibility/fleet.h"

namespace skyfence::network {
namespace {

const time::Instant kSeriesStart = time::parse_iso8601("2026-05-01T00:00:00Z");

// One Walker shell of 6 planes of 8 satellites at 8000 km (plus-grid links; every site sees some), gateways
// and PoPs whose ids need quoting in CSV, and three end points.
struct Fixture {
  orbits::GeneratedConstellation gen;
  visibility::Fleet fleet;
  Network net;
  static orbits::GeneratedConstellation constellation() {
    orbits::WalkerShell shell;
    shell.altitude_km = 8000.0;
    shell.inclination_deg = 53.0;
    shell.planes = 6;
    shell.sats_per_plane = 8;
    shell.phasing = 1;
    return orbits::generate_walker(std::span(&shell, 1), kSeriesStart);
  }
  static std::vector<SatellitePair> links(const orbits::GeneratedConstellation& gen) {
    orbits::WalkerShell shell;
    shell.altitude_km = 8000.0;
    shell.inclination_deg = 53.0;
    shell.planes = 6;
    shell.sats_per_plane = 8;
    shell.phasing = 1;
    return plus_grid_links(planes_from_walker(gen.slots, std::span(&shell, 1)));
  }
  Fixture()
      : gen(constellation()),
        fleet(gen.sets),
        net(fleet, links(gen), {{"GW,1", frames::Geodetic::degrees(10.0, 20.0)}},
            {{"P\"1", frames::Geodetic::degrees(12.0, 22.0)}},
            {{"A", frames::Geodetic::degrees(0.0, 0.0)},
             {"B,2", frames::Geodetic::degrees(5.0, 25.0)},
             {"C", frames::Geodetic::degrees(-30.0, 100.0)}},
            NetworkOptions{}) {}
};

const Fixture& fixture() {
  static const Fixture f;
  return f;
}

TEST(NetworkSeries, SameRoutesAsIndependentSteps) {
  const Network& net = fixture().net;
  std::vector<time::Instant> times;
  for (int i = 0; i < 6; ++i) times.push_back(kSeriesStart + time::Duration::seconds(30.0 * i));
  const std::vector<EndpointPair> pairs{{0, 1}, {1, 0}, {2, kToInternet}, {0, 2}};
  std::vector<std::size_t> seen;
  std::size_t reachable = 0, failures = 0, up = 0, candidates = 0;
  const SeriesCounts counts = route_series(
      net, times, pairs, [&](std::size_t step, std::span<const Route> routes, const StepSlot& slot) {
        seen.push_back(step);
        EXPECT_FALSE(slot.on);
        EXPECT_TRUE(slot.serving.empty());
        Snapshot snap;
        net.snapshot(times[step], snap);
        std::vector<Route> fresh;
        route_step(net, snap, pairs, fresh);
        ASSERT_EQ(routes.size(), pairs.size());
        for (std::size_t k = 0; k < pairs.size(); ++k) {
          EXPECT_EQ(routes[k].one_way_ms, fresh[k].one_way_ms) << "step " << step << ", pair " << k;
          EXPECT_EQ(routes[k].path, fresh[k].path) << "step " << step << ", pair " << k;
          reachable += routes[k].reachable() ? 1 : 0;
        }
        for (auto e : snap.errors) failures += e == orbits::Sgp4Error::none ? 0 : 1;
        up += snap.isl_up;
        candidates += snap.isl_candidates;
      });
  EXPECT_EQ(seen, (std::vector<std::size_t>{0, 1, 2, 3, 4, 5}));
  EXPECT_GT(reachable, 0u);
  EXPECT_EQ(counts.steps, 6u);
  EXPECT_EQ(counts.sgp4_failures, failures);
  EXPECT_EQ(counts.isl_up, up);
  EXPECT_EQ(counts.isl_candidates, candidates);
  EXPECT_EQ(candidates, 6 * net.isl_candidates().size());
}

TEST(NetworkSeries, AnExceptionFromTheCallbackStopsTheSeries) {
  const std::vector<time::Instant> times{kSeriesStart, kSeriesStart + time::Duration::seconds(1.0),
                                         kSeriesStart + time::Duration::seconds(2.0)};
  const std::vector<EndpointPair> pairs{{0, 1}};
  std::size_t calls = 0;
  EXPECT_THROW(route_series(fixture().net, times, pairs,
                            [&](std::size_t step, std::span<const Route>, const StepSlot&) {
                              ++calls;
                              if (step == 1) throw std::runtime_error("stop");
                            }),
               std::runtime_error);
  EXPECT_EQ(calls, 2u);
  EXPECT_EQ(route_series(fixture().net, {}, pairs,
                         [&](std::size_t, std::span<const Route>, const StepSlot&) { ++calls; })
                .steps,
            0u);
  EXPECT_EQ(calls, 2u);
}

// Hand-made routes over the fixture's nodes (the writer only formats them).
Route route(double one_way_ms, std::vector<std::uint32_t> path) {
  return Route{one_way_ms, std::move(path)};
}

TEST(NetworkSeries, NodeLabels) {
  const Fixture& f = fixture();
  EXPECT_EQ(node_label(f.net, 0), std::to_string(f.gen.sets[0].norad_id));
  EXPECT_EQ(node_label(f.net, 47), std::to_string(f.gen.sets[47].norad_id));
  EXPECT_EQ(node_label(f.net, f.net.gateway_node(0)), "GW,1");
  EXPECT_EQ(node_label(f.net, f.net.pop_node(0)), "P\"1");
  EXPECT_EQ(node_label(f.net, f.net.endpoint_node(1)), "B,2");
}

TEST(NetworkSeries, CsvRows) {
  const Fixture& f = fixture();
  const Network& n = f.net;
  const std::vector<EndpointPair> pairs{{0, 1}, {1, kToInternet}, {2, 0}, {2, kToInternet}};
  RouteCsv csv(n, pairs, false);
  EXPECT_EQ(csv.header(), "time_utc,src,dst,rtt_ms,one_way_ms,hops,path,serving_satellite,slot_start\n");
  const std::string s3 = std::to_string(f.gen.sets[3].norad_id), s5 = std::to_string(f.gen.sets[5].norad_id);
  const std::vector<Route> routes{
      route(1.2345, {n.endpoint_node(0), 3, 5, n.endpoint_node(1)}),
      route(20.0004, {n.endpoint_node(1), 5, n.gateway_node(0), n.pop_node(0)}),
      route(kUnreachable, {}),
      route(kUnreachable, {}),
  };
  std::string out = "before\n";
  csv.add_step(kSeriesStart + time::Duration::seconds(1.5), routes, StepSlot{}, out);
  csv.finish(out);  // nothing in the rows form
  // Off: the serving satellite is the first of the path, no slot.
  EXPECT_EQ(out,
            "before\n"
            "2026-05-01T00:00:01.500Z,A,\"B,2\",2.469,1.234,3,\"A>" +
                s3 + ">" + s5 + ">B,2\"," + s3 + ",\n" +
                "2026-05-01T00:00:01.500Z,\"B,2\",\"P\"\"1\",40.001,20.000,3,\"B,2>" + s5 +
                ">GW,1>P\"\"1\"," + s5 + ",\n" + "2026-05-01T00:00:01.500Z,C,A,,,,,,\n" +
                "2026-05-01T00:00:01.500Z,C,,,,,,,\n");
  // Held: the source's held satellite, also for an unreachable pair, and the slot's start.
  const std::vector<std::uint32_t> serving{3, 5, 7};
  const std::vector<std::uint8_t> reassigned{0, 0, 0};
  const StepSlot slot{.on = true,
                      .slot_start = kSeriesStart - time::Duration::seconds(3.0),
                      .new_slot = false,
                      .serving = serving,
                      .reassigned = reassigned,
                      .gateway_serving = {},
                      .gateway_reassigned = {}};
  out.clear();
  csv.add_step(kSeriesStart + time::Duration::seconds(1.5), routes, slot, out);
  const std::string s7 = std::to_string(f.gen.sets[7].norad_id);
  EXPECT_EQ(out, "2026-05-01T00:00:01.500Z,A,\"B,2\",2.469,1.234,3,\"A>" + s3 + ">" + s5 + ">B,2\"," + s3 +
                     ",2026-04-30T23:59:57.000Z\n" +
                     "2026-05-01T00:00:01.500Z,\"B,2\",\"P\"\"1\",40.001,20.000,3,\"B,2>" + s5 +
                     ">GW,1>P\"\"1\"," + s5 + ",2026-04-30T23:59:57.000Z\n" +
                     "2026-05-01T00:00:01.500Z,C,A,,,,," + s7 + ",2026-04-30T23:59:57.000Z\n" +
                     "2026-05-01T00:00:01.500Z,C,,,,,," + s7 + ",2026-04-30T23:59:57.000Z\n");
}

TEST(NetworkSeries, CsvSummary) {
  const Network& n = fixture().net;
  const std::vector<EndpointPair> pairs{{0, 1}, {1, kToInternet}, {2, 0}};
  RouteCsv csv(n, pairs, true);
  EXPECT_EQ(csv.header(),
            "src,dst,steps,reachable_steps,unreachable_share,rtt_min_ms,rtt_median_ms,rtt_p95_ms,rtt_max_ms,"
            "rtt_mean_ms,path_changes,hops_min,hops_max,boundary_jumps,boundary_jump_median_ms,"
            "boundary_jump_p95_ms,boundary_jump_max_ms,inside_jumps,inside_jump_median_ms,inside_jump_p95_ms,"
            "inside_jump_max_ms,early_reassignments\n");
  const std::uint32_t a = n.endpoint_node(0), b = n.endpoint_node(1), gw = n.gateway_node(0),
                      pop = n.pop_node(0);
  std::string out;
  csv.add_step(
      kSeriesStart,
      std::vector<Route>{route(10.0, {a, 3, b}), route(5.0, {b, 5, gw, pop}), route(kUnreachable, {})},
      StepSlot{}, out);
  csv.add_step(
      kSeriesStart,
      std::vector<Route>{route(12.0, {a, 3, 4, b}), route(kUnreachable, {}), route(kUnreachable, {})},
      StepSlot{}, out);
  csv.add_step(
      kSeriesStart,
      std::vector<Route>{route(11.0, {a, 3, 4, b}), route(6.0, {b, 5, gw, pop}), route(kUnreachable, {})},
      StepSlot{}, out);
  EXPECT_EQ(out, "");  // the summary form writes at the end
  csv.finish(out);
  // Off: every jump between consecutive reachable steps is inside (A-B: 4 and 2 ms of RTT); B's gap
  // breaks its sequence.
  EXPECT_EQ(out,
            "A,\"B,2\",3,3,0.000000,20.000,22.000,24.000,24.000,22.000,1,2,3,0,,,,2,3.000,4.000,4.000,0\n"
            "\"B,2\",internet,3,2,0.333333,10.000,11.000,12.000,12.000,11.000,0,3,3,0,,,,0,,,,0\n"
            "C,A,3,0,1.000000,,,,,,0,,,0,,,,0,,,,0\n");
}

TEST(NetworkSeries, CsvSummaryJumpsAtSlotBoundaries) {
  const Network& n = fixture().net;
  const std::vector<EndpointPair> pairs{{0, 1}};
  RouteCsv csv(n, pairs, true);
  const std::uint32_t a = n.endpoint_node(0), b = n.endpoint_node(1);
  const std::vector<std::uint32_t> serving{3, 3, 3};
  const std::vector<std::uint8_t> calm{0, 0, 0}, lost{1, 0, 0};
  // One-way delays 10, 10.5, 11 | 20, 20.25 (reassigned early) | 15: boundary jumps 18 and 10.5 ms of
  // RTT, inside 1, 1, 0.5.
  const double one_way[] = {10.0, 10.5, 11.0, 20.0, 20.25, 15.0};
  const bool first[] = {true, false, false, true, false, true};
  std::string out;
  for (int i = 0; i < 6; ++i) {
    const StepSlot slot{.on = true,
                        .slot_start = kSeriesStart,
                        .new_slot = first[i],
                        .serving = serving,
                        .reassigned = i == 4 ? lost : calm,
                        .gateway_serving = {},
                        .gateway_reassigned = {}};
    csv.add_step(kSeriesStart, std::vector<Route>{route(one_way[i], {a, 3, b})}, slot, out);
  }
  csv.finish(out);
  EXPECT_EQ(out,
            "A,\"B,2\",6,6,0.000000,20.000,26.000,40.500,40.500,28.917,0,2,2,2,14.250,18.000,18.000,3,1.000,"
            "1.000,1.000,1\n");
}

// The slot grid on the UTC clock: 15 s from 12 s past midnight, across a day and a leap second.
TEST(NetworkSlots, SlotStartsOnTheUtcClock) {
  const Reconfiguration r = kStarlinkReconfiguration;
  const auto at = [&](const char* t) {
    return time::format_iso8601(slot_start(time::parse_iso8601(t), r), 3);
  };
  EXPECT_EQ(at("2026-05-01T00:00:00Z"), "2026-04-30T23:59:57.000Z");
  EXPECT_EQ(at("2026-05-01T00:00:11.999Z"), "2026-04-30T23:59:57.000Z");
  EXPECT_EQ(at("2026-05-01T00:00:12Z"), "2026-05-01T00:00:12.000Z");
  EXPECT_EQ(at("2026-05-01T00:00:26.999Z"), "2026-05-01T00:00:12.000Z");
  EXPECT_EQ(at("2026-05-01T00:00:27Z"), "2026-05-01T00:00:27.000Z");
  EXPECT_EQ(at("2026-05-01T13:41:44Z"), "2026-05-01T13:41:42.000Z");
  EXPECT_EQ(at("2026-05-01T13:41:59Z"), "2026-05-01T13:41:57.000Z");
  // 2016-12-31 ended with a leap second: its last slot, from 23:59:57, lasts 16 s.
  EXPECT_EQ(at("2016-12-31T23:59:60.5Z"), "2016-12-31T23:59:57.000Z");
  EXPECT_EQ(at("2017-01-01T00:00:11.5Z"), "2016-12-31T23:59:57.000Z");
  EXPECT_EQ(at("2017-01-01T00:00:12Z"), "2017-01-01T00:00:12.000Z");
  const Reconfiguration hour{time::Duration::hours(1.0), time::Duration::minutes(20.0)};
  EXPECT_EQ(time::format_iso8601(slot_start(time::parse_iso8601("2026-05-01T00:19:59Z"), hour), 0),
            "2026-04-30T23:20:00Z");
  EXPECT_THROW(slot_start(kSeriesStart, Reconfiguration{}), std::invalid_argument);
}

TEST(NetworkSlots, ChecksTheIntervalAndOffset) {
  const auto s = [](double x) { return time::Duration::seconds(x); };
  EXPECT_NO_THROW(check(Reconfiguration{}));
  EXPECT_NO_THROW(check(kStarlinkReconfiguration));
  EXPECT_NO_THROW(check(Reconfiguration{s(86400.0), s(86399.0)}));
  EXPECT_THROW(check(Reconfiguration{s(7.0), s(0.0)}), std::invalid_argument);  // does not divide 24 h
  EXPECT_THROW(check(Reconfiguration{s(-15.0), s(0.0)}), std::invalid_argument);
  EXPECT_THROW(check(Reconfiguration{s(15.0), s(15.0)}), std::invalid_argument);
  EXPECT_THROW(check(Reconfiguration{s(15.0), s(-1.0)}), std::invalid_argument);
  EXPECT_THROW(check(Reconfiguration{s(0.0), s(1.0)}), std::invalid_argument);
  EXPECT_THROW(route_series(
                   fixture().net, std::vector<time::Instant>{kSeriesStart}, std::vector<EndpointPair>{{0, 1}},
                   [](std::size_t, std::span<const Route>, const StepSlot&) {}, {}, {},
                   Reconfiguration{s(7.0), s(0.0)}),
               std::invalid_argument);
}

// Brute force over every satellite: end point e's usable satellite of highest elevation at t (25 deg
// mask, ties to the lower index), and whether `sat` is usable there.
struct Sky {
  std::vector<frames::StateVector> states;
  std::vector<orbits::Sgp4Error> errors;
  std::vector<frames::LookAngles> looks;
  Sky(const Fixture& f, std::size_t e, time::Instant t) {
    f.fleet.itrf_states(t, states, errors);
    const frames::Topocentric topo(f.net.endpoint(e).location);
    for (const auto& st : states) looks.push_back(topo.look(st));
  }
  [[nodiscard]] bool usable(std::uint32_t sat) const {
    return errors[sat] == orbits::Sgp4Error::none && looks[sat].elevation_rad >= 25.0 * kRadPerDeg;
  }
  [[nodiscard]] std::uint32_t highest() const {
    std::uint32_t best = kNoNode;
    for (std::uint32_t i = 0; i < looks.size(); ++i) {
      if (usable(i) && (best == kNoNode || looks[i].elevation_rad > looks[best].elevation_rad)) best = i;
    }
    return best;
  }
};

// Held satellites change only at slot starts (to the highest there) or when the held one is no longer
// usable (then to the highest usable at that step), every route leaves and enters through the held
// satellites, and holding never shortens a route (it removes links). Slots of 30 min at 8000 km, where
// a satellite stays in view for about an hour: with slot starts between steps (7 min past, steps every
// 2 min) and on steps.
TEST(NetworkSlots, HeldSatellitesChangeOnlyAtSlotStartsOrWhenLost) {
  const Fixture& f = fixture();
  const Network& net = f.net;
  const std::vector<EndpointPair> pairs{{0, 1}, {1, 2}, {2, kToInternet}, {0, kToInternet}};
  for (const double offset_min : {7.0, 0.0}) {
    const Reconfiguration r{time::Duration::minutes(30.0), time::Duration::minutes(offset_min)};
    std::vector<time::Instant> times;
    for (int i = 0; i < 150; ++i) times.push_back(kSeriesStart + time::Duration::minutes(2.0 * i));
    std::vector<std::uint32_t> last(net.endpoints(), kNoNode);
    std::size_t boundary_changes = 0, early = 0, held_steps = 0, new_slots = 0;
    const SeriesCounts counts = route_series(
        net, times, pairs,
        [&](std::size_t step, std::span<const Route> routes, const StepSlot& slot) {
          const time::Instant t = times[step];
          ASSERT_TRUE(slot.on);
          EXPECT_EQ(slot.slot_start, slot_start(t, r));
          EXPECT_EQ(slot.new_slot, step == 0 || slot_start(times[step - 1], r) != slot.slot_start);
          new_slots += slot.new_slot ? 1 : 0;
          ASSERT_EQ(slot.serving.size(), net.endpoints());
          for (std::size_t e = 0; e < net.endpoints(); ++e) {
            const std::uint32_t sat = slot.serving[e];
            const Sky now(f, e, t);
            if (sat != kNoNode) {
              EXPECT_TRUE(now.usable(sat)) << "step " << step << ", end point " << e;
              ++held_steps;
            }
            // The satellite held coming into this step: the slot's choice at its start, else the last.
            std::uint32_t held = last[e];
            if (slot.new_slot) held = Sky(f, e, slot.slot_start).highest();
            if (slot.reassigned[e] != 0) {
              // Lost: the held satellite is not usable now, the new one is the highest now.
              ++early;
              ASSERT_NE(held, kNoNode);
              EXPECT_FALSE(now.usable(held)) << "step " << step;
              EXPECT_EQ(sat, now.highest()) << "step " << step;
            } else if (held != kNoNode) {
              EXPECT_EQ(sat, held) << "held: step " << step << ", end point " << e;
            } else {
              EXPECT_EQ(sat, now.highest()) << "none held: step " << step << ", end point " << e;
            }
            boundary_changes += slot.new_slot && step > 0 && sat != last[e] ? 1 : 0;
            last[e] = sat;
          }
          // Routes leave and enter through the held satellites, and are never shorter than free ones.
          Snapshot snap;
          net.snapshot(t, snap);
          std::vector<Route> free;
          route_step(net, snap, pairs, free);
          for (std::size_t k = 0; k < pairs.size(); ++k) {
            const Route& route = routes[k];
            if (!route.reachable()) continue;
            EXPECT_EQ(route.path[1], slot.serving[pairs[k].src_endpoint]);
            if (pairs[k].dst_endpoint != kToInternet) {
              EXPECT_EQ(route.path[route.path.size() - 2], slot.serving[pairs[k].dst_endpoint]);
            }
            ASSERT_TRUE(free[k].reachable());
            EXPECT_GE(route.one_way_ms, free[k].one_way_ms);
          }
        },
        {}, {}, r);
    EXPECT_EQ(counts.slots, new_slots);
    EXPECT_EQ(counts.early_reassignments, early);
    // The test exercises what it checks.
    EXPECT_GT(boundary_changes, 5u) << "offset " << offset_min;
    EXPECT_GT(early, 0u) << "offset " << offset_min;
    EXPECT_GT(held_steps, 300u);
  }
}

// The shortest-path rule: at a step that is a slot's start, each end point is held to the satellite next
// to it on its (only) route there, so the held route is as short as the free one; at every step the
// held satellite is that slot's choice unless lost, and no held route is shorter than the free one.
TEST(NetworkSlots, ShortestPathRuleKeepsTheRouteOfTheSlotsStart) {
  const Network& net = fixture().net;
  const std::vector<EndpointPair> pairs{{0, 1}, {2, kToInternet}};  // each end point in one pair
  const Reconfiguration r{time::Duration::minutes(30.0), time::Duration::minutes(0.0),
                          ServingRule::shortest_path};
  std::vector<time::Instant> times;
  for (int i = 0; i < 60; ++i) times.push_back(kSeriesStart + time::Duration::minutes(5.0 * i));
  std::vector<std::uint32_t> last(net.endpoints(), kNoNode);
  std::size_t starts = 0, equal_at_start = 0, changes = 0;
  route_series(
      net, times, pairs,
      [&](std::size_t step, std::span<const Route> routes, const StepSlot& slot) {
        Snapshot snap;
        net.snapshot(times[step], snap);
        std::vector<Route> free;
        route_step(net, snap, pairs, free);
        for (std::size_t k = 0; k < pairs.size(); ++k) {
          if (!routes[k].reachable()) continue;
          ASSERT_TRUE(free[k].reachable());
          EXPECT_GE(routes[k].one_way_ms, free[k].one_way_ms) << "step " << step;
          EXPECT_EQ(routes[k].path[1], slot.serving[pairs[k].src_endpoint]);
          if (slot.slot_start == times[step]) {
            ++starts;
            EXPECT_EQ(routes[k].one_way_ms, free[k].one_way_ms) << "step " << step << ", pair " << k;
            EXPECT_EQ(slot.serving[pairs[k].src_endpoint], free[k].path[1]) << "step " << step;
            equal_at_start += routes[k].one_way_ms == free[k].one_way_ms ? 1 : 0;
          }
        }
        for (std::size_t e = 0; e < net.endpoints(); ++e) {
          if (!slot.new_slot && slot.reassigned[e] == 0 && last[e] != kNoNode) {
            EXPECT_EQ(slot.serving[e], last[e]) << "held through the slot: step " << step;
          }
          changes += slot.new_slot && step > 0 && slot.serving[e] != last[e] ? 1 : 0;
          last[e] = slot.serving[e];
        }
      },
      {}, {}, r);
  EXPECT_GT(starts, 10u);
  EXPECT_EQ(equal_at_start, starts);
  EXPECT_GT(changes, 3u);
}

namespace gateway_hold {

// A gateway's usable satellites at t (25 deg mask), by brute force over every satellite.
struct GatewaySky {
  std::vector<frames::LookAngles> looks;
  std::vector<orbits::Sgp4Error> errors;
  GatewaySky(const Fixture& f, std::size_t g, time::Instant t) {
    std::vector<frames::StateVector> states;
    f.fleet.itrf_states(t, states, errors);
    const frames::Topocentric topo(f.net.gateway(g).location);
    for (const auto& st : states) looks.push_back(topo.look(st));
  }
  [[nodiscard]] bool usable(std::uint32_t sat) const {
    return errors[sat] == orbits::Sgp4Error::none && looks[sat].elevation_rad >= 25.0 * kRadPerDeg;
  }
  [[nodiscard]] std::uint32_t highest() const {
    std::uint32_t best = kNoNode;
    for (std::uint32_t i = 0; i < looks.size(); ++i) {
      if (usable(i) && (best == kNoNode || looks[i].elevation_rad > looks[best].elevation_rad)) best = i;
    }
    return best;
  }
};

// With hold_gateways, the gateway's satellite is the highest usable at each slot's start (steps on and
// between slot starts), changes inside a slot only when it is no longer usable (then to the highest
// usable at that step), and every route to the internet lands through it; the site side is held as
// without the gateway hold.
TEST(NetworkSlots, HeldGatewaySatellitesChangeOnlyAtSlotStartsOrWhenLost) {
  const Fixture& f = fixture();
  const Network& net = f.net;
  const std::vector<EndpointPair> pairs{{0, kToInternet}, {1, kToInternet}, {2, kToInternet}};
  for (const double offset_min : {7.0, 0.0}) {
    Reconfiguration r{time::Duration::minutes(30.0), time::Duration::minutes(offset_min)};
    r.hold_gateways = true;
    Reconfiguration sites_only = r;
    sites_only.hold_gateways = false;
    std::vector<time::Instant> times;
    for (int i = 0; i < 150; ++i) times.push_back(kSeriesStart + time::Duration::minutes(2.0 * i));
    std::vector<std::vector<std::uint32_t>> serving_without;
    route_series(
        net, times, pairs,
        [&](std::size_t, std::span<const Route>, const StepSlot& slot) {
          EXPECT_TRUE(slot.gateway_serving.empty());
          serving_without.emplace_back(slot.serving.begin(), slot.serving.end());
        },
        {}, {}, sites_only);
    std::uint32_t last = kNoNode;
    std::size_t boundary_changes = 0, early = 0, landed = 0;
    const SeriesCounts counts = route_series(
        net, times, pairs,
        [&](std::size_t step, std::span<const Route> routes, const StepSlot& slot) {
          ASSERT_EQ(slot.gateway_serving.size(), 1u);
          EXPECT_EQ(std::vector<std::uint32_t>(slot.serving.begin(), slot.serving.end()),
                    serving_without[step]);
          const std::uint32_t sat = slot.gateway_serving[0];
          const GatewaySky now(f, 0, times[step]);
          std::uint32_t held = slot.new_slot ? GatewaySky(f, 0, slot.slot_start).highest() : last;
          if (slot.gateway_reassigned[0] != 0) {
            ++early;
            ASSERT_NE(held, kNoNode);
            EXPECT_FALSE(now.usable(held)) << "step " << step;
            EXPECT_EQ(sat, now.highest()) << "step " << step;
          } else if (held != kNoNode) {
            EXPECT_EQ(sat, held) << "held: step " << step;
          } else {
            EXPECT_EQ(sat, now.highest()) << "none held: step " << step;
          }
          boundary_changes += slot.new_slot && step > 0 && sat != last ? 1 : 0;
          last = sat;
          for (const Route& route : routes) {
            if (!route.reachable()) continue;
            const std::size_t n = route.path.size();
            ASSERT_GE(n, 4u);
            ASSERT_EQ(net.kind(route.path[n - 2]), NodeKind::gateway);
            EXPECT_EQ(route.path[n - 3], sat) << "step " << step;
            ++landed;
          }
        },
        {}, {}, r);
    EXPECT_EQ(counts.gateway_early_reassignments, early);
    // The test exercises what it checks.
    EXPECT_GT(boundary_changes, 3u) << "offset " << offset_min;
    EXPECT_GT(early, 0u) << "offset " << offset_min;
    EXPECT_GT(landed, 100u);
  }
}

// The shortest-path rule holds the gateway's satellite of the slot's first route through it: at a step
// that is a slot's start the held route is the free one.
TEST(NetworkSlots, GatewayHoldKeepsTheShortestRouteOfTheSlotsStart) {
  const Network& net = fixture().net;
  const std::vector<EndpointPair> pairs{{2, kToInternet}};
  Reconfiguration r{time::Duration::minutes(30.0), time::Duration::minutes(0.0), ServingRule::shortest_path};
  r.hold_gateways = true;
  std::vector<time::Instant> times;
  for (int i = 0; i < 60; ++i) times.push_back(kSeriesStart + time::Duration::minutes(5.0 * i));
  std::size_t starts = 0;
  route_series(
      net, times, pairs,
      [&](std::size_t step, std::span<const Route> routes, const StepSlot& slot) {
        if (slot.slot_start != times[step] || !routes[0].reachable()) return;
        Snapshot snap;
        net.snapshot(times[step], snap);
        std::vector<Route> free;
        route_step(net, snap, pairs, free);
        EXPECT_EQ(routes[0].path, free[0].path) << "step " << step;
        ++starts;
      },
      {}, {}, r);
  EXPECT_GT(starts, 5u);
  EXPECT_THROW(check(Reconfiguration{.interval = {}, .offset = {}, .hold_gateways = true}),
               std::invalid_argument);
}

}  // namespace gateway_hold

}  // namespace
}  // namespace skyfence::network
