// The runner's stages (scenario/internal/stages.h), each on the tiny scenario issues.toml: one provider
// of two satellites over Moldova's level-6 cells, three steps, one terminal group.
#include "skyfence/scenario/internal/stages.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <numbers>
#include <string>
#include <vector>

#include "../../test_support.h"
#include "scenario_test_support.h"
#include "skyfence/core/units.h"
#include "skyfence/earth/trajectory.h"
#include "skyfence/orbits/load.h"
#include "skyfence/time/scales.h"
#include "skyfence/visibility/fleet.h"
#include "skyfence/visibility/passes.h"

namespace skyfence::scenario::internal {
namespace {

// Degrees of an angle in radians, with every digit a double holds.
std::string fmt_deg(double rad) {
  char text[40];
  std::snprintf(text, sizeof text, "%.17g", rad * 180.0 / std::numbers::pi);
  return text;
}

Scenario tiny() {
  return load_scenario(fixtures::kScenarioData + "issues.toml");
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

// A folder of this process for a test's own files (ctest runs tests in parallel: a shared name in the
// temporary folder would let one test read another's file).
std::string files_of(const std::string& test) {
  return skyfence_test::scratch_dir("skyfence-stages-tests", test).string();
}

// The tiny scenario with an enforcement study: the policy `dir`/square-policy.toml swept at two levels
// over a square in Moldova, with two terminals of the study's own file.
Scenario with_study(const std::string& dir, const std::string& terminals_file) {
  Scenario sc = tiny();
  EnforcementStudySpec e;
  e.provider = "few-iridium";
  e.policy = dir + "/square-policy.toml";
  e.region = fixtures::kScenarioData + "square.geojson#square";
  e.levels = {7, 9};
  e.modes = {policy::CellMode::any, policy::CellMode::all};
  e.terminals = terminals_file;
  e.hostile_groups = {"hostile"};
  e.reference_level = 10;
  sc.enforcement = e;
  return sc;
}

TEST(RunStages, EnforcementStudyFillsItsRows) {
  const std::string dir = files_of("enforcement-study");
  {
    std::ofstream f(dir + "/square.geojson");
    f << R"({"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"name": "square"},
  "geometry": {"type": "Polygon", "coordinates": [[[28.0, 46.5], [29.0, 46.5], [29.0, 47.5], [28.0, 47.5], [28.0, 46.5]]]}}]})";
    std::ofstream p(dir + "/square-policy.toml");
    p << "provider = \"few-iridium\"\n[[rule]]\nid = \"all\"\neffect = \"permit\"\n[[rule]]\nid = "
         "\"square\"\n"
         "effect = \"forbid\"\nregion = \"square.geojson#square\"\n";
    std::ofstream t(dir + "/moving.csv");
    t << "id,time_utc,lat_deg,lon_deg,group\n"
         "H,2026-04-27T00:00:00Z,47.0,28.5,hostile\n"
         "F,2026-04-27T00:00:00Z,47.0,29.05,friendly\n";
  }
  Scenario sc = with_study(dir, dir + "/moving.csv");
  sc.enforcement->region = dir + "/square.geojson#square";
  const RunInputs in = load_inputs(sc, options(), context());
  report::Results res;
  record_enforcement(sc, in, context(), res);
  ASSERT_TRUE(res.enforcement.has_value());
  const report::EnforcementStudy& e = *res.enforcement;
  EXPECT_EQ(e.region, "square");
  EXPECT_NEAR(e.window_h, 0.5, 1e-12);  // three steps of 10 minutes
  ASSERT_EQ(e.settings.size(), 5u);     // exact, then any and all at levels 7 and 9
  EXPECT_EQ(e.settings[0].setting, "exact");
  EXPECT_EQ(e.settings[0].level, -1);
  EXPECT_EQ(e.settings[1].setting, "L7 any");
  EXPECT_EQ(e.settings[4].setting, "L9 all");
  EXPECT_EQ(e.settings[0].leakage_km2_h, 0.0);
  EXPECT_GT(e.settings[1].collateral_km2_h, e.settings[2].collateral_km2_h);  // coarser cuts off more
  EXPECT_EQ(e.settings[3].collateral_km2_h, 0.0);
  // The hostile terminal inside the square is denied exactly; the friendly one 4 km east of it is served.
  ASSERT_EQ(e.groups.size(), 5u * 2u);
  EXPECT_EQ(e.groups[0].group, "hostile");
  EXPECT_TRUE(e.groups[0].hostile);
  EXPECT_EQ(e.groups[0].served_h, 0.0);
  EXPECT_NEAR(e.groups[1].served_h, 0.5, 1e-12);
  // Level-7 cells (about 70 km) reach the friendly terminal in mode any.
  EXPECT_NEAR(e.groups[3].denied_h, 0.5, 1e-12);
  // Without the study nothing is recorded; a hostile group nobody is in is refused.
  report::Results none;
  record_enforcement(tiny(), in, context(), none);
  EXPECT_FALSE(none.enforcement.has_value());
  Scenario bad = sc;
  bad.enforcement->hostile_groups = {"nobody"};
  EXPECT_THROW(record_enforcement(bad, in, context(), none), InputError);
}

