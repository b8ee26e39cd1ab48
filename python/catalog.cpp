// skyfence._skyfence: loading catalogs with orbits::load_satellites, the one loader of every command.
#include "catalog.h"

#include <pybind11/numpy.h>
#include <pybind11/stl.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common.h"
#include "skyfence/orbits/catalog_select.h"
#include "skyfence/orbits/load.h"

namespace skyfence::python {

namespace {

orbits::SatelliteSource::Kind parse_kind(const std::string& kind) {
  using Kind = orbits::SatelliteSource::Kind;
  if (kind == "tle") return Kind::tle;
  if (kind == "omm") return Kind::omm;
  if (kind == "preset") return Kind::preset;
  if (kind == "catalog") return Kind::catalog;
  throw std::invalid_argument("kind must be tle, omm, preset or catalog, got \"" + kind + "\"");
}

// Loads as the CLI's inputs::load_satellites does. Without a window (first_ns and last_ns both None)
// the stale-epoch count is left for the computations, which know their times: the loader is then
// given the window [2000-01-01, 2000-01-01] and its stale count is dropped. A preset needs first_ns.
Catalog load(const std::string& kind, const std::string& value, const std::vector<std::string>& satellites,
             bool all_objects, bool strict, bool accept_bad_checksums, std::optional<std::int64_t> first_ns,
             std::optional<std::int64_t> last_ns, const std::string& data_folder) {
  orbits::SatelliteSource src;
  src.kind = parse_kind(kind);
  src.value = value;
  src.all_objects = all_objects;
  src.satellites = satellites;
  src.selector_option = "satellites";
  src.strict = strict;
  src.accept_bad_checksums = accept_bad_checksums;
  if (src.kind == orbits::SatelliteSource::Kind::preset && !first_ns) {
    throw InputError(SourceLocation{"start", 0, {}},
                     "a preset is generated at a time: give start= (the first time it is used at)");
  }
  const bool windowed = first_ns || last_ns;
  const time::Instant first = first_ns ? instant_from_unix_ns(*first_ns, "start") : time::Instant{};
  const time::Instant last = last_ns ? instant_from_unix_ns(*last_ns, "stop") : first;
  if (last < first) throw InputError(SourceLocation{"stop", 0, {}}, "expected stop at or after start");
  const std::string folder = data_dir(data_folder);

  orbits::LoadedSatellites loaded;
  {
    py::gil_scoped_release release;
    loaded = orbits::load_satellites(src, first, last, folder);
  }
  if (!windowed) {
    loaded.stale_epochs = 0;
    loaded.worst_stale_days = 0.0;
  }
  Catalog c;
  c.source = loaded.source;
  if (src.kind == orbits::SatelliteSource::Kind::preset) c.preset = src.value;
  c.warnings = orbits::load_warnings(loaded, {.max_listed = 20, .mention_options = false});
  c.sets = std::move(loaded.sets);
  c.fleet = std::make_shared<const visibility::Fleet>(c.sets);
  return c;
}

}  // namespace

std::vector<std::string> Catalog::stale_warnings(time::Instant first, time::Instant last) const {
  orbits::LoadedSatellites counted;
  counted.source = source;
  for (const orbits::ElementSet& es : sets) {
    if (!orbits::is_stale_epoch(es.epoch, first, last)) continue;
    ++counted.stale_epochs;
    const double days =
        std::max(std::abs((first - es.epoch).to_days()), std::abs((last - es.epoch).to_days()));
    counted.worst_stale_days = std::max(counted.worst_stale_days, days);
  }
  return orbits::load_warnings(counted, {.max_listed = 20, .mention_options = false});
}

void add_catalog(py::module_& m) {
  py::class_<Catalog>(m, "Catalog", "The selected element sets of one source (see skyfence.load_catalog).")
      .def("__len__", [](const Catalog& c) { return c.sets.size(); })
      .def_property_readonly("source", [](const Catalog& c) { return c.source; })
      .def_property_readonly("warnings", [](const Catalog& c) { return c.warnings; })
      .def_property_readonly("norad_ids",
                             [](const Catalog& c) {
                               py::array_t<std::uint32_t> out(static_cast<py::ssize_t>(c.sets.size()));
                               auto w = out.mutable_unchecked<1>();
                               for (std::size_t i = 0; i < c.sets.size(); ++i)
                                 w(static_cast<py::ssize_t>(i)) = c.sets[i].norad_id;
                               return out;
                             })
      .def_property_readonly("names",
                             [](const Catalog& c) {
                               py::list out;
                               for (const auto& es : c.sets) out.append(py::str(es.name));
                               return out;
                             })
      .def_property_readonly("epochs_unix_ns",
                             [](const Catalog& c) {
                               py::array_t<std::int64_t> out(static_cast<py::ssize_t>(c.sets.size()));
                               auto w = out.mutable_unchecked<1>();
                               for (std::size_t i = 0; i < c.sets.size(); ++i)
                                 w(static_cast<py::ssize_t>(i)) = unix_ns(c.sets[i].epoch);
                               return out;
                             })
      .def(
          "stale_warnings",
          [](const Catalog& c, std::int64_t first_ns, std::int64_t last_ns) {
            return c.stale_warnings(instant_from_unix_ns(first_ns), instant_from_unix_ns(last_ns));
          },
          py::arg("first_ns"), py::arg("last_ns"));

  m.def("load_catalog", &load, py::arg("kind"), py::arg("value"), py::arg("satellites"),
        py::arg("all_objects"), py::arg("strict"), py::arg("accept_bad_checksums"), py::arg("first_ns"),
        py::arg("last_ns"), py::arg("data_dir"), "orbits::load_satellites; see skyfence.load_catalog.");
  m.def("bundled_catalogs", [] {
    py::list out;
    for (const auto& c : orbits::bundled_catalogs()) out.append(py::str(std::string(c.name)));
    return out;
  });
}

}  // namespace skyfence::python
