// The uplink (CapacityOptions::demand_up_mbps): allocated by the same engine over the uplink's capacities.
// Oracles: a downlink-only run over uplink_model() with the uplink demands (the uplink must equal it
// double for double, so the allocator's LP oracle, tests/oracle/capacity/, covers the uplink too); a
// cell's uplink capacity computed by hand; the downlink unchanged by uplink demand; permissions asked
// once per step however many directions; moving terminals; bad arguments and site values.
#include "skyfence/capacity/capacity.h"
#include "skyfence/core/units.h"

#include <gtest/gtest.h>

#include <limits>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include "capacity_test_support.h"
#include "skyfence/coverage/coverage.h"
#include "skyfence/earth/grid.h"
#include "skyfence/earth/trajectory.h"

namespace skyfence::capacity {
namespace {

// One class for every satellite: downlink `down_gbps` from 8 beams of 250 MHz at 4 b/s/Hz (1 Gbps per
// beam); uplink `up_gbps` from 8 beams of 50 MHz at the uplink table's 2 b/s/Hz (100 Mbps per beam); at
// most 4 beams per cell (S2 level 9).
ServiceModel uplink_test_model(double down_gbps, double up_gbps) {
  return parse_service_model(R"(
name = "m"
cell_level = 9
max_beams_per_cell = 4
isl = true
[spectral_efficiency]
elevation_deg = [25.0]
bps_per_hz = [4.0]
[spectral_efficiency_up]
elevation_deg = [25.0, 60.0]
bps_per_hz = [1.0, 2.0]
[[satellite_class]]
name = "all"
capacity_down_gbps = )" + std::to_string(down_gbps) +
                                 R"(
beams = 8
beam_bandwidth_mhz = 250.0
capacity_up_gbps = )" + std::to_string(up_gbps) +
                                 R"(
beams_up = 8
beam_bandwidth_up_mhz = 50.0
)",
                             "up.toml");
}

std::vector<DemandPoint> uplink_cities(double down, std::vector<std::uint32_t> prefs) {
  std::vector<DemandPoint> out;
  const double coords[][2] = {{50.45, 30.52}, {49.99, 36.23},   {46.48, 30.72},  {49.84, 24.03},
                              {51.50, -0.12}, {-33.87, 151.21}, {64.15, -21.94}, {50.46, 30.53}};
  for (const auto& c : coords) {
    out.push_back({frames::Geodetic::degrees(c[0], c[1]), down, "civil", prefs, 30});
  }
  return out;
}

void expect_same(const PointCapacity& a, const PointCapacity& b) {
  EXPECT_EQ(a.mean_mbps, b.mean_mbps);
  EXPECT_EQ(a.p5_mbps, b.p5_mbps);
  EXPECT_EQ(a.min_mbps, b.min_mbps);
  EXPECT_EQ(a.demand_met_fraction, b.demand_met_fraction);
  EXPECT_EQ(a.full_service_fraction, b.full_service_fraction);
}

void expect_same(const ProviderUsage& a, const ProviderUsage& b) {
  EXPECT_EQ(a.offered_mbps_steps, b.offered_mbps_steps);
  EXPECT_EQ(a.carried_mbps_steps, b.carried_mbps_steps);
  EXPECT_EQ(a.satellite_capacity_steps, b.satellite_capacity_steps);
  EXPECT_EQ(a.satellite_flow_steps, b.satellite_flow_steps);
  EXPECT_EQ(a.satellite_steps, b.satellite_steps);
  EXPECT_EQ(a.saturated_satellite_steps, b.saturated_satellite_steps);
  EXPECT_EQ(a.cell_steps, b.cell_steps);
  EXPECT_EQ(a.saturated_cell_steps, b.saturated_cell_steps);
}

