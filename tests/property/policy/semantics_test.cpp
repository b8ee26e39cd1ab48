// Properties of the decision rule on random policies and requests (seed printed): forbid beats
// permit whatever the order; no match means deny; adding a permit never turns a permit into a
// deny; adding a forbid never turns a deny into a permit; decide() and permits() agree; and the matched
// rules and decisions equal an independent oracle of the documented conditions.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <numbers>
#include <optional>
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

// An oracle for the non-spatial conditions, written from docs/policy.md ("Semantics"), not from the
// engine: random rules over providers, customer classes (any ASCII case), terminal ids and groups (one of
// them suffices), [from, until) and daily UTC hours (wrapping past midnight, 24:00 as the end), each
// optionally with a lon/lat box (inside or outside) whose membership is plain arithmetic because requests
// keep 0.5 deg from every box edge. Times fall on a 30-minute grid so that they often hit the boundaries
// of the windows, which are on the same grid. The expected matched list and decision come from the
// oracle alone.
struct OracleRule {
  std::string id;
  bool permit = true;
  std::vector<std::string> providers;  // empty: the policy's ("starlink")
  std::vector<std::string> customers, terminals, groups;
  bool has_box = false, outside = false;
  int lon0 = 0, lat0 = 0;  // box [lon0, lon0 + 40] x [lat0, lat0 + 20], degrees
  std::optional<time::Instant> from, until;
  std::optional<std::pair<int, int>> hours;  // [start, end) in minutes of the UTC day; end may be 1440
};

std::string lower_ascii(std::string s) {
  for (char& c : s) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return s;
}

bool contains(const std::vector<std::string>& list, const std::string& x) {
  return std::find(list.begin(), list.end(), x) != list.end();
}

bool oracle_matches(const OracleRule& rule, const Request& r) {
  const std::string provider = r.context.provider.empty() ? "starlink" : lower_ascii(r.context.provider);
  if (!contains(rule.providers.empty() ? std::vector<std::string>{"starlink"} : rule.providers, provider))
    return false;
  if (!rule.customers.empty()) {
    bool any = false;
    for (const std::string& c : rule.customers)
      any = any || (!r.context.customer.empty() && lower_ascii(c) == lower_ascii(r.context.customer));
    if (!any) return false;
  }
  if (!rule.terminals.empty() || !rule.groups.empty()) {
    const bool by_id = !r.context.terminal_id.empty() && contains(rule.terminals, r.context.terminal_id);
    const bool by_group = !r.context.group.empty() && contains(rule.groups, r.context.group);
    if (!by_id && !by_group) return false;
  }
  if (rule.has_box) {
    const double lat = r.location.lat_rad * 180.0 / std::numbers::pi;
    const double lon = r.location.lon_rad * 180.0 / std::numbers::pi;
    const bool inside = lon > rule.lon0 && lon < rule.lon0 + 40 && lat > rule.lat0 && lat < rule.lat0 + 20;
    if (inside == rule.outside) return false;
  }
  if (rule.from && r.time < *rule.from) return false;
  if (rule.until && !(r.time < *rule.until)) return false;
  if (rule.hours) {
    const std::int64_t day_ns = 86'400'000'000'000;
    const std::int64_t since = (r.time - time::parse_iso8601("2026-01-01T00:00:00Z")).count_ns();
    const double minute = static_cast<double>(((since % day_ns) + day_ns) % day_ns) / 60e9;
    const auto [a, b] = *rule.hours;
    const bool in = a < b ? (minute >= a && minute < b) : (minute >= a || minute < b);
    if (!in) return false;
  }
  return true;
}

std::string toml_list(const std::vector<std::string>& xs) {
  std::string s = "[";
  for (std::size_t i = 0; i < xs.size(); ++i) s += (i ? ", \"" : "\"") + xs[i] + "\"";
  return s + "]";
}

std::string hhmm(int minutes) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%02d:%02d", minutes / 60, minutes % 60);
  return buf;
}

std::string render_oracle(const std::vector<OracleRule>& rules) {
  std::string s = "provider = \"starlink\"\n";
  for (const OracleRule& r : rules) {
    s += "[[rule]]\nid = \"" + r.id + "\"\neffect = \"" + (r.permit ? "permit" : "forbid") + "\"\n";
    if (!r.providers.empty()) s += "providers = " + toml_list(r.providers) + "\n";
    if (!r.customers.empty()) s += "customers = " + toml_list(r.customers) + "\n";
    if (!r.terminals.empty()) s += "terminals = " + toml_list(r.terminals) + "\n";
    if (!r.groups.empty()) s += "groups = " + toml_list(r.groups) + "\n";
    if (r.has_box) {
      const std::string w = std::to_string(r.lon0), e = std::to_string(r.lon0 + 40);
      const std::string so = std::to_string(r.lat0), n = std::to_string(r.lat0 + 20);
      s += "polygon = [[[" + w + ", " + so + "], [" + e + ", " + so + "], [" + e + ", " + n + "], [" + w +
           ", " + n + "], [" + w + ", " + so + "]]]\n";
      if (r.outside) s += "where = \"outside\"\n";
    }
    if (r.from) s += "from = \"" + time::format_iso8601(*r.from) + "\"\n";
    if (r.until) s += "until = \"" + time::format_iso8601(*r.until) + "\"\n";
    if (r.hours) s += "hours_utc = \"" + hhmm(r.hours->first) + "-" + hhmm(r.hours->second) + "\"\n";
  }
  return s;
}

