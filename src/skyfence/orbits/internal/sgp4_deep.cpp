// SDP4's deep-space routines after Vallado et al., "Revisiting Spacetrack Report #3",
// AIAA 2006-6753 (see sgp4_deep.h). The arithmetic follows the paper's reference code term by term
// and in the same order, so that results agree with its verification output to rounding.
#include "skyfence/orbits/internal/sgp4_deep.h"

#include <cmath>
#include <numbers>

namespace skyfence::orbits::internal {
namespace {

constexpr double pi = std::numbers::pi;
constexpr double twopi = 2.0 * pi;

// Lunar and solar orbit constants.
constexpr double zes = 0.01675;       // solar eccentricity
constexpr double zel = 0.05490;       // lunar eccentricity
constexpr double zns = 1.19459e-5;    // solar mean motion, rad/min
constexpr double znl = 1.5835218e-4;  // lunar mean motion, rad/min
// Earth rotation rate, rad/min (7.29211514668855e-5 rad/s).
constexpr double rptim = 4.37526908801129966e-3;

// One body's geometry factors (the lunar pass and the solar pass of dscom share the formulas).
struct BodyTerms {
  double s1, s2, s3, s4, s5, s6, s7;
  double z1, z2, z3, z11, z12, z13, z21, z22, z23, z31, z32, z33;
};

BodyTerms body_terms(double zcosg, double zsing, double zcosi, double zsini, double zcosh, double zsinh,
                     double cc, double xnoi, double sinim, double cosim, double sinomm, double cosomm,
                     double em, double emsq, double betasq, double rtemsq) {
  const double a1 = zcosg * zcosh + zsing * zcosi * zsinh;
  const double a3 = -zsing * zcosh + zcosg * zcosi * zsinh;
  const double a7 = -zcosg * zsinh + zsing * zcosi * zcosh;
  const double a8 = zsing * zsini;
  const double a9 = zsing * zsinh + zcosg * zcosi * zcosh;
  const double a10 = zcosg * zsini;
  const double a2 = cosim * a7 + sinim * a8;
  const double a4 = cosim * a9 + sinim * a10;
  const double a5 = -sinim * a7 + cosim * a8;
  const double a6 = -sinim * a9 + cosim * a10;

  const double x1 = a1 * cosomm + a2 * sinomm;
  const double x2 = a3 * cosomm + a4 * sinomm;
  const double x3 = -a1 * sinomm + a2 * cosomm;
  const double x4 = -a3 * sinomm + a4 * cosomm;
  const double x5 = a5 * sinomm;
  const double x6 = a6 * sinomm;
  const double x7 = a5 * cosomm;
  const double x8 = a6 * cosomm;

  BodyTerms b{};
  b.z31 = 12.0 * x1 * x1 - 3.0 * x3 * x3;
  b.z32 = 24.0 * x1 * x2 - 6.0 * x3 * x4;
  b.z33 = 12.0 * x2 * x2 - 3.0 * x4 * x4;
  b.z1 = 3.0 * (a1 * a1 + a2 * a2) + b.z31 * emsq;
  b.z2 = 6.0 * (a1 * a3 + a2 * a4) + b.z32 * emsq;
  b.z3 = 3.0 * (a3 * a3 + a4 * a4) + b.z33 * emsq;
  b.z11 = -6.0 * a1 * a5 + emsq * (-24.0 * x1 * x7 - 6.0 * x3 * x5);
  b.z12 = -6.0 * (a1 * a6 + a3 * a5) + emsq * (-24.0 * (x2 * x7 + x1 * x8) - 6.0 * (x3 * x6 + x4 * x5));
  b.z13 = -6.0 * a3 * a6 + emsq * (-24.0 * x2 * x8 - 6.0 * x4 * x6);
  b.z21 = 6.0 * a2 * a5 + emsq * (24.0 * x1 * x5 - 6.0 * x3 * x7);
  b.z22 = 6.0 * (a4 * a5 + a2 * a6) + emsq * (24.0 * (x2 * x5 + x1 * x6) - 6.0 * (x4 * x7 + x3 * x8));
  b.z23 = 6.0 * a4 * a6 + emsq * (24.0 * x2 * x6 - 6.0 * x4 * x8);
  b.z1 = b.z1 + b.z1 + betasq * b.z31;
  b.z2 = b.z2 + b.z2 + betasq * b.z32;
  b.z3 = b.z3 + b.z3 + betasq * b.z33;
  b.s3 = cc * xnoi;
  b.s2 = -0.5 * b.s3 / rtemsq;
  b.s4 = b.s3 * rtemsq;
  b.s1 = -15.0 * em * b.s4;
  b.s5 = x1 * x3 + x2 * x4;
  b.s6 = x2 * x3 + x1 * x4;
  b.s7 = x2 * x4 - x1 * x3;
  return b;
}

// Periodic contribution of one body at mean anomaly zm (dpper's inner block).
struct BodyPeriodic {
  double e, i, l, gh, h;
};

BodyPeriodic body_periodic(double zm, double ecc_body, double ce2, double ce3, double ci2, double ci3,
                           double cl2, double cl3, double cl4, double cgh2, double cgh3, double cgh4,
                           double ch2, double ch3) {
  const double zf = zm + 2.0 * ecc_body * std::sin(zm);
  const double sinzf = std::sin(zf);
  const double f2 = 0.5 * sinzf * sinzf - 0.25;
  const double f3 = -0.5 * sinzf * std::cos(zf);
  return {ce2 * f2 + ce3 * f3, ci2 * f2 + ci3 * f3, cl2 * f2 + cl3 * f3 + cl4 * sinzf,
          cgh2 * f2 + cgh3 * f3 + cgh4 * sinzf, ch2 * f2 + ch3 * f3};
}

}  // namespace

// The reference's dscom. Long on purpose: it follows the reference statement by statement, so that it
// can be compared with Vallado's code line for line.
DeepGeometry deep_common(double epoch, Sgp4Record& rec) {
  constexpr double c1ss = 2.9864797e-6;
  constexpr double c1l = 4.7968065e-7;
  constexpr double zsinis = 0.39785416;
  constexpr double zcosis = 0.91744867;
  constexpr double zcosgs = 0.1945905;
  constexpr double zsings = -0.98088458;
  constexpr double tc = 0.0;

  const double nm = rec.no_unkozai;
  const double em = rec.ecco;
  const double snodm = std::sin(rec.nodeo);
  const double cnodm = std::cos(rec.nodeo);
  const double sinomm = std::sin(rec.argpo);
  const double cosomm = std::cos(rec.argpo);
  DeepGeometry g;
  g.sinim = std::sin(rec.inclo);
  g.cosim = std::cos(rec.inclo);
  g.emsq = em * em;
  const double betasq = 1.0 - g.emsq;
  const double rtemsq = std::sqrt(betasq);

  rec.peo = 0.0;
  rec.pinco = 0.0;
  rec.plo = 0.0;
  rec.pgho = 0.0;
  rec.pho = 0.0;

  // The moon's node and the solar/lunar geometry at epoch.
  const double day = epoch + 18261.5 + tc / 1440.0;
  const double xnodce = std::fmod(4.5236020 - 9.2422029e-4 * day, twopi);
  const double stem = std::sin(xnodce);
  const double ctem = std::cos(xnodce);
  const double zcosil = 0.91375164 - 0.03568096 * ctem;
  const double zsinil = std::sqrt(1.0 - zcosil * zcosil);
  const double zsinhl = 0.089683511 * stem / zsinil;
  const double zcoshl = std::sqrt(1.0 - zsinhl * zsinhl);
  const double gam = 5.8351514 + 0.0019443680 * day;
  double zx = 0.39785416 * stem / zsinil;
  const double zy = zcoshl * ctem + 0.91744867 * zsinhl * stem;
  zx = std::atan2(zx, zy);
  zx = gam + zx - xnodce;
  const double zcosgl = std::cos(zx);
  const double zsingl = std::sin(zx);

  const double xnoi = 1.0 / nm;
  const BodyTerms sun = body_terms(zcosgs, zsings, zcosis, zsinis, cnodm, snodm, c1ss, xnoi, g.sinim, g.cosim,
                                   sinomm, cosomm, em, g.emsq, betasq, rtemsq);
  const double zcosh = zcoshl * cnodm + zsinhl * snodm;
  const double zsinh = snodm * zcoshl - cnodm * zsinhl;
  const BodyTerms moon = body_terms(zcosgl, zsingl, zcosil, zsinil, zcosh, zsinh, c1l, xnoi, g.sinim, g.cosim,
                                    sinomm, cosomm, em, g.emsq, betasq, rtemsq);

  rec.zmol = std::fmod(4.7199672 + 0.22997150 * day - gam, twopi);
  rec.zmos = std::fmod(6.2565837 + 0.017201977 * day, twopi);

  // Solar periodic coefficients.
  rec.se2 = 2.0 * sun.s1 * sun.s6;
  rec.se3 = 2.0 * sun.s1 * sun.s7;
  rec.si2 = 2.0 * sun.s2 * sun.z12;
  rec.si3 = 2.0 * sun.s2 * (sun.z13 - sun.z11);
  rec.sl2 = -2.0 * sun.s3 * sun.z2;
  rec.sl3 = -2.0 * sun.s3 * (sun.z3 - sun.z1);
  rec.sl4 = -2.0 * sun.s3 * (-21.0 - 9.0 * g.emsq) * zes;
  rec.sgh2 = 2.0 * sun.s4 * sun.z32;
  rec.sgh3 = 2.0 * sun.s4 * (sun.z33 - sun.z31);
  rec.sgh4 = -18.0 * sun.s4 * zes;
  rec.sh2 = -2.0 * sun.s2 * sun.z22;
  rec.sh3 = -2.0 * sun.s2 * (sun.z23 - sun.z21);

  // Lunar periodic coefficients.
  rec.ee2 = 2.0 * moon.s1 * moon.s6;
  rec.e3 = 2.0 * moon.s1 * moon.s7;
  rec.xi2 = 2.0 * moon.s2 * moon.z12;
  rec.xi3 = 2.0 * moon.s2 * (moon.z13 - moon.z11);
  rec.xl2 = -2.0 * moon.s3 * moon.z2;
  rec.xl3 = -2.0 * moon.s3 * (moon.z3 - moon.z1);
  rec.xl4 = -2.0 * moon.s3 * (-21.0 - 9.0 * g.emsq) * zel;
  rec.xgh2 = 2.0 * moon.s4 * moon.z32;
  rec.xgh3 = 2.0 * moon.s4 * (moon.z33 - moon.z31);
  rec.xgh4 = -18.0 * moon.s4 * zel;
  rec.xh2 = -2.0 * moon.s2 * moon.z22;
  rec.xh3 = -2.0 * moon.s2 * (moon.z23 - moon.z21);

  g.s1 = moon.s1;
  g.s2 = moon.s2;
  g.s3 = moon.s3;
  g.s4 = moon.s4;
  g.s5 = moon.s5;
  g.ss1 = sun.s1;
  g.ss2 = sun.s2;
  g.ss3 = sun.s3;
  g.ss4 = sun.s4;
  g.ss5 = sun.s5;
  g.z1 = moon.z1;
  g.z3 = moon.z3;
  g.z11 = moon.z11;
  g.z13 = moon.z13;
  g.z21 = moon.z21;
  g.z23 = moon.z23;
  g.z31 = moon.z31;
  g.z33 = moon.z33;
  g.sz1 = sun.z1;
  g.sz3 = sun.z3;
  g.sz11 = sun.z11;
  g.sz13 = sun.z13;
  g.sz21 = sun.z21;
  g.sz23 = sun.z23;
  g.sz31 = sun.z31;
  g.sz33 = sun.z33;
  return g;
}

// The reference's dsinit. Long on purpose, as deep_common.
void deep_init(const DeepGeometry& g, double xpidot, double eccsq, Sgp4Record& rec) {
  constexpr double q22 = 1.7891679e-6;
  constexpr double q31 = 2.1460748e-6;
  constexpr double q33 = 2.2123015e-7;
  constexpr double root22 = 1.7891679e-6;
  constexpr double root44 = 7.3636953e-9;
  constexpr double root54 = 2.1765803e-9;
  constexpr double root32 = 3.7393792e-7;
  constexpr double root52 = 1.1428639e-7;
  constexpr double x2o3 = 2.0 / 3.0;
  constexpr double tc = 0.0;

  const double nm = rec.no_unkozai;
  const double emsq = g.emsq;
  const double sinim = g.sinim;
  const double cosim = g.cosim;
  const double inclm = rec.inclo;

  rec.irez = 0;
  if (nm < 0.0052359877 && nm > 0.0034906585) rec.irez = 1;
  if (nm >= 8.26e-3 && nm <= 9.24e-3 && rec.ecco >= 0.5) rec.irez = 2;

  // Solar secular terms.
  const double ses = g.ss1 * zns * g.ss5;
  const double sis = g.ss2 * zns * (g.sz11 + g.sz13);
  const double sls = -zns * g.ss3 * (g.sz1 + g.sz3 - 14.0 - 6.0 * emsq);
  const double sghs = g.ss4 * zns * (g.sz31 + g.sz33 - 6.0);
  double shs = -zns * g.ss2 * (g.sz21 + g.sz23);
  // The node rate is undefined near 0 and 180 degrees of inclination.
  const bool near_equatorial = inclm < 5.2359877e-2 || inclm > pi - 5.2359877e-2;
  if (near_equatorial) shs = 0.0;
  if (sinim != 0.0) shs = shs / sinim;
  const double sgs = sghs - cosim * shs;

  // Lunar secular terms.
  rec.dedt = ses + g.s1 * znl * g.s5;
  rec.didt = sis + g.s2 * znl * (g.z11 + g.z13);
  rec.dmdt = sls - znl * g.s3 * (g.z1 + g.z3 - 14.0 - 6.0 * emsq);
  const double sghl = g.s4 * znl * (g.z31 + g.z33 - 6.0);
  double shll = -znl * g.s2 * (g.z21 + g.z23);
  if (near_equatorial) shll = 0.0;
  rec.domdt = sgs + sghl;
  rec.dnodt = shs;
  if (sinim != 0.0) {
    rec.domdt = rec.domdt - cosim / sinim * shll;
    rec.dnodt = rec.dnodt + shll / sinim;
  }

  const double theta = std::fmod(rec.gsto + tc * rptim, twopi);
  if (rec.irez == 0) return;

  const double aonv = std::pow(nm / rec.gc.xke, x2o3);

  if (rec.irez == 2) {
    // Geopotential resonance of half-day orbits; the G functions are fits in eccentricity.
    const double cosisq = cosim * cosim;
    const double em = rec.ecco;
    const double emsq2 = eccsq;
    const double eoc = em * emsq2;
    const double g201 = -0.306 - (em - 0.64) * 0.440;
    double g211, g310, g322, g410, g422, g520, g521, g532, g533;
    if (em <= 0.65) {
      g211 = 3.616 - 13.2470 * em + 16.2900 * emsq2;
      g310 = -19.302 + 117.3900 * em - 228.4190 * emsq2 + 156.5910 * eoc;
      g322 = -18.9068 + 109.7927 * em - 214.6334 * emsq2 + 146.5816 * eoc;
      g410 = -41.122 + 242.6940 * em - 471.0940 * emsq2 + 313.9530 * eoc;
      g422 = -146.407 + 841.8800 * em - 1629.014 * emsq2 + 1083.4350 * eoc;
      g520 = -532.114 + 3017.977 * em - 5740.032 * emsq2 + 3708.2760 * eoc;
    } else {
      g211 = -72.099 + 331.819 * em - 508.738 * emsq2 + 266.724 * eoc;
      g310 = -346.844 + 1582.851 * em - 2415.925 * emsq2 + 1246.113 * eoc;
      g322 = -342.585 + 1554.908 * em - 2366.899 * emsq2 + 1215.972 * eoc;
      g410 = -1052.797 + 4758.686 * em - 7193.992 * emsq2 + 3651.957 * eoc;
      g422 = -3581.690 + 16178.110 * em - 24462.770 * emsq2 + 12422.520 * eoc;
      if (em > 0.715) {
        g520 = -5149.66 + 29936.92 * em - 54087.36 * emsq2 + 31324.56 * eoc;
      } else {
        g520 = 1464.74 - 4664.75 * em + 3763.64 * emsq2;
      }
    }
    if (em < 0.7) {
      g533 = -919.22770 + 4988.6100 * em - 9064.7700 * emsq2 + 5542.21 * eoc;
      g521 = -822.71072 + 4568.6173 * em - 8491.4146 * emsq2 + 5337.524 * eoc;
      g532 = -853.66600 + 4690.2500 * em - 8624.7700 * emsq2 + 5341.4 * eoc;
    } else {
      g533 = -37995.780 + 161616.52 * em - 229838.20 * emsq2 + 109377.94 * eoc;
      g521 = -51752.104 + 218913.95 * em - 309468.16 * emsq2 + 146349.42 * eoc;
      g532 = -40023.880 + 170470.89 * em - 242699.48 * emsq2 + 115605.82 * eoc;
    }

    // Inclination functions F.
    const double sini2 = sinim * sinim;
    const double f220 = 0.75 * (1.0 + 2.0 * cosim + cosisq);
    const double f221 = 1.5 * sini2;
    const double f321 = 1.875 * sinim * (1.0 - 2.0 * cosim - 3.0 * cosisq);
    const double f322 = -1.875 * sinim * (1.0 + 2.0 * cosim - 3.0 * cosisq);
    const double f441 = 35.0 * sini2 * f220;
    const double f442 = 39.3750 * sini2 * sini2;
    const double f522 =
        9.84375 * sinim *
        (sini2 * (1.0 - 2.0 * cosim - 5.0 * cosisq) + 0.33333333 * (-2.0 + 4.0 * cosim + 6.0 * cosisq));
    const double f523 = sinim * (4.92187512 * sini2 * (-2.0 - 4.0 * cosim + 10.0 * cosisq) +
                                 6.56250012 * (1.0 + 2.0 * cosim - 3.0 * cosisq));
    const double f542 =
        29.53125 * sinim * (2.0 - 8.0 * cosim + cosisq * (-12.0 + 8.0 * cosim + 10.0 * cosisq));
    const double f543 =
        29.53125 * sinim * (-2.0 - 8.0 * cosim + cosisq * (12.0 + 8.0 * cosim - 10.0 * cosisq));

    const double xno2 = nm * nm;
    const double ainv2 = aonv * aonv;
    double temp1 = 3.0 * xno2 * ainv2;
    double temp = temp1 * root22;
    rec.d2201 = temp * f220 * g201;
    rec.d2211 = temp * f221 * g211;
    temp1 = temp1 * aonv;
    temp = temp1 * root32;
    rec.d3210 = temp * f321 * g310;
    rec.d3222 = temp * f322 * g322;
    temp1 = temp1 * aonv;
    temp = 2.0 * temp1 * root44;
    rec.d4410 = temp * f441 * g410;
    rec.d4422 = temp * f442 * g422;
    temp1 = temp1 * aonv;
    temp = temp1 * root52;
    rec.d5220 = temp * f522 * g520;
    rec.d5232 = temp * f523 * g532;
    temp = 2.0 * temp1 * root54;
    rec.d5421 = temp * f542 * g521;
    rec.d5433 = temp * f543 * g533;
    rec.xlamo = std::fmod(rec.mo + rec.nodeo + rec.nodeo - theta - theta, twopi);
    rec.xfact = rec.mdot + rec.dmdt + 2.0 * (rec.nodedot + rec.dnodt - rptim) - rec.no_unkozai;
  }

  if (rec.irez == 1) {
    // Synchronous (24-hour) resonance.
    const double g200 = 1.0 + emsq * (-2.5 + 0.8125 * emsq);
    const double g310 = 1.0 + 2.0 * emsq;
    const double g300 = 1.0 + emsq * (-6.0 + 6.60937 * emsq);
    const double f220 = 0.75 * (1.0 + cosim) * (1.0 + cosim);
    const double f311 = 0.9375 * sinim * sinim * (1.0 + 3.0 * cosim) - 0.75 * (1.0 + cosim);
    double f330 = 1.0 + cosim;
    f330 = 1.875 * f330 * f330 * f330;
    const double del1 = 3.0 * nm * nm * aonv * aonv;
    rec.del2 = 2.0 * del1 * f220 * g200 * q22;
    rec.del3 = 3.0 * del1 * f330 * g300 * q33 * aonv;
    rec.del1 = del1 * f311 * g310 * q31 * aonv;
    rec.xlamo = std::fmod(rec.mo + rec.nodeo + rec.argpo - theta, twopi);
    rec.xfact = rec.mdot + xpidot - rptim + rec.dmdt + rec.domdt + rec.dnodt - rec.no_unkozai;
  }
}

void deep_secular(const Sgp4Record& rec, double t, DeepMean& m) {
  constexpr double fasx2 = 0.13130908;
  constexpr double fasx4 = 2.8843198;
  constexpr double fasx6 = 0.37448087;
  constexpr double g22 = 5.7686396;
  constexpr double g32 = 0.95240898;
  constexpr double g44 = 1.8014998;
  constexpr double g52 = 1.0508330;
  constexpr double g54 = 4.4108898;
  constexpr double stepp = 720.0;
  constexpr double stepn = -720.0;
  constexpr double step2 = 259200.0;  // stepp * stepp / 2

  const double tc = t;
  const double theta = std::fmod(rec.gsto + tc * rptim, twopi);
  m.em = m.em + rec.dedt * t;
  m.inclm = m.inclm + rec.didt * t;
  m.argpm = m.argpm + rec.domdt * t;
  m.nodem = m.nodem + rec.dnodt * t;
  m.mm = m.mm + rec.dmdt * t;
  if (rec.irez == 0) return;

  // Euler-Maclaurin integration of the resonant mean longitude xli and mean motion xni from epoch
  // in fixed steps of 720 minutes toward t, then a Taylor step over the remainder ft. Restarting
  // from epoch visits the same points as the reference's cached integrator, so results are equal.
  const double no = rec.no_unkozai;
  double atime = 0.0;
  double xni = no;
  double xli = rec.xlamo;
  const double delt = t > 0.0 ? stepp : stepn;
  double xndt = 0.0, xldot = 0.0, xnddt = 0.0, ft = 0.0;
  for (;;) {
    if (rec.irez != 2) {
      xndt = rec.del1 * std::sin(xli - fasx2) + rec.del2 * std::sin(2.0 * (xli - fasx4)) +
             rec.del3 * std::sin(3.0 * (xli - fasx6));
      xldot = xni + rec.xfact;
      xnddt = rec.del1 * std::cos(xli - fasx2) + 2.0 * rec.del2 * std::cos(2.0 * (xli - fasx4)) +
              3.0 * rec.del3 * std::cos(3.0 * (xli - fasx6));
      xnddt = xnddt * xldot;
    } else {
      const double xomi = rec.argpo + rec.argpdot * atime;
      const double x2omi = xomi + xomi;
      const double x2li = xli + xli;
      xndt = rec.d2201 * std::sin(x2omi + xli - g22) + rec.d2211 * std::sin(xli - g22) +
             rec.d3210 * std::sin(xomi + xli - g32) + rec.d3222 * std::sin(-xomi + xli - g32) +
             rec.d4410 * std::sin(x2omi + x2li - g44) + rec.d4422 * std::sin(x2li - g44) +
             rec.d5220 * std::sin(xomi + xli - g52) + rec.d5232 * std::sin(-xomi + xli - g52) +
             rec.d5421 * std::sin(xomi + x2li - g54) + rec.d5433 * std::sin(-xomi + x2li - g54);
      xldot = xni + rec.xfact;
      xnddt = rec.d2201 * std::cos(x2omi + xli - g22) + rec.d2211 * std::cos(xli - g22) +
              rec.d3210 * std::cos(xomi + xli - g32) + rec.d3222 * std::cos(-xomi + xli - g32) +
              rec.d5220 * std::cos(xomi + xli - g52) + rec.d5232 * std::cos(-xomi + xli - g52) +
              2.0 * (rec.d4410 * std::cos(x2omi + x2li - g44) + rec.d4422 * std::cos(x2li - g44) +
                     rec.d5421 * std::cos(xomi + x2li - g54) + rec.d5433 * std::cos(-xomi + x2li - g54));
      xnddt = xnddt * xldot;
    }
    if (std::fabs(t - atime) < stepp) {
      ft = t - atime;
      break;
    }
    xli = xli + xldot * delt + xndt * step2;
    xni = xni + xndt * delt + xnddt * step2;
    atime = atime + delt;
  }

  m.nm = xni + xndt * ft + xnddt * ft * ft * 0.5;
  const double xl = xli + xldot * ft + xndt * ft * ft * 0.5;
  if (rec.irez != 1) {
    m.mm = xl - 2.0 * m.nodem + 2.0 * theta;
  } else {
    m.mm = xl - m.nodem - m.argpm + theta;
  }
  const double dndt = m.nm - no;
  m.nm = no + dndt;
}

void deep_periodics(const Sgp4Record& rec, double t, DeepPeriodic& p) {
  const BodyPeriodic sun = body_periodic(rec.zmos + zns * t, zes, rec.se2, rec.se3, rec.si2, rec.si3, rec.sl2,
                                         rec.sl3, rec.sl4, rec.sgh2, rec.sgh3, rec.sgh4, rec.sh2, rec.sh3);
  const BodyPeriodic moon = body_periodic(rec.zmol + znl * t, zel, rec.ee2, rec.e3, rec.xi2, rec.xi3, rec.xl2,
                                          rec.xl3, rec.xl4, rec.xgh2, rec.xgh3, rec.xgh4, rec.xh2, rec.xh3);
  double pe = sun.e + moon.e;
  double pinc = sun.i + moon.i;
  double pl = sun.l + moon.l;
  double pgh = sun.gh + moon.gh;
  double ph = sun.h + moon.h;

  pe = pe - rec.peo;
  pinc = pinc - rec.pinco;
  pl = pl - rec.plo;
  pgh = pgh - rec.pgho;
  ph = ph - rec.pho;
  p.inclp = p.inclp + pinc;
  p.ep = p.ep + pe;
  const double sinip = std::sin(p.inclp);
  const double cosip = std::cos(p.inclp);

  // Above 0.2 rad of (perturbed) inclination the periodics apply directly; below, Lyddane's
  // modification avoids the singularity of dividing by sin(i).
  if (p.inclp >= 0.2) {
    ph = ph / sinip;
    pgh = pgh - cosip * ph;
    p.argpp = p.argpp + pgh;
    p.nodep = p.nodep + ph;
    p.mp = p.mp + pl;
  } else {
    const double sinop = std::sin(p.nodep);
    const double cosop = std::cos(p.nodep);
    double alfdp = sinip * sinop;
    double betdp = sinip * cosop;
    const double dalf = ph * cosop + pinc * cosip * sinop;
    const double dbet = -ph * sinop + pinc * cosip * cosop;
    alfdp = alfdp + dalf;
    betdp = betdp + dbet;
    p.nodep = std::fmod(p.nodep, twopi);
    // AFSPC's compiled intrinsics returned the node in [0, 2 pi).
    if (p.nodep < 0.0 && rec.opsmode == OpsMode::afspc) p.nodep = p.nodep + twopi;
    double xls = p.mp + p.argpp + cosip * p.nodep;
    const double dls = pl + pgh - pinc * p.nodep * sinip;
    xls = xls + dls;
    const double xnoh = p.nodep;
    p.nodep = std::atan2(alfdp, betdp);
    if (p.nodep < 0.0 && rec.opsmode == OpsMode::afspc) p.nodep = p.nodep + twopi;
    if (std::fabs(xnoh - p.nodep) > pi) {
      if (p.nodep < xnoh) {
        p.nodep = p.nodep + twopi;
      } else {
        p.nodep = p.nodep - twopi;
      }
    }
    p.mp = p.mp + pl;
    p.argpp = xls - p.mp - cosip * p.nodep;
  }
}

}  // namespace skyfence::orbits::internal
