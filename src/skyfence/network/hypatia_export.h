// Export of a skyfence network to Hypatia's formats (github.com/snkas/hypatia, format of commit
// 0ac531c: satgenpy's writers and the ns-3 module's readers), so that Hypatia's ns-3 module can run
// packet-level simulations on it: the static files (tles.txt, ground_stations.txt, isls.txt,
// gsl_interfaces_info.txt, description.txt) and, per time step, the forwarding state fstate_<t_ns>.txt
// and the interface bandwidths gsl_if_bandwidth_<t_ns>.txt.
//
// Hypatia's model: nodes are the satellites [0, S) then the ground stations [S, S + G), node = S + gid.
// Interfaces of a satellite: its ISLs, numbered 0, 1, ... in the order of isls.txt (a link "a b" is the
// next interface of a and of b), then one GSL interface (id = its ISL count); a ground station has one
// GSL interface, id 0. An fstate line "current,destination,next_hop,my_if,next_hop_if" says where
// `current` sends packets for ground station `destination`; "-1,-1,-1" drops them (no route). Entries
// exist for every satellite to every ground station and every ground station to every other: Hypatia
// forwards to ground stations only. The first step's file holds every entry; each later one only the
// entries that changed (satgenpy writes deltas, and the ns-3 reader keeps the others).
//
// Decisions:
//  - The forwarding state is skyfence's routing: per step, one shortest_paths search (graph.h) from each
//    destination ground station over the snapshot's graph, with the flags of routes between end points
//    (ground stations never relay). A node's next hop towards d is its parent in d's search tree, so
//    following the entries from a source ground station walks the reverse of the search's path: the
//    shortest path `skyfence route` reports for that pair (an exact tie in delay between two paths is
//    the only way the two could pick different ones; delays are symmetric).
//  - The network's end points are the ground stations, in order; it must have no gateway or PoP nodes
//    (Hypatia's ns-3 module has no terrestrial links): a caller exports gateways as ground stations.
//  - A candidate ISL dropped at a step (grazing, too long, a satellite without a state) stays in
//    isls.txt (ns-3 builds the links once) and is simply not used by that step's forwarding state.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "skyfence/core/run_context.h"
#include "skyfence/network/planes.h"
#include "skyfence/network/topology.h"
#include "skyfence/orbits/element_set.h"
#include "skyfence/orbits/refit.h"
#include "skyfence/time/instant.h"

namespace skyfence::network {

// One forwarding entry: the next hop node, the interface it leaves by and the one it arrives at; all
// three -1 when the destination is unreachable.
struct HypatiaNextHop {
  std::int32_t node = -1, my_if = -1, next_if = -1;
  friend bool operator==(const HypatiaNextHop&, const HypatiaNextHop&) = default;
};

// Hypatia's interface numbering of the satellites' links, from the links in isls.txt order.
class HypatiaInterfaces {
 public:
  // REQUIRES: every link two distinct satellites < satellites (else std::invalid_argument).
  HypatiaInterfaces(std::size_t satellites, std::span<const SatellitePair> isls);
  // The satellite's number of ISL interfaces, which is also the id of its GSL interface.
  [[nodiscard]] std::int32_t isl_count(std::uint32_t sat) const {
    return static_cast<std::int32_t>(offsets_[sat + 1] - offsets_[sat]);
  }
  // The id of sat's interface to `neighbour`, or -1 when no link joins them.
  [[nodiscard]] std::int32_t isl_interface(std::uint32_t sat, std::uint32_t neighbour) const;

