// skyfence passes: AOS, TCA and LOS of satellites over ground sites (visibility::find_passes).
#include "passes.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <memory>
#include <numbers>
#include <set>
#include <string>
#include <vector>

#include <fmt/core.h>
#include <fmt/format.h>

#include "common.h"
#include "data_dir.h"
#include "skyfence/core/atomic_file.h"
#include "skyfence/core/error.h"
#include "skyfence/core/units.h"
#include "skyfence/earth/site.h"
#include "skyfence/orbits/catalog_select.h"
#include "skyfence/orbits/omm.h"
#include "skyfence/orbits/presets.h"
#include "skyfence/orbits/tle.h"
#include "skyfence/time/leap_seconds.h"
#include "skyfence/time/scales.h"
#include "skyfence/visibility/fleet.h"
#include "skyfence/visibility/passes.h"

namespace skyfence::cli {

namespace visibility_cli {

namespace {
// Element sets further than this from the times asked for get a warning (SGP4's error grows by about
// 1-3 km a day away from epoch), as in `skyfence propagate`.
constexpr double kStaleDays = 14.0;

bool all_digits(const std::string& s) {
  return !s.empty() && s.size() <= 9 &&
         std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

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

std::vector<orbits::ElementSet> load_satellites(const SatelliteInput& in, time::Instant when,
                                                std::string& source) {
  orbits::Catalog catalog;
  if (!in.preset.empty()) {
    const orbits::PresetLibrary lib = orbits::load_presets(orbits::presets_path(data_dir()));
    const orbits::Preset& preset = lib.find(in.preset);
    catalog.sets = orbits::generate(preset, when).sets;
    source = "preset " + preset.id;
  } else if (!in.catalog.empty()) {
    source = orbits::bundled_catalog_path(in.catalog, data_dir());
    catalog = orbits::load_catalog_file(
        source, {.strict = in.strict, .accept_bad_checksums = in.accept_bad_checksums});
  } else if (!in.tle.empty()) {
    catalog =
        orbits::read_tle_file(in.tle, {.accept_bad_checksums = in.accept_bad_checksums, .strict = in.strict});
    source = in.tle;
  } else {
    catalog = orbits::read_omm_file(in.omm, {.strict = in.strict});
    source = in.omm;
  }
  report_catalog_issues(catalog, source);
  if (catalog.sets.empty())
    throw InputError(SourceLocation{source, 0, {}}, "expected at least one element set, found none");

  orbits::CatalogSelection selection;
  selection.payloads_only = !in.all_objects;
  for (const std::string& s : in.satellites) {
    if (all_digits(s)) {
      selection.norad_ids.push_back(static_cast<std::uint32_t>(std::stoul(s)));
    } else {
      selection.names.push_back(s);
    }
  }
  std::vector<orbits::CatalogInput> inputs;
  inputs.push_back({source, std::move(catalog)});
  orbits::SelectedCatalog chosen;
  try {
    chosen = orbits::select_satellites(std::move(inputs), selection);
  } catch (const InputError& e) {
    throw InputError(SourceLocation{"--satellite", 0, {}}, e.detail());
  }
  for (std::size_t i = 0; i < chosen.dropped.size() && i < kMaxListed; ++i) {
    const auto& d = chosen.dropped[i];
    warn(fmt::format("{}: left out NORAD {} {}: {}", source, d.norad_id, d.name, d.reason));
  }
  if (!chosen.dropped.empty()) {
    warn(fmt::format("{}: {} object(s) left out in all (use --all-objects to keep debris and rocket bodies)",
                     source, chosen.dropped.size()));
  }
  if (chosen.sets.empty()) throw InputError(SourceLocation{source, 0, {}}, "no element set selected");
  return std::move(chosen.sets);
}

std::vector<earth::Site> read_sites(const std::string& path, bool strict) {
  earth::SiteReadOptions ropts;
  ropts.strict = strict;
  earth::SiteList list = earth::read_sites_file(path, ropts);
  for (std::size_t i = 0; i < list.rejected.size(); ++i) {
    if (i == kMaxListed) {
      warn(fmt::format("... and {} more rows skipped", list.rejected.size() - kMaxListed));
      break;
    }
    warn(list.rejected[i].to_string() + " (row skipped)");
  }
  if (!list.rejected.empty()) {
    warn(fmt::format("{}: {} row(s) skipped, {} sites loaded; use --strict to fail instead", path,
                     list.rejected.size(), list.sites.size()));
  }
  return std::move(list.sites);
}

void warn_about_epochs(const std::vector<orbits::ElementSet>& sets, time::Instant first, time::Instant last) {
  std::size_t stale = 0;
  for (const auto& es : sets) {
    if (std::abs((first - es.epoch).to_days()) > kStaleDays ||
        std::abs((last - es.epoch).to_days()) > kStaleDays) {
      ++stale;
    }
  }
  if (stale > 0) {
    warn(fmt::format(
        "{} satellite(s) are used more than {:.0f} days from their element-set epoch; SGP4 errors "
        "grow by roughly 1-3 km a day away from epoch",
        stale, kStaleDays));
  }
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
  if (g_interrupted.load()) throw Interrupted{};
  if (!path.empty() && path != "-") {
    AtomicFile f(path);
    f.write(text);
    if (g_interrupted.load()) throw Interrupted{};
    f.commit();
    return;
  }
  if (std::fwrite(text.data(), 1, text.size(), stdout) != text.size() || std::fflush(stdout) != 0) {
    throw std::runtime_error("writing to standard output failed");
  }
}

}  // namespace visibility_cli

namespace {

using namespace visibility_cli;
using time::Instant;

struct Options {
  SatelliteInput in;
  std::vector<std::string> site_specs;
  std::string sites_file;
  std::string start, stop;
  double min_elevation_deg = 25.0;
  std::string output;
  bool quiet = false;
  unsigned threads = 0;
};

constexpr double kRadToDeg = kDegPerRad;  // core/units.h

std::vector<earth::Site> load_sites(const Options& o) {
  std::vector<earth::Site> sites;
  for (const std::string& spec : o.site_specs) sites.push_back(earth::parse_site_spec(spec, "--site"));
  if (!o.sites_file.empty()) {
    for (auto& s : read_sites(o.sites_file, o.in.strict)) sites.push_back(std::move(s));
  }
  if (sites.empty())
    throw InputError(SourceLocation{o.sites_file, 0, {}}, "expected at least one site, found none");
  return sites;
}

int run(const Options& o) {
  install_interrupt_handler();
  const auto t0 = std::chrono::steady_clock::now();
  const Instant start = time::parse_iso8601(o.start, "--start");
  const Instant stop = time::parse_iso8601(o.stop, "--stop");
  if (stop < start) throw InputError(SourceLocation{"--stop", 0, {}}, "expected a time at or after --start");
  visibility::PassOptions popts;
  popts.min_elevation_rad = min_elevation_rad(o.min_elevation_deg, "--min-elevation");
  popts.threads = o.threads;
  const std::vector<earth::Site> sites = load_sites(o);
  std::string source;
  const std::vector<orbits::ElementSet> sets = load_satellites(o.in, start, source);
  warn_about_epochs(sets, start, stop);

  const visibility::Fleet fleet(sets);
  std::vector<frames::Geodetic> locations;
  locations.reserve(sites.size());
  for (const auto& s : sites) locations.push_back(s.location);
  const visibility::PassList found = visibility::find_passes(fleet, locations, start, stop, popts);
  if (g_interrupted.load()) throw Interrupted{};

  for (std::size_t i = 0; i < found.failures.size(); ++i) {
    if (i == 20) {
      warn(fmt::format("... and {} more SGP4 failures", found.failures.size() - 20));
      break;
    }
    const auto& f = found.failures[i];
    const auto& es = sets[f.satellite];
    warn(fmt::format("{} (NORAD {}): SGP4 error {} at {}: {}; its passes stop there",
                     es.name.empty() ? "satellite" : es.name, es.norad_id, static_cast<int>(f.error),
                     time::format_iso8601(f.when, 3), orbits::describe(f.error)));
  }

  fmt::memory_buffer buf;
  fmt::format_to(
      std::back_inserter(buf),
      "norad_id,name,site_id,aos_utc,tca_utc,los_utc,max_elevation_deg,aos_azimuth_deg,los_azimuth_deg,"
      "duration_s,aos_clipped,los_clipped\n");
  std::vector<std::string> site_ids, names;
  for (const auto& s : sites) site_ids.push_back(csv_field(s.id));
  for (const auto& es : sets) names.push_back(csv_field(es.name));
  for (const visibility::Pass& p : found.passes) {
    fmt::format_to(std::back_inserter(buf), "{},{},{},{},{},{},{:.4f},{:.4f},{:.4f},{:.3f},{},{}\n",
                   fleet.norad_id(p.satellite), names[p.satellite], site_ids[p.site],
                   time::format_iso8601(p.aos, 3), time::format_iso8601(p.tca, 3),
                   time::format_iso8601(p.los, 3), p.max_elevation_rad * kRadToDeg,
                   p.aos_azimuth_rad * kRadToDeg, p.los_azimuth_rad * kRadToDeg, p.duration().to_seconds(),
                   p.aos_clipped ? "true" : "false", p.los_clipped ? "true" : "false");
  }
  write_output(o.output, std::string(buf.data(), buf.size()));

  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  if (!o.quiet) {
    fmt::print(stderr,
               "skyfence: {} satellites x {} sites, {} to {}: {} passes above {} deg, {} SGP4 error(s), "
               "{:.2f} s{}\n",
               sets.size(), sites.size(), time::format_iso8601(start, 0), time::format_iso8601(stop, 0),
               found.passes.size(), o.min_elevation_deg, found.failures.size(), secs,
               o.output.empty() || o.output == "-" ? "" : ", wrote " + o.output);
  }
  if (o.in.strict && !found.failures.empty()) return kExitRuntime;
  return kExitOk;
}

}  // namespace

void add_passes_command(CLI::App& app, std::function<int()>& run_fn) {
  auto opts = std::make_shared<Options>();
  CLI::App* cmd = app.add_subcommand(
      "passes", "Passes of satellites over ground sites: AOS, TCA (highest elevation) and LOS");
  cmd->footer(R"(Examples:
  skyfence passes --tle data/tle/starlink_2026-04-27.tle --satellite STARLINK-1008 \
      --site 50.45,30.52,180 --start 2026-04-27T00:00:00Z --stop 2026-04-29T00:00:00Z
  skyfence passes --tle data/tle/iridium-next_2026-04-27.tle --sites data/gateways/starlink_gateways.csv \
      --start 2026-04-27T00:00:00Z --stop 2026-04-28T00:00:00Z --min-elevation 10 -o passes.csv
  skyfence passes --preset kuiper --site -33.9,18.4 --start 2026-05-01T00:00:00Z --stop 2026-05-01T06:00:00Z

A pass is a time span in which the satellite stands at or above --min-elevation on the site's WGS84
local vertical (no refraction). AOS and LOS are where the elevation crosses it, TCA where it is highest;
all three are found by root finding to 1 ms and printed to the millisecond (UTC, truncated).
CSV columns: norad_id,name,site_id,aos_utc,tca_utc,los_utc,max_elevation_deg,aos_azimuth_deg,
los_azimuth_deg,duration_s,aos_clipped,los_clipped, sorted by aos_utc, then NORAD id, then site.
aos_clipped=true: the pass was already under way at --start (aos_utc is --start); los_clipped=true: it
was still under way at --stop (los_utc is --stop) or at the satellite's SGP4 failure. A clipped pass's
max_elevation_deg and tca_utc are the highest point inside the window.
Sites: --site LAT,LON[,ALT_M] (degrees, metres; repeatable; its site_id is the text given) and/or
--sites FILE (CSV id,lat_deg,lon_deg[,alt_m] or GeoJSON points). --preset generates the preset's
satellites at --start. When SGP4 fails for a satellite (decay) its passes stop there with a warning;
the exit status is 0 unless --strict. Exit status: 0 ok, 1 runtime failure, 2 bad input, 130 interrupted.)");
  add_satellite_options(*cmd, opts->in);
  auto* sites = cmd->add_option_group("sites", "ground sites");
  sites->add_option("--site", opts->site_specs, "LAT,LON[,ALT_M] in degrees and metres (repeatable)")
      ->allow_extra_args(false);
  sites
      ->add_option("--sites", opts->sites_file,
                   "sites file: CSV (id,lat_deg,lon_deg[,alt_m]) or GeoJSON points")
      ->check(CLI::ExistingFile);
  sites->require_option(1, 2);
  cmd->add_option("--start", opts->start, "start of the window, ISO-8601 UTC (2026-04-27T00:00:00Z)")
      ->required();
  cmd->add_option("--stop", opts->stop, "end of the window, ISO-8601 UTC (included)")->required();
  cmd->add_option("--min-elevation", opts->min_elevation_deg, "minimum elevation, degrees")
      ->capture_default_str();
  cmd->add_option("-o,--output", opts->output,
                  "output file (default: standard output); written whole or not at all");
  cmd->add_option("--threads", opts->threads,
                  "worker threads (default: all cores); results do not depend on it");
  cmd->add_flag("-q,--quiet", opts->quiet, "no summary on standard error");
  cmd->callback([opts, &run_fn] { run_fn = [opts] { return run(*opts); }; });
}

}  // namespace skyfence::cli
