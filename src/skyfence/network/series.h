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

// Starlink's reconfiguration slots (docs/network.md, "Reconfiguration slots"): each end point's serving
// satellite is chosen at the start of each slot (ServingRule: by default the usable satellite of highest
// elevation there), and held through the slot while the rest of the path is routed afresh at every step; a
// held satellite that becomes unusable inside a slot is replaced at once by the highest usable one (an early
// reassignment), held to the end of the slot. Slots start on the UTC clock at offset + k * interval after
// each day's midnight (15 s and 12 s: :12, :27, :42 and :57 of every minute; a leap second lengthens the slot
// it falls in). interval zero: off (every end point links to every usable satellite at every step). How a
// slot's serving satellites are chosen at its start:
//  - highest_elevation: each end point's usable satellite of highest elevation (it depends on the end
//    point alone);
//  - shortest_path: the pairs are routed at the slot's start with every satellite usable, and each end
//    point takes the satellite next to it on the first of those routes (in the pairs' order, as source
//    or destination) that reaches it; an end point on no reachable route takes the highest.
// An early reassignment takes the highest usable satellite under either rule.
// With hold_gateways, each gateway's satellite is held the same way (ServingHold::gateway_satellite): chosen
// at the slot's start by the same rule (highest_elevation: the gateway's usable satellite of highest
// elevation; shortest_path: the satellite next to the gateway on the first route at the slot's start that
// goes through it, else the highest), kept while usable, else replaced at once by the highest usable.
enum class ServingRule { highest_elevation, shortest_path };

