#include "skyfence/network/planes.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <numbers>
#include <numeric>
#include <stdexcept>
#include <string>
#include <tuple>

#include "skyfence/core/units.h"

namespace skyfence::network {
namespace {

constexpr double kPi = std::numbers::pi;
constexpr double kTwoPi = 2.0 * std::numbers::pi;
// WGS-72, the constants SGP4 and its element sets use (Vallado, "Revisiting Spacetrack Report #3").
constexpr double kMuKm3S2 = 398600.8;
constexpr double kEarthRadiusKm = 6378.135;
constexpr double kJ2 = 0.001082616;

double wrap_two_pi(double a) {
  a = std::fmod(a, kTwoPi);
  return a < 0.0 ? a + kTwoPi : a;
}

// Mean of angles on the circle (radians), in [0, 2pi).
double circular_mean(const std::vector<double>& a) {
  double s = 0.0, c = 0.0;
  for (double x : a) {
    s += std::sin(x);
    c += std::cos(x);
  }
  return wrap_two_pi(std::atan2(s, c));
}

// Splits sorted values into runs where consecutive values differ by at most `gap`.
std::vector<std::vector<std::uint32_t>> split_sorted(const std::vector<std::uint32_t>& idx,
                                                     const std::vector<double>& value, double gap) {
  std::vector<std::vector<std::uint32_t>> out;
  for (std::size_t k = 0; k < idx.size(); ++k) {
    if (k == 0 || value[idx[k]] - value[idx[k - 1]] > gap) out.emplace_back();
    out.back().push_back(idx[k]);
  }
  return out;
}

// Splits angles (radians) into clusters around the circle where consecutive angles differ by more than
// gap; the cluster crossing 0 is joined. Returns clusters in increasing order of their first angle after
// the largest gap.
std::vector<std::vector<std::uint32_t>> split_circle(std::vector<std::uint32_t> idx,
                                                     const std::vector<double>& ang, double gap) {
  std::sort(idx.begin(), idx.end(),
            [&](std::uint32_t a, std::uint32_t b) { return std::tie(ang[a], a) < std::tie(ang[b], b); });
  const std::size_t n = idx.size();
  if (n == 0) return {};
  // Start after the largest gap (around the circle), so no cluster straddles the start.
  std::size_t start = 0;
  double largest = -1.0;
  for (std::size_t k = 0; k < n; ++k) {
    const double next = k + 1 < n ? ang[idx[k + 1]] : ang[idx[0]] + kTwoPi;
    const double g = next - ang[idx[k]];
    if (g > largest) {
      largest = g;
      start = (k + 1) % n;
    }
  }
  std::vector<std::vector<std::uint32_t>> out;
  for (std::size_t m = 0; m < n; ++m) {
    const std::size_t k = (start + m) % n;
    if (m == 0) {
      out.emplace_back();
    } else {
      const std::size_t prev = (start + m - 1) % n;
      double g = ang[idx[k]] - ang[idx[prev]];
      if (g < 0.0) g += kTwoPi;
      if (g > gap) out.emplace_back();
    }
    out.back().push_back(idx[k]);
  }
  return out;
}

// The median epoch of the element sets (element n/2 of the sorted epochs); n > 0.
time::Instant median_epoch(std::span<const orbits::ElementSet> sets) {
  std::vector<time::Instant> epochs;
  epochs.reserve(sets.size());
  for (const auto& es : sets) epochs.push_back(es.epoch);
  const std::size_t mid = sets.size() / 2;
  std::nth_element(epochs.begin(), epochs.begin() + static_cast<std::ptrdiff_t>(mid), epochs.end());
  return epochs[mid];
}

// What plane inference clusters, per satellite: altitude (km, from the mean motion), inclination (deg)
// and RAAN (rad) carried to the reference epoch by the J2 secular drift.
struct ClusterElements {
  std::vector<double> alt, inc, raan;
};

// The elements of every satellite at `ref`; writes each argument of latitude (rad) at `ref` too.
ClusterElements cluster_elements(std::span<const orbits::ElementSet> sets, time::Instant ref,
                                 std::vector<double>& arg_latitude_rad) {
  const std::size_t n = sets.size();
  ClusterElements e{std::vector<double>(n), std::vector<double>(n), std::vector<double>(n)};
  for (std::size_t i = 0; i < n; ++i) {
    const auto& es = sets[i];
    const double n_rad_s = es.mean_motion_rev_per_day * kTwoPi / 86400.0;
    const double a_km = n_rad_s > 0.0 ? std::cbrt(kMuKm3S2 / (n_rad_s * n_rad_s)) : 0.0;
    e.alt[i] = a_km - kEarthRadiusKm;
    e.inc[i] = es.inclination_deg;
    const double dt_s = (ref - es.epoch).to_seconds();
    const double p = a_km * (1.0 - es.eccentricity * es.eccentricity);
    const double i_rad = es.inclination_deg * kRadPerDeg;
    const double raan_rate =
        p > 0.0 ? -1.5 * n_rad_s * kJ2 * (kEarthRadiusKm / p) * (kEarthRadiusKm / p) * std::cos(i_rad) : 0.0;
    e.raan[i] = wrap_two_pi(es.raan_deg * kRadPerDeg + raan_rate * dt_s);
    arg_latitude_rad[i] =
        wrap_two_pi((es.arg_perigee_deg + es.mean_anomaly_deg) * kRadPerDeg + n_rad_s * dt_s);
  }
  return e;
}

// Records one inferred shell: numbers its planes in increasing mean RAAN and the satellites of each plane
// in increasing argument of latitude, and appends the shell's statistics to out.shells. The shell wraps
// (its last plane links to its first) when it has three planes or more and the gap that closes the circle
// is at most twice the median gap between neighbouring planes.
void add_inferred_shell(std::vector<std::vector<std::uint32_t>>& planes, const ClusterElements& e,
                        PlaneAssignment& out) {
  std::vector<double> mean_raan;
  for (const auto& p : planes) {
    std::vector<double> a;
    for (auto i : p) a.push_back(e.raan[i]);
    mean_raan.push_back(circular_mean(a));
  }
  std::vector<std::size_t> order(planes.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return std::tie(mean_raan[a], a) < std::tie(mean_raan[b], b);
  });
  ShellPlanes sp;
  sp.planes = static_cast<int>(planes.size());
  sp.slots_aligned = false;
  const int shell_index = static_cast<int>(out.shells.size());
  double alt_sum = 0.0, inc_sum = 0.0;
  std::vector<double> gaps;
  for (std::size_t j = 0; j < order.size(); ++j) {
    auto& plane = planes[order[j]];
    std::sort(plane.begin(), plane.end(), [&](std::uint32_t a, std::uint32_t b) {
      return std::tie(out.arg_latitude_rad[a], a) < std::tie(out.arg_latitude_rad[b], b);
    });
    for (std::size_t k = 0; k < plane.size(); ++k) {
      out.of[plane[k]] = PlaneSlot{shell_index, static_cast<int>(j), static_cast<int>(k)};
      alt_sum += e.alt[plane[k]];
      inc_sum += e.inc[plane[k]];
    }
    const int count = static_cast<int>(plane.size());
    sp.min_per_plane = j == 0 ? count : std::min(sp.min_per_plane, count);
    sp.max_per_plane = j == 0 ? count : std::max(sp.max_per_plane, count);
    sp.satellites += plane.size();
    if (j + 1 < order.size()) gaps.push_back(mean_raan[order[j + 1]] - mean_raan[order[j]]);
  }
  sp.altitude_km = alt_sum / static_cast<double>(sp.satellites);
  sp.inclination_deg = inc_sum / static_cast<double>(sp.satellites);
  if (order.size() < 3) {
    sp.wraps = false;
  } else {
    const double closing = mean_raan[order.front()] + kTwoPi - mean_raan[order.back()];
    std::vector<double> g = gaps;
    std::nth_element(g.begin(), g.begin() + static_cast<std::ptrdiff_t>(g.size() / 2), g.end());
    sp.wraps = closing <= 2.0 * g[g.size() / 2];
  }
  out.shells.push_back(sp);
}

// members[shell][plane] = the satellites of that plane in slot order.
std::vector<std::vector<std::vector<std::uint32_t>>> plane_members(const PlaneAssignment& planes) {
  std::vector<std::vector<std::vector<std::uint32_t>>> members(planes.shells.size());
  for (std::size_t s = 0; s < planes.shells.size(); ++s) {
    members[s].resize(static_cast<std::size_t>(std::max(planes.shells[s].planes, 0)));
  }
  for (std::uint32_t i = 0; i < planes.of.size(); ++i) {
    const PlaneSlot& p = planes.of[i];
    if (!p.assigned()) continue;
    auto& shell = members[static_cast<std::size_t>(p.shell)];
    if (static_cast<std::size_t>(p.plane) >= shell.size())
      shell.resize(static_cast<std::size_t>(p.plane) + 1);
    shell[static_cast<std::size_t>(p.plane)].push_back(i);
  }
  for (auto& shell : members) {
    for (auto& plane : shell) {
      std::sort(plane.begin(), plane.end(), [&](std::uint32_t a, std::uint32_t b) {
        return std::tie(planes.of[a].slot, a) < std::tie(planes.of[b].slot, b);
      });
    }
  }
  return members;
}

// Appends the link a-b, smaller index first; none from a satellite to itself.
void add_link(std::vector<SatellitePair>& links, std::uint32_t a, std::uint32_t b) {
  if (a == b) return;
  links.push_back(a < b ? SatellitePair{a, b} : SatellitePair{b, a});
}

// Cross-plane links between neighbouring planes pa and pb of a Walker shell: slot k faces slot k,
// shifted by the phasing across the wrap (from the last plane to the first).
void link_aligned_slots(const std::vector<std::uint32_t>& pa, const std::vector<std::uint32_t>& pb, bool wrap,
                        const ShellPlanes& info, const PlaneAssignment& planes,
                        std::vector<SatellitePair>& links) {
  const int s_count = std::max(info.max_per_plane, 1);
  std::map<int, std::uint32_t> by_slot;
  for (auto b : pb) by_slot[planes.of[b].slot] = b;
  for (auto a : pa) {
    const int want = wrap ? (planes.of[a].slot + info.wrap_slot_shift) % s_count : planes.of[a].slot;
    const auto it = by_slot.find(want);
    if (it != by_slot.end()) add_link(links, a, it->second);
  }
}

// Cross-plane links between neighbouring planes pa and pb by slot number: slot k faces slot
// (k + shift) mod s, s the shell's largest plane (Hypatia's +Grid), across the wrap too.
void link_same_index(const std::vector<std::uint32_t>& pa, const std::vector<std::uint32_t>& pb,
                     const ShellPlanes& info, int shift, const PlaneAssignment& planes,
                     std::vector<SatellitePair>& links) {
  const int s_count = std::max(info.max_per_plane, 1);
  const int offset = ((shift % s_count) + s_count) % s_count;
  std::map<int, std::uint32_t> by_slot;
  for (auto b : pb) by_slot[planes.of[b].slot] = b;
  for (auto a : pa) {
    const auto it = by_slot.find((planes.of[a].slot % s_count + offset) % s_count);
    if (it != by_slot.end()) add_link(links, a, it->second);
  }
}

// Cross-plane links between neighbouring inferred planes pa and pb: a greedy matching by smallest
// argument-of-latitude difference, each satellite in at most one pair.
void link_nearest(const std::vector<std::uint32_t>& pa, const std::vector<std::uint32_t>& pb,
                  const PlaneAssignment& planes, std::vector<SatellitePair>& links) {
  struct Candidate {
    double d;
    std::uint32_t a, b;
  };
  std::vector<Candidate> cand;
  cand.reserve(pa.size() * pb.size());
  for (auto a : pa) {
    for (auto b : pb) {
      double d = std::fabs(planes.arg_latitude_rad[a] - planes.arg_latitude_rad[b]);
      if (d > kPi) d = kTwoPi - d;
      cand.push_back({d, a, b});
    }
  }
  std::sort(cand.begin(), cand.end(), [](const Candidate& x, const Candidate& y) {
    return std::tie(x.d, x.a, x.b) < std::tie(y.d, y.a, y.b);
  });
  std::vector<std::uint32_t> used_a, used_b;
  for (const auto& c : cand) {
    if (std::find(used_a.begin(), used_a.end(), c.a) != used_a.end()) continue;
    if (std::find(used_b.begin(), used_b.end(), c.b) != used_b.end()) continue;
    used_a.push_back(c.a);
    used_b.push_back(c.b);
    add_link(links, c.a, c.b);
    if (used_a.size() == pa.size() || used_b.size() == pb.size()) break;
  }
}

}  // namespace

