#include "skyfence/network/links.h"

#include <algorithm>
#include <map>
#include <stdexcept>

#include "skyfence/network/hypatia.h"

namespace skyfence::network {

std::optional<IslPairing> isl_pairing_named(std::string_view name) {
  if (name == "nearest") return IslPairing::nearest;
  if (name == "same-index") return IslPairing::same_index;
  return std::nullopt;
}

std::vector<SatellitePair> candidate_isls(const IslChoice& choice, std::span<const orbits::ElementSet> sets,
                                          const std::function<PlaneAssignment()>& planes) {
  if (!choice.isls_file.empty()) return read_isl_list_file(choice.isls_file, sets);
  return plus_grid_links(planes(), choice.grid);
}

std::vector<SatellitePair> carry_links(std::span<const SatellitePair> links,
                                       std::span<const orbits::ElementSet> from,
                                       std::span<const orbits::ElementSet> to) {
  std::map<std::uint32_t, std::uint32_t> index_in_to;
  for (std::size_t i = 0; i < to.size(); ++i)
    index_in_to.emplace(to[i].norad_id, static_cast<std::uint32_t>(i));
  std::vector<SatellitePair> out;
  out.reserve(links.size());
  for (const SatellitePair& l : links) {
    const auto a = index_in_to.find(from[l.a].norad_id);
    const auto b = index_in_to.find(from[l.b].norad_id);
    if (a == index_in_to.end() || b == index_in_to.end() || a->second == b->second) continue;
    out.push_back({std::min(a->second, b->second), std::max(a->second, b->second)});
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

void limit_ground_links_by_range(NetworkOptions& options, double max_range_km) {
  if (!(max_range_km >= 0.0)) throw std::invalid_argument("network: a ground-link range must be >= 0 km");
  if (max_range_km == 0.0) return;
  options.gsl_max_range_km = max_range_km;
  options.user_min_elevation_rad = options.gateway_min_elevation_rad = 0.0;
}

void apply_hypatia_limits(const HypatiaDescription& description, const HypatiaOverrides& given,
                          NetworkOptions& options) {
  if (!given.ground_rule_given) limit_ground_links_by_range(options, description.max_gsl_length_km);
  if (!given.isl_max_range_given) options.isl_max_range_km = description.max_isl_length_km;
  check(options);
}

std::vector<SatellitePair> hypatia_candidate_isls(const HypatiaState& state, const IslChoice& choice,
                                                  const HypatiaOverrides& given) {
  if (choice.isls_file.empty() && !given.pairing_given) return state.isls;
  const std::vector<orbits::ElementSet>& sets = state.tles.satellites;
  return candidate_isls(
      choice, sets, [&] { return planes_in_file_order(sets, state.tles.orbits, state.tles.sats_per_orbit); });
}

}  // namespace skyfence::network
