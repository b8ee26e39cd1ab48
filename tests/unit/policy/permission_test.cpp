// ProviderPermissions, the one adapter from PointPolicy to a coverage engine's permission hook: ranges
// of points per provider, unrestricted providers untouched, time-invariant policies precomputed, and
// the same values as PointPolicy itself.
#include "skyfence/policy/permission.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include "skyfence/time/scales.h"

namespace skyfence::policy {
namespace {

Policy box_policy(const char* extra_rule) {
  return Policy::parse(std::string(R"(provider = "x"
[[rule]]
id = "box"
effect = "permit"
polygon = [[[0.0, 0.0], [10.0, 0.0], [10.0, 10.0], [0.0, 10.0], [0.0, 0.0]]]
)") + extra_rule,
                       "inline", LoadOptions{SKYFENCE_DATA_DIR});
}

TEST(ProviderPermissions, RangesPerProviderAsPointPolicy) {
  const Policy fixed = box_policy("");
  const Policy nightly = box_policy(R"(
[[rule]]
id = "night"
effect = "forbid"
hours_utc = "00:00-06:00"
)");
  // Points: inside the box, outside, inside.
  const std::vector<frames::Geodetic> pts = {frames::Geodetic::degrees(5.0, 5.0),
                                             frames::Geodetic::degrees(20.0, 20.0),
                                             frames::Geodetic::degrees(1.0, 1.0)};
  ProviderPermissions perms(3);  // provider 2 stays unrestricted
  EXPECT_TRUE(perms.empty());
  perms.add(0, 0, PointPolicy(fixed, std::span(pts).subspan(0, 2), {}));
  perms.add(0, 2, PointPolicy(nightly, std::span(pts).subspan(2, 1), {}));
  perms.add(1, 0, PointPolicy(nightly, pts, {}));
  EXPECT_FALSE(perms.empty());
  EXPECT_TRUE(perms.time_invariant(0, 1));
  EXPECT_FALSE(perms.time_invariant(0, 2));
  EXPECT_TRUE(perms.time_invariant(2, 0));

  const time::Instant night = time::parse_iso8601("2026-01-01T03:00:00Z");
  const time::Instant day = time::parse_iso8601("2026-01-01T12:00:00Z");
  const PermissionHook hook = perms.hook();
  const auto run = [&](std::size_t provider, time::Instant at) {
    std::vector<std::uint8_t> out(pts.size(), 1);
    hook(provider, at, out);
    return out;
  };
  EXPECT_EQ(run(0, night), (std::vector<std::uint8_t>{1, 0, 0}));
  EXPECT_EQ(run(0, day), (std::vector<std::uint8_t>{1, 0, 1}));
  EXPECT_EQ(run(1, night), (std::vector<std::uint8_t>{0, 0, 0}));
  EXPECT_EQ(run(1, day), (std::vector<std::uint8_t>{1, 0, 1}));
  EXPECT_EQ(run(2, night), (std::vector<std::uint8_t>{1, 1, 1}));  // unrestricted: untouched
  // The same values as the PointPolicy asked directly.
  std::vector<std::uint8_t> direct(pts.size(), 1);
  PointPolicy(nightly, pts, {}).permitted(day, direct);
  EXPECT_EQ(run(1, day), direct);
}

}  // namespace
}  // namespace skyfence::policy
