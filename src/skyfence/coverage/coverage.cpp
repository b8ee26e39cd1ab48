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
#include <memory>
#include <numbers>
#include <stdexcept>
#include <utility>

#include "skyfence/orbits/batch.h"
#include "skyfence/time/scales.h"
#include "skyfence/visibility/in_view.h"
#include "skyfence/visibility/site_grid.h"

namespace skyfence::coverage {
namespace {

constexpr double kPi = std::numbers::pi;
constexpr double kHalfPi = std::numbers::pi / 2.0;
// Satellites handled by one task; fixed, so the work split never depends on the thread count.
constexpr std::size_t kSatChunk = 64;
// Satellite ordering keys (compute_coverage): the cell of the sub-satellite point in the high bits,
// the satellite's index in the low 32; kNoSatellite sorts last and marks a satellite without a state.
constexpr std::uint64_t kSatelliteMask = 0xffffffffu;
constexpr std::uint64_t kNoSatellite = ~std::uint64_t{0};
constexpr double kLocalityCellRad = 4.0 * kPi / 180.0;

std::uint64_t locality_key(const frames::Vec3& r, std::size_t index) {
  const int rows = static_cast<int>(kPi / kLocalityCellRad);
  const int cols = static_cast<int>(2.0 * kPi / kLocalityCellRad);
  const double lat = std::atan2(r.z, std::hypot(r.x, r.y));
  const double lon = std::atan2(r.y, r.x);
  const int row = std::clamp(static_cast<int>((lat + kHalfPi) / kLocalityCellRad), 0, rows - 1);
  int col = std::clamp(static_cast<int>((lon + kPi) / kLocalityCellRad), 0, cols - 1);
  if (row % 2 == 1) col = cols - 1 - col;  // serpentine: neighbouring rows meet at their ends
  return (static_cast<std::uint64_t>(row * cols + col) << 32) | static_cast<std::uint64_t>(index);
}

// Points updated by one statistics task.
constexpr std::size_t kPointChunk = 8192;

void check(std::span<const Provider> providers, const CoverageOptions& o) {
  if (!(std::abs(o.min_elevation_rad) <= kHalfPi)) {
    throw std::invalid_argument("coverage: min_elevation_rad must lie in [-pi/2, pi/2]");
  }
  if (o.min_sats < 1) throw std::invalid_argument("coverage: min_sats must be >= 1");
  if (!o.provider_min_elevation_rad.empty() && o.provider_min_elevation_rad.size() != providers.size()) {
    throw std::invalid_argument("coverage: provider_min_elevation_rad must be empty or one per provider");
  }
  for (double e : o.provider_min_elevation_rad) {
    if (!(std::abs(e) <= kHalfPi))
      throw std::invalid_argument("coverage: a provider's minimum elevation must lie in [-pi/2, pi/2]");
  }
  if (o.cell_deg != 0.0 && !(o.cell_deg >= 0.1 && o.cell_deg <= 180.0)) {
    throw std::invalid_argument("coverage: cell_deg must be 0 (automatic) or in [0.1, 180]");
  }
  if (o.steps_per_block < 1) throw std::invalid_argument("coverage: steps_per_block must be >= 1");
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
    if (st.steps_served == 0) st.leading_gap_steps = gap_run;  // the first served step ends the leading run
    ++st.steps_served;
    gap_run = 0;
  } else {
    if (gap_run == 0) ++st.gap_count;
    ++gap_run;
    st.max_gap_steps = std::max(st.max_gap_steps, gap_run);
    if (st.steps_served == 0) st.leading_gap_steps = gap_run;
  }
  st.trailing_gap_steps = gap_run;
}

// Per-step permission of every provider, in input point order (all 1 without CoverageOptions::permission).
struct Permits {
  bool given = false;
  std::vector<std::vector<std::uint8_t>> of;  // [provider][point]

  Permits(const CoverageOptions& o, std::size_t providers, std::size_t points)
      : given(static_cast<bool>(o.permission)),
        of(given ? providers : 0, std::vector<std::uint8_t>(points, 1)) {}

