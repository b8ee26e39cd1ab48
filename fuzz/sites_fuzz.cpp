// Fuzz target: the sites reader (earth::read_sites) for CSV and GeoJSON, each lenient and strict:
// every input is given to all four. Every input must either give a site list or throw InputError
// with a message, and:
//  - every accepted site has a non-empty id, unique in the list, and a non-empty name; latitude in
//    [-90, 90] deg, longitude in (-180, 180] deg, altitude in [kMinSiteAltM, kMaxSiteAltM], all
//    finite; attribute keys unique;
//  - strict reading succeeds exactly when lenient reading rejects nothing, with the same sites;
//  - every rejected row says what was wrong and names the source.
// The same input goes to the trajectories reader (earth::read_tracks, CSV and GeoJSON): it gives terminals
// with unique non-empty ids, at least one sample each, strictly increasing times and no segment faster than
// the limit, or throws InputError; positions interpolated between samples are finite and in range.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <numbers>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "check.h"
#include "skyfence/earth/site.h"
#include "skyfence/earth/trajectory.h"

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

void check_tracks(std::string_view text, earth::SiteFormat format) {
  std::vector<earth::Track> tracks;
  try {
    tracks = earth::read_tracks(text, format, "fuzz.tracks");
  } catch (const InputError& e) {
    fuzz::check_message(e);
    return;
  }
  std::set<std::string> ids;
  for (const earth::Track& t : tracks) {
    check(!t.id.empty() && ids.insert(t.id).second, "track ids non-empty and unique");
    check(!t.samples.empty(), "at least one sample");
    for (std::size_t k = 1; k < t.samples.size(); ++k) {
      check(t.samples[k - 1].time < t.samples[k].time, "times strictly increase");
      const double hours = (t.samples[k].time - t.samples[k - 1].time).to_seconds() / 3600.0;
      check(earth::ground_distance_km(t.samples[k - 1].location, t.samples[k].location) / hours <=
                1500.0 * (1 + 1e-9),
            "no segment faster than the limit");
      const time::Instant mid = t.samples[k - 1].time;
      const frames::Geodetic p =
          t.at(mid + time::Duration::nanoseconds((t.samples[k].time - mid).count_ns() / 2));
      check(std::isfinite(p.lat_rad) && std::isfinite(p.lon_rad) && std::isfinite(p.alt_km) &&
                std::fabs(p.lat_rad) <= std::numbers::pi / 2 + kSlackRad,
            "interpolated positions finite and in range");
      check(std::isfinite(t.speed_kmh(mid)) && t.speed_kmh(mid) >= 0.0, "speeds finite");
    }
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
  for (const earth::SiteFormat format : {earth::SiteFormat::csv, earth::SiteFormat::geojson})
    check_tracks(text, format);
  return 0;
}
