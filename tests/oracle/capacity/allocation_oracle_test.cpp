// capacity::allocate against the independent LP reference (tests/oracle/capacity/README.md): 200
// instances solved with scipy's HiGHS by progressive filling, committed as fixtures, and 60 more shaped
// like the bundled uplinks (the uplink is allocated by the same code). Every point's allocation must
// agree within 1e-6 relative to max(1, demand), and every flow returned must respect every capacity.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "skyfence/capacity/allocation.h"

namespace skyfence::capacity {
namespace {

Instance instance_of(const nlohmann::json& j) {
  Instance in;
  in.satellites = j.at("satellites").get<std::vector<double>>();
  in.cells = j.at("cells").get<std::vector<double>>();
  for (const auto& p : j.at("points")) {
    in.points.push_back({p.at("cell").get<std::uint32_t>(), p.at("demand").get<double>(),
                         p.at("priority").get<std::uint32_t>()});
  }
  for (const auto& l : j.at("links")) {
    in.links.push_back({l.at(0).get<std::uint32_t>(), l.at(1).get<std::uint32_t>(), l.at(2).get<double>()});
  }
  if (j.at("gateway_mode") == "bent_pipe") {
    in.gateway_mode = GatewayMode::bent_pipe;
    in.gateways = j.at("gateways").get<std::vector<double>>();
    for (const auto& sg : j.at("sat_gateways")) {
      in.sat_gateways.emplace_back(sg.at(0).get<std::uint32_t>(), sg.at(1).get<std::uint32_t>());
    }
  }
  return in;
}

// Every instance of a fixtures file (tests/data/capacity/) against allocate; the number of points.
std::size_t check_fixtures(const std::string& name, std::size_t count) {
  std::ifstream file(std::string(SKYFENCE_TEST_DATA_DIR) + "/capacity/" + name);
  EXPECT_TRUE(file) << "missing fixtures " << name;
  if (!file) return 0;
  const nlohmann::json fixtures = nlohmann::json::parse(file);
  const auto& instances = fixtures.at("instances");
  EXPECT_EQ(instances.size(), count);
  std::size_t points = 0;
  for (std::size_t k = 0; k < instances.size(); ++k) {
    const Instance in = instance_of(instances[k]);
    const auto expected = instances[k].at("expected").get<std::vector<double>>();
    const Allocation a = allocate(in);
    EXPECT_EQ(a.points.size(), expected.size());
    if (a.points.size() != expected.size()) continue;
    for (std::size_t i = 0; i < expected.size(); ++i, ++points) {
      const double scale = std::max({1.0, in.points[i].demand_mbps, expected[i]});
      EXPECT_NEAR(a.points[i], expected[i], 1e-6 * scale) << name << " instance " << k << " point " << i;
    }
    // The flows returned respect every capacity.
    const double slack = 1e-9;
    for (std::size_t s = 0; s < in.satellites.size(); ++s) {
      EXPECT_LE(a.satellites[s], in.satellites[s] * (1 + slack) + slack) << name << " instance " << k;
    }
    for (std::size_t c = 0; c < in.cells.size(); ++c) {
      EXPECT_LE(a.cells[c], in.cells[c] * (1 + slack) + slack) << name << " instance " << k;
    }
    for (std::size_t g = 0; g < in.gateways.size(); ++g) {
      EXPECT_LE(a.gateways[g], in.gateways[g] * (1 + slack) + slack) << name << " instance " << k;
    }
    for (std::size_t i = 0; i < in.points.size(); ++i) {
      EXPECT_LE(a.points[i], in.points[i].demand_mbps * (1 + slack) + slack) << name << " instance " << k;
    }
  }
  return points;
}

TEST(CapacityAllocationOracle, EqualsTheLinearProgrammingReference) {
  EXPECT_GT(check_fixtures("allocation_fixtures.json", 200), 1000U);
}

TEST(CapacityAllocationOracle, EqualsTheLinearProgrammingReferenceOnUplinkShapedInstances) {
  EXPECT_GT(check_fixtures("allocation_uplink_fixtures.json", 60), 500U);
}

}  // namespace
}  // namespace skyfence::capacity
