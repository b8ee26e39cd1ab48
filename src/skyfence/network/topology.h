// The network at one instant: a graph whose nodes are satellites, gateways, points of presence (PoPs)
// and end points (terminals, cities), and whose edges carry one-way propagation delays.
//
// Links, per step:
//  - inter-satellite links (ISLs): the fixed candidate pairs (plus_grid_links, or none for bent-pipe
//    operation) whose two satellites both propagated, whose length is at most isl_max_range_km, and
//    whose straight segment stays above isl_grazing_altitude_km everywhere (distance of the segment from
//    the Earth's centre >= 6378.137 km, the WGS84 equatorial radius, + the grazing altitude: the
//    conservative sphere). Delay: length / c.
//  - up/down links: an end point to every satellite at or above user_min_elevation_rad, a gateway to
//    every satellite at or above gateway_min_elevation_rad (WGS84 local vertical, visibility::in_view,
//    no refraction), and no farther than gsl_max_range_km; with a ServingHold (Starlink's slots), an end
//    point links only to the satellite it is held to. Delay: slant range / c.
//  - fibre: each gateway to its nearest PoP, and (ground_relay) every PoP to every other PoP. Length:
//    great-circle distance on the sphere of radius 6371.0088 km (IUGG mean radius R1) times
//    fibre_route_factor; speed c / fibre_refractive_index. A gateway is not a router: its down link and
//    its fibre form one edge satellite -> PoP (Graph::via names the gateway), so traffic never goes
//    satellite -> gateway -> satellite; it leaves through a PoP.
// c = 299792.458 km/s (exact, SI). Links through the air use the vacuum speed (the troposphere adds
// under 0.01 ms).
//
// Node numbering: satellites [0, S), gateways [S, S+G), PoPs [S+G, S+G+P), end points after them.
// End points never relay. PoPs relay city-to-city traffic only with ground_relay. Gateway nodes have no
// edges of their own (see fibre above); they appear in paths through Graph::via.
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <memory>
#include <numbers>
#include <span>
#include <string>
#include <vector>

#include "skyfence/core/run_context.h"
#include "skyfence/frames/frames.h"
#include "skyfence/network/graph.h"
#include "skyfence/network/planes.h"
#include "skyfence/orbits/sgp4.h"
#include "skyfence/time/instant.h"
#include "skyfence/visibility/fleet.h"
#include "skyfence/visibility/in_view.h"

