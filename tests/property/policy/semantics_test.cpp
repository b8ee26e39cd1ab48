// Properties of the decision rule on random policies and requests (seed printed): forbid beats
// permit whatever the order; no match means deny; adding a permit never turns a permit into a
// deny; adding a forbid never turns a deny into a permit; decide() and permits() agree.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include "../../test_seed.h"
#include "skyfence/earth/region.h"
#include "skyfence/policy/policy.h"
#include "skyfence/time/scales.h"

namespace skyfence::policy {
namespace {

// Random rule bodies (everything but the id), over boxes, countries, classes and windows.
std::string random_conditions(std::mt19937& rng) {
  auto pick = [&](int n) { return static_cast<int>(rng() % static_cast<unsigned>(n)); };
  std::string s;
  switch (pick(5)) {
    case 0:
      break;
    case 1: {
      const int lon = pick(36) * 10 - 180, lat = pick(16) * 10 - 80;
      s += "polygon = [[[" + std::to_string(lon) + ".0, " + std::to_string(lat) + ".0], [" +
           std::to_string(lon + 40) + ".0, " + std::to_string(lat) + ".0], [" + std::to_string(lon + 40) +
           ".0, " + std::to_string(lat + 20) + ".0], [" + std::to_string(lon) + ".0, " +
           std::to_string(lat + 20) + ".0], [" + std::to_string(lon) + ".0, " + std::to_string(lat) +
           ".0]]]\n";
      break;
    }
    default: {
      static const char* kCountries[] = {"RUS", "UKR", "USA", "FRA", "BRA",
                                         "CHN", "FJI", "ATA", "CAN", "AUS"};
      s += std::string("region = \"") + kCountries[pick(10)] + "\"\n";
      break;
    }
  }
  if (!s.empty() && pick(3) == 0) s += "where = \"outside\"\n";
  if (pick(3) == 0) s += std::string("customers = [\"") + (pick(2) ? "military" : "civil") + "\"]\n";
  if (pick(4) == 0) s += std::string("groups = [\"g") + std::to_string(pick(3)) + "\"]\n";
  if (pick(4) == 0) s += "from = \"2026-0" + std::to_string(1 + pick(6)) + "-01T00:00:00Z\"\n";
  if (pick(4) == 0)
    s += "hours_utc = \"" + std::to_string(10 + pick(10)) + ":00-0" + std::to_string(pick(9)) + ":30\"\n";
  return s;
}

struct Body {
  std::string effect, conditions;
};

std::string render(const std::vector<Body>& rules) {
  std::string s = "provider = \"starlink\"\n";
  for (std::size_t k = 0; k < rules.size(); ++k) {
    s += "[[rule]]\nid = \"r" + std::to_string(k) + "\"\neffect = \"" + rules[k].effect + "\"\n" +
         rules[k].conditions;
  }
  return s;
}

Policy load(const std::vector<Body>& rules) {
  // The borders are read once for the many policies of these tests (as the scenario runner does).
  static const earth::CountryBorders borders = earth::CountryBorders::read_bundled(SKYFENCE_DATA_DIR);
  return Policy::parse(render(rules), "random.toml", LoadOptions{{}, borders});
}

std::vector<Request> random_requests(std::mt19937& rng, int n) {
  std::uniform_real_distribution<double> u(-1.0, 1.0), lon(-180.0, 180.0);
  std::vector<Request> out;
  const char* customers[] = {"", "civil", "military"};
  const char* groups[] = {"", "g0", "g1", "g2"};
  for (int i = 0; i < n; ++i) {
    Request r;
    r.context = {"starlink", customers[rng() % 3], "T" + std::to_string(i), groups[rng() % 4]};
    r.location = frames::Geodetic::degrees(std::asin(u(rng)) * 180.0 / 3.141592653589793, lon(rng));
    r.time = time::parse_iso8601("2026-01-01T00:00:00Z") +
             time::Duration::hours(static_cast<double>(rng() % 6000));
    out.push_back(r);
  }
  return out;
}

TEST(SemanticsTest, DecisionRuleOrderAndMonotonicity) {
  const std::uint64_t seed = skyfence_test::test_seed("policy semantics", 20260427);
  std::mt19937 rng(static_cast<std::mt19937::result_type>(seed));
  for (int trial = 0; trial < 12; ++trial) {
    std::vector<Body> rules;
    const int n = 1 + static_cast<int>(rng() % 6);
    for (int k = 0; k < n; ++k)
      rules.push_back({rng() % 3 == 0 ? "forbid" : "permit", random_conditions(rng)});
    const Policy p = load(rules);
    std::vector<Body> reversed(rules.rbegin(), rules.rend());
    const Policy q = load(reversed);
    std::vector<Body> more_permit = rules, more_forbid = rules;
    more_permit.push_back({"permit", random_conditions(rng)});
    more_forbid.push_back({"forbid", random_conditions(rng)});
    const Policy pp = load(more_permit), pf = load(more_forbid);
    for (const Request& r : random_requests(rng, 400)) {
      const Decision d = p.decide(r);
      SCOPED_TRACE(render(rules) + " at " + std::to_string(r.location.lat_rad) + "," +
                   std::to_string(r.location.lon_rad));
      // The rule itself: permit iff some permit and no forbid matched; nothing matched means deny.
      bool any_permit = false, any_forbid = false;
      for (const std::string& id : d.matched) {
        const auto k = static_cast<std::size_t>(std::stoul(id.substr(1)));
        (rules[k].effect == "permit" ? any_permit : any_forbid) = true;
      }
      ASSERT_EQ(d.permit, any_permit && !any_forbid);
      if (d.matched.empty()) {
        ASSERT_FALSE(d.permit);
      }
      ASSERT_EQ(p.permits(r), d.permit);
      // Order does not matter (ids are renumbered in the reversed file).
      const Decision dq = q.decide(r);
      ASSERT_EQ(dq.permit, d.permit);
      ASSERT_EQ(dq.matched.size(), d.matched.size());
      // Monotonicity.
      if (d.permit) {
        ASSERT_TRUE(pp.permits(r));
      } else {
        ASSERT_FALSE(pf.permits(r));
      }
    }
  }
}

TEST(SemanticsTest, ForbidBeatsPermitInEitherOrder) {
  const LoadOptions o{SKYFENCE_DATA_DIR};
  const char* a = "[[rule]]\nid = \"p\"\neffect = \"permit\"\n";
  const char* b = "[[rule]]\nid = \"f\"\neffect = \"forbid\"\nregion = \"FRA\"\n";
  const Request paris{
      {}, frames::Geodetic::degrees(48.85, 2.35), time::parse_iso8601("2026-01-01T00:00:00Z")};
  for (const std::string& text :
       {std::string("provider = \"x\"\n") + a + b, std::string("provider = \"x\"\n") + b + a}) {
    const Decision d = Policy::parse(text, "t.toml", o).decide(paris);
    EXPECT_FALSE(d.permit);
    EXPECT_EQ(d.matched.size(), 2u);
  }
}

}  // namespace
}  // namespace skyfence::policy
