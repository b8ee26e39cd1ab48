// Demand met over a window on real fleets: geometric service when demand is far below capacity (against
// coverage's counts), independence of the thread count, preference rounds, permissions, priorities,
// bent-pipe gateways and argument checks.
#include "skyfence/capacity/capacity.h"
#include "skyfence/core/units.h"

#include <gtest/gtest.h>

#include <numbers>
#include <stdexcept>
#include <string>
#include <vector>

#include "capacity_test_support.h"
#include "skyfence/coverage/coverage.h"
#include "skyfence/orbits/tle.h"
#include "skyfence/time/scales.h"
#include "skyfence/visibility/in_view.h"

namespace skyfence::capacity {
namespace {

// One class for every satellite: `gbps` per satellite, 8 beams of 250 MHz at 4 bit/s/Hz (1 Gbps), at
// most 4 beams per cell (S2 level 9).
ServiceModel model(double gbps, const std::string& extra = "") {
  return parse_service_model(R"(
name = "m"
cell_level = 9
max_beams_per_cell = 4
isl = true
)" + extra + R"(
[spectral_efficiency]
elevation_deg = [25.0]
bps_per_hz = [4.0]
[[satellite_class]]
name = "all"
capacity_down_gbps = )" + std::to_string(gbps) +
                                 R"(
beams = 8
beam_bandwidth_mhz = 250.0
)",
                             "test.toml");
}

std::vector<DemandPoint> cities(double demand_mbps, std::vector<std::uint32_t> prefs = {0}) {
  std::vector<DemandPoint> out;
  const double coords[][2] = {{50.45, 30.52}, {49.99, 36.23},   {46.48, 30.72},  {49.84, 24.03},
                              {51.50, -0.12}, {-33.87, 151.21}, {64.15, -21.94}, {0.0, 0.0}};
  for (const auto& c : coords) {
    out.push_back({frames::Geodetic::degrees(c[0], c[1]), demand_mbps, "civil", prefs, 30});
  }
  return out;
}

TEST(Capacity, SmallDemandIsServedExactlyWhereASatelliteIsInView) {
  const visibility::Fleet fleet(fixtures::bundled("oneweb_2026-03-26.tle", 651));
  const ServiceModel m = model(7.0);
  const std::vector<Provider> providers{{"oneweb", &fleet, {}, &m, 55 * kRadPerDeg}};
  const auto points = cities(1e-3);
  const time::Window window = time::Window::of_count(fixtures::kStart, time::Duration::seconds(120), 90);
  const CapacityResult r = compute_capacity(points, providers, window);

  std::vector<frames::Geodetic> locations;
  for (const auto& p : points) locations.push_back(p.location);
  const coverage::Provider cp{"oneweb", &fleet};
  coverage::CoverageOptions co;
  co.min_elevation_rad = 55 * kRadPerDeg;
  const coverage::CoverageResult geometric = coverage::compute_coverage(locations, {&cp, 1}, window, co);
  bool some_gap = false;
  for (std::size_t i = 0; i < points.size(); ++i) {
    SCOPED_TRACE(i);
    EXPECT_EQ(r.at(0, i).full_service_fraction, geometric.coverage_fraction(0, i));
    EXPECT_EQ(r.at(1, i).full_service_fraction, geometric.coverage_fraction(0, i));
    EXPECT_NEAR(r.at(0, i).mean_mbps, 1e-3 * geometric.coverage_fraction(0, i), 1e-15);
    some_gap = some_gap || geometric.coverage_fraction(0, i) < 1.0;
  }
  EXPECT_TRUE(some_gap) << "the check needs points with gaps";
}

