// A small synthetic run for the report tests: two providers over a country's cells and a few
// terminal groups, simulated step by step with a deterministic hash, so that every table is filled
// and its numbers agree with each other (the cell and terminal statistics, the reliance rows and the
// latency summaries all come from the same per-step indicators).
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <numbers>
#include <string>
#include <vector>

#include "../../test_support.h"
#include "skyfence/earth/grid.h"
#include "skyfence/earth/region.h"
#include "skyfence/report/model.h"
#include "skyfence/report/reliance.h"
#include "skyfence/time/scales.h"

namespace skyfence::report::testing {

inline std::uint64_t mix(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

// Uniform in [0, 1) from three integers.
inline double unit_hash(std::uint64_t a, std::uint64_t b, std::uint64_t c) {
  return static_cast<double>(mix(mix(mix(a) ^ b) ^ c) >> 11) / 9007199254740992.0;
}

struct Place {
  double lat_deg = 0.0, lon_deg = 0.0;
  std::uint64_t key = 0;
  std::string customer_class;  // empty for cells
};

// Satellites of provider p (0 or 1) in view at a place and step.
inline int visible(int p, const Place& at, int step) {
  constexpr double tau = 2.0 * std::numbers::pi;
  const double h = unit_hash(at.key, static_cast<std::uint64_t>(step), static_cast<std::uint64_t>(p));
  double v = 0.0;
  if (p == 0) {
    v = 3.0 + 2.0 * std::sin(tau * (step / 16.0 + at.lon_deg / 40.0)) + 2.0 * h - (at.lat_deg - 44.0) / 3.0;
  } else {
    v = 1.4 + 1.6 * std::sin(tau * (step / 24.0 + at.lat_deg / 30.0)) + 1.5 * h - (50.0 - at.lat_deg) / 6.0;
  }
  return std::max(0, static_cast<int>(std::floor(v)));
}

// Variants: 0 baseline, 1 provider "Alpha" forbids the east (lon > 33.5 deg), 2 "Alpha" withdraws.
inline bool present(int p, int variant) {
  return !(p == 0 && variant == 2);
}
inline bool allowed(int p, const Place& at, int variant) {
  if (p == 0 && variant == 1 && at.lon_deg > 33.5) return false;
  if (p == 1 && at.customer_class == "government") return false;
  return present(p, variant);
}

struct Sim {
  CellStat stats[3];  // Alpha, Beta, any
  std::uint64_t mask[96] = {};
  double served_fraction[3] = {};
  double coverage_fraction[3] = {};
};

inline constexpr int kSteps = 96;

inline Sim simulate(const Place& at, int variant, double step_s) {
  Sim s;
  for (int q = 0; q < 3; ++q) {
    int served = 0, covered = 0, gap = 0, gaps = 0, max_gap = 0;
    long sum = 0;
    int lo = 1 << 30, hi = 0;
    for (int k = 0; k < kSteps; ++k) {
      int n = 0;
      bool srv = false;
      for (int p = 0; p < 2; ++p) {
        if (q != 2 && q != p) continue;
        if (!present(p, variant)) continue;
        const int v = visible(p, at, k);
        n += v;
        if (v > 0 && allowed(p, at, variant)) {
          srv = true;
          if (q == 2) s.mask[k] |= 1u << p;
        }
      }
      sum += n;
      lo = std::min(lo, n);
      hi = std::max(hi, n);
      served += srv ? 1 : 0;
      if (n > 0) {
        ++covered;
        gap = 0;
      } else {
        if (gap == 0) ++gaps;
        max_gap = std::max(max_gap, ++gap);
      }
    }
    CellStat& c = s.stats[q];
    c.coverage_fraction = covered / double(kSteps);
    c.served_fraction = served / double(kSteps);
    c.mean_visible = static_cast<double>(sum) / kSteps;
    c.min_visible = static_cast<std::uint32_t>(lo);
    c.max_visible = static_cast<std::uint32_t>(hi);
    c.max_gap_s = max_gap * step_s;
    c.gap_count = static_cast<std::uint32_t>(gaps);
  }
  return s;
}

// A run over `country` (bundled borders in data_dir) at grid `level`, with terminals placed inside the
// region's bounding box.
inline Results synthetic_results(const std::string& data_dir, const std::string& country = "Ukraine",
                                 int level = 8) {
  const auto borders = earth::CountryBorders::read_bundled(data_dir);
  const earth::Region region = borders.find(country);
  const earth::Grid grid = earth::region_grid(region, level);

  Results r;
  const double step_s = 900.0;
  r.run.scenario_name = "synthetic <test> & \"quotes\"";
  r.run.scenario_path = "tests/data/report/synthetic.toml";
  r.run.inputs = {{"scenario", "tests/data/report/synthetic.toml"}, {"catalog", "data/tle/alpha.tle"}};
  r.run.seed = 42;
  r.run.start = time::parse_iso8601("2026-11-20T00:00:00Z");
  r.run.step = time::Duration::seconds(step_s);
  r.run.stop = r.run.start + r.run.step * (kSteps - 1);
  r.run.step_count = kSteps;
  r.run.region_name = region.name();
  r.run.region_area_km2 = region.area_km2();
  r.run.software_version = "skyfence 0.1.0";
  r.run.created = time::parse_iso8601("2026-11-27T12:00:00Z");
  r.providers = {{"Alpha", "data/tle/alpha.tle", 1584, time::parse_iso8601("2026-11-18T03:00:00Z"),
                  time::parse_iso8601("2026-11-19T21:30:00Z"), 25.0, "policies/alpha.toml", "deployed", "",
                  "plus-grid", "nearest", 0, "", 0.0, 25.0, 0.0, ""},
                 {"Beta", "preset:beta-shell", 648, time::parse_iso8601("2026-11-02T00:00:00Z"),
                  time::parse_iso8601("2026-11-10T00:00:00Z"), 30.0, "policies/beta.toml", "planned", "",
                  "none", "", 0, "", 0.0, 30.0, 0.0, ""}};
  r.variants = {{"baseline", "The scenario as written.", VariantKind::baseline, ""},
                {"alpha-forbids-east",
                 "Alpha forbids service east of 33.5\xc2\xb0"
                 "E.",
                 VariantKind::policy_rule, "Alpha"},
                {"alpha-withdraws", "Alpha withdraws from the region.", VariantKind::withdraw, "Alpha"}};
  r.groups = {{"gov", "Government", "government"},
              {"homes", "Households", "consumer"},
              {"ships", "Ships", "maritime"}};

  std::vector<Place> cell_places;
  for (std::size_t i = 0; i < grid.cells.size(); ++i) {
    r.cells.push_back(cell_info(grid.cells[i]));
    cell_places.push_back({r.cells.back().lat_deg, r.cells.back().lon_deg, grid.cells[i].id, ""});
  }
  // Terminals near cell centres chosen by the hash, so that they lie in the region.
  std::vector<Place> term_places;
  const char* groups[] = {"gov", "homes", "ships"};
  const char* classes[] = {"government", "consumer", "maritime"};
  const int counts[] = {4, 6, 3};
  for (int g = 0, id = 0; g < 3; ++g) {
    for (int k = 0; k < counts[g]; ++k, ++id) {
      Terminal t;
      t.id = std::string(groups[g]) + "-" + std::to_string(k + 1);
      t.name = std::string(r.groups[static_cast<std::size_t>(g)].name) + " " + std::to_string(k + 1);
      const auto& c = r.cells[static_cast<std::size_t>(unit_hash(7, static_cast<std::uint64_t>(id), 0) *
                                                       static_cast<double>(r.cells.size()))];
      t.lat_deg = c.lat_deg + 0.2 * (unit_hash(7, static_cast<std::uint64_t>(id), 1) - 0.5);
      t.lon_deg = c.lon_deg + 0.2 * (unit_hash(7, static_cast<std::uint64_t>(id), 2) - 0.5);
      t.group = groups[g];
      t.customer_class = classes[g];
      term_places.push_back({t.lat_deg, t.lon_deg, 1000u + static_cast<std::uint64_t>(id), t.customer_class});
      // The last ship moves: three samples from where it starts, over the run's first hours.
      if (g == 2 && k == counts[g] - 1) {
        for (int s = 0; s < 3; ++s) {
          t.track.push_back(
              {r.run.start + time::Duration::seconds(3600.0 * s), t.lat_deg + 0.3 * s, t.lon_deg + 0.5 * s});
        }
      }
      r.terminals.push_back(std::move(t));
    }
  }

  const std::vector<std::string> provider_names = {"Alpha", "Beta"};
  const auto pname = [&](int q) {
    return q == 2 ? std::string(kAnyProvider) : provider_names[static_cast<std::size_t>(q)];
  };
  std::vector<std::vector<Sim>> cell_sims(3), term_sims(3);
  for (int v = 0; v < 3; ++v) {
    for (const auto& p : cell_places)
      cell_sims[static_cast<std::size_t>(v)].push_back(simulate(p, v, step_s));
    for (const auto& p : term_places)
      term_sims[static_cast<std::size_t>(v)].push_back(simulate(p, v, step_s));
  }
  for (int v = 0; v < 3; ++v) {
    const auto& vid = r.variants[static_cast<std::size_t>(v)].id;
    for (int q = 0; q < 3; ++q) {
      if (q == 0 && v == 2) continue;  // Alpha is absent when it withdraws
      CellLayer l{vid, pname(q), {}};
      for (const auto& s : cell_sims[static_cast<std::size_t>(v)]) l.stats.push_back(s.stats[q]);
      r.cell_layers.push_back(std::move(l));
      for (std::size_t t = 0; t < r.terminals.size(); ++t) {
        const Sim& s = term_sims[static_cast<std::size_t>(v)][t];
        TerminalService ts{vid,
                           pname(q),
                           r.terminals[t].id,
                           s.stats[q].coverage_fraction,
                           s.stats[q].served_fraction,
                           TerminalDecision::permit,
                           ""};
        if (q < 2 && !allowed(q, term_places[t], v)) {
          ts.decision = TerminalDecision::deny;
          ts.reason = q == 1 ? "customer class government is not served" : "region east of 33.5 E forbidden";
        }
        r.terminal_service.push_back(std::move(ts));
      }
    }
    // Reliance for the region and each group.
    RelianceAccumulator region_acc(provider_names);
    for (std::size_t c = 0; c < cell_places.size(); ++c) {
      for (int k = 0; k < kSteps; ++k) {
        region_acc.add(r.cells[c].area_km2, cell_sims[0][c].mask[k],
                       cell_sims[static_cast<std::size_t>(v)][c].mask[k]);
      }
    }
    r.reliance.push_back(region_acc.result(std::string(kScopeRegion), r.run.region_name, vid));
    for (const auto& g : r.groups) {
      RelianceAccumulator acc(provider_names);
      for (std::size_t t = 0; t < r.terminals.size(); ++t) {
        if (r.terminals[t].group != g.id) continue;
        for (int k = 0; k < kSteps; ++k) {
          acc.add(1.0, term_sims[0][t].mask[k], term_sims[static_cast<std::size_t>(v)][t].mask[k]);
        }
      }
      r.reliance.push_back(acc.result(std::string(kScopeGroup), g.id, vid));
    }
    // Latency to the internet from the first terminal of each group, per provider present.
    for (std::size_t t : {std::size_t{0}, std::size_t{4}, std::size_t{10}}) {
      for (int p = 0; p < 2; ++p) {
        if (!present(p, v)) continue;
        LatencySummary l;
        l.variant = vid;
        l.provider = provider_names[static_cast<std::size_t>(p)];
        l.src = r.terminals[t].id;
        l.dst = std::string(kInternet);
        int unreachable = 0;
        for (int k = 0; k < kSteps; ++k) {
          const bool ok = visible(p, term_places[t], k) > 0 && allowed(p, term_places[t], v);
          if (!ok) {
            ++unreachable;
            continue;
          }
          const double h = unit_hash(term_places[t].key, static_cast<std::uint64_t>(k),
                                     99u + static_cast<std::uint64_t>(p));
          l.rtt_samples_ms.push_back(p == 0 ? 27.0 + 14.0 * h * h : 41.0 + 22.0 * h);
          if (h < 0.2) ++l.path_changes;
        }
        l.unreachable_fraction = unreachable / double(kSteps);
        if (!l.rtt_samples_ms.empty()) {
          const RttQuantiles q = rtt_quantiles(l.rtt_samples_ms);
          l.min_rtt_ms = q.min_ms;
          l.median_rtt_ms = q.median_ms;
          l.p95_rtt_ms = q.p95_ms;
          l.max_rtt_ms = q.max_ms;
        }
        r.latency.push_back(std::move(l));
      }
    }
  }
  // Satellites in view over time, baseline: the region's area-weighted mean and two terminals.
  for (int q = 0; q < 3; ++q) {
    TimeSeries mean{"baseline", pname(q), std::string(kRegionMeanSite), {}, {}};
    double area = 0.0;
    for (const auto& c : r.cells) area += c.area_km2;
    for (int k = 0; k < kSteps; ++k) {
      double sum = 0.0;
      for (std::size_t c = 0; c < cell_places.size(); ++c) {
        const int n = (q == 2) ? visible(0, cell_places[c], k) + visible(1, cell_places[c], k)
                               : visible(q, cell_places[c], k);
        sum += r.cells[c].area_km2 * n;
      }
      mean.t_s.push_back(k * step_s);
      mean.satellites_in_view.push_back(sum / area);
    }
    r.timeseries.push_back(std::move(mean));
    for (std::size_t t : {std::size_t{4}, std::size_t{10}}) {
      TimeSeries ts{"baseline", pname(q), r.terminals[t].id, {}, {}};
      for (int k = 0; k < kSteps; ++k) {
        const int n = (q == 2) ? visible(0, term_places[t], k) + visible(1, term_places[t], k)
                               : visible(q, term_places[t], k);
        ts.t_s.push_back(k * step_s);
        ts.satellites_in_view.push_back(n);
      }
      r.timeseries.push_back(std::move(ts));
    }
  }
  // Passes over two terminals: Alpha's overlap one another and its first is already on at the start;
  // Beta's leave gaps. Both run past the window's end, where the last pass is clipped.
  const double window_s = (r.run.stop - r.run.start).to_seconds();
  for (std::size_t t : {std::size_t{4}, std::size_t{10}}) {
    for (int p = 0; p < 2; ++p) {
      double at = p == 0 ? -120.0 : 300.0 + 60.0 * static_cast<double>(t);
      for (std::uint64_t k = 0; at < window_s; ++k) {
        const auto h = [&](std::uint64_t j) {
          return unit_hash(term_places[t].key, k, 200u + 10u * static_cast<std::uint64_t>(p) + j);
        };
        const double duration = (p == 0 ? 240.0 : 480.0) + 300.0 * h(0);
        PassRecord x;
        x.provider = provider_names[static_cast<std::size_t>(p)];
        x.terminal = r.terminals[t].id;
        x.norad_id = static_cast<std::uint32_t>((p == 0 ? 44000 : 56000) + mix(k) % 900);
        x.satellite = (p == 0 ? "ALPHA-" : "BETA-") + std::to_string(x.norad_id);
        const double aos = std::max(at, 0.0), los = std::min(at + duration, window_s);
        x.aos_clipped = at < 0.0;
        x.los_clipped = at + duration > window_s;
        x.aos = r.run.start + time::Duration::seconds(aos);
        x.los = r.run.start + time::Duration::seconds(los);
        x.tca =
            r.run.start + time::Duration::seconds(std::clamp(at + duration * (0.3 + 0.4 * h(1)), aos, los));
        x.max_elevation_deg = (p == 0 ? 25.0 : 30.0) + 60.0 * h(2);
        r.passes.push_back(std::move(x));
        at += p == 0 ? duration * (0.5 + 0.9 * h(3)) : duration + 600.0 + 2400.0 * h(3);
      }
    }
  }
  // A few satellites of each provider (Iridium-like and OneWeb-like mean elements) and one gateway and
  // point of presence of Alpha.
  for (std::uint32_t k = 0; k < 6; ++k) {
    SatelliteElements e;
    e.provider = provider_names[k % 2];
    e.norad_id = 41900 + k;
    e.name = e.provider + "-" + std::to_string(k);
    e.epoch = r.run.start - time::Duration::seconds(3600.0 * k);
    e.mean_motion_rev_per_day = k % 2 == 0 ? 14.342 : 13.154;
    e.eccentricity = 1.5e-4 * (k + 1);
    e.inclination_deg = k % 2 == 0 ? 86.39 : 87.88;
    e.raan_deg = 30.0 * k;
    e.arg_perigee_deg = 90.0 + k;
    e.mean_anomaly_deg = 270.0 - k;
    e.bstar = 1e-5 * (k + 1);
    e.mean_motion_dot = 1e-7;
    r.satellites.push_back(std::move(e));
  }
  r.ground_stations.push_back({"Alpha", "gateway", "gw-lviv", 49.84, 24.03});
  r.ground_stations.push_back({"Alpha", "pop", "pop-warsaw", 52.23, 21.01});
  // The variant's forbid rule east of 33.5 E, and one terminal's states: served, then denied by it.
  r.policy_regions.push_back({"alpha-forbids-east",
                              "Alpha",
                              "east",
                              "No service east of 33.5 E",
                              "inside polygon",
                              "polygon",
                              "inside",
                              {{{{33.5, 44.0}, {41.0, 44.0}, {41.0, 53.0}, {33.5, 53.0}, {33.5, 44.0}}}}});
  r.terminal_states.push_back(
      {"alpha-forbids-east", "Alpha", r.terminals[0].id, 0, TerminalState::served, ""});
  r.terminal_states.push_back(
      {"alpha-forbids-east", "Alpha", r.terminals[0].id, 1, TerminalState::denied, "east"});
  r.routes.push_back({"baseline", "Alpha", r.terminals[0].id, r.run.start, 61.25,
                      "sat:41900 gateway:gw-lviv pop:pop-warsaw"});
  r.routes.push_back({"baseline", "Alpha", r.terminals[0].id, r.run.start + r.run.step, 0.0, ""});
  return r;
}

// The default synthetic run (Ukraine, level 8), computed once per test process.
inline const Results& synthetic() {
  static const Results r = synthetic_results(SKYFENCE_DATA_DIR);
  return r;
}

// An empty scratch folder for the report tests (tests/test_support.h).
inline std::filesystem::path scratch_dir(const std::string& name) {
  return skyfence_test::scratch_dir("skyfence-report-tests", name);
}

}  // namespace skyfence::report::testing
