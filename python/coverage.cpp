// skyfence._skyfence.coverage: coverage::compute_coverage over S2 cells or sites, as `skyfence coverage`
// chooses its points (scenario/study.h, load_points) and computes (apps/cli/coverage.cpp), its
// statistics returned as (points, providers) arrays for an xarray Dataset; under the CLI's --policy and
// --customer (served_fraction), and with sites files of moving terminals, as `skyfence coverage`.
//
// For skyfence.distributed also: coverage_partial, the mergeable statistics of a shard of the points
// (a contiguous range of them) over a chunk of the window's steps; coverage_merge, two chunks' statistics
// joined in time (coverage::merge_consecutive); and write_coverage, merged statistics written by the
// CLI's writers (coverage/writers.h) to a file that appears whole. The partial statistics take the
// policies and moving terminals too, their permissions decided by the same code as the whole window's
// (range_permissions).
#include "skyfence/coverage/coverage.h"

#include <pybind11/numpy.h>
#include <pybind11/stl.h>

#include <algorithm>
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
#include "skyfence/core/atomic_file.h"
#include "skyfence/core/units.h"
#include "skyfence/coverage/writers.h"
#include "skyfence/earth/grid.h"
#include "skyfence/earth/region.h"
#include "skyfence/earth/site.h"
#include "skyfence/earth/trajectory.h"
#include "skyfence/policy/permission.h"
#include "skyfence/scenario/study.h"
#include "skyfence/time/scales.h"
#include "skyfence/time/window.h"
#include "study_names.h"

