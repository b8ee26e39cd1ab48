// The engine's summary of each point's satellites in view (visibility::summarize_sightings) against
// its reference, every pair listed at every step (CapacityOptions::list_every_pair): the results must be
// equal double for double. The cases cover what the summary answers alone and each way it hands over
// to the list of every pair: demand from far below to far above capacity (a point's first links, links
// beyond the listed ones, the water-filling), several points per cell, two beam bandwidths and
// satellites without a class, satellites in the same place (equal elevation keys: a cell's best beam
// left open), an efficiency table that falls, permissions, preference rounds, bent-pipe gateways, the
// uplink and both thread counts.
#include <gtest/gtest.h>

#include <cstdio>
#include <string>
#include <vector>

#include "capacity_test_support.h"
#include "skyfence/capacity/capacity.h"
#include "skyfence/core/units.h"
#include "skyfence/orbits/tle.h"
#include "skyfence/time/scales.h"

namespace skyfence::capacity {
namespace {

// Two classes of different beam bandwidths (STARLINK-1xxx and STARLINK-3xxx), the other satellites
// without a class; `table` is the [spectral_efficiency] table, `extra` the `isl` key and the gateways.
ServiceModel streaming_model(double gbps, const std::string& table,
                             const std::string& extra = "isl = true\n") {
  const std::string capacity = std::to_string(gbps);
  return parse_service_model("name = \"m\"\ncell_level = 9\nmax_beams_per_cell = 2\n" + extra +
                                 "[spectral_efficiency]\n" + table +
                                 "[[satellite_class]]\nname = \"a\"\nname_pattern = \"STARLINK-1*\"\n"
                                 "capacity_down_gbps = " +
                                 capacity +
                                 "\nbeams = 8\nbeam_bandwidth_mhz = 250.0\n"
                                 "capacity_up_gbps = 0.5\nbeams_up = 4\nbeam_bandwidth_up_mhz = 50.0\n"
                                 "[[satellite_class]]\nname = \"b\"\nname_pattern = \"STARLINK-3*\"\n"
                                 "capacity_down_gbps = " +
                                 capacity +
                                 "\nbeams = 4\nbeam_bandwidth_mhz = 100.0\n"
                                 "capacity_up_gbps = 0.5\nbeams_up = 4\nbeam_bandwidth_up_mhz = 50.0\n",
                             "streaming.toml");
}

// Rising to a flat top from 60 deg (the elevation computed below it, the key deciding above).
const std::string kRising = "elevation_deg = [25.0, 40.0, 60.0, 90.0]\nbps_per_hz = [2.0, 3.0, 4.0, 4.0]\n";
// Falling after 50 deg: every sighting's rate counts for a cell's best beam.
const std::string kFalling = "elevation_deg = [25.0, 50.0, 80.0]\nbps_per_hz = [2.0, 4.0, 3.0]\n";

// The element sets of `file` (first n), each of the first `twins` twice (the copy named alike, with
// another NORAD id): two satellites in the same place, their elevation keys equal at every point.
std::vector<orbits::ElementSet> fleet_sets(const std::string& file, std::size_t n, std::size_t twins) {
  std::vector<orbits::ElementSet> sets = fixtures::bundled(file, n);
  for (std::size_t k = 0; k < twins && k < n; ++k) {
    orbits::ElementSet copy = sets[k * 7 % n];
    copy.norad_id += 500000;
    sets.push_back(copy);
  }
  return sets;
}

// The satellites' names (the classes match them).
std::vector<std::string> names_of(const std::vector<orbits::ElementSet>& sets) {
  std::vector<std::string> out;
  for (const orbits::ElementSet& e : sets) out.push_back(e.name);
  return out;
}

// Points on a latitude/longitude grid over Europe, a few of them twice (the same place: one service
// cell, equal keys), some as level-7 regions; demand `mbps` times a factor in [0.5, 2].
std::vector<DemandPoint> grid_points(double mbps, std::vector<std::uint32_t> prefs) {
  std::vector<DemandPoint> out;
  int k = 0;
  for (double lat = 36.0; lat <= 60.0; lat += 1.5) {
    for (double lon = -8.0; lon <= 30.0; lon += 2.0, ++k) {
      const double factor = 0.5 + 0.1 * static_cast<double>(k % 16);
      const int level = k % 5 == 0 ? 7 : 30;
      const std::string customer = k % 3 == 0 ? "government" : "civil";
      out.push_back({frames::Geodetic::degrees(lat, lon), mbps * factor, customer, prefs, level});
      if (k % 11 == 0) out.push_back(out.back());
      if (k % 13 == 0) out.push_back({frames::Geodetic::degrees(lat + 0.01, lon), mbps, customer, prefs, 30});
    }
  }
  return out;
}

void expect_same_usage(const std::vector<ProviderUsage>& a, const std::vector<ProviderUsage>& b) {
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t p = 0; p < a.size(); ++p) {
    SCOPED_TRACE(p);
    EXPECT_EQ(a[p].offered_mbps_steps, b[p].offered_mbps_steps);
    EXPECT_EQ(a[p].carried_mbps_steps, b[p].carried_mbps_steps);
    EXPECT_EQ(a[p].satellite_capacity_steps, b[p].satellite_capacity_steps);
    EXPECT_EQ(a[p].satellite_flow_steps, b[p].satellite_flow_steps);
    EXPECT_EQ(a[p].satellite_steps, b[p].satellite_steps);
    EXPECT_EQ(a[p].saturated_satellite_steps, b[p].saturated_satellite_steps);
    EXPECT_EQ(a[p].cell_steps, b[p].cell_steps);
    EXPECT_EQ(a[p].saturated_cell_steps, b[p].saturated_cell_steps);
    EXPECT_EQ(a[p].gateway_capacity_steps, b[p].gateway_capacity_steps);
    EXPECT_EQ(a[p].gateway_flow_steps, b[p].gateway_flow_steps);
    EXPECT_EQ(a[p].unclassified_satellites, b[p].unclassified_satellites);
    EXPECT_EQ(a[p].failed_states, b[p].failed_states);
  }
}

void expect_same_stats(const std::vector<PointCapacity>& a, const std::vector<PointCapacity>& b) {
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t k = 0; k < a.size(); ++k) {
    SCOPED_TRACE(k);
    EXPECT_EQ(a[k].mean_mbps, b[k].mean_mbps);
    EXPECT_EQ(a[k].min_mbps, b[k].min_mbps);
    EXPECT_EQ(a[k].p5_mbps, b[k].p5_mbps);
    EXPECT_EQ(a[k].demand_met_fraction, b[k].demand_met_fraction);
    EXPECT_EQ(a[k].full_service_fraction, b[k].full_service_fraction);
  }
}

