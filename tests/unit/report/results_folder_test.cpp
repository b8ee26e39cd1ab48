// The results folder: never replaces what skyfence did not create (issue: `run -o mydocs` deleted a
// user's folder), accepts a trailing separator, and cleans the staging folders of killed runs.
#include "skyfence/report/results_folder.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "skyfence/core/error.h"
#include "skyfence/report/store.h"
#include "synthetic.h"

namespace skyfence::report {
namespace {

namespace fs = std::filesystem;

void touch(const fs::path& p, const std::string& text = "user data\n") {
  std::ofstream(p) << text;
}

// A complete run into `dir` through the staging folder.
void make_results(const fs::path& dir) {
  StagedResultsFolder f(dir, "--output", nullptr);
  write_sqlite(testing::synthetic(), (f.staging() / "results.sqlite").string());
  touch(f.staging() / "report.html", "<html></html>\n");
  f.commit(Manifest{"skyfence test", "2026-04-27T00:00:00Z", "t"});
}

std::vector<std::string> warnings_of(const fs::path& dir) {
  std::vector<std::string> w;
  StagedResultsFolder f(dir, "--output", [&](const std::string& m) { w.push_back(m); });
  return w;
}

TEST(ResultsFolder, RunOutputDeletedAUsersFolder_NowRefusedAndKept) {
  const fs::path base = testing::scratch_dir("refuse");
  const fs::path mydocs = base / "mydocs";
  fs::create_directories(mydocs);
  touch(mydocs / "thesis.txt");
  try {
    StagedResultsFolder f(mydocs, "--output", nullptr);
    FAIL() << "a user's folder was accepted as the results folder";
  } catch (const InputError& e) {
    EXPECT_EQ(e.where().file, "--output");
    EXPECT_NE(std::string(e.what()).find("not a skyfence results folder"), std::string::npos) << e.what();
  }
  EXPECT_EQ(skyfence_test::slurp(mydocs / "thesis.txt"), "user data\n");
  // Nothing staged beside it.
  for (const auto& e : fs::directory_iterator(base)) EXPECT_EQ(e.path(), mydocs);
}

TEST(ResultsFolder, AnEmptyFolderAFileAndAManifestWithoutTheStoreAreRefused) {
  const fs::path base = testing::scratch_dir("others");
  fs::create_directories(base / "empty");
  EXPECT_THROW(StagedResultsFolder(base / "empty", "-o", nullptr), InputError);
  touch(base / "afile");
  EXPECT_THROW(StagedResultsFolder(base / "afile", "-o", nullptr), InputError);
  EXPECT_EQ(skyfence_test::slurp(base / "afile"), "user data\n");
  // A manifest alone (copied by hand, say) is not enough: the store must carry the application id.
  fs::create_directories(base / "fake");
  touch(base / "fake" / kManifestName, R"({"format": "skyfence-results"})");
  touch(base / "fake" / "results.sqlite", "not a database");
  EXPECT_FALSE(is_results_folder(base / "fake"));
  EXPECT_THROW(StagedResultsFolder(base / "fake", "-o", nullptr), InputError);
}

TEST(ResultsFolder, APreviousResultsFolderIsReplacedWhole) {
  const fs::path dir = testing::scratch_dir("replace") / "res";
  make_results(dir);
  ASSERT_TRUE(is_results_folder(dir));
  touch(dir / "stale-extra.txt");  // skyfence's folder: replaced whole, extra files and all
  make_results(dir);
  EXPECT_TRUE(is_results_folder(dir));
  EXPECT_FALSE(fs::exists(dir / "stale-extra.txt"));
  EXPECT_NE(skyfence_test::slurp(dir / kManifestName).find("\"state\": \"complete\""), std::string::npos);
  for (const auto& e : fs::directory_iterator(dir.parent_path())) EXPECT_EQ(e.path(), dir);
}

TEST(ResultsFolder, RunOutputWithATrailingSlashFailedAfterTheRun_NowTheSameFolder) {
  const fs::path base = testing::scratch_dir("slash");
  EXPECT_EQ(normalize_folder((base / "res").string() + "/", "-o"), base / "res");
  EXPECT_EQ(normalize_folder((base / "res").string() + "//", "-o"), base / "res");
  EXPECT_EQ(normalize_folder("res/./", "-o"), fs::path("res"));
  EXPECT_EQ(normalize_folder("/", "-o"), fs::path("/"));
  EXPECT_THROW((void)normalize_folder("", "-o"), InputError);
  make_results(normalize_folder((base / "res").string() + "/", "-o"));
  EXPECT_TRUE(is_results_folder(base / "res"));
}

TEST(ResultsFolder, WithoutCommitNothingIsLeft) {
  const fs::path base = testing::scratch_dir("abandon");
  {
    StagedResultsFolder f(base / "res", "-o", nullptr);
    EXPECT_TRUE(fs::is_directory(f.staging()));
  }
  EXPECT_TRUE(fs::is_empty(base));
}

TEST(ResultsFolder, StaleStagingOfADeadProcessIsRemovedAnUnknownOneReported) {
  const fs::path base = testing::scratch_dir("stale");
  // PIDs above the kernel's pid_max (4194304 at most) belong to no process.
  const fs::path ours = base / "res.tmp-99999999";
  const fs::path old = base / "res.old-99999998";
  const fs::path foreign = base / "res.tmp-99999997";
  const fs::path alive = base / ("res.tmp-" + std::to_string(::getppid()));
  for (const auto& d : {ours, old, foreign, alive}) fs::create_directories(d);
  touch(ours / kManifestName, R"({"format": "skyfence-results", "state": "staging"})");
  make_results(base / "prev");
  fs::rename(base / "prev", old);
  touch(foreign / "notes.txt");
  touch(alive / kManifestName, R"({"format": "skyfence-results", "state": "staging"})");

  const std::vector<std::string> w = warnings_of(base / "res");
  EXPECT_FALSE(fs::exists(ours));
  EXPECT_FALSE(fs::exists(old));
  EXPECT_TRUE(fs::exists(foreign / "notes.txt"));
  EXPECT_TRUE(fs::exists(alive));  // a running process's staging folder is never touched
  ASSERT_EQ(w.size(), 1U);
  EXPECT_NE(w[0].find("res.tmp-99999997"), std::string::npos) << w[0];
}

}  // namespace
}  // namespace skyfence::report
