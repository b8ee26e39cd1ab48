// Routes over a window, step by step, and the two CSV forms of `skyfence route` (docs/network.md): a
// row per pair and step, or a summary row per pair over the window.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <vector>

#include "skyfence/network/routing.h"
#include "skyfence/network/topology.h"
#include "skyfence/time/instant.h"

namespace skyfence::network {

// Totals over the steps of a series.
struct SeriesCounts {
  std::size_t steps = 0;
  std::size_t sgp4_failures = 0;   // satellite-steps with an SGP4 error
  std::size_t isl_up = 0;          // ISLs up, summed over steps
  std::size_t isl_candidates = 0;  // candidate ISLs, summed over steps
};

// Routes `pairs` at each of `times` in order: one snapshot and one route_step per time, each step
// warm-started from the previous one's searches (one RouteMemory for the series; the routes are those
// of independent steps). After each step, on_step(step index, routes), routes[k] being pairs[k]'s
// route; an exception from on_step stops the series and propagates. Threads from `run`; progress
// ("route", share of the steps done) after each step, where a stop requested through `run` throws
// skyfence::Cancelled. `before_step`, when set, is called with each time before its snapshot (e.g. to
// move the end points of terminals that move: Network::move_endpoints on the network routed here).
// REQUIRES: as route_step. Cost: times.size() snapshots and steps of routing.
SeriesCounts route_series(const Network& network, std::span<const time::Instant> times,
                          std::span<const EndpointPair> pairs,
                          const std::function<void(std::size_t step, std::span<const Route> routes)>& on_step,
                          const RunContext& run = {},
                          const std::function<void(time::Instant)>& before_step = {});

// A node as the CSV names it: a satellite by its NORAD id, a gateway, PoP or end point by its id.
// REQUIRES: node < network.nodes().
std::string node_label(const Network& network, std::uint32_t node);

// The CSV of a series of routes for given pairs, in one of two forms (fields quoted as RFC 4180):
//  - rows: time_utc,src,dst,rtt_ms,one_way_ms,hops,path, one row per pair per step; times to the
//    millisecond, delays to the microsecond (3 decimals); path = node_label of each node joined by
//    '>'; an unreachable pair has empty rtt_ms, one_way_ms, hops and path. For a pair to the internet
//    dst is the PoP reached (empty when unreachable).
//  - summary: src,dst,steps,reachable_steps,unreachable_share,rtt_min_ms,rtt_median_ms,rtt_p95_ms,
//    rtt_max_ms,rtt_mean_ms,path_changes,hops_min,hops_max, one row per pair after the last step
//    (RouteStatistics; dst "internet" for a pair to the internet; empty statistics when no step was
//    reachable); share to 6 decimals, delays to 3.
// The network and the pairs must outlive the writer.
class RouteCsv {
 public:
  RouteCsv(const Network& network, std::span<const EndpointPair> pairs, bool summary);
  // The header line, with its line feed.
  [[nodiscard]] std::string header() const;
  // One step's routes (routes[k]: pairs[k]'s route at t): appends its rows to `out` (rows form) or
  // adds them to the statistics (summary form, nothing appended).
  void add_step(time::Instant t, std::span<const Route> routes, std::string& out);
  // Appends the summary rows (summary form); nothing in the rows form.
  void finish(std::string& out) const;

 private:
  const Network* network_;
  std::span<const EndpointPair> pairs_;
  bool summary_;
  std::vector<std::string> src_label_, dst_label_;
  std::vector<RouteStatistics> stats_;
};

}  // namespace skyfence::network
