// The shortcut of capacity::allocate (allocation.h): route every point's whole demand greedily. Also
// called by the capacity engine with link capacities computed only when the pass reads them (most
// links' are never needed when demand fits).
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "skyfence/capacity/allocation.h"

namespace skyfence::capacity::internal {

// The whole demand routed greedily: each point in turn over its links in order, each link's share
// taken from its satellite and, in bent-pipe mode, from that satellite's gateways in order. When every
// point gets its whole demand, that is the allocation (every fraction is 1, the most any point can
// have, so strict priority and max-min fairness both hold) and the routed flow is a maximum flow
// consistent with it. When some demand is left (capacity short, or only the greedy order failed),
// returns false and decides nothing. Keeps its buffers from call to call.
class WholeDemand {
 public:
  template <class LinkCapacity>
  bool route(const Instance& in, LinkCapacity&& link_capacity, Allocation& out) {
    const std::size_t np = in.points.size(), ns = in.satellites.size();
    const bool bent = in.gateway_mode == GatewayMode::bent_pipe;
    cell_left = in.cells;
    for (const Demand& d : in.points) cell_left[d.cell] -= d.demand_mbps;
    for (const double v : cell_left) {
      if (v < 0.0) return false;
    }
    by_key(
        in.links.size(), np, [&](std::size_t k) { return in.links[k].point; }, first, order);
    if (bent) {
      by_key(
          in.sat_gateways.size(), ns, [&](std::size_t k) { return in.sat_gateways[k].first; }, gw_first,
          gw_list);
      for (std::uint32_t& k : gw_list) k = in.sat_gateways[k].second;
      gw_left = in.gateways;
    }
    sat_left = in.satellites;
    out.satellites.assign(ns, 0.0);
    out.gateways.assign(bent ? in.gateways.size() : 0, 0.0);
    for (std::size_t i = 0; i < np; ++i) {
      double need = in.points[i].demand_mbps;
      for (std::uint32_t j = first[i]; j < first[i + 1] && need > 0.0; ++j) {
        const Link& l = in.links[order[j]];
        double f = std::min({need, link_capacity(static_cast<std::size_t>(order[j])), sat_left[l.satellite]});
        if (bent) {
          double feed = 0.0;
          for (std::uint32_t g = gw_first[l.satellite]; g < gw_first[l.satellite + 1]; ++g)
            feed += gw_left[gw_list[g]];
          f = std::min(f, feed);
        }
        if (!(f > 0.0)) continue;
        if (bent) {
          double left = f;
          for (std::uint32_t g = gw_first[l.satellite]; g < gw_first[l.satellite + 1] && left > 0.0; ++g) {
            const double take = std::min(left, gw_left[gw_list[g]]);
            gw_left[gw_list[g]] -= take;
            out.gateways[gw_list[g]] += take;
            left -= take;
          }
          if (left > 0.0) return false;  // the feed's sum rounded above its parts
        }
        sat_left[l.satellite] -= f;
        out.satellites[l.satellite] += f;
        need -= f;
      }
      if (need > 0.0) return false;
    }
    out.points.resize(np);
    out.cells.assign(in.cells.size(), 0.0);
    for (std::size_t i = 0; i < np; ++i) {
      out.points[i] = in.points[i].demand_mbps;
      out.cells[in.points[i].cell] += in.points[i].demand_mbps;
    }
    return true;
  }

 private:
  // `order` lists 0..n-1 grouped by key (stable); `offsets[k]..offsets[k + 1]` are key k's.
  template <class Key>
  void by_key(std::size_t n, std::size_t keys, Key&& key, std::vector<std::uint32_t>& offsets,
              std::vector<std::uint32_t>& order_out) {
    offsets.assign(keys + 1, 0);
    for (std::size_t k = 0; k < n; ++k) ++offsets[key(k) + 1];
    for (std::size_t k = 0; k < keys; ++k) offsets[k + 1] += offsets[k];
    next.assign(offsets.begin(), offsets.end() - 1);
    order_out.resize(n);
    for (std::size_t k = 0; k < n; ++k) order_out[next[key(k)]++] = static_cast<std::uint32_t>(k);
  }

  std::vector<std::uint32_t> first, order, next;  // links by point (CSR)
  std::vector<std::uint32_t> gw_first, gw_list;   // gateways by satellite (CSR)
  std::vector<double> cell_left, sat_left, gw_left;
};

// WholeDemand::route with per-thread buffers. link_capacity(k): link k's capacity, Mbps (finite, >= 0;
// Instance::links[k].capacity_mbps is not read). REQUIRES: an instance allocate() accepts but for the
// link capacities.
template <class LinkCapacity>
bool route_whole_demand(const Instance& in, LinkCapacity&& link_capacity, Allocation& out) {
  thread_local WholeDemand whole;
  return whole.route(in, link_capacity, out);
}

}  // namespace skyfence::capacity::internal
