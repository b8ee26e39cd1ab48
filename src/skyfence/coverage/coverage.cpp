// Coverage statistics with a latitude/longitude grid of points; the method and its margins are in
// coverage.h.
#include "skyfence/coverage/coverage.h"

#include <oneapi/tbb/enumerable_thread_specific.h>
#include <oneapi/tbb/info.h>
#include <oneapi/tbb/parallel_for.h>
#include <oneapi/tbb/task_arena.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <utility>

#include "skyfence/orbits/batch.h"
#include "skyfence/time/scales.h"
#include "skyfence/visibility/in_view.h"

namespace skyfence::coverage {
namespace {

constexpr double kPi = std::numbers::pi;
constexpr double kHalfPi = std::numbers::pi / 2.0;
// Slack on the cap radius and the row latitude bands (radians), on top of one extra row and column
// each side: the grid's floor() and a point's own atan2 may round apart.
constexpr double kGridSlackRad = 1e-9;
// Relative margin of the sqrt-free elevation test (coverage.h): rounding moves u|u| - s|s||rel|^2
// by ~1e-15 |rel|^2, so outside 1e-12 |rel|^2 its sign is that of the exact test.
constexpr double kTestMargin = 1e-12;
// Satellites handled by one task; fixed, so the work split never depends on the thread count.
constexpr std::size_t kSatChunk = 64;
// Points updated by one statistics task.
constexpr std::size_t kPointChunk = 8192;

void check(std::span<const Provider> providers, const Window& window, const CoverageOptions& o) {
  if (!(std::abs(o.min_elevation_rad) <= kHalfPi)) {
    throw std::invalid_argument("coverage: min_elevation_rad must lie in [-pi/2, pi/2]");
  }
  if (o.min_sats < 1) throw std::invalid_argument("coverage: min_sats must be >= 1");
  if (o.cell_deg != 0.0 && !(o.cell_deg >= 0.1 && o.cell_deg <= 180.0)) {
    throw std::invalid_argument("coverage: cell_deg must be 0 (automatic) or in [0.1, 180]");
  }
  if (o.steps_per_block < 1) throw std::invalid_argument("coverage: steps_per_block must be >= 1");
  if (window.n_steps > 1 && window.step.count_ns() <= 0) {
    throw std::invalid_argument("coverage: the step must be positive");
  }
  for (const Provider& p : providers) {
    if (p.fleet == nullptr) throw std::invalid_argument("coverage: provider '" + p.name + "' has no fleet");
  }
}

std::vector<std::string> names_of(std::span<const Provider> providers) {
  std::vector<std::string> names;
  for (const Provider& p : providers) names.push_back(p.name);
  names.emplace_back("any");
  return names;
}

bool usable(const frames::Vec3& r) {
  return std::isfinite(r.x) && std::isfinite(r.y) && std::isfinite(r.z);
}

// Streaming statistics of one point and provider: one call per step, in step order.
void accumulate(PointStats& st, std::uint32_t& gap_run, std::uint32_t in_view, std::uint32_t min_sats,
                bool first) {
  st.sum_visible += in_view;
  st.min_visible = first ? in_view : std::min(st.min_visible, in_view);
  st.max_visible = std::max(st.max_visible, in_view);
  if (in_view >= min_sats) {
    ++st.steps_served;
    gap_run = 0;
  } else {
    if (gap_run == 0) ++st.gap_count;
    ++gap_run;
    st.max_gap_steps = std::max(st.max_gap_steps, gap_run);
  }
}

// Workers for `threads` (0 = all cores; more than the hardware runs is clamped).
int workers_for(unsigned threads) {
  const int hardware = tbb::info::default_concurrency();
  return threads == 0 ? hardware
                      : std::max(1, std::min(hardware, static_cast<int>(std::min(threads, 1024u))));
}

// Points sorted by the cell of a geocentric latitude/longitude grid, structure of arrays.
class PointGrid {
 public:
  PointGrid(std::span<const frames::Geodetic> points, double cell_deg) {
    const std::size_t n = points.size();
    if (cell_deg == 0.0) {
      // About four evenly spread points a cell (41,253 square degrees on the sphere), 1 to 10 deg.
      cell_deg =
          std::clamp(std::sqrt(4.0 * 41253.0 / static_cast<double>(std::max<std::size_t>(n, 1))), 1.0, 10.0);
    }
    rows_ = std::max(1, static_cast<int>(std::lround(180.0 / cell_deg)));
    cols_ = std::max(1, static_cast<int>(std::lround(360.0 / cell_deg)));
    lat_step_ = kPi / rows_;
    lon_step_ = 2.0 * kPi / cols_;
    std::vector<std::uint32_t> cell_of(n);
    std::vector<std::uint32_t> counts(static_cast<std::size_t>(rows_) * static_cast<std::size_t>(cols_) + 1,
                                      0);
    std::vector<frames::Topocentric> topo;
    topo.reserve(n);
    rho_min_ = n == 0 ? 0.0 : std::numeric_limits<double>::infinity();
    for (std::size_t k = 0; k < n; ++k) {
      topo.emplace_back(points[k]);
      const frames::Vec3& r = topo.back().site_itrf_km();
      const double rho = r.norm();
      rho_min_ = std::min(rho_min_, rho);
      rho_max_ = std::max(rho_max_, rho);
      const double lat = std::atan2(r.z, std::hypot(r.x, r.y));
      const double lon = std::atan2(r.y, r.x);
      const int row = std::clamp(static_cast<int>(std::floor((lat + kHalfPi) / lat_step_)), 0, rows_ - 1);
      const int col = std::clamp(static_cast<int>(std::floor((lon + kPi) / lon_step_)), 0, cols_ - 1);
      cell_of[k] = static_cast<std::uint32_t>(row * cols_ + col);
      ++counts[cell_of[k] + 1];
    }
    for (std::size_t c = 1; c < counts.size(); ++c) counts[c] += counts[c - 1];
    cell_start_ = counts;
    order_.resize(n);
    for (std::size_t k = 0; k < n; ++k) order_[counts[cell_of[k]]++] = static_cast<std::uint32_t>(k);
    for (auto* v : {&px_, &py_, &pz_, &ux_, &uy_, &uz_}) v->resize(n);
    topo_.reserve(n);
    for (std::size_t i = 0; i < n; ++i) {
      const std::uint32_t k = order_[i];
      const frames::Topocentric& t = topo[k];
      topo_.push_back(t);
      px_[i] = t.site_itrf_km().x;
      py_[i] = t.site_itrf_km().y;
      pz_[i] = t.site_itrf_km().z;
      // The WGS84 vertical; within a few 1e-16 of Topocentric's own (the test's margin covers it).
      const frames::Geodetic& g = points[k];
      ux_[i] = std::cos(g.lat_rad) * std::cos(g.lon_rad);
      uy_[i] = std::cos(g.lat_rad) * std::sin(g.lon_rad);
      uz_[i] = std::sin(g.lat_rad);
    }
  }