  void update(const CoverageOptions& o, time::Instant at) {
    for (std::size_t p = 0; p < of.size(); ++p) {
      std::fill(of[p].begin(), of[p].end(), std::uint8_t{1});
      o.permission(p, at, of[p]);
    }
  }
};

// Per-step counts of every provider (sorted point order for the fast path) folded into the statistics.
void fold_step(CoverageResult& result, std::vector<std::uint32_t>& gap_runs,
               const std::vector<std::vector<std::uint32_t>>& counts,
               const std::vector<std::uint32_t>& to_original, const Permits& permits, std::uint32_t min_sats,
               bool first, const tbb::task_arena* arena) {
  const std::size_t n = result.points();
  const std::size_t np = result.providers();
  const std::size_t chunks = (n + kPointChunk - 1) / kPointChunk;
  const auto body = [&](std::size_t c) {
    const std::size_t end = std::min(n, (c + 1) * kPointChunk);
    for (std::size_t i = c * kPointChunk; i < end; ++i) {
      const std::size_t k = to_original.empty() ? i : to_original[i];
      std::uint32_t total = 0, total_permitted = 0;
      for (std::size_t p = 0; p < np; ++p) {
        const std::uint32_t v = counts[p][i];
        const bool permitted = !permits.given || permits.of[p][k] != 0;
        total += v;
        total_permitted += permitted ? v : 0;
        PointStats& st = result.at(p, k);
        accumulate(st, gap_runs[p * n + k], v, min_sats, first);
        st.steps_served_permitted += permitted && v >= min_sats ? 1 : 0;
      }
      PointStats& any = result.at(np, k);
      accumulate(any, gap_runs[np * n + k], total, min_sats, first);
      any.steps_served_permitted += total_permitted >= min_sats ? 1 : 0;
    }
  };
  if (arena == nullptr || chunks <= 1) {
    for (std::size_t c = 0; c < chunks; ++c) body(c);
  } else {
    tbb::parallel_for(std::size_t{0}, chunks, body);
  }
}

// One thread's counts (grid order) and pair tests, summed after each step.
struct ThreadCounts {
  std::vector<std::uint32_t> counts;
  std::uint64_t tests = 0;
  std::vector<std::pair<std::uint32_t, std::uint32_t>> runs;  // visibility::SiteGrid::runs'
};
using ThreadLocalCounts = tbb::enumerable_thread_specific<ThreadCounts>;

// Buffers of count_visible, kept across steps.
struct StepScratch {
  std::vector<frames::StateVector> itrf;
  std::vector<std::uint64_t> keys, order;
};

// Batched SGP4 of steps k0 .. k0 + nb of every provider into batches[p]; tsince as visibility::Fleet
// computes it.
void propagate_block(std::span<const Provider> providers, const Window& window, std::size_t k0,
                     std::size_t nb, int workers, std::vector<std::vector<double>>& tsince,
                     std::vector<orbits::BatchStates>& batches) {
  for (std::size_t p = 0; p < providers.size(); ++p) {
    const visibility::Fleet& fleet = *providers[p].fleet;
    const std::size_t ns = fleet.size();
    tsince[p].resize(nb * ns);
    for (std::size_t t = 0; t < nb; ++t) {
      const time::Instant at = window.at(k0 + t);
      for (std::size_t j = 0; j < ns; ++j) tsince[p][t * ns + j] = (at - fleet.epoch(j)).to_minutes();
    }
    fleet.batch().propagate(tsince[p], nb, batches[p], {.threads = static_cast<unsigned>(workers)});
  }
}

// total[i] = the satellites of one provider's batch, at its step t (UT1 Julian date jd), that grid
// point i (grid order) sees at or above min_el. Returns the provider's failed states at that step.
std::uint64_t count_visible(const orbits::BatchStates& bs, std::size_t t, const time::JulianDate& jd,
                            const visibility::SiteGrid& grid, double min_el, double s_abs_s,
                            ThreadLocalCounts& locals, StepScratch& scratch,
                            std::vector<std::uint32_t>& total) {
  const std::size_t ns = bs.n_satellites;
  const std::size_t chunks = (ns + kSatChunk - 1) / kSatChunk;
  std::uint64_t failed = 0;
  for (std::size_t j = 0; j < ns; ++j) failed += bs.error[bs.index(t, j)] != orbits::Sgp4Error::none ? 1 : 0;
  // ITRF positions, then the satellites ordered by where they are (sub-satellite point on a
  // coarse serpentine grid), so that the satellites of one task share the points they test
  // and those stay in cache. The order changes which thread counts what, never the sums.
  std::vector<frames::StateVector>& itrf = scratch.itrf;
  std::vector<std::uint64_t>& keys = scratch.keys;
  std::vector<std::uint64_t>& order = scratch.order;
  itrf.resize(ns);
  keys.resize(ns);
  tbb::parallel_for(std::size_t{0}, chunks, [&](std::size_t c) {
    const std::size_t end = std::min(ns, (c + 1) * kSatChunk);
    for (std::size_t j = c * kSatChunk; j < end; ++j) {
      const std::size_t e = bs.index(t, j);
      keys[j] = kNoSatellite;
      if (bs.error[e] != orbits::Sgp4Error::none) continue;
      const frames::StateVector teme{{bs.x[e], bs.y[e], bs.z[e]}, {bs.vx[e], bs.vy[e], bs.vz[e]}};
      itrf[j] = frames::teme_to_itrf(teme, jd);
      if (usable(itrf[j].r_km)) keys[j] = locality_key(itrf[j].r_km, j);
    }
  });
  order.assign(keys.begin(), keys.end());
  std::sort(order.begin(), order.end());
  while (!order.empty() && order.back() == kNoSatellite) order.pop_back();
  const std::size_t usable_sats = order.size();
  tbb::parallel_for(std::size_t{0}, (usable_sats + kSatChunk - 1) / kSatChunk, [&](std::size_t c) {
    ThreadCounts& local = locals.local();
    const std::size_t end = std::min(usable_sats, (c + 1) * kSatChunk);
    for (std::size_t k = c * kSatChunk; k < end; ++k) {
      const frames::StateVector& sat = itrf[order[k] & kSatelliteMask];
      local.tests += grid.runs(sat.r_km, min_el, local.runs);
      for (const auto& [b, e] : local.runs)
        grid.count_in_run(sat, b, e, min_el, s_abs_s, local.counts.data() + b);
    }
  });
  // Integer sums: the same whatever thread did which satellites.
  std::fill(total.begin(), total.end(), 0u);
  for (ThreadCounts& local : locals) {
    for (std::size_t i = 0; i < total.size(); ++i) total[i] += local.counts[i];
    std::fill(local.counts.begin(), local.counts.end(), 0u);
  }
  return failed;
}

}  // namespace

