// The allocation on instances small enough to solve by hand (expected values derived in the comments).
#include "skyfence/capacity/allocation.h"

#include <gtest/gtest.h>

#include <stdexcept>

namespace skyfence::capacity {
namespace {

constexpr double kTol = 1e-9;

Instance one_satellite(double sat, std::vector<double> demands, std::uint32_t priority_of_second = 0) {
  Instance in;
  in.satellites = {sat};
  in.cells = {1e9};
  for (std::size_t i = 0; i < demands.size(); ++i) {
    in.points.push_back({0, demands[i], i == 1 ? priority_of_second : 0});
    in.links.push_back({0, static_cast<std::uint32_t>(i), 1e9});
  }
  return in;
}

TEST(CapacityAllocation, DemandBelowCapacityIsMetInFull) {
  const Allocation a = allocate(one_satellite(100.0, {10.0, 20.0, 30.0}));
  EXPECT_NEAR(a.points[0], 10.0, kTol);
  EXPECT_NEAR(a.points[1], 20.0, kTol);
  EXPECT_NEAR(a.points[2], 30.0, kTol);
  EXPECT_NEAR(a.satellites[0], 60.0, kTol);
  // The greedy shortcut decided: no water-filling round, no maximum flow.
  EXPECT_EQ(a.rounds, 0U);
  EXPECT_EQ(a.max_flows, 0U);
}

TEST(CapacityAllocation, AGreedyOrderThatFailsLeavesTheAnswerToTheWaterFilling) {
  // Point 0 reaches satellites A and B, point 1 only A; 10 Mbps each, demands 10 each. Greedy, point 0
  // takes A whole and point 1 is left with nothing; yet both fit (point 0 on B). The water-filling
  // decides: both met in full.
  Instance in;
  in.satellites = {10.0, 10.0};
  in.cells = {1e9};
  in.points = {{0, 10.0, 0}, {0, 10.0, 0}};
  in.links = {{0, 0, 1e9}, {1, 0, 1e9}, {0, 1, 1e9}};
  Allocation a = allocate(in);
  EXPECT_NEAR(a.points[0], 10.0, kTol);
  EXPECT_NEAR(a.points[1], 10.0, kTol);
  EXPECT_GE(a.max_flows, 1U);
  // The same through gateways: satellite A's gateway (10) is also B's first; B has a second one (10).
  in.satellites = {100.0, 100.0};
  in.gateway_mode = GatewayMode::bent_pipe;
  in.gateways = {10.0, 10.0};
  in.sat_gateways = {{0, 0}, {1, 0}, {1, 1}};
  in.links = {{1, 0, 1e9}, {0, 1, 1e9}};
  a = allocate(in);
  EXPECT_NEAR(a.points[0], 10.0, kTol);
  EXPECT_NEAR(a.points[1], 10.0, kTol);
  EXPECT_GE(a.max_flows, 1U);
  EXPECT_NEAR(a.gateways[0] + a.gateways[1], 20.0, kTol);
}

TEST(CapacityAllocation, TheShortcutsFlowsRespectEveryLimit) {
  // Demand that fits, split over links, satellites and gateways: every limit holds, flow is conserved.
  Instance in;
  in.satellites = {30.0, 50.0, 40.0};
  in.cells = {60.0, 100.0};
  in.points = {{0, 25.0, 0}, {0, 35.0, 1}, {1, 45.0, 2}};
  in.links = {{0, 0, 20.0}, {1, 0, 1e9}, {1, 1, 30.0}, {2, 1, 1e9}, {2, 2, 1e9}, {0, 2, 1e9}};
  in.gateway_mode = GatewayMode::bent_pipe;
  in.gateways = {35.0, 100.0};
  in.sat_gateways = {{0, 0}, {1, 1}, {1, 0}, {2, 1}};  // satellite 1 draws on gateway 1 first
  const Allocation a = allocate(in);
  ASSERT_EQ(a.max_flows, 0U);
  EXPECT_EQ(a.points, (std::vector<double>{25.0, 35.0, 45.0}));
  EXPECT_EQ(a.cells, (std::vector<double>{60.0, 45.0}));
  double sats = 0.0, gws = 0.0;
  for (std::size_t s = 0; s < in.satellites.size(); ++s) {
    EXPECT_LE(a.satellites[s], in.satellites[s]);
    sats += a.satellites[s];
  }
  for (std::size_t g = 0; g < in.gateways.size(); ++g) {
    EXPECT_LE(a.gateways[g], in.gateways[g]);
    gws += a.gateways[g];
  }
  EXPECT_DOUBLE_EQ(sats, 105.0);
  EXPECT_DOUBLE_EQ(gws, 105.0);
  // By hand: point 0 takes 20 over its 20-Mbps link (satellite 0, gateway 0) and 5 from satellite 1
  // (gateway 1); point 1 takes 30 over its 30-Mbps link (satellite 1, gateway 1) and 5 from satellite 2;
  // point 2 takes satellite 2's last 35, then 10 from satellite 0 (gateway 0).
  EXPECT_EQ(a.satellites, (std::vector<double>{30.0, 35.0, 40.0}));
  EXPECT_EQ(a.gateways, (std::vector<double>{30.0, 75.0}));
}

TEST(CapacityAllocation, OneSatelliteSharesTheSameFractionOfDemand) {
  // 90 Mbps for demands 60 and 120: both get 90 / 180 = 1/2 of their demand.
  const Allocation a = allocate(one_satellite(90.0, {60.0, 120.0}));
  EXPECT_NEAR(a.points[0], 30.0, kTol);
  EXPECT_NEAR(a.points[1], 60.0, kTol);
}

TEST(CapacityAllocation, StrictPriorityServesTheFirstClassBeforeTheSecond) {
  // Point 1 has class 1: point 0 (class 0) takes its 60 first, point 1 gets the remaining 30.
  const Allocation a = allocate(one_satellite(90.0, {60.0, 120.0}, /*priority_of_second=*/1));
  EXPECT_NEAR(a.points[0], 60.0, kTol);
  EXPECT_NEAR(a.points[1], 30.0, kTol);
  // Class numbers need not be contiguous, only ordered.
  Instance in = one_satellite(90.0, {60.0, 120.0}, 7);
  in.points[0].priority = 3;
  EXPECT_NEAR(allocate(in).points[0], 60.0, kTol);
}

TEST(CapacityAllocation, MaxMinFairnessRaisesTheBlockedPointsLast) {
  // Satellite A (10) reaches only point 0 (demand 100); satellite B (100) reaches points 0 and 1
  // (demand 100 each). Level 1: all rise together; A + B = 110 for 200 of demand caps the level at
  // 110 / 200 = 0.55, and both points are blocked there (every path to either crosses A or B). So
  // x = (55, 55): point 0 takes 10 from A and 45 from B.
  Instance in;
  in.satellites = {10.0, 100.0};
  in.cells = {1e9};
  in.points = {{0, 100.0, 0}, {0, 100.0, 0}};
  in.links = {{0, 0, 1e9}, {1, 0, 1e9}, {1, 1, 1e9}};
  Allocation a = allocate(in);
  EXPECT_NEAR(a.points[0], 55.0, kTol);
  EXPECT_NEAR(a.points[1], 55.0, kTol);
  // With point 1's demand at 20 both still rise together (fractions, not Mbps, are equalised):
  // 110 Mbps for 120 of demand, 11/12 each.
  in.points[1].demand_mbps = 20.0;
  a = allocate(in);
  EXPECT_NEAR(a.points[1], 20.0 * 11.0 / 12.0, kTol);
  EXPECT_NEAR(a.points[0], 100.0 * 11.0 / 12.0, kTol);
  // With satellite A at 50, point 1 is met in full (fraction 1 <= 150 / 120) and point 0 takes the
  // rest, capped by its demand: 100.
  in.satellites[0] = 50.0;
  a = allocate(in);
  EXPECT_NEAR(a.points[1], 20.0, kTol);
  EXPECT_NEAR(a.points[0], 100.0, kTol);
  // A at 10 and B at 40 with demands 100 and 20: level 50 / 120 for both; neither can grow alone.
  in.satellites = {10.0, 40.0};
  a = allocate(in);
  EXPECT_NEAR(a.points[1], 20.0 * 50.0 / 120.0, kTol);
  EXPECT_NEAR(a.points[0], 100.0 * 50.0 / 120.0, kTol);
  in.satellites = {10.0, 100.0};
  // Point 0 alone behind satellite A: A = 10 reaches point 0 only, B (100) reaches point 1 only.
  in.links = {{0, 0, 1e9}, {1, 1, 1e9}};
  in.points[1].demand_mbps = 100.0;
  a = allocate(in);
  EXPECT_NEAR(a.points[0], 10.0, kTol);
  EXPECT_NEAR(a.points[1], 100.0, kTol);
  EXPECT_EQ(a.rounds, 2U);
}

TEST(CapacityAllocation, CellAndLinkCapacitiesBind) {
  // Two points in one cell of capacity 50 behind a 1000 Mbps satellite: 25 each (fair share of 50).
  Instance in;
  in.satellites = {1000.0};
  in.cells = {50.0, 1e9};
  in.points = {{0, 100.0, 0}, {0, 100.0, 0}, {1, 100.0, 0}};
  in.links = {{0, 0, 1e9}, {0, 1, 1e9}, {0, 2, 40.0}};
  const Allocation a = allocate(in);
  EXPECT_NEAR(a.points[0], 25.0, kTol);
  EXPECT_NEAR(a.points[1], 25.0, kTol);
  EXPECT_NEAR(a.points[2], 40.0, kTol);  // its link
  EXPECT_NEAR(a.cells[0], 50.0, kTol);
}

TEST(CapacityAllocation, BentPipeSatellitesServeOnlyThroughTheGatewaysTheySee) {
  // Satellite 0 sees gateway 0 (capacity 30); satellite 1 sees none; both reach the point.
  Instance in;
  in.satellites = {100.0, 100.0};
  in.cells = {1e9};
  in.points = {{0, 80.0, 0}};
  in.links = {{0, 0, 1e9}, {1, 0, 1e9}};
  in.gateway_mode = GatewayMode::bent_pipe;
  in.gateways = {30.0};
  in.sat_gateways = {{0, 0}};
  Allocation a = allocate(in);
  EXPECT_NEAR(a.points[0], 30.0, kTol);
  EXPECT_NEAR(a.gateways[0], 30.0, kTol);
  EXPECT_NEAR(a.satellites[1], 0.0, kTol);
  // Satellite 1 sees gateway 0 too: still 30, the gateway's capacity, shared.
  in.sat_gateways.push_back({1, 0});
  a = allocate(in);
  EXPECT_NEAR(a.points[0], 30.0, kTol);
}

TEST(CapacityAllocation, ZeroDemandAndUnlinkedPointsGetNothing) {
  Instance in;
  in.satellites = {100.0};
  in.cells = {1e9};
  in.points = {{0, 0.0, 0}, {0, 50.0, 0}, {0, 50.0, 0}};
  in.links = {{0, 0, 1e9}, {0, 1, 1e9}};
  const Allocation a = allocate(in);
  EXPECT_EQ(a.points[0], 0.0);
  EXPECT_NEAR(a.points[1], 50.0, kTol);
  EXPECT_EQ(a.points[2], 0.0);
}

TEST(CapacityAllocation, BadInstancesAreRefused) {
  Instance in = one_satellite(100.0, {10.0});
  in.points[0].demand_mbps = -1.0;
  EXPECT_THROW((void)allocate(in), std::invalid_argument);
  in = one_satellite(100.0, {10.0});
  in.links[0].satellite = 5;
  EXPECT_THROW((void)allocate(in), std::invalid_argument);
  in = one_satellite(std::numeric_limits<double>::quiet_NaN(), {10.0});
  EXPECT_THROW((void)allocate(in), std::invalid_argument);
  in = one_satellite(100.0, {10.0});
  in.gateways = {5.0};
  EXPECT_THROW((void)allocate(in), std::invalid_argument);
}

}  // namespace
}  // namespace skyfence::capacity
