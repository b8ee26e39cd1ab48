// Validation of SGP4/SDP4 against the verification output of Vallado, Crawford, Hujsak, Kelso,
// "Revisiting Spacetrack Report #3" (AIAA 2006-6753): tests/data/sgp4-verification/tcppver.out,
// produced by the reference C++ code (WGS-72, improved mode) from SGP4-VER.TLE.
//
// The test reruns the reference's driver: each case is propagated from its start to its stop time
// by its step (and at the stop time when it is off the step grid), after a first row at tsince 0,
// stopping at the first SGP4 error. It then checks that every case has the same rows, that the
// states agree within 2e-7 km and 2e-9 km/s (the file prints 1e-8 km and 1e-9 km/s), that the cases
// that stop early do so at the same row with the reference's error code, and that the osculating
// elements printed beside each state agree to their printed precision.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <map>
#include <numbers>
#include <sstream>
#include <string>
#include <vector>

#include "skyfence/orbits/sgp4.h"
#include "skyfence/orbits/tle.h"

namespace skyfence::orbits {
namespace {

constexpr double kPosTolKm = 2e-7;
constexpr double kVelTolKmS = 2e-9;

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in.good()) << "cannot open " << path;
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string data_path(const char* name) {
  return std::string(SKYFENCE_TEST_DATA_DIR) + "/sgp4-verification/" + name;
}

// Start, stop and step (minutes) that SGP4-VER.TLE appends after column 69 of each line 2.
struct Schedule {
  double start = 0, stop = 0, step = 0;
};

std::vector<Schedule> read_schedules(const std::string& text) {
  std::vector<Schedule> out;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.size() > 69 && line[0] == '2' && line[1] == ' ') {
      Schedule s;
      std::istringstream cols(line.substr(69));
      cols >> s.start >> s.stop >> s.step;
      EXPECT_FALSE(cols.fail()) << "no start/stop/step in: " << line;
      out.push_back(s);
    }
  }
  return out;
}

// One printed row of tcppver.out: tsince, r, v and (except on the first row of a case) the
// osculating elements a [km], e, i, node, argp, nu, m [deg].
struct Row {
  double t = 0;
  double r[3] = {}, v[3] = {};
  bool has_elements = false;
  double coe[7] = {};
};

struct ReferenceCase {
  long satnum = 0;
  std::vector<Row> rows;
};

std::vector<ReferenceCase> read_tcppver(const std::string& text) {
  std::vector<ReferenceCase> cases;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.find("xx") != std::string::npos) {
      ReferenceCase c;
      c.satnum = std::stol(line);
      cases.push_back(c);
      continue;
    }
    std::istringstream cols(line);
    std::vector<double> v;
    double x = 0;
    while (v.size() < 14 && cols >> x) v.push_back(x);
    if (v.empty()) continue;
    EXPECT_FALSE(cases.empty());
    EXPECT_TRUE(v.size() == 7 || v.size() == 14) << line;
    Row r;
    r.t = v[0];
    for (int k = 0; k < 3; ++k) {
      r.r[k] = v[1 + k];
      r.v[k] = v[4 + k];
    }
    if (v.size() == 14) {
      r.has_elements = true;
      for (int k = 0; k < 7; ++k) r.coe[k] = v[7 + k];
    }
    cases.back().rows.push_back(r);
  }
  return cases;
}

// Osculating classical elements of a Keplerian orbit (general elliptical inclined case: the
// verification file has no circular or equatorial rows), in the units tcppver.out prints.
struct Elements {
  double a_km, e, i_deg, node_deg, argp_deg, nu_deg, m_deg;
};