namespace skyfence::python {

namespace {

// Where coverage is computed: what the CLI's --level, --region, --region-file/--region-name and --sites
// give.
struct PointsSpec {
  int level = earth::kDefaultGridLevel;
  std::string region, region_file, region_name, sites_file;
  bool strict = false;
  std::vector<std::string> policies;  // the CLI's --policy, each for the provider it names
  std::string customer;               // the CLI's --customer
  // Errors and warnings name the command line's options (`python3 -m skyfence.distributed coverage`:
  // --customer, --policy, ...) rather than the Python arguments.
  bool cli_names = false;
};

struct Points {
  std::vector<earth::Cell> grid;   // cells, or
  std::vector<earth::Site> sites;  // sites
  std::vector<frames::Geodetic> locations;
  std::vector<earth::Track> tracks;  // per site (one sample at rest); empty for cells
  // Of all the points `spec` names (not only a range of them): whether some move, and whether the
  // sites are decided along the series (scenario::decided_along_series).
  bool moving = false, along_series = false;
};

// scenario::StudyInput of `spec`, its warnings appended to `warnings`.
scenario::StudyInput study_input(const PointsSpec& spec, const std::string& data_folder,
                                 std::vector<std::string>& warnings) {
  scenario::StudyInput in;
  in.level = spec.level;
  in.region = spec.region;
  in.region_file = spec.region_file;
  in.region_name = spec.region_name;
  in.sites = spec.sites_file;
  in.strict = spec.strict;
  in.policies = spec.policies;
  in.customer = spec.customer;
  in.data_folder = data_folder;
  in.names = spec.cli_names ? scenario::StudyNames{} : study_names();
  in.warn = [&warnings](const std::string& w) { warnings.push_back(w); };
  return in;
}

// The points of scenario::load_points (as the CLI's), errors naming the Python arguments; moving
// terminals keep their tracks.
Points load_points(const PointsSpec& spec, const std::string& data_folder,
                   std::vector<std::string>& warnings) {
  const scenario::StudyInput in = study_input(spec, data_folder, warnings);
  std::optional<earth::CountryBorders> borders;
  scenario::Points all = scenario::load_points(in, borders);
  const bool moving = earth::any_moving(all.tracks);
  const bool along_series = scenario::decided_along_series(all);
  return {std::move(all.grid), std::move(all.sites), std::move(all.locations), std::move(all.tracks), moving,
          along_series};
}

template <class T>
py::array_t<T> matrix(std::size_t rows, std::size_t cols) {
  return py::array_t<T>({static_cast<py::ssize_t>(rows), static_cast<py::ssize_t>(cols)});
}

// The window, options and providers of a computation, checked as the CLI checks them (errors at the
// Python arguments), and the catalogs' staleness warnings.
struct Setup {
  time::Window window;
  coverage::CoverageOptions options;
  std::vector<coverage::Provider> providers;
  std::vector<std::string> warnings;
};

Setup setup(const std::vector<std::string>& names, const std::vector<const Catalog*>& catalogs,
            std::int64_t start_ns, std::int64_t stop_ns, std::int64_t step_ns, double min_elevation_deg,
            std::uint32_t min_sats) {
  if (names.size() != catalogs.size() || catalogs.empty())
    throw py::value_error("give at least one provider, each with a name");
  Setup s;
  s.window =
      time::Window::make(instant_from_unix_ns(start_ns, "start"), instant_from_unix_ns(stop_ns, "stop"),
                         time::Duration::nanoseconds(step_ns), {"start", "stop", "step"});
  if (!(min_elevation_deg >= -90.0 && min_elevation_deg < 90.0)) {
    throw InputError(SourceLocation{"min_elevation_deg", 0, {}},
                     fmt::format("expected degrees in [-90, 90), got {}", min_elevation_deg));
  }
  s.options.min_elevation_rad = min_elevation_deg * std::numbers::pi / 180.0;
  if (min_sats < 1) throw InputError(SourceLocation{"min_sats", 0, {}}, "expected at least 1");
  s.options.min_sats = min_sats;
  for (std::size_t p = 0; p < catalogs.size(); ++p) {
    if (names[p].empty() || names[p] == "any") {
      throw InputError(SourceLocation{"providers", 0, {}},
                       fmt::format("a provider's name must not be empty or \"any\", got \"{}\"", names[p]));
    }
    for (std::string& w : catalogs[p]->stale_warnings(s.window.start(), s.window.stop()))
      s.warnings.push_back(std::move(w));
    s.providers.push_back({names[p], catalogs[p]->fleet.get()});
  }
  return s;
}

void warn_failures(const Setup& s, const coverage::CoverageResult& r, std::vector<std::string>& warnings) {
  for (std::size_t p = 0; p < s.providers.size(); ++p) {
    if (r.failed_states[p] > 0) {
      warnings.push_back(fmt::format("{}: {} satellite-step(s) with an SGP4 error were not counted in view",
                                     s.providers[p].name, r.failed_states[p]));
    }
  }
}

// ----------------------------------------------------------------------- partial statistics (Dask)

// The mergeable statistics, one (points, providers + 1) array per PointStats field.
constexpr const char* kU32Fields[] = {
    "steps_served", "min_visible",       "max_visible",        "max_gap_steps",
    "gap_count",    "leading_gap_steps", "trailing_gap_steps", "steps_served_permitted"};

std::uint32_t coverage::PointStats::*const kU32Members[] = {
    &coverage::PointStats::steps_served,       &coverage::PointStats::min_visible,
    &coverage::PointStats::max_visible,        &coverage::PointStats::max_gap_steps,
    &coverage::PointStats::gap_count,          &coverage::PointStats::leading_gap_steps,
    &coverage::PointStats::trailing_gap_steps, &coverage::PointStats::steps_served_permitted};

using U32Array = py::array_t<std::uint32_t, py::array::c_style | py::array::forcecast>;
using U64Array = py::array_t<std::uint64_t, py::array::c_style | py::array::forcecast>;

// A (points, columns) statistics array of the given field; its shape is checked against the others.
template <class Array>
Array stats_field(const py::dict& stats, const char* name, py::ssize_t rows, py::ssize_t cols) {
  if (!stats.contains(name)) throw py::value_error(fmt::format("partial statistics lack \"{}\"", name));
  Array a = stats[name].cast<Array>();
  if (a.ndim() != 2 || a.shape(0) != rows || a.shape(1) != cols) {
    throw py::value_error(
        fmt::format("partial statistics \"{}\": expected shape ({}, {})", name, rows, cols));
  }
  return a;
}

// Reads and writes PointStats through the arrays of a statistics dict (raw pointers: usable with the
// GIL released while the arrays are kept alive).
struct StatsView {
  std::size_t rows = 0, cols = 0;
  std::vector<U32Array> u32;
  U64Array sum_visible;
  std::vector<std::uint32_t*> u32_data;
  std::uint64_t* sum_data = nullptr;

