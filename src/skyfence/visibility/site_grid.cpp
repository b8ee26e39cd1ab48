// The grid of sorted sites and its cap walk (site_grid.h).
#include "skyfence/visibility/site_grid.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>
#include <stdexcept>

#include "skyfence/visibility/in_view.h"
#include "skyfence/visibility/internal/elevation_kernel.h"

namespace skyfence::visibility {
namespace site_grid {

constexpr double kPi = std::numbers::pi;
constexpr double kHalfPi = std::numbers::pi / 2.0;
// Slack on the cap radius and the row latitude bands (radians), on top of one extra row and column
// each side: the grid's floor() and a site's own atan2 may round apart.
constexpr double kGridSlackRad = 1e-9;
// Added to a row's longitude half-width computed in single precision: rounding the cosine to float
// moves it by at most 2^-24, which moves acos by at most sqrt(2 * 2^-24) = 3.5e-4 rad (at the ends of
// its range; less elsewhere), and acosf itself errs by about 1 ulp (< 4e-7 rad).
constexpr double kAcosSlackRad = 1e-3;

}  // namespace site_grid

SiteGrid::SiteGrid(std::span<const frames::Geodetic> sites, double cell_deg) {
  using site_grid::kGridSlackRad, site_grid::kHalfPi, site_grid::kPi;
  if (cell_deg != 0.0 && !(cell_deg >= 0.1 && cell_deg <= 180.0)) {
    throw std::invalid_argument("SiteGrid: cell_deg must be 0 (automatic) or in [0.1, 180]");
  }
  const std::size_t n = sites.size();
  if (cell_deg == 0.0) {
    // About nine evenly spread sites a cell (41,253 square degrees on the sphere), 1 to 10 deg.
    cell_deg =
        std::clamp(std::sqrt(9.0 * 41253.0 / static_cast<double>(std::max<std::size_t>(n, 1))), 1.0, 10.0);
  }
  rows_ = std::max(1, static_cast<int>(std::lround(180.0 / cell_deg)));
  cols_ = std::max(1, static_cast<int>(std::lround(360.0 / cell_deg)));
  lat_step_ = kPi / rows_;
  lon_step_ = 2.0 * kPi / cols_;
  for (int row = 0; row < rows_; ++row) {
    band_lo_.push_back(std::max(-kHalfPi, -kHalfPi + row * lat_step_ - kGridSlackRad));
    band_hi_.push_back(std::min(kHalfPi, -kHalfPi + (row + 1) * lat_step_ + kGridSlackRad));
    band_lo_sin_.push_back(std::sin(band_lo_.back()));
    band_lo_cos_.push_back(std::cos(band_lo_.back()));
    band_hi_sin_.push_back(std::sin(band_hi_.back()));
    band_hi_cos_.push_back(std::cos(band_hi_.back()));
  }
  std::vector<std::uint32_t> cell_of(n);
  std::vector<std::uint32_t> counts(static_cast<std::size_t>(rows_) * static_cast<std::size_t>(cols_) + 1, 0);
  topo_.reserve(n);
  rho_min_ = n == 0 ? 0.0 : std::numeric_limits<double>::infinity();
  for (std::size_t k = 0; k < n; ++k) {
    topo_.emplace_back(sites[k]);
    const frames::Vec3& r = topo_.back().site_itrf_km();
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
  for (std::size_t i = 0; i < n; ++i) {
    const std::uint32_t k = order_[i];
    const frames::Vec3& r = topo_[k].site_itrf_km();
    px_[i] = r.x;
    py_[i] = r.y;
    pz_[i] = r.z;
    // The WGS84 vertical; within a few 1e-16 of Topocentric's own (the test's margin covers it).
    const frames::Geodetic& g = sites[k];
    ux_[i] = std::cos(g.lat_rad) * std::cos(g.lon_rad);
    uy_[i] = std::cos(g.lat_rad) * std::sin(g.lon_rad);
    uz_[i] = std::sin(g.lat_rad);
  }
}

std::size_t SiteGrid::runs(const frames::Vec3& r, double min_el,
                           std::vector<std::pair<std::uint32_t, std::uint32_t>>& out) const {
  using site_grid::kAcosSlackRad, site_grid::kGridSlackRad, site_grid::kHalfPi, site_grid::kPi;
  out.clear();
  const double rn = r.norm();
  if (!(rn > 0.0) || size() == 0) return 0;
  const double lambda = search_radius_rad(rn, rho_min_, rho_max_, min_el);
  if (lambda >= kPi) {
    out.emplace_back(0, static_cast<std::uint32_t>(size()));
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
  std::size_t sites = 0;
  bool widest_sincos = false;
  double widest_sin = 0.0, widest_cos = 0.0;
  for (int row = r0; row <= r1; ++row) {
    const std::size_t base = static_cast<std::size_t>(row) * static_cast<std::size_t>(cols_);
    bool whole_row = pole_in_cap;
    double half = kPi;
    if (!whole_row) {
      // The half-width at the point of the row's band (widened by the slack) nearest lat_widest.
      double sin_lat, cos_lat;
      if (lat_widest <= band_lo_[row]) {
        sin_lat = band_lo_sin_[row], cos_lat = band_lo_cos_[row];
      } else if (lat_widest >= band_hi_[row]) {
        sin_lat = band_hi_sin_[row], cos_lat = band_hi_cos_[row];
      } else {
        if (!widest_sincos) {
          widest_sin = std::sin(lat_widest), widest_cos = std::cos(lat_widest), widest_sincos = true;
        }
        sin_lat = widest_sin, cos_lat = widest_cos;
      }
      const double denom = cos_lat * cos_c;
      if (!(denom > 1e-12)) {
        whole_row = true;
      } else {
        const double ratio = (cos_a - sin_lat * sin_c) / denom;
        if (ratio <= -1.0) {
          whole_row = true;
        } else {
          // Single precision is enough for a column range given kAcosSlackRad (see there).
          half = static_cast<double>(std::acos(static_cast<float>(std::min(ratio, 1.0)))) + kAcosSlackRad;
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
      const std::uint32_t b = cell_start_[base + static_cast<std::size_t>(from)];
      const std::uint32_t e = cell_start_[base + static_cast<std::size_t>(to) + 1];
      if (b < e) out.emplace_back(b, e);
      sites += e - b;
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
  return sites;
}

void SiteGrid::count_in_run(const frames::StateVector& sat, std::size_t b, std::size_t e, double min_el,
                            double s_abs_s, std::uint32_t* counts) const {
  const double sx = sat.r_km.x, sy = sat.r_km.y, sz = sat.r_km.z;
  const internal::PointArrays run{px_.data() + b, py_.data() + b, pz_.data() + b,
                                  ux_.data() + b, uy_.data() + b, uz_.data() + b};
  if (internal::count_in_view(run, e - b, sx, sy, sz, s_abs_s, kElevationTestMargin, counts) == 0) return;
  for (std::size_t i = 0; i < e - b; ++i) {
    if (internal::undecided(run, i, sx, sy, sz, s_abs_s, kElevationTestMargin) &&
        topo_[order_[b + i]].look(sat).elevation_rad >= min_el) {
      ++counts[i];
    }
  }
}

void SiteGrid::rank_in_run(const frames::StateVector& sat, std::size_t b, std::size_t e, double min_el,
                           double s_abs_s, float* key) const {
  const double sx = sat.r_km.x, sy = sat.r_km.y, sz = sat.r_km.z;
  const internal::PointArrays run{px_.data() + b, py_.data() + b, pz_.data() + b,
                                  ux_.data() + b, uy_.data() + b, uz_.data() + b};
  if (internal::rank_in_view(run, e - b, sx, sy, sz, s_abs_s, kElevationTestMargin, key) == 0) return;
  for (std::size_t i = 0; i < e - b; ++i) {
    if (!internal::undecided(run, i, sx, sy, sz, s_abs_s, kElevationTestMargin)) continue;
    const double el = topo_[order_[b + i]].look(sat).elevation_rad;
    if (el >= min_el) key[i] = static_cast<float>(std::sin(el) * std::abs(std::sin(el)));
  }
}

}  // namespace skyfence::visibility
