#include "skyfence/network/graph.h"

#include <algorithm>
#include <tuple>

namespace skyfence::network {

void GraphBuilder::build(Graph& out) {
  out.nodes = nodes_;
  count_.assign(static_cast<std::size_t>(nodes_) + 1, 0);
  for (const Edge& e : edges_) {
    ++count_[e.u + 1];
    ++count_[e.v + 1];
  }
  for (std::size_t i = 1; i < count_.size(); ++i) count_[i] += count_[i - 1];
  out.offsets.assign(count_.begin(), count_.end());
  out.arcs.resize(2 * edges_.size());
  for (const Edge& e : edges_) {
    out.arcs[count_[e.u]++] = Graph::Arc{e.w, e.v, e.via};
    out.arcs[count_[e.v]++] = Graph::Arc{e.w, e.u, e.via};
  }
  // Sort each adjacency list by (neighbour, delay, via) so the graph does not depend on insertion order.
  for (std::uint32_t u = 0; u < nodes_; ++u) {
    const auto b = out.arcs.begin() + out.offsets[u], e = out.arcs.begin() + out.offsets[u + 1];
    if (e - b < 2) continue;
    std::sort(b, e, [](const Graph::Arc& x, const Graph::Arc& y) {
      return std::tie(x.to, x.delay_ms, x.via) < std::tie(y.to, y.delay_ms, y.via);
    });
  }
}

namespace {

constexpr std::uint32_t kNotSeen = kNoNode;
constexpr std::uint32_t kSettled = kNoNode - 1;

// Indexed 4-ary min-heap of (delay, node) entries, ordered by delay then node; place[node] is the
// entry's index. Keys are kept in the entries so sift loops read contiguous memory; raw arrays (sized
// once for every node) keep the hot loop free of reallocation checks.
struct Heap {
  ShortestPaths::HeapEntry* h;
  std::uint32_t* place;
  std::size_t n = 0;

  static bool less(const ShortestPaths::HeapEntry& a, const ShortestPaths::HeapEntry& b) {
    return a.delay_ms < b.delay_ms || (a.delay_ms == b.delay_ms && a.node < b.node);
  }
  void sift_up(std::size_t i, ShortestPaths::HeapEntry x) {
    while (i > 0) {
      const std::size_t parent = (i - 1) / 4;
      if (!less(x, h[parent])) break;
      h[i] = h[parent];
      place[h[i].node] = static_cast<std::uint32_t>(i);
      i = parent;
    }
    h[i] = x;
    place[x.node] = static_cast<std::uint32_t>(i);
  }
  void push(ShortestPaths::HeapEntry x) { sift_up(n++, x); }
  ShortestPaths::HeapEntry pop() {
    const ShortestPaths::HeapEntry top = h[0];
    const ShortestPaths::HeapEntry x = h[--n];
    if (n > 0) {
      std::size_t i = 0;
      for (;;) {
        const std::size_t c0 = 4 * i + 1;
        if (c0 >= n) break;
        std::size_t best = c0;
        const std::size_t c_end = std::min(c0 + 4, n);
        for (std::size_t c = c0 + 1; c < c_end; ++c) {
          if (less(h[c], h[best])) best = c;
        }
        if (!less(h[best], x)) break;
        h[i] = h[best];
        place[h[i].node] = static_cast<std::uint32_t>(i);
        i = best;
      }
      h[i] = x;
      place[x.node] = static_cast<std::uint32_t>(i);
    }
    return top;
  }
};

}  // namespace

void shortest_paths(const Graph& graph, std::uint32_t source, std::span<const std::uint8_t> flags,
                    ShortestPaths& out) {
  const std::size_t n = graph.nodes;
  out.delay_ms.assign(n, kUnreachable);
  out.parent.assign(n, kNoNode);
  out.parent_edge.assign(n, kNoNode);
  out.place.assign(n, kNotSeen);
  out.heap.resize(n);  // each node enters the heap at most once
  std::size_t targets_left = 0;
  if (!flags.empty()) {
    for (std::uint8_t f : flags) targets_left += (f & kTarget) != 0 ? 1 : 0;
  }
  const bool stop_early = targets_left > 0;
  const std::uint8_t* const flag = flags.empty() ? nullptr : flags.data();
  double* const delay = out.delay_ms.data();
  std::uint32_t* const parent = out.parent.data();
  std::uint32_t* const parent_edge = out.parent_edge.data();
  std::uint32_t* const place = out.place.data();
  const Graph::Arc* const arcs = graph.arcs.data();
  const std::uint32_t* const offsets = graph.offsets.data();
  Heap heap{out.heap.data(), place};
  delay[source] = 0.0;
  heap.push({0.0, source});
  while (heap.n > 0) {
    const ShortestPaths::HeapEntry top = heap.pop();
    const std::uint32_t u = top.node;
    place[u] = kSettled;
    if (flag != nullptr) {
      if (stop_early && (flag[u] & kTarget) != 0 && --targets_left == 0) break;
      if (u != source && (flag[u] & kNoRelay) != 0) continue;
    }
    const double d = top.delay_ms;
    for (std::uint32_t k = offsets[u], end = offsets[u + 1]; k != end; ++k) {
      const Graph::Arc& a = arcs[k];
      const std::uint32_t v = a.to;
      const double nd = d + a.delay_ms;
      if (nd < delay[v]) {
        // A settled node cannot improve (delays are >= 0), so v is unseen or in the heap.
        delay[v] = nd;
        parent[v] = u;
        parent_edge[v] = k;
        if (place[v] == kNotSeen) {
          heap.push({nd, v});
        } else {
          heap.sift_up(place[v], {nd, v});
        }
      }
    }
  }
}

void path_to(const Graph& graph, const ShortestPaths& sp, std::uint32_t node,
             std::vector<std::uint32_t>& out) {
  out.clear();
  if (node >= sp.delay_ms.size() || sp.delay_ms[node] == kUnreachable) return;
  for (std::uint32_t v = node; v != kNoNode; v = sp.parent[v]) {
    out.push_back(v);
    const std::uint32_t k = sp.parent_edge[v];
    if (k != kNoNode && graph.arcs[k].via != kNoNode) out.push_back(graph.arcs[k].via);
  }
  std::reverse(out.begin(), out.end());
}

}  // namespace skyfence::network
