// The files of a results folder (docs/results.md), written the one way `skyfence run` and the Python
// package (run_scenario, distributed runs) both use.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "skyfence/report/model.h"

namespace skyfence::report {

struct ResultsFiles {
  std::vector<std::string> csv_tables;  // the CSV exports' paths
  bool viewer = false;                  // whether viewer/ was written
  std::string viewer_missing;           // when not: why (the viewer's packages are not installed)
};

// Writes into `dir` (a results folder's staging folder, report::StagedResultsFolder): results.sqlite,
// csv/, geojson/, viewer/ when the viewer's files are found in `web` (report/viewer.h; otherwise
// ResultsFiles::viewer_missing says why and report.html says so too), then report.html (country borders
// from `data_dir`, the bundled data folder). Throws what the writers throw (std::runtime_error for I/O
// failures, InputError for a viewer/ folder skyfence did not write).
ResultsFiles write_results_files(const Results& results, const std::filesystem::path& dir,
                                 const std::string& data_dir, const std::filesystem::path& web);

}  // namespace skyfence::report
