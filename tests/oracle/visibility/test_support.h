// Shared pieces of the visibility oracle tests: random sites and orbits (the seed: tests/test_seed.h).
#pragma once

#include <cstdint>
#include <cstdlib>
#include <iostream>
#include <random>
#include <string>
#include <vector>

#include "../../test_seed.h"
#include "skyfence/frames/frames.h"
#include "skyfence/orbits/element_set.h"
#include "skyfence/orbits/tle.h"
#include "skyfence/time/scales.h"

namespace skyfence::visibility::testing {

using skyfence_test::test_seed;

inline double uniform(std::mt19937_64& rng, double a, double b) {
  return std::uniform_real_distribution<double>(a, b)(rng);
}

// Random sites, a fraction of them on the hard cases: the poles, both sides of the antimeridian,
// the equator, high and below-sea-level altitudes (earth::Site allows -11 to 100 km).
inline std::vector<frames::Geodetic> random_sites(std::mt19937_64& rng, std::size_t n) {
  std::vector<frames::Geodetic> out;
  for (std::size_t i = 0; i < n; ++i) {
    double lat = std::asin(uniform(rng, -1.0, 1.0)) * 180.0 / 3.141592653589793;
    double lon = uniform(rng, -180.0, 180.0);
    double alt = uniform(rng, -0.1, 3.0);
    switch (rng() % 10) {
      case 0:
        lat = (rng() % 2 != 0U) ? 90.0 : -90.0;
        break;
      case 1:
        lon = (rng() % 2 != 0U) ? 180.0 : -179.9999999;
        break;
      case 2:
        lat = uniform(rng, -1e-6, 1e-6);
        break;
      case 3:
        alt = uniform(rng, 10.0, 100.0);
        break;
      case 4:
        alt = -11.0;
        break;
      case 5:
        lat = (rng() % 2 != 0U) ? uniform(rng, 89.0, 90.0) : uniform(rng, -90.0, -89.0);
        break;
      default:
        break;
    }
    out.push_back(frames::Geodetic::degrees(lat, lon, alt));
  }
  return out;
}

// Random near-circular to mildly eccentric orbits from 300 to 2000 km (and a few MEO), epochs within
// two days of `epoch`.
inline std::vector<orbits::ElementSet> random_orbits(std::mt19937_64& rng, std::size_t n, time::Instant epoch,
                                                     bool include_meo = true) {
  std::vector<orbits::ElementSet> out;
  for (std::size_t i = 0; i < n; ++i) {
    orbits::ElementSet es;
    es.norad_id = static_cast<std::uint32_t>(90000 + i);
    es.name = "RANDOM-" + std::to_string(i);
    es.epoch = epoch + time::Duration::seconds(uniform(rng, -2.0, 2.0) * 86400.0);
    es.inclination_deg = uniform(rng, 0.0, 180.0);
    es.raan_deg = uniform(rng, 0.0, 360.0);
    es.arg_perigee_deg = uniform(rng, 0.0, 360.0);
    es.mean_anomaly_deg = uniform(rng, 0.0, 360.0);
    const double alt =
        include_meo && rng() % 10 == 0 ? uniform(rng, 2000.0, 20000.0) : uniform(rng, 300.0, 2000.0);
    const double a = 6378.135 + alt;
    es.mean_motion_rev_per_day = 86400.0 / (2.0 * 3.141592653589793 * std::sqrt(a * a * a / 398600.8));
    es.eccentricity = rng() % 3 == 0 ? 0.0 : uniform(rng, 0.0, 0.05);
    if (a * (1.0 - es.eccentricity) < 6378.135 + 250.0) es.eccentricity = 0.0;
    es.bstar = uniform(rng, 0.0, 1e-4);
    out.push_back(es);
  }
  return out;
}

inline std::vector<orbits::ElementSet> bundled(const std::string& file) {
  return orbits::read_tle_file(std::string(SKYFENCE_DATA_DIR) + "/tle/" + file).sets;
}

}  // namespace skyfence::visibility::testing
