// Sites sorted by the cell of a geocentric latitude/longitude grid, structure of arrays: one satellite
// is tested against thousands of sites at a time. The cap a satellite can be seen from (the search
// radius of in_view.h) is walked row by row of the grid; each row's cells are a contiguous run of the
// sorted sites, and each run gets the sqrt-free elevation test, vectorised
// (internal/elevation_kernel.h), with the exact test (Topocentric's atan2) for the few sites within its
// margin. The coverage engine counts the satellites each site sees with it; visibility::sightings lists
// them.
//
// Method of the walk. The rows the cap's latitude range [lat_c - a, lat_c + a] touches, one extra each
// side (the grid's floor() and a site's own atan2 may round apart); in each, the cap's longitude
// half-width at the point of the row's band nearest the latitude where the cap is widest (the half-width
// is unimodal in latitude), in single precision plus kAcosSlackRad, and one extra column each side;
// rows whose band or cap reaches a pole are taken whole.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <utility>
#include <vector>

#include "skyfence/frames/frames.h"

namespace skyfence::visibility {

// Relative margin of the sqrt-free elevation test: rounding moves u|u| - s|s||rel|^2 by ~1e-15 |rel|^2,
// so outside 1e-12 |rel|^2 its sign is that of the exact test.
inline constexpr double kElevationTestMargin = 1e-12;

class SiteGrid {
 public:
  // cell_deg: grid cell size in degrees. DEFAULT: 0 = about nine evenly spread sites a cell, between 1
  // and 10 deg. REQUIRES: 0 or in [0.1, 180] (std::invalid_argument).
  explicit SiteGrid(std::span<const frames::Geodetic> sites, double cell_deg = 0.0);

  [[nodiscard]] std::size_t size() const { return order_.size(); }
  // Original index of sorted site i.
  [[nodiscard]] std::uint32_t original(std::size_t i) const { return order_[i]; }
  // Every sorted site's original index.
  [[nodiscard]] std::span<const std::uint32_t> originals() const { return order_; }
  // The topocentric frame of site k (original index).
  [[nodiscard]] const frames::Topocentric& site(std::size_t k) const { return topo_[k]; }
  [[nodiscard]] double min_radius_km() const { return rho_min_; }
  [[nodiscard]] double max_radius_km() const { return rho_max_; }

  // The runs [b, e) of sorted sites that hold every site which may see a satellite at ITRF position
  // r_km at or above min_elevation_rad (and some more), into `runs` (cleared first); each sorted site
  // in at most one run. Returns the number of sites in them.
  std::size_t runs(const frames::Vec3& r_km, double min_elevation_rad,
                   std::vector<std::pair<std::uint32_t, std::uint32_t>>& runs) const;

  // Adds 1 to counts[i - b] for every sorted site i in [b, e) that sees `sat` at or above min_elevation_rad
  // (Topocentric::look's decision, exactly). s_abs_s: sin(min_elevation_rad) |sin(min_elevation_rad)|.
  void count_in_run(const frames::StateVector& sat, std::size_t b, std::size_t e, double min_elevation_rad,
                    double s_abs_s, std::uint32_t* counts) const;

  // count_in_run's decisions, with a ranking key: key[i - b] = sin(e) |sin(e)| rounded to float, within
  // 1e-7 of the exact value (e the elevation), for every sorted site i in [b, e) that sees `sat` at or
  // above min_elevation_rad; internal::kNotSurelyInView (< -1) for the others.
  void rank_in_run(const frames::StateVector& sat, std::size_t b, std::size_t e, double min_elevation_rad,
                   double s_abs_s, float* key) const;

 private:
  int rows_ = 0, cols_ = 0;
  double lat_step_ = 0.0, lon_step_ = 0.0;
  double rho_min_ = 0.0, rho_max_ = 0.0;
  // Latitude band of each row widened by the grid's slack, with its sines and cosines.
  std::vector<double> band_lo_, band_hi_, band_lo_sin_, band_lo_cos_, band_hi_sin_, band_hi_cos_;
  std::vector<std::uint32_t> cell_start_;  // rows * cols + 1 offsets into the sorted sites
  std::vector<std::uint32_t> order_;       // sorted -> original index
  std::vector<double> px_, py_, pz_;       // sorted: site ITRF, km
  std::vector<double> ux_, uy_, uz_;       // sorted: WGS84 vertical
  std::vector<frames::Topocentric> topo_;  // original order
};

}  // namespace skyfence::visibility
