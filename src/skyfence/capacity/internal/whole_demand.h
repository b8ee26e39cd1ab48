// The shortcut of capacity::allocate (allocation.h): route every point's whole demand greedily. Also
// called by the capacity engine with each point's links read from its sightings, their capacities
// computed only when the pass reads them (most links are never built when demand fits).
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
  // The pass over in.links (grouped by point, in order); link_capacity(k) gives link k's capacity.
  template <class LinkCapacity>
  bool route(const Instance& in, LinkCapacity&& link_capacity, Allocation& out) {
    by_key(
        in.links.size(), in.points.size(), [&](std::size_t k) { return in.links[k].point; }, first, order);
    return route_points(
        in,
        [&](std::size_t i, auto&& take) {
          for (std::uint32_t j = first[i]; j < first[i + 1]; ++j) {
            if (!take(in.links[order[j]].satellite, link_capacity(static_cast<std::size_t>(order[j]))))
              return;
          }
        },
        out);
  }

  // The pass with the links given point by point, in.links unread: point_links(i, take) calls
  // take(satellite, capacity) for point i's links in order, until take returns false.
  template <class PointLinks>
  bool route_points(const Instance& in, PointLinks&& point_links, Allocation& out) {
    const std::size_t np = in.points.size(), ns = in.satellites.size();
    const bool bent = in.gateway_mode == GatewayMode::bent_pipe;
    cell_left = in.cells;
    for (const Demand& d : in.points) cell_left[d.cell] -= d.demand_mbps;
    for (const double v : cell_left) {
      if (v < 0.0) return false;
    }
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
      bool short_feed = false;
      const auto take = [&](std::uint32_t satellite, double capacity) {
        double f = std::min({need, capacity, sat_left[satellite]});
        if (bent) {
          double feed = 0.0;
          for (std::uint32_t g = gw_first[satellite]; g < gw_first[satellite + 1]; ++g)
            feed += gw_left[gw_list[g]];
          f = std::min(f, feed);
        }
        if (!(f > 0.0)) return true;
        if (bent) {
          double left = f;
          for (std::uint32_t g = gw_first[satellite]; g < gw_first[satellite + 1] && left > 0.0; ++g) {
            const double part = std::min(left, gw_left[gw_list[g]]);
            gw_left[gw_list[g]] -= part;
            out.gateways[gw_list[g]] += part;
            left -= part;
          }
          if (left > 0.0) {  // the feed's sum rounded above its parts
            short_feed = true;
            return false;
          }
        }
        sat_left[satellite] -= f;
        out.satellites[satellite] += f;
        need -= f;
        return need > 0.0;
      };
      if (need > 0.0) point_links(i, take);
      if (short_feed || need > 0.0) return false;
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

// WholeDemand::route_points with per-thread buffers. REQUIRES: the links point_links gives make an
// instance allocate() accepts.
template <class PointLinks>
bool route_whole_demand_by_point(const Instance& in, PointLinks&& point_links, Allocation& out) {
  thread_local WholeDemand whole;
  return whole.route_points(in, point_links, out);
}

}  // namespace skyfence::capacity::internal
