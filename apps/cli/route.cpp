// skyfence route: round-trip times between sites, or from sites to the
// internet, over inter-satellite links, gateways and fibre, step by step
// (network::Network, network::route_series, network::RouteCsv).
#include "route.h"

#include <chrono>
#include <cmath>
#include <fstream>
#include <functional>
#include <limits>
#include <map>
#include <memory>
#include <numbers>
#include <optional>
#include <span>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include <fmt/core.h>
#include <fmt/format.h>

#include "common.h"
#include "data_dir.h"
#include "inputs.h"
#include "skyfence/core/error.h"
#include "skyfence/earth/site.h"
#include "skyfence/earth/trajectory.h"
#include "skyfence/network/hypatia.h"
#include "skyfence/network/hypatia_export.h"
#include "skyfence/network/links.h"
#include "skyfence/network/planes.h"
#include "skyfence/network/routing.h"
#include "skyfence/network/series.h"
#include "skyfence/network/topology.h"
#include "skyfence/orbits/presets.h"
#include "skyfence/orbits/refit.h"
#include "skyfence/time/scales.h"
#include "skyfence/time/window.h"
#include "skyfence/visibility/fleet.h"

namespace skyfence::cli {
namespace route_command {

using namespace inputs;
using time::Duration;
using time::Instant;

struct Options {
  SatelliteInput in;
  std::string isl = "plus-grid";
  std::string isl_pairing = "nearest";
  int isl_shift = 0;
  std::string isls_file;
  std::string hypatia_state;  // Hypatia's static state folder
  double gsl_max_range_km = 0.0;
  // Given on the command line (they override what --hypatia-state sets).
  bool pairing_given = false, elevation_given = false, isl_max_range_given = false;
  std::string sites_file;
  std::string from, to, pairs_file;
  bool to_internet = false;
  std::string gateways_file, pops_file;
  std::string start, stop, duration, step;
  double min_elevation_deg = 25.0;
  double gateway_min_elevation_deg = 25.0;
  double isl_max_range_km = 0.0;
  double grazing_altitude_km = 80.0;
  double fibre_route_factor = 1.5;
  double fibre_index = network::kFibreRefractiveIndex;
  bool satellites_only = false;
  bool summary = false;
  std::string output;
  std::string export_dir;  // --export-hypatia
  bool overwrite = false;
  bool keep_epochs = false;         // --keep-epochs: the element sets written as they are
  double refit_max_error_km = 1.0;  // --refit-max-error: warn beyond this position difference
  bool gateway_elevation_given = false;
  bool quiet = false;
  unsigned threads = 0;
  // Reconfiguration slots: --reconfiguration starlink, or the interval and offset.
  std::string reconfiguration = "off";
  std::string reconfiguration_interval, reconfiguration_offset;
  std::string reconfiguration_rule = "highest-elevation";
  bool hold_gateways = false;  // --hold-gateways: each gateway's satellite held through the slot too
};

// Upper bound on the number of steps, against a mistyped --step (one step per
// second for 30 days).
constexpr std::size_t kMaxSteps = 2'592'000;

std::vector<earth::Site> read_sites(const std::string& path, bool strict, const char* what) {
  earth::SiteReadOptions ropts;
  ropts.strict = strict;
  earth::SiteList list = earth::read_sites_file(path, ropts);
  for (std::size_t i = 0; i < list.rejected.size() && i < kMaxListed; ++i) {
    warn(list.rejected[i].to_string() + " (row skipped)");
  }
  if (!list.rejected.empty()) {
    warn(fmt::format("{}: {} row(s) skipped, {} {} loaded; use --strict to fail instead", path,
                     list.rejected.size(), list.sites.size(), what));
  }
  if (list.sites.empty()) {
    throw InputError(SourceLocation{path, 0, {}},
                     fmt::format("expected at least one of the {}, found none", what));
  }
  return std::move(list.sites);
}

std::vector<network::GroundNode> ground_nodes(const std::vector<earth::Site>& sites) {
  std::vector<network::GroundNode> out;
  out.reserve(sites.size());
  for (const auto& s : sites) out.push_back({s.id, s.location});
  return out;
}

// Splits one CSV record (RFC 4180 quoting, no line breaks inside quotes) into
// trimmed fields.
std::vector<std::string> split_csv(const std::string& line) {
  std::vector<std::string> fields(1);
  bool quoted = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
        fields.back() += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        fields.back() += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      fields.emplace_back();
    } else {
      fields.back() += c;
    }
  }
  for (auto& f : fields) {
    const auto b = f.find_first_not_of(" \t");
    const auto e = f.find_last_not_of(" \t");
    f = b == std::string::npos ? std::string() : f.substr(b, e - b + 1);
  }
  return fields;
}

std::uint32_t endpoint_index(const std::map<std::string, std::uint32_t>& ids, const std::string& id,
                             const SourceLocation& where, const std::string& sites_file) {
  const auto it = ids.find(id);
  if (it == ids.end()) {
    throw InputError(where, fmt::format("expected the id of a site in {}, got \"{}\"", sites_file, id));
  }
  return it->second;
}

