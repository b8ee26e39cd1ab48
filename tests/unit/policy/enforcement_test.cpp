// Enforcement rules: speed caps with exemptions, roaming limits, decisions per service cell (centre,
// any, all) against brute force over each cell's points, and the enforcement delay (PointPolicy's exact
// intervals against the step-by-step EnforcementDelay).
#include "skyfence/policy/enforcement.h"

#include <gtest/gtest.h>

#include <cmath>
#include <numbers>
#include <random>
#include <string>
#include <vector>

#include "../../test_seed.h"
#include "skyfence/earth/grid.h"
#include "skyfence/policy/policy.h"
#include "skyfence/time/scales.h"

namespace skyfence::policy {
namespace {

LoadOptions opts() {
  return LoadOptions{SKYFENCE_DATA_DIR};
}

Policy parse(const std::string& text) {
  return Policy::parse(text, "inline.toml", opts());
}

std::vector<std::string> issues_of(const std::string& text) {
  std::vector<std::string> out;
  try {
    (void)parse(text);
  } catch (const PolicyError& e) {
    for (const auto& i : e.issues()) out.push_back(i.what());
  }
  return out;
}

time::Instant at(const char* iso) {
  return time::parse_iso8601(iso);
}

Request req(double lat, double lon, const char* when, RequestContext c = {}, double speed = 0.0,
            double roaming = 0.0) {
  Request r{std::move(c), frames::Geodetic::degrees(lat, lon), at(when)};
  r.speed_kmh = speed;
  r.roaming_days = roaming;
  return r;
}

const char* kSpeedCap = R"(
provider = "starlink"
[[rule]]
id = "everywhere"
effect = "permit"
[[rule]]
id = "speed-cap"
effect = "forbid"
max_speed_kmh = 90
exempt_groups = ["whitelisted"]
exempt_terminals = ["T-9"]
[[rule]]
id = "roaming"
effect = "forbid"
roaming_days = 60
)";

TEST(Enforcement, SpeedCapWithExemptions) {
  const Policy p = parse(kSpeedCap);
  const char* t = "2026-04-27T12:00:00Z";
  EXPECT_TRUE(p.decide(req(48.5, 35.0, t, {"", "", "T-1", "army"}, 89.9)).permit);
  EXPECT_TRUE(p.decide(req(48.5, 35.0, t, {"", "", "T-1", "army"}, 90.0)).permit);  // at the cap: allowed
  const Decision fast = p.decide(req(48.5, 35.0, t, {"", "", "T-1", "army"}, 120.0));
  EXPECT_FALSE(fast.permit);
  EXPECT_NE(
      fast.reason.find("\"speed-cap\" (faster than 90 km/h; except terminals T-9 and groups whitelisted)"),
      std::string::npos)
      << fast.reason;
  EXPECT_TRUE(p.decide(req(48.5, 35.0, t, {"", "", "T-2", "whitelisted"}, 120.0)).permit);
  EXPECT_TRUE(p.decide(req(48.5, 35.0, t, {"", "", "T-9", ""}, 300.0)).permit);
  EXPECT_FALSE(p.permits(req(48.5, 35.0, t, {"", "", "T-1", ""}, 120.0)));
  EXPECT_TRUE(p.permits(req(48.5, 35.0, t, {"", "", "T-1", ""}, 10.0)));
}

TEST(Enforcement, RoamingLimit) {
  const Policy p = parse(kSpeedCap);
  const char* t = "2026-04-27T12:00:00Z";
  EXPECT_TRUE(p.decide(req(52.2, 21.0, t, {}, 0.0, 59.5)).permit);
  EXPECT_TRUE(p.decide(req(52.2, 21.0, t, {}, 0.0, 60.0)).permit);
  const Decision d = p.decide(req(52.2, 21.0, t, {}, 0.0, 60.5));
  EXPECT_FALSE(d.permit);
  EXPECT_NE(d.reason.find("outside the activation country for more than 60 days"), std::string::npos)
      << d.reason;
}

TEST(Enforcement, PointPolicyIgnoresMotionAndRoaming) {
  // Points at rest: the speed and roaming rules never match them.
  const Policy p = parse(kSpeedCap);
  const std::vector<frames::Geodetic> pts{frames::Geodetic::degrees(48.5, 35.0)};
  const PointPolicy pp(p, pts, RequestContext{"", "", "T-1", ""});
  std::vector<std::uint8_t> out(1, 0);
  pp.permitted(at("2026-04-27T12:00:00Z"), out);
  EXPECT_EQ(out[0], 1);
  EXPECT_TRUE(pp.time_invariant());
}

TEST(Enforcement, ValidationIsLocated) {
  const auto issues = issues_of(R"(provider = "starlink"
[enforcement]
level = 31
mode = "nearest"
delay = "soon"
colour = 1
[[rule]]
id = "a"
effect = "permit"
max_speed_kmh = 90
[[rule]]
id = "b"
effect = "forbid"
roaming_days = -1
max_speed_kmh = "fast"
exempt_groups = []
)");
  const std::vector<std::string> want{
      "inline.toml:3: enforcement.level: expected an S2 cell level, an integer 0-30",
      "inline.toml:4: enforcement.mode: expected \"exact\", \"centre\", \"any\" or \"all\", found "
      "\"nearest\"",
      "inline.toml:5: enforcement.delay: ",
      "inline.toml:6: enforcement.colour: unknown field (expected level, mode, delay)",
      "inline.toml:10: rule[0]: max_speed_kmh and roaming_days belong in forbid rules",
      "inline.toml:14: rule[1].roaming_days: expected a number of days (a number >= 0), found -1",
      "inline.toml:15: rule[1].max_speed_kmh: expected a speed in km/h (a number >= 0), found a string",
      "inline.toml:16: rule[1].exempt_groups: expected at least one value",
  };
  ASSERT_EQ(issues.size(), want.size()) << ::testing::PrintToString(issues);
  for (std::size_t i = 0; i < want.size(); ++i) {
    EXPECT_EQ(issues[i].rfind(want[i], 0), 0u) << issues[i] << "\n  expected to start with\n" << want[i];
  }
  EXPECT_EQ(
      issues_of(
          "provider = \"x\"\n[enforcement]\nmode = \"any\"\n[[rule]]\nid = \"a\"\neffect = \"permit\"\n"),
      std::vector<std::string>{"inline.toml:3: enforcement.mode: mode any decides per service cell: give the "
                               "cells' level too"});
  const Policy p = parse(
      "provider = \"x\"\n[enforcement]\nlevel = 9\ndelay = \"15m\"\n[[rule]]\nid = \"a\"\neffect = "
      "\"permit\"\n");
  EXPECT_EQ(p.enforcement().level, 9);
  EXPECT_EQ(p.enforcement().mode, CellMode::centre);  // the default with a level
  EXPECT_EQ(p.enforcement().delay, time::Duration::minutes(15));
}

// A forbidden square, everything else permitted, decided per level-`level` cell in `mode`.
std::string square_policy(int level, const char* mode) {
  std::string text = "provider = \"starlink\"\n";
  if (level >= 0) text += "[enforcement]\nlevel = " + std::to_string(level) + "\nmode = \"" + mode + "\"\n";
  text += R"([[rule]]
id = "everywhere"
effect = "permit"
[[rule]]
id = "zone"
effect = "forbid"
polygon = [[36.0, 47.0], [38.0, 47.0], [38.0, 48.5], [36.0, 48.5], [36.0, 47.0]]
)";
  return text;
}

