// Region: lon/lat rings -> densified S2 loops -> an S2Polygon read by the even-odd rule.
#include "skyfence/earth/region.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <s2/s2error.h>
#include <s2/s2latlng.h>
#include <s2/s2loop.h>
#include <s2/s2polygon.h>

#include "skyfence/earth/grid.h"
#include "skyfence/earth/internal/region_data.h"

namespace skyfence::earth {

namespace {

SourceLocation at(const SourceLocation& where, std::size_t ring, std::size_t vertex) {
  SourceLocation w = where;
  const std::string part = "ring " + std::to_string(ring) + " vertex " + std::to_string(vertex);
  w.field = w.field.empty() ? part : w.field + ": " + part;
  return w;
}

struct Loop {
  std::vector<S2Point> points;
  std::vector<std::size_t> source_vertex;  // index in the input ring of each point's edge start
};

// Densifies a closed lon/lat ring into S2 points (without the closing repeat), dropping repeated
// points and there-and-back spikes (a ring cut along a meridian down to a pole and back up).
Loop densify(const Ring& ring) {
  Loop out;
  auto push = [&out](const S2Point& p, std::size_t src) {
    if (!out.points.empty() && out.points.back() == p) return;
    if (out.points.size() >= 2 && out.points[out.points.size() - 2] == p) {
      out.points.pop_back();
      out.source_vertex.pop_back();
      return;
    }
    out.points.push_back(p);
    out.source_vertex.push_back(src);
  };
  auto point = [](double lon, double lat) { return S2LatLng::FromDegrees(lat, lon).Normalized().ToPoint(); };
  for (std::size_t i = 0; i + 1 < ring.size(); ++i) {
    const LonLatDeg a = ring[i];
    const LonLatDeg b = ring[i + 1];
    double dlon = std::remainder(b.lon_deg - a.lon_deg, 360.0);  // the short way, [-180, 180]
    const double dlat = b.lat_deg - a.lat_deg;
    const double span = std::max(std::fabs(dlon), std::fabs(dlat));
    const auto steps = static_cast<int>(std::ceil(span / kMaxEdgeDeg));
    push(point(a.lon_deg, a.lat_deg), i);
    for (int k = 1; k < steps; ++k) {
      const double f = static_cast<double>(k) / steps;
      push(point(a.lon_deg + dlon * f, a.lat_deg + dlat * f), i);
    }
  }
  // Close: drop a tail equal to the head, and spikes across the join.
  bool changed = true;
  while (changed && out.points.size() >= 3) {
    changed = false;
    if (out.points.back() == out.points.front()) {
      out.points.pop_back();
      out.source_vertex.pop_back();
      changed = true;
    } else if (out.points[out.points.size() - 2] == out.points.front()) {
      out.points.pop_back();
      out.source_vertex.pop_back();
      changed = true;
    } else if (out.points[1] == out.points.back()) {
      out.points.erase(out.points.begin());
      out.source_vertex.erase(out.source_vertex.begin());
      changed = true;
    }
  }
  return out;
}

// The number after the nth "<word> " (first letter in either case, e.g. "Edge 3", "loop 2") in an
// S2 validation message, or -1.
long number_after(const std::string& text, std::string_view word, int nth) {
  int k = 0;
  for (std::size_t i = 0; i + word.size() < text.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(text[i])) != word[0] ||
        text.compare(i + 1, word.size() - 1, word.substr(1)) != 0 || text[i + word.size()] != ' ') {
      continue;
    }
    const std::size_t d = i + word.size() + 1;
    if (d >= text.size() || text[d] < '0' || text[d] > '9') continue;
    if (k++ == nth) return std::strtol(text.c_str() + d, nullptr, 10);
  }
  return -1;
}

// The first "Edge N" or "edge N" number in an S2 validation message, or -1.
long edge_in(const std::string& text, int nth) {
  return number_after(text, "edge", nth);
}

}  // namespace

