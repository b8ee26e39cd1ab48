// RegionIndex: an exact S2 query over the polygons of every region, behind a two-level
// latitude/longitude grid that answers almost every point from a table, without trigonometry.
//
// The exact query: one S2 shape index over every polygon. It finds the one index cell holding the
// point and tests only the shapes clipped to that cell (their few edges, or the cell's precomputed
// "contains its centre" flag), so its cost does not grow with the number of regions; but it needs
// the point on the sphere (sin/cos), its S2 cell (face and Hilbert position) and a btree search.
//
// The grid: cells of 0.5 deg in latitude and longitude (360 x 720), each split into 16 x 16
// subcells of 1/32 deg. The subcell of (lat, lon) in radians is row floor((lat + pi/2) * k),
// column floor((lon + pi) * k), k subcells per radian, the row clamped and the column wrapped: one
// formula, monotone in lat and in lon, both for marking and for lookups (fine() below). A cell or
// subcell is "marked" when the lat/lng bound of some polygon edge (S2LatLngRectBounder, which
// includes the bulge of the great-circle arc and covers the poles), widened by kEdgeMarginRad,
// overlaps it. The margin dwarfs both the rounding in the bounds and the few ulps by which
// S2LatLng::ToPoint moves a point, so no edge reaches any point that a lookup places in an
// unmarked (sub)cell: by monotonicity, such a point lies in a band that is clear of every edge.
// Hence unmarked (sub)cells that share a side (across the antimeridian too, never across a pole)
// form areas that no edge crosses, and every point of an area lies in the same regions. The table
// keeps, per area, the interned set of containing regions, found by one exact query at the centre
// of one of its (sub)cells, or, for an area of subcells that touches an area filled before it,
// taken from there. Each marked cell has a block of subcells filled the same way; a point in a
// marked subcell takes the exact query, and so do non-finite or out-of-range coordinates
// (|lat| > pi/2, |lon| > pi). The answers are therefore exactly the exact query's, with no
// tolerance (RegionIndexOracle.* checks them against each region's own S2 test).
//
// For the 241 bundled countries: 259,200 cells (518 KB of 16-bit entries, which stay in a core's
// L2 cache), 20,189 of them marked (10.3 MB of subcell blocks; 10.9 MB in all), and 1.2% of the
// points uniform on the sphere in marked subcells, taking the exact query; building the grid takes
// about 0.15 s, most of it bounding the 112,000 edges (RegionIndexOracle.GridFiguresForTheCountries
// prints the figures). A finer grid lowers that share but costs memory: cells of 0.25 deg with
// 16 x 16 subcells take about 30 MB for 0.9%; 0.25 deg cells of 8 x 8 subcells take about 9 MB for
// the same 1.2% as here, but with a 2 MB table of cells, read by every lookup, ran slower.
#include "skyfence/policy/internal/region_index.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <map>
#include <numbers>
#include <utility>

#include <s2/mutable_s2shape_index.h>
#include <s2/s2contains_point_query.h>
#include <s2/s2latlng.h>
#include <s2/s2latlng_rect.h>
#include <s2/s2latlng_rect_bounder.h>
#include <s2/s2polygon.h>

#include "skyfence/earth/internal/region_data.h"