TEST(CapacityUplink, EqualsADownlinkRunOverTheUplinkModel) {
  const visibility::Fleet a(fixtures::bundled("starlink_2026-04-27.tle", 800));
  const visibility::Fleet b(fixtures::bundled("oneweb_2026-03-26.tle", 300));
  // The uplink is short: a satellite of a takes 0.3 Gbps, of b 0.2 Gbps, a cell at most 4 x 50 MHz x
  // 2 b/s/Hz = 400 Mbps from each, against 1 Gbps per point; so some uplink spills over to the second
  // choice. The downlink is plentiful.
  const ServiceModel ma = uplink_test_model(20.0, 0.3), mb = uplink_test_model(20.0, 0.2);
  const std::vector<Provider> providers{{"a", &a, {}, &ma, 25 * kRadPerDeg},
                                        {"b", &b, {}, &mb, 25 * kRadPerDeg}};
  // Two points near Kyiv share one cell; half the points prefer b.
  std::vector<DemandPoint> points = uplink_cities(2000.0, {0, 1});
  for (std::size_t i = 0; i < points.size(); i += 2) points[i].preferences = {1, 0};
  std::vector<double> demand_up(points.size(), 1000.0);
  demand_up[3] = 0.0;
  const time::Window window = time::Window::of_count(fixtures::kStart, time::Duration::seconds(60), 40);

  // A permission that changes along the series and counts its calls.
  std::map<std::size_t, int> calls;
  CapacityOptions options;
  options.demand_up_mbps = demand_up;
  options.permission = [&calls](std::size_t p, time::Instant at, std::span<std::uint8_t> permitted) {
    ++calls[p];
    if (p == 0 && (at - fixtures::kStart).to_seconds() >= 1200.0) permitted[1] = 0;
  };
  const CapacityResult r = compute_capacity(points, providers, window, options, {.threads = 2});
  ASSERT_TRUE(r.uplink);
  EXPECT_EQ(calls[0], 40);
  EXPECT_EQ(calls[1], 40);

  // The reference: the uplink demands as a downlink over the uplink models.
  const ServiceModel ua = uplink_model(ma), ub = uplink_model(mb);
  const std::vector<Provider> up_providers{{"a", &a, {}, &ua, 25 * kRadPerDeg},
                                           {"b", &b, {}, &ub, 25 * kRadPerDeg}};
  std::vector<DemandPoint> up_points = points;
  for (std::size_t i = 0; i < points.size(); ++i) up_points[i].demand_mbps = demand_up[i];
  CapacityOptions one_direction = options;
  one_direction.demand_up_mbps.clear();
  const CapacityResult up = compute_capacity(up_points, up_providers, window, one_direction, {.threads = 1});
  // The downlink alone: unchanged by the uplink demand.
  const CapacityResult down = compute_capacity(points, providers, window, one_direction);
  EXPECT_FALSE(down.uplink);
  EXPECT_TRUE(down.stats_up.empty() && down.usage_up.empty() && down.demand_up_mbps.empty());

  double short_fraction = 1.0, spilled = 0.0;
  for (std::size_t row = 0; row < 3; ++row) {
    for (std::size_t i = 0; i < points.size(); ++i) {
      SCOPED_TRACE(testing::Message() << "row " << row << " point " << i);
      expect_same(r.at_up(row, i), up.at(row, i));
      expect_same(r.at(row, i), down.at(row, i));
      // No point above its uplink demand.
      EXPECT_LE(r.at_up(row, i).mean_mbps, demand_up[i] * (1 + 1e-12));
      if (row == 2) short_fraction = std::min(short_fraction, r.at_up(row, i).demand_met_fraction);
    }
  }
  for (std::size_t p = 0; p < 2; ++p) {
    SCOPED_TRACE(p);
    expect_same(r.usage_up[p], up.usage[p]);
    expect_same(r.usage[p], down.usage[p]);
    // No satellite above its uplink capacity.
    EXPECT_LE(r.usage_up[p].satellite_flow_steps, r.usage_up[p].satellite_capacity_steps * (1 + 1e-12));
  }
  for (std::size_t i = 1; i < points.size(); i += 2) spilled += r.at_up(1, i).mean_mbps;
  EXPECT_EQ(r.demand_up_mbps[3], 0.0);
  // The check needs a congested uplink, spill-over to the second choice and a full downlink.
  EXPECT_LT(short_fraction, 1.0);
  EXPECT_GT(spilled, 0.0);
  EXPECT_GT(r.usage_up[0].saturated_satellite_steps, 0U);
  EXPECT_EQ(r.usage[0].saturated_satellite_steps, 0U);
}

