// Pass finding: coarse batched scan of sin(elevation) and its analytic rate, then Brent's method for
// extrema and safeguarded Newton for the threshold crossings. The method and its justification are in
// passes.h.
#include "skyfence/visibility/passes.h"

#include "skyfence/core/error.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <limits>
#include <mutex>
#include <optional>
#include <span>
#include <stdexcept>
#include <tuple>

#include "skyfence/time/scales.h"
#include "skyfence/visibility/parallel.h"

namespace skyfence::visibility {
namespace {

using time::Duration;
using time::Instant;

// Largest acceleration of a satellite in ITRF above the ground, km/s^2: gravity with J2 (< 0.00986),
// Coriolis 2 w |v| (< 0.0013 below 9 km/s) and centrifugal w^2 r (< 4e-5 at LEO), rounded up.
constexpr double kMaxAccelKmS2 = 0.0115;
// Memory budget of one block's propagated samples (bytes); fixes the block size from the window length
// alone, so the split never depends on the thread count.
constexpr double kBlockBytes = 16.0 * 1024 * 1024;
constexpr std::size_t kMaxBlock = 16;

frames::Vec3 up_of(const frames::Geodetic& g) {
  return {std::cos(g.lat_rad) * std::cos(g.lon_rad), std::cos(g.lat_rad) * std::sin(g.lon_rad),
          std::sin(g.lat_rad)};
}

// sin(elevation), its rate, and what the Lipschitz bound needs.
struct Sample {
  double z = 0.0;
  double zdot = 0.0;
  double rho = 0.0;
  double speed = 0.0;  // of the satellite relative to the site, km/s
  double turn = 0.0;   // rate at which the site's up vector turns, rad/s (0 at rest)
};

// The sample of a satellite at r, v seen from a site at p moving at pv, whose up vector is up and turns
// at up_rate (all ITRF): z = u / rho with u = up . rel, so z' = (u' rho^2 - u (rel . rel')) / rho^3 with
// u' = up_rate . rel + up . rel'.
Sample sample_of(const frames::Vec3& p, const frames::Vec3& pv, const frames::Vec3& up,
                 const frames::Vec3& up_rate, const frames::Vec3& r, const frames::Vec3& v) {
  const frames::Vec3 rel = r - p;
  const frames::Vec3 rel_v = v - pv;
  const double rho2 = rel.dot(rel);
  const double rho = std::sqrt(rho2);
  const double u = up.dot(rel);
  Sample s;
  s.rho = rho;
  s.speed = rel_v.norm();
  s.turn = up_rate.norm();
  if (rho > 0.0) {
    s.z = u / rho;
    s.zdot = ((up_rate.dot(rel) + up.dot(rel_v)) * rho2 - u * rel.dot(rel_v)) / (rho2 * rho);
  }
  return s;
}

// A site at rest prepared for the scan: its ITRF position and local up vector.
struct SiteGeometry {
  static constexpr bool kMoves = false;
  frames::Topocentric topo;
  frames::Vec3 r;
  frames::Vec3 up;
  explicit SiteGeometry(const frames::Geodetic& g) : topo(g), r(topo.site_itrf_km()), up(up_of(g)) {}
  // The sample at x seconds after the window's start; `segment_x` is for moving sites.
  [[nodiscard]] Sample sample(double /*x*/, double /*segment_x*/, const frames::Vec3& sat_r,
                              const frames::Vec3& sat_v) const {
    return sample_of(r, {}, up, {}, sat_r, sat_v);
  }
  [[nodiscard]] frames::LookAngles look(Instant /*t*/, const frames::StateVector& sv) const {
    return topo.look(sv);
  }
};

// A terminal moving along its track (earth/trajectory.h): smooth between the track's samples, where its
// velocity may change. The scan grid holds those instants (`knots`, seconds after the window's start,
// with 0 and the window's end), so that between two grid samples the site moves smoothly along one
// segment; its ITRF velocity and the turn rate of its up vector are central differences (0.25 s) inside
// the segment holding `segment_x` (one-sided at the segment's ends), so a sample at a knot takes the
// velocity of the interval being scanned.
class MovingGeometry {
 public:
  static constexpr bool kMoves = true;
  MovingGeometry(const earth::Track& track, Instant start, std::vector<double> knots)
      : track_(&track), start_(start), knots_(std::move(knots)) {}