// A scenario whose "moving" group holds trajectories: M crosses into a denied square (about 115 km/h),
// D runs at about 300 km/h past a 150 km/h speed cap and then stops; the "fixed" group has a terminal
// at each place M and D are at each step (F<terminal><step>). Starlink serves the whole area at every
// step, so what each terminal gets at a step is decided by where it is and how fast it goes.
Scenario with_moving_terminals() {
  const std::string dir = files_of("moving-terminals");
  {
    std::ofstream p(dir + "/moving-policy.toml");
    p << "provider = \"starlink\"\n[[rule]]\nid = \"all\"\neffect = \"permit\"\n"
         "[[rule]]\nid = \"square\"\neffect = \"forbid\"\n"
         "polygon = [[28.0, 46.5], [29.0, 46.5], [29.0, 47.5], [28.0, 47.5], [28.0, 46.5]]\n"
         "[[rule]]\nid = \"cap\"\neffect = \"forbid\"\nmax_speed_kmh = 150\n";
    std::ofstream t(dir + "/moving.csv");
    t << "id,time_utc,lat_deg,lon_deg\n"
         "M,2026-04-27T00:00:00Z,47.0,29.3\n"
         "D,2026-04-27T00:00:00Z,47.8,28.2\n"
         "M,2026-04-27T00:20:00Z,47.0,28.8\n"
         "D,2026-04-27T00:15:00Z,47.8,29.2\n";
  }
  const std::vector<earth::Track> tracks = earth::read_tracks_file(dir + "/moving.csv");
  {
    std::ofstream f(dir + "/fixed.csv");
    f << "id,lat_deg,lon_deg\n";
    const time::Instant start = time::parse_iso8601("2026-04-27T00:00:00Z");
    for (std::size_t k = 0; k < 3; ++k) {
      std::vector<frames::Geodetic> at(tracks.size());
      earth::positions_at(tracks, start + time::Duration::seconds(600) * static_cast<std::int64_t>(k), at);
      for (std::size_t i = 0; i < tracks.size(); ++i) {
        f << "F" << tracks[i].id << k << "," << fmt_deg(at[i].lat_rad) << "," << fmt_deg(at[i].lon_rad)
          << "\n";
      }
    }
  }
  Scenario sc = tiny();
  sc.providers[0].name = "starlink";
  sc.providers[0].source = {};
  sc.providers[0].source.value = "starlink";
  sc.providers[0].min_elevation_deg = 25.0;
  sc.providers[0].policy = dir + "/moving-policy.toml";
  sc.providers[0].service_model = std::string(SKYFENCE_DATA_DIR) + "/providers/starlink.toml";
  sc.groups.clear();
  for (const char* id : {"moving", "fixed"}) {
    TerminalGroupSpec g;
    g.id = g.name = id;
    g.file = dir + "/" + id + ".csv";
    g.customer = "civil";
    g.demand_mbps = 1.0;
    sc.groups.push_back(g);
  }
  sc.compute.timeseries_terminals = 100;
  return sc;
}

