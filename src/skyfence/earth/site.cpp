// Site checks shared by all readers, format dispatch, and command-line site specs.
#include "skyfence/earth/site.h"

#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>

#include "skyfence/earth/internal/site_fields.h"

namespace skyfence::earth {

const std::string* Site::attribute(std::string_view key) const {
  for (const auto& [k, v] : attributes) {
    if (k == key) return &v;
  }
  return nullptr;
}

namespace internal {

std::string_view trim(std::string_view s) {
  const std::size_t b = s.find_first_not_of(" \t");
  if (b == std::string_view::npos) return {};
  const std::size_t e = s.find_last_not_of(" \t");
  return s.substr(b, e - b + 1);
}

std::string lower_ascii(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

namespace {

// Length of the valid UTF-8 sequence starting at s[i], or 0 when it is not valid.
std::size_t utf8_length(std::string_view s, std::size_t i) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char c = byte(i);
  if (c < 0x80) return 1;
  std::size_t n = 0;
  unsigned char lo = 0x80;
  unsigned char hi = 0xBF;
  if (c >= 0xC2 && c <= 0xDF) {
    n = 2;
  } else if (c >= 0xE0 && c <= 0xEF) {
    n = 3;
    if (c == 0xE0) lo = 0xA0;  // overlong
    if (c == 0xED) hi = 0x9F;  // surrogates
  } else if (c >= 0xF0 && c <= 0xF4) {
    n = 4;
    if (c == 0xF0) lo = 0x90;  // overlong
    if (c == 0xF4) hi = 0x8F;  // above U+10FFFF
  } else {
    return 0;
  }
  if (i + n > s.size()) return 0;
  for (std::size_t k = 1; k < n; ++k) {
    const unsigned char b = byte(i + k);
    if (k == 1 ? (b < lo || b > hi) : (b < 0x80 || b > 0xBF)) return 0;
  }
  return n;
}

std::string hex_byte(unsigned char c) {
  char buf[5];
  std::snprintf(buf, sizeof buf, "\\x%02X", static_cast<unsigned>(c));
  return buf;
}

[[noreturn]] void fail(const SourceLocation& where, const std::string& message) {
  throw InputError(where, message);
}

}  // namespace

std::string quote(std::string_view s, std::size_t max_chars) {
  std::string out = "\"";
  std::size_t chars = 0;
  for (std::size_t i = 0; i < s.size();) {
    if (chars == max_chars) {
      out += "...";
      break;
    }
    const auto c = static_cast<unsigned char>(s[i]);
    const std::size_t n = utf8_length(s, i);
    if (n == 0 || c < 0x20 || c == 0x7F) {
      out += hex_byte(c);
      i += 1;
    } else {
      if (c == '"' || c == '\\') out += '\\';
      out.append(s.substr(i, n));
      i += n;
    }
    ++chars;
  }
  out += '"';
  return out;
}

std::optional<double> parse_decimal(std::string_view s) {
  std::size_t i = 0;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
  const std::size_t mantissa = i;
  std::size_t digits = 0;
  while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i, ++digits;
  if (i < s.size() && s[i] == '.') {
    ++i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i, ++digits;
  }
  if (digits == 0) return std::nullopt;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    std::size_t exp_digits = 0;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i, ++exp_digits;
    if (exp_digits == 0) return std::nullopt;
  }
  if (i != s.size()) return std::nullopt;
  // from_chars takes no '+'; the grammar above already excludes everything else it would accept.
  const std::size_t start = s[0] == '+' ? mantissa : 0;
  double value = 0.0;
  const auto [ptr, ec] = std::from_chars(s.data() + start, s.data() + s.size(), value);
  if (ec != std::errc() || ptr != s.data() + s.size() || !std::isfinite(value)) return std::nullopt;
  return value;
}

std::string utf8_problem(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    const std::size_t n = utf8_length(s, i);
    if (n == 0) {
      return "an invalid UTF-8 byte " + hex_byte(static_cast<unsigned char>(s[i])) + " at byte " +
             std::to_string(i + 1);
    }
    i += n;
  }
  return {};
}

double parse_number(std::string_view text, Unit unit, const SourceLocation& where) {
  const std::string what =
      std::string("expected a decimal number of ") + (unit == Unit::degrees ? "degrees" : "metres");
  const std::string_view t = trim(text);
  if (t.empty()) fail(where, what + ", found an empty value");
  const auto v = parse_decimal(t);
  if (!v) fail(where, what + ", found " + quote(t));
  return *v;
}

void check_latitude(double lat_deg, const std::string& found, const SourceLocation& where) {
  if (!(lat_deg >= -90.0 && lat_deg <= 90.0))
    fail(where, "expected a latitude from -90 to 90 degrees, found " + found);
}

