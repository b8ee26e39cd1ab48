// skyfence._skyfence.locate: detection::locate for each terminal of an observations file (or of the
// same CSV made from arrays), as `skyfence locate` computes it: the consistent cells as columns, one
// summary per terminal, and the warnings about observations not used.
#include "skyfence/detection/locate.h"

#include <pybind11/numpy.h>
#include <pybind11/stl.h>

#include <algorithm>
#include <cstdint>
#include <numbers>
#include <optional>
#include <string>
#include <vector>

#include <fmt/core.h>

#include "catalog.h"
#include "common.h"
#include "skyfence/core/units.h"
#include "skyfence/detection/locate_report.h"
#include "skyfence/detection/observations.h"
#include "skyfence/earth/grid.h"
#include "skyfence/scenario/study.h"

namespace skyfence::python {

namespace locate_binding {

// At most this many unused observations of a terminal are warned about (as the CLI lists them); the
// summary's `unused` counts them all.
constexpr std::size_t kMaxListed = 20;

struct Request {
  const Catalog* catalog = nullptr;
  std::string path;    // an observations file, or
  std::string text;    // its text (source names it)
  std::string source;  // how messages name the observations
  std::string rule = "visible";
  unsigned k = 1;
  double min_elevation_deg = 25.0;
  int level = 13;
  std::size_t max_outliers = 0;
  std::string prior, region;  // "" or "world": the whole Earth; no region
  unsigned threads = 0;
  std::string data_given;
};

detection::LocateOptions options(const Request& q) {
  detection::LocateOptions lo;
  if (q.rule != "visible" && q.rule != "top-k") {
    throw InputError(SourceLocation{"rule", 0, {}},
                     fmt::format("expected visible or top-k, got \"{}\"", q.rule));
  }
  lo.rule = q.rule == "top-k" ? detection::Rule::top_k : detection::Rule::visible;
  if (q.k < 1) throw InputError(SourceLocation{"k", 0, {}}, "expected at least 1");
  lo.k = q.k;
  if (!(q.min_elevation_deg >= -90.0 && q.min_elevation_deg < 90.0)) {
    throw InputError(SourceLocation{"min_elevation_deg", 0, {}},
                     fmt::format("expected degrees in [-90, 90), got {}", q.min_elevation_deg));
  }
  lo.min_elevation_rad = q.min_elevation_deg * std::numbers::pi / 180.0;  // as the CLI reads it
  if (q.level < 1 || q.level > 20) {
    throw InputError(SourceLocation{"level", 0, {}},
                     fmt::format("expected a level from 1 to 20, got {}", q.level));
  }
  lo.level = q.level;
  lo.max_outliers = q.max_outliers;
  return lo;
}

py::dict locate(const Request& q) {
  const detection::LocateOptions lo = options(q);
  const std::string folder = data_dir(q.data_given);
  std::vector<detection::ObservedTerminal> terminals;
  std::vector<detection::Location> found;
  std::vector<std::optional<detection::RegionVerdict>> verdicts;
  run_released(q.threads, folder, [&](const RunContext& run) {
    terminals = q.path.empty() ? detection::parse_observations(q.text, q.source)
                               : detection::read_observations(q.path);
    std::optional<earth::CountryBorders> borders;
    detection::Prior prior;
    if (!q.prior.empty() && q.prior != "world")
      prior.region = scenario::named_region(q.prior, folder, borders);
    std::optional<earth::Region> region;
    if (!q.region.empty()) region = scenario::named_region(q.region, folder, borders);
    for (std::size_t i = 0; i < terminals.size(); ++i) {
      const double n = static_cast<double>(terminals.size());
      found.push_back(
          detection::locate(*q.catalog->fleet, terminals[i].observations, prior, lo,
                            run.part(static_cast<double>(i) / n, static_cast<double>(i + 1) / n)));
      verdicts.push_back(region ? std::optional(detection::region_verdict(found.back(), *region))
                                : std::nullopt);
    }
  });
  time::Instant first = terminals.front().observations.front().at, last = first;
  for (const auto& t : terminals) {
    first = std::min(first, t.observations.front().at);
    last = std::max(last, t.observations.back().at);
  }
  std::vector<std::string> warnings = q.catalog->stale_warnings(first, last);
  const detection::LocateHints hints{"max_outliers=N", "the summary's `unused` lists them all"};
  py::list terminal_id, cell_id, summary;
  std::vector<double> lat, lon, area;
  std::vector<std::uint32_t> misses;
  for (std::size_t t = 0; t < terminals.size(); ++t) {
    const detection::Location& l = found[t];
    for (std::string& w :
         detection::location_warnings(l, terminals[t].id, q.source, q.max_outliers, kMaxListed, hints))
      warnings.push_back(std::move(w));
    for (const detection::LocatedCell& c : l.cells) {
      terminal_id.append(terminals[t].id);
      cell_id.append(earth::cell_token(c.id));
      lat.push_back(c.centre.lat_rad * kDegPerRad);
      lon.push_back(c.centre.lon_rad * kDegPerRad);
      area.push_back(c.area_km2);
      misses.push_back(c.misses);
    }
    py::dict s;
    s["terminal_id"] = terminals[t].id;
    s["observations"] = terminals[t].observations.size();
    s["observations_used"] = l.observations_used;
    s["consistent_area_km2"] = l.area_km2;
    s["cells"] = l.cells.size();
    const py::object none = py::none();
    s["estimate_lat_deg"] = l.estimate ? py::object(py::float_(l.estimate->lat_rad * kDegPerRad)) : none;
    s["estimate_lon_deg"] = l.estimate ? py::object(py::float_(l.estimate->lon_rad * kDegPerRad)) : none;
    s["radius_km"] = l.estimate ? py::object(py::float_(l.radius_km)) : none;
    s["inside"] = verdicts[t] ? py::object(py::str(verdicts[t]->inside)) : none;
    s["inside_share"] =
        verdicts[t] && verdicts[t]->inside_share ? py::object(py::float_(*verdicts[t]->inside_share)) : none;
    py::list unused;
    for (const detection::UnusedObservation& u : l.unused) {
      py::dict d;
      d["line"] = u.observation.line;
      d["reason"] = u.reason;
      unused.append(d);
    }
    s["unused"] = unused;
    summary.append(s);
  }
  py::dict cells;
  cells["terminal_id"] = terminal_id;
  cells["cell_id"] = cell_id;
  cells["lat_deg"] = py::array_t<double>(static_cast<py::ssize_t>(lat.size()), lat.data());
  cells["lon_deg"] = py::array_t<double>(static_cast<py::ssize_t>(lon.size()), lon.data());
  cells["area_km2"] = py::array_t<double>(static_cast<py::ssize_t>(area.size()), area.data());
  cells["misses"] = py::array_t<std::uint32_t>(static_cast<py::ssize_t>(misses.size()), misses.data());
  py::dict out;
  out["cells"] = cells;
  out["summary"] = summary;
  out["warnings"] = warnings;
  return out;
}

}  // namespace locate_binding

void add_locate(py::module_& m) {
  m.def(
      "locate",
      [](const Catalog* catalog, const std::string& path, const std::string& text, const std::string& source,
         const std::string& rule, unsigned k, double min_elevation_deg, int level, std::size_t max_outliers,
         const std::string& prior, const std::string& region, unsigned threads,
         const std::string& data_given) {
        const locate_binding::Request q{catalog,           path,  text,         source, rule,   k,
                                        min_elevation_deg, level, max_outliers, prior,  region, threads,
                                        data_given};
        return locate_binding::locate(q);
      },
      py::arg("catalog"), py::arg("path"), py::arg("text"), py::arg("source"), py::arg("rule"), py::arg("k"),
      py::arg("min_elevation_deg"), py::arg("level"), py::arg("max_outliers"), py::arg("prior"),
      py::arg("region"), py::arg("threads"), py::arg("data_dir"),
      "The consistent cells of each terminal of the observations (detection::locate); see skyfence.locate.");
}

}  // namespace skyfence::python
