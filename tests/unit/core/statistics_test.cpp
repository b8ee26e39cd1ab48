#include "skyfence/core/statistics.h"

#include <gtest/gtest.h>

#include <cstddef>
#include <stdexcept>
#include <vector>

namespace skyfence {
namespace {

std::vector<double> one_to(int n) {
  std::vector<double> v;
  for (int i = 1; i <= n; ++i) v.push_back(i);
  return v;
}

TEST(Statistics, MedianOfAnEvenCountIsTheMeanOfTheMiddleTwo) {
  EXPECT_EQ(median_of_sorted(std::vector<double>{7.0}), 7.0);
  EXPECT_EQ(median_of_sorted(std::vector<double>{10, 20, 30, 40, 50}), 30.0);
  EXPECT_EQ(median_of_sorted(std::vector<double>{1.0, 2.0}), 1.5);
  EXPECT_EQ(median_of_sorted(one_to(100)), 50.5);
  EXPECT_EQ(median_of_sorted(std::vector<double>{-3.0, 0.25, 0.5, 9.0}), 0.375);
  EXPECT_THROW((void)median_of_sorted({}), std::invalid_argument);
}

// Against the definition, by counting: the smallest sample with at least percent % of the samples
// at or below it (count * 100 >= percent * n).
TEST(Statistics, NearestRankIsTheDefinition) {
  for (int n = 1; n <= 400; ++n) {
    const std::vector<double> v = one_to(n);
    for (unsigned percent = 0; percent <= 100; ++percent) {
      double want = v.front();
      for (std::size_t count = 1; count <= v.size(); ++count) {
        if (count * 100 >= percent * v.size()) {
          want = v[count - 1];
          break;
        }
      }
      ASSERT_EQ(nearest_rank_of_sorted(v, percent), want) << "n " << n << ", percent " << percent;
    }
  }
  EXPECT_EQ(nearest_rank_of_sorted(one_to(20), 95), 19.0);
  EXPECT_EQ(nearest_rank_of_sorted(one_to(100), 50), 50.0);
  EXPECT_THROW((void)nearest_rank_of_sorted({}, 50), std::invalid_argument);
  EXPECT_THROW((void)nearest_rank_of_sorted(one_to(3), 101), std::invalid_argument);
}

}  // namespace
}  // namespace skyfence
