#include "skyfence/detection/locate.h"

#include <oneapi/tbb/parallel_for.h>
#include <oneapi/tbb/task_arena.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <unordered_map>

#include "skyfence/earth/grid.h"
#include "skyfence/orbits/sgp4.h"
#include "skyfence/visibility/in_view.h"

namespace skyfence::detection {
namespace {

// The longest radius of curvature of the WGS84 ellipsoid (a / sqrt(1 - e^2), at the poles), rounded
// up, km: two surface points whose normals are `a` radians apart are at most this times `a` apart.
constexpr double kMaxCurvatureRadiusKm = 6399.6;
// Ellipsoid radii bounding where terminals are (sea level, WGS84), for the competitor search.
constexpr double kMinGroundRadiusKm = 6356.75, kMaxGroundRadiusKm = 6378.14;

void check(const LocateOptions& o) {
  if (!(o.min_elevation_rad >= -std::numbers::pi / 2 && o.min_elevation_rad <= std::numbers::pi / 2))
    throw std::invalid_argument("locate: min_elevation_rad must lie in [-pi/2, pi/2]");
  if (o.k < 1) throw std::invalid_argument("locate: k must be >= 1");
  if (o.level < 1 || o.level > 20) throw std::invalid_argument("locate: level must lie in [1, 20]");
}

// One usable observation: the states of the observed satellite and of its competitors at that time.
struct Sight {
  frames::StateVector served;
  std::vector<frames::StateVector> competitors;  // with Rule::top_k: satellites that may be higher
};

// The elevation at `topo` and how far it may change within `delta` of it (see locate.h).
struct Bounded {
  double elevation = 0.0, margin = 0.0;
};

// `topo.look(sat)`'s elevation and range, computed as it does (the same doubles), without its azimuth
// and range rate.
Bounded bounded(const frames::Topocentric& topo, const frames::StateVector& sat, double delta) {
  const frames::Vec3 enu = topo.enu(sat.r_km);
  const double elevation = std::atan2(enu.z, std::hypot(enu.x, enu.y));
  if (delta == 0.0) return {elevation, 0.0};
  const double range = (sat.r_km - topo.site_itrf_km()).norm();
  const double d = kMaxCurvatureRadiusKm * delta;
  const double nearest = range - d;
  const double turn = nearest <= d ? std::numbers::pi : std::asin(d / nearest);
  return {elevation, (delta + turn) * (1.0 + 1e-9) + 1e-12};
}

class Tester {
 public:
  Tester(std::vector<Sight> sights, const LocateOptions& o) : sights_(std::move(sights)), o_(o) {}

  // Observations failed anywhere in the cap (delta 0: exactly at the centre), counting no further
  // than `limit` + 1.
  [[nodiscard]] std::uint32_t misses(const frames::Geodetic& centre, double delta, std::size_t limit) const {
    const frames::Topocentric topo(centre);
    std::uint32_t n = 0;
    for (const Sight& s : sights_) {
      if (fails(topo, s, delta) && ++n > limit) break;
    }
    return n;
  }
  [[nodiscard]] std::size_t size() const { return sights_.size(); }

 private:
  [[nodiscard]] bool fails(const frames::Topocentric& topo, const Sight& s, double delta) const {
    const Bounded served = bounded(topo, s.served, delta);
    const double best = served.elevation + served.margin;  // the highest it can be in the cell
    if (best < o_.min_elevation_rad) return true;
    if (o_.rule != Rule::top_k) return false;
    // No satellite is above the zenith, and a margin only lowers a competitor's bound.
    if (best >= std::numbers::pi / 2) return false;
    // A competitor whose sin(elevation) at the centre, up / range, is below sin(best) by more than
    // rounding can reach is lower than `best` there, hence never higher over the cell: most are (the
    // served satellite is usually the highest), and they need no atan2.
    const double sin_floor = std::sin(best) - 1e-12;
    unsigned higher = 0;
    for (const frames::StateVector& t : s.competitors) {
      if (topo.enu(t.r_km).z < sin_floor * (t.r_km - topo.site_itrf_km()).norm()) continue;
      const Bounded other = bounded(topo, t, delta);
      // Exactly at a point (delta 0) "higher" is strict; over a cell, higher everywhere.
      if (other.elevation - other.margin > best && ++higher >= o_.k) return true;
    }
    return false;
  }

