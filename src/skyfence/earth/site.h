// Ground sites (terminals, gateways, points of presence, cities) and their readers.
//
// Sites come from CSV or GeoJSON files, or from the command line ("--site 50.45,30.52,180").
// Degrees and metres live only in the files; a Site holds radians and kilometres (frames::Geodetic).
// Errors follow docs/rfcs/0002-error-model.md: a bad row is listed in SiteList::rejected with its
// file, line, field and what was expected, and the good rows still load; with `strict` the reader
// throws InputError at the first bad row. Problems with the whole file (no header, bad JSON, a
// missing required column) throw InputError either way.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "skyfence/core/error.h"
#include "skyfence/frames/frames.h"

namespace skyfence::earth {

// Extra columns (CSV) or properties (GeoJSON) of a site, in the order the file gives them.
// Keys are unique. Values are text: GeoJSON numbers, booleans, arrays and objects are kept as
// their compact JSON spelling, null as an empty string.
using Attributes = std::vector<std::pair<std::string, std::string>>;

struct Site {
  std::string id;             // unique within a list; never empty
  std::string name;           // display name; the id when the file gives none
  frames::Geodetic location;  // WGS84; longitude in (-pi, pi]; altitude in km above the ellipsoid
  Attributes attributes;

  // The value of attribute `key`, or nullptr when the site has none.
  [[nodiscard]] const std::string* attribute(std::string_view key) const;
};

// A problem with one row (CSV) or feature (GeoJSON); the row was skipped.
using SiteIssue = InputIssue;

// The result of reading a sites file: the good sites in file order, and what was wrong with the
// others.
struct SiteList {
  std::vector<Site> sites;
  std::vector<SiteIssue> rejected;  // rows skipped (with `strict` the reader throws instead)
};

enum class SiteFormat { csv, geojson };

struct SiteReadOptions {
  // Throw InputError at the first bad row. DEFAULT: false (skip the row and list it in `rejected`).
  bool strict = false;
  // The column (CSV) or property (GeoJSON) holding the site's name. DEFAULT: empty, meaning the
  // first of "name", "description", "place" that the file has (so the bundled Starlink gateway list,
  // which has "description" and "place" but no "name", loads as it is); when the file has none of
  // them, or a row's value is empty, the name is the id. When set, a CSV file must have that column.
  std::string name_column;
};

// Lowest and highest accepted site altitude, metres above the WGS84 ellipsoid: the deepest ocean
// floor to the edge of space. Values beyond are taken for unit mistakes, not terminals.
inline constexpr double kMinSiteAltM = -11000.0;
inline constexpr double kMaxSiteAltM = 100000.0;

// Reads sites from `text`; `source` names it in messages (a path, "<stdin>").
//
// CSV: a header row, then one site per row. Columns are found by name (ASCII case ignored, in any
// order): id, lat_deg, lon_deg required; alt_m optional (metres, empty or absent = 0); the name
// column as in SiteReadOptions::name_column; every other column becomes an attribute. RFC 4180
// quoting (commas, quotes as "", and line breaks inside quotes; a CRLF inside quotes is read as LF),
// LF or CRLF line ends, a UTF-8 byte-order mark, blank lines skipped. Text must be UTF-8. Ids, names
// and numbers are trimmed of spaces and tabs; attributes are kept as written. Locations are
// "file:LINE: COLUMN" with the line where the row starts.
//
// GeoJSON (RFC 7946): a FeatureCollection, or one Feature, of Point features. The id is the
// feature's "id" (string or number), else properties.id; the name is the name property (see
// SiteReadOptions::name_column); coordinates are [lon_deg, lat_deg] or [lon_deg, lat_deg, alt_m];
// the other properties become attributes. Locations are "file:LINE: features[K]: PATH" with K the
// 0-based feature index, LINE where the feature starts, and PATH the member at fault
// ("geometry.coordinates[1]").
//
// Both: latitude in [-90, 90]; longitude in [-180, 180], stored normalised to (-180, 180] (so -180
// becomes 180); altitude in [kMinSiteAltM, kMaxSiteAltM]; ids non-empty and unique (a repeated id
// rejects the later row, naming where the first was; only accepted rows count). A file with a header
// (or a FeatureCollection) but no sites gives an empty list.
SiteList read_sites(std::string_view text, SiteFormat format, std::string_view source,
                    const SiteReadOptions& options = {});

// Reads a sites file, the format from the extension (.csv; .geojson or .json, any case), else GeoJSON
// when the first non-blank character is '{', else CSV. An unreadable file is an InputError.
SiteList read_sites_file(const std::string& path, const SiteReadOptions& options = {});

// A site given on the command line as "LAT,LON" or "LAT,LON,ALT_M" (degrees, degrees, metres; spaces
// around the numbers allowed), checked as in read_sites. `what` names the value in messages (the
// option, e.g. "--site"). The site's id and name are the spec as given, trimmed.
Site parse_site_spec(std::string_view spec, std::string_view what);

}  // namespace skyfence::earth
