// Longitude arithmetic and the maps' projection, antimeridian-safe.
#pragma once

#include <algorithm>
#include <cmath>
#include <numbers>
#include <span>

#include "skyfence/core/units.h"

namespace skyfence::report::internal {

// lon + 360 k in [ref - 180, ref + 180): the copy of `lon` nearest `ref`.
inline double unwrap_lon(double lon, double ref) {
  return ref + (lon - ref) - 360.0 * std::floor((lon - ref + 180.0) / 360.0);
}

// Mean direction of longitudes (degrees), so that points on both sides of the antimeridian average
// near it rather than near 0. 0 for no points or points spread evenly around the globe.
inline double circular_mean_lon(std::span<const double> lons_deg) {
  double s = 0.0, c = 0.0;
  for (double l : lons_deg) {
    s += std::sin(l * kRadPerDeg);
    c += std::cos(l * kRadPerDeg);
  }
  if (std::hypot(s, c) < 1e-9) return 0.0;
  return std::atan2(s, c) / kRadPerDeg;
}

// Equirectangular projection (x proportional to longitude times cos of the mid latitude, y to
// latitude) of a lon/lat box onto a width x height pixel frame, y down. Longitudes are unwrapped
// around lon_ref_deg before projecting, so a box that spans the antimeridian is continuous.
struct MapFrame {
  double lon_ref_deg = 0.0;                     // longitudes are taken within +/-180 of this
  double lon_min_deg = 0.0, lon_max_deg = 0.0;  // unwrapped around lon_ref_deg
  double lat_min_deg = 0.0, lat_max_deg = 0.0;
  double width_px = 0.0, height_px = 0.0;
  double px_per_deg = 0.0;  // along a meridian
  double cos_lat = 1.0;     // of the middle latitude

  [[nodiscard]] double x(double unwrapped_lon_deg) const {
    return (unwrapped_lon_deg - lon_min_deg) * cos_lat * px_per_deg;
  }
  [[nodiscard]] double y(double lat_deg) const { return (lat_max_deg - lat_deg) * px_per_deg; }
};

// The frame showing the box [lon_min, lon_max] x [lat_min, lat_max] (longitudes unwrapped around
// lon_ref) with a margin of `pad` of its size on each side, `width_px` wide and as tall as the box
// needs, within [min_height_px, max_height_px]; when the height is clamped the box grows in the other
// direction so that the scale stays equal in x and y.
inline MapFrame fit_frame(double lon_ref, double lon_min, double lon_max, double lat_min, double lat_max,
                          double width_px, double min_height_px, double max_height_px, double pad = 0.08) {
  MapFrame f;
  f.lon_ref_deg = lon_ref;
  // At least 1 degree each way so that a single cell still gets a readable map.
  const double dlon0 = std::max(lon_max - lon_min, 1.0), dlat0 = std::max(lat_max - lat_min, 1.0);
  const double clon = 0.5 * (lon_min + lon_max), clat = std::clamp(0.5 * (lat_min + lat_max), -85.0, 85.0);
  double dlon = dlon0 * (1.0 + 2.0 * pad), dlat = dlat0 * (1.0 + 2.0 * pad);
  f.cos_lat = std::max(std::cos(clat * std::numbers::pi / 180.0), 0.05);
  double height = width_px * dlat / (dlon * f.cos_lat);
  if (height > max_height_px) {
    height = max_height_px;
    dlon = dlat * width_px / (height * f.cos_lat);
  } else if (height < min_height_px) {
    height = min_height_px;
    dlat = height * dlon * f.cos_lat / width_px;
  }
  f.lon_min_deg = clon - 0.5 * dlon;
  f.lon_max_deg = clon + 0.5 * dlon;
  f.lat_min_deg = clat - 0.5 * dlat;
  f.lat_max_deg = clat + 0.5 * dlat;
  f.width_px = width_px;
  f.height_px = height;
  f.px_per_deg = width_px / (dlon * f.cos_lat);
  return f;
}

}  // namespace skyfence::report::internal