// The level-(cell level + 4) cell centres of a cell: 256 points spread over it.
std::vector<frames::Geodetic> sample_points(std::uint64_t cell) {
  std::vector<std::uint64_t> cells{cell};
  for (int k = 0; k < 4; ++k) {
    std::vector<std::uint64_t> next;
    for (std::uint64_t c : cells) {
      for (std::uint64_t child : earth::cell_children(c)) next.push_back(child);
    }
    cells.swap(next);
  }
  std::vector<frames::Geodetic> out;
  for (std::uint64_t c : cells) out.push_back(earth::make_cell(c).centre);
  return out;
}

TEST(Enforcement, ServiceCellModesAgainstTheCellsPoints) {
  const int level = 8;  // cells of about 30 km
  const Policy exact = parse(square_policy(-1, ""));
  const Policy centre = parse(square_policy(level, "centre"));
  const Policy any = parse(square_policy(level, "any"));
  const Policy all = parse(square_policy(level, "all"));
  std::mt19937_64 rng(skyfence_test::test_seed("cell modes"));
  std::uniform_real_distribution<double> lat(46.5, 49.0), lon(35.5, 38.5);
  int straddling = 0;
  for (int i = 0; i < 300; ++i) {
    const double la = lat(rng), lo = lon(rng);
    const Request q = req(la, lo, "2026-04-27T12:00:00Z");
    const std::uint64_t cell = earth::cell_containing(q.location, level);
    std::size_t inside = 0;
    const auto samples = sample_points(cell);
    for (const frames::Geodetic& s : samples) inside += exact.permits(Request{{}, s, q.time}) ? 0 : 1;
    SCOPED_TRACE(std::to_string(la) + ", " + std::to_string(lo));
    // any: a cell with a forbidden point is denied; all: a cell with a permitted point is permitted.
    if (inside > 0) {
      EXPECT_FALSE(any.permits(q));
    }
    if (inside < samples.size()) {
      EXPECT_TRUE(all.permits(q));
    }
    if (inside > 0 && inside < samples.size()) ++straddling;
    // centre: the decision at the cell's centre.
    EXPECT_EQ(centre.permits(q), exact.permits(Request{{}, earth::make_cell(cell).centre, q.time}));
    // Ordering: any denies at least where exact does, all at most.
    if (!exact.permits(q)) {
      EXPECT_FALSE(any.permits(q));
    }
    if (!all.permits(q)) {
      EXPECT_FALSE(exact.permits(q));
    }
    // decide and permits agree; the reason names the cell.
    const Decision d = any.decide(q);
    EXPECT_EQ(d.permit, any.permits(q));
    EXPECT_NE(d.reason.find("service cell " + earth::cell_token(cell) + " at level 8, mode any"),
              std::string::npos);
  }
  EXPECT_GT(straddling, 10);  // the test exercises cells across the square's edges
}

