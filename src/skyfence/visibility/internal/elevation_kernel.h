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

// Whether point i of `p` is undecided by count_in_view's test (the same arithmetic, one point).
bool undecided(const PointArrays& p, std::size_t i, double sx, double sy, double sz, double s_abs_s,
               double margin);

}  // namespace skyfence::visibility::internal
