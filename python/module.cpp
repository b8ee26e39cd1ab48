// skyfence._skyfence: the extension module under the `skyfence` Python package (docs/python.md). It takes
// and returns plain values and NumPy arrays; the package's Python side (python/skyfence/__init__.py)
// turns times into datetime64 and tables into pandas DataFrames.
#include <pybind11/pybind11.h>

#include <string>

#include "catalog.h"
#include "common.h"

PYBIND11_MODULE(_skyfence, m) {
  namespace py = pybind11;
  using namespace skyfence::python;
  m.doc() = "skyfence's engine; use the skyfence package, not this module.";
  m.attr("__version__") = SKYFENCE_VERSION;
  register_errors(m);
  m.def(
      "data_dir", [](const std::string& given) { return data_dir(given); }, py::arg("given") = std::string(),
      "The bundled data folder: `given` if not empty, else $SKYFENCE_DATA, else the build's data/.");
  add_catalog(m);
  add_propagate(m);
  add_visibility(m);
  add_policy(m);
  add_scenario(m);
  add_coverage(m);
  add_route(m);
}
