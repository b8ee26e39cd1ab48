#include "skyfence/network/graph.h"

#include <algorithm>
#include <stdexcept>
#include <string>
#include <tuple>

namespace skyfence::network {

void GraphBuilder::reject_edge(std::uint32_t u, std::uint32_t v, double delay_ms) const {
  throw std::invalid_argument("network: add_edge: u and v must be < nodes (" + std::to_string(nodes_) +
                              ") and delay_ms finite and >= 0, got u " + std::to_string(u) + ", v " +
                              std::to_string(v) + ", delay_ms " + std::to_string(delay_ms));
}

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

// The REQUIRES of shortest_paths and shortest_paths_reusing.
void check_search(const char* function, const Graph& graph, std::uint32_t source,
                  std::span<const std::uint8_t> flags) {
  const std::string nodes = std::to_string(graph.nodes);
  if (source >= graph.nodes) {
    throw std::invalid_argument(std::string("network: ") + function + ": source must be < graph.nodes (" +
                                nodes + "), got " + std::to_string(source));
  }
  if (!flags.empty() && flags.size() != graph.nodes) {
    throw std::invalid_argument(std::string("network: ") + function +
                                ": flags must be empty or hold graph.nodes (" + nodes + ") entries, got " +
                                std::to_string(flags.size()));
  }
}

}  // namespace

