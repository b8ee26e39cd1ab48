// The figures report.html shows, computed in the model (model.h, "The figures of report.html"), on a tiny
// run built by hand: three cells of 1, 2 and 5 km2, two terminal groups, a withdrawal and an added
// provider. Every expected value is worked out below from the rows, in binary-exact fractions.
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "skyfence/report/model.h"
#include "skyfence/time/scales.h"

namespace skyfence::report {
namespace {

CellLayer layer(std::string variant, std::string provider, std::vector<double> covered,
                std::vector<double> served) {
  CellLayer l{std::move(variant), std::move(provider), {}};
  for (std::size_t i = 0; i < served.size(); ++i) {
    CellStat s;
    s.coverage_fraction = covered[i];
    s.served_fraction = served[i];
    l.stats.push_back(s);
  }
  return l;
}

TerminalService service(std::string variant, std::string provider, std::string terminal, double covered,
                        double served) {
  return {std::move(variant),
          std::move(provider),
          std::move(terminal),
          covered,
          served,
          TerminalDecision::permit,
          ""};
}

LatencySummary latency(std::string variant, std::string provider, std::string src, std::string dst,
                       std::vector<double> samples) {
  LatencySummary l;
  l.variant = std::move(variant);
  l.provider = std::move(provider);
  l.src = std::move(src);
  l.dst = std::move(dst);
  l.rtt_samples_ms = std::move(samples);
  return l;
}

Results tiny() {
  Results r;
  r.run.scenario_name = "tiny";
  r.run.region_name = "R";
  r.run.start = time::parse_iso8601("2026-11-20T00:00:00Z");
  r.run.step = time::Duration::seconds(60.0);
  r.run.stop = r.run.start + time::Duration::hours(1.0);
  for (const char* name : {"A", "B", "C"}) {
    ProviderInfo p;
    p.name = name;
    p.epoch_min = p.epoch_max = r.run.start - time::Duration::days(2.5);
    r.providers.push_back(p);
  }
  r.variants = {{"baseline", "", VariantKind::baseline, ""},
                {"a-withdraws", "A leaves.", VariantKind::withdraw, "A"},
                {"c-added", "C joins.", VariantKind::add_provider, "C"}};
  for (const double area : {1.0, 2.0, 5.0}) {
    CellInfo c;
    c.token = "cell" + std::to_string(r.cells.size());
    c.area_km2 = area;
    r.cells.push_back(c);
  }
  r.cell_layers = {
      layer("baseline", "A", {1.0, 1.0, 0.5}, {0.5, 1.0, 0.0}),
      layer("baseline", "B", {0.5, 0.5, 1.0}, {0.25, 0.5, 0.75}),
      layer("baseline", "any", {1.0, 1.0, 1.0}, {0.75, 1.0, 0.75}),
      // A withdrawn: no layer of A.
      layer("a-withdraws", "B", {0.5, 0.5, 1.0}, {0.5, 0.5, 0.75}),
      layer("a-withdraws", "any", {0.5, 0.5, 1.0}, {0.5, 0.5, 0.75}),
      layer("c-added", "C", {1.0, 1.0, 1.0}, {1.0, 0.0, 0.5}),
      layer("c-added", "any", {1.0, 1.0, 1.0}, {1.0, 1.0, 0.875}),
  };
  r.groups = {{"g1", "Group one", "consumer"}, {"g2", "Group two", "government"}};
  r.terminals = {{"t1", "T1", 10.0, 20.0, "g1", "consumer"},
                 {"t2", "T2", 11.0, 21.0, "g1", "consumer"},
                 {"t3", "T3", 12.0, 22.0, "g2", "government"},
                 {"t4", "T4", 13.0, 23.0, "g1", "consumer"}};  // no service rows
  r.terminal_service = {
      service("baseline", "A", "t1", 1.0, 0.5),   service("baseline", "A", "t2", 0.5, 0.25),
      service("baseline", "A", "t3", 1.0, 1.0),   service("baseline", "any", "t1", 1.0, 0.75),
      service("baseline", "any", "t2", 1.0, 0.5), service("a-withdraws", "any", "t1", 1.0, 0.5)};
  return r;
}

TEST(ReportFigures, TinyRunIsValid) {
  EXPECT_NO_THROW(validate(tiny()));
}

// Region: cells weighted 1, 2 and 5 over a total of 8 km2.
TEST(ReportFigures, RegionMeanWeightsCellsByArea) {
  const Results r = tiny();
  // (0.5*1 + 1*2 + 0*5) / 8 = 2.5 / 8
  EXPECT_DOUBLE_EQ(region_mean(r, "baseline", "A", &CellStat::served_fraction), 0.3125);
  // (1*1 + 1*2 + 0.5*5) / 8 = 5.5 / 8
  EXPECT_DOUBLE_EQ(region_mean(r, "baseline", "A", &CellStat::coverage_fraction), 0.6875);
  // No layer of A once it withdraws; no layer of C in the baseline.
  EXPECT_TRUE(std::isnan(region_mean(r, "a-withdraws", "A", &CellStat::served_fraction)));
  EXPECT_TRUE(std::isnan(region_mean(r, "baseline", "C", &CellStat::served_fraction)));
  // Cells of no area: nothing to weigh.
  Results flat = r;
  for (auto& c : flat.cells) c.area_km2 = 0.0;
  EXPECT_TRUE(std::isnan(region_mean(flat, "baseline", "A", &CellStat::served_fraction)));
  // No cells at all.
  Results none = r;
  none.cells.clear();
  none.cell_layers.clear();
  EXPECT_TRUE(std::isnan(region_mean(none, "baseline", "any", &CellStat::served_fraction)));
}

TEST(ReportFigures, GroupMeanCountsTerminalsWithRows) {
  const Results r = tiny();
  // g1: t1 and t2 have rows of A (t4 has none): (0.5 + 0.25) / 2 and (1 + 0.5) / 2.
  EXPECT_DOUBLE_EQ(group_mean(r, "g1", "baseline", "A", &TerminalService::served_fraction), 0.375);
  EXPECT_DOUBLE_EQ(group_mean(r, "g1", "baseline", "A", &TerminalService::coverage_fraction), 0.75);
  // g2 is t3 alone; another group's rows never count.
  EXPECT_DOUBLE_EQ(group_mean(r, "g2", "baseline", "A", &TerminalService::served_fraction), 1.0);
  EXPECT_TRUE(std::isnan(group_mean(r, "g2", "baseline", "B", &TerminalService::served_fraction)));
  EXPECT_TRUE(std::isnan(group_mean(r, "nobody", "baseline", "A", &TerminalService::served_fraction)));
}

TEST(ReportFigures, ScopeServiceIsTheRegionOrGroupMean) {
  const Results r = tiny();
  const ScopeService region = scope_service(r, kScopeRegion, "R", "baseline", "A");
  EXPECT_DOUBLE_EQ(region.covered, 0.6875);
  EXPECT_DOUBLE_EQ(region.served, 0.3125);
  const ScopeService group = scope_service(r, kScopeGroup, "g1", "baseline", "A");
  EXPECT_DOUBLE_EQ(group.covered, 0.75);
  EXPECT_DOUBLE_EQ(group.served, 0.375);
  const ScopeService missing = scope_service(r, kScopeGroup, "g2", "c-added", "C");
  EXPECT_TRUE(std::isnan(missing.covered));
  EXPECT_TRUE(std::isnan(missing.served));
}

TEST(ReportFigures, ServedShareAnyPrefersTheRelianceRow) {
  Results r = tiny();
  // Without reliance rows, from the "any" rows: (0.75*1 + 1*2 + 0.75*5) / 8 = 6.5 / 8 for the region,
  // (0.75 + 0.5) / 2 for g1.
  EXPECT_DOUBLE_EQ(served_share_any(r, kScopeRegion, "R", "baseline"), 0.8125);
  EXPECT_DOUBLE_EQ(served_share_any(r, kScopeGroup, "g1", "baseline"), 0.625);
  EXPECT_TRUE(std::isnan(served_share_any(r, kScopeGroup, "g2", "baseline")));
  Reliance region{std::string(kScopeRegion), "R", "baseline", {{"A", 0.25, 0.125}}, 0.875, 0.5};
  Reliance group{std::string(kScopeGroup), "g2", "baseline", {}, 0.375, 0.0};
  r.reliance = {region, group};
  validate(r);
  EXPECT_DOUBLE_EQ(served_share_any(r, kScopeRegion, "R", "baseline"), 0.875);
  EXPECT_DOUBLE_EQ(served_share_any(r, kScopeGroup, "g2", "baseline"), 0.375);
  EXPECT_DOUBLE_EQ(served_share_any(r, kScopeGroup, "g1", "baseline"), 0.625);  // no row: still the mean
}

TEST(ReportFigures, LargestRegionDropPicksTheWorstVariant) {
  Results r = tiny();
  // Baseline 6.5/8; a-withdraws (0.5*1 + 0.5*2 + 0.75*5) / 8 = 5.25/8, a fall of 1.25/8;
  // c-added (1*1 + 1*2 + 0.875*5) / 8 = 7.375/8, a gain.
  auto drop = largest_region_drop(r);
  ASSERT_TRUE(drop.has_value());
  EXPECT_EQ(drop->variant, "a-withdraws");
  EXPECT_DOUBLE_EQ(drop->drop, 0.15625);
  // The first of equal falls wins.
  r.variants.push_back({"a-again", "A leaves again.", VariantKind::withdraw, "A"});
  for (const auto* p : {"B", "any"}) {
    CellLayer l = *r.cell_layer("a-withdraws", p);
    l.variant = "a-again";
    r.cell_layers.push_back(l);
  }
  validate(r);
  EXPECT_EQ(largest_region_drop(r)->variant, "a-withdraws");
  // A reliance row for the baseline region replaces its mean: 0.875 - 5.25/8.
  r.reliance = {Reliance{std::string(kScopeRegion), "R", "baseline", {}, 0.875, 0.0}};
  EXPECT_DOUBLE_EQ(largest_region_drop(r)->drop, 0.21875);
  // Only gains: no drop to show.
  Results gains = tiny();
  gains.variants.erase(gains.variants.begin() + 1);
  std::erase_if(gains.cell_layers, [](const CellLayer& l) { return l.variant == "a-withdraws"; });
  std::erase_if(gains.terminal_service, [](const TerminalService& s) { return s.variant == "a-withdraws"; });
  validate(gains);
  EXPECT_FALSE(largest_region_drop(gains).has_value());
  // A drop of exactly 0 still counts (nothing changed).
  Results same = gains;
  same.cell_layers.back().stats = same.cell_layer("baseline", "any")->stats;
  EXPECT_DOUBLE_EQ(largest_region_drop(same)->drop, 0.0);
  // No cells and no reliance rows: nothing to compare.
  Results none = tiny();
  none.cells.clear();
  none.cell_layers.clear();
  EXPECT_FALSE(largest_region_drop(none).has_value());
}

TEST(ReportFigures, CellChangeOfAWithdrawal) {
  const Results r = tiny();
  const auto c = cell_change(r, "a-withdraws");
  ASSERT_TRUE(c.has_value());
  // A served 0.5, 1, 0 and serves nothing now: lost is what it served.
  EXPECT_EQ(c->lost, (std::vector<double>{0.5, 1.0, 0.0}));
  // Any: 0.75, 1, 0.75 -> 0.5, 0.5, 0.75: net loss 0.25, 0.5, 0; recovered (lost - net) / lost.
  ASSERT_EQ(c->recovered.size(), 3u);
  EXPECT_DOUBLE_EQ(c->recovered[0], 0.5);    // (0.5 - 0.25) / 0.5
  EXPECT_DOUBLE_EQ(c->recovered[1], 0.5);    // (1 - 0.5) / 1
  EXPECT_TRUE(std::isnan(c->recovered[2]));  // nothing lost
  EXPECT_EQ(c->gained, (std::vector<double>{0.0, 0.0, 0.0}));
}

TEST(ReportFigures, CellChangeOfAnAddedProvider) {
  const Results r = tiny();
  const auto c = cell_change(r, "c-added");
  ASSERT_TRUE(c.has_value());
  // Any: 0.75, 1, 0.75 -> 1, 1, 0.875.
  EXPECT_EQ(c->gained, (std::vector<double>{0.25, 0.0, 0.125}));
  // C had no baseline layer: nothing lost, so no recovered share anywhere.
  EXPECT_EQ(c->lost, (std::vector<double>{0.0, 0.0, 0.0}));
  for (double x : c->recovered) EXPECT_TRUE(std::isnan(x));
  // The baseline against itself changes nothing.
  const auto same = cell_change(r, "baseline");
  ASSERT_TRUE(same.has_value());
  EXPECT_EQ(same->gained, (std::vector<double>{0.0, 0.0, 0.0}));
  // Without an "any" layer, or for an unknown variant, there are no maps.
  Results bare = r;
  std::erase_if(bare.cell_layers,
                [](const CellLayer& l) { return l.variant == "c-added" && l.provider == "any"; });
  EXPECT_FALSE(cell_change(bare, "c-added").has_value());
  EXPECT_FALSE(cell_change(r, "nobody").has_value());
}

// Recovered is clamped to [0, 1]: a variant that also takes another provider's service can lose more
// time to every provider than its own provider lost.
TEST(ReportFigures, CellChangeRecoveredIsClamped) {
  Results r = tiny();
  r.cell_layers[4].stats[0].served_fraction = 0.0;  // any in a-withdraws, cell 0: net 0.75 > lost 0.5
  const auto c = cell_change(r, "a-withdraws");
  ASSERT_TRUE(c.has_value());
  EXPECT_EQ(c->recovered[0], 0.0);
}

TEST(ReportFigures, PooledInternetRttPerVariantAndProvider) {
  Results r = tiny();
  r.latency = {latency("baseline", "A", "t1", "internet", {30.0, 10.0}),
               latency("baseline", "B", "t1", "t2", {5.0}),     // not to the internet
               latency("baseline", "B", "t2", "internet", {}),  // never reachable: no samples
               latency("a-withdraws", "B", "t1", "internet", {40.0}),
               latency("baseline", "A", "t2", "internet", {20.0, 10.0})};
  validate(r);
  const auto pooled = pooled_internet_rtt(r);
  ASSERT_EQ(pooled.size(), 2u);
  EXPECT_EQ(pooled[0].variant, "baseline");
  EXPECT_EQ(pooled[0].provider, "A");
  EXPECT_EQ(pooled[0].samples_ms, (std::vector<double>{10.0, 10.0, 20.0, 30.0}));
  EXPECT_EQ(pooled[1].variant, "a-withdraws");
  EXPECT_EQ(pooled[1].provider, "B");
  EXPECT_EQ(pooled[1].samples_ms, (std::vector<double>{40.0}));
  r.latency.clear();
  EXPECT_TRUE(pooled_internet_rtt(r).empty());
}

TEST(ReportFigures, EpochAgeAndFreshness) {
  Results r = tiny();
  EXPECT_DOUBLE_EQ(epoch_age_days(r.run, r.providers[0]), 2.5);
  r.providers[1].epoch_min = r.run.start + time::Duration::hours(12.0);  // newer than the start
  EXPECT_DOUBLE_EQ(epoch_age_days(r.run, r.providers[1]), -0.5);
  EXPECT_EQ(epoch_freshness(-0.5), EpochFreshness::fresh);
  EXPECT_EQ(epoch_freshness(2.999), EpochFreshness::fresh);
  EXPECT_EQ(epoch_freshness(3.0), EpochFreshness::ageing);
  EXPECT_EQ(epoch_freshness(13.999), EpochFreshness::ageing);
  EXPECT_EQ(epoch_freshness(14.0), EpochFreshness::stale);
  EXPECT_EQ(epoch_freshness(std::nan("")), EpochFreshness::stale);
  EXPECT_EQ(to_string(EpochFreshness::ageing), "ageing");
}

TEST(ReportFigures, Lookups) {
  Results r = tiny();
  r.reliance = {Reliance{std::string(kScopeGroup), "g1", "baseline", {{"A", 0.25, 0.125}}, 0.5, 0.125}};
  ASSERT_NE(r.service("baseline", "A", "t2"), nullptr);
  EXPECT_EQ(r.service("baseline", "A", "t2")->served_fraction, 0.25);
  EXPECT_EQ(r.service("a-withdraws", "A", "t2"), nullptr);
  const Reliance* x = r.reliance_row(kScopeGroup, "g1", "baseline");
  ASSERT_NE(x, nullptr);
  EXPECT_EQ(r.reliance_row(kScopeRegion, "g1", "baseline"), nullptr);
  ASSERT_NE(x->provider("A"), nullptr);
  EXPECT_EQ(x->provider("A")->sole_share, 0.125);
  EXPECT_EQ(x->provider("B"), nullptr);
}

}  // namespace
}  // namespace skyfence::report
