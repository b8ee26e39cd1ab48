#include "skyfence/core/csv.h"

#include <gtest/gtest.h>

namespace skyfence {
namespace {

TEST(Csv, FieldQuotedOnlyWhenNeeded) {
  EXPECT_EQ(csv_field(""), "");
  EXPECT_EQ(csv_field("Manila"), "Manila");
  EXPECT_EQ(csv_field("Moskva-(Moscow) 'x'"), "Moskva-(Moscow) 'x'");
  EXPECT_EQ(csv_field("a,b"), "\"a,b\"");
  EXPECT_EQ(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(csv_field("two\nlines"), "\"two\nlines\"");
  EXPECT_EQ(csv_field("cr\r"), "\"cr\r\"");
}

}  // namespace
}  // namespace skyfence
