// Policy files: loading, every validation error at once, decisions with reasons, boundaries,
// antimeridian, holes, time windows, and PointPolicy against decide().
#include "skyfence/policy/policy.h"

#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

#include "skyfence/time/scales.h"

namespace skyfence::policy {
namespace {

const std::string kData = SKYFENCE_TEST_DATA_DIR "/policy/";

LoadOptions opts() {
  return LoadOptions{SKYFENCE_DATA_DIR};
}

const Policy& test_policy() {
  static const Policy p = Policy::load_file(kData + "starlink_test.toml", opts());
  return p;
}

Request at(double lat_deg, double lon_deg, const std::string& when, RequestContext c = {}) {
  return Request{std::move(c), frames::Geodetic::degrees(lat_deg, lon_deg), time::parse_iso8601(when)};
}

std::vector<std::string> issues_of(std::string_view text) {
  std::vector<std::string> out;
  try {
    (void)Policy::parse(text, kData + "inline.toml", opts());
  } catch (const PolicyError& e) {
    for (const auto& i : e.issues()) out.push_back(i.what());
  }
  return out;
}

TEST(PolicyTest, LoadsRulesInFileOrder) {
  const Policy& p = test_policy();
  EXPECT_EQ(p.provider(), "starlink");
  ASSERT_EQ(p.rules().size(), 5u);
  EXPECT_EQ(p.rules()[0].id, "everywhere");
  EXPECT_EQ(p.rules()[1].region_specs, std::vector<std::string>{"RUS"});
  EXPECT_EQ(p.rules()[2].side, Side::outside);
  EXPECT_EQ(p.rules()[2].defined_at.line, 13);  // its [[rule]] line
  EXPECT_EQ(p.sha256().size(), 64u);
}

TEST(PolicyTest, DecisionsWithReasons) {
  const Policy& p = test_policy();
  const Decision kyiv = p.decide(at(50.45, 30.52, "2026-08-01T12:00:00Z", {"", "civil", "T1", ""}));
  EXPECT_TRUE(kyiv.permit);
  EXPECT_EQ(kyiv.matched, std::vector<std::string>{"everywhere"});
  EXPECT_NE(kyiv.reason.find("permitted"), std::string::npos) << kyiv.reason;

  const Decision moscow = p.decide(at(55.75, 37.62, "2026-08-01T12:00:00Z", {"", "civil", "T2", ""}));
  EXPECT_FALSE(moscow.permit);
  EXPECT_EQ(moscow.matched, (std::vector<std::string>{"everywhere", "no-service-in-russia"}));
  EXPECT_NE(moscow.reason.find("no-service-in-russia"), std::string::npos) << moscow.reason;
  EXPECT_NE(moscow.reason.find("overrides permit rule \"everywhere\""), std::string::npos) << moscow.reason;

  // Military terminals only inside Ukraine.
  EXPECT_TRUE(p.permits(at(49.99, 36.23, "2026-08-01T12:00:00Z", {"", "military", "T3", ""})));
  EXPECT_FALSE(p.permits(at(52.23, 21.01, "2026-08-01T12:00:00Z", {"", "military", "T4", ""})));
  EXPECT_TRUE(p.permits(at(52.23, 21.01, "2026-08-01T12:00:00Z", {"", "civil", "T4", ""})));
  // Customer classes compare without ASCII case.
  EXPECT_FALSE(p.permits(at(52.23, 21.01, "2026-08-01T12:00:00Z", {"", "Military", "T4", ""})));
}

TEST(PolicyTest, OtherProviderMatchesNothing) {
  const Decision d = test_policy().decide(at(50.45, 30.52, "2026-08-01T12:00:00Z", {"oneweb", "", "", ""}));
  EXPECT_FALSE(d.permit);
  EXPECT_TRUE(d.matched.empty());
  EXPECT_NE(d.reason.find("no rule matches"), std::string::npos) << d.reason;
  // Provider names ignore ASCII case.
  EXPECT_TRUE(test_policy().permits(at(50.45, 30.52, "2026-08-01T12:00:00Z", {"StarLink", "", "", ""})));
}

TEST(PolicyTest, GroupAndTimeWindow) {
  const Policy& p = test_policy();
  const RequestContext trial{"", "civil", "T5", "trial"};
  EXPECT_FALSE(p.permits(at(41.9, 12.5, "2026-03-01T00:00:00Z", trial)));
  EXPECT_TRUE(p.permits(at(41.9, 12.5, "2025-12-31T23:59:59Z", trial)));
  EXPECT_FALSE(p.permits(at(41.9, 12.5, "2026-01-01T00:00:00Z", trial)));  // from is inclusive
  EXPECT_TRUE(p.permits(at(41.9, 12.5, "2026-07-01T00:00:00Z", trial)));   // until is exclusive
  EXPECT_TRUE(p.permits(at(41.9, 12.5, "2026-03-01T00:00:00Z", {"", "civil", "T5", ""})));
}

TEST(PolicyTest, DailyWindowAcrossMidnightAndAntimeridian) {
  const Policy& p = test_policy();
  // The Pacific box spans the antimeridian: 170 E to 170 W.
  for (double lon : {172.98, 179.99, -179.99, -175.0}) {
    EXPECT_FALSE(p.permits(at(1.33, lon, "2026-08-01T23:00:00Z"))) << lon;
    EXPECT_FALSE(p.permits(at(1.33, lon, "2026-08-02T01:59:59Z"))) << lon;
    EXPECT_TRUE(p.permits(at(1.33, lon, "2026-08-02T02:00:00Z"))) << lon;
    EXPECT_TRUE(p.permits(at(1.33, lon, "2026-08-01T21:59:59Z"))) << lon;
  }
  // Outside the box (the long way round would contain it) the window does not apply.
  EXPECT_TRUE(p.permits(at(1.33, 0.0, "2026-08-01T23:00:00Z")));
  EXPECT_TRUE(p.permits(at(1.33, 160.0, "2026-08-01T23:00:00Z")));
}

TEST(PolicyTest, PointOneKmInsideAndOutsideALongParallelEdge) {
  // A 60 deg wide box along 60 N: great circles would bulge far north; edges follow the parallel.
  const Policy p = Policy::parse(R"(provider = "x"
[[rule]]
id = "box"
effect = "permit"
polygon = [[[0.0, 50.0], [60.0, 50.0], [60.0, 60.0], [0.0, 60.0], [0.0, 50.0]]]
)",
                                 "inline", opts());
  const double one_km_deg = 1.0 / 111.195;
  EXPECT_TRUE(p.permits(at(60.0 - one_km_deg, 30.0, "2026-01-01T00:00:00Z")));
  EXPECT_FALSE(p.permits(at(60.0 + one_km_deg, 30.0, "2026-01-01T00:00:00Z")));
}

TEST(PolicyTest, HolesAndMultipleRegions) {
  const Policy p = Policy::parse(R"(provider = "x"
[[rule]]
id = "ring"
effect = "permit"
polygon = [[[0.0, 0.0], [10.0, 0.0], [10.0, 10.0], [0.0, 10.0], [0.0, 0.0]],
           [[4.0, 4.0], [6.0, 4.0], [6.0, 6.0], [4.0, 6.0], [4.0, 4.0]]]
[[rule]]
id = "two-countries"
effect = "permit"
region = ["FRA", "Germany"]
)",
                                 "inline", opts());
  const std::string t = "2026-01-01T00:00:00Z";
  EXPECT_TRUE(p.permits(at(2.0, 2.0, t)));
  EXPECT_FALSE(p.permits(at(5.0, 5.0, t)));  // in the hole
  EXPECT_TRUE(p.permits(at(48.85, 2.35, t)));
  EXPECT_TRUE(p.permits(at(52.52, 13.40, t)));
  EXPECT_FALSE(p.permits(at(51.5, -0.12, t)));  // London
}

