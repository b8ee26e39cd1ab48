// Capacity allocation per step: times skyfence::capacity::allocate on random instances of the size of
// one provider's step over a region (satellites in view, service cells, terminals, priority classes,
// demand above capacity so that water-filling takes several rounds), and writes them in the fixture
// format of tests/data/capacity/ so that bench/capacity_lp.py can time the LP reference on the same
// instances. Driven by bench/capacity_bench.sh. Not a test.
//   capacity_bench [--instances N] [--satellites S] [--points P] [--cells C] [--seed K] [--export FILE]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "skyfence/capacity/allocation.h"

using skyfence::capacity::Instance;

namespace {

Instance random_instance(std::mt19937_64& rng, int sats, int points, int cells) {
  std::uniform_real_distribution<double> u(0.0, 1.0);
  Instance in;
  for (int s = 0; s < sats; ++s) in.satellites.push_back(200.0 + 600.0 * u(rng));
  for (int c = 0; c < cells; ++c) in.cells.push_back(4000.0 + 4000.0 * u(rng));
  for (int i = 0; i < points; ++i) {
    const auto cell = static_cast<std::uint32_t>(rng() % static_cast<std::uint64_t>(cells));
    in.points.push_back({cell, 50.0 + 400.0 * u(rng), static_cast<std::uint32_t>(rng() % 3)});
    // Each point sees a contiguous run of satellites (neighbours in the sky), 3 to 12 of them.
    const int first = static_cast<int>(rng() % static_cast<std::uint64_t>(sats));
    const int count = 3 + static_cast<int>(rng() % 10);
    for (int k = 0; k < count; ++k) {
      in.links.push_back({static_cast<std::uint32_t>((first + k) % sats), static_cast<std::uint32_t>(i),
                          1000.0 + 3000.0 * u(rng)});
    }
  }
  return in;
}

nlohmann::json to_json(const Instance& in) {
  nlohmann::json j;
  j["satellites"] = in.satellites;
  j["cells"] = in.cells;
  j["points"] = nlohmann::json::array();
  for (const auto& p : in.points)
    j["points"].push_back({{"cell", p.cell}, {"demand", p.demand_mbps}, {"priority", p.priority}});
  j["links"] = nlohmann::json::array();
  for (const auto& l : in.links) j["links"].push_back({l.satellite, l.point, l.capacity_mbps});
  j["gateway_mode"] = "none";
  j["gateways"] = nlohmann::json::array();
  j["sat_gateways"] = nlohmann::json::array();
  return j;
}

}  // namespace

int main(int argc, char** argv) {
  int instances = 20, sats = 40, points = 120, cells = 30;
  unsigned long long seed = 7;
  std::string export_file;
  for (int a = 1; a + 1 < argc; a += 2) {
    const std::string k = argv[a], v = argv[a + 1];
    if (k == "--instances")
      instances = std::stoi(v);
    else if (k == "--satellites")
      sats = std::stoi(v);
    else if (k == "--points")
      points = std::stoi(v);
    else if (k == "--cells")
      cells = std::stoi(v);
    else if (k == "--seed")
      seed = std::stoull(v);
    else if (k == "--export")
      export_file = v;
    else {
      std::fprintf(stderr, "unknown option %s\n", k.c_str());
      return 2;
    }
  }
  std::mt19937_64 rng(seed);
  std::vector<double> seconds;
  nlohmann::json all = {{"generator", "bench/capacity_bench --seed " + std::to_string(seed)},
                        {"instances", nlohmann::json::array()}};
  unsigned rounds = 0, flows = 0;
  for (int n = 0; n < instances; ++n) {
    const Instance in = random_instance(rng, sats, points, cells);
    double best = 1e300;
    for (int r = 0; r < 5; ++r) {
      const auto t0 = std::chrono::steady_clock::now();
      const auto a = skyfence::capacity::allocate(in);
      best = std::min(best, std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
      if (r == 0) {
        rounds += a.rounds;
        flows += a.max_flows;
      }
    }
    seconds.push_back(best);
    all["instances"].push_back(to_json(in));
  }
  std::sort(seconds.begin(), seconds.end());
  std::printf("instances %d (satellites %d, points %d, cells %d, 3 classes)\n", instances, sats, points,
              cells);
  std::printf("allocate_median_s %.6g\n", seconds[seconds.size() / 2]);
  std::printf("rounds_mean %.1f max_flows_mean %.1f\n", static_cast<double>(rounds) / instances,
              static_cast<double>(flows) / instances);
  if (!export_file.empty()) std::ofstream(export_file) << all.dump() << "\n";
  return 0;
}
