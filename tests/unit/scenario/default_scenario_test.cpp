// The bundled default scenario (data/scenarios/default.toml, docs/scenario.md): it loads as documented,
// and a shortened run of it (30 minutes at 5-minute steps, the same region, providers, terminals and
// variants, plus a whole-plane failure) exercises what the small test scenario does not: latency to the
// internet over Starlink's plus-grid network, policy-denied terminals in the latency series, and the
// failure of whole orbit planes. The run takes about 2 s in Release (2 threads, 2026-12-02), once per test
// process.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "scenario_test_support.h"
#include "skyfence/earth/site.h"
#include "skyfence/report/model.h"
#include "skyfence/scenario/runner.h"
#include "skyfence/scenario/scenario.h"
#include "skyfence/time/scales.h"

namespace skyfence::scenario {
namespace {

const std::string kDefault = std::string(SKYFENCE_DATA_DIR) + "/scenarios/default.toml";
constexpr double kCKmPerMs = 299792.458e-3;

bool ends_with(const std::string& s, const std::string& tail) {
  return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

TEST(DefaultScenario, LoadsAsDocumented) {
  const Scenario sc = load_scenario(kDefault);
  EXPECT_EQ(sc.name, "ukraine-reliance");
  EXPECT_EQ(sc.start, time::parse_iso8601("2026-04-27T00:00:00Z"));
  EXPECT_EQ(sc.stop, time::parse_iso8601("2026-04-28T00:00:00Z"));  // duration = "24h"
  EXPECT_EQ(sc.step, time::Duration::seconds(60.0));
  EXPECT_EQ(sc.steps(), 1440u);
  EXPECT_EQ(sc.seed, 2024u);
  EXPECT_EQ(sc.min_sats, 1u);
  EXPECT_EQ(sc.region.country, "UKR");
  EXPECT_EQ(sc.region.level, 7);
  EXPECT_EQ(sc.region.customer, "civil");

  ASSERT_EQ(sc.providers.size(), 3u);
  const ProviderSpec& starlink = sc.providers[0];
  EXPECT_EQ(starlink.name, "starlink");
  EXPECT_EQ(starlink.source.kind, SatelliteSource::Kind::catalog);
  EXPECT_EQ(starlink.source.value, "starlink");
  EXPECT_EQ(starlink.min_elevation_deg, 25.0);
  EXPECT_EQ(starlink.gateway_min_elevation_deg, 25.0);  // the default
  EXPECT_TRUE(starlink.isl);
  // Paths are resolved against the scenario's folder (data/scenarios/).
  EXPECT_TRUE(ends_with(starlink.policy, "policies/starlink.toml")) << starlink.policy;
  EXPECT_EQ(starlink.policy.find("scenarios/policies"), std::string::npos) << starlink.policy;
  EXPECT_TRUE(ends_with(starlink.gateways, "gateways/starlink_gateways.csv")) << starlink.gateways;
  EXPECT_TRUE(ends_with(starlink.pops, "gateways/starlink_pops.csv")) << starlink.pops;
  const ProviderSpec& oneweb = sc.providers[1];
  EXPECT_EQ(oneweb.name, "oneweb");
  EXPECT_EQ(oneweb.source.kind, SatelliteSource::Kind::catalog);
  EXPECT_FALSE(oneweb.isl);
  EXPECT_TRUE(oneweb.gateways.empty());  // no latency for it
  EXPECT_TRUE(ends_with(oneweb.policy, "scenarios/policies/oneweb.toml")) << oneweb.policy;
  const ProviderSpec& kuiper = sc.providers[2];
  EXPECT_EQ(kuiper.name, "kuiper");
  EXPECT_EQ(kuiper.source.kind, SatelliteSource::Kind::catalog);  // as deployed
  EXPECT_EQ(kuiper.source.value, "kuiper");
  EXPECT_EQ(kuiper.min_elevation_deg, 35.0);
  EXPECT_TRUE(kuiper.isl);  // the default
  EXPECT_TRUE(ends_with(kuiper.policy, "scenarios/policies/kuiper.toml")) << kuiper.policy;

  ASSERT_EQ(sc.groups.size(), 5u);
  EXPECT_EQ(sc.groups[3].id, "hostile");
  EXPECT_EQ(sc.groups[4].id, "friendly");
  EXPECT_EQ(sc.groups[3].customer, "civil");  // registered as civil terminals
  const std::vector<std::string> ids{"civil", "government", "military"};
  for (std::size_t g = 0; g < 3; ++g) {
    EXPECT_EQ(sc.groups[g].id, ids[g]);
    EXPECT_EQ(sc.groups[g].customer, ids[g]);
    EXPECT_TRUE(ends_with(sc.groups[g].file, "terminals_" + ids[g] + ".csv")) << sc.groups[g].file;
  }
  EXPECT_EQ(sc.groups[2].name, "Military units");
  // Demand met: service models on every provider, demand on the region and every group.
  EXPECT_TRUE(sc.capacity());
  for (const ProviderSpec& p : sc.providers) {
    EXPECT_TRUE(ends_with(p.service_model, "providers/" + p.name + ".toml")) << p.service_model;
  }
  EXPECT_EQ(sc.region.demand_density_mbps_km2, 0.1);
  EXPECT_EQ(sc.groups[0].demand_mbps, 25.0);
  EXPECT_EQ(sc.groups[1].demand_mbps, 50.0);
  EXPECT_EQ(sc.groups[2].demand_mbps, 100.0);
  EXPECT_EQ(sc.groups[2].providers, (std::vector<std::string>{"starlink", "oneweb"}));
  EXPECT_EQ(sc.compute.capacity_step, time::Duration::seconds(300.0));

  EXPECT_TRUE(sc.compute.latency);
  EXPECT_EQ(sc.compute.latency_step, time::Duration::seconds(900.0));
  EXPECT_EQ(sc.compute.timeseries_terminals, 4u);
  EXPECT_EQ(sc.compute.passes_terminals, std::vector<std::string>{"MIL-KHARKIV"});
  EXPECT_EQ(sc.compute.passes_providers, std::vector<std::string>{"oneweb"});

  ASSERT_EQ(sc.variants.size(), 6u);
  EXPECT_EQ(sc.variants[0].id, "starlink-forbids-ukraine");
  EXPECT_EQ(sc.variants[0].kind, VariantSpec::Kind::policy_rule);
  EXPECT_EQ(sc.variants[0].provider, "starlink");
  EXPECT_NE(sc.variants[0].rule_toml.find("forbid-ukraine"), std::string::npos) << sc.variants[0].rule_toml;
  EXPECT_NE(sc.variants[0].rule_toml.find("UKR"), std::string::npos) << sc.variants[0].rule_toml;
  EXPECT_EQ(sc.variants[1].id, "starlink-withdraws");
  EXPECT_EQ(sc.variants[1].kind, VariantSpec::Kind::withdraw);
  EXPECT_EQ(sc.variants[2].id, "starlink-loses-30pct");
  EXPECT_EQ(sc.variants[2].kind, VariantSpec::Kind::satellite_failure);
  EXPECT_EQ(sc.variants[2].fraction, 0.3);
  EXPECT_TRUE(sc.variants[2].planes.empty());
  EXPECT_EQ(sc.variants[2].seed, 2024u + 3u);  // the scenario's seed + the variant's position
  EXPECT_EQ(sc.variants[3].kind, VariantSpec::Kind::background_load);
  EXPECT_EQ(sc.variants[3].provider, "oneweb");
  EXPECT_EQ(sc.variants[3].background_load, 0.8);
  EXPECT_EQ(sc.variants[4].kind, VariantSpec::Kind::add_provider);
  ASSERT_TRUE(sc.variants[4].added.has_value());
  EXPECT_EQ(sc.variants[4].added->source.kind, SatelliteSource::Kind::preset);  // planned
  EXPECT_EQ(sc.variants[5].id, "starlink-denies-example-area");
  EXPECT_EQ(sc.variants[5].kind, VariantSpec::Kind::policy_rule);
  ASSERT_TRUE(sc.variants[5].enforcement.has_value());
  EXPECT_EQ(sc.variants[5].enforcement->level, 9);
  EXPECT_EQ(sc.variants[5].enforcement->delay, time::Duration::minutes(5));
  ASSERT_TRUE(sc.enforcement.has_value());
  EXPECT_EQ(sc.enforcement->provider, "starlink");
  EXPECT_EQ(sc.enforcement->hostile_groups, std::vector<std::string>{"hostile"});
}

// The default scenario, shortened; a variant where half the planes of Starlink's first shell fail.
class DefaultScenarioRun : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    Scenario sc = load_scenario(kDefault);
    sc.stop = sc.start + time::Duration::seconds(1800.0);
    sc.step = time::Duration::seconds(300.0);
    VariantSpec planes;
    planes.id = "starlink-loses-planes";
    planes.kind = VariantSpec::Kind::satellite_failure;
    planes.provider = "starlink";
    for (int p = 0; p < 36; ++p) planes.planes.push_back(p);
    sc.variants.push_back(planes);
    RunOptions o;
    o.software_version = "test";
    o.created = time::parse_iso8601("2026-11-27T00:00:00Z");
    results_ = new report::Results(run_scenario(sc, o, {.threads = 2, .data_dir = SKYFENCE_DATA_DIR}));
  }
  static void TearDownTestSuite() { delete results_; }
  static report::Results* results_;
};
report::Results* DefaultScenarioRun::results_ = nullptr;

TEST_F(DefaultScenarioRun, RunsTheShortenedWindow) {
  const report::Results& r = *results_;
  EXPECT_EQ(r.run.scenario_name, "ukraine-reliance");
  EXPECT_EQ(r.run.step_count, 6u);
  ASSERT_EQ(r.variants.size(), 8u);   // the baseline, the six of the file and the plane failure
  EXPECT_EQ(r.providers.size(), 4u);  // with the planned Kuiper a variant adds
  EXPECT_EQ(r.provider("kuiper")->status, "deployed");
  EXPECT_EQ(r.provider("kuiper-planned")->status, "planned");
  EXPECT_EQ(r.terminals.size(), 21u);  // 15 in Ukraine's cities, 6 near the example denied area
  EXPECT_GT(r.cells.size(), 50u);      // docs/scenario.md: 107 cells at level 7
  // Passes: only the chosen terminal and provider, at or above OneWeb's minimum elevation.
  for (const auto& p : r.passes) {
    EXPECT_EQ(p.provider, "oneweb");
    EXPECT_EQ(p.terminal, "MIL-KHARKIV");
    EXPECT_GE(p.max_elevation_deg, 25.0 - 1e-9);
  }
}

TEST_F(DefaultScenarioRun, WholePlanesFailing) {
  const report::Results& r = *results_;
  const auto* base = r.cell_layer("baseline", "starlink");
  const auto* failed = r.cell_layer("starlink-loses-planes", "starlink");
  ASSERT_TRUE(base != nullptr && failed != nullptr);
  ASSERT_EQ(base->stats.size(), failed->stats.size());
  double mean_base = 0.0, mean_failed = 0.0;
  for (std::size_t i = 0; i < base->stats.size(); ++i) {
    // Removing satellites never adds any in view, coverage or service, cell by cell.
    EXPECT_LE(failed->stats[i].mean_visible, base->stats[i].mean_visible + 1e-12) << i;
    EXPECT_LE(failed->stats[i].coverage_fraction, base->stats[i].coverage_fraction + 1e-12) << i;
    EXPECT_LE(failed->stats[i].served_fraction, base->stats[i].served_fraction + 1e-12) << i;
    mean_base += base->stats[i].mean_visible;
    mean_failed += failed->stats[i].mean_visible;
  }
  // Half the planes of the first shell are a small part of the whole fleet, but over Ukraine they
  // must show.
  std::printf("starlink in view, summed over the cells: baseline %.3f, planes 0-35 failed %.3f\n", mean_base,
              mean_failed);
  EXPECT_LT(mean_failed, mean_base);
  EXPECT_GT(mean_failed, 0.5 * mean_base);
  EXPECT_LE(fixtures::served_share(fixtures::region_row(r, "starlink-loses-planes"), "starlink"),
            fixtures::served_share(fixtures::region_row(r, "baseline"), "starlink") + 1e-12);
  // Other providers are untouched.
  for (const char* other : {"oneweb", "kuiper"}) {
    const auto* b = r.cell_layer("baseline", other);
    const auto* f = r.cell_layer("starlink-loses-planes", other);
    ASSERT_TRUE(b != nullptr && f != nullptr) << other;
    for (std::size_t i = 0; i < b->stats.size(); ++i)
      EXPECT_EQ(f->stats[i].mean_visible, b->stats[i].mean_visible) << other << " " << i;
  }
}

TEST_F(DefaultScenarioRun, LatencyToTheInternet) {
  const report::Results& r = *results_;
  // Straight-line (chord) distance from each terminal to Starlink's nearest PoP: no path through space
  // can be shorter. Spherical Earth: the chord differs from WGS84's by under 0.5 %, hence the 0.99.
  const auto pops = earth::read_sites_file(std::string(SKYFENCE_DATA_DIR) + "/gateways/starlink_pops.csv");
  ASSERT_FALSE(pops.sites.empty());
  const auto unit = [](const frames::Geodetic& g) {
    return std::vector<double>{std::cos(g.lat_rad) * std::cos(g.lon_rad),
                               std::cos(g.lat_rad) * std::sin(g.lon_rad), std::sin(g.lat_rad)};
  };
  std::map<std::string, double> nearest_pop_km;
  for (const auto& t : r.terminals) {
    const auto a = unit(frames::Geodetic::degrees(t.lat_deg, t.lon_deg));
    double best = 1e300;
    for (const auto& p : pops.sites) {
      const auto b = unit(p.location);
      const double d = std::hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]) * 6371.0;
      best = std::min(best, d);
    }
    nearest_pop_km[t.id] = best;
  }

  // Rows: Starlink only (the one provider with gateways), every terminal, in every variant it is in.
  std::map<std::string, std::size_t> rows_per_variant;
  for (const auto& l : r.latency) {
    SCOPED_TRACE(l.variant + " " + l.src);
    EXPECT_EQ(l.provider, "starlink");
    EXPECT_EQ(l.dst, "internet");
    ++rows_per_variant[l.variant];
    EXPECT_GE(l.unreachable_fraction, 0.0);
    EXPECT_LE(l.unreachable_fraction, 1.0);
    EXPECT_LE(l.rtt_samples_ms.size(), 2u);  // 30 minutes at the 15-minute latency step
    if (l.rtt_samples_ms.empty()) {
      EXPECT_EQ(l.unreachable_fraction, 1.0);
      continue;
    }
    EXPECT_NEAR(l.unreachable_fraction, 1.0 - static_cast<double>(l.rtt_samples_ms.size()) / 2.0, 1e-12);
    EXPECT_LE(l.min_rtt_ms, l.median_rtt_ms);
    EXPECT_LE(l.median_rtt_ms, l.p95_rtt_ms);
    EXPECT_LE(l.p95_rtt_ms, l.max_rtt_ms);
    for (const double rtt : l.rtt_samples_ms) {
      EXPECT_GE(rtt, l.min_rtt_ms);
      EXPECT_LE(rtt, l.max_rtt_ms);
      // Up to a satellite and down from one, each at least 200 km high, both ways; and at least the
      // straight line to the nearest PoP and back.
      EXPECT_GT(rtt, 4.0 * 200.0 / kCKmPerMs);
      EXPECT_GT(rtt, 0.99 * 2.0 * nearest_pop_km.at(l.src) / kCKmPerMs);
      EXPECT_LT(rtt, 300.0);
    }
  }
  double lowest = 1e300, highest = 0.0;
  for (const auto& l : r.latency) {
    for (const double rtt : l.rtt_samples_ms) {
      lowest = std::min(lowest, rtt);
      highest = std::max(highest, rtt);
    }
  }
  std::printf("latency: %zu rows, RTT %.3f to %.3f ms\n", r.latency.size(), lowest, highest);
  EXPECT_EQ(rows_per_variant.size(), 7u);  // not in the withdrawal
  EXPECT_EQ(rows_per_variant.count("starlink-withdraws"), 0u);
  for (const auto& [variant, n] : rows_per_variant) EXPECT_EQ(n, 21u) << variant;

  const auto row = [&](const std::string& variant,
                       const std::string& terminal) -> const report::LatencySummary& {
    for (const auto& l : r.latency) {
      if (l.variant == variant && l.src == terminal) return l;
    }
    throw std::runtime_error("no latency row for " + variant + " " + terminal);
  };
  // Baseline: the civil and government terminals are served and reach the internet; the military
  // terminals outside the authorised group are denied by the policy, hence unreachable.
  EXPECT_EQ(row("baseline", "CIV-KYIV").unreachable_fraction, 0.0);
  EXPECT_EQ(row("baseline", "GOV-DNIPRO").unreachable_fraction, 0.0);
  EXPECT_EQ(row("baseline", "MIL-KHARKIV").unreachable_fraction, 0.0);
  EXPECT_EQ(row("baseline", "MIL-KHERSON").unreachable_fraction, 1.0);
  EXPECT_EQ(row("baseline", "MIL-SUMY").unreachable_fraction, 1.0);
  // Forbidding Ukraine: every terminal (all in Ukraine) is unreachable.
  for (const auto& t : r.terminals)
    EXPECT_EQ(row("starlink-forbids-ukraine", t.id).unreachable_fraction, 1.0) << t.id;
}

