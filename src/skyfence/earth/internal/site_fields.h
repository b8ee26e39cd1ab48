// Helpers shared by the site readers (CSV, GeoJSON, command line): strict number parsing of
// untrusted text, the checks every site passes, printable rendering of what was found, and the
// collector that applies the duplicate-id rule and the strict/lenient policy in one place.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "skyfence/core/error.h"
#include "skyfence/earth/csv_records.h"
#include "skyfence/earth/site.h"

namespace skyfence::earth::internal {

// `s` without leading and trailing spaces and tabs.
std::string_view trim(std::string_view s);

// ASCII letters lowered; other bytes unchanged.
std::string lower_ascii(std::string_view s);

// `s` rendered for a message: in double quotes, with `"` and `\` escaped, control characters and
// bytes that are not valid UTF-8 as \xHH, cut after `max_chars` characters with "..." appended.
std::string quote(std::string_view s, std::size_t max_chars = 40);

// A decimal number: [+-] digits [. digits] [(e|E) [+-] digits], with at least one mantissa digit
// (".5" and "5." accepted). No spaces, no "inf"/"nan", no hexadecimal, no decimal comma; nullopt
// when the value overflows a double. Correctly rounded (std::from_chars).
std::optional<double> parse_decimal(std::string_view s);

// Empty when `s` is valid UTF-8 (no overlong forms, no surrogates, nothing above U+10FFFF), else what
// was wrong ("an invalid UTF-8 byte \xFF at byte 3").
std::string utf8_problem(std::string_view s);

// Whether a file holds GeoJSON rather than CSV: by the extension of `path` (.csv; .geojson or .json,
// any case), else when the first non-blank character of `text` (after a byte-order mark) is '{'.
bool is_geojson(const std::string& path, std::string_view text);

// Unit words for the numbers a site has.
enum class Unit { degrees, metres };

// The number in `text` (trimmed), or an InputError at `where`: "expected a decimal number of
// degrees, found ..." (or "an empty value").
double parse_number(std::string_view text, Unit unit, const SourceLocation& where);

// Range checks; `found` is the value as the file spells it, already rendered for a message.
void check_latitude(double lat_deg, const std::string& found, const SourceLocation& where);
void check_longitude(double lon_deg, const std::string& found, const SourceLocation& where);
void check_altitude(double alt_m, const std::string& found, const SourceLocation& where);

// A checked location from checked degrees and metres.
frames::Geodetic to_geodetic(double lat_deg, double lon_deg, double alt_m);

// Gathers sites in file order. A site whose id was already accepted is rejected with a message
// naming where the first one was; a rejected row throws at once when strict.
class SiteCollector {
 public:
  SiteCollector(const SiteReadOptions& options, std::string_view source)
      : options_(options), source_(source) {}

  // `id_where` locates the row's id; `place` says where the row is for a later duplicate's message
  // ("line 3", "features[2] (line 9)").
  void accept(Site site, const SourceLocation& id_where, const std::string& place);
  void reject(const InputError& e);
  [[nodiscard]] SiteList take() { return std::move(list_); }

 private:
  const SiteReadOptions& options_;
  std::string source_;
  SiteList list_;
  std::unordered_map<std::string, std::string> first_place_;  // id -> where it was first accepted
};

// The name columns tried, in order, when SiteReadOptions::name_column is empty.
inline constexpr std::string_view kNameColumns[] = {"name", "description", "place"};

// The columns of a sites CSV header, found by name (ASCII case ignored).
struct SiteColumns {
  static constexpr std::size_t kNone = static_cast<std::size_t>(-1);
  std::vector<std::string> names;  // as written (trimmed), for messages and attribute keys
  std::size_t id = kNone, name = kNone, lat = kNone, lon = kNone, alt = kNone;
  // The index of column `want` (ASCII case ignored), or kNone.
  [[nodiscard]] std::size_t find(std::string_view want) const;
};

// The header of a sites file (id, lat_deg, lon_deg required). Throws InputError at the header's line.
SiteColumns read_site_header(const CsvRecord& header, std::string_view source,
                             const SiteReadOptions& options);
// One row as a site (every column that is not id, name or a coordinate becomes an attribute). Throws
// InputError at the row's line and column.
Site read_site_row(const CsvRecord& rec, const SiteColumns& cols, std::string_view source);

SiteList read_sites_csv(std::string_view text, std::string_view source, const SiteReadOptions& options);
SiteList read_sites_geojson(std::string_view text, std::string_view source, const SiteReadOptions& options);

}  // namespace skyfence::earth::internal
