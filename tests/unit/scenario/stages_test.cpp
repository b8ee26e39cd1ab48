// The runner's stages (scenario/internal/stages.h), each on the tiny scenario issues.toml: one provider
// of two satellites over Moldova's level-6 cells, three steps, one terminal group.
#include "skyfence/scenario/internal/stages.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "skyfence/orbits/load.h"
#include "skyfence/time/scales.h"
#include "skyfence/visibility/fleet.h"

namespace skyfence::scenario::internal {
namespace {

const std::string kDir = std::string(SKYFENCE_TEST_DATA_DIR) + "/scenario/";

Scenario tiny() {
  return load_scenario(kDir + "issues.toml");
}

RunOptions options() {
  RunOptions o;
  o.software_version = "test";
  o.created = time::parse_iso8601("2026-11-27T00:00:00Z");
  return o;
}

RunContext context() {
  return {.threads = 1, .data_dir = SKYFENCE_DATA_DIR};
}

// The tiny scenario with a withdraw variant: two plans, the second without providers.
Scenario with_withdraw() {
  Scenario sc = tiny();
  VariantSpec v;
  v.id = "gone";
  v.kind = VariantSpec::Kind::withdraw;
  v.provider = "few-iridium";
  sc.variants.push_back(v);
  return sc;
}

TEST(RunStages, LoadInputsReadsEverythingBeforeComputing) {
  const RunInputs in = load_inputs(tiny(), options(), context());
  ASSERT_TRUE(in.region.has_value());
  EXPECT_EQ(in.region->name(), "Moldova");
  EXPECT_FALSE(in.cells.empty());
  EXPECT_EQ(in.terminals.size(), 2u);  // terminals_civil.csv
  ASSERT_EQ(in.loaded.size(), 1u);
  EXPECT_EQ(in.loaded[0].sets.size(), 2u);
  EXPECT_EQ(in.loaded[0].load.non_payloads.size(), 2u);
  EXPECT_EQ(in.union_names, (std::vector<std::string>{"few-iridium"}));
  EXPECT_EQ(in.points.size(), in.cells.size() + in.terminals.size());
  EXPECT_TRUE(in.pass_terminals.empty());
  Scenario bad = tiny();
  bad.compute.passes_terminals = {"nobody"};
  EXPECT_THROW(load_inputs(bad, options(), context()), InputError);
}

TEST(RunStages, PlanVariantsBaselineFirst) {
  const Scenario sc = with_withdraw();
  const RunInputs in = load_inputs(sc, options(), context());
  const std::vector<Plan> plans = plan_variants(sc, in);
  ASSERT_EQ(plans.size(), 2u);
  EXPECT_EQ(plans[0].info.id, "baseline");
  EXPECT_EQ(plans[0].info.kind, report::VariantKind::baseline);
  ASSERT_EQ(plans[0].active.size(), 1u);
  EXPECT_EQ(plans[0].active[0].loaded, &in.loaded[0]);
  EXPECT_EQ(plans[0].active[0].sets.size(), 2u);
  EXPECT_EQ(plans[1].info.kind, report::VariantKind::withdraw);
  EXPECT_TRUE(plans[1].active.empty());
}

TEST(RunStages, RecordInputsAndCoverageAndReliance) {
  const Scenario sc = with_withdraw();
  const RunInputs in = load_inputs(sc, options(), context());
  const std::vector<Plan> plans = plan_variants(sc, in);
  report::Results res;
  record_inputs(sc, in, plans, options(), res);
  EXPECT_EQ(res.run.step_count, 3u);
  EXPECT_EQ(res.providers.size(), 1u);
  EXPECT_EQ(res.load_issues.size(), 1u);
  EXPECT_EQ(res.variants.size(), 2u);
  EXPECT_EQ(res.cells.size(), in.cells.size());
  EXPECT_EQ(res.terminals.size(), 2u);

  double last = -1.0;
  RunContext run = context();
  run.progress = [&](std::string_view stage, double done) {
    EXPECT_TRUE(stage.starts_with("coverage: ")) << stage;
    EXPECT_GE(done, last);
    last = done;
  };
  const std::vector<Masks> masks = cover_variants(sc, in, plans, options(), run.part(0.0, 0.5), res);
  EXPECT_EQ(last, 0.5);
  ASSERT_EQ(masks.size(), 2u);
  EXPECT_EQ(masks[0].bits.size(), 3 * in.points.size());
  for (std::uint64_t b : masks[1].bits) EXPECT_EQ(b, 0u);  // withdrawn: nobody serves
  EXPECT_EQ(res.cell_layers.size(), 2u + 1u);              // baseline: provider and any; variant: any
  EXPECT_EQ(res.terminal_service.size(), 2u * 3u);
  EXPECT_EQ(res.timeseries.size(), 2u * (1u + 2u));  // provider and any x (region mean + 2 terminals)
  EXPECT_EQ(res.load_issues[0].sgp4_failed_states, 0u);

  record_reliance(sc, in, plans, masks, res);
  ASSERT_EQ(res.reliance.size(), 2u * 2u);  // region and the group, per plan
  EXPECT_EQ(res.reliance[2].variant, "gone");
  EXPECT_EQ(res.reliance[2].served_share_any, 0.0);
  EXPECT_EQ(res.reliance[2].net_loss_share, res.reliance[0].served_share_any > 0.0 ? 1.0 : 0.0);
}

TEST(RunStages, LatencyOnlyWhenAskedAndWithGateways) {
  Scenario sc = tiny();
  report::Results res;
  {
    const RunInputs in = load_inputs(sc, options(), context());
    record_latency(sc, in, plan_variants(sc, in), context(), res);
    EXPECT_TRUE(res.latency.empty());
  }
  sc.compute.latency = true;
  sc.providers[0].gateways = std::string(SKYFENCE_DATA_DIR) + "/gateways/starlink_gateways.csv";
  sc.providers[0].pops = std::string(SKYFENCE_DATA_DIR) + "/gateways/starlink_pops.csv";
  const RunInputs in = load_inputs(sc, options(), context());
  record_latency(sc, in, plan_variants(sc, in), context(), res);
  ASSERT_EQ(res.latency.size(), 2u);  // one row per terminal
  EXPECT_EQ(res.latency[0].provider, "few-iridium");
  EXPECT_EQ(res.latency[0].dst, std::string(report::kInternet));
}

TEST(RunStages, PassesOfTheChosenTerminals) {
  Scenario sc = tiny();
  sc.stop = sc.start + time::Duration::days(1);
  sc.compute.passes_terminals = {"C1"};
  const RunInputs in = load_inputs(sc, options(), context());
  report::Results res;
  record_passes(sc, in, plan_variants(sc, in), context(), res);
  ASSERT_FALSE(res.passes.empty());
  for (const report::PassRecord& p : res.passes) {
    EXPECT_EQ(p.terminal, "C1");
    EXPECT_TRUE(p.norad_id == 41917u || p.norad_id == 41918u) << p.norad_id;
    EXPECT_GE(p.max_elevation_deg, 10.0);
  }
}

// A catalog-swap variant's satellites: the catalog's element sets with their epochs moved by a whole
// number of sidereal days, so that Earth-fixed positions at t are the catalog's at t - shift, within 1 m
// for every satellite over 652 sidereal days: the Earth's GMST rotation is the same at both instants.
TEST(RunStages, CatalogSwapPositionsAreTheCatalogsAtTheShiftedTime) {
  Scenario sc = tiny();
  VariantSpec v;
  v.id = "older";
  v.kind = VariantSpec::Kind::catalog_swap;
  v.provider = "few-iridium";
  v.swap_source = {SatelliteSource::Kind::catalog, "starlink-2024-07-16"};
  v.description = "catalog-swap few-iridium";
  sc.variants.push_back(v);
  const RunInputs in = load_inputs(sc, options(), context());
  ASSERT_EQ(in.swapped.size(), 1u);
  const SwappedCatalog& s = in.swapped[0];
  const orbits::LoadedSatellites original =
      orbits::load_satellites(v.swap_source, sc.start, sc.stop, SKYFENCE_DATA_DIR);
  ASSERT_EQ(s.sets.size(), original.sets.size());
  EXPECT_EQ(s.shift, catalog_shift(sc.start, sc.stop, s.median_epoch));
  EXPECT_EQ(s.shift.count_ns() % 86'164'090'530'833, 0);
  EXPECT_GT(s.shift.to_days(), 600.0);  // the snapshot is 21 months older than the window

  const visibility::Fleet shifted(s.sets), then(original.sets);
  double worst_km = 0.0;
  for (std::size_t i = 0; i < s.sets.size(); ++i) {
    EXPECT_EQ(s.sets[i].epoch, original.sets[i].epoch + s.shift);
    frames::StateVector a, b;
    const orbits::Sgp4Error ea = shifted.itrf_state(i, sc.start, a);
    ASSERT_EQ(ea, then.itrf_state(i, sc.start - s.shift, b)) << s.sets[i].name;
    if (ea != orbits::Sgp4Error::none) continue;
    const frames::Vec3 d = a.r_km - b.r_km;
    worst_km = std::max(worst_km, std::sqrt(d.dot(d)));
  }
  EXPECT_LT(worst_km, 0.001);

  // The plan flies them in place of the provider's own, and says so.
  const std::vector<Plan> plans = plan_variants(sc, in);
  ASSERT_EQ(plans.size(), 2u);
  EXPECT_EQ(plans[1].info.kind, report::VariantKind::catalog_swap);
  ASSERT_EQ(plans[1].active.size(), 1u);
  EXPECT_EQ(plans[1].active[0].sets.size(), s.sets.size());
  EXPECT_EQ(plans[1].active[0].loaded, &in.loaded[0]);
  EXPECT_EQ(plans[1].info.satellite_count, s.sets.size());
  EXPECT_EQ(plans[1].info.time_shift, s.shift);
}

// The shift centres the window on the median epoch, in whole sidereal days, either way; none when the
// catalog is of the window's own day.
TEST(RunStages, CatalogShiftInWholeSiderealDays) {
  const time::Instant start = time::parse_iso8601("2026-04-27T00:00:00Z");
  const time::Instant stop = start + time::Duration::hours(24);
  const time::Duration sidereal = time::Duration::nanoseconds(86'164'090'530'833);
  EXPECT_EQ(catalog_shift(start, stop, start + time::Duration::hours(3)), time::Duration::nanoseconds(0));
  const time::Instant middle = start + time::Duration::hours(12);
  EXPECT_EQ(catalog_shift(start, stop, middle - sidereal * 10 + time::Duration::hours(11)), sidereal * 10);
  EXPECT_EQ(catalog_shift(start, stop, middle + sidereal * 30 - time::Duration::hours(11)), sidereal * -30);
  EXPECT_EQ(catalog_shift(start, stop, middle - sidereal * 652 - time::Duration::hours(11)), sidereal * 652);
}

}  // namespace
}  // namespace skyfence::scenario::internal