void shortest_paths(const Graph& graph, std::uint32_t source, std::span<const std::uint8_t> flags,
                    ShortestPaths& out) {
  check_search("shortest_paths", graph, source, flags);
  const std::size_t n = graph.nodes;
  out.delay_ms.assign(n, kUnreachable);
  out.parent.assign(n, kNoNode);
  out.parent_edge.assign(n, kNoNode);
  out.place.assign(n, kNotSeen);
  out.heap.resize(n);  // each node enters the heap at most once
  out.settled.clear();
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
    out.settled.push_back(u);
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

namespace {

constexpr std::uint8_t kUntouched = 0, kWaiting = 1, kProcessed = 2;

// (delay, node) order, the order in which shortest_paths settles nodes.
bool key_less(double da, std::uint32_t a, double db, std::uint32_t b) {
  return da < db || (da == db && a < b);
}

// Sorts nodes by (delay, node): insertion sort, linear on the nearly sorted lists a warm start leaves,
// switching to std::sort when the list turns out far from sorted.
void sort_by_delay(std::vector<std::uint32_t>& nodes, const double* delay) {
  const std::size_t budget = 8 * nodes.size() + 64;
  std::size_t moves = 0;
  for (std::size_t i = 1; i < nodes.size(); ++i) {
    const std::uint32_t x = nodes[i];
    std::size_t j = i;
    while (j > 0 && key_less(delay[x], x, delay[nodes[j - 1]], nodes[j - 1])) {
      nodes[j] = nodes[j - 1];
      --j;
      if (++moves > budget) {
        nodes[j] = x;
        std::sort(nodes.begin(), nodes.end(),
                  [delay](std::uint32_t a, std::uint32_t b) { return key_less(delay[a], a, delay[b], b); });
        return;
      }
    }
    nodes[j] = x;
  }
}

const auto heap_after = [](const ShortestPaths::HeapEntry& a, const ShortestPaths::HeapEntry& b) {
  return key_less(b.delay_ms, b.node, a.delay_ms, a.node);
};

// The arcs of a processed node u for shortest_paths_reusing; with `heap` (after the ordered pass),
// improved nodes also enter it. The arrays come as plain pointers so that the loop keeps them in
// registers. Returns false when a processed node would improve, or when an arc adds nothing to the
// delay (see shortest_paths_reusing). (A version without a branch on the comparison measured 9%
// slower.)
template <bool kWithHeap>
bool relax(std::uint32_t u, std::uint32_t source, const std::uint32_t* offsets, const Graph::Arc* arcs,
           double* delay, std::uint32_t* parent, std::uint32_t* parent_edge, std::uint8_t* mark,
           std::vector<ShortestPaths::HeapEntry>* heap) {
  const double d = delay[u];
  for (std::uint32_t k = offsets[u], end = offsets[u + 1]; k != end; ++k) {
    const Graph::Arc& a = arcs[k];
    const std::uint32_t v = a.to;
    const double nd = d + a.delay_ms;
    if (nd == d) return false;  // a zero (or absorbed) delay: settle order need not be (delay, node)
    const double dv = delay[v];
    if (nd < dv) {
      if (mark[v] == kProcessed) return false;
      mark[v] = kWaiting;
      delay[v] = nd;
      parent[v] = u;
      parent_edge[v] = k;
      if constexpr (kWithHeap) {
        heap->push_back({nd, v});
        std::push_heap(heap->begin(), heap->end(), heap_after);
      }
    } else if (nd == dv && v != source && parent[v] != kNoNode &&
               key_less(d, u, delay[parent[v]], parent[v])) {
      parent[v] = u;
      parent_edge[v] = k;
    }
  }
  return true;
}

}  // namespace

// Long (about 110 lines) on purpose: its three phases (the old order, the heap, the next order) share
// one search state and the `process` step; apart, each would take a dozen of its locals as arguments.
bool shortest_paths_reusing(const Graph& graph, std::uint32_t source, std::span<const std::uint8_t> flags,
                            std::vector<std::uint32_t>& order, ShortestPaths& out) {
  check_search("shortest_paths_reusing", graph, source, flags);
  const std::size_t n = graph.nodes;
  const auto fall_back = [&] {
    shortest_paths(graph, source, flags, out);
    order.assign(out.settled.begin(), out.settled.end());
    return false;
  };
  if (order.empty()) return fall_back();
  out.delay_ms.assign(n, kUnreachable);
  out.parent.assign(n, kNoNode);
  out.parent_edge.assign(n, kNoNode);
  out.mark.assign(n, kUntouched);
  out.settled.clear();
  out.settled.reserve(n);
  out.targets.clear();
  const std::uint8_t* const flag = flags.empty() ? nullptr : flags.data();
  if (flag != nullptr) {
    for (std::uint32_t v = 0; v < n; ++v) {
      if ((flag[v] & kTarget) != 0) out.targets.push_back(v);
    }
  }
  std::size_t targets_left = out.targets.size();
  const bool stop_early = targets_left > 0;
  double* const delay = out.delay_ms.data();
  std::uint32_t* const parent = out.parent.data();
  std::uint32_t* const parent_edge = out.parent_edge.data();
  std::uint8_t* const mark = out.mark.data();
  const Graph::Arc* const arcs = graph.arcs.data();
  const std::uint32_t* const offsets = graph.offsets.data();
  // Waiting nodes, with lazy deletion, once the ordered pass is over.
  std::vector<ShortestPaths::HeapEntry>& heap = out.heap;
  heap.clear();
  bool use_heap = false;
  delay[source] = 0.0;
  mark[source] = kWaiting;

  // Processes u: relaxes its arcs with the rule of shortest_paths, plus its tie rule made explicit
  // (an equal delay through an earlier node in (delay, node) order takes over the parent, as that node
  // would have been settled first). Returns false when a processed node would improve: the order was
  // wrong.
  const auto process = [&](std::uint32_t u) {
    mark[u] = kProcessed;
    out.settled.push_back(u);
    if (flag != nullptr) {
      if ((flag[u] & kTarget) != 0) --targets_left;
      if (u != source && (flag[u] & kNoRelay) != 0) return true;
    }
    return use_heap ? relax<true>(u, source, offsets, arcs, delay, parent, parent_edge, mark, &heap)
                    : relax<false>(u, source, offsets, arcs, delay, parent, parent_edge, mark, nullptr);
  };

  // 1. The old order, until every target is processed.
  std::size_t next = 0;
  for (; next < order.size() && !(stop_early && targets_left == 0); ++next) {
    const std::uint32_t u = order[next];
    if (u >= n) return fall_back();
    if (mark[u] != kWaiting) continue;  // not reached yet, or listed twice
    if (!process(u)) return fall_back();
  }
  // 2. Waiting nodes in (delay, node) order while one could still precede a target (or, without
  // targets, until none waits), as shortest_paths would settle them.
  for (std::uint32_t v = 0; v < n; ++v) {
    if (mark[v] == kWaiting) heap.push_back({delay[v], v});
  }
  std::make_heap(heap.begin(), heap.end(), heap_after);
  use_heap = true;
  std::uint32_t last_target = kNoNode;  // the target last in (delay, node) order, once all are processed
  std::size_t heap_steps = 0;
  const std::size_t heap_budget = n / 4 + 64;  // beyond that, a fresh search is cheaper
  while (!heap.empty()) {
    const ShortestPaths::HeapEntry top = heap.front();
    if (mark[top.node] == kProcessed || top.delay_ms != delay[top.node]) {
      std::pop_heap(heap.begin(), heap.end(), heap_after);
      heap.pop_back();
      continue;
    }
    if (stop_early && targets_left == 0) {
      if (last_target == kNoNode) {
        last_target = out.targets.front();
        for (std::uint32_t t : out.targets) {
          if (key_less(delay[last_target], last_target, delay[t], t)) last_target = t;
        }
      }
      if (key_less(delay[last_target], last_target, top.delay_ms, top.node)) break;
    }
    if (++heap_steps > heap_budget) return fall_back();
    std::pop_heap(heap.begin(), heap.end(), heap_after);
    heap.pop_back();
    if (!process(top.node)) return fall_back();
  }
  // The next order: the processed nodes by (delay, node), then what the old order did not reach.
  std::vector<std::uint32_t>& done = out.settled;
  sort_by_delay(done, delay);
  const std::size_t processed = done.size();
  for (std::size_t i = next; i < order.size(); ++i) {
    const std::uint32_t v = order[i];
    if (v < n && mark[v] != kProcessed) {
      mark[v] = kProcessed;  // listed once
      done.push_back(v);
    }
  }
  order.swap(done);
  out.settled.assign(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(processed));
  return true;
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
