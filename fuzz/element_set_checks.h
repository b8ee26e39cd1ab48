// The documented ranges of an accepted element set, checked by the fuzz targets of every catalog
// reader (TLE, OMM): finite values, inclination 0..180 deg, node, perigee and anomaly 0..360 deg,
// 0 <= e < 1, mean motion > 0, classification U/C/S, ephemeris type 0 or 2.
#pragma once

#include <cmath>

#include "check.h"
#include "skyfence/orbits/element_set.h"

namespace skyfence::fuzz {

inline void check_element_set_ranges(const orbits::ElementSet& es) {
  check(std::isfinite(es.mean_motion_dot) && std::isfinite(es.mean_motion_ddot) && std::isfinite(es.bstar),
        "finite derivatives and bstar");
  check(es.inclination_deg >= 0.0 && es.inclination_deg <= 180.0, "inclination in 0..180 deg");
  check(es.raan_deg >= 0.0 && es.raan_deg <= 360.0, "node in 0..360 deg");
  check(es.arg_perigee_deg >= 0.0 && es.arg_perigee_deg <= 360.0, "perigee in 0..360 deg");
  check(es.mean_anomaly_deg >= 0.0 && es.mean_anomaly_deg <= 360.0, "anomaly in 0..360 deg");
  check(es.eccentricity >= 0.0 && es.eccentricity < 1.0, "0 <= e < 1");
  check(es.mean_motion_rev_per_day > 0.0 && std::isfinite(es.mean_motion_rev_per_day), "mean motion > 0");
  check(es.classification == 'U' || es.classification == 'C' || es.classification == 'S', "classification");
  check(es.ephemeris_type == 0 || es.ephemeris_type == 2, "ephemeris type 0 or 2");
}

}  // namespace skyfence::fuzz
