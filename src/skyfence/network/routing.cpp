#include "skyfence/network/routing.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <stdexcept>
#include <string>

#include <oneapi/tbb/enumerable_thread_specific.h>

#include "skyfence/core/statistics.h"
#include "skyfence/visibility/parallel.h"

namespace skyfence::network {

namespace {

// The rank of each end point for choosing which of two end points searches: farthest from the end
// points' mean direction first (index order when they have none). A search stops once its farthest
// target is settled, so letting the outlying end point search for the central ones leaves the last
// searches only near targets: for the 100 cities, a search settles 876 nodes on average against 1,142
// in index order.
std::vector<std::uint32_t> search_rank(const Network& network) {
  const std::size_t n = network.endpoints();
  std::vector<frames::Vec3> u(n);
  frames::Vec3 mean{0.0, 0.0, 0.0};
  for (std::size_t e = 0; e < n; ++e) {
    const frames::Geodetic& g = network.endpoint(e).location;
    u[e] = {std::cos(g.lat_rad) * std::cos(g.lon_rad), std::cos(g.lat_rad) * std::sin(g.lon_rad),
            std::sin(g.lat_rad)};
    mean = mean + u[e];
  }
  std::vector<std::uint32_t> by(n);
  for (std::uint32_t e = 0; e < n; ++e) by[e] = e;
  if (mean.norm() > 1e-9 * static_cast<double>(n)) {
    std::stable_sort(by.begin(), by.end(),
                     [&](std::uint32_t a, std::uint32_t b) { return u[a].dot(mean) < u[b].dot(mean); });
  }
  std::vector<std::uint32_t> rank(n);
  for (std::uint32_t r = 0; r < n; ++r) rank[by[r]] = r;
  return rank;
}

// Groups the pairs by source and finds the pairs answered by the reverse of another: delays are
// symmetric (undirected graph), so of two pairs (a, b) and (b, a) only the one whose source comes first
// in search_rank is searched, and the other takes the reverse of its route: all ordered pairs cost about
// half the searches' work.
void plan(const Network& network, std::span<const EndpointPair> pairs, std::vector<std::size_t>& mirror,
          std::map<std::uint32_t, std::vector<std::size_t>>& direct_by_source) {
  std::map<std::pair<std::uint32_t, std::uint32_t>, std::size_t> index_of;
  for (std::size_t k = 0; k < pairs.size(); ++k) {
    if (pairs[k].dst_endpoint != kToInternet)
      index_of.emplace(std::pair(pairs[k].src_endpoint, pairs[k].dst_endpoint), k);
  }
  const std::vector<std::uint32_t> rank = search_rank(network);
  mirror.assign(pairs.size(), pairs.size());  // pairs.size(): computed directly
  for (std::size_t k = 0; k < pairs.size(); ++k) {
    const auto [a, b] = std::pair(pairs[k].src_endpoint, pairs[k].dst_endpoint);
    if (b == kToInternet || rank[a] <= rank[b]) continue;
    const auto it = index_of.find({b, a});
    if (it != index_of.end()) mirror[k] = it->second;
  }
  for (std::size_t k = 0; k < pairs.size(); ++k) {
    if (mirror[k] == pairs.size()) direct_by_source[pairs[k].src_endpoint].push_back(k);
  }
}

// The REQUIRES of route_step.
void check_pairs(const Network& network, std::span<const EndpointPair> pairs) {
  const std::size_t n = network.endpoints();
  for (std::size_t k = 0; k < pairs.size(); ++k) {
    const auto bad = [&](const char* field, std::uint32_t value, const char* accepted) {
      throw std::invalid_argument("network: route_step: pairs[" + std::to_string(k) + "]." + field +
                                  " must be " + accepted + " (" + std::to_string(n) + "), got " +
                                  std::to_string(value));
    };
    if (pairs[k].src_endpoint >= n) bad("src_endpoint", pairs[k].src_endpoint, "< network.endpoints()");
    if (pairs[k].dst_endpoint != kToInternet && pairs[k].dst_endpoint >= n) {
      bad("dst_endpoint", pairs[k].dst_endpoint, "kToInternet or < network.endpoints()");
    }
  }
}

bool same_pairs(std::span<const EndpointPair> a, std::span<const EndpointPair> b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](const auto& x, const auto& y) {
           return x.src_endpoint == y.src_endpoint && x.dst_endpoint == y.dst_endpoint;
         });
}

}  // namespace

int RouteMemory::Search::run(const Graph& graph, std::uint32_t source, std::span<const std::uint8_t> flags,
                             ShortestPaths& out) {
  if (wait > 0) {
    --wait;
    order.clear();  // a fresh search, whose order the next try starts from
    shortest_paths_reusing(graph, source, flags, order, out);
    return 0;
  }
  const bool tried = !order.empty();
  if (shortest_paths_reusing(graph, source, flags, order, out)) {
    fails = 0;
    return 1;
  }
  if (tried) {
    fails = std::min(fails + 1, 4u);
    wait = (1u << (fails - 1)) - 1;
  }
  return 0;
}

