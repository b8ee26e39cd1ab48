// In-view sets: which satellites each site sees above a minimum elevation at one instant, for
// thousands of satellites and thousands of sites, without testing every pair.
//
// Method. Sites are bucketed once on a grid of geocentric latitude and longitude (SiteIndex). For
// each satellite at ITRF radius r, only sites within the Earth-central angle
//     Lambda(r) = acos(rho_min cos(e') / r) - e',   e' = min_elevation - kVerticalDeflectionBoundRad
// of its geocentric direction can see it (search_radius_rad): on a sphere of radius rho, a target at
// radius r > rho and central angle psi has geocentric elevation e_c with cos(psi + e_c) = (rho / r) cos e_c,
// so e_c >= e' exactly when psi <= acos(rho cos e' / r) - e', a bound that grows as rho shrinks (hence
// rho_min, the smallest site radius in the index). The WGS84 local vertical leans from the geocentric
// radial by at most 0.1925 deg (0.1928 deg 11 km below the ellipsoid), so a geodetic elevation >= e_min
// implies a geocentric one >= e_min - 0.2 deg = e'. 1e-6 rad (6 m) is added for rounding. Satellites
// inside the radius of the highest site (r <= rho_max) or with e' <= -90 deg are tested against every
// site. The cells the cap touches are visited (rows of the cap's latitude band; in each, the cap's
// longitude half-width asin(sin Lambda / cos lat), all longitudes when the cap holds a pole), each
// site there is tested against the cap by a dot product, and the survivors get the exact test:
// frames::Topocentric::look(state).elevation_rad >= min_elevation (WGS84 local vertical).
//
// The result equals the brute-force test of every pair (in_view_brute_force) bit for bit: same pairs,
// same look angles, same order (tests/oracle/visibility/in_view_oracle_test.cpp, random sites with
// poles, the antimeridian and heights to 100 km, real and random satellites, minimum elevations from
// -30 to 80 deg, several cell sizes and thread counts).
//
// Cost: O(sats * (cells visited + sites in the cap)) + O(pairs in view), parallel over satellites.
// Whole Starlink snapshot (10,238) x 10,000 sites at 25 deg: see docs/performance.md ("visibility").
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <numbers>
#include <span>
#include <vector>

#include "skyfence/core/run_context.h"
#include "skyfence/frames/frames.h"
#include "skyfence/orbits/sgp4.h"
#include "skyfence/time/instant.h"
#include "skyfence/visibility/fleet.h"
#include "skyfence/visibility/site_grid.h"

namespace skyfence::visibility {

// Upper bound of the angle between the WGS84 ellipsoid normal and the geocentric radial direction of
// any point from 11 km below to 100 km above the ellipsoid (the site altitudes earth::Site allows):
// 0.2 deg (the true maximum is 0.1928 deg; VisibilityInView.VerticalDeflectionBound checks it).
inline constexpr double kVerticalDeflectionBoundRad = 0.2 * std::numbers::pi / 180.0;
// Added to every search radius to absorb rounding. 1e-6 rad, about 6 m on the ground.
inline constexpr double kSearchRadiusMarginRad = 1e-6;

// The largest Earth-central angle between a site of geocentric radius >= site_radius_km and a satellite
// at radius sat_radius_km for which the satellite can be at or above min_elevation_rad on the WGS84
// local vertical, including the margins above. Returns pi (every site) when sat_radius_km <=
// max_site_radius_km or when the elevation minus the margin is <= -90 deg.
double search_radius_rad(double sat_radius_km, double min_site_radius_km, double max_site_radius_km,
                         double min_elevation_rad);

struct InViewOptions;
struct InViewSet;
struct SightingBuffers;
struct Sightings;

// Sites bucketed on a geocentric latitude/longitude grid, set up once, immutable (thread-safe).
class SiteIndex {
 public:
  // cell_deg: grid cell size in degrees. DEFAULT: 0 = chosen from the number of sites (about two sites a
  // cell on average for evenly spread sites, between 0.5 and 10 deg). REQUIRES: 0 or in [0.01, 180].
  explicit SiteIndex(std::span<const frames::Geodetic> sites, double cell_deg = 0.0);

