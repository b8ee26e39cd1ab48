// A loaded catalog as the Python package holds it: the selected element sets, their SGP4 records (a
// visibility::Fleet, shared by every call) and the loader's warnings.
#pragma once

#include <pybind11/pybind11.h>

#include <memory>
#include <string>
#include <vector>

#include "skyfence/orbits/element_set.h"
#include "skyfence/time/instant.h"
#include "skyfence/visibility/fleet.h"

namespace skyfence::python {

namespace py = pybind11;

// Immutable after loading, so one Catalog serves any number of calls and threads.
struct Catalog {
  std::string source;                              // the file path, or "preset ID"
  std::vector<orbits::ElementSet> sets;            // selected, in catalog order
  std::shared_ptr<const visibility::Fleet> fleet;  // sgp4_init of every set, the batched propagator
  std::vector<std::string> warnings;               // orbits::load_warnings, one sentence each
  std::string preset;                              // the preset's name, when generated from one

  // The loader's sentence about the sets whose epoch is more than orbits::kStaleEpochDays from
  // `first` or `last` (load_warnings' wording), or nothing when there is none.
  [[nodiscard]] std::vector<std::string> stale_warnings(time::Instant first, time::Instant last) const;
};

void add_catalog(py::module_& m);
void add_propagate(py::module_& m);
void add_visibility(py::module_& m);
void add_policy(py::module_& m);
void add_scenario(py::module_& m);
void add_coverage(py::module_& m);
void add_route(py::module_& m);
void add_capacity(py::module_& m);
void add_locate(py::module_& m);

}  // namespace skyfence::python