Region Region::from_rings(std::string name, const std::vector<Ring>& rings, const SourceLocation& where) {
  if (rings.empty()) throw InputError(where, "expected at least one ring");
  std::vector<std::unique_ptr<S2Loop>> loops;
  std::vector<const S2Loop*> loop_ptrs;
  std::vector<const Loop*> loop_sources;
  std::vector<Loop> dense;
  dense.reserve(rings.size());
  std::vector<std::size_t> ring_of_loop;
  std::size_t vertices = 0;
  for (std::size_t r = 0; r < rings.size(); ++r) {
    const Ring& ring = rings[r];
    for (std::size_t v = 0; v < ring.size(); ++v) {
      const LonLatDeg p = ring[v];
      if (!std::isfinite(p.lon_deg) || !std::isfinite(p.lat_deg) || std::fabs(p.lat_deg) > 90.0) {
        throw InputError(at(where, r, v), "expected finite lon, lat with lat in [-90, 90]");
      }
    }
    // Closed: the same position, longitudes compared modulo 360 (-180 closes a ring begun at 180).
    if (ring.size() < 2 || ring.front().lat_deg != ring.back().lat_deg ||
        std::remainder(ring.front().lon_deg - ring.back().lon_deg, 360.0) != 0.0) {
      throw InputError(at(where, r, ring.empty() ? 0 : ring.size() - 1),
                       "ring not closed: the last vertex must repeat the first");
    }
    dense.push_back(densify(ring));
    Loop& d = dense.back();
    if (d.points.size() < 3) {
      throw InputError(at(where, r, 0), "ring has fewer than 3 distinct vertices");
    }
    auto loop = std::make_unique<S2Loop>(d.points, S2Debug::DISABLE);
    S2Error error;
    if (loop->FindValidationError(&error)) {
      const long e = edge_in(error.text(), 0);
      const std::size_t v = e >= 0 && static_cast<std::size_t>(e) < d.source_vertex.size()
                                ? d.source_vertex[static_cast<std::size_t>(e)]
                                : 0;
      const std::string what = error.code() == S2Error::LOOP_SELF_INTERSECTION
                                   ? "ring crosses itself (at the edge from this vertex)"
                               : error.code() == S2Error::DUPLICATE_VERTICES
                                   ? "ring touches itself (a point repeats, at the edge from this vertex)"
                                   : "invalid ring: " + error.text();
      throw InputError(at(where, r, v), what);
    }
    loop->Normalize();  // the smaller side
    vertices += d.points.size();
    loop_ptrs.push_back(loop.get());
    ring_of_loop.push_back(r);
    loops.push_back(std::move(loop));
  }
  auto data = std::make_shared<internal::RegionData>();
  data->name = std::move(name);
  data->vertex_count = vertices;
  data->polygon.set_s2debug_override(S2Debug::DISABLE);
  data->polygon.InitNested(std::move(loops));
  S2Error error;
  if (data->polygon.FindValidationError(&error)) {
    // Loops are reordered by nesting: map S2's loop numbers back to ours.
    std::size_t ring = 0;
    const std::string text = error.text();
    if (const long li = number_after(text, "loop", 0); li >= 0) {
      if (li < static_cast<long>(data->polygon.num_loops())) {
        const S2Loop* l = data->polygon.loop(static_cast<int>(li));
        for (std::size_t k = 0; k < loop_ptrs.size(); ++k) {
          if (loop_ptrs[k] == l) ring = ring_of_loop[k];
        }
      }
    }
    const long e = edge_in(text, 0);
    const Loop& d = dense[ring];
    const std::size_t v = e >= 0 && static_cast<std::size_t>(e) < d.source_vertex.size()
                              ? d.source_vertex[static_cast<std::size_t>(e)]
                              : 0;
    const std::string what = error.code() == S2Error::POLYGON_LOOPS_CROSS
                                 ? "rings cross each other (at the edge from this vertex)"
                                 : "invalid polygon: " + text;
    throw InputError(at(where, ring, v), what);
  }
  return Region(std::move(data));
}

const std::string& Region::name() const {
  return data_->name;
}

bool Region::contains(const frames::Geodetic& p) const {
  return data_->polygon.Contains(internal::to_s2(p));
}

double Region::area_km2() const {
  return data_->polygon.GetArea() * kEarthMeanRadiusKm * kEarthMeanRadiusKm;
}

std::size_t Region::ring_count() const {
  return static_cast<std::size_t>(data_->polygon.num_loops());
}

Region Region::union_of(std::span<const Region> regions, std::string name) {
  if (regions.empty()) throw std::invalid_argument("Region::union_of: no regions");
  std::vector<std::unique_ptr<S2Polygon>> polygons;
  for (const Region& r : regions) polygons.push_back(std::unique_ptr<S2Polygon>(r.data().polygon.Clone()));
  auto data = std::make_shared<internal::RegionData>();
  data->name = std::move(name);
  std::unique_ptr<S2Polygon> u = S2Polygon::DestructiveUnion(std::move(polygons));
  data->polygon.Copy(*u);
  data->vertex_count = static_cast<std::size_t>(data->polygon.num_vertices());
  return Region(std::move(data));
}

std::size_t Region::vertex_count() const {
  return data_->vertex_count;
}

