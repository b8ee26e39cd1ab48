// Demand met over a time window (the model is in capacity.h; the per-instant allocation in allocation.h).
//
// Where the time goes, and what keeps it down (every shortcut gives the same doubles as the direct
// computation): a provider's in-view sets, beam rates and gateways are computed at a step only when some
// point's preferences reach it (its states always, for the failure counts); a step starts from a summary of
// each point's satellites in view, no pair stored (visibility::summarize_sightings: its first four classified
// satellites, their count, the highest elevation keys per beam bandwidth), which settles reachability, the
// instance's satellites, the cells' best beams and the greedy pass when each point's demand fits on its first
// links, and the pairs are listed (Engine::list_every_pair) only when the step needs more; the in-view sets
// carry only the satellite and a float key that ranks elevations (visibility::sightings(): the points of a
// visibility::SiteGrid tested a row of grid cells at a time by a vectorised sqrt-free test; the topocentric
// vector is computed again when read); a beam rate, and so its elevation, is computed only when something
// reads it: a cell's best beam needs only the sightings whose key is within a hair of the highest (when
// efficiency never falls with elevation), and demand that fits whole is routed by a greedy pass
// (internal/whole_demand.h) that reads each point's links from its sightings, usually one, so no list of
// links is built; the efficiency table's segment is found from a bucket of elevations
// (internal/efficiency_lookup.h), and above the table's flat top the key alone decides the efficiency; an
// instance's satellites come from each satellite's first site (Sightings::first_site) when that gives the
// order of a walk over every sighting (Engine::first_sites_decide); pooled gateways are tested only against
// the satellites of a direction grid around them; each thread keeps its buffers (geometry, the allocation's
// instance, the index vectors that compact fleet satellites, cells and gateways) from step to step, and each
// step of a block reuses the result buffers of the step it replaces. What remains (Ukraine, 1,000 terminals,
// per step, about 27 M instructions, measured before the first-site path): compacting the satellites in view
// of the points (~20 %), listing the ~90,000 pairs in view (~30 %: the test, the grid walk and the grouping
// by point), SGP4 (~12 %), the pooled gateways (~9 %). The whole Earth at level 7 (98,304 points, Starlink):
// the elevation test (~23 %) and the summary's reduction (~26 %) of ~6.5 million (point, satellite) tests a
// step, mostly memory traffic; the greedy pass ~4 %.
#include "skyfence/capacity/capacity.h"

#include <oneapi/tbb/enumerable_thread_specific.h>
#include <oneapi/tbb/info.h>
#include <oneapi/tbb/parallel_for.h>
#include <oneapi/tbb/task_arena.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <exception>
#include <limits>
#include <memory>
#include <numbers>
#include <optional>
#include <stdexcept>
#include <unordered_map>

#include "skyfence/capacity/internal/efficiency_lookup.h"
#include "skyfence/capacity/internal/whole_demand.h"
#include "skyfence/earth/grid.h"
#include "skyfence/visibility/in_view.h"

namespace skyfence::capacity {
// The engine's parts, in a named namespace so that the unity build of the layer cannot mix them up with
// another file's.
namespace capacity_engine {

// Steps computed in parallel before being folded in order (bounds the buffer of allocations).
constexpr std::size_t kStepBlock = 32;
// A point whose allocation is within this relative margin of its demand has its demand met.
constexpr double kMetMargin = 1e-9;
// How far ahead a pooled gateway's next hint is chosen (Engine::pool_gateways), seconds.
constexpr double kHintLookaheadS = 60.0;
// A rate not computed yet (StepGeometry::cell_best_beam).
constexpr double kNotYet = std::numeric_limits<double>::quiet_NaN();
// Slack on ProviderSetup::flat_top_key: ten times the elevation keys' error (within 1e-7 of
// sin(e) |sin(e)|, visibility::Sighting).
constexpr double kFlatTopSlack = 1e-6;
// The longest wait of StepGeometry::summary_wait, steps.
constexpr std::uint32_t kMostSummaryWait = 64;
// ProviderSetup::bandwidth_slot of a satellite without a class.
constexpr std::uint32_t kNoBandwidth = std::numeric_limits<std::uint32_t>::max();

// Grid cell of the points' SiteIndex: SiteIndex's own choice (about two evenly spread sites a cell)
// capped at 2 deg, so that a satellite over a regional study tests the points near its cap rather
// than every point of a few large cells. The in-view sets do not depend on it.
double point_cell_deg(std::size_t points) {
  const double side =
      std::sqrt(8.0 * std::numbers::pi / static_cast<double>(std::max<std::size_t>(points, 1)));
  return std::clamp(side * 180.0 / std::numbers::pi, 0.5, 2.0);
}

// What depends on where the points are, for one provider: fixed over the window for points at rest,
// made again at each step for points that move (CapacityOptions::positions).
struct PointLayout {
  visibility::SiteGrid points;
  std::vector<std::uint32_t> cell;      // per point: service-cell index
  std::vector<double> cell_multiplier;  // per cell: service cells it spans
  // The points of cell c: cell_points[cell_first[c] .. cell_first[c + 1]).
  std::vector<std::uint32_t> cell_first, cell_points;
  // The points' cap: every point lies within `spread_rad` of the unit vector `centre` (spread pi: no
  // cap), so a satellite whose direction is farther than spread + its search radius sees none.
  frames::Vec3 centre{0.0, 0.0, 0.0};
  double spread_rad = std::numbers::pi;

  PointLayout(const ServiceModel& m, std::span<const DemandPoint> demand,
              std::span<const frames::Geodetic> locations)
      : points(locations, point_cell_deg(locations.size())) {
    set_cap(locations);
    std::unordered_map<std::uint64_t, std::uint32_t> index;
    for (std::size_t i = 0; i < demand.size(); ++i) {
      const int level = std::min(demand[i].level, m.cell_level);
      const std::uint64_t id = earth::cell_containing(locations[i], level);
      const auto [it, fresh] = index.try_emplace(id, static_cast<std::uint32_t>(cell_multiplier.size()));
      if (fresh) cell_multiplier.push_back(std::ldexp(1.0, 2 * (m.cell_level - level)));
      cell.push_back(it->second);
    }
    cell_first.assign(cell_multiplier.size() + 1, 0);
    for (const std::uint32_t c : cell) ++cell_first[c + 1];
    for (std::size_t c = 0; c < cell_multiplier.size(); ++c) cell_first[c + 1] += cell_first[c];
    std::vector<std::uint32_t> next(cell_first.begin(), cell_first.end() - 1);
    cell_points.resize(cell.size());
    for (std::uint32_t i = 0; i < cell.size(); ++i) cell_points[next[cell[i]]++] = i;
  }

  void set_cap(std::span<const frames::Geodetic> locations);
};

// What is fixed for one provider and one direction over the whole window. `model` is the provider's
// (downlink) or its uplink_model (uplink): the two differ only in the satellites' figures and the
// efficiency table.
struct ProviderSetup {
  const Provider* provider = nullptr;
  const ServiceModel* model = nullptr;
  std::optional<visibility::SiteGrid> gateways;
  std::vector<const SatelliteClass*> classes;  // per satellite; nullptr: no class, no capacity
  std::vector<double> satellite_capacity;      // per satellite, Mbps
  // Per satellite: whether it has a class (a byte, for the walks over every sighting), and the index
  // of its class's beam bandwidth in `bandwidths` (kNoBandwidth without a class).
  std::vector<std::uint8_t> classified;
  std::vector<std::uint32_t> bandwidth_slot;
  std::vector<double> bandwidths;   // the distinct beam bandwidths of the classes, MHz
  std::vector<std::uint32_t> rank;  // per point
  std::uint64_t unclassified = 0;
  std::optional<PointLayout> layout;  // points at rest; none when they move

