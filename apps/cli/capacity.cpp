// skyfence capacity: per point and provider, how much of the demand is carried (Mbps) when satellites,
// service cells and gateways are shared (docs/capacity.md).
#include "capacity.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <fmt/core.h>
#include <fmt/format.h>

#include "common.h"
#include "data_dir.h"
#include "inputs.h"
#include "skyfence/capacity/capacity.h"
#include "skyfence/capacity/service_model.h"
#include "skyfence/core/error.h"
#include "skyfence/earth/cell_values.h"
#include "skyfence/earth/point_table.h"
#include "skyfence/earth/trajectory.h"
#include "skyfence/time/scales.h"
#include "study.h"

namespace skyfence::cli {
namespace capacity_command {

using namespace inputs;
using namespace study;

struct Options : StudyOptions {
  scenario::CapacityInput capacity;  // --service-model, --min-elevation, --demand-density, --demand-file
};

std::string number(double v, int decimals) {
  return fmt::format("{:.{}f}", v, decimals);
}

void write(const Options& o, const Points& pts, const capacity::CapacityResult& r, OutputSink& sink,
           const RunContext& run) {
  earth::PointTable table;
  table.series = r.names;
  table.columns = {"demand_mbps", "mean_mbps",           "p5_mbps",
                   "min_mbps",    "demand_met_fraction", "full_service_fraction"};
  if (r.uplink) {
    // Only with uplink demand, so that outputs without it are as they were.
    table.columns.insert(table.columns.end(), {"demand_up_mbps", "mean_up_mbps", "p5_up_mbps", "min_up_mbps",
                                               "demand_up_met_fraction", "full_service_up_fraction"});
  }
  table.values = [&](std::size_t i, std::size_t row, std::vector<std::string>& v) {
    const capacity::PointCapacity& c = r.at(row, i);
    v[0] = fmt::format("{}", r.demand_mbps[i]);  // in full: the output read back asks for the same demand
    v[1] = number(c.mean_mbps, 3);
    v[2] = number(c.p5_mbps, 3);
    v[3] = number(c.min_mbps, 3);
    v[4] = number(c.demand_met_fraction, 6);
    v[5] = number(c.full_service_fraction, 6);
    if (!r.uplink) return;
    const capacity::PointCapacity& u = r.at_up(row, i);
    v[6] = fmt::format("{}", r.demand_up_mbps[i]);
    v[7] = number(u.mean_mbps, 3);
    v[8] = number(u.p5_mbps, 3);
    v[9] = number(u.min_mbps, 3);
    v[10] = number(u.demand_met_fraction, 6);
    v[11] = number(u.full_service_fraction, 6);
  };
  earth::PointTableOutput out;
  out.out = [&](std::string_view text) { sink.write(text); };
  const earth::LabelledPoints labels{pts.grid, pts.sites, pts.tracks};
  const bool geojson = output_format(o) == "geojson";
  (geojson ? earth::write_point_table_geojson : earth::write_point_table_csv)(labels, table, out, run);
}

void print_summary(const Points& pts, const time::Window& window, const capacity::CapacityResult& r,
                   const std::vector<capacity::ServiceModel>& models, double secs,
                   const std::string& output) {
  double demand = 0.0, met = 0.0;
  const std::size_t any = r.names.size() - 1;
  for (std::size_t i = 0; i < r.points; ++i) {
    demand += r.demand_mbps[i];
    met += r.at(any, i).mean_mbps;
  }
  fmt::print(
      stderr, "skyfence: {}; {} steps of {} s from {}; demand {:.3f} Gbps, met {:.2f}% ({:.3f} Gbps mean)\n",
      pts.description, window.size(), window.step().to_seconds(), time::format_iso8601(window.start(), 0),
      demand / 1000.0, demand > 0 ? 100.0 * met / demand : 100.0, met / 1000.0);
  const double steps = std::max<double>(1.0, static_cast<double>(r.steps));
  const auto pct = [](double a, double b) {
    return b > 0 ? fmt::format("{:.1f}%", 100.0 * a / b) : std::string("-");
  };
  if (r.uplink) {
    double up = 0.0, up_met = 0.0;
    for (std::size_t i = 0; i < r.points; ++i) {
      up += r.demand_up_mbps[i];
      up_met += r.at_up(any, i).mean_mbps;
    }
    fmt::print(stderr, "skyfence: uplink demand {:.3f} Gbps, met {:.2f}% ({:.3f} Gbps mean)\n", up / 1000.0,
               up > 0 ? 100.0 * up_met / up : 100.0, up_met / 1000.0);
  }
  for (std::size_t p = 0; p < r.usage.size(); ++p) {
    const capacity::ProviderUsage& u = r.usage[p];
    fmt::print(
        stderr,
        "skyfence:   {} ({}, background load {:.0f}%): offered {:.3f} Gbps, carried {:.3f} Gbps; "
        "satellites serving {:.1f} per step, utilisation {}, saturated {}; service cells saturated {}; "
        "gateways {}\n",
        r.names[p], models[p].status, 100.0 * models[p].background_load,
        u.offered_mbps_steps / steps / 1000.0, u.carried_mbps_steps / steps / 1000.0,
        static_cast<double>(u.satellite_steps) / steps,
        pct(u.satellite_flow_steps, u.satellite_capacity_steps),
        pct(static_cast<double>(u.saturated_satellite_steps), static_cast<double>(u.satellite_steps)),
        pct(static_cast<double>(u.saturated_cell_steps), static_cast<double>(u.cell_steps)),
        models[p].has_gateways ? "utilisation " + pct(u.gateway_flow_steps, u.gateway_capacity_steps)
                               : std::string("not modelled"));
    if (r.uplink) {
      const capacity::ProviderUsage& v = r.usage_up[p];
      fmt::print(
          stderr,
          "skyfence:   {} uplink: offered {:.3f} Gbps, carried {:.3f} Gbps; satellites receiving {:.1f} "
          "per step, utilisation {}, saturated {}; service cells saturated {}; gateways {}\n",
          r.names[p], v.offered_mbps_steps / steps / 1000.0, v.carried_mbps_steps / steps / 1000.0,
          static_cast<double>(v.satellite_steps) / steps,
          pct(v.satellite_flow_steps, v.satellite_capacity_steps),
          pct(static_cast<double>(v.saturated_satellite_steps), static_cast<double>(v.satellite_steps)),
          pct(static_cast<double>(v.saturated_cell_steps), static_cast<double>(v.cell_steps)),
          models[p].has_gateways ? "utilisation " + pct(v.gateway_flow_steps, v.gateway_capacity_steps)
                                 : std::string("not modelled"));
    }
    if (u.unclassified_satellites > 0) {
      warn(fmt::format("{}: {} satellites match no satellite class of {} and carry nothing", r.names[p],
                       u.unclassified_satellites, models[p].source));
    }
    if (u.failed_states > 0) {
      warn(fmt::format("{}: {} satellite-step(s) with an SGP4 error were left out", r.names[p],
                       u.failed_states));
    }
  }
  fmt::print(stderr, "skyfence: {:.2f} s in all{}\n", secs,
             output.empty() || output == "-" ? "" : ", wrote " + output);
}

int run(const Options& o) {
  install_interrupt_handler();
  const auto t0 = std::chrono::steady_clock::now();
  const time::Window window = window_of(o);
  (void)output_format(o);  // a bad --format fails before anything is computed
  std::optional<earth::CountryBorders> borders;
  const Points pts = load_points(o, borders);
  const std::vector<LoadedProvider> loaded = load_providers(o, window.start(), window.stop());
  std::vector<scenario::StudyProvider> study_providers;
  for (const LoadedProvider& p : loaded) {
    scenario::StudyProvider sp{p.name, p.fleet.get(), {}};
    for (const auto& set : p.sets) sp.satellite_names.push_back(set.name);
    study_providers.push_back(std::move(sp));
  }
  const scenario::CapacityStudy study =
      scenario::capacity_study(o, o.capacity, pts, std::move(study_providers), borders);

  OutputSink sink(o.output);  // opened first, so that an unwritable path fails at once
  Progress progress("capacity", 1.0, o.quiet);
  const RunContext run = run_context(o.threads, &progress);
  const capacity::CapacityResult result =
      capacity::compute_capacity(study.demand, study.providers, window, study.options, run);
  progress.finish();
  std::uint64_t failed = 0;
  for (const auto& u : result.usage) failed += u.failed_states;
  if (o.strict && failed > 0) {
    fmt::print(
        stderr,
        "skyfence: error: {} satellite-step(s) with an SGP4 error with --strict; nothing was written\n",
        failed);
    return kExitRuntime;
  }
  write(o, pts, result, sink, run);
  check_interrupted();
  sink.commit();
  if (!o.quiet) {
    print_summary(pts, window, result, study.models,
                  std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count(), o.output);
  }
  return kExitOk;
}

}  // namespace capacity_command

void add_capacity_command(CLI::App& app, std::function<int()>& run_fn) {
  using namespace capacity_command;
  auto opts = std::make_shared<Options>();
  CLI::App* cmd = app.add_subcommand(
      "capacity",
      "How much of each point's demand (Mbps) each provider carries, sharing satellites, cells and gateways");
  cmd->footer(R"(Examples:
  skyfence capacity --catalog starlink --catalog oneweb --sites terminals.csv \
      --start 2026-04-27T00:00:00Z --duration 6h --step 60s -o capacity.csv
  skyfence capacity --catalog oneweb --region UKR --level 7 --demand-density 0.05 \
      --start 2026-04-27T00:00:00Z --duration 2h -o oneweb.geojson
  skyfence capacity --catalog oneweb --region UKR --level 7 --demand-file demand.csv \
      --start 2026-04-27T00:00:00Z --duration 2h -o oneweb.csv
  skyfence capacity --tle mine.tle --provider mine --service-model mine.toml --sites sites.csv \
      --start 2026-05-01T00:00:00Z --stop 2026-05-02T00:00:00Z

Providers: each --tle, --omm, --preset or --catalog (repeatable) is one provider, named as in `coverage`;
each needs a service model (docs/capacity.md): one --service-model FILE per provider in the same order, or
none, and then the bundled data/providers/NAME.toml of each provider's name (starlink, oneweb, kuiper,
kuiper-planned, iridium).
Demand: --sites FILE with a demand_mbps column (downlink, Mbps), optional demand_up_mbps (uplink, Mbps: then
every site needs one and every service model its uplink figures), optional customer (priority class, and
who asks the policies; --customer is the default), group, and providers (names separated by ';', most
preferred first; default: every provider in the order given); the terminals may move (a CSV with a
time_utc column, one row per sample, or GeoJSON LineStrings with times: docs/enforcement.md): each step
then places a terminal's demand where it is, decided by the policies with its speed and roaming days; the
CSV output gives it at its first position, GeoJSON as its trajectory (a LineString with "times"). A site at rest with an activation_country column is decided with its
roaming days too, as `check` decides it. Or the S2 cells of --level in --region /
--region-file / the Earth, each with --demand-density (Mbps per km2) times its area, or with its own
demand from --demand-file FILE: CSV with columns cell_id (the S2 token, as this command writes it) and
demand_mbps, or GeoJSON features with those properties; other columns are ignored, so an output of this
command, edited or not, reads back. Cells the file leaves out ask for nothing; a cell outside the region,
of another level, or given two different demands is an error naming the file, line and field.
Each step: a point's demand goes to the first provider of its preferences that permits it and has a
satellite in view; what that provider cannot carry is offered to the next in a later round. Each provider
shares satellites, service cells and gateways by strict priority of customer classes, then max-min fairness
of the fraction of demand met (docs/capacity.md states exactly what is optimised).
Steps: START, START+STEP, ... before STOP (a step stands for the STEP-long interval it begins).
Output (CSV, or GeoJSON properties): cell_id, lat_deg, lon_deg, area_km2, provider (each, then "any" for
all together), demand_mbps (in full, so that it reads back exactly with --demand-file), mean_mbps, p5_mbps (5th percentile over the steps, nearest rank), min_mbps,
demand_met_fraction (mean / demand), full_service_fraction (share of steps with all the demand met);
with uplink demand also demand_up_mbps, mean_up_mbps, p5_up_mbps, min_up_mbps, demand_up_met_fraction and
full_service_up_fraction, the same for the uplink (allocated over the uplink's capacities in its own rounds).
A provider's row is what it carried for the point; "any" is their sum. Summary per provider on stderr.
Exit status: 0 ok, 1 runtime failure, 2 bad input, 130 interrupted (nothing written).)");
  add_provider_options(*cmd, *opts);
  cmd->add_option(
         "--service-model", opts->capacity.service_models,
         "a provider's service model (TOML, docs/capacity.md), one per provider in order (repeatable)")
      ->expected(1)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  add_window_options(*cmd, *opts);
  add_point_options(*cmd, *opts);
  CLI::Option* density =
      cmd->add_option("--demand-density", opts->capacity.demand_density, "demand of the cells, Mbps per km2");
  cmd->add_option("--demand-file", opts->capacity.demand_file,
                  "demand of each cell: CSV cell_id,demand_mbps or GeoJSON features with those properties")
      ->excludes(density);
  cmd->add_option(
         "--min-elevation", opts->capacity.min_elevation_deg,
         "user-link minimum elevation, degrees: one for all providers or one per provider (default 25)")
      ->expected(1)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  add_policy_options(*cmd, *opts);
  add_output_options(*cmd, *opts);
  cmd->callback([opts, cmd, &run_fn] {
    finish_parsing(*cmd, *opts);
    run_fn = [opts] { return run(*opts); };
  });
}

}  // namespace skyfence::cli