// The satellites counted in use (ProviderUsage::satellite_steps) are those in view of a point offered to
// the provider (the oracle: visibility::in_view), whether the engine lists them from each satellite's
// first site (every point offered, or the others seeing none) or from every offered point's sightings
// (a forbidden point sees satellites the others do not).
TEST(Capacity, SatellitesInUseAreThoseInViewOfAnOfferedPoint) {
  const visibility::Fleet fleet(fixtures::bundled("oneweb_2026-03-26.tle", 651));
  const ServiceModel m = model(7.0);
  const std::vector<Provider> providers{{"oneweb", &fleet, {}, &m, 25 * kRadPerDeg}};
  const auto points = cities(1e-3);
  const time::Window window = time::Window::of_count(fixtures::kStart, time::Duration::seconds(300), 24);
  std::vector<frames::Geodetic> locations;
  for (const auto& p : points) locations.push_back(p.location);
  const visibility::SiteIndex index(locations);
  visibility::InViewOptions view;
  view.min_elevation_rad = 25 * kRadPerDeg;
  for (const std::size_t forbidden : {points.size(), std::size_t{0}, std::size_t{4}}) {
    SCOPED_TRACE(forbidden);
    CapacityOptions o;
    o.permission = [&](std::size_t, time::Instant, std::span<std::uint8_t> permitted) {
      if (forbidden < permitted.size()) permitted[forbidden] = 0;
    };
    const CapacityResult r = compute_capacity(points, providers, window, o);
    std::uint64_t expected = 0;
    std::uint64_t forbidden_alone = 0;  // steps where only the forbidden point sees some satellite
    std::vector<frames::StateVector> states;
    std::vector<orbits::Sgp4Error> errors;
    visibility::InViewSet set;
    for (std::size_t j = 0; j < window.size(); ++j) {
      fleet.itrf_states(window.at(j), states, errors, {.threads = 1u});
      visibility::in_view(index, states, {}, view, set);
      std::vector<bool> seen(states.size(), false), seen_by_forbidden(states.size(), false);
      for (std::size_t i = 0; i < points.size(); ++i) {
        for (const visibility::InViewEntry& e : set.of_site(i)) {
          (i == forbidden ? seen_by_forbidden : seen)[e.satellite] = true;
        }
      }
      for (std::size_t k = 0; k < states.size(); ++k) {
        expected += seen[k] ? 1 : 0;
        forbidden_alone += seen_by_forbidden[k] && !seen[k] ? 1 : 0;
      }
    }
    EXPECT_EQ(r.usage[0].satellite_steps, expected);
    EXPECT_EQ(r.usage[0].satellite_capacity_steps, 7000.0 * static_cast<double>(expected));
    if (forbidden < points.size()) {
      EXPECT_GT(forbidden_alone, 0U) << "the check needs such satellites";
    }
  }
}

TEST(Capacity, IdenticalForAnyThreadCount) {
  const visibility::Fleet a(fixtures::bundled("starlink_2026-04-27.tle", 800));
  const visibility::Fleet b(fixtures::bundled("oneweb_2026-03-26.tle", 300));
  const ServiceModel ma = model(2.0), mb = model(1.0);
  const std::vector<Provider> providers{{"a", &a, {}, &ma, 25 * kRadPerDeg},
                                        {"b", &b, {}, &mb, 25 * kRadPerDeg}};
  const auto points = cities(3000.0, {0, 1});
  const time::Window window = time::Window::of_count(fixtures::kStart, time::Duration::seconds(60), 70);
  const CapacityResult r1 = compute_capacity(points, providers, window, {}, {.threads = 1});
  const CapacityResult r2 = compute_capacity(points, providers, window, {}, {.threads = 2});
  double carried = 0.0;
  for (std::size_t row = 0; row < 3; ++row) {
    for (std::size_t i = 0; i < points.size(); ++i) {
      EXPECT_EQ(r1.at(row, i).mean_mbps, r2.at(row, i).mean_mbps);
      EXPECT_EQ(r1.at(row, i).p5_mbps, r2.at(row, i).p5_mbps);
      EXPECT_EQ(r1.at(row, i).min_mbps, r2.at(row, i).min_mbps);
      EXPECT_EQ(r1.at(row, i).full_service_fraction, r2.at(row, i).full_service_fraction);
      if (row == 2) carried += r1.at(row, i).mean_mbps;
    }
  }
  EXPECT_GT(carried, 0.0);
}

TEST(Capacity, DemandNotCarriedByTheFirstChoiceGoesToTheNext) {
  const visibility::Fleet a(fixtures::bundled("starlink_2026-04-27.tle", 3000));
  const visibility::Fleet b(fixtures::bundled("oneweb_2026-03-26.tle", 651));
  // Provider a: 5 Mbps per satellite, far below the demand; b: plenty.
  const ServiceModel ma = model(0.005), mb = model(100.0);
  const std::vector<Provider> providers{{"a", &a, {}, &ma, 25 * kRadPerDeg},
                                        {"b", &b, {}, &mb, 25 * kRadPerDeg}};
  std::vector<DemandPoint> points = cities(400.0, {0, 1});
  const time::Window window = time::Window::of_count(fixtures::kStart, time::Duration::seconds(300), 12);
  const CapacityResult r = compute_capacity(points, providers, window);
  for (std::size_t i = 0; i < points.size(); ++i) {
    SCOPED_TRACE(i);
    // The rows add up, and provider a never carries more than its satellites hold.
    EXPECT_NEAR(r.at(0, i).mean_mbps + r.at(1, i).mean_mbps, r.at(2, i).mean_mbps, 1e-9);
    EXPECT_LT(r.at(0, i).mean_mbps, 400.0);
  }
  // Kyiv sees both all day: a carries a little, b the rest.
  EXPECT_GT(r.at(0, 0).mean_mbps, 0.0);
  EXPECT_NEAR(r.at(2, 0).mean_mbps, 400.0, 1e-6);
  // Without b in its preferences, a point keeps only what a carries.
  points[0].preferences = {0};
  const CapacityResult only_a = compute_capacity(points, providers, window);
  EXPECT_EQ(only_a.at(1, 0).mean_mbps, 0.0);
  EXPECT_LT(only_a.at(2, 0).mean_mbps, 400.0);
}