namespace skyfence::policy::internal {

namespace {

constexpr double kPi = std::numbers::pi;
constexpr double kHalfPi = std::numbers::pi / 2;

constexpr std::int64_t kRows = 360;  // cells of 180 deg / kRows = 0.5 deg
constexpr std::int64_t kCols = 2 * kRows;
constexpr int kSubBits = 4;
constexpr std::int64_t kSub = std::int64_t{1} << kSubBits;  // subcells per side of a cell
constexpr std::int64_t kSubMask = kSub - 1;
constexpr std::int64_t kSubPerCell = kSub * kSub;
constexpr std::int64_t kFineRows = kRows * kSub;  // subcell rows and columns over the sphere
constexpr std::int64_t kFineCols = kCols * kSub;
constexpr double kFinePerRad = static_cast<double>(kFineCols) / (2 * kPi);
// Widening of every edge bound: far above the rounding of the bounds (about 1e-15 rad) and of a
// point's position (a few ulps of pi), far below a subcell (5.5e-4 rad).
constexpr double kEdgeMarginRad = 1e-9;

// Table entries: a set number, or one of these.
constexpr std::uint16_t kExact = 0xFFFF;   // take the exact query
constexpr std::uint16_t kBorder = 0xFFFE;  // a marked cell: look in its block of subcells
constexpr std::uint16_t kUnset = 0xFFFD;   // while building
constexpr std::size_t kMaxSets = kUnset;   // beyond, further areas are left kExact

// The subcell coordinate of a latitude (offset kHalfPi) or a longitude (offset kPi), before the
// floor, clamping and wrapping: the one formula for marking and for lookups, monotone in v.
inline double fine(double v, double offset) {
  return (v + offset) * kFinePerRad;
}

inline std::int64_t fine_floor(double v, double offset) {
  return static_cast<std::int64_t>(std::floor(fine(v, offset)));
}

inline std::int64_t wrap(std::int64_t c, std::int64_t n) {
  c %= n;
  return c < 0 ? c + n : c;
}

// The subcells that a widened edge bound overlaps: rows [r0, r1] (clamped), columns [c0, c1]
// (not wrapped: c0 may be -1 and c1 kFineCols, which wrap to the other side of the antimeridian).
struct Span {
  std::int64_t r0, r1, c0, c1;
};

void add_spans(const S2LatLngRect& b, std::vector<Span>& out) {
  const std::int64_t r0 =
      std::clamp<std::int64_t>(fine_floor(b.lat().lo() - kEdgeMarginRad, kHalfPi), 0, kFineRows - 1);
  const std::int64_t r1 =
      std::clamp<std::int64_t>(fine_floor(b.lat().hi() + kEdgeMarginRad, kHalfPi), 0, kFineRows - 1);
  auto add = [&](double lo, double hi) {
    std::int64_t c0 = fine_floor(lo - kEdgeMarginRad, kPi);
    std::int64_t c1 = fine_floor(hi + kEdgeMarginRad, kPi);
    if (c1 - c0 >= kFineCols - 1) c0 = 0, c1 = kFineCols - 1;
    out.push_back({r0, r1, c0, c1});
  };
  const S1Interval& lng = b.lng();
  if (lng.is_full()) {  // near a pole
    add(-kPi, kPi);
  } else if (!lng.is_inverted()) {
    add(lng.lo(), lng.hi());
  } else {  // across the antimeridian: [lo, pi] and [-pi, hi]
    add(lng.lo(), kPi);
    add(-kPi, lng.hi());
  }
}

using Bits = std::uint64_t;  // a row of a block of subcells, bit c for column c
static_assert(kSub <= 32);

// Grows `area` (rows of a block, within `free`) to its 4-connected component in `free`.
void grow(Bits* area, const Bits* free) {
  for (bool changed = true; changed;) {
    changed = false;
    for (int pass = 0; pass < 2; ++pass) {  // northward, then southward
      for (std::int64_t k = 0; k < kSub; ++k) {
        const std::int64_t r = pass == 0 ? k : kSub - 1 - k;
        Bits g = area[r] | (area[r] << 1) | (area[r] >> 1);
        if (r > 0) g |= area[r - 1];
        if (r + 1 < kSub) g |= area[r + 1];
        g &= free[r];
        if (g != area[r]) area[r] = g, changed = true;
      }
    }
  }
}

}  // namespace

struct RegionIndex::Impl {
  std::vector<earth::Region> regions;  // owns the polygons the shapes point to
  MutableS2ShapeIndex index;
  // Per cell, row-major from (-90, -180): a set number, kBorder or kExact.
  std::vector<std::uint16_t> cells;
  // Per marked cell (in the order of `cells`), a block of kSubPerCell subcells (row-major): a set
  // number or kExact.
  std::vector<std::uint16_t> subcells;
  // Which cells are marked, by bit, and how many marked cells come before each 64-bit word: the
  // rank of a marked cell is its block.
  std::vector<std::uint64_t> marked;
  std::vector<std::uint32_t> marked_before;
  // Set n begins at sets[set_start[n]]: a count, then the region ids (ascending).
  std::vector<std::uint32_t> sets;
  std::vector<std::uint32_t> set_start;

  [[nodiscard]] std::size_t block_of(std::size_t cell) const {
    const std::uint64_t below = (std::uint64_t{1} << (cell & 63)) - 1;
    return marked_before[cell >> 6] + static_cast<std::size_t>(std::popcount(marked[cell >> 6] & below));
  }

