// Dijkstra (network::shortest_paths) against Floyd-Warshall on random small graphs, with the relay rule
// (nodes flagged kNoRelay are never passed through) and with early stopping at targets. The seed is printed;
// SKYFENCE_TEST_SEED replays one (tests/test_seed.h).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "../../test_seed.h"
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
  const std::uint64_t seed = skyfence_test::test_seed("dijkstra floyd-warshall", 20261202);
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
  const std::uint64_t seed = skyfence_test::test_seed("dijkstra early stop", 20261202);
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

// shortest_paths_reusing against a fresh shortest_paths, search after search, on graphs that drift as a
// moving network does (weights change a little, edges come and go): for every target (or every node
// without targets), the same delay, parent and parent edge, bit for bit. Also with integer weights
// (many exact ties), zero weights, relays and garbage orders.
struct DriftingGraph {
  std::uint32_t n = 0;
  std::vector<std::uint32_t> u, v;
  std::vector<double> w;
  std::vector<bool> up;
};

Graph build_drifting(const DriftingGraph& g) {
  GraphBuilder b;
  b.reset(g.n);
  for (std::size_t e = 0; e < g.u.size(); ++e) {
    if (g.up[e]) b.add_edge(g.u[e], g.v[e], g.w[e]);
  }
  Graph out;
  b.build(out);
  return out;
}

void expect_same_search(const ShortestPaths& warm, const ShortestPaths& fresh, std::uint32_t node,
                        const std::string& where) {
  EXPECT_EQ(warm.delay_ms[node], fresh.delay_ms[node]) << where << " node " << node;
  EXPECT_EQ(warm.parent[node], fresh.parent[node]) << where << " node " << node;
  EXPECT_EQ(warm.parent_edge[node], fresh.parent_edge[node]) << where << " node " << node;
}

TEST(NetworkDijkstraOracle, ReusedOrderGivesTheFreshSearchExactly) {
  const std::uint64_t seed = skyfence_test::test_seed("dijkstra reused order", 20261202);
  std::mt19937_64 rng(seed);
  SCOPED_TRACE(testing::Message() << "seed " << seed);
  std::size_t searches = 0, reused = 0;
  for (int trial = 0; trial < 120; ++trial) {
    // A grid with diagonals, like a constellation's mesh, plus a few random chords.
    const std::uint32_t side = std::uniform_int_distribution<std::uint32_t>(2, 9)(rng);
    DriftingGraph g;
    g.n = side * side + 3;       // three extra nodes: non-relaying end points
    const int kind = trial % 3;  // 0: real weights, 1: integer weights (ties), 2: real with zeros
    auto weight = [&] {
      if (kind == 1) return static_cast<double>(std::uniform_int_distribution<int>(1, 4)(rng));
      if (kind == 2 && std::bernoulli_distribution(0.1)(rng)) return 0.0;
      return std::uniform_real_distribution<double>(0.5, 10.0)(rng);
    };
    auto add = [&](std::uint32_t a, std::uint32_t b) {
      g.u.push_back(a);
      g.v.push_back(b);
      g.w.push_back(weight());
      g.up.push_back(true);
    };
    for (std::uint32_t r = 0; r < side; ++r) {
      for (std::uint32_t c = 0; c < side; ++c) {
        const std::uint32_t x = r * side + c;
        if (c + 1 < side) add(x, x + 1);
        if (r + 1 < side) add(x, x + side);
        if (r + 1 < side && c + 1 < side && std::bernoulli_distribution(0.3)(rng)) add(x, x + side + 1);
      }
    }
    std::uniform_int_distribution<std::uint32_t> any_grid(0, side * side - 1);
    for (std::uint32_t e = side * side; e < g.n; ++e) {
      for (int k = 0; k < 3; ++k) add(e, any_grid(rng));
    }
    std::vector<std::uint8_t> flags(g.n, 0);
    for (std::uint32_t e = side * side; e < g.n; ++e) flags[e] = kNoRelay | kTarget;
    if (trial % 4 == 3) {
      for (auto& f : flags) f = static_cast<std::uint8_t>(f & ~kTarget);  // no targets: every node
    }
    const bool all_nodes = trial % 4 == 3;
    std::vector<std::vector<std::uint32_t>> orders(g.n);
    if (trial % 10 == 0) {
      // Garbage to start from: out-of-range entries, repeats, a shuffled order.
      for (auto& o : orders) {
        o = {g.n + 5, 0, 0, g.n - 1};
        for (std::uint32_t x = 0; x < g.n; ++x) o.push_back(x);
        std::shuffle(o.begin() + 4, o.end(), rng);
      }
    }
    ShortestPaths warm, fresh;
    for (int step = 0; step < 12; ++step) {
      const Graph graph = build_drifting(g);
      for (std::uint32_t s : {0u, side * side, side * side + 1}) {
        const bool used = shortest_paths_reusing(graph, s, flags, orders[s], warm);
        shortest_paths(graph, s, flags, fresh);
        ++searches;
        reused += used ? 1 : 0;
        const std::string where = "trial " + std::to_string(trial) + " step " + std::to_string(step) +
                                  " source " + std::to_string(s) + (used ? " (reused)" : " (fresh)");
        for (std::uint32_t t = 0; t < g.n; ++t) {
          if (all_nodes || (flags[t] & kTarget) != 0) expect_same_search(warm, fresh, t, where);
        }
      }
      // Drift: weights change by up to 2 % (integer weights sometimes step by one), a few edges go
      // down or come back.
      for (std::size_t e = 0; e < g.w.size(); ++e) {
        if (kind == 1) {
          if (std::bernoulli_distribution(0.05)(rng)) g.w[e] = weight();
        } else if (g.w[e] != 0.0) {
          g.w[e] *= 1.0 + std::uniform_real_distribution<double>(-0.02, 0.02)(rng);
        }
        if (std::bernoulli_distribution(0.02)(rng)) g.up[e] = !g.up[e];
      }
    }
  }
  // The test must exercise the reuse, not only the fall-back.
  EXPECT_GT(reused, searches / 3) << reused << " of " << searches << " searches reused their order";
}

TEST(NetworkDijkstra, ReuseFallsBackOnAWrongOrder) {
  // A path 0 - 1 - 2 - 3: the order 0, 3, 2, 1 processes 3 and 2 before their delays are known, so
  // the search must notice (2 improves after it was processed) and run afresh.
  GraphBuilder b;
  b.reset(4);
  b.add_edge(0, 1, 1.0);
  b.add_edge(1, 2, 1.0);
  b.add_edge(2, 3, 1.0);
  b.add_edge(0, 2, 5.0);
  Graph g;
  b.build(g);
  ShortestPaths sp;
  std::vector<std::uint32_t> order{0, 2, 1, 3};
  EXPECT_FALSE(shortest_paths_reusing(g, 0, {}, order, sp));
  EXPECT_EQ(sp.delay_ms[3], 3.0);
  EXPECT_EQ(order, (std::vector<std::uint32_t>{0, 1, 2, 3}));  // the fresh search's order
  EXPECT_TRUE(shortest_paths_reusing(g, 0, {}, order, sp));
  EXPECT_EQ(sp.delay_ms[3], 3.0);
  EXPECT_EQ(sp.parent[2], 1u);
  std::vector<std::uint32_t> empty;
  EXPECT_FALSE(shortest_paths_reusing(g, 0, {}, empty, sp));  // nothing to reuse
  EXPECT_EQ(empty.size(), 4u);
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