  [[nodiscard]] Sample sample(double x, double segment_x, const frames::Vec3& sat_r,
                              const frames::Vec3& sat_v) const {
    // The segment [lo, hi] of the knots holding segment_x.
    const auto it = std::upper_bound(knots_.begin(), knots_.end(), segment_x);
    const double lo = it == knots_.begin() ? knots_.front() : *(it - 1);
    const double hi = it == knots_.end() ? knots_.back() : *it;
    constexpr double kH = 0.25;
    const double a = std::clamp(x - kH, lo, hi), b = std::clamp(x + kH, lo, hi);
    const frames::Geodetic g = at(x);
    const frames::Vec3 p = frames::Topocentric(g).site_itrf_km(), up = up_of(g);
    frames::Vec3 pv{}, up_rate{};
    if (b > a) {
      const frames::Geodetic ga = at(a), gb = at(b);
      const double inv = 1.0 / (b - a);
      pv = (frames::Topocentric(gb).site_itrf_km() - frames::Topocentric(ga).site_itrf_km()) * inv;
      up_rate = (up_of(gb) - up_of(ga)) * inv;
    }
    return sample_of(p, pv, up, up_rate, sat_r, sat_v);
  }
  [[nodiscard]] frames::LookAngles look(Instant t, const frames::StateVector& sv) const {
    return frames::Topocentric(track_->at(t)).look(sv);
  }

 private:
  [[nodiscard]] frames::Geodetic at(double x) const { return track_->at(start_ + Duration::seconds(x)); }
  const earth::Track* track_;
  Instant start_;
  std::vector<double> knots_;
};

// Thrown out of the refinement when a scalar SGP4 evaluation fails; caught per satellite.
struct EvalFailure {
  double x;
  orbits::Sgp4Error error;
};

// Scalar evaluation of one satellite at `x` seconds after the window's start.
class SatelliteClock {
 public:
  SatelliteClock(const Fleet& fleet, std::size_t sat, Instant start)
      : fleet_(fleet), sat_(sat), start_(start) {}
  [[nodiscard]] Instant at(double x) const { return start_ + Duration::seconds(x); }
  [[nodiscard]] frames::StateVector state(double x) const {
    frames::StateVector sv;
    const orbits::Sgp4Error e = fleet_.itrf_state(sat_, at(x), sv);
    if (e != orbits::Sgp4Error::none) throw EvalFailure{x, e};
    return sv;
  }
  template <class Site>
  [[nodiscard]] Sample sample(const Site& site, double x, double segment_x) const {
    const frames::StateVector sv = state(x);
    return site.sample(x, segment_x, sv.r_km, sv.v_km_s);
  }

