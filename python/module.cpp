// skyfence._skyfence: the extension module under the `skyfence` Python package (docs/python.md). It takes
// and returns plain values and NumPy arrays; the package's Python side (python/skyfence/__init__.py)
// turns times into datetime64 and tables into pandas DataFrames.
#include <pybind11/pybind11.h>

#include <string>

#include "catalog.h"
#include "common.h"
#include "skyfence/time/scales.h"

PYBIND11_MODULE(_skyfence, m) {
  namespace py = pybind11;
  using namespace skyfence::python;
  m.doc() = "skyfence's engine; use the skyfence package, not this module.";
  m.attr("__version__") = SKYFENCE_VERSION;
  register_errors(m);
  m.def(
      "data_dir", [](const std::string& given) { return data_dir(given); }, py::arg("given") = std::string(),
      "The bundled data folder: `given` if not empty, else $SKYFENCE_DATA, else the installed data, else the "
      "build's data/.");
  // The command line's parsers, for the package's own commands (skyfence.distributed): a time and a
  // duration read exactly as `skyfence` reads --start and --step, errors located at `what`.
  m.def(
      "parse_time_ns",
      [](const std::string& text, const std::string& what) {
        return unix_ns(skyfence::time::parse_iso8601(text, what));
      },
      py::arg("text"), py::arg("what"),
      "An ISO-8601 UTC time as the CLI reads it, in ns since 1970 (POSIX).");
  m.def(
      "parse_duration_ns",
      [](const std::string& text, const std::string& what) {
        return skyfence::time::parse_duration(text, what).count_ns();
      },
      py::arg("text"), py::arg("what"), "A duration (90s, 15m, 24h, 7d, 1h30m) as the CLI reads it, in ns.");
  add_catalog(m);
  add_propagate(m);
  add_visibility(m);
  add_policy(m);
  add_scenario(m);
  add_coverage(m);
  add_route(m);
  add_capacity(m);
  add_locate(m);
}
