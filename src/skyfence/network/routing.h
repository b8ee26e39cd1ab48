// Shortest-delay routes between end points, or from an end point to the internet (its best PoP through
// any gateway), per time step, and their statistics over a window.
//
// Per step, one Dijkstra search (graph.h) runs per distinct source end point, in parallel over sources
// (warm-started from the previous step's when a RouteMemory is passed); each source's results depend
// only on the graph, so output is identical for any thread count. Of two pairs (a, b) and (b, a), only
// one is searched: the one whose source lies farther from the end points' mean direction (then the
// lower index), which keeps the searches short; the other gets the reverse of its route (delays are
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

// What route_step keeps from one step to the next: the plan for the pairs (searches by source, pairs
// answered by the reverse of another) and, per search, the order in which it settled the nodes, from
// which the next step's search starts (shortest_paths_reusing: one pass with no heap while the network
// moves little, certified, else a fresh search). The routes are the same with or without it. Keep one
// per sequence of steps over the same network and pairs; anything else only costs fresh searches.
class RouteMemory {
 public:
  // Searches run and how many of them reused the previous step's order, since construction.
  [[nodiscard]] std::size_t searches() const { return searches_; }
  [[nodiscard]] std::size_t reused() const { return reused_; }
  // Nodes the searches settled (or processed, when reusing), summed.
  [[nodiscard]] std::size_t settled() const { return settled_; }

 private:
  friend void route_step(const Network&, const Snapshot&, std::span<const EndpointPair>, std::vector<Route>&,
                         RouteMemory*, const RunContext&);
  // One search's memory: its last settle order, and a back-off: after `fails` failed reuses in a row
  // (the network moved too much between steps), the next 2^(fails-1) - 1 steps (at most 7) search
  // afresh without trying, so large steps cost little more than fresh searches.
  struct Search {
    std::vector<std::uint32_t> order;
    unsigned fails = 0, wait = 0;
    // Runs the search; returns 1 when the order was reused, else 0.
    int run(const Graph& graph, std::uint32_t source, std::span<const std::uint8_t> flags,
            ShortestPaths& out);
  };
  struct Source {
    std::uint32_t endpoint = 0;
    std::vector<std::size_t> pairs;  // indices of the pairs this source's searches answer
    bool to_endpoints = false, to_internet = false;
    Search endpoints, internet;
  };
  std::vector<EndpointPair> pairs_;  // the pairs the plan is for
  std::size_t nodes_ = 0;            // node count of the network the orders are for
  std::vector<Source> sources_;
  std::vector<std::size_t> mirror_;  // per pair: the pair whose reverse it is, or pairs.size()
  std::size_t searches_ = 0, reused_ = 0, settled_ = 0;
};

// Routes every pair at one snapshot of `network`; out[k] is pairs[k]'s route. REQUIRES: endpoint
// indices < network.endpoints() (dst_endpoint may be kToInternet); throws std::invalid_argument
// otherwise. Threads: run.workers() (the routes do not depend on them). With `memory`, a step reuses
// the work of the previous call with the same memory (see RouteMemory); the routes are identical.
void route_step(const Network& network, const Snapshot& snapshot, std::span<const EndpointPair> pairs,
                std::vector<Route>& out, RouteMemory* memory = nullptr, const RunContext& run = {});

// Statistics of one pair over a window.
struct RouteSummary {
  std::size_t steps = 0;
  std::size_t reachable_steps = 0;
  // Over reachable steps; NaN when none. Median: median_of_sorted (the mean of the two middle values
  // for an even count); p95: nearest_rank_of_sorted (the ceil(0.95 n)-th smallest), core/statistics.h.
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
