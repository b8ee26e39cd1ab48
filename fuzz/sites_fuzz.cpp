// Fuzz target: the sites reader (earth::read_sites) for CSV and GeoJSON, each lenient and strict:
// every input is given to all four. Every input must either give a site list or throw InputError
// with a message, and:
//  - every accepted site has a non-empty id, unique in the list, and a non-empty name; latitude in
//    [-90, 90] deg, longitude in (-180, 180] deg, altitude in [kMinSiteAltM, kMaxSiteAltM], all
//    finite; attribute keys unique;
//  - strict reading succeeds exactly when lenient reading rejects nothing, with the same sites;
//  - every rejected row says what was wrong and names the source.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <numbers>
#include <optional>
#include <set>
#include <string>
#include <string_view>

#include "check.h"
#include "skyfence/earth/site.h"

using namespace skyfence;
using skyfence::fuzz::check;

namespace {

// Degrees to radians can round a bound by an ulp or so.
constexpr double kSlackRad = 1e-12;

void check_list(const earth::SiteList& list) {
  std::set<std::string> ids;
  for (const earth::Site& s : list.sites) {
    check(!s.id.empty() && ids.insert(s.id).second, "ids non-empty and unique");
    check(!s.name.empty(), "a name (the id when the file gives none)");
    const frames::Geodetic& g = s.location;
    check(std::isfinite(g.lat_rad) && std::isfinite(g.lon_rad) && std::isfinite(g.alt_km), "finite location");
    check(std::fabs(g.lat_rad) <= std::numbers::pi / 2 + kSlackRad, "latitude in [-90, 90] deg");
    check(g.lon_rad > -std::numbers::pi && g.lon_rad <= std::numbers::pi + kSlackRad,
          "longitude in (-180, 180] deg");
    check(g.alt_km >= earth::kMinSiteAltM / 1000.0 - 1e-9 && g.alt_km <= earth::kMaxSiteAltM / 1000.0 + 1e-9,
          "altitude in [kMinSiteAltM, kMaxSiteAltM]");
    std::set<std::string> keys;
    for (const auto& [key, value] : s.attributes) check(keys.insert(key).second, "attribute keys unique");
  }
  for (const earth::SiteIssue& i : list.rejected) {
    check(!i.message.empty() && i.where.file == "fuzz.sites", "issues say what and where");
  }
}

bool same_sites(const earth::SiteList& a, const earth::SiteList& b) {
  if (a.sites.size() != b.sites.size()) return false;
  for (std::size_t i = 0; i < a.sites.size(); ++i) {
    const earth::Site& x = a.sites[i];
    const earth::Site& y = b.sites[i];
    if (x.id != y.id || x.name != y.name || x.attributes != y.attributes ||
        x.location.lat_rad != y.location.lat_rad || x.location.lon_rad != y.location.lon_rad ||
        x.location.alt_km != y.location.alt_km) {
      return false;
    }
  }
  return true;
}

std::optional<earth::SiteList> read(std::string_view text, earth::SiteFormat format, bool strict) {
  earth::SiteReadOptions options;
  options.strict = strict;
  try {
    return earth::read_sites(text, format, "fuzz.sites", options);
  } catch (const InputError& e) {
    fuzz::check_message(e);
    return std::nullopt;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  for (const earth::SiteFormat format : {earth::SiteFormat::csv, earth::SiteFormat::geojson}) {
    const std::optional<earth::SiteList> lenient = read(text, format, false);
    const std::optional<earth::SiteList> strict = read(text, format, true);
    if (!lenient) {
      check(!strict, "strict reading fails when lenient reading throws");
      continue;
    }
    check_list(*lenient);
    check(strict.has_value() == lenient->rejected.empty(), "strict fails exactly when lenient rejects");
    if (strict) check(same_sites(*strict, *lenient), "strict and lenient give the same sites");
  }
  return 0;
}
