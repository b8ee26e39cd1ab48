// A weighted undirected graph in compressed sparse row form, and single-source shortest paths on it.
//
// Weights are one-way propagation delays in milliseconds (>= 0). Dijkstra's algorithm with an indexed
// 4-ary heap (decrease-key; each node enters the heap once) keyed by (delay, node): cost
// O(E + V log V) per source with at most V heap entries. Ties are broken the same way every time
// (nodes leave the heap in increasing (delay, node) order; an edge replaces a parent only when
// strictly shorter; adjacency lists are sorted by neighbour), so paths are deterministic.
//
// Relay rule: a node flagged kNoRelay is never passed through (a city is an end point, not a router):
// it is reached but its edges are not followed, except from the source itself.
// Tested against Floyd-Warshall with the same rule on random graphs
// (tests/oracle/network/dijkstra_oracle_test.cpp).
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <span>
#include <vector>

namespace skyfence::network {

inline constexpr std::uint32_t kNoNode = std::numeric_limits<std::uint32_t>::max();
inline constexpr double kUnreachable = std::numeric_limits<double>::infinity();

// Node flags for shortest_paths.
inline constexpr std::uint8_t kNoRelay = 1;  // reached, never passed through
inline constexpr std::uint8_t kTarget = 2;   // the search may stop once every target is settled

struct Graph {
  std::uint32_t nodes = 0;
  std::vector<std::uint32_t> offsets;  // nodes + 1 entries: arcs of u are [offsets[u], offsets[u+1])
  struct Arc {
    double delay_ms;
    std::uint32_t to;
    // A node the edge stands for, or kNoNode: an edge can stand for a two-link hop through a node that
    // must not be passed through any other way (satellite -> gateway -> PoP; callers decide).
    std::uint32_t via;
  };
  std::vector<Arc> arcs;  // each undirected edge twice, once from each end
  [[nodiscard]] std::size_t edges() const { return arcs.size() / 2; }  // undirected edges
};

// Collects undirected edges, then builds the CSR graph (adjacency lists sorted by neighbour, then
// delay, then via; parallel edges kept). Reuse one builder across steps to keep its memory.
class GraphBuilder {
 public:
  void reset(std::uint32_t nodes) {
    nodes_ = nodes;
    edges_.clear();
  }
  // REQUIRES: u, v < nodes (of the last reset), delay_ms >= 0 and finite; throws std::invalid_argument
  // otherwise. `via` is not checked (any node id, or kNoNode).
  void add_edge(std::uint32_t u, std::uint32_t v, double delay_ms, std::uint32_t via = kNoNode) {
    if (u >= nodes_ || v >= nodes_ || !(delay_ms >= 0.0 && delay_ms < kUnreachable)) {
      reject_edge(u, v, delay_ms);
    }
    edges_.push_back({u, v, delay_ms, via});
  }
  [[nodiscard]] std::size_t edges() const { return edges_.size(); }
  void build(Graph& out);

 private:
  struct Edge {
    std::uint32_t u, v;
    double w;
    std::uint32_t via;
  };
  [[noreturn]] void reject_edge(std::uint32_t u, std::uint32_t v, double delay_ms) const;
  std::uint32_t nodes_ = 0;
  std::vector<Edge> edges_;
  std::vector<std::uint32_t> count_;
};

// Result of one search: delay from the source (kUnreachable where not reached) and the previous node on
// the shortest path (kNoNode at the source and where not reached).
struct ShortestPaths {
  std::vector<double> delay_ms;
  std::vector<std::uint32_t> parent;
  std::vector<std::uint32_t> parent_edge;  // CSR index of the edge from parent (kNoNode where no parent)
  // Work space, kept between calls: the heap of nodes and each node's place in it.
  struct HeapEntry {
    double delay_ms;
    std::uint32_t node;
  };
  std::vector<HeapEntry> heap;
  std::vector<std::uint32_t> place;
  // Nodes in the order the search settled them (for shortest_paths_reusing).
  std::vector<std::uint32_t> settled;
  // Work space of shortest_paths_reusing.
  std::vector<std::uint8_t> mark;
  std::vector<std::uint32_t> targets;
};

// Shortest delays from `source`. `flags` is empty (every node relays, no early stop) or has one entry
// per node (kNoRelay, kTarget). With targets flagged, the search stops once all of them are settled:
// delays and parents are final for every settled node, and the targets; others may be upper bounds.
// REQUIRES: source < graph.nodes; flags empty or of size graph.nodes. Throws std::invalid_argument
// otherwise.
void shortest_paths(const Graph& graph, std::uint32_t source, std::span<const std::uint8_t> flags,
                    ShortestPaths& out);

// The same search, warm-started from `order`: the nodes in the order an earlier search from the same
// source settled them, on an earlier version of a graph with the same nodes (the previous time step of
// a moving network, where that order barely changes). The nodes are first processed in that order, with
// no heap (each relaxes its arcs once); then, with a heap, every node still waiting whose (delay, node)
// is below that of a target (all of them without targets). The result is certified: if any processed
// node's delay later improves, the order was wrong and the search falls back to shortest_paths. It also
// falls back when an arc adds nothing to a delay (a zero delay, or one too small to change the sum):
// only then can shortest_paths settle nodes out of (delay, node) order, which its parents reflect. Without
// a fall-back, delays are final for every processed node whose (delay, node) is below that of every
// node still waiting, which includes all targets and every node on their paths; and the parents are
// chosen by the same rule as shortest_paths (among edges giving the same delay, the one from the node
// settled first, (delay, node) order, then the first in the adjacency list), so delays, parents and
// paths of the targets are bit-identical to shortest_paths's. Proof in docs/network.md; tested against
// shortest_paths on random graphs whose weights drift between calls (tests/oracle/network).
// `order` becomes this search's order (processed nodes by (delay, node), then the unused rest of the
// old order) for the next call; it may be empty or hold anything (a bad order only costs the fall-back).
// Returns true when the order was used, false when the search fell back to shortest_paths.
// REQUIRES: source < graph.nodes; flags empty or of size graph.nodes. Throws std::invalid_argument
// otherwise.
bool shortest_paths_reusing(const Graph& graph, std::uint32_t source, std::span<const std::uint8_t> flags,
                            std::vector<std::uint32_t>& order, ShortestPaths& out);

// The path source -> node from a search's parents, source first, with the `via` node of each edge
// inserted between its ends; empty when node was not reached.
void path_to(const Graph& graph, const ShortestPaths& sp, std::uint32_t node,
             std::vector<std::uint32_t>& out);

}  // namespace skyfence::network
