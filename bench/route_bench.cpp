// Routing workload of docs/performance.md ("network"): all-pairs shortest-delay routes between the 100
// most populous cities (data/cities/cities_top100.csv) over the Starlink 550 km shell (72 planes x 22,
// 53 deg, Walker layout of the starlink_gen1 preset) with plus-grid ISLs, per time step. A step is
// everything: SGP4 for every satellite, ITRF, ISL range and grazing tests, up/down links above 25 deg,
// the CSR graph, and one Dijkstra per source city with the paths to the 99 others.
// Usage: route_bench [--threads N] [--steps K] [--step-s S] [--start ISO] [--ground-relay]
//                    [--cold] [--dump DIR [--no-routes]] [--catalog NAME] [--dump-graph DIR]
// --catalog NAME routes over a bundled real catalog instead (e.g. starlink: the 2026-04-27 snapshot,
// 10,238 satellites, planes inferred from the elements as `skyfence route --catalog` does; --start
// defaults to 2026-04-27T00:00:00Z). --dump-graph DIR writes each step's graph and skyfence's delays for
// the networkx peer that routes on the same graph (bench/route_graph_bench.py): DIR/graph.json (nodes,
// the cities' first node, the nodes that never relay), DIR/edges_<step>.bin (uint32 u, uint32 v,
// float64 delay ms per undirected edge) and DIR/delays_<step>.f64 (one-way ms per ordered pair of
// cities, a != b in index order; NaN when unreachable).
// Each step's searches start from the previous step's settle orders (network::RouteMemory); --cold
// runs every search from scratch, as a single step would.
// Prints one "name value unit" line per figure for bench/route_bench.sh. --dump DIR writes what the
// networkx peer needs to redo the same steps on the same positions: DIR/positions.f64 (float64, steps x
// satellites x 3, ITRF km), DIR/meta.json and (unless --no-routes) DIR/skyfence_routes.csv
// (step,src,dst,one_way_ms,path) for every ordered pair of cities.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <fstream>
#include <string>
#include <vector>

#include "skyfence/earth/site.h"
#include "skyfence/network/planes.h"
#include "skyfence/network/routing.h"
#include "skyfence/network/topology.h"
#include "skyfence/orbits/load.h"
#include "skyfence/orbits/presets.h"
#include "skyfence/orbits/walker.h"
#include "skyfence/time/scales.h"
#include "skyfence/visibility/fleet.h"

using namespace skyfence;

namespace {

double ms_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
}

std::vector<network::GroundNode> load_nodes(const std::string& relative) {
  const auto list = earth::read_sites_file(std::string(SKYFENCE_DATA_DIR) + "/" + relative,
                                           {.strict = true, .name_column = {}});
  std::vector<network::GroundNode> out;
  for (const auto& s : list.sites) out.push_back({s.id, s.location});
  return out;
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n % 2 == 1 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

}  // namespace

