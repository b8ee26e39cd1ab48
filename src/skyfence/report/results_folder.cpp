#include "skyfence/report/results_folder.h"

#include <signal.h>
#include <sqlite3.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <fstream>
#include <sstream>
#include <system_error>

#include <nlohmann/json.hpp>

#include "skyfence/core/atomic_file.h"
#include "skyfence/core/error.h"
#include "skyfence/report/internal/json_mark.h"

namespace skyfence::report {
namespace {

namespace fs = std::filesystem;

constexpr const char* kFormat = "skyfence-results";

bool manifest_valid(const fs::path& dir) {
  return internal::has_format_mark(dir / kManifestName, kFormat);
}

bool application_id_valid(const fs::path& file) {
  std::error_code ec;
  if (!fs::is_regular_file(file, ec)) return false;
  sqlite3* db = nullptr;
  bool ok = false;
  if (sqlite3_open_v2(file.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v2(db, "PRAGMA application_id;", -1, &st, nullptr) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW) {
      ok = sqlite3_column_int(st, 0) == kResultsApplicationId;
    }
    sqlite3_finalize(st);
  }
  sqlite3_close(db);
  return ok;
}

std::string manifest_text(const Manifest& m, const char* state) {
  nlohmann::ordered_json j;
  j["format"] = kFormat;
  j["format_version"] = 1;
  j["state"] = state;
  j["software"] = m.software;
  j["created_utc"] = m.created_utc;
  j["scenario"] = m.scenario;
  return j.dump(2) + "\n";
}

void write_manifest(const fs::path& dir, const Manifest& m, const char* state) {
  AtomicFile f((dir / kManifestName).string());
  f.write(manifest_text(m, state));
  f.commit();
}

// Whether process `pid` is still running (a process we may not signal is running).
bool process_alive(long pid) {
  if (pid <= 0) return false;
  if (pid == static_cast<long>(::getpid())) return true;
  return ::kill(static_cast<pid_t>(pid), 0) == 0 || errno == EPERM;
}

// The PID in "NAME.tmp-PID" or "NAME.old-PID" for the folder NAME, or -1.
long staging_pid(const std::string& entry, const std::string& name) {
  for (const char* tag : {".tmp-", ".old-"}) {
    const std::string prefix = name + tag;
    if (entry.size() <= prefix.size() || entry.compare(0, prefix.size(), prefix) != 0) continue;
    long pid = -1;
    const char* first = entry.data() + prefix.size();
    const char* last = entry.data() + entry.size();
    const auto [end, ec] = std::from_chars(first, last, pid);
    if (ec == std::errc() && end == last) return pid;
  }
  return -1;
}

std::string quoted(const fs::path& p) {
  return "\"" + p.string() + "\"";
}

}  // namespace

bool is_results_folder(const fs::path& dir) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return false;
  return manifest_valid(dir) && application_id_valid(dir / "results.sqlite");
}

fs::path normalize_folder(const std::string& name, const std::string& option) {
  if (name.empty()) throw InputError(SourceLocation{option, 0, {}}, "expected a folder name, got nothing");
  fs::path p = fs::path(name).lexically_normal();
  // "res/" normalizes to "res/" (an empty last element): the folder is its parent path.
  while (p.has_parent_path() && p.filename().empty() && p != p.root_path()) p = p.parent_path();
  return p;
}

std::vector<fs::path> clean_stale_staging(const fs::path& final_path) {
  std::vector<fs::path> left;
  const fs::path parent = final_path.has_parent_path() ? final_path.parent_path() : fs::path(".");
  const std::string name = final_path.filename().string();
  std::error_code ec;
  fs::directory_iterator it(parent, ec), end;
  if (ec) return left;
  for (; it != end; it.increment(ec)) {
    if (ec) break;
    const std::string entry = it->path().filename().string();
    const long pid = staging_pid(entry, name);
    if (pid < 0 || process_alive(pid)) continue;
    std::error_code e2;
    const bool ours = it->is_directory(e2) &&
                      (manifest_valid(it->path()) || application_id_valid(it->path() / "results.sqlite"));
    if (ours) {
      fs::remove_all(it->path(), e2);
      if (!e2) continue;
    }
    left.push_back(it->path());
  }
  return left;
}

StagedResultsFolder::StagedResultsFolder(fs::path final_path, const std::string& option,
                                         const std::function<void(const std::string&)>& warn)
    : final_(std::move(final_path)) {
  std::error_code ec;
  const fs::file_status st = fs::symlink_status(final_, ec);
  if (fs::exists(st)) {
    if (!fs::is_directory(fs::status(final_, ec))) {
      throw InputError(SourceLocation{option, 0, {}},
                       quoted(final_) +
                           " exists and is not a folder; expected a new folder or a previous "
                           "skyfence results folder (nothing was written)");
    }
    if (!is_results_folder(final_)) {
      throw InputError(SourceLocation{option, 0, {}},
                       quoted(final_) + " exists and is not a skyfence results folder (it has no " +
                           kManifestName +
                           " and results.sqlite of a run); refusing to replace it. Choose a new folder "
                           "name, or remove it yourself (nothing was written)");
    }
  }
  if (final_.has_parent_path()) {
    fs::create_directories(final_.parent_path(), ec);
    if (ec || !fs::is_directory(final_.parent_path())) {
      throw InputError(SourceLocation{option, 0, {}},
                       "cannot create the folder " + quoted(final_.parent_path()) + ": " + ec.message());
    }
  }
  for (const fs::path& p : clean_stale_staging(final_)) {
    if (warn) {
      warn(quoted(p) +
           " looks like the staging folder of a run that did not finish, but it is not "
           "recognisably skyfence's; left alone");
    }
  }
  staging_ = final_.string() + ".tmp-" + std::to_string(::getpid());
  if (fs::exists(fs::symlink_status(staging_, ec))) {
    // Our own PID's name: only a folder of ours from this very process could be there.
    if (!manifest_valid(staging_)) {
      throw std::runtime_error("cannot stage the results: " + quoted(staging_) + " exists");
    }
    fs::remove_all(staging_);
  }
  fs::create_directory(staging_);
  // Marked from the start, so that a killed run's staging folder is recognisable as ours.
  write_manifest(staging_, Manifest{}, "staging");
}

StagedResultsFolder::~StagedResultsFolder() {
  std::error_code ec;
  if (!committed_ && !staging_.empty()) fs::remove_all(staging_, ec);
}

void StagedResultsFolder::commit(const Manifest& manifest) {
  write_manifest(staging_, manifest, "complete");
  std::error_code ec;
  const bool had = fs::exists(fs::symlink_status(final_, ec));
  if (had && !is_results_folder(final_)) {
    committed_ = true;  // keep the computed results where the message says they are
    throw InputError(SourceLocation{final_.string(), 0, {}},
                     "appeared during the run and is not a skyfence results folder; refusing to replace "
                     "it (the results are left in " +
                         quoted(staging_) + ")");
  }
  const fs::path old = final_.string() + ".old-" + std::to_string(::getpid());
  if (had) fs::rename(final_, old);
  try {
    fs::rename(staging_, final_);
  } catch (...) {
    if (had) fs::rename(old, final_, ec);  // put the previous results back
    throw;
  }
  committed_ = true;
  if (had) fs::remove_all(old, ec);
}

}  // namespace skyfence::report
