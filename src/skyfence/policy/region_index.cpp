// RegionIndex: one S2 shape index over the polygons of every region. A point query finds the one
// index cell holding the point and tests only the shapes clipped to that cell (their few edges, or
// the cell's precomputed "contains its centre" flag), so the cost does not grow with the number of
// regions.
//
// In front of it, a dense table over the S2 cells of level kTableLevel (about 18 km) answers every
// point whose cell no region edge crosses: such a cell lies wholly inside or outside each region, so
// its set of containing regions is the same for all its points and exact (no tolerance). Only the
// cells that edges cross fall back to the index.
#include "skyfence/policy/internal/region_index.h"

#include <algorithm>
#include <map>
#include <utility>

#include <s2/mutable_s2shape_index.h>
#include <s2/s2contains_point_query.h>
#include <s2/s2latlng.h>
#include <s2/s2polygon.h>

#include "skyfence/earth/internal/region_data.h"

namespace skyfence::policy::internal {

namespace {

constexpr int kTableLevel = 9;            // 6 * 4^9 = 1,572,864 cells (3 MB of 16-bit entries)
constexpr std::uint16_t kExact = 0xFFFF;  // 16-bit entries keep the table at 3 MB, mostly in cache

}  // namespace

struct RegionIndex::Impl {
  std::vector<earth::Region> regions;  // owns the polygons the shapes point to
  MutableS2ShapeIndex index;
  // Per level-kTableLevel cell (by its position in Hilbert order): kExact when an edge may cross it,
  // else the number of its set of containing regions (set_start gives where the set begins in
  // `sets`: a count, then the ids). Beyond 65,535 distinct sets, cells are left kExact.
  std::vector<std::uint16_t> table;
  std::vector<std::uint32_t> sets;
  std::vector<std::uint32_t> set_start;  // by table entry: where its set begins in `sets`

  // Fills the table by descending from the six face cells: a cell that no edge crosses fills its
  // whole range at once, so the work grows with the length of the borders, not with the table.
  void build_table() {
    table.assign(6ULL << (2 * kTableLevel), kExact);
    MutableS2ShapeIndex::Iterator it(&index);
    std::map<std::vector<std::uint32_t>, std::uint32_t> interned;
    std::vector<std::uint32_t> ids;
    for (int face = 0; face < 6; ++face) fill(S2CellId::FromFace(face), it, interned, ids);
  }

  void fill(S2CellId c, MutableS2ShapeIndex::Iterator& it,
            std::map<std::vector<std::uint32_t>, std::uint32_t>& interned, std::vector<std::uint32_t>& ids) {
    const S2ShapeIndex::CellRelation rel = it.Locate(c);
    bool uniform = rel == S2ShapeIndex::DISJOINT;
    ids.clear();
    if (rel == S2ShapeIndex::INDEXED) {
      const S2ShapeIndexCell& cell = it.cell();
      uniform = true;
      for (int s = 0; s < cell.num_clipped(); ++s) {
        const S2ClippedShape& clipped = cell.clipped(s);
        if (clipped.num_edges() > 0) uniform = false;
        if (clipped.contains_center()) ids.push_back(static_cast<std::uint32_t>(clipped.shape_id()));
      }
    }
    if (!uniform) {
      if (c.level() < kTableLevel) {
        for (S2CellId child = c.child_begin(); child != c.child_end(); child = child.next()) {
          fill(child, it, interned, ids);
        }
      }
      return;  // at the table's level: left kExact
    }
    std::sort(ids.begin(), ids.end());
    auto found = interned.find(ids);
    if (found == interned.end()) {
      if (set_start.size() >= kExact) return;  // no room: the index answers these cells
      found = interned.emplace(ids, static_cast<std::uint32_t>(set_start.size())).first;
      set_start.push_back(static_cast<std::uint32_t>(sets.size()));
      sets.push_back(static_cast<std::uint32_t>(ids.size()));
      sets.insert(sets.end(), ids.begin(), ids.end());
    }
    const std::uint64_t first = slot(c.range_min());
    const std::uint64_t last = slot(c.range_max());
    std::fill(table.begin() + static_cast<std::ptrdiff_t>(first),
              table.begin() + static_cast<std::ptrdiff_t>(last + 1),
              static_cast<std::uint16_t>(found->second));
  }

  // The table slot of the level-kTableLevel cell holding a leaf cell.
  static std::uint64_t slot(S2CellId leaf) {
    return (static_cast<std::uint64_t>(leaf.face()) << (2 * kTableLevel)) +
           (leaf.pos() >> (S2CellId::kPosBits - 2 * kTableLevel));
  }
};

RegionIndex::RegionIndex() : impl_(std::make_unique<Impl>()) {}

RegionIndex::RegionIndex(std::vector<earth::Region> regions) : impl_(std::make_unique<Impl>()) {
  impl_->regions = std::move(regions);
  for (const earth::Region& r : impl_->regions) {
    // Shape ids are assigned in order from 0, so the shape id is the region id.
    impl_->index.Add(std::make_unique<S2Polygon::Shape>(&r.data().polygon));
  }
  impl_->index.ForceBuild();
  impl_->build_table();
}

RegionIndex::~RegionIndex() = default;
RegionIndex::RegionIndex(RegionIndex&&) noexcept = default;
RegionIndex& RegionIndex::operator=(RegionIndex&&) noexcept = default;

std::size_t RegionIndex::size() const {
  return impl_->regions.size();
}

std::size_t RegionIndex::containing(const frames::Geodetic& p, std::uint32_t* out,
                                    std::size_t out_capacity) const {
  if (impl_->regions.empty()) return 0;
  const S2Point point = earth::internal::to_s2(p);
  const std::uint16_t entry = impl_->table[Impl::slot(S2CellId(point))];
  if (entry != kExact) {
    const std::uint32_t* set = impl_->sets.data() + impl_->set_start[entry];
    const std::uint32_t count = set[0];
    for (std::uint32_t i = 0; i < count && i < out_capacity; ++i) out[i] = set[1 + i];
    return count;
  }
  S2ContainsPointQuery<MutableS2ShapeIndex> query(&impl_->index, S2VertexModel::SEMI_OPEN);
  auto* it = query.mutable_iter();
  if (!it->Locate(point)) return 0;
  const S2ShapeIndexCell& cell = it->cell();
  std::size_t n = 0;
  for (int s = 0; s < cell.num_clipped(); ++s) {
    const S2ClippedShape& clipped = cell.clipped(s);
    if (!query.ShapeContains(it->id(), clipped, point)) continue;
    if (n < out_capacity) out[n] = static_cast<std::uint32_t>(clipped.shape_id());
    ++n;
  }
  // Clipped shapes are stored in increasing shape id order; sort anyway when it all fits.
  if (n <= out_capacity) std::sort(out, out + n);
  return n;
}

}  // namespace skyfence::policy::internal