TEST(RunStages, MovingTerminalsAreServedWhereTheyAreAtEachStep) {
  const Scenario sc = with_moving_terminals();
  const RunInputs in = load_inputs(sc, options(), context());
  ASSERT_TRUE(in.moving);
  ASSERT_EQ(in.terminals.size(), 2u + 6u);
  EXPECT_TRUE(in.terminals[0].tracked);
  EXPECT_FALSE(in.terminals[2].tracked);
  const std::vector<Plan> plans = plan_variants(sc, in);
  report::Results res;
  record_inputs(sc, in, plans, options(), res);
  // The results hold a moving terminal's trajectory, and none for a terminal at rest.
  ASSERT_EQ(res.terminals.size(), in.terminals.size());
  ASSERT_EQ(res.terminals[0].track.size(), 2u);
  EXPECT_EQ(res.terminals[0].track[1].time, in.tracks[0].samples[1].time);
  EXPECT_DOUBLE_EQ(res.terminals[0].track[1].lon_deg, 28.8);
  EXPECT_TRUE(res.terminals[2].track.empty());
  const std::vector<Masks> masks = cover_variants(sc, in, plans, options(), context(), res);
  const std::size_t n = in.points.size(), cells = in.cells.size();
  const auto served = [&](std::size_t step, std::size_t terminal) {
    return masks[0].bits[step * n + cells + terminal] != 0;
  };
  // terminal index of F<i><k>: 2 + 2k + i (M is 0, D is 1).
  for (std::size_t k = 0; k < 3; ++k) {
    SCOPED_TRACE(k);
    // M is served where a terminal at rest at its place is (in view, decided where it is)...
    EXPECT_EQ(served(k, 0), served(k, 2 + 2 * k));
    // ...and its satellites in view are those of that place (the baseline's series, one per terminal).
    const auto& series = res.timeseries;
    const auto of = [&](const std::string& id) {
      return std::find_if(series.begin(), series.end(), [&](const report::TimeSeries& s) {
        return s.provider == "starlink" && s.site == id;
      });
    };
    ASSERT_NE(of("M"), series.end());
    EXPECT_EQ(of("M")->satellites_in_view[k], of("FM" + std::to_string(k))->satellites_in_view[k]);
    EXPECT_EQ(of("D")->satellites_in_view[k], of("FD" + std::to_string(k))->satellites_in_view[k]);
  }
  // Outside the square at steps 0 and 1, inside at step 2; D over the speed cap until it stops.
  EXPECT_TRUE(served(0, 0));
  EXPECT_TRUE(served(1, 0));
  EXPECT_FALSE(served(2, 0));
  EXPECT_FALSE(served(0, 1));
  EXPECT_FALSE(served(1, 1));
  EXPECT_TRUE(served(2, 1));
  for (std::size_t k = 0; k < 3; ++k) EXPECT_TRUE(served(k, 3 + 2 * k));  // at rest, D's places are served
  // The decision at the start is check's: D is over the cap then, and its decision varies.
  const auto d = std::find_if(res.terminal_service.begin(), res.terminal_service.end(),
                              [](const report::TerminalService& t) { return t.terminal == "D"; });
  ASSERT_NE(d, res.terminal_service.end());
  EXPECT_EQ(d->decision, report::TerminalDecision::varies);
  EXPECT_NE(d->reason.find("cap"), std::string::npos) << d->reason;

  // Demand met: 1 Mbps each is far below capacity, so a terminal's demand is met exactly at the steps
  // coverage serves it, where it is then.
  record_capacity(sc, in, plans, context(), res);
  const auto full = [&](const std::string& id) {
    for (const report::TerminalCapacity& c : res.terminal_capacity) {
      if (c.terminal == id && c.provider == "starlink") return c.full_service_fraction;
    }
    ADD_FAILURE() << id;
    return -1.0;
  };
  EXPECT_NEAR(full("M"), 2.0 / 3.0, 1e-12);
  EXPECT_NEAR(full("D"), 1.0 / 3.0, 1e-12);
  EXPECT_NEAR(full("FM2"), 0.0, 1e-12);  // inside the square all along

  // Passes of a moving terminal: those find_terminal_passes finds along its track, each in view from
  // where the terminal is at its TCA.
  Scenario with_passes = sc;
  with_passes.compute.passes_terminals = {"M", "FM0"};
  const RunInputs pin = load_inputs(with_passes, options(), context());
  report::Results pres;
  record_passes(with_passes, pin, plan_variants(with_passes, pin), context(), pres);
  const visibility::Fleet fleet(pin.loaded[0].sets);
  visibility::PassOptions po;
  po.min_elevation_rad = 25.0 * skyfence::kRadPerDeg;
  const std::vector<earth::Track> both{pin.tracks[0], pin.tracks[2]};
  const visibility::PassList expected = visibility::find_terminal_passes(fleet, both, sc.start, sc.stop, po);
  ASSERT_EQ(pres.passes.size(), expected.passes.size());
  ASSERT_FALSE(pres.passes.empty());
  std::size_t of_m = 0;
  for (std::size_t i = 0; i < expected.passes.size(); ++i) {
    const visibility::Pass& p = expected.passes[i];
    EXPECT_EQ(pres.passes[i].terminal, p.site == 0 ? "M" : "FM0");
    EXPECT_EQ(pres.passes[i].aos, p.aos);
    EXPECT_EQ(pres.passes[i].los, p.los);
    if (p.site != 0) continue;
    ++of_m;
    const visibility::SatelliteLook l =
        visibility::look_angles(fleet, p.satellite, frames::Topocentric(pin.tracks[0].at(p.tca)), p.tca);
    EXPECT_NEAR(l.angles.elevation_rad, p.max_elevation_rad, 1e-12);
  }
  EXPECT_GT(of_m, 0u);
}

