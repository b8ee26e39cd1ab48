// The network's topology as its users state it: `skyfence route`'s options, skyfence.route's arguments
// and a scenario provider's fields (isl_pairing, isl_shift, isls, gsl_max_range_km) turned into the
// candidate inter-satellite links and the ground-link rule, one way for all of them.
//
// Decisions:
//  - An explicit link list (isls_file) replaces the plus grid; the pairing and shift then do not apply.
//  - A slant-range limit on ground links puts both elevation masks at the horizon (Hypatia's rule: any
//    satellite within the range is usable); callers refuse an elevation mask given with it.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "skyfence/network/hypatia.h"
#include "skyfence/network/planes.h"
#include "skyfence/network/topology.h"
#include "skyfence/orbits/element_set.h"

namespace skyfence::network {

// "nearest" or "same-index" (the names of --isl-pairing and isl_pairing); nullopt for any other name.
std::optional<IslPairing> isl_pairing_named(std::string_view name);

// How the candidate inter-satellite links are chosen.
struct IslChoice {
  PlusGridOptions grid;   // DEFAULT: nearest pairing, shift 0
  std::string isls_file;  // DEFAULT: empty (the plus grid). Else the links of this file (read_isl_list_file)
};

// The candidate links over `sets`: the file's (indices and NORAD ids resolved against `sets`; InputError
// at its file and line), else the plus grid over the planes `planes()` returns (called only then, so a
// caller's plane report or inference runs only when used). Sorted, without duplicates.
std::vector<SatellitePair> candidate_isls(const IslChoice& choice, std::span<const orbits::ElementSet> sets,
                                          const std::function<PlaneAssignment()>& planes);

// The links of `links` (indices into `from`) between satellites that are also in `to`, as indices into
// `to`: satellites matched by NORAD id (the first of `to` with the id). Links to a satellite missing from
// `to` are left out (a failed satellite has no links). Sorted. Cost: O((|from| + |to|) log |to| + links).
std::vector<SatellitePair> carry_links(std::span<const SatellitePair> links,
                                       std::span<const orbits::ElementSet> from,
                                       std::span<const orbits::ElementSet> to);

// Limits ground links of end points and gateways by slant range instead of elevation: gsl_max_range_km
// becomes `max_range_km` and both masks go to the horizon (0 rad). max_range_km == 0 leaves `options`
// as they are (no limit). REQUIRES: max_range_km >= 0 (else std::invalid_argument).
void limit_ground_links_by_range(NetworkOptions& options, double max_range_km);

// Hypatia's static state (docs/network.md, "Hypatia's static state"): what it sets unless the caller's
// options given explicitly say otherwise, for `skyfence route --hypatia-state` and skyfence.route's
// hypatia_state= alike.
struct HypatiaOverrides {
  bool pairing_given = false;        // a pairing (or a link file) replaces the state's isls.txt
  bool ground_rule_given = false;    // a slant range or an elevation mask replaces its max_gsl_length_m
  bool isl_max_range_given = false;  // an ISL range replaces its max_isl_length_m
};

// The state's ground-link slant range (with both masks at the horizon) and ISL range limit, each unless
// overridden; then network::check(options) (std::invalid_argument).
void apply_hypatia_limits(const HypatiaDescription& description, const HypatiaOverrides& given,
                          NetworkOptions& options);

// The candidate links over the state's satellites: choice.isls_file when given, else the state's isls.txt
// unless a pairing was given, else the plus grid with choice.grid over the state's planes in file order.
std::vector<SatellitePair> hypatia_candidate_isls(const HypatiaState& state, const IslChoice& choice,
                                                  const HypatiaOverrides& given);

}  // namespace skyfence::network