TEST(PolicyTest, PolesAreInsideTheCountriesAroundThem) {
  const Policy p = Policy::parse(
      "provider = \"x\"\n[[rule]]\nid = \"aq\"\neffect = \"forbid\"\nregion = \"ATA\"\n"
      "[[rule]]\nid = \"all\"\neffect = \"permit\"\n",
      "inline", opts());
  EXPECT_FALSE(p.permits(at(-90.0, 0.0, "2026-01-01T00:00:00Z")));
  EXPECT_FALSE(p.permits(at(-89.0, 123.0, "2026-01-01T00:00:00Z")));
  EXPECT_TRUE(p.permits(at(90.0, 0.0, "2026-01-01T00:00:00Z")));
}

TEST(PolicyTest, BorderPointIsInExactlyOneOfTwoNeighbours) {
  // Two boxes sharing the edge lon = 5; points on it belong to exactly one.
  const Policy p = Policy::parse(R"(provider = "x"
[[rule]]
id = "west"
effect = "permit"
polygon = [[[0.0, 0.0], [5.0, 0.0], [5.0, 5.0], [0.0, 5.0], [0.0, 0.0]]]
[[rule]]
id = "east"
effect = "permit"
polygon = [[[5.0, 0.0], [10.0, 0.0], [10.0, 5.0], [5.0, 5.0], [5.0, 0.0]]]
)",
                                 "inline", opts());
  for (double lat : {0.5, 1.0, 2.5, 4.75}) {
    const Decision d = p.decide(at(lat, 5.0, "2026-01-01T00:00:00Z"));
    EXPECT_EQ(d.matched.size(), 1u) << lat;
  }
}