  std::vector<frames::Vec3> gateway_unit;  // per gateway: geocentric direction
  internal::EfficiencyLookup efficiency;   // the model's spectral efficiency
  // Whether efficiency never falls as elevation rises: then a cell's best beam of each bandwidth is its
  // highest sighting's (Engine::best_beam).
  bool efficiency_rises = false;
  // Above the elevation where the efficiency table turns flat up to its end, the efficiency is its last
  // value, the same double: a sighting whose elevation key exceeds `flat_top_key` (that elevation's
  // sin(e) |sin(e)| plus kFlatTopSlack) gets `flat_top_efficiency` without its elevation computed.
  double flat_top_key = 2.0;
  double flat_top_efficiency = 0.0;

  // `with_layout`: whether to lay out the points at rest (the downlink's setup of points at rest; the
  // engine always reads the layout from the step's geometry).
  ProviderSetup(const Provider& p, const ServiceModel& m, std::span<const DemandPoint> demand,
                std::span<const frames::Geodetic> locations, bool with_layout)
      : provider(&p),
        model(&m),
        efficiency(m),
        efficiency_rises(std::is_sorted(m.efficiency_bps_per_hz.begin(), m.efficiency_bps_per_hz.end())) {
    const std::vector<double>& x = m.efficiency_elevation_rad;
    const std::vector<double>& y = m.efficiency_bps_per_hz;
    if (!x.empty() && x.size() == y.size()) {
      std::size_t t = y.size() - 1;
      while (t > 0 && y[t - 1] == y.back()) --t;
      const double sin_t = std::sin(x[t]);
      flat_top_key = sin_t * std::abs(sin_t) + kFlatTopSlack;
      flat_top_efficiency = y.back();
    }
    if (m.has_gateways) {
      std::vector<frames::Geodetic> g;
      for (const earth::Site& s : m.gateways) {
        g.push_back(s.location);
        const frames::Vec3 r = frames::geodetic_to_itrf(s.location);
        const double n = std::sqrt(r.x * r.x + r.y * r.y + r.z * r.z);
        gateway_unit.push_back({r.x / n, r.y / n, r.z / n});
      }
      gateways.emplace(g);
    }
    const visibility::Fleet& fleet = *p.fleet;
    for (std::size_t s = 0; s < fleet.size(); ++s) {
      const std::string_view name =
          s < p.satellite_names.size() ? std::string_view(p.satellite_names[s]) : "";
      const SatelliteClass* c = m.class_of(name, fleet.norad_id(s));
      classes.push_back(c);
      satellite_capacity.push_back(c ? m.satellite_capacity_mbps(*c) : 0.0);
      classified.push_back(c ? 1 : 0);
      bandwidth_slot.push_back(kNoBandwidth);
      if (c) {
        const auto it = std::find(bandwidths.begin(), bandwidths.end(), c->beam_bandwidth_mhz);
        bandwidth_slot.back() = static_cast<std::uint32_t>(it - bandwidths.begin());
        if (it == bandwidths.end()) bandwidths.push_back(c->beam_bandwidth_mhz);
      }
      if (!c) ++unclassified;
    }
    if (with_layout) layout.emplace(m, demand, locations);
    for (const DemandPoint& d : demand) rank.push_back(m.rank(d.customer));
  }
};

void PointLayout::set_cap(std::span<const frames::Geodetic> locations) {
  std::vector<frames::Vec3> units;
  frames::Vec3 sum{0.0, 0.0, 0.0};
  for (const frames::Geodetic& g : locations) {
    const frames::Vec3 r = frames::geodetic_to_itrf(g);
    const double n = std::sqrt(r.x * r.x + r.y * r.y + r.z * r.z);
    units.push_back({r.x / n, r.y / n, r.z / n});
    sum = {sum.x + units.back().x, sum.y + units.back().y, sum.z + units.back().z};
  }
  const double n = std::sqrt(sum.x * sum.x + sum.y * sum.y + sum.z * sum.z);
  if (units.empty() || n < 1e-6 * static_cast<double>(units.size())) return;
  centre = {sum.x / n, sum.y / n, sum.z / n};
  double min_cos = 1.0;
  for (const frames::Vec3& u : units)
    min_cos = std::min(min_cos, u.x * centre.x + u.y * centre.y + u.z * centre.z);
  // 1e-9 rad of slack for rounding in the dot products.
  spread_rad = std::min(std::numbers::pi, std::acos(std::clamp(min_cos, -1.0, 1.0)) + 1e-9);
}

// One provider's view of one step.
struct StepGeometry {
  std::vector<frames::StateVector> states;  // per fleet satellite, ITRF (NaN where SGP4 failed)
  std::vector<orbits::Sgp4Error> errors;
  bool observed = false;  // whether the fields below are this step's (Engine::observe)
  // Per point, what the greedy pass reads of its satellites in view (their first ones, the highest
  // elevation keys): enough for most steps (Engine::observe); `summarized` when this step's.
  visibility::SightingSummary summary;
  bool summarized = false;
  // Per point, every satellite in view: listed when something needs more than the summary
  // (Engine::list_every_pair); `full` when this step's.
  visibility::Sightings in_view;
  bool full = false;
  // When a summary did not suffice (a step's points need more links than it lists, as when demand
  // runs near capacity), the next `summary_wait` steps of this thread list every pair from the start;
  // the wait doubles at each summary in a row that did not suffice, up to kMostSummaryWait. The results
  // do not depend on it, only the time.
  std::uint32_t summary_wait = 0;
  std::uint32_t summary_backoff = 1;
  std::vector<std::vector<std::uint32_t>> sat_gateways;  // per satellite: gateways in view (bent pipe)
  double pooled_gateway_mbps = 0.0;                      // gateways seen by any satellite (isl)
  double highest_radius_km = 0.0;  // the largest geocentric radius of a satellite with a state
  // Computed when first asked for (NaN until then; Engine::best_beam).
  std::vector<double> cell_best_beam;   // per cell: highest single-beam rate, Mbps
  std::vector<std::uint8_t> permitted;  // per point
  std::uint64_t failed = 0;
  std::optional<PointLayout> moved;     // where moving points are at this step
  const PointLayout* layout = nullptr;  // the setup's, or `moved`
};

// Satellites bucketed by the direction of their position on a grid of cubes over [-1, 1]^3, to find
// the satellites near a direction without testing them all.
class DirectionGrid {
 public:
  // Buckets the finite states on cubes of side `side` (> 0).
  void bucket(std::span<const frames::StateVector> states, double side) {
    side_ = side;
    cells_ = std::max(1, static_cast<int>(std::ceil(2.0 / side)));
    const auto total = static_cast<std::size_t>(cells_) * static_cast<std::size_t>(cells_) *
                       static_cast<std::size_t>(cells_);
    start_.assign(total + 1, 0);
    cell_of_.assign(states.size(), kNoCell);
    for (std::size_t k = 0; k < states.size(); ++k) {
      const frames::Vec3& r = states[k].r_km;
      const double norm = std::sqrt(r.x * r.x + r.y * r.y + r.z * r.z);
      if (!(std::isfinite(norm) && norm > 0.0)) continue;
      cell_of_[k] = static_cast<std::uint32_t>(cell(axis(r.x / norm), axis(r.y / norm), axis(r.z / norm)));
      ++start_[cell_of_[k] + 1];
    }
    for (std::size_t c = 0; c < total; ++c) start_[c + 1] += start_[c];
    members_.resize(start_[total]);
    fill_.assign(start_.begin(), start_.end() - 1);
    for (std::size_t k = 0; k < states.size(); ++k) {
      if (cell_of_[k] != kNoCell) members_[fill_[cell_of_[k]]++] = static_cast<std::uint32_t>(k);
    }
  }