TEST(Capacity, AForbiddenProviderIsSkippedAndThePermissionIsAskedPerProvider) {
  const visibility::Fleet a(fixtures::bundled("starlink_2026-04-27.tle", 2000));
  const visibility::Fleet b(fixtures::bundled("oneweb_2026-03-26.tle", 651));
  const ServiceModel ma = model(20.0), mb = model(7.0);
  const std::vector<Provider> providers{{"a", &a, {}, &ma, 25 * kRadPerDeg},
                                        {"b", &b, {}, &mb, 25 * kRadPerDeg}};
  const auto points = cities(50.0, {0, 1});
  const time::Window window = time::Window::of_count(fixtures::kStart, time::Duration::seconds(300), 12);
  CapacityOptions o;
  o.permission = [](std::size_t provider, time::Instant, std::span<std::uint8_t> permitted) {
    if (provider == 0) permitted[0] = 0;  // a refuses Kyiv
  };
  const CapacityResult r = compute_capacity(points, providers, window, o);
  EXPECT_EQ(r.at(0, 0).mean_mbps, 0.0);
  EXPECT_NEAR(r.at(1, 0).mean_mbps, 50.0, 1e-9);  // b carries Kyiv in full
  EXPECT_NEAR(r.at(0, 1).mean_mbps, 50.0, 1e-9);  // a still carries Kharkiv
}

TEST(Capacity, HigherPriorityCustomersAreServedFirst) {
  const visibility::Fleet fleet(fixtures::bundled("oneweb_2026-03-26.tle", 651));
  const ServiceModel m = model(0.05, "priorities = [\"military\"]\n");
  const std::vector<Provider> providers{{"p", &fleet, {}, &m, 25 * kRadPerDeg}};
  // Two terminals in the same place: military and civil, 1 Gbps each, against the few 50 Mbps
  // satellites in view.
  std::vector<DemandPoint> points = cities(1000.0);
  points.resize(2);
  points[1].location = points[0].location;
  points[0].customer = "military";
  const time::Window window = time::Window::of_count(fixtures::kStart, time::Duration::seconds(600), 6);
  const CapacityResult r = compute_capacity(points, providers, window);
  EXPECT_GT(r.at(0, 0).mean_mbps, 0.0);
  EXPECT_EQ(r.at(0, 1).mean_mbps, 0.0);  // the satellites are not enough for the military terminal
  // Without priorities they share equally.
  const ServiceModel flat = model(0.05);
  const std::vector<Provider> flat_providers{{"p", &fleet, {}, &flat, 25 * kRadPerDeg}};
  const CapacityResult f = compute_capacity(points, flat_providers, window);
  EXPECT_NEAR(f.at(0, 0).mean_mbps, f.at(0, 1).mean_mbps, 1e-9);
  EXPECT_NEAR(f.at(0, 0).mean_mbps + f.at(0, 1).mean_mbps, r.at(0, 0).mean_mbps, 1e-6);
}

