#include "skyfence/coverage/internal/elevation_kernel.h"

#include <cmath>

namespace skyfence::coverage::internal {
namespace {

// One point's test value and tolerance; shared by the loop and the single-point check so that both
// round identically.
inline double test_value(double rx, double ry, double rz, double ux, double uy, double uz, double s_abs_s,
                         double margin, double& tol) {
  const double u = ux * rx + uy * ry + uz * rz;
  const double n2 = rx * rx + ry * ry + rz * rz;
  tol = margin * n2;
  return u * std::fabs(u) - s_abs_s * n2;
}

__attribute__((target_clones("avx512f", "avx2", "default"))) std::uint32_t count_run(
    const double* __restrict px, const double* __restrict py, const double* __restrict pz,
    const double* __restrict ux, const double* __restrict uy, const double* __restrict uz, std::size_t n,
    double sx, double sy, double sz, double s_abs_s, double margin, std::uint32_t* __restrict counts) {
  std::uint32_t undecided_points = 0;
  for (std::size_t i = 0; i < n; ++i) {
    double tol;
    const double d =
        test_value(sx - px[i], sy - py[i], sz - pz[i], ux[i], uy[i], uz[i], s_abs_s, margin, tol);
    counts[i] += d > tol ? 1u : 0u;
    undecided_points += std::fabs(d) <= tol ? 1u : 0u;
  }
  return undecided_points;
}

}  // namespace

std::uint32_t count_in_view(const PointArrays& p, std::size_t n, double sx, double sy, double sz,
                            double s_abs_s, double margin, std::uint32_t* counts) {
  return count_run(p.px, p.py, p.pz, p.ux, p.uy, p.uz, n, sx, sy, sz, s_abs_s, margin, counts);
}

bool undecided(const PointArrays& p, std::size_t i, double sx, double sy, double sz, double s_abs_s,
               double margin) {
  double tol;
  const double d =
      test_value(sx - p.px[i], sy - p.py[i], sz - p.pz[i], p.ux[i], p.uy[i], p.uz[i], s_abs_s, margin, tol);
  return std::fabs(d) <= tol;
}

}  // namespace skyfence::coverage::internal
