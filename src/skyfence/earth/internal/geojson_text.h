// GeoJSON text to a JSON document, with the line where each feature starts, shared by the readers of
// GeoJSON features (sites, cell values). nlohmann_json keeps no positions, so a light scan of the text
// finds the line of the root object and of each element of its "features" array; the scan also bounds
// the nesting depth, since printing a deeply nested value would recurse.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace skyfence::earth::internal {

// ordered_json keeps properties in file order (site attributes come out in the order written).
using Json = nlohmann::ordered_json;

// Deepest nesting accepted.
inline constexpr int kMaxJsonDepth = 256;

struct GeoJsonText {
  Json doc;
  int root_line = 0;  // line of the root '{' (0 when the root is no object)
  // Line of each element of the root object's "features" array, when the scan found exactly one start
  // per element of the parsed array; empty otherwise (then features are located by index alone).
  std::vector<int> feature_lines;
};

// Parses `text` (a UTF-8 byte-order mark skipped). Throws InputError at `source` (with the line where
// known) for an empty file ("expected `what`, found an empty file"), nesting deeper than
// kMaxJsonDepth, or a JSON syntax error.
GeoJsonText parse_geojson_text(std::string_view text, std::string_view source, std::string_view what);

// A JSON value for a message: strings quoted, numbers and literals as spelled, containers by kind.
std::string describe(const Json& v);

}  // namespace skyfence::earth::internal