  [[nodiscard]] std::size_t size() const { return order_.size(); }
  // Original index of sorted point i.
  [[nodiscard]] std::uint32_t original(std::size_t i) const { return order_[i]; }

  // Adds 1 to counts[i] (sorted order) for every point i that sees the satellite at sat_itrf at or
  // above min_el; returns the number of pairs tested.
  std::uint64_t count(const frames::StateVector& sat, double min_el, double s_abs_s,
                      std::uint32_t* counts) const {
    const frames::Vec3& r = sat.r_km;
    const double rn = r.norm();
    if (!(rn > 0.0) || size() == 0) return 0;
    const double lambda = visibility::search_radius_rad(rn, rho_min_, rho_max_, min_el);
    if (lambda >= kPi) {
      test_range(sat, 0, size(), min_el, s_abs_s, counts);
      return size();
    }
    const double a = lambda + kGridSlackRad;
    const double lat_c = std::atan2(r.z, std::hypot(r.x, r.y));
    const double lon_c = std::atan2(r.y, r.x);
    const double sin_c = std::sin(lat_c), cos_c = std::cos(lat_c), cos_a = std::cos(a);
    const double lat_lo = lat_c - a, lat_hi = lat_c + a;
    const int r0 =
        std::max(0, static_cast<int>(std::floor((std::max(lat_lo, -kHalfPi) + kHalfPi) / lat_step_)) - 1);
    const int r1 = std::min(
        rows_ - 1, static_cast<int>(std::floor((std::min(lat_hi, kHalfPi) + kHalfPi) / lat_step_)) + 1);
    const bool pole_in_cap = lat_hi >= kHalfPi || lat_lo <= -kHalfPi;
    // Latitude where the cap is widest in longitude.
    const double lat_widest = std::asin(std::clamp(sin_c / cos_a, -1.0, 1.0));
    std::uint64_t tests = 0;
    for (int row = r0; row <= r1; ++row) {
      const std::size_t base = static_cast<std::size_t>(row) * static_cast<std::size_t>(cols_);
      bool whole_row = pole_in_cap;
      double half = kPi;
      if (!whole_row) {
        const double b0 = std::max(-kHalfPi, -kHalfPi + row * lat_step_ - kGridSlackRad);
        const double b1 = std::min(kHalfPi, -kHalfPi + (row + 1) * lat_step_ + kGridSlackRad);
        // The cap's longitude half-width is unimodal in latitude, largest at lat_widest.
        const double lat = std::clamp(lat_widest, b0, b1);
        const double denom = std::cos(lat) * cos_c;
        if (!(denom > 1e-12)) {
          whole_row = true;
        } else {
          const double ratio = (cos_a - std::sin(lat) * sin_c) / denom;
          if (ratio <= -1.0) {
            whole_row = true;
          } else {
            half = std::acos(std::min(ratio, 1.0)) + kGridSlackRad;
          }
        }
      }
      long c0 = 0, c1 = cols_ - 1;
      if (!whole_row) {
        c0 = static_cast<long>(std::floor((lon_c - half + kPi) / lon_step_)) - 1;
        c1 = static_cast<long>(std::floor((lon_c + half + kPi) / lon_step_)) + 1;
        if (c1 - c0 + 1 >= cols_) whole_row = true;
      }
      const auto run = [&](long from, long to) {  // columns [from, to], inside [0, cols)
        const std::size_t b = cell_start_[base + static_cast<std::size_t>(from)];
        const std::size_t e = cell_start_[base + static_cast<std::size_t>(to) + 1];
        if (b < e) test_range(sat, b, e, min_el, s_abs_s, counts);
        tests += e - b;
      };
      if (whole_row) {
        run(0, cols_ - 1);
      } else if (c0 < 0) {
        run(c0 + cols_, cols_ - 1);
        run(0, c1);
      } else if (c1 >= cols_) {
        run(c0, cols_ - 1);
        run(0, c1 - cols_);
      } else {
        run(c0, c1);
      }
    }
    return tests;
  }

