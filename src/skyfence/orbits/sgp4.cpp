// SGP4/SDP4 after D. A. Vallado, P. Crawford, R. Hujsak, T. S. Kelso, "Revisiting Spacetrack
// Report #3", AIAA 2006-6753. The routine names of the paper's reference code are kept in the
// comments (initl, sgp4init, sgp4, gstime) and its symbols are kept as variable names, so that the
// code can be read against the paper. The arithmetic is written term by term in the reference's
// order (and compiled without FMA contraction) so that results agree with its verification output
// to rounding. Deep-space routines: internal/sgp4_deep.cpp.
#include "skyfence/orbits/sgp4.h"

#include <cmath>
#include <numbers>

#include "skyfence/core/units.h"
#include "skyfence/orbits/internal/sgp4_deep.h"
#include "skyfence/time/scales.h"

namespace skyfence::orbits {
namespace {

constexpr double pi = std::numbers::pi;
constexpr double twopi = 2.0 * pi;
constexpr double x2o3 = 2.0 / 3.0;
// Divisor standing in for 1 + cos(i) at 180 degrees of inclination.
constexpr double temp4 = 1.5e-12;
// Days from the Julian date epoch to 1949 December 31 00:00 UT, SGP4's time origin.
constexpr double jd_1950 = 2433281.5;

// Greenwich mean sidereal time (IAU 1982), radians in [0, 2 pi), of a UT1 Julian date.
double gstime(double jdut1) {
  constexpr double deg2rad = kRadPerDeg;  // the reference's name
  const double tut1 = (jdut1 - 2451545.0) / 36525.0;
  double temp = -6.2e-6 * tut1 * tut1 * tut1 + 0.093104 * tut1 * tut1 +
                (876600.0 * 3600 + 8640184.812866) * tut1 + 67310.54841;
  // Seconds of time to radians: 360 deg / 86400 s = 1 / 240.
  temp = std::fmod(temp * deg2rad / 240.0, twopi);
  if (temp < 0.0) temp += twopi;
  return temp;
}

// Sidereal time as AFSPC computes it: days since 1970 and a fixed rate.
double gstime_afspc(double epoch) {
  const double ts70 = epoch - 7305.0;
  const double ds70 = std::floor(ts70 + 1.0e-8);
  const double tfrac = ts70 - ds70;
  constexpr double c1 = 1.72027916940703639e-2;
  constexpr double thgr70 = 1.7321343856509374;
  constexpr double fk5r = 5.07551419432269442e-15;
  constexpr double c1p2p = c1 + twopi;
  double gsto = std::fmod(thgr70 + c1 * ds70 + c1p2p * tfrac + ts70 * ts70 * fk5r, twopi);
  if (gsto < 0.0) gsto = gsto + twopi;
  return gsto;
}

// Epoch quantities that initl computes and sgp4init uses, besides those stored in the record.
struct EpochTerms {
  double ao = 0, con42 = 0, cosio = 0, cosio2 = 0, eccsq = 0, omeosq = 0, posq = 0, rp = 0, rteosq = 0,
         sinio = 0;
};

// initl: recovers the original (un-Kozai'd) mean motion and the epoch auxiliaries.
EpochTerms initl(double epoch, Sgp4Record& rec) {
  EpochTerms e;
  const double xke = rec.gc.xke;
  const double j2 = rec.gc.j2;
  e.eccsq = rec.ecco * rec.ecco;
  e.omeosq = 1.0 - e.eccsq;
  e.rteosq = std::sqrt(e.omeosq);
  e.cosio = std::cos(rec.inclo);
  e.cosio2 = e.cosio * e.cosio;

  const double ak = std::pow(xke / rec.no_kozai, x2o3);
  const double d1 = 0.75 * j2 * (3.0 * e.cosio2 - 1.0) / (e.rteosq * e.omeosq);
  double del = d1 / (ak * ak);
  const double adel = ak * (1.0 - del * del - del * (1.0 / 3.0 + 134.0 * del * del / 81.0));
  del = d1 / (adel * adel);
  rec.no_unkozai = rec.no_kozai / (1.0 + del);

  e.ao = std::pow(xke / rec.no_unkozai, x2o3);
  e.sinio = std::sin(rec.inclo);
  const double po = e.ao * e.omeosq;
  e.con42 = 1.0 - 5.0 * e.cosio2;
  rec.con41 = -e.con42 - e.cosio2 - e.cosio2;
  e.posq = po * po;
  e.rp = e.ao * (1.0 - rec.ecco);
  rec.method = 'n';
  rec.gsto = rec.opsmode == OpsMode::afspc ? gstime_afspc(epoch) : gstime(epoch + jd_1950);
  return e;
}

// sgp4init after the conversion of units: fills every coefficient of `rec`, whose gc, opsmode and
// mean elements (no_kozai, ecco, inclo, nodeo, argpo, mo, bstar, ndot, nddot) are set. Long on
// purpose: it follows the reference's sgp4init statement by statement (see propagate below).
void sgp4init(double epoch, Sgp4Record& rec) {
  const GravityConstants& gc = rec.gc;
  const double ss = 78.0 / gc.radiusearthkm + 1.0;
  const double qzms2ttemp = (120.0 - 78.0) / gc.radiusearthkm;
  const double qzms2t = qzms2ttemp * qzms2ttemp * qzms2ttemp * qzms2ttemp;

  const EpochTerms e = initl(epoch, rec);
  rec.a = std::pow(rec.no_unkozai * gc.tumin, -2.0 / 3.0);
  rec.alta = rec.a * (1.0 + rec.ecco) - 1.0;
  rec.altp = rec.a * (1.0 - rec.ecco) - 1.0;

  rec.isimp = 0;
  if (e.rp < 220.0 / gc.radiusearthkm + 1.0) rec.isimp = 1;
  double sfour = ss;
  double qzms24 = qzms2t;
  const double perige = (e.rp - 1.0) * gc.radiusearthkm;

  // For perigees below 156 km the atmosphere's s and qoms2t are altered.
  if (perige < 156.0) {
    sfour = perige - 78.0;
    if (perige < 98.0) sfour = 20.0;
    const double qzms24temp = (120.0 - sfour) / gc.radiusearthkm;
    qzms24 = qzms24temp * qzms24temp * qzms24temp * qzms24temp;
    sfour = sfour / gc.radiusearthkm + 1.0;
  }
  const double pinvsq = 1.0 / e.posq;

  const double tsi = 1.0 / (e.ao - sfour);
  rec.eta = e.ao * rec.ecco * tsi;
  const double etasq = rec.eta * rec.eta;
  const double eeta = rec.ecco * rec.eta;
  const double psisq = std::fabs(1.0 - etasq);
  const double coef = qzms24 * std::pow(tsi, 4.0);
  const double coef1 = coef / std::pow(psisq, 3.5);
  const double cc2 = coef1 * rec.no_unkozai *
                     (e.ao * (1.0 + 1.5 * etasq + eeta * (4.0 + etasq)) +
                      0.375 * gc.j2 * tsi / psisq * rec.con41 * (8.0 + 3.0 * etasq * (8.0 + etasq)));
  rec.cc1 = rec.bstar * cc2;
  double cc3 = 0.0;
  if (rec.ecco > 1.0e-4) cc3 = -2.0 * coef * tsi * gc.j3oj2 * rec.no_unkozai * e.sinio / rec.ecco;
  rec.x1mth2 = 1.0 - e.cosio2;
  rec.cc4 = 2.0 * rec.no_unkozai * coef1 * e.ao * e.omeosq *
            (rec.eta * (2.0 + 0.5 * etasq) + rec.ecco * (0.5 + 2.0 * etasq) -
             gc.j2 * tsi / (e.ao * psisq) *
                 (-3.0 * rec.con41 * (1.0 - 2.0 * eeta + etasq * (1.5 - 0.5 * eeta)) +
                  0.75 * rec.x1mth2 * (2.0 * etasq - eeta * (1.0 + etasq)) * std::cos(2.0 * rec.argpo)));
  rec.cc5 = 2.0 * coef1 * e.ao * e.omeosq * (1.0 + 2.75 * (etasq + eeta) + eeta * etasq);
  const double cosio4 = e.cosio2 * e.cosio2;
  const double temp1 = 1.5 * gc.j2 * pinvsq * rec.no_unkozai;
  const double temp2 = 0.5 * temp1 * gc.j2 * pinvsq;
  const double temp3 = -0.46875 * gc.j4 * pinvsq * pinvsq * rec.no_unkozai;
  rec.mdot = rec.no_unkozai + 0.5 * temp1 * e.rteosq * rec.con41 +
             0.0625 * temp2 * e.rteosq * (13.0 - 78.0 * e.cosio2 + 137.0 * cosio4);
  rec.argpdot = -0.5 * temp1 * e.con42 + 0.0625 * temp2 * (7.0 - 114.0 * e.cosio2 + 395.0 * cosio4) +
                temp3 * (3.0 - 36.0 * e.cosio2 + 49.0 * cosio4);
  const double xhdot1 = -temp1 * e.cosio;
  rec.nodedot =
      xhdot1 + (0.5 * temp2 * (4.0 - 19.0 * e.cosio2) + 2.0 * temp3 * (3.0 - 7.0 * e.cosio2)) * e.cosio;
  const double xpidot = rec.argpdot + rec.nodedot;
  rec.omgcof = rec.bstar * cc3 * std::cos(rec.argpo);
  rec.xmcof = 0.0;
  if (rec.ecco > 1.0e-4) rec.xmcof = -x2o3 * coef * rec.bstar / eeta;
  rec.nodecf = 3.5 * e.omeosq * xhdot1 * rec.cc1;
  rec.t2cof = 1.5 * rec.cc1;
  if (std::fabs(e.cosio + 1.0) > 1.5e-12) {
    rec.xlcof = -0.25 * gc.j3oj2 * e.sinio * (3.0 + 5.0 * e.cosio) / (1.0 + e.cosio);
  } else {
    rec.xlcof = -0.25 * gc.j3oj2 * e.sinio * (3.0 + 5.0 * e.cosio) / temp4;
  }
  rec.aycof = -0.5 * gc.j3oj2 * e.sinio;
  const double delmotemp = 1.0 + rec.eta * std::cos(rec.mo);
  rec.delmo = delmotemp * delmotemp * delmotemp;
  rec.sinmao = std::sin(rec.mo);
  rec.x7thm1 = 7.0 * e.cosio2 - 1.0;

  // Deep space: periods of 225 minutes or more.
  if (2 * pi / rec.no_unkozai >= 225.0) {
    rec.method = 'd';
    rec.isimp = 1;
    const internal::DeepGeometry g = internal::deep_common(epoch, rec);
    internal::deep_init(g, xpidot, e.eccsq, rec);
  }

  // Higher-order drag terms, near earth with perigee above 220 km only.
  if (rec.isimp != 1) {
    const double cc1sq = rec.cc1 * rec.cc1;
    rec.d2 = 4.0 * e.ao * tsi * cc1sq;
    const double temp = rec.d2 * tsi * rec.cc1 / 3.0;
    rec.d3 = (17.0 * e.ao + sfour) * temp;
    rec.d4 = 0.5 * temp * e.ao * tsi * (221.0 * e.ao + 31.0 * sfour) * rec.cc1;
    rec.t3cof = rec.d2 + 2.0 * cc1sq;
    rec.t4cof = 0.25 * (3.0 * rec.d3 + rec.cc1 * (12.0 * rec.d2 + 10.0 * cc1sq));
    rec.t5cof = 0.2 * (3.0 * rec.d4 + 12.0 * rec.cc1 * rec.d3 + 6.0 * rec.d2 * rec.d2 +
                       15.0 * cc1sq * (2.0 * rec.d2 + cc1sq));
  }
}

// The reference's sgp4, on a const record: quantities the reference stores back into its record
// stay local here. Long (about 180 lines) on purpose: it follows the reference's sgp4 statement by
// statement, so that it can be compared with Vallado's code line for line; splitting it would hide that.
Sgp4Error propagate(const Sgp4Record& rec, double t, frames::StateVector& out) {
  const GravityConstants& gc = rec.gc;
  const double vkmpersec = gc.radiusearthkm * gc.xke / 60.0;

  // Secular gravity and atmospheric drag.
  const double xmdf = rec.mo + rec.mdot * t;
  const double argpdf = rec.argpo + rec.argpdot * t;
  const double nodedf = rec.nodeo + rec.nodedot * t;
  double argpm = argpdf;
  double mm = xmdf;
  const double t2 = t * t;
  double nodem = nodedf + rec.nodecf * t2;
  double tempa = 1.0 - rec.cc1 * t;
  double tempe = rec.bstar * rec.cc4 * t;
  double templ = rec.t2cof * t2;

  if (rec.isimp != 1) {
    const double delomg = rec.omgcof * t;
    const double delmtemp = 1.0 + rec.eta * std::cos(xmdf);
    const double delm = rec.xmcof * (delmtemp * delmtemp * delmtemp - rec.delmo);
    const double temp = delomg + delm;
    mm = xmdf + temp;
    argpm = argpdf - temp;
    const double t3 = t2 * t;
    const double t4 = t3 * t;
    tempa = tempa - rec.d2 * t2 - rec.d3 * t3 - rec.d4 * t4;
    tempe = tempe + rec.bstar * rec.cc5 * (std::sin(mm) - rec.sinmao);
    templ = templ + rec.t3cof * t3 + t4 * (rec.t4cof + t * rec.t5cof);
  }

  double nm = rec.no_unkozai;
  double em = rec.ecco;
  double inclm = rec.inclo;
  if (rec.method == 'd') {
    internal::DeepMean m{em, argpm, inclm, mm, nm, nodem};
    internal::deep_secular(rec, t, m);
    em = m.em;
    argpm = m.argpm;
    inclm = m.inclm;
    mm = m.mm;
    nm = m.nm;
    nodem = m.nodem;
  }

  if (nm <= 0.0) return Sgp4Error::mean_motion;

  const double am = std::pow(gc.xke / nm, x2o3) * tempa * tempa;
  nm = gc.xke / std::pow(am, 1.5);
  em = em - tempe;

  if (em >= 1.0 || em < -0.001) return Sgp4Error::mean_elements;
  // Avoid a division by zero below.
  if (em < 1.0e-6) em = 1.0e-6;
  mm = mm + rec.no_unkozai * templ;
  double xlm = mm + argpm + nodem;

  nodem = std::fmod(nodem, twopi);
  argpm = std::fmod(argpm, twopi);
  xlm = std::fmod(xlm, twopi);
  mm = std::fmod(xlm - argpm - nodem, twopi);

  const double sinim = std::sin(inclm);
  const double cosim = std::cos(inclm);

  // Lunar-solar periodics.
  double ep = em;
  double xincp = inclm;
  double argpp = argpm;
  double nodep = nodem;
  double mp = mm;
  double sinip = sinim;
  double cosip = cosim;
  double aycof = rec.aycof, xlcof = rec.xlcof;
  double con41 = rec.con41, x1mth2 = rec.x1mth2, x7thm1 = rec.x7thm1;
  if (rec.method == 'd') {
    internal::DeepPeriodic p{ep, xincp, nodep, argpp, mp};
    internal::deep_periodics(rec, t, p);
    ep = p.ep;
    xincp = p.inclp;
    nodep = p.nodep;
    argpp = p.argpp;
    mp = p.mp;
    if (xincp < 0.0) {
      xincp = -xincp;
      nodep = nodep + pi;
      argpp = argpp - pi;
    }
    if (ep < 0.0 || ep > 1.0) return Sgp4Error::perturbed_eccentricity;

    // Long-period coefficients at the perturbed inclination.
    sinip = std::sin(xincp);
    cosip = std::cos(xincp);
    aycof = -0.5 * gc.j3oj2 * sinip;
    if (std::fabs(cosip + 1.0) > 1.5e-12) {
      xlcof = -0.25 * gc.j3oj2 * sinip * (3.0 + 5.0 * cosip) / (1.0 + cosip);
    } else {
      xlcof = -0.25 * gc.j3oj2 * sinip * (3.0 + 5.0 * cosip) / temp4;
    }
  }

  // Long-period periodics.
  const double axnl = ep * std::cos(argpp);
  double temp = 1.0 / (am * (1.0 - ep * ep));
  const double aynl = ep * std::sin(argpp) + temp * aycof;
  const double xl = mp + argpp + nodep + temp * xlcof * axnl;

  // Kepler's equation for E + omega, with Newton steps capped at 0.95 rad.
  const double u = std::fmod(xl - nodep, twopi);
  double eo1 = u;
  double tem5 = 9999.9;
  double sineo1 = 0.0, coseo1 = 0.0;
  for (int ktr = 1; std::fabs(tem5) >= 1.0e-12 && ktr <= 10; ++ktr) {
    sineo1 = std::sin(eo1);
    coseo1 = std::cos(eo1);
    tem5 = 1.0 - coseo1 * axnl - sineo1 * aynl;
    tem5 = (u - aynl * coseo1 + axnl * sineo1 - eo1) / tem5;
    if (std::fabs(tem5) >= 0.95) tem5 = tem5 > 0.0 ? 0.95 : -0.95;
    eo1 = eo1 + tem5;
  }

  // Short-period preliminary quantities.
  const double ecose = axnl * coseo1 + aynl * sineo1;
  const double esine = axnl * sineo1 - aynl * coseo1;
  const double el2 = axnl * axnl + aynl * aynl;
  const double pl = am * (1.0 - el2);
  if (pl < 0.0) return Sgp4Error::semi_latus_rectum;

  const double rl = am * (1.0 - ecose);
  const double rdotl = std::sqrt(am) * esine / rl;
  const double rvdotl = std::sqrt(pl) / rl;
  const double betal = std::sqrt(1.0 - el2);
  temp = esine / (1.0 + betal);
  const double sinu = am / rl * (sineo1 - aynl - axnl * temp);
  const double cosu = am / rl * (coseo1 - axnl + aynl * temp);
  double su = std::atan2(sinu, cosu);
  const double sin2u = (cosu + cosu) * sinu;
  const double cos2u = 1.0 - 2.0 * sinu * sinu;
  temp = 1.0 / pl;
  const double temp1 = 0.5 * gc.j2 * temp;
  const double temp2 = temp1 * temp;

  // Short-period periodics.
  if (rec.method == 'd') {
    const double cosisq = cosip * cosip;
    con41 = 3.0 * cosisq - 1.0;
    x1mth2 = 1.0 - cosisq;
    x7thm1 = 7.0 * cosisq - 1.0;
  }
  const double mrt = rl * (1.0 - 1.5 * temp2 * betal * con41) + 0.5 * temp1 * x1mth2 * cos2u;
  su = su - 0.25 * temp2 * x7thm1 * sin2u;
  const double xnode = nodep + 1.5 * temp2 * cosip * sin2u;
  const double xinc = xincp + 1.5 * temp2 * cosip * sinip * cos2u;
  const double mvt = rdotl - nm * temp1 * x1mth2 * sin2u / gc.xke;
  const double rvdot = rvdotl + nm * temp1 * (x1mth2 * cos2u + 1.5 * con41) / gc.xke;

  // Orientation vectors.
  const double sinsu = std::sin(su);
  const double cossu = std::cos(su);
  const double snod = std::sin(xnode);
  const double cnod = std::cos(xnode);
  const double sini = std::sin(xinc);
  const double cosi = std::cos(xinc);
  const double xmx = -snod * cosi;
  const double xmy = cnod * cosi;
  const double ux = xmx * sinsu + cnod * cossu;
  const double uy = xmy * sinsu + snod * cossu;
  const double uz = sini * sinsu;
  const double vx = xmx * cossu - cnod * sinsu;
  const double vy = xmy * cossu - snod * sinsu;
  const double vz = sini * cossu;

  out.r_km = {(mrt * ux) * gc.radiusearthkm, (mrt * uy) * gc.radiusearthkm, (mrt * uz) * gc.radiusearthkm};
  out.v_km_s = {(mvt * ux + rvdot * vx) * vkmpersec, (mvt * uy + rvdot * vy) * vkmpersec,
                (mvt * uz + rvdot * vz) * vkmpersec};

  // Below the earth's surface: decayed.
  if (mrt < 1.0) return Sgp4Error::decayed;
  return Sgp4Error::none;
}

}  // namespace

std::string_view describe(Sgp4Error e) {
  switch (e) {
    case Sgp4Error::none:
      return "no error";
    case Sgp4Error::mean_elements:
      return "mean eccentricity is outside the range 0 <= e < 1 (or below -0.001 after drag)";
    case Sgp4Error::mean_motion:
      return "mean motion is less than or equal to zero";
    case Sgp4Error::perturbed_eccentricity:
      return "perturbed eccentricity is outside the range 0 <= e <= 1";
    case Sgp4Error::semi_latus_rectum:
      return "semi-latus rectum is less than zero";
    case Sgp4Error::suborbital:
      return "epoch elements are sub-orbital";
    case Sgp4Error::decayed:
      return "satellite has decayed: its radius is below one earth radius";
  }
  return "unknown SGP4 error";
}

GravityConstants gravity_constants(GravityModel model) {
  GravityConstants c{};
  switch (model) {
    case GravityModel::wgs72old:
      c.mu = 398600.79964;  // km^3/s^2
      c.radiusearthkm = 6378.135;
      c.xke = 0.0743669161;  // sqrt(mu) in earth radii^1.5 per minute, as rounded by STR#3
      c.j2 = 0.001082616;
      c.j3 = -0.00000253881;
      c.j4 = -0.00000165597;
      break;
    case GravityModel::wgs72:
      c.mu = 398600.8;
      c.radiusearthkm = 6378.135;
      c.xke = 60.0 / std::sqrt(c.radiusearthkm * c.radiusearthkm * c.radiusearthkm / c.mu);
      c.j2 = 0.001082616;
      c.j3 = -0.00000253881;
      c.j4 = -0.00000165597;
      break;
    case GravityModel::wgs84:
      c.mu = 398600.5;
      c.radiusearthkm = 6378.137;
      c.xke = 60.0 / std::sqrt(c.radiusearthkm * c.radiusearthkm * c.radiusearthkm / c.mu);
      c.j2 = 0.00108262998905;
      c.j3 = -0.00000253215306;
      c.j4 = -0.00000161098761;
      break;
  }
  c.tumin = 1.0 / c.xke;
  c.j3oj2 = c.j3 / c.j2;
  return c;
}

Sgp4Record sgp4_init(const ElementSet& es, GravityModel model, OpsMode opsmode) {
  constexpr double deg2rad = kRadPerDeg;          // the reference's name
  constexpr double xpdotp = 1440.0 / (2.0 * pi);  // rev/day per rad/min

  Sgp4Record rec;
  rec.norad_id = es.norad_id;
  rec.gc = gravity_constants(model);
  rec.opsmode = opsmode;
  const time::JulianDate jd = time::jd_utc(es.epoch);
  rec.jdsatepoch = jd.whole;
  rec.jdsatepochF = jd.fraction;

  rec.no_kozai = es.mean_motion_rev_per_day / xpdotp;
  rec.ndot = es.mean_motion_dot / (xpdotp * 1440.0);
  rec.nddot = es.mean_motion_ddot / (xpdotp * 1440.0 * 1440);
  rec.bstar = es.bstar;
  rec.ecco = es.eccentricity;
  rec.inclo = es.inclination_deg * deg2rad;
  rec.nodeo = es.raan_deg * deg2rad;
  rec.argpo = es.arg_perigee_deg * deg2rad;
  rec.mo = es.mean_anomaly_deg * deg2rad;

  // Inputs that the reference would turn into NaN without an error.
  const double inputs[] = {rec.no_kozai, rec.bstar, rec.ecco, rec.inclo, rec.nodeo, rec.argpo, rec.mo};
  for (double v : inputs) {
    if (!std::isfinite(v)) {
      rec.init_error = Sgp4Error::mean_elements;
      return rec;
    }
  }
  if (!(rec.no_kozai > 0.0)) {
    rec.init_error = Sgp4Error::mean_motion;
    return rec;
  }
  if (rec.ecco < 0.0 || rec.ecco >= 1.0) {
    rec.init_error = Sgp4Error::mean_elements;
    return rec;
  }

  const double epoch = (rec.jdsatepoch + rec.jdsatepochF) - jd_1950;
  sgp4init(epoch, rec);
  frames::StateVector unused;
  rec.init_error = propagate(rec, 0.0, unused);
  return rec;
}

Sgp4Error sgp4(const Sgp4Record& rec, double tsince_min, frames::StateVector& out) {
  if (rec.init_error != Sgp4Error::none) return rec.init_error;
  return propagate(rec, tsince_min, out);
}

}  // namespace skyfence::orbits