  // Calls visit(k) for every bucketed satellite whose unit direction is within `half` of `dir` in every
  // coordinate (and for some more).
  template <class Visit>
  void for_each_within(const frames::Vec3& dir, double half, Visit&& visit) const {
    const int x0 = axis(dir.x - half), x1 = axis(dir.x + half);
    const int y0 = axis(dir.y - half), y1 = axis(dir.y + half);
    const int z0 = axis(dir.z - half), z1 = axis(dir.z + half);
    for (int x = x0; x <= x1; ++x) {
      for (int y = y0; y <= y1; ++y) {
        for (int z = z0; z <= z1; ++z) {
          const std::size_t c = cell(x, y, z);
          for (std::uint32_t m = start_[c]; m < start_[c + 1]; ++m) visit(members_[m]);
        }
      }
    }
  }

 private:
  static constexpr std::uint32_t kNoCell = std::numeric_limits<std::uint32_t>::max();
  [[nodiscard]] int axis(double u) const {
    return std::clamp(static_cast<int>(std::floor((u + 1.0) / side_)), 0, cells_ - 1);
  }
  [[nodiscard]] std::size_t cell(int x, int y, int z) const {
    return (static_cast<std::size_t>(x) * static_cast<std::size_t>(cells_) + static_cast<std::size_t>(y)) *
               static_cast<std::size_t>(cells_) +
           static_cast<std::size_t>(z);
  }
  double side_ = 1.0;
  int cells_ = 1;
  std::vector<std::uint32_t> start_, members_, cell_of_, fill_;
};

// Per-thread buffers of one step.
struct Scratch {
  std::unique_ptr<bool[]> candidate;  // per satellite: may see a point (in_view's `valid`)
  std::size_t candidates = 0;
  std::vector<std::uint32_t> gateway_hint;   // per gateway: a satellite likely to see it (a guess)
  std::vector<std::uint32_t> open_gateways;  // pool_gateways': the gateways their hints did not settle
  DirectionGrid directions;                  // the satellites by direction (pooled gateways)
  std::vector<StepGeometry> geometry;        // per provider (reused from step to step)
  visibility::Sightings gateway_view;
  visibility::SightingBuffers sighting_buffers;  // visibility::sightings()'s
  // One allocation's instance and the compaction of fleet satellites, cells and gateways to its
  // indices (kAbsent where not in it; solve() restores kAbsent for what it used).
  Instance instance;
  std::vector<std::uint32_t> sats;  // instance satellite -> fleet satellite
  std::vector<std::uint32_t> sat_index, cell_index, gateway_index;
  std::vector<frames::Geodetic> positions;  // of moving points at the step
  // The step's permissions, per provider (empty: every point permitted).
  std::span<const std::vector<std::uint8_t>> permitted;
  std::vector<float> highest;  // Engine::best_beam's: per beam bandwidth slot, the highest elevation key
  std::vector<std::uint32_t> point_of;    // per instance point: its point (in_view's site)
  std::vector<std::uint64_t> first_seen;  // Engine::solve's: (first site, satellite) of each satellite
};

constexpr std::uint32_t kAbsent = std::numeric_limits<std::uint32_t>::max();

// Index of `key` in a compaction (`index` maps keys to positions, kAbsent if none yet), adding it at
// position `next` when new; `fresh` tells which.
std::uint32_t compact(std::vector<std::uint32_t>& index, std::uint32_t key, std::size_t next, bool& fresh) {
  std::uint32_t& slot = index[key];
  fresh = slot == kAbsent;
  if (fresh) slot = static_cast<std::uint32_t>(next);
  return slot;
}

// The two directions a step is allocated in, each over its own capacities (docs/capacity.md).
enum LinkDirection : std::uint8_t { kDownlink = 0, kUplink = 1 };

// What one step produced, per direction: x[provider][point] and the usage it adds (the uplink's empty
// when no point has uplink demand).
struct StepResult {
  std::array<std::vector<std::vector<double>>, 2> carried;
  std::array<std::vector<ProviderUsage>, 2> usage;
};

class Engine {
 public:
  Engine(std::span<const DemandPoint> points, std::span<const Provider> providers,
         const CapacityOptions& options)
      : points_(points), options_(options) {
    std::vector<frames::Geodetic> locations;
    for (const DemandPoint& d : points) locations.push_back(d.location);
    setups_.reserve(providers.size());
    for (const Provider& p : providers)
      setups_.emplace_back(p, *p.model, points, locations, !static_cast<bool>(options.positions));
    uplink_ = !options.demand_up_mbps.empty();
    if (uplink_) {
      up_models_.reserve(providers.size());
      up_setups_.reserve(providers.size());
      for (const Provider& p : providers) {
        up_models_.push_back(std::make_unique<ServiceModel>(uplink_model(*p.model)));
        up_setups_.emplace_back(p, *up_models_.back(), points, locations, false);
      }
    }
  }

  [[nodiscard]] bool uplink() const { return uplink_; }

  [[nodiscard]] std::uint64_t unclassified(std::size_t p) const { return setups_[p].unclassified; }

  // One step into `out` (its buffers reused from the step it held before), with the step's permissions
  // per provider (CapacityOptions::permission; empty: all permitted).
  void step(time::Instant at, std::span<const std::vector<std::uint8_t>> permitted, Scratch& scratch,
            StepResult& out) {
    scratch.permitted = permitted;
    if (options_.positions) {
      scratch.positions.resize(points_.size());
      options_.positions(at, scratch.positions);
    }
    std::vector<StepGeometry>& geometry = scratch.geometry;
    geometry.resize(setups_.size());
    for (std::size_t p = 0; p < setups_.size(); ++p) {
      // The states are needed for the failure counts; the rest only if some point is offered to p.
      StepGeometry& g = geometry[p];
      if (g.observed && g.summarized) {
        if (g.full) {
          g.summary_backoff = std::min(2 * g.summary_backoff, kMostSummaryWait);
          g.summary_wait = g.summary_backoff;
        } else {
          g.summary_backoff = 1;
        }
      }
      setups_[p].provider->fleet->itrf_states(at, g.states, g.errors, {.threads = 1});
      g.failed = 0;
      for (const orbits::Sgp4Error e : g.errors) g.failed += e != orbits::Sgp4Error::none ? 1 : 0;
      g.observed = false;
    }
    for (const LinkDirection d : {kDownlink, kUplink}) {
      if (d == kUplink && !uplink_) continue;
      out.carried[d].resize(setups_.size());
      for (std::vector<double>& c : out.carried[d]) c.assign(points_.size(), 0.0);
      out.usage[d].assign(setups_.size(), ProviderUsage{});
      for (std::size_t p = 0; p < setups_.size(); ++p) out.usage[d][p].failed_states = geometry[p].failed;
    }
    offer_in_rounds(kDownlink, geometry, scratch, out);
    if (!uplink_) return;
    // The uplink over the same geometry (in-view sets, gateways, permissions), with its own beam rates.
    for (StepGeometry& g : geometry) {
      if (g.observed) g.cell_best_beam.assign(g.cell_best_beam.size(), kNotYet);
    }
    offer_in_rounds(kUplink, geometry, scratch, out);
  }

