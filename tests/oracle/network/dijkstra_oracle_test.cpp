// Dijkstra (network::shortest_paths) against Floyd-Warshall on random small graphs, with the relay rule
// (nodes flagged kNoRelay are never passed through) and with early stopping at targets.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

#include "skyfence/network/graph.h"

namespace skyfence::network {
namespace {

struct RandomGraph {
  std::uint32_t n = 0;
  std::vector<std::uint32_t> u, v;
  std::vector<double> w;
  std::vector<std::uint8_t> flags;
};

RandomGraph make_graph(std::mt19937_64& rng) {
  RandomGraph g;
  g.n = std::uniform_int_distribution<std::uint32_t>(1, 40)(rng);
  const double density = std::uniform_real_distribution<double>(0.02, 0.5)(rng);
  std::uniform_real_distribution<double> weight(0.0, 10.0);
  std::bernoulli_distribution coin(density), zero(0.05), relay(0.8), parallel(0.1);
  for (std::uint32_t a = 0; a < g.n; ++a) {
    for (std::uint32_t b = a + 1; b < g.n; ++b) {
      if (!coin(rng)) continue;
      const int copies = parallel(rng) ? 2 : 1;  // parallel edges: the shorter counts
      for (int c = 0; c < copies; ++c) {
        g.u.push_back(a);
        g.v.push_back(b);
        g.w.push_back(zero(rng) ? 0.0 : weight(rng));
      }
    }
  }
  g.flags.resize(g.n);
  for (auto& f : g.flags) f = relay(rng) ? 0 : kNoRelay;
  return g;
}

// All-pairs delays with intermediate nodes restricted to relays (Floyd-Warshall over k in relays).
std::vector<std::vector<double>> floyd_warshall(const RandomGraph& g) {
  std::vector<std::vector<double>> d(g.n, std::vector<double>(g.n, kUnreachable));
  for (std::uint32_t i = 0; i < g.n; ++i) d[i][i] = 0.0;
  for (std::size_t e = 0; e < g.u.size(); ++e) {
    d[g.u[e]][g.v[e]] = std::min(d[g.u[e]][g.v[e]], g.w[e]);
    d[g.v[e]][g.u[e]] = std::min(d[g.v[e]][g.u[e]], g.w[e]);
  }
  for (std::uint32_t k = 0; k < g.n; ++k) {
    if ((g.flags[k] & kNoRelay) != 0) continue;
    for (std::uint32_t i = 0; i < g.n; ++i) {
      for (std::uint32_t j = 0; j < g.n; ++j) d[i][j] = std::min(d[i][j], d[i][k] + d[k][j]);
    }
  }
  return d;
}

double edge_weight(const RandomGraph& g, std::uint32_t a, std::uint32_t b) {
  double best = kUnreachable;
  for (std::size_t e = 0; e < g.u.size(); ++e) {
    if ((g.u[e] == a && g.v[e] == b) || (g.u[e] == b && g.v[e] == a)) best = std::min(best, g.w[e]);
  }
  return best;
}

Graph build(const RandomGraph& g) {
  GraphBuilder b;
  b.reset(g.n);
  for (std::size_t e = 0; e < g.u.size(); ++e) b.add_edge(g.u[e], g.v[e], g.w[e]);
  Graph out;
  b.build(out);
  return out;
}

TEST(NetworkDijkstraOracle, EqualsFloydWarshallWithRelayRule) {
  const std::uint64_t seed = std::random_device{}();
  std::mt19937_64 rng(seed);
  SCOPED_TRACE(testing::Message() << "seed " << seed);
  ShortestPaths sp;
  std::vector<std::uint32_t> path;
  for (int trial = 0; trial < 300; ++trial) {
    const RandomGraph g = make_graph(rng);
    const Graph graph = build(g);
    ASSERT_EQ(graph.edges(), g.u.size());
    const auto fw = floyd_warshall(g);
    for (std::uint32_t s = 0; s < g.n; ++s) {
      shortest_paths(graph, s, g.flags, sp);
      for (std::uint32_t t = 0; t < g.n; ++t) {
        if (fw[s][t] == kUnreachable) {
          EXPECT_EQ(sp.delay_ms[t], kUnreachable) << "trial " << trial << " " << s << "->" << t;
          continue;
        }
        EXPECT_NEAR(sp.delay_ms[t], fw[s][t], 1e-9 * (1.0 + fw[s][t]))
            << "trial " << trial << " " << s << "->" << t;
        // The path is real: consecutive nodes linked, weights add up, intermediate nodes relay.
        path_to(graph, sp, t, path);
        ASSERT_FALSE(path.empty());
        EXPECT_EQ(path.front(), s);
        EXPECT_EQ(path.back(), t);
        double sum = 0.0;
        for (std::size_t k = 1; k < path.size(); ++k) {
          const double w = edge_weight(g, path[k - 1], path[k]);
          ASSERT_NE(w, kUnreachable);
          sum += w;
          if (k + 1 < path.size()) {
            EXPECT_EQ(g.flags[path[k]] & kNoRelay, 0);
          }
        }
        EXPECT_NEAR(sum, sp.delay_ms[t], 1e-9 * (1.0 + sum));
      }
    }
  }
}

TEST(NetworkDijkstraOracle, EarlyStopKeepsTargetsExact) {
  const std::uint64_t seed = std::random_device{}();
  std::mt19937_64 rng(seed);
  SCOPED_TRACE(testing::Message() << "seed " << seed);
  ShortestPaths sp, full;
  std::bernoulli_distribution is_target(0.2);
  for (int trial = 0; trial < 300; ++trial) {
    RandomGraph g = make_graph(rng);
    const Graph graph = build(g);
    const auto fw = floyd_warshall(g);
    std::vector<std::uint8_t> flags = g.flags;
    for (auto& f : flags) f = static_cast<std::uint8_t>(f | (is_target(rng) ? kTarget : 0));
    for (std::uint32_t s = 0; s < g.n; ++s) {
      shortest_paths(graph, s, flags, sp);
      shortest_paths(graph, s, g.flags, full);
      for (std::uint32_t t = 0; t < g.n; ++t) {
        if ((flags[t] & kTarget) == 0) continue;
        if (fw[s][t] == kUnreachable) {
          EXPECT_EQ(sp.delay_ms[t], kUnreachable);
        } else {
          EXPECT_NEAR(sp.delay_ms[t], fw[s][t], 1e-9 * (1.0 + fw[s][t]));
          // Same tie-breaking as the full search: the same parent.
          EXPECT_EQ(sp.parent[t], full.parent[t]);
        }
      }
    }
  }
}

TEST(NetworkDijkstra, EmptyAndSingleNode) {
  GraphBuilder b;
  b.reset(1);
  Graph g;
  b.build(g);
  ShortestPaths sp;
  shortest_paths(g, 0, {}, sp);
  EXPECT_EQ(sp.delay_ms[0], 0.0);
  std::vector<std::uint32_t> path;
  path_to(g, sp, 0, path);
  EXPECT_EQ(path, std::vector<std::uint32_t>{0});
}

TEST(NetworkDijkstra, NoRelayNodeIsNotPassedThrough) {
  // 0 - 1 - 2 with 1 not relaying, and a long detour 0 - 3 - 2.
  GraphBuilder b;
  b.reset(4);
  b.add_edge(0, 1, 1.0);
  b.add_edge(1, 2, 1.0);
  b.add_edge(0, 3, 5.0);
  b.add_edge(3, 2, 5.0);
  Graph g;
  b.build(g);
  ShortestPaths sp;
  const std::vector<std::uint8_t> flags{0, kNoRelay, 0, 0};
  shortest_paths(g, 0, flags, sp);
  EXPECT_EQ(sp.delay_ms[2], 10.0);
  EXPECT_EQ(sp.delay_ms[1], 1.0);
  shortest_paths(g, 1, flags, sp);  // the source itself may send
  EXPECT_EQ(sp.delay_ms[2], 1.0);
}

}  // namespace
}  // namespace skyfence::network