 private:
  // The elevation test of sorted points [b, e): sqrt-free with a margin, exact look angles inside it.
  void test_range(const frames::StateVector& sat, std::size_t b, std::size_t e, double min_el, double s_abs_s,
                  std::uint32_t* counts) const {
    const double sx = sat.r_km.x, sy = sat.r_km.y, sz = sat.r_km.z;
    const double* px = px_.data();
    const double* py = py_.data();
    const double* pz = pz_.data();
    const double* ux = ux_.data();
    const double* uy = uy_.data();
    const double* uz = uz_.data();
    const auto margin_of = [&](std::size_t i, double& tol) {
      const double rx = sx - px[i], ry = sy - py[i], rz = sz - pz[i];
      const double u = ux[i] * rx + uy[i] * ry + uz[i] * rz;
      const double n2 = rx * rx + ry * ry + rz * rz;
      tol = kTestMargin * n2;
      return u * std::abs(u) - s_abs_s * n2;
    };
    int unsure = 0;
    for (std::size_t i = b; i < e; ++i) {
      double tol;
      const double d = margin_of(i, tol);
      counts[i] += d > tol ? 1u : 0u;
      unsure |= std::abs(d) <= tol ? 1 : 0;
    }
    if (unsure == 0) return;
    for (std::size_t i = b; i < e; ++i) {
      double tol;
      const double d = margin_of(i, tol);
      if (std::abs(d) <= tol && topo_[i].look(sat).elevation_rad >= min_el) ++counts[i];
    }
  }