namespace outline_internal {

// Distance in degrees from p to the segment a-b, in the lon/lat plane.
double offset_deg(const LonLatDeg& p, const LonLatDeg& a, const LonLatDeg& b) {
  const double dx = b.lon_deg - a.lon_deg, dy = b.lat_deg - a.lat_deg;
  const double len2 = dx * dx + dy * dy;
  double u = len2 > 0.0 ? ((p.lon_deg - a.lon_deg) * dx + (p.lat_deg - a.lat_deg) * dy) / len2 : 0.0;
  u = std::clamp(u, 0.0, 1.0);
  return std::hypot(p.lon_deg - (a.lon_deg + u * dx), p.lat_deg - (a.lat_deg + u * dy));
}

// Douglas-Peucker over v[first..last] (both kept): marks the kept vertices. Iterative (rings of
// Russia's size would recurse deeply).
void thin(const std::vector<LonLatDeg>& v, std::size_t first, std::size_t last, double tolerance_deg,
          std::vector<std::uint8_t>& keep) {
  std::vector<std::pair<std::size_t, std::size_t>> todo{{first, last}};
  while (!todo.empty()) {
    const auto [i, j] = todo.back();
    todo.pop_back();
    double worst = -1.0;
    std::size_t at = i;
    for (std::size_t k = i + 1; k < j; ++k) {
      const double d = offset_deg(v[k], v[i], v[j]);
      if (d > worst) {
        worst = d;
        at = k;
      }
    }
    if (worst > tolerance_deg) {
      keep[at] = 1;
      todo.push_back({i, at});
      todo.push_back({at, j});
    }
  }
}

// One S2 loop as a closed lon/lat ring, thinned; empty when it thins away or circles a pole.
Ring loop_ring(const S2Loop& loop, double tolerance_deg) {
  const int n = loop.num_vertices();
  std::vector<LonLatDeg> v;
  v.reserve(static_cast<std::size_t>(n) + 1);
  for (int i = 0; i < n; ++i) {
    const S2LatLng ll(loop.vertex(i));
    double lon = ll.lng().degrees();
    if (!v.empty()) {
      // Continuous longitudes: each step the short way.
      while (lon - v.back().lon_deg > 180.0) lon -= 360.0;
      while (lon - v.back().lon_deg < -180.0) lon += 360.0;
    }
    v.push_back({lon, ll.lat().degrees()});
  }
  if (v.size() < 3) return {};
  LonLatDeg close = v.front();
  double back = close.lon_deg;
  while (back - v.back().lon_deg > 180.0) back -= 360.0;
  while (back - v.back().lon_deg < -180.0) back += 360.0;
  if (std::abs(back - v.front().lon_deg) > 1.0) return {};  // around a pole: longitudes do not close
  v.push_back(close);
  // Split the ring at its first vertex and the vertex farthest from it, then thin both halves.
  std::size_t far = 0;
  double far_d = -1.0;
  for (std::size_t k = 1; k + 1 < v.size(); ++k) {
    const double d = std::hypot(v[k].lon_deg - v[0].lon_deg, v[k].lat_deg - v[0].lat_deg);
    if (d > far_d) {
      far_d = d;
      far = k;
    }
  }
  std::vector<std::uint8_t> keep(v.size(), 0);
  keep.front() = keep.back() = keep[far] = 1;
  thin(v, 0, far, tolerance_deg, keep);
  thin(v, far, v.size() - 1, tolerance_deg, keep);
  Ring out;
  for (std::size_t k = 0; k < v.size(); ++k) {
    if (keep[k] != 0) out.push_back(v[k]);
  }
  if (out.size() < 4) return {};  // fewer than 3 distinct vertices
  return out;
}

}  // namespace outline_internal

std::vector<std::vector<Ring>> Region::outline(double tolerance_deg) const {
  if (!(tolerance_deg >= 0.0)) throw std::invalid_argument("Region::outline: tolerance_deg < 0");
  const S2Polygon& poly = data_->polygon;
  std::vector<std::vector<Ring>> out;
  std::vector<int> shell_of(static_cast<std::size_t>(poly.num_loops()), -1);  // index in out
  for (int k = 0; k < poly.num_loops(); ++k) {
    const S2Loop& loop = *poly.loop(k);
    Ring ring = outline_internal::loop_ring(loop, tolerance_deg);
    if (loop.is_hole()) {
      const int parent = poly.GetParent(k);
      const int shell = parent >= 0 ? shell_of[static_cast<std::size_t>(parent)] : -1;
      if (shell >= 0 && !ring.empty()) out[static_cast<std::size_t>(shell)].push_back(std::move(ring));
    } else if (!ring.empty()) {
      shell_of[static_cast<std::size_t>(k)] = static_cast<int>(out.size());
      out.push_back({std::move(ring)});
    }
  }
  return out;
}

}  // namespace skyfence::earth