// Pairs file: CSV with a header naming columns src and dst (any order, other
// columns ignored).
std::vector<network::EndpointPair> read_pairs(const std::string& path,
                                              const std::map<std::string, std::uint32_t>& ids,
                                              const std::string& sites_file) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(SourceLocation{path, 0, {}}, "cannot open the pairs file");
  std::string line;
  int line_no = 0;
  int src_col = -1, dst_col = -1;
  std::size_t columns = 0;
  std::vector<network::EndpointPair> pairs;
  while (std::getline(in, line)) {
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line_no == 1 && line.size() >= 3 && line.compare(0, 3, "\xEF\xBB\xBF") == 0) line.erase(0, 3);
    if (line.find_first_not_of(" \t") == std::string::npos) continue;
    const std::vector<std::string> f = split_csv(line);
    if (src_col < 0) {
      for (std::size_t c = 0; c < f.size(); ++c) {
        std::string name = f[c];
        for (auto& ch : name) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
        if (name == "src") src_col = static_cast<int>(c);
        if (name == "dst") dst_col = static_cast<int>(c);
      }
      if (src_col < 0 || dst_col < 0) {
        throw InputError(SourceLocation{path, line_no, "header"},
                         "expected a header row with columns src and dst (e.g. "
                         "\"src,dst\")");
      }
      columns = f.size();
      continue;
    }
    if (f.size() != columns) {
      throw InputError(SourceLocation{path, line_no, {}},
                       fmt::format("expected {} fields as in the header, found {}", columns, f.size()));
    }
    network::EndpointPair p;
    p.src_endpoint =
        endpoint_index(ids, f[static_cast<std::size_t>(src_col)], {path, line_no, "src"}, sites_file);
    p.dst_endpoint =
        endpoint_index(ids, f[static_cast<std::size_t>(dst_col)], {path, line_no, "dst"}, sites_file);
    pairs.push_back(p);
  }
  if (src_col < 0)
    throw InputError(SourceLocation{path, 0, {}}, "expected a header row src,dst, found an empty file");
  if (pairs.empty()) throw InputError(SourceLocation{path, 0, {}}, "expected at least one pair, found none");
  return pairs;
}

std::vector<Instant> time_steps(const Options& o) {
  const Instant start = time::parse_iso8601(o.start, "--start");
  const Instant stop = !o.stop.empty() ? time::parse_iso8601(o.stop, "--stop")
                                       : start + time::parse_duration(o.duration, "--duration");
  return time::Window::make(start, stop, time::parse_duration(o.step, "--step"),
                            time::WindowNames{"--start", o.stop.empty() ? "--duration" : "--stop", "--step"},
                            kMaxSteps)
      .instants();
}

// Shells, planes and slots: from the Walker layout for a preset, else inferred
// from the elements.
network::PlaneAssignment assign_planes(const Options& o, const std::vector<orbits::ElementSet>& sets,
                                       Instant when) {
  if (o.in.preset.empty()) {
    network::PlaneAssignment a = network::infer_planes(sets);
    if (!o.quiet) {
      fmt::print(stderr, "skyfence: planes inferred from the elements: {} shell(s)\n", a.shells.size());
      for (std::size_t s = 0; s < a.shells.size(); ++s) {
        const auto& sh = a.shells[s];
        fmt::print(stderr,
                   "skyfence:   shell {}: {:.1f} km, {:.2f} deg, {} plane(s) "
                   "of {}-{} satellites ({} in all), {}\n",
                   s, sh.altitude_km, sh.inclination_deg, sh.planes, sh.min_per_plane, sh.max_per_plane,
                   sh.satellites,
                   sh.wraps ? "planes all round (last plane linked to the first)" : "open seam (no wrap)");
      }
    }
    if (!a.unassigned.empty()) {
      std::vector<std::string> listed;
      for (std::size_t k = 0; k < a.unassigned.size() && k < kMaxListed; ++k) {
        const auto& es = sets[a.unassigned[k]];
        listed.push_back(fmt::format("{} {}", es.norad_id, es.name));
      }
      warn(fmt::format("{} satellite(s) fit no plane and get no inter-satellite links: {}{}",
                       a.unassigned.size(), fmt::join(listed, ", "),
                       a.unassigned.size() > kMaxListed ? ", ..." : ""));
    }
    return a;
  }
  const orbits::PresetLibrary lib = orbits::load_presets(orbits::presets_path(data_dir()));
  const orbits::Preset& preset = lib.find(o.in.preset);
  const orbits::GeneratedConstellation gen = orbits::generate(preset, when);
  std::map<std::uint32_t, orbits::WalkerSlot> slot_of;
  for (std::size_t i = 0; i < gen.sets.size(); ++i) slot_of[gen.sets[i].norad_id] = gen.slots[i];
  std::vector<orbits::WalkerShell> shells;
  for (const auto& sh : preset.shells) shells.push_back(*sh.layout);
  std::vector<orbits::WalkerSlot> slots;
  for (const auto& es : sets) slots.push_back(slot_of.at(es.norad_id));
  return network::planes_from_walker(slots, shells);
}

// What --hypatia-state sets that the command line gave explicitly.
network::HypatiaOverrides hypatia_overrides(const Options& o) {
  return {.pairing_given = o.pairing_given,
          .ground_rule_given = o.gsl_max_range_km != 0.0 || o.elevation_given,
          .isl_max_range_given = o.isl_max_range_given};
}

// The candidate inter-satellite links: --isls, else Hypatia's isls.txt (with --hypatia-state and no
// --isl-pairing), else the plus grid with the pairing asked for, on Hypatia's planes (file order), a
// preset's Walker layout, or planes inferred from the elements.
std::vector<network::SatellitePair> isl_links(const Options& o, const std::vector<orbits::ElementSet>& sets,
                                              const std::optional<network::HypatiaState>& hypatia,
                                              Instant when) {
  const network::IslChoice choice{
      .grid = {.pairing = *network::isl_pairing_named(o.isl_pairing), .shift = o.isl_shift},
      .isls_file = o.isls_file};
  if (hypatia) return network::hypatia_candidate_isls(*hypatia, choice, hypatia_overrides(o));
  return network::candidate_isls(choice, sets, [&] { return assign_planes(o, sets, when); });
}

