// Oracle test of BatchPropagator against the scalar sgp4(): random element sets of every kind the
// kernel must handle (near earth with the full and the simplified drag model, high drag decaying
// inside the window, bad elements, deep space), and a subset of the bundled Starlink snapshot.
// Every supported SIMD kernel is forced in turn; results must agree with sgp4() within 1e-9 km and
// 1e-12 km/s with identical error codes, and be bit-identical for 1, 2 and 3 threads.
// The random seed is printed; set SKYFENCE_TEST_SEED to replay one.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "../../test_seed.h"
#include "skyfence/orbits/batch.h"
#include "skyfence/orbits/internal/batch_access.h"
#include "skyfence/orbits/internal/batch_kernel.h"
#include "skyfence/orbits/sgp4.h"
#include "skyfence/orbits/tle.h"

namespace skyfence::orbits {
namespace {

using internal::BatchAccess;
using internal::BatchKernel;

constexpr double kPosTolKm = 1e-9;
constexpr double kVelTolKmS = 1e-12;
// Bounds of a state that is an orbit about the earth at all (see expect_matches_scalar).
constexpr double kPhysicalMaxKm = 1e5;
constexpr double kPhysicalMaxKmS = 12.0;

// One seed for the whole executable (tests/test_seed.h), printed once.
std::uint64_t test_seed() {
  static const std::uint64_t seed = skyfence_test::test_seed("batch_test");
  return seed;
}

std::vector<BatchKernel> supported_kernels() {
  std::vector<BatchKernel> ks;
  for (BatchKernel k : {BatchKernel::sse2, BatchKernel::avx2, BatchKernel::avx512}) {
    if (internal::batch_kernel_supported(k)) ks.push_back(k);
  }
  return ks;
}

// What the satellite should look like, by kind.
enum class Kind { near_full, near_simple, high_drag, bad, deep };

ElementSet random_elements(std::mt19937_64& rng, Kind kind, std::uint32_t id) {
  auto uni = [&](double a, double b) { return std::uniform_real_distribution<double>(a, b)(rng); };
  ElementSet es;
  es.norad_id = id;
  // Epochs spread over a few days around 2026-04-27 (TAI ns since 2000).
  es.epoch = time::Instant::from_tai_ns(830'649'637'000'000'000LL +
                                        static_cast<std::int64_t>(uni(-3.0, 3.0) * 86400e9));
  es.inclination_deg = uni(0.0, 180.0);
  es.raan_deg = uni(0.0, 360.0);
  es.arg_perigee_deg = uni(0.0, 360.0);
  es.mean_anomaly_deg = uni(0.0, 360.0);
  es.mean_motion_dot = uni(-1e-4, 1e-3);
  es.mean_motion_ddot = uni(0.0, 1e-9);
  switch (kind) {
    case Kind::near_full:  // perigee above 220 km
      es.mean_motion_rev_per_day = uni(11.0, 15.9);
      es.eccentricity = uni(0.0, 0.03);
      es.bstar = uni(-1e-4, 2e-3);
      if (rng() % 8 == 0) es.eccentricity = 0.0;  // exercises the em < 1e-6 clamp
      break;
    case Kind::near_simple:  // perigee below 220 km: isimp 1
      es.mean_motion_rev_per_day = uni(16.0, 16.4);
      es.eccentricity = uni(0.0, 0.004);
      es.bstar = uni(1e-5, 5e-4);
      break;
    case Kind::high_drag:  // decays, or its eccentricity goes negative, inside the window
      es.mean_motion_rev_per_day = uni(15.6, 16.4);
      es.eccentricity = uni(0.0, 0.01);
      es.bstar = uni(0.02, 0.8);
      break;
    case Kind::bad:
      switch (rng() % 4) {
        case 0:
          es.eccentricity = uni(1.0, 2.0);
          es.mean_motion_rev_per_day = 15.0;
          break;
        case 1:
          es.eccentricity = 0.001;
          es.mean_motion_rev_per_day = -uni(1.0, 15.0);
          break;
        case 2:
          es.eccentricity = 0.001;
          es.mean_motion_rev_per_day = uni(19.0, 25.0);
          break;  // inside the earth
        default:
          es.eccentricity = uni(0.5, 0.9);
          es.mean_motion_rev_per_day = uni(12.0, 15.0);
          break;  // perigee underground
      }
      es.bstar = uni(0.0, 1e-3);
      break;
    case Kind::deep:  // period >= 225 min: GEO, Molniya, GPS-like and ordinary deep orbits
      switch (rng() % 4) {
        case 0:
          es.mean_motion_rev_per_day = uni(0.99, 1.01);
          es.eccentricity = uni(0.0, 0.01);
          break;
        case 1:
          es.mean_motion_rev_per_day = uni(1.99, 2.02);
          es.eccentricity = uni(0.5, 0.75);
          break;
        case 2:
          es.mean_motion_rev_per_day = uni(2.0, 2.01);
          es.eccentricity = uni(0.0, 0.02);
          break;
        default:
          es.mean_motion_rev_per_day = uni(3.0, 6.3);
          es.eccentricity = uni(0.0, 0.3);
          break;
      }
      es.bstar = uni(0.0, 1e-4);
      es.mean_motion_dot = uni(-1e-6, 1e-6);
      break;
  }
  return es;
}

// A mix of all kinds, shuffled so that each vector holds several kinds.
std::vector<Sgp4Record> random_records(std::mt19937_64& rng, std::size_t n) {
  std::vector<Sgp4Record> recs;
  for (std::size_t i = 0; i < n; ++i) {
    const auto r = rng() % 100;
    const Kind kind = r < 50   ? Kind::near_full
                      : r < 65 ? Kind::near_simple
                      : r < 80 ? Kind::high_drag
                      : r < 90 ? Kind::bad
                               : Kind::deep;
    recs.push_back(sgp4_init(random_elements(rng, kind, static_cast<std::uint32_t>(10000 + i))));
  }
  return recs;
}

struct Counts {
  std::size_t ok = 0, errors = 0, near_isimp0 = 0, near_isimp1 = 0, deep = 0, init_errors = 0;
  std::size_t decayed = 0, mean_elements = 0, unphysical = 0;
};

// Compares every output element with the scalar sgp4() at the same tsince.
void expect_matches_scalar(const std::vector<Sgp4Record>& recs, const BatchStates& out,
                           const std::vector<double>& tsince, Counts* counts = nullptr) {
  const std::size_t n = recs.size();
  ASSERT_EQ(out.n_satellites, n);
  ASSERT_EQ(out.x.size(), out.n_times * n);
  double worst_r = 0.0, worst_v = 0.0;
  std::size_t failures = 0;
  for (std::size_t t = 0; t < out.n_times; ++t) {
    for (std::size_t s = 0; s < n; ++s) {
      const std::size_t i = out.index(t, s);
      frames::StateVector sv;
      const Sgp4Error e = sgp4(recs[s], tsince[i], sv);
      if (out.error[i] != e) {
        if (++failures <= 10) {
          ADD_FAILURE() << "satellite " << s << " (norad " << recs[s].norad_id << ", method "
                        << recs[s].method << ", isimp " << recs[s].isimp << ") tsince " << tsince[i]
                        << ": batch error " << static_cast<int>(out.error[i]) << ", scalar "
                        << static_cast<int>(e);
        }
        continue;
      }
      if (counts != nullptr) {
        if (e == Sgp4Error::none)
          ++counts->ok;
        else
          ++counts->errors;
        if (e == Sgp4Error::decayed) ++counts->decayed;
        if (e == Sgp4Error::mean_elements) ++counts->mean_elements;
      }
      if (e != Sgp4Error::none) {
        if (!std::isnan(out.x[i]) || !std::isnan(out.vz[i])) {
          if (++failures <= 10) ADD_FAILURE() << "error lane " << i << " holds a state";
        }
        continue;
      }
      // With strong drag, SGP4's secular polynomial tempa = 1 - cc1 t - ... runs through zero and the
      // model returns "states" that are no orbit (light-speed velocities, millions of km): there
      // rounding differences are amplified without bound, and only the error code is compared.
      if (!(sv.r_km.norm() <= kPhysicalMaxKm && sv.v_km_s.norm() <= kPhysicalMaxKmS)) {
        if (counts != nullptr) ++counts->unphysical;
        continue;
      }
      const double dr = std::max({std::fabs(out.x[i] - sv.r_km.x), std::fabs(out.y[i] - sv.r_km.y),
                                  std::fabs(out.z[i] - sv.r_km.z)});
      const double dv = std::max({std::fabs(out.vx[i] - sv.v_km_s.x), std::fabs(out.vy[i] - sv.v_km_s.y),
                                  std::fabs(out.vz[i] - sv.v_km_s.z)});
      worst_r = std::max(worst_r, dr);
      worst_v = std::max(worst_v, dv);
      if (!(dr <= kPosTolKm && dv <= kVelTolKmS)) {
        if (++failures <= 10) {
          ADD_FAILURE() << "satellite " << s << " (norad " << recs[s].norad_id << ", isimp " << recs[s].isimp
                        << ") tsince " << tsince[i] << ": |dr| " << dr << " km, |dv| " << dv
                        << " km/s at r = (" << sv.r_km.x << ", " << sv.r_km.y << ", " << sv.r_km.z
                        << ") km, |v| " << sv.v_km_s.norm();
        }
      }
    }
  }
  if (counts != nullptr) {
    for (const auto& r : recs) {
      if (r.init_error != Sgp4Error::none)
        ++counts->init_errors;
      else if (r.method == 'd')
        ++counts->deep;
      else if (r.isimp == 1)
        ++counts->near_isimp1;
      else
        ++counts->near_isimp0;
    }
  }
  EXPECT_EQ(failures, 0u);
  std::cout << "  max |dr| " << worst_r << " km, max |dv| " << worst_v << " km/s\n";
}

void expect_bit_identical(const BatchStates& a, const BatchStates& b) {
  ASSERT_EQ(a.n_times, b.n_times);
  ASSERT_EQ(a.n_satellites, b.n_satellites);
  const auto same = [](const std::vector<double>& u, const std::vector<double>& v) {
    return u.size() == v.size() && std::memcmp(u.data(), v.data(), u.size() * sizeof(double)) == 0;
  };
  EXPECT_TRUE(same(a.x, b.x) && same(a.y, b.y) && same(a.z, b.z));
  EXPECT_TRUE(same(a.vx, b.vx) && same(a.vy, b.vy) && same(a.vz, b.vz));
  EXPECT_TRUE(a.error == b.error);
}

TEST(BatchPropagator, KernelNameIsTheBestSupported) {
  const std::string name = BatchPropagator::kernel_name();
  EXPECT_EQ(name, internal::batch_kernel_name(internal::best_batch_kernel()));
  EXPECT_TRUE(name == "avx512" || name == "avx2" || name == "sse2");
  EXPECT_TRUE(internal::batch_kernel_supported(BatchKernel::sse2));
  std::cout << "  run-time kernel: " << name << "\n";
}

TEST(BatchPropagator, RandomElementSetsMatchScalar) {
  std::mt19937_64 rng(test_seed());
  // 203 satellites: not a multiple of any vector width or of the chunk size.
  const std::vector<Sgp4Record> recs = random_records(rng, 203);
  const std::size_t n = recs.size(), n_times = 37;
  std::vector<double> tsince(n * n_times);
  for (std::size_t t = 0; t < n_times; ++t) {
    for (std::size_t s = 0; s < n; ++s) {
      // Mostly a few days around epoch, with some far ones and exact epoch.
      double v = std::uniform_real_distribution<double>(-2880.0, 7200.0)(rng);
      if (t == 0) v = 0.0;
      if (t == 1) v = std::uniform_real_distribution<double>(-1.0e5, 1.0e5)(rng);
      tsince[t * n + s] = v;
    }
  }
  BatchPropagator prop(recs);
  ASSERT_EQ(prop.size(), n);
  for (BatchKernel k : supported_kernels()) {
    SCOPED_TRACE(internal::batch_kernel_name(k));
    std::cout << "kernel " << internal::batch_kernel_name(k) << "\n";
    BatchStates one, two, three;
    BatchAccess::propagate(prop, k, tsince, n_times, one, {.threads = 1});
    Counts c;
    expect_matches_scalar(recs, one, tsince, &c);
    std::cout << "  satellites: " << c.near_isimp0 << " isimp 0, " << c.near_isimp1 << " isimp 1, " << c.deep
              << " deep space, " << c.init_errors << " init errors; states " << c.ok << " valid, " << c.errors
              << " errors (" << c.decayed << " decayed, " << c.mean_elements << " mean elements), "
              << c.unphysical << " past the end of the drag model (codes compared only)\n";
    // The mix must really cover every case.
    EXPECT_GT(c.near_isimp0, 0u);
    EXPECT_GT(c.near_isimp1, 0u);
    EXPECT_GT(c.deep, 0u);
    EXPECT_GT(c.init_errors, 0u);
    EXPECT_GT(c.decayed, 0u);
    EXPECT_GT(c.mean_elements, 0u);
    EXPECT_LT(c.unphysical, c.ok / 20);
    BatchAccess::propagate(prop, k, tsince, n_times, two, {.threads = 2});
    BatchAccess::propagate(prop, k, tsince, n_times, three, {.threads = 3});
    expect_bit_identical(one, two);
    expect_bit_identical(one, three);
  }
}

TEST(BatchPropagator, HighDragDecaysMidWindow) {
  std::mt19937_64 rng(test_seed() + 1);
  std::vector<Sgp4Record> recs;
  while (recs.size() < 24) {
    Sgp4Record r = sgp4_init(random_elements(rng, Kind::high_drag, static_cast<std::uint32_t>(recs.size())));
    if (r.init_error == Sgp4Error::none && r.method == 'n') recs.push_back(r);
  }
  // One satellite per lane, 0..20 days in 30-minute steps: each goes from valid to an error.
  std::vector<double> times;
  for (double m = 0.0; m <= 20.0 * 1440.0; m += 30.0) times.push_back(m);
  const std::vector<double> offsets(recs.size(), 0.0);
  std::vector<double> tsince(times.size() * recs.size());
  for (std::size_t t = 0; t < times.size(); ++t)
    for (std::size_t s = 0; s < recs.size(); ++s) tsince[t * recs.size() + s] = offsets[s] + times[t];
  BatchPropagator prop(recs);
  for (BatchKernel k : supported_kernels()) {
    SCOPED_TRACE(internal::batch_kernel_name(k));
    BatchStates out;
    BatchAccess::propagate_grid(prop, k, offsets, times, out, {.threads = 2});
    expect_matches_scalar(recs, out, tsince);
    std::size_t turned_bad = 0;
    for (std::size_t s = 0; s < recs.size(); ++s) {
      if (out.error[out.index(0, s)] == Sgp4Error::none &&
          out.error[out.index(times.size() - 1, s)] != Sgp4Error::none)
        ++turned_bad;
    }
    EXPECT_GE(turned_bad, recs.size() / 2);
  }
}

TEST(BatchPropagator, StarlinkSnapshotMatchesScalar) {
  const Catalog cat = read_tle_file(std::string(SKYFENCE_DATA_DIR) + "/tle/starlink_2026-04-27.tle");
  ASSERT_GT(cat.sets.size(), 10000u);
  // Every 24th satellite (about 430), one day from 2026-04-27T00:00Z at 10-minute steps.
  std::vector<Sgp4Record> recs;
  for (std::size_t i = 0; i < cat.sets.size(); i += 24) recs.push_back(sgp4_init(cat.sets[i]));
  const double jd_ref = 2461157.5;  // 2026-04-27T00:00:00Z
  std::vector<double> offsets;
  for (const auto& r : recs) offsets.push_back(((jd_ref - r.jdsatepoch) - r.jdsatepochF) * 1440.0);
  std::vector<double> times;
  for (double m = 0.0; m < 1440.0; m += 10.0) times.push_back(m);
  std::vector<double> tsince(times.size() * recs.size());
  for (std::size_t t = 0; t < times.size(); ++t)
    for (std::size_t s = 0; s < recs.size(); ++s) tsince[t * recs.size() + s] = offsets[s] + times[t];

  BatchPropagator prop(recs);
  BatchStates reference;
  prop.propagate_grid(offsets, times, reference, {.threads = 1});
  expect_matches_scalar(recs, reference, tsince);
  for (BatchKernel k : supported_kernels()) {
    SCOPED_TRACE(internal::batch_kernel_name(k));
    std::cout << "kernel " << internal::batch_kernel_name(k) << "\n";
    BatchStates grid, flat;
    BatchAccess::propagate_grid(prop, k, offsets, times, grid, {.threads = 3});
    expect_matches_scalar(recs, grid, tsince);
    // The two ways of giving times are the same arithmetic.
    BatchAccess::propagate(prop, k, tsince, times.size(), flat, {.threads = 2});
    expect_bit_identical(grid, flat);
  }
}

TEST(BatchPropagator, EmptyAndSmallInputs) {
  BatchPropagator empty(std::span<const Sgp4Record>{});
  EXPECT_EQ(empty.size(), 0u);
  BatchStates out;
  empty.propagate({}, 5, out);
  EXPECT_EQ(out.n_times, 5u);
  EXPECT_TRUE(out.x.empty());

  std::mt19937_64 rng(test_seed() + 2);
  std::vector<Sgp4Record> one{sgp4_init(random_elements(rng, Kind::near_full, 1))};
  BatchPropagator single(one);
  const std::vector<double> times{0.0, 10.0, 100.0};
  const std::vector<double> offsets{-5.0};
  single.propagate_grid(offsets, times, out);
  EXPECT_EQ(out.x.size(), 3u);
  expect_matches_scalar(one, out, {-5.0, 5.0, 95.0});
  single.propagate_grid(offsets, {}, out);
  EXPECT_EQ(out.n_times, 0u);
  EXPECT_TRUE(out.error.empty());

  // Moved-from and moved-to objects.
  BatchPropagator moved(std::move(single));
  EXPECT_EQ(moved.size(), 1u);
  EXPECT_THROW(moved.propagate(std::vector<double>(4), 3, out), std::invalid_argument);
  EXPECT_THROW(moved.propagate_grid(std::vector<double>(2), times, out), std::invalid_argument);
}

}  // namespace
}  // namespace skyfence::orbits
