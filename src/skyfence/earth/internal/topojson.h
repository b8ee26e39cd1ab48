// A TopoJSON (https://github.com/topojson/topojson-specification) decoder for polygon geometry
// collections, as used by the bundled Natural Earth borders.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "skyfence/earth/region.h"

namespace skyfence::earth::internal {

struct TopoFeature {
  std::string id;           // the feature's "id" (string or number as text); empty when absent
  std::string name;         // properties.name; empty when absent
  std::vector<Ring> rings;  // every ring of every polygon, closed, in file order
};

// The (Multi)Polygon features of the GeometryCollection `object` of a Topology. Arcs are
// delta-decoded and transformed when the topology is quantized; a negative arc index ~i is arc i
// reversed; consecutive arcs of a ring share their joining point. Other geometry types are skipped.
// Throws InputError (naming `source`) for malformed input or an arc index out of range.
std::vector<TopoFeature> read_topojson(std::string_view text, std::string_view object,
                                       std::string_view source);

}  // namespace skyfence::earth::internal
