// Water-filling over a flow network (the method and what it optimises are in allocation.h).
// When a greedy pass routes every point's whole demand, that is the answer and no network is built.
// Otherwise each thread keeps one network's buffers and reuses them in its next allocation; the last
// round's maximum flow is already the final one when the freezing changed no capacity (then no other
// is run).
#include "skyfence/capacity/allocation.h"

#include "skyfence/capacity/internal/whole_demand.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <stdexcept>
#include <string>
#include <vector>

namespace skyfence::capacity {
namespace {

constexpr double kInfinity = std::numeric_limits<double>::infinity();

// A maximum-flow network with double capacities (Dinic's algorithm). Edges come in pairs: edge e and
// its reverse e ^ 1. A residual below `eps` counts as none, so rounding never creates a path.
// build() lays out a new network in the buffers of the previous one.
class FlowNetwork {
 public:
  // Builds a network of `nodes` nodes in the buffers of the previous one, laid out by tail node (CSR).
  // edges(add) must call add(u, v, cap) for every edge u -> v, in the same order each time: it is called
  // twice (to count each node's edges, then to place them). The k-th edge added has index 2 k, its
  // reverse 2 k + 1, and each node lists its edges in the order they were added.
  template <class Edges>
  void build(std::size_t nodes, Edges&& edges) {
    first_.assign(nodes + 1, 0);
    level_.resize(nodes);
    next_.resize(nodes);
    std::size_t m = 0;
    edges([&](std::uint32_t u, std::uint32_t v, double) {
      ++first_[u + 1];
      ++first_[v + 1];
      ++m;
    });
    for (std::size_t v = 0; v < nodes; ++v) first_[v + 1] += first_[v];
    // Every slot below is written before it is read (flow_ by max_flow), so no clearing is needed.
    order_.resize(2 * m);
    to_.resize(2 * m);
    cap_.resize(2 * m);
    flow_.resize(2 * m);
    fill_.assign(first_.begin(), first_.end() - 1);
    double largest = 0.0;
    std::uint32_t e = 0;
    edges([&](std::uint32_t u, std::uint32_t v, double cap) {
      to_[e] = v;
      to_[e + 1] = u;
      cap_[e] = cap;
      cap_[e + 1] = 0.0;
      order_[fill_[u]++] = e;
      order_[fill_[v]++] = e + 1;
      e += 2;
      if (std::isfinite(cap)) largest = std::max(largest, cap);
    });
    eps_ = 1e-12 * (1.0 + largest);
  }

  void set_capacity(std::uint32_t e, double cap) { cap_[e] = cap; }
  [[nodiscard]] double capacity(std::uint32_t e) const { return cap_[e]; }
  [[nodiscard]] double flow(std::uint32_t e) const { return flow_[e]; }
  [[nodiscard]] double eps() const { return eps_; }
  [[nodiscard]] double residual(std::uint32_t e) const { return cap_[e] - flow_[e]; }

  // Maximum flow from s to t, from zero flow.
  double max_flow(std::uint32_t s, std::uint32_t t) {
    std::fill(flow_.begin(), flow_.end(), 0.0);
    double total = 0.0;
    while (levels(s, t)) {
      for (std::size_t v = 0; v < next_.size(); ++v) next_[v] = first_[v];
      for (;;) {
        const double pushed = push(s, t, kInfinity);
        if (pushed <= eps_) break;
        total += pushed;
      }
    }
    return total;
  }

  // Nodes reachable from s over edges with residual capacity (after max_flow: the source side of the
  // minimal minimum cut).
  void reachable_from(std::uint32_t s, std::vector<std::uint8_t>& mark) { walk(s, mark, /*forward=*/true); }
  // Nodes from which t is reachable over edges with residual capacity.
  void reaching(std::uint32_t t, std::vector<std::uint8_t>& mark) { walk(t, mark, /*forward=*/false); }

 private:
  bool levels(std::uint32_t s, std::uint32_t t) {
    std::fill(level_.begin(), level_.end(), -1);
    queue_.clear();
    queue_.push_back(s);
    level_[s] = 0;
    for (std::size_t head = 0; head < queue_.size(); ++head) {
      const std::uint32_t u = queue_[head];
      for (std::uint32_t k = first_[u]; k < first_[u + 1]; ++k) {
        const std::uint32_t e = order_[k];
        if (level_[to_[e]] < 0 && residual(e) > eps_) {
          level_[to_[e]] = level_[u] + 1;
          queue_.push_back(to_[e]);
        }
      }
    }
    return level_[t] >= 0;
  }