TEST(Enforcement, PointPolicyPerCellEqualsDecide) {
  for (const char* mode : {"centre", "any", "all"}) {
    const Policy p = parse(square_policy(7, mode));
    std::vector<frames::Geodetic> pts;
    std::mt19937_64 rng(skyfence_test::test_seed("point policy cells"));
    std::uniform_real_distribution<double> lat(46.0, 49.5), lon(35.0, 39.0);
    for (int i = 0; i < 200; ++i) pts.push_back(frames::Geodetic::degrees(lat(rng), lon(rng)));
    const PointPolicy pp(p, pts, RequestContext{});
    std::vector<std::uint8_t> out(pts.size());
    pp.permitted(at("2026-04-27T12:00:00Z"), out);
    for (std::size_t i = 0; i < pts.size(); ++i) {
      EXPECT_EQ(out[i] != 0, p.permits(Request{{}, pts[i], at("2026-04-27T12:00:00Z")})) << mode << " " << i;
    }
  }
}

TEST(Enforcement, CellRelationOfAUnionOfTwoRegions) {
  // Two rectangles sharing the edge at lon 37: a cell across the edge is inside neither alone but
  // inside their union.
  const auto rect = [](double lo0, double lo1) {
    return earth::Region::from_rings("r", {{{lo0, 47.0}, {lo1, 47.0}, {lo1, 49.0}, {lo0, 49.0}, {lo0, 47.0}}},
                                     {});
  };
  const std::vector<earth::Region> both{rect(36.0, 37.0), rect(37.0, 38.0)};
  const std::uint64_t cell = earth::cell_containing(frames::Geodetic::degrees(48.0, 37.0), 9);
  const earth::Region u = earth::Region::union_of(both, "both");
  EXPECT_EQ(earth::cell_relation(both[0], cell), earth::CellRelation::partial);
  EXPECT_EQ(earth::cell_relation(both[1], cell), earth::CellRelation::partial);
  EXPECT_EQ(earth::cell_relation(u, cell), earth::CellRelation::inside);
  EXPECT_NEAR(u.area_km2(), both[0].area_km2() + both[1].area_km2(), 1e-6 * u.area_km2());
  const std::uint64_t far = earth::cell_containing(frames::Geodetic::degrees(10.0, 10.0), 9);
  EXPECT_EQ(earth::cell_relation(u, far), earth::CellRelation::disjoint);
  const std::uint64_t edge = earth::cell_containing(frames::Geodetic::degrees(49.0, 37.5), 9);
  EXPECT_EQ(earth::cell_relation(u, edge), earth::CellRelation::partial);
  // A policy forbidding two neighbours: in mode all a cell across their border is forbidden (wholly inside
  // the union), as it would be for one country. The border of Ukraine and Belarus on the meridian 28 E:
  const earth::CountryBorders borders = earth::CountryBorders::read_bundled(SKYFENCE_DATA_DIR);
  const earth::Region ukr = borders.find("UKR");
  double lo = 51.0, hi = 52.5;  // in Ukraine, in Belarus
  for (int i = 0; i < 50; ++i) {
    const double mid = (lo + hi) / 2.0;
    (ukr.contains(frames::Geodetic::degrees(mid, 28.0)) ? lo : hi) = mid;
  }
  const std::uint64_t across = earth::cell_containing(frames::Geodetic::degrees(lo, 28.0), 9);
  EXPECT_EQ(earth::cell_relation(ukr, across), earth::CellRelation::partial);
  const auto forbidding = [](const std::string& region) {
    return parse(
        "provider = \"x\"\n[enforcement]\nlevel = 9\nmode = \"all\"\n[[rule]]\nid = \"everywhere\"\n"
        "effect = \"permit\"\n[[rule]]\nid = \"forbid\"\neffect = \"forbid\"\nregion = " +
        region + "\n");
  };
  const Policy p = forbidding("[\"UKR\", \"BLR\"]");
  EXPECT_FALSE(p.permits(req(lo, 28.0, "2026-04-27T12:00:00Z")));
  const Policy one = forbidding("\"UKR\"");
  EXPECT_TRUE(one.permits(req(lo, 28.0, "2026-04-27T12:00:00Z")));
}

