// Walker constellations: circular-orbit element sets laid out as Walker delta or Walker star patterns.
//
// J. G. Walker, "Satellite constellations", J. British Interplanetary Society 37 (1984) 559-572.
// A shell written i:t/p/f (inclination, t satellites, p planes of s = t/p satellites, phasing f in
// 0..p-1) puts plane j (0-based) at right ascension
//     RAAN_j = raan0 + j * dRAAN         dRAAN = 360/p (delta), 180/p or an explicit step (star)
// and slot k of plane j at argument of latitude
//     u_jk = u0 + k * 360/s + j * f * 360/t,
// so adjacent planes are offset by f/p of the in-plane slot spacing. In a delta pattern the planes
// cover the whole equator and the offset closes on itself after p planes; in a star pattern
// (near-polar orbits: Iridium, OneWeb) the planes cover about half of it, the satellites of the first
// and last planes counter-rotating across the "seam".
//
// The generated element sets are SGP4 mean elements: eccentricity 0, argument of perigee 0 (so the mean
// anomaly is the argument of latitude), bstar and mean-motion derivatives 0 (no drag: the shell stays at
// its altitude), mean motion from the altitude (see mean_motion_for_altitude).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "skyfence/orbits/element_set.h"
#include "skyfence/time/instant.h"

namespace skyfence::orbits {

// Synthetic NORAD ids: generated satellites are numbered from kFirstSyntheticNoradId upward, inside
// [kFirstSyntheticNoradId, kLastSyntheticNoradId] = [270000, 339999], the top of the range a TLE can
// hold (Alpha-5 "T0000".."Z9999"), which the real catalog (about 67,000 objects in 2026) will not reach
// for decades. Ids are unique within one generated constellation; to combine several, give each a
// different WalkerOptions::first_norad_id.
inline constexpr std::uint32_t kFirstSyntheticNoradId = 270000;
inline constexpr std::uint32_t kLastSyntheticNoradId = 339999;

enum class WalkerPattern {
  delta,  // planes spread over 360 degrees of right ascension
  star,   // planes spread over 180 degrees (or an explicit RAAN step)
};

// One shell of a Walker constellation.
struct WalkerShell {
  double altitude_km = 0.0;      // REQUIRES: 100 <= altitude_km <= 40000; mean altitude above 6378.135 km
  double inclination_deg = 0.0;  // REQUIRES: 0..180
  int planes = 0;                // p. REQUIRES: >= 1
  int sats_per_plane = 0;        // s = t/p. REQUIRES: >= 1
  int phasing = 0;               // Walker f. REQUIRES: 0 <= f < p
  WalkerPattern pattern = WalkerPattern::delta;
  // Star only: RAAN step between adjacent planes, degrees. DEFAULT: 0, meaning 180/p.
  // REQUIRES: 0 < step and step * (p - 1) < 360 when given. Ignored for delta (always 360/p).
  double raan_step_deg = 0.0;
  double raan0_deg = 0.0;  // RAAN of plane 0. DEFAULT: 0
  double u0_deg = 0.0;     // argument of latitude of slot 0 of plane 0. DEFAULT: 0

  [[nodiscard]] int total() const { return planes * sats_per_plane; }
  // The RAAN step actually used: 360/p (delta), raan_step_deg or 180/p (star).
  [[nodiscard]] double effective_raan_step_deg() const;
};

// Where a generated satellite sits: 0-based indices of its shell, plane and slot within the plane.
struct WalkerSlot {
  int shell = 0;
  int plane = 0;
  int slot = 0;
  friend bool operator==(const WalkerSlot&, const WalkerSlot&) = default;
};

// Generated element sets and their slots, index for index (slots[i] is where sets[i] sits).
struct GeneratedConstellation {
  std::vector<ElementSet> sets;
  std::vector<WalkerSlot> slots;
};

struct WalkerOptions {
  // Name prefix: satellites are named "<prefix>-<shell>-<plane>-<slot>" (0-based indices, plane and slot
  // zero-padded to the width of the shell's largest index, e.g. "KUIPER-2-07-03"). DEFAULT: "WALKER".
  std::string prefix = "WALKER";
  // NORAD id of the first satellite; the others follow in order. DEFAULT: kFirstSyntheticNoradId.
  // REQUIRES: the last id stays <= kLastSyntheticNoradId when the sets are to be written as TLE.
  std::uint32_t first_norad_id = kFirstSyntheticNoradId;
};

// Kozai mean motion (rev/day, as in a TLE) of a circular orbit whose SGP4 geocentric radius, averaged
// over one revolution, is 6378.135 km (the WGS-72 equatorial radius SGP4 uses) + altitude_km.
//
// Why not Kepler's third law: SGP4 reads the TLE's Kozai mean motion, converts it to a Brouwer mean
// motion (sgp4_init's no_unkozai, J2 correction ~0.1%) and then adds J2 short-period terms to the
// radius. Without drag and for e = 0, the radius SGP4 returns is
//     r = a * (1 - e' cos E) * (1 - 0.75 J2 (3 cos^2 i - 1) / a^2) + 0.25 J2 sin^2 i cos(2u) / a
// (earth radii; a = (xke / n_Brouwer)^(2/3); e' ~ 1e-3 is the J3 long-period eccentricity SGP4 adds),
// whose average over a revolution is a (1 + e'^2 / 2) - 0.75 J2 (3 cos^2 i - 1) / a. This function solves
// that for a, takes n_Brouwer = xke / a^1.5 and inverts SGP4's Kozai-to-Brouwer conversion by fixed-point
// iteration. (Kepler's third law with the nominal radius, written as the TLE mean motion, would leave the
// mean radius off by about -0.25 J2 (3 cos^2 i - 1) / a: 0.1 km at 53 degrees, 1.5 km for polar shells.)
// Accuracy: the SGP4 radius averaged over whole revolutions equals 6378.135 + altitude_km within 1 m
// (measured: 2 cm or less from 340 to 2000 km, any inclination; the ignored terms are O(J2^2)); the
// instantaneous radius stays within 10 km of it (the J3 eccentricity, up to ~7 km, and the cos 2u term,
// ~1.6 km). Test: tests/unit/orbits/walker_test.cpp (WalkerAltitude.Sgp4MeanRadiusEqualsNominal).
// REQUIRES: 100 <= altitude_km <= 40000, 0 <= inclination_deg <= 180 (else InputError).
double mean_motion_for_altitude(double altitude_km, double inclination_deg);

// Generates the shells in order (shell, then plane, then slot) at `epoch`. Throws InputError naming the
// shell and field when a shell breaks a REQUIRES above. Cost: O(total satellites).
GeneratedConstellation generate_walker(std::span<const WalkerShell> shells, time::Instant epoch,
                                       const WalkerOptions& options = {});

}  // namespace skyfence::orbits
