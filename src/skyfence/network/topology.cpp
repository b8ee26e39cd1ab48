#include "skyfence/network/topology.h"

#include <algorithm>
#include <cmath>
#include <memory>
#include <numbers>
#include <stdexcept>
#include <string>
#include <utility>

namespace skyfence::network {
namespace {

std::vector<frames::Geodetic> locations(const std::vector<GroundNode>& nodes) {
  std::vector<frames::Geodetic> out;
  out.reserve(nodes.size());
  for (const auto& n : nodes) out.push_back(n.location);
  return out;
}

frames::Vec3 unit_geocentric(const frames::Geodetic& g) {
  const frames::Vec3 r = frames::geodetic_to_itrf(g);
  return r * (1.0 / r.norm());
}

}  // namespace

double great_circle_km(const frames::Geodetic& a, const frames::Geodetic& b, double radius_km) {
  const double dlat = b.lat_rad - a.lat_rad;
  const double dlon = b.lon_rad - a.lon_rad;
  const double s1 = std::sin(0.5 * dlat), s2 = std::sin(0.5 * dlon);
  const double h = s1 * s1 + std::cos(a.lat_rad) * std::cos(b.lat_rad) * s2 * s2;
  return 2.0 * radius_km * std::asin(std::min(1.0, std::sqrt(h)));
}

double central_angle_rad(const frames::Geodetic& a, const frames::Geodetic& b) {
  const frames::Vec3 u = unit_geocentric(a), v = unit_geocentric(b);
  // atan2(|u x v|, u.v): accurate for small and large angles alike.
  const frames::Vec3 c{u.y * v.z - u.z * v.y, u.z * v.x - u.x * v.z, u.x * v.y - u.y * v.x};
  return std::atan2(c.norm(), u.dot(v));
}

double segment_min_radius_km(const frames::Vec3& p, const frames::Vec3& q) {
  const frames::Vec3 d = q - p;
  const double dd = d.dot(d);
  double t = dd > 0.0 ? -p.dot(d) / dd : 0.0;
  t = std::clamp(t, 0.0, 1.0);
  return (p + d * t).norm();
}

void check(const NetworkOptions& options) {
  constexpr double kHalfPi = std::numbers::pi / 2.0;
  const auto require = [](bool ok, const char* what) {
    if (!ok) throw std::invalid_argument(std::string("network: ") + what);
  };
  require(options.isl_max_range_km > 0.0, "isl_max_range_km must be > 0 (infinity: no limit)");
  require(options.isl_grazing_altitude_km >= 0.0 && options.isl_grazing_altitude_km < 10000.0,
          "isl_grazing_altitude_km must lie in [0, 10000)");
  require(options.user_min_elevation_rad >= -kHalfPi && options.user_min_elevation_rad <= kHalfPi,
          "user_min_elevation_rad must lie in [-pi/2, pi/2]");
  require(options.gateway_min_elevation_rad >= -kHalfPi && options.gateway_min_elevation_rad <= kHalfPi,
          "gateway_min_elevation_rad must lie in [-pi/2, pi/2]");
  require(options.gsl_max_range_km > 0.0, "gsl_max_range_km must be > 0 (infinity: no limit)");
  require(options.fibre_route_factor >= 1.0 && options.fibre_route_factor <= 100.0,
          "fibre_route_factor must lie in [1, 100]");
  require(options.fibre_refractive_index >= 1.0 && options.fibre_refractive_index <= 10.0,
          "fibre_refractive_index must lie in [1, 10]");
}

Network::Network(const visibility::Fleet& fleet, std::vector<SatellitePair> isl,
                 std::vector<GroundNode> gateways, std::vector<GroundNode> pops,
                 std::vector<GroundNode> endpoints, const NetworkOptions& options)
    : fleet_(&fleet),
      n_sat_(fleet.size()),
      isl_(options.isl == IslMode::none ? std::vector<SatellitePair>{} : std::move(isl)),
      gateways_(std::move(gateways)),
      pops_(std::move(pops)),
      endpoints_(std::move(endpoints)),
      options_(options),
      user_index_(locations(endpoints_)),
      gateway_index_(locations(gateways_)) {
  check(options);
  if (nodes() < n_sat_ || n_sat_ + gateways_.size() + pops_.size() + endpoints_.size() >= kNoNode) {
    throw std::invalid_argument(
        "network: the satellites, gateways, PoPs and end points must number < 2^32 - 1");
  }
  for (const SatellitePair& p : isl_) {
    if (p.a >= n_sat_ || p.b >= n_sat_ || p.a == p.b) {
      throw std::invalid_argument("network: an ISL pair must be two distinct satellites < " +
                                  std::to_string(n_sat_) + ", got " + std::to_string(p.a) + " and " +
                                  std::to_string(p.b));
    }
  }
  const double fibre_km_per_ms = kSpeedOfLightKmS / options.fibre_refractive_index / 1000.0;
  auto fibre_ms = [&](const frames::Geodetic& a, const frames::Geodetic& b) {
    return great_circle_km(a, b) * options.fibre_route_factor / fibre_km_per_ms;
  };
  gateway_pop_.assign(gateways_.size(), 0);
  gateway_fibre_ms_.assign(gateways_.size(), kUnreachable);
  for (std::size_t g = 0; g < gateways_.size() && !pops_.empty(); ++g) {
    double best = kUnreachable;
    for (std::size_t p = 0; p < pops_.size(); ++p) {
      const double d = great_circle_km(gateways_[g].location, pops_[p].location);
      if (d < best) {
        best = d;
        gateway_pop_[g] = p;
      }
    }
    gateway_fibre_ms_[g] = fibre_ms(gateways_[g].location, pops_[gateway_pop_[g]].location);
  }
  if (options.ground_relay) {
    for (std::size_t p = 0; p < pops_.size(); ++p) {
      for (std::size_t q = p + 1; q < pops_.size(); ++q) {
        fibre_.push_back({{pop_node(p), pop_node(q)}, fibre_ms(pops_[p].location, pops_[q].location)});
      }
    }
  }
}

NodeKind Network::kind(std::uint32_t node) const {
  if (node < n_sat_) return NodeKind::satellite;
  if (node < gateway_node(gateways_.size())) return NodeKind::gateway;
  if (node < pop_node(pops_.size())) return NodeKind::pop;
  return NodeKind::endpoint;
}

std::size_t Network::index(std::uint32_t node) const {
  switch (kind(node)) {
    case NodeKind::satellite:
      return node;
    case NodeKind::gateway:
      return node - gateway_node(0);
    case NodeKind::pop:
      return node - pop_node(0);
    case NodeKind::endpoint:
      break;
  }
  return node - endpoint_node(0);
}

void Network::move_endpoints(std::span<const frames::Geodetic> where) {
  if (where.size() != endpoints_.size())
    throw std::invalid_argument("Network::move_endpoints: one position per end point");
  for (std::size_t e = 0; e < endpoints_.size(); ++e) endpoints_[e].location = where[e];
  user_index_ = visibility::SiteIndex(locations(endpoints_));
}

std::vector<std::uint8_t> Network::flags_between_endpoints() const {
  std::vector<std::uint8_t> f(nodes(), 0);
  for (std::size_t e = 0; e < endpoints_.size(); ++e) f[endpoint_node(e)] = kNoRelay;
  if (!options_.ground_relay) {
    for (std::size_t g = 0; g < gateways_.size(); ++g) f[gateway_node(g)] = kNoRelay;
    for (std::size_t p = 0; p < pops_.size(); ++p) f[pop_node(p)] = kNoRelay;
  }
  return f;
}

std::vector<std::uint8_t> Network::flags_to_internet() const {
  std::vector<std::uint8_t> f(nodes(), 0);
  for (std::size_t e = 0; e < endpoints_.size(); ++e) f[endpoint_node(e)] = kNoRelay;
  for (std::size_t p = 0; p < pops_.size(); ++p) f[pop_node(p)] = kNoRelay | kTarget;
  return f;
}

void Network::propagate(time::Instant t, Snapshot& out, std::unique_ptr<bool[]>& in_view_valid,
                        const RunContext& run) const {
  out.time = t;
  fleet_->itrf_states(t, out.sat_itrf, out.errors, run);
  out.valid.resize(n_sat_);
  in_view_valid.reset(new bool[n_sat_ == 0 ? 1 : n_sat_]);
  for (std::size_t i = 0; i < n_sat_; ++i) {
    const frames::Vec3& r = out.sat_itrf[i].r_km;
    out.valid[i] = out.errors[i] == orbits::Sgp4Error::none && std::isfinite(r.x) && std::isfinite(r.y) &&
                   std::isfinite(r.z);
    in_view_valid[i] = out.valid[i] != 0;
  }
}

std::uint32_t Network::highest_usable(const visibility::InViewSet& in_view, std::size_t e) const {
  std::uint32_t best = kNoNode;
  double best_elevation = 0.0;
  for (const auto& v : in_view.of_site(e)) {  // increasing satellite index: ties keep the lower
    if (v.look.range_km > options_.gsl_max_range_km) continue;
    if (best == kNoNode || v.look.elevation_rad > best_elevation) {
      best = v.satellite;
      best_elevation = v.look.elevation_rad;
    }
  }
  return best;
}

void Network::highest_satellites(time::Instant t, Snapshot& work, std::vector<std::uint32_t>& out,
                                 const RunContext& run) const {
  std::unique_ptr<bool[]> valid;
  propagate(t, work, valid, run);
  out.assign(endpoints_.size(), kNoNode);
  if (endpoints_.empty()) return;
  visibility::in_view(user_index_, work.sat_itrf, std::span<const bool>(valid.get(), n_sat_),
                      {.min_elevation_rad = options_.user_min_elevation_rad}, work.in_view_users, run);
  highest_satellites(work, out);
}

void Network::highest_satellites(const Snapshot& snapshot, std::vector<std::uint32_t>& out) const {
  out.assign(endpoints_.size(), kNoNode);
  if (endpoints_.empty()) return;
  for (std::size_t e = 0; e < endpoints_.size(); ++e) out[e] = highest_usable(snapshot.in_view_users, e);
}

void Network::highest_gateway_satellites(time::Instant t, Snapshot& work, std::vector<std::uint32_t>& out,
                                         const RunContext& run) const {
  std::unique_ptr<bool[]> valid;
  propagate(t, work, valid, run);
  out.assign(gateways_.size(), kNoNode);
  if (gateways_.empty()) return;
  visibility::in_view(gateway_index_, work.sat_itrf, std::span<const bool>(valid.get(), n_sat_),
                      {.min_elevation_rad = options_.gateway_min_elevation_rad}, work.in_view_gateways, run);
  highest_gateway_satellites(work, out);
}

void Network::highest_gateway_satellites(const Snapshot& snapshot, std::vector<std::uint32_t>& out) const {
  out.assign(gateways_.size(), kNoNode);
  for (std::size_t g = 0; g < gateways_.size(); ++g) out[g] = highest_usable(snapshot.in_view_gateways, g);
}

void Network::snapshot(time::Instant t, Snapshot& out, const RunContext& run, ServingHold* hold) const {
  if (hold != nullptr && hold->satellite.size() != endpoints_.size()) {
    throw std::invalid_argument("Network::snapshot: the hold must have one satellite per end point");
  }
  if (hold != nullptr && !hold->gateway_satellite.empty() &&
      hold->gateway_satellite.size() != gateways_.size()) {
    throw std::invalid_argument("Network::snapshot: a gateway hold must have one satellite per gateway");
  }
  const bool hold_gateways = hold != nullptr && !hold->gateway_satellite.empty();
  if (hold_gateways) hold->gateway_lost.assign(gateways_.size(), 0);
  std::unique_ptr<bool[]> valid;
  propagate(t, out, valid, run);
  out.builder.reset(nodes());
  out.isl_candidates = isl_.size();
  out.isl_up = out.isl_too_long = out.isl_too_low = out.isl_no_state = 0;
  const double min_radius_km = kEquatorialEarthRadiusKm + options_.isl_grazing_altitude_km;
  constexpr double kKmPerMs = kSpeedOfLightKmS / 1000.0;
  for (const SatellitePair& p : isl_) {
    if (out.valid[p.a] == 0 || out.valid[p.b] == 0) {
      ++out.isl_no_state;
      continue;
    }
    const frames::Vec3& ra = out.sat_itrf[p.a].r_km;
    const frames::Vec3& rb = out.sat_itrf[p.b].r_km;
    const double len = (rb - ra).norm();
    if (len > options_.isl_max_range_km) {
      ++out.isl_too_long;
      continue;
    }
    if (segment_min_radius_km(ra, rb) < min_radius_km) {
      ++out.isl_too_low;
      continue;
    }
    ++out.isl_up;
    out.builder.add_edge(p.a, p.b, len / kKmPerMs);
  }
  const std::span<const bool> valid_span(valid.get(), n_sat_);
  out.user_links = out.gateway_links = 0;
  if (hold != nullptr) hold->lost.assign(endpoints_.size(), 0);
  if (!endpoints_.empty()) {
    visibility::in_view(user_index_, out.sat_itrf, valid_span,
                        {.min_elevation_rad = options_.user_min_elevation_rad}, out.in_view_users, run);
    for (std::size_t e = 0; e < endpoints_.size(); ++e) {
      if (hold != nullptr) {
        // The held satellite while usable, else the highest usable one (kept until the hold changes).
        std::uint32_t& held = hold->satellite[e];
        bool usable = false;
        for (const auto& v : out.in_view_users.of_site(e)) {
          if (v.satellite != held || v.look.range_km > options_.gsl_max_range_km) continue;
          out.builder.add_edge(endpoint_node(e), v.satellite, v.look.range_km / kKmPerMs);
          ++out.user_links;
          usable = true;
        }
        if (usable) continue;
        hold->lost[e] = held != kNoNode ? 1 : 0;
        held = highest_usable(out.in_view_users, e);
        if (held == kNoNode) continue;
      }
      for (const auto& v : out.in_view_users.of_site(e)) {
        if (v.look.range_km > options_.gsl_max_range_km) continue;
        if (hold != nullptr && v.satellite != hold->satellite[e]) continue;
        out.builder.add_edge(endpoint_node(e), v.satellite, v.look.range_km / kKmPerMs);
        ++out.user_links;
      }
    }
  }
  if (!gateways_.empty() && options_.gateway_links) {
    visibility::in_view(gateway_index_, out.sat_itrf, valid_span,
                        {.min_elevation_rad = options_.gateway_min_elevation_rad}, out.in_view_gateways, run);
    // A gateway is not a router: a satellite reaches the gateway's PoP through it (one edge standing
    // for the down link and the fibre), so no route goes satellite -> gateway -> satellite.
    for (std::size_t g = 0; g < gateways_.size(); ++g) {
      if (pops_.empty()) break;
      if (hold_gateways) {
        // As an end point's: the held satellite while usable, else the highest usable one.
        std::uint32_t& held = hold->gateway_satellite[g];
        bool usable = false;
        for (const auto& v : out.in_view_gateways.of_site(g)) {
          usable = usable || (v.satellite == held && v.look.range_km <= options_.gsl_max_range_km);
        }
        if (!usable) {
          hold->gateway_lost[g] = held != kNoNode ? 1 : 0;
          held = highest_usable(out.in_view_gateways, g);
        }
      }
      for (const auto& v : out.in_view_gateways.of_site(g)) {
        if (v.look.range_km > options_.gsl_max_range_km) continue;
        if (hold_gateways && v.satellite != hold->gateway_satellite[g]) continue;
        out.builder.add_edge(v.satellite, pop_node(gateway_pop_[g]),
                             v.look.range_km / kKmPerMs + gateway_fibre_ms_[g], gateway_node(g));
        ++out.gateway_links;
      }
    }
  }
  if (options_.ground_relay) {
    for (const auto& [uv, ms] : fibre_) out.builder.add_edge(uv.first, uv.second, ms);
  }
  out.fibre_links = options_.ground_relay ? fibre_.size() : 0;
  out.builder.build(out.graph);
}

}  // namespace skyfence::network
