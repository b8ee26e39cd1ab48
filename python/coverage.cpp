// skyfence._skyfence.coverage: coverage::compute_coverage over S2 cells or sites, as `skyfence coverage`
// chooses its points (apps/cli/study.cpp, load_points) and computes (apps/cli/coverage.cpp), its
// statistics returned as (points, providers) arrays for an xarray Dataset.
#include "skyfence/coverage/coverage.h"

#include <pybind11/numpy.h>
#include <pybind11/stl.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <numbers>
#include <optional>
#include <string>
#include <vector>

#include <fmt/core.h>

#include "catalog.h"
#include "common.h"
#include "skyfence/core/units.h"
#include "skyfence/earth/grid.h"
#include "skyfence/earth/region.h"
#include "skyfence/earth/site.h"
#include "skyfence/time/scales.h"
#include "skyfence/time/window.h"

namespace skyfence::python {

namespace {

// Where coverage is computed: what the CLI's --level, --region, --region-file/--region-name and --sites
// give.
struct PointsSpec {
  int level = earth::kDefaultGridLevel;
  std::string region, region_file, region_name, sites_file;
  bool strict = false;
};

struct Points {
  std::vector<earth::Cell> grid;   // cells, or
  std::vector<earth::Site> sites;  // sites
  std::vector<frames::Geodetic> locations;
};

// As the CLI's load_points, errors naming the Python arguments.
Points load_points(const PointsSpec& spec, const std::string& data_folder,
                   std::vector<std::string>& warnings) {
  Points pts;
  if (!spec.sites_file.empty()) {
    earth::SiteReadOptions ropts;
    ropts.strict = spec.strict;
    earth::SiteList list = earth::read_sites_file(spec.sites_file, ropts);
    for (const auto& r : list.rejected) warnings.push_back(r.to_string() + " (row skipped)");
    pts.sites = std::move(list.sites);
    if (pts.sites.empty())
      throw InputError(SourceLocation{spec.sites_file, 0, {}}, "expected at least one site, found none");
    for (const auto& s : pts.sites) pts.locations.push_back(s.location);
    return pts;
  }
  if (spec.level < 0 || spec.level > earth::kMaxGridLevel) {
    throw InputError(SourceLocation{"level", 0, {}}, fmt::format("expected a level from 0 to {}, found {}",
                                                                 earth::kMaxGridLevel, spec.level));
  }
  if (!spec.region.empty() || !spec.region_file.empty()) {
    const earth::Region region = !spec.region.empty()
                                     ? earth::CountryBorders::read_bundled(data_folder).find(spec.region)
                                     : earth::read_region_file(spec.region_file, spec.region_name);
    pts.grid = earth::region_grid(region, spec.level).cells;
    if (pts.grid.empty()) {
      throw InputError(SourceLocation{spec.region.empty() ? "region_file" : "region", 0, {}},
                       fmt::format("{} ({:.0f} km2) holds no cell centre at level {}; use a higher level",
                                   region.name(), region.area_km2(), spec.level));
    }
  } else {
    pts.grid = earth::global_grid(spec.level).cells;
  }
  for (const auto& c : pts.grid) pts.locations.push_back(c.centre);
  return pts;
}

template <class T>
py::array_t<T> matrix(std::size_t rows, std::size_t cols) {
  return py::array_t<T>({static_cast<py::ssize_t>(rows), static_cast<py::ssize_t>(cols)});
}

py::dict coverage(const std::vector<std::string>& names, const std::vector<const Catalog*>& catalogs,
                  std::int64_t start_ns, std::int64_t stop_ns, std::int64_t step_ns, const PointsSpec& spec,
                  double min_elevation_deg, std::uint32_t min_sats, unsigned threads,
                  const std::string& data_given) {
  if (names.size() != catalogs.size() || catalogs.empty())
    throw py::value_error("give at least one provider, each with a name");
  const std::string folder = data_dir(data_given);
  const time::Window window =
      time::Window::make(instant_from_unix_ns(start_ns, "start"), instant_from_unix_ns(stop_ns, "stop"),
                         time::Duration::nanoseconds(step_ns), {"start", "stop", "step"});
  coverage::CoverageOptions copts;
  if (!(min_elevation_deg >= -90.0 && min_elevation_deg < 90.0)) {
    throw InputError(SourceLocation{"min_elevation_deg", 0, {}},
                     fmt::format("expected degrees in [-90, 90), got {}", min_elevation_deg));
  }
  copts.min_elevation_rad = min_elevation_deg * std::numbers::pi / 180.0;
  if (min_sats < 1) throw InputError(SourceLocation{"min_sats", 0, {}}, "expected at least 1");
  copts.min_sats = min_sats;

  std::vector<std::string> warnings;
  std::vector<coverage::Provider> providers;
  for (std::size_t p = 0; p < catalogs.size(); ++p) {
    if (names[p].empty() || names[p] == "any") {
      throw InputError(SourceLocation{"providers", 0, {}},
                       fmt::format("a provider's name must not be empty or \"any\", got \"{}\"", names[p]));
    }
    for (std::string& w : catalogs[p]->stale_warnings(window.start(), window.stop()))
      warnings.push_back(std::move(w));
    providers.push_back({names[p], catalogs[p]->fleet.get()});
  }
  Points pts;
  coverage::CoverageResult r;
  run_released(threads, folder, [&](const RunContext& run) {
    pts = load_points(spec, folder, warnings);
    r = coverage::compute_coverage(pts.locations, providers, window, copts, run);
  });
  for (std::size_t p = 0; p < providers.size(); ++p) {
    if (r.failed_states[p] > 0) {
      warnings.push_back(fmt::format("{}: {} satellite-step(s) with an SGP4 error were not counted in view",
                                     providers[p].name, r.failed_states[p]));
    }
  }

  const std::size_t n = r.points(), np = r.providers() + 1;
  auto coverage_fraction = matrix<double>(n, np), mean_visible = matrix<double>(n, np),
       max_gap_s = matrix<double>(n, np);
  auto min_visible = matrix<std::uint32_t>(n, np), max_visible = matrix<std::uint32_t>(n, np),
       gap_count = matrix<std::uint32_t>(n, np), steps_served = matrix<std::uint32_t>(n, np);
  auto cf = coverage_fraction.mutable_unchecked<2>(), mv = mean_visible.mutable_unchecked<2>(),
       mg = max_gap_s.mutable_unchecked<2>();
  auto mn = min_visible.mutable_unchecked<2>(), mx = max_visible.mutable_unchecked<2>(),
       gc = gap_count.mutable_unchecked<2>(), ss = steps_served.mutable_unchecked<2>();
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t p = 0; p < np; ++p) {
      const auto a = static_cast<py::ssize_t>(i), b = static_cast<py::ssize_t>(p);
      const coverage::PointStats& st = r.at(p, i);
      cf(a, b) = r.coverage_fraction(p, i);
      mv(a, b) = r.mean_visible(p, i);
      mg(a, b) = r.max_gap_s(p, i);
      mn(a, b) = st.min_visible;
      mx(a, b) = st.max_visible;
      gc(a, b) = st.gap_count;
      ss(a, b) = st.steps_served;
    }
  }
  py::list ids, provider_names;
  std::vector<double> lat(n), lon(n), area(n, std::numeric_limits<double>::quiet_NaN());
  for (std::size_t i = 0; i < n; ++i) {
    const bool cell = !pts.grid.empty();
    ids.append(py::str(cell ? pts.grid[i].token : pts.sites[i].id));
    const frames::Geodetic& g = pts.locations[i];
    lat[i] = g.lat_rad * kDegPerRad;
    lon[i] = g.lon_rad * kDegPerRad;
    if (cell) area[i] = pts.grid[i].area_km2;
  }
  for (std::size_t p = 0; p < np; ++p) provider_names.append(py::str(r.provider_name(p)));
  py::dict vars;
  vars["coverage_fraction"] = coverage_fraction;
  vars["mean_visible"] = mean_visible;
  vars["min_visible"] = min_visible;
  vars["max_visible"] = max_visible;
  vars["max_gap_s"] = max_gap_s;
  vars["gap_count"] = gap_count;
  vars["steps_served"] = steps_served;
  py::dict out;
  out["variables"] = vars;
  out["point_kind"] = pts.grid.empty() ? "site" : "cell";
  out["ids"] = ids;
  out["lat_deg"] = py::array_t<double>(static_cast<py::ssize_t>(n), lat.data());
  out["lon_deg"] = py::array_t<double>(static_cast<py::ssize_t>(n), lon.data());
  out["area_km2"] = py::array_t<double>(static_cast<py::ssize_t>(n), area.data());
  out["providers"] = provider_names;
  out["failed_states"] = r.failed_states;
  out["steps"] = r.steps();
  out["step_s"] = r.step_s();
  out["warnings"] = warnings;
  return out;
}

}  // namespace

void add_coverage(py::module_& m) {
  m.def(
      "coverage",
      [](const std::vector<std::string>& names, const std::vector<const Catalog*>& catalogs,
         std::int64_t start_ns, std::int64_t stop_ns, std::int64_t step_ns, int level,
         const std::string& region, const std::string& region_file, const std::string& region_name,
         const std::string& sites_file, bool strict, double min_elevation_deg, std::uint32_t min_sats,
         unsigned threads, const std::string& data_given) {
        const PointsSpec spec{level, region, region_file, region_name, sites_file, strict};
        return coverage(names, catalogs, start_ns, stop_ns, step_ns, spec, min_elevation_deg, min_sats,
                        threads, data_given);
      },
      py::arg("names"), py::arg("catalogs"), py::arg("start_ns"), py::arg("stop_ns"), py::arg("step_ns"),
      py::arg("level"), py::arg("region"), py::arg("region_file"), py::arg("region_name"),
      py::arg("sites_file"), py::arg("strict"), py::arg("min_elevation_deg"), py::arg("min_sats"),
      py::arg("threads"), py::arg("data_dir"),
      "coverage::compute_coverage as `skyfence coverage`; see skyfence.coverage.");
}

}  // namespace skyfence::python