struct Reconfiguration {
  time::Duration interval;  // DEFAULT: zero, off. REQUIRES: zero, or > 0 and dividing 24 h
  time::Duration offset;    // REQUIRES: 0 <= offset < interval (zero when off)
  ServingRule rule = ServingRule::highest_elevation;  // DEFAULT: highest_elevation
  // Hold each gateway's satellite through the slot too. DEFAULT: false (gateways link to every usable
  // satellite at every step). REQUIRES: false when off.
  bool hold_gateways = false;
  [[nodiscard]] bool on() const { return interval.count_ns() > 0; }
};
// Starlink's global schedule: 15-s slots starting 12 s past the minute (docs/network.md cites the
// measurements).
inline constexpr Reconfiguration kStarlinkReconfiguration{time::Duration::nanoseconds(15'000'000'000),
                                                          time::Duration::nanoseconds(12'000'000'000)};
// Throws std::invalid_argument naming the first field outside its REQUIRES range.
void check(const Reconfiguration& r);
// The start of the slot holding t: the latest slot start at or before t. REQUIRES: r.on().
time::Instant slot_start(time::Instant t, const Reconfiguration& r);

// What a step of a series held, for on_step: empty spans and no slot when reconfiguration is off.
struct StepSlot {
  bool on = false;
  time::Instant slot_start;  // the slot holding the step
  bool new_slot = false;     // the previous step (if any) was in another slot
  // Per end point: the satellite node held during the step (kNoNode: none usable), and 1 where it was
  // reassigned early at this step (its held satellite was no longer usable).
  std::span<const std::uint32_t> serving;
  std::span<const std::uint8_t> reassigned;
  // Per gateway, the same for gateways when they are held (Reconfiguration::hold_gateways); else empty.
  std::span<const std::uint32_t> gateway_serving;
  std::span<const std::uint8_t> gateway_reassigned;
};

// Totals over the steps of a series.
struct SeriesCounts {
  std::size_t steps = 0;
  std::size_t sgp4_failures = 0;   // satellite-steps with an SGP4 error
  std::size_t isl_up = 0;          // ISLs up, summed over steps
  std::size_t isl_candidates = 0;  // candidate ISLs, summed over steps
  std::size_t slots = 0;           // slots with at least one step (reconfiguration on)
  // Steps at which an end point of the pairs was reassigned inside a slot, summed over those end points.
  std::size_t early_reassignments = 0;
  // Steps at which a held gateway was reassigned inside a slot, summed over the gateways.
  std::size_t gateway_early_reassignments = 0;
};

// Routes `pairs` at each of `times` in order: one snapshot and one route_step per time, each step
// warm-started from the previous one's searches (one RouteMemory for the series; the routes are those
// of independent steps). After each step, on_step(step index, routes, slot), routes[k] being pairs[k]'s
// route; an exception from on_step stops the series and propagates. Threads from `run`; progress
// ("route", share of the steps done) after each step, where a stop requested through `run` throws
// skyfence::Cancelled. `before_step`, when set, is called with each time before its snapshot (e.g. to
// move the end points of terminals that move: Network::move_endpoints on the network routed here), and
// with a slot's start before its satellites are chosen there.
// With `reconfiguration` on, the end points are held to their serving satellites (Reconfiguration):
// at the first step of each slot the satellites are chosen at the slot's start (highest_elevation: from
// that step's own snapshot when the step is the slot's start, else from one more propagation at the
// slot's start; shortest_path: from one more snapshot and routing step at the slot's start).
// REQUIRES: as route_step; check(reconfiguration) (else std::invalid_argument). Cost: times.size()
// snapshots and steps of routing, and per slot at most one more propagation (highest_elevation) or
// snapshot and fresh routing step (shortest_path).
SeriesCounts route_series(
    const Network& network, std::span<const time::Instant> times, std::span<const EndpointPair> pairs,
    const std::function<void(std::size_t step, std::span<const Route> routes, const StepSlot& slot)>& on_step,
    const RunContext& run = {}, const std::function<void(time::Instant)>& before_step = {},
    const Reconfiguration& reconfiguration = {});

// A node as the CSV names it: a satellite by its NORAD id, a gateway, PoP or end point by its id.
// REQUIRES: node < network.nodes().
std::string node_label(const Network& network, std::uint32_t node);

// The CSV of a series of routes for given pairs, in one of two forms (fields quoted as RFC 4180):
//  - rows: time_utc,src,dst,rtt_ms,one_way_ms,hops,path,serving_satellite,slot_start, one row per pair
//    per step; times to the millisecond, delays to the microsecond (3 decimals); path = node_label of
//    each node joined by '>'; serving_satellite = the source's satellite (the one held, with
//    reconfiguration; else the first satellite of the path); slot_start = the step's slot (empty when
//    off). An unreachable pair has empty rtt_ms, one_way_ms, hops and path (and serving_satellite
//    unless one is held). For a pair to the internet dst is the PoP reached (empty when unreachable).
//  - summary: src,dst,steps,reachable_steps,unreachable_share,rtt_min_ms,rtt_median_ms,rtt_p95_ms,
//    rtt_max_ms,rtt_mean_ms,path_changes,hops_min,hops_max,boundary_jumps,boundary_jump_median_ms,
//    boundary_jump_p95_ms,boundary_jump_max_ms,inside_jumps,inside_jump_median_ms,inside_jump_p95_ms,
//    inside_jump_max_ms,early_reassignments, one row per pair after the last step (RouteStatistics;
//    dst "internet" for a pair to the internet; empty statistics when no step was reachable); share
//    to 6 decimals, delays to 3. A jump is |RTT change| between consecutive steps both reachable: at a
//    slot boundary (the later step starts a new slot) or inside a slot (every jump when reconfiguration
//    is off); median and p95 as RouteSummary's, empty when there is none. early_reassignments counts
//    the steps at which the source's satellite was reassigned inside a slot.
// The network and the pairs must outlive the writer.
class RouteCsv {
 public:
  RouteCsv(const Network& network, std::span<const EndpointPair> pairs, bool summary);
  // The header line, with its line feed.
  [[nodiscard]] std::string header() const;
  // One step's routes (routes[k]: pairs[k]'s route at t, held as `slot` says): appends its rows to
  // `out` (rows form) or adds them to the statistics (summary form, nothing appended).
  void add_step(time::Instant t, std::span<const Route> routes, const StepSlot& slot, std::string& out);
  // Appends the summary rows (summary form); nothing in the rows form.
  void finish(std::string& out) const;

 private:
  // Per pair: the RTT jumps between consecutive reachable steps, at slot boundaries and inside slots.
  struct Jumps {
    double last_rtt_ms = kUnreachable;  // the previous step's RTT (kUnreachable: none or unreachable)
    std::vector<double> boundary_ms, inside_ms;
    std::size_t early_reassignments = 0;
  };
  const Network* network_;
  std::span<const EndpointPair> pairs_;
  bool summary_;
  std::vector<std::string> src_label_, dst_label_;
  std::vector<RouteStatistics> stats_;
  std::vector<Jumps> jumps_;
};

}  // namespace skyfence::network
