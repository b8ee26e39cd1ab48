// Country outlines for drawing maps: the bundled Natural Earth borders as lon/lat rings.
#pragma once

#include <string>
#include <vector>

#include "skyfence/earth/region.h"

namespace skyfence::report {

struct BorderCountry {
  std::string id;                  // the feature's id (ISO 3166-1 numeric in the bundled file); may be empty
  std::string name;                // properties.name; may be empty
  std::vector<earth::Ring> rings;  // closed rings in degrees, consecutive points as stored (a ring
                                   // crossing the antimeridian jumps by ~360 deg between two points)
};

struct BorderMap {
  std::vector<BorderCountry> countries;
};

// Reads the (Multi)Polygon features of the GeometryCollection "countries" of a TopoJSON topology
// (https://github.com/topojson/topojson-specification): arcs delta-decoded and transformed when
// quantized, ~i meaning arc i reversed, consecutive arcs of a ring sharing their joining point.
// Throws InputError naming the file for unreadable or malformed input.
BorderMap read_borders(const std::string& topojson_path);
// DATA_DIR/borders/countries-50m.json.
BorderMap read_bundled_borders(const std::string& data_dir);

}  // namespace skyfence::report