void route_step(const Network& network, const Snapshot& snapshot, std::span<const EndpointPair> pairs,
                std::vector<Route>& out, RouteMemory* memory, const RunContext& run) {
  check_pairs(network, pairs);
  RouteMemory local;
  RouteMemory& m = memory != nullptr ? *memory : local;
  if (m.sources_.empty() || m.nodes_ != network.nodes() || !same_pairs(m.pairs_, pairs)) {
    std::map<std::uint32_t, std::vector<std::size_t>> by_source;
    plan(network, pairs, m.mirror_, by_source);
    m.pairs_.assign(pairs.begin(), pairs.end());
    m.nodes_ = network.nodes();
    m.sources_.clear();
    for (auto& [src, ks] : by_source) {
      RouteMemory::Source s;
      s.endpoint = src;
      s.pairs = std::move(ks);
      for (std::size_t k : s.pairs)
        (pairs[k].dst_endpoint == kToInternet ? s.to_internet : s.to_endpoints) = true;
      m.sources_.push_back(std::move(s));
    }
  }
  // Reuse the routes' path storage from the previous step.
  out.resize(pairs.size());
  for (Route& r : out) {
    r.one_way_ms = kUnreachable;
    r.path.clear();
  }
  const std::vector<std::uint8_t> between = network.flags_between_endpoints();
  const std::vector<std::uint8_t> internet = network.flags_to_internet();
  tbb::enumerable_thread_specific<ShortestPaths> workspace;
  tbb::enumerable_thread_specific<std::vector<std::uint8_t>> flag_space;
  std::vector<std::uint8_t> reused(2 * m.sources_.size(), 0);
  std::vector<std::size_t> settled(m.sources_.size(), 0);
  visibility::run_parallel(run, m.sources_.size(), [&](std::size_t i) {
    RouteMemory::Source& src = m.sources_[i];
    ShortestPaths& sp = workspace.local();
    const std::uint32_t src_node = network.endpoint_node(src.endpoint);
    if (src.to_endpoints) {
      std::vector<std::uint8_t>& flags = flag_space.local();
      flags = between;
      for (std::size_t k : src.pairs) {
        if (pairs[k].dst_endpoint != kToInternet)
          flags[network.endpoint_node(pairs[k].dst_endpoint)] |= kTarget;
      }
      reused[2 * i] = static_cast<std::uint8_t>(src.endpoints.run(snapshot.graph, src_node, flags, sp));
      settled[i] += sp.settled.size();
      for (std::size_t k : src.pairs) {
        if (pairs[k].dst_endpoint == kToInternet) continue;
        const std::uint32_t dst = network.endpoint_node(pairs[k].dst_endpoint);
        path_to(snapshot.graph, sp, dst, out[k].path);
        out[k].one_way_ms = out[k].path.empty() ? kUnreachable : sp.delay_ms[dst];
      }
    }
    if (src.to_internet) {
      reused[2 * i + 1] = static_cast<std::uint8_t>(src.internet.run(snapshot.graph, src_node, internet, sp));
      settled[i] += sp.settled.size();
      std::uint32_t best = kNoNode;
      for (std::size_t p = 0; p < network.pops(); ++p) {
        const std::uint32_t node = network.pop_node(p);
        if (sp.delay_ms[node] < (best == kNoNode ? kUnreachable : sp.delay_ms[best])) best = node;
      }
      for (std::size_t k : src.pairs) {
        if (pairs[k].dst_endpoint != kToInternet || best == kNoNode) continue;
        path_to(snapshot.graph, sp, best, out[k].path);
        out[k].one_way_ms = sp.delay_ms[best];
      }
    }
  });
  for (const RouteMemory::Source& src : m.sources_)
    m.searches_ += (src.to_endpoints ? 1 : 0) + (src.to_internet ? 1 : 0);
  for (std::uint8_t r : reused) m.reused_ += r;
  for (std::size_t c : settled) m.settled_ += c;
  for (std::size_t k = 0; k < pairs.size(); ++k) {
    if (m.mirror_[k] == pairs.size()) continue;
    const Route& r = out[m.mirror_[k]];
    out[k].one_way_ms = r.one_way_ms;
    out[k].path.assign(r.path.rbegin(), r.path.rend());
  }
}

void RouteStatistics::add(const Route& route) {
  ++steps_;
  if (!route.reachable()) return;
  const std::size_t hops = route.hops();
  if (rtt_ms_.empty()) {
    hops_min_ = hops_max_ = hops;
  } else {
    hops_min_ = std::min(hops_min_, hops);
    hops_max_ = std::max(hops_max_, hops);
    if (route.path != last_path_) ++changes_;
  }
  rtt_ms_.push_back(route.rtt_ms());
  last_path_ = route.path;
}

RouteSummary RouteStatistics::summary() const {
  RouteSummary s;
  s.steps = steps_;
  s.reachable_steps = rtt_ms_.size();
  s.path_changes = changes_;
  s.hops_min = hops_min_;
  s.hops_max = hops_max_;
  const double nan = std::numeric_limits<double>::quiet_NaN();
  if (rtt_ms_.empty()) {
    s.rtt_min_ms = s.rtt_median_ms = s.rtt_p95_ms = s.rtt_max_ms = s.rtt_mean_ms = nan;
    return s;
  }
  std::vector<double> v = rtt_ms_;
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  s.rtt_min_ms = v.front();
  s.rtt_max_ms = v.back();
  s.rtt_median_ms = median_of_sorted(v);
  s.rtt_p95_ms = nearest_rank_of_sorted(v, 95);
  double sum = 0.0;
  for (double x : rtt_ms_) sum += x;  // step order: fixed
  s.rtt_mean_ms = sum / static_cast<double>(n);
  return s;
}

}  // namespace skyfence::network
