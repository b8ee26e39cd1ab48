// The scenario runner; see runner.h.
#include "skyfence/scenario/runner.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <map>
#include <memory>
#include <numeric>
#include <optional>
#include <random>
#include <set>
#include <stdexcept>
#include <utility>

#include "skyfence/capacity/capacity.h"
#include "skyfence/capacity/service_model.h"
#include "skyfence/core/read_file.h"
#include "skyfence/core/statistics.h"
#include "skyfence/core/units.h"
#include "skyfence/coverage/coverage.h"
#include "skyfence/detection/leakage.h"
#include "skyfence/earth/cell_values.h"
#include "skyfence/earth/grid.h"
#include "skyfence/earth/region.h"
#include "skyfence/earth/site.h"
#include "skyfence/earth/trajectory.h"
#include "skyfence/network/hypatia.h"
#include "skyfence/network/links.h"
#include "skyfence/network/planes.h"
#include "skyfence/network/routing.h"
#include "skyfence/network/topology.h"
#include "skyfence/orbits/load.h"
#include "skyfence/orbits/sgp4.h"
#include "skyfence/policy/permission.h"
#include "skyfence/policy/policy.h"
#include "skyfence/report/reliance.h"
#include "skyfence/scenario/internal/stages.h"
#include "skyfence/time/scales.h"
#include "skyfence/time/window.h"
#include "skyfence/visibility/fleet.h"
#include "skyfence/visibility/passes.h"