TEST(CapacityUplink, MovingTerminalsUplinkEqualsADownlinkRunOverTheUplinkModel) {
  // Terminals moving through each other's cells (CapacityOptions::positions): the uplink is allocated
  // where they are at each step, as the downlink is.
  const visibility::Fleet a(fixtures::bundled("starlink_2026-04-27.tle", 800));
  const ServiceModel m = uplink_test_model(20.0, 0.3);
  const std::vector<Provider> providers{{"a", &a, {}, &m, 25 * kRadPerDeg}};
  std::vector<earth::Track> tracks(3);
  const double path[3][2][2] = {
      {{50.45, 30.52}, {49.99, 36.23}}, {{49.99, 36.23}, {50.45, 30.52}}, {{50.44, 30.50}, {50.44, 30.50}}};
  std::vector<DemandPoint> points;
  for (std::size_t i = 0; i < tracks.size(); ++i) {
    tracks[i].id = tracks[i].name = "t" + std::to_string(i);
    for (int k = 0; k < 2; ++k) {
      tracks[i].samples.push_back({fixtures::kStart + time::Duration::seconds(3600 * k),
                                   frames::Geodetic::degrees(path[i][k][0], path[i][k][1])});
    }
    points.push_back({tracks[i].samples.front().location, 500.0, "civil", {0}, 30});
  }
  CapacityOptions options;
  options.positions = [&tracks](time::Instant at, std::span<frames::Geodetic> out) {
    earth::positions_at(tracks, at, out);
  };
  options.demand_up_mbps = {900.0, 400.0, 700.0};
  const time::Window window = time::Window::of_count(fixtures::kStart, time::Duration::seconds(300), 12);
  const CapacityResult r = compute_capacity(points, providers, window, options);

  const ServiceModel up = uplink_model(m);
  const std::vector<Provider> up_providers{{"a", &a, {}, &up, 25 * kRadPerDeg}};
  std::vector<DemandPoint> up_points = points;
  for (std::size_t i = 0; i < points.size(); ++i) up_points[i].demand_mbps = options.demand_up_mbps[i];
  CapacityOptions one_direction = options;
  one_direction.demand_up_mbps.clear();
  const CapacityResult ref = compute_capacity(up_points, up_providers, window, one_direction);
  double short_fraction = 1.0;
  for (std::size_t row = 0; row < 2; ++row) {
    for (std::size_t i = 0; i < points.size(); ++i) {
      SCOPED_TRACE(testing::Message() << "row " << row << " point " << i);
      expect_same(r.at_up(row, i), ref.at(row, i));
      short_fraction = std::min(short_fraction, r.at_up(row, i).demand_met_fraction);
    }
  }
  EXPECT_LT(short_fraction, 1.0) << "the check needs a congested uplink";
}

TEST(CapacityUplink, ACellsUplinkIsItsBeamsAtTheUplinksRate) {
  // Five terminals in one level-9 cell near Kyiv, each asking 1 Gbps up: the cell takes at most 4 uplink
  // beams of 50 MHz x 2 b/s/Hz (the uplink table above 60 deg; a satellite at the minimum elevation of
  // 60 deg or more), 400 Mbps, shared equally: 80 Mbps each while a satellite is in view, nothing
  // otherwise. The satellites' 10 Gbps never bind; the downlink's tiny demand is always met.
  const visibility::Fleet fleet(fixtures::bundled("oneweb_2026-03-26.tle", 651));
  const ServiceModel m = uplink_test_model(100.0, 10.0);
  const std::vector<Provider> providers{{"oneweb", &fleet, {}, &m, 60 * kRadPerDeg}};
  std::vector<DemandPoint> points;
  for (int k = 0; k < 5; ++k) {
    points.push_back({frames::Geodetic::degrees(50.4500 + 0.0002 * k, 30.5200), 1e-3, "civil", {0}, 30});
  }
  CapacityOptions options;
  options.demand_up_mbps.assign(points.size(), 1000.0);
  const std::uint64_t cell = earth::cell_containing(points[0].location, 9);
  for (const DemandPoint& d : points) ASSERT_EQ(earth::cell_containing(d.location, 9), cell);
  const time::Window window = time::Window::of_count(fixtures::kStart, time::Duration::seconds(120), 90);
  const CapacityResult r = compute_capacity(points, providers, window, options);

  const coverage::Provider cp{"oneweb", &fleet};
  coverage::CoverageOptions co;
  co.min_elevation_rad = 60 * kRadPerDeg;
  const std::vector<frames::Geodetic> at{points[0].location};
  const double covered = coverage::compute_coverage(at, {&cp, 1}, window, co).coverage_fraction(0, 0);
  ASSERT_GT(covered, 0.0);
  ASSERT_LT(covered, 1.0) << "the check needs steps without a satellite";
  for (std::size_t i = 0; i < points.size(); ++i) {
    SCOPED_TRACE(i);
    EXPECT_NEAR(r.at_up(0, i).mean_mbps, 80.0 * covered, 1e-9);
    EXPECT_EQ(r.at_up(0, i).min_mbps, 0.0);
    EXPECT_EQ(r.at_up(0, i).full_service_fraction, 0.0);
    EXPECT_NEAR(r.at_up(0, i).demand_met_fraction, 0.08 * covered, 1e-12);
    EXPECT_EQ(r.at(0, i).full_service_fraction, covered);
  }
  EXPECT_EQ(r.usage_up[0].saturated_cell_steps, r.usage_up[0].cell_steps);
}