namespace skyfence::network {

inline constexpr double kSpeedOfLightKmS = 299792.458;
// Refractive index of silica single-mode fibre (group index about 1.467-1.468 at 1550 nm, e.g. Corning
// SMF-28 data sheet), rounded as network simulators do: light in fibre at c / 1.47.
inline constexpr double kFibreRefractiveIndex = 1.47;
inline constexpr double kMeanEarthRadiusKm = 6371.0088;   // IUGG R1 (Moritz, Geodetic Reference System 1980)
inline constexpr double kPolarEarthRadiusKm = 6356.7523;  // WGS84 semi-minor axis
inline constexpr double kEquatorialEarthRadiusKm = 6378.137;

enum class IslMode { plus_grid, none };

// The REQUIRES ranges are checked by check(NetworkOptions), which the Network constructor calls. The
// upper bounds catch unit mistakes (metres for km, degrees for radians), not physics.
struct NetworkOptions {
  IslMode isl = IslMode::plus_grid;  // DEFAULT: plus_grid
  // DEFAULT: no limit (the grazing test alone limits a 550 km shell's ISLs to about 5016 km).
  // REQUIRES: > 0 (infinity: no limit).
  double isl_max_range_km = std::numeric_limits<double>::infinity();
  double isl_grazing_altitude_km = 80.0;  // DEFAULT: 80 km. REQUIRES: in [0, 10000)
  // DEFAULT: 25 deg for both (the minimum elevation of Starlink's FCC filings, SAT-MOD-20181108-00083).
  // REQUIRES: in [-pi/2, pi/2].
  double user_min_elevation_rad = 25.0 * std::numbers::pi / 180.0;
  double gateway_min_elevation_rad = 25.0 * std::numbers::pi / 180.0;
  // Longest ground link (slant range, km), for end points and gateways alike, on top of the elevation
  // masks: Hypatia's limit (max_gsl_length_m), used with both masks at 0 (the horizon). DEFAULT: no
  // limit. REQUIRES: > 0 (infinity: no limit).
  double gsl_max_range_km = std::numeric_limits<double>::infinity();
  // Fibre length over great-circle distance. DEFAULT: 1.5 (a modelling assumption: terrestrial routes
  // are longer than the great circle; no single published value applies). REQUIRES: in [1, 100].
  double fibre_route_factor = 1.5;
  double fibre_refractive_index = kFibreRefractiveIndex;  // DEFAULT: 1.47. REQUIRES: in [1, 10]
  // City-to-city routes may go down to a gateway and over fibre between PoPs (as bent-pipe traffic
  // must). DEFAULT: true. false: satellites only (as Hypatia's city-to-city studies).
  bool ground_relay = true;
  // Build the satellite -> PoP edges through gateways. DEFAULT: true. false saves time when no route
  // can use them (city-to-city over satellites only, no routes to the internet): routes between end
  // points are then the same as with ground_relay false.
  bool gateway_links = true;
};

// Throws std::invalid_argument naming the first field outside its REQUIRES range (e.g. "network:
// user_min_elevation_rad must lie in [-pi/2, pi/2]"); NaN is outside every range.
void check(const NetworkOptions& options);

// A named place on the ground (gateway, PoP or end point).
struct GroundNode {
  std::string id;
  frames::Geodetic location;
};

enum class NodeKind { satellite, gateway, pop, endpoint };

// End points held to one satellite each (Starlink's reconfiguration slots, series.h): the ground links
// of end point e are only its link to satellite[e]. Network::snapshot keeps that satellite while it is
// usable (in view above user_min_elevation_rad, within gsl_max_range_km, propagated); otherwise, or when
// satellite[e] is kNoNode, it gives e the usable satellite of highest elevation (ties to the lower index;
// kNoNode, and no ground link, when none is usable) and records whether a held satellite was lost.
// Gateways may be held the same way (Reconfiguration::hold_gateways): with gateway_satellite non-empty,
// gateway g's down links are only its link to gateway_satellite[g], kept while usable (in view above
// gateway_min_elevation_rad, within gsl_max_range_km, propagated), else replaced by the gateway's usable
// satellite of highest elevation. Empty: every gateway links to every usable satellite (no hold).
struct ServingHold {
  std::vector<std::uint32_t> satellite;  // per end point: a satellite node, or kNoNode (choose now)
  // Per end point, set by each snapshot: 1 when it replaced a held satellite that was no longer usable.
  std::vector<std::uint8_t> lost;
  std::vector<std::uint32_t> gateway_satellite;  // per gateway, as `satellite`; empty: gateways not held
  std::vector<std::uint8_t> gateway_lost;        // per gateway, as `lost` (set when gateways are held)
};

// One instant's graph and what was dropped, reusable across steps.
struct Snapshot {
  time::Instant time;
  std::vector<frames::StateVector> sat_itrf;
  std::vector<orbits::Sgp4Error> errors;
  Graph graph;
  std::size_t isl_candidates = 0, isl_up = 0, isl_too_long = 0, isl_too_low = 0, isl_no_state = 0;
  std::size_t user_links = 0, gateway_links = 0, fibre_links = 0;  // gateway_links: satellite -> PoP edges
  // Work space.
  GraphBuilder builder;
  visibility::InViewSet in_view_users, in_view_gateways;
  std::vector<std::uint8_t> valid;
};

// Great-circle distance (km) on the sphere of radius radius_km between two geodetic positions taken as
// spherical latitude and longitude (haversine). Accuracy: exact on that sphere to ~1e-9 km.
double great_circle_km(const frames::Geodetic& a, const frames::Geodetic& b,
                       double radius_km = kMeanEarthRadiusKm);
// Central angle (rad) between the geocentric directions of two positions (WGS84).
double central_angle_rad(const frames::Geodetic& a, const frames::Geodetic& b);
// The smallest distance from the Earth's centre to the segment p-q (km).
double segment_min_radius_km(const frames::Vec3& p, const frames::Vec3& q);

class Network {
 public:
  // The fleet must outlive the network. `isl` are candidate ISL pairs (ignored with IslMode::none).
  // REQUIRES: options within their ranges (check), each ISL pair two distinct satellites of the fleet,
  // and fewer than 2^32 - 1 nodes in all; throws std::invalid_argument otherwise.
  Network(const visibility::Fleet& fleet, std::vector<SatellitePair> isl, std::vector<GroundNode> gateways,
          std::vector<GroundNode> pops, std::vector<GroundNode> endpoints, const NetworkOptions& options);