// compute_capacity from the summary and from every pair, on 1 and 2 threads: the same doubles.
// Returns the reference's carried Mbps-steps (so a case can check it is the case it means to be).
double expect_summary_equals_every_pair(std::span<const DemandPoint> points,
                                        std::span<const Provider> providers, CapacityOptions options,
                                        std::size_t steps = 8) {
  const time::Window window = time::Window::of_count(fixtures::kStart, time::Duration::seconds(450), steps);
  options.list_every_pair = true;
  const CapacityResult reference = compute_capacity(points, providers, window, options, {.threads = 1});
  options.list_every_pair = false;
  for (const unsigned threads : {1u, 2u}) {
    SCOPED_TRACE(threads);
    const CapacityResult got = compute_capacity(points, providers, window, options, {.threads = threads});
    expect_same_stats(got.stats, reference.stats);
    expect_same_usage(got.usage, reference.usage);
    EXPECT_EQ(got.uplink, reference.uplink);
    expect_same_stats(got.stats_up, reference.stats_up);
    expect_same_usage(got.usage_up, reference.usage_up);
  }
  double carried = 0.0;
  for (const ProviderUsage& u : reference.usage) carried += u.carried_mbps_steps;
  return carried;
}

// From demand far below capacity (each point's first link: the summary alone) to far above (the
// water-filling), through demand that outruns a point's listed links; with twin satellites.
TEST(CapacityStreaming, EqualsEveryPairFromLowToOverloadedDemand) {
  const auto sets = fleet_sets("starlink_2026-04-27.tle", 1500, 40);
  const visibility::Fleet fleet(sets);
  const ServiceModel m = streaming_model(2.0, kRising);
  const std::vector<Provider> providers{{"p", &fleet, names_of(sets), &m, 25 * kRadPerDeg}};
  for (const double mbps : {1.0, 150.0, 600.0, 5000.0}) {
    SCOPED_TRACE(mbps);
    const auto points = grid_points(mbps, {0});
    double demand = 0.0;
    for (const DemandPoint& d : points) demand += d.demand_mbps;
    const double carried = expect_summary_equals_every_pair(points, providers, {});
    EXPECT_GT(carried, 0.0);
    if (mbps >= 5000.0) {
      EXPECT_LT(carried, 0.9 * demand * 8.0) << "capacity must run short";
    }
  }
}

// A falling efficiency table (every pair listed for a cell's best beam), permissions that leave points
// out (instances not built from first sites), and the uplink (over the list of every pair).
TEST(CapacityStreaming, EqualsEveryPairWithAFallingTablePermissionsAndTheUplink) {
  const auto sets = fleet_sets("starlink_2026-04-27.tle", 1200, 10);
  const visibility::Fleet fleet(sets);
  const ServiceModel falling = streaming_model(3.0, kFalling);
  const ServiceModel rising = streaming_model(3.0, kRising);
  const auto points = grid_points(300.0, {0});
  for (const ServiceModel* m : {&falling, &rising}) {
    const std::vector<Provider> providers{{"p", &fleet, names_of(sets), m, 25 * kRadPerDeg}};
    CapacityOptions permissions;
    permissions.permission = [](std::size_t, time::Instant at, std::span<std::uint8_t> permitted) {
      const auto shift = static_cast<std::size_t>((at - fixtures::kStart).to_seconds() / 450.0);
      for (std::size_t i = shift % 3; i < permitted.size(); i += 3) permitted[i] = 0;
    };
    expect_summary_equals_every_pair(points, providers, permissions);
    CapacityOptions uplink;
    for (std::size_t i = 0; i < points.size(); ++i)
      uplink.demand_up_mbps.push_back(i % 4 == 0 ? 0.0 : 20.0 * static_cast<double>(i % 7));
    expect_summary_equals_every_pair(points, providers, uplink);
  }
}