  static StatsView allocate(std::size_t rows, std::size_t cols) {
    StatsView v;
    v.rows = rows;
    v.cols = cols;
    const std::vector<py::ssize_t> shape{static_cast<py::ssize_t>(rows), static_cast<py::ssize_t>(cols)};
    for (std::size_t f = 0; f < std::size(kU32Fields); ++f) v.u32.emplace_back(shape);
    v.sum_visible = U64Array(shape);
    v.pointers();
    return v;
  }
  static StatsView of(const py::dict& stats) {
    if (!stats.contains("sum_visible")) throw py::value_error("partial statistics lack \"sum_visible\"");
    const py::array first = stats["sum_visible"].cast<py::array>();
    if (first.ndim() != 2) throw py::value_error("partial statistics: expected (points, providers) arrays");
    StatsView v;
    v.rows = static_cast<std::size_t>(first.shape(0));
    v.cols = static_cast<std::size_t>(first.shape(1));
    const auto r = static_cast<py::ssize_t>(v.rows), c = static_cast<py::ssize_t>(v.cols);
    for (const char* name : kU32Fields) v.u32.push_back(stats_field<U32Array>(stats, name, r, c));
    v.sum_visible = stats_field<U64Array>(stats, "sum_visible", r, c);
    v.pointers();
    return v;
  }
  void pointers() {
    u32_data.clear();
    for (U32Array& a : u32) u32_data.push_back(a.mutable_data());
    sum_data = sum_visible.mutable_data();
  }
  [[nodiscard]] coverage::PointStats get(std::size_t k) const {
    coverage::PointStats st;
    for (std::size_t f = 0; f < u32_data.size(); ++f) st.*kU32Members[f] = u32_data[f][k];
    st.sum_visible = sum_data[k];
    return st;
  }
  void set(std::size_t k, const coverage::PointStats& st) {
    for (std::size_t f = 0; f < u32_data.size(); ++f) u32_data[f][k] = st.*kU32Members[f];
    sum_data[k] = st.sum_visible;
  }
  [[nodiscard]] py::dict dict() const {
    py::dict d;
    for (std::size_t f = 0; f < u32.size(); ++f) d[kU32Fields[f]] = u32[f];
    d["sum_visible"] = sum_visible;
    return d;
  }
};

// Points [first, first + count) of those `spec` names (fewer at the end), and how many it names in all.
// Cells of the global grid are made one by one from their S2 ids, so a shard never builds the whole
// grid: cell i of level L in the order earth::global_grid lists them (S2CellId::Begin(L).advance(i)) has
// id (2 i + 1) 4^(30 - L), since a cell of level L carries its lowest set bit at 2 (30 - L) and the
// cells of a level follow each other at twice that bit.
Points load_point_range(const PointsSpec& spec, const std::string& folder, std::size_t first,
                        std::size_t count, std::size_t& total, std::vector<std::string>& warnings) {
  const bool global = spec.sites_file.empty() && spec.region.empty() && spec.region_file.empty();
  if (!global) {
    Points all = load_points(spec, folder, warnings);
    Points pts;
    pts.moving = all.moving;
    pts.along_series = all.along_series;
    total = all.locations.size();
    const std::size_t b = std::min(first, total), e = std::min(total, first + std::min(count, total));
    for (std::size_t i = b; i < e; ++i) {
      if (!all.grid.empty()) pts.grid.push_back(all.grid[i]);
      if (!all.sites.empty()) pts.sites.push_back(all.sites[i]);
      if (!all.tracks.empty()) pts.tracks.push_back(all.tracks[i]);
      pts.locations.push_back(all.locations[i]);
    }
    return pts;
  }
  if (spec.level < 0 || spec.level > earth::kMaxGridLevel) {
    throw InputError(SourceLocation{"level", 0, {}}, fmt::format("expected a level from 0 to {}, found {}",
                                                                 earth::kMaxGridLevel, spec.level));
  }
  total = std::size_t{6} << (2 * spec.level);
  const std::size_t b = std::min(first, total), e = std::min(total, first + std::min(count, total));
  const std::uint64_t lsb = std::uint64_t{1} << (2 * (30 - spec.level));
  Points pts;
  pts.grid.reserve(e - b);
  for (std::size_t i = b; i < e; ++i) {
    pts.grid.push_back(earth::make_cell((2 * static_cast<std::uint64_t>(i) + 1) * lsb));
    pts.locations.push_back(pts.grid.back().centre);
  }
  return pts;
}

// A range of the points as scenario::Points (what the policies are evaluated over).
scenario::Points study_points(Points&& pts) {
  scenario::Points sp;
  sp.cells = pts.sites.empty();
  sp.grid = std::move(pts.grid);
  sp.sites = std::move(pts.sites);
  sp.tracks = std::move(pts.tracks);
  sp.locations = std::move(pts.locations);
  return sp;
}

// The permission hook of a range of the points under the spec's policies, and how many of those points
// ask with no customer class.
struct RangePermissions {
  policy::PermissionHook hook;  // empty without policies
  std::size_t without_customer = 0;
};

// Warnings of load_permissions about points with no customer class name the points it was given: for a
// range they are left to the caller, who adds the ranges' counts (scenario::no_customer_warning).
bool is_no_customer_warning(const std::string& w) {
  return w.find(" with no customer class, so rules that name a customer") != std::string::npos;
}

// Permissions as `skyfence coverage` decides them (scenario::study_permissions), over points
// [first, ...) of those the spec names; `along_series` is decided_along_series of all of them, so every
// range is decided the same way. The series' hook keeps state from the window's first step (roaming
// days, the enforcement delay), so a chunk that starts at `first_step` > 0 first replays the
// decisions of the steps before it, provider by provider, exactly as one run over the window makes
// them; their values are dropped.
RangePermissions range_permissions(const PointsSpec& spec, const std::string& folder,
                                   const scenario::Points& sp, bool along_series,
                                   const std::vector<std::string>& names, const time::Window& window,
                                   std::size_t first_step, std::vector<std::string>& warnings) {
  RangePermissions out;
  if (spec.policies.empty() && spec.customer.empty()) return out;
  std::vector<std::string> said;
  const scenario::StudyInput in = study_input(spec, folder, said);
  std::optional<earth::CountryBorders> borders;
  if (!along_series) {
    auto permissions =
        std::make_shared<policy::ProviderPermissions>(scenario::load_permissions(in, sp, names, borders));
    for (std::string& w : said) {
      if (!is_no_customer_warning(w)) warnings.push_back(std::move(w));
    }
    if (permissions->empty()) return out;
    const std::vector<policy::RequestContext> contexts = scenario::request_contexts(in, sp, "");
    out.without_customer = static_cast<std::size_t>(
        std::count_if(contexts.begin(), contexts.end(),
                      [](const policy::RequestContext& c) { return c.customer.empty(); }));
    out.hook = [permissions, hook = permissions->hook()](std::size_t p, time::Instant at,
                                                         std::span<std::uint8_t> permitted) {
      hook(p, at, permitted);
    };
    return out;
  }
  policy::PermissionHook tracked = scenario::tracked_permissions(in, sp, names, borders);
  for (std::string& w : said) warnings.push_back(std::move(w));
  if (!tracked || first_step == 0) {
    out.hook = std::move(tracked);
    return out;
  }
  // Per provider: whether its earlier steps were replayed, and the buffer they were decided into.
  auto replayed = std::make_shared<std::vector<std::uint8_t>>(names.size(), 0);
  auto scratch = std::make_shared<std::vector<std::vector<std::uint8_t>>>(names.size());
  out.hook = [tracked, replayed, scratch, window, first_step](std::size_t p, time::Instant at,
                                                              std::span<std::uint8_t> permitted) {
    if ((*replayed)[p] == 0) {
      (*replayed)[p] = 1;
      std::vector<std::uint8_t>& buffer = (*scratch)[p];
      for (std::size_t k = 0; k < first_step; ++k) {
        buffer.assign(permitted.size(), 1);
        tracked(p, window.at(k), buffer);
      }
    }
    tracked(p, at, permitted);
  };
  return out;
}

py::dict coverage_partial(const std::vector<std::string>& names, const std::vector<const Catalog*>& catalogs,
                          std::int64_t start_ns, std::int64_t stop_ns, std::int64_t step_ns,
                          std::size_t first_step, std::size_t steps, std::size_t first_point,
                          std::size_t points, const PointsSpec& spec, double min_elevation_deg,
                          std::uint32_t min_sats, unsigned threads, const std::string& data_given) {
  const std::string folder = data_dir(data_given);
  Setup su = setup(names, catalogs, start_ns, stop_ns, step_ns, min_elevation_deg, min_sats);
  if (steps < 1 || first_step >= su.window.size() || steps > su.window.size() - first_step) {
    throw py::value_error(fmt::format("steps [{}, {} + {}) lie outside the window's {} steps", first_step,
                                      first_step, steps, su.window.size()));
  }
  const time::Window chunk = time::Window::of_count(su.window.at(first_step), su.window.step(), steps);
  scenario::Points pts;
  std::size_t total = 0, without_customer = 0;
  coverage::CoverageResult r;
  run_released(threads, folder, [&](const RunContext& run) {
    Points range = load_point_range(spec, folder, first_point, points, total, su.warnings);
    const bool moving = range.moving, along_series = range.along_series;
    pts = study_points(std::move(range));
    RangePermissions permissions =
        range_permissions(spec, folder, pts, along_series, names, su.window, first_step, su.warnings);
    su.options.permission = std::move(permissions.hook);
    without_customer = permissions.without_customer;
    if (moving) {
      const auto positions = [&pts](time::Instant at, std::span<frames::Geodetic> out) {
        earth::positions_at(pts.tracks, at, out);
      };
      r = coverage::compute_coverage_moving(pts.tracks.size(), positions, su.providers, chunk, su.options,
                                            run);
    } else {
      r = coverage::compute_coverage(pts.locations, su.providers, chunk, su.options, run);
    }
  });
  warn_failures(su, r, su.warnings);
  const std::size_t n = r.points(), np = r.providers() + 1;
  StatsView stats = StatsView::allocate(n, np);
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t p = 0; p < np; ++p) stats.set(i * np + p, r.at(p, i));
  }
  py::list ids;
  std::vector<double> lat(n), lon(n), area(n, std::numeric_limits<double>::quiet_NaN());
  for (std::size_t i = 0; i < n; ++i) {
    const bool cell = !pts.grid.empty();
    ids.append(py::str(cell ? pts.grid[i].token : pts.sites[i].id));
    lat[i] = pts.locations[i].lat_rad * kDegPerRad;
    lon[i] = pts.locations[i].lon_rad * kDegPerRad;
    if (cell) area[i] = pts.grid[i].area_km2;
  }
  py::list provider_names;
  for (std::size_t p = 0; p < np; ++p) provider_names.append(py::str(r.provider_name(p)));
  py::dict out;
  out["stats"] = stats.dict();
  out["steps"] = steps;
  out["step_s"] = r.step_s();
  out["failed_states"] = r.failed_states;
  out["pair_tests"] = r.pair_tests;
  out["point_kind"] = spec.sites_file.empty() ? "cell" : "site";
  out["total_points"] = total;
  out["without_customer"] = without_customer;
  out["served"] = !spec.policies.empty();
  out["ids"] = ids;
  out["lat_deg"] = py::array_t<double>(static_cast<py::ssize_t>(n), lat.data());
  out["lon_deg"] = py::array_t<double>(static_cast<py::ssize_t>(n), lon.data());
  out["area_km2"] = py::array_t<double>(static_cast<py::ssize_t>(n), area.data());
  out["providers"] = provider_names;
  out["warnings"] = su.warnings;
  return out;
}

