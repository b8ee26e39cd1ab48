// Unit tests of the SGP4/SDP4 propagator: error codes and their descriptions, rejected element
// sets, determinism, immutability of the record (including the deep-space resonance integrator,
// which the reference caches in its record), gravity models and operation modes.
// Accuracy against the reference is tests/validation/orbits/vallado_test.cpp.
#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <numbers>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "skyfence/orbits/sgp4.h"
#include "skyfence/time/scales.h"

namespace skyfence::orbits {
namespace {

ElementSet make_set(std::uint32_t id, time::CivilTime epoch, double incl, double raan, double ecc,
                    double argp, double ma, double n, double bstar, double ndot = 0.0, double nddot = 0.0) {
  ElementSet es;
  es.norad_id = id;
  es.epoch = time::from_utc(epoch);
  es.inclination_deg = incl;
  es.raan_deg = raan;
  es.eccentricity = ecc;
  es.arg_perigee_deg = argp;
  es.mean_anomaly_deg = ma;
  es.mean_motion_rev_per_day = n;
  es.bstar = bstar;
  es.mean_motion_dot = ndot;
  es.mean_motion_ddot = nddot;
  return es;
}

// Element sets of the verification file (SGP4-VER.TLE), typed in: a near-earth drag case, a
// 12-hour resonant Molniya, a 24-hour resonant geostationary and a non-resonant deep-space orbit.
ElementSet near_earth() {  // 06251 DELTA 1 DEB, epoch 2006 day 176.82412014
  return make_set(6251, {2006, 6, 25, 19, 46, 43, 980'096'000}, 58.0579, 54.0425, 0.0030035, 139.1568,
                  221.1854, 15.56387291, 0.12808e-3, 0.00008885);
}
ElementSet molniya() {  // 08195 MOLNIYA 2-14: irez 2
  return make_set(8195, {2006, 6, 25, 7, 58, 18, 143'616'000}, 64.1586, 279.0717, 0.6877146, 264.7651,
                  20.2257, 2.00491383, 0.11873e-3, 0.00000099);
}
ElementSet geostationary() {  // 28626 XM-3: irez 1, inclination goes negative around 1130 min
  return make_set(28626, {2006, 6, 25, 11, 12, 14, 455'008'000}, 0.0019, 286.9433, 0.0000335, 13.7918,
                  55.6504, 1.00270176, 0.1e-3, -0.00000205);
}
ElementSet deep_nonresonant() {  // 20413 SL-12 R/B, e = 0.786, 0.247 rev/day
  return make_set(20413, {2005, 12, 29, 19, 0, 0, 288'000}, 12.3514, 187.4253, 0.7864447, 196.3027, 356.5478,
                  0.24690082, 0.0);
}

bool same_bits(const frames::StateVector& a, const frames::StateVector& b) {
  const double x[6] = {a.r_km.x, a.r_km.y, a.r_km.z, a.v_km_s.x, a.v_km_s.y, a.v_km_s.z};
  const double y[6] = {b.r_km.x, b.r_km.y, b.r_km.z, b.v_km_s.x, b.v_km_s.y, b.v_km_s.z};
  for (int k = 0; k < 6; ++k) {
    if (std::bit_cast<std::uint64_t>(x[k]) != std::bit_cast<std::uint64_t>(y[k])) return false;
  }
  return true;
}

TEST(Sgp4Describe, EveryCodeHasItsOwnSentence) {
  EXPECT_EQ(describe(Sgp4Error::none), "no error");
  EXPECT_NE(describe(Sgp4Error::mean_elements).find("eccentricity"), std::string_view::npos);
  EXPECT_NE(describe(Sgp4Error::mean_motion).find("mean motion"), std::string_view::npos);
  EXPECT_NE(describe(Sgp4Error::perturbed_eccentricity).find("perturbed eccentricity"),
            std::string_view::npos);
  EXPECT_NE(describe(Sgp4Error::semi_latus_rectum).find("semi-latus rectum"), std::string_view::npos);
  EXPECT_NE(describe(Sgp4Error::suborbital).find("sub-orbital"), std::string_view::npos);
  EXPECT_NE(describe(Sgp4Error::decayed).find("decayed"), std::string_view::npos);
  std::set<std::string_view> seen;
  for (int code = 0; code <= 6; ++code) {
    const std::string_view text = describe(static_cast<Sgp4Error>(code));
    EXPECT_FALSE(text.empty());
    EXPECT_TRUE(seen.insert(text).second) << "duplicate description for code " << code;
  }
  EXPECT_EQ(describe(static_cast<Sgp4Error>(42)), "unknown SGP4 error");
}

TEST(Sgp4Codes, NumbersAreTheReferences) {
  EXPECT_EQ(static_cast<int>(Sgp4Error::mean_elements), 1);
  EXPECT_EQ(static_cast<int>(Sgp4Error::mean_motion), 2);
  EXPECT_EQ(static_cast<int>(Sgp4Error::perturbed_eccentricity), 3);
  EXPECT_EQ(static_cast<int>(Sgp4Error::semi_latus_rectum), 4);
  EXPECT_EQ(static_cast<int>(Sgp4Error::suborbital), 5);
  EXPECT_EQ(static_cast<int>(Sgp4Error::decayed), 6);
}

TEST(Sgp4Gravity, ConstantsOfTheThreeModels) {
  const GravityConstants old = gravity_constants(GravityModel::wgs72old);
  const GravityConstants w72 = gravity_constants(GravityModel::wgs72);
  const GravityConstants w84 = gravity_constants(GravityModel::wgs84);
  EXPECT_EQ(old.xke, 0.0743669161);
  EXPECT_NEAR(w72.xke, 0.07436691613317342, 1e-16);
  EXPECT_NEAR(w84.xke, 0.07436685316871385, 1e-16);
  EXPECT_EQ(w72.radiusearthkm, 6378.135);
  EXPECT_EQ(w84.radiusearthkm, 6378.137);
  EXPECT_EQ(w72.mu, 398600.8);
  EXPECT_EQ(w84.j2, 0.00108262998905);
  for (const GravityConstants& c : {old, w72, w84}) {
    EXPECT_DOUBLE_EQ(c.tumin * c.xke, 1.0);
    EXPECT_DOUBLE_EQ(c.j3oj2, c.j3 / c.j2);
  }
}

TEST(Sgp4Init, ClassifiesNearEarthAndDeepSpaceOrbits) {
  const Sgp4Record ne = sgp4_init(near_earth());
  EXPECT_EQ(ne.init_error, Sgp4Error::none);
  EXPECT_EQ(ne.method, 'n');
  EXPECT_EQ(ne.isimp, 0);
  EXPECT_EQ(ne.norad_id, 6251u);
  const Sgp4Record mo = sgp4_init(molniya());
  EXPECT_EQ(mo.method, 'd');
  EXPECT_EQ(mo.isimp, 1);
  EXPECT_EQ(mo.irez, 2);
  const Sgp4Record geo = sgp4_init(geostationary());
  EXPECT_EQ(geo.method, 'd');
  EXPECT_EQ(geo.irez, 1);
  const Sgp4Record ds = sgp4_init(deep_nonresonant());
  EXPECT_EQ(ds.method, 'd');
  EXPECT_EQ(ds.irez, 0);
  // Units of the converted elements.
  EXPECT_NEAR(ne.no_kozai, 15.56387291 * 2.0 * std::numbers::pi / 1440.0, 1e-15);
  EXPECT_NEAR(ne.inclo, 58.0579 * std::numbers::pi / 180.0, 1e-15);
  EXPECT_NEAR(ne.ndot, 0.00008885 * 2.0 * std::numbers::pi / (1440.0 * 1440.0), 1e-20);
  // Epoch: 2006-06-25 19:46:43.980096 UTC.
  EXPECT_NEAR(ne.jdsatepoch + ne.jdsatepochF, 2453912.32412014, 1e-9);
  EXPECT_GT(ne.a, 1.0);
  EXPECT_LT(ne.altp, ne.alta);
}

TEST(Sgp4Init, RejectsEccentricityOutsideZeroToOne) {
  for (double ecc : {1.0, 1.5, -0.01}) {
    ElementSet es = near_earth();
    es.eccentricity = ecc;
    const Sgp4Record rec = sgp4_init(es);
    EXPECT_EQ(rec.init_error, Sgp4Error::mean_elements) << "e = " << ecc;
    frames::StateVector s;
    EXPECT_EQ(sgp4(rec, 0.0, s), Sgp4Error::mean_elements);
    EXPECT_EQ(sgp4(rec, 100.0, s), Sgp4Error::mean_elements);
  }
}

TEST(Sgp4Init, RejectsMeanMotionAtOrBelowZero) {
  for (double n : {-15.0, 0.0}) {
    ElementSet es = near_earth();
    es.mean_motion_rev_per_day = n;
    const Sgp4Record rec = sgp4_init(es);
    EXPECT_EQ(rec.init_error, Sgp4Error::mean_motion) << "n = " << n;
    frames::StateVector s;
    EXPECT_EQ(sgp4(rec, 10.0, s), Sgp4Error::mean_motion);
  }
}

TEST(Sgp4Init, RejectsNonFiniteElements) {
  ElementSet es = near_earth();
  es.inclination_deg = std::numeric_limits<double>::quiet_NaN();
  EXPECT_EQ(sgp4_init(es).init_error, Sgp4Error::mean_elements);
  es = near_earth();
  es.bstar = std::numeric_limits<double>::infinity();
  EXPECT_EQ(sgp4_init(es).init_error, Sgp4Error::mean_elements);
  es = near_earth();
  es.mean_motion_rev_per_day = std::numeric_limits<double>::quiet_NaN();
  EXPECT_NE(sgp4_init(es).init_error, Sgp4Error::none);
}

TEST(Sgp4Init, ReportsTheReferencesErrorAtEpoch) {
  // Verification case 33334: 1e-5 rev/day, so the lunar-solar periodics push e outside [0, 1].
  ElementSet es = make_set(33334, {2006, 6, 23, 20, 35, 47, 504'544'000}, 68.4714, 236.1303, 0.5602877,
                           123.7484, 302.5767, 0.00001, 0.1e-3, 0.00000620);
  const Sgp4Record rec = sgp4_init(es);
  EXPECT_EQ(rec.init_error, Sgp4Error::perturbed_eccentricity);
  frames::StateVector s;
  EXPECT_EQ(sgp4(rec, 60.0, s), Sgp4Error::perturbed_eccentricity);
}

TEST(Sgp4Propagate, DecayReportsErrorSix) {
  // Verification case 28872, perigee below the surface: decays between 50 and 55 minutes.
  const ElementSet es = make_set(28872, {2005, 11, 29, 0, 28, 58, 939'104'000}, 96.4736, 157.9986, 0.0303955,
                                 244.0492, 110.6523, 16.46015938, 0.24476e-3, 0.25992681);
  const Sgp4Record rec = sgp4_init(es);
  ASSERT_EQ(rec.init_error, Sgp4Error::none);
  frames::StateVector s;
  EXPECT_EQ(sgp4(rec, 50.0, s), Sgp4Error::none);
  EXPECT_EQ(sgp4(rec, 55.0, s), Sgp4Error::decayed);
  // The record is not changed by an error: earlier times still propagate.
  EXPECT_EQ(sgp4(rec, 10.0, s), Sgp4Error::none);
}

TEST(Sgp4Propagate, SameCallGivesIdenticalBits) {
  for (const ElementSet& es : {near_earth(), molniya(), geostationary(), deep_nonresonant()}) {
    const Sgp4Record rec = sgp4_init(es);
    for (double t : {0.0, 1.5, 1440.0, -720.0, 10000.25}) {
      frames::StateVector a, b;
      ASSERT_EQ(sgp4(rec, t, a), Sgp4Error::none);
      ASSERT_EQ(sgp4(rec, t, b), Sgp4Error::none);
      EXPECT_TRUE(same_bits(a, b)) << es.norad_id << " at " << t;
      // A copy of the record propagates the same.
      const Sgp4Record copy = rec;
      frames::StateVector c;
      ASSERT_EQ(sgp4(copy, t, c), Sgp4Error::none);
      EXPECT_TRUE(same_bits(a, c));
    }
  }
}

TEST(Sgp4Propagate, ResultsDoNotDependOnEarlierCalls) {
  // The reference caches its resonance integrator in the record and continues from it on the next
  // call in the same direction; here every call starts from epoch. Any order of calls gives the
  // same bits as a fresh record.
  const std::vector<double> times = {2880.0, 100.0, -1440.0, 2880.0,  5000.5,
                                     719.99, 720.0, 721.0,   -3000.0, 2880.0};
  for (const ElementSet& es : {molniya(), geostationary(), near_earth(), deep_nonresonant()}) {
    const Sgp4Record rec = sgp4_init(es);
    for (std::size_t i = 0; i < times.size(); ++i) {
      frames::StateVector used, fresh;
      ASSERT_EQ(sgp4(rec, times[i], used), Sgp4Error::none);
      const Sgp4Record fresh_rec = sgp4_init(es);
      ASSERT_EQ(sgp4(fresh_rec, times[i], fresh), Sgp4Error::none);
      EXPECT_TRUE(same_bits(used, fresh)) << es.norad_id << " call " << i << " at " << times[i];
    }
    frames::StateVector first, again;
    ASSERT_EQ(sgp4(rec, 2880.0, first), Sgp4Error::none);
    ASSERT_EQ(sgp4(rec, 10.0, again), Sgp4Error::none);
    ASSERT_EQ(sgp4(rec, 2880.0, again), Sgp4Error::none);
    EXPECT_TRUE(same_bits(first, again)) << es.norad_id;
  }
}

TEST(Sgp4Propagate, ThreadsShareOneRecord) {
  const Sgp4Record rec = sgp4_init(molniya());
  std::vector<frames::StateVector> serial(64);
  for (std::size_t i = 0; i < serial.size(); ++i) {
    ASSERT_EQ(sgp4(rec, 97.0 * static_cast<double>(i), serial[i]), Sgp4Error::none);
  }
  std::vector<std::vector<frames::StateVector>> per_thread(4,
                                                           std::vector<frames::StateVector>(serial.size()));
  std::vector<std::thread> threads;
  for (std::size_t k = 0; k < per_thread.size(); ++k) {
    threads.emplace_back([&, k] {
      // Each thread walks the times in a different order.
      for (std::size_t j = 0; j < serial.size(); ++j) {
        const std::size_t i = (j * (2 * k + 1) + k) % serial.size();
        sgp4(rec, 97.0 * static_cast<double>(i), per_thread[k][i]);
      }
    });
  }
  for (std::thread& t : threads) t.join();
  for (std::size_t k = 0; k < per_thread.size(); ++k) {
    for (std::size_t i = 0; i < serial.size(); ++i) EXPECT_TRUE(same_bits(serial[i], per_thread[k][i]));
  }
}

TEST(Sgp4Propagate, OrbitRadiusIsPlausible) {
  const Sgp4Record rec = sgp4_init(near_earth());
  for (double t = 0.0; t <= 1440.0; t += 30.0) {
    frames::StateVector s;
    ASSERT_EQ(sgp4(rec, t, s), Sgp4Error::none);
    // Perigee 377 km, e = 0.003 (a +/- 20 km).
    EXPECT_GT(s.r_km.norm(), 6378.0 + 350.0);
    EXPECT_LT(s.r_km.norm(), 6378.0 + 450.0);
    EXPECT_NEAR(s.v_km_s.norm(), 7.7, 0.1);
  }
}

TEST(Sgp4Modes, AfspcDiffersOnlyWhereSiderealTimeOrTheNodeMatters) {
  // Near earth, the operation modes share every formula.
  {
    const Sgp4Record a = sgp4_init(near_earth(), GravityModel::wgs72, OpsMode::afspc);
    const Sgp4Record i = sgp4_init(near_earth(), GravityModel::wgs72, OpsMode::improved);
    frames::StateVector sa, si;
    ASSERT_EQ(sgp4(a, 1000.0, sa), Sgp4Error::none);
    ASSERT_EQ(sgp4(i, 1000.0, si), Sgp4Error::none);
    EXPECT_TRUE(same_bits(sa, si));
    EXPECT_NE(a.gsto, i.gsto);
    EXPECT_NEAR(a.gsto, i.gsto, 1e-5);  // two expressions of the same sidereal time
  }
  // Resonant deep space: the sidereal time enters the resonance phase; small difference.
  {
    const Sgp4Record a = sgp4_init(geostationary(), GravityModel::wgs72, OpsMode::afspc);
    const Sgp4Record i = sgp4_init(geostationary(), GravityModel::wgs72, OpsMode::improved);
    frames::StateVector sa, si;
    ASSERT_EQ(sgp4(a, 1440.0, sa), Sgp4Error::none);
    ASSERT_EQ(sgp4(i, 1440.0, si), Sgp4Error::none);
    EXPECT_LT((sa.r_km - si.r_km).norm(), 1.0);
  }
}

TEST(Sgp4Modes, GravityModelsGiveNearbyButDifferentStates) {
  const Sgp4Record w72 = sgp4_init(near_earth(), GravityModel::wgs72);
  const Sgp4Record old = sgp4_init(near_earth(), GravityModel::wgs72old);
  const Sgp4Record w84 = sgp4_init(near_earth(), GravityModel::wgs84);
  frames::StateVector a, b, c;
  ASSERT_EQ(sgp4(w72, 60.0, a), Sgp4Error::none);
  ASSERT_EQ(sgp4(old, 60.0, b), Sgp4Error::none);
  ASSERT_EQ(sgp4(w84, 60.0, c), Sgp4Error::none);
  EXPECT_FALSE(same_bits(a, b));
  EXPECT_FALSE(same_bits(a, c));
  EXPECT_LT((a.r_km - b.r_km).norm(), 0.01);
  EXPECT_LT((a.r_km - c.r_km).norm(), 1.0);
}

}  // namespace
}  // namespace skyfence::orbits
