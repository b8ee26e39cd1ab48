// Values per cell of a grid (a region's demand, in Mbps), read from a table keyed by S2 cell token: a
// CSV file or GeoJSON features, as the per-point writers write them (point_table.h), so that a
// `skyfence capacity` or `coverage` output, edited or not, reads back as it is.
//
// Errors follow docs/rfcs/0002-error-model.md: the file is checked whole. A problem with the whole file
// (no header, a missing column, bad JSON, no FeatureCollection) throws InputError; problems with rows or
// features are all collected and thrown together as one InputErrors, each located at its file, line and
// field, saying what was expected and what was found. Nothing is skipped: a file that reads gives every
// value it holds.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "skyfence/core/error.h"
#include "skyfence/earth/grid.h"

namespace skyfence::earth {

enum class CellTableFormat { csv, geojson };

struct CellValueReadOptions {
  // The column (CSV) or property (GeoJSON) holding the values. DEFAULT: "demand_mbps". REQUIRES: not
  // empty.
  std::string column = "demand_mbps";
  // What a value must be, for messages ("expected a demand >= 0 Mbps, found ..."). DEFAULT: "a number
  // >= 0".
  std::string expected_value = "a number >= 0";
  // The cells the values are for, for messages ("expected a cell of Ukraine, ..."). DEFAULT: "the
  // grid".
  std::string cells_name = "the grid";
};

// Reads one value per cell of `cells` (S2 cells of level `level`, as region_grid or global_grid give
// them) from `text`; `source` names it in messages (a path). Returns the values in the order of
// `cells`, 0 for a cell the file does not name.
//
// CSV: a header row, then one cell per row. Columns are found by name (ASCII case ignored, in any
// order, each at most once): `cell_id` (or, in a file without it, `cell_token`, the name in the tables
// of `skyfence run`) and the value column are required; other columns are ignored. Quoting, line ends,
// byte-order mark and blank lines as the sites reader (site.h). Locations are "file:LINE: COLUMN".
// GeoJSON (RFC 7946): a FeatureCollection, or one Feature; each feature's properties.cell_id (or
// properties.cell_token), a string, and the value property, a number. Geometries are not read: the
// token says which cell a feature is. Locations are "file:LINE: features[K]: properties.NAME".
//
// Both: a token is an S2 cell token (hex digits, any case, trailing zeros optional) of a cell of
// `level` among `cells`; a value is a finite decimal number >= 0. A cell may appear more than once
// with the same value (a capacity output repeats each cell once per provider); with another value it is
// an error naming where the first was. Throws InputError / InputErrors as above.
std::vector<double> read_cell_values(std::string_view text, CellTableFormat format, std::string_view source,
                                     std::span<const Cell> cells, int level,
                                     const CellValueReadOptions& options = {});

// Reads a file, the format from the extension (.csv; .geojson or .json, any case), else GeoJSON when the
// first non-blank character is '{', else CSV. An unreadable file is an InputError.
std::vector<double> read_cell_values_file(const std::string& path, std::span<const Cell> cells, int level,
                                          const CellValueReadOptions& options = {});

}  // namespace skyfence::earth
