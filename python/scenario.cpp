// skyfence._skyfence.run_scenario: a scenario to a results folder, as `skyfence run` writes it
// (apps/cli/run.cpp): results.sqlite, the CSV and GeoJSON exports and report.html, staged and moved into
// place whole. The package reads the tables back from results.sqlite. And the parts of a run that
// skyfence.distributed runs as Dask tasks (scenario/runner.h), then merges and writes the same way.
#include <pybind11/stl.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <limits>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "catalog.h"
#include "common.h"
#include "skyfence/report/results_files.h"
#include "skyfence/report/results_folder.h"
#include "skyfence/report/serialize.h"
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

// The project's web/ folder (the globe viewer's files): SKYFENCE_WEB, else the source tree's.
fs::path web_folder() {
  const char* env = std::getenv("SKYFENCE_WEB");
  return env != nullptr && *env != '\0' ? fs::path(env) : fs::path(SKYFENCE_WEB_DIR);
}

// The results folder's files, as `skyfence run` writes them, into the staging folder; a viewer that could
// not be written is warned about, as `skyfence run` does.
void write_folder_files(const report::Results& results, const fs::path& staging,
                        const std::string& data_folder, std::vector<std::string>& warnings) {
  const report::ResultsFiles files = report::write_results_files(results, staging, data_folder, web_folder());
  if (!files.viewer) warnings.push_back("the globe viewer was not written: " + files.viewer_missing);
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
    write_folder_files(results, folder.staging(), run.data_dir, warnings);
    run.check_stop();
    folder.commit(report::Manifest{results.run.software_version, time::format_iso8601(results.run.created, 0),
                                   sc.name});
  });
  return py::dict(py::arg("path") = out.string(), py::arg("name") = name, py::arg("warnings") = warnings);
}

// ------------------------------------------------------------------- a run in parts (distributed.py)

py::bytes as_bytes(const std::string& s) {
  return py::bytes(s.data(), s.size());
}

py::bytes masks_bytes(const scenario::ServedMasks& m) {
  return py::bytes(reinterpret_cast<const char*>(m.data()), m.size() * sizeof(std::uint64_t));
}

scenario::ServedMasks masks_of(const py::bytes& b) {
  const std::string_view v = b;
  if (v.size() % sizeof(std::uint64_t) != 0)
    throw std::invalid_argument("served masks: not whole 64-bit words");
  scenario::ServedMasks m(v.size() / sizeof(std::uint64_t));
  std::memcpy(m.data(), v.data(), v.size());
  return m;
}

report::Results results_of(const py::bytes& b) {
  return report::decode_results(std::string_view(b));
}

// The scenario's name and plan count (loading and checking the scenario file only).
py::dict scenario_check(const std::string& path) {
  const scenario::Scenario sc = scenario::load_scenario(path);
  std::vector<std::string> plans{"baseline"};
  for (const auto& v : sc.variants) plans.push_back(v.id);
  return py::dict(py::arg("name") = sc.name, py::arg("plans") = plans, py::arg("steps") = sc.steps(),
                  py::arg("default_output") = (fs::path("results") / slug(sc.name)).string());
}

py::dict scenario_record(const std::string& path, std::int64_t created_unix_ns, unsigned threads,
                         const std::string& data_folder) {
  std::vector<std::string> warnings;
  const time::Instant created = created_unix_ns == std::numeric_limits<std::int64_t>::min()
                                    ? now_utc()
                                    : instant_from_unix_ns(created_unix_ns, "created");
  const std::string record = run_released(threads, data_dir(data_folder), [&](const RunContext& run) {
    const scenario::Scenario sc = scenario::load_scenario(path);
    scenario::RunOptions ro;
    ro.software_version = std::string("skyfence ") + SKYFENCE_VERSION;
    ro.created = created;
    ro.warn = [&](const std::string& m) { warnings.push_back(m); };
    return report::encode_results(scenario::run_record(sc, ro, run));
  });
  return py::dict(py::arg("record") = as_bytes(record), py::arg("warnings") = warnings,
                  py::arg("created_unix_ns") = unix_ns(created));
}

py::dict scenario_plans(const std::string& path, std::size_t first, std::size_t count, unsigned threads,
                        const std::string& data_folder) {
  std::vector<std::string> warnings;
  scenario::PlansPart part = run_released(threads, data_dir(data_folder), [&](const RunContext& run) {
    const scenario::Scenario sc = scenario::load_scenario(path);
    scenario::RunOptions ro;
    ro.warn = [&](const std::string& m) { warnings.push_back(m); };
    return scenario::run_plans(sc, first, count, ro, run);
  });
  py::list masks;
  for (const scenario::ServedMasks& m : part.masks) masks.append(masks_bytes(m));
  return py::dict(py::arg("part") = as_bytes(report::encode_results(part.results)), py::arg("masks") = masks,
                  py::arg("warnings") = warnings);
}

py::bytes scenario_reliance(const py::bytes& record, std::size_t first, const py::bytes& baseline,
                            const std::vector<py::bytes>& masks) {
  const report::Results rec = results_of(record);
  const scenario::ServedMasks base = masks_of(baseline);
  std::vector<scenario::ServedMasks> ms;
  for (const py::bytes& b : masks) ms.push_back(masks_of(b));
  std::string out;
  {
    py::gil_scoped_release release;
    out = report::encode_results(scenario::run_reliance(rec, first, base, ms));
  }
  return as_bytes(out);
}