 private:
  const Fleet& fleet_;
  std::size_t sat_;
  Instant start_;
};

// Brent's method (R. P. Brent, "Algorithms for Minimization without Derivatives", 1973, ch. 4) for a root
// of g in [a, b] with g(a), g(b) of opposite signs (or one zero); stops when the bracket is below tol.
template <class G>
double brent_root(const G& g, double a, double b, double ga, double gb, double tol) {
  if (ga == 0.0) return a;
  if (gb == 0.0) return b;
  double c = a, gc = ga, d = b - a, e = d;
  for (int iter = 0; iter < 200; ++iter) {
    if ((gb > 0.0) == (gc > 0.0)) {
      c = a;
      gc = ga;
      d = e = b - a;
    }
    if (std::abs(gc) < std::abs(gb)) {
      a = b;
      b = c;
      c = a;
      ga = gb;
      gb = gc;
      gc = ga;
    }
    const double tol1 = 0.5 * tol;
    const double m = 0.5 * (c - b);
    if (std::abs(m) <= tol1 || gb == 0.0) return b;
    if (std::abs(e) >= tol1 && std::abs(ga) > std::abs(gb)) {
      double p = 0.0, q = 0.0;
      const double s = gb / ga;
      if (a == c) {
        p = 2.0 * m * s;
        q = 1.0 - s;
      } else {
        const double qq = ga / gc, r = gb / gc;
        p = s * (2.0 * m * qq * (qq - r) - (b - a) * (r - 1.0));
        q = (qq - 1.0) * (r - 1.0) * (s - 1.0);
      }
      if (p > 0.0) {
        q = -q;
      } else {
        p = -p;
      }
      if (2.0 * p < std::min(3.0 * m * q - std::abs(tol1 * q), std::abs(e * q))) {
        e = d;
        d = p / q;
      } else {
        d = m;
        e = m;
      }
    } else {
      d = m;
      e = m;
    }
    a = b;
    ga = gb;
    b += std::abs(d) > tol1 ? d : (m > 0.0 ? tol1 : -tol1);
    gb = g(b);
  }
  return b;
}

// Newton's method safeguarded by bisection for the one root of f in [lo, hi], f(lo) < 0 <= f(hi) after
// orientation; fd(x) returns (f, f').
template <class FD>
double newton_root(const FD& fd, double a, double b, double fa, double fb, double tol) {
  if (fb == 0.0) return b;
  if (fa == 0.0) return a;
  // Orient so that f(lo) < 0 < f(hi).
  double lo = a, hi = b;
  if (fa > 0.0) std::swap(lo, hi);
  // Start from the secant between the ends.
  double x = a + (b - a) * (fa / (fa - fb));
  for (int iter = 0; iter < 100; ++iter) {
    const auto [f, df] = fd(x);
    if (f == 0.0) return x;
    if (f < 0.0) {
      lo = x;
    } else {
      hi = x;
    }
    const double width = std::abs(hi - lo);
    double next = df != 0.0 ? x - f / df : std::numeric_limits<double>::quiet_NaN();
    const double lower = std::min(lo, hi), upper = std::max(lo, hi);
    if (!(next > lower && next < upper)) next = 0.5 * (lo + hi);
    if (std::abs(next - x) < 0.5 * tol || width < tol) return next;
    x = next;
  }
  return x;
}

struct OpenPass {
  double aos = 0.0;
  bool aos_clipped = false;
  double best_x = 0.0;
  double best_z = -2.0;
  void offer(double x, double z) {
    if (z > best_z) {
      best_z = z;
      best_x = x;
    }
  }
};

struct RawPass {
  std::uint32_t site;
  double aos, tca, los;
  bool aos_clipped, los_clipped;
};

// One satellite's propagated samples (ITRF) on the scan grid.
struct SatSamples {
  std::span<const frames::Vec3> r, v;
  std::size_t good = 0;  // samples [0, good) are valid
  orbits::Sgp4Error first_error = orbits::Sgp4Error::none;
};

template <class Site>
class PairScanner {
 public:
  PairScanner(const SatelliteClock& clock, const Site& site, std::uint32_t site_index, double sin_min,
              double tol, std::vector<RawPass>& out)
      : clock_(clock), site_(site), site_index_(site_index), sin_min_(sin_min), tol_(tol), out_(out) {}

  // Scans samples [0, end] (end < samples.good) at times xs.
  void scan(const SatSamples& sats, const std::vector<double>& xs, std::size_t end) {
    Sample prev = site_.sample(xs[0], xs[0], sats.r[0], sats.v[0]);
    if (prev.z - sin_min_ >= 0.0) {
      open_ = OpenPass{0.0, true, 0.0, prev.z};
    }
    for (std::size_t k = 1; k <= end; ++k) {
      // A moving site's rates at both ends are those of the segment between them.
      segment_x_ = 0.5 * (xs[k - 1] + xs[k]);
      if constexpr (Site::kMoves) prev = site_.sample(xs[k - 1], segment_x_, sats.r[k - 1], sats.v[k - 1]);
      const Sample cur = site_.sample(xs[k], segment_x_, sats.r[k], sats.v[k]);
      interval(xs[k - 1], xs[k], prev, cur);
      if (open_ && cur.z - sin_min_ >= 0.0) open_->offer(xs[k], cur.z);
      prev = cur;
    }
    if (open_) close(xs[end], true);
  }