// Hypatia's ground stations as sites, their names as ids.
std::vector<earth::Site> hypatia_sites(const network::HypatiaState& state) {
  std::vector<earth::Site> out;
  for (const auto& g : state.ground_stations) out.push_back({g.id, g.id, g.location, {}});
  return out;
}

// The network's options from the command's, checked before any input is read; main maps the library's
// std::invalid_argument to exit status 2.
network::NetworkOptions network_options(const Options& o) {
  network::NetworkOptions nopts;
  nopts.isl = o.isl == "none" ? network::IslMode::none : network::IslMode::plus_grid;
  // Degrees to radians as min_elevation_rad does; the library checks the ranges (network::check).
  nopts.user_min_elevation_rad = o.min_elevation_deg * std::numbers::pi / 180.0;
  nopts.gateway_min_elevation_rad = o.gateway_min_elevation_deg * std::numbers::pi / 180.0;
  nopts.isl_max_range_km =
      o.isl_max_range_km == 0.0 ? std::numeric_limits<double>::infinity() : o.isl_max_range_km;
  nopts.isl_grazing_altitude_km = o.grazing_altitude_km;
  network::limit_ground_links_by_range(nopts, o.gsl_max_range_km);  // the masks go to the horizon
  nopts.fibre_route_factor = o.fibre_route_factor;
  nopts.fibre_refractive_index = o.fibre_index;
  nopts.ground_relay = !o.satellites_only;
  nopts.gateway_links = !o.satellites_only || o.to_internet;
  network::check(nopts);
  return nopts;
}

// What to route, as indices into `sites`: every site to the internet, the pairs file's rows, or
// --from to --to.
std::vector<network::EndpointPair> endpoint_pairs(const Options& o, const std::vector<earth::Site>& sites) {
  const std::string sites_file =
      o.sites_file.empty() ? o.hypatia_state + "/ground_stations.txt" : o.sites_file;
  std::map<std::string, std::uint32_t> ids;
  for (std::size_t i = 0; i < sites.size(); ++i) ids.emplace(sites[i].id, static_cast<std::uint32_t>(i));
  std::vector<network::EndpointPair> pairs;
  if (o.to_internet) {
    for (std::uint32_t i = 0; i < sites.size(); ++i) pairs.push_back({i, network::kToInternet});
  } else if (!o.pairs_file.empty()) {
    pairs = read_pairs(o.pairs_file, ids, sites_file);
  } else {
    pairs.push_back({endpoint_index(ids, o.from, {"--from", 0, {}}, sites_file),
                     endpoint_index(ids, o.to, {"--to", 0, {}}, sites_file)});
  }
  return pairs;
}

// The reconfiguration slots asked for: --reconfiguration starlink (15 s, 12 s), or
// --reconfiguration-interval and --reconfiguration-offset; off by default.
network::Reconfiguration reconfiguration(const Options& o) {
  const network::ServingRule rule = o.reconfiguration_rule == "shortest-path"
                                        ? network::ServingRule::shortest_path
                                        : network::ServingRule::highest_elevation;
  if (o.reconfiguration == "starlink") {
    network::Reconfiguration r = network::kStarlinkReconfiguration;
    r.rule = rule;
    r.hold_gateways = o.hold_gateways;
    return r;
  }
  if (o.reconfiguration_interval.empty()) return {};
  network::Reconfiguration r;
  r.rule = rule;
  r.hold_gateways = o.hold_gateways;
  r.interval = time::parse_duration(o.reconfiguration_interval, "--reconfiguration-interval");
  if (!o.reconfiguration_offset.empty()) {
    r.offset = time::parse_duration(o.reconfiguration_offset, "--reconfiguration-offset");
  }
  const SourceLocation interval_at{"--reconfiguration-interval", 0, {}};
  if (r.interval.count_ns() <= 0 || 86'400'000'000'000 % r.interval.count_ns() != 0) {
    throw InputError(interval_at,
                     fmt::format("expected a positive duration that divides 24 h (15s, 1m), got \"{}\"",
                                 o.reconfiguration_interval));
  }
  if (r.offset.count_ns() < 0 || r.offset >= r.interval) {
    throw InputError(SourceLocation{"--reconfiguration-offset", 0, {}},
                     fmt::format("expected a duration in [0, {}) (the interval), got \"{}\"",
                                 o.reconfiguration_interval, o.reconfiguration_offset));
  }
  return r;
}

// Routes every pair at every step and writes the CSV (one row per pair and step, or the per-pair
// summary), committed whole unless interrupted.
// Sites that move (tracks, one per site, when some move) are routed from where they are at each step.
network::SeriesCounts write_routes(const Options& o, network::Network& net, const std::vector<Instant>& times,
                                   const std::vector<network::EndpointPair>& pairs,
                                   const std::vector<earth::Track>& tracks) {
  OutputSink out(o.output);
  network::RouteCsv csv(net, pairs, o.summary);
  out.write(csv.header());
  Progress progress("route", 1.0, o.quiet);
  std::string rows;
  std::vector<frames::Geodetic> where(tracks.size());
  std::function<void(Instant)> move_sites;
  if (earth::any_moving(tracks)) {
    move_sites = [&](Instant t) {
      earth::positions_at(tracks, t, where);
      net.move_endpoints(where);
    };
  }
  check_interrupted();
  const network::SeriesCounts counts = network::route_series(
      net, times, pairs,
      [&](std::size_t step, std::span<const network::Route> routes, const network::StepSlot& slot) {
        rows.clear();
        csv.add_step(times[step], routes, slot, rows);
        out.write(rows);
      },
      run_context(o.threads, &progress), move_sites, reconfiguration(o));
  rows.clear();
  csv.finish(rows);
  out.write(rows);
  progress.finish();
  check_interrupted();
  out.commit();
  return counts;
}