PlaneAssignment planes_from_walker(std::span<const orbits::WalkerSlot> slots,
                                   std::span<const orbits::WalkerShell> shells) {
  PlaneAssignment out;
  out.of.resize(slots.size());
  out.arg_latitude_rad.assign(slots.size(), 0.0);
  out.shells.resize(shells.size());
  for (std::size_t s = 0; s < shells.size(); ++s) {
    ShellPlanes& sp = out.shells[s];
    sp.altitude_km = shells[s].altitude_km;
    sp.inclination_deg = shells[s].inclination_deg;
    sp.planes = shells[s].planes;
    sp.wraps = shells[s].pattern == orbits::WalkerPattern::delta;
    sp.slots_aligned = true;
    sp.wrap_slot_shift = shells[s].phasing;
  }
  std::vector<std::map<int, int>> per_plane(shells.size());
  for (std::size_t i = 0; i < slots.size(); ++i) {
    const auto& w = slots[i];
    if (w.shell < 0 || static_cast<std::size_t>(w.shell) >= shells.size() || w.plane < 0 || w.slot < 0) {
      throw std::invalid_argument(
          "network: planes_from_walker: slots[" + std::to_string(i) +
          "] must have shell in [0, shells.size() = " + std::to_string(shells.size()) +
          ") and plane, slot >= 0, got shell " + std::to_string(w.shell) + ", plane " +
          std::to_string(w.plane) + ", slot " + std::to_string(w.slot));
    }
    out.of[i] = PlaneSlot{w.shell, w.plane, w.slot};
    out.shells[static_cast<std::size_t>(w.shell)].satellites++;
    per_plane[static_cast<std::size_t>(w.shell)][w.plane]++;
  }
  for (std::size_t s = 0; s < shells.size(); ++s) {
    int lo = 0, hi = 0;
    bool first = true;
    for (const auto& [plane, count] : per_plane[s]) {
      lo = first ? count : std::min(lo, count);
      hi = first ? count : std::max(hi, count);
      first = false;
    }
    out.shells[s].min_per_plane = lo;
    out.shells[s].max_per_plane = hi;
  }
  return out;
}

