// Tables of values per ground point (an S2 cell or a site) and per series (a provider, "any"...): CSV
// and GeoJSON, one row (or feature) per point and series, series in the order given. The layers that
// report per-point statistics (capacity; coverage's writers) share this one writer.
//
// Columns (CSV header order; GeoJSON properties in the same order):
//   cell_id          the S2 cell token, or the site's id
//   lat_deg, lon_deg the cell centre or the site, 6 decimals
//   area_km2         the cell's area, 3 decimals; empty (CSV) or null (GeoJSON) for sites
//   <series column>  the series' name (e.g. "provider")
//   <columns>        the values, as the caller formats them: numbers (valid in both formats); an empty
//                    value is written empty (CSV) or null (GeoJSON)
// CSV is RFC 4180 (fields quoted only when needed), LF line ends. GeoJSON is one FeatureCollection (RFC
// 7946): cells as Polygons cut at the antimeridian (MultiPolygon when cut, earth::lonlat_parts), sites as
// Points, a moving site (LabelledPoints::tracks) as the LineString of its samples with their times in a
// last property "times" (ISO-8601 UTC, as the trajectory readers take them); coordinates
// [lon_deg, lat_deg] with 6 decimals. lat_deg and lon_deg (both formats) are a moving site's first sample.
#pragma once

#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "skyfence/core/run_context.h"
#include "skyfence/earth/grid.h"
#include "skyfence/earth/site.h"
#include "skyfence/earth/trajectory.h"

namespace skyfence::earth {

// Points labelled as cells or as sites: exactly one of the spans is non-empty. `tracks`, optional, gives
// each site's trajectory (a moving one is written as its trajectory in GeoJSON).
struct LabelledPoints {
  std::span<const Cell> cells;
  std::span<const Site> sites;
  std::span<const Track> tracks{};  // empty, or one per site
  [[nodiscard]] std::size_t size() const { return cells.empty() ? sites.size() : cells.size(); }
};

struct PointTable {
  std::string series_column = "provider";
  std::vector<std::string> series;   // names, in the order written
  std::vector<std::string> columns;  // value columns after the series column
  // Fills `values` (resized to columns.size() before the call) for one point and series.
  std::function<void(std::size_t point, std::size_t series, std::vector<std::string>& values)> values;
};

struct PointTableOutput {
  // Receives the text in order, in pieces of about 1 MB. REQUIRES: set.
  std::function<void(std::string_view)> out;
};

// A cell's outline as a GeoJSON geometry (a Polygon, or a MultiPolygon when the antimeridian cuts it).
std::string cell_geometry_json(const Cell& cell);

// REQUIRES: exactly one kind of label (std::invalid_argument otherwise; any count is allowed). A stop
// requested through `run` is checked before each point and throws skyfence::Cancelled.
void write_point_table_csv(const LabelledPoints& points, const PointTable& table,
                           const PointTableOutput& output, const RunContext& run = {});
void write_point_table_geojson(const LabelledPoints& points, const PointTable& table,
                               const PointTableOutput& output, const RunContext& run = {});

}  // namespace skyfence::earth
