// The near-earth SGP4 evaluation written once over xsimd batches, instantiated per instruction set by
// batch_kernel_<isa>.cpp (each compiled with its own flags). Include only from those files.
//
// The arithmetic follows the reference sgp4() of Vallado, Crawford, Hujsak and Kelso, "Revisiting
// Spacetrack Report #3", AIAA 2006-6753, near-earth branch, in the same order, branch-free over lanes:
//  - isimp 1 lanes carry zero for the isimp 0 coefficients, which makes those terms vanish exactly;
//  - the Kepler iteration runs while any lane is unconverged, converged lanes frozen by masks;
//  - errors become per-lane codes with the reference's precedence (2, 1, 4, 6).
// Deviations, each a rounding-level change (the oracle test bounds their sum: 1e-9 km, 1e-12 km/s):
//  - sin/cos by Cody-Waite reduction and xsimd's minimax polynomials (sincos_full) instead of libm;
//  - sin/cos of an angle that differs from a known one by a small step (|d| <= 0.01) by rotating
//    the known pair with Taylor series of d (rotate_small, rotate_tiny), used for the Kepler steps after the
//    first, for mm = xmdf + temp, and for the short-period corrections of su and xinc. Any vector
//    with a larger step takes sincos_full instead;
//  - sin/cos of su from (sinu, cosu) directly instead of through atan2: the reference's sinu, cosu
//    are an exact sine/cosine pair (|(sinu, cosu)| = 1 for any eccentric anomaly, up to rounding);
//  - am * sqrt(am) for pow(am, 1.5); products with 1/rl, 1/xke instead of divisions;
//  - fmod(x, 2 pi) by an exact two-constant reduction.
//
// The evaluation runs on Pack<A, N>: N independent xsimd vectors in lockstep, which gives the
// out-of-order core N chains of the (long, latency-bound) computation to interleave.
//
// Every function is a template on the architecture A, so the instantiations of different instruction
// sets are distinct symbols (none can be merged into another's translation unit by the linker).
#pragma once

#include <xsimd/xsimd.hpp>

#include <algorithm>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>

#include "skyfence/orbits/internal/batch_kernel.h"

