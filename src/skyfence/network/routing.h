// Shortest-delay routes between end points, or from an end point to the internet (its best PoP through
// any gateway), per time step, and their statistics over a window.
//
// Per step, one Dijkstra search (graph.h) runs per distinct source end point, in parallel over sources;
// each source's results depend only on the graph, so output is identical for any thread count. A pair
// (a, b) with a > b whose reverse (b, a) is also routed gets the reverse of that route (delays are
// symmetric): the same delay, and a shortest path too.
// The round-trip time is twice the one-way delay of the path at that instant: the network is taken as
// frozen during the round trip (a satellite moves 7.6 m per millisecond, so a 100 ms round trip sees
// path lengths change by well under a kilometre, < 0.01 ms).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "skyfence/network/graph.h"
#include "skyfence/network/topology.h"

namespace skyfence::network {

// dst_endpoint == kToInternet: route to the nearest (in delay) PoP, over any gateway.
inline constexpr std::uint32_t kToInternet = kNoNode;

struct EndpointPair {
  std::uint32_t src_endpoint = 0;  // index into the network's end points
  std::uint32_t dst_endpoint = 0;  // likewise, or kToInternet
};

struct Route {
  double one_way_ms = kUnreachable;  // kUnreachable when there is no path
  std::vector<std::uint32_t> path;   // nodes, source first; empty when unreachable
  [[nodiscard]] bool reachable() const { return !path.empty(); }
  [[nodiscard]] double rtt_ms() const { return 2.0 * one_way_ms; }
  // Links on the path (nodes - 1); 0 when unreachable or source == destination.
  [[nodiscard]] std::size_t hops() const { return path.empty() ? 0 : path.size() - 1; }
};

// Routes every pair at one snapshot of `network`; out[k] is pairs[k]'s route. REQUIRES: endpoint
// indices < network.endpoints(). Threads: network.options().threads.
void route_step(const Network& network, const Snapshot& snapshot, std::span<const EndpointPair> pairs,
                std::vector<Route>& out);

// Statistics of one pair over a window.
struct RouteSummary {
  std::size_t steps = 0;
  std::size_t reachable_steps = 0;
  // Over reachable steps; NaN when none. Median: mean of the two middle values for an even count.
  // p95: nearest rank (the ceil(0.95 n)-th smallest).
  double rtt_min_ms = 0.0, rtt_median_ms = 0.0, rtt_p95_ms = 0.0, rtt_max_ms = 0.0;
  double rtt_mean_ms = 0.0;
  // Number of reachable steps whose path differs from that of the previous reachable step.
  std::size_t path_changes = 0;
  std::size_t hops_min = 0, hops_max = 0;
  [[nodiscard]] double unreachable_share() const {
    return steps == 0 ? 0.0 : static_cast<double>(steps - reachable_steps) / static_cast<double>(steps);
  }
};

// Accumulates one pair's routes step by step.
class RouteStatistics {
 public:
  void add(const Route& route);
  [[nodiscard]] RouteSummary summary() const;

 private:
  std::size_t steps_ = 0;
  std::vector<double> rtt_ms_;
  std::vector<std::uint32_t> last_path_;
  std::size_t changes_ = 0, hops_min_ = 0, hops_max_ = 0;
};

}  // namespace skyfence::network
