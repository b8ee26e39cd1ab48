// Regions of the Earth's surface: spherical polygons from lon/lat rings, the bundled Natural Earth
// country borders, and GeoJSON region files.
//
// A region is a polygon on the unit sphere (an s2geometry S2Polygon, kept out of this header), with
// latitudes taken as given (geodetic latitudes are used as spherical ones, the usual convention for
// lon/lat data). Edges are great-circle arcs; rings whose edges are drawn as straight lines in
// lon/lat (Natural Earth, most GeoJSON) are densified first so that no edge spans more than
// kMaxEdgeDeg in longitude or latitude, which keeps the boundary within 10 m of the lon/lat
// straight line everywhere (the deviation of a 0.25 deg lon/lat segment is at most
// R * (0.25 deg)^2 / 16 = 7.6 m; RegionTest.PointOneKmInsideLongParallelBorder checks 1 km).
//
// Rings are read by the even-odd rule with each ring taken as its smaller side on the sphere: the
// winding of a ring does not matter, a ring crossing the antimeridian (consecutive longitudes that
// jump by more than 180 deg are joined the short way) or encircling a pole is read right, and a ring
// inside another is a hole. A region is therefore never larger than a hemisphere per ring.
//
// Points on the boundary follow S2's semi-open model: a point exactly on an edge or vertex belongs
// to at most one of two regions that share that edge exactly, which one decided by S2's symbolic
// perturbation rather than by geography. Away from shared edges, treat boundary points as
// unspecified (inside or outside).
#pragma once

#include <cstddef>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "skyfence/core/error.h"
#include "skyfence/frames/frames.h"

namespace skyfence::earth {

namespace internal {
struct RegionData;
struct CountryData;
}  // namespace internal

// A position in degrees, in GeoJSON order. lat_deg in [-90, 90]; any longitude (wrapped).
struct LonLatDeg {
  double lon_deg = 0.0;
  double lat_deg = 0.0;
};

// A closed ring: the last vertex repeats the first.
using Ring = std::vector<LonLatDeg>;

// Longest edge, in degrees of longitude or latitude, kept after densification (see above).
inline constexpr double kMaxEdgeDeg = 0.25;

// An immutable spherical polygon with a name; cheap to copy (shared), safe to share between threads.
class Region {
 public:
  // Builds a region from closed rings read by the even-odd rule (see the file comment).
  // `where` locates the feature in messages; the ring and vertex (0-based, as given in `rings`) are
  // appended to its field. Throws InputError for: a ring that is not closed (first != last), a ring
  // with fewer than 3 distinct vertices, a latitude outside [-90, 90] or a non-finite coordinate, a
  // ring that crosses itself, rings that cross each other, and an empty list of rings.
  // Cost: O(n log n) in the densified vertex count.
  static Region from_rings(std::string name, const std::vector<Ring>& rings, const SourceLocation& where);

  // The union of `regions` as one region named `name` (S2's exact polygon union; shared edges, such as
  // two neighbouring countries' border, disappear). Throws std::invalid_argument for an empty list.
  // Cost: O(n log n) in the total vertex count.
  static Region union_of(std::span<const Region> regions, std::string name);

  [[nodiscard]] const std::string& name() const;
  // Whether `p` (latitude and longitude; altitude ignored) lies inside. Cost: O(log n) amortised.
  [[nodiscard]] bool contains(const frames::Geodetic& p) const;
  // Area on the sphere of radius kEarthMeanRadiusKm (grid.h), km^2.
  [[nodiscard]] double area_km2() const;
  // Number of rings kept and of vertices after densification.
  [[nodiscard]] std::size_t ring_count() const;
  [[nodiscard]] std::size_t vertex_count() const;

  // The boundary for drawing (the globe viewer): one entry per outer ring, that ring first and then the
  // rings of the holes directly inside it, each closed (last = first). Vertices are those kept after
  // densification, thinned by Douglas-Peucker in longitude/latitude so that no dropped vertex lies more
  // than `tolerance_deg` (in degrees of longitude or latitude) off the drawn edge; rings that thin to
  // fewer than 3 distinct vertices (islands smaller than the tolerance) are left out. Longitudes are
  // continuous along a ring (a ring crossing the antimeridian goes past +-180), latitudes in
  // [-90, 90]. A ring around a pole cannot be drawn this way and is left out. REQUIRES: tolerance_deg
  // >= 0. Cost: O(n log n) in the vertex count.
  [[nodiscard]] std::vector<std::vector<Ring>> outline(double tolerance_deg) const;

  // For the layer's own use (grid.cpp).
  [[nodiscard]] const internal::RegionData& data() const { return *data_; }

 private:
  explicit Region(std::shared_ptr<const internal::RegionData> data) : data_(std::move(data)) {}
  std::shared_ptr<const internal::RegionData> data_;
};

// One feature of the Natural Earth country borders, with its ISO 3166-1 codes when it has a
// numeric id that the ISO table knows (a few disputed areas have none: codes empty).
struct Country {
  std::string name;      // Natural Earth's name, e.g. "Ukraine", "N. Cyprus"
  std::string iso_name;  // ISO 3166-1 name, e.g. "Ukraine"; empty without codes
  std::string alpha2;    // "UA"
  std::string alpha3;    // "UKR"
  std::string numeric;   // "804" (three digits)
};

// The bundled country borders (Natural Earth 1:50m via world-atlas, data/borders/PROVENANCE.md).
// Immutable after reading; cheap to copy; safe to share between threads.
class CountryBorders {
 public:
  // Reads the TopoJSON borders and the ISO 3166-1 table (iso-codes JSON format). Throws InputError
  // for an unreadable or malformed file.
  static CountryBorders read(const std::string& topojson_path, const std::string& iso_codes_path);
  // The same from a data folder: DATA_DIR/borders/countries-50m.json and .../iso_3166-1.json.
  static CountryBorders read_bundled(const std::string& data_dir);

  // The features in file order.
  [[nodiscard]] const std::vector<Country>& countries() const;

  // The region of a country given by ISO alpha-3 ("UKR"), alpha-2 ("UA"), numeric ("804", "4" for
  // "004") or name (Natural Earth's or ISO's), ASCII case ignored, spaces around trimmed. A code
  // selects every feature with that code (Australia's "036" is also Ashmore and Cartier Is.); a name
  // selects its feature(s). The region is named after the Natural Earth name of the first feature.
  // Throws InputError naming up to 5 close matches when nothing matches. Cost: builds the polygon
  // (milliseconds; Russia about 50 ms).
  [[nodiscard]] Region find(std::string_view query) const;

 private:
  explicit CountryBorders(std::shared_ptr<const internal::CountryData> data) : data_(std::move(data)) {}
  std::shared_ptr<const internal::CountryData> data_;
};

// Shorthand for borders.find(query).
Region find_country(const CountryBorders& borders, std::string_view query);

// Reads a region from a GeoJSON file (RFC 7946): a FeatureCollection, a Feature, or a bare Polygon
// or MultiPolygon geometry. Every (Multi)Polygon feature is used when `name` is empty, else only the
// features whose properties.name equals `name` (ASCII case ignored); features of other geometry
// types are ignored. Holes are the polygons' inner rings (read by the even-odd rule as in
// Region::from_rings). The region's name is `name`, else the first feature's properties.name, else
// the file name. Throws InputError (file, feature index and coordinate path) for malformed input,
// for no matching polygon, and for invalid rings as in Region::from_rings.
Region read_region_file(const std::string& path, std::string_view name = {});

}  // namespace skyfence::earth
