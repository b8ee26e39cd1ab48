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
  // now, so later queries from many threads only read it. Cost: O(E log E) in the total edge count.
  explicit RegionIndex(std::vector<earth::Region> regions);
  ~RegionIndex();
  RegionIndex(RegionIndex&&) noexcept;
  RegionIndex& operator=(RegionIndex&&) noexcept;

  // Writes the ids of the regions containing `p` (ascending) into `out`, up to out_capacity of them,
  // and returns how many contain it (which may exceed the capacity). Semi-open boundaries, as
  // earth::Region::contains. Cost: one cell lookup (O(log cells)) and the edge crossings of that cell.
  std::size_t containing(const frames::Geodetic& p, std::uint32_t* out, std::size_t out_capacity) const;
  [[nodiscard]] std::size_t size() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace skyfence::policy::internal
