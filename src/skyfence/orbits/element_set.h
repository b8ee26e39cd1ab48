// Mean element sets (the "GP" data of TLE and CCSDS OMM), as read, before SGP4 initialisation.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "skyfence/core/error.h"
#include "skyfence/time/instant.h"

namespace skyfence::orbits {

// One element set. Angles in degrees and mean motion in revolutions/day as published (TLE/OMM);
// conversion to SGP4's radians and radians/minute happens in sgp4_init.
struct ElementSet {
  std::string name;                      // object name ("STARLINK-1007"); may be empty (2-line TLE)
  std::uint32_t norad_id = 0;            // catalog number (Alpha-5 decoded: "A0000" -> 100000)
  char classification = 'U';             // U, C or S
  std::string international_designator;  // "1958-002B" (OMM) or "58002B" (TLE) as given
  time::Instant epoch;                   // UTC epoch of the elements (exact to the nanosecond)
  double mean_motion_dot = 0.0;          // first derivative of mean motion / 2, rev/day^2 (TLE field)
  double mean_motion_ddot = 0.0;         // second derivative / 6, rev/day^3 (TLE field)
  double bstar = 0.0;                    // drag term, 1/earth radii
  int ephemeris_type = 0;
  int element_set_no = 0;
  double inclination_deg = 0.0;
  double raan_deg = 0.0;  // right ascension of the ascending node
  double eccentricity = 0.0;
  double arg_perigee_deg = 0.0;
  double mean_anomaly_deg = 0.0;
  double mean_motion_rev_per_day = 0.0;
  long rev_at_epoch = 0;

  // Every field equal, doubles compared exactly with ==: what the reader round-trip tests check.
  friend bool operator==(const ElementSet&, const ElementSet&) = default;
};

// A problem with one record of a catalog file; the record was skipped.
using RecordIssue = InputIssue;

// The result of reading a catalog: the good element sets, and what was wrong with the others.
struct Catalog {
  std::vector<ElementSet> sets;
  std::vector<RecordIssue> rejected;  // records skipped (with --strict the reader throws instead)
  std::vector<RecordIssue> warnings;  // accepted with a warning (e.g. a bad checksum when allowed)
};

}  // namespace skyfence::orbits