// The element sets re-fitted to --start over the export's window (orbits::refit_to_epoch: sets already
// at --start pass unchanged), the residuals as epoch_refit.csv's text in `report`; what was done on
// stderr, with a warning for satellites beyond --refit-max-error or that cannot be propagated.
std::vector<orbits::ElementSet> refit_to_start(const Options& o, const std::vector<orbits::ElementSet>& sets,
                                               const std::vector<Instant>& times, std::string& report) {
  Progress progress("refit", 1.0, o.quiet);
  const std::vector<orbits::RefitResult> fits = orbits::refit_to_epoch(
      sets, times.front(), times.front(), times.back(), {}, run_context(o.threads, &progress));
  progress.finish();
  report = network::hypatia_refit_report_text(sets, fits);
  std::vector<orbits::ElementSet> out;
  std::size_t refitted = 0, failed = 0, worst_at = 0;
  std::vector<std::size_t> over;
  double worst = 0.0;
  for (std::size_t i = 0; i < fits.size(); ++i) {
    const orbits::RefitResult& f = fits[i];
    out.push_back(f.elements);
    refitted += f.refitted ? 1 : 0;
    if (f.error != orbits::Sgp4Error::none) {
      ++failed;
      continue;
    }
    if (!(f.max_position_error_km <= o.refit_max_error_km)) over.push_back(i);
    if (!(f.max_position_error_km <= worst)) {
      worst = f.max_position_error_km;
      worst_at = i;
    }
  }
  if (!o.quiet && !sets.empty()) {
    fmt::print(stderr,
               "skyfence: {} of {} element set(s) re-fitted to --start {} (the others already there or "
               "unable to propagate); largest position difference over the window {:.4f} km (NORAD {}); "
               "epoch_refit.csv lists each\n",
               refitted, sets.size(), time::format_iso8601(times.front()), worst, sets[worst_at].norad_id);
  }
  if (!over.empty()) {
    std::string ids;
    for (std::size_t k = 0; k < over.size() && k < 10; ++k)
      ids += (k ? ", " : "") + std::to_string(sets[over[k]].norad_id);
    warn(
        fmt::format("{} re-fitted satellite(s) differ from their element sets by more than {} km over the "
                    "window (NORAD {}{}): ns-3 will place them that far from this state's positions; see "
                    "epoch_refit.csv",
                    over.size(), o.refit_max_error_km, ids, over.size() > 10 ? ", ..." : ""));
  }
  if (failed > 0) {
    warn(
        fmt::format("{} element set(s) cannot be propagated over the window and are written as they are "
                    "(see epoch_refit.csv)",
                    failed));
  }
  return out;
}

// --export-hypatia: Hypatia's static and dynamic state of the network whose ground stations are the
// sites then the gateways (Hypatia has no terrestrial links: no PoPs, no ground relay), and the routes of
// the pairs, if any, over that same network (docs/network.md, "Export for ns-3").
int run_export(const Options& o, const std::vector<Instant>& times, network::NetworkOptions nopts,
               const std::optional<network::HypatiaState>& hypatia, const std::vector<earth::Site>& sites,
               const std::vector<network::EndpointPair>& pairs, const std::vector<earth::Site>& gateways,
               const orbits::LoadedSatellites& loaded, const std::chrono::steady_clock::time_point t0) {
  if (o.gateway_elevation_given && o.gateway_min_elevation_deg != o.min_elevation_deg) {
    throw InputError(SourceLocation{"--gateway-min-elevation", 0, {}},
                     "with --export-hypatia gateways are ground stations under --min-elevation (Hypatia has "
                     "one ground-link rule); expected the same value");
  }
  nopts.ground_relay = false;
  nopts.gateway_links = false;
  const std::vector<orbits::ElementSet>& sets = loaded.sets;
  network::HypatiaExportOptions eopts;
  // Hypatia's ns-3 module places each satellite at its own epoch plus the simulation time: the element
  // sets written are re-fitted to --start (docs/network.md, "Epochs"), unless --keep-epochs.
  const std::vector<orbits::ElementSet> written =
      o.keep_epochs ? sets : refit_to_start(o, sets, times, eopts.refit_report);
  std::size_t off_epoch = 0;
  for (const auto& es : written) off_epoch += es.epoch == times.front() ? 0 : 1;
  if (o.keep_epochs && off_epoch > 0) {
    warn(
        fmt::format("{} of {} element set(s) have an epoch other than --start ({}): Hypatia's ns-3 module "
                    "places each satellite at its epoch plus the simulation time, so its positions and "
                    "delays will not be this state's (the forwarding state itself is valid); without "
                    "--keep-epochs they are re-fitted to --start",
                    off_epoch, sets.size(), time::format_iso8601(times.front())));
  }
  const visibility::Fleet fleet(sets);
  std::vector<network::SatellitePair> isl;
  if (nopts.isl == network::IslMode::plus_grid) isl = isl_links(o, sets, hypatia, times.front());
  std::vector<network::GroundNode> stations = ground_nodes(sites);
  for (const auto& g : ground_nodes(gateways)) stations.push_back(g);
  network::Network net(fleet, std::move(isl), {}, {}, std::move(stations), nopts);
  if (hypatia) {
    eopts.orbits = hypatia->tles.orbits;
    eopts.sats_per_orbit = hypatia->tles.sats_per_orbit;
  }
  eopts.overwrite = o.overwrite;
  Progress progress("export", 1.0, o.quiet);
  check_interrupted();
  const network::HypatiaExportSummary s = network::export_hypatia_state(
      net, written, times, o.export_dir, eopts, run_context(o.threads, &progress));
  progress.finish();
  if (!pairs.empty()) write_routes(o, net, times, pairs, {});  // the sites are at rest
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  if (!o.quiet) {
    fmt::print(
        stderr,
        "skyfence: exported {} step(s) (every {} ns), {} satellites ({}), {} ground stations ({} sites, "
        "{} gateways), {} ISLs, {} fstate line(s), {} drop entries; {:.2f} s; wrote {}\n",
        s.steps, s.step_ns, sets.size(), loaded.source, sites.size() + gateways.size(), sites.size(),
        gateways.size(), net.isl_candidates().size(), s.fstate_lines, s.drop_entries, secs, o.export_dir);
  }
  return kExitOk;
}

