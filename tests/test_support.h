// Helpers shared by the test suites. A layer's test files compile together (unity builds,
// SKYFENCE_UNITY_BUILD), so a helper two files need lives here (or in the layer's own header beside its
// tests) rather than in each file's anonymous namespace, where a second copy would not compile.
#pragma once

#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <numbers>
#include <sstream>
#include <string>

#include "skyfence/core/error.h"

namespace skyfence_test {

// The repository's data folder and the tests' own (tests/data), as the test targets define them.
inline const std::string kDataDir = SKYFENCE_DATA_DIR;
inline const std::string kTestDataDir = SKYFENCE_TEST_DATA_DIR;

// a - b in radians, reduced to [-pi, pi].
inline double angle_diff(double a, double b) {
  return std::remainder(a - b, 2.0 * std::numbers::pi);
}

// An empty folder <temp>/<prefix>-<pid>/<name>, emptied first if an earlier run left it.
inline std::filesystem::path scratch_dir(const std::string& prefix, const std::string& name) {
  const std::filesystem::path d =
      std::filesystem::temp_directory_path() / (prefix + "-" + std::to_string(::getpid())) / name;
  std::filesystem::remove_all(d);
  std::filesystem::create_directories(d);
  return d;
}

// A file's bytes.
inline std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// The message of the skyfence::InputError that f() throws, or "(no InputError)".
template <class F>
std::string input_error_of(F&& f) {
  try {
    f();
  } catch (const skyfence::InputError& e) {
    return e.what();
  }
  return "(no InputError)";
}

}  // namespace skyfence_test