 private:
  void observe(std::size_t p, Scratch& s, StepGeometry& g) const {
    const ProviderSetup& setup = setups_[p];
    const Provider& provider = *setup.provider;
    const ServiceModel& model = *provider.model;
    g.observed = true;
    if (setup.layout) {
      g.layout = &*setup.layout;
    } else {
      g.moved.emplace(model, points_, s.positions);
      g.layout = &*g.moved;
    }
    const PointLayout& layout = *g.layout;
    g.pooled_gateway_mbps = 0.0;
    // A failed satellite's state is NaN, which in_view leaves out.
    double max_r2 = 0.0;
    for (const frames::StateVector& st : g.states) {
      const double r2 = st.r_km.x * st.r_km.x + st.r_km.y * st.r_km.y + st.r_km.z * st.r_km.z;
      if (std::isfinite(r2)) max_r2 = std::max(max_r2, r2);
    }
    g.highest_radius_km = std::sqrt(max_r2);
    const std::span<const bool> candidate = candidates(setup, layout, g.states, g.highest_radius_km, s);
    visibility::InViewOptions view;
    view.min_elevation_rad = provider.min_elevation_rad;
    g.full = false;
    g.summarized = !options_.list_every_pair && g.summary_wait == 0;
    if (g.summary_wait > 0) --g.summary_wait;
    if (g.summarized) {
      visibility::summarize_sightings(layout.points, g.states, candidate, provider.min_elevation_rad,
                                      setup.bandwidth_slot, setup.bandwidths.size(), s.sighting_buffers,
                                      g.summary);
    } else {
      visibility::sightings(layout.points, g.states, candidate, provider.min_elevation_rad,
                            s.sighting_buffers, g.in_view);
      g.full = true;
    }
    if (setup.gateways) {
      view.min_elevation_rad = model.gateway_min_elevation_rad;
      if (model.isl) {
        pool_gateways(setup, s, view, g);
      } else {
        // Bent pipe: only satellites that may serve a point need their gateways.
        visibility::sightings(*setup.gateways, g.states, candidate, view.min_elevation_rad,
                              s.sighting_buffers, s.gateway_view);
        g.sat_gateways.resize(g.states.size());
        for (std::vector<std::uint32_t>& v : g.sat_gateways) v.clear();
        for (std::uint32_t gw = 0; gw < setup.gateways->size(); ++gw) {
          for (const visibility::Sighting& e : s.gateway_view.of_site(gw))
            g.sat_gateways[e.satellite].push_back(gw);
        }
      }
    }
    g.cell_best_beam.assign(layout.cell_multiplier.size(), kNotYet);
    if (p < s.permitted.size() && !s.permitted[p].empty()) {
      g.permitted = s.permitted[p];
    } else {
      g.permitted.assign(points_.size(), 1);
    }
  }

  // Every satellite in view of every point (g.in_view), listed once a step when first needed: by a
  // point whose demand outruns the links the summary lists, a cell whose best beam the summary leaves
  // open, an instance that is not built from first sites, the uplink. The same test as the summary's.
  void list_every_pair(std::size_t p, Scratch& s, StepGeometry& g) const {
    if (g.full) return;
    const ProviderSetup& setup = setups_[p];
    const std::span<const bool> candidate = candidates(setup, *g.layout, g.states, g.highest_radius_km, s);
    visibility::sightings(g.layout->points, g.states, candidate, setup.provider->min_elevation_rad,
                          s.sighting_buffers, g.in_view);
    g.full = true;
  }

  // The topocentric vector from point i to a satellite (the doubles sightings() decided with).
  static frames::Vec3 enu(const StepGeometry& g, std::uint32_t i, std::uint32_t satellite) {
    return g.layout->points.site(i).enu(g.states[satellite].r_km);
  }

  // One beam's rate over point i's sighting `e`, Mbps (0: a satellite without a class). Computed each
  // time it is read, which is rarely more than once a step (a cache of every entry's would cost more to
  // clear each step than the few it saves).
  double rate(LinkDirection d, std::size_t p, const StepGeometry& g, std::uint32_t i,
              const visibility::Sighting& e) const {
    const ProviderSetup& s = setup(d, p);
    const SatelliteClass* c = s.classes[e.satellite];
    if (!c) return 0.0;
    if (static_cast<double>(e.elevation_key) > s.flat_top_key)
      return c->beam_bandwidth_mhz * s.flat_top_efficiency;
    return c->beam_bandwidth_mhz *
           s.efficiency(visibility::elevation_of(enu(g, i, e.satellite)));  // beam_rate_mbps
  }

  [[nodiscard]] const ProviderSetup& setup(LinkDirection d, std::size_t p) const {
    return d == kUplink ? up_setups_[p] : setups_[p];
  }
  // Point i's demand in a direction (no uplink demand: 0).
  [[nodiscard]] double demand(LinkDirection d, std::size_t i) const {
    return d == kUplink ? options_.demand_up_mbps[i] : points_[i].demand_mbps;
  }

