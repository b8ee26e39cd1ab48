// skyfence enforcement: leakage and collateral of a policy enforced at several service-cell
// granularities (detection/leakage.h, docs/enforcement.md).
#include "enforcement.h"

#include <chrono>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include <fmt/core.h>

#include "common.h"
#include "data_dir.h"
#include "inputs.h"
#include "skyfence/core/error.h"
#include "skyfence/detection/leakage.h"
#include "skyfence/earth/trajectory.h"
#include "skyfence/report/tradeoff.h"
#include "skyfence/time/scales.h"
#include "skyfence/time/window.h"

namespace skyfence::cli {
namespace enforcement_command {

struct Options {
  std::string policy_file, region;
  std::vector<int> levels{7, 8, 9, 10, 11};
  std::vector<std::string> modes{"centre", "any", "all"};
  std::string terminals;
  std::vector<std::string> hostile_groups;
  std::string customer = "civil";
  std::string activation_country;
  std::string start, stop, duration, step = "60s";
  int reference_level = 12;
  std::string output, groups_output, plot;
  unsigned threads = 0;
  bool quiet = false;
};

policy::CellMode mode_of(const std::string& m) {
  if (m == "centre" || m == "center") return policy::CellMode::centre;
  if (m == "any") return policy::CellMode::any;
  return policy::CellMode::all;
}

std::string table_csv(const detection::LeakageResult& r) {
  std::string out =
      "setting,level,mode,leakage_km2_h,leakage_share,collateral_km2_h,collateral_share,leakage_terminal_h,"
      "collateral_terminal_h\n";
  for (const detection::SettingLeakage& s : r.settings) {
    out += fmt::format(
        "{},{},{},{:.3f},{:.6f},{:.3f},{:.6f},{:.4f},{:.4f}\n", csv_field(s.setting.label()),
        s.setting.mode == policy::CellMode::exact ? std::string() : std::to_string(s.setting.level),
        policy::to_string(s.setting.mode), s.leakage_km2_h, s.leakage_share, s.collateral_km2_h,
        s.collateral_share, s.leakage_terminal_hours, s.collateral_terminal_hours);
  }
  return out;
}

std::string groups_csv(const detection::LeakageResult& r) {
  std::string out = "setting,group,role,terminals,terminal_h,served_h,denied_h,served_share,speed_denied_h\n";
  for (const detection::SettingLeakage& s : r.settings) {
    for (const detection::GroupLeakage& g : s.groups) {
      out +=
          fmt::format("{},{},{},{},{:.4f},{:.4f},{:.4f},{:.6f},{:.4f}\n", csv_field(s.setting.label()),
                      csv_field(g.group), g.hostile ? "hostile" : "friendly", g.terminals, g.terminal_hours,
                      g.served_hours, g.denied_hours,
                      g.terminal_hours > 0 ? g.served_hours / g.terminal_hours : 0.0, g.speed_denied_hours);
    }
  }
  return out;
}

std::string plot_svg(const detection::LeakageResult& r) {
  std::vector<report::TradeoffPoint> pts;
  for (const detection::SettingLeakage& s : r.settings) {
    const bool exact = s.setting.mode == policy::CellMode::exact;
    pts.push_back(
        {exact ? "exact" : "L" + std::to_string(s.setting.level),
         exact ? "exact position" : std::string("mode ") + std::string(policy::to_string(s.setting.mode)),
         s.collateral_share * 100.0, s.leakage_share * 100.0});
  }
  return report::tradeoff_svg(pts, "Enforcement of " + r.region + ": leakage against collateral",
                              "collateral: area outside the region cut off, % of the region's area",
                              "leakage: area of the region still served (%)");
}

int run(const Options& o) {
  install_interrupt_handler();
  const auto t0 = std::chrono::steady_clock::now();
  if (o.stop.empty() == o.duration.empty()) {
    throw InputError(SourceLocation{"--stop", 0, ""}, "give --stop or --duration (not both)");
  }
  const time::Instant start = time::parse_iso8601(o.start, "--start");
  const time::Instant stop = o.stop.empty() ? start + time::parse_duration(o.duration, "--duration")
                                            : time::parse_iso8601(o.stop, "--stop");
  const time::Window window = time::Window::make(start, stop, time::parse_duration(o.step, "--step"));
  const policy::Policy pol = policy::Policy::load_file(o.policy_file, policy::LoadOptions{data_dir()});
  std::optional<earth::CountryBorders> borders;
  const earth::Region region = inputs::named_region(o.region, borders);

  std::vector<detection::EnforcementSetting> settings{detection::EnforcementSetting{}};
  for (const std::string& m : o.modes) {
    for (const int level : o.levels) {
      if (level > o.reference_level) {
        throw InputError(SourceLocation{"--levels", 0, ""},
                         fmt::format("expected levels at most --reference-level ({}), found {}",
                                     o.reference_level, level));
      }
      settings.push_back({level, mode_of(m)});
    }
  }
  std::vector<earth::Track> tracks;
  std::vector<detection::TerminalInfo> infos;
  if (!o.terminals.empty()) {
    tracks = earth::read_tracks_file(o.terminals);
    infos = detection::terminal_infos(
        tracks, o.customer, o.activation_country,
        [&]() -> const earth::CountryBorders& {
          if (!borders) borders = earth::CountryBorders::read_bundled(data_dir());
          return *borders;
        },
        o.terminals);
    detection::check_groups_exist(infos, o.hostile_groups, SourceLocation{"--hostile-groups", 0, ""},
                                  o.terminals);
  } else if (!o.hostile_groups.empty()) {
    throw InputError(SourceLocation{"--hostile-groups", 0, ""}, "hostile groups need --terminals");
  }

  detection::LeakageOptions lo;
  lo.reference_level = o.reference_level;
  lo.customer = o.customer;
  lo.hostile_groups = o.hostile_groups;
  OutputSink sink(o.output);
  Progress progress("enforcement", 1.0, o.quiet);
  const detection::LeakageResult r = detection::sweep_enforcement(
      pol, region, settings, tracks, infos, window, lo, run_context(o.threads, &progress));
  progress.finish();
  sink.write(table_csv(r));
  check_interrupted();
  if (!o.groups_output.empty()) inputs::write_output(o.groups_output, groups_csv(r));
  if (!o.plot.empty()) inputs::write_output(o.plot, plot_svg(r));
  sink.commit();
  if (!o.quiet) {
    fmt::print(
        stderr,
        "skyfence: {} settings over {} ({:.0f} km2, {} reference cells of level {}, {} steps of {}) in "
        "{:.2f} s{}\n",
        settings.size(), r.region, r.region_area_km2, r.samples, o.reference_level, window.size(),
        time::format_duration(window.step()),
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count(),
        o.output.empty() || o.output == "-" ? "" : ", wrote " + o.output);
  }
  return kExitOk;
}

}  // namespace enforcement_command

void add_enforcement_command(CLI::App& app, std::function<int()>& run_fn) {
  using namespace enforcement_command;
  auto opts = std::make_shared<Options>();
  CLI::App* cmd = app.add_subcommand(
      "enforcement",
      "Leakage and collateral of a policy enforced per service cell, at several granularities");
  cmd->footer(R"(Examples:
  skyfence enforcement --policy data/policies/starlink-enforcement.toml \
      --region data/policies/areas.geojson#example-denied-area --start 2026-04-27T10:00:00Z --duration 2h \
      --terminals data/terminals/moving.csv --hostile-groups hostile -o sweep.csv --plot tradeoff.svg

The operator means to deny the region R (--region: a country, FILE.geojson#NAME or a GeoJSON file). The
policy's rules are enforced at each setting: at the exact position, then per S2 service cell of each
--levels level in each --modes mode (centre: the cell's centre decides; any: a cell touching a forbidden
region is forbidden; all: only cells wholly inside are). For each setting:
  leakage: the area of R still permitted (km2 x h, and share of R x window), and the hostile terminals
    (--hostile-groups) served, terminal-hours;
  collateral: the area outside R that the exact policy permits but the setting denies (km2 x h, and as a
    share of R x window: may exceed 1), and the other terminals denied, terminal-hours.
The area is sampled by the centres of S2 cells of --reference-level over every cell of the coarsest level
swept that touches R. Terminals may be fixed or moving (a CSV with time_utc, or GeoJSON LineStrings with
"times"); each asks as itself (customer, group, speed, roaming days) at every --step, with the policy's
enforcement delay. "Served" here means permitted: coverage is left to `coverage` and `run`.
Output (-o, default standard output): CSV setting,level,mode,leakage_km2_h,leakage_share,collateral_km2_h,
collateral_share,leakage_terminal_h,collateral_terminal_h. --groups FILE: per setting and terminal group.
--plot FILE.svg: leakage against collateral, one point per setting, a line per mode.)");
  cmd->add_option("--policy", opts->policy_file, "the policy file (TOML)")->required();
  cmd->add_option("--region", opts->region, "the region meant to be denied: a country or FILE.geojson#NAME")
      ->required();
  cmd->add_option("--start", opts->start, "start of the window, ISO-8601 UTC")->required();
  cmd->add_option("--stop", opts->stop, "end of the window (exclusive)");
  cmd->add_option("--duration", opts->duration, "length of the window (2h, 1d), instead of --stop");
  cmd->add_option("--step", opts->step, "step of the window")->capture_default_str();
  cmd->add_option("--levels", opts->levels, "service-cell levels to sweep (0-16)")
      ->delimiter(',')
      ->check(CLI::Range(0, 16))
      ->capture_default_str();
  cmd->add_option("--modes", opts->modes, "modes to sweep: centre, any, all")
      ->delimiter(',')
      ->check(CLI::IsMember({"centre", "center", "any", "all"}))
      ->capture_default_str();
  cmd->add_option("--reference-level", opts->reference_level, "S2 level of the area's samples (0-16)")
      ->check(CLI::Range(0, 16))
      ->capture_default_str();
  cmd->add_option("--customer", opts->customer, "who asks over the area, and terminals without a customer")
      ->capture_default_str();
  cmd->add_option("--terminals", opts->terminals,
                  "terminals file: fixed sites or trajectories (CSV, GeoJSON)");
  cmd->add_option("--hostile-groups", opts->hostile_groups, "terminal groups whose service is leakage")
      ->delimiter(',');
  cmd->add_option("--activation-country", opts->activation_country,
                  "activation country of terminals without an activation_country column");
  cmd->add_option("-o,--output", opts->output, "the table, CSV (default: standard output)");
  cmd->add_option("--groups", opts->groups_output, "per-group table, CSV");
  cmd->add_option("--plot", opts->plot, "trade-off plot, SVG");
  cmd->add_option("--threads", opts->threads, "worker threads (0: all cores); results do not depend on it")
      ->capture_default_str();
  cmd->add_flag("-q,--quiet", opts->quiet, "no progress or summary on stderr");
  cmd->callback([&run_fn, opts] { run_fn = [opts] { return run(*opts); }; });
}

}  // namespace skyfence::cli
