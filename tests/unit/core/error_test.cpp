#include "skyfence/core/error.h"

#include <gtest/gtest.h>

namespace skyfence {
namespace {

TEST(SourceLocation, PrefixNamesFileLineAndField) {
  EXPECT_EQ((SourceLocation{"data/starlink.tle", 1043, "line 2 checksum"}.prefix()),
            "data/starlink.tle:1043: line 2 checksum: ");
  EXPECT_EQ((SourceLocation{"--start", 0, {}}.prefix()), "--start: ");
  EXPECT_EQ((SourceLocation{{}, 7, "EPOCH"}.prefix()), "line 7: EPOCH: ");
  EXPECT_EQ(SourceLocation{}.prefix(), "");
}

TEST(InputError, MessageIsPrefixPlusDetail) {
  const InputError e({"f.tle", 3, "inclination"}, "expected 0..180 degrees, got \"abc\"");
  EXPECT_STREQ(e.what(), "f.tle:3: inclination: expected 0..180 degrees, got \"abc\"");
  EXPECT_EQ(e.detail(), "expected 0..180 degrees, got \"abc\"");
  EXPECT_EQ(e.where().line, 3);
}

}  // namespace
}  // namespace skyfence