namespace skyfence::scenario {
namespace internal {
namespace {

constexpr double kDeg = kRadPerDeg, kRadToDeg = kDegPerRad;  // core/units.h

std::string source_text(const SatelliteSource& s) {
  switch (s.kind) {
    case SatelliteSource::Kind::catalog:
      return "bundled catalog " + s.value;
    case SatelliteSource::Kind::preset:
      return "preset " + s.value + " (planned)";
    default:
      return s.value;
  }
}

// A provider's satellites from Hypatia's state (docs/scenario.md, "Hypatia's state"): its tles.txt as
// its reader checks it (header, names counting up, one epoch), every satellite kept in file order so
// that isls.txt's ids stay theirs; the state's links and limits into `p` unless the provider's own
// fields replace them, as `skyfence route --hypatia-state` takes them (network/links.h).
void load_hypatia_provider(const Scenario& sc, Loaded& p) {
  const ProviderSpec& spec = p.spec;
  const network::HypatiaState state = network::read_hypatia_state(spec.hypatia_state);
  p.load.source = spec.source.value;
  p.load.records_read = state.tles.satellites.size();
  p.sets = state.tles.satellites;
  for (const orbits::ElementSet& es : p.sets) {
    if (orbits::is_stale_epoch(es.epoch, sc.start, sc.stop)) {
      ++p.load.stale_epochs;
      p.load.worst_stale_days = std::max({p.load.worst_stale_days, std::abs((sc.start - es.epoch).to_days()),
                                          std::abs((sc.stop - es.epoch).to_days())});
    }
    const orbits::Sgp4Record rec = orbits::sgp4_init(es);
    if (rec.init_error != orbits::Sgp4Error::none)
      p.load.sgp4_init_failures.push_back({es.norad_id, es.name, rec.init_error});
  }
  const network::HypatiaOverrides given{.pairing_given = spec.isl_pairing_given,
                                        .ground_rule_given = spec.gsl_max_range_km != 0.0,
                                        .isl_max_range_given = false};
  if (spec.isl) {
    p.isls = network::hypatia_candidate_isls(state, {.grid = spec.isl_grid, .isls_file = spec.isls}, given);
    p.links_fixed = true;
  }
  if (!given.ground_rule_given) p.spec.gsl_max_range_km = state.description.max_gsl_length_km;
  p.isl_max_range_km = state.description.max_isl_length_km;
}

Loaded load_provider(const ProviderSpec& spec, const Scenario& sc, const RunOptions& o,
                     const policy::LoadOptions& policy_options) {
  Loaded p;
  p.spec = spec;
  if (spec.hypatia_state.empty()) {
    p.load = orbits::load_satellites(spec.source, sc.start, sc.stop, policy_options.data_dir);
    p.sets = std::move(p.load.sets);
    p.load.sets.clear();
  } else {
    load_hypatia_provider(sc, p);
  }
  if (o.warn) {
    // The sentences every command prints, without the CLI options a scenario does not have.
    orbits::LoadWarningOptions wo;
    wo.mention_options = false;
    for (const std::string& line : orbits::load_warnings(p.load, wo)) o.warn(spec.name + ": " + line);
  }
  if (!spec.policy.empty()) {
    p.policy_text = read_file(spec.policy, "policy file");
    p.policy = policy::Policy::parse(p.policy_text, spec.policy, policy_options);
    if (p.policy->provider() != spec.name) {
      throw InputError(SourceLocation{spec.policy, 0, "provider"},
                       "the policy governs \"" + p.policy->provider() +
                           "\", but the scenario gives it to \"" + spec.name + "\"");
    }
  }
  if (!spec.service_model.empty()) p.model = capacity::read_service_model(spec.service_model);
  // Explicit links are checked against the satellites as loaded (their indices are Hypatia's ids).
  if (!spec.isls.empty() && !p.links_fixed) {
    p.isls = network::read_isl_list_file(spec.isls, p.sets);
    p.links_fixed = true;
  }
  if (!spec.gateways.empty()) {
    for (const auto* file : {&spec.gateways, &spec.pops}) {
      earth::SiteReadOptions ro;
      ro.strict = true;
      for (const auto& s : earth::read_sites_file(*file, ro).sites) {
        (file == &spec.gateways ? p.gateways : p.pops).push_back({s.id, s.location});
      }
    }
  }
  return p;
}

// How the provider's latency routes are built (report::ProviderInfo), as latency_job builds them: the
// links fixed at loading come from a file (the provider's isls, or a Hypatia state's isls.txt when no
// pairing replaced it), else the plus grid with its pairing; the ground-link rule after the state's
// slant range.
void record_topology(const Loaded& l, report::ProviderInfo& pi) {
  const ProviderSpec& spec = l.spec;
  const bool from_file = !spec.isls.empty() || (!spec.hypatia_state.empty() && !spec.isl_pairing_given);
  pi.isl = spec.isl ? "plus-grid" : "none";
  pi.isl_pairing.clear();
  if (spec.isl && !from_file)
    pi.isl_pairing = spec.isl_grid.pairing == network::IslPairing::same_index ? "same-index" : "nearest";
  pi.isl_shift = pi.isl_pairing == "same-index" ? spec.isl_grid.shift : 0;
  if (spec.isl && from_file)
    pi.isl_file =
        !spec.isls.empty() ? spec.isls : (std::filesystem::path(spec.hypatia_state) / "isls.txt").string();
  pi.isl_max_range_km = std::isfinite(l.isl_max_range_km) ? l.isl_max_range_km : 0.0;
  pi.gateway_min_elevation_deg = spec.gateway_min_elevation_deg;
  pi.gsl_max_range_km = spec.gsl_max_range_km;
  pi.hypatia_state = spec.hypatia_state;
}

// One sidereal day of GMST 1982 (frames::gmst1982, as SGP4's gstime): 86400 s / 1.002737909350795.
constexpr time::Duration kSiderealDay = time::Duration::nanoseconds(86'164'090'530'833);

// A catalog-swap variant's satellites: the catalog loaded as a provider's, its epochs moved by
// catalog_shift, staleness counted against the window they then live in, warned about with the
// variant's name.
SwappedCatalog load_swap(const Scenario& sc, std::size_t k, const RunOptions& o,
                         const std::string& data_dir) {
  const VariantSpec& v = sc.variants[k];
  SwappedCatalog s;
  s.variant = k;
  s.load = orbits::load_satellites(v.swap_source, sc.start, sc.stop, data_dir);
  s.sets = std::move(s.load.sets);
  s.load.sets.clear();
  if (s.sets.empty()) throw InputError(v.defined_at, "the catalog swapped in holds no satellite");
  std::vector<time::Instant> epochs;
  for (const auto& es : s.sets) epochs.push_back(es.epoch);
  const auto mid = epochs.begin() + static_cast<std::ptrdiff_t>((epochs.size() - 1) / 2);
  std::nth_element(epochs.begin(), mid, epochs.end());
  s.median_epoch = *mid;
  s.shift = catalog_shift(sc.start, sc.stop, s.median_epoch);
  const time::Instant first = sc.start - s.shift, last = sc.stop - s.shift;
  s.load.stale_epochs = 0;
  s.load.worst_stale_days = 0.0;
  for (orbits::ElementSet& es : s.sets) {
    if (orbits::is_stale_epoch(es.epoch, first, last)) {
      ++s.load.stale_epochs;
      s.load.worst_stale_days = std::max({s.load.worst_stale_days, std::abs((first - es.epoch).to_days()),
                                          std::abs((last - es.epoch).to_days())});
    }
    es.epoch = es.epoch + s.shift;
  }
  if (o.warn) {
    orbits::LoadWarningOptions wo;
    wo.mention_options = false;
    for (const std::string& line : orbits::load_warnings(s.load, wo))
      o.warn(v.provider + " (variant " + v.id + "): " + line);
  }
  return s;
}

// A catalog-swap variant's description for people: what it swaps, and the dates its satellites flew.
std::string swap_description(const Scenario& sc, const VariantSpec& v, const SwappedCatalog& s) {
  const std::string base = v.description == "catalog-swap " + v.provider
                               ? v.provider + " with the satellites of " + source_text(v.swap_source)
                               : v.description;
  const auto day = [](time::Instant t) { return time::format_iso8601(t, 0).substr(0, 10); };
  const auto minute = [](time::Instant t) { return time::format_iso8601(t, 0).substr(0, 16) + "Z"; };
  const long days = std::lround(s.shift.to_seconds() / kSiderealDay.to_seconds());
  std::string when = "at the run's times";
  if (days != 0) {
    when = "as they were " + std::to_string(std::labs(days)) + " sidereal days " +
           (days > 0 ? "earlier" : "later") + ", " + minute(sc.start - s.shift) + " to " +
           minute(sc.stop - s.shift);
  }
  return base + " (" + std::to_string(s.sets.size()) + " satellites, median epoch " + day(s.median_epoch) +
         "; positions " + when + ")";
}

// The counts of what loading a provider's satellites (for `variant`: "baseline" or a catalog swap's id)
// left out or doubted (SGP4 failures of the run are added later).
report::LoadIssues load_issues(const std::string& provider, const std::string& variant,
                               const orbits::LoadedSatellites& load) {
  report::LoadIssues x;
  x.provider = provider;
  x.variant = variant;
  x.records_rejected = load.rejected.size();
  x.records_with_warnings = load.accepted_with_warning.size();
  x.non_payloads_left_out = load.non_payloads.size();
  x.duplicates_dropped = load.duplicates.size();
  x.stale_element_sets = load.stale_epochs;
  x.sgp4_init_failures = load.sgp4_init_failures.size();
  return x;
}

std::vector<orbits::ElementSet> fail_satellites(const VariantSpec& v,
                                                const std::vector<orbits::ElementSet>& sets) {
  std::vector<orbits::ElementSet> kept;
  if (!v.planes.empty()) {
    const network::PlaneAssignment pa = network::infer_planes(sets);
    const std::set<int> planes(v.planes.begin(), v.planes.end());
    for (std::size_t i = 0; i < sets.size(); ++i) {
      const network::PlaneSlot& s = pa.of[i];
      if (!(s.shell == 0 && planes.contains(s.plane))) kept.push_back(sets[i]);
    }
    if (kept.size() == sets.size()) {
      throw InputError(v.defined_at, "none of the planes given exists in the provider's first shell (" +
                                         std::to_string(pa.shells.empty() ? 0 : pa.shells[0].planes) +
                                         " planes)");
    }
    return kept;
  }
  // A random share, reproducibly: satellites ordered by a seeded shuffle, the first ones fail.
  std::vector<std::size_t> order(sets.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::mt19937_64 rng(v.seed);
  for (std::size_t i = order.size(); i > 1; --i) std::swap(order[i - 1], order[rng() % i]);
  const auto failed = static_cast<std::size_t>(std::llround(v.fraction * static_cast<double>(sets.size())));
  std::vector<char> dead(sets.size(), 0);
  for (std::size_t k = 0; k < failed; ++k) dead[order[k]] = 1;
  for (std::size_t i = 0; i < sets.size(); ++i) {
    if (!dead[i]) kept.push_back(sets[i]);
  }
  return kept;
}

// The baseline's time series: per provider and "any", the region's area-weighted mean and the first
// compute.timeseries_terminals terminals, each with no samples yet.
std::vector<report::TimeSeries> baseline_series(const Scenario& sc, const RunInputs& in, const Plan& plan) {
  const std::size_t n_series_terminals = std::min(in.terminals.size(), sc.compute.timeseries_terminals);
  std::vector<report::TimeSeries> series;
  for (std::size_t a = 0; a <= plan.active.size(); ++a) {
    const std::string name = a < plan.active.size() ? plan.active[a].loaded->spec.name : "any";
    series.push_back({"baseline", name, std::string(report::kRegionMeanSite), {}, {}});
    for (std::size_t t = 0; t < n_series_terminals; ++t)
      series.push_back({"baseline", name, in.terminals[t].site.id, {}, {}});
  }
  return series;
}

// Appends one step's samples to baseline_series()'s series, in the same order.
void add_series_step(const Scenario& sc, const RunInputs& in, std::size_t step,
                     std::span<const std::vector<std::uint32_t>> in_view,
                     std::vector<report::TimeSeries>& series) {
  const std::vector<earth::Cell>& cells = in.cells;
  const std::size_t n_cells = cells.size();
  const std::size_t n_series_terminals = std::min(in.terminals.size(), sc.compute.timeseries_terminals);
  const double t_s = (sc.step * static_cast<std::int64_t>(step)).to_seconds();
  std::size_t s = 0;
  for (std::size_t a = 0; a <= in_view.size(); ++a) {
    const auto count = [&](std::size_t i) {
      if (a < in_view.size()) return static_cast<double>(in_view[a][i]);
      double total = 0.0;
      for (const auto& c : in_view) total += c[i];
      return total;
    };
    series[s].t_s.push_back(t_s);
    series[s++].satellites_in_view.push_back(weighted_mean(
        n_cells, count, [&](std::size_t i) { return cells[i].area_km2; }, 0.0));
    for (std::size_t t = 0; t < n_series_terminals; ++t) {
      series[s].t_s.push_back(t_s);
      series[s++].satellites_in_view.push_back(count(n_cells + t));
    }
  }
}

// The forbid rules that deny `terminal` under `policy` at `at` (comma-separated ids, file order; empty
// when no permit rule matched), decided as decide_terminal decides: a tracked terminal where it is then,
// with its speed and roaming days but no history.
std::string denied_rules(const TerminalRow& terminal, const earth::Track& track, const policy::Policy& policy,
                         const std::string& provider, time::Instant at) {
  const policy::RequestContext who{provider, terminal.customer, terminal.site.id, terminal.policy_group};
  policy::Decision d;
  if (terminal.tracked) {
    d = policy::TrackDecisions(policy, std::span(&track, 1), {who}, {terminal.roaming})
            .decide(0, at)
            .decision;
  } else {
    d = policy.decide({who, terminal.site.location, at});
  }
  std::string ids;
  for (const std::string& id : d.matched) {
    for (const policy::Rule& r : policy.rules()) {
      if (r.id == id && r.effect == policy::Effect::forbid) ids += (ids.empty() ? "" : ",") + id;
    }
  }
  return ids;
}

// Plan `v` through the coverage engine: fills its masks, for the baseline (v == 0) its series, and
// `varies` ([provider * terminals + terminal]: whether a tracked terminal's decision changed over the
// window). Moving terminals are counted where they are at each step.
coverage::CoverageResult cover_plan(const Scenario& sc, const RunInputs& in, const std::vector<Plan>& plans,
                                    std::size_t v, const policy::ProviderPermissions& permits,
                                    const RunContext& run, Masks& m, std::vector<report::TimeSeries>& series,
                                    std::vector<std::uint8_t>& varies,
                                    std::vector<report::TerminalStateChange>& states) {
  const Plan& plan = plans[v];
  const std::size_t n_steps = sc.steps(), n_points = in.points.size();
  std::vector<std::unique_ptr<visibility::Fleet>> fleets;
  std::vector<coverage::Provider> providers;
  coverage::CoverageOptions co;
  for (const Active& act : plan.active) {
    fleets.push_back(std::make_unique<visibility::Fleet>(act.sets));
    providers.push_back({act.loaded->spec.name, fleets.back().get()});
    co.provider_min_elevation_rad.push_back(act.loaded->spec.min_elevation_deg * kDeg);
  }
  co.min_sats = sc.min_sats;
  co.permission = plan_permission_hook(in, plan, permits);
  m.points = n_points;
  m.bits.assign(n_steps * n_points, 0);
  const std::size_t n_cells = in.cells.size(), n_terminals = in.terminals.size();
  varies.assign(plan.active.size() * n_terminals, 0);
  std::vector<std::uint8_t> first(plan.active.size() * n_terminals, 0);  // the decision at step 0
  // Each terminal's state per provider, recorded where it changes; -1 before step 0.
  std::vector<int> last_state(plan.active.size() * n_terminals, -1);
  co.on_step = [&](std::size_t step, std::span<const std::vector<std::uint32_t>> in_view,
                   std::span<const std::vector<std::uint8_t>> permitted) {
    for (std::size_t a = 0; a < in_view.size(); ++a) {
      for (std::size_t t = 0; t < n_terminals; ++t) {
        const std::size_t i = n_cells + t;
        const bool permit = permitted.empty() || permitted[a][i] != 0;
        const report::TerminalState state = !permit                        ? report::TerminalState::denied
                                            : in_view[a][i] >= sc.min_sats ? report::TerminalState::served
                                                                           : report::TerminalState::uncovered;
        int& last = last_state[a * n_terminals + t];
        if (last == static_cast<int>(state)) continue;
        last = static_cast<int>(state);
        report::TerminalStateChange c{plan.info.id,
                                      plan.active[a].loaded->spec.name,
                                      in.terminals[t].site.id,
                                      static_cast<std::uint32_t>(step),
                                      state,
                                      {}};
        if (state == report::TerminalState::denied && plan.active[a].policy) {
          c.rules = denied_rules(in.terminals[t], in.tracks[t], *plan.active[a].policy, c.provider,
                                 sc.start + sc.step * static_cast<std::int64_t>(step));
        }
        states.push_back(std::move(c));
      }
    }
    for (std::size_t a = 0; a < permitted.size(); ++a) {
      for (std::size_t t = 0; t < n_terminals; ++t) {
        const std::uint8_t now = permitted[a][n_cells + t];
        if (step == 0) first[a * n_terminals + t] = now;
        if (in.terminals[t].tracked && now != first[a * n_terminals + t]) varies[a * n_terminals + t] = 1;
      }
    }
    std::uint64_t* row = &m.bits[step * n_points];
    for (std::size_t a = 0; a < in_view.size(); ++a) {
      const std::uint64_t bit = std::uint64_t{1} << plan.active[a].union_index;
      for (std::size_t i = 0; i < n_points; ++i) {
        const bool ok = in_view[a][i] >= sc.min_sats && (permitted.empty() || permitted[a][i] != 0);
        if (ok) row[i] |= bit;
      }
    }
    if (v == 0) add_series_step(sc, in, step, in_view, series);
  };
  const time::Window window = time::Window::of_count(sc.start, sc.step, n_steps);
  if (in.moving) {
    return coverage::compute_coverage_moving(
        n_points, [&](time::Instant at, std::span<frames::Geodetic> out) { point_positions(in, at, out); },
        providers, window, co, run);
  }
  return coverage::compute_coverage(in.points, providers, window, co, run);
}

// A terminal's decision under provider p of the plan (p == active.size(): "any"), at the start: a
// tracked terminal's as `check --time` makes it (where it is, its speed and roaming days, no history).
void decide_terminal(const Scenario& sc, const TerminalRow& terminal, const earth::Track& track,
                     const Plan& plan, std::size_t p, bool varies, report::TerminalService& ts) {
  if (p < plan.active.size() && plan.active[p].policy) {
    const policy::RequestContext who{ts.provider, terminal.customer, terminal.site.id, terminal.policy_group};
    const policy::Decision d =
        terminal.tracked
            ? policy::TrackDecisions(*plan.active[p].policy, std::span(&track, 1), {who}, {terminal.roaming})
                  .decide(0, sc.start)
                  .decision
            : plan.active[p].policy->decide({who, terminal.site.location, sc.start});
    ts.decision = varies     ? report::TerminalDecision::varies
                  : d.permit ? report::TerminalDecision::permit
                             : report::TerminalDecision::deny;
    ts.reason = (varies ? "at the start: " : "") + d.reason;
  } else if (p < plan.active.size()) {
    ts.decision = report::TerminalDecision::permit;
    ts.reason = "no policy: unrestricted";
  } else {
    ts.decision =
        ts.served_fraction > 0.0 ? report::TerminalDecision::permit : report::TerminalDecision::deny;
    ts.reason = "served when at least one provider permits and serves";
  }
}

// The plan's cell layers and terminal service rows, per provider and "any".
void record_coverage(const Scenario& sc, const RunInputs& in, const Plan& plan,
                     const coverage::CoverageResult& r, const policy::ProviderPermissions& permits,
                     const std::vector<std::uint8_t>& tracked_varies, report::Results& res) {
  const std::size_t n_cells = in.cells.size();
  const std::vector<TerminalRow>& terminals = in.terminals;
  for (std::size_t p = 0; p <= r.providers(); ++p) {
    report::CellLayer layer{plan.info.id, r.provider_name(p), {}};
    for (std::size_t i = 0; i < n_cells; ++i) {
      const coverage::PointStats& st = r.at(p, i);
      layer.stats.push_back({r.coverage_fraction(p, i), r.served_fraction(p, i), r.mean_visible(p, i),
                             st.min_visible, st.max_visible, r.max_gap_s(p, i), st.gap_count});
    }
    res.cell_layers.push_back(std::move(layer));
    for (std::size_t t = 0; t < terminals.size(); ++t) {
      const std::size_t i = n_cells + t;
      report::TerminalService ts;
      ts.variant = plan.info.id;
      ts.provider = r.provider_name(p);
      ts.terminal = terminals[t].site.id;
      ts.coverage_fraction = r.coverage_fraction(p, i);
      ts.served_fraction = r.served_fraction(p, i);
      const bool varies =
          p < plan.active.size() && (terminals[t].tracked ? tracked_varies[p * terminals.size() + t] != 0
                                                          : !permits.time_invariant(p, i));
      decide_terminal(sc, terminals[t], in.tracks[t], plan, p, varies, ts);
      res.terminal_service.push_back(std::move(ts));
    }
  }
}

// The load issues of every provider of the run and of every catalog swap (the rows record_inputs makes;
// the plans' SGP4 failures are added by cover_variants).
void record_load_issues(const Scenario& sc, const RunInputs& in, const std::vector<Plan>& plans,
                        report::Results& res) {
  for (const Loaded& l : in.loaded) {
    // A provider only a variant adds is that variant's; the others are the baseline's.
    std::string variant = "baseline";
    const auto in_baseline = [&](const Active& a) { return a.loaded == &l; };
    if (std::none_of(plans.front().active.begin(), plans.front().active.end(), in_baseline)) {
      for (const Plan& p : plans) {
        if (p.info.kind == report::VariantKind::add_provider && p.info.provider == l.spec.name) {
          variant = p.info.id;
          break;
        }
      }
    }
    res.load_issues.push_back(load_issues(l.spec.name, variant, l.load));
  }
  for (const SwappedCatalog& s : in.swapped) {
    const VariantSpec& v = sc.variants[s.variant];
    res.load_issues.push_back(load_issues(v.provider, v.id, s.load));
  }
}

// SGP4 failures during the run, counted and warned about: in each plan, the failed satellite-steps of
// the satellites whose loading it records (load_issues' `variant`: the baseline's for the scenario's
// providers, a catalog swap's for the catalog it swaps in, an add-provider variant's for its provider).
void record_sgp4_failures(const Plan& plan, const coverage::CoverageResult& r, const RunOptions& o,
                          report::Results& res) {
  const bool baseline = plan.info.kind == report::VariantKind::baseline;
  for (std::size_t a = 0; a < plan.active.size(); ++a) {
    const std::string& name = plan.active[a].loaded->spec.name;
    const auto row = std::find_if(
        res.load_issues.begin(), res.load_issues.end(),
        [&](const report::LoadIssues& x) { return x.provider == name && x.variant == plan.info.id; });
    if (row == res.load_issues.end()) continue;  // recorded by the plan whose satellites these are
    const std::uint64_t failed = r.failed_states.at(a);
    row->sgp4_failed_states = failed;
    if (failed > 0 && o.warn) {
      o.warn(name + (baseline ? "" : " (variant " + plan.info.id + ")") + ": " + std::to_string(failed) +
             " satellite-step(s) failed in SGP4 during the run; those satellites count as not in view then");
    }
  }
}

// The number of latency steps: the window at compute.latency_step, rounded up, at least one.
std::size_t latency_steps(const Scenario& sc) {
  const std::int64_t lat_steps_i =
      std::max<std::int64_t>(1, ((sc.stop - sc.start).count_ns() + sc.compute.latency_step.count_ns() - 1) /
                                    sc.compute.latency_step.count_ns());
  const auto lat_steps = static_cast<std::size_t>(lat_steps_i);
  return lat_steps;
}

// A route's nodes after its source as RouteRecord::path gives them ("sat:NORAD gateway:ID pop:ID").
std::string route_path_text(const network::Network& net, const std::vector<orbits::ElementSet>& sets,
                            const network::Route& route) {
  std::string out;
  for (std::size_t k = 1; k < route.path.size(); ++k) {
    const std::uint32_t node = route.path[k];
    const std::size_t i = net.index(node);
    switch (net.kind(node)) {
      case network::NodeKind::satellite:
        out += (out.empty() ? "sat:" : " sat:") + std::to_string(sets[i].norad_id);
        break;
      case network::NodeKind::gateway:
        out += (out.empty() ? "gateway:" : " gateway:") + net.gateway(i).id;
        break;
      case network::NodeKind::pop:
        out += (out.empty() ? "pop:" : " pop:") + net.pop(i).id;
        break;
      case network::NodeKind::endpoint:
        break;
    }
  }
  return out;
}

// One latency job (a plan's provider with gateways): each terminal's route statistics and RTT samples
// over the latency steps. Progress: the whole of `run`'s.
void latency_job(const Scenario& sc, const RunInputs& in, const Plan& plan, const Active& act,
                 const RunContext& run, std::vector<network::RouteStatistics>& stats,
                 std::vector<std::vector<double>>& samples, std::vector<report::RouteRecord>& routes_out) {
  const std::vector<TerminalRow>& terminals = in.terminals;
  const std::size_t lat_steps = latency_steps(sc);
  std::vector<network::GroundNode> endpoints;
  for (const TerminalRow& t : terminals) endpoints.push_back({t.site.id, t.site.location});
  std::vector<network::EndpointPair> pairs;
  for (std::size_t t = 0; t < terminals.size(); ++t)
    pairs.push_back({static_cast<std::uint32_t>(t), network::kToInternet});
  const visibility::Fleet fleet(act.sets);
  const ProviderSpec& spec = act.loaded->spec;
  network::NetworkOptions no;
  no.isl = spec.isl ? network::IslMode::plus_grid : network::IslMode::none;
  no.user_min_elevation_rad = spec.min_elevation_deg * kDeg;
  no.gateway_min_elevation_rad = spec.gateway_min_elevation_deg * kDeg;
  network::limit_ground_links_by_range(no, spec.gsl_max_range_km);
  no.isl_max_range_km = act.loaded->isl_max_range_km;
  std::vector<network::SatellitePair> isl;
  if (spec.isl && act.loaded->links_fixed) {
    // The file's links among the satellites this plan flies (a failed satellite takes its links along).
    isl = network::carry_links(act.loaded->isls, act.loaded->sets, act.sets);
  } else if (spec.isl) {
    isl = network::candidate_isls({.grid = spec.isl_grid, .isls_file = {}}, act.sets,
                                  [&] { return network::infer_planes(act.sets); });
  }
  network::Network net(fleet, std::move(isl), act.loaded->gateways, act.loaded->pops, endpoints, no);
  stats.assign(terminals.size(), {});
  samples.assign(terminals.size(), {});
  // Tracked terminals: decided along the latency steps as `check` decides them (their own series).
  std::optional<policy::TrackDecisions> tracked;
  std::vector<std::size_t> tracked_index;
  std::vector<earth::Track> tracked_tracks;
  if (act.policy) {
    std::vector<policy::RequestContext> contexts;
    std::vector<policy::RoamingClock::Terminal> roaming;
    for (std::size_t t = 0; t < terminals.size(); ++t) {
      if (!terminals[t].tracked) continue;
      tracked_index.push_back(t);
      tracked_tracks.push_back(in.tracks[t]);
      contexts.push_back(
          {act.loaded->spec.name, terminals[t].customer, terminals[t].site.id, terminals[t].policy_group});
      roaming.push_back(terminals[t].roaming);
    }
    if (!tracked_index.empty()) {
      tracked.emplace(*act.policy, tracked_tracks, std::move(contexts), std::move(roaming));
      tracked->start(sc.start);
    }
  }
  std::vector<frames::Geodetic> where(terminals.size());
  std::vector<std::uint8_t> tracked_ok(tracked_index.size());
  std::vector<policy::PointPolicy> pp;
  if (act.policy) {
    for (std::size_t t = 0; t < terminals.size(); ++t) {
      pp.emplace_back(*act.policy, std::span<const frames::Geodetic>(&terminals[t].site.location, 1),
                      policy::RequestContext{act.loaded->spec.name, terminals[t].customer,
                                             terminals[t].site.id, terminals[t].policy_group});
    }
  }
  network::Snapshot snap;
  network::RouteMemory route_memory;  // each step starts from the last one's searches
  std::vector<network::Route> routes;
  const std::string stage = "latency: " + plan.info.id + " " + act.loaded->spec.name;
  for (std::size_t k = 0; k < lat_steps; ++k) {
    const time::Instant at = sc.start + sc.compute.latency_step * static_cast<std::int64_t>(k);
    // Denied terminals are unreachable; a step at which every terminal is denied needs no graph.
    std::vector<std::uint8_t> ok(terminals.size(), 1);
    for (std::size_t t = 0; t < pp.size(); ++t) {
      if (!terminals[t].tracked) pp[t].permitted(at, std::span<std::uint8_t>(&ok[t], 1));
    }
    if (tracked) {
      tracked->permitted(at, tracked_ok);
      for (std::size_t j = 0; j < tracked_index.size(); ++j) ok[tracked_index[j]] = tracked_ok[j];
    }
    if (in.moving) {
      earth::positions_at(in.tracks, at, where);
      net.move_endpoints(where);
    }
    if (std::find(ok.begin(), ok.end(), std::uint8_t{1}) != ok.end()) {
      net.snapshot(at, snap, run);
      network::route_step(net, snap, pairs, routes, &route_memory, run);
    }
    for (std::size_t t = 0; t < terminals.size(); ++t) {
      const network::Route route = ok[t] != 0 ? routes[t] : network::Route{};
      stats[t].add(route);
      if (route.reachable()) samples[t].push_back(route.rtt_ms());
      routes_out.push_back({plan.info.id, act.loaded->spec.name, terminals[t].site.id, at,
                            route.reachable() ? route.rtt_ms() : 0.0, route_path_text(net, act.sets, route)});
    }
    run.report(stage, static_cast<double>(k + 1) / static_cast<double>(lat_steps));
  }
}

// The latency rows of one job, per terminal (the samples are moved into the rows).
void record_latency_rows(const RunInputs& in, const Plan& plan, const Active& act,
                         const std::vector<network::RouteStatistics>& stats,
                         std::vector<std::vector<double>>& samples, report::Results& res) {
  const std::vector<TerminalRow>& terminals = in.terminals;
  for (std::size_t t = 0; t < terminals.size(); ++t) {
    const network::RouteSummary s = stats[t].summary();
    report::LatencySummary ls;
    ls.variant = plan.info.id;
    ls.provider = act.loaded->spec.name;
    ls.src = terminals[t].site.id;
    ls.dst = std::string(report::kInternet);
    ls.unreachable_fraction = s.unreachable_share();
    ls.path_changes = static_cast<std::uint32_t>(s.path_changes);
    if (!samples[t].empty()) {
      const report::RttQuantiles q = report::rtt_quantiles(samples[t]);
      ls.min_rtt_ms = q.min_ms;
      ls.median_rtt_ms = q.median_ms;
      ls.p95_rtt_ms = q.p95_ms;
      ls.max_rtt_ms = q.max_ms;
    }
    ls.rtt_samples_ms = std::move(samples[t]);
    res.latency.push_back(std::move(ls));
  }
}

}  // namespace

// The permission of each of the plan's providers: its policy over the cells (the region's customer
// class) and over each terminal (its own class and group); unrestricted without a policy.
policy::ProviderPermissions plan_permissions(const Scenario& sc, const RunInputs& in, const Plan& plan) {
  const std::size_t n_cells = in.cells.size();
  const std::vector<TerminalRow>& terminals = in.terminals;
  policy::ProviderPermissions permits(plan.active.size());
  for (std::size_t a = 0; a < plan.active.size(); ++a) {
    const Active& act = plan.active[a];
    if (!act.policy) continue;
    const std::span<const frames::Geodetic> cell_points(in.points.data(), n_cells);
    permits.add(
        a, 0,
        policy::PointPolicy(*act.policy, cell_points,
                            policy::RequestContext{act.loaded->spec.name, sc.region.customer, {}, {}}));
    for (std::size_t t = 0; t < terminals.size(); ++t) {
      if (terminals[t].tracked) continue;  // plan_permission_hook's
      permits.add(
          a, n_cells + t,
          policy::PointPolicy(*act.policy, std::span<const frames::Geodetic>(&in.points[n_cells + t], 1),
                              policy::RequestContext{act.loaded->spec.name, terminals[t].customer,
                                                     terminals[t].site.id, terminals[t].policy_group}));
    }
  }
  return permits;
}

policy::PermissionHook plan_permission_hook(const RunInputs& in, const Plan& plan,
                                            const policy::ProviderPermissions& permits) {
  const std::size_t n_cells = in.cells.size();
  // The tracked terminals, their point indices, and per provider with a policy their decisions.
  struct Tracked {
    std::vector<earth::Track> tracks;
    std::vector<std::size_t> point;
    std::vector<std::optional<policy::TrackDecisions>> decisions;  // per active provider
    std::vector<std::uint8_t> started;
    std::vector<std::uint8_t> buffer;
  };
  auto state = std::make_shared<Tracked>();
  for (std::size_t t = 0; t < in.terminals.size(); ++t) {
    if (!in.terminals[t].tracked) continue;
    state->tracks.push_back(in.tracks[t]);
    state->point.push_back(n_cells + t);
  }
  state->decisions.resize(plan.active.size());
  state->started.assign(plan.active.size(), 0);
  state->buffer.resize(state->tracks.size());
  bool any = false;
  for (std::size_t a = 0; a < plan.active.size(); ++a) {
    const Active& act = plan.active[a];
    if (!act.policy || state->tracks.empty()) continue;
    std::vector<policy::RequestContext> contexts;
    std::vector<policy::RoamingClock::Terminal> roaming;
    for (const std::size_t i : state->point) {
      const TerminalRow& row = in.terminals[i - n_cells];
      contexts.push_back({act.loaded->spec.name, row.customer, row.site.id, row.policy_group});
      roaming.push_back(row.roaming);
    }
    state->decisions[a].emplace(*act.policy, state->tracks, std::move(contexts), std::move(roaming));
    any = true;
  }
  if (!any) return permits.empty() ? policy::PermissionHook{} : permits.hook();
  return [state, &permits](std::size_t a, time::Instant at, std::span<std::uint8_t> out) {
    permits.permitted(a, at, out);
    std::optional<policy::TrackDecisions>& d = state->decisions[a];
    if (!d) return;
    if (state->started[a] == 0) d->start(at);
    state->started[a] = 1;
    d->permitted(at, state->buffer);
    for (std::size_t k = 0; k < state->point.size(); ++k) out[state->point[k]] = state->buffer[k];
  };
}

void point_positions(const RunInputs& in, time::Instant at, std::span<frames::Geodetic> out) {
  const std::size_t n_cells = in.cells.size();
  for (std::size_t i = 0; i < n_cells; ++i) out[i] = in.cells[i].centre;
  earth::positions_at(in.tracks, at, out.subspan(n_cells));
}

time::Duration catalog_shift(time::Instant start, time::Instant stop, time::Instant median_epoch) {
  const time::Instant middle = start + time::Duration::nanoseconds((stop - start).count_ns() / 2);
  const double days =
      static_cast<double>((middle - median_epoch).count_ns()) / static_cast<double>(kSiderealDay.count_ns());
  return kSiderealDay * static_cast<std::int64_t>(std::llround(days));
}

RunInputs load_inputs(const Scenario& sc, const RunOptions& o, const RunContext& run) {
  const std::string& data_dir = run.data_dir;
  RunInputs in;
  // The country borders, read once for the region and every policy.
  policy::LoadOptions& policy_options = in.policy_options;
  policy_options.data_dir = data_dir;
  policy_options.borders = earth::CountryBorders::read_bundled(data_dir);
  const earth::CountryBorders& borders = *policy_options.borders;

  // Region and its cells.
  const earth::Region& region =
      in.region.emplace(!sc.region.country.empty() ? borders.find(sc.region.country)
                                                   : earth::read_region_file(sc.region.file, sc.region.name));
  in.cells = earth::region_grid(region, sc.region.level).cells;
  const std::vector<earth::Cell>& cells = in.cells;
  if (cells.empty()) {
    throw InputError(sc.region.defined_at, region.name() + " holds no cell centre at level " +
                                               std::to_string(sc.region.level) + "; use a higher level");
  }
  // The cells' demand: a density times each cell's area, or the demand file's (checked against the cells
  // whether or not demand met is computed).
  if (!sc.region.demand_file.empty()) {
    earth::CellValueReadOptions ro;
    ro.column = "demand_mbps";
    ro.expected_value = "a demand >= 0 Mbps";
    ro.cells_name = region.name() + " (the scenario's region)";
    in.cell_demand_mbps = earth::read_cell_values_file(sc.region.demand_file, cells, sc.region.level, ro);
  } else {
    const double density = std::max(0.0, sc.region.demand_density_mbps_km2);
    for (const earth::Cell& c : cells) in.cell_demand_mbps.push_back(density * c.area_km2);
  }

  // Terminals.
  std::vector<TerminalRow>& terminals = in.terminals;
  std::set<std::string> terminal_ids;
  for (const TerminalGroupSpec& g : sc.groups) {
    // Fixed sites, or trajectories. Terminals that move, or carry an activation country (their roaming
    // days grow even at rest), are decided as `check` decides them; other fixed sites as cells.
    const bool trajectories = !g.hypatia_ground_stations && earth::holds_trajectories(g.file);
    std::vector<earth::Site> sites;
    std::vector<earth::Track> tracks;
    if (g.hypatia_ground_stations) {
      // As `skyfence route --hypatia-state` takes them: the names are the ids.
      for (const network::GroundNode& gs : network::read_hypatia_ground_stations_file(g.file))
        sites.push_back({gs.id, gs.id, gs.location, {}});
      for (const earth::Site& s : sites) tracks.push_back(earth::fixed_track(s));
    } else if (trajectories) {
      tracks = earth::read_tracks_file(g.file);
      for (const earth::Track& tr : tracks) sites.push_back(tr.first_site());
    } else {
      earth::SiteReadOptions ro;
      ro.strict = true;
      sites = earth::read_sites_file(g.file, ro).sites;
      for (const earth::Site& s : sites) tracks.push_back(earth::fixed_track(s));
    }
    const std::vector<detection::TerminalInfo> infos = detection::terminal_infos(
        tracks, "", "", [&]() -> const earth::CountryBorders& { return borders; }, g.file);
    // Uplink demand: the group's default, or a demand_up_mbps column (then every terminal of the file needs
    // a value, or the group a default).
    const bool column_up = std::any_of(sites.begin(), sites.end(), [](const earth::Site& s) {
      const std::string* up = s.attribute("demand_up_mbps");
      return up != nullptr && !up->empty();
    });
    const std::optional<double> group_up =
        g.demand_up_mbps >= 0.0 ? std::optional<double>(g.demand_up_mbps) : std::nullopt;
    if (sc.capacity() && (column_up || group_up) && in.uplink_asked_by.empty()) in.uplink_asked_by = g.file;
    for (std::size_t k = 0; k < sites.size(); ++k) {
      earth::Site& s = sites[k];
      if (!terminal_ids.insert(s.id).second) {
        throw InputError(SourceLocation{g.file, 0, "id"},
                         "terminal id \"" + s.id + "\" appears in two groups");
      }
      TerminalRow t;
      const std::string* customer = s.attribute("customer");
      const std::string* pgroup = s.attribute("group");
      t.customer = customer != nullptr && !customer->empty() ? *customer : g.customer;
      t.policy_group = pgroup != nullptr && !pgroup->empty() ? *pgroup : g.id;
      t.group = g.id;
      if (sc.capacity()) {
        t.demand_mbps = capacity::site_demand_mbps(
            s, g.file, g.demand_mbps, ", or a demand_mbps for group \"" + g.id + "\" in the scenario");
        t.demand_up_mbps =
            capacity::site_demand_up_mbps(s, g.file, group_up, column_up,
                                          " (the file gives demand_up_mbps to other terminals: give every "
                                          "terminal one, 0 for none, or a demand_up_mbps for group \"" +
                                              g.id + "\" in the scenario)")
                .value_or(0.0);
      }
      t.tracked = trajectories || infos[k].roaming.activation_country.has_value();
      if (t.tracked) t.roaming = infos[k].roaming;
      t.site = std::move(s);
      terminals.push_back(std::move(t));
      in.tracks.push_back(std::move(tracks[k]));
    }
  }
  in.moving = earth::any_moving(in.tracks);

  // Terminals whose passes are listed.
  std::vector<std::size_t>& pass_terminals = in.pass_terminals;
  for (const std::string& id : sc.compute.passes_terminals) {
    std::size_t t = 0;
    while (t < terminals.size() && terminals[t].site.id != id) ++t;
    if (t == terminals.size()) throw InputError(sc.compute.passes_at, "no terminal with id \"" + id + "\"");
    pass_terminals.push_back(t);
  }

  // Providers (the scenario's, then those variants add).
  std::vector<Loaded>& loaded = in.loaded;
  for (const ProviderSpec& p : sc.providers) loaded.push_back(load_provider(p, sc, o, policy_options));
  for (const VariantSpec& v : sc.variants) {
    if (v.kind == VariantSpec::Kind::add_provider)
      loaded.push_back(load_provider(*v.added, sc, o, policy_options));
  }
  if (loaded.size() > 64) throw InputError(SourceLocation{sc.path, 0, "provider"}, "at most 64 providers");
  for (std::size_t k = 0; k < sc.variants.size(); ++k) {
    if (sc.variants[k].kind == VariantSpec::Kind::catalog_swap)
      in.swapped.push_back(load_swap(sc, k, o, data_dir));
  }
  for (const Loaded& l : loaded) in.union_names.push_back(l.spec.name);
  // Uplink demand is allocated over every provider's uplink (capacity.h): each must model it.
  for (const Loaded& l : loaded) {
    if (in.uplink_asked_by.empty() || !l.model || l.model->has_uplink) continue;
    throw InputError(SourceLocation{l.model->source, 0, "satellite_class"},
                     "expected uplink figures (capacity_up_gbps, beams_up and beam_bandwidth_up_mhz in every "
                     "[[satellite_class]]): " +
                         in.uplink_asked_by + " asks for uplink demand (demand_up_mbps), and provider \"" +
                         l.spec.name + "\" does not model the uplink");
  }

  // Points: cell centres, then terminals.
  for (const earth::Cell& c : cells) in.points.push_back(c.centre);
  for (const TerminalRow& t : terminals) in.points.push_back(t.site.location);
  return in;
}

std::vector<Plan> plan_variants(const Scenario& sc, const RunInputs& in) {
  const std::vector<Loaded>& loaded = in.loaded;
  const policy::LoadOptions& policy_options = in.policy_options;
  const auto union_index = [&](const std::string& name) {
    return static_cast<std::size_t>(std::find(in.union_names.begin(), in.union_names.end(), name) -
                                    in.union_names.begin());
  };
  // The variants' provider sets, all checked before computing anything.
  std::vector<Plan> plans;
  {
    Plan base;
    base.info = {"baseline", "The scenario as written", report::VariantKind::baseline, ""};
    for (std::size_t k = 0; k < sc.providers.size(); ++k) {
      base.active.push_back({k, &loaded[k], loaded[k].sets, loaded[k].policy});
    }
    plans.push_back(std::move(base));
  }
  for (const VariantSpec& v : sc.variants) {
    Plan plan;
    plan.info.id = v.id;
    plan.info.description = v.description;
    plan.info.provider = v.provider;
    plan.active = plans.front().active;
    switch (v.kind) {
      case VariantSpec::Kind::withdraw:
        plan.info.kind = report::VariantKind::withdraw;
        std::erase_if(plan.active, [&](const Active& a) { return a.loaded->spec.name == v.provider; });
        break;
      case VariantSpec::Kind::policy_rule: {
        plan.info.kind = report::VariantKind::policy_rule;
        for (Active& a : plan.active) {
          if (a.loaded->spec.name != v.provider) continue;
          const std::string base_text =
              a.loaded->policy ? a.loaded->policy_text
                               : "provider = \"" + v.provider +
                                     "\"\n[[rule]]\nid = \"unrestricted\"\neffect = \"permit\"\n";
          try {
            a.policy = policy::Policy::parse(base_text + "\n" + v.rule_toml,
                                             a.loaded->spec.policy.empty() ? sc.path : a.loaded->spec.policy,
                                             policy_options);
          } catch (const InputError& e) {
            throw InputError(v.defined_at, "the rule does not load: " + e.detail());
          }
          if (v.enforcement) a.policy = a.policy->with_enforcement(*v.enforcement);
        }
        break;
      }
      case VariantSpec::Kind::enforcement:
        plan.info.kind = report::VariantKind::enforcement;
        for (Active& a : plan.active) {
          if (a.loaded->spec.name != v.provider) continue;
          if (!a.policy) {
            throw InputError(v.defined_at, "provider \"" + v.provider +
                                               "\" has no policy to enforce another way (give it a policy)");
          }
          a.policy = a.policy->with_enforcement(*v.enforcement);
        }
        break;
      case VariantSpec::Kind::satellite_failure:
        plan.info.kind = report::VariantKind::satellite_failure;
        for (Active& a : plan.active) {
          if (a.loaded->spec.name == v.provider) a.sets = fail_satellites(v, a.sets);
        }
        break;
      case VariantSpec::Kind::background_load:
        plan.info.kind = report::VariantKind::background_load;
        for (Active& a : plan.active) {
          if (a.loaded->spec.name == v.provider) a.background_load = v.background_load;
        }
        break;
      case VariantSpec::Kind::catalog_swap: {
        plan.info.kind = report::VariantKind::catalog_swap;
        const std::size_t k = static_cast<std::size_t>(&v - sc.variants.data());
        const auto s = std::find_if(in.swapped.begin(), in.swapped.end(),
                                    [&](const SwappedCatalog& x) { return x.variant == k; });
        if (s == in.swapped.end()) throw std::invalid_argument("plan_variants: inputs of another scenario");
        for (Active& a : plan.active) {
          if (a.loaded->spec.name == v.provider) a.sets = s->sets;
        }
        plan.info.catalog = source_text(v.swap_source);
        plan.info.satellite_count = s->sets.size();
        plan.info.time_shift = s->shift;
        plan.info.description = swap_description(sc, v, *s);
        break;
      }
      case VariantSpec::Kind::add_provider: {
        plan.info.kind = report::VariantKind::add_provider;
        const std::size_t k = union_index(v.provider);
        plan.active.push_back({k, &loaded[k], loaded[k].sets, loaded[k].policy});
        break;
      }
    }
    plans.push_back(std::move(plan));
  }
  return plans;
}

// The satellites each satellite-failure variant takes out of its provider's fleet: those loaded that
// the variant's plan does not fly.
void record_failed_satellites(const std::vector<Plan>& plans, report::Results& res) {
  for (const Plan& plan : plans) {
    if (plan.info.kind != report::VariantKind::satellite_failure) continue;
    report::FailedSatellites failed{plan.info.id, {}};
    for (const Active& a : plan.active) {
      if (a.loaded->spec.name != plan.info.provider) continue;
      std::vector<std::uint32_t> flying;
      for (const orbits::ElementSet& es : a.sets) flying.push_back(es.norad_id);
      std::sort(flying.begin(), flying.end());
      for (const orbits::ElementSet& es : a.loaded->sets) {
        if (!std::binary_search(flying.begin(), flying.end(), es.norad_id))
          failed.norad_ids.push_back(es.norad_id);
      }
    }
    std::sort(failed.norad_ids.begin(), failed.norad_ids.end());
    failed.norad_ids.erase(std::unique(failed.norad_ids.begin(), failed.norad_ids.end()),
                           failed.norad_ids.end());
    res.failed_satellites.push_back(std::move(failed));
  }
}

// The regions of the forbid rules of each provider's policy in the baseline, and of the rules that
// policy-rule variants add (those whose ids the provider's baseline policy does not have).
void record_policy_regions(const std::vector<Plan>& plans, report::Results& res) {
  std::map<std::string, const policy::Policy*> baseline;
  for (const Active& a : plans.front().active) {
    if (a.policy) baseline[a.loaded->spec.name] = &*a.policy;
  }
  for (const Plan& plan : plans) {
    if (plan.info.kind != report::VariantKind::baseline && plan.info.kind != report::VariantKind::policy_rule)
      continue;
    for (const Active& a : plan.active) {
      if (!a.policy) continue;
      const std::string& provider = a.loaded->spec.name;
      const auto base = baseline.find(provider);
      for (const policy::Rule& r : a.policy->rules()) {
        if (r.effect != policy::Effect::forbid || r.regions.empty()) continue;
        if (plan.info.kind == report::VariantKind::policy_rule &&
            (plan.info.provider != provider ||
             (base != baseline.end() &&
              std::any_of(base->second->rules().begin(), base->second->rules().end(),
                          [&](const policy::Rule& b) { return b.id == r.id; }))))
          continue;
        for (std::size_t k = 0; k < r.regions.size(); ++k) {
          res.policy_regions.push_back(
              {plan.info.id, provider, r.id, r.description, r.summary,
               r.region_specs.size() == r.regions.size() ? r.region_specs[k] : r.regions[k].name(),
               r.side == policy::Side::inside ? "inside" : "outside",
               r.regions[k].outline(report::kPolicyOutlineToleranceDeg)});
        }
      }
    }
  }
}

void record_inputs(const Scenario& sc, const RunInputs& in, const std::vector<Plan>& plans,
                   const RunOptions& o, report::Results& res) {
  const std::size_t n_steps = sc.steps();
  const earth::Region& region = *in.region;
  const std::vector<Loaded>& loaded = in.loaded;
  // The record of the run.
  res.run.scenario_name = sc.name;
  res.run.scenario_path = sc.path;
  res.run.inputs.push_back({"scenario", sc.path});
  for (const Loaded& l : loaded) {
    if (l.spec.source.kind == SatelliteSource::Kind::tle || l.spec.source.kind == SatelliteSource::Kind::omm)
      res.run.inputs.push_back({"catalog", l.spec.source.value});
    if (!l.spec.policy.empty()) res.run.inputs.push_back({"policy", l.spec.policy});
    if (!l.spec.gateways.empty()) {
      res.run.inputs.push_back({"gateways", l.spec.gateways});
      res.run.inputs.push_back({"pops", l.spec.pops});
    }
  }
  for (const auto& v : sc.variants) {
    if (v.kind == VariantSpec::Kind::catalog_swap && v.swap_source.kind != SatelliteSource::Kind::catalog)
      res.run.inputs.push_back({"catalog", v.swap_source.value});
  }
  for (const auto& g : sc.groups) res.run.inputs.push_back({"sites", g.file});
  if (!sc.region.file.empty()) res.run.inputs.push_back({"region", sc.region.file});
  if (!sc.region.demand_file.empty()) res.run.inputs.push_back({"demand", sc.region.demand_file});
  res.run.seed = sc.seed;
  res.run.start = sc.start;
  res.run.step = sc.step;
  res.run.stop = sc.start + sc.step * static_cast<std::int64_t>(n_steps == 0 ? 0 : n_steps - 1);
  res.run.step_count = n_steps;
  res.run.region_name = region.name();
  res.run.region_area_km2 = region.area_km2();
  res.run.software_version = o.software_version;
  res.run.created = o.created;
  for (const Loaded& l : loaded) {
    report::ProviderInfo pi;
    pi.name = l.spec.name;
    pi.source = source_text(l.spec.source);
    pi.satellite_count = l.sets.size();
    pi.epoch_min = pi.epoch_max = l.sets.front().epoch;
    for (const auto& es : l.sets) {
      pi.epoch_min = std::min(pi.epoch_min, es.epoch);
      pi.epoch_max = std::max(pi.epoch_max, es.epoch);
    }
    pi.min_elevation_deg = l.spec.min_elevation_deg;
    pi.policy = l.spec.policy;
    pi.status = l.spec.source.kind == SatelliteSource::Kind::preset ? "planned" : "deployed";
    pi.service_model = l.spec.service_model;
    record_topology(l, pi);
    res.providers.push_back(std::move(pi));
    for (const orbits::ElementSet& es : l.sets) {
      res.satellites.push_back({l.spec.name, es.norad_id, es.name, es.epoch, es.mean_motion_rev_per_day,
                                es.eccentricity, es.inclination_deg, es.raan_deg, es.arg_perigee_deg,
                                es.mean_anomaly_deg, es.bstar, es.mean_motion_dot, es.mean_motion_ddot});
    }
    for (const auto& [kind, nodes] : {std::pair{"gateway", &l.gateways}, std::pair{"pop", &l.pops}}) {
      for (const network::GroundNode& g : *nodes) {
        res.ground_stations.push_back(
            {l.spec.name, kind, g.id, g.location.lat_rad * kRadToDeg, g.location.lon_rad * kRadToDeg});
      }
    }
  }
  for (const SwappedCatalog& s : in.swapped) {
    const VariantSpec& v = sc.variants[s.variant];
    report::VariantSatellites vs{v.id, {}};
    for (const orbits::ElementSet& es : s.sets) {
      vs.satellites.push_back({v.provider, es.norad_id, es.name, es.epoch, es.mean_motion_rev_per_day,
                               es.eccentricity, es.inclination_deg, es.raan_deg, es.arg_perigee_deg,
                               es.mean_anomaly_deg, es.bstar, es.mean_motion_dot, es.mean_motion_ddot});
    }
    res.variant_satellites.push_back(std::move(vs));
  }
  record_load_issues(sc, in, plans, res);
  for (const Plan& p : plans) res.variants.push_back(p.info);
  record_policy_regions(plans, res);
  record_failed_satellites(plans, res);
  for (const earth::Cell& c : in.cells) res.cells.push_back(report::cell_info(c));
  for (const TerminalGroupSpec& g : sc.groups) res.groups.push_back({g.id, g.name, g.customer});
  for (std::size_t i = 0; i < in.terminals.size(); ++i) {
    const TerminalRow& t = in.terminals[i];
    report::Terminal rt{
        t.site.id, t.site.name, t.site.location.lat_rad * kRadToDeg, t.site.location.lon_rad * kRadToDeg,
        t.group,   t.customer};
    if (in.tracks[i].moving()) {
      for (const earth::TrackSample& s : in.tracks[i].samples)
        rt.track.push_back({s.time, s.location.lat_rad * kRadToDeg, s.location.lon_rad * kRadToDeg});
    }
    res.terminals.push_back(std::move(rt));
  }
}

std::vector<Masks> cover_variants(const Scenario& sc, const RunInputs& in, const std::vector<Plan>& plans,
                                  const RunOptions& o, const RunContext& run, report::Results& res,
                                  PlanRange range) {
  if (range.first > plans.size()) throw std::invalid_argument("cover_variants: no such plan");
  const std::size_t last = range.end(plans.size());
  std::vector<Masks> masks(last - range.first);
  const double n = static_cast<double>(last - range.first);
  for (std::size_t v = range.first; v < last; ++v) {
    const policy::ProviderPermissions permits = plan_permissions(sc, in, plans[v]);
    std::vector<report::TimeSeries> series;
    if (v == 0) series = baseline_series(sc, in, plans[v]);
    std::vector<std::uint8_t> varies;
    const double k = static_cast<double>(v - range.first);
    const coverage::CoverageResult r =
        cover_plan(sc, in, plans, v, permits, run.part(k / n, (k + 1.0) / n, "coverage: " + plans[v].info.id),
                   masks[v - range.first], series, varies, res.terminal_states);
    record_sgp4_failures(plans[v], r, o, res);
    record_coverage(sc, in, plans[v], r, permits, varies, res);
    for (auto& s : series) res.timeseries.push_back(std::move(s));
  }
  return masks;
}

void record_reliance(const Scenario& sc, const RunInputs& in, const std::vector<Plan>& plans,
                     const std::vector<Masks>& masks, report::Results& res) {
  std::vector<double> areas;
  for (const earth::Cell& c : in.cells) areas.push_back(c.area_km2);
  std::vector<std::string> terminal_group, groups;
  for (const TerminalRow& t : in.terminals) terminal_group.push_back(t.group);
  for (const TerminalGroupSpec& g : sc.groups) groups.push_back(g.id);
  for (std::size_t v = 0; v < plans.size(); ++v) {
    add_reliance(areas, terminal_group, groups, in.union_names, in.region->name(), plans[v].info.id,
                 sc.steps(), masks[0].bits, masks[v].bits, res.reliance);
  }
}

void add_reliance(std::span<const double> cell_area_km2, std::span<const std::string> terminal_group,
                  std::span<const std::string> groups, const std::vector<std::string>& union_names,
                  const std::string& region_name, const std::string& variant, std::size_t steps,
                  std::span<const std::uint64_t> baseline, std::span<const std::uint64_t> masks,
                  std::vector<report::Reliance>& out) {
  const std::size_t n_cells = cell_area_km2.size(), n_points = n_cells + terminal_group.size();
  if (baseline.size() != steps * n_points || masks.size() != steps * n_points)
    throw std::invalid_argument("add_reliance: masks of another size than steps x points");
  report::RelianceAccumulator region_acc(union_names);
  std::map<std::string, report::RelianceAccumulator> group_acc;
  for (const std::string& g : groups) group_acc.emplace(g, report::RelianceAccumulator(union_names));
  for (std::size_t step = 0; step < steps; ++step) {
    const std::uint64_t* base = &baseline[step * n_points];
    const std::uint64_t* var = &masks[step * n_points];
    for (std::size_t i = 0; i < n_cells; ++i) region_acc.add(cell_area_km2[i], base[i], var[i]);
    for (std::size_t t = 0; t < terminal_group.size(); ++t) {
      group_acc.at(terminal_group[t]).add(1.0, base[n_cells + t], var[n_cells + t]);
    }
  }
  out.push_back(region_acc.result(std::string(report::kScopeRegion), region_name, variant));
  for (const std::string& g : groups) {
    out.push_back(group_acc.at(g).result(std::string(report::kScopeGroup), g, variant));
  }
}

void record_latency(const Scenario& sc, const RunInputs& in, const std::vector<Plan>& plans,
                    const RunContext& run, report::Results& res, PlanRange range) {
  if (!sc.compute.latency || in.terminals.empty()) return;
  if (range.first > plans.size()) throw std::invalid_argument("record_latency: no such plan");
  const std::span<const Plan> chosen(plans.data() + range.first, range.end(plans.size()) - range.first);
  std::size_t jobs = 0, done_jobs = 0;
  for (const Plan& p : chosen) {
    for (const Active& a : p.active) jobs += a.loaded->gateways.empty() ? 0 : 1;
  }
  for (const Plan& plan : chosen) {
    for (const Active& act : plan.active) {
      if (act.loaded->gateways.empty()) continue;
      std::vector<network::RouteStatistics> stats;
      std::vector<std::vector<double>> samples;
      const double n = static_cast<double>(jobs);
      latency_job(sc, in, plan, act,
                  run.part(static_cast<double>(done_jobs) / n, static_cast<double>(done_jobs + 1) / n), stats,
                  samples, res.routes);
      ++done_jobs;
      record_latency_rows(in, plan, act, stats, samples, res);
    }
  }
}

void record_passes(const Scenario& sc, const RunInputs& in, const std::vector<Plan>& plans,
                   const RunContext& run, report::Results& res) {
  const std::vector<TerminalRow>& terminals = in.terminals;
  const std::vector<std::size_t>& pass_terminals = in.pass_terminals;
  if (pass_terminals.empty()) return;
  // Each terminal where it is: a moving one along its track (visibility::find_terminal_passes).
  std::vector<earth::Track> tracks;
  for (std::size_t t : pass_terminals) tracks.push_back(in.tracks[t]);
  for (const Active& act : plans.front().active) {
    const std::string& name = act.loaded->spec.name;
    const auto& only = sc.compute.passes_providers;
    if (!only.empty() && std::find(only.begin(), only.end(), name) == only.end()) continue;
    // Passes are cheap next to the stages before: reported at the end of the run.
    run.report("passes: " + name, 1.0);
    const visibility::Fleet fleet(act.sets);
    visibility::PassOptions po;
    po.min_elevation_rad = act.loaded->spec.min_elevation_deg * kDeg;
    const visibility::PassList found = visibility::find_terminal_passes(
        fleet, tracks, sc.start, sc.stop, po, run.part(1.0, 1.0, "passes: " + name));
    for (const visibility::Pass& p : found.passes) {
      report::PassRecord r;
      r.provider = name;
      r.terminal = terminals[pass_terminals[p.site]].site.id;
      r.norad_id = act.sets[p.satellite].norad_id;
      r.satellite = act.sets[p.satellite].name;
      r.aos = p.aos;
      r.tca = p.tca;
      r.los = p.los;
      r.max_elevation_deg = p.max_elevation_rad * kRadToDeg;
      r.aos_clipped = p.aos_clipped;
      r.los_clipped = p.los_clipped;
      res.passes.push_back(std::move(r));
    }
  }
}

void record_enforcement(const Scenario& sc, const RunInputs& in, const RunContext& run,
                        report::Results& res) {
  if (!sc.enforcement) return;
  const EnforcementStudySpec& e = *sc.enforcement;
  const auto loaded = std::find_if(in.loaded.begin(), in.loaded.end(),
                                   [&](const Loaded& l) { return l.spec.name == e.provider; });
  std::optional<policy::Policy> pol;
  std::string policy_file;
  if (!e.policy.empty()) {
    pol = policy::Policy::load_file(e.policy, in.policy_options);
    policy_file = e.policy;
  } else if (loaded != in.loaded.end() && loaded->policy) {
    pol = loaded->policy;
    policy_file = loaded->spec.policy;
  } else {
    throw InputError(e.defined_at,
                     "provider \"" + e.provider + "\" has no policy to study: give enforcement.policy");
  }
  earth::Region region = [&] {
    try {
      const std::size_t hash = e.region.find('#');
      if (hash != std::string::npos)
        return earth::read_region_file(e.region.substr(0, hash), e.region.substr(hash + 1));
      if (e.region.ends_with(".geojson") || e.region.ends_with(".json"))
        return earth::read_region_file(e.region);
      return in.policy_options.borders->find(e.region);
    } catch (const InputError& err) {
      throw InputError(e.defined_at, "region: " + err.detail());
    }
  }();
  std::vector<earth::Track> tracks;
  std::vector<detection::TerminalInfo> infos;
  if (!e.terminals.empty()) {
    tracks = earth::read_tracks_file(e.terminals);
    infos = detection::terminal_infos(
        tracks, e.customer, "", [&]() -> const earth::CountryBorders& { return *in.policy_options.borders; },
        e.terminals);
    detection::check_groups_exist(infos, e.hostile_groups, e.defined_at, e.terminals);
  }
  std::vector<detection::EnforcementSetting> settings{detection::EnforcementSetting{}};
  for (const policy::CellMode m : e.modes) {
    for (const int level : e.levels) settings.push_back({level, m});
  }
  detection::LeakageOptions lo;
  lo.reference_level = e.reference_level;
  lo.customer = e.customer;
  lo.hostile_groups = e.hostile_groups;
  const time::Duration step = e.step > time::Duration{} ? e.step : sc.step;
  const time::Window window = time::Window::make(sc.start, sc.stop, step);
  const detection::LeakageResult r =
      detection::sweep_enforcement(*pol, region, settings, tracks, infos, window, lo, run);
  report::EnforcementStudy study;
  study.provider = e.provider;
  study.policy = policy_file;
  study.region = r.region;
  study.region_area_km2 = r.region_area_km2;
  study.study_area_km2 = r.study_area_km2;
  study.window_h = r.window_hours;
  study.samples = r.samples;
  study.reference_level = e.reference_level;
  for (const detection::SettingLeakage& s : r.settings) {
    study.settings.push_back(
        {s.setting.label(), s.setting.mode == policy::CellMode::exact ? -1 : s.setting.level,
         std::string(policy::to_string(s.setting.mode)), s.leakage_km2_h, s.leakage_share, s.collateral_km2_h,
         s.collateral_share, s.leakage_terminal_hours, s.collateral_terminal_hours});
    for (const detection::GroupLeakage& g : s.groups) {
      study.groups.push_back({s.setting.label(), g.group, g.hostile, g.terminals, g.terminal_hours,
                              g.served_hours, g.denied_hours, g.speed_denied_hours});
    }
  }
  res.enforcement = std::move(study);
  if (!e.policy.empty()) res.run.inputs.push_back({"policy", e.policy});
  if (!e.terminals.empty()) res.run.inputs.push_back({"terminals", e.terminals});
}

}  // namespace internal

report::Results run_scenario(const Scenario& sc, const RunOptions& o, const RunContext& run) {
  if (run.data_dir.empty()) throw std::invalid_argument("run_scenario: RunContext::data_dir is required");
  run.report("loading", 0.0);
  const internal::RunInputs in = internal::load_inputs(sc, o, run);
  const std::vector<internal::Plan> plans = internal::plan_variants(sc, in);
  report::Results res;
  internal::record_inputs(sc, in, plans, o, res);
  // Coverage takes most of the time; demand met and latency, when asked for, the rest.
  const double coverage_share =
      sc.capacity() ? (sc.compute.latency ? 0.4 : 0.6) : (sc.compute.latency ? 0.6 : 0.95);
  const double capacity_end = sc.capacity() ? (sc.compute.latency ? 0.75 : 0.95) : coverage_share;
  const std::vector<internal::Masks> masks =
      internal::cover_variants(sc, in, plans, o, run.part(0.0, coverage_share), res);
  internal::record_reliance(sc, in, plans, masks, res);
  if (sc.capacity()) internal::record_capacity(sc, in, plans, run.part(coverage_share, capacity_end), res);
  internal::record_latency(sc, in, plans, run.part(capacity_end, 1.0), res);
  internal::record_passes(sc, in, plans, run, res);
  internal::record_enforcement(sc, in, run.part(1.0, 1.0, "enforcement"), res);
  run.report("done", 1.0);
  report::validate(res);
  return res;
}

std::size_t plan_count(const Scenario& sc) {
  return 1 + sc.variants.size();
}

report::Results run_record(const Scenario& sc, const RunOptions& o, const RunContext& run) {
  if (run.data_dir.empty()) throw std::invalid_argument("run_record: RunContext::data_dir is required");
  const internal::RunInputs in = internal::load_inputs(sc, o, run);
  const std::vector<internal::Plan> plans = internal::plan_variants(sc, in);
  report::Results res;
  internal::record_inputs(sc, in, plans, o, res);
  report::validate(res);
  return res;
}

PlansPart run_plans(const Scenario& sc, std::size_t first, std::size_t count, const RunOptions& o,
                    const RunContext& run) {
  if (run.data_dir.empty()) throw std::invalid_argument("run_plans: RunContext::data_dir is required");
  if (first >= plan_count(sc)) throw std::invalid_argument("run_plans: no plan " + std::to_string(first));
  // The loader's warnings are the record's; this part warns of its plans' SGP4 failures only.
  RunOptions quiet = o;
  quiet.warn = nullptr;
  const internal::RunInputs in = internal::load_inputs(sc, quiet, run);
  const std::vector<internal::Plan> plans = internal::plan_variants(sc, in);
  const internal::PlanRange range{first, count};
  PlansPart part;
  report::Results& res = part.results;
  res.run.region_name = in.region->name();  // the demand met rows name the region
  // The record's load issues, for cover_variants to add the SGP4 failures of the plans that own them
  // to; merge_parts adds them up (every other part holds 0 there).
  internal::record_load_issues(sc, in, plans, res);
  // The shares of run_scenario's progress, for this part's stages.
  const double coverage_share =
      sc.capacity() ? (sc.compute.latency ? 0.4 : 0.6) : (sc.compute.latency ? 0.6 : 0.95);
  const double capacity_end = sc.capacity() ? (sc.compute.latency ? 0.75 : 0.95) : coverage_share;
  for (internal::Masks& m :
       internal::cover_variants(sc, in, plans, o, run.part(0.0, coverage_share), res, range))
    part.masks.push_back(std::move(m.bits));
  if (sc.capacity())
    internal::record_capacity(sc, in, plans, run.part(coverage_share, capacity_end), res, range);
  internal::record_latency(sc, in, plans, run.part(capacity_end, 1.0), res, range);
  run.report("done", 1.0);
  return part;
}

report::Results run_reliance(const report::Results& record, std::size_t first, const ServedMasks& baseline,
                             const std::vector<ServedMasks>& masks) {
  if (first + masks.size() > record.variants.size())
    throw std::invalid_argument("run_reliance: plans beyond the record's variants");
  std::vector<double> areas;
  for (const report::CellInfo& c : record.cells) areas.push_back(c.area_km2);
  std::vector<std::string> terminal_group, groups, union_names;
  for (const report::Terminal& t : record.terminals) terminal_group.push_back(t.group);
  for (const report::TerminalGroup& g : record.groups) groups.push_back(g.id);
  for (const report::ProviderInfo& p : record.providers) union_names.push_back(p.name);
  report::Results res;
  for (std::size_t k = 0; k < masks.size(); ++k) {
    internal::add_reliance(areas, terminal_group, groups, union_names, record.run.region_name,
                           record.variants[first + k].id, record.run.step_count, baseline, masks[k],
                           res.reliance);
  }
  return res;
}

report::Results run_tail(const Scenario& sc, const RunOptions& o, const RunContext& run) {
  if (run.data_dir.empty()) throw std::invalid_argument("run_tail: RunContext::data_dir is required");
  RunOptions quiet = o;
  quiet.warn = nullptr;
  const internal::RunInputs in = internal::load_inputs(sc, quiet, run);
  const std::vector<internal::Plan> plans = internal::plan_variants(sc, in);
  report::Results res;
  internal::record_passes(sc, in, plans, run, res);
  internal::record_enforcement(sc, in, run.part(1.0, 1.0, "enforcement"), res);
  run.report("done", 1.0);
  return res;
}

namespace {

// Moves the rows of `from` to the end of `to`.
template <class Row>
void append_part_rows(std::vector<Row>& to, std::vector<Row>& from) {
  to.insert(to.end(), std::make_move_iterator(from.begin()), std::make_move_iterator(from.end()));
}

}  // namespace

report::Results merge_parts(report::Results record, std::vector<report::Results> parts) {
  for (report::Results& p : parts) {
    if (!p.providers.empty() || !p.variants.empty() || !p.cells.empty() || !p.groups.empty() ||
        !p.terminals.empty())
      throw std::invalid_argument(
          "merge_parts: a part holds rows of the record (providers, variants, cells...)");
    if (!p.load_issues.empty()) {
      if (p.load_issues.size() != record.load_issues.size())
        throw std::invalid_argument("merge_parts: a part's load issues are not the record's rows");
      for (std::size_t k = 0; k < p.load_issues.size(); ++k) {
        if (p.load_issues[k].provider != record.load_issues[k].provider)
          throw std::invalid_argument("merge_parts: load issues of provider \"" + p.load_issues[k].provider +
                                      "\" where the record has \"" + record.load_issues[k].provider + "\"");
        record.load_issues[k].sgp4_failed_states += p.load_issues[k].sgp4_failed_states;
      }
    }
    append_part_rows(record.run.inputs, p.run.inputs);
    // The tables the parts fill, each in run_scenario's order when the parts come in plan order.
    append_part_rows(record.cell_layers, p.cell_layers);
    append_part_rows(record.terminal_service, p.terminal_service);
    append_part_rows(record.latency, p.latency);
    append_part_rows(record.timeseries, p.timeseries);
    append_part_rows(record.reliance, p.reliance);
    append_part_rows(record.passes, p.passes);
    append_part_rows(record.capacity, p.capacity);
    append_part_rows(record.terminal_capacity, p.terminal_capacity);
    append_part_rows(record.capacity_cells, p.capacity_cells);
    append_part_rows(record.provider_usage, p.provider_usage);
    append_part_rows(record.capacity_up, p.capacity_up);
    append_part_rows(record.terminal_capacity_up, p.terminal_capacity_up);
    append_part_rows(record.terminal_states, p.terminal_states);
    append_part_rows(record.routes, p.routes);
    if (p.enforcement) record.enforcement = std::move(p.enforcement);
  }
  report::validate(record);
  return record;
}

}  // namespace skyfence::scenario