Elements osculating(const frames::StateVector& s, double mu) {
  const frames::Vec3 r = s.r_km, v = s.v_km_s;
  constexpr double rad2deg = 180.0 / std::numbers::pi;
  const double twopi = 2.0 * std::numbers::pi;
  const double rmag = r.norm(), vmag = v.norm();
  const frames::Vec3 h{r.y * v.z - r.z * v.y, r.z * v.x - r.x * v.z, r.x * v.y - r.y * v.x};
  const frames::Vec3 n{-h.y, h.x, 0.0};
  const double rdotv = r.dot(v);
  const frames::Vec3 ev = (r * (vmag * vmag - mu / rmag) - v * rdotv) * (1.0 / mu);
  const double e = ev.norm();
  const double a = 1.0 / (2.0 / rmag - vmag * vmag / mu);
  const double inc = std::acos(h.z / h.norm());
  double node = std::acos(std::clamp(n.x / n.norm(), -1.0, 1.0));
  if (n.y < 0.0) node = twopi - node;
  auto angle = [](const frames::Vec3& p, const frames::Vec3& q) {
    return std::acos(std::clamp(p.dot(q) / (p.norm() * q.norm()), -1.0, 1.0));
  };
  double argp = angle(n, ev);
  if (ev.z < 0.0) argp = twopi - argp;
  double nu = angle(ev, r);
  if (rdotv < 0.0) nu = twopi - nu;
  const double sine = std::sqrt(1.0 - e * e) * std::sin(nu) / (1.0 + e * std::cos(nu));
  const double cose = (e + std::cos(nu)) / (1.0 + e * std::cos(nu));
  const double ea = std::atan2(sine, cose);
  double m = std::fmod(ea - e * std::sin(ea), twopi);
  if (m < 0.0) m += twopi;
  return {a, e, inc * rad2deg, node * rad2deg, argp * rad2deg, nu * rad2deg, m * rad2deg};
}

struct OurRow {
  double t = 0;
  frames::StateVector s;
};

struct OurCase {
  long satnum = 0;
  Sgp4Error init_error = Sgp4Error::none;
  Sgp4Error stop_error = Sgp4Error::none;  // the error that ended the run, if any
  double stop_error_t = 0;                 // tsince of that error
  std::vector<OurRow> rows;                // rows printed (the tsince 0 row even after an init error)
  double mu = 0;
};

// Vallado's driver (the reference's test program), row for row.
OurCase run_case(const ElementSet& es, const Schedule& sch) {
  OurCase c;
  c.satnum = es.norad_id;
  const Sgp4Record rec = sgp4_init(es);
  c.mu = rec.gc.mu;
  c.init_error = rec.init_error;
  OurRow first;
  const Sgp4Error e0 = sgp4(rec, 0.0, first.s);
  c.rows.push_back(first);  // printed whatever the error (with stale values after an init error)
  if (e0 != Sgp4Error::none) {
    c.stop_error = e0;
    return c;
  }
  double tsince = sch.start;
  if (std::fabs(tsince) > 1.0e-8) tsince = tsince - sch.step;
  while (tsince < sch.stop) {
    tsince = tsince + sch.step;
    if (tsince > sch.stop) tsince = sch.stop;
    OurRow r;
    r.t = tsince;
    const Sgp4Error e = sgp4(rec, tsince, r.s);
    if (e != Sgp4Error::none) {
      c.stop_error = e;
      c.stop_error_t = tsince;
      break;
    }
    c.rows.push_back(r);
  }
  return c;
}

// The reference's errors on the verification set, with the tsince of the row that is not printed
// (tcppver.out's last row of the case is the one before). 22312 (decayed two days after its last
// element set) and 28350 (perigee 127 km) lose so much to drag that the mean eccentricity leaves
// its range; 28872 and 29141 re-enter; 33333 (e = 0.995) gets a negative semi-latus rectum; 33334
// (1e-5 rev/day) has its lunar-solar perturbed eccentricity outside [0, 1] at epoch already; the
// second 20413 case, 3.5 years after epoch, is brought below the surface by the moon and sun.
struct ExpectedStop {
  Sgp4Error code;
  double tsince;
  bool at_init;
};
const std::map<long, ExpectedStop>& expected_errors() {
  static const std::map<long, ExpectedStop> m = {
      {22312, {Sgp4Error::mean_elements, 494.202867, false}},
      {28350, {Sgp4Error::mean_elements, 1560.0, false}},
      {28872, {Sgp4Error::decayed, 55.0, false}},
      {29141, {Sgp4Error::decayed, 440.0, false}},
      {33333, {Sgp4Error::semi_latus_rectum, 25.0, false}},
      {33334, {Sgp4Error::perturbed_eccentricity, 0.0, true}},
  };
  return m;
}

// 20413 appears twice: only its second case (1844000 to 1845100 minutes) stops early.
constexpr std::size_t kSecond20413 = 32;
constexpr ExpectedStop kSecond20413Stop = {Sgp4Error::decayed, 1844345.0, false};

struct Comparison {
  std::vector<ReferenceCase> ref;
  std::vector<OurCase> ours;
  std::vector<Schedule> schedules;
};

// Rows the driver prints when nothing fails: tsince 0, then start..stop by step, plus stop.
std::size_t scheduled_rows(const Schedule& s) {
  std::size_t n = 1;
  double t = s.start;
  if (std::fabs(t) > 1.0e-8) t = t - s.step;
  while (t < s.stop) {
    t = t + s.step;
    if (t > s.stop) t = s.stop;
    ++n;
  }
  return n;
}