  // The highest single-beam rate of a cell's sightings, Mbps, computed once a step. When efficiency never
  // falls with elevation, only the sightings whose elevation key (within 1e-7 of sin(e) |sin(e)|) is
  // within kKeySlack of the highest of their beam bandwidth can hold it, so only their rates are
  // computed; the maximum is the same double as over every sighting. From the summary (the downlink
  // only): the two highest keys of each point and slot are those sightings unless a point's third
  // highest is within the slack too (then every sighting is listed).
  double best_beam(LinkDirection d, std::size_t p, StepGeometry& g, std::uint32_t cell,
                   Scratch& scratch) const {
    double& best = g.cell_best_beam[cell];
    if (!std::isnan(best)) return best;
    const PointLayout& layout = *g.layout;
    const ProviderSetup& setup = this->setup(d, p);
    // Twice the keys' rounding, and more.
    constexpr float kKeySlack = 1e-6f;
    constexpr float kNoKey = -std::numeric_limits<float>::infinity();
    std::vector<float>& highest = scratch.highest;
    best = 0.0;
    if (!g.full && !setup.efficiency_rises) list_every_pair(p, scratch, g);
    if (!g.full) {
      const std::size_t slots = setup.bandwidths.size();
      const std::vector<visibility::SightingSummary::Top>& top = g.summary.top;
      highest.assign(slots, kNoKey);
      for (std::uint32_t j = layout.cell_first[cell]; j < layout.cell_first[cell + 1]; ++j) {
        const std::uint32_t i = layout.cell_points[j];
        for (std::size_t q = 0; q < slots; ++q) highest[q] = std::max(highest[q], top[i * slots + q].key[0]);
      }
      bool open = false;
      for (std::uint32_t j = layout.cell_first[cell]; j < layout.cell_first[cell + 1] && !open; ++j) {
        const std::uint32_t i = layout.cell_points[j];
        for (std::size_t q = 0; q < slots; ++q) {
          if (highest[q] == kNoKey) continue;
          const float least = highest[q] - kKeySlack;
          const visibility::SightingSummary::Top& t = top[i * slots + q];
          if (t.key[2] >= least) open = true;
          for (std::size_t m = 0; m < 2; ++m) {
            if (t.key[m] >= least) best = std::max(best, rate(d, p, g, i, {t.satellite[m], t.key[m]}));
          }
        }
      }
      if (!open) return best;
      best = 0.0;
      list_every_pair(p, scratch, g);
    }
    const auto each_sighting = [&](auto&& f) {
      for (std::uint32_t j = layout.cell_first[cell]; j < layout.cell_first[cell + 1]; ++j) {
        const std::uint32_t i = layout.cell_points[j];
        for (const visibility::Sighting& e : g.in_view.of_site(i)) {
          if (setup.classes[e.satellite]) f(i, e);
        }
      }
    };
    if (!setup.efficiency_rises) {
      each_sighting([&](std::uint32_t i, const visibility::Sighting& e) {
        best = std::max(best, rate(d, p, g, i, e));
      });
      return best;
    }
    highest.assign(setup.bandwidths.size(), kNoKey);
    each_sighting([&](std::uint32_t, const visibility::Sighting& e) {
      const std::uint32_t slot = setup.bandwidth_slot[e.satellite];
      highest[slot] = std::max(highest[slot], e.elevation_key);
    });
    each_sighting([&](std::uint32_t i, const visibility::Sighting& e) {
      if (e.elevation_key >= highest[setup.bandwidth_slot[e.satellite]] - kKeySlack)
        best = std::max(best, rate(d, p, g, i, e));
    });
    return best;
  }

  // With inter-satellite links: the capacity of the gateways some satellite sees. Each gateway is first
  // tested against a satellite chosen at an earlier step of this thread (one look, usually enough: a
  // hint, never trusted); the others against the satellites of the direction grid's cells around them,
  // each by the elevation of in_view (the same double), so the result is exact and does not depend on
  // the hints.
  static void pool_gateways(const ProviderSetup& setup, Scratch& s, const visibility::InViewOptions& view,
                            StepGeometry& g) {
    const visibility::SiteGrid& gateways = *setup.gateways;
    const double capacity = setup.provider->model->gateway_capacity_mbps;
    const std::size_t n = g.states.size();
    s.gateway_hint.resize(gateways.size(), 0);
    const double sin_min = std::sin(view.min_elevation_rad);
    std::vector<std::uint32_t>& open = s.open_gateways;
    open.clear();
    for (std::uint32_t gw = 0; gw < gateways.size(); ++gw) {
      const std::uint32_t h = s.gateway_hint[gw];
      if (h < n && std::isfinite(g.states[h].r_km.x) &&
          visibility::sees(gateways.site(gw).enu(g.states[h].r_km), view.min_elevation_rad, sin_min)) {
        g.pooled_gateway_mbps += capacity;
      } else {
        open.push_back(gw);
      }
    }
    if (open.empty()) return;
    const double reach = visibility::search_radius_rad(g.highest_radius_km, gateways.min_radius_km(),
                                                       gateways.max_radius_km(), view.min_elevation_rad);
    const double min_cos = reach >= std::numbers::pi ? -2.0 : std::cos(reach);
    // A satellite can see the gateway only when r . dir >= cos(reach) |r|; those that do are tested
    // exactly. The next hint is the one of them that will be highest a minute on (its position moved
    // along its velocity): likely still in view at the thread's next steps.
    const auto test = [&](std::uint32_t gw, std::size_t k, bool& seen, double& best_ahead) {
      const frames::StateVector& st = g.states[k];
      const frames::Vec3& r = st.r_km;
      const frames::Vec3& dir = setup.gateway_unit[gw];
      const double bound = min_cos * std::sqrt(r.x * r.x + r.y * r.y + r.z * r.z);
      if (!(r.x * dir.x + r.y * dir.y + r.z * dir.z >= bound && std::isfinite(bound))) return;
      const frames::Topocentric& site = gateways.site(gw);
      if (!visibility::sees(site.enu(r), view.min_elevation_rad, sin_min)) return;
      seen = true;
      const double ahead = visibility::sin_elevation_of(site.enu(r + st.v_km_s * kHintLookaheadS));
      if (ahead > best_ahead) best_ahead = ahead, s.gateway_hint[gw] = static_cast<std::uint32_t>(k);
    };
    // A satellite within `reach` of a unit vector d has its direction within the chord 2 sin(reach / 2)
    // of d in every coordinate; 1e-6 more absorbs rounding.
    const bool everywhere = reach >= std::numbers::pi;
    const double chord = 2.0 * std::sin(reach / 2.0) + 1e-6;
    if (!everywhere) s.directions.bucket(g.states, std::max(chord, 0.05));
    for (const std::uint32_t gw : open) {
      bool seen = false;
      double best_ahead = -2.0;
      if (everywhere) {
        for (std::size_t k = 0; k < n; ++k) test(gw, k, seen, best_ahead);
      } else {
        s.directions.for_each_within(setup.gateway_unit[gw], chord,
                                     [&](std::uint32_t k) { test(gw, k, seen, best_ahead); });
      }
      if (seen) g.pooled_gateway_mbps += capacity;
    }
  }

  // The satellites that may see a point: direction within the points' cap plus the search radius of
  // the highest satellite (visibility::search_radius_rad; exact tests follow in in_view). Failed
  // states are not candidates.
  static std::span<const bool> candidates(const ProviderSetup& setup, const PointLayout& layout,
                                          std::span<const frames::StateVector> states,
                                          double highest_radius_km, Scratch& s) {
    const std::size_t n = states.size();
    if (s.candidates < n) {
      s.candidate = std::make_unique<bool[]>(n);
      s.candidates = n;
    }
    const double reach =
        layout.spread_rad + visibility::search_radius_rad(highest_radius_km, layout.points.min_radius_km(),
                                                          layout.points.max_radius_km(),
                                                          setup.provider->min_elevation_rad);
    const double min_cos = reach >= std::numbers::pi ? -2.0 : std::cos(reach);
    const frames::Vec3& c = layout.centre;
    for (std::size_t k = 0; k < n; ++k) {
      const frames::Vec3& r = states[k].r_km;
      const double r2 = r.x * r.x + r.y * r.y + r.z * r.z;
      s.candidate[k] = std::isfinite(r2) && r.x * c.x + r.y * c.y + r.z * c.z >= min_cos * std::sqrt(r2);
    }
    return {s.candidate.get(), n};
  }

  // Whether provider p can be offered point i: permitted and some classified satellite in view.
  bool reachable(std::size_t p, const StepGeometry& g, std::size_t i) const {
    if (!g.permitted[i]) return false;
    if (g.summarized) return g.summary.count[i] > 0;
    for (const visibility::Sighting& e : g.in_view.of_site(i)) {
      if (setups_[p].classes[e.satellite]) return true;
    }
    return false;
  }