int main(int argc, char** argv) {
  unsigned threads = 0;
  int steps = 20;
  double step_s = 1.0;
  std::string start = "2026-05-01T00:00:00Z";
  std::string dump;
  bool ground_relay = false;
  bool dump_routes = true;
  bool cold = false;
  std::string catalog, dump_graph;
  bool start_given = false;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--start") == 0) start_given = true;
    const std::string a = argv[i];
    if (a == "--threads" && i + 1 < argc) {
      threads = static_cast<unsigned>(std::atoi(argv[++i]));
    } else if (a == "--steps" && i + 1 < argc) {
      steps = std::atoi(argv[++i]);
    } else if (a == "--step-s" && i + 1 < argc) {
      step_s = std::atof(argv[++i]);
    } else if (a == "--start" && i + 1 < argc) {
      start = argv[++i];
    } else if (a == "--dump" && i + 1 < argc) {
      dump = argv[++i];
    } else if (a == "--ground-relay") {
      ground_relay = true;
    } else if (a == "--cold") {
      cold = true;
    } else if (a == "--no-routes") {
      dump_routes = false;
    } else if (a == "--catalog" && i + 1 < argc) {
      catalog = argv[++i];
    } else if (a == "--dump-graph" && i + 1 < argc) {
      dump_graph = argv[++i];
    } else {
      std::fprintf(stderr,
                   "usage: route_bench [--threads N] [--steps K] [--step-s S] [--start ISO] "
                   "[--ground-relay] [--cold] [--dump DIR [--no-routes]] [--catalog NAME] "
                   "[--dump-graph DIR]\n");
      return 2;
    }
  }
  if (!catalog.empty() && !dump.empty()) {
    std::fprintf(stderr, "route_bench: --dump is for the Walker shell; use --dump-graph with --catalog\n");
    return 2;
  }
  if (!catalog.empty() && !start_given) start = "2026-04-27T00:00:00Z";
  const time::Instant t0 = time::parse_iso8601(start, "--start");
  const auto lib = orbits::load_presets(orbits::presets_path(SKYFENCE_DATA_DIR));
  const orbits::WalkerShell shell = *lib.find("starlink_gen1").shells[0].layout;
  // Named and numbered as `skyfence route --preset starlink-gen1` names shell 0; or a real catalog, its
  // planes inferred as `skyfence route --catalog` infers them.
  orbits::GeneratedConstellation gen;
  network::PlaneAssignment planes;
  if (catalog.empty()) {
    gen = orbits::generate_walker(std::span(&shell, 1), t0, {.prefix = "STARLINK_GEN1"});
    planes = network::planes_from_walker(gen.slots, std::span(&shell, 1));
  } else {
    const time::Instant t1 = t0 + time::Duration::seconds(step_s * steps);
    gen.sets = orbits::load_satellites({.kind = orbits::SatelliteSource::Kind::catalog, .value = catalog}, t0,
                                       t1, SKYFENCE_DATA_DIR)
                   .sets;
    planes = network::infer_planes(gen.sets);
  }
  const visibility::Fleet fleet(gen.sets);
  const auto cities = load_nodes("cities/cities_top100.csv");
  network::NetworkOptions opt;
  opt.ground_relay = ground_relay;
  opt.gateway_links = ground_relay;  // satellites only: no route can use them
  const network::Network net(fleet, network::plus_grid_links(planes),
                             load_nodes("gateways/starlink_gateways.csv"),
                             load_nodes("gateways/starlink_pops.csv"), cities, opt);
  std::vector<network::EndpointPair> pairs;
  for (std::uint32_t a = 0; a < cities.size(); ++a) {
    for (std::uint32_t b = 0; b < cities.size(); ++b) {
      if (a != b) pairs.push_back({a, b});
    }
  }
  std::ofstream pos, routes_csv;
  if (!dump.empty()) {
    pos.open(dump + "/positions.f64", std::ios::binary);
    routes_csv.open(dump + "/skyfence_routes.csv");
    routes_csv << "step,src,dst,one_way_ms,path\n";
    std::ofstream meta(dump + "/meta.json");
    meta << "{\"satellites\": " << gen.sets.size() << ", \"steps\": " << steps << ", \"step_s\": " << step_s
         << ", \"start\": \"" << start << "\", \"planes\": " << shell.planes
         << ", \"sats_per_plane\": " << shell.sats_per_plane << ", \"min_elevation_deg\": 25.0"
         << ", \"grazing_altitude_km\": 80.0, \"ground_relay\": " << (ground_relay ? "true" : "false")
         << ", \"norad_ids\": [";
    for (std::size_t i = 0; i < gen.sets.size(); ++i) meta << (i ? "," : "") << gen.sets[i].norad_id;
    meta << "]}\n";
  }
  if (!dump_graph.empty()) {
    std::ofstream meta(dump_graph + "/graph.json");
    meta << "{\"nodes\": " << net.nodes() << ", \"satellites\": " << net.satellites()
         << ", \"first_city\": " << net.endpoint_node(0) << ", \"cities\": " << cities.size()
         << ", \"steps\": " << steps << ", \"no_relay\": [";
    const std::vector<std::uint8_t> flags = net.flags_between_endpoints();
    bool first = true;
    for (std::uint32_t v = 0; v < flags.size(); ++v) {
      if ((flags[v] & network::kNoRelay) == 0) continue;
      meta << (first ? "" : ",") << v;
      first = false;
    }
    meta << "]}\n";
  }
  network::Snapshot snap;
  std::vector<network::Route> routes;
  network::RouteMemory memory;
  std::vector<double> total_ms, graph_ms, route_ms;
  const std::clock_t cpu0 = std::clock();
  std::size_t reachable = 0, edges = 0;
  char buf[64];
  for (int s = 0; s < steps; ++s) {
    const time::Instant t = t0 + time::Duration::seconds(step_s * s);
    const auto a = std::chrono::steady_clock::now();
    net.snapshot(t, snap, {.threads = threads});
    const double g = ms_since(a);
    const auto b = std::chrono::steady_clock::now();
    network::route_step(net, snap, pairs, routes, cold ? nullptr : &memory, {.threads = threads});
    const double r = ms_since(b);
    total_ms.push_back(g + r);
    graph_ms.push_back(g);
    route_ms.push_back(r);
    edges += snap.graph.edges();
    for (const auto& rt : routes) reachable += rt.reachable() ? 1 : 0;
    if (!dump_graph.empty()) {
      // Each undirected edge once (from its lower end), and skyfence's delay of every pair.
      std::ofstream e(dump_graph + "/edges_" + std::to_string(s) + ".bin", std::ios::binary);
      for (std::uint32_t u = 0; u < snap.graph.nodes; ++u) {
        for (std::uint32_t k = snap.graph.offsets[u]; k < snap.graph.offsets[u + 1]; ++k) {
          const auto& arc = snap.graph.arcs[k];
          if (arc.to < u) continue;
          e.write(reinterpret_cast<const char*>(&u), sizeof u);
          e.write(reinterpret_cast<const char*>(&arc.to), sizeof arc.to);
          e.write(reinterpret_cast<const char*>(&arc.delay_ms), sizeof arc.delay_ms);
        }
      }
      std::ofstream d(dump_graph + "/delays_" + std::to_string(s) + ".f64", std::ios::binary);
      for (const auto& rt : routes) {
        const double ms = rt.reachable() ? rt.one_way_ms : std::nan("");
        d.write(reinterpret_cast<const char*>(&ms), sizeof ms);
      }
    }
    if (!dump.empty()) {
      for (const auto& st : snap.sat_itrf) {
        const double xyz[3] = {st.r_km.x, st.r_km.y, st.r_km.z};
        pos.write(reinterpret_cast<const char*>(xyz), sizeof xyz);
      }
      for (std::size_t k = 0; dump_routes && k < pairs.size(); ++k) {
        routes_csv << s << ',' << cities[pairs[k].src_endpoint].id << ',' << cities[pairs[k].dst_endpoint].id
                   << ',';
        if (routes[k].reachable()) {
          std::snprintf(buf, sizeof buf, "%.9f", routes[k].one_way_ms);
          routes_csv << buf << ',';
          for (std::size_t i = 0; i < routes[k].path.size(); ++i) {
            const std::uint32_t node = routes[k].path[i];
            if (i > 0) routes_csv << '>';
            if (net.kind(node) == network::NodeKind::satellite) {
              routes_csv << gen.sets[node].norad_id;
            } else if (net.kind(node) == network::NodeKind::endpoint) {
              routes_csv << cities[net.index(node)].id;
            } else if (net.kind(node) == network::NodeKind::gateway) {
              routes_csv << net.gateway(net.index(node)).id;
            } else {
              routes_csv << net.pop(net.index(node)).id;
            }
          }
        } else {
          routes_csv << ',';
        }
        routes_csv << '\n';
      }
    }
  }
  const double cpu_ms = 1000.0 * static_cast<double>(std::clock() - cpu0) / CLOCKS_PER_SEC;
  std::printf("satellites %zu\n", gen.sets.size());
  std::printf("cities %zu\n", cities.size());
  std::printf("pairs %zu\n", pairs.size());
  std::printf("steps %d\n", steps);
  std::printf("edges_per_step %.0f\n", static_cast<double>(edges) / steps);
  std::printf("reachable_share %.4f\n",
              static_cast<double>(reachable) / static_cast<double>(pairs.size() * steps));
  std::printf("step_ms %.3f ms (median; graph %.3f ms + routing %.3f ms)\n", median(total_ms),
              median(graph_ms), median(route_ms));
  std::printf("step_first_ms %.3f ms (the first step: fresh searches)\n", total_ms.front());
  std::printf("searches_reused %.4f (share of searches warm-started from the previous step)\n",
              memory.searches() == 0
                  ? 0.0
                  : static_cast<double>(memory.reused()) / static_cast<double>(memory.searches()));
  std::printf("settled_per_search %.0f nodes (of %u)\n",
              memory.searches() == 0
                  ? 0.0
                  : static_cast<double>(memory.settled()) / static_cast<double>(memory.searches()),
              net.nodes());
  std::printf("step_min_ms %.3f ms\n", *std::min_element(total_ms.begin(), total_ms.end()));
  // CPU time of the whole process (all threads) per step: robust against other load on the machine.
  std::printf("step_cpu_ms %.3f ms (process CPU time per step, all threads%s)\n", cpu_ms / steps,
              dump.empty() ? "" : ", including the dump");
  return 0;
}
