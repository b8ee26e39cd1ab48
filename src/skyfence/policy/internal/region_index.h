// One spatial index over many regions: which of them contain a point. Kept free of s2 types so that
// only region_index.cpp includes s2 (see CMakeLists.txt for why that matters under ASan).
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "skyfence/earth/region.h"
#include "skyfence/frames/frames.h"

namespace skyfence::policy::internal {

class RegionIndex {
 public:
  RegionIndex();
  // Indexes `regions` (kept alive by shared ownership); region k has id k. Builds the whole index
  // now, so later queries from many threads only read it. Cost: O(E log E) in the total edge count
  // for the S2 index, then the grid in front of it (region_index.cpp): a bound per edge, a pass over
  // its 259,200 cells and an exact query per edge-free area that touches no area filled before it
  // (about 0.15 s and 11 MB for the 241 bundled countries: 518 KB, and 512 bytes per cell that an
  // edge's bound overlaps).
  explicit RegionIndex(std::vector<earth::Region> regions);
  ~RegionIndex();
  RegionIndex(RegionIndex&&) noexcept;
  RegionIndex& operator=(RegionIndex&&) noexcept;

  // Writes the ids of the regions containing `p` (ascending) into `out`, up to out_capacity of them,
  // and returns how many contain it (which may exceed the capacity). Semi-open boundaries, as
  // earth::Region::contains: the answers are exactly S2's for the point earth::Region::contains
  // tests (RegionIndexOracle.*). Cost: one or two table reads and no trigonometry for a point more
  // than a subcell (1/32 deg) or so from every edge (98.8% of the points uniform on the sphere with
  // the bundled countries); else the S2 query: sin/cos, an index cell lookup in O(log cells) and the
  // edge crossings of that cell.
  std::size_t containing(const frames::Geodetic& p, std::uint32_t* out, std::size_t out_capacity) const;
  [[nodiscard]] std::size_t size() const;

  // The size of the grid in front of the exact query (region_index.cpp), for tests and benchmarks.
  struct Stats {
    std::size_t cells = 0;           // of 0.5 deg
    std::size_t marked_cells = 0;    // cells an edge bound overlaps, each split into subcells
    std::size_t subcells = 0;        // of the marked cells
    std::size_t exact_subcells = 0;  // subcells an edge bound overlaps: their points take the S2 query
    std::size_t sets = 0;            // distinct sets of containing regions
    std::size_t bytes = 0;           // memory of the grid's tables
  };
  [[nodiscard]] Stats stats() const;
  // Whether containing(p) answers from the grid, without the S2 query.
  [[nodiscard]] bool answered_by_grid(const frames::Geodetic& p) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace skyfence::policy::internal