  // The preference rounds of one direction: each direction offers its own demand in its own rounds, so
  // the uplink's spill-over follows the uplink's shortfall (docs/capacity.md).
  void offer_in_rounds(LinkDirection d, std::vector<StepGeometry>& geometry, Scratch& scratch,
                       StepResult& out) {
    const std::size_t n = points_.size();
    std::vector<double> remaining(n);
    std::vector<std::size_t> next_choice(n, 0);
    for (std::size_t i = 0; i < n; ++i) remaining[i] = demand(d, i);
    // Per provider, the points it has been offered so far (each once) and the round's offers.
    std::vector<std::vector<std::uint32_t>> served(setups_.size());
    for (std::size_t round = 0; round < setups_.size(); ++round) {
      std::vector<std::vector<std::uint32_t>> offers(setups_.size());
      bool any = false;
      for (std::uint32_t i = 0; i < n; ++i) {
        if (!(remaining[i] > kMetMargin * demand(d, i))) continue;
        const auto& prefs = points_[i].preferences;
        while (next_choice[i] < prefs.size()) {
          const std::uint32_t p = prefs[next_choice[i]++];
          if (!geometry[p].observed) observe(p, scratch, geometry[p]);
          if (reachable(p, geometry[p], i)) {
            offers[p].push_back(i);
            any = true;
            break;
          }
        }
      }
      if (!any) break;
      for (std::size_t p = 0; p < setups_.size(); ++p) {
        if (offers[p].empty()) continue;
        solve(d, p, geometry[p], served[p], offers[p], remaining, scratch, out);
        served[p].insert(served[p].end(), offers[p].begin(), offers[p].end());
      }
    }
  }

  // One provider in one round: earlier rounds' points keep their allocations (priority class 0), the
  // round's offers share the rest by rank (classes 1 + rank).
  void solve(LinkDirection d, std::size_t p, StepGeometry& g, const std::vector<std::uint32_t>& earlier,
             const std::vector<std::uint32_t>& offered, std::vector<double>& remaining, Scratch& scratch,
             StepResult& out) const {
    const ProviderSetup& setup = this->setup(d, p);
    const ServiceModel& model = *setup.model;
    std::vector<double>& carried = out.carried[d][p];
    // The summary's slots are the downlink's beam bandwidths.
    if (d == kUplink) list_every_pair(p, scratch, g);
    Instance& in = scratch.instance;
    in.satellites.clear();
    in.cells.clear();
    in.points.clear();
    in.links.clear();
    in.gateway_mode = GatewayMode::none;
    in.gateways.clear();
    in.sat_gateways.clear();
    std::vector<std::uint32_t>& sats = scratch.sats;
    sats.clear();
    std::vector<std::uint32_t>& sat_index = scratch.sat_index;
    std::vector<std::uint32_t>& cell_index = scratch.cell_index;
    if (sat_index.size() < setup.classes.size()) sat_index.resize(setup.classes.size(), kAbsent);
    const PointLayout& layout = *g.layout;
    if (cell_index.size() < layout.cell_multiplier.size())
      cell_index.resize(layout.cell_multiplier.size(), kAbsent);
    std::vector<std::uint32_t>& point_of = scratch.point_of;  // instance point -> point
    point_of.clear();
    // The instance's satellites are those in view of its points, in the order its points' sightings
    // first list them. When that order follows from each satellite's first site, it is built from
    // them (one entry per satellite) rather than from every sighting.
    const bool by_first_site = first_sites_decide(setup, g, earlier, offered);
    if (!by_first_site) list_every_pair(p, scratch, g);
    const auto add_point = [&](std::uint32_t i, double demand, std::uint32_t priority) {
      bool fresh_cell = false;
      const std::uint32_t c = compact(cell_index, layout.cell[i], in.cells.size(), fresh_cell);
      if (fresh_cell) {
        in.cells.push_back(model.max_beams_per_cell * best_beam(d, p, g, layout.cell[i], scratch) *
                           layout.cell_multiplier[layout.cell[i]]);
      }
      in.points.push_back({c, demand, priority});
      point_of.push_back(i);
      if (by_first_site) return;
      for (const visibility::Sighting& e : g.in_view.of_site(i)) {
        if (!setup.classified[e.satellite]) continue;
        bool fresh_sat = false;
        compact(sat_index, e.satellite, sats.size(), fresh_sat);
        if (fresh_sat) {
          sats.push_back(e.satellite);
          in.satellites.push_back(setup.satellite_capacity[e.satellite]);
        }
      }
    };
    for (std::uint32_t i : earlier) add_point(i, carried[i], 0);
    for (std::uint32_t i : offered) add_point(i, remaining[i], 1 + setup.rank[i]);
    if (by_first_site) {
      std::vector<std::uint64_t>& first_seen = scratch.first_seen;
      first_seen.clear();
      const std::vector<std::uint32_t>& first_site = g.full ? g.in_view.first_site : g.summary.first_site;
      for (std::uint32_t s = 0; s < first_site.size(); ++s) {
        if (first_site[s] != visibility::Sightings::kNoSite && setup.classified[s])
          first_seen.push_back(std::uint64_t{first_site[s]} << 32 | s);
      }
      std::sort(first_seen.begin(), first_seen.end());
      for (const std::uint64_t key : first_seen) {
        const auto s = static_cast<std::uint32_t>(key);
        sat_index[s] = static_cast<std::uint32_t>(sats.size());
        sats.push_back(s);
        in.satellites.push_back(setup.satellite_capacity[s]);
      }
    }
    add_gateways(setup, g, scratch);

    // Instance point k's links, one per classified satellite in view, in the sightings' order; a link's
    // capacity (beams x the beam's rate) is computed when read. Demand that fits whole reads the links
    // it uses only (no link list is built); otherwise the allocation gets them all.
    // From the summary, the point's first links (usually all it needs); the rest, when the demand
    // outruns them, from the list of every pair.
    const auto point_links = [&](std::size_t k, auto&& take) {
      const std::uint32_t i = point_of[k];
      const auto link = [&](const visibility::Sighting& e) {
        const double beams = std::min(model.max_beams_per_cell, setup.classes[e.satellite]->beams);
        return take(sat_index[e.satellite], beams * rate(d, p, g, i, e));
      };
      std::size_t listed = 0;  // links already read from the summary
      if (!g.full) {
        for (const visibility::Sighting& e : g.summary.listed_of(i)) {
          if (!link(e)) return;
        }
        if (g.summary.complete(i)) return;
        listed = visibility::SightingSummary::kListed;
        list_every_pair(p, scratch, g);
      }
      for (const visibility::Sighting& e : g.in_view.of_site(i)) {
        if (!setup.classes[e.satellite]) continue;
        if (listed > 0) {
          --listed;
          continue;
        }
        if (!link(e)) return;
      }
    };
    Allocation a;
    if (!internal::route_whole_demand_by_point(in, point_links, a)) {
      for (std::size_t k = 0; k < in.points.size(); ++k) {
        point_links(k, [&](std::uint32_t s, double capacity) {
          in.links.push_back({s, static_cast<std::uint32_t>(k), capacity});
          return true;
        });
      }
      a = allocate(in);
    }
    for (const std::uint32_t s : sats) sat_index[s] = kAbsent;
    for (std::uint32_t i : earlier) cell_index[layout.cell[i]] = kAbsent;
    for (std::uint32_t i : offered) cell_index[layout.cell[i]] = kAbsent;
    const std::size_t first_offer = earlier.size();
    ProviderUsage& u = out.usage[d][p];
    for (std::size_t k = 0; k < offered.size(); ++k) {
      const std::uint32_t i = offered[k];
      const double x = std::min(a.points[first_offer + k], remaining[i]);
      carried[i] = x;
      remaining[i] -= x;
      u.offered_mbps_steps += demand(d, i) > 0 ? x + remaining[i] : 0.0;
      u.carried_mbps_steps += x;
    }
    // The last round's network holds every point this provider serves: its flows are the usage.
    u.satellite_steps = sats.size();
    u.satellite_capacity_steps = 0.0;
    u.satellite_flow_steps = 0.0;
    u.saturated_satellite_steps = 0;
    for (std::size_t s = 0; s < sats.size(); ++s) {
      u.satellite_capacity_steps += in.satellites[s];
      u.satellite_flow_steps += a.satellites[s];
      if (a.satellites[s] >= in.satellites[s] * (1.0 - 1e-6)) ++u.saturated_satellite_steps;
    }
    u.cell_steps = in.cells.size();
    u.saturated_cell_steps = 0;
    for (std::size_t c = 0; c < in.cells.size(); ++c) {
      if (a.cells[c] >= in.cells[c] * (1.0 - 1e-6)) ++u.saturated_cell_steps;
    }
    u.gateway_capacity_steps = 0.0;
    u.gateway_flow_steps = 0.0;
    for (std::size_t k = 0; k < in.gateways.size(); ++k) {
      u.gateway_capacity_steps += in.gateways[k];
      u.gateway_flow_steps += a.gateways[k];
    }
  }

