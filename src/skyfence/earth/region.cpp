// Region: lon/lat rings -> densified S2 loops -> an S2Polygon read by the even-odd rule.
#include "skyfence/earth/region.h"

#include <cctype>
#include <cmath>
#include <cstdlib>
#include <memory>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <s2/s2error.h>
#include <s2/s2loop.h>

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

}  // namespace skyfence::earth