py::dict coverage(const std::vector<std::string>& names, const std::vector<const Catalog*>& catalogs,
                  std::int64_t start_ns, std::int64_t stop_ns, std::int64_t step_ns, const PointsSpec& spec,
                  double min_elevation_deg, std::uint32_t min_sats, unsigned threads,
                  const std::string& data_given) {
  const std::string folder = data_dir(data_given);
  Setup su = setup(names, catalogs, start_ns, stop_ns, step_ns, min_elevation_deg, min_sats);
  std::vector<std::string>& warnings = su.warnings;
  scenario::Points pts;
  coverage::CoverageResult r;
  std::size_t without_customer = 0;
  run_released(threads, folder, [&](const RunContext& run) {
    Points loaded = load_points(spec, folder, warnings);
    const bool moving = loaded.moving, along_series = loaded.along_series;
    pts = study_points(std::move(loaded));
    // The whole window from its first step: the permissions of one run, as `skyfence coverage` decides
    // them; the warning about points with no customer class is said below, once per policy.
    RangePermissions permissions =
        range_permissions(spec, folder, pts, along_series, names, su.window, 0, warnings);
    su.options.permission = std::move(permissions.hook);
    without_customer = permissions.without_customer;
    if (moving) {
      const auto positions = [&pts](time::Instant at, std::span<frames::Geodetic> out) {
        earth::positions_at(pts.tracks, at, out);
      };
      r = coverage::compute_coverage_moving(pts.tracks.size(), positions, su.providers, su.window, su.options,
                                            run);
    } else {
      r = coverage::compute_coverage(pts.locations, su.providers, su.window, su.options, run);
    }
  });
  warn_failures(su, r, warnings);
  if (without_customer > 0) {
    std::vector<std::string> ignored;
    const scenario::StudyInput in = study_input(spec, folder, ignored);
    for (const std::string& f : spec.policies) {
      warnings.push_back(
          scenario::no_customer_warning(in, f, without_customer, pts.locations.size(), pts.sites.empty()));
    }
  }
  const bool served = !spec.policies.empty();

  const std::size_t n = r.points(), np = r.providers() + 1;
  auto coverage_fraction = matrix<double>(n, np), mean_visible = matrix<double>(n, np),
       max_gap_s = matrix<double>(n, np);
  auto min_visible = matrix<std::uint32_t>(n, np), max_visible = matrix<std::uint32_t>(n, np),
       gap_count = matrix<std::uint32_t>(n, np), steps_served = matrix<std::uint32_t>(n, np);
  auto served_fraction = matrix<double>(served ? n : 0, np);
  auto cf = coverage_fraction.mutable_unchecked<2>(), mv = mean_visible.mutable_unchecked<2>(),
       mg = max_gap_s.mutable_unchecked<2>();
  auto mn = min_visible.mutable_unchecked<2>(), mx = max_visible.mutable_unchecked<2>(),
       gc = gap_count.mutable_unchecked<2>(), ss = steps_served.mutable_unchecked<2>();
  auto sf = served_fraction.mutable_unchecked<2>();
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
      if (served) sf(a, b) = r.served_fraction(p, i);
    }
  }
  py::list ids, provider_names;
  std::vector<double> lat(n), lon(n), area(n, std::numeric_limits<double>::quiet_NaN());
  for (std::size_t i = 0; i < n; ++i) {
    const bool cell = pts.sites.empty();
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
  if (served) vars["served_fraction"] = served_fraction;
  py::dict out;
  out["variables"] = vars;
  out["point_kind"] = pts.sites.empty() ? "cell" : "site";
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

py::dict coverage_merge(const py::dict& earlier, std::size_t earlier_steps, const py::dict& later,
                        std::size_t later_steps) {
  const StatsView a = StatsView::of(earlier), b = StatsView::of(later);
  if (a.rows != b.rows || a.cols != b.cols) throw py::value_error("partial statistics of different shapes");
  StatsView m = StatsView::allocate(a.rows, a.cols);
  {
    const py::gil_scoped_release release;  // raw arrays only from here
    for (std::size_t k = 0; k < a.rows * a.cols; ++k) {
      m.set(k, coverage::merge_consecutive(a.get(k), earlier_steps, b.get(k), later_steps));
    }
  }
  return m.dict();
}

void write_coverage(const std::string& path, const std::string& format, const py::dict& stats_dict,
                    std::size_t steps, std::int64_t start_ns, std::int64_t step_ns,
                    const std::vector<std::string>& provider_names, const std::vector<std::uint64_t>& failed,
                    const PointsSpec& spec, bool served, unsigned threads, const std::string& data_given) {
  if (format != "csv" && format != "geojson") throw py::value_error("format must be \"csv\" or \"geojson\"");
  const std::string folder = data_dir(data_given);
  const StatsView stats = StatsView::of(stats_dict);
  if (stats.cols != provider_names.size() || failed.size() + 1 != provider_names.size())
    throw py::value_error("write_coverage: one statistics column and name per provider, and \"any\"");
  const time::Window window = time::Window::of_count(instant_from_unix_ns(start_ns, "start"),
                                                     time::Duration::nanoseconds(step_ns), steps);
  run_released(threads, folder, [&](const RunContext& run) {
    std::vector<std::string> ignored;
    const Points pts = load_points(spec, folder, ignored);
    if (pts.locations.size() != stats.rows) {
      throw std::invalid_argument(
          fmt::format("write_coverage: {} points, statistics of {}", pts.locations.size(), stats.rows));
    }
    coverage::CoverageResult r(stats.rows, provider_names, window);
    for (std::size_t i = 0; i < stats.rows; ++i) {
      for (std::size_t p = 0; p < stats.cols; ++p) r.at(p, i) = stats.get(i * stats.cols + p);
    }
    r.failed_states = failed;
    AtomicFile file(path);
    coverage::WriteOptions wo;
    wo.served = served;
    wo.out = [&](std::string_view text) { file.write(text); };
    (format == "csv" ? coverage::write_csv : coverage::write_geojson)({pts.grid, pts.sites, pts.tracks}, r,
                                                                      wo, run);
    run.check_stop();
    file.commit();
  });
}

}  // namespace