  // Whether an instance of `earlier` then `offered` lists its satellites in the order of their first
  // site (Sightings::first_site, then satellite index), as solve() would find them walking its points'
  // sightings: when there are no earlier points, the offered ones increase (a point's sightings
  // increase in satellite) and the points left out see no classified satellite (so each satellite's
  // first site is an offered point's).
  bool first_sites_decide(const ProviderSetup& setup, const StepGeometry& g,
                          const std::vector<std::uint32_t>& earlier,
                          const std::vector<std::uint32_t>& offered) const {
    if (!earlier.empty()) return false;
    std::size_t next = 0;  // offered[next]: the next offered point expected
    for (std::uint32_t i = 0; i < points_.size(); ++i) {
      if (next < offered.size() && offered[next] == i) {
        ++next;
        continue;
      }
      if (!g.full) {
        if (g.summary.count[i] > 0) return false;
        continue;
      }
      for (const visibility::Sighting& e : g.in_view.of_site(i)) {
        if (setup.classified[e.satellite]) return false;
      }
    }
    return next == offered.size();
  }

  static void add_gateways(const ProviderSetup& setup, const StepGeometry& g, Scratch& scratch) {
    Instance& in = scratch.instance;
    const std::vector<std::uint32_t>& sats = scratch.sats;
    if (!setup.gateways) return;
    in.gateway_mode = GatewayMode::bent_pipe;
    if (setup.provider->model->isl) {
      // Inter-satellite links: every satellite reaches the gateways any satellite sees.
      in.gateways = {g.pooled_gateway_mbps};
      for (std::uint32_t s = 0; s < sats.size(); ++s) in.sat_gateways.emplace_back(s, 0);
      return;
    }
    std::vector<std::uint32_t>& index = scratch.gateway_index;
    if (index.size() < setup.gateways->size()) index.resize(setup.gateways->size(), kAbsent);
    for (std::uint32_t s = 0; s < sats.size(); ++s) {
      for (std::uint32_t gw : g.sat_gateways[sats[s]]) {
        bool fresh = false;
        const std::uint32_t k = compact(index, gw, in.gateways.size(), fresh);
        if (fresh) in.gateways.push_back(setup.provider->model->gateway_capacity_mbps);
        in.sat_gateways.emplace_back(s, k);
      }
    }
    for (std::uint32_t s = 0; s < sats.size(); ++s) {
      for (std::uint32_t gw : g.sat_gateways[sats[s]]) index[gw] = kAbsent;
    }
  }

  std::span<const DemandPoint> points_;
  const CapacityOptions& options_;
  std::vector<ProviderSetup> setups_;                     // downlink
  bool uplink_ = false;                                   // some point has uplink demand
  std::vector<std::unique_ptr<ServiceModel>> up_models_;  // per provider: uplink_model of its model
  std::vector<ProviderSetup> up_setups_;                  // uplink (with uplink_)
};

void check(std::span<const DemandPoint> points, std::span<const Provider> providers,
           std::span<const double> demand_up) {
  const auto fail = [](const std::string& what) { throw std::invalid_argument("capacity: " + what); };
  for (const Provider& p : providers) {
    if (!p.fleet || !p.model) fail("provider '" + p.name + "' has no fleet or no service model");
    if (!(p.min_elevation_rad >= 0.0 && p.min_elevation_rad <= std::numbers::pi / 2)) {
      fail("a provider's minimum elevation must lie in [0, pi/2]");
    }
    if (!p.satellite_names.empty() && p.satellite_names.size() != p.fleet->size()) {
      fail("provider '" + p.name + "': satellite_names must be empty or one per satellite");
    }
  }
  for (const DemandPoint& d : points) {
    if (!(std::isfinite(d.demand_mbps) && d.demand_mbps >= 0.0)) fail("demands must be finite and >= 0");
    if (d.level < 0 || d.level > 30) fail("a demand point's level must lie in [0, 30]");
    std::vector<bool> seen(providers.size(), false);
    for (std::uint32_t p : d.preferences) {
      if (p >= providers.size() || seen[p]) fail("preferences must name each provider at most once");
      seen[p] = true;
    }
  }
  if (demand_up.empty()) return;
  if (demand_up.size() != points.size()) fail("uplink demands must be none or one per point");
  for (const double d : demand_up) {
    if (!(std::isfinite(d) && d >= 0.0)) fail("uplink demands must be finite and >= 0");
  }
  for (const Provider& p : providers) {
    if (!p.model->has_uplink) {
      fail("provider '" + p.name + "': its service model (" + p.model->source +
           ") has no uplink figures, and points ask for uplink demand");
    }
  }
}

// Running statistics of one point and row: sum, minimum, full steps and the k smallest values (for
// the nearest-rank 5th percentile).
struct Accumulator {
  double sum = 0.0;
  double min = std::numeric_limits<double>::infinity();
  std::uint32_t full = 0;
  std::vector<double> smallest;  // max-heap of at most k values

