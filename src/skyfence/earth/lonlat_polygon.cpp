// Cutting rings at the antimeridian and closing polar rings; see lonlat_polygon.h.
#include "skyfence/earth/lonlat_polygon.h"

#include <algorithm>
#include <cmath>
#include <cstddef>

namespace skyfence::earth {
namespace {

constexpr double kPoleLatDeg = 90.0 - 1e-9;

double wrap180(double lon) {
  double w = std::remainder(lon, 360.0);  // [-180, 180]
  if (w == -180.0) w = 180.0;
  return w;
}

// Clips an open ring (no repeated last vertex) to the half-plane lon <= x (keep_below) or lon >= x,
// straight edges in lon/lat (Sutherland-Hodgman against one line).
std::vector<LonLatDeg> clip(const std::vector<LonLatDeg>& ring, double x, bool keep_below) {
  std::vector<LonLatDeg> out;
  const std::size_t n = ring.size();
  const auto inside = [&](const LonLatDeg& p) { return keep_below ? p.lon_deg <= x : p.lon_deg >= x; };
  for (std::size_t i = 0; i < n; ++i) {
    const LonLatDeg& a = ring[i];
    const LonLatDeg& b = ring[(i + 1) % n];
    const bool ia = inside(a), ib = inside(b);
    if (ia) out.push_back(a);
    if (ia != ib) {
      const double t = (x - a.lon_deg) / (b.lon_deg - a.lon_deg);
      out.push_back({x, a.lat_deg + t * (b.lat_deg - a.lat_deg)});
    }
  }
  return out;
}

// A part worth keeping: at least three vertices spanning more than kSliverDeg of longitude (a vertex
// on the seam may unwrap a rounding step beyond it, which would leave a sliver of no width).
constexpr double kSliverDeg = 1e-9;
bool has_area(const std::vector<LonLatDeg>& part) {
  if (part.size() < 3) return false;
  const auto [lo, hi] = std::minmax_element(
      part.begin(), part.end(), [](const LonLatDeg& a, const LonLatDeg& b) { return a.lon_deg < b.lon_deg; });
  return hi->lon_deg - lo->lon_deg > kSliverDeg;
}

// Shifts an open ring by `shift` degrees of longitude, turns it counter-clockwise in the lon/lat plane
// and closes it.
Ring closed(std::vector<LonLatDeg> open, double shift) {
  for (LonLatDeg& p : open) p.lon_deg = std::clamp(p.lon_deg + shift, -180.0, 180.0);
  double twice_area = 0.0;  // shoelace
  for (std::size_t i = 0; i < open.size(); ++i) {
    const LonLatDeg& a = open[i];
    const LonLatDeg& b = open[(i + 1) % open.size()];
    twice_area += a.lon_deg * b.lat_deg - b.lon_deg * a.lat_deg;
  }
  if (twice_area < 0.0) std::reverse(open.begin(), open.end());
  if (!open.empty()) open.push_back(open.front());
  return open;
}

}  // namespace

std::vector<Ring> lonlat_parts(const Ring& ring) {
  // Open ring, without the closing vertex.
  std::vector<LonLatDeg> open(ring.begin(), ring.end());
  if (open.size() >= 2 && open.front().lon_deg == open.back().lon_deg &&
      open.front().lat_deg == open.back().lat_deg) {
    open.pop_back();
  }
  if (open.size() < 3) {
    Ring same = ring;
    for (LonLatDeg& p : same) p.lon_deg = wrap180(p.lon_deg);
    return {same};
  }
  // Pole vertices become two, at the longitudes of their neighbours.
  std::vector<LonLatDeg> v;
  const std::size_t n = open.size();
  for (std::size_t i = 0; i < n; ++i) {
    const LonLatDeg& p = open[i];
    if (std::abs(p.lat_deg) >= kPoleLatDeg) {
      const double pole = p.lat_deg > 0 ? 90.0 : -90.0;
      const LonLatDeg& prev = open[(i + n - 1) % n];
      const LonLatDeg& next = open[(i + 1) % n];
      if (std::abs(prev.lat_deg) < kPoleLatDeg) v.push_back({prev.lon_deg, pole});
      if (std::abs(next.lat_deg) < kPoleLatDeg) v.push_back({next.lon_deg, pole});
    } else {
      v.push_back(p);
    }
  }
  // Unwrap: each longitude within 180 deg of the previous one.
  for (std::size_t i = 0; i < v.size(); ++i) {
    v[i].lon_deg = i == 0 ? wrap180(v[i].lon_deg)
                          : v[i - 1].lon_deg + std::remainder(v[i].lon_deg - v[i - 1].lon_deg, 360.0);
  }
  // Winding in longitude: +-360 deg when the ring goes around a pole.
  const double winding =
      v.back().lon_deg + std::remainder(v.front().lon_deg - v.back().lon_deg, 360.0) - v.front().lon_deg;
  if (std::abs(winding) > 180.0) {
    // Around a pole (the one on the side of the ring's mean latitude): in unwrapped longitudes the
    // ring is a path spanning 360 deg from L0; closed along the pole it is a polygon over [L0, L0 + 360],
    // cut at the antimeridian S in that span into two parts, each moved by a whole turn into
    // [-180, 180].
    double mean_lat = 0.0;
    for (const LonLatDeg& p : v) mean_lat += p.lat_deg;
    const double pole = mean_lat >= 0.0 ? 90.0 : -90.0;
    std::vector<LonLatDeg> poly = v;
    poly.push_back({v.front().lon_deg + winding, v.front().lat_deg});
    if (winding < 0) std::reverse(poly.begin(), poly.end());
    const double l0 = poly.front().lon_deg;
    poly.push_back({l0 + 360.0, pole});
    poly.push_back({l0, pole});
    const double seam = 180.0 + 360.0 * std::ceil((l0 - 180.0) / 360.0);  // in [l0, l0 + 360)
    std::vector<Ring> parts;
    std::vector<LonLatDeg> below = clip(poly, seam, true);
    std::vector<LonLatDeg> above = clip(poly, seam, false);
    if (has_area(below)) parts.push_back(closed(std::move(below), 180.0 - seam));
    if (has_area(above)) parts.push_back(closed(std::move(above), -180.0 - seam));
    return parts;
  }
  const auto [lo, hi] = std::minmax_element(
      v.begin(), v.end(), [](const LonLatDeg& a, const LonLatDeg& b) { return a.lon_deg < b.lon_deg; });
  const double min_lon = lo->lon_deg, max_lon = hi->lon_deg;
  if (min_lon >= -180.0 && max_lon <= 180.0) return {closed(std::move(v), 0.0)};
  const double seam = max_lon > 180.0 ? 180.0 : -180.0;
  std::vector<Ring> parts;
  std::vector<LonLatDeg> a = clip(v, seam, true);
  std::vector<LonLatDeg> b = clip(v, seam, false);
  if (has_area(a)) parts.push_back(closed(std::move(a), seam > 0 ? 0.0 : 360.0));
  if (has_area(b)) parts.push_back(closed(std::move(b), seam > 0 ? -360.0 : 0.0));
  return parts;
}

}  // namespace skyfence::earth
