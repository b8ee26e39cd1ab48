// What `skyfence locate` and the Python package's `locate` say about a location besides its cells:
// whether it lies in a region, and the warnings about observations not used and about empty results.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "skyfence/detection/locate.h"
#include "skyfence/earth/region.h"

namespace skyfence::detection {

struct RegionVerdict {
  double inside_km2 = 0.0;  // area of the cells whose centre lies in the region
  // inside_km2 over the consistent area, in [0, 1]; unset without cells.
  std::optional<double> inside_share;
  std::string inside;  // "inside" (share 1), "outside" (share 0), else (also without cells) "undetermined"
};

// Cost: one containment test per cell.
RegionVerdict region_verdict(const Location& location, const earth::Region& region);

// How the warnings point to what the caller offers: the command's options, or the package's arguments.
struct LocateHints {
  std::string max_outliers = "--max-outliers N";        // lets a position fail some observations
  std::string all_unused = "--summary lists them all";  // where every unused observation is listed
};

// One sentence per warning, in order: each observation not used, "SOURCE:LINE: observation of NORAD N at
// TIME not used: REASON" (at most `max_listed`, then a count), then "terminal ID: no usable observation;
// every cell of the prior is kept" or "terminal ID: no position meets ..." when there is no cell.
std::vector<std::string> location_warnings(const Location& location, const std::string& terminal_id,
                                           const std::string& source, std::size_t max_outliers,
                                           std::size_t max_listed, const LocateHints& hints = {});

}  // namespace skyfence::detection