  [[nodiscard]] std::size_t size() const { return topo_.size(); }
  [[nodiscard]] const frames::Topocentric& site(std::size_t k) const { return topo_[k]; }
  [[nodiscard]] double cell_deg() const { return cell_rad_ * 180.0 / std::numbers::pi; }
  [[nodiscard]] double min_radius_km() const { return rho_min_; }
  [[nodiscard]] double max_radius_km() const { return rho_max_; }

  // Calls visit(k) for every site k whose geocentric direction is within angle_rad of the unit vector
  // `dir`, and possibly for a few more (the caller tests exactly); each site at most once.
  void for_each_candidate(const frames::Vec3& dir, double angle_rad,
                          const std::function<void(std::uint32_t)>& visit) const;
  // The same, collecting indices (in grid order) after the exact dot-product test against the cap.
  void sites_within(const frames::Vec3& dir, double angle_rad, std::vector<std::uint32_t>& out) const;

 private:
  friend void in_view(const SiteIndex&, std::span<const frames::StateVector>, std::span<const bool>,
                      const InViewOptions&, InViewSet&, const RunContext&);
  // The grid walk behind for_each_candidate, inlined for the hot loop (defined in in_view.cpp).
  template <class Visit>
  void visit_cells(const frames::Vec3& dir, double angle_rad, Visit&& visit) const;