void check_longitude(double lon_deg, const std::string& found, const SourceLocation& where) {
  if (!(lon_deg >= -180.0 && lon_deg <= 180.0)) {
    fail(where, "expected a longitude from -180 to 180 degrees, found " + found);
  }
}

void check_altitude(double alt_m, const std::string& found, const SourceLocation& where) {
  if (!(alt_m >= kMinSiteAltM && alt_m <= kMaxSiteAltM)) {
    fail(where, "expected an altitude from -11000 to 100000 metres, found " + found);
  }
}

frames::Geodetic to_geodetic(double lat_deg, double lon_deg, double alt_m) {
  // Geodetic::degrees wraps the longitude into (-180, 180]: -180 becomes +180.
  return frames::Geodetic::degrees(lat_deg, lon_deg, alt_m / 1000.0);
}

void SiteCollector::accept(Site site, const SourceLocation& id_where, const std::string& place) {
  const auto [it, inserted] = first_place_.try_emplace(site.id, place);
  if (!inserted) {
    reject(InputError(
        id_where, "expected a unique id, found " + quote(site.id) + " again (first on " + it->second + ")"));
    return;
  }
  list_.sites.push_back(std::move(site));
}

void SiteCollector::reject(const InputError& e) {
  if (options_.strict) throw e;
  list_.rejected.push_back(SiteIssue{e.where(), e.detail()});
}

}  // namespace internal

SiteList read_sites(std::string_view text, SiteFormat format, std::string_view source,
                    const SiteReadOptions& options) {
  switch (format) {
    case SiteFormat::csv:
      return internal::read_sites_csv(text, source, options);
    case SiteFormat::geojson:
      return internal::read_sites_geojson(text, source, options);
  }
  throw InputError(SourceLocation{std::string(source), 0, ""}, "expected a CSV or GeoJSON sites format");
}

namespace internal {

bool is_geojson(const std::string& path, std::string_view text) {
  std::string ext;
  if (const std::size_t dot = path.rfind('.');
      dot != std::string::npos && path.find('/', dot) == std::string::npos) {
    ext = lower_ascii(std::string_view(path).substr(dot + 1));
  }
  if (ext == "geojson" || ext == "json") return true;
  if (ext == "csv") return false;
  std::size_t i = text.compare(0, 3, "\xEF\xBB\xBF") == 0 ? 3 : 0;
  while (i < text.size() && (text[i] == ' ' || text[i] == '\t' || text[i] == '\r' || text[i] == '\n')) ++i;
  return i < text.size() && text[i] == '{';
}

}  // namespace internal

SiteList read_sites_file(const std::string& path, const SiteReadOptions& options) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw InputError(SourceLocation{path, 0, ""},
                     std::string("expected a readable sites file, found: ") + std::strerror(errno));
  }
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (in.bad())
    throw InputError(SourceLocation{path, 0, ""}, "expected a readable sites file, found a read error");
  const std::string text = buffer.str();

  const SiteFormat format = internal::is_geojson(path, text) ? SiteFormat::geojson : SiteFormat::csv;
  return read_sites(text, format, path, options);
}

Site parse_site_spec(std::string_view spec, std::string_view what) {
  using internal::quote;
  const std::string source(what);
  std::vector<std::string_view> parts;
  for (std::size_t start = 0;;) {
    const std::size_t comma = spec.find(',', start);
    parts.push_back(
        spec.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start));
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  if (parts.size() < 2 || parts.size() > 3) {
    throw InputError(SourceLocation{source, 0, ""},
                     "expected LAT,LON or LAT,LON,ALT_M (degrees, degrees, metres), found " + quote(spec));
  }
  const SourceLocation lat_where{source, 0, "latitude"};
  const SourceLocation lon_where{source, 0, "longitude"};
  const SourceLocation alt_where{source, 0, "altitude"};
  const double lat = internal::parse_number(parts[0], internal::Unit::degrees, lat_where);
  internal::check_latitude(lat, quote(internal::trim(parts[0])), lat_where);
  const double lon = internal::parse_number(parts[1], internal::Unit::degrees, lon_where);
  internal::check_longitude(lon, quote(internal::trim(parts[1])), lon_where);
  double alt = 0.0;
  if (parts.size() == 3) {
    alt = internal::parse_number(parts[2], internal::Unit::metres, alt_where);
    internal::check_altitude(alt, quote(internal::trim(parts[2])), alt_where);
  }
  Site site;
  site.id = std::string(internal::trim(spec));
  site.name = site.id;
  site.location = internal::to_geodetic(lat, lon, alt);
  return site;
}

}  // namespace skyfence::earth
