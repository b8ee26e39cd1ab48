#include "skyfence/visibility/internal/elevation_kernel.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <limits>

namespace skyfence::visibility::internal {
namespace {

// One point's test value and tolerance, with u |u| and n2; shared by the loops and the single-point
// check so that all round identically.
inline double test_value(double rx, double ry, double rz, double ux, double uy, double uz, double s_abs_s,
                         double margin, double& tol, double& u_abs_u, double& n2) {
  const double u = ux * rx + uy * ry + uz * rz;
  n2 = rx * rx + ry * ry + rz * rz;
  tol = margin * n2;
  u_abs_u = u * std::fabs(u);
  return u_abs_u - s_abs_s * n2;
}

__attribute__((target_clones("avx512f", "avx2", "default"))) std::uint32_t count_run(
    const double* __restrict px, const double* __restrict py, const double* __restrict pz,
    const double* __restrict ux, const double* __restrict uy, const double* __restrict uz, std::size_t n,
    double sx, double sy, double sz, double s_abs_s, double margin, std::uint32_t* __restrict counts) {
  std::uint32_t undecided_points = 0;
  for (std::size_t i = 0; i < n; ++i) {
    double tol, u_abs_u, n2;
    const double d = test_value(sx - px[i], sy - py[i], sz - pz[i], ux[i], uy[i], uz[i], s_abs_s, margin, tol,
                                u_abs_u, n2);
    counts[i] += d > tol ? 1u : 0u;
    undecided_points += std::fabs(d) <= tol ? 1u : 0u;
  }
  return undecided_points;
}

__attribute__((target_clones("avx512f", "avx2", "default"))) std::uint32_t rank_run(
    const double* __restrict px, const double* __restrict py, const double* __restrict pz,
    const double* __restrict ux, const double* __restrict uy, const double* __restrict uz, std::size_t n,
    double sx, double sy, double sz, double s_abs_s, double margin, float* __restrict key) {
  std::uint32_t undecided_points = 0;
  for (std::size_t i = 0; i < n; ++i) {
    double tol, u_abs_u, n2;
    const double d = test_value(sx - px[i], sy - py[i], sz - pz[i], ux[i], uy[i], uz[i], s_abs_s, margin, tol,
                                u_abs_u, n2);
    // Computed for every point (a branch-free loop vectorises); used where surely in view.
    const auto q = static_cast<float>(u_abs_u / n2);
    key[i] = d > tol ? q : kNotSurelyInView;
    undecided_points += std::fabs(d) <= tol ? 1u : 0u;
  }
  return undecided_points;
}

// All ones where `c`, else zero: selects as bit operations, which the vectoriser takes.
inline std::uint32_t mask(bool c) {
  return 0u - static_cast<std::uint32_t>(c);
}
inline std::uint32_t pick(std::uint32_t m, std::uint32_t a, std::uint32_t b) {
  return (a & m) | (b & ~m);
}
inline float pick(std::uint32_t m, float a, float b) {
  return std::bit_cast<float>(pick(m, std::bit_cast<std::uint32_t>(a), std::bit_cast<std::uint32_t>(b)));
}

__attribute__((target_clones("avx512f", "avx2", "default"))) std::uint32_t reduce_run(
    const float* __restrict key, const std::uint32_t* __restrict site, const std::uint32_t* __restrict count,
    std::size_t n, std::uint32_t sat, std::uint32_t count_limit, float* __restrict k0, float* __restrict k1,
    float* __restrict k2, std::uint32_t* __restrict s0, std::uint32_t* __restrict s1, bool& low) {
  constexpr float kNone = -std::numeric_limits<float>::infinity();
  std::uint32_t first = 0xFFFFFFFFu;
  std::uint32_t any_low = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const std::uint32_t hit = mask(key[i] >= -1.0f);
    const float k = pick(hit, key[i], kNone);  // kNone changes nothing below
    first = std::min(first, site[i] | ~hit);
    any_low |= hit & mask(count[i] <= count_limit);
    const float a = k0[i], b = k1[i], c = k2[i];
    const std::uint32_t sa = s0[i], sb = s1[i];
    const std::uint32_t above_a = mask(k > a), above_b = mask(k > b);
    k0[i] = std::max(a, k);
    k1[i] = std::max(b, std::min(a, k));
    k2[i] = std::max(c, std::min(b, k));
    s0[i] = pick(above_a, sat, sa);
    s1[i] = pick(above_a, sa, pick(above_b, sat, sb));
  }
  low = low || any_low != 0;
  return first;
}

__attribute__((target_clones("avx512f", "avx2", "default"))) std::uint32_t first_run(
    const float* __restrict key, const std::uint32_t* __restrict site, std::size_t n) {
  std::uint32_t first = 0xFFFFFFFFu;
  for (std::size_t i = 0; i < n; ++i) first = std::min(first, site[i] | ~mask(key[i] >= -1.0f));
  return first;
}

}  // namespace

std::uint32_t reduce_sightings(const float* key, const std::uint32_t* site, const std::uint32_t* count,
                               std::size_t n, std::uint32_t sat, std::uint32_t count_limit, TopArrays top,
                               bool& low) {
  return reduce_run(key, site, count, n, sat, count_limit, top.key0, top.key1, top.key2, top.satellite0,
                    top.satellite1, low);
}

std::uint32_t first_in_view(const float* key, const std::uint32_t* site, std::size_t n) {
  return first_run(key, site, n);
}

std::uint32_t rank_in_view(const PointArrays& p, std::size_t n, double sx, double sy, double sz,
                           double s_abs_s, double margin, float* key) {
  return rank_run(p.px, p.py, p.pz, p.ux, p.uy, p.uz, n, sx, sy, sz, s_abs_s, margin, key);
}

std::uint32_t count_in_view(const PointArrays& p, std::size_t n, double sx, double sy, double sz,
                            double s_abs_s, double margin, std::uint32_t* counts) {
  return count_run(p.px, p.py, p.pz, p.ux, p.uy, p.uz, n, sx, sy, sz, s_abs_s, margin, counts);
}

bool undecided(const PointArrays& p, std::size_t i, double sx, double sy, double sz, double s_abs_s,
               double margin) {
  double tol, u_abs_u, n2;
  const double d = test_value(sx - p.px[i], sy - p.py[i], sz - p.pz[i], p.ux[i], p.uy[i], p.uz[i], s_abs_s,
                              margin, tol, u_abs_u, n2);
  return std::fabs(d) <= tol;
}

}  // namespace skyfence::visibility::internal