namespace skyfence::orbits::internal::simd {

template <class A>
using Vec = xsimd::batch<double, A>;
template <class A>
using Mask = xsimd::batch_bool<double, A>;

// N vectors processed together.
template <class A, int N>
struct Pack {
  Vec<A> v[N];
  Pack() = default;
  Pack(double x) {  // NOLINT(google-explicit-constructor): constants read as in the paper
    for (int k = 0; k < N; ++k) v[k] = Vec<A>(x);
  }
  static constexpr std::size_t lanes = Vec<A>::size * N;
  static Pack load(const double* p) {  // aligned
    Pack r;
    for (int k = 0; k < N; ++k) r.v[k] = Vec<A>::load_aligned(p + k * Vec<A>::size);
    return r;
  }
  static Pack load_unaligned(const double* p) {
    Pack r;
    for (int k = 0; k < N; ++k) r.v[k] = Vec<A>::load_unaligned(p + k * Vec<A>::size);
    return r;
  }
  void store(double* p) const {  // aligned
    for (int k = 0; k < N; ++k) v[k].store_aligned(p + k * Vec<A>::size);
  }
  void store_unaligned(double* p) const {
    for (int k = 0; k < N; ++k) v[k].store_unaligned(p + k * Vec<A>::size);
  }
};

template <class A, int N>
struct PackMask {
  Mask<A> m[N];
};

#define SKYFENCE_PACK_BINARY(op)                                            \
  template <class A, int N>                                                 \
  inline Pack<A, N> operator op(const Pack<A, N>& x, const Pack<A, N>& y) { \
    Pack<A, N> r;                                                           \
    for (int k = 0; k < N; ++k) r.v[k] = x.v[k] op y.v[k];                  \
    return r;                                                               \
  }                                                                         \
  template <class A, int N>                                                 \
  inline Pack<A, N> operator op(const Pack<A, N>& x, double y) {            \
    return x op Pack<A, N>(y);                                              \
  }                                                                         \
  template <class A, int N>                                                 \
  inline Pack<A, N> operator op(double x, const Pack<A, N>& y) {            \
    return Pack<A, N>(x) op y;                                              \
  }
SKYFENCE_PACK_BINARY(+)
SKYFENCE_PACK_BINARY(-)
SKYFENCE_PACK_BINARY(*)
SKYFENCE_PACK_BINARY(/)
#undef SKYFENCE_PACK_BINARY

#define SKYFENCE_PACK_COMPARE(op)                                               \
  template <class A, int N>                                                     \
  inline PackMask<A, N> operator op(const Pack<A, N>& x, const Pack<A, N>& y) { \
    PackMask<A, N> r;                                                           \
    for (int k = 0; k < N; ++k) r.m[k] = x.v[k] op y.v[k];                      \
    return r;                                                                   \
  }                                                                             \
  template <class A, int N>                                                     \
  inline PackMask<A, N> operator op(const Pack<A, N>& x, double y) {            \
    return x op Pack<A, N>(y);                                                  \
  }
SKYFENCE_PACK_COMPARE(<)
SKYFENCE_PACK_COMPARE(<=)
SKYFENCE_PACK_COMPARE(>)
SKYFENCE_PACK_COMPARE(>=)
SKYFENCE_PACK_COMPARE(==)
SKYFENCE_PACK_COMPARE(!=)
#undef SKYFENCE_PACK_COMPARE

template <class A, int N>
inline Pack<A, N> operator-(const Pack<A, N>& x) {
  Pack<A, N> r;
  for (int k = 0; k < N; ++k) r.v[k] = -x.v[k];
  return r;
}
template <class A, int N>
inline PackMask<A, N> operator&&(const PackMask<A, N>& x, const PackMask<A, N>& y) {
  PackMask<A, N> r;
  for (int k = 0; k < N; ++k) r.m[k] = x.m[k] && y.m[k];
  return r;
}
template <class A, int N>
inline PackMask<A, N> operator||(const PackMask<A, N>& x, const PackMask<A, N>& y) {
  PackMask<A, N> r;
  for (int k = 0; k < N; ++k) r.m[k] = x.m[k] || y.m[k];
  return r;
}
// a * b + c, fused where the instruction set has FMA (rounded once: at least as accurate).
template <class A, int N>
inline Pack<A, N> fma(const Pack<A, N>& a, const Pack<A, N>& b, const Pack<A, N>& c) {
  Pack<A, N> r;
  for (int k = 0; k < N; ++k) r.v[k] = xsimd::fma(a.v[k], b.v[k], c.v[k]);
  return r;
}
template <class A, int N>
inline Pack<A, N> select(const PackMask<A, N>& c, const Pack<A, N>& x, const Pack<A, N>& y) {
  Pack<A, N> r;
  for (int k = 0; k < N; ++k) r.v[k] = xsimd::select(c.m[k], x.v[k], y.v[k]);
  return r;
}
template <class A, int N>
inline bool any(const PackMask<A, N>& c) {
  bool r = false;
  for (int k = 0; k < N; ++k) r = r || xsimd::any(c.m[k]);
  return r;
}

#define SKYFENCE_PACK_UNARY(name)                             \
  template <class A, int N>                                   \
  inline Pack<A, N> name(const Pack<A, N>& x) {               \
    Pack<A, N> r;                                             \
    for (int k = 0; k < N; ++k) r.v[k] = xsimd::name(x.v[k]); \
    return r;                                                 \
  }
SKYFENCE_PACK_UNARY(abs)
SKYFENCE_PACK_UNARY(sqrt)
SKYFENCE_PACK_UNARY(trunc)
SKYFENCE_PACK_UNARY(floor)
SKYFENCE_PACK_UNARY(nearbyint)
#undef SKYFENCE_PACK_UNARY

// 2 pi as the reference's double, split so that k * hi and k * lo are exact for integer |k| < 2^26:
// hi keeps the upper 26 significant bits, lo = 2 pi - hi (27 bits).
inline constexpr double kTwoPi = 2.0 * 3.14159265358979323846;
inline constexpr double kInvTwoPi = 1.0 / kTwoPi;
struct TwoPiSplit {
  double hi, lo;
};
consteval TwoPiSplit split_two_pi() {
  const auto bits = std::bit_cast<std::uint64_t>(kTwoPi);
  const double hi = std::bit_cast<double>(bits & ~((std::uint64_t{1} << 27) - 1));
  return {hi, kTwoPi - hi};
}
inline constexpr TwoPiSplit kTwoPiSplit = split_two_pi();

// fmod(x, 2 pi), exact like fmod for |x| < 2^26 * 2 pi: x - k * hi is exact (Sterbenz), and
// x - k * 2pi is representable, so subtracting k * lo rounds to it exactly. Where x * (1 / 2pi)
// rounds across an integer, k is off by one and the result lies just outside [0, 2 pi) (or its
// negative): the same angle, and every use of these angles is through sin/cos or sums of angles
// that are reduced again, so no fix-up is needed.
template <class A, int N>
[[gnu::always_inline]] inline Pack<A, N> fmod_two_pi(const Pack<A, N>& x) {
  const Pack<A, N> k = trunc(x * kInvTwoPi);
  return (x - k * kTwoPiSplit.hi) - k * kTwoPiSplit.lo;
}

// Arguments beyond this (only from absurd tsince) take xsimd::sincos, exact at any size.
inline constexpr double kFastTrigMax = 1.0e5;

template <class A, int N>
[[gnu::noinline]] void sincos_large(const Pack<A, N>& x, Pack<A, N>& s, Pack<A, N>& c) {
  for (int k = 0; k < N; ++k) {
    const auto sc = xsimd::sincos(x.v[k]);
    s.v[k] = sc.first;
    c.v[k] = sc.second;
  }
}

// sin and cos of x: Cody-Waite reduction by pi/2 in three parts (fdlibm's 33-bit splits, so
// n * part is exact for |n| < 2^20), then xsimd's minimax polynomials on [-pi/4, pi/4]; the
// arithmetic of xsimd::sincos below 20 pi, without its range tests and out-of-line reduction.
template <class A, int N>
[[gnu::always_inline]] inline void sincos_full(const Pack<A, N>& x, Pack<A, N>& s, Pack<A, N>& c) {
  using P = Pack<A, N>;
  if (any(abs(x) > kFastTrigMax)) {
    sincos_large<A, N>(x, s, c);
    return;
  }
  constexpr double two_over_pi = 6.36619772367581382433e-01;
  constexpr double pio2_1 = 1.57079632673412561417e+00;  // first 33 bits of pi/2
  constexpr double pio2_2 = 6.07710050650619224932e-11;  // next 33 bits
  constexpr double pio2_3 = 2.02226624879595063154e-21;  // next 33 bits
  const P n = nearbyint(x * two_over_pi);
  P r = x - n * pio2_1;
  r = r - n * pio2_2;
  r = r - n * pio2_3;
  const P z = r * r;
  P se, ce;
  for (int k = 0; k < N; ++k) {
    se.v[k] = xsimd::kernel::detail::sin_eval(z.v[k], r.v[k]);
    ce.v[k] = xsimd::kernel::detail::cos_eval(z.v[k]);
  }
  // Quadrant q = n mod 4 in {0, 1, 2, 3}.
  const P q = n - 4.0 * floor(n * 0.25);
  const auto odd = (q == 1.0) || (q == 3.0);
  const P sv = select(odd, ce, se);
  const P cv = select(odd, se, ce);
  s = select(q >= 2.0, -sv, sv);
  c = select((q == 1.0) || (q == 2.0), -cv, cv);
}

// Rotates the pair (s, c) = (sin a, cos a) by d: (sin(a + d), cos(a + d)), with Taylor series of
// sin d and cos d - 1 that are exact to double precision for |d| <= kSmallAngle (remainders below
// 3e-24 |d| and 3e-27). REQUIRES: all |d| <= kSmallAngle (callers test and fall back).
inline constexpr double kSmallAngle = 0.01;
template <class A, int N>
[[gnu::always_inline]] inline void rotate_small(const Pack<A, N>& d, Pack<A, N>& s, Pack<A, N>& c) {
  using P = Pack<A, N>;
  const P z = d * d;
  const P sd = fma(d * z, fma(z, fma(z, P(-1.0 / 5040.0), P(1.0 / 120.0)), P(-1.0 / 6.0)), d);
  const P cdm1 = z * fma(z, fma(z, fma(z, P(1.0 / 40320.0), P(-1.0 / 720.0)), P(1.0 / 24.0)), P(-0.5));
  const P s0 = s;
  s = s0 + fma(s0, cdm1, c * sd);
  c = c + fma(c, cdm1, -(s0 * sd));
}
// The same for |d| <= kTinyAngle, where sin d = d - d^3/6 and cos d - 1 = -d^2/2 leave remainders
// below 1e-22 and 5e-18 (the Kepler steps after the first are usually this small).
inline constexpr double kTinyAngle = 1.0e-4;
template <class A, int N>
[[gnu::always_inline]] inline void rotate_tiny(const Pack<A, N>& d, Pack<A, N>& s, Pack<A, N>& c) {
  using P = Pack<A, N>;
  const P z = d * d;
  const P sd = fma(d * z, P(-1.0 / 6.0), d);
  const P cdm1 = z * -0.5;
  const P s0 = s;
  s = s0 + fma(s0, cdm1, c * sd);
  c = c + fma(c, cdm1, -(s0 * sd));
}
template <class A, int N>
[[gnu::always_inline]] inline bool all_below(const Pack<A, N>& d, double limit) {
  return !any(abs(d) > limit);
}
template <class A, int N>
[[gnu::always_inline]] inline bool all_small(const Pack<A, N>& d) {
  return all_below(d, kSmallAngle);
}

// The state of one pack of satellites at one pack of times.
template <class A, int N>
struct PackState {
  Pack<A, N> x, y, z, vx, vy, vz;
  Pack<A, N> error;  // Sgp4Error value as a double; 0 where valid
};

// Long on purpose: the scalar propagate() of sgp4.cpp step by step on packs of N satellites, kept in the
// same order so that every lane rounds exactly as the scalar code does (the batch tests compare bits).
template <class A, int N>
inline PackState<A, N> evaluate(const double* tile, const Pack<A, N>& t) {
  using P = Pack<A, N>;
  // tile: the first of this pack's satellites in its tile's block (field 0).
  const auto ld = [&](int field) { return P::load(tile + static_cast<std::size_t>(field) * kBatchTile); };

  // Secular gravity and atmospheric drag.
  const P xmdf = ld(kMo) + ld(kMdot) * t;
  const P argpdf = ld(kArgpo) + ld(kArgpdot) * t;
  const P nodedf = ld(kNodeo) + ld(kNodedot) * t;
  const P t2 = t * t;
  P nodem = nodedf + ld(kNodecf) * t2;
  P tempa = 1.0 - ld(kCc1) * t;
  P tempe = ld(kBc4) * t;
  P templ = ld(kT2cof) * t2;

  // isimp 0 terms (their coefficients are zero on isimp 1 lanes).
  P sin_xmdf, cos_xmdf;
  sincos_full(xmdf, sin_xmdf, cos_xmdf);
  const P delomg = ld(kOmgcof) * t;
  const P delmtemp = 1.0 + ld(kEta) * cos_xmdf;
  const P delm = ld(kXmcof) * (delmtemp * delmtemp * delmtemp - ld(kDelmo));
  P temp = delomg + delm;
  P mm = xmdf + temp;
  P argpm = argpdf - temp;
  const P t3 = t2 * t;
  const P t4 = t3 * t;
  tempa = tempa - ld(kD2) * t2 - ld(kD3) * t3 - ld(kD4) * t4;
  P sin_mm = sin_xmdf, cos_mm = cos_xmdf;
  // mm - xmdf is temp (up to its rounding in mm, an ulp of mm: within sin's own error).
  if (all_small(temp)) {
    rotate_small(temp, sin_mm, cos_mm);
  } else {
    sincos_full(mm, sin_mm, cos_mm);
  }
  tempe = tempe + ld(kBc5) * (sin_mm - ld(kSinmao));
  templ = templ + ld(kT3cof) * t3 + t4 * (ld(kT4cof) + t * ld(kT5cof));

  const P am = ld(kAo) * tempa * tempa;
  const P sqrt_am = sqrt(am);
  const P am15 = am * sqrt_am;
  P em = ld(kEcco) - tempe;
  const auto err_elements = (em >= 1.0) || (em < -0.001);
  em = select(em < 1.0e-6, P(1.0e-6), em);
  mm = mm + ld(kNo) * templ;
  P xlm = mm + argpm + nodem;

  nodem = fmod_two_pi(nodem);
  argpm = fmod_two_pi(argpm);
  xlm = fmod_two_pi(xlm);
  mm = fmod_two_pi(xlm - argpm - nodem);

  // Near earth the lunar-solar periodics are absent: ep = em, xincp = inclo, argpp = argpm,
  // nodep = nodem, mp = mm, and sin/cos of the inclination are constants.
  const P ep = em;
  const P sinip = ld(kSinim);
  const P cosip = ld(kCosim);

  // Long-period periodics.
  P sin_argpp, cos_argpp;
  sincos_full(argpm, sin_argpp, cos_argpp);
  const P axnl = ep * cos_argpp;
  temp = 1.0 / (am * (1.0 - ep * ep));
  const P aynl = ep * sin_argpp + temp * ld(kAycof);
  const P xl = mm + argpm + nodem + temp * ld(kXlcof) * axnl;

  // Kepler's equation, Newton steps capped at 0.95 rad, while any lane has |step| >= 1e-12.
  const P u = fmod_two_pi(xl - nodem);
  P eo1 = u;
  P s, c;
  sincos_full(eo1, s, c);
  P sineo1(0.0), coseo1(0.0);
  PackMask<A, N> active = P(0.0) == P(0.0);  // every lane
  for (int ktr = 1; ktr <= 10; ++ktr) {
    const P den = 1.0 - c * axnl - s * aynl;
    P tem5 = (u - aynl * c + axnl * s - eo1) / den;
    tem5 = select(abs(tem5) >= 0.95, select(tem5 > 0.0, P(0.95), P(-0.95)), tem5);
    sineo1 = select(active, s, sineo1);
    coseo1 = select(active, c, coseo1);
    const P step = select(active, tem5, P(0.0));
    eo1 = eo1 + step;
    active = active && (abs(tem5) >= 1.0e-12);
    if (!any(active) || ktr == 10) break;
    // sin/cos at the new eo1, for the lanes still iterating.
    if (all_below(step, kTinyAngle)) {
      rotate_tiny(step, s, c);
    } else if (all_small(step)) {
      rotate_small(step, s, c);
    } else {
      sincos_full(eo1, s, c);
    }
  }

  // Short-period preliminary quantities.
  const P ecose = axnl * coseo1 + aynl * sineo1;
  const P esine = axnl * sineo1 - aynl * coseo1;
  const P el2 = axnl * axnl + aynl * aynl;
  const P pl = am * (1.0 - el2);
  const auto err_latus = pl < 0.0;
  const P rl = am * (1.0 - ecose);
  const P betal = sqrt(1.0 - el2);
  const P opb = 1.0 + betal;
  // One division for four reciprocals: 1/rl, 1/(1 + betal), 1/pl, 1/am^1.5 (a few ulp each).
  const P q = 1.0 / (((pl * rl) * opb) * am15);
  const P q_am = q * am15;
  const P inv_rl = (q_am * pl) * opb;
  const P inv_pl = (q_am * rl) * opb;
  const P nm = ld(kXke) * (((q * pl) * rl) * opb);
  const P rdotl = sqrt_am * esine * inv_rl;
  const P rvdotl = sqrt_am * betal * inv_rl;  // sqrt(pl) / rl, as sqrt(pl) = sqrt(am) * betal
  temp = esine * ((q_am * pl) * rl);
  const P am_rl = am * inv_rl;
  const P sinu = am_rl * (sineo1 - aynl - axnl * temp);
  const P cosu = am_rl * (coseo1 - axnl + aynl * temp);
  const P sin2u = (cosu + cosu) * sinu;
  const P cos2u = 1.0 - 2.0 * sinu * sinu;
  temp = inv_pl;
  const P temp1 = ld(kHalfJ2) * temp;
  const P temp2 = temp1 * temp;

  // Short-period periodics.
  const P con41 = ld(kCon41);
  const P x1mth2 = ld(kX1mth2);
  const P inv_xke = ld(kInvXke);
  const P mrt = rl * (1.0 - 1.5 * temp2 * betal * con41) + 0.5 * temp1 * x1mth2 * cos2u;
  const P dsu = -(0.25 * temp2 * ld(kX7thm1) * sin2u);
  const P xnode = nodem + 1.5 * temp2 * cosip * sin2u;
  const P dinc = 1.5 * temp2 * cosip * sinip * cos2u;
  const P mvt = rdotl - nm * temp1 * x1mth2 * sin2u * inv_xke;
  const P rvdot = rvdotl + nm * temp1 * (x1mth2 * cos2u + 1.5 * con41) * inv_xke;

  // Orientation vectors. su = atan2(sinu, cosu) + dsu, xinc = inclo + dinc.
  P sinsu = sinu, cossu = cosu, sini = sinip, cosi = cosip, snod, cnod;
  if (all_small(dsu) && all_small(dinc)) {
    rotate_small(dsu, sinsu, cossu);
    rotate_small(dinc, sini, cosi);
  } else {
    P su, xinc = ld(kInclo) + dinc;
    for (int k = 0; k < N; ++k) su.v[k] = xsimd::atan2(sinu.v[k], cosu.v[k]);
    sincos_full(su + dsu, sinsu, cossu);
    sincos_full(xinc, sini, cosi);
  }
  sincos_full(xnode, snod, cnod);
  const P xmx = -snod * cosi;
  const P xmy = cnod * cosi;
  const P ux = xmx * sinsu + cnod * cossu;
  const P uy = xmy * sinsu + snod * cossu;
  const P uz = sini * sinsu;
  const P vx = xmx * cossu - cnod * sinsu;
  const P vy = xmy * cossu - snod * sinsu;
  const P vz = sini * cossu;

  const P radius = ld(kRadius);
  const P vkmpersec = ld(kVkmpersec);
  PackState<A, N> out;
  out.x = (mrt * ux) * radius;
  out.y = (mrt * uy) * radius;
  out.z = (mrt * uz) * radius;
  out.vx = (mvt * ux + rvdot * vx) * vkmpersec;
  out.vy = (mvt * uy + rvdot * vy) * vkmpersec;
  out.vz = (mvt * uz + rvdot * vz) * vkmpersec;

  // Error codes, the first in the reference's order of checks winning.
  P error(0.0);
  error = select(mrt < 1.0, P(static_cast<double>(Sgp4Error::decayed)), error);
  error = select(err_latus, P(static_cast<double>(Sgp4Error::semi_latus_rectum)), error);
  error = select(err_elements, P(static_cast<double>(Sgp4Error::mean_elements)), error);
  error = select(ld(kNmBad) != 0.0, P(static_cast<double>(Sgp4Error::mean_motion)), error);
  out.error = error;
  return out;
}

template <class A, int N>
inline void store_lanes(const PackState<A, N>& st, const BatchJob& job, std::size_t at, std::size_t lanes) {
  using P = Pack<A, N>;
  constexpr std::size_t W = P::lanes;
  const auto bad = st.error != 0.0;
  double* const dst[6] = {job.x + at, job.y + at, job.z + at, job.vx + at, job.vy + at, job.vz + at};
  if (lanes == W && !any(bad)) {  // the common case
    st.x.store_unaligned(dst[0]);
    st.y.store_unaligned(dst[1]);
    st.z.store_unaligned(dst[2]);
    st.vx.store_unaligned(dst[3]);
    st.vy.store_unaligned(dst[4]);
    st.vz.store_unaligned(dst[5]);
    static_assert(static_cast<int>(Sgp4Error::none) == 0);
    std::memset(job.error + at, 0, W * sizeof(Sgp4Error));
    return;
  }
  const P nan(std::numeric_limits<double>::quiet_NaN());
  const P outs[6] = {select(bad, nan, st.x),  select(bad, nan, st.y),  select(bad, nan, st.z),
                     select(bad, nan, st.vx), select(bad, nan, st.vy), select(bad, nan, st.vz)};
  alignas(kBatchAlign) double err[W];
  st.error.store(err);
  if (lanes == W) {
    for (int k = 0; k < 6; ++k) outs[k].store_unaligned(dst[k]);
  } else {
    alignas(kBatchAlign) double buf[W];
    for (int k = 0; k < 6; ++k) {
      outs[k].store(buf);
      std::memcpy(dst[k], buf, lanes * sizeof(double));
    }
  }
  for (std::size_t l = 0; l < lanes; ++l)
    job.error[at + l] = static_cast<Sgp4Error>(static_cast<int>(err[l]));
}

template <class A, int N>
void run(const BatchSoA& soa, const BatchJob& job, std::size_t sat_begin, std::size_t sat_end) {
  using P = Pack<A, N>;
  constexpr std::size_t W = P::lanes;
  static_assert(kBatchTile % W == 0);
  constexpr std::size_t tile_doubles = static_cast<std::size_t>(kFieldCount) * kBatchTile;
  const std::size_t n = soa.n;
  // Tile by tile, every time, then pack by pack: the tile's constants stay in L1 and each time's
  // outputs land in six runs of kBatchTile contiguous doubles.
  for (std::size_t tile = sat_begin; tile < sat_end; tile += kBatchTile) {
    const std::size_t tile_end = tile + kBatchTile < sat_end ? tile + kBatchTile : sat_end;
    const double* block = soa.data + (tile / kBatchTile) * tile_doubles;
    for (std::size_t t = 0; t < job.n_times; ++t) {
      const std::size_t row = t * n;
      for (std::size_t i = tile; i < tile_end; i += W) {
        const std::size_t lanes = tile_end - i < W ? tile_end - i : W;
        P tv;
        if (lanes == W) {
          tv = job.tsince != nullptr ? P::load_unaligned(job.tsince + row + i)
                                     : P::load_unaligned(job.offsets + i) + job.times[t];
        } else {
          alignas(kBatchAlign) double buf[W] = {};
          for (std::size_t l = 0; l < lanes; ++l)
            buf[l] = job.tsince != nullptr ? job.tsince[row + i + l] : job.offsets[i + l] + job.times[t];
          tv = P::load(buf);
        }
        store_lanes<A, N>(evaluate<A, N>(block + (i - tile), tv), job, row + i, lanes);
      }
    }
  }
}

}  // namespace skyfence::orbits::internal::simd