  // The table entry of subcell (r, c), 0 <= r < kFineRows, 0 <= c < kFineCols.
  [[nodiscard]] std::uint16_t entry_at(std::int64_t r, std::int64_t c) const {
    const auto cell = static_cast<std::size_t>((r >> kSubBits) * kCols + (c >> kSubBits));
    const std::uint16_t entry = cells[cell];
    if (entry != kBorder) return entry;
    return subcells[block_of(cell) * kSubPerCell +
                    static_cast<std::size_t>(((r & kSubMask) << kSubBits) + (c & kSubMask))];
  }

  // The table entry of a point: a set number or kExact.
  [[nodiscard]] std::uint16_t lookup(double lat_rad, double lon_rad) const {
    // Written so that NaN takes the exact query too.
    if (!(std::abs(lat_rad) <= kHalfPi && std::abs(lon_rad) <= kPi) || cells.empty()) return kExact;
    // Both sums are >= 0, so the conversion is the floor.
    const std::int64_t r = std::min(static_cast<std::int64_t>(fine(lat_rad, kHalfPi)), kFineRows - 1);
    std::int64_t c = static_cast<std::int64_t>(fine(lon_rad, kPi));
    if (c >= kFineCols) c -= kFineCols;  // lon = pi
    return entry_at(r, c);
  }

  // The exact query: the ids of the regions containing `point` into out (up to capacity), ascending
  // when they all fit; returns how many contain it.
  std::size_t exact(const S2Point& point, std::uint32_t* out, std::size_t capacity) const {
    S2ContainsPointQuery<MutableS2ShapeIndex> query(&index, S2VertexModel::SEMI_OPEN);
    auto* it = query.mutable_iter();
    if (!it->Locate(point)) return 0;
    const S2ShapeIndexCell& cell = it->cell();
    std::size_t n = 0;
    for (int s = 0; s < cell.num_clipped(); ++s) {
      const S2ClippedShape& clipped = cell.clipped(s);
      if (!query.ShapeContains(it->id(), clipped, point)) continue;
      if (n < capacity) out[n] = static_cast<std::uint32_t>(clipped.shape_id());
      ++n;
    }
    // Clipped shapes are stored in increasing shape id order; sort anyway when it all fits.
    if (n <= capacity) std::sort(out, out + n);
    return n;
  }

  class Sets;
  void build_grid();
  std::vector<Span> edge_spans() const;
  std::vector<std::size_t> mark_cells(const std::vector<Span>& spans);
  void fill_cells(Sets& sets_by_query);
  void fill_block(std::size_t block, std::size_t cell, Sets& sets_by_query);
};

// Interns sets of region ids as set numbers.
class RegionIndex::Impl::Sets {
 public:
  explicit Sets(Impl& impl) : impl_(impl), ids_(impl.regions.size()) {}

  // The set number of the regions containing the centre of subcell (r, c), by an exact query; kExact
  // when there are too many distinct sets.
  std::uint16_t at_centre(std::int64_t r, std::int64_t c) {
    const double lat = (static_cast<double>(r) + 0.5) / kFinePerRad - kHalfPi;
    const double lon = (static_cast<double>(c) + 0.5) / kFinePerRad - kPi;
    const std::size_t n = impl_.exact(S2LatLng::FromRadians(lat, lon).ToPoint(), ids_.data(), ids_.size());
    std::vector<std::uint32_t> key(ids_.begin(), ids_.begin() + static_cast<std::ptrdiff_t>(n));
    auto found = interned_.find(key);
    if (found == interned_.end()) {
      if (impl_.set_start.size() >= kMaxSets) return kExact;
      found = interned_.emplace(key, static_cast<std::uint16_t>(impl_.set_start.size())).first;
      impl_.set_start.push_back(static_cast<std::uint32_t>(impl_.sets.size()));
      impl_.sets.push_back(static_cast<std::uint32_t>(n));
      impl_.sets.insert(impl_.sets.end(), key.begin(), key.end());
    }
    return found->second;
  }