  std::vector<Sight> sights_;
  LocateOptions o_;
};

double direction_angle(const frames::Vec3& a, const frames::Vec3& b) {
  const frames::Vec3 cross{a.y * b.z - a.z * b.y, a.z * b.x - a.x * b.z, a.x * b.y - a.y * b.x};
  return std::atan2(cross.norm(), a.dot(b));
}

// The sights of the usable observations; the others go to `unused`.
Tester prepare(const visibility::Fleet& fleet, std::span<const Observation> observations,
               const LocateOptions& o, std::vector<UnusedObservation>& unused, const RunContext& run) {
  std::unordered_map<std::uint32_t, std::size_t> index;
  for (std::size_t i = 0; i < fleet.size(); ++i) index.emplace(fleet.norad_id(i), i);
  std::vector<Sight> sights;
  std::vector<frames::StateVector> states;
  std::vector<orbits::Sgp4Error> errors;
  for (const Observation& ob : observations) {
    const auto it = index.find(ob.norad_id);
    if (it == index.end()) {
      unused.push_back({ob, "satellite not in the catalog"});
      continue;
    }
    fleet.itrf_states(ob.at, states, errors, run);
    const std::size_t s = it->second;
    if (errors[s] != orbits::Sgp4Error::none) {
      unused.push_back({ob, "SGP4 error at that time: " + std::string(orbits::describe(errors[s]))});
      continue;
    }
    Sight sight;
    sight.served = states[s];
    if (o.rule == Rule::top_k) {
      // Only a satellite whose view overlaps the served one's can be higher where the served one is
      // in view (visibility::search_radius_rad holds every site seeing a satellite).
      const auto reach = [&](const frames::StateVector& st) {
        return visibility::search_radius_rad(st.r_km.norm(), kMinGroundRadiusKm, kMaxGroundRadiusKm,
                                             o.min_elevation_rad);
      };
      const double served_reach = reach(states[s]);
      // The reach grows with the satellite's radius, so the highest satellite's bounds every other's: a
      // satellite whose direction is farther than that from the served one's, by more than rounding,
      // is left out with a dot product; the rest are decided by the exact test.
      double highest = 0.0;
      for (std::size_t t = 0; t < states.size(); ++t) {
        if (errors[t] == orbits::Sgp4Error::none && std::isfinite(states[t].r_km.x))
          highest = std::max(highest, states[t].r_km.norm());
      }
      const double widest =
          served_reach +
          visibility::search_radius_rad(highest, kMinGroundRadiusKm, kMaxGroundRadiusKm, o.min_elevation_rad);
      const frames::Vec3 served_dir = states[s].r_km * (1.0 / states[s].r_km.norm());
      const double cos_widest = widest >= std::numbers::pi ? -2.0 : std::cos(widest) - 1e-9;
      for (std::size_t t = 0; t < states.size(); ++t) {
        if (t == s || errors[t] != orbits::Sgp4Error::none || !std::isfinite(states[t].r_km.x)) continue;
        if (states[t].r_km.dot(served_dir) < cos_widest * states[t].r_km.norm()) continue;
        if (direction_angle(states[t].r_km, states[s].r_km) <= served_reach + reach(states[t]))
          sight.competitors.push_back(states[t]);
      }
    }
    sights.push_back(std::move(sight));
  }
  return Tester(std::move(sights), o);
}

void summarise(Location& loc) {
  if (loc.cells.empty()) return;
  frames::Vec3 sum{0.0, 0.0, 0.0};
  for (const LocatedCell& c : loc.cells) {
    const double cl = std::cos(c.centre.lat_rad);
    sum = sum + frames::Vec3{cl * std::cos(c.centre.lon_rad), cl * std::sin(c.centre.lon_rad),
                             std::sin(c.centre.lat_rad)} *
                    c.area_km2;
    loc.area_km2 += c.area_km2;
  }
  const double n = sum.norm();
  const frames::Vec3 u = n > 0.0 ? sum * (1.0 / n) : frames::Vec3{1.0, 0.0, 0.0};
  loc.estimate = frames::Geodetic{std::asin(std::clamp(u.z, -1.0, 1.0)), std::atan2(u.y, u.x), 0.0};
  for (const LocatedCell& c : loc.cells) {
    const double cl = std::cos(c.centre.lat_rad);
    const frames::Vec3 v{cl * std::cos(c.centre.lon_rad), cl * std::sin(c.centre.lon_rad),
                         std::sin(c.centre.lat_rad)};
    const double reach = direction_angle(u, v) + earth::cell_cap(c.id).radius_rad;
    loc.radius_km = std::max(loc.radius_km, reach * earth::kEarthMeanRadiusKm);
  }
}

LocatedCell located(const earth::CellCap& cap, std::uint32_t misses) {
  return {cap.id, cap.centre, earth::make_cell(cap.id).area_km2, misses};
}

}  // namespace

std::vector<Observation> simulate_observations(const visibility::Fleet& fleet,
                                               const frames::Geodetic& position, time::Instant start,
                                               int slots, time::Duration slot, double min_elevation_rad) {
  const frames::Topocentric topo(position);
  std::vector<frames::StateVector> states;
  std::vector<orbits::Sgp4Error> errors;
  std::vector<Observation> out;
  for (int k = 0; k < slots; ++k) {
    const time::Instant t = start + slot * static_cast<std::int64_t>(k);
    fleet.itrf_states(t, states, errors);
    double best = min_elevation_rad;
    std::size_t serving = states.size();
    for (std::size_t s = 0; s < states.size(); ++s) {
      if (errors[s] != orbits::Sgp4Error::none) continue;
      const double el = topo.look(states[s]).elevation_rad;
      if (el > best || (el == best && serving == states.size())) {
        best = el;
        serving = s;
      }
    }
    if (serving < states.size()) out.push_back({t, fleet.norad_id(serving), k + 2});
  }
  return out;
}

std::vector<std::size_t> misses_at(const visibility::Fleet& fleet, std::span<const Observation> observations,
                                   std::span<const frames::Geodetic> positions,
                                   const LocateOptions& options) {
  check(options);
  std::vector<UnusedObservation> unused;
  const Tester tester = prepare(fleet, observations, options, unused, {});
  std::vector<std::size_t> out;
  out.reserve(positions.size());
  for (const frames::Geodetic& p : positions) out.push_back(tester.misses(p, 0.0, tester.size()));
  return out;
}

Location locate(const visibility::Fleet& fleet, std::span<const Observation> observations, const Prior& prior,
                const LocateOptions& options, const RunContext& run) {
  check(options);
  Location loc;
  const Tester tester = prepare(fleet, observations, options, loc.unused, run);
  loc.observations_used = tester.size();

  std::vector<std::uint64_t> level;
  if (prior.region) {
    level = earth::region_covering(*prior.region, options.level);
  } else {
    const auto faces = earth::face_cells();
    level.assign(faces.begin(), faces.end());
  }
  tbb::task_arena arena(static_cast<int>(run.workers()));
  for (int depth = 0; !level.empty(); ++depth) {
    // Each cell is tested alone; kept cells are split or, at the final level, recorded, in input order.
    std::vector<std::uint8_t> keep(level.size(), 0);
    std::vector<std::uint32_t> misses(level.size(), 0);
    std::vector<earth::CellCap> caps(level.size());
    arena.execute([&] {
      tbb::parallel_for(std::size_t{0}, level.size(), [&](std::size_t i) {
        caps[i] = earth::cell_cap(level[i]);
        if (prior.region && !earth::region_may_intersect(*prior.region, level[i])) return;
        misses[i] = tester.misses(caps[i].centre, caps[i].radius_rad, options.max_outliers);
        keep[i] = misses[i] <= options.max_outliers ? 1 : 0;
      });
    });
    loc.cells_tested += level.size();
    std::vector<std::uint64_t> next;
    for (std::size_t i = 0; i < level.size(); ++i) {
      if (keep[i] == 0) continue;
      if (caps[i].level >= options.level) {
        loc.cells.push_back(located(caps[i], misses[i]));
      } else {
        for (std::uint64_t c : earth::cell_children(level[i])) next.push_back(c);
      }
    }
    level = std::move(next);
    run.report("locate",
               std::min(1.0, static_cast<double>(depth + 1) / static_cast<double>(options.level + 1)));
  }
  std::sort(loc.cells.begin(), loc.cells.end(),
            [](const LocatedCell& a, const LocatedCell& b) { return a.id < b.id; });
  summarise(loc);
  return loc;
}

Location locate_flat(const visibility::Fleet& fleet, std::span<const Observation> observations,
                     const Prior& prior, const LocateOptions& options) {
  check(options);
  if (!prior.region) throw std::invalid_argument("locate_flat: the prior needs a region");
  Location loc;
  const Tester tester = prepare(fleet, observations, options, loc.unused, {});
  loc.observations_used = tester.size();
  std::vector<std::uint64_t> stack = earth::region_covering(*prior.region, options.level);
  std::vector<std::uint64_t> finest;
  while (!stack.empty()) {
    const std::uint64_t id = stack.back();
    stack.pop_back();
    if (earth::cell_cap(id).level < options.level) {
      for (std::uint64_t c : earth::cell_children(id)) stack.push_back(c);
    } else {
      finest.push_back(id);
    }
  }
  for (std::uint64_t id : finest) {
    ++loc.cells_tested;
    if (!earth::region_may_intersect(*prior.region, id)) continue;
    const earth::CellCap cap = earth::cell_cap(id);
    const std::uint32_t m = tester.misses(cap.centre, cap.radius_rad, options.max_outliers);
    if (m <= options.max_outliers) loc.cells.push_back(located(cap, m));
  }
  std::sort(loc.cells.begin(), loc.cells.end(),
            [](const LocatedCell& a, const LocatedCell& b) { return a.id < b.id; });
  summarise(loc);
  return loc;
}

}  // namespace skyfence::detection
