// Drawing spherical polygons on a longitude/latitude plane (GeoJSON, maps): a ring whose edges cross
// the antimeridian is cut there into parts that each stay within [-180, 180] (RFC 7946, section 3.1.9),
// and a ring around a pole is closed along the pole's edge of the plane.
//
// Edges are taken as straight lines in longitude/latitude, which is how GeoJSON readers draw them;
// for small polygons (grid cells) this is within drawing precision of the great-circle edges.
#pragma once

#include <vector>

#include "skyfence/earth/region.h"

namespace skyfence::earth {

// The parts of a closed ring (last vertex equal to the first, as region.h's Ring), each a closed ring
// with longitudes in [-180, 180]: one part when the ring crosses neither the antimeridian nor a pole,
// two when it straddles the antimeridian, one ring running along latitude +-90 when it encircles a
// pole. A vertex at a pole (whose longitude means nothing) is replaced by two pole vertices at the
// longitudes of its neighbours. Consecutive vertices more than 180 deg apart in longitude are joined
// the short way, as region.h reads them. Rings with fewer than 3 distinct vertices are returned as
// given (after wrapping longitudes). Every other part runs counter-clockwise in the lon/lat plane, as
// RFC 7946 asks of exterior rings.
std::vector<Ring> lonlat_parts(const Ring& ring);

}  // namespace skyfence::earth