int run(const Options& o) {
  install_interrupt_handler();
  const auto t0 = std::chrono::steady_clock::now();
  const std::vector<Instant> times = time_steps(o);
  network::NetworkOptions nopts = network_options(o);
  (void)reconfiguration(o);  // bad durations fail before any input is read

  std::optional<network::HypatiaState> hypatia;
  if (!o.hypatia_state.empty()) {
    hypatia = network::read_hypatia_state(o.hypatia_state);
    network::apply_hypatia_limits(hypatia->description, hypatia_overrides(o), nopts);
  }
  // Sites at rest, or terminals moving along trajectories (then routed from where they are each step).
  std::vector<earth::Site> sites;
  std::vector<earth::Track> tracks;
  if (!o.sites_file.empty() && earth::holds_trajectories(o.sites_file)) {
    tracks = earth::read_tracks_file(o.sites_file);
    for (const earth::Track& t : tracks) sites.push_back(t.first_site());
  } else {
    sites = o.sites_file.empty() ? hypatia_sites(*hypatia) : read_sites(o.sites_file, o.in.strict, "sites");
  }
  const bool exporting = !o.export_dir.empty();
  if (exporting && earth::any_moving(tracks)) {
    throw InputError(SourceLocation{o.sites_file, 0, {}},
                     "terminals that move cannot be exported: Hypatia's ground stations are fixed");
  }
  const std::vector<network::EndpointPair> pairs = exporting && o.from.empty() && o.pairs_file.empty()
                                                       ? std::vector<network::EndpointPair>{}
                                                       : endpoint_pairs(o, sites);
  // Hypatia's state has no gateways or PoPs: none unless given.
  std::vector<earth::Site> gateways, pops;
  if (!hypatia || !o.gateways_file.empty()) {
    const std::string gw_path =
        o.gateways_file.empty() ? data_dir() + "/gateways/starlink_gateways.csv" : o.gateways_file;
    gateways = read_sites(gw_path, o.in.strict, "gateways");
  }
  if (!exporting && (!hypatia || !o.pops_file.empty())) {
    const std::string pop_path =
        o.pops_file.empty() ? data_dir() + "/gateways/starlink_pops.csv" : o.pops_file;
    pops = read_sites(pop_path, o.in.strict, "points of presence");
  }

  orbits::LoadedSatellites loaded;
  if (hypatia) {
    loaded.source = o.hypatia_state + "/tles.txt";
    loaded.sets = hypatia->tles.satellites;
  } else {
    loaded = load_satellites(o.in, times.front(), times.back());
  }
  const std::vector<orbits::ElementSet>& sets = loaded.sets;
  warn_about_leap_seconds(times.back());
  if (exporting) return run_export(o, times, nopts, hypatia, sites, pairs, gateways, loaded, t0);
  const visibility::Fleet fleet(sets);
  std::vector<network::SatellitePair> isl;
  if (nopts.isl == network::IslMode::plus_grid) isl = isl_links(o, sets, hypatia, times.front());
  network::Network net(fleet, std::move(isl), ground_nodes(gateways), ground_nodes(pops), ground_nodes(sites),
                       nopts);

  const network::SeriesCounts counts = write_routes(o, net, times, pairs, tracks);
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  if (!o.quiet) {
    fmt::print(stderr,
               "skyfence: {} pair(s) x {} step(s), {} satellites ({}), {} "
               "gateways, {} PoPs; ISLs up {:.1f}% of {} "
               "candidates; {} SGP4 failure(s); {:.2f} s{}\n",
               pairs.size(), times.size(), sets.size(), loaded.source, gateways.size(), pops.size(),
               counts.isl_candidates == 0
                   ? 0.0
                   : 100.0 * static_cast<double>(counts.isl_up) / static_cast<double>(counts.isl_candidates),
               counts.isl_candidates / times.size(), counts.sgp4_failures, secs,
               o.output.empty() || o.output == "-" ? "" : ", wrote " + o.output);
    const network::Reconfiguration r = reconfiguration(o);
    if (r.on()) {
      fmt::print(stderr,
                 "skyfence: serving satellites ({}) held in slots of {} starting {} after each UTC midnight "
                 "and every {} after: {} slot(s), {} early reassignment(s) (a held satellite no longer "
                 "usable)\n",
                 o.reconfiguration_rule, time::format_duration(r.interval), time::format_duration(r.offset),
                 time::format_duration(r.interval), counts.slots, counts.early_reassignments);
      if (r.hold_gateways) {
        fmt::print(stderr,
                   "skyfence: gateways' satellites held in the same slots: {} early reassignment(s)\n",
                   counts.gateway_early_reassignments);
      }
    }
  }
  if (o.in.strict && counts.sgp4_failures > 0) return kExitRuntime;
  return kExitOk;
}