TEST(Capacity, BentPipeSatellitesNeedAGatewayInView) {
  const visibility::Fleet fleet(fixtures::bundled("oneweb_2026-03-26.tle", 651));
  const std::string dir = ::testing::TempDir();
  const std::string far = dir + "/far_gateways.csv", near = dir + "/near_gateways.csv";
  {
    std::FILE* f = std::fopen(far.c_str(), "w");
    std::fputs("id,lat_deg,lon_deg\nFAR,-45.0,170.0\n", f);
    std::fclose(f);
    f = std::fopen(near.c_str(), "w");
    std::fputs("id,lat_deg,lon_deg\nNEAR,50.0,30.0\n", f);
    std::fclose(f);
  }
  const auto make = [](const std::string& file, bool isl) {
    std::string extra =
        "[gateways]\nfile = \"" + file + "\"\nmin_elevation_deg = 10.0\ncapacity_gbps = 0.1\n";
    ServiceModel m =
        parse_service_model(std::string("name = \"m\"\ncell_level = 9\nmax_beams_per_cell = 4\nisl = ") +
                                (isl ? "true" : "false") + "\n" + extra +
                                "[spectral_efficiency]\nelevation_deg = [25.0]\nbps_per_hz = [4.0]\n"
                                "[[satellite_class]]\nname = \"all\"\ncapacity_down_gbps = 7.0\n"
                                "beams = 8\nbeam_bandwidth_mhz = 250.0\n",
                            "g.toml");
    return m;
  };
  std::vector<DemandPoint> kyiv = cities(500.0);
  kyiv.resize(1);
  const time::Window window = time::Window::of_count(fixtures::kStart, time::Duration::seconds(600), 6);
  // Bent pipe with the only gateway in New Zealand: Kyiv gets nothing.
  const ServiceModel far_bent = make(far, false);
  const std::vector<Provider> p1{{"p", &fleet, {}, &far_bent, 25 * kRadPerDeg}};
  EXPECT_EQ(compute_capacity(kyiv, p1, window).at(0, 0).mean_mbps, 0.0);
  // A gateway next to Kyiv: its 100 Mbps are the limit.
  const ServiceModel near_bent = make(near, false);
  const std::vector<Provider> p2{{"p", &fleet, {}, &near_bent, 25 * kRadPerDeg}};
  const CapacityResult r2 = compute_capacity(kyiv, p2, window);
  EXPECT_GT(r2.at(0, 0).mean_mbps, 0.0);
  EXPECT_LE(r2.at(0, 0).mean_mbps, 100.0 + 1e-9);
  // With inter-satellite links the New Zealand gateway's 100 Mbps reach Kyiv whenever some satellite
  // sees it.
  const ServiceModel far_isl = make(far, true);
  const std::vector<Provider> p3{{"p", &fleet, {}, &far_isl, 25 * kRadPerDeg}};
  const CapacityResult r3 = compute_capacity(kyiv, p3, window);
  EXPECT_GT(r3.at(0, 0).mean_mbps, 0.0);
  EXPECT_LE(r3.at(0, 0).mean_mbps, 100.0 + 1e-9);
}

TEST(Capacity, ASitesDemandIsItsColumnElseTheFallback) {
  earth::Site site = earth::parse_site_spec("50,30", "--site");
  site.id = "T1";
  EXPECT_EQ(site_demand_mbps(site, "f.csv", 25.0, ""), 25.0);  // no column: the fallback
  try {
    (void)site_demand_mbps(site, "f.csv", -1.0, ", or a group default");
    FAIL();
  } catch (const InputError& e) {
    EXPECT_EQ(
        std::string(e.what()),
        "f.csv: site T1: demand_mbps: expected a demand_mbps column (the site's downlink demand, Mbps), or "
        "a group default");
  }
  site.attributes = {{"demand_mbps", "12.5"}};
  EXPECT_EQ(site_demand_mbps(site, "f.csv", 25.0, ""), 12.5);  // the column wins
  for (const char* bad : {"-1", "lots", "12 Mbps", "nan", "inf"}) {
    site.attributes = {{"demand_mbps", bad}};
    EXPECT_THROW((void)site_demand_mbps(site, "f.csv", 25.0, ""), InputError) << bad;
  }
}

TEST(Capacity, BadArgumentsAreRefused) {
  const visibility::Fleet fleet(fixtures::bundled("oneweb_2026-03-26.tle", 10));
  const ServiceModel m = model(1.0);
  const time::Window window = time::Window::of_count(fixtures::kStart, time::Duration::seconds(60), 2);
  std::vector<DemandPoint> points = cities(1.0, {0, 0});
  const std::vector<Provider> providers{{"p", &fleet, {}, &m, 25 * kRadPerDeg}};
  EXPECT_THROW((void)compute_capacity(points, providers, window), std::invalid_argument);
  points = cities(-1.0);
  EXPECT_THROW((void)compute_capacity(points, providers, window), std::invalid_argument);
  points = cities(1.0, {3});
  EXPECT_THROW((void)compute_capacity(points, providers, window), std::invalid_argument);
  const std::vector<Provider> no_model{{"p", &fleet, {}, nullptr, 25 * kRadPerDeg}};
  EXPECT_THROW((void)compute_capacity(cities(1.0), no_model, window), std::invalid_argument);
}

}  // namespace
}  // namespace skyfence::capacity