TEST(Enforcement, DelayOfATimedForbid) {
  const Policy p = parse(R"(provider = "starlink"
[enforcement]
delay = "15m"
[[rule]]
id = "everywhere"
effect = "permit"
[[rule]]
id = "night"
effect = "forbid"
hours_utc = "22:00-06:00"
from = 2026-04-27T00:00:00Z
)");
  const std::vector<frames::Geodetic> pts{frames::Geodetic::degrees(48.0, 37.0)};
  const PointPolicy pp(p, pts, RequestContext{});
  const auto permitted = [&](const char* when) {
    std::vector<std::uint8_t> out(1);
    pp.permitted(at(when), out);
    return out[0] != 0;
  };
  EXPECT_TRUE(permitted("2026-04-27T21:59:59Z"));
  EXPECT_TRUE(permitted("2026-04-27T22:14:59Z"));  // denied since 22:00, not yet in effect
  EXPECT_FALSE(permitted("2026-04-27T22:15:00Z"));
  EXPECT_FALSE(permitted("2026-04-28T05:59:59Z"));
  EXPECT_TRUE(permitted("2026-04-28T06:00:00Z"));  // a permit takes effect at once
  // `from` starts the first night: the forbid of 00:00-06:00 on the 27th takes effect at 00:15.
  EXPECT_TRUE(permitted("2026-04-27T00:10:00Z"));
  EXPECT_FALSE(permitted("2026-04-27T00:15:00Z"));
  // Without the delay the same policy denies at 22:00.
  const Policy now = parse(R"(provider = "starlink"
[[rule]]
id = "everywhere"
effect = "permit"
[[rule]]
id = "night"
effect = "forbid"
hours_utc = "22:00-06:00"
)");
  const PointPolicy pn(now, pts, RequestContext{});
  std::vector<std::uint8_t> out(1);
  pn.permitted(at("2026-04-27T22:00:00Z"), out);
  EXPECT_EQ(out[0], 0);
}