 private:
  struct Point {
    double x;
    double f;
  };

  [[nodiscard]] double bound_slope(const Sample& a, const Sample& b, double h) const {
    const double speed = 1.05 * std::max(a.speed, b.speed) + kMaxAccelKmS2 * h;
    const double rho_low = 0.5 * (a.rho + b.rho - speed * h);
    if (!(rho_low > 1.0)) return std::numeric_limits<double>::infinity();
    // A moving site's up vector turns too: z changes at most by that rate more.
    return speed / rho_low + 1.05 * std::max(a.turn, b.turn);
  }

  void interval(double a, double b, const Sample& A, const Sample& B) {
    const double h = b - a;
    const double fa = A.z - sin_min_, fb = B.z - sin_min_;
    std::optional<Point> x_pt;
    bool x_is_max = false;
    if (A.zdot > 0.0 && B.zdot <= 0.0) {
      const bool needed =
          open_ || fa >= 0.0 || fb >= 0.0 || 0.5 * (A.z + B.z + bound_slope(A, B, h) * h) >= sin_min_;
      if (needed) {
        x_pt = extremum(a, b, A.zdot, B.zdot);
        x_is_max = true;
      }
    } else if (A.zdot < 0.0 && B.zdot >= 0.0) {
      const bool needed = fa >= 0.0 && fb >= 0.0 && 0.5 * (A.z + B.z - bound_slope(A, B, h) * h) < sin_min_;
      if (needed) x_pt = extremum(a, b, A.zdot, B.zdot);
    }
    Point p{a, fa};
    const auto step_to = [&](const Point& q, bool q_is_max, double q_z) {
      if (p.f < 0.0 && q.f >= 0.0) {
        const double r = crossing(p, q);
        open_ = OpenPass{r, false, r, sin_min_};
      } else if (p.f >= 0.0 && q.f < 0.0) {
        close(crossing(p, q), false);
      }
      if (q_is_max && open_ && q.f >= 0.0) open_->offer(q.x, q_z);
      p = q;
    };
    if (x_pt) step_to(*x_pt, x_is_max, x_pt->f + sin_min_);
    step_to(Point{b, fb}, false, B.z);
  }

  Point extremum(double a, double b, double ga, double gb) {
    const auto g = [&](double x) { return clock_.sample(site_, x, segment_x_).zdot; };
    const double x = brent_root(g, a, b, ga, gb, tol_);
    return Point{x, clock_.sample(site_, x, segment_x_).z - sin_min_};
  }

  double crossing(const Point& p, const Point& q) {
    const auto fd = [&](double x) {
      const Sample s = clock_.sample(site_, x, segment_x_);
      return std::pair<double, double>(s.z - sin_min_, s.zdot);
    };
    return newton_root(fd, p.x, q.x, p.f, q.f, tol_);
  }

  void close(double los, bool clipped) {
    out_.push_back(RawPass{site_index_, open_->aos, open_->best_x, los, open_->aos_clipped, clipped});
    open_.reset();
  }

