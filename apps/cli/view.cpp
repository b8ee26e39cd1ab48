// skyfence view: (re)writes RESULTS_DIR/viewer/, the globe viewer of a results folder, from the folder alone.
#include "view.h"

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <system_error>

#include <fmt/core.h>

#include "common.h"
#include "skyfence/core/error.h"
#include "skyfence/report/results_folder.h"
#include "skyfence/report/viewer.h"

namespace skyfence::cli {

std::string web_dir() {
  const char* env = std::getenv("SKYFENCE_WEB");
  if (env != nullptr && *env != '\0') return env;
  // An installed skyfence (`cmake --install`): PREFIX/share/skyfence/web beside PREFIX/bin/skyfence.
  std::error_code ec;
  const std::filesystem::path exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    const std::filesystem::path installed = (exe.parent_path() / SKYFENCE_WEB_FROM_BIN).lexically_normal();
    if (std::filesystem::is_regular_file(installed / "viewer" / "index.html", ec)) return installed.string();
  }
  return SKYFENCE_WEB_DIR;
}

namespace view_command {

namespace fs = std::filesystem;

struct Options {
  std::string dir;
  bool quiet = false;
};

int run(const Options& o) {
  const fs::path dir = report::normalize_folder(o.dir, "RESULTS_DIR");
  if (!report::is_results_folder(dir)) {
    throw InputError(dir.string() + ": not a skyfence results folder (it needs skyfence-results.json and " +
                     "results.sqlite, as `skyfence run` writes them)");
  }
  const report::ViewerWritten w = report::write_viewer(dir, web_dir());
  if (!o.quiet) {
    fmt::print(stderr,
               "skyfence: wrote {}/ ({} files, {:.1f} MB); open it with `skyfence serve {}` and "
               "http://127.0.0.1:8000/viewer/\n",
               w.folder.string(), w.files, static_cast<double>(w.bytes) / 1e6, dir.string());
  }
  return kExitOk;
}

}  // namespace view_command

void add_view_command(CLI::App& app, std::function<int()>& run_fn) {
  using namespace view_command;
  auto opts = std::make_shared<Options>();
  CLI::App* cmd =
      app.add_subcommand("view", "Write the 3D globe viewer of a results folder (RESULTS_DIR/viewer/)");
  cmd->footer(R"(Examples:
  skyfence view results/ukraine-reliance       # writes results/ukraine-reliance/viewer/
  skyfence serve results/ukraine-reliance      # then open http://127.0.0.1:8000/viewer/

`skyfence run` writes the viewer itself; `view` rebuilds it from the folder alone (results.sqlite), e.g.
after `make deps` installed the viewer's packages, or for a folder written before they were installed.
The viewer is a static page: a CesiumJS globe with the Natural Earth II imagery that ships in the package
(no token, nothing fetched from the network), every satellite propagated in the browser with SGP4
(satellite.js) from the element sets of the run, the cells coloured by coverage, service under policy or
demand met per provider and variant, the terminals by their state step by step (served and by whom,
not covered, denied and by which rule) or their service over the window, the forbidden regions of each
policy, a chosen terminal's route to the internet (the baseline's, at the latency steps), gateways and
PoPs, and a timeline over the scenario's window. It needs http:// (browsers refuse modules and workers
from file://): open it through `skyfence serve RESULTS_DIR`.
An existing RESULTS_DIR/viewer/ is replaced only when skyfence wrote it (it holds scenario.json); the new
one is built beside it (viewer.tmp-PID) and moved into place whole.
CesiumJS and satellite.js come from the pinned npm packages in web/node_modules (SKYFENCE_WEB overrides
the web/ folder); without them: exit 1, and `make deps` (scripts/install-deps.sh) installs them.
Exit status: 0 ok, 1 runtime failure (packages missing, I/O), 2 bad input (not a results folder, a store
without the tables the viewer needs, a viewer/ folder skyfence did not write). More: docs/viewer.md.)");
  cmd->add_option("RESULTS_DIR", opts->dir, "a results folder written by `skyfence run`")->required();
  cmd->add_flag("-q,--quiet", opts->quiet, "no message on standard error");
  cmd->callback([opts, &run_fn] { run_fn = [opts] { return run(*opts); }; });
}

}  // namespace skyfence::cli