PlaneAssignment planes_in_file_order(std::span<const orbits::ElementSet> sets, int planes, int per_plane) {
  if (planes < 1 || per_plane < 1 ||
      sets.size() != static_cast<std::size_t>(planes) * static_cast<std::size_t>(per_plane)) {
    throw std::invalid_argument("network: planes_in_file_order: expected planes, per_plane >= 1 and " +
                                std::to_string(planes) + " x " + std::to_string(per_plane) +
                                " element sets, got " + std::to_string(sets.size()));
  }
  const std::size_t n = sets.size();
  PlaneAssignment out;
  out.of.resize(n);
  out.arg_latitude_rad.assign(n, 0.0);
  const ClusterElements e = cluster_elements(sets, median_epoch(sets), out.arg_latitude_rad);
  ShellPlanes sp;
  sp.planes = planes;
  sp.satellites = n;
  sp.min_per_plane = sp.max_per_plane = per_plane;
  sp.wraps = true;
  sp.slots_aligned = false;
  double alt_sum = 0.0, inc_sum = 0.0;
  for (std::size_t i = 0; i < n; ++i) {
    out.of[i] = PlaneSlot{0, static_cast<int>(i / static_cast<std::size_t>(per_plane)),
                          static_cast<int>(i % static_cast<std::size_t>(per_plane))};
    alt_sum += e.alt[i];
    inc_sum += e.inc[i];
  }
  sp.altitude_km = alt_sum / static_cast<double>(n);
  sp.inclination_deg = inc_sum / static_cast<double>(n);
  out.shells.push_back(sp);
  return out;
}

