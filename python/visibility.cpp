// skyfence._skyfence.passes and .visible: the computations of `skyfence passes` and `skyfence visible`
// (apps/cli/passes.cpp, visible.cpp), their rows returned as columns for pandas.
#include <pybind11/numpy.h>
#include <pybind11/stl.h>

#include <algorithm>
#include <cstdint>
#include <memory>
#include <numbers>
#include <stdexcept>
#include <string>
#include <tuple>
#include <vector>

#include <fmt/core.h>

#include "catalog.h"
#include "common.h"
#include "skyfence/core/units.h"
#include "skyfence/earth/site.h"
#include "skyfence/scenario/study.h"
#include "skyfence/time/leap_seconds.h"
#include "skyfence/time/scales.h"
#include "skyfence/time/window.h"
#include "skyfence/visibility/fleet.h"
#include "skyfence/visibility/in_view.h"
#include "skyfence/visibility/passes.h"

namespace skyfence::python {

namespace {

constexpr std::size_t kMaxListed = 20;  // issues of one kind listed one by one, as the CLI

// The sites of `specs` ("LAT,LON[,ALT_M]", as --site; its id is ids[i] when `ids` is not empty, else
// the text) then of `file` (as --sites), with the skipped rows' warnings. Throws InputError when there
// is none. REQUIRES: ids empty or as long as specs.
std::vector<earth::Site> load_sites(const std::vector<std::string>& specs,
                                    const std::vector<std::string>& ids, const std::string& file, bool strict,
                                    std::vector<std::string>& warnings) {
  if (!ids.empty() && ids.size() != specs.size()) throw py::value_error("site_id must name every site");
  std::vector<earth::Site> sites;
  for (std::size_t i = 0; i < specs.size(); ++i) {
    sites.push_back(earth::parse_site_spec(specs[i], "site"));
    if (!ids.empty()) sites.back().id = sites.back().name = ids[i];
  }
  if (!file.empty()) {
    const auto warn = [&warnings](const std::string& w) { warnings.push_back(w); };
    for (auto& s : scenario::read_sites(file, strict, "strict=True", warn)) sites.push_back(std::move(s));
  }
  if (sites.empty()) {
    throw InputError(SourceLocation{file.empty() ? "site" : file, 0, {}},
                     "expected at least one site, found none");
  }
  return sites;
}

// As the CLI's inputs::min_elevation_rad, naming the Python argument.
double min_elevation_rad(double deg) {
  if (!(deg >= -90.0 && deg < 90.0)) {
    throw InputError(SourceLocation{"min_elevation_deg", 0, {}},
                     fmt::format("expected degrees in [-90, 90), got {}", deg));
  }
  return deg * std::numbers::pi / 180.0;
}

// The CLI's warning about times past the leap-second table's expiry.
void warn_about_leap_seconds(time::Instant last, std::vector<std::string>& warnings) {
  const auto& leaps = time::LeapSecondTable::builtin();
  if (leaps.is_stale(last)) {
    warnings.push_back(
        fmt::format("times after {} are past the leap-second table's expiry: a leap second announced since "
                    "is not known (UTC may be off by 1 s)",
                    time::format_iso8601(leaps.expires(), 0)));
  }
}

template <class T>
py::array_t<T> to_array(const std::vector<T>& v) {
  py::array_t<T> out(static_cast<py::ssize_t>(v.size()));
  std::copy(v.begin(), v.end(), out.mutable_data());
  return out;
}

py::array_t<bool> to_bool_array(const std::vector<std::uint8_t>& v) {
  py::array_t<bool> out(static_cast<py::ssize_t>(v.size()));
  bool* d = out.mutable_data();
  for (std::size_t i = 0; i < v.size(); ++i) d[i] = v[i] != 0;
  return out;
}

py::dict passes(const Catalog& catalog, const std::vector<std::string>& specs,
                const std::vector<std::string>& ids, const std::string& sites_file, bool strict,
                std::int64_t start_ns, std::int64_t stop_ns, double min_elevation_deg, unsigned threads) {
  const time::Window window =
      time::Window::continuous(instant_from_unix_ns(start_ns, "start"), instant_from_unix_ns(stop_ns, "stop"),
                               {"start", "stop", "step"});
  const time::Instant start = window.start(), stop = window.stop();
  visibility::PassOptions popts;
  popts.min_elevation_rad = min_elevation_rad(min_elevation_deg);
  std::vector<std::string> warnings;
  const std::vector<earth::Site> sites = load_sites(specs, ids, sites_file, strict, warnings);
  for (std::string& w : catalog.stale_warnings(start, stop)) warnings.push_back(std::move(w));
  warn_about_leap_seconds(stop, warnings);

  std::vector<frames::Geodetic> locations;
  locations.reserve(sites.size());
  for (const auto& s : sites) locations.push_back(s.location);
  const visibility::Fleet& fleet = *catalog.fleet;
  const visibility::PassList found = run_released(threads, data_dir(), [&](const RunContext& run) {
    return visibility::find_passes(fleet, locations, start, stop, popts, run);
  });

  const auto& sets = catalog.sets;
  for (std::size_t i = 0; i < found.failures.size(); ++i) {
    if (i == kMaxListed) {
      warnings.push_back(fmt::format("... and {} more SGP4 failures", found.failures.size() - kMaxListed));
      break;
    }
    const auto& f = found.failures[i];
    const auto& es = sets[f.satellite];
    warnings.push_back(fmt::format("{} (NORAD {}): SGP4 error {} at {}: {}; its passes stop there",
                                   es.name.empty() ? "satellite" : es.name, es.norad_id,
                                   static_cast<int>(f.error), time::format_iso8601(f.when, 3),
                                   orbits::describe(f.error)));
  }
  if (strict && !found.failures.empty()) {
    throw std::runtime_error(fmt::format("{}: {} SGP4 failure(s) with strict=True (the CLI's exit status 1)",
                                         catalog.source, found.failures.size()));
  }

  const std::size_t n = found.passes.size();
  std::vector<std::uint32_t> norad(n);
  std::vector<std::int64_t> aos(n), tca(n), los(n);
  std::vector<double> max_el(n), aos_az(n), los_az(n), duration(n);
  std::vector<std::uint8_t> aos_clipped(n), los_clipped(n);
  py::list names, site_ids;
  for (std::size_t k = 0; k < n; ++k) {
    const visibility::Pass& p = found.passes[k];
    norad[k] = fleet.norad_id(p.satellite);
    names.append(py::str(sets[p.satellite].name));
    site_ids.append(py::str(sites[p.site].id));
    aos[k] = unix_ns(p.aos);
    tca[k] = unix_ns(p.tca);
    los[k] = unix_ns(p.los);
    max_el[k] = p.max_elevation_rad * kDegPerRad;
    aos_az[k] = p.aos_azimuth_rad * kDegPerRad;
    los_az[k] = p.los_azimuth_rad * kDegPerRad;
    duration[k] = p.duration().to_seconds();
    aos_clipped[k] = p.aos_clipped ? 1 : 0;
    los_clipped[k] = p.los_clipped ? 1 : 0;
  }
  py::dict out;
  out["norad_id"] = to_array(norad);
  out["name"] = names;
  out["site_id"] = site_ids;
  out["aos_utc"] = to_array(aos);
  out["tca_utc"] = to_array(tca);
  out["los_utc"] = to_array(los);
  out["max_elevation_deg"] = to_array(max_el);
  out["aos_azimuth_deg"] = to_array(aos_az);
  out["los_azimuth_deg"] = to_array(los_az);
  out["duration_s"] = to_array(duration);
  out["aos_clipped"] = to_bool_array(aos_clipped);
  out["los_clipped"] = to_bool_array(los_clipped);
  return py::dict(py::arg("columns") = out, py::arg("warnings") = warnings);
}

py::dict visible(const Catalog& catalog, const std::vector<std::string>& specs,
                 const std::vector<std::string>& ids, const std::string& sites_file, bool strict,
                 std::int64_t time_ns, double min_elevation_deg, unsigned threads) {
  const time::Instant when = instant_from_unix_ns(time_ns, "time");
  visibility::InViewOptions vopts;
  vopts.min_elevation_rad = min_elevation_rad(min_elevation_deg);
  std::vector<std::string> warnings;
  const std::vector<earth::Site> sites = load_sites(specs, ids, sites_file, strict, warnings);
  for (std::string& w : catalog.stale_warnings(when, when)) warnings.push_back(std::move(w));
  warn_about_leap_seconds(when, warnings);

  const auto& sets = catalog.sets;
  const visibility::Fleet& fleet = *catalog.fleet;
  std::vector<frames::Geodetic> locations;
  for (const auto& site : sites) locations.push_back(site.location);
  std::vector<orbits::Sgp4Error> errors;
  visibility::InViewSet set;
  run_released(threads, data_dir(), [&](const RunContext& run) {
    std::vector<frames::StateVector> states;
    fleet.itrf_states(when, states, errors, run);
    std::unique_ptr<bool[]> valid(new bool[errors.size()]);
    for (std::size_t i = 0; i < errors.size(); ++i) valid[i] = errors[i] == orbits::Sgp4Error::none;
    const visibility::SiteIndex index(locations);
    visibility::in_view(index, states, std::span<const bool>(valid.get(), errors.size()), vopts, set, run);
  });

  std::size_t n_errors = 0;
  for (std::size_t i = 0; i < errors.size(); ++i) {
    if (errors[i] == orbits::Sgp4Error::none) continue;
    if (++n_errors <= kMaxListed) {
      warnings.push_back(fmt::format("{} (NORAD {}): SGP4 error {} at {}: {}; left out",
                                     sets[i].name.empty() ? "satellite" : sets[i].name, sets[i].norad_id,
                                     static_cast<int>(errors[i]), time::format_iso8601(when, 3),
                                     orbits::describe(errors[i])));
    }
  }
  if (n_errors > kMaxListed)
    warnings.push_back(fmt::format("... and {} more SGP4 errors", n_errors - kMaxListed));
  if (strict && n_errors > 0) {
    throw std::runtime_error(fmt::format("{}: {} SGP4 failure(s) with strict=True (the CLI's exit status 1)",
                                         catalog.source, n_errors));
  }

  std::vector<std::uint32_t> norad;
  std::vector<double> az, el, range, rate;
  py::list names, site_ids;
  for (std::size_t k = 0; k < sites.size(); ++k) {
    std::vector<visibility::InViewEntry> rows(set.of_site(k).begin(), set.of_site(k).end());
    // Highest first; ties (equal elevations) by NORAD id, then catalog order (as the CLI).
    std::stable_sort(rows.begin(), rows.end(), [&](const auto& a, const auto& b) {
      return std::tuple(-a.look.elevation_rad, sets[a.satellite].norad_id) <
             std::tuple(-b.look.elevation_rad, sets[b.satellite].norad_id);
    });
    for (const auto& r : rows) {
      norad.push_back(sets[r.satellite].norad_id);
      names.append(py::str(sets[r.satellite].name));
      az.push_back(r.look.azimuth_rad * kDegPerRad);
      el.push_back(r.look.elevation_rad * kDegPerRad);
      range.push_back(r.look.range_km);
      rate.push_back(r.look.range_rate_km_s);
      site_ids.append(py::str(sites[k].id));
    }
  }
  py::dict out;
  out["norad_id"] = to_array(norad);
  out["name"] = names;
  out["azimuth_deg"] = to_array(az);
  out["elevation_deg"] = to_array(el);
  out["range_km"] = to_array(range);
  out["range_rate_km_s"] = to_array(rate);
  out["site_id"] = site_ids;
  return py::dict(py::arg("columns") = out, py::arg("warnings") = warnings);
}

}  // namespace

void add_visibility(py::module_& m) {
  m.def("passes", &passes, py::arg("catalog"), py::arg("specs"), py::arg("ids"), py::arg("sites_file"),
        py::arg("strict"), py::arg("start_ns"), py::arg("stop_ns"), py::arg("min_elevation_deg"),
        py::arg("threads"), "visibility::find_passes as `skyfence passes`; see skyfence.passes.");
  m.def("visible", &visible, py::arg("catalog"), py::arg("specs"), py::arg("ids"), py::arg("sites_file"),
        py::arg("strict"), py::arg("time_ns"), py::arg("min_elevation_deg"), py::arg("threads"),
        "visibility::in_view as `skyfence visible`; see skyfence.visible.");
}

}  // namespace skyfence::python