  const SatelliteClock& clock_;
  const Site& site_;
  double segment_x_ = 0.0;  // inside the interval being scanned
  std::uint32_t site_index_;
  double sin_min_;
  double tol_;
  std::vector<RawPass>& out_;
  std::optional<OpenPass> open_;
};

struct SatResult {
  std::vector<Pass> passes;
  std::optional<PassFailure> failure;
};

template <class Site>
SatResult scan_satellite(const Fleet& fleet, std::size_t sat, const std::vector<Site>& sites,
                         const SatSamples& samples, const std::vector<double>& xs, Instant start,
                         const PassOptions& o) {
  SatResult res;
  const SatelliteClock clock(fleet, sat, start);
  const double sin_min = std::sin(o.min_elevation_rad);
  const double tol = o.tolerance.to_seconds();
  if (samples.good < xs.size()) {
    res.failure = PassFailure{static_cast<std::uint32_t>(sat), start + Duration::seconds(xs[samples.good]),
                              samples.first_error};
  }
  if (samples.good == 0) return res;
  std::size_t end = samples.good - 1;
  std::vector<RawPass> raw;
  while (true) {
    raw.clear();
    try {
      for (std::size_t k = 0; k < sites.size(); ++k) {
        PairScanner<Site> scanner(clock, sites[k], static_cast<std::uint32_t>(k), sin_min, tol, raw);
        scanner.scan(samples, xs, end);
      }
      break;
    } catch (const EvalFailure& f) {
      // SGP4 failed between two good samples: end the satellite's window at the sample before.
      res.failure = PassFailure{static_cast<std::uint32_t>(sat), clock.at(f.x), f.error};
      const auto it = std::upper_bound(xs.begin(), xs.begin() + static_cast<std::ptrdiff_t>(end + 1), f.x);
      const auto before = static_cast<std::size_t>(it - xs.begin());
      if (before == 0) return res;
      const std::size_t new_end = before - 1;
      if (new_end >= end) {
        if (end == 0) return res;
        end -= 1;
      } else {
        end = new_end;
      }
    }
  }
  for (const RawPass& rp : raw) {
    Pass p;
    p.satellite = static_cast<std::uint32_t>(sat);
    p.site = rp.site;
    p.aos = clock.at(rp.aos);
    p.tca = clock.at(rp.tca);
    p.los = clock.at(rp.los);
    p.aos_clipped = rp.aos_clipped;
    p.los_clipped = rp.los_clipped;
    // These times were evaluated successfully during the search, so SGP4 succeeds here too.
    frames::StateVector sv;
    const auto look_at = [&](Instant t) {
      if (fleet.itrf_state(sat, t, sv) != orbits::Sgp4Error::none) return frames::LookAngles{};
      return sites[rp.site].look(t, sv);
    };
    const frames::LookAngles at_aos = look_at(p.aos), at_tca = look_at(p.tca), at_los = look_at(p.los);
    p.max_elevation_rad = at_tca.elevation_rad;
    p.aos_azimuth_rad = at_aos.azimuth_rad;
    p.tca_azimuth_rad = at_tca.azimuth_rad;
    p.los_azimuth_rad = at_los.azimuth_rad;
    res.passes.push_back(p);
  }
  return res;
}

void check_pass_options(Instant start, Instant stop, const PassOptions& o) {
  constexpr double half_pi = std::numbers::pi / 2.0;
  if (!(o.min_elevation_rad > -half_pi && o.min_elevation_rad < half_pi)) {
    throw std::invalid_argument("find_passes: min_elevation_rad must lie in (-pi/2, pi/2)");
  }
  if (o.scan_step <= Duration() || o.scan_step > Duration::seconds(120)) {
    throw std::invalid_argument("find_passes: scan_step must lie in (0, 120 s]");
  }
  if (o.tolerance < Duration::nanoseconds(1000))
    throw std::invalid_argument("find_passes: tolerance must be >= 1 us");
  if (stop < start) throw std::invalid_argument("find_passes: stop is before start");
}

// The scan grid, start + k * step and stop, as seconds and minutes after start, with the cosine and
// sine of GMST at each sample.
struct ScanGrid {
  std::vector<double> xs, times_min, cos_g, sin_g;
  [[nodiscard]] std::size_t size() const { return xs.size(); }
};

// `knots` (inside the window) are added to the grid: a moving site's sample times.
ScanGrid scan_grid(Instant start, Instant stop, Duration step, std::span<const Instant> knots = {}) {
  std::vector<Instant> times;
  for (Instant t = start; t < stop; t += step) times.push_back(t);
  times.push_back(stop);
  for (const Instant k : knots) {
    if (k > start && k < stop) times.push_back(k);
  }
  std::sort(times.begin(), times.end());
  times.erase(std::unique(times.begin(), times.end()), times.end());
  const std::size_t n_times = times.size();
  ScanGrid g{std::vector<double>(n_times), std::vector<double>(n_times), std::vector<double>(n_times),
             std::vector<double>(n_times)};
  for (std::size_t k = 0; k < n_times; ++k) {
    g.xs[k] = (times[k] - start).to_seconds();
    g.times_min[k] = (times[k] - start).to_minutes();
    const double gmst = frames::gmst1982(time::jd_utc(times[k]));
    g.cos_g[k] = std::cos(gmst);
    g.sin_g[k] = std::sin(gmst);
  }
  return g;
}

// One block of satellites, s0 .. s0 + nb: propagated on the scan grid, then each scanned for passes
// into results[s].
template <class Site>
void scan_block(const Fleet& fleet, const std::vector<Site>& sites, const ScanGrid& grid, Instant start,
                const PassOptions& o, std::size_t s0, std::size_t nb, std::vector<SatResult>& results) {
  const std::size_t n_times = grid.size();
  const orbits::BatchPropagator prop(fleet.records().subspan(s0, nb));
  std::vector<double> offsets(nb);
  for (std::size_t i = 0; i < nb; ++i) offsets[i] = (start - fleet.epoch(s0 + i)).to_minutes();
  orbits::BatchStates bs;
  prop.propagate_grid(offsets, grid.times_min, bs, {.threads = 1});
  // TEME -> ITRF (frames::teme_to_itrf with each sample's GMST precomputed), time-major so the batch
  // output is read in order; the samples of satellite i land in [i * n_times, (i + 1) * n_times).
  std::vector<frames::Vec3> r_all(nb * n_times), v_all(nb * n_times);
  std::vector<std::size_t> good(nb, n_times);
  std::vector<orbits::Sgp4Error> first_error(nb, orbits::Sgp4Error::none);
  const double w = frames::kEarthRotationRadPerS;
  for (std::size_t k = 0; k < n_times; ++k) {
    const double c = grid.cos_g[k], sn = grid.sin_g[k];
    for (std::size_t i = 0; i < nb; ++i) {
      const std::size_t j = bs.index(k, i);
      if (bs.error[j] != orbits::Sgp4Error::none && good[i] == n_times) {
        good[i] = k;
        first_error[i] = bs.error[j];
      }
      const frames::Vec3 r{c * bs.x[j] + sn * bs.y[j], -sn * bs.x[j] + c * bs.y[j], bs.z[j]};
      r_all[i * n_times + k] = r;
      v_all[i * n_times + k] = {c * bs.vx[j] + sn * bs.vy[j] + w * r.y,
                                -sn * bs.vx[j] + c * bs.vy[j] - w * r.x, bs.vz[j]};
    }
  }
  SatSamples samples;
  for (std::size_t i = 0; i < nb; ++i) {
    samples.r = std::span<const frames::Vec3>(r_all.data() + i * n_times, n_times);
    samples.v = std::span<const frames::Vec3>(v_all.data() + i * n_times, n_times);
    samples.good = good[i];
    samples.first_error = first_error[i];
    results[s0 + i] = scan_satellite(fleet, s0 + i, sites, samples, grid.xs, start, o);
  }
}

// Every satellite scanned against `sites` on `grid`, in blocks on run.workers() threads; progress is
// reported as the share (done + satellites done here / n_sats) / parts of the whole. Results by
// satellite, with pass site indices mapped through site_index.
template <class Site>
void scan_fleet(const Fleet& fleet, const std::vector<Site>& sites, std::span<const std::uint32_t> site_index,
                const ScanGrid& grid, Instant start, const PassOptions& o, const RunContext& run, double done,
                double parts, PassList& out) {
  const std::size_t n_sats = fleet.size();
  const std::size_t block = std::clamp<std::size_t>(
      static_cast<std::size_t>(kBlockBytes / (static_cast<double>(grid.size()) * 56.0)), 1, kMaxBlock);
  const std::size_t n_blocks = (n_sats + block - 1) / block;
  std::vector<SatResult> results(n_sats);
  std::mutex progress_mutex;
  std::size_t satellites_done = 0;
  // Blocks started when a stop is requested finish; no further block starts.
  run_parallel(run, n_blocks, [&](std::size_t b) {
    if (run.stop_requested()) return;
    const std::size_t s0 = b * block;
    const std::size_t nb = std::min(block, n_sats - s0);
    scan_block(fleet, sites, grid, start, o, s0, nb, results);
    if (run.progress) {
      const std::lock_guard lock(progress_mutex);
      satellites_done += nb;
      run.progress("passes",
                   (done + static_cast<double>(satellites_done) / static_cast<double>(n_sats)) / parts);
    }
  });
  run.check_stop();
  for (std::size_t s = 0; s < n_sats; ++s) {
    for (Pass p : results[s].passes) {
      p.site = site_index[p.site];
      out.passes.push_back(p);
    }
    if (!results[s].failure) continue;
    // One failure per satellite: the earliest any scan found.
    const auto f = std::find_if(out.failures.begin(), out.failures.end(),
                                [&](const PassFailure& x) { return x.satellite == s; });
    if (f == out.failures.end()) {
      out.failures.push_back(*results[s].failure);
    } else if (results[s].failure->when < f->when) {
      *f = *results[s].failure;
    }
  }
}

void sort_passes(const Fleet& fleet, PassList& out) {
  std::stable_sort(out.passes.begin(), out.passes.end(), [&](const Pass& x, const Pass& y) {
    return std::tuple(x.aos, fleet.norad_id(x.satellite), x.site, x.satellite) <
           std::tuple(y.aos, fleet.norad_id(y.satellite), y.site, y.satellite);
  });
  std::sort(out.failures.begin(), out.failures.end(),
            [](const PassFailure& x, const PassFailure& y) { return x.satellite < y.satellite; });
}

}  // namespace

PassList find_passes(const Fleet& fleet, std::span<const frames::Geodetic> site_locations, Instant start,
                     Instant stop, const PassOptions& o, const RunContext& run) {
  check_pass_options(start, stop, o);
  std::vector<SiteGeometry> sites;
  sites.reserve(site_locations.size());
  std::vector<std::uint32_t> index;
  for (const auto& g : site_locations) {
    index.push_back(static_cast<std::uint32_t>(sites.size()));
    sites.emplace_back(g);
  }
  PassList out;
  scan_fleet(fleet, sites, index, scan_grid(start, stop, o.scan_step), start, o, run, 0.0, 1.0, out);
  sort_passes(fleet, out);
  return out;
}

PassList find_terminal_passes(const Fleet& fleet, std::span<const earth::Track> terminals, Instant start,
                              Instant stop, const PassOptions& o, const RunContext& run) {
  check_pass_options(start, stop, o);
  // Terminals at rest together, as sites; each moving one on a grid of its own holding its samples.
  std::vector<SiteGeometry> fixed;
  std::vector<std::uint32_t> fixed_index;
  std::vector<std::uint32_t> moving;
  for (std::size_t i = 0; i < terminals.size(); ++i) {
    if (terminals[i].moving()) {
      moving.push_back(static_cast<std::uint32_t>(i));
    } else {
      fixed_index.push_back(static_cast<std::uint32_t>(i));
      fixed.emplace_back(terminals[i].samples.front().location);
    }
  }
  const double parts = static_cast<double>(moving.size() + (fixed.empty() ? 0 : 1));
  double done = 0.0;
  PassList out;
  if (!fixed.empty()) {
    scan_fleet(fleet, fixed, fixed_index, scan_grid(start, stop, o.scan_step), start, o, run, done, parts,
               out);
    done += 1.0;
  }
  for (const std::uint32_t i : moving) {
    std::vector<Instant> knots;
    for (const earth::TrackSample& sample : terminals[i].samples) knots.push_back(sample.time);
    const ScanGrid grid = scan_grid(start, stop, o.scan_step, knots);
    std::vector<double> knot_x{0.0};
    for (const Instant k : knots) {
      if (k > start && k < stop) knot_x.push_back((k - start).to_seconds());
    }
    knot_x.push_back((stop - start).to_seconds());
    const std::vector<MovingGeometry> site{MovingGeometry(terminals[i], start, std::move(knot_x))};
    scan_fleet(fleet, site, std::span(&i, 1), grid, start, o, run, done, parts, out);
    done += 1.0;
  }
  sort_passes(fleet, out);
  return out;
}

}  // namespace skyfence::visibility