const Comparison& comparison() {
  static const Comparison c = [] {
    Comparison out;
    const std::string tle_text = read_file(data_path("SGP4-VER.TLE"));
    const Catalog cat = read_tle(tle_text, "SGP4-VER.TLE", {.accept_bad_checksums = true});
    const std::vector<Schedule> sch = read_schedules(tle_text);
    out.schedules = sch;
    out.ref = read_tcppver(read_file(data_path("tcppver.out")));
    EXPECT_TRUE(cat.rejected.empty());
    EXPECT_EQ(cat.sets.size(), 33u);
    EXPECT_EQ(sch.size(), cat.sets.size());
    for (std::size_t i = 0; i < cat.sets.size() && i < sch.size(); ++i) {
      out.ours.push_back(run_case(cat.sets[i], sch[i]));
    }
    return out;
  }();
  return c;
}

TEST(Vallado, SameCasesAndRowCounts) {
  const Comparison& c = comparison();
  ASSERT_EQ(c.ref.size(), 33u);
  ASSERT_EQ(c.ours.size(), c.ref.size());
  std::size_t total = 0;
  for (std::size_t i = 0; i < c.ref.size(); ++i) {
    SCOPED_TRACE("case " + std::to_string(i) + " satnum " + std::to_string(c.ref[i].satnum));
    EXPECT_EQ(c.ours[i].satnum, c.ref[i].satnum);
    ASSERT_EQ(c.ours[i].rows.size(), c.ref[i].rows.size());
    for (std::size_t k = 0; k < c.ref[i].rows.size(); ++k) {
      EXPECT_NEAR(c.ours[i].rows[k].t, c.ref[i].rows[k].t, 5e-9) << "row " << k;
    }
    // A case stops early in the reference exactly when we expect an error for it.
    ASSERT_EQ(c.schedules.size(), c.ref.size());
    const bool short_in_reference = c.ref[i].rows.size() < scheduled_rows(c.schedules[i]);
    const bool error_expected = i == kSecond20413 || expected_errors().count(c.ref[i].satnum) != 0;
    EXPECT_EQ(short_in_reference, error_expected);
    total += c.ref[i].rows.size();
  }
  EXPECT_EQ(total, 667u);  // the file's 700 lines less 33 case headers
}

TEST(Vallado, StatesMatchReference) {
  const Comparison& c = comparison();
  ASSERT_EQ(c.ours.size(), c.ref.size());
  double max_dr = 0, max_dv = 0, max_dr_short = 0;
  long worst_r_sat = 0, worst_v_sat = 0;
  std::size_t compared = 0;
  for (std::size_t i = 0; i < c.ref.size(); ++i) {
    SCOPED_TRACE("satnum " + std::to_string(c.ref[i].satnum));
    if (c.ours[i].init_error != Sgp4Error::none) continue;  // its only row holds stale values
    ASSERT_EQ(c.ours[i].rows.size(), c.ref[i].rows.size());
    for (std::size_t k = 0; k < c.ref[i].rows.size(); ++k) {
      const Row& ref = c.ref[i].rows[k];
      const frames::StateVector& s = c.ours[i].rows[k].s;
      const double r[3] = {s.r_km.x, s.r_km.y, s.r_km.z};
      const double v[3] = {s.v_km_s.x, s.v_km_s.y, s.v_km_s.z};
      for (int j = 0; j < 3; ++j) {
        const double dr = std::fabs(r[j] - ref.r[j]);
        const double dv = std::fabs(v[j] - ref.v[j]);
        EXPECT_LE(dr, kPosTolKm) << "tsince " << ref.t << " axis " << j;
        EXPECT_LE(dv, kVelTolKmS) << "tsince " << ref.t << " axis " << j;
        if (i != kSecond20413) max_dr_short = std::max(max_dr_short, dr);
        if (dr > max_dr) {
          max_dr = dr;
          worst_r_sat = c.ref[i].satnum;
        }
        if (dv > max_dv) {
          max_dv = dv;
          worst_v_sat = c.ref[i].satnum;
        }
      }
      ++compared;
    }
  }
  std::printf("[ vallado  ] %zu rows: max |dr| %.3g km (satnum %ld), max |dv| %.3g km/s (satnum %ld)\n",
              compared, max_dr, worst_r_sat, max_dv, worst_v_sat);
  std::printf("[ vallado  ] without the 3.5-year 20413 case: max |dr| %.3g km\n", max_dr_short);
  EXPECT_EQ(compared, 666u);  // every row but 33334's stale one
}