TEST_F(DefaultScenarioRun, RelianceIsConsistent) {
  const report::Results& r = *results_;
  ASSERT_EQ(r.reliance.size(), 8u * 6u);  // eight variants x (the region + five groups)
  const auto in01 = [](double x) { return x >= 0.0 && x <= 1.0 + 1e-12; };
  for (const auto& rel : r.reliance) {
    SCOPED_TRACE(rel.scope + " " + rel.scope_id + " " + rel.variant);
    double sole_sum = 0.0, served_sum = 0.0;
    for (const auto& p : rel.providers) {
      EXPECT_TRUE(in01(p.served_share)) << p.provider << " " << p.served_share;
      EXPECT_TRUE(in01(p.sole_share)) << p.provider << " " << p.sole_share;
      EXPECT_LE(p.sole_share, p.served_share + 1e-12) << p.provider;
      EXPECT_LE(p.served_share, rel.served_share_any + 1e-12) << p.provider;
      sole_sum += p.sole_share;
      served_sum += p.served_share;
    }
    for (const double x : {rel.served_share_any, rel.single_provider_share, rel.lost_share,
                           rel.recovered_share, rel.net_loss_share})
      EXPECT_TRUE(in01(x)) << x;
    // docs/report.md: single-provider dependence is the sum of the sole shares; "any" serves at most
    // what the providers serve together; net loss = lost x (1 - recovered).
    EXPECT_NEAR(rel.single_provider_share, sole_sum, 1e-9);
    EXPECT_LE(rel.single_provider_share, rel.served_share_any + 1e-12);
    EXPECT_LE(rel.served_share_any, served_sum + 1e-12);
    EXPECT_NEAR(rel.net_loss_share, rel.lost_share * (1.0 - rel.recovered_share), 1e-9);
    if (rel.variant == "baseline") {
      EXPECT_EQ(rel.lost_share, 0.0);
      EXPECT_EQ(rel.net_loss_share, 0.0);
    }
  }
  // Over Ukraine's cells Starlink serves in the baseline, and a withdrawal loses all of it.
  const report::Reliance& base = fixtures::region_row(r, "baseline");
  std::printf(
      "region: starlink served share %.4f, any %.4f; withdrawn: lost %.4f, recovered %.4f, net loss %.4f\n",
      fixtures::served_share(base, "starlink"), base.served_share_any,
      fixtures::region_row(r, "starlink-withdraws").lost_share,
      fixtures::region_row(r, "starlink-withdraws").recovered_share,
      fixtures::region_row(r, "starlink-withdraws").net_loss_share);
  EXPECT_GT(fixtures::served_share(base, "starlink"), 0.5);
  const report::Reliance& gone = fixtures::region_row(r, "starlink-withdraws");
  EXPECT_LE(fixtures::served_share(gone, "starlink"), 0.0);  // absent (-1) or nothing served
  EXPECT_NEAR(gone.lost_share, fixtures::served_share(base, "starlink"), 1e-9);
  EXPECT_LE(gone.served_share_any, base.served_share_any + 1e-12);
}

