// Hypatia's static state (github.com/snkas/hypatia, satgenpy), read as skyfence values, and the
// explicit inter-satellite link lists of `skyfence route --isls`.
//
// Hypatia's generator writes, per constellation and set of ground stations, a folder with:
//  - tles.txt: a first line "ORBITS SATS_PER_ORBIT", then name / line 1 / line 2 per satellite. The
//    satellite id is its place in the file, orbit by orbit (id = orbit * SATS_PER_ORBIT + index; its
//    reader requires the name's second word to count up from 0). One common epoch.
//  - ground_stations.txt: "gid,name,lat_deg,lon_deg,elev_m" and, in its extended form, ",x_m,y_m,z_m"
//    (ECEF on WGS72); gid counts up from 0; node number of a ground station = satellites + gid.
//  - isls.txt: "a b" per line, satellite ids, a < b, no duplicates.
//  - description.txt: "key=value" lines; max_gsl_length_m (the slant-range limit of ground links) and
//    max_isl_length_m (Hypatia stops when a link is longer).
//
// Decisions:
//  - Ground station ids are their names (skyfence routes by site id), so a name may appear only once.
//    Their positions are taken from latitude, longitude and elevation on WGS84 (skyfence's ground
//    model); the extended file's WGS72 x, y, z are checked for being numbers and otherwise not used.
//  - isls.txt is read as Hypatia's read_isls does (a < b, ids below the satellite count, no duplicate);
//    the CSV form of read_isl_list takes NORAD ids in either order and rejects self links and a pair
//    given twice in either orientation.
//  - Errors are InputError located at file and line, naming the field.
#pragma once

#include <cstdint>
#include <limits>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "skyfence/network/planes.h"
#include "skyfence/network/topology.h"
#include "skyfence/orbits/element_set.h"

namespace skyfence::network {

// tles.txt: the satellites in file order and the header's plane layout.
struct HypatiaTles {
  int orbits = 0, sats_per_orbit = 0;
  std::vector<orbits::ElementSet> satellites;  // satellites[id]
};

// REQUIRES (else InputError at the line): a header of two integers >= 1; exactly orbits *
// sats_per_orbit element sets (read strictly by orbits::read_tle, 3-line form) whose names end in
// their id; one epoch for all.
HypatiaTles read_hypatia_tles(std::string_view text, std::string_view source);
HypatiaTles read_hypatia_tles_file(const std::string& path);

// ground_stations.txt, basic (5 fields) or extended (8 fields). REQUIRES (else InputError): gid
// counting up from 0, latitude in [-90, 90], longitude in [-180, 180], finite elevation, distinct
// non-empty names; at least one station.
std::vector<GroundNode> read_hypatia_ground_stations(std::string_view text, std::string_view source);
std::vector<GroundNode> read_hypatia_ground_stations_file(const std::string& path);

// description.txt: the two limits, in km (key=value lines; other keys are ignored). REQUIRES (else
// InputError): both keys present once, values finite and > 0.
struct HypatiaDescription {
  double max_gsl_length_km = std::numeric_limits<double>::infinity();
  double max_isl_length_km = std::numeric_limits<double>::infinity();
};
HypatiaDescription read_hypatia_description(std::string_view text, std::string_view source);
HypatiaDescription read_hypatia_description_file(const std::string& path);

// An explicit list of inter-satellite links, in one of two forms told apart by the first line that is
// not blank:
//  - Hypatia's isls.txt: "a b" per line (whitespace-separated satellite indices into `satellites`,
//    a < b, as Hypatia's read_isls requires);
//  - CSV with a header naming columns norad_a and norad_b (any order, other columns ignored; a
//    comma on the first line selects this form): one link per row between two NORAD ids of
//    `satellites`, in either order.
// REQUIRES (else InputError at file and line, naming the field): every index or id known, no self
// link, no link given twice (either orientation), at least one link. Returns the links sorted.
std::vector<SatellitePair> read_isl_list(std::string_view text, std::string_view source,
                                         std::span<const orbits::ElementSet> satellites);
std::vector<SatellitePair> read_isl_list_file(const std::string& path,
                                              std::span<const orbits::ElementSet> satellites);

// The whole folder: DIR/tles.txt, ground_stations.txt, isls.txt and description.txt.
struct HypatiaState {
  HypatiaTles tles;
  std::vector<GroundNode> ground_stations;  // ground_stations[gid]
  std::vector<SatellitePair> isls;          // sorted
  HypatiaDescription description;
};
HypatiaState read_hypatia_state(const std::string& dir);

// Hypatia's slant-range limit for ground links (satgenpy's main_*.py): the hypotenuse of the
// satellite's cone radius on the ground and its altitude, sqrt(cone_radius^2 + altitude^2), a flat-
// Earth triangle. Starlink-550: cone radius 940.7 km (the ground radius of a 25 deg elevation mask at
// 550 km, from the FCC filing SAT-MOD-20181108-00083) and 550 km give 1089.686 km, the slant range of
// a 26.2 deg elevation on the 6378.135 km sphere at 550 km (25 deg would be 1123.4 km); at the shell's
// SGP4 mean altitude, about 509 km (its 15.19 rev/day), it is 23.6 deg.
double hypatia_max_gsl_length_km(double cone_radius_km, double altitude_km);

}  // namespace skyfence::network