OracleRule random_oracle_rule(std::mt19937& rng, int k) {
  auto pick = [&](int n) { return static_cast<int>(rng() % static_cast<unsigned>(n)); };
  const time::Instant t0 = time::parse_iso8601("2026-01-01T00:00:00Z");
  OracleRule r;
  r.id = "r" + std::to_string(k);
  r.permit = pick(3) != 0;
  if (pick(5) == 0)
    r.providers =
        pick(2) ? std::vector<std::string>{"oneweb"} : std::vector<std::string>{"starlink", "oneweb"};
  static const char* kCustomers[] = {"civil", "Civil", "MILITARY", "government"};
  for (int n = pick(4) == 0 ? 1 + pick(2) : 0; n > 0; --n) r.customers.push_back(kCustomers[pick(4)]);
  if (pick(3) == 0) {
    for (int n = 1 + pick(2); n > 0; --n) r.terminals.push_back("T" + std::to_string(pick(4)));
  }
  if (pick(3) == 0) {
    for (int n = 1 + pick(2); n > 0; --n) r.groups.push_back("g" + std::to_string(pick(3)));
  }
  if (pick(3) == 0) {
    r.has_box = true;
    r.outside = pick(3) == 0;
    r.lon0 = pick(33) * 10 - 180;  // up to 140: east edge at most 180
    r.lat0 = pick(15) * 10 - 80;   // up to 60: north edge at most 80
  }
  if (pick(3) == 0) r.from = t0 + time::Duration::hours(24.0 * pick(20));
  if (pick(3) == 0) r.until = (r.from ? *r.from : t0) + time::Duration::hours(24.0 * (1 + pick(20)));
  if (pick(3) == 0) {
    const int a = 30 * pick(48);
    int b = 30 * (1 + pick(48));  // up to 24:00
    if (b == a) b = (a + 30) % 1440 == 0 ? 1440 : (a + 30) % 1440;
    if (a == 0 && b == 1440) b = 1410;  // the full day is rejected: leave hours_utc out instead
    r.hours = {a, b};
  }
  return r;
}

std::vector<Request> oracle_requests(std::mt19937& rng, int n) {
  auto pick = [&](int m) { return static_cast<int>(rng() % static_cast<unsigned>(m)); };
  std::uniform_real_distribution<double> off(0.5, 9.5);
  static const char* kProviders[] = {"", "starlink", "oneweb"};
  static const char* kCustomers[] = {"", "civil", "military", "Government", "CIVIL"};
  static const char* kTerminals[] = {"", "T0", "T1", "T2", "T3"};
  static const char* kGroups[] = {"", "g0", "g1", "g2"};
  std::vector<Request> out;
  for (int i = 0; i < n; ++i) {
    Request r;
    r.context = {kProviders[pick(3)], kCustomers[pick(5)], kTerminals[pick(5)], kGroups[pick(4)]};
    // 0.5 deg or more from every multiple of 10 deg (the box edges), within +-85 deg of latitude.
    const double lat = std::clamp(10.0 * (pick(18) - 9) + off(rng), -85.0, 85.0);
    r.location = frames::Geodetic::degrees(lat, 10.0 * (pick(36) - 18) + off(rng));
    r.time = time::parse_iso8601("2026-01-01T00:00:00Z") + time::Duration::seconds(1800.0 * pick(48 * 45));
    out.push_back(r);
  }
  return out;
}

TEST(SemanticsTest, MatchesAnIndependentOracle) {
  const std::uint64_t seed = skyfence_test::test_seed("policy oracle", 20261202);
  std::mt19937 rng(static_cast<std::mt19937::result_type>(seed));
  std::size_t permits = 0, denies = 0, matches = 0, checked = 0;
  for (int trial = 0; trial < 200; ++trial) {
    std::vector<OracleRule> rules;
    for (int k = 0, n = 1 + static_cast<int>(rng() % 5); k < n; ++k)
      rules.push_back(random_oracle_rule(rng, k));
    const std::string text = render_oracle(rules);
    const Policy p = Policy::parse(text, "oracle.toml", LoadOptions{});
    for (const Request& r : oracle_requests(rng, 200)) {
      std::vector<std::string> expected;
      bool any_permit = false, any_forbid = false;
      for (const OracleRule& rule : rules) {
        if (!oracle_matches(rule, r)) continue;
        expected.push_back(rule.id);
        (rule.permit ? any_permit : any_forbid) = true;
      }
      const Decision d = p.decide(r);
      const auto what = [&] {
        return text + "request: provider \"" + r.context.provider + "\" customer \"" + r.context.customer +
               "\" terminal \"" + r.context.terminal_id + "\" group \"" + r.context.group + "\" at " +
               std::to_string(r.location.lat_rad * 180.0 / std::numbers::pi) + "," +
               std::to_string(r.location.lon_rad * 180.0 / std::numbers::pi) + " " +
               time::format_iso8601(r.time);
      };
      ASSERT_EQ(d.matched, expected) << what();
      ASSERT_EQ(d.permit, any_permit && !any_forbid) << what();
      ++checked;
      matches += expected.size();
      (d.permit ? permits : denies) += 1;
    }
  }
  // The random policies exercise both outcomes and many matches.
  EXPECT_GT(permits, checked / 20);
  EXPECT_GT(denies, checked / 20);
  EXPECT_GT(matches, checked / 4);
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
