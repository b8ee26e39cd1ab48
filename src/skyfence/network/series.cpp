#include "skyfence/network/series.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <iterator>
#include <stdexcept>

#include <fmt/format.h>

#include "skyfence/core/csv.h"
#include "skyfence/core/statistics.h"
#include "skyfence/time/scales.h"

namespace skyfence::network {
namespace {

std::string fmt_ms(double v) {
  return std::isfinite(v) ? fmt::format("{:.3f}", v) : std::string();
}

// count,median,p95,max of RTT jumps (ms); the statistics empty when there is none.
std::string jump_fields(std::vector<double> jumps_ms) {
  if (jumps_ms.empty()) return "0,,,";
  std::sort(jumps_ms.begin(), jumps_ms.end());
  return fmt::format("{},{},{},{}", jumps_ms.size(), fmt_ms(median_of_sorted(jumps_ms)),
                     fmt_ms(nearest_rank_of_sorted(jumps_ms, 95)), fmt_ms(jumps_ms.back()));
}

// ServingRule::shortest_path: the pairs routed at t over every usable satellite; each end point takes the
// satellite next to it on the first reachable route it is on, else the highest usable one.
// With `gateways_out`, each gateway takes the satellite next to it on the first reachable route through
// it, else its highest usable one.
void choose_on_routes(const Network& network, time::Instant t, std::span<const EndpointPair> pairs,
                      Snapshot& snap, std::vector<Route>& routes, std::vector<std::uint32_t>& out,
                      const RunContext& run, std::vector<std::uint32_t>* gateways_out) {
  network.snapshot(t, snap, run);
  route_step(network, snap, pairs, routes, nullptr, run);
  network.highest_satellites(snap, out);
  if (gateways_out != nullptr) {
    network.highest_gateway_satellites(snap, *gateways_out);
    std::vector<std::uint8_t> gateway_taken(network.gateways(), 0);
    for (const Route& r : routes) {
      for (std::size_t i = 1; i + 1 < r.path.size(); ++i) {
        if (network.kind(r.path[i]) != NodeKind::gateway) continue;
        const std::size_t g = network.index(r.path[i]);
        const std::uint32_t sat =
            network.kind(r.path[i - 1]) == NodeKind::satellite ? r.path[i - 1] : r.path[i + 1];
        if (gateway_taken[g] == 0 && network.kind(sat) == NodeKind::satellite) {
          (*gateways_out)[g] = sat;
          gateway_taken[g] = 1;
        }
      }
    }
  }
  std::vector<std::uint8_t> taken(network.endpoints(), 0);
  for (std::size_t k = 0; k < pairs.size(); ++k) {
    const std::vector<std::uint32_t>& path = routes[k].path;
    if (path.size() < 3) continue;  // unreachable, or a pair from a site to itself
    const std::uint32_t src = pairs[k].src_endpoint, dst = pairs[k].dst_endpoint;
    if (taken[src] == 0) {
      out[src] = path[1];
      taken[src] = 1;
    }
    if (dst != kToInternet && taken[dst] == 0) {
      out[dst] = path[path.size() - 2];
      taken[dst] = 1;
    }
  }
}

}  // namespace

void check(const Reconfiguration& r) {
  constexpr std::int64_t kDayNs = 86'400'000'000'000;  // 24 h
  const std::int64_t interval = r.interval.count_ns(), offset = r.offset.count_ns();
  if (interval < 0 || (interval > 0 && kDayNs % interval != 0)) {
    throw std::invalid_argument("reconfiguration: the interval must be zero (off) or divide 24 h");
  }
  if (offset < 0 || (interval > 0 && offset >= interval) || (interval == 0 && offset != 0)) {
    throw std::invalid_argument("reconfiguration: the offset must lie in [0, interval)");
  }
  if (interval == 0 && r.hold_gateways) {
    throw std::invalid_argument("reconfiguration: gateways are held only in slots (the interval is zero)");
  }
}

time::Instant slot_start(time::Instant t, const Reconfiguration& r) {
  if (!r.on()) throw std::invalid_argument("slot_start: the reconfiguration is off");
  // Slots of t - offset counted from the UTC midnight of its day.
  const time::Instant u = t - r.offset;
  const time::CivilTime c = time::to_utc(u);
  const time::Instant midnight = time::from_utc(time::CivilTime{c.year, c.month, c.day, 0, 0, 0, 0});
  const std::int64_t since = (u - midnight).count_ns();
  // A leap second (since >= 24 h) belongs to the day's last slot.
  constexpr std::int64_t kDayNs = 86'400'000'000'000;
  const std::int64_t k = std::min(since, kDayNs - 1) / r.interval.count_ns();
  return midnight + r.interval * k + r.offset;
}

SeriesCounts route_series(
    const Network& network, std::span<const time::Instant> times, std::span<const EndpointPair> pairs,
    const std::function<void(std::size_t step, std::span<const Route> routes, const StepSlot& slot)>& on_step,
    const RunContext& run, const std::function<void(time::Instant)>& before_step,
    const Reconfiguration& reconfiguration) {
  check(reconfiguration);
  SeriesCounts counts;
  Snapshot snap, at_slot_start;
  RouteMemory memory;  // each step starts from the last one's searches
  std::vector<Route> routes, slot_routes;
  ServingHold hold;
  StepSlot slot;
  slot.on = reconfiguration.on();
  bool any_slot = false;
  std::vector<std::uint8_t> routed(network.endpoints(), 0);  // end points of the pairs
  for (const EndpointPair& p : pairs) {
    if (p.src_endpoint < routed.size()) routed[p.src_endpoint] = 1;
    if (p.dst_endpoint < routed.size()) routed[p.dst_endpoint] = 1;
  }
  const bool hold_gateways = reconfiguration.hold_gateways && network.gateways() > 0;
  std::vector<std::uint32_t>* gateway_choice = hold_gateways ? &hold.gateway_satellite : nullptr;
  for (std::size_t step = 0; step < times.size(); ++step) {
    const time::Instant t = times[step];
    if (slot.on) {
      const time::Instant s = slot_start(t, reconfiguration);
      slot.new_slot = !any_slot || s != slot.slot_start;
      if (slot.new_slot) {
        slot.slot_start = s;
        any_slot = true;
        ++counts.slots;
        if (reconfiguration.rule == ServingRule::shortest_path) {
          if (before_step) before_step(s);
          choose_on_routes(network, s, pairs, at_slot_start, slot_routes, hold.satellite, run,
                           gateway_choice);
        } else if (s == t) {
          hold.satellite.assign(network.endpoints(), kNoNode);  // this step's snapshot chooses
          if (hold_gateways) hold.gateway_satellite.assign(network.gateways(), kNoNode);
        } else {
          if (before_step) before_step(s);
          network.highest_satellites(s, at_slot_start, hold.satellite, run);
          if (hold_gateways)
            network.highest_gateway_satellites(s, at_slot_start, hold.gateway_satellite, run);
        }
      }
    }
    if (before_step) before_step(t);
    network.snapshot(t, snap, run, slot.on ? &hold : nullptr);
    route_step(network, snap, pairs, routes, &memory, run);
    for (auto e : snap.errors) counts.sgp4_failures += e == orbits::Sgp4Error::none ? 0 : 1;
    counts.isl_up += snap.isl_up;
    counts.isl_candidates += snap.isl_candidates;
    ++counts.steps;
    if (slot.on) {
      for (std::size_t e = 0; e < hold.lost.size(); ++e)
        counts.early_reassignments += hold.lost[e] & routed[e];
      slot.serving = hold.satellite;
      slot.reassigned = hold.lost;
      for (std::uint8_t lost : hold.gateway_lost) counts.gateway_early_reassignments += lost;
      slot.gateway_serving = hold.gateway_satellite;
      slot.gateway_reassigned = hold.gateway_lost;
    }
    on_step(step, routes, slot);
    run.report("route", static_cast<double>(step + 1) / static_cast<double>(times.size()));
  }
  return counts;
}

std::string node_label(const Network& network, std::uint32_t node) {
  switch (network.kind(node)) {
    case NodeKind::satellite:
      return std::to_string(network.fleet().norad_id(node));
    case NodeKind::gateway:
      return network.gateway(network.index(node)).id;
    case NodeKind::pop:
      return network.pop(network.index(node)).id;
    case NodeKind::endpoint:
      break;
  }
  return network.endpoint(network.index(node)).id;
}

RouteCsv::RouteCsv(const Network& network, std::span<const EndpointPair> pairs, bool summary)
    : network_(&network),
      pairs_(pairs),
      summary_(summary),
      src_label_(pairs.size()),
      dst_label_(pairs.size()),
      stats_(summary ? pairs.size() : 0),
      jumps_(summary ? pairs.size() : 0) {
  for (std::size_t k = 0; k < pairs.size(); ++k) {
    src_label_[k] = csv_field(network.endpoint(pairs[k].src_endpoint).id);
    dst_label_[k] = pairs[k].dst_endpoint == kToInternet
                        ? std::string()
                        : csv_field(network.endpoint(pairs[k].dst_endpoint).id);
  }
}

std::string RouteCsv::header() const {
  return summary_
             ? "src,dst,steps,reachable_steps,unreachable_share,rtt_min_ms,rtt_median_ms,rtt_p95_ms,"
               "rtt_max_ms,rtt_mean_ms,path_changes,hops_min,hops_max,boundary_jumps,boundary_jump_median_ms,"
               "boundary_jump_p95_ms,boundary_jump_max_ms,inside_jumps,inside_jump_median_ms,"
               "inside_jump_p95_ms,inside_jump_max_ms,early_reassignments\n"
             : "time_utc,src,dst,rtt_ms,one_way_ms,hops,path,serving_satellite,slot_start\n";
}

void RouteCsv::add_step(time::Instant t, std::span<const Route> routes, const StepSlot& slot,
                        std::string& out) {
  if (summary_) {
    for (std::size_t k = 0; k < pairs_.size(); ++k) {
      const Route& r = routes[k];
      stats_[k].add(r);
      Jumps& j = jumps_[k];
      if (r.reachable() && j.last_rtt_ms != kUnreachable) {
        (slot.new_slot ? j.boundary_ms : j.inside_ms).push_back(std::abs(r.rtt_ms() - j.last_rtt_ms));
      }
      j.last_rtt_ms = r.reachable() ? r.rtt_ms() : kUnreachable;
      if (slot.on) j.early_reassignments += slot.reassigned[pairs_[k].src_endpoint];
    }
    return;
  }
  const std::string when = time::format_iso8601(t, 3);
  const std::string slot_when = slot.on ? time::format_iso8601(slot.slot_start, 3) : std::string();
  auto it = std::back_inserter(out);
  for (std::size_t k = 0; k < pairs_.size(); ++k) {
    const Route& r = routes[k];
    std::string dst = dst_label_[k];
    if (pairs_[k].dst_endpoint == kToInternet) {
      dst = r.reachable() ? csv_field(node_label(*network_, r.path.back())) : std::string();
    }
    std::string path;
    for (std::size_t i = 0; i < r.path.size(); ++i) {
      if (i > 0) path += '>';
      path += node_label(*network_, r.path[i]);
    }
    // The source's satellite: the one held, else the first of the path (an end point links only to
    // satellites).
    std::uint32_t serving = kNoNode;
    if (slot.on) {
      serving = slot.serving[pairs_[k].src_endpoint];
    } else if (r.path.size() >= 2 && network_->kind(r.path[1]) == NodeKind::satellite) {
      serving = r.path[1];
    }
    const std::string serving_label = serving == kNoNode ? std::string() : node_label(*network_, serving);
    if (r.reachable()) {
      fmt::format_to(it, "{},{},{},{},{},{},{},{},{}\n", when, src_label_[k], dst, fmt_ms(r.rtt_ms()),
                     fmt_ms(r.one_way_ms), r.hops(), csv_field(path), serving_label, slot_when);
    } else {
      fmt::format_to(it, "{},{},{},,,,,{},{}\n", when, src_label_[k], dst, serving_label, slot_when);
    }
  }
}

void RouteCsv::finish(std::string& out) const {
  if (!summary_) return;
  auto it = std::back_inserter(out);
  for (std::size_t k = 0; k < pairs_.size(); ++k) {
    const RouteSummary s = stats_[k].summary();
    const bool any = s.reachable_steps > 0;
    fmt::format_to(it, "{},{},{},{},{:.6f},{},{},{},{},{},{},{},{},{},{},{}\n", src_label_[k],
                   pairs_[k].dst_endpoint == kToInternet ? std::string("internet") : dst_label_[k], s.steps,
                   s.reachable_steps, s.unreachable_share(), fmt_ms(s.rtt_min_ms), fmt_ms(s.rtt_median_ms),
                   fmt_ms(s.rtt_p95_ms), fmt_ms(s.rtt_max_ms), fmt_ms(s.rtt_mean_ms), s.path_changes,
                   any ? std::to_string(s.hops_min) : std::string(),
                   any ? std::to_string(s.hops_max) : std::string(), jump_fields(jumps_[k].boundary_ms),
                   jump_fields(jumps_[k].inside_ms), jumps_[k].early_reassignments);
  }
}

}  // namespace skyfence::network