py::bytes scenario_tail(const std::string& path, unsigned threads, const std::string& data_folder) {
  const std::string out = run_released(threads, data_dir(data_folder), [&](const RunContext& run) {
    const scenario::Scenario sc = scenario::load_scenario(path);
    return report::encode_results(scenario::run_tail(sc, scenario::RunOptions{}, run));
  });
  return as_bytes(out);
}

// The file names in the parts (the enforcement study's policy and terminals: run_tail's) as the
// scenario read from `given` names them, where the tasks read it from `tasks` (another spelling of the
// same file). The other parts name no file.
void as_given(const scenario::Scenario& given, const scenario::Scenario& tasks,
              std::vector<report::Results>& parts) {
  if (!given.enforcement || !tasks.enforcement) return;
  const std::pair<std::string, std::string> names[] = {
      {tasks.enforcement->policy, given.enforcement->policy},
      {tasks.enforcement->terminals, given.enforcement->terminals}};
  const auto rename = [&](std::string& file) {
    for (const auto& [from, to] : names) {
      if (!from.empty() && file == from) {
        file = to;
        return;
      }
    }
  };
  for (report::Results& p : parts) {
    for (report::InputFile& f : p.run.inputs) rename(f.path);
    if (p.enforcement) rename(p.enforcement->policy);
  }
}

// A results folder being made (report::StagedResultsFolder): checked when made, before any computation;
// written whole by write(), or left with nothing by discard().
class ResultsFolder {
 public:
  ResultsFolder(const std::string& output, const std::string& option) {
    folder_ =
        std::make_unique<report::StagedResultsFolder>(report::normalize_folder(output, option), option,
                                                      [&](const std::string& m) { warnings_.push_back(m); });
  }

  [[nodiscard]] std::string path() const { return folder_ ? folder_->final_path().string() : std::string(); }
  [[nodiscard]] const std::vector<std::string>& warnings() const { return warnings_; }

  // Merges the parts into the record (scenario::merge_parts), writes the folder as `skyfence run` and
  // moves it into place. Returns a summary of the merged results for the command's last lines.
  // `path` is the scenario as the record read it, `task_path` as the tasks did (absolute, for workers
  // elsewhere): the file names the tasks recorded are put back as `path` gives them.
  py::dict write(const py::bytes& record, const std::vector<py::bytes>& parts, const std::string& path,
                 const std::string& task_path, unsigned threads, const std::string& data_folder) {
    if (!folder_) throw std::invalid_argument("ResultsFolder: already written or discarded");
    report::Results rec = results_of(record);
    std::vector<report::Results> ps;
    for (const py::bytes& b : parts) ps.push_back(results_of(b));
    const std::string scenario_name = rec.run.scenario_name;
    std::vector<std::string> written_warnings;
    run_released(threads, data_dir(data_folder), [&](const RunContext& run) {
      if (task_path != path) as_given(scenario::load_scenario(path), scenario::load_scenario(task_path), ps);
      const report::Results results = scenario::merge_parts(std::move(rec), std::move(ps));
      run.check_stop();
      write_folder_files(results, folder_->staging(), run.data_dir, written_warnings);
      run.check_stop();
      folder_->commit(report::Manifest{results.run.software_version,
                                       time::format_iso8601(results.run.created, 0), scenario_name});
    });
    const std::string where = folder_->final_path().string();
    folder_.reset();
    return py::dict(py::arg("path") = where, py::arg("warnings") = written_warnings);
  }

  // Removes the staging folder (nothing is written).
  void discard() { folder_.reset(); }

 private:
  std::unique_ptr<report::StagedResultsFolder> folder_;
  std::vector<std::string> warnings_;
};

}  // namespace

void add_scenario(py::module_& m) {
  m.def("run_scenario", &run, py::arg("path"), py::arg("output_dir"), py::arg("threads"), py::arg("data_dir"),
        "scenario::run_scenario to a results folder as `skyfence run`; see skyfence.run_scenario.");
  // A run in parts (skyfence.distributed.run, docs/distributed.md): every part's results travel as bytes
  // (report::encode_results), the served masks as the raw 64-bit words.
  m.def("scenario_check", &scenario_check, py::arg("path"),
        "Loads and checks a scenario file: its name, plan ids (baseline, variants), steps, default folder.");
  m.def("scenario_record", &scenario_record, py::arg("path"), py::arg("created_unix_ns"), py::arg("threads"),
        py::arg("data_dir"), "scenario::run_record: the run's record as bytes, the loader's warnings.");
  m.def("scenario_plans", &scenario_plans, py::arg("path"), py::arg("first"), py::arg("count"),
        py::arg("threads"), py::arg("data_dir"),
        "scenario::run_plans: the part's results as bytes, each plan's served masks as bytes, warnings.");
  m.def("scenario_reliance", &scenario_reliance, py::arg("record"), py::arg("first"), py::arg("baseline"),
        py::arg("masks"), "scenario::run_reliance: the reliance rows of plans [first, first + len(masks)).");
  m.def("scenario_tail", &scenario_tail, py::arg("path"), py::arg("threads"), py::arg("data_dir"),
        "scenario::run_tail: the passes and the enforcement study, as bytes.");
  py::class_<ResultsFolder>(m, "ResultsFolder",
                            "A results folder being made: refused at once unless free or a results folder.")
      .def(py::init<const std::string&, const std::string&>(), py::arg("output"), py::arg("option"))
      .def_property_readonly("path", &ResultsFolder::path)
      .def_property_readonly("warnings", &ResultsFolder::warnings)
      .def("write", &ResultsFolder::write, py::arg("record"), py::arg("parts"), py::arg("path"),
           py::arg("task_path"), py::arg("threads"), py::arg("data_dir"))
      .def("discard", &ResultsFolder::discard);
}

}  // namespace skyfence::python