TEST(CapacityUplink, BadArgumentsAreRefused) {
  const visibility::Fleet fleet(fixtures::bundled("oneweb_2026-03-26.tle", 10));
  const ServiceModel with = uplink_test_model(1.0, 0.5);
  const ServiceModel without = parse_service_model(R"(
name = "down-only"
cell_level = 9
max_beams_per_cell = 4
isl = true
[spectral_efficiency]
elevation_deg = [25.0]
bps_per_hz = [4.0]
[[satellite_class]]
name = "all"
capacity_down_gbps = 1.0
beams = 8
beam_bandwidth_mhz = 250.0
)",
                                                   "down-only.toml");
  const time::Window window = time::Window::of_count(fixtures::kStart, time::Duration::seconds(60), 2);
  const std::vector<DemandPoint> points = uplink_cities(1.0, {0});
  CapacityOptions options;
  options.demand_up_mbps.assign(points.size(), 1.0);
  const std::vector<Provider> no_uplink{{"p", &fleet, {}, &without, 25 * kRadPerDeg}};
  try {
    (void)compute_capacity(points, no_uplink, window, options);
    FAIL() << "expected std::invalid_argument";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("down-only.toml) has no uplink figures"), std::string::npos)
        << e.what();
  }
  const std::vector<Provider> uplink{{"p", &fleet, {}, &with, 25 * kRadPerDeg}};
  for (const double bad :
       {-1.0, std::numeric_limits<double>::quiet_NaN(), std::numeric_limits<double>::infinity()}) {
    options.demand_up_mbps[2] = bad;
    EXPECT_THROW((void)compute_capacity(points, uplink, window, options), std::invalid_argument) << bad;
  }
  options.demand_up_mbps.assign(points.size() - 1, 1.0);  // not one per point
  EXPECT_THROW((void)compute_capacity(points, uplink, window, options), std::invalid_argument);
  // Without uplink demand a model without uplink figures is fine.
  EXPECT_FALSE(compute_capacity(points, no_uplink, window).uplink);
}

TEST(CapacityUplink, ASitesUplinkDemandIsItsColumn) {
  earth::Site site = earth::parse_site_spec("50,30", "--site");
  site.id = "T1";
  EXPECT_EQ(site_demand_up_mbps(site, "f.csv", std::nullopt, false, ""), std::nullopt);
  EXPECT_EQ(site_demand_up_mbps(site, "f.csv", 4.0, true, ""), 4.0);  // no value: the fallback
  try {
    (void)site_demand_up_mbps(site, "f.csv", std::nullopt, true, " (give every site one)");
    FAIL();
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()),
              "f.csv: site T1: demand_up_mbps: expected an uplink demand >= 0 Mbps (demand_up_mbps), found "
              "none (give every site one)");
  }
  site.attributes = {{"demand_up_mbps", "2.5"}};
  EXPECT_EQ(site_demand_up_mbps(site, "f.csv", 4.0, true, ""), 2.5);  // the column wins
  for (const char* bad : {"-1", "lots", "12 Mbps", "nan", "inf"}) {
    site.attributes = {{"demand_up_mbps", bad}};
    try {
      (void)site_demand_up_mbps(site, "f.csv", std::nullopt, true, "");
      ADD_FAILURE() << bad;
    } catch (const InputError& e) {
      EXPECT_EQ(
          std::string(e.what()),
          std::string("f.csv: site T1: demand_up_mbps: expected a demand >= 0 Mbps, found \"") + bad + "\"");
    }
  }
}

}  // namespace
}  // namespace skyfence::capacity
