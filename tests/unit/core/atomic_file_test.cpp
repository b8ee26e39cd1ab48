#include "skyfence/core/atomic_file.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace skyfence {
namespace {

namespace fs = std::filesystem;

fs::path scratch(const char* name) {
  const fs::path dir = fs::temp_directory_path() / ("skyfence-atomic-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  return dir / name;
}

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

TEST(AtomicFile, CommitReplacesTargetWhole) {
  const fs::path p = scratch("out.csv");
  { std::ofstream(p) << "old"; }
  AtomicFile f(p.string());
  f.write("new contents\n");
  EXPECT_EQ(slurp(p), "old");  // target untouched until commit
  EXPECT_TRUE(fs::exists(f.temp_path()));
  f.commit();
  EXPECT_EQ(slurp(p), "new contents\n");
}

TEST(AtomicFile, AbandonedWriteLeavesNoTraceAndKeepsOldFile) {
  const fs::path p = scratch("keep.csv");
  { std::ofstream(p) << "previous"; }
  std::string temp;
  {
    AtomicFile f(p.string());
    f.write("half");
    temp = f.temp_path();
  }  // destroyed without commit, as when an error or Ctrl-C unwinds
  EXPECT_FALSE(fs::exists(temp));
  EXPECT_EQ(slurp(p), "previous");
}

TEST(AtomicFile, UnwritableDirectoryIsAnErrorNamingThePath) {
  try {
    AtomicFile f("/nonexistent-dir/x.csv");
    FAIL();
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("/nonexistent-dir/x.csv"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace skyfence