TEST(Enforcement, StepwiseDelayEqualsTheExactIntervals) {
  // Random daily windows and from/until on minute edges, 1-minute steps: the state machine fed the
  // instantaneous decisions gives PointPolicy's delayed ones, once the series has run longer than the
  // delay (before that the state machine takes earlier denials as in force).
  std::mt19937_64 rng(skyfence_test::test_seed("delay"));
  std::uniform_int_distribution<int> minute(0, 24 * 60 - 1), delay_min(1, 90);
  for (int trial = 0; trial < 20; ++trial) {
    int a = minute(rng), b = minute(rng);
    if (a == b) b = (a + 7) % (24 * 60);
    const auto hm = [](int m) {
      char buf[32];
      std::snprintf(buf, sizeof buf, "%02d:%02d", m / 60, m % 60);
      return std::string(buf);
    };
    const int delay = delay_min(rng);
    const std::string body =
        "[[rule]]\nid = \"all\"\neffect = \"permit\"\n[[rule]]\nid = \"w\"\neffect = "
        "\"forbid\"\nhours_utc = \"" +
        hm(a) + "-" + hm(b) + "\"\n";
    const Policy delayed =
        parse("provider = \"x\"\n[enforcement]\ndelay = \"" + std::to_string(delay) + "m\"\n" + body);
    const Policy instant = parse("provider = \"x\"\n" + body);
    const std::vector<frames::Geodetic> pts{frames::Geodetic::degrees(0.0, 0.0)};
    const PointPolicy pd(delayed, pts, RequestContext{});
    const PointPolicy pi(instant, pts, RequestContext{});
    EnforcementDelay machine(time::Duration::minutes(delay), 1);
    const time::Instant start = at("2026-04-27T00:00:00Z");
    for (int m = 0; m < 3 * 24 * 60; ++m) {
      const time::Instant t = start + time::Duration::minutes(m);
      std::vector<std::uint8_t> d(1), i(1);
      pd.permitted(t, d);
      pi.permitted(t, i);
      const bool stepped = machine.apply_one(0, t, i[0] != 0);
      if (m > 24 * 60) {
        ASSERT_EQ(stepped, d[0] != 0)
            << "window " << hm(a) << "-" << hm(b) << " delay " << delay << " minute " << m;
      }
    }
  }
}

TEST(Enforcement, DelayStateMachine) {
  EnforcementDelay e(time::Duration::minutes(10), 2);
  const time::Instant t0 = at("2026-01-01T00:00:00Z");
  const auto t = [&](int m) { return t0 + time::Duration::minutes(m); };
  EXPECT_FALSE(e.apply_one(0, t(0), false));  // denied from the start: in force
  EXPECT_TRUE(e.apply_one(1, t(0), true));
  EXPECT_TRUE(e.apply_one(1, t(1), false));  // new denial: pending
  EXPECT_TRUE(e.pending(1));
  EXPECT_TRUE(e.apply_one(1, t(10), false));
  EXPECT_FALSE(e.apply_one(1, t(11), false));  // held 10 minutes
  EXPECT_FALSE(e.pending(1));
  EXPECT_TRUE(e.apply_one(1, t(12), true));   // lifted at once
  EXPECT_TRUE(e.apply_one(1, t(13), false));  // the clock restarts
  EXPECT_THROW(e.apply_one(1, t(13), false), std::invalid_argument);
  std::vector<std::uint8_t> both{1, 1};
  EXPECT_THROW(e.apply(t(12), both), std::invalid_argument);  // subject 1 is at 13 already
  EnforcementDelay zero(time::Duration{}, 1);
  EXPECT_TRUE(zero.apply_one(0, t(0), true));
  EXPECT_FALSE(zero.apply_one(0, t(1), false));  // no delay: at once
}

