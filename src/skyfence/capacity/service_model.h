// A provider's service model: what its satellites, service cells and gateways can carry
// (docs/capacity.md; bundled models in data/providers/ with their sources).
//
// File format (TOML):
//   name, status ("deployed" | "planned"), cell_level (S2 level of service cells, 0..30),
//   max_beams_per_cell (>= 1), background_load ([0, 1), default 0), isl (boolean),
//   priorities (optional: customer classes ranked highest first; an element may be an array of names
//   sharing a rank; customers not listed share the rank after the last),
//   [spectral_efficiency] elevation_deg = [...] strictly increasing in [0, 90], bps_per_hz = [...] > 0,
//   same length >= 1; linear between points, constant beyond the ends,
//   [gateways] (optional) file (a sites CSV/GeoJSON, relative to the model file), min_elevation_deg
//   in [0, 90], capacity_gbps > 0,
//   [[satellite_class]] (one or more, the first match wins; no selector matches every satellite):
//   name, name_pattern (optional glob, * and ?), norad_range (optional [low, high], inclusive),
//   capacity_down_gbps > 0, beams >= 1, beam_bandwidth_mhz > 0; the uplink (optional, all three or
//   none): capacity_up_gbps > 0, beams_up >= 1, beam_bandwidth_up_mhz > 0,
//   [spectral_efficiency_up] (optional, as [spectral_efficiency]; DEFAULT: the downlink's table).
// The uplink is modelled when every class gives its uplink figures; a model whose classes give none
// has no uplink (has_uplink false), which is an error only where uplink demand is asked of it.
// Every problem is reported at once with its line and key (InputErrors); unknown keys are errors, so
// a misspelt parameter never silently takes its default.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "skyfence/earth/site.h"

namespace skyfence::capacity {

struct SatelliteClass {
  std::string name;
  std::string name_pattern;                            // empty: any name
  std::optional<std::uint32_t> norad_low, norad_high;  // both or neither
  double capacity_down_mbps = 0.0;
  std::uint32_t beams = 1;
  double beam_bandwidth_mhz = 0.0;
  // The uplink (terminal to satellite), when the class models it.
  bool has_uplink = false;
  double capacity_up_mbps = 0.0;
  std::uint32_t beams_up = 0;
  double beam_bandwidth_up_mhz = 0.0;
  [[nodiscard]] bool matches(std::string_view satellite_name, std::uint32_t norad_id) const;
};

struct ServiceModel {
  std::string name;
  std::string status;  // "deployed" or "planned"
  std::string source;  // the file it was read from
  int cell_level = 9;
  std::uint32_t max_beams_per_cell = 1;
  double background_load = 0.0;
  bool isl = false;
  // Rank of each listed customer (0 first); unlisted customers get unlisted_rank.
  std::vector<std::pair<std::string, std::uint32_t>> priorities;
  std::uint32_t unlisted_rank = 0;
  std::vector<double> efficiency_elevation_rad;
  std::vector<double> efficiency_bps_per_hz;
  bool has_gateways = false;
  std::vector<earth::Site> gateways;
  double gateway_min_elevation_rad = 0.0;
  double gateway_capacity_mbps = 0.0;
  std::vector<SatelliteClass> classes;
  // Uplink: every class has its figures ([spectral_efficiency_up], else the downlink's table).
  bool has_uplink = false;
  std::vector<double> efficiency_up_elevation_rad;
  std::vector<double> efficiency_up_bps_per_hz;

  // Spectral efficiency (bit/s/Hz) at an elevation: the table, linear between points. Inline: it is
  // evaluated once per link and step.
  [[nodiscard]] double efficiency(double elevation_rad) const {
    const auto& x = efficiency_elevation_rad;
    const auto& y = efficiency_bps_per_hz;
    if (elevation_rad <= x.front()) return y.front();
    if (elevation_rad >= x.back()) return y.back();
    const std::size_t k =
        static_cast<std::size_t>(std::upper_bound(x.begin(), x.end(), elevation_rad) - x.begin());
    const double f = (elevation_rad - x[k - 1]) / (x[k] - x[k - 1]);
    // Kept between the two points: rounding could otherwise give 0 just below a point much smaller
    // than the one before it (f rounded to 1 and y[k] lost in y[k] - y[k - 1]).
    return std::clamp(y[k - 1] + f * (y[k] - y[k - 1]), std::min(y[k - 1], y[k]), std::max(y[k - 1], y[k]));
  }
  // The highest efficiency of the table.
  [[nodiscard]] double max_efficiency() const;
  // The rank of a customer class (priorities); unlisted_rank for others, including "".
  [[nodiscard]] std::uint32_t rank(std::string_view customer) const;
  // The first class matching a satellite, or nullptr.
  [[nodiscard]] const SatelliteClass* class_of(std::string_view satellite_name, std::uint32_t norad_id) const;
  // A satellite's capacity: min(capacity_down, beams x beam bandwidth x max efficiency) x
  // (1 - background_load), Mbps.
  [[nodiscard]] double satellite_capacity_mbps(const SatelliteClass& c) const;
  // One beam of a class at an elevation: bandwidth x efficiency(elevation), Mbps.
  [[nodiscard]] double beam_rate_mbps(const SatelliteClass& c, double elevation_rad) const {
    return c.beam_bandwidth_mhz * efficiency(elevation_rad);
  }
};

// The uplink as a model of the same form: each class's capacity_up, beams_up and beam_bandwidth_up in
// place of the downlink's, the uplink's efficiency table in place of the downlink's; everything else
// (cells, beams per cell, background load, gateways and their capacity, priorities) unchanged. So the
// uplink's capacities follow the downlink's formulas (docs/capacity.md) with the uplink's figures.
// REQUIRES: m.has_uplink (std::invalid_argument otherwise).
ServiceModel uplink_model(const ServiceModel& m);

// Reads a service model from TOML text; `source` names it in messages and anchors a relative
// gateways file. Throws InputErrors listing every problem (unreadable gateway rows included).
ServiceModel parse_service_model(std::string_view text, const std::string& source);
// Reads a service model file (InputError when unreadable).
ServiceModel read_service_model(const std::string& path);

}  // namespace skyfence::capacity
