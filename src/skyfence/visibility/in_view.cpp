// In-view sets with a latitude/longitude grid of sites; the method and its safety margins are in
// in_view.h.
#include "skyfence/visibility/in_view.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <memory>
#include <numbers>
#include <stdexcept>

#include "skyfence/visibility/internal/elevation_kernel.h"
#include "skyfence/visibility/parallel.h"

namespace skyfence::visibility {
namespace {

constexpr double kPi = std::numbers::pi;
constexpr double kHalfPi = std::numbers::pi / 2.0;
// Slack on the grid's cell ranges (radians) on top of one extra cell each side.
constexpr double kGridSlackRad = 1e-9;
// Satellites handled by one task; fixed, so the work split never depends on the thread count.
constexpr std::size_t kSatChunk = 256;

struct Hit {
  std::uint32_t site;
  InViewEntry entry;
};

bool state_usable(std::span<const frames::StateVector> sat_itrf, std::span<const bool> valid, std::size_t s) {
  if (!valid.empty() && !valid[s]) return false;
  const frames::Vec3& r = sat_itrf[s].r_km;
  const frames::Vec3& v = sat_itrf[s].v_km_s;
  return std::isfinite(r.x) && std::isfinite(r.y) && std::isfinite(r.z) && std::isfinite(v.x) &&
         std::isfinite(v.y) && std::isfinite(v.z);
}

void check_options(const InViewOptions& o) {
  if (!(std::abs(o.min_elevation_rad) <= kHalfPi)) {
    throw std::invalid_argument("in_view: min_elevation_rad must lie in [-pi/2, pi/2]");
  }
}

// Groups hits (emitted in increasing satellite order) by site with a stable counting sort.
void assemble(std::size_t n_sites, const std::vector<std::vector<Hit>>& chunks,
              std::vector<std::uint32_t> failed, InViewSet& out) {
  out.site_offsets.assign(n_sites + 1, 0);
  std::size_t total = 0;
  for (const auto& c : chunks) {
    total += c.size();
    for (const Hit& h : c) ++out.site_offsets[h.site + 1];
  }
  for (std::size_t k = 0; k < n_sites; ++k) out.site_offsets[k + 1] += out.site_offsets[k];
  out.entries.resize(total);
  std::vector<std::uint32_t> next(out.site_offsets.begin(), out.site_offsets.end() - 1);
  for (const auto& c : chunks) {
    for (const Hit& h : c) out.entries[next[h.site]++] = h.entry;
  }
  out.failed = std::move(failed);
}

}  // namespace

double search_radius_rad(double sat_radius_km, double min_site_radius_km, double max_site_radius_km,
                         double min_elevation_rad) {
  const double e = min_elevation_rad - kVerticalDeflectionBoundRad;
  if (e <= -kHalfPi || !(sat_radius_km > max_site_radius_km)) return kPi;
  const double k = min_site_radius_km * std::cos(e) / sat_radius_km;
  const double lambda = std::acos(std::clamp(k, -1.0, 1.0)) - e + kSearchRadiusMarginRad;
  return std::min(lambda, kPi);
}

SiteIndex::SiteIndex(std::span<const frames::Geodetic> sites, double cell_deg) {
  if (cell_deg != 0.0 && !(cell_deg >= 0.01 && cell_deg <= 180.0)) {
    throw std::invalid_argument("SiteIndex: cell_deg must be 0 (automatic) or in [0.01, 180]");
  }
  const std::size_t n = sites.size();
  if (cell_deg == 0.0) {
    // About two evenly spread sites a cell: 4 pi sr / (n / 2) per cell.
    const double side = std::sqrt(8.0 * kPi / static_cast<double>(std::max<std::size_t>(n, 1))) * 180.0 / kPi;
    cell_deg = std::clamp(side, 0.5, 10.0);
  }
  rows_ = std::max(1, static_cast<int>(std::lround(180.0 / cell_deg)));
  cols_ = std::max(1, static_cast<int>(std::lround(360.0 / cell_deg)));
  cell_rad_ = cell_deg * kPi / 180.0;
  topo_.reserve(n);
  unit_.reserve(n);
  rho_min_ = n == 0 ? 0.0 : 1e300;
  rho_max_ = 0.0;
  std::vector<std::uint32_t> cell_of(n);
  std::vector<std::uint32_t> counts(static_cast<std::size_t>(rows_) * static_cast<std::size_t>(cols_) + 1, 0);
  const double lat_step = kPi / rows_;
  const double lon_step = 2.0 * kPi / cols_;
  for (std::size_t k = 0; k < n; ++k) {
    topo_.emplace_back(sites[k]);
    const frames::Vec3& r = topo_.back().site_itrf_km();
    const double rho = r.norm();
    rho_min_ = std::min(rho_min_, rho);
    rho_max_ = std::max(rho_max_, rho);
    unit_.push_back(r * (1.0 / rho));
    const double lat = std::atan2(r.z, std::hypot(r.x, r.y));
    const double lon = std::atan2(r.y, r.x);
    const int row = std::clamp(static_cast<int>(std::floor((lat + kHalfPi) / lat_step)), 0, rows_ - 1);
    const int col = std::clamp(static_cast<int>(std::floor((lon + kPi) / lon_step)), 0, cols_ - 1);
    cell_of[k] = static_cast<std::uint32_t>(row * cols_ + col);
    ++counts[cell_of[k] + 1];
  }
  for (std::size_t c = 1; c < counts.size(); ++c) counts[c] += counts[c - 1];
  cell_start_ = counts;
  cell_sites_.resize(n);
  for (std::size_t k = 0; k < n; ++k) cell_sites_[counts[cell_of[k]]++] = static_cast<std::uint32_t>(k);
}

template <class Visit>
void SiteIndex::visit_cells(const frames::Vec3& dir, double angle_rad, Visit&& visit) const {
  const auto visit_cell = [&](int row, int col) {
    const std::size_t c =
        static_cast<std::size_t>(row) * static_cast<std::size_t>(cols_) + static_cast<std::size_t>(col);
    for (std::uint32_t i = cell_start_[c]; i < cell_start_[c + 1]; ++i) visit(cell_sites_[i]);
  };
  if (topo_.empty()) return;
  const double a = angle_rad + kGridSlackRad;
  if (a >= kPi) {
    for (int row = 0; row < rows_; ++row) {
      for (int col = 0; col < cols_; ++col) visit_cell(row, col);
    }
    return;
  }
  const double lat_step = kPi / rows_;
  const double lon_step = 2.0 * kPi / cols_;
  const double lat_c = std::atan2(dir.z, std::hypot(dir.x, dir.y));
  const double lon_c = std::atan2(dir.y, dir.x);
  const double lat_lo = lat_c - a, lat_hi = lat_c + a;
  // One extra row and column each side: the grid's floor() and the site's own atan2 may round apart.
  const int r0 =
      std::max(0, static_cast<int>(std::floor((std::max(lat_lo, -kHalfPi) + kHalfPi) / lat_step)) - 1);
  const int r1 =
      std::min(rows_ - 1, static_cast<int>(std::floor((std::min(lat_hi, kHalfPi) + kHalfPi) / lat_step)) + 1);
  bool all_cols = lat_hi >= kHalfPi || lat_lo <= -kHalfPi;
  long c0 = 0, c1 = cols_ - 1;
  if (!all_cols) {
    // The cap's widest longitude extent (at latitude asin(sin lat_c / cos a)).
    const double ratio = std::sin(a) / std::cos(lat_c);
    const double half = ratio >= 1.0 ? kPi : std::asin(ratio) + kGridSlackRad;
    c0 = static_cast<long>(std::floor((lon_c - half + kPi) / lon_step)) - 1;
    c1 = static_cast<long>(std::floor((lon_c + half + kPi) / lon_step)) + 1;
    if (c1 - c0 + 1 >= cols_) all_cols = true;
  }
  for (int row = r0; row <= r1; ++row) {
    if (all_cols) {
      for (int col = 0; col < cols_; ++col) visit_cell(row, col);
    } else {
      for (long c = c0; c <= c1; ++c) {
        const long col = ((c % cols_) + cols_) % cols_;
        visit_cell(row, static_cast<int>(col));
      }
    }
  }
}

void SiteIndex::for_each_candidate(const frames::Vec3& dir, double angle_rad,
                                   const std::function<void(std::uint32_t)>& visit) const {
  visit_cells(dir, angle_rad, [&](std::uint32_t k) { visit(k); });
}

void SiteIndex::sites_within(const frames::Vec3& dir, double angle_rad,
                             std::vector<std::uint32_t>& out) const {
  out.clear();
  const double cos_a = angle_rad >= kPi ? -2.0 : std::cos(angle_rad);
  visit_cells(dir, angle_rad, [&](std::uint32_t k) {
    if (unit_[k].dot(dir) >= cos_a) out.push_back(k);
  });
}

void in_view(const SiteIndex& sites, std::span<const frames::StateVector> sat_itrf,
             std::span<const bool> valid, const InViewOptions& options, InViewSet& out,
             const RunContext& run) {
  check_options(options);
  const std::size_t n_sats = sat_itrf.size();
  const std::size_t n_chunks = (n_sats + kSatChunk - 1) / kSatChunk;
  std::vector<std::vector<Hit>> chunks(n_chunks);
  const double min_el = options.min_elevation_rad;
  run_parallel(run, n_chunks, [&](std::size_t c) {
    std::vector<Hit>& hits = chunks[c];
    const std::size_t end = std::min(n_sats, (c + 1) * kSatChunk);
    for (std::size_t s = c * kSatChunk; s < end; ++s) {
      if (!state_usable(sat_itrf, valid, s)) continue;
      const frames::StateVector& sv = sat_itrf[s];
      const double r = sv.r_km.norm();
      if (!(r > 0.0)) continue;
      const frames::Vec3 dir = sv.r_km * (1.0 / r);
      const double lambda = search_radius_rad(r, sites.min_radius_km(), sites.max_radius_km(), min_el);
      const double cos_l = lambda >= kPi ? -2.0 : std::cos(lambda);
      const auto sat = static_cast<std::uint32_t>(s);
      sites.visit_cells(dir, lambda, [&](std::uint32_t k) {
        if (sites.unit_[k].dot(dir) < cos_l) return;
        const frames::LookAngles la = sites.topo_[k].look(sv);
        if (la.elevation_rad >= min_el) hits.push_back({k, {sat, la}});
      });
    }
  });
  std::vector<std::uint32_t> failed;
  for (std::size_t s = 0; s < n_sats; ++s) {
    if (!state_usable(sat_itrf, valid, s)) failed.push_back(static_cast<std::uint32_t>(s));
  }
  assemble(sites.size(), chunks, std::move(failed), out);
}

void in_view_brute_force(const SiteIndex& sites, std::span<const frames::StateVector> sat_itrf,
                         std::span<const bool> valid, const InViewOptions& options, InViewSet& out) {
  check_options(options);
  const std::size_t n_sats = sat_itrf.size();
  out.site_offsets.assign(1, 0);
  out.entries.clear();
  out.failed.clear();
  for (std::size_t k = 0; k < sites.size(); ++k) {
    for (std::size_t s = 0; s < n_sats; ++s) {
      if (!state_usable(sat_itrf, valid, s)) continue;
      const frames::LookAngles la = sites.site(k).look(sat_itrf[s]);
      if (la.elevation_rad >= options.min_elevation_rad)
        out.entries.push_back({static_cast<std::uint32_t>(s), la});
    }
    out.site_offsets.push_back(static_cast<std::uint32_t>(out.entries.size()));
  }
  for (std::size_t s = 0; s < n_sats; ++s) {
    if (!state_usable(sat_itrf, valid, s)) out.failed.push_back(static_cast<std::uint32_t>(s));
  }
}

namespace in_view_detail {
// The in-view test of sightings() and summarize_sightings(): for each usable satellite s, the runs of
// sites in its cap, each ranked (keys[i] >= -1: site b + i in view, its elevation key) and given to
// on_run(s, b, len, keys), which returns the run's lowest original site in view (Sightings::kNoSite when
// none); first_site[s] gets the lowest over s's runs.
template <class OnRun>
void for_each_ranked_run(const SiteGrid& sites, std::span<const frames::StateVector> sat_itrf,
                         std::span<const bool> valid, double min_elevation_rad, SightingBuffers& buffers,
                         std::vector<std::uint32_t>& first_site, OnRun&& on_run) {
  first_site.assign(sat_itrf.size(), Sightings::kNoSite);
  std::vector<float>& keys = buffers.keys;
  const double sin_min = std::sin(min_elevation_rad);
  const double s_abs_s = sin_min * std::abs(sin_min);
  for (std::size_t s = 0; s < sat_itrf.size(); ++s) {
    if (!state_usable(sat_itrf, valid, s)) continue;
    const frames::StateVector& sv = sat_itrf[s];
    if (sites.runs(sv.r_km, min_elevation_rad, buffers.runs) == 0) continue;
    std::uint32_t first = Sightings::kNoSite;
    for (const auto& [b, e] : buffers.runs) {
      const std::size_t len = e - b;
      if (keys.size() < len) keys.resize(len);
      sites.rank_in_run(sv, b, e, min_elevation_rad, s_abs_s, keys.data());
      first = std::min(first, on_run(static_cast<std::uint32_t>(s), b, len, keys.data()));
    }
    first_site[s] = first;
  }
}
}  // namespace in_view_detail

void sightings(const SiteGrid& sites, std::span<const frames::StateVector> sat_itrf,
               std::span<const bool> valid, double min_elevation_rad, SightingBuffers& buffers,
               Sightings& out) {
  using in_view_detail::kSightingBlockShift;
  constexpr std::uint32_t kSiteInBlock = (1u << kSightingBlockShift) - 1;
  using in_view_detail::kSightingBlockSatellites;
  std::vector<std::vector<Sighting>>& blocks = buffers.blocks;
  if (sat_itrf.size() > kSightingBlockSatellites) {
    throw std::invalid_argument("sightings: more than 2^26 satellites");
  }
  // The hits, satellite by satellite, go to the block of sites they belong to (satellite and site
  // within the block packed in one word): grouping them by site afterwards writes within one block's
  // entries at a time, not all over them.
  blocks.resize((sites.size() >> kSightingBlockShift) + 1);
  for (auto& b : blocks) b.clear();
  in_view_detail::for_each_ranked_run(
      sites, sat_itrf, valid, min_elevation_rad, buffers, out.first_site,
      [&](std::uint32_t sat, std::size_t b, std::size_t n, const float* keys) {
        std::uint32_t first = Sightings::kNoSite;
        for (std::size_t i = 0; i < n; ++i) {
          if (keys[i] >= -1.0f) {
            const std::uint32_t site = sites.original(b + i);
            first = std::min(first, site);
            blocks[site >> kSightingBlockShift].push_back(
                {sat << kSightingBlockShift | (site & kSiteInBlock), keys[i]});
          }
        }
        return first;
      });
  // Group by site, keeping the satellite order (a stable counting sort, block by block).
  out.site_offsets.assign(sites.size() + 1, 0);
  for (std::size_t bi = 0; bi < blocks.size(); ++bi) {
    const std::size_t base = bi << kSightingBlockShift;
    for (const Sighting& h : blocks[bi]) ++out.site_offsets[base + (h.satellite & kSiteInBlock) + 1];
  }
  for (std::size_t k = 0; k < sites.size(); ++k) out.site_offsets[k + 1] += out.site_offsets[k];
  out.entries.resize(out.site_offsets[sites.size()]);
  std::vector<std::uint32_t>& next = buffers.next;
  next.assign(out.site_offsets.begin(), out.site_offsets.end() - 1);
  for (std::size_t bi = 0; bi < blocks.size(); ++bi) {
    const std::size_t base = bi << kSightingBlockShift;
    for (const Sighting& h : blocks[bi]) {
      out.entries[next[base + (h.satellite & kSiteInBlock)]++] = {h.satellite >> kSightingBlockShift,
                                                                  h.elevation_key};
    }
  }
}

void summarize_sightings(const SiteGrid& sites, std::span<const frames::StateVector> sat_itrf,
                         std::span<const bool> valid, double min_elevation_rad,
                         std::span<const std::uint32_t> slot, std::size_t slots, SightingBuffers& buffers,
                         SightingSummary& out) {
  constexpr std::size_t kListed = SightingSummary::kListed;
  constexpr float kNone = -std::numeric_limits<float>::infinity();
  if (slot.size() != sat_itrf.size()) {
    throw std::invalid_argument("summarize_sightings: one slot per satellite expected");
  }
  const std::size_t n = sites.size();
  // Sites in SiteGrid's sorted order while the satellites' runs are walked (a run is contiguous there).
  std::vector<std::uint32_t>& count = buffers.count;
  std::vector<Sighting>& listed = buffers.listed;
  count.assign(n, 0);
  listed.resize(n * kListed);
  for (auto* v : {&buffers.key0, &buffers.key1, &buffers.key2}) v->assign(n * slots, kNone);
  for (auto* v : {&buffers.satellite0, &buffers.satellite1}) v->assign(n * slots, 0);
  const std::uint32_t* originals = sites.originals().data();
  in_view_detail::for_each_ranked_run(
      sites, sat_itrf, valid, min_elevation_rad, buffers, out.first_site,
      [&](std::uint32_t sat, std::size_t b, std::size_t len, const float* key) {
        const std::uint32_t q = slot[sat];
        if (q == SightingSummary::kNoSlot) return internal::first_in_view(key, originals + b, len);
        // The three highest keys (branch-free, vectorised); then, where some site in view has listed
        // fewer than kListed + 1 sightings, the count and the list.
        const std::size_t at = q * n + b;
        bool low = false;
        const std::uint32_t first = internal::reduce_sightings(
            key, originals + b, count.data() + b, len, sat, kListed,
            {buffers.key0.data() + at, buffers.key1.data() + at, buffers.key2.data() + at,
             buffers.satellite0.data() + at, buffers.satellite1.data() + at},
            low);
        if (!low) return first;
        for (std::size_t i = 0; i < len; ++i) {
          const std::size_t j = b + i;
          const std::uint32_t c = count[j];
          if (!(key[i] >= -1.0f) || c > kListed) continue;
          if (c < kListed) listed[j * kListed + c] = {sat, key[i]};
          count[j] = c + 1;
        }
        return first;
      });
  // In site order.
  out.slots = slots;
  out.count.resize(n);
  out.listed.resize(n * kListed);
  out.top.resize(n * slots);
  for (std::size_t j = 0; j < n; ++j) {
    const std::size_t k = originals[j];
    out.count[k] = static_cast<std::uint8_t>(count[j]);
    std::copy_n(listed.begin() + static_cast<std::ptrdiff_t>(j * kListed),
                std::min<std::size_t>(count[j], kListed),
                out.listed.begin() + static_cast<std::ptrdiff_t>(k * kListed));
    for (std::size_t q = 0; q < slots; ++q) {
      const std::size_t at = q * n + j;
      out.top[k * slots + q] = {{buffers.key0[at], buffers.key1[at], buffers.key2[at]},
                                {buffers.satellite0[at], buffers.satellite1[at]}};
    }
  }
}

void in_view_series(const Fleet& fleet, const SiteIndex& sites, std::span<const time::Instant> times,
                    const InViewOptions& options,
                    const std::function<void(std::size_t step, const InViewSet& set)>& on_step,
                    const RunContext& run) {
  check_options(options);
  std::vector<frames::StateVector> states;
  std::vector<orbits::Sgp4Error> errors;
  InViewSet set;
  for (std::size_t t = 0; t < times.size(); ++t) {
    run.check_stop();
    fleet.itrf_states(times[t], states, errors, run);
    auto valid = std::make_unique<bool[]>(errors.size());
    for (std::size_t s = 0; s < errors.size(); ++s) valid[s] = errors[s] == orbits::Sgp4Error::none;
    in_view(sites, states, std::span<const bool>(valid.get(), errors.size()), options, set, run);
    on_step(t, set);
  }
}

}  // namespace skyfence::visibility
