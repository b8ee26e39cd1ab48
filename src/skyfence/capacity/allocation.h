// Allocation of one provider's capacity to demand at one instant: who gets how many Mbps when
// satellites, service cells and gateways are shared.
//
// The network (a flow network; all capacities in Mbps, finite and >= 0):
//
//   source -> gateway g (capacity G_g) -> satellite s (if s sees g) -> s (capacity S_s)
//          -> demand point i (link (s, i), capacity L_si) -> cell c(i) (the point's demand d_i)
//          -> sink (capacity C_c)
//
// With GatewayMode::none the source feeds every satellite directly (Instance::gateways must then be
// empty). A point i receives x_i = the flow on its arc i -> c(i), 0 <= x_i <= d_i; its fraction of
// demand met is x_i / d_i.
//
// What is optimised, exactly (each point has a priority class, 0 first):
//   1. strict priority between classes: class 0's allocation is the best for class 0 alone; class 1
//      gets the best that leaves class 0's allocation unchanged, point by point; and so on;
//   2. within a class, max-min fairness of the fraction of demand met (leximin): the sorted vector of
//      fractions is lexicographically largest (raise the smallest fraction as far as possible, then
//      the next...). The feasible allocations form a convex set, so this vector is unique.
// Fairness comes first: the total is not always the largest possible. Satellites feed points and
// cells collect them, so two points can each block a third (x0 + x1 <= 1 at a satellite, x0 + x2 <= 1
// at a cell): the fair (1/2, 1/2, 1/2) carries 1.5 where (0, 1, 1) carries 2. Every allocation
// returned is maximal (no point can get more without another getting less).
//
// Method: water-filling. Every unfrozen point of the class rises at the same fraction t; the largest
// feasible t is found by Newton's method on the minimum cut (the maximum flow is a concave
// piecewise-linear function of t, each iterate a cut's line, exact at a breakpoint); then the points
// that cannot grow alone (no augmenting path through their arc in the residual network) are frozen at
// t and the rest keep rising. A point that cannot grow alone cannot grow in any allocation that keeps
// the others at t or above (remove flow paths through the others' arcs), so it is right to freeze it;
// and if every point could grow alone, their average growth would be feasible (convexity), so each
// round freezes at least one point. Satellite, gateway and cell flows are one maximum flow consistent
// with x (they are not unique).
//
// First, a shortcut: each point in turn takes its demand over its links in order (from each link's
// satellite and that satellite's gateways, in order). If every point gets its whole demand, every
// fraction is 1, which no allocation can exceed, so that is the answer above and the greedy flows are
// a maximum flow consistent with it; otherwise (capacity short, or only the greedy order failed) the
// water-filling decides, from scratch. Demand far below capacity never builds a flow network.
//
// Checked against an independent linear-programming solution (scipy's HiGHS, progressive filling with
// one LP per level and per point) on random instances: tests/oracle/capacity/.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace skyfence::capacity {

// How satellites reach the ground.
enum class GatewayMode : std::uint8_t {
  none,       // no gateway limit: every satellite is fed from the source
  bent_pipe,  // a satellite is fed only through the gateways it sees (sat_gateways), each of capacity
              // Instance::gateways[g]
};

struct Link {
  std::uint32_t satellite = 0;
  std::uint32_t point = 0;
  double capacity_mbps = 0.0;
};

struct Demand {
  std::uint32_t cell = 0;
  double demand_mbps = 0.0;    // 0: the point takes nothing
  std::uint32_t priority = 0;  // 0 is served first
};

// One instant of one provider. REQUIRES: every index in range; every capacity and demand finite and
// >= 0. Checked by allocate (std::invalid_argument).
struct Instance {
  std::vector<double> satellites;  // S_s, Mbps
  std::vector<double> cells;       // C_c, Mbps
  std::vector<Demand> points;
  std::vector<Link> links;  // any order; a repeated (satellite, point) pair adds up
  GatewayMode gateway_mode = GatewayMode::none;
  std::vector<double> gateways;                                       // G_g, Mbps (bent_pipe)
  std::vector<std::pair<std::uint32_t, std::uint32_t>> sat_gateways;  // (satellite, gateway) in view
};

struct Allocation {
  std::vector<double> points;      // x_i, Mbps
  std::vector<double> satellites;  // flow through each satellite, Mbps
  std::vector<double> cells;       // flow into each cell, Mbps
  std::vector<double> gateways;    // flow through each gateway, Mbps (bent_pipe)
  std::uint32_t rounds = 0;        // water-filling rounds (levels), all classes (0: the shortcut decided)
  std::uint32_t max_flows = 0;     // maximum-flow computations (0: the shortcut decided)
};

// Relative tolerance of the allocation: every x_i is within kTolerance * (1 + d_i) of the exact value
// (floating-point maximum flows; the oracle test allows 1e-6 relative to max(1, d_i)).
inline constexpr double kTolerance = 1e-9;

// The allocation described at the top of this file. Deterministic: the same instance gives the same
// doubles. Cost: one pass over the links when the greedy shortcut meets all demand; otherwise per
// water-filling round a few maximum flows (Dinic) on the network above.
[[nodiscard]] Allocation allocate(const Instance& instance);

}  // namespace skyfence::capacity
