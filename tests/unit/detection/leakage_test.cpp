// Leakage and collateral of enforcement settings: the exact setting leaks nothing, `any` leaks nothing
// and `all` cuts nothing off, nested levels order them, an independent per-cell count agrees, and
// terminals are counted by role with speed caps and the delay.
#include "skyfence/detection/leakage.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "skyfence/earth/grid.h"
#include "skyfence/time/scales.h"

namespace skyfence::detection {
namespace {

const char* kPolicy = R"(provider = "starlink"
[enforcement]
delay = "10m"
[[rule]]
id = "service"
effect = "permit"
[[rule]]
id = "zone"
effect = "forbid"
polygon = [[36.03, 47.02], [37.97, 47.02], [37.97, 48.47], [36.03, 48.47], [36.03, 47.02]]
exempt_groups = ["whitelisted"]
[[rule]]
id = "speed"
effect = "forbid"
max_speed_kmh = 90
)";

policy::Policy policy_of() {
  return policy::Policy::parse(kPolicy, "inline.toml", policy::LoadOptions{SKYFENCE_DATA_DIR});
}

const earth::Region& zone() {
  static const earth::Region r = policy_of().rules()[1].regions[0];
  return r;
}

time::Window window() {
  return time::Window::make(time::parse_iso8601("2026-04-27T10:00:00Z"),
                            time::parse_iso8601("2026-04-27T11:00:00Z"), time::Duration::minutes(5));
}

LeakageOptions options(int reference_level = 10) {
  LeakageOptions o;
  o.reference_level = reference_level;
  o.hostile_groups = {"hostile"};
  return o;
}

TEST(Leakage, ExactAnyAllAndTheirOrder) {
  std::vector<EnforcementSetting> settings{{}};
  for (int level = 5; level <= 8; ++level) {
    for (policy::CellMode m : {policy::CellMode::centre, policy::CellMode::any, policy::CellMode::all})
      settings.push_back({level, m});
  }
  const LeakageResult r = sweep_enforcement(policy_of(), zone(), settings, {}, {}, window(), options());
  ASSERT_EQ(r.settings.size(), settings.size());
  EXPECT_NEAR(r.window_hours, 1.0, 1e-12);
  // R is 1.94 x 1.45 deg at 47.7 N: 23,735 km2 between its parallels and meridians, sampled by level-10
  // cell centres (about 9 km apart) along a 610 km boundary.
  EXPECT_NEAR(r.region_area_km2, 23735.0, 500.0);
  EXPECT_GT(r.study_area_km2, r.region_area_km2);
  const SettingLeakage& exact = r.settings[0];
  EXPECT_EQ(exact.setting.label(), "exact");
  EXPECT_EQ(exact.leakage_km2_h, 0.0);
  EXPECT_EQ(exact.collateral_km2_h, 0.0);
  for (std::size_t k = 1; k < r.settings.size(); ++k) {
    const SettingLeakage& s = r.settings[k];
    SCOPED_TRACE(s.setting.label());
    if (s.setting.mode == policy::CellMode::any) {
      EXPECT_EQ(s.leakage_km2_h, 0.0);  // every cell touching R is denied
      EXPECT_GT(s.collateral_km2_h, 0.0);
    }
    if (s.setting.mode == policy::CellMode::all) {
      EXPECT_EQ(s.collateral_km2_h, 0.0);  // only cells wholly inside R are denied
      EXPECT_GT(s.leakage_km2_h, 0.0);
    }
    EXPECT_GE(s.leakage_share, 0.0);
    EXPECT_LE(s.leakage_share, 1.0);
    EXPECT_NEAR(s.collateral_share, s.collateral_km2_h / (r.region_area_km2 * r.window_hours), 1e-12);
  }
  // Nested cells: a finer `any` cuts off no more, a finer `all` leaks no more.
  for (std::size_t k = 1; k + 3 < r.settings.size(); k += 3) {
    EXPECT_LE(r.settings[k + 4].collateral_km2_h, r.settings[k + 1].collateral_km2_h);  // any
    EXPECT_LE(r.settings[k + 5].leakage_km2_h, r.settings[k + 2].leakage_km2_h);        // all
  }
  // The coarsest all-mode setting leaks most of R: level-5 cells (about 80,000 km2) are rarely wholly inside.
  EXPECT_GT(r.settings[3].leakage_share, 0.5);
}

TEST(Leakage, AgreesWithAnIndependentCountPerCell) {
  // `all` at level 7: leaked area = the reference cells inside R whose level-7 parent is not wholly in
  // R; `any`: cut-off area = reference cells outside R whose parent touches R.
  const int level = 7, ref = 10;
  const std::vector<EnforcementSetting> settings{{level, policy::CellMode::all},
                                                 {level, policy::CellMode::any}};
  const LeakageResult r = sweep_enforcement(policy_of(), zone(), settings, {}, {}, window(), options(ref));
  double leaked = 0.0, cut = 0.0, region = 0.0;
  std::vector<std::uint64_t> cells = earth::region_covering(zone(), level);
  for (int l = 0; l < ref; ++l) {
    std::vector<std::uint64_t> next;
    for (std::uint64_t c : cells) {
      if (earth::cell_cap(c).level >= ref) {
        next.push_back(c);
      } else {
        for (std::uint64_t ch : earth::cell_children(c)) next.push_back(ch);
      }
    }
    cells.swap(next);
  }
  ASSERT_EQ(cells.size(), r.samples);
  for (std::uint64_t c : cells) {
    const earth::Cell cell = earth::make_cell(c);
    const std::uint64_t parent = earth::cell_containing(cell.centre, level);
    const earth::CellRelation rel = earth::cell_relation(zone(), parent);
    if (zone().contains(cell.centre)) {
      region += cell.area_km2;
      if (rel != earth::CellRelation::inside) leaked += cell.area_km2;
    } else if (rel != earth::CellRelation::disjoint) {
      cut += cell.area_km2;
    }
  }
  EXPECT_NEAR(r.region_area_km2, region, 1e-6 * region);
  EXPECT_NEAR(r.settings[0].leakage_km2_h, leaked * 1.0, 1e-9 * region);
  EXPECT_NEAR(r.settings[1].collateral_km2_h, cut * 1.0, 1e-9 * region);
  EXPECT_GT(leaked, 0.0);
  EXPECT_GT(cut, 0.0);
}

TEST(Leakage, TerminalsByRoleWithSpeedCapAndDelay) {
  const auto tracks = earth::read_tracks(
      "id,time_utc,lat_deg,lon_deg,group\n"
      "H1,2026-04-27T10:00:00Z,47.5,37.0,hostile\n"      // inside R, at rest
      "F1,2026-04-27T10:00:00Z,47.5,38.02,friendly\n"    // 4 km outside R's east edge
      "W1,2026-04-27T10:00:00Z,47.6,36.5,whitelisted\n"  // inside R, exempt
      "C1,2026-04-27T10:00:00Z,46.0,30.0,friendly\n"     // a convoy far away: 100 km/h for 30 min
      "C1,2026-04-27T10:30:00Z,46.0,30.6478,\n"
      "C1,2026-04-27T11:00:00Z,46.0,30.9718,\n",  // then about 50 km/h
      earth::SiteFormat::csv, "t.csv");
  std::vector<TerminalInfo> infos;
  for (const earth::Track& t : tracks) infos.push_back({"military", *t.attribute("group"), {}});
  const std::vector<EnforcementSetting> settings{{}, {5, policy::CellMode::any}, {5, policy::CellMode::all}};
  const LeakageResult r =
      sweep_enforcement(policy_of(), zone(), settings, tracks, infos, window(), options(8));
  const auto group = [&](std::size_t s, const std::string& g) {
    for (const GroupLeakage& x : r.settings[s].groups)
      if (x.group == g) return x;
    ADD_FAILURE() << "no group " << g;
    return GroupLeakage{};
  };
  // 12 steps of 5 minutes: each terminal counts 1 h.
  EXPECT_NEAR(group(0, "hostile").terminal_hours, 1.0, 1e-12);
  EXPECT_TRUE(group(0, "hostile").hostile);
  EXPECT_EQ(group(0, "hostile").served_hours, 0.0);  // denied since before the window: no delay
  EXPECT_NEAR(group(0, "whitelisted").served_hours, 1.0, 1e-12);
  // The convoy: over 90 km/h for 30 min (steps 10:00-10:25), the denial taking effect after 10 min:
  // denied at 10:10, 10:15, 10:20, 10:25.
  EXPECT_NEAR(group(0, "friendly").denied_hours, 4.0 / 12.0, 1e-12);
  // All four by the speed cap; the hostile terminal at rest is denied by the area, not the cap.
  EXPECT_NEAR(group(0, "friendly").speed_denied_hours, 4.0 / 12.0, 1e-12);
  EXPECT_EQ(group(0, "hostile").speed_denied_hours, 0.0);
  EXPECT_NEAR(group(1, "friendly").speed_denied_hours, 4.0 / 12.0, 1e-12);  // F1's cell is not the cap
  EXPECT_NEAR(r.settings[0].collateral_terminal_hours, 4.0 / 12.0, 1e-12);
  EXPECT_EQ(r.settings[0].leakage_terminal_hours, 0.0);
  // any at level 5: F1's cell touches R, so F1 is cut off too (1 h more).
  EXPECT_NEAR(r.settings[1].collateral_terminal_hours, 1.0 + 4.0 / 12.0, 1e-12);
  // all at level 5: H1's cell is not wholly inside R, so the hostile terminal is served.
  EXPECT_NEAR(r.settings[2].leakage_terminal_hours, 1.0, 1e-12);
}

TEST(Leakage, ThreadCountDoesNotMatterAndBadSettingsAreRefused) {
  const std::vector<EnforcementSetting> settings{
      {}, {6, policy::CellMode::centre}, {7, policy::CellMode::any}};
  RunContext one;
  one.threads = 1;
  RunContext two;
  two.threads = 2;
  const LeakageResult a = sweep_enforcement(policy_of(), zone(), settings, {}, {}, window(), options(9), one);
  const LeakageResult b = sweep_enforcement(policy_of(), zone(), settings, {}, {}, window(), options(9), two);
  for (std::size_t k = 0; k < settings.size(); ++k) {
    EXPECT_EQ(a.settings[k].leakage_km2_h, b.settings[k].leakage_km2_h);
    EXPECT_EQ(a.settings[k].collateral_km2_h, b.settings[k].collateral_km2_h);
  }
  const std::vector<EnforcementSetting> too_fine{{11, policy::CellMode::any}};
  EXPECT_THROW(sweep_enforcement(policy_of(), zone(), too_fine, {}, {}, window(), options(10)),
               std::invalid_argument);
  EXPECT_THROW(sweep_enforcement(policy_of(), zone(), {}, {}, {}, window(), options(10)),
               std::invalid_argument);
}

}  // namespace
}  // namespace skyfence::detection
