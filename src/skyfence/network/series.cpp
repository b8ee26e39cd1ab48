#include "skyfence/network/series.h"

#include <cmath>
#include <iterator>

#include <fmt/format.h>

#include "skyfence/core/csv.h"
#include "skyfence/time/scales.h"

namespace skyfence::network {
namespace {

std::string fmt_ms(double v) {
  return std::isfinite(v) ? fmt::format("{:.3f}", v) : std::string();
}

}  // namespace

SeriesCounts route_series(const Network& network, std::span<const time::Instant> times,
                          std::span<const EndpointPair> pairs,
                          const std::function<void(std::size_t step, std::span<const Route> routes)>& on_step,
                          const RunContext& run, const std::function<void(time::Instant)>& before_step) {
  SeriesCounts counts;
  Snapshot snap;
  RouteMemory memory;  // each step starts from the last one's searches
  std::vector<Route> routes;
  for (std::size_t step = 0; step < times.size(); ++step) {
    if (before_step) before_step(times[step]);
    network.snapshot(times[step], snap, run);
    route_step(network, snap, pairs, routes, &memory, run);
    for (auto e : snap.errors) counts.sgp4_failures += e == orbits::Sgp4Error::none ? 0 : 1;
    counts.isl_up += snap.isl_up;
    counts.isl_candidates += snap.isl_candidates;
    ++counts.steps;
    on_step(step, routes);
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
      stats_(summary ? pairs.size() : 0) {
  for (std::size_t k = 0; k < pairs.size(); ++k) {
    src_label_[k] = csv_field(network.endpoint(pairs[k].src_endpoint).id);
    dst_label_[k] = pairs[k].dst_endpoint == kToInternet
                        ? std::string()
                        : csv_field(network.endpoint(pairs[k].dst_endpoint).id);
  }
}

std::string RouteCsv::header() const {
  return summary_ ? "src,dst,steps,reachable_steps,unreachable_share,rtt_min_ms,rtt_median_ms,rtt_p95_ms,"
                    "rtt_max_ms,rtt_mean_ms,path_changes,hops_min,hops_max\n"
                  : "time_utc,src,dst,rtt_ms,one_way_ms,hops,path\n";
}

void RouteCsv::add_step(time::Instant t, std::span<const Route> routes, std::string& out) {
  if (summary_) {
    for (std::size_t k = 0; k < pairs_.size(); ++k) stats_[k].add(routes[k]);
    return;
  }
  const std::string when = time::format_iso8601(t, 3);
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
    if (r.reachable()) {
      fmt::format_to(it, "{},{},{},{},{},{},{}\n", when, src_label_[k], dst, fmt_ms(r.rtt_ms()),
                     fmt_ms(r.one_way_ms), r.hops(), csv_field(path));
    } else {
      fmt::format_to(it, "{},{},{},,,,\n", when, src_label_[k], dst);
    }
  }
}

void RouteCsv::finish(std::string& out) const {
  if (!summary_) return;
  auto it = std::back_inserter(out);
  for (std::size_t k = 0; k < pairs_.size(); ++k) {
    const RouteSummary s = stats_[k].summary();
    const bool any = s.reachable_steps > 0;
    fmt::format_to(it, "{},{},{},{},{:.6f},{},{},{},{},{},{},{},{}\n", src_label_[k],
                   pairs_[k].dst_endpoint == kToInternet ? std::string("internet") : dst_label_[k], s.steps,
                   s.reachable_steps, s.unreachable_share(), fmt_ms(s.rtt_min_ms), fmt_ms(s.rtt_median_ms),
                   fmt_ms(s.rtt_p95_ms), fmt_ms(s.rtt_max_ms), fmt_ms(s.rtt_mean_ms), s.path_changes,
                   any ? std::to_string(s.hops_min) : std::string(),
                   any ? std::to_string(s.hops_max) : std::string());
  }
}

}  // namespace skyfence::network