  std::vector<frames::Topocentric> topo_;
  std::vector<frames::Vec3> unit_;  // geocentric direction of each site
  double rho_min_ = 0.0, rho_max_ = 0.0;
  double cell_rad_ = 0.0;
  int rows_ = 0, cols_ = 0;
  std::vector<std::uint32_t> cell_start_;  // rows_ * cols_ + 1 offsets into cell_sites_
  std::vector<std::uint32_t> cell_sites_;
};

struct InViewOptions {
  // Minimum elevation on the WGS84 local vertical; a satellite exactly at it is in view.
  // DEFAULT: 25 deg. REQUIRES: -pi/2 <= min_elevation_rad <= pi/2.
  double min_elevation_rad = 25.0 * std::numbers::pi / 180.0;
};

// One satellite in view of one site.
struct InViewEntry {
  std::uint32_t satellite = 0;  // index into the states (the fleet)
  frames::LookAngles look;
  // Exact: every field equal in value.
  friend bool operator==(const InViewEntry& a, const InViewEntry& b) {
    return a.satellite == b.satellite && a.look.azimuth_rad == b.look.azimuth_rad &&
           a.look.elevation_rad == b.look.elevation_rad && a.look.range_km == b.look.range_km &&
           a.look.range_rate_km_s == b.look.range_rate_km_s;
  }
};

// The in-view set of one instant: for site k, entries[site_offsets[k] .. site_offsets[k + 1]), in
// increasing satellite index.
struct InViewSet {
  std::vector<std::uint32_t> site_offsets;  // size() == sites + 1
  std::vector<InViewEntry> entries;
  std::vector<std::uint32_t> failed;  // satellites whose state is missing (SGP4 error), increasing
  [[nodiscard]] std::span<const InViewEntry> of_site(std::size_t k) const {
    return {entries.data() + site_offsets[k], entries.data() + site_offsets[k + 1]};
  }
  friend bool operator==(const InViewSet&, const InViewSet&) = default;
};

// In-view set from satellite ITRF states (valid[i] false, or a non-finite state, marks satellite i
// as failed). `valid` may be empty (all valid). Threads from `run`; the result does not depend on them.
void in_view(const SiteIndex& sites, std::span<const frames::StateVector> sat_itrf,
             std::span<const bool> valid, const InViewOptions& options, InViewSet& out,
             const RunContext& run = {});

// The same result by testing every pair (the oracle; O(sites * sats)).
void in_view_brute_force(const SiteIndex& sites, std::span<const frames::StateVector> sat_itrf,
                         std::span<const bool> valid, const InViewOptions& options, InViewSet& out);

// One satellite in view of one site (sightings()). Its geometry is computed again when read, from the
// topocentric vector SiteGrid::site(k).enu(state.r_km).
struct Sighting {
  std::uint32_t satellite = 0;  // index into the states (the fleet)
  // sin(e) |sin(e)| rounded to float (e the elevation), within 1e-7 of the exact value: ranks the
  // satellites a site sees without computing their geometry (SiteGrid::rank_in_run).
  float elevation_key = 0.0f;
  friend bool operator==(const Sighting&, const Sighting&) = default;
};

// Topocentric::look's elevation from a topocentric vector (Topocentric::enu), bit for bit:
// atan2(up, hypot(east, north)).
[[nodiscard]] inline double elevation_of(const frames::Vec3& enu) {
  return std::atan2(enu.z, std::hypot(enu.x, enu.y));
}
// sin(elevation) within a few ulps (up / |enu|), for ranking sightings without the atan2.
[[nodiscard]] inline double sin_elevation_of(const frames::Vec3& enu) {
  return enu.z / enu.norm();
}
// Whether elevation_of(enu) >= min_elevation_rad (in_view's decision, exactly), with the atan2 only when
// sin(elevation) is within 1e-12 of sin_min = sin(min_elevation_rad) (rounding moves either by a few ulps).
[[nodiscard]] inline bool sees(const frames::Vec3& enu, double min_elevation_rad, double sin_min) {
  const double s = enu.z / enu.norm();
  if (s > sin_min + 1e-12) return true;
  if (s < sin_min - 1e-12) return false;
  return elevation_of(enu) >= min_elevation_rad;
}

// InViewSet without azimuth, range and range rate: for site k, entries[site_offsets[k] ..
// site_offsets[k + 1]), in increasing satellite index.
struct Sightings {
  std::vector<std::uint32_t> site_offsets;
  std::vector<Sighting> entries;
  // Per satellite (state index): the lowest site index that sees it, kNoSite where none does.
  std::vector<std::uint32_t> first_site;
  static constexpr std::uint32_t kNoSite = 0xFFFFFFFFu;
  [[nodiscard]] std::span<const Sighting> of_site(std::size_t k) const {
    return {entries.data() + site_offsets[k], entries.data() + site_offsets[k + 1]};
  }
};

// What the capacity engine's greedy pass reads of sightings()'s pairs, per site, without the pairs.
// Only the satellites given a slot count (slot[s] != kNoSlot: the capacity engine's beam-bandwidth
// slot of a classified satellite), except in first_site. Every field equals what a walk over
// sightings()'s entries of the site finds (VisibilityInViewOracle.SummaryIsTheReductionOfSightings).
struct SightingSummary {
  static constexpr std::uint32_t kNoSlot = 0xFFFFFFFFu;
  // Sightings kept per site: its first ones, in satellite order.
  static constexpr std::size_t kListed = 4;
  // The three highest elevation keys of a site's sightings of one slot (a multiset: equal keys count
  // once each; -infinity where the site has fewer), and the satellites of those of key[0] and key[1]
  // that are above key[2] (two equal keys in either order); every other sighting's key is <= key[2].
  struct Top {
    float key[3];
    std::uint32_t satellite[2];
  };
  std::size_t slots = 0;
  // Per site: its sightings with a slot, counted up to kListed + 1 (more than kListed: kListed + 1).
  std::vector<std::uint8_t> count;
  // Per site k: listed[k * kListed + j], j < min(count[k], kListed): its first sightings with a slot,
  // in increasing satellite index, as sightings() lists them.
  std::vector<Sighting> listed;
  // Per site k and slot q: top[k * slots + q].
  std::vector<Top> top;
  // Per satellite: Sightings::first_site (over every sighting, with a slot or not).
  std::vector<std::uint32_t> first_site;
  [[nodiscard]] std::span<const Sighting> listed_of(std::size_t k) const {
    return {listed.data() + k * kListed, std::min<std::size_t>(count[k], kListed)};
  }
  // Whether listed_of(k) holds every sighting of site k with a slot.
  [[nodiscard]] bool complete(std::size_t k) const { return count[k] <= kListed; }
};

namespace in_view_detail {
// log2 of the sites of a block of sightings()'s grouping: 64 sites' entries (a few KB) stay in cache
// while their hits are written, and a few thousand blocks' tails fit in L2.
inline constexpr unsigned kSightingBlockShift = 6;
// The most satellites sightings() takes: a hit packs the satellite with its site within the block.
inline constexpr std::size_t kSightingBlockSatellites = std::size_t{1} << (32 - kSightingBlockShift);
}  // namespace in_view_detail

// Reusable buffers of sightings() (one per thread).
struct SightingBuffers {
  std::vector<std::pair<std::uint32_t, std::uint32_t>> runs;  // SiteGrid::runs'
  std::vector<float> keys;  // per sorted site of a run: SiteGrid::rank_in_run's
  std::vector<std::uint32_t> next;
  // The hits of each block of 2^in_view_detail::kSightingBlockShift sites, in satellite order:
  // `satellite` holds the satellite shifted left by kSightingBlockShift, plus the site within the block.
  std::vector<std::vector<Sighting>> blocks;
  // summarize_sightings()'s reductions in SiteGrid's sorted order, before they are put in site order:
  // per sorted site, its count and listed sightings; per slot q and sorted site i, at q * sites + i,
  // SightingSummary::Top's fields apart (a run's points are contiguous in each).
  std::vector<std::uint32_t> count;
  std::vector<Sighting> listed;
  std::vector<float> key0, key1, key2;
  std::vector<std::uint32_t> satellite0, satellite1;
};

// The pairs of in_view, equal and in the same order, for callers that need only the satellite and often
// not even its elevation (the capacity engine): the sites of SiteGrid::runs get SiteGrid's vectorised
// sqrt-free elevation test (the same decision as in_view's elevation >= min_elevation_rad, exactly: the
// few pairs within the test's margin are settled by Topocentric::look), and none of the azimuth, range
// and range rate look() computes. One thread. valid[s] false (when `valid` is not empty) or a non-finite
// state leaves satellite s out. Also fills out.first_site. REQUIRES: at most 2^26 satellites
// (std::invalid_argument). Tested against in_view (tests/oracle/visibility/in_view_oracle_test.cpp).
void sightings(const SiteGrid& sites, std::span<const frames::StateVector> sat_itrf,
               std::span<const bool> valid, double min_elevation_rad, SightingBuffers& buffers,
               Sightings& out);

// The pairs sightings() finds, reduced per site as they are found (SightingSummary), none of them
// stored: the same test, the same keys. slot: per satellite (state index), its slot in [0, slots) or
// SightingSummary::kNoSlot. REQUIRES: slot.size() == sat_itrf.size() (std::invalid_argument).
void summarize_sightings(const SiteGrid& sites, std::span<const frames::StateVector> sat_itrf,
                         std::span<const bool> valid, double min_elevation_rad,
                         std::span<const std::uint32_t> slot, std::size_t slots, SightingBuffers& buffers,
                         SightingSummary& out);

// In-view sets of a fleet at each of `times` (any order), in that order: on_step(step, set) is called
// once per time, in order, from the calling thread. Satellites with an SGP4 error at a time are listed
// in that step's `failed`. A stop requested through `run` is checked before each step (then
// skyfence::Cancelled).
void in_view_series(const Fleet& fleet, const SiteIndex& sites, std::span<const time::Instant> times,
                    const InViewOptions& options,
                    const std::function<void(std::size_t step, const InViewSet& set)>& on_step,
                    const RunContext& run = {});

}  // namespace skyfence::visibility