TEST(PolicyTest, EveryErrorAtOnceWithLines) {
  const std::string text = R"(provider = "starlink"
colour = "blue"

[[rule]]
id = "a"
effect = "allow"

[[rule]]
id = "a"
effect = "permit"
region = "XYZ"

[[rule]]
id = "b"
effect = "forbid"
from = "2026-02-01T00:00:00Z"
until = "2026-01-01T00:00:00Z"
hours_utc = "25:00-03:00"
speed = 3

[[rule]]
id = "c"
effect = "forbid"
polygon = [[[0.0, 0.0], [10.0, 10.0], [10.0, 0.0], [0.0, 10.0], [0.0, 0.0]]]

[[rule]]
id = "d"
effect = "forbid"
polygon = [[[0.0, 0.0], [10.0, 0.0], [10.0, 10.0], [0.0, 10.0]]]
)";
  const auto issues = issues_of(text);
  auto has = [&](const std::string& needle) {
    for (const auto& i : issues) {
      if (i.find(needle) != std::string::npos) return true;
    }
    return false;
  };
  std::string all;
  for (const auto& i : issues) all += i + "\n";
  EXPECT_TRUE(has("inline.toml:2: colour: unknown field")) << all;
  EXPECT_TRUE(has("inline.toml:6: rule[0].effect: expected \"permit\" or \"forbid\", found \"allow\""))
      << all;
  EXPECT_TRUE(has("inline.toml:8: rule[1].id: duplicate rule id \"a\" (first at line 4)")) << all;
  EXPECT_TRUE(has("inline.toml:11: rule[1].region: region \"XYZ\"")) << all;
  EXPECT_TRUE(has("inline.toml:17: rule[2].until: expected a time after `from`")) << all;
  EXPECT_TRUE(has("inline.toml:18: rule[2].hours_utc")) << all;
  EXPECT_TRUE(has("inline.toml:19: rule[2].speed: unknown field")) << all;
  EXPECT_TRUE(has("rule[3].polygon: ring 0 vertex")) << all;
  EXPECT_TRUE(has("rule[3].polygon: ring 0 vertex 0: ring touches itself")) << all;  // the bow tie's knot
  EXPECT_TRUE(has("rule[4].polygon: ring 0 vertex 3: ring not closed")) << all;
  EXPECT_EQ(issues.size(), 9u) << all;
}

TEST(PolicyTest, MissingFieldsAndSyntaxErrors) {
  EXPECT_EQ(issues_of("[[rule]]\nid = \"a\"\neffect = \"permit\"\n").size(), 1u);  // no provider
  const auto syntax = issues_of("provider = \"x\"\n[[rule]\n");
  ASSERT_EQ(syntax.size(), 1u);
  EXPECT_NE(syntax[0].find("inline.toml:2: TOML syntax"), std::string::npos) << syntax[0];
  const auto no_id = issues_of("provider = \"x\"\n[[rule]]\neffect = \"permit\"\n");
  ASSERT_EQ(no_id.size(), 1u);
  EXPECT_NE(no_id[0].find("rule[0].id: missing"), std::string::npos) << no_id[0];
  EXPECT_EQ(issues_of("provider = \"x\"\n").size(), 1u);  // no rules
  EXPECT_EQ(issues_of("provider = \"x\"\n[[rule]]\nid=\"a\"\neffect=\"permit\"\nwhere=\"inside\"\n").size(),
            1u);
  EXPECT_EQ(
      issues_of("provider = \"x\"\n[[rule]]\nid=\"a\"\neffect=\"permit\"\nfrom=2026-01-01T00:00:00\n").size(),
      1u);  // a local date-time has no zone
  EXPECT_EQ(issues_of("provider = \"x\"\n[[rule]]\nid=\"a\"\neffect=\"permit\"\ncustomers=[]\n").size(), 1u);
  EXPECT_EQ(issues_of("provider = \"x\"\n[[rule]]\nid=\"a\"\neffect=\"permit\"\nregion=\"nosuch.geojson\"\n")
                .size(),
            1u);
  // A GeoJSON file whose "type" is not a string: one located issue, not an escaping JSON exception.
  const auto bad_geojson =
      issues_of("provider = \"x\"\n[[rule]]\nid=\"a\"\neffect=\"permit\"\nregion=\"bad_type.geojson\"\n");
  ASSERT_EQ(bad_geojson.size(), 1u);
  EXPECT_NE(bad_geojson[0].find("inline.toml:5: rule[0].region: region \"bad_type.geojson\""),
            std::string::npos)
      << bad_geojson[0];
  EXPECT_THROW((void)Policy::load_file(kData + "does-not-exist.toml", opts()), InputError);
  EXPECT_THROW((void)Policy::load_file(kData + "bad_many.toml", opts()), PolicyError);
}