CoverageResult::CoverageResult(std::size_t n_points, std::vector<std::string> provider_names,
                               const Window& window)
    : n_points_(n_points),
      n_steps_(window.size()),
      step_s_(window.step().to_seconds()),
      names_(std::move(provider_names)),
      stats_(names_.size() * n_points) {
  failed_states.assign(names_.empty() ? 0 : names_.size() - 1, 0);
}

PointStats merge_consecutive(const PointStats& earlier, std::size_t earlier_steps, const PointStats& later,
                             std::size_t later_steps) {
  if (earlier_steps == 0) return later;
  if (later_steps == 0) return earlier;
  PointStats m;
  m.steps_served = earlier.steps_served + later.steps_served;
  m.sum_visible = earlier.sum_visible + later.sum_visible;
  m.min_visible = std::min(earlier.min_visible, later.min_visible);
  m.max_visible = std::max(earlier.max_visible, later.max_visible);
  m.steps_served_permitted = earlier.steps_served_permitted + later.steps_served_permitted;
  const bool joined = earlier.trailing_gap_steps > 0 && later.leading_gap_steps > 0;
  m.gap_count = earlier.gap_count + later.gap_count - (joined ? 1 : 0);
  m.max_gap_steps = std::max(
      {earlier.max_gap_steps, later.max_gap_steps, earlier.trailing_gap_steps + later.leading_gap_steps});
  // A window with no step served is one gap: the leading run of the other window extends it.
  m.leading_gap_steps = earlier.steps_served == 0 ? earlier.leading_gap_steps + later.leading_gap_steps
                                                  : earlier.leading_gap_steps;
  m.trailing_gap_steps = later.steps_served == 0 ? earlier.trailing_gap_steps + later.trailing_gap_steps
                                                 : later.trailing_gap_steps;
  return m;
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

double CoverageResult::served_fraction(std::size_t provider, std::size_t point) const {
  return n_steps_ == 0 ? 0.0
                       : static_cast<double>(at(provider, point).steps_served_permitted) /
                             static_cast<double>(n_steps_);
}

double CoverageResult::max_gap_s(std::size_t provider, std::size_t point) const {
  return static_cast<double>(at(provider, point).max_gap_steps) * step_s_;
}

CoverageResult compute_coverage(std::span<const frames::Geodetic> points, std::span<const Provider> providers,
                                const Window& window, const CoverageOptions& options, const RunContext& run) {
  check(providers, options);
  CoverageResult result(points.size(), names_of(providers), window);
  const std::size_t n = points.size();
  const std::size_t np = providers.size();
  const visibility::SiteGrid grid(points, options.cell_deg);
  std::vector<std::uint32_t> to_original(n);
  for (std::size_t i = 0; i < n; ++i) to_original[i] = grid.original(i);
  std::vector<double> min_els(np, options.min_elevation_rad), s_abs_ss(np);
  if (!options.provider_min_elevation_rad.empty()) min_els = options.provider_min_elevation_rad;
  for (std::size_t p = 0; p < np; ++p) {
    const double s = std::sin(min_els[p]);
    s_abs_ss[p] = s * std::abs(s);
  }
  const int workers = static_cast<int>(run.workers());
  tbb::task_arena arena(workers);

  std::vector<std::uint32_t> gap_runs((np + 1) * n, 0);
  std::vector<std::vector<std::uint32_t>> counts(np, std::vector<std::uint32_t>(n, 0));
  Permits permits(options, np, n);
  std::vector<std::vector<std::uint32_t>> input_order(options.on_step ? np : 0);
  std::vector<orbits::BatchStates> batches(np);
  StepScratch scratch;
  std::vector<std::vector<double>> tsince(np);

  arena.execute([&] {
    ThreadLocalCounts locals([&] { return ThreadCounts{std::vector<std::uint32_t>(n, 0), 0, {}}; });
    for (std::size_t k0 = 0; k0 < window.size(); k0 += options.steps_per_block) {
      const std::size_t nb = std::min(options.steps_per_block, window.size() - k0);
      propagate_block(providers, window, k0, nb, workers, tsince, batches);
      for (std::size_t t = 0; t < nb; ++t) {
        const time::Instant at = window.at(k0 + t);
        const time::JulianDate jd = time::jd_utc(at);
        for (std::size_t p = 0; p < np; ++p) {
          result.failed_states[p] +=
              count_visible(batches[p], t, jd, grid, min_els[p], s_abs_ss[p], locals, scratch, counts[p]);
        }
        if (permits.given) permits.update(options, at);
        fold_step(result, gap_runs, counts, to_original, permits, options.min_sats, k0 + t == 0, &arena);
        if (options.on_step) {
          for (std::size_t p = 0; p < np; ++p) {
            input_order[p].resize(n);
            for (std::size_t i = 0; i < n; ++i) input_order[p][to_original[i]] = counts[p][i];
          }
          options.on_step(k0 + t, input_order, permits.of);
        }
      }
      run.report("coverage", static_cast<double>(k0 + nb) / static_cast<double>(window.size()));
    }
    for (const ThreadCounts& local : locals) result.pair_tests += local.tests;
  });
  return result;
}

CoverageResult compute_coverage_moving(std::size_t n_points, const PositionsAt& positions,
                                       std::span<const Provider> providers, const Window& window,
                                       const CoverageOptions& options, const RunContext& run) {
  check(providers, options);
  if (!positions) throw std::invalid_argument("coverage: compute_coverage_moving needs positions");
  CoverageResult result(n_points, names_of(providers), window);
  const std::size_t np = providers.size();
  std::vector<std::uint32_t> gap_runs((np + 1) * n_points, 0);
  std::vector<std::vector<std::uint32_t>> counts(np, std::vector<std::uint32_t>(n_points, 0));
  Permits permits(options, np, n_points);
  std::vector<frames::Geodetic> where(n_points);
  std::vector<frames::StateVector> states;
  std::vector<orbits::Sgp4Error> errors;
  std::size_t most = 0;
  for (const Provider& pr : providers) most = std::max(most, pr.fleet->size());
  const std::unique_ptr<bool[]> valid(new bool[std::max<std::size_t>(most, 1)]);
  visibility::InViewSet set;
  for (std::size_t k = 0; k < window.size(); ++k) {
    run.check_stop();
    const time::Instant at = window.at(k);
    positions(at, where);
    const visibility::SiteIndex sites(where);
    for (std::size_t p = 0; p < np; ++p) {
      visibility::InViewOptions vo;
      vo.min_elevation_rad = options.provider_min_elevation_rad.empty()
                                 ? options.min_elevation_rad
                                 : options.provider_min_elevation_rad[p];
      providers[p].fleet->itrf_states(at, states, errors, run);
      for (std::size_t j = 0; j < states.size(); ++j) {
        valid[j] = errors[j] == orbits::Sgp4Error::none && usable(states[j].r_km);
        result.failed_states[p] += errors[j] != orbits::Sgp4Error::none ? 1 : 0;
      }
      visibility::in_view(sites, states, std::span<const bool>(valid.get(), states.size()), vo, set, run);
      for (std::size_t i = 0; i < n_points; ++i) {
        counts[p][i] = set.site_offsets[i + 1] - set.site_offsets[i];
        result.pair_tests += states.size();
      }
    }
    if (permits.given) permits.update(options, at);
    fold_step(result, gap_runs, counts, {}, permits, options.min_sats, k == 0, nullptr);
    if (options.on_step) options.on_step(k, counts, permits.of);
    run.report("coverage", static_cast<double>(k + 1) / static_cast<double>(window.size()));
  }
  return result;
}

CoverageResult coverage_brute_force(std::span<const frames::Geodetic> points,
                                    std::span<const Provider> providers, const Window& window,
                                    const CoverageOptions& options, const RunContext& run) {
  check(providers, options);
  CoverageResult result(points.size(), names_of(providers), window);
  const std::size_t n = points.size();
  const std::size_t np = providers.size();
  std::vector<frames::Topocentric> topo;
  topo.reserve(n);
  for (const frames::Geodetic& g : points) topo.emplace_back(g);
  std::vector<std::uint32_t> gap_runs((np + 1) * n, 0);
  std::vector<std::vector<std::uint32_t>> counts(np, std::vector<std::uint32_t>(n, 0));
  Permits permits(options, np, n);
  std::vector<frames::StateVector> states;
  std::vector<orbits::Sgp4Error> errors;
  for (std::size_t k = 0; k < window.size(); ++k) {
    const time::Instant at = window.at(k);
    for (std::size_t p = 0; p < np; ++p) {
      const double min_el = options.provider_min_elevation_rad.empty()
                                ? options.min_elevation_rad
                                : options.provider_min_elevation_rad[p];
      providers[p].fleet->itrf_states(at, states, errors, {.threads = 1});
      std::fill(counts[p].begin(), counts[p].end(), 0u);
      for (std::size_t i = 0; i < n; ++i) {
        for (std::size_t j = 0; j < states.size(); ++j) {
          if (errors[j] != orbits::Sgp4Error::none || !usable(states[j].r_km)) continue;
          ++result.pair_tests;
          if (topo[i].look(states[j]).elevation_rad >= min_el) ++counts[p][i];
        }
      }
      for (auto e : errors) result.failed_states[p] += e != orbits::Sgp4Error::none ? 1 : 0;
    }
    if (permits.given) permits.update(options, at);
    fold_step(result, gap_runs, counts, {}, permits, options.min_sats, k == 0, nullptr);
    if (options.on_step) options.on_step(k, counts, permits.of);
    run.report("coverage", static_cast<double>(k + 1) / static_cast<double>(window.size()));
  }
  return result;
}

}  // namespace skyfence::coverage