  int rows_ = 0, cols_ = 0;
  double lat_step_ = 0.0, lon_step_ = 0.0;
  double rho_min_ = 0.0, rho_max_ = 0.0;
  std::vector<std::uint32_t> cell_start_;  // rows * cols + 1 offsets into the sorted points
  std::vector<std::uint32_t> order_;       // sorted -> original index
  std::vector<double> px_, py_, pz_;       // site ITRF, km
  std::vector<double> ux_, uy_, uz_;       // WGS84 vertical
  std::vector<frames::Topocentric> topo_;
};

// Per-step counts of every provider (sorted point order for the fast path) folded into the statistics.
void fold_step(CoverageResult& result, std::vector<std::uint32_t>& gap_runs,
               const std::vector<std::vector<std::uint32_t>>& counts,
               const std::vector<std::uint32_t>& to_original, std::uint32_t min_sats, bool first,
               const tbb::task_arena* arena) {
  const std::size_t n = result.points();
  const std::size_t np = result.providers();
  const std::size_t chunks = (n + kPointChunk - 1) / kPointChunk;
  const auto body = [&](std::size_t c) {
    const std::size_t end = std::min(n, (c + 1) * kPointChunk);
    for (std::size_t i = c * kPointChunk; i < end; ++i) {
      const std::size_t k = to_original.empty() ? i : to_original[i];
      std::uint32_t total = 0;
      for (std::size_t p = 0; p < np; ++p) {
        const std::uint32_t v = counts[p][i];
        total += v;
        accumulate(result.at(p, k), gap_runs[p * n + k], v, min_sats, first);
      }
      accumulate(result.at(np, k), gap_runs[np * n + k], total, min_sats, first);
    }
  };
  if (arena == nullptr || chunks <= 1) {
    for (std::size_t c = 0; c < chunks; ++c) body(c);
  } else {
    tbb::parallel_for(std::size_t{0}, chunks, body);
  }
}

}  // namespace

CoverageResult::CoverageResult(std::size_t n_points, std::vector<std::string> provider_names,
                               const Window& window)
    : n_points_(n_points),
      n_steps_(window.n_steps),
      step_s_(window.step.to_seconds()),
      names_(std::move(provider_names)),
      stats_(names_.size() * n_points) {
  failed_states.assign(names_.empty() ? 0 : names_.size() - 1, 0);
}

double CoverageResult::coverage_fraction(std::size_t provider, std::size_t point) const {
  return n_steps_ == 0
             ? 0.0
             : static_cast<double>(at(provider, point).steps_served) / static_cast<double>(n_steps_);
}

double CoverageResult::mean_visible(std::size_t provider, std::size_t point) const {
  return n_steps_ == 0 ? 0.0
                       : static_cast<double>(at(provider, point).sum_visible) / static_cast<double>(n_steps_);
}

double CoverageResult::max_gap_s(std::size_t provider, std::size_t point) const {
  return static_cast<double>(at(provider, point).max_gap_steps) * step_s_;
}

CoverageResult compute_coverage(std::span<const frames::Geodetic> points, std::span<const Provider> providers,
                                const Window& window, const CoverageOptions& options) {
  check(providers, window, options);
  CoverageResult result(points.size(), names_of(providers), window);
  const std::size_t n = points.size();
  const std::size_t np = providers.size();
  const PointGrid grid(points, options.cell_deg);
  std::vector<std::uint32_t> to_original(n);
  for (std::size_t i = 0; i < n; ++i) to_original[i] = grid.original(i);
  const double min_el = options.min_elevation_rad;
  const double s = std::sin(min_el);
  const double s_abs_s = s * std::abs(s);
  const int workers = workers_for(options.threads);
  tbb::task_arena arena(workers);

  struct Local {
    std::vector<std::uint32_t> counts;
    std::uint64_t tests = 0;
  };
  std::vector<std::uint32_t> gap_runs((np + 1) * n, 0);
  std::vector<std::vector<std::uint32_t>> counts(np, std::vector<std::uint32_t>(n, 0));
  std::vector<orbits::BatchStates> batches(np);
  std::vector<std::vector<double>> tsince(np);

  arena.execute([&] {
    tbb::enumerable_thread_specific<Local> locals([&] { return Local{std::vector<std::uint32_t>(n, 0), 0}; });
    for (std::size_t k0 = 0; k0 < window.n_steps; k0 += options.steps_per_block) {
      const std::size_t nb = std::min(options.steps_per_block, window.n_steps - k0);
      // Batched SGP4 of this block of steps, each provider; tsince as visibility::Fleet computes it.
      for (std::size_t p = 0; p < np; ++p) {
        const visibility::Fleet& fleet = *providers[p].fleet;
        const std::size_t ns = fleet.size();
        tsince[p].resize(nb * ns);
        for (std::size_t t = 0; t < nb; ++t) {
          const time::Instant at = window.start + window.step * static_cast<std::int64_t>(k0 + t);
          for (std::size_t j = 0; j < ns; ++j) tsince[p][t * ns + j] = (at - fleet.epoch(j)).to_minutes();
        }
        fleet.batch().propagate(tsince[p], nb, batches[p], {.threads = static_cast<unsigned>(workers)});
      }
      for (std::size_t t = 0; t < nb; ++t) {
        const time::Instant at = window.start + window.step * static_cast<std::int64_t>(k0 + t);
        const time::JulianDate jd = time::jd_utc(at);
        for (std::size_t p = 0; p < np; ++p) {
          const orbits::BatchStates& bs = batches[p];
          const std::size_t ns = bs.n_satellites;
          const std::size_t chunks = (ns + kSatChunk - 1) / kSatChunk;
          std::uint64_t failed = 0;
          for (std::size_t j = 0; j < ns; ++j)
            failed += bs.error[bs.index(t, j)] != orbits::Sgp4Error::none ? 1 : 0;
          result.failed_states[p] += failed;
          tbb::parallel_for(std::size_t{0}, chunks, [&](std::size_t c) {
            Local& local = locals.local();
            const std::size_t end = std::min(ns, (c + 1) * kSatChunk);
            for (std::size_t j = c * kSatChunk; j < end; ++j) {
              const std::size_t e = bs.index(t, j);
              if (bs.error[e] != orbits::Sgp4Error::none) continue;
              const frames::StateVector teme{{bs.x[e], bs.y[e], bs.z[e]}, {bs.vx[e], bs.vy[e], bs.vz[e]}};
              const frames::StateVector itrf = frames::teme_to_itrf(teme, jd);
              if (!usable(itrf.r_km)) continue;
              local.tests += grid.count(itrf, min_el, s_abs_s, local.counts.data());
            }
          });
          // Integer sums: the same whatever thread did which satellites.
          std::vector<std::uint32_t>& total = counts[p];
          std::fill(total.begin(), total.end(), 0u);
          for (Local& local : locals) {
            for (std::size_t i = 0; i < n; ++i) total[i] += local.counts[i];
            std::fill(local.counts.begin(), local.counts.end(), 0u);
          }
        }
        fold_step(result, gap_runs, counts, to_original, options.min_sats, k0 + t == 0, &arena);
      }
    }
    for (const Local& local : locals) result.pair_tests += local.tests;
  });
  return result;
}

CoverageResult coverage_brute_force(std::span<const frames::Geodetic> points,
                                    std::span<const Provider> providers, const Window& window,
                                    const CoverageOptions& options) {
  check(providers, window, options);
  CoverageResult result(points.size(), names_of(providers), window);
  const std::size_t n = points.size();
  const std::size_t np = providers.size();
  std::vector<frames::Topocentric> topo;
  topo.reserve(n);
  for (const frames::Geodetic& g : points) topo.emplace_back(g);
  std::vector<std::uint32_t> gap_runs((np + 1) * n, 0);
  std::vector<std::vector<std::uint32_t>> counts(np, std::vector<std::uint32_t>(n, 0));
  std::vector<frames::StateVector> states;
  std::vector<orbits::Sgp4Error> errors;
  for (std::size_t k = 0; k < window.n_steps; ++k) {
    const time::Instant at = window.start + window.step * static_cast<std::int64_t>(k);
    for (std::size_t p = 0; p < np; ++p) {
      providers[p].fleet->itrf_states(at, states, errors, 1);
      std::fill(counts[p].begin(), counts[p].end(), 0u);
      for (std::size_t i = 0; i < n; ++i) {
        for (std::size_t j = 0; j < states.size(); ++j) {
          if (errors[j] != orbits::Sgp4Error::none || !usable(states[j].r_km)) continue;
          ++result.pair_tests;
          if (topo[i].look(states[j]).elevation_rad >= options.min_elevation_rad) ++counts[p][i];
        }
      }
      for (auto e : errors) result.failed_states[p] += e != orbits::Sgp4Error::none ? 1 : 0;
    }
    fold_step(result, gap_runs, counts, {}, options.min_sats, k == 0, nullptr);
  }
  return result;
}

}  // namespace skyfence::coverage