PlaneAssignment infer_planes(std::span<const orbits::ElementSet> sets, const PlaneInferenceOptions& options) {
  const std::size_t n = sets.size();
  PlaneAssignment out;
  out.inferred = true;
  out.of.assign(n, PlaneSlot{});
  out.arg_latitude_rad.assign(n, 0.0);
  if (n == 0) return out;
  const ClusterElements e = cluster_elements(sets, median_epoch(sets), out.arg_latitude_rad);

  // Shells are runs of close altitudes, then of close inclinations; planes are clusters of RAAN.
  std::vector<std::uint32_t> all(n);
  std::iota(all.begin(), all.end(), 0u);
  std::sort(all.begin(), all.end(),
            [&](std::uint32_t a, std::uint32_t b) { return std::tie(e.alt[a], a) < std::tie(e.alt[b], b); });
  const double raan_gap = options.plane_raan_gap_deg * kRadPerDeg;
  for (const auto& by_alt : split_sorted(all, e.alt, options.shell_altitude_gap_km)) {
    std::vector<std::uint32_t> sorted_inc = by_alt;
    std::sort(sorted_inc.begin(), sorted_inc.end(), [&](std::uint32_t a, std::uint32_t b) {
      return std::tie(e.inc[a], a) < std::tie(e.inc[b], b);
    });
    for (const auto& shell_members : split_sorted(sorted_inc, e.inc, options.shell_inclination_gap_deg)) {
      std::vector<std::vector<std::uint32_t>> planes;
      for (auto& plane : split_circle(shell_members, e.raan, raan_gap)) {
        if (static_cast<int>(plane.size()) >= options.min_plane_satellites)
          planes.push_back(std::move(plane));
      }
      if (planes.empty() || static_cast<int>(planes.size()) < options.min_shell_planes) continue;
      add_inferred_shell(planes, e, out);
    }
  }
  for (std::uint32_t i = 0; i < n; ++i) {
    if (!out.of[i].assigned()) out.unassigned.push_back(i);
  }
  return out;
}

