// The results folder of a run, created whole or not at all, and never in place of anything skyfence did
// not create.
//
// A results folder is recognised by two marks, both written by skyfence:
//  - `skyfence-results.json`, a manifest: {"format": "skyfence-results", "format_version": 1,
//    "software": ..., "created_utc": ..., "scenario": ...};
//  - `results.sqlite` whose SQLite `application_id` is kResultsApplicationId.
// A folder with both is a results folder and may be replaced by a new run (that is what re-running
// does). Anything else that exists under the name (a user's folder, an empty folder, a file) is refused
// before any computation (InputError: exit status 2). See docs/results.md, "The results folder".
//
// Staging: the run is written into `DIR.tmp-PID` beside DIR, then moved into place (the previous
// results folder first moves aside to `DIR.old-PID` and is removed once the new one is in place).
// A staging or set-aside folder left by a killed run is removed when its process is gone and it bears
// the manifest; one that cannot be proved stale is reported and left alone.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace skyfence::report {

// SQLite's `PRAGMA application_id` of results.sqlite: "SkyF" in ASCII.
inline constexpr std::int32_t kResultsApplicationId = 0x536B7946;
// The manifest's file name inside a results folder.
inline constexpr const char* kManifestName = "skyfence-results.json";

// What the manifest records.
struct Manifest {
  std::string software;     // "skyfence 0.2.0"
  std::string created_utc;  // ISO-8601
  std::string scenario;     // the scenario's name
};

// Whether `dir` is a results folder (both marks present and valid). Never throws.
[[nodiscard]] bool is_results_folder(const std::filesystem::path& dir);

// The folder a user named, without a trailing separator ("res/" and "res" are the same folder; "."
// stays "."). Throws InputError (located at `option`) for an empty name.
[[nodiscard]] std::filesystem::path normalize_folder(const std::string& name, const std::string& option);

class StagedResultsFolder {
 public:
  // Checks `final_path` (normalized) and prepares its staging folder. Call before computing anything.
  // Throws InputError (located at `option`) when final_path exists and is not a results folder, or
  // when a parent is not a folder; std::runtime_error when the staging folder cannot be created.
  // Stale staging folders of dead processes are removed; others are passed to `warn`.
  StagedResultsFolder(std::filesystem::path final_path, const std::string& option,
                      const std::function<void(const std::string&)>& warn);
  // Without commit(), the staging folder is removed.
  ~StagedResultsFolder();
  StagedResultsFolder(const StagedResultsFolder&) = delete;
  StagedResultsFolder& operator=(const StagedResultsFolder&) = delete;

  // Where to write the results now.
  [[nodiscard]] const std::filesystem::path& staging() const { return staging_; }
  [[nodiscard]] const std::filesystem::path& final_path() const { return final_; }

  // Writes the manifest into the staging folder and moves it into place, replacing a previous results
  // folder of that name. Checks again that whatever is there now is a results folder (InputError if
  // not, and nothing is moved). REQUIRES: the staging folder holds results.sqlite with the application
  // id set (report::write_sqlite does it).
  void commit(const Manifest& manifest);

 private:
  std::filesystem::path final_, staging_;
  bool committed_ = false;
};

// Staging folders beside `final_path` (DIR.tmp-PID, DIR.old-PID) whose process is gone: removed when
// they bear the manifest or the application id, else returned (for the caller to report).
std::vector<std::filesystem::path> clean_stale_staging(const std::filesystem::path& final_path);

}  // namespace skyfence::report