 private:
  Impl& impl_;
  std::vector<std::uint32_t> ids_;  // room for every region
  std::map<std::vector<std::uint32_t>, std::uint16_t> interned_;
};

// The subcells that each edge of each polygon may touch.
std::vector<Span> RegionIndex::Impl::edge_spans() const {
  std::vector<Span> spans;
  for (int s = 0; s < index.num_shape_ids(); ++s) {
    const S2Shape& shape = *index.shape(s);
    for (int e = 0; e < shape.num_edges(); ++e) {
      const S2Shape::Edge edge = shape.edge(e);
      S2LatLngRectBounder bounder;
      bounder.AddPoint(edge.v0);
      bounder.AddPoint(edge.v1);
      add_spans(bounder.GetBound(), spans);
    }
  }
  return spans;
}

// Marks the cells and subcells that the spans overlap (cells kBorder, subcells kExact, the rest
// kUnset); returns the cell of each block.
std::vector<std::size_t> RegionIndex::Impl::mark_cells(const std::vector<Span>& spans) {
  cells.assign(static_cast<std::size_t>(kRows * kCols), kUnset);
  for (const Span& sp : spans) {
    for (std::int64_t r = sp.r0 >> kSubBits; r <= sp.r1 >> kSubBits; ++r) {
      for (std::int64_t c = sp.c0 >> kSubBits; c <= sp.c1 >> kSubBits; ++c) {
        cells[static_cast<std::size_t>(r * kCols + wrap(c, kCols))] = kBorder;
      }
    }
  }
  marked.assign((cells.size() + 63) / 64, 0);
  marked_before.assign(marked.size(), 0);
  std::vector<std::size_t> block_cells;
  for (std::size_t i = 0; i < cells.size(); ++i) {
    if (cells[i] != kBorder) continue;
    marked[i >> 6] |= std::uint64_t{1} << (i & 63);
    block_cells.push_back(i);
  }
  std::uint32_t before = 0;
  for (std::size_t w = 0; w < marked.size(); ++w) {
    marked_before[w] = before;
    before += static_cast<std::uint32_t>(std::popcount(marked[w]));
  }
  subcells.assign(block_cells.size() * static_cast<std::size_t>(kSubPerCell), kUnset);
  for (const Span& sp : spans) {
    for (std::int64_t r = sp.r0; r <= sp.r1; ++r) {
      for (std::int64_t c = sp.c0; c <= sp.c1; ++c) {
        const std::int64_t cw = wrap(c, kFineCols);
        const auto cell = static_cast<std::size_t>((r >> kSubBits) * kCols + (cw >> kSubBits));
        subcells[block_of(cell) * kSubPerCell +
                 static_cast<std::size_t>(((r & kSubMask) << kSubBits) + (cw & kSubMask))] = kExact;
      }
    }
  }
  return block_cells;
}

// Fills each area of unmarked cells (joined across the antimeridian, not across the poles) with the
// set at the centre of its first cell.
void RegionIndex::Impl::fill_cells(Sets& sets_by_query) {
  std::vector<std::int64_t> stack;
  for (std::int64_t seed = 0; seed < kRows * kCols; ++seed) {
    if (cells[static_cast<std::size_t>(seed)] != kUnset) continue;
    const std::uint16_t set =
        sets_by_query.at_centre(seed / kCols * kSub + kSub / 2, seed % kCols * kSub + kSub / 2);
    cells[static_cast<std::size_t>(seed)] = set;
    stack.assign(1, seed);
    while (!stack.empty()) {
      const std::int64_t i = stack.back();
      stack.pop_back();
      const std::int64_t r = i / kCols, c = i % kCols;
      const std::int64_t next[4] = {r > 0 ? i - kCols : -1, r + 1 < kRows ? i + kCols : -1,
                                    r * kCols + wrap(c - 1, kCols), r * kCols + wrap(c + 1, kCols)};
      for (std::int64_t j : next) {
        if (j < 0 || cells[static_cast<std::size_t>(j)] != kUnset) continue;
        cells[static_cast<std::size_t>(j)] = set;
        stack.push_back(j);
      }
    }
  }
}

// Fills each area of unmarked subcells in a block: with the set of an unmarked cell or filled
// subcell that it touches across the block's sides (no edge lies between them), else by an exact
// query. Blocks are filled in order, south to north and west to east, so most areas find one.
void RegionIndex::Impl::fill_block(std::size_t block, std::size_t cell, Sets& sets_by_query) {
  std::uint16_t* sub = subcells.data() + block * kSubPerCell;
  const std::int64_t base_r = static_cast<std::int64_t>(cell) / kCols * kSub;
  const std::int64_t base_c = static_cast<std::int64_t>(cell) % kCols * kSub;
  Bits free[kSub];
  for (std::int64_t r = 0; r < kSub; ++r) {
    free[r] = 0;
    for (std::int64_t c = 0; c < kSub; ++c) {
      if (sub[r * kSub + c] == kUnset) free[r] |= Bits{1} << c;
    }
  }
  for (std::int64_t seed_r = 0; seed_r < kSub; ++seed_r) {
    while (free[seed_r] != 0) {
      Bits area[kSub] = {};
      area[seed_r] = free[seed_r] & (~free[seed_r] + 1);
      grow(area, free);
      std::uint16_t set = kUnset;
      auto try_neighbour = [&](std::int64_t r, std::int64_t c) {
        if (set != kUnset || r < 0 || r >= kFineRows) return;
        const std::uint16_t e = entry_at(r, wrap(c, kFineCols));
        if (e < kMaxSets) set = e;
      };
      for (std::int64_t r = 0; r < kSub && set == kUnset; ++r) {
        if (area[r] & 1) try_neighbour(base_r + r, base_c - 1);
        if (area[r] >> (kSub - 1)) try_neighbour(base_r + r, base_c + kSub);
      }
      for (std::int64_t c = 0; c < kSub && set == kUnset; ++c) {
        if ((area[0] >> c) & 1) try_neighbour(base_r - 1, base_c + c);
        if ((area[kSub - 1] >> c) & 1) try_neighbour(base_r + kSub, base_c + c);
      }
      if (set == kUnset)
        set = sets_by_query.at_centre(base_r + seed_r, base_c + std::countr_zero(area[seed_r]));
      for (std::int64_t r = 0; r < kSub; ++r) {
        free[r] &= ~area[r];
        for (Bits a = area[r]; a != 0; a &= a - 1) sub[r * kSub + std::countr_zero(a)] = set;
      }
    }
  }
}

// The work grows with the number of cells and with the length of the borders.
void RegionIndex::Impl::build_grid() {
  const std::vector<std::size_t> block_cells = mark_cells(edge_spans());
  Sets sets_by_query(*this);
  fill_cells(sets_by_query);
  for (std::size_t b = 0; b < block_cells.size(); ++b) fill_block(b, block_cells[b], sets_by_query);
}

RegionIndex::RegionIndex() : impl_(std::make_unique<Impl>()) {}

RegionIndex::RegionIndex(std::vector<earth::Region> regions) : impl_(std::make_unique<Impl>()) {
  impl_->regions = std::move(regions);
  for (const earth::Region& r : impl_->regions) {
    // Shape ids are assigned in order from 0, so the shape id is the region id.
    impl_->index.Add(std::make_unique<S2Polygon::Shape>(&r.data().polygon));
  }
  impl_->index.ForceBuild();
  if (!impl_->regions.empty()) impl_->build_grid();
}

RegionIndex::~RegionIndex() = default;
RegionIndex::RegionIndex(RegionIndex&&) noexcept = default;
RegionIndex& RegionIndex::operator=(RegionIndex&&) noexcept = default;

std::size_t RegionIndex::size() const {
  return impl_->regions.size();
}

std::size_t RegionIndex::containing(const frames::Geodetic& p, std::uint32_t* out,
                                    std::size_t out_capacity) const {
  const Impl& m = *impl_;
  if (m.regions.empty()) return 0;
  const std::uint16_t entry = m.lookup(p.lat_rad, p.lon_rad);
  if (entry == kExact) return m.exact(earth::internal::to_s2(p), out, out_capacity);
  const std::uint32_t* set = m.sets.data() + m.set_start[entry];
  const std::uint32_t count = set[0];
  for (std::uint32_t i = 0; i < count && i < out_capacity; ++i) out[i] = set[1 + i];
  return count;
}

RegionIndex::Stats RegionIndex::stats() const {
  const Impl& m = *impl_;
  Stats s;
  s.cells = m.cells.size();
  s.marked_cells = m.subcells.size() / static_cast<std::size_t>(kSubPerCell);
  s.subcells = m.subcells.size();
  s.exact_subcells = static_cast<std::size_t>(std::count(m.subcells.begin(), m.subcells.end(), kExact));
  s.sets = m.set_start.size();
  s.bytes = (m.cells.size() + m.subcells.size()) * sizeof(std::uint16_t) +
            m.marked.size() * sizeof(std::uint64_t) +
            (m.marked_before.size() + m.sets.size() + m.set_start.size()) * sizeof(std::uint32_t);
  return s;
}

bool RegionIndex::answered_by_grid(const frames::Geodetic& p) const {
  return !impl_->regions.empty() && impl_->lookup(p.lat_rad, p.lon_rad) != kExact;
}

}  // namespace skyfence::policy::internal