// Two providers in preference rounds (the second's instances hold earlier rounds' points), one of them
// a bent pipe through two gateways.
TEST(CapacityStreaming, EqualsEveryPairInPreferenceRoundsAndThroughBentPipes) {
  const auto sets_a = fleet_sets("starlink_2026-04-27.tle", 900, 5);
  const auto sets_b = fleet_sets("starlink_2026-04-27.tle", 1500, 0);
  const visibility::Fleet a(sets_a);
  const visibility::Fleet b(sets_b);
  const std::string file = ::testing::TempDir() + "/streaming_gateways.csv";
  {
    std::FILE* f = std::fopen(file.c_str(), "w");
    ASSERT_NE(f, nullptr);
    std::fputs("id,lat_deg,lon_deg\nG1,48.0,2.0\nG2,52.0,20.0\n", f);
    std::fclose(f);
  }
  const ServiceModel ma = streaming_model(1.0, kRising);
  const ServiceModel mb = streaming_model(
      2.0, kRising,
      "isl = false\n[gateways]\nfile = \"" + file + "\"\nmin_elevation_deg = 20.0\ncapacity_gbps = 5.0\n");
  const std::vector<Provider> providers{{"a", &a, names_of(sets_a), &ma, 25 * kRadPerDeg},
                                        {"b", &b, names_of(sets_b), &mb, 25 * kRadPerDeg}};
  for (const double mbps : {2.0, 400.0}) {
    SCOPED_TRACE(mbps);
    auto points = grid_points(mbps, {0, 1});
    for (std::size_t i = 0; i < points.size(); i += 4) points[i].preferences = {1, 0};
    expect_summary_equals_every_pair(points, providers, {});
  }
}

// Cells that bind (their capacity, a best beam, decides the allocation) under an efficiency table
// without a flat top, and satellites in twos and threes centimetres apart along their orbit: elevation
// keys equal or within rounding of each other where the elevations differ, so a cell's best beam must
// be taken from every sighting near the highest key (the summary's two, or the list of every pair).
TEST(CapacityStreaming, EqualsEveryPairWhereCellsBindAndKeysTie) {
  auto sets = fixtures::bundled("starlink_2026-04-27.tle", 700);
  for (std::size_t k = 0; k < 500; ++k) {
    const std::size_t copies = k % 2 == 0 ? 1 : 2;
    for (std::size_t c = 1; c <= copies; ++c) {
      orbits::ElementSet copy = sets[k];
      copy.norad_id += static_cast<std::uint32_t>(500000 * c);
      copy.mean_anomaly_deg += 3e-7 * static_cast<double>(c);
      sets.push_back(copy);
    }
  }
  const visibility::Fleet fleet(sets);
  const ServiceModel m = parse_service_model(
      "name = \"m\"\ncell_level = 9\nmax_beams_per_cell = 1\nisl = true\n"
      "[spectral_efficiency]\nelevation_deg = [25.0, 90.0]\nbps_per_hz = [2.0, 6.0]\n"
      "[[satellite_class]]\nname = \"all\"\ncapacity_down_gbps = 100.0\nbeams = 8\nbeam_bandwidth_mhz = "
      "250.0\n",
      "bind.toml");
  const std::vector<Provider> providers{{"p", &fleet, names_of(sets), &m, 25 * kRadPerDeg}};
  // Clusters of terminals in one level-9 cell each (a few hundred metres apart).
  std::vector<DemandPoint> points;
  for (double lat = 40.0; lat <= 58.0; lat += 3.0) {
    for (double lon = -5.0; lon <= 25.0; lon += 5.0) {
      for (int k = 0; k < 6; ++k) {
        points.push_back(
            {frames::Geodetic::degrees(lat + 0.001 * k, lon + 0.001 * k), 400.0, "civil", {0}, 30});
      }
    }
  }
  double demand = 0.0;
  for (const DemandPoint& d : points) demand += d.demand_mbps;
  const double carried = expect_summary_equals_every_pair(points, providers, {}, 16);
  EXPECT_GT(carried, 0.0);
  EXPECT_LT(carried, 0.9 * demand * 16.0) << "the cells must bind";
}

}  // namespace
}  // namespace skyfence::capacity
