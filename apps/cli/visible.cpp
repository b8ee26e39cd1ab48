// skyfence visible: the satellites above a minimum elevation from one site at one instant.
#include "visible.h"

#include <algorithm>
#include <chrono>
#include <memory>
#include <numbers>
#include <string>
#include <tuple>
#include <vector>

#include <fmt/core.h>
#include <fmt/format.h>

#include "common.h"
#include "inputs.h"
#include "skyfence/core/error.h"
#include "skyfence/core/units.h"
#include "skyfence/earth/site.h"
#include "skyfence/earth/trajectory.h"
#include "skyfence/time/scales.h"
#include "skyfence/visibility/fleet.h"
#include "skyfence/visibility/in_view.h"

namespace skyfence::cli {
namespace visible_command {

using namespace inputs;

struct Options {
  SatelliteInput in;
  SiteInput sites;
  std::string time;
  double min_elevation_deg = 25.0;
  std::string output;
  bool quiet = false;
  unsigned threads = 0;
};

constexpr double kRadToDeg = kDegPerRad;  // core/units.h

int run(const Options& o) {
  install_interrupt_handler();
  const auto t0 = std::chrono::steady_clock::now();
  const time::Instant when = time::parse_iso8601(o.time, "--time");
  visibility::InViewOptions vopts;
  vopts.min_elevation_rad = min_elevation_rad(o.min_elevation_deg, "--min-elevation");
  // Sites, or terminals moving along trajectories: each where it is at --time.
  const std::vector<earth::Track> tracks = load_terminals(o.sites, o.in.strict);
  std::vector<earth::Site> sites;
  for (const earth::Track& t : tracks) sites.push_back(t.site_at(when));
  const std::vector<orbits::ElementSet> sets = load_satellites(o.in, when, when).sets;
  warn_about_leap_seconds(when);

  const visibility::Fleet fleet(sets);
  std::vector<frames::StateVector> states;
  std::vector<orbits::Sgp4Error> errors;
  const RunContext run = run_context(o.threads);
  fleet.itrf_states(when, states, errors, run);
  std::unique_ptr<bool[]> valid(new bool[errors.size()]);
  std::size_t n_errors = 0;
  for (std::size_t i = 0; i < errors.size(); ++i) {
    valid[i] = errors[i] == orbits::Sgp4Error::none;
    if (valid[i]) continue;
    if (++n_errors <= 20) {
      warn(fmt::format("{} (NORAD {}): SGP4 error {} at {}: {}; left out",
                       sets[i].name.empty() ? "satellite" : sets[i].name, sets[i].norad_id,
                       static_cast<int>(errors[i]), time::format_iso8601(when, 3),
                       orbits::describe(errors[i])));
    }
  }
  if (n_errors > 20) warn(fmt::format("... and {} more SGP4 errors", n_errors - 20));

  std::vector<frames::Geodetic> locations;
  for (const auto& site : sites) locations.push_back(site.location);
  const visibility::SiteIndex index(locations);
  visibility::InViewSet set;
  visibility::in_view(index, states, std::span<const bool>(valid.get(), errors.size()), vopts, set, run);

  fmt::memory_buffer buf;
  fmt::format_to(std::back_inserter(buf),
                 "norad_id,name,azimuth_deg,elevation_deg,range_km,range_rate_km_s,site_id\n");
  std::size_t n_rows = 0;
  for (std::size_t k = 0; k < sites.size(); ++k) {
    std::vector<visibility::InViewEntry> rows(set.of_site(k).begin(), set.of_site(k).end());
    // Highest first; ties (equal elevations) by NORAD id, then catalog order.
    std::stable_sort(rows.begin(), rows.end(), [&](const auto& a, const auto& b) {
      return std::tuple(-a.look.elevation_rad, sets[a.satellite].norad_id) <
             std::tuple(-b.look.elevation_rad, sets[b.satellite].norad_id);
    });
    const std::string site_id = csv_field(sites[k].id);
    // A moving terminal: the range rate relative to it (the satellite's velocity less the terminal's).
    const frames::Vec3 v_site = tracks[k].velocity_itrf_km_s(when);
    if (v_site.norm() > 0.0) {
      const frames::Topocentric topo(sites[k].location);
      for (auto& r : rows) {
        frames::StateVector sv{states[r.satellite].r_km, states[r.satellite].v_km_s - v_site};
        r.look = topo.look(sv);
      }
    }
    for (const auto& r : rows) {
      fmt::format_to(std::back_inserter(buf), "{},{},{:.4f},{:.4f},{:.3f},{:.6f},{}\n",
                     sets[r.satellite].norad_id, csv_field(sets[r.satellite].name),
                     r.look.azimuth_rad * kRadToDeg, r.look.elevation_rad * kRadToDeg, r.look.range_km,
                     r.look.range_rate_km_s, site_id);
    }
    n_rows += rows.size();
  }
  if (o.in.strict && n_errors > 0) {
    fmt::print(stderr, "skyfence: error: {} SGP4 failure(s) with --strict; nothing was written\n", n_errors);
    return kExitRuntime;
  }
  write_output(o.output, std::string(buf.data(), buf.size()));
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  if (!o.quiet) {
    fmt::print(stderr,
               "skyfence: {} in view of {} satellites at or above {} deg from {} at {}, {} SGP4 error(s), "
               "{:.2f} s{}\n",
               n_rows, sets.size(), o.min_elevation_deg,
               sites.size() == 1 ? sites[0].id : fmt::format("{} sites", sites.size()),
               time::format_iso8601(when, 3), n_errors, secs,
               o.output.empty() || o.output == "-" ? "" : ", wrote " + o.output);
  }
  return kExitOk;
}

}  // namespace visible_command

void add_visible_command(CLI::App& app, std::function<int()>& run_fn) {
  using namespace visible_command;
  auto opts = std::make_shared<Options>();
  CLI::App* cmd = app.add_subcommand("visible", "Satellites in view of sites at one instant, highest first");
  cmd->footer(R"(Examples:
  skyfence visible --tle data/tle/starlink_2026-04-27.tle --site 50.45,30.52,180 --time 2026-04-27T12:00:00Z
  skyfence visible --omm data/tle/starlink_2026-03-26.omm.json --site=-33.9,18.4 \
      --time 2026-03-26T18:30:00Z --min-elevation 40 -o visible.csv
  skyfence visible --preset oneweb --site 78.2,15.6 --time 2026-05-01T00:00:00Z --min-elevation 10
  skyfence visible --catalog starlink --sites data/gateways/starlink_gateways.csv --time 2026-04-27T12:00:00Z

In view: at or above --min-elevation on the site's WGS84 local vertical (no refraction).
CSV columns: norad_id,name,azimuth_deg (from north, clockwise),elevation_deg,range_km,
range_rate_km_s (positive when receding),site_id; sites in the order given, each highest elevation first.
Terminals may move: --sites FILE with a time_utc column (one row per sample) or GeoJSON LineStrings
with "times" (docs/enforcement.md); each is looked from where it is at --time, its range rate relative
to its own motion.
Sites: --site LAT,LON[,ALT_M] (repeatable; its site_id is the text given; a negative latitude needs
--site=LAT,LON) and/or --sites FILE (CSV id,lat_deg,lon_deg[,alt_m] or GeoJSON points).
--preset generates the preset's satellites at --time. A satellite whose SGP4 propagation fails is left
out with a warning; the exit status is 0 unless --strict (then 1, and no output is written).
Exit status: 0 ok, 1 runtime failure, 2 bad input, 130 interrupted.)");
  add_satellite_options(*cmd, opts->in);
  add_site_options(*cmd, opts->sites);
  cmd->add_option("--time", opts->time, "the instant, ISO-8601 UTC (2026-04-27T12:00:00Z)")->required();
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
