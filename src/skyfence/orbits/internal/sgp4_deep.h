// SDP4's deep-space parts (lunar-solar perturbations and geopotential resonance), after
// D. A. Vallado, P. Crawford, R. Hujsak, T. S. Kelso, "Revisiting Spacetrack Report #3",
// AIAA 2006-6753, whose routines are named here: dscom, dsinit (set-up), dspace (secular and
// resonance effects at a time), dpper (periodics at a time). Symbols follow the paper.
#pragma once

#include "skyfence/orbits/sgp4.h"

namespace skyfence::orbits::internal {

// What dscom computes at epoch that dsinit needs besides the coefficients stored in the record:
// the lunar (s*, z*) and solar (ss*, sz*) geometry factors.
struct DeepGeometry {
  double sinim = 0, cosim = 0, emsq = 0;
  double s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0;
  double ss1 = 0, ss2 = 0, ss3 = 0, ss4 = 0, ss5 = 0;
  double z1 = 0, z3 = 0, z11 = 0, z13 = 0, z21 = 0, z23 = 0, z31 = 0, z33 = 0;
  double sz1 = 0, sz3 = 0, sz11 = 0, sz13 = 0, sz21 = 0, sz23 = 0, sz31 = 0, sz33 = 0;
};

// dscom at tc = 0: fills the lunar-solar periodic coefficients of `rec` (e3, ee2, se2..sl4, xgh2..xl4,
// zmol, zmos; peo..plo are zero) from its epoch mean elements, and returns the geometry for dsinit.
// `epoch` is days since 1949 December 31 00:00 UT.
DeepGeometry deep_common(double epoch, Sgp4Record& rec);

// dsinit at t = 0: secular lunar-solar rates (dedt, didt, dmdt, domdt, dnodt) and, for resonant
// orbits, irez and the resonance coefficients (d2201..d5433 or del1..del3, xfact, xlamo).
// `xpidot` = argpdot + nodedot and `eccsq` = ecco^2 as computed by the near-earth set-up.
void deep_init(const DeepGeometry& g, double xpidot, double eccsq, Sgp4Record& rec);

// Mean elements being advanced by dspace at time t (minutes since epoch).
struct DeepMean {
  double em = 0, argpm = 0, inclm = 0, mm = 0, nm = 0, nodem = 0;
};

// dspace: adds the lunar-solar secular rates and integrates the resonance terms from epoch
// (fixed 720-minute Euler-Maclaurin steps, restarted on every call) to t.
void deep_secular(const Sgp4Record& rec, double t, DeepMean& m);

// Elements receiving the lunar-solar periodics (dpper with init = 'n').
struct DeepPeriodic {
  double ep = 0, inclp = 0, nodep = 0, argpp = 0, mp = 0;
};

// dpper: adds the lunar-solar periodic terms at time t, with Lyddane's modification below
// 0.2 rad of inclination.
void deep_periodics(const Sgp4Record& rec, double t, DeepPeriodic& p);

}  // namespace skyfence::orbits::internal