TEST(Vallado, ErrorCasesStopAtTheSameRowWithTheReferenceCode) {
  const Comparison& c = comparison();
  ASSERT_EQ(c.ours.size(), c.ref.size());
  std::size_t stopped = 0;
  for (std::size_t i = 0; i < c.ours.size(); ++i) {
    const OurCase& ours = c.ours[i];
    SCOPED_TRACE("satnum " + std::to_string(ours.satnum));
    const auto it = expected_errors().find(ours.satnum);
    const ExpectedStop* want = nullptr;
    if (i == kSecond20413) {
      EXPECT_EQ(ours.satnum, 20413);
      want = &kSecond20413Stop;
    } else if (it != expected_errors().end()) {
      want = &it->second;
    }
    if (want == nullptr) {
      EXPECT_EQ(ours.stop_error, Sgp4Error::none) << describe(ours.stop_error);
      continue;
    }
    ++stopped;
    EXPECT_EQ(ours.stop_error, want->code) << describe(ours.stop_error);
    if (want->at_init) {
      EXPECT_EQ(ours.init_error, want->code);
      // The reference prints its tsince 0 row anyway, with the previous case's last state.
      ASSERT_GT(i, 0u);
      ASSERT_EQ(c.ref[i].rows.size(), 1u);
      const Row& stale = c.ref[i].rows[0];
      const Row& previous = c.ref[i - 1].rows.back();
      for (int j = 0; j < 3; ++j) {
        EXPECT_EQ(stale.r[j], previous.r[j]);
        EXPECT_EQ(stale.v[j], previous.v[j]);
      }
    } else {
      EXPECT_EQ(ours.init_error, Sgp4Error::none);
      EXPECT_NEAR(ours.stop_error_t, want->tsince, 5e-7);
      // The reference's last row is the one before the failing time.
      EXPECT_LT(c.ref[i].rows.back().t, want->tsince);
    }
  }
  EXPECT_EQ(stopped, expected_errors().size() + 1);
}

TEST(Vallado, OsculatingElementsMatchToPrintedPrecision) {
  const Comparison& c = comparison();
  ASSERT_EQ(c.ours.size(), c.ref.size());
  // Half a unit of the last printed digit, plus the effect of the state tolerance on the elements.
  const double tol[7] = {0.5e-6 + 2e-6, 0.5e-6 + 1e-9, 0.5e-5 + 1e-7, 0.5e-5 + 1e-7,
                         0.5e-5 + 1e-6, 0.5e-5 + 1e-6, 0.5e-5 + 1e-6};
  double worst[7] = {};
  std::size_t compared = 0;
  for (std::size_t i = 0; i < c.ref.size(); ++i) {
    SCOPED_TRACE("satnum " + std::to_string(c.ref[i].satnum));
    if (c.ours[i].init_error != Sgp4Error::none) continue;
    ASSERT_EQ(c.ours[i].rows.size(), c.ref[i].rows.size());
    for (std::size_t k = 0; k < c.ref[i].rows.size(); ++k) {
      const Row& ref = c.ref[i].rows[k];
      if (!ref.has_elements) continue;
      const Elements el = osculating(c.ours[i].rows[k].s, c.ours[i].mu);
      const double ours[7] = {el.a_km, el.e, el.i_deg, el.node_deg, el.argp_deg, el.nu_deg, el.m_deg};
      for (int j = 0; j < 7; ++j) {
        double d = std::fabs(ours[j] - ref.coe[j]);
        if (j >= 3) d = std::min(d, std::fabs(d - 360.0));  // angles wrap at 360 degrees
        worst[j] = std::max(worst[j], d);
        EXPECT_LE(d, tol[j]) << "tsince " << ref.t << " element " << j << " ours " << ours[j] << " ref "
                             << ref.coe[j];
      }
      ++compared;
    }
  }
  std::printf(
      "[ vallado  ] %zu rows of elements: max |da| %.2g km |de| %.2g |di| %.2g |dnode| %.2g "
      "|dargp| %.2g |dnu| %.2g |dm| %.2g deg\n",
      compared, worst[0], worst[1], worst[2], worst[3], worst[4], worst[5], worst[6]);
  EXPECT_EQ(compared, 634u);  // every row but the first of each case and 33334's
}

}  // namespace
}  // namespace skyfence::orbits