  // One augmenting path in the level graph (depth <= 6 in the allocation network, so recursion is
  // shallow); returns the amount pushed.
  double push(std::uint32_t u, std::uint32_t t, double limit) {
    if (u == t) return limit;
    for (std::uint32_t& k = next_[u]; k < first_[u + 1]; ++k) {
      const std::uint32_t e = order_[k];
      const std::uint32_t v = to_[e];
      if (level_[v] != level_[u] + 1 || residual(e) <= eps_) continue;
      const double got = push(v, t, std::min(limit, residual(e)));
      if (got > eps_) {
        flow_[e] += got;
        flow_[e ^ 1U] -= got;
        return got;
      }
    }
    return 0.0;
  }

  void walk(std::uint32_t start, std::vector<std::uint8_t>& mark, bool forward) {
    mark.assign(level_.size(), 0);
    std::vector<std::uint32_t>& stack = stack_;
    stack.assign(1, start);
    mark[start] = 1;
    while (!stack.empty()) {
      const std::uint32_t u = stack.back();
      stack.pop_back();
      for (std::uint32_t k = first_[u]; k < first_[u + 1]; ++k) {
        const std::uint32_t e = order_[k];
        // Forward: u -> v usable when e has residual. Backward: v -> u usable when e's reverse has.
        const bool usable = forward ? residual(e) > eps_ : residual(e ^ 1U) > eps_;
        if (usable && !mark[to_[e]]) {
          mark[to_[e]] = 1;
          stack.push_back(to_[e]);
        }
      }
    }
  }

  std::vector<std::uint32_t> first_, order_, to_;
  std::vector<double> cap_, flow_;
  std::vector<int> level_;
  std::vector<std::uint32_t> next_, queue_;
  std::vector<std::uint32_t> fill_, stack_;  // build()'s and walk()'s buffers
  double eps_ = 0.0;
};

void check(const Instance& in) {
  const auto bad = [](double v) { return !(std::isfinite(v) && v >= 0.0); };
  const auto fail = [](const std::string& what) {
    throw std::invalid_argument("capacity::allocate: " + what);
  };
  for (double v : in.satellites) {
    if (bad(v)) fail("satellite capacities must be finite and >= 0");
  }
  for (double v : in.cells) {
    if (bad(v)) fail("cell capacities must be finite and >= 0");
  }
  for (double v : in.gateways) {
    if (bad(v)) fail("gateway capacities must be finite and >= 0");
  }
  for (const Demand& d : in.points) {
    if (bad(d.demand_mbps)) fail("demands must be finite and >= 0");
    if (d.cell >= in.cells.size()) fail("a point's cell is out of range");
  }
  for (const Link& l : in.links) {
    if (bad(l.capacity_mbps)) fail("link capacities must be finite and >= 0");
    if (l.satellite >= in.satellites.size() || l.point >= in.points.size()) fail("a link is out of range");
  }
  if (in.gateway_mode == GatewayMode::none && !(in.gateways.empty() && in.sat_gateways.empty())) {
    fail("gateways are given but gateway_mode is none");
  }
  for (const auto& [s, g] : in.sat_gateways) {
    if (s >= in.satellites.size() || g >= in.gateways.size())
      fail("a satellite-gateway pair is out of range");
  }
}

// The allocation network of an instance and the edges the water-filling reads and writes, with the
// water-filling's buffers. build() reuses the buffers of the previous network.
struct Network {
  static constexpr std::uint32_t kSource = 0, kSink = 1;
  FlowNetwork net;
  std::vector<std::uint32_t> demand_edge;   // per point: point -> cell
  std::vector<std::uint32_t> sat_edge;      // per satellite: the edge carrying its capacity
  std::vector<std::uint32_t> cell_edge;     // per cell: cell -> sink
  std::vector<std::uint32_t> gateway_edge;  // per gateway: source -> gateway
  std::vector<std::uint32_t> point_node, cell_node;
  std::vector<std::uint8_t> side, from_source, to_sink;  // node marks