TEST(Enforcement, RoamingClockCountsDaysOutside) {
  const earth::CountryBorders borders = earth::CountryBorders::read_bundled(SKYFENCE_DATA_DIR);
  RoamingClock clock({RoamingClock::Terminal{borders.find("UKR"), std::nullopt},
                      RoamingClock::Terminal{borders.find("UKR"), at("2026-03-01T00:00:00Z")},
                      RoamingClock::Terminal{std::nullopt, std::nullopt}});
  const frames::Geodetic kyiv = frames::Geodetic::degrees(50.45, 30.52);
  const frames::Geodetic warsaw = frames::Geodetic::degrees(52.23, 21.01);
  EXPECT_EQ(clock.days(0, at("2026-04-01T00:00:00Z"), kyiv), 0.0);
  EXPECT_EQ(clock.days(0, at("2026-04-02T00:00:00Z"), warsaw), 0.0);  // left now
  EXPECT_DOUBLE_EQ(clock.days(0, at("2026-04-12T12:00:00Z"), warsaw), 10.5);
  EXPECT_EQ(clock.days(0, at("2026-04-13T00:00:00Z"), kyiv), 0.0);  // back: the count resets
  EXPECT_EQ(clock.days(0, at("2026-04-14T00:00:00Z"), warsaw), 0.0);
  // Known to have left on 1 March, first seen abroad on 1 May: 61 days.
  EXPECT_DOUBLE_EQ(clock.days(1, at("2026-05-01T00:00:00Z"), warsaw), 61.0);
  EXPECT_EQ(clock.days(2, at("2026-05-01T00:00:00Z"), warsaw), 0.0);  // no activation country
  EXPECT_THROW(clock.days(0, at("2026-04-01T00:00:00Z"), kyiv), std::invalid_argument);
}

