// The inner loop of SiteGrid (the coverage engine's counts, visibility::sightings' pairs): the
// sqrt-free elevation test of one satellite against a run of points, vectorised. Compiled for AVX-512, AVX2
// and baseline x86-64; the loader picks the best the CPU runs (GCC target_clones). Every clone rounds each
// operation the same way (no FMA contraction, -ffp-contract=off), so the counts do not depend on the
// instruction set.
#pragma once

#include <cstddef>
#include <cstdint>

namespace skyfence::visibility::internal {

// Points of a run, structure of arrays: ITRF position (km) and unit WGS84 vertical.
struct PointArrays {
  const double* px;
  const double* py;
  const double* pz;
  const double* ux;
  const double* uy;
  const double* uz;
};

// For points [0, n) of `p`: with rel = sat - p[i], u = vertical[i] . rel, n2 = |rel|^2 and
// d = u |u| - s_abs_s n2, adds 1 to counts[i] when d > margin n2 (surely in view). Returns the number
// of points with |d| <= margin n2 (undecided: the caller settles them with the exact test).
std::uint32_t count_in_view(const PointArrays& p, std::size_t n, double sx, double sy, double sz,
                            double s_abs_s, double margin, std::uint32_t* counts);

// A rank_in_view key of a point not surely in view.
inline constexpr float kNotSurelyInView = -2.0f;

// count_in_view's test, keeping what it finds: key[i] = u |u| / n2 rounded to float (sin(elevation)
// |sin(elevation)| on the vertical of `p`, within 1e-7 of the exact value) for points surely in view,
// kNotSurelyInView for the others. Returns the number of undecided points.
std::uint32_t rank_in_view(const PointArrays& p, std::size_t n, double sx, double sy, double sz,
                           double s_abs_s, double margin, float* key);

// The three highest keys of a point (a multiset) and the satellites of the first two
// (visibility::SightingSummary::Top), structure of arrays over the points of a run.
struct TopArrays {
  float* key0;
  float* key1;
  float* key2;
  std::uint32_t* satellite0;
  std::uint32_t* satellite1;
};

// For points [0, n) of a run, each key[i] >= -1 (in view) a sighting of satellite `sat`: puts it into
// the point's three highest keys (`top`, the satellites of the first two following their keys), and
// returns the lowest site[i] among them (0xFFFFFFFF: none). `low` becomes true when some point in view
// has count[i] <= count_limit. Comparisons only: the same on every instruction set.
std::uint32_t reduce_sightings(const float* key, const std::uint32_t* site, const std::uint32_t* count,
                               std::size_t n, std::uint32_t sat, std::uint32_t count_limit, TopArrays top,
                               bool& low);

// The lowest site[i] with key[i] >= -1 over [0, n) (0xFFFFFFFF: none).
std::uint32_t first_in_view(const float* key, const std::uint32_t* site, std::size_t n);

// Whether point i of `p` is undecided by count_in_view's test (the same arithmetic, one point).
bool undecided(const PointArrays& p, std::size_t i, double sx, double sy, double sz, double s_abs_s,
               double margin);

}  // namespace skyfence::visibility::internal
