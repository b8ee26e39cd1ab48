// Oracle test of the coverage engine: random small cases (random points with the poles, the
// antimeridian and heights to 100 km; random satellites of the bundled Starlink, OneWeb and Iridium
// snapshots as up to three providers; minimum elevations from -90 to 90 deg; K from 1 to 5; random
// steps). The reference here counts every satellite x point pair per step with
// frames::Topocentric::look at visibility::Fleet::itrf_states, keeps every count, and derives the
// statistics from the stored series by splitting it into runs (a different algorithm from the engine's
// streaming one). compute_coverage and coverage_brute_force must both equal it exactly, for 1, 2 and
// 3 threads. The seed is printed; SKYFENCE_TEST_SEED replays one.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <numbers>
#include <numeric>
#include <random>
#include <span>
#include <stdexcept>
#include <vector>

#include "../visibility/test_support.h"
#include "skyfence/core/units.h"
#include "skyfence/coverage/coverage.h"

namespace skyfence::coverage {
namespace {

using visibility::testing::bundled;
using visibility::testing::random_sites;
using visibility::testing::test_seed;
using visibility::testing::uniform;

std::vector<orbits::ElementSet> random_subset(std::mt19937_64& rng, std::vector<orbits::ElementSet> all,
                                              std::size_t n) {
  std::shuffle(all.begin(), all.end(), rng);
  all.resize(std::min(n, all.size()));
  return all;
}

// Statistics of one series of counts, by runs.
PointStats stats_of(const std::vector<std::uint32_t>& series, std::uint32_t k) {
  PointStats st;
  if (series.empty()) return st;
  st.min_visible = *std::min_element(series.begin(), series.end());
  st.max_visible = *std::max_element(series.begin(), series.end());
  for (std::uint32_t c : series) {
    st.sum_visible += c;
    st.steps_served += c >= k ? 1 : 0;
  }
  std::size_t i = 0;
  while (i < series.size()) {
    if (series[i] >= k) {
      ++i;
      continue;
    }
    std::size_t j = i;
    while (j < series.size() && series[j] < k) ++j;
    ++st.gap_count;
    st.max_gap_steps = std::max(st.max_gap_steps, static_cast<std::uint32_t>(j - i));
    if (i == 0) st.leading_gap_steps = static_cast<std::uint32_t>(j);
    if (j == series.size()) st.trailing_gap_steps = static_cast<std::uint32_t>(j - i);
    i = j;
  }
  st.steps_served_permitted = st.steps_served;  // no permission given: every step is permitted
  return st;
}

struct Reference {
  // counts[provider][point][step]; provider providers.size() is the total.
  std::vector<std::vector<std::vector<std::uint32_t>>> counts;
  std::vector<std::uint64_t> failed;
};

Reference reference_counts(const std::vector<frames::Geodetic>& points,
                           const std::vector<Provider>& providers, const Window& w, double min_el) {
  Reference ref;
  const std::size_t np = providers.size();
  ref.counts.assign(np + 1, std::vector<std::vector<std::uint32_t>>(points.size(),
                                                                    std::vector<std::uint32_t>(w.size(), 0)));
  ref.failed.assign(np, 0);
  std::vector<frames::Topocentric> topo(points.begin(), points.end());
  std::vector<frames::StateVector> states;
  std::vector<orbits::Sgp4Error> errors;
  for (std::size_t k = 0; k < w.size(); ++k) {
    const time::Instant t = w.at(k);
    for (std::size_t p = 0; p < np; ++p) {
      providers[p].fleet->itrf_states(t, states, errors, {.threads = 1});
      for (std::size_t s = 0; s < states.size(); ++s) {
        if (errors[s] != orbits::Sgp4Error::none) {
          ++ref.failed[p];
          continue;
        }
        for (std::size_t i = 0; i < points.size(); ++i) {
          if (topo[i].look(states[s]).elevation_rad >= min_el) {
            ++ref.counts[p][i][k];
            ++ref.counts[np][i][k];
          }
        }
      }
    }
  }
  return ref;
}

void expect_matches(const CoverageResult& r, const Reference& ref, std::uint32_t k, const char* what) {
  ASSERT_EQ(r.providers() + 1, ref.counts.size()) << what;
  EXPECT_EQ(r.failed_states, ref.failed) << what;
  for (std::size_t p = 0; p < ref.counts.size(); ++p) {
    for (std::size_t i = 0; i < r.points(); ++i) {
      const PointStats want = stats_of(ref.counts[p][i], k);
      ASSERT_EQ(r.at(p, i), want) << what << " provider " << r.provider_name(p) << " point " << i;
    }
  }
}

TEST(CoverageOracle, RandomCasesMatchEveryPairReference) {
  std::mt19937_64 rng(test_seed("coverage_oracle"));
  const auto starlink = bundled("starlink_2026-04-27.tle");
  const auto oneweb = bundled("oneweb_2026-03-26.tle");
  const auto iridium = bundled("iridium-next_2026-04-27.tle");
  std::uint64_t total_in_view = 0;
  // Under the sanitizers: one round for each provider count (3 of 6) and two thread counts.
  const int rounds = skyfence_test::kSanitized ? 3 : 6;
  const std::vector<unsigned> thread_counts =
      skyfence_test::kSanitized ? std::vector<unsigned>{1u, 3u} : std::vector<unsigned>{1u, 2u, 3u};
  for (int round = 0; round < rounds; ++round) {
    const visibility::Fleet f0(random_subset(rng, starlink, 120));
    const visibility::Fleet f1(random_subset(rng, oneweb, 60));
    const visibility::Fleet f2(random_subset(rng, iridium, 30));
    std::vector<Provider> providers{{"starlink", &f0}, {"oneweb", &f1}, {"iridium", &f2}};
    providers.resize(1 + static_cast<std::size_t>(round % 3));
    const auto points = random_sites(rng, 60 + rng() % 60);
    const time::Instant w_start =
        time::parse_iso8601("2026-04-27T00:00:00Z") + time::Duration::seconds(uniform(rng, 0, 86400.0));
    const time::Duration w_step = time::Duration::seconds(static_cast<double>(30 + rng() % 300));
    const Window w = Window::of_count(w_start, w_step, 8 + rng() % 10);
    for (double el : {-90.0, -10.0, 0.0, 10.0, 25.0, 40.0, 70.0, 90.0}) {
      const Reference ref = reference_counts(points, providers, w, el * kRadPerDeg);
      for (auto& c : ref.counts.back())
        total_in_view += std::accumulate(c.begin(), c.end(), std::uint64_t{0});
      for (std::uint32_t k : {1u, 2u, 5u}) {
        CoverageOptions o;
        o.min_elevation_rad = el * kRadPerDeg;
        o.min_sats = k;
        o.steps_per_block = 1 + rng() % 6;
        for (unsigned threads : thread_counts) {
          expect_matches(compute_coverage(points, providers, w, o, {.threads = threads}), ref, k,
                         "compute_coverage");
        }
        if (k == 2) {
          expect_matches(coverage_brute_force(points, providers, w, o), ref, k, "coverage_brute_force");
          // Points that do not move: the moving engine gives the same statistics.
          const auto fixed = [&](time::Instant, std::span<frames::Geodetic> out) {
            std::copy(points.begin(), points.end(), out.begin());
          };
          expect_matches(compute_coverage_moving(points.size(), fixed, providers, w, o), ref, k,
                         "compute_coverage_moving, fixed points");
        }
      }
    }
  }
  EXPECT_GT(total_in_view, 0u);
}

// Points that move between steps: the reference counts every pair at each step's positions.
TEST(CoverageOracle, MovingPointsMatchEveryPairAtTheirPositions) {
  std::mt19937_64 rng(test_seed("coverage_oracle moving"));
  const visibility::Fleet f0(random_subset(rng, bundled("starlink_2026-04-27.tle"), 300));
  const visibility::Fleet f1(random_subset(rng, bundled("oneweb_2026-03-26.tle"), 100));
  const std::vector<Provider> providers{{"starlink", &f0}, {"oneweb", &f1}};
  const auto start_points = random_sites(rng, 40);
  const Window w =
      Window::of_count(time::parse_iso8601("2026-04-27T03:00:00Z"), time::Duration::seconds(120.0), 12);
  // Point i drifts east by (i + 1) x 0.5 deg and north by 0.3 deg a step (clamped at the poles).
  const auto where = [&](std::size_t k, std::size_t i) {
    frames::Geodetic g = start_points[i];
    g.lat_rad = std::clamp(g.lat_rad + 0.3 * kRadPerDeg * static_cast<double>(k), -std::numbers::pi / 2,
                           std::numbers::pi / 2);
    g.lon_rad = std::remainder(g.lon_rad + 0.5 * kRadPerDeg * static_cast<double>((i + 1) * k),
                               2.0 * std::numbers::pi);
    return g;
  };
  const auto positions = [&](time::Instant at, std::span<frames::Geodetic> out) {
    const auto k = static_cast<std::size_t>((at - w.start()).count_ns() / w.step().count_ns());
    for (std::size_t i = 0; i < out.size(); ++i) out[i] = where(k, i);
  };
  for (double el : {0.0, 25.0, 50.0}) {
    Reference ref;
    ref.counts.assign(3, std::vector<std::vector<std::uint32_t>>(start_points.size(),
                                                                 std::vector<std::uint32_t>(w.size(), 0)));
    ref.failed.assign(2, 0);
    std::vector<frames::StateVector> states;
    std::vector<orbits::Sgp4Error> errors;
    for (std::size_t k = 0; k < w.size(); ++k) {
      for (std::size_t p = 0; p < 2; ++p) {
        providers[p].fleet->itrf_states(w.at(k), states, errors, {.threads = 1});
        for (std::size_t s = 0; s < states.size(); ++s) {
          if (errors[s] != orbits::Sgp4Error::none) {
            ++ref.failed[p];
            continue;
          }
          for (std::size_t i = 0; i < start_points.size(); ++i) {
            if (frames::Topocentric(where(k, i)).look(states[s]).elevation_rad >= el * kRadPerDeg) {
              ++ref.counts[p][i][k];
              ++ref.counts[2][i][k];
            }
          }
        }
      }
    }
    CoverageOptions o;
    o.min_elevation_rad = el * kRadPerDeg;
    for (unsigned threads : {1u, 2u}) {
      expect_matches(
          compute_coverage_moving(start_points.size(), positions, providers, w, o, {.threads = threads}), ref,
          1, "compute_coverage_moving");
    }
  }
  const auto short_fill = [](time::Instant, std::span<frames::Geodetic>) {};
  EXPECT_NO_THROW(compute_coverage_moving(0, short_fill, providers, w));
  EXPECT_THROW(compute_coverage_moving(3, nullptr, providers, w), std::invalid_argument);
}

// A dense case: many points (so the grid's rows and columns, the antimeridian wrap and the polar
// rows are all exercised) against a fast path with several cell sizes.
TEST(CoverageOracle, DenseGridSeveralCellSizes) {
  std::mt19937_64 rng(test_seed("coverage_oracle dense"));
  const visibility::Fleet fleet(random_subset(rng, bundled("starlink_2026-04-27.tle"), 200));
  const std::vector<Provider> providers{{"starlink", &fleet}};
  std::vector<frames::Geodetic> points;
  for (double lat = -90.0; lat <= 90.0; lat += 7.5) {
    for (double lon = -180.0; lon < 180.0; lon += 7.5) points.push_back(frames::Geodetic::degrees(lat, lon));
  }
  const auto extra = random_sites(rng, 100);
  points.insert(points.end(), extra.begin(), extra.end());
  Window w = Window::of_count(time::parse_iso8601("2026-04-27T06:00:00Z"), time::Duration::seconds(97.0), 6);
  for (double el : {0.0, 25.0, 55.0}) {
    const Reference ref = reference_counts(points, providers, w, el * kRadPerDeg);
    for (double cell : {0.0, 0.1, 1.0, 3.7, 45.0, 180.0}) {
      CoverageOptions o;
      o.min_elevation_rad = el * kRadPerDeg;
      o.cell_deg = cell;
      expect_matches(compute_coverage(points, providers, w, o, {.threads = 2}), ref, 1,
                     "compute_coverage cell size");
    }
  }
}

// Each provider at its own minimum elevation (CoverageOptions::provider_min_elevation_rad); "any" adds
// the counts each made at its own minimum.
TEST(CoverageOracle, PerProviderMinimumElevations) {
  std::mt19937_64 rng(test_seed("coverage_oracle per-provider elevation"));
  const visibility::Fleet f0(random_subset(rng, bundled("starlink_2026-04-27.tle"), 150));
  const visibility::Fleet f1(random_subset(rng, bundled("oneweb_2026-03-26.tle"), 80));
  const std::vector<Provider> providers{{"starlink", &f0}, {"oneweb", &f1}};
  const auto points = random_sites(rng, 120);
  const Window w =
      Window::of_count(time::parse_iso8601("2026-04-27T05:00:00Z"), time::Duration::seconds(300.0), 7);
  const std::vector<double> els{40.0 * kRadPerDeg, 10.0 * kRadPerDeg};
  const Reference r0 = reference_counts(points, providers, w, els[0]);
  const Reference r1 = reference_counts(points, providers, w, els[1]);
  CoverageOptions o;
  o.provider_min_elevation_rad = els;
  o.min_sats = 2;
  for (const CoverageResult& r :
       {compute_coverage(points, providers, w, o), coverage_brute_force(points, providers, w, o)}) {
    for (std::size_t i = 0; i < points.size(); ++i) {
      EXPECT_EQ(r.at(0, i), stats_of(r0.counts[0][i], 2));
      EXPECT_EQ(r.at(1, i), stats_of(r1.counts[1][i], 2));
      std::vector<std::uint32_t> total(w.size());
      for (std::size_t k = 0; k < w.size(); ++k) total[k] = r0.counts[0][i][k] + r1.counts[1][i][k];
      EXPECT_EQ(r.at(2, i), stats_of(total, 2));
    }
  }
  o.provider_min_elevation_rad = {0.1};
  EXPECT_THROW(compute_coverage(points, providers, w, o), std::invalid_argument);
}

// Per-step counts (CoverageOptions::on_step) equal the every-pair reference's, step by step, in input
// point order.
TEST(CoverageOracle, PerStepCountsMatchReference) {
  std::mt19937_64 rng(test_seed("coverage_oracle on_step"));
  const visibility::Fleet f0(random_subset(rng, bundled("starlink_2026-04-27.tle"), 120));
  const visibility::Fleet f1(random_subset(rng, bundled("iridium-next_2026-04-27.tle"), 40));
  const std::vector<Provider> providers{{"starlink", &f0}, {"iridium", &f1}};
  const auto points = random_sites(rng, 90);
  const Window w =
      Window::of_count(time::parse_iso8601("2026-04-27T09:00:00Z"), time::Duration::seconds(120.0), 9);
  const Reference ref = reference_counts(points, providers, w, 10.0 * kRadPerDeg);
  CoverageOptions o;
  o.min_elevation_rad = 10.0 * kRadPerDeg;
  o.steps_per_block = 4;
  std::size_t calls = 0;
  o.on_step = [&](std::size_t step, std::span<const std::vector<std::uint32_t>> in_view,
                  std::span<const std::vector<std::uint8_t>> permitted) {
    EXPECT_EQ(step, calls++);
    EXPECT_TRUE(permitted.empty());
    ASSERT_EQ(in_view.size(), providers.size());
    for (std::size_t p = 0; p < providers.size(); ++p) {
      ASSERT_EQ(in_view[p].size(), points.size());
      for (std::size_t i = 0; i < points.size(); ++i) EXPECT_EQ(in_view[p][i], ref.counts[p][i][step]);
    }
  };
  compute_coverage(points, providers, w, o);
  EXPECT_EQ(calls, w.size());
  calls = 0;
  coverage_brute_force(points, providers, w, o);
  EXPECT_EQ(calls, w.size());
}

// Service permission (CoverageOptions::permission): a pseudo-random permission per provider, point and
// step; the reference counts, per step, the providers whose service is permitted, from the stored
// counts of the every-pair reference.
TEST(CoverageOracle, ServedUnderPermissionMatchesReference) {
  std::mt19937_64 rng(test_seed("coverage_oracle permission"));
  const visibility::Fleet f0(random_subset(rng, bundled("starlink_2026-04-27.tle"), 150));
  const visibility::Fleet f1(random_subset(rng, bundled("oneweb_2026-03-26.tle"), 80));
  const std::vector<Provider> providers{{"starlink", &f0}, {"oneweb", &f1}};
  const auto points = random_sites(rng, 150);
  const Window w =
      Window::of_count(time::parse_iso8601("2026-04-27T03:00:00Z"), time::Duration::seconds(240.0), 14);
  const std::uint64_t salt = rng();
  const auto permitted = [&](std::size_t p, std::size_t step, std::size_t i) {
    return std::mt19937_64(salt ^ (p * 1000003u + step * 7919u + i))() % 3 != 0;
  };
  for (double el : {0.0, 25.0}) {
    const Reference ref = reference_counts(points, providers, w, el * kRadPerDeg);
    for (std::uint32_t k : {1u, 2u}) {
      CoverageOptions o;
      o.min_elevation_rad = el * kRadPerDeg;
      o.min_sats = k;
      o.steps_per_block = 5;
      o.permission = [&](std::size_t p, time::Instant at, std::span<std::uint8_t> out) {
        ASSERT_EQ(out.size(), points.size());
        const auto step =
            static_cast<std::size_t>((at - w.start()).to_seconds() / w.step().to_seconds() + 0.5);
        for (std::size_t i = 0; i < out.size(); ++i) out[i] = permitted(p, step, i) ? 1 : 0;
      };
      for (const CoverageResult& r :
           {compute_coverage(points, providers, w, o), coverage_brute_force(points, providers, w, o)}) {
        std::uint64_t served_any = 0;
        for (std::size_t i = 0; i < points.size(); ++i) {
          std::uint32_t want_any = 0;
          for (std::size_t step = 0; step < w.size(); ++step) {
            std::uint32_t total = 0;
            for (std::size_t p = 0; p < providers.size(); ++p) {
              if (permitted(p, step, i)) total += ref.counts[p][i][step];
            }
            want_any += total >= k ? 1 : 0;
          }
          for (std::size_t p = 0; p < providers.size(); ++p) {
            std::uint32_t want = 0;
            for (std::size_t step = 0; step < w.size(); ++step)
              want += permitted(p, step, i) && ref.counts[p][i][step] >= k ? 1 : 0;
            EXPECT_EQ(r.at(p, i).steps_served_permitted, want) << "provider " << p << " point " << i;
            EXPECT_LE(want, r.at(p, i).steps_served);
          }
          EXPECT_EQ(r.at(2, i).steps_served_permitted, want_any) << "any, point " << i;
          served_any += want_any;
          // Everything but the permitted count is as without a permission.
          PointStats plain = r.at(2, i);
          plain.steps_served_permitted = plain.steps_served;
          EXPECT_EQ(plain, stats_of(ref.counts[2][i], k));
        }
        EXPECT_GT(served_any, 0u);
      }
    }
  }
}

}  // namespace
}  // namespace skyfence::coverage