  static std::size_t node_count(const Instance& in) {
    const bool gw = in.gateway_mode == GatewayMode::bent_pipe;
    return 2 + (gw ? in.gateways.size() + in.satellites.size() : 0) + in.satellites.size() +
           in.points.size() + in.cells.size();
  }

  void build(const Instance& in) {
    const bool gw = in.gateway_mode == GatewayMode::bent_pipe;
    std::uint32_t next = 2;
    const std::uint32_t gw0 = next;
    if (gw) next += static_cast<std::uint32_t>(in.gateways.size());
    const std::uint32_t sat_in0 = next;
    if (gw) next += static_cast<std::uint32_t>(in.satellites.size());
    const std::uint32_t sat0 = next;
    next += static_cast<std::uint32_t>(in.satellites.size());
    const std::uint32_t point0 = next;
    next += static_cast<std::uint32_t>(in.points.size());
    const std::uint32_t cell0 = next;

    // The edges, in a fixed order (the order of each node's edges decides Dinic's search, hence the
    // flows' last bits).
    net.build(node_count(in), [&](auto&& add) {
      for (std::uint32_t g = 0; gw && g < in.gateways.size(); ++g) add(kSource, gw0 + g, in.gateways[g]);
      for (const auto& [s, g] : in.sat_gateways) add(gw0 + g, sat_in0 + s, kInfinity);
      for (std::uint32_t s = 0; s < in.satellites.size(); ++s)
        add(gw ? sat_in0 + s : kSource, sat0 + s, in.satellites[s]);
      for (const Link& l : in.links) add(sat0 + l.satellite, point0 + l.point, l.capacity_mbps);
      for (std::uint32_t i = 0; i < in.points.size(); ++i) add(point0 + i, cell0 + in.points[i].cell, 0.0);
      for (std::uint32_t c = 0; c < in.cells.size(); ++c) add(cell0 + c, kSink, in.cells[c]);
    });
    // Edge indices: 2 k for the k-th edge added above.
    std::uint32_t e = 2 * static_cast<std::uint32_t>((gw ? in.gateways.size() : 0) + in.sat_gateways.size());
    const auto take = [&](std::vector<std::uint32_t>& v, std::size_t count) {
      v.resize(count);
      for (std::uint32_t& x : v) {
        x = e;
        e += 2;
      }
    };
    gateway_edge.resize(gw ? in.gateways.size() : 0);
    for (std::uint32_t g = 0; g < gateway_edge.size(); ++g) gateway_edge[g] = 2 * g;
    take(sat_edge, in.satellites.size());
    e += 2 * static_cast<std::uint32_t>(in.links.size());
    take(demand_edge, in.points.size());
    take(cell_edge, in.cells.size());
    point_node.resize(in.points.size());
    for (std::uint32_t i = 0; i < in.points.size(); ++i) point_node[i] = point0 + i;
    cell_node.resize(in.cells.size());
    for (std::uint32_t c = 0; c < in.cells.size(); ++c) cell_node[c] = cell0 + c;
  }
};

// Largest level t in [0, 1] at which every active point can get t * d_i while the fixed points keep
// theirs, by Newton's method on the minimum cut: at an infeasible t the minimum cut is a line
// a + b t (b: demand of the active points whose demand edge crosses it) lying above the feasible
// region's boundary, so its crossing with the requirement Fix + D t is a lower t, never below the
// answer, and the iterates reach it after at most one step per breakpoint. Leaves the network holding
// a maximum flow at the returned level.
double highest_level(Network& nw, const std::vector<std::uint32_t>& active, const Instance& in,
                     double fixed_total, std::uint32_t& max_flows) {
  double demand_total = 0.0;
  for (std::uint32_t i : active) demand_total += in.points[i].demand_mbps;
  std::vector<std::uint8_t>& side = nw.side;
  double t = 1.0;
  for (int iteration = 0;; ++iteration) {
    for (std::uint32_t i : active) nw.net.set_capacity(nw.demand_edge[i], t * in.points[i].demand_mbps);
    const double flow = nw.net.max_flow(Network::kSource, Network::kSink);
    ++max_flows;
    const double required = fixed_total + t * demand_total;
    if (flow >= required - 1e-10 * (1.0 + required) || t == 0.0) return t;
    nw.net.reachable_from(Network::kSource, side);
    double b = 0.0;
    for (std::uint32_t i : active) {
      if (side[nw.point_node[i]] && !side[nw.cell_node[in.points[i].cell]]) b += in.points[i].demand_mbps;
    }
    const double a = flow - b * t;
    const double next = demand_total > b ? (a - fixed_total) / (demand_total - b) : 0.0;
    // Newton's iterates decrease strictly; rounding can stall them a hair above the answer, so a
    // step that does not decrease by a relative 1e-13 is forced down by it.
    t = std::clamp(std::min(next, t * (1.0 - 1e-13)), 0.0, 1.0);
    if (iteration > 200) t = 0.0;  // unreachable for exact arithmetic; a safe answer if rounding cycles
  }
}

}  // namespace

Allocation allocate(const Instance& in) {
  check(in);
  Allocation out;
  // Demand below capacity (the common case): one greedy pass decides, with no flow network.
  if (internal::route_whole_demand(
          in, [&](std::size_t k) { return in.links[k].capacity_mbps; }, out))
    return out;
  // Kept per thread so that a series of calls (the steps of a window) allocates the network once.
  thread_local Network nw;
  nw.build(in);

  std::vector<std::uint32_t> classes;
  for (const Demand& d : in.points) classes.push_back(d.priority);
  std::sort(classes.begin(), classes.end());
  classes.erase(std::unique(classes.begin(), classes.end()), classes.end());

  std::vector<double> fixed(in.points.size(), 0.0);  // frozen allocations
  double fixed_total = 0.0;
  std::vector<std::uint8_t>& from_source = nw.from_source;
  std::vector<std::uint8_t>& to_sink = nw.to_sink;
  for (std::uint32_t cls : classes) {
    std::vector<std::uint32_t> active;
    for (std::uint32_t i = 0; i < in.points.size(); ++i) {
      if (in.points[i].priority == cls && in.points[i].demand_mbps > 0.0) active.push_back(i);
    }
    while (!active.empty()) {
      ++out.rounds;
      const double t = highest_level(nw, active, in, fixed_total, out.max_flows);
      std::vector<std::uint32_t> rising;
      std::vector<std::uint8_t> rises(in.points.size(), 0);
      if (t < 1.0) {
        nw.net.reachable_from(Network::kSource, from_source);
        nw.net.reaching(Network::kSink, to_sink);
        for (std::uint32_t i : active) {
          if (from_source[nw.point_node[i]] && to_sink[nw.cell_node[in.points[i].cell]]) {
            rising.push_back(i);
            rises[i] = 1;
          }
        }
        // At the highest level some point is blocked; if rounding hides it, stop rising here.
        if (rising.size() == active.size()) {
          rising.clear();
          std::fill(rises.begin(), rises.end(), 0);
        }
      }
      for (std::uint32_t i : active) {
        if (rises[i]) continue;
        fixed[i] = t * in.points[i].demand_mbps;
        fixed_total += fixed[i];
        nw.net.set_capacity(nw.demand_edge[i], fixed[i]);
      }
      active = std::move(rising);
    }
  }

  // One maximum flow at the frozen allocations gives consistent satellite, gateway and cell flows. The
  // last round froze every point at the level its last maximum flow was computed for, so the network
  // usually holds that flow already; it is recomputed only if some capacity differs (max_flow starts
  // from zero flow, so the flow is the same either way, bit for bit).
  bool holds_flow = out.max_flows > 0;
  for (std::uint32_t i = 0; i < in.points.size(); ++i) {
    if (nw.net.capacity(nw.demand_edge[i]) != fixed[i]) {
      nw.net.set_capacity(nw.demand_edge[i], fixed[i]);
      holds_flow = false;
    }
  }
  if (!holds_flow) {
    nw.net.max_flow(Network::kSource, Network::kSink);
    ++out.max_flows;
  }
  const auto flows = [&](const std::vector<std::uint32_t>& edges) {
    std::vector<double> v;
    v.reserve(edges.size());
    for (std::uint32_t e : edges) v.push_back(std::max(0.0, nw.net.flow(e)));
    return v;
  };
  out.points = flows(nw.demand_edge);
  out.satellites = flows(nw.sat_edge);
  out.cells = flows(nw.cell_edge);
  out.gateways = flows(nw.gateway_edge);
  return out;
}

}  // namespace skyfence::capacity