// A convoy at 120 km/h for 30 minutes, then parked, under a 90 km/h cap with a 10-minute delay; a
// terminal abroad since 1 February under the 60-day roaming limit.
TEST(Enforcement, TrackDecisionsAlongASeries) {
  const Policy p = parse(std::string(kSpeedCap) + "[enforcement]\ndelay = \"10m\"\n");
  const earth::CountryBorders borders = earth::CountryBorders::read_bundled(SKYFENCE_DATA_DIR);
  std::vector<earth::Track> tracks(2);
  tracks[0].id = "CONVOY";
  // 60 km due east along the parallel at 48.5 N in 30 minutes: about 120 km/h.
  const double east_deg = 60.0 / (earth::kMeanEarthRadiusKm * std::cos(48.5 * std::numbers::pi / 180.0)) *
                          180.0 / std::numbers::pi;
  tracks[0].samples = {{at("2026-04-27T10:00:00Z"), frames::Geodetic::degrees(48.5, 35.0)},
                       {at("2026-04-27T10:30:00Z"), frames::Geodetic::degrees(48.5, 35.0 + east_deg)}};
  tracks[1].id = "EXILE";
  tracks[1].samples = {{at("2026-04-27T10:00:00Z"), frames::Geodetic::degrees(52.23, 21.01)}};
  const std::vector<RequestContext> who{{"starlink", "military", "CONVOY", "army"},
                                        {"starlink", "civil", "EXILE", ""}};
  const std::vector<RoamingClock::Terminal> roaming{{}, {borders.find("UKR"), at("2026-02-01T00:00:00Z")}};

  // Over a series: the cap's denial takes effect 10 minutes after the fast leg begins, and the reason
  // says so meanwhile; the parked convoy is served at once; the exile is past 60 days all along.
  TrackDecisions series(p, tracks, who, roaming);
  series.start(at("2026-04-27T10:00:00Z"));
  const TrackDecisions::Outcome first = series.decide(0, at("2026-04-27T10:00:00Z"));
  EXPECT_NEAR(first.request.speed_kmh, 120.0, 0.5);
  EXPECT_TRUE(first.decision.permit);
  EXPECT_EQ(first.decision.reason.rfind("permitted until the denial takes effect (10m after it began): ", 0),
            0u)
      << first.decision.reason;
  EXPECT_TRUE(series.decide(0, at("2026-04-27T10:05:00Z")).decision.permit);
  EXPECT_FALSE(series.decide(0, at("2026-04-27T10:10:00Z")).decision.permit);
  EXPECT_FALSE(series.decide(0, at("2026-04-27T10:25:00Z")).decision.permit);
  const TrackDecisions::Outcome parked = series.decide(0, at("2026-04-27T10:30:00Z"));
  EXPECT_EQ(parked.request.speed_kmh, 0.0);
  EXPECT_TRUE(parked.decision.permit);
  const TrackDecisions::Outcome exile = series.decide(1, at("2026-04-27T10:00:00Z"));
  EXPECT_NEAR(exile.request.roaming_days, 85.4167, 1e-3);
  EXPECT_FALSE(exile.decision.permit);

  // permitted() gives decide()'s answers without the reasons.
  TrackDecisions fast(p, tracks, who, roaming);
  fast.start(at("2026-04-27T10:00:00Z"));
  std::vector<std::uint8_t> out(2);
  const std::vector<std::pair<const char*, std::vector<std::uint8_t>>> expected{
      {"2026-04-27T10:00:00Z", {1, 0}},
      {"2026-04-27T10:05:00Z", {1, 0}},
      {"2026-04-27T10:10:00Z", {0, 0}},
      {"2026-04-27T10:25:00Z", {0, 0}},
      {"2026-04-27T10:30:00Z", {1, 0}}};
  for (const auto& [t, want] : expected) {
    fast.permitted(at(t), out);
    EXPECT_EQ(out, want) << t;
  }

  // One instant on its own has no history: the denial in force is taken to have held.
  TrackDecisions single(p, tracks, who, roaming);
  EXPECT_FALSE(single.decide(0, at("2026-04-27T10:00:00Z")).decision.permit);
  // Bad arguments.
  EXPECT_THROW(TrackDecisions(p, tracks, {who[0]}, roaming), std::invalid_argument);
  EXPECT_THROW(fast.permitted(at("2026-04-27T11:00:00Z"), std::span<std::uint8_t>(out.data(), 1)),
               std::invalid_argument);
}

}  // namespace
// A terminal abroad with no `roaming_since` starts roaming at the series' first instant, not at the
// instant before it that start() asks about for the delay: under a 0.01-day (14.4-minute) limit and a
// 5-minute delay, the denial begins at 10:15 and takes effect at 10:20.
TEST(Enforcement, TrackDecisionsRoamFromTheFirstInstantOfTheSeries) {
  const Policy p = parse(R"(
provider = "starlink"
[[rule]]
id = "everywhere"
effect = "permit"
[[rule]]
id = "roaming"
effect = "forbid"
roaming_days = 0.01
[enforcement]
delay = "5m"
)");
  const earth::CountryBorders borders = earth::CountryBorders::read_bundled(SKYFENCE_DATA_DIR);
  std::vector<earth::Track> tracks(1);
  tracks[0].id = "ROAMER";
  tracks[0].samples = {{at("2026-04-27T10:00:00Z"), frames::Geodetic::degrees(52.23, 21.01)}};
  const std::vector<RequestContext> who{{"starlink", "civil", "ROAMER", ""}};
  const std::vector<RoamingClock::Terminal> roaming{{borders.find("UKR"), std::nullopt}};
  TrackDecisions series(p, tracks, who, roaming);
  series.start(at("2026-04-27T10:00:00Z"));
  std::vector<std::uint8_t> out(1);
  for (int minute = 0; minute <= 25; ++minute) {
    const time::Instant t = at("2026-04-27T10:00:00Z") + time::Duration::seconds(60.0 * minute);
    const TrackDecisions::Outcome o = series.decide(0, t);
    EXPECT_DOUBLE_EQ(o.request.roaming_days, minute / 1440.0) << minute;
    EXPECT_EQ(o.decision.permit, minute < 20) << minute << ": " << o.decision.reason;
  }
}

}  // namespace skyfence::policy
