// Routes over a window (route_series: the same routes as independent steps, the counts, stopping) and
// the two CSV forms of skyfence route (RouteCsv, node_label), on hand-made routes with exact text.
#include "skyfence/network/series.h"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <vector>

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
  const SeriesCounts counts =
      route_series(net, times, pairs, [&](std::size_t step, std::span<const Route> routes) {
        seen.push_back(step);
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
                            [&](std::size_t step, std::span<const Route>) {
                              ++calls;
                              if (step == 1) throw std::runtime_error("stop");
                            }),
               std::runtime_error);
  EXPECT_EQ(calls, 2u);
  EXPECT_EQ(
      route_series(fixture().net, {}, pairs, [&](std::size_t, std::span<const Route>) { ++calls; }).steps,
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
  EXPECT_EQ(csv.header(), "time_utc,src,dst,rtt_ms,one_way_ms,hops,path\n");
  const std::string s3 = std::to_string(f.gen.sets[3].norad_id), s5 = std::to_string(f.gen.sets[5].norad_id);
  const std::vector<Route> routes{
      route(1.2345, {n.endpoint_node(0), 3, 5, n.endpoint_node(1)}),
      route(20.0004, {n.endpoint_node(1), 5, n.gateway_node(0), n.pop_node(0)}),
      route(kUnreachable, {}),
      route(kUnreachable, {}),
  };
  std::string out = "before\n";
  csv.add_step(kSeriesStart + time::Duration::seconds(1.5), routes, out);
  csv.finish(out);  // nothing in the rows form
  EXPECT_EQ(out,
            "before\n"
            "2026-05-01T00:00:01.500Z,A,\"B,2\",2.469,1.234,3,\"A>" +
                s3 + ">" + s5 + ">B,2\"\n" +
                "2026-05-01T00:00:01.500Z,\"B,2\",\"P\"\"1\",40.001,20.000,3,\"B,2>" + s5 +
                ">GW,1>P\"\"1\"\n" + "2026-05-01T00:00:01.500Z,C,A,,,,\n" +
                "2026-05-01T00:00:01.500Z,C,,,,,\n");
}

TEST(NetworkSeries, CsvSummary) {
  const Network& n = fixture().net;
  const std::vector<EndpointPair> pairs{{0, 1}, {1, kToInternet}, {2, 0}};
  RouteCsv csv(n, pairs, true);
  EXPECT_EQ(csv.header(),
            "src,dst,steps,reachable_steps,unreachable_share,rtt_min_ms,rtt_median_ms,rtt_p95_ms,rtt_max_ms,"
            "rtt_mean_ms,path_changes,hops_min,hops_max\n");
  const std::uint32_t a = n.endpoint_node(0), b = n.endpoint_node(1), gw = n.gateway_node(0),
                      pop = n.pop_node(0);
  std::string out;
  csv.add_step(
      kSeriesStart,
      std::vector<Route>{route(10.0, {a, 3, b}), route(5.0, {b, 5, gw, pop}), route(kUnreachable, {})}, out);
  csv.add_step(
      kSeriesStart,
      std::vector<Route>{route(12.0, {a, 3, 4, b}), route(kUnreachable, {}), route(kUnreachable, {})}, out);
  csv.add_step(
      kSeriesStart,
      std::vector<Route>{route(11.0, {a, 3, 4, b}), route(6.0, {b, 5, gw, pop}), route(kUnreachable, {})},
      out);
  EXPECT_EQ(out, "");  // the summary form writes at the end
  csv.finish(out);
  EXPECT_EQ(out,
            "A,\"B,2\",3,3,0.000000,20.000,22.000,24.000,24.000,22.000,1,2,3\n"
            "\"B,2\",internet,3,2,0.333333,10.000,11.000,12.000,12.000,11.000,0,3,3\n"
            "C,A,3,0,1.000000,,,,,,0,,\n");
}

}  // namespace
}  // namespace skyfence::network
