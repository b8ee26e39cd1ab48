// The seed of a randomized test: a fixed default so that a run is reproducible, printed with the test
// (stdout and the test's XML properties) and replaced by the environment variable SKYFENCE_TEST_SEED
// (a decimal unsigned 64-bit integer) so that a failure seen with any seed can be replayed:
//   SKYFENCE_TEST_SEED=1234 ctest -R dijkstra --output-on-failure
// Tests that draw several streams derive them from the one seed (seed + 1, ...), so one value replays all.
#pragma once

#include <gtest/gtest.h>

#include <cctype>
#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <iostream>
#include <string>
#include <string_view>

namespace skyfence_test {

// True in the sanitizer build (make test-asan). The heaviest randomized cases then check the same
// properties on less work (fewer rounds, fewer satellites): that build is there to run every code path
// under ASan+UBSan, and the Release build runs the full cases (docs/testing.md).
#if defined(__SANITIZE_ADDRESS__)
inline constexpr bool kSanitized = true;
#else
inline constexpr bool kSanitized = false;
#endif

// The seed for `what` (a short name, printed): SKYFENCE_TEST_SEED when set, else `default_seed`.
// An unparsable SKYFENCE_TEST_SEED fails the calling test and falls back to the default.
inline std::uint64_t test_seed(std::string_view what, std::uint64_t default_seed = 20260427) {
  std::uint64_t seed = default_seed;
  if (const char* env = std::getenv("SKYFENCE_TEST_SEED"); env != nullptr && *env != '\0') {
    char* end = nullptr;
    errno = 0;
    const unsigned long long v = std::strtoull(env, &end, 10);
    if (errno != 0 || *end != '\0' || *env == '-') {
      ADD_FAILURE() << "SKYFENCE_TEST_SEED=\"" << env << "\" is not an unsigned 64-bit decimal integer";
    } else {
      seed = v;
    }
  }
  std::cout << what << " seed: " << seed << " (replay with SKYFENCE_TEST_SEED=" << seed << ")\n";
  if (::testing::UnitTest::GetInstance()->current_test_info() != nullptr) {
    std::string key = "seed_";
    for (const char c : what) key += (std::isalnum(static_cast<unsigned char>(c)) != 0) ? c : '_';
    ::testing::Test::RecordProperty(key, std::to_string(seed));
  }
  return seed;
}

}  // namespace skyfence_test
