// The results as relational tables: one definition shared by the SQLite store and the CSV exports,
// so that both hold the same tables, columns and rows (docs/results.md).
#pragma once

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "skyfence/report/model.h"

namespace skyfence::report::internal {

enum class ColumnType { integer, real, text };

struct Column {
  std::string name;
  ColumnType type;
  bool nullable = false;
};

// A NULL (monostate), an integer, a real or a text.
using Value = std::variant<std::monostate, std::int64_t, double, std::string>;

struct Table {
  std::string name;
  std::vector<Column> columns;
  std::vector<std::string> primary_key;  // column names
  std::vector<std::vector<Value>> rows;
};

// Every table in schema order, filled from `results` (which must have passed validate()). The uplink's
// tables (capacity_up, terminal_capacity_up) only when they have rows, or with `every_table`.
std::vector<Table> build_tables(const Results& results, bool every_table = false);

// ISO-8601 UTC with milliseconds, as stored.
std::string utc_text(time::Instant t);
// Polygons (each an outer ring, then its holes) as the text of a GeoJSON MultiPolygon geometry,
// coordinates to 0.001 deg (about 110 m).
std::string geojson_multipolygon(const std::vector<std::vector<earth::Ring>>& polygons);

}  // namespace skyfence::report::internal
