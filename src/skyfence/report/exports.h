// CSV and GeoJSON exports of the result tables (docs/results.md).
#pragma once

#include <string>
#include <vector>

#include "skyfence/report/model.h"

namespace skyfence::report {

// Writes DIR/<table>.csv for every table of the store, with the same columns and rows (RFC 4180: a
// header row, comma separated, fields with a comma, quote or line break quoted, LF line ends; NULL
// is an empty field; reals in the shortest form that reads back to the same double). Every file is
// written to a temporary name first and all are renamed at the end, so a failure leaves none of
// them half written. Returns the paths written. Validates first (std::invalid_argument); throws
// std::runtime_error for I/O failures. DIR must exist.
std::vector<std::string> write_csv_tables(const Results& results, const std::string& dir);

// Writes DIR/cells.geojson (a feature per cell: cell_id, the S2 cell token, under the key that
// coverage::write_geojson gives it too (the tables call it cell_token); lat_deg, lon_deg, area_km2; and
// for every (variant, provider) layer the properties "<variant>:<provider>:coverage_fraction",
// ":served_fraction", ":mean_visible", ":max_gap_s") and DIR/terminals.geojson (a Point feature per
// terminal: terminal_id, name, group_id, customer_class and "<variant>:<provider>:served_fraction", and
// with uplink demand "<variant>:<provider>:demand_up_met_fraction").
// Coordinates are [lon_deg, lat_deg] with every longitude in [-180, 180] (RFC 7946): a cell is a
// Polygon, or a MultiPolygon of its two parts when it straddles the antimeridian (cut there by
// earth::lonlat_parts, which also replaces a corner at a pole by two pole vertices). Rings are closed
// and counter-clockwise in the lon/lat plane. Atomic as write_csv_tables. Returns the paths.
std::vector<std::string> write_geojson(const Results& results, const std::string& dir);

}  // namespace skyfence::report