// Terminals at rest with an activation country roam as `check` says: R's 60 days abroad run out 5
// minutes after the start (denied from the second step on), E is past them all along, H is at home.
TEST(RunStages, TerminalsAtRestRoamAsCheckDecides) {
  Scenario sc = with_moving_terminals();
  const std::string dir = files_of("roaming-at-rest");
  {
    std::ofstream p(dir + "/roaming-policy.toml");
    p << "provider = \"starlink\"\n[[rule]]\nid = \"all\"\neffect = \"permit\"\n"
         "[[rule]]\nid = \"roaming\"\neffect = \"forbid\"\nroaming_days = 60\n";
    std::ofstream t(dir + "/roaming.csv");
    t << "id,lat_deg,lon_deg,activation_country,roaming_since\n"
         "R,47.0,28.5,UKR,2026-02-26T00:05:00Z\n"
         "E,47.0,28.5,UKR,2026-01-01T00:00:00Z\n"
         "H,47.0,28.5,MDA,\n"
         "N,47.0,28.5,,\n";
  }
  ASSERT_EQ(sc.start, time::parse_iso8601("2026-04-27T00:00:00Z"));
  sc.providers[0].policy = dir + "/roaming-policy.toml";
  sc.groups.resize(1);
  sc.groups[0].id = sc.groups[0].name = "roaming";
  sc.groups[0].file = dir + "/roaming.csv";
  const RunInputs in = load_inputs(sc, options(), context());
  ASSERT_FALSE(in.moving);
  ASSERT_EQ(in.terminals.size(), 4u);
  EXPECT_TRUE(in.terminals[0].tracked);
  EXPECT_FALSE(in.terminals[3].tracked);  // no activation country: decided as a cell
  const std::vector<Plan> plans = plan_variants(sc, in);
  report::Results res;
  record_inputs(sc, in, plans, options(), res);
  const std::vector<Masks> masks = cover_variants(sc, in, plans, options(), context(), res);
  const std::size_t n = in.points.size(), cells = in.cells.size();
  std::string states;
  for (std::size_t t = 0; t < 4; ++t) {
    for (std::size_t k = 0; k < 3; ++k) states += masks[0].bits[k * n + cells + t] != 0 ? 'S' : '-';
    states += ' ';
  }
  EXPECT_EQ(states, "S-- --- SSS SSS ");
  const auto r = std::find_if(res.terminal_service.begin(), res.terminal_service.end(),
                              [](const report::TerminalService& t) { return t.terminal == "E"; });
  ASSERT_NE(r, res.terminal_service.end());
  EXPECT_EQ(r->decision, report::TerminalDecision::deny);
  EXPECT_NE(r->reason.find("roaming"), std::string::npos) << r->reason;
  record_capacity(sc, in, plans, context(), res);
  const auto met = std::find_if(
      res.terminal_capacity.begin(), res.terminal_capacity.end(),
      [](const report::TerminalCapacity& c) { return c.terminal == "R" && c.provider == "starlink"; });
  ASSERT_NE(met, res.terminal_capacity.end());
  EXPECT_NEAR(met->full_service_fraction, 1.0 / 3.0, 1e-12);
}

}  // namespace
}  // namespace skyfence::scenario::internal
