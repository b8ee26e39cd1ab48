// The s2geometry side of a Region; included only by the layer's sources.
#pragma once

#include <memory>
#include <string>

#include <s2/s2latlng.h>
#include <s2/s2point.h>
#include <s2/s2polygon.h>

#include "skyfence/frames/frames.h"

namespace skyfence::earth::internal {

struct RegionData {
  std::string name;
  S2Polygon polygon;
  std::size_t vertex_count = 0;
};

inline S2Point to_s2(const frames::Geodetic& g) {
  return S2LatLng::FromRadians(g.lat_rad, g.lon_rad).ToPoint();
}

}  // namespace skyfence::earth::internal
