// read_file: the whole file, or an InputError located at the file naming its role.
#include "skyfence/core/read_file.h"

#include <gtest/gtest.h>

#include <fstream>
#include <string>

#include "skyfence/core/error.h"

namespace skyfence {
namespace {

TEST(ReadFile, ReadsEveryByte) {
  const std::string path = ::testing::TempDir() + "/read_file_test.bin";
  const std::string bytes("a\0b\r\nc\xff", 7);
  {
    std::ofstream out(path, std::ios::binary);
    out << bytes;
  }
  EXPECT_EQ(read_file(path), bytes);
}

TEST(ReadFile, MissingFileIsALocatedInputError) {
  const std::string path = ::testing::TempDir() + "/no-such-dir/none.toml";
  try {
    read_file(path, "policy file");
    FAIL();
  } catch (const InputError& e) {
    EXPECT_EQ(e.where().file, path);
    EXPECT_EQ(std::string(e.what()), path + ": cannot read the policy file");
  }
}

TEST(ReadFile, DirectoryIsALocatedInputError) {
  // An ifstream opens a directory on Linux and reads nothing: that must not pass for an empty file.
  const std::string path = ::testing::TempDir();
  try {
    read_file(path, "audit log");
    FAIL();
  } catch (const InputError& e) {
    EXPECT_EQ(e.where().file, path);
    EXPECT_EQ(std::string(e.what()), path + ": cannot read the audit log: it is a directory");
  }
}

}  // namespace
}  // namespace skyfence