 private:
  std::vector<std::uint32_t> offsets_;    // satellites + 1 entries
  std::vector<std::uint32_t> neighbour_;  // per satellite, in interface order
};

// The forwarding state of one snapshot: table[d * (S + G) + u] is node u's entry towards ground
// station d (u = S + d itself holds the drop entry and is never written out). Searches run in
// parallel over destinations on run.workers() threads; the table does not depend on them. With
// `orders` (one per ground station, kept from the previous step of the same network), each search
// starts from its previous settle order (shortest_paths_reusing: certified, bit-identical parents).
// REQUIRES: network.gateways() == network.pops() == 0, `interfaces` built from
// network.isl_candidates() (else std::invalid_argument). Cost: G searches over the snapshot's graph.
void hypatia_forwarding_state(const Network& network, const Snapshot& snapshot,
                              const HypatiaInterfaces& interfaces, std::vector<HypatiaNextHop>& table,
                              std::vector<std::vector<std::uint32_t>>* orders = nullptr,
                              const RunContext& run = {});

// Appends the fstate lines of `table` (layout above) to out, in satgenpy's order (satellites to every
// ground station, then ground station to ground station, each by node then destination): every entry
// when `previous` is empty, else only those that differ from `previous` (same layout).
void append_hypatia_fstate(std::span<const HypatiaNextHop> table, std::span<const HypatiaNextHop> previous,
                           std::size_t satellites, std::size_t ground_stations, std::string& out);

// The static files' text.
// tles.txt: "ORBITS SATS_PER_ORBIT", then per satellite a name whose second word is its id (the name's
// whitespace becomes '_'; a name that already ends in " <id>" is kept) and its two TLE lines
// (orbits::format_tle). orbits = sats_per_orbit = 0 writes "1 N" (one orbit of all N satellites: the
// ns-3 module uses only the product; satgenpy's own tools need the real layout for a Walker shell).
// REQUIRES: orbits * sats_per_orbit == sets.size() unless both are 0 (else std::invalid_argument).
std::string hypatia_tles_text(std::span<const orbits::ElementSet> sets, int orbits, int sats_per_orbit);
// ground_stations.txt, extended form "gid,name,lat_deg,lon_deg,elev_m,x_m,y_m,z_m" (the form the ns-3
// module reads): positions as skyfence uses them (WGS84; satgenpy computes x, y, z on WGS72, metres
// apart); commas and line breaks in names become '_'.
std::string hypatia_ground_stations_text(std::span<const GroundNode> stations);
// isls.txt: "a b" per link with a < b, in the order given. REQUIRES: no link twice (either orientation),
// no self link (else std::invalid_argument).
std::string hypatia_isls_text(std::span<const SatellitePair> isls);
// gsl_interfaces_info.txt: "node,1,1.000000" for every node (one GSL interface each, aggregate
// bandwidth 1, as satgenpy's free-one algorithms).
std::string hypatia_gsl_interfaces_info_text(std::size_t satellites, std::size_t ground_stations);
// description.txt: max_gsl_length_m and max_isl_length_m, 10 decimals (satgenpy's writer).
std::string hypatia_description_text(double max_gsl_length_km, double max_isl_length_km);
// gsl_if_bandwidth_0.txt: "node,gsl_if,1.000000" for every node; later steps' files are empty (the
// bandwidths never change, and satgenpy writes only changes).
std::string hypatia_gsl_if_bandwidth_text(const HypatiaInterfaces& interfaces, std::size_t satellites,
                                          std::size_t ground_stations);

// epoch_refit.csv: per satellite (id = place in tles.txt), how its element set was brought to the
// export's start (orbits::refit_to_epoch): "id,norad_id,name,original_epoch_utc,refitted,
// max_position_error_km,sgp4_error", the error over the window in km with 6 decimals; for a set that
// cannot propagate it is empty and sgp4_error is the reference's error code (orbits::Sgp4Error, 1-6).
// Commas and line breaks in names become '_'. REQUIRES: one result per original (else
// std::invalid_argument).
std::string hypatia_refit_report_text(std::span<const orbits::ElementSet> originals,
                                      std::span<const orbits::RefitResult> results);

struct HypatiaExportOptions {
  // tles.txt's first line (hypatia_tles_text). DEFAULT: 0, 0 ("1 N").
  int orbits = 0, sats_per_orbit = 0;
  // Replace a folder that exists and is not empty. DEFAULT: false (refuse).
  bool overwrite = false;
  // epoch_refit.csv's text (hypatia_refit_report_text), written with the static files. DEFAULT: empty
  // (no such file: the element sets were written as they are).
  std::string refit_report;
};

struct HypatiaExportSummary {
  std::size_t steps = 0;
  std::size_t fstate_lines = 0;    // over all steps (the first step's are every entry)
  std::size_t drop_entries = 0;    // "-1,-1,-1" entries, summed over steps (whole tables, not lines)
  double max_gsl_length_km = 0.0;  // written to description.txt
  double max_isl_length_km = 0.0;
  std::int64_t step_ns = 0;  // ns-3's dynamic_state_update_interval_ns
};

// Writes the whole export into folder `dir`: the static files and, for each of `times` (t_ns = time
// since times.front(), in nanoseconds), fstate_<t_ns>.txt and gsl_if_bandwidth_<t_ns>.txt.
// description.txt gives the network's ground-link slant-range and ISL range limits when set, else the
// longest ground link and ISL up at any step (skyfence then limits links by elevation and grazing).
// The files are written into DIR.tmp-PID beside it, then renamed to DIR, so a failed or interrupted
// export leaves nothing (the temporary folder is removed); an existing empty DIR is replaced, a
// non-empty one only with options.overwrite (renamed to DIR.old-PID, removed once the new one is in
// place). Progress ("export", share of steps) and stop requests through `run` (skyfence::Cancelled).
// REQUIRES (else std::invalid_argument): as hypatia_forwarding_state; sets.size() == satellites; at
// least one time, evenly spaced by a positive step, increasing. Throws InputError for a DIR that is a
// file, a non-empty DIR without overwrite, a missing parent folder or a name that is no folder's ("."
// or "..", trailing slashes aside); std::runtime_error when writing fails.
HypatiaExportSummary export_hypatia_state(const Network& network, std::span<const orbits::ElementSet> sets,
                                          std::span<const time::Instant> times, const std::string& dir,
                                          const HypatiaExportOptions& options, const RunContext& run = {});

}  // namespace skyfence::network