// What to route: --from and --to, --pairs or --to-internet (one of them).
void add_pair_options(CLI::App& cmd, Options& opts) {
  auto* what = cmd.add_option_group("pairs", "what to route");
  auto* from = what->add_option("--from", opts.from, "source site id");
  auto* to = what->add_option("--to", opts.to, "destination site id");
  from->needs(to);
  to->needs(from);
  auto* pairs = what->add_option("--pairs", opts.pairs_file, "CSV file with src,dst columns of site ids")
                    ->check(CLI::ExistingFile);
  auto* internet =
      what->add_flag("--to-internet", opts.to_internet, "every site to its best point of presence");
  pairs->excludes(from)->excludes(to)->excludes(internet);
  internet->excludes(from)->excludes(to);
  // One of them, except with --export-hypatia (checked in the command's callback).
  what->require_option(0, 2);
}

// The links of the network: elevation masks, inter-satellite link limits and fibre.
void add_link_options(CLI::App& cmd, Options& opts) {
  cmd.add_option("--min-elevation", opts.min_elevation_deg, "minimum elevation for sites, degrees")
      ->capture_default_str();
  cmd.add_option("--gateway-min-elevation", opts.gateway_min_elevation_deg,
                 "minimum elevation for gateways, degrees")
      ->capture_default_str();
  auto* min_el = cmd.get_option("--min-elevation");
  auto* gw_min_el = cmd.get_option("--gateway-min-elevation");
  cmd.add_option("--gsl-max-range", opts.gsl_max_range_km,
                 "longest ground link (slant range), km, for sites and gateways, instead of the elevation "
                 "masks (Hypatia's rule)")
      ->check(CLI::PositiveNumber)
      ->excludes(min_el)
      ->excludes(gw_min_el);
  cmd.add_option("--isl-max-range", opts.isl_max_range_km, "longest inter-satellite link, km (0: no limit)")
      ->capture_default_str();
  auto* pairing =
      cmd.add_option("--isl-pairing", opts.isl_pairing,
                     "plus grid across planes: nearest (by argument of latitude; Walker: same slot, "
                     "phasing across the wrap) or same-index (slot k to slot k + --isl-shift, "
                     "Hypatia's +Grid)")
          ->check(CLI::IsMember({"nearest", "same-index"}))
          ->capture_default_str();
  auto* shift =
      cmd.add_option("--isl-shift", opts.isl_shift, "same-index pairing: slot offset to the next plane")
          ->capture_default_str();
  shift->needs(pairing);
  cmd.add_option(
         "--isls", opts.isls_file,
         "explicit inter-satellite links: Hypatia's isls.txt (\"a b\": indices into the satellites as "
         "loaded) or CSV with norad_a,norad_b columns")
      ->check(CLI::ExistingFile)
      ->excludes(pairing)
      ->excludes(shift);
  cmd.add_option("--grazing-altitude", opts.grazing_altitude_km,
                 "an inter-satellite link passing lower than this above the "
                 "Earth is dropped, km")
      ->capture_default_str();
  cmd.add_option("--fibre-route-factor", opts.fibre_route_factor, "fibre length over great-circle distance")
      ->capture_default_str();
  cmd.add_option("--fibre-index", opts.fibre_index, "refractive index of fibre (light at c / index)")
      ->capture_default_str();
}

}  // namespace route_command

