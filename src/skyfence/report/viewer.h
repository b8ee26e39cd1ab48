// The globe viewer of a results folder: `DIR/viewer/`, a static web page (CesiumJS and satellite.js from
// the project's pinned npm packages, the page's own files from web/viewer/) and `scenario.json`, its data,
// built from DIR/results.sqlite alone. docs/viewer.md describes what it shows; docs/design.md why.
#pragma once

#include <cstdint>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace skyfence::report {

// The viewer's data file inside DIR/viewer/, also its mark: a viewer/ folder holding it with
// "format": "skyfence-viewer" was written by skyfence and may be replaced.
inline constexpr const char* kViewerDataName = "scenario.json";

// The viewer's sources are missing or incomplete (npm packages not installed). The message names what is
// missing and how to install it.
class ViewerUnavailable : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The files of the viewer, relative to `web` (the project's web/ folder: web/viewer/ and
// web/node_modules/), each with its path inside DIR/viewer/: every file of web/viewer/, and of the
// packages only what the page uses at run time:
// Cesium.js, its workers, widgets CSS, the Natural Earth II imagery, the credit images and the Earth
// orientation tables; satellite.js's
// ES modules without the WebAssembly bulk propagator. Throws ViewerUnavailable when one is missing.
struct ViewerFile {
  std::filesystem::path source;  // absolute, or relative to the working directory
  std::filesystem::path target;  // relative to DIR/viewer/
};
std::vector<ViewerFile> viewer_files(const std::filesystem::path& web);

// The viewer's data (JSON text) from a results store. `scenario` (scenario.json): the run, providers,
// variants, every satellite's mean elements, the cells with their per-variant and per-provider layers,
// the terminals (tracks included) with their service and states, gateways and PoPs, forbidden regions
// and the baseline's routes. `variant_files`: for each variant other than the baseline, in the variants'
// order, its path inside viewer/ ("variants/K.json", K its index, named by the variant's "data" in
// scenario.json) and its text: the satellites a catalog swap gives its provider (variant_satellites) and
// the variant's routes, which the page fetches only when the variant is chosen. Throws InputError when
// the file is not a results store or lacks a table the viewer needs (a store written by an older
// skyfence).
struct ViewerData {
  std::string scenario;
  std::vector<std::pair<std::string, std::string>> variant_files;
};
ViewerData viewer_data(const std::filesystem::path& results_sqlite);

struct ViewerWritten {
  std::filesystem::path folder;  // DIR/viewer
  std::size_t files = 0;
  std::uintmax_t bytes = 0;
};

// Writes DIR/viewer/ from DIR/results.sqlite and the files of `web`: built whole in DIR/viewer.tmp-PID,
// then moved into place. An existing DIR/viewer is replaced only when it bears the mark (kViewerDataName
// with "format": "skyfence-viewer"); anything else there is refused (InputError) and left as it is.
// Throws ViewerUnavailable (nothing written) when the sources are missing, InputError for a bad store,
// std::runtime_error for I/O failures (the staging folder is removed).
ViewerWritten write_viewer(const std::filesystem::path& results_dir, const std::filesystem::path& web);

}  // namespace skyfence::report
