#include "skyfence/visibility/internal/elevation_kernel.h"

#include <cmath>

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

}  // namespace

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
