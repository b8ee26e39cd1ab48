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
  // REQUIRES: u, v < nodes, delay_ms >= 0 and finite (not checked in release builds).
  void add_edge(std::uint32_t u, std::uint32_t v, double delay_ms, std::uint32_t via = kNoNode) {
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
};

// Shortest delays from `source`. `flags` is empty (every node relays, no early stop) or has one entry
// per node (kNoRelay, kTarget). With targets flagged, the search stops once all of them are settled:
// delays and parents are final for every settled node, and the targets; others may be upper bounds.
// REQUIRES: source < graph.nodes.
void shortest_paths(const Graph& graph, std::uint32_t source, std::span<const std::uint8_t> flags,
                    ShortestPaths& out);

// The path source -> node from a search's parents, source first, with the `via` node of each edge
// inserted between its ends; empty when node was not reached.
void path_to(const Graph& graph, const ShortestPaths& sp, std::uint32_t node,
             std::vector<std::uint32_t>& out);

}  // namespace skyfence::network
