// Writers of coverage statistics: CSV and GeoJSON, one row (or feature) per point and provider, "any"
// last, written by earth's per-point table writer (point_table.h); `skyfence coverage` calls them.
//
// Columns (CSV header order; GeoJSON properties in the same order):
//   cell_id      the S2 cell token, or the site's id
//   lat_deg, lon_deg  the cell centre or the site, 6 decimals
//   area_km2     the cell's area, 3 decimals; empty (CSV) or null (GeoJSON) for sites
//   provider     the provider's name, or "any"
//   coverage_fraction (6 decimals), mean_visible (4), min_visible, max_visible, max_gap_s, gap_count
//   served_fraction  (6 decimals) only when `served` (a policy was applied)
// CSV is RFC 4180 (fields quoted only when needed), LF line ends. GeoJSON is one FeatureCollection (RFC
// 7946): cells as Polygons cut at the antimeridian (MultiPolygon when cut, earth::lonlat_parts), sites as
// Points; coordinates [lon_deg, lat_deg] with 6 decimals.
#pragma once

#include <functional>
#include <span>
#include <string_view>

#include "skyfence/coverage/coverage.h"
#include "skyfence/earth/grid.h"
#include "skyfence/earth/point_table.h"
#include "skyfence/earth/site.h"

namespace skyfence::coverage {

// The points of a result, labelled: exactly one of `cells` and `sites` is non-empty, in the order
// of the result's points.
using LabelledPoints = earth::LabelledPoints;

struct WriteOptions {
  // With the served_fraction column. DEFAULT: false.
  bool served = false;
  // Receives the text in order, in pieces of about 1 MB. REQUIRES: set.
  std::function<void(std::string_view)> out;
};

// REQUIRES: points label result.points() points (else std::invalid_argument). Cost: O(points x
// providers) rows; memory: one buffer of about 1 MB. A stop requested through `run` is checked before
// each point and throws skyfence::Cancelled.
void write_csv(const LabelledPoints& points, const CoverageResult& result, const WriteOptions& options,
               const RunContext& run = {});
void write_geojson(const LabelledPoints& points, const CoverageResult& result, const WriteOptions& options,
                   const RunContext& run = {});

}  // namespace skyfence::coverage
