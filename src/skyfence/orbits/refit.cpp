// Differential correction of SGP4 mean elements to a new epoch; see refit.h.
#include "skyfence/orbits/refit.h"

#include <oneapi/tbb/parallel_for.h>
#include <oneapi/tbb/task_arena.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <limits>
#include <mutex>
#include <numbers>
#include <stdexcept>
#include <string>
#include <string_view>

#include "skyfence/core/error.h"
#include "skyfence/orbits/tle.h"

namespace skyfence::orbits {
namespace refit_detail {

constexpr double kDegPerRad = 180.0 / std::numbers::pi;
// Half the resolution of a TLE's epoch field (1e-8 day): an epoch this close is the same field.
constexpr std::int64_t kSameEpochNs = 432'000;

// The unknowns: mean motion (rev/day), e cos w, e sin w, inclination, RAAN and w + M (degrees).
using Params = std::array<double, 6>;
// Forward-difference steps of the Jacobian, each moving the position by centimetres to metres: far
// above SGP4's rounding (1e-9 km), far below the nonlinearity of the problem.
constexpr Params kStep{1e-7, 1e-7, 1e-7, 1e-6, 1e-6, 1e-6};

double wrap_deg(double a) {
  a = std::fmod(a, 360.0);
  return a < 0.0 ? a + 360.0 : a;
}

ElementSet with_params(const ElementSet& base, const Params& x) {
  ElementSet es = base;
  es.mean_motion_rev_per_day = x[0];
  es.eccentricity = std::hypot(x[1], x[2]);
  const double w = es.eccentricity > 0.0 ? std::atan2(x[2], x[1]) * kDegPerRad : 0.0;
  es.arg_perigee_deg = wrap_deg(w);
  es.inclination_deg = x[3];
  es.raan_deg = wrap_deg(x[4]);
  es.mean_anomaly_deg = wrap_deg(x[5] - w);
  return es;
}

// The instants of the window: n evenly spaced, ends included (one: the first).
std::vector<time::Instant> instants(time::Instant first, time::Instant last, int n) {
  std::vector<time::Instant> out;
  const std::int64_t span = (last - first).count_ns();
  for (int j = 0; j < n; ++j) {
    const double f = n == 1 ? 0.0 : static_cast<double>(j) / (n - 1);
    out.push_back(first + time::Duration::nanoseconds(std::llround(f * static_cast<double>(span))));
  }
  return out;
}

double minutes(time::Duration d) {
  return static_cast<double>(d.count_ns()) / 60e9;
}

// The residuals of `es` (propagated from `epoch` at tsince = t - epoch) against the reference states:
// position (km) and velocity times `tau_s` (km), six per instant. False when SGP4 fails.
bool residuals(const ElementSet& es, time::Instant epoch, std::span<const time::Instant> at,
               std::span<const frames::StateVector> ref, double tau_s, std::vector<double>& out) {
  if (!(es.eccentricity < 1.0) || !(es.mean_motion_rev_per_day > 0.0)) return false;
  const Sgp4Record rec = sgp4_init(es);
  if (rec.init_error != Sgp4Error::none) return false;
  out.resize(6 * at.size());
  for (std::size_t j = 0; j < at.size(); ++j) {
    frames::StateVector s;
    if (sgp4(rec, minutes(at[j] - epoch), s) != Sgp4Error::none) return false;
    const frames::Vec3 dr = s.r_km - ref[j].r_km, dv = (s.v_km_s - ref[j].v_km_s) * tau_s;
    out[6 * j + 0] = dr.x;
    out[6 * j + 1] = dr.y;
    out[6 * j + 2] = dr.z;
    out[6 * j + 3] = dv.x;
    out[6 * j + 4] = dv.y;
    out[6 * j + 5] = dv.z;
  }
  return true;
}

double sum_of_squares(const std::vector<double>& r) {
  double s = 0.0;
  for (double v : r) s += v * v;
  return s;
}

// Solves the symmetric positive definite 6 x 6 system a x = b by Cholesky; false when not positive
// definite.
bool solve6(std::array<std::array<double, 6>, 6> a, Params b, Params& x) {
  for (int i = 0; i < 6; ++i) {
    for (int j = 0; j <= i; ++j) {
      double s = a[i][j];
      for (int k = 0; k < j; ++k) s -= a[i][k] * a[j][k];
      if (i == j) {
        if (!(s > 0.0)) return false;
        a[i][i] = std::sqrt(s);
      } else {
        a[i][j] = s / a[j][j];
      }
    }
  }
  for (int i = 0; i < 6; ++i) {
    double s = b[i];
    for (int k = 0; k < i; ++k) s -= a[i][k] * b[k];
    b[i] = s / a[i][i];
  }
  for (int i = 5; i >= 0; --i) {
    double s = b[i];
    for (int k = i + 1; k < 6; ++k) s -= a[k][i] * b[k];
    b[i] = s / a[i][i];
  }
  x = b;
  return true;
}

// The original's states at `at` (tsince = t - its epoch); false with `error` set when SGP4 fails.
bool reference_states(const Sgp4Record& rec, time::Instant epoch, std::span<const time::Instant> at,
                      std::vector<frames::StateVector>& out, Sgp4Error& error) {
  out.resize(at.size());
  for (std::size_t j = 0; j < at.size(); ++j) {
    error = sgp4(rec, minutes(at[j] - epoch), out[j]);
    if (error != Sgp4Error::none) return false;
  }
  return true;
}

// The largest position difference over `at` between `written` (tsince = t - epoch) and the reference
// states; infinity when the written set fails to propagate.
double max_error_km(const ElementSet& written, time::Instant epoch, std::span<const time::Instant> at,
                    std::span<const frames::StateVector> ref) {
  const Sgp4Record rec = sgp4_init(written);
  if (rec.init_error != Sgp4Error::none) return std::numeric_limits<double>::infinity();
  double worst = 0.0;
  for (std::size_t j = 0; j < at.size(); ++j) {
    frames::StateVector s;
    if (sgp4(rec, minutes(at[j] - epoch), s) != Sgp4Error::none)
      return std::numeric_limits<double>::infinity();
    worst = std::max(worst, (s.r_km - ref[j].r_km).norm());
  }
  return worst;
}

// Moves the start's mean argument of latitude by the angle, in the reference's orbital plane, from its
// position to the reference's at `t`: the secular rates miss drag's along-track drift (degrees over
// days for a satellite low or raising its orbit), which would leave the fit far from its minimum.
void align_along_track(const ElementSet& base, Params& x, time::Instant epoch, time::Instant t,
                       const frames::StateVector& ref) {
  const frames::Vec3 r = ref.r_km, v = ref.v_km_s;
  const frames::Vec3 h{r.y * v.z - r.z * v.y, r.z * v.x - r.x * v.z, r.x * v.y - r.y * v.x};
  for (int pass = 0; pass < 3; ++pass) {
    const Sgp4Record rec = sgp4_init(with_params(base, x));
    frames::StateVector s;
    if (rec.init_error != Sgp4Error::none || sgp4(rec, minutes(t - epoch), s) != Sgp4Error::none) return;
    const frames::Vec3 a = s.r_km;
    const frames::Vec3 c{a.y * r.z - a.z * r.y, a.z * r.x - a.x * r.z, a.x * r.y - a.y * r.x};
    const double angle = std::atan2(c.dot(h) / h.norm(), a.dot(r)) * kDegPerRad;
    x[5] += angle;
    if (std::abs(angle) < 1e-9) return;
  }
}

// Levenberg-Marquardt on the residuals; returns the parameters of the lowest cost found.
Params fit(const ElementSet& base, Params x, time::Instant epoch, std::span<const time::Instant> at,
           std::span<const frames::StateVector> ref, double tau_s, int max_iterations, int& iterations) {
  std::vector<double> r, r_try, r_step;
  if (!residuals(with_params(base, x), epoch, at, ref, tau_s, r)) return x;
  double cost = sum_of_squares(r);
  double lambda = 1e-3;
  const std::size_t m = r.size();
  std::vector<std::array<double, 6>> jac(m);
  for (iterations = 0; iterations < max_iterations; ++iterations) {
    bool jac_ok = true;
    for (int k = 0; k < 6 && jac_ok; ++k) {
      Params xk = x;
      xk[k] += kStep[k];
      jac_ok = residuals(with_params(base, xk), epoch, at, ref, tau_s, r_step);
      for (std::size_t i = 0; jac_ok && i < m; ++i) jac[i][k] = (r_step[i] - r[i]) / kStep[k];
    }
    if (!jac_ok) break;
    std::array<std::array<double, 6>, 6> jtj{};
    Params jtr{};
    for (std::size_t i = 0; i < m; ++i) {
      for (int a = 0; a < 6; ++a) {
        jtr[a] += jac[i][a] * r[i];
        for (int b = 0; b <= a; ++b) jtj[a][b] += jac[i][a] * jac[i][b];
      }
    }
    for (int a = 0; a < 6; ++a)
      for (int b = a + 1; b < 6; ++b) jtj[a][b] = jtj[b][a];
    bool improved = false;
    while (lambda < 1e12) {
      std::array<std::array<double, 6>, 6> a = jtj;
      for (int d = 0; d < 6; ++d) a[d][d] *= 1.0 + lambda;
      Params neg{}, dx{};
      for (int d = 0; d < 6; ++d) neg[d] = -jtr[d];
      if (solve6(a, neg, dx)) {
        Params xt = x;
        for (int d = 0; d < 6; ++d) xt[d] += dx[d];
        if (residuals(with_params(base, xt), epoch, at, ref, tau_s, r_try)) {
          const double ct = sum_of_squares(r_try);
          if (ct < cost) {
            const double gain = cost - ct;
            x = xt;
            r.swap(r_try);
            cost = ct;
            lambda = std::max(lambda / 10.0, 1e-12);
            improved = true;
            // Converged: the step no longer changes the fit by a square millimetre over all samples.
            if (gain <= 1e-12 * static_cast<double>(m) + 1e-12 * cost) iterations = max_iterations;
            break;
          }
        }
      }
      lambda *= 10.0;
    }
    if (!improved) break;
  }
  return x;
}

}  // namespace refit_detail

RefitResult refit_to_epoch(const ElementSet& original, time::Instant epoch, time::Instant first,
                           time::Instant last, const RefitOptions& options) {
  using namespace refit_detail;
  if (last < first) throw std::invalid_argument("refit_to_epoch: the window ends before it starts");
  if (options.check_samples < 1 || options.fit_samples < 0 || options.max_iterations < 0)
    throw std::invalid_argument("refit_to_epoch: bad sample or iteration counts");
  RefitResult out;
  out.elements = original;
  const Sgp4Record rec = sgp4_init(original);
  if (rec.init_error != Sgp4Error::none) {
    out.error = rec.init_error;
    return out;
  }
  const std::vector<time::Instant> check = instants(first, last, options.check_samples);
  std::vector<frames::StateVector> check_ref;
  if (!reference_states(rec, original.epoch, check, check_ref, out.error)) return out;
  const std::int64_t off = (original.epoch - epoch).count_ns();
  if (std::llabs(off) <= kSameEpochNs) {
    out.max_position_error_km = max_error_km(original, epoch, check, check_ref);
    return out;
  }
  int n_fit = options.fit_samples;
  if (n_fit == 0) {
    const double window_min = minutes(last - first);
    n_fit = window_min <= 0.0 ? 1 : std::clamp(static_cast<int>(std::ceil(window_min)) + 1, 2, 25);
  }
  const std::vector<time::Instant> at = instants(first, last, n_fit);
  std::vector<frames::StateVector> ref;
  if (!reference_states(rec, original.epoch, at, ref, out.error)) return out;

  // The start: the original's elements carried to the new epoch at SGP4's secular rates (rad/min).
  const double dt = minutes(epoch - original.epoch);
  const double w = (rec.argpo + rec.argpdot * dt) * kDegPerRad;
  const double m = (rec.mo + rec.mdot * dt) * kDegPerRad;
  Params x{original.mean_motion_rev_per_day + 2.0 * original.mean_motion_dot * dt / 1440.0,
           original.eccentricity * std::cos(w / kDegPerRad),
           original.eccentricity * std::sin(w / kDegPerRad),
           original.inclination_deg,
           (rec.nodeo + rec.nodedot * dt) * kDegPerRad,
           w + m};
  ElementSet base = original;
  base.epoch = epoch;
  // Velocity weighted by 1/n (about 15 min in LEO): a velocity error of 1 m/s counts as about 0.9 km,
  // the position error it causes a quarter orbit later.
  const double tau_s = 86400.0 / (2.0 * std::numbers::pi * original.mean_motion_rev_per_day);
  align_along_track(base, x, epoch, at.front(), ref.front());
  x = fit(base, x, epoch, at, ref, tau_s, options.max_iterations, out.iterations);

  // What a reader of the TLE text gets.
  try {
    const std::string text = format_tle(with_params(base, x));
    const std::size_t nl = text.find('\n');
    ElementSet written = parse_tle(std::string_view(text).substr(0, nl),
                                   std::string_view(text).substr(nl + 1, 69), "refit", 1);
    written.name = original.name;  // the two lines carry no name
    const double err = max_error_km(written, epoch, check, check_ref);
    if (!std::isfinite(err)) return out;
    out.elements = std::move(written);
    out.refitted = true;
    out.max_position_error_km = err;
  } catch (const InputError&) {
    // The fit left what a TLE can hold (e.g. a mean motion beyond its columns): keep the original.
    out.max_position_error_km = std::numeric_limits<double>::infinity();
  }
  return out;
}

std::vector<RefitResult> refit_to_epoch(std::span<const ElementSet> sets, time::Instant epoch,
                                        time::Instant first, time::Instant last, const RefitOptions& options,
                                        const RunContext& run) {
  std::vector<RefitResult> out(sets.size());
  constexpr std::size_t kChunk = 64;
  const std::size_t n_chunks = (sets.size() + kChunk - 1) / kChunk;
  std::size_t done = 0;
  std::mutex progress_mutex;  // progress is reported from one thread at a time, never decreasing
  const auto chunk = [&](std::size_t c) {
    if (run.stop_requested()) return;
    for (std::size_t i = c * kChunk; i < std::min(sets.size(), (c + 1) * kChunk); ++i)
      out[i] = refit_to_epoch(sets[i], epoch, first, last, options);
    if (run.progress) {
      const std::lock_guard<std::mutex> lock(progress_mutex);
      run.progress("refit", static_cast<double>(++done) / static_cast<double>(n_chunks));
    }
  };
  const unsigned workers = run.workers();
  if (workers <= 1 || n_chunks <= 1) {
    for (std::size_t c = 0; c < n_chunks; ++c) chunk(c);
  } else {
    tbb::task_arena arena(static_cast<int>(workers));
    arena.execute([&] {
      tbb::parallel_for(tbb::blocked_range<std::size_t>(0, n_chunks, 1),
                        [&](const tbb::blocked_range<std::size_t>& r) {
                          for (std::size_t c = r.begin(); c != r.end(); ++c) chunk(c);
                        });
    });
  }
  run.check_stop();
  return out;
}

}  // namespace skyfence::orbits
