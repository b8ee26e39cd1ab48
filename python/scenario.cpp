// skyfence._skyfence.run_scenario: a scenario to a results folder, as `skyfence run` writes it
// (apps/cli/run.cpp): results.sqlite, the CSV and GeoJSON exports and report.html, staged and moved into
// place whole. The package reads the tables back from results.sqlite.
#include <pybind11/stl.h>

#include <ctime>
#include <filesystem>
#include <string>
#include <vector>

#include "catalog.h"
#include "common.h"
#include "skyfence/report/borders.h"
#include "skyfence/report/exports.h"
#include "skyfence/report/html.h"
#include "skyfence/report/results_folder.h"
#include "skyfence/report/store.h"
#include "skyfence/scenario/runner.h"
#include "skyfence/scenario/scenario.h"
#include "skyfence/time/scales.h"

namespace skyfence::python {

namespace {

namespace fs = std::filesystem;

// The CLI's default folder name from the scenario's name: letters, digits, '-', '_' and '.', others '-'.
std::string slug(const std::string& name) {
  std::string s;
  for (const char c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
                    c == '_' || c == '.';
    s += ok ? c : '-';
  }
  return s.empty() || s == "." || s == ".." ? "run" : s;
}

// The system clock's time, to the second (recorded as when the run was made).
time::Instant now_utc() {
  const std::time_t t = std::time(nullptr);
  std::tm utc{};
  ::gmtime_r(&t, &utc);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return time::parse_iso8601(buf);
}

py::dict run(const std::string& path_given, const std::string& output, unsigned threads,
             const std::string& data_folder) {
  const std::string folder_data = data_dir(data_folder);
  const std::string path = path_given.empty() ? folder_data + "/scenarios/default.toml" : path_given;
  std::vector<std::string> warnings;
  fs::path out;
  std::string name;
  run_released(threads, folder_data, [&](const RunContext& run) {
    const scenario::Scenario sc = scenario::load_scenario(path);
    name = sc.name;
    // Checked before anything is computed: never replaces what skyfence did not create.
    out =
        output.empty() ? fs::path("results") / slug(sc.name) : report::normalize_folder(output, "output_dir");
    report::StagedResultsFolder folder(out, "output_dir",
                                       [&](const std::string& m) { warnings.push_back(m); });
    scenario::RunOptions ro;
    ro.software_version = std::string("skyfence ") + SKYFENCE_VERSION;
    ro.created = now_utc();
    ro.warn = [&](const std::string& m) { warnings.push_back(m); };
    const report::Results results = scenario::run_scenario(sc, ro, run);
    run.check_stop();
    report::write_sqlite(results, (folder.staging() / "results.sqlite").string());
    fs::create_directories(folder.staging() / "csv");
    fs::create_directories(folder.staging() / "geojson");
    report::write_csv_tables(results, (folder.staging() / "csv").string());
    report::write_geojson(results, (folder.staging() / "geojson").string());
    report::write_report_html(results, report::read_bundled_borders(run.data_dir),
                              (folder.staging() / "report.html").string());
    run.check_stop();
    folder.commit(report::Manifest{results.run.software_version, time::format_iso8601(results.run.created, 0),
                                   sc.name});
  });
  return py::dict(py::arg("path") = out.string(), py::arg("name") = name, py::arg("warnings") = warnings);
}

}  // namespace

void add_scenario(py::module_& m) {
  m.def("run_scenario", &run, py::arg("path"), py::arg("output_dir"), py::arg("threads"), py::arg("data_dir"),
        "scenario::run_scenario to a results folder as `skyfence run`; see skyfence.run_scenario.");
}

}  // namespace skyfence::python