  [[nodiscard]] std::size_t satellites() const { return n_sat_; }
  [[nodiscard]] std::size_t gateways() const { return gateways_.size(); }
  [[nodiscard]] std::size_t pops() const { return pops_.size(); }
  [[nodiscard]] std::size_t endpoints() const { return endpoints_.size(); }
  [[nodiscard]] std::uint32_t nodes() const {
    return static_cast<std::uint32_t>(n_sat_ + gateways_.size() + pops_.size() + endpoints_.size());
  }
  [[nodiscard]] std::uint32_t gateway_node(std::size_t g) const {
    return static_cast<std::uint32_t>(n_sat_ + g);
  }
  [[nodiscard]] std::uint32_t pop_node(std::size_t p) const {
    return static_cast<std::uint32_t>(n_sat_ + gateways_.size() + p);
  }
  [[nodiscard]] std::uint32_t endpoint_node(std::size_t e) const {
    return static_cast<std::uint32_t>(n_sat_ + gateways_.size() + pops_.size() + e);
  }
  [[nodiscard]] NodeKind kind(std::uint32_t node) const;
  // Index of the node within its kind.
  [[nodiscard]] std::size_t index(std::uint32_t node) const;
  [[nodiscard]] const GroundNode& gateway(std::size_t g) const { return gateways_[g]; }
  [[nodiscard]] const GroundNode& pop(std::size_t p) const { return pops_[p]; }
  [[nodiscard]] const GroundNode& endpoint(std::size_t e) const { return endpoints_[e]; }
  // The PoP each gateway is connected to (nearest by great-circle distance; ties to the lower index).
  [[nodiscard]] std::size_t gateway_pop(std::size_t g) const { return gateway_pop_[g]; }
  [[nodiscard]] double gateway_fibre_ms(std::size_t g) const { return gateway_fibre_ms_[g]; }
  [[nodiscard]] const NetworkOptions& options() const { return options_; }
  [[nodiscard]] std::span<const SatellitePair> isl_candidates() const { return isl_; }
  [[nodiscard]] const visibility::Fleet& fleet() const { return *fleet_; }

  // Node flags (graph.h) for city-to-city routing: end points never relay, nor PoPs without
  // ground_relay. For routing to the internet: end points and PoPs never relay, PoPs are targets.
  [[nodiscard]] std::vector<std::uint8_t> flags_between_endpoints() const;
  [[nodiscard]] std::vector<std::uint8_t> flags_to_internet() const;

  // Moves the end points to `where` (terminals that move), in order, for the snapshots that follow.
  // REQUIRES: where.size() == endpoints() (else std::invalid_argument). Cost: a site index of the end
  // points.
  void move_endpoints(std::span<const frames::Geodetic> where);

  // The graph at t (satellites propagated with the fleet's batched SGP4, rotated to ITRF). A satellite
  // with an SGP4 error at t has no links. Threads from `run`; identical for any thread count.
  // With `hold`, each end point links only to its held satellite (ServingHold, which this updates).
  // REQUIRES: hold->satellite of size endpoints(), hold->gateway_satellite empty or of size gateways()
  // (else std::invalid_argument).
  void snapshot(time::Instant t, Snapshot& out, const RunContext& run = {},
                ServingHold* hold = nullptr) const;

  // Per end point, the usable satellite of highest elevation at t (as ServingHold chooses; kNoNode when
  // none), in `out`; `work` holds the propagated states and the in-view sets (its graph is not built).
  // Cost: one propagation of the fleet and one in-view search of the end points.
  void highest_satellites(time::Instant t, Snapshot& work, std::vector<std::uint32_t>& out,
                          const RunContext& run = {}) const;
  // The same choice from a snapshot this network took (its in-view sets of the end points).
  void highest_satellites(const Snapshot& snapshot, std::vector<std::uint32_t>& out) const;
  // Per gateway, its usable satellite of highest elevation at t (as a gateway hold chooses; kNoNode when
  // none), in `out`; `work` as highest_satellites'. Cost: one propagation and one in-view search of the
  // gateways.
  void highest_gateway_satellites(time::Instant t, Snapshot& work, std::vector<std::uint32_t>& out,
                                  const RunContext& run = {}) const;
  // The same choice from a snapshot this network took with gateway links (its in-view sets of the
  // gateways).
  void highest_gateway_satellites(const Snapshot& snapshot, std::vector<std::uint32_t>& out) const;

 private:
  const visibility::Fleet* fleet_;
  std::size_t n_sat_;
  std::vector<SatellitePair> isl_;
  std::vector<GroundNode> gateways_, pops_, endpoints_;
  NetworkOptions options_;
  visibility::SiteIndex user_index_, gateway_index_;
  std::vector<std::size_t> gateway_pop_;
  std::vector<double> gateway_fibre_ms_;
  std::vector<std::pair<std::pair<std::uint32_t, std::uint32_t>, double>> fibre_;  // fixed ground edges

  // Propagates the fleet to t into out.sat_itrf, out.errors and out.valid; in_view_valid gets valid as
  // bool for visibility::in_view.
  void propagate(time::Instant t, Snapshot& out, std::unique_ptr<bool[]>& in_view_valid,
                 const RunContext& run) const;
  // The usable satellite of highest elevation among end point e's in-view entries, or kNoNode.
  [[nodiscard]] std::uint32_t highest_usable(const visibility::InViewSet& in_view, std::size_t e) const;
};

}  // namespace skyfence::network
