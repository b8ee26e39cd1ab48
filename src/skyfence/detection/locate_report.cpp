#include "skyfence/detection/locate_report.h"

#include <algorithm>

#include <fmt/core.h>

#include "skyfence/time/scales.h"

namespace skyfence::detection {

RegionVerdict region_verdict(const Location& location, const earth::Region& region) {
  RegionVerdict v;
  for (const LocatedCell& c : location.cells) v.inside_km2 += region.contains(c.centre) ? c.area_km2 : 0.0;
  v.inside = "undetermined";
  if (location.area_km2 > 0.0) {
    const double share = v.inside_km2 / location.area_km2;
    v.inside_share = share;
    if (share >= 1.0) v.inside = "inside";
    if (share <= 0.0) v.inside = "outside";
  }
  return v;
}

std::vector<std::string> location_warnings(const Location& location, const std::string& terminal_id,
                                           const std::string& source, std::size_t max_outliers,
                                           std::size_t max_listed, const LocateHints& hints) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < std::min(location.unused.size(), max_listed); ++i) {
    const UnusedObservation& u = location.unused[i];
    out.push_back(fmt::format("{}:{}: observation of NORAD {} at {} not used: {}", source, u.observation.line,
                              u.observation.norad_id, time::format_iso8601(u.observation.at, 0), u.reason));
  }
  if (location.unused.size() > max_listed) {
    out.push_back(fmt::format("terminal {}: {} more observation(s) not used ({})", terminal_id,
                              location.unused.size() - max_listed, hints.all_unused));
  }
  if (location.observations_used == 0) {
    out.push_back(
        fmt::format("terminal {}: no usable observation; every cell of the prior is kept", terminal_id));
  } else if (location.cells.empty()) {
    out.push_back(
        fmt::format("terminal {}: no position meets {} of its {} usable observations{}", terminal_id,
                    max_outliers == 0 ? std::string("all") : fmt::format("all but {}", max_outliers),
                    location.observations_used,
                    max_outliers == 0 ? "; some may be wrong: try " + hints.max_outliers : ""));
  }
  return out;
}

}  // namespace skyfence::detection