void add_coverage(py::module_& m) {
  m.def(
      "coverage",
      [](const std::vector<std::string>& names, const std::vector<const Catalog*>& catalogs,
         std::int64_t start_ns, std::int64_t stop_ns, std::int64_t step_ns, int level,
         const std::string& region, const std::string& region_file, const std::string& region_name,
         const std::string& sites_file, bool strict, double min_elevation_deg, std::uint32_t min_sats,
         unsigned threads, const std::string& data_given, const std::vector<std::string>& policies,
         const std::string& customer) {
        const PointsSpec spec{level,      region, region_file, region_name,
                              sites_file, strict, policies,    customer};
        return coverage(names, catalogs, start_ns, stop_ns, step_ns, spec, min_elevation_deg, min_sats,
                        threads, data_given);
      },
      py::arg("names"), py::arg("catalogs"), py::arg("start_ns"), py::arg("stop_ns"), py::arg("step_ns"),
      py::arg("level"), py::arg("region"), py::arg("region_file"), py::arg("region_name"),
      py::arg("sites_file"), py::arg("strict"), py::arg("min_elevation_deg"), py::arg("min_sats"),
      py::arg("threads"), py::arg("data_dir"), py::arg("policies") = std::vector<std::string>{},
      py::arg("customer") = "",
      "coverage::compute_coverage as `skyfence coverage` (under --policy and --customer; sites may move); "
      "see "
      "skyfence.coverage.");
  m.def(
      "coverage_partial",
      [](const std::vector<std::string>& names, const std::vector<const Catalog*>& catalogs,
         std::int64_t start_ns, std::int64_t stop_ns, std::int64_t step_ns, std::size_t first_step,
         std::size_t steps, std::size_t first_point, std::size_t points, int level, const std::string& region,
         const std::string& region_file, const std::string& region_name, const std::string& sites_file,
         bool strict, double min_elevation_deg, std::uint32_t min_sats, unsigned threads,
         const std::string& data_given, const std::vector<std::string>& policies, const std::string& customer,
         bool cli_names) {
        const PointsSpec spec{level,  region,   region_file, region_name, sites_file,
                              strict, policies, customer,    cli_names};
        return coverage_partial(names, catalogs, start_ns, stop_ns, step_ns, first_step, steps, first_point,
                                points, spec, min_elevation_deg, min_sats, threads, data_given);
      },
      py::arg("names"), py::arg("catalogs"), py::arg("start_ns"), py::arg("stop_ns"), py::arg("step_ns"),
      py::arg("first_step"), py::arg("steps"), py::arg("first_point"), py::arg("points"), py::arg("level"),
      py::arg("region"), py::arg("region_file"), py::arg("region_name"), py::arg("sites_file"),
      py::arg("strict"), py::arg("min_elevation_deg"), py::arg("min_sats"), py::arg("threads"),
      py::arg("data_dir"), py::arg("policies") = std::vector<std::string>{}, py::arg("customer") = "",
      py::arg("cli_names") = false,
      "Mergeable coverage statistics of points [first_point, first_point + points) over the window's steps "
      "[first_step, first_step + steps), under the policies for the customer as `skyfence coverage --policy` "
      "(sites may move); see skyfence.distributed.");
  m.def(
      "no_customer_warning",
      [](const std::string& policy_file, std::size_t without, std::size_t total, bool cells, bool cli_names) {
        scenario::StudyInput in;
        in.names = cli_names ? scenario::StudyNames{} : study_names();
        return scenario::no_customer_warning(in, policy_file, without, total, cells);
      },
      py::arg("policy_file"), py::arg("without"), py::arg("total"), py::arg("cells"),
      py::arg("cli_names") = false,
      "The warning about points with no customer class under a policy (scenario::no_customer_warning).");
  m.def(
      "coverage_merge", &coverage_merge, py::arg("earlier"), py::arg("earlier_steps"), py::arg("later"),
      py::arg("later_steps"),
      "Statistics of two consecutive step ranges joined (coverage::merge_consecutive), element by element.");
  m.def(
      "write_coverage",
      [](const std::string& path, const std::string& format, const py::dict& stats, std::size_t steps,
         std::int64_t start_ns, std::int64_t step_ns, const std::vector<std::string>& provider_names,
         const std::vector<std::uint64_t>& failed, int level, const std::string& region,
         const std::string& region_file, const std::string& region_name, const std::string& sites_file,
         bool strict, unsigned threads, const std::string& data_given, bool served) {
        const PointsSpec spec{level, region, region_file, region_name, sites_file, strict, {}, {}};
        write_coverage(path, format, stats, steps, start_ns, step_ns, provider_names, failed, spec, served,
                       threads, data_given);
      },
      py::arg("path"), py::arg("format"), py::arg("stats"), py::arg("steps"), py::arg("start_ns"),
      py::arg("step_ns"), py::arg("provider_names"), py::arg("failed_states"), py::arg("level"),
      py::arg("region"), py::arg("region_file"), py::arg("region_name"), py::arg("sites_file"),
      py::arg("strict"), py::arg("threads"), py::arg("data_dir"), py::arg("served") = false,
      "Merged statistics of every point written as `skyfence coverage` writes them (CSV or GeoJSON; served: "
      "with served_fraction, as under --policy), to a temporary file renamed onto `path`.");
}

}  // namespace skyfence::python
