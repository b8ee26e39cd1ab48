// Shells, planes and slots of a constellation: where each satellite sits, which is what the plus-grid
// inter-satellite links are laid out from.
//
// Walker presets give them directly (orbits::WalkerSlot). For real catalogs (TLE/OMM) they are inferred
// from the mean elements (infer_planes):
//  1. Each element set's altitude (semi-major axis from the Kozai mean motion by Kepler's third law,
//     WGS-72 mu = 398600.8 km^3/s^2, minus 6378.135 km), inclination, right ascension of the ascending
//     node and argument of latitude u = argument of perigee + mean anomaly are carried to one reference
//     epoch (the median epoch): the node drifts at the J2 secular rate
//         dRAAN/dt = -1.5 n J2 (Re / p)^2 cos i        (Vallado, 4th ed., eq. 9-41; J2 = 0.001082616)
//     and u advances at the mean motion n (the J2 terms of du/dt, < 0.1% of n, are ignored: they only
//     order satellites within a plane).
//  2. Shells: satellites sorted by altitude are split where consecutive altitudes differ by more than
//     shell_altitude_gap_km, then by inclination where consecutive ones differ by more than
//     shell_inclination_gap_deg (single linkage).
//  3. Planes: within a shell, nodes sorted around the circle are split where consecutive nodes differ by
//     more than plane_raan_gap_deg. A plane with fewer than min_plane_satellites satellites is dropped:
//     its satellites fit no plane (they get no inter-satellite links and are listed in `unassigned`),
//     as are satellites of a shell with fewer than min_shell_planes planes.
//  4. Slots: satellites of a plane in increasing argument of latitude from its smallest value.
// A shell whose planes are spread over the whole circle (the gap from its last plane round to its first
// is at most twice the median gap between planes) is a delta: its last plane is adjacent to its first.
// Otherwise (a star, whose first and last planes counter-rotate across the seam) it is not.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "skyfence/orbits/element_set.h"
#include "skyfence/orbits/walker.h"

namespace skyfence::network {

// Where one satellite sits; plane < 0 when it fits no plane.
struct PlaneSlot {
  int shell = -1;
  int plane = -1;  // 0-based within the shell, in increasing RAAN
  int slot = -1;   // 0-based within the plane, in increasing argument of latitude
  [[nodiscard]] bool assigned() const { return plane >= 0; }
  friend bool operator==(const PlaneSlot&, const PlaneSlot&) = default;
};

struct ShellPlanes {
  double altitude_km = 0.0;      // mean over its satellites (inferred) or as generated (Walker)
  double inclination_deg = 0.0;  // likewise
  int planes = 0;
  std::size_t satellites = 0;
  int min_per_plane = 0, max_per_plane = 0;
  // Last plane adjacent to the first (delta pattern); false for a star's seam.
  bool wraps = true;
  // Inter-plane partners: true when slot k of plane j faces slot k of plane j + 1 (Walker layouts, as
  // generated); false when partners are matched by nearest argument of latitude (inferred planes).
  bool slots_aligned = false;
  // Aligned slots only: across the wrap, slot k of the last plane faces slot (k + wrap_slot_shift) mod
  // max_per_plane of the first. A Walker delta i:t/p/f puts "plane p" (plane 0 after a full turn of
  // RAAN) f slots ahead of plane 0 (u_jk = k 360/s + j f 360/t), so the shift is f.
  int wrap_slot_shift = 0;
};

struct PlaneAssignment {
  std::vector<PlaneSlot> of;              // of[i]: satellite i (index into the element sets)
  std::vector<double> arg_latitude_rad;   // at the reference epoch, [0, 2pi); used to pair planes
  std::vector<ShellPlanes> shells;        // shell index -> summary
  std::vector<std::uint32_t> unassigned;  // satellites fitting no plane, increasing
  bool inferred = false;                  // from elements (true) or a Walker layout (false)
};

// From a generated Walker constellation: slots[i] is satellite i's WalkerSlot, shells[s] the shell it
// was generated from (REQUIRES: every slot's shell index in [0, shells.size()), its plane and slot >= 0;
// else std::invalid_argument).
PlaneAssignment planes_from_walker(std::span<const orbits::WalkerSlot> slots,
                                   std::span<const orbits::WalkerShell> shells);

struct PlaneInferenceOptions {
  double shell_altitude_gap_km = 5.0;      // DEFAULT: 5 km
  double shell_inclination_gap_deg = 0.1;  // DEFAULT: 0.1 deg
  double plane_raan_gap_deg = 1.0;         // DEFAULT: 1 deg (Starlink's 53 deg shell: 5 deg between planes)
  int min_plane_satellites = 3;            // DEFAULT: 3
  int min_shell_planes = 1;                // DEFAULT: 1
};

// Infers shells, planes and slots from mean elements as described at the top of this file.
// Deterministic (depends only on the elements, not their order beyond ties, which go by index).
// Cost: O(n log n).
PlaneAssignment infer_planes(std::span<const orbits::ElementSet> sets,
                             const PlaneInferenceOptions& options = {});

// One inter-satellite link between satellites a < b (indices into the fleet).
struct SatellitePair {
  std::uint32_t a = 0, b = 0;
  friend bool operator==(const SatellitePair&, const SatellitePair&) = default;
  friend auto operator<=>(const SatellitePair&, const SatellitePair&) = default;
};

// How a plus grid picks each satellite's partner in the next plane.
enum class IslPairing {
  // Walker layouts: slot k faces slot k, and across the wrap slot (k + phasing) mod s, the satellite
  // nearest in argument of latitude; inferred planes (and planes_in_file_order): a greedy matching of
  // the two planes by smallest difference of argument of latitude, each satellite at most once per
  // side, ties by index.
  nearest,
  // Slot k of plane j to slot (k + shift) mod s of plane j + 1 (s: the shell's largest plane), across
  // the wrap too, with no phasing correction: Hypatia's +Grid generator (satgenpy
  // generate_plus_grid_isls, isl_shift). A slot missing from the next plane leaves no partner.
  same_index,
};

struct PlusGridOptions {
  IslPairing pairing = IslPairing::nearest;  // DEFAULT: nearest
  // same_index only: the slot offset across planes (Hypatia's isl_shift). DEFAULT: 0. Any value
  // (taken modulo the plane size).
  int shift = 0;
};

// The plus-grid ("+Grid") links: each satellite to the previous and next satellite of its plane (the
// plane closes on itself when it has 3 or more), and to one satellite in each adjacent plane of its shell
// (options.pairing). Every satellite thus has at most 4 links. Links are fixed for a run; the per-step
// range and grazing tests drop some. Sorted, without duplicates.
std::vector<SatellitePair> plus_grid_links(const PlaneAssignment& planes,
                                           const PlusGridOptions& options = {});

// Planes given by file order, as Hypatia numbers its satellites (satgenpy's TLE generator writes orbit
// by orbit, and read_tles requires the names' ids to count up from 0): satellite i is slot
// i % per_plane of plane i / per_plane, in one shell that wraps. Arguments of latitude (for the
// nearest pairing) and the shell's altitude and inclination come from the elements, carried to the
// median epoch as infer_planes does. REQUIRES: planes >= 1, per_plane >= 1 and
// sets.size() == planes * per_plane; else std::invalid_argument.
PlaneAssignment planes_in_file_order(std::span<const orbits::ElementSet> sets, int planes, int per_plane);

}  // namespace skyfence::network
