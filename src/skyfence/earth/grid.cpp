#include "skyfence/earth/grid.h"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <string>
#include <vector>

#include <s2/s2cell.h>
#include <s2/s2cell_id.h>
#include <s2/s2region_coverer.h>

#include "skyfence/earth/internal/region_data.h"

namespace skyfence::earth {

namespace {

void check_level(int level) {
  if (level < 0 || level > kMaxGridLevel) {
    throw InputError(
        SourceLocation{"", 0, "level"},
        "expected a grid level in [0, " + std::to_string(kMaxGridLevel) + "], got " + std::to_string(level));
  }
}

Cell cell_of(const S2CellId& id) {
  const S2Cell cell(id);
  Cell c;
  c.id = id.id();
  c.token = id.ToToken();
  const S2LatLng centre(id.ToPoint());
  double lon = centre.lng().radians();
  if (lon <= -std::numbers::pi) lon = std::numbers::pi;
  c.centre = frames::Geodetic{centre.lat().radians(), lon, 0.0};
  c.area_km2 = cell.ExactArea() * kEarthMeanRadiusKm * kEarthMeanRadiusKm;
  for (int k = 0; k < 4; ++k) {
    const S2LatLng v(cell.GetVertex(k));
    c.vertices[static_cast<std::size_t>(k)] = LonLatDeg{v.lng().degrees(), v.lat().degrees()};
  }
  return c;
}

}  // namespace

Grid global_grid(int level) {
  check_level(level);
  Grid g;
  g.level = level;
  g.cells.reserve(6u << (2 * level));
  for (S2CellId id = S2CellId::Begin(level); id != S2CellId::End(level); id = id.next()) {
    g.cells.push_back(cell_of(id));
  }
  return g;
}

Grid region_grid(const Region& region, int level) {
  check_level(level);
  const S2Polygon& polygon = region.data().polygon;
  S2RegionCoverer::Options options;
  options.set_max_level(level);
  options.set_max_cells(500);
  S2RegionCoverer coverer(options);
  // Every cell of `level` whose centre is inside has that centre in some covering cell (of a level
  // <= `level`), so it is a descendant of that covering cell: testing the descendants finds all.
  const S2CellUnion covering = coverer.GetCovering(polygon);
  Grid g;
  g.level = level;
  for (const S2CellId& parent : covering) {
    const S2CellId end = parent.child_end(level);
    for (S2CellId id = parent.child_begin(level); id != end; id = id.next()) {
      if (polygon.Contains(id.ToPoint())) g.cells.push_back(cell_of(id));
    }
  }
  // Covering cells are disjoint and sorted, so the cells are already in id order.
  return g;
}

Cell make_cell(std::uint64_t id) {
  const S2CellId cid(id);
  if (!cid.is_valid()) {
    throw InputError(SourceLocation{"", 0, "cell id"}, "not a valid S2 cell id: " + std::to_string(id));
  }
  return cell_of(cid);
}

std::uint64_t cell_containing(const frames::Geodetic& point, int level) {
  if (level < 0 || level > S2CellId::kMaxLevel) {
    throw InputError(SourceLocation{"", 0, "level"},
                     "expected an S2 level in [0, 30], found " + std::to_string(level));
  }
  const S2LatLng ll = S2LatLng::FromRadians(point.lat_rad, point.lon_rad).Normalized();
  return S2CellId(ll).parent(level).id();
}

CellCap cell_cap(std::uint64_t id) {
  const S2CellId cid(id);
  if (!cid.is_valid()) {
    throw InputError(SourceLocation{"", 0, "cell id"}, "not a valid S2 cell id: " + std::to_string(id));
  }
  const S2Cell cell(cid);
  const S2Point centre = cid.ToPoint();
  double radius = 0.0;
  for (int k = 0; k < 4; ++k) radius = std::max(radius, S1Angle(centre, cell.GetVertex(k)).radians());
  // The cell is the spherical quadrilateral of its corners (great-circle edges), inside any cap about
  // the centre holding the corners; the rounding covers the angle's own error.
  CellCap cap;
  cap.id = id;
  cap.level = cid.level();
  const S2LatLng ll(centre);
  cap.centre = frames::Geodetic{ll.lat().radians(), ll.lng().radians(), 0.0};
  cap.radius_rad = radius * (1.0 + 1e-12) + 1e-15;
  return cap;
}

std::array<std::uint64_t, 4> cell_children(std::uint64_t id) {
  const S2CellId cid(id);
  if (!cid.is_valid() || cid.is_leaf()) {
    throw InputError(SourceLocation{"", 0, "cell id"}, "not an S2 cell with children: " + std::to_string(id));
  }
  std::array<std::uint64_t, 4> out{};
  S2CellId c = cid.child_begin();
  for (std::size_t k = 0; k < 4; ++k, c = c.next()) out[k] = c.id();
  return out;
}

std::array<std::uint64_t, 6> face_cells() {
  std::array<std::uint64_t, 6> out{};
  for (int f = 0; f < 6; ++f) out[static_cast<std::size_t>(f)] = S2CellId::FromFace(f).id();
  return out;
}

std::vector<std::uint64_t> region_covering(const Region& region, int max_level) {
  if (max_level < 0 || max_level > S2CellId::kMaxLevel) {
    throw InputError(SourceLocation{"", 0, "level"},
                     "expected an S2 level in [0, 30], found " + std::to_string(max_level));
  }
  S2RegionCoverer::Options options;
  options.set_max_level(max_level);
  options.set_max_cells(64);
  S2RegionCoverer coverer(options);
  const S2CellUnion covering = coverer.GetCovering(region.data().polygon);
  std::vector<std::uint64_t> out;
  out.reserve(covering.size());
  for (const S2CellId& c : covering) out.push_back(c.id());
  return out;
}

bool region_may_intersect(const Region& region, std::uint64_t id) {
  return region.data().polygon.MayIntersect(S2Cell(S2CellId(id)));
}

CellRelation cell_relation(const Region& region, std::uint64_t id) {
  const S2CellId cid(id);
  if (!cid.is_valid()) {
    throw InputError(SourceLocation{"cell", 0, ""}, "expected a valid S2 cell id, got " + std::to_string(id));
  }
  const S2Cell cell(cid);
  if (region.data().polygon.Contains(cell)) return CellRelation::inside;
  return region.data().polygon.MayIntersect(cell) ? CellRelation::partial : CellRelation::disjoint;
}

std::string cell_token(std::uint64_t id) {
  return S2CellId(id).ToToken();
}

std::uint64_t cell_id_from_token(std::string_view token, std::string_view what) {
  const S2CellId id = S2CellId::FromToken(absl::string_view(token.data(), token.size()));
  if (!id.is_valid()) {
    throw InputError(SourceLocation{std::string(what), 0, ""},
                     "expected an S2 cell token (hex digits), got \"" + std::string(token) + "\"");
  }
  return id.id();
}

}  // namespace skyfence::earth