void add_route_command(CLI::App& app, std::function<int()>& run_fn) {
  using namespace route_command;
  auto opts = std::make_shared<Options>();
  CLI::App* cmd = app.add_subcommand("route",
                                     "Round-trip time between sites, or to the internet, over "
                                     "satellites, gateways and fibre, per step");
  cmd->footer(R"(Examples:
  skyfence route --preset starlink-gen1 --sites data/cities/cities_top100.csv --from Manila --to Dalian \
      --start 2026-05-01T00:00:00Z --duration 10m --step 1s
  skyfence route --preset starlink-gen1 --satellite 'STARLINK_GEN1-0-*' --sites data/cities/cities_top100.csv \
      --pairs pairs.csv --start 2026-05-01T00:00:00Z --duration 1h --step 10s --summary
  skyfence route --tle data/tle/starlink_2026-04-27.tle --sites terminals.csv --to-internet \
      --start 2026-04-27T00:00:00Z --stop 2026-04-27T01:00:00Z --step 1m
  skyfence route --preset starlink-gen1 --sites data/cities/cities_top100.csv --from Paris --to Lagos \
      --start 2026-05-01T00:00:00Z --duration 2m --step 1s --reconfiguration starlink
  skyfence route --hypatia-state \
      gen_data/starlink_550_isls_plus_grid_ground_stations_top_100_algorithm_free_one_only_over_isls \
      --from Paris --to Luanda --start 2000-01-01T00:00:00Z --duration 200s --step 1s

The network at each step: satellites propagated with SGP4; inter-satellite links (--isl plus-grid: the
previous and next satellite of the plane and one satellite in each adjacent plane; none: bent pipe),
dropped when longer than --isl-max-range or when the straight link passes below --grazing-altitude;
a site links to every satellite at or above --min-elevation, a gateway (--gateways) to every satellite
at or above --gateway-min-elevation; each gateway reaches its nearest point of presence (--pops), and
PoPs reach each other, by fibre: great-circle distance x --fibre-route-factor at c / --fibre-index.
Planes come from the preset's Walker layout; for --tle/--omm they are inferred from the elements
(altitude, inclination, node, argument of latitude) and reported on stderr, with the satellites that
fit no plane (they get no inter-satellite links). --isl-pairing same-index links slot k of each plane
to slot k + --isl-shift of the next (Hypatia's +Grid) instead of the nearest; --isls FILE gives the
links explicitly. --gsl-max-range limits ground links by slant range instead of elevation.
--hypatia-state DIR reads Hypatia's static state (tles.txt, ground_stations.txt, isls.txt,
description.txt) and routes as Hypatia does: its links and limits, its ground stations as sites (by
name), no gateways or PoPs unless given. --export-hypatia DIR writes Hypatia's static files and, per
step, its fstate_<t_ns>.txt and gsl_if_bandwidth_<t_ns>.txt for its ns-3 module: the sites then the
gateways as ground stations, forwarding over satellites only, from the same shortest paths, the element
sets re-fitted to one epoch at --start (epoch_refit.csv gives each one's residual; --keep-epochs writes
them as they are); the pairs are then optional (their CSV is routed on that network). Sites never relay traffic; --satellites-only keeps
city-to-city routes off gateways and fibre (ISLs only). Routes: shortest propagation delay (Dijkstra).
Pairs: --from ID --to ID (ids from --sites), --pairs FILE (CSV with src,dst columns), or --to-internet
(every site to its best PoP through any gateway; dst is that PoP).
CSV columns: time_utc,src,dst,rtt_ms,one_way_ms,hops,path,serving_satellite,slot_start. rtt_ms =
2 x one_way_ms (the path at that instant); hops = links on the path; path = node ids joined by '>'
(sites, satellites by NORAD id, gateways, PoPs). An unreachable pair has empty rtt_ms, one_way_ms, hops
and path.
serving_satellite: the source site's satellite (NORAD id; the first of the path, or the one held);
slot_start: the step's reconfiguration slot (empty when off).
--summary instead: src,dst,steps,reachable_steps,unreachable_share,rtt_min_ms,rtt_median_ms,rtt_p95_ms,
rtt_max_ms,rtt_mean_ms,path_changes,hops_min,hops_max (over reachable steps; median of an even count is
the mean of the middle two; p95 by nearest rank; path_changes counts reachable steps whose path differs
from the previous reachable step's), then boundary_jumps,boundary_jump_median_ms,boundary_jump_p95_ms,
boundary_jump_max_ms and the same four for inside_jump (|RTT change| between consecutive reachable steps,
where a slot starts between them or not; all inside when off), early_reassignments.
Reconfiguration slots (--reconfiguration starlink, or --reconfiguration-interval 15s
--reconfiguration-offset 12s; off by default, in every preset too): slots start at offset + k x interval
on the UTC clock from each midnight (:12, :27, :42, :57 for Starlink); at each slot's start each site
takes the satellite of highest elevation it can use (--reconfiguration-rule shortest-path: the one next
to it on the first of its routes at the slot's start) and keeps it through the slot while the rest of the
path is routed afresh every step; a held satellite that sinks below --min-elevation (or past
--gsl-max-range) is replaced at once by the highest then, kept to the slot's end (an early
reassignment, counted on stderr). Steps need not fall on slot starts: the choice is made at the start.
--hold-gateways holds each gateway's satellite the same way (highest at the slot's start, or with
shortest-path the one next to it on the first route through it), so routes to the internet land through it.
Times: the window [--start, --stop) (or --start + --duration) every --step: START, START+STEP, ... before STOP (24h at 60s is 1,440 steps); see docs/network.md.
Exit status: 0 ok, 1 runtime failure, 2 bad input, 130 interrupted.)");
  add_satellite_options(*cmd, opts->in);
  auto* hypatia =
      cmd->get_option_group("input")
          ->add_option("--hypatia-state", opts->hypatia_state,
                       "Hypatia's static state folder: tles.txt (satellites), ground_stations.txt (sites, by "
                       "name, unless --sites), isls.txt (ISLs, unless --isl-pairing or --isls), "
                       "description.txt (ground-link slant range and ISL length limits)")
          ->check(CLI::ExistingDirectory);
  hypatia->excludes(cmd->get_option("--satellite"));
  cmd->add_option("--isl", opts->isl, "inter-satellite links: plus-grid or none (bent pipe)")
      ->check(CLI::IsMember({"plus-grid", "none"}))
      ->capture_default_str();
  cmd->add_option(
         "--sites", opts->sites_file,
         "sites (end points): CSV id,lat_deg,lon_deg[,alt_m] or GeoJSON points; terminals that move: "
         "a CSV with time_utc (one row per sample) or GeoJSON LineStrings with times, routed from "
         "where they are at each step")
      ->check(CLI::ExistingFile);
  add_pair_options(*cmd, *opts);
  cmd->add_option("--gateways", opts->gateways_file, "gateways file (default: bundled Starlink gateways)")
      ->check(CLI::ExistingFile);
  cmd->add_option("--pops", opts->pops_file, "points of presence file (default: bundled Starlink PoPs)")
      ->check(CLI::ExistingFile);
  cmd->add_option("--start", opts->start, "first step, ISO-8601 UTC (2026-05-01T00:00:00Z)")->required();
  auto* stop = cmd->add_option("--stop", opts->stop, "end of the window, ISO-8601 UTC (excluded)");
  auto* duration =
      cmd->add_option("--duration", opts->duration, "window length instead of --stop (10m, 24h)");
  stop->excludes(duration);
  cmd->add_option("--step", opts->step, "time step (1s, 30s, 1m)")->required();
  add_link_options(*cmd, *opts);
  cmd->add_flag("--satellites-only", opts->satellites_only,
                "city-to-city routes over satellites only (no gateway or fibre relay)");
  cmd->add_flag("--summary", opts->summary,
                "per-pair statistics over the window instead of one row per step");
  cmd->add_option("-o,--output", opts->output,
                  "output file (default: standard output); written whole or not at all");
  cmd->add_option("--threads", opts->threads,
                  "worker threads (default: all cores); results do not depend on it");
  auto* export_dir =
      cmd->add_option("--export-hypatia", opts->export_dir,
                      "write Hypatia's static and dynamic state (for its ns-3 module) into this folder: the "
                      "sites then the gateways as ground stations, satellites-only forwarding per step");
  cmd->add_flag("--overwrite", opts->overwrite, "--export-hypatia: replace a folder that has files in it")
      ->needs(export_dir);
  export_dir->excludes(cmd->get_option("--to-internet"));
  auto* keep_epochs = cmd->add_flag("--keep-epochs", opts->keep_epochs,
                                    "--export-hypatia: write the element sets as they are instead of "
                                    "re-fitting them to --start (ns-3 propagates each from its own epoch)")
                          ->needs(export_dir);
  cmd->add_option("--refit-max-error", opts->refit_max_error_km,
                  "--export-hypatia: warn about re-fitted satellites whose positions differ from their "
                  "element sets' by more than this over the window (km)")
      ->check(CLI::PositiveNumber)
      ->capture_default_str()
      ->needs(export_dir)
      ->excludes(keep_epochs);
  auto* reconf = cmd->add_option("--reconfiguration", opts->reconfiguration,
                                 "serving-satellite slots: starlink (= --reconfiguration-interval 15s "
                                 "--reconfiguration-offset 12s, Starlink's global schedule) or off")
                     ->check(CLI::IsMember({"starlink", "off"}))
                     ->capture_default_str();
  auto* reconf_interval =
      cmd->add_option("--reconfiguration-interval", opts->reconfiguration_interval,
                      "hold each site's serving satellite (the highest at each slot's start) for slots of "
                      "this length (15s; must divide 24h); default: off");
  auto* reconf_offset = cmd->add_option("--reconfiguration-offset", opts->reconfiguration_offset,
                                        "slots start at this offset + k x interval after each UTC midnight "
                                        "(default 0s; must be below the interval)");
  cmd->add_option("--reconfiguration-rule", opts->reconfiguration_rule,
                  "how a slot's satellites are chosen at its start: highest-elevation (each site's "
                  "highest usable satellite) or shortest-path (the satellite next to the site on the "
                  "first of its routes at the slot's start)")
      ->check(CLI::IsMember({"highest-elevation", "shortest-path"}))
      ->capture_default_str();
  cmd->add_flag("--hold-gateways", opts->hold_gateways,
                "reconfiguration slots: hold each gateway's satellite through the slot too (chosen at the "
                "slot's start by --reconfiguration-rule, replaced when no longer usable)");
  reconf_offset->needs(reconf_interval);
  reconf->excludes(reconf_interval)->excludes(reconf_offset);
  cmd->add_flag("-q,--quiet", opts->quiet, "no summary or plane report on standard error");
  cmd->callback([opts, cmd, &run_fn] {
    if (cmd->count("--stop") + cmd->count("--duration") != 1) {
      throw CLI::ValidationError("--stop/--duration", "give exactly one of --stop and --duration");
    }
    if (cmd->count("--export-hypatia") == 0 &&
        cmd->count("--from") + cmd->count("--pairs") + cmd->count("--to-internet") == 0) {
      throw CLI::RequiredError("give one of --from/--to, --pairs and --to-internet");
    }
    if (cmd->count("--sites") == 0 && cmd->count("--hypatia-state") == 0) {
      throw CLI::RequiredError("--sites");
    }
    if (cmd->count("--isl") > 0 && opts->isl == "none" &&
        cmd->count("--isl-pairing") + cmd->count("--isls") > 0) {
      throw CLI::ValidationError("--isl none", "excludes --isl-pairing and --isls");
    }
    if (cmd->count("--export-hypatia") > 0 &&
        (opts->reconfiguration != "off" || cmd->count("--reconfiguration-interval") > 0)) {
      throw CLI::ValidationError(
          "--export-hypatia",
          "excludes reconfiguration slots (Hypatia's forwarding state has no held satellites)");
    }
    if (cmd->count("--reconfiguration-rule") > 0 && opts->reconfiguration == "off" &&
        cmd->count("--reconfiguration-interval") == 0) {
      throw CLI::ValidationError("--reconfiguration-rule",
                                 "applies to reconfiguration slots: give --reconfiguration starlink or "
                                 "--reconfiguration-interval");
    }
    if (opts->hold_gateways && opts->reconfiguration == "off" &&
        cmd->count("--reconfiguration-interval") == 0) {
      throw CLI::ValidationError("--hold-gateways",
                                 "applies to reconfiguration slots: give --reconfiguration starlink or "
                                 "--reconfiguration-interval");
    }
    if (cmd->count("--isl-shift") > 0 && opts->isl_pairing != "same-index") {
      throw CLI::ValidationError("--isl-shift", "applies to --isl-pairing same-index only");
    }
    opts->pairing_given = cmd->count("--isl-pairing") > 0;
    opts->elevation_given = cmd->count("--min-elevation") + cmd->count("--gateway-min-elevation") > 0;
    opts->isl_max_range_given = cmd->count("--isl-max-range") > 0;
    opts->gateway_elevation_given = cmd->count("--gateway-min-elevation") > 0;
    run_fn = [opts] { return run(*opts); };
  });
}

}  // namespace skyfence::cli