// Demand met: the rows of each scope add up, the region's demand is its density times its area, and
// the variants move demand the way they must.
TEST_F(DefaultScenarioRun, DemandMet) {
  const report::Results& r = *results_;
  ASSERT_FALSE(r.capacity.empty());
  double area = 0.0;
  for (const auto& c : r.cells) area += c.area_km2;
  const report::CapacityScope* base =
      r.capacity_row(report::kScopeRegion, r.run.region_name, "baseline", "any");
  ASSERT_NE(base, nullptr);
  EXPECT_NEAR(base->demand_mbps, 0.1 * area, 1e-6 * base->demand_mbps);
  for (const report::Variant& v : r.variants) {
    SCOPED_TRACE(v.id);
    for (const char* scope_id : {"civil", "government", "military"}) {
      const report::CapacityScope* any = r.capacity_row(report::kScopeGroup, scope_id, v.id, "any");
      ASSERT_NE(any, nullptr) << scope_id;
      double sum = 0.0;
      for (const auto& p : r.providers) {
        if (const auto* x = r.capacity_row(report::kScopeGroup, scope_id, v.id, p.name))
          sum += x->carried_mbps;
      }
      EXPECT_NEAR(sum, any->carried_mbps, 1e-6 * (1.0 + any->carried_mbps)) << scope_id;
      EXPECT_LE(any->carried_mbps, any->demand_mbps * (1.0 + 1e-12)) << scope_id;
    }
  }
  // Starlink withdrawn: it carries nothing, and the others cannot carry more than was carried with it.
  const auto* withdrawn =
      r.capacity_row(report::kScopeRegion, r.run.region_name, "starlink-withdraws", "starlink");
  EXPECT_TRUE(withdrawn == nullptr || withdrawn->carried_mbps == 0.0);
  const auto* after = r.capacity_row(report::kScopeRegion, r.run.region_name, "starlink-withdraws", "any");
  ASSERT_NE(after, nullptr);
  EXPECT_LE(after->carried_mbps, base->carried_mbps * (1.0 + 1e-9));
  // A provider added last in every preference list can only add to what is carried.
  const auto* added = r.capacity_row(report::kScopeRegion, r.run.region_name, "kuiper-planned", "any");
  ASSERT_NE(added, nullptr);
  EXPECT_GE(added->carried_mbps, base->carried_mbps * (1.0 - 1e-9));
  // Per cell: one layer per variant and provider (and any), demand = 0.1 x area, and the cells add up
  // to the region's row.
  const report::CapacityCellLayer* cells = r.capacity_cell_layer("baseline", "any");
  ASSERT_NE(cells, nullptr);
  ASSERT_EQ(cells->demand_mbps.size(), r.cells.size());
  double carried = 0.0;
  for (std::size_t i = 0; i < r.cells.size(); ++i) {
    EXPECT_NEAR(cells->demand_mbps[i], 0.1 * r.cells[i].area_km2, 1e-9 * cells->demand_mbps[i]) << i;
    carried += cells->carried_mbps[i];
  }
  EXPECT_NEAR(carried, base->carried_mbps, 1e-9 * base->carried_mbps);
  // The headline's variant: the first of the largest falls in Mbps carried.
  const auto drop = report::largest_demand_drop(r, report::kScopeRegion, r.run.region_name);
  ASSERT_TRUE(drop.has_value());
  EXPECT_EQ(drop->variant, "starlink-forbids-ukraine");
  EXPECT_NEAR(drop->lost_mbps, base->carried_mbps - after->carried_mbps, 1e-6 * base->carried_mbps);
  // The background-load variant replaces OneWeb's model's load.
  for (const auto& row : r.provider_usage) {
    if (row.provider == "oneweb") {
      EXPECT_EQ(row.background_load, row.variant == "oneweb-background-80pct" ? 0.8 : 0.0) << row.variant;
    }
  }
  // One usage row per variant and provider it has.
  std::size_t expected_usage = 0;
  for (const report::Variant& v : r.variants) {
    std::set<std::string> providers;
    for (const auto& row : r.provider_usage) {
      if (row.variant == v.id) providers.insert(row.provider);
    }
    expected_usage += providers.size();
    EXPECT_FALSE(providers.empty()) << v.id;
  }
  EXPECT_EQ(r.provider_usage.size(), expected_usage);
}

}  // namespace
}  // namespace skyfence::scenario
