// The inputs several commands share; see inputs.h.
#include "inputs.h"

#include <cstdio>
#include <filesystem>
#include <numbers>
#include <stdexcept>
#include <string>
#include <vector>

#include <fmt/core.h>
#include <fmt/format.h>

#include "common.h"
#include "data_dir.h"
#include "skyfence/core/atomic_file.h"
#include "skyfence/core/error.h"
#include "skyfence/orbits/catalog_select.h"
#include "skyfence/scenario/study.h"
#include "skyfence/time/leap_seconds.h"
#include "skyfence/time/scales.h"

namespace skyfence::cli::inputs {

earth::Region named_region(const std::string& text, std::optional<earth::CountryBorders>& borders) {
  return scenario::named_region(text, data_dir(), borders);
}

void add_satellite_options(CLI::App& cmd, SatelliteInput& in) {
  auto* group = cmd.add_option_group("input", "element sets");
  group->add_option("--tle", in.tle, "TLE catalog (2- or 3-line sets)")->check(CLI::ExistingFile);
  group->add_option("--omm", in.omm, "CCSDS OMM catalog: JSON, CSV or XML")->check(CLI::ExistingFile);
  std::vector<std::string> names;
  for (const auto& c : orbits::bundled_catalogs()) names.emplace_back(c.name);
  group->add_option("--catalog", in.catalog, fmt::format("a bundled snapshot: {}", fmt::join(names, ", ")))
      ->check(CLI::IsMember(names, CLI::ignore_case));
  group->add_option(
      "--preset", in.preset,
      "constellation preset (see `skyfence constellations`), generated at the first time asked for");
  group->require_option(1);
  cmd.add_option("--satellite", in.satellites,
                 "NORAD ids, names or name patterns (STARLINK-1*) to use; default: all");
  cmd.add_flag(
      "--all-objects", in.all_objects,
      "keep debris and rocket bodies (names with DEB, R/B, ...); by default they are left out and listed");
  cmd.add_flag("--strict", in.strict, "fail on any bad record (exit 2) or SGP4 error (exit 1)");
  cmd.add_flag("--accept-bad-checksums", in.accept_bad_checksums,
               "accept TLE lines whose checksum is wrong, with a warning");
}

orbits::SatelliteSource satellite_source(const SatelliteInput& in) {
  using Kind = orbits::SatelliteSource::Kind;
  orbits::SatelliteSource s;
  if (!in.preset.empty()) {
    s.kind = Kind::preset;
    s.value = in.preset;
  } else if (!in.catalog.empty()) {
    s.kind = Kind::catalog;
    s.value = in.catalog;
  } else if (!in.tle.empty()) {
    s.kind = Kind::tle;
    s.value = in.tle;
  } else {
    s.kind = Kind::omm;
    s.value = in.omm;
  }
  s.all_objects = in.all_objects;
  s.satellites = in.satellites;
  s.strict = in.strict;
  s.accept_bad_checksums = in.accept_bad_checksums;
  return s;
}

orbits::LoadedSatellites load_satellites(const SatelliteInput& in, time::Instant first, time::Instant last) {
  orbits::LoadedSatellites loaded = orbits::load_satellites(satellite_source(in), first, last, data_dir());
  print_load_warnings(loaded);
  return loaded;
}

void print_load_warnings(const orbits::LoadedSatellites& loaded) {
  orbits::LoadWarningOptions wo;
  wo.max_listed = kMaxListed;
  for (const std::string& line : orbits::load_warnings(loaded, wo)) warn(line);
}

void add_site_options(CLI::App& cmd, SiteInput& in) {
  auto* sites = cmd.add_option_group("sites", "ground sites");
  sites->add_option("--site", in.specs, "LAT,LON[,ALT_M] in degrees and metres (repeatable)")
      ->allow_extra_args(false);
  sites->add_option("--sites", in.file, "sites file: CSV (id,lat_deg,lon_deg[,alt_m]) or GeoJSON points")
      ->check(CLI::ExistingFile);
  sites->require_option(1, 2);
}

std::vector<earth::Site> load_sites(const SiteInput& in, bool strict) {
  std::vector<earth::Site> sites;
  for (const std::string& spec : in.specs) sites.push_back(earth::parse_site_spec(spec, "--site"));
  if (!in.file.empty()) {
    for (auto& s : read_sites(in.file, strict)) sites.push_back(std::move(s));
  }
  if (sites.empty()) {
    throw InputError(SourceLocation{in.file.empty() ? "--site" : in.file, 0, {}},
                     "expected at least one site, found none");
  }
  return sites;
}

std::vector<earth::Track> load_terminals(const SiteInput& in, bool strict) {
  std::vector<earth::Track> out;
  if (in.file.empty() || !earth::holds_trajectories(in.file)) {
    for (const earth::Site& s : load_sites(in, strict)) out.push_back(earth::fixed_track(s));
    return out;
  }
  for (const std::string& spec : in.specs)
    out.push_back(earth::fixed_track(earth::parse_site_spec(spec, "--site")));
  for (earth::Track& t : earth::read_tracks_file(in.file)) out.push_back(std::move(t));
  return out;
}

std::vector<earth::Site> read_sites(const std::string& path, bool strict) {
  return scenario::read_sites(path, strict, "--strict", [](const std::string& message) { warn(message); });
}

void warn_about_leap_seconds(time::Instant last) {
  const auto& leaps = time::LeapSecondTable::builtin();
  if (leaps.is_stale(last)) {
    warn(
        fmt::format("times after {} are past the leap-second table's expiry: a leap second announced since "
                    "is not known (UTC may be off by 1 s)",
                    time::format_iso8601(leaps.expires(), 0)));
  }
}

double min_elevation_rad(double deg, const char* what) {
  if (!(deg >= -90.0 && deg < 90.0)) {
    throw InputError(SourceLocation{what, 0, {}}, fmt::format("expected degrees in [-90, 90), got {}", deg));
  }
  return deg * std::numbers::pi / 180.0;
}

void write_output(const std::string& path, const std::string& text) {
  check_interrupted();
  if (!path.empty() && path != "-") {
    AtomicFile f(path);
    f.write(text);
    check_interrupted();
    f.commit();
    return;
  }
  if (std::fwrite(text.data(), 1, text.size(), stdout) != text.size() || std::fflush(stdout) != 0) {
    throw std::runtime_error("writing to standard output failed");
  }
}

}  // namespace skyfence::cli::inputs