std::vector<SatellitePair> plus_grid_links(const PlaneAssignment& planes, const PlusGridOptions& options) {
  const auto members = plane_members(planes);
  std::vector<SatellitePair> links;
  for (std::size_t s = 0; s < members.size(); ++s) {
    const auto& shell = members[s];
    const ShellPlanes& info = planes.shells[s];
    // Along each plane: neighbouring slots, and the ring closed when it has three satellites or more.
    for (const auto& plane : shell) {
      for (std::size_t k = 0; k + 1 < plane.size(); ++k) add_link(links, plane[k], plane[k + 1]);
      if (plane.size() >= 3) add_link(links, plane.back(), plane.front());
    }
    // Across neighbouring planes, and from the last plane to the first when the shell wraps.
    const std::size_t np = shell.size();
    for (std::size_t j = 0; j < np; ++j) {
      if (j + 1 == np && (!info.wraps || np < 3)) break;
      const auto& pa = shell[j];
      const auto& pb = shell[(j + 1) % np];
      if (options.pairing == IslPairing::same_index) {
        link_same_index(pa, pb, info, options.shift, planes, links);
      } else if (info.slots_aligned) {
        link_aligned_slots(pa, pb, j + 1 == np, info, planes, links);
      } else {
        link_nearest(pa, pb, planes, links);
      }
    }
  }
  std::sort(links.begin(), links.end());
  links.erase(std::unique(links.begin(), links.end()), links.end());
  return links;
}

}  // namespace skyfence::network