  void add(double x, double demand, std::size_t k) {
    sum += x;
    min = std::min(min, x);
    if (x >= demand * (1.0 - kMetMargin)) ++full;
    if (smallest.size() < k) {
      smallest.push_back(x);
      std::push_heap(smallest.begin(), smallest.end());
    } else if (x < smallest.front()) {
      std::pop_heap(smallest.begin(), smallest.end());
      smallest.back() = x;
      std::push_heap(smallest.begin(), smallest.end());
    }
  }
};

// Folds one step of one direction into the running statistics (acc[row * points + point]) and the
// providers' usage.
void fold_step(const std::vector<std::vector<double>>& carried, const std::vector<ProviderUsage>& step_usage,
               const std::vector<double>& demand, std::size_t k, std::vector<Accumulator>& acc,
               std::vector<ProviderUsage>& usage) {
  const std::size_t n = demand.size();
  const std::size_t providers = carried.size();
  for (std::size_t i = 0; i < n; ++i) {
    double total = 0.0;
    for (std::size_t p = 0; p < providers; ++p) {
      acc[p * n + i].add(carried[p][i], demand[i], k);
      total += carried[p][i];
    }
    acc[providers * n + i].add(total, demand[i], k);
  }
  for (std::size_t p = 0; p < providers; ++p) {
    ProviderUsage& u = usage[p];
    const ProviderUsage& d = step_usage[p];
    u.offered_mbps_steps += d.offered_mbps_steps;
    u.carried_mbps_steps += d.carried_mbps_steps;
    u.satellite_capacity_steps += d.satellite_capacity_steps;
    u.satellite_flow_steps += d.satellite_flow_steps;
    u.satellite_steps += d.satellite_steps;
    u.saturated_satellite_steps += d.saturated_satellite_steps;
    u.cell_steps += d.cell_steps;
    u.saturated_cell_steps += d.saturated_cell_steps;
    u.gateway_capacity_steps += d.gateway_capacity_steps;
    u.gateway_flow_steps += d.gateway_flow_steps;
    u.failed_states += d.failed_states;
  }
}

}  // namespace capacity_engine

namespace capacity_detail {

// A demand attribute's value: a number >= 0 (InputError at `where` otherwise).
double parse_demand(const std::string& text, const SourceLocation& where) {
  double v = -1.0;
  std::size_t used = 0;
  try {
    v = std::stod(text, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used == 0 || used != text.size() || !std::isfinite(v) || v < 0.0) {
    throw InputError(where, "expected a demand >= 0 Mbps, found \"" + text + "\"");
  }
  return v;
}

}  // namespace capacity_detail

double site_demand_mbps(const earth::Site& site, const std::string& source, double fallback,
                        const std::string& missing_hint) {
  const SourceLocation where{source, 0, "site " + site.id + ": demand_mbps"};
  const std::string* text = site.attribute("demand_mbps");
  if (text == nullptr || text->empty()) {
    if (fallback >= 0.0) return fallback;
    throw InputError(where,
                     "expected a demand_mbps column (the site's downlink demand, Mbps)" + missing_hint);
  }
  return capacity_detail::parse_demand(*text, where);
}

std::optional<double> site_demand_up_mbps(const earth::Site& site, const std::string& source,
                                          std::optional<double> fallback, bool required,
                                          const std::string& missing_hint) {
  const SourceLocation where{source, 0, "site " + site.id + ": demand_up_mbps"};
  const std::string* text = site.attribute("demand_up_mbps");
  if (text == nullptr || text->empty()) {
    if (fallback || !required) return fallback;
    throw InputError(where,
                     "expected an uplink demand >= 0 Mbps (demand_up_mbps), found none" + missing_hint);
  }
  return capacity_detail::parse_demand(*text, where);
}

CapacityResult compute_capacity(std::span<const DemandPoint> points, std::span<const Provider> providers,
                                const time::Window& window, const CapacityOptions& options,
                                const RunContext& run) {
  using namespace capacity_engine;
  check(points, providers, options.demand_up_mbps);
  CapacityResult r;
  for (const Provider& p : providers) r.names.push_back(p.name);
  r.names.emplace_back("any");
  r.points = points.size();
  r.steps = window.size();
  for (const DemandPoint& d : points) r.demand_mbps.push_back(d.demand_mbps);
  r.usage.resize(providers.size());

  Engine engine(points, providers, options);
  r.uplink = engine.uplink();
  if (r.uplink) {
    r.demand_up_mbps = options.demand_up_mbps;
    r.usage_up.resize(providers.size());
  }
  for (std::size_t p = 0; p < providers.size(); ++p) {
    r.usage[p].unclassified_satellites = engine.unclassified(p);
    if (r.uplink) r.usage_up[p].unclassified_satellites = engine.unclassified(p);
  }
  const std::size_t rows = providers.size() + 1;
  const std::size_t k = std::max<std::size_t>(1, (window.size() * 5 + 99) / 100);  // ceil(5 % of the steps)
  // Per direction: the running statistics of every row and point, the demands and the usage.
  std::array<std::vector<Accumulator>, 2> acc;
  acc[kDownlink].resize(rows * points.size());
  if (r.uplink) acc[kUplink].resize(rows * points.size());
  const std::array<const std::vector<double>*, 2> demand{&r.demand_mbps, &r.demand_up_mbps};
  const std::array<std::vector<ProviderUsage>*, 2> usage{&r.usage, &r.usage_up};

  // The providers some point's preferences name: the only ones the permission is asked about.
  std::vector<bool> named(providers.size(), false);
  for (const DemandPoint& d : points) {
    for (const std::uint32_t p : d.preferences) named[p] = true;
  }
  tbb::enumerable_thread_specific<Scratch> scratch;
  tbb::task_arena arena(static_cast<int>(run.workers()));
  std::vector<StepResult> block(kStepBlock);
  // Per step of the block and provider: the permissions, asked in step order before the block runs.
  std::vector<std::vector<std::vector<std::uint8_t>>> permitted(kStepBlock);
  for (std::size_t first = 0; first < window.size(); first += kStepBlock) {
    const std::size_t count = std::min(kStepBlock, window.size() - first);
    if (options.permission) {
      for (std::size_t j = 0; j < count; ++j) {
        permitted[j].resize(providers.size());
        for (std::size_t p = 0; p < providers.size(); ++p) {
          if (!named[p]) continue;
          permitted[j][p].assign(points.size(), 1);
          options.permission(p, window.at(first + j), permitted[j][p]);
        }
      }
    }
    arena.execute([&] {
      tbb::parallel_for(std::size_t{0}, count, [&](std::size_t j) {
        engine.step(window.at(first + j), permitted[j], scratch.local(), block[j]);
      });
    });
    for (std::size_t j = 0; j < count; ++j) {
      for (const LinkDirection dir : {kDownlink, kUplink}) {
        if (dir == kUplink && !r.uplink) continue;
        fold_step(block[j].carried[dir], block[j].usage[dir], *demand[dir], k, acc[dir], *usage[dir]);
      }
    }
    run.report("capacity", static_cast<double>(first + count) / static_cast<double>(window.size()));
  }

  for (const LinkDirection dir : {kDownlink, kUplink}) {
    if (dir == kUplink && !r.uplink) continue;
    std::vector<PointCapacity>& stats = dir == kUplink ? r.stats_up : r.stats;
    stats.resize(rows * points.size());
    for (std::size_t row = 0; row < rows; ++row) {
      for (std::size_t i = 0; i < points.size(); ++i) {
        const Accumulator& a = acc[dir][row * points.size() + i];
        PointCapacity& out = stats[row * points.size() + i];
        if (r.steps == 0) continue;
        const double d = (*demand[dir])[i];
        out.mean_mbps = a.sum / static_cast<double>(r.steps);
        out.min_mbps = a.min;
        out.p5_mbps = a.smallest.front();
        out.demand_met_fraction = d > 0.0 ? std::min(1.0, out.mean_mbps / d) : 1.0;
        out.full_service_fraction = static_cast<double>(a.full) / static_cast<double>(r.steps);
      }
    }
  }
  return r;
}

}  // namespace skyfence::capacity