TEST(PointPolicyTest, AgreesWithDecideAtEveryStep) {
  const Policy& p = test_policy();
  std::vector<frames::Geodetic> pts;
  for (double lat = -80; lat <= 80; lat += 2.5) {
    for (double lon = -180; lon < 180; lon += 2.5) pts.push_back(frames::Geodetic::degrees(lat, lon));
  }
  for (const RequestContext& c :
       {RequestContext{"", "civil", "", "trial"}, RequestContext{"", "military", "", ""},
        RequestContext{"oneweb", "", "", ""}}) {
    const PointPolicy pp(p, pts, c);
    EXPECT_EQ(pp.time_invariant(), c.provider == "oneweb");  // no rule applies to another provider
    std::vector<std::uint8_t> out(pts.size());
    for (const char* when : {"2025-06-01T12:00:00Z", "2026-03-01T23:30:00Z", "2026-03-02T03:00:00Z"}) {
      const time::Instant t = time::parse_iso8601(when);
      pp.permitted(t, out);
      for (std::size_t i = 0; i < pts.size(); ++i) {
        ASSERT_EQ(out[i] == 1, p.permits(Request{c, pts[i], t})) << i << " " << when;
      }
    }
  }
  const Policy plain =
      Policy::parse("provider = \"x\"\n[[rule]]\nid = \"a\"\neffect = \"permit\"\n", "inline", opts());
  EXPECT_TRUE(PointPolicy(plain, pts, {}).time_invariant());
}

// Coverage over sites used one context for every site (issue: `coverage --sites --policy` ignored each
// site's customer, group and id). Per-point contexts give each point the decision of its own request.
TEST(PolicyTest, PerPointContextsDecideEachPointAsItsOwnRequest) {
  const Policy& p = test_policy();
  std::vector<frames::Geodetic> pts;
  std::vector<RequestContext> ctx;
  const std::vector<RequestContext> kinds{{"", "civil", "", "trial"},    {"", "military", "", ""},
                                          {"", "military", "", "trial"}, {"", "", "T1", ""},
                                          {"oneweb", "", "", ""},        {"", "government", "", ""}};
  for (double lat = -80; lat <= 80; lat += 5.0) {
    for (double lon = -180; lon < 180; lon += 5.0) {
      pts.push_back(frames::Geodetic::degrees(lat, lon));
      ctx.push_back(kinds[pts.size() % kinds.size()]);
    }
  }
  const PointPolicy pp = PointPolicy::per_point(p, pts, ctx);
  std::vector<std::uint8_t> out(pts.size());
  std::size_t permitted = 0;
  for (const char* when : {"2025-06-01T12:00:00Z", "2026-03-01T23:30:00Z", "2026-03-02T03:00:00Z"}) {
    const time::Instant t = time::parse_iso8601(when);
    pp.permitted(t, out);
    for (std::size_t i = 0; i < pts.size(); ++i) {
      ASSERT_EQ(out[i] == 1, p.permits(Request{ctx[i], pts[i], t})) << i << " " << when;
      permitted += out[i];
    }
  }
  EXPECT_GT(permitted, 0U);
  EXPECT_LT(permitted, 3 * pts.size());
  EXPECT_THROW((void)PointPolicy::per_point(p, pts, std::span<const RequestContext>(ctx).first(3)),
               std::invalid_argument);
}

TEST(PolicyTest, SameDecisionsFromManyThreads) {
  const Policy& p = test_policy();
  std::vector<Request> reqs;
  for (int i = 0; i < 4000; ++i) {
    reqs.push_back(at(-80.0 + 0.04 * i, -180.0 + 0.09 * i, "2026-03-01T23:00:00Z",
                      {"", i % 2 ? "military" : "civil", "", "trial"}));
  }
  std::vector<std::uint8_t> serial(reqs.size());
  for (std::size_t i = 0; i < reqs.size(); ++i) serial[i] = p.permits(reqs[i]) ? 1 : 0;
  std::vector<std::vector<std::uint8_t>> results(4, std::vector<std::uint8_t>(reqs.size()));
  std::vector<std::thread> threads;
  for (std::size_t t = 0; t < results.size(); ++t) {
    threads.emplace_back([&, t] {
      for (std::size_t i = 0; i < reqs.size(); ++i) results[t][i] = p.decide(reqs[i]).permit ? 1 : 0;
    });
  }
  for (auto& th : threads) th.join();
  for (const auto& r : results) EXPECT_EQ(r, serial);
}

}  // namespace
}  // namespace skyfence::policy
