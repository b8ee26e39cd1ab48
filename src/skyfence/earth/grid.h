// Grids of cells on the Earth: S2 cells of one level, for the whole Earth or a region.
//
// S2 cells (s2geometry) are the faces of a cube projected onto the sphere and split into four
// recursively; at a level L there are 6 * 4^L cells, of roughly equal area (the largest is about
// 2.1 times the smallest). Level 7 has 98,304 cells of 5,188 km^2 on average (about 72 km across).
// Cells are listed in S2 cell id order (a Hilbert curve), so neighbours in the list are near.
// Latitudes and longitudes on the S2 sphere are used as geodetic ones (see region.h).
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "skyfence/earth/region.h"
#include "skyfence/frames/frames.h"

namespace skyfence::earth {

// Radius of the sphere on which cell and region areas are measured: the IUGG mean Earth radius
// R1 = (2a + b) / 3 of WGS84, km. Areas are S2's exact spherical areas times R^2; a sphere of this
// radius has the WGS84 ellipsoid's area to 0.01 %, individual cells differ from their ellipsoidal
// area by up to about 0.7 % (flattening), which is below the spread of S2 cell areas.
inline constexpr double kEarthMeanRadiusKm = 6371.0088;

inline constexpr int kDefaultGridLevel = 7;
// Highest level accepted: level 10 has 6,291,456 cells globally (about 81 km^2 each).
inline constexpr int kMaxGridLevel = 10;

struct Cell {
  std::uint64_t id = 0;     // S2 cell id
  std::string token;        // S2 token (the id in hex without trailing zeros), e.g. "3a1"
  frames::Geodetic centre;  // S2 cell centre; altitude 0; longitude in (-pi, pi]
  double area_km2 = 0.0;    // exact spherical area times kEarthMeanRadiusKm^2
  // Corners counter-clockwise seen from outside, as S2Cell::GetVertex(0..3); longitudes in
  // [-180, 180] (a corner on the antimeridian may read -180 or 180; a corner at a pole has lon 0).
  std::array<LonLatDeg, 4> vertices{};
};

struct Grid {
  int level = kDefaultGridLevel;
  std::vector<Cell> cells;  // in cell id order
};

// Every cell of `level` (6 * 4^level). Throws InputError unless 0 <= level <= kMaxGridLevel.
// Cell areas sum to 4 pi R^2 within 1e-12 relative (GridTest.GlobalLevel7CountAndArea).
// Cost: about 2 us per cell (level 7: 0.2 s).
Grid global_grid(int level = kDefaultGridLevel);

// The cells of `level` whose centre lies inside `region` (Region::contains). Choosing by centre
// (rather than every cell touching the region) makes a cell belong to at most one of two regions
// sharing a border, and makes the summed cell area converge to the region's area as the level grows
// (GridTest.RegionGridUkraine). A region smaller than a cell may get no cell. Throws InputError
// unless 0 <= level <= kMaxGridLevel. Cost: an S2 covering of the region, then one point test per
// candidate cell.
Grid region_grid(const Region& region, int level = kDefaultGridLevel);

// The cell with S2 id `id` (any level 0-30). Throws InputError for an invalid id.
Cell make_cell(std::uint64_t id);

// The S2 id of the cell of `level` (0-30) holding a point (its geodetic latitude and longitude).
// Throws InputError for a level outside 0-30.
std::uint64_t cell_containing(const frames::Geodetic& point, int level);

// S2 token of a cell id, and back. cell_id_from_token throws InputError for a token that is not a
// valid S2 cell (what names the value in the message).
std::string cell_token(std::uint64_t id);
std::uint64_t cell_id_from_token(std::string_view token, std::string_view what = "cell token");

// ---- Hierarchical searches over cells (detection::locate): refine from coarse cells, keeping only the
// cells that may hold an answer.

// A cell with a cap about its centre holding all of it. On the S2 sphere, whose latitudes are geodetic
// ones, a point's direction is the geodetic surface normal there: two points of the cell have normals at
// most 2 x radius_rad apart, and each lies within radius_rad of the centre's normal.
struct CellCap {
  std::uint64_t id = 0;
  int level = 0;
  frames::Geodetic centre;  // altitude 0
  double radius_rad = 0.0;  // the largest angle from the centre to a corner, rounded up
};
// Throws InputError for an invalid id.
CellCap cell_cap(std::uint64_t id);
// The four children of a cell, in id order. Throws InputError for an invalid id or a level-30 cell.
std::array<std::uint64_t, 4> cell_children(std::uint64_t id);
// The six level-0 cells: the whole Earth.
std::array<std::uint64_t, 6> face_cells();
// Cells of levels <= max_level covering the region (every point of it lies in one of them), disjoint and
// in id order. Throws InputError unless 0 <= max_level <= 30.
std::vector<std::uint64_t> region_covering(const Region& region, int max_level);
// Whether the cell may hold a point of the region: false only when it certainly holds none.
bool region_may_intersect(const Region& region, std::uint64_t id);

// How a cell lies with respect to a region.
enum class CellRelation { disjoint, partial, inside };
// `inside` when every point of the cell lies in the region, `disjoint` when none does, else `partial`:
// S2's polygon-cell tests, exact to about 15 nm (a cell within that of the boundary may read partial).
// For a union of regions use Region::union_of first (two regions sharing an edge across the cell would
// each read partial). Throws InputError for an invalid id. Cost: one or two S2 cell tests.
CellRelation cell_relation(const Region& region, std::uint64_t id);

}  // namespace skyfence::earth
