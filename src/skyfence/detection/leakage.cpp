// Leakage and collateral of enforcement settings; see leakage.h.
#include "skyfence/detection/leakage.h"

#include <algorithm>
#include <cstdint>
#include <map>
#include <set>
#include <stdexcept>

#include <oneapi/tbb/parallel_for.h>
#include <oneapi/tbb/task_arena.h>

#include "skyfence/earth/grid.h"
#include "skyfence/time/scales.h"

namespace skyfence::detection {

namespace {

// The most reference cells a sweep samples (about 100 MB of per-step decisions at most).
constexpr std::size_t kMaxSamples = 4'000'000;

struct Samples {
  std::vector<frames::Geodetic> points;
  std::vector<double> area_km2;
  std::vector<std::uint8_t> inside;  // in R
};

// The centres of the reference cells under the covering of R at `coarsest`.
Samples study_samples(const earth::Region& region, int coarsest, int reference_level) {
  std::vector<std::uint64_t> cells = earth::region_covering(region, coarsest);
  // Down to the reference level, level by level (covering cells may be coarser than `coarsest`).
  bool deeper = true;
  while (deeper) {
    deeper = false;
    std::vector<std::uint64_t> next;
    for (const std::uint64_t c : cells) {
      if (earth::cell_cap(c).level >= reference_level) {
        next.push_back(c);
        continue;
      }
      deeper = true;
      for (const std::uint64_t child : earth::cell_children(c)) next.push_back(child);
      if (next.size() > kMaxSamples) {
        throw std::invalid_argument(
            "sweep_enforcement: more than 4,000,000 reference cells; use a coarser "
            "reference level or sweep finer service cells");
      }
    }
    cells.swap(next);
  }
  Samples s;
  for (const std::uint64_t c : cells) {
    const earth::Cell cell = earth::make_cell(c);
    s.points.push_back(cell.centre);
    s.area_km2.push_back(cell.area_km2);
    s.inside.push_back(region.contains(cell.centre) ? 1 : 0);
  }
  return s;
}

policy::Enforcement enforcement_of(const EnforcementSetting& s, time::Duration delay) {
  policy::Enforcement e;
  e.level = s.mode == policy::CellMode::exact ? -1 : s.level;
  e.mode = s.mode;
  e.delay = delay;
  return e;
}

// The permission of every sample at each step of the window, evaluated once when it cannot change.
class StepPermissions {
 public:
  StepPermissions(const policy::PointPolicy& pp, std::size_t n) : pp_(pp), values_(n, 1) {}
  const std::vector<std::uint8_t>& at(time::Instant t) {
    if (!done_ || !pp_.time_invariant()) pp_.permitted(t, values_);
    done_ = true;
    return values_;
  }

 private:
  const policy::PointPolicy& pp_;
  std::vector<std::uint8_t> values_;
  bool done_ = false;
};

SettingLeakage sweep_one(const policy::Policy& base, const EnforcementSetting& setting,
                         const Samples& samples, const std::vector<std::uint8_t>& exact_static,
                         const policy::PointPolicy& exact, std::span<const earth::Track> terminals,
                         std::span<const TerminalInfo> infos, const time::Window& window,
                         const LeakageOptions& options, const RunContext& run) {
  const policy::Policy pol = base.with_enforcement(enforcement_of(setting, base.enforcement().delay));
  const policy::PointPolicy pp(pol, samples.points, policy::RequestContext{{}, options.customer, {}, {}});
  const double step_h = window.step().to_seconds() / 3600.0;
  SettingLeakage out;
  out.setting = setting;
  // Area.
  StepPermissions mine(pp, samples.points.size());
  std::vector<std::uint8_t> exact_now = exact_static;
  const bool both_fixed = pp.time_invariant() && exact.time_invariant();
  for (std::size_t k = 0; k < window.size(); ++k) {
    run.check_stop();
    const time::Instant t = window.at(k);
    if (!exact.time_invariant()) exact.permitted(t, exact_now);
    const std::vector<std::uint8_t>& perm = mine.at(t);
    double leak = 0.0, coll = 0.0;
    for (std::size_t i = 0; i < perm.size(); ++i) {
      if (samples.inside[i] != 0) {
        if (perm[i] != 0) leak += samples.area_km2[i];
      } else if (exact_now[i] != 0 && perm[i] == 0) {
        coll += samples.area_km2[i];
      }
    }
    if (both_fixed) {
      out.leakage_km2_h = leak * step_h * static_cast<double>(window.size());
      out.collateral_km2_h = coll * step_h * static_cast<double>(window.size());
      break;
    }
    out.leakage_km2_h += leak * step_h;
    out.collateral_km2_h += coll * step_h;
  }
  // Terminals, step by step (their positions, speeds and roaming change), with the enforcement delay.
  std::map<std::string, std::size_t> group_index;
  std::vector<std::size_t> group_of(terminals.size());
  for (std::size_t i = 0; i < terminals.size(); ++i) {
    const std::string& g = infos[i].group;
    const auto [it, inserted] = group_index.emplace(g, out.groups.size());
    if (inserted) {
      GroupLeakage gl;
      gl.group = g;
      gl.hostile = std::find(options.hostile_groups.begin(), options.hostile_groups.end(), g) !=
                   options.hostile_groups.end();
      out.groups.push_back(gl);
    }
    group_of[i] = it->second;
    out.groups[it->second].terminals += 1;
  }
  if (!terminals.empty()) {
    std::vector<policy::RequestContext> contexts;
    std::vector<policy::RoamingClock::Terminal> roam;
    for (std::size_t i = 0; i < terminals.size(); ++i) {
      contexts.push_back({{}, infos[i].customer, terminals[i].id, infos[i].group});
      roam.push_back(infos[i].roaming);
    }
    // The speed caps: a denial whose matching rules include one is the speed cap's doing.
    std::set<std::string> speed_rules;
    for (const policy::Rule& rule : pol.rules()) {
      if (rule.effect == policy::Effect::forbid && rule.max_speed_kmh) speed_rules.insert(rule.id);
    }
    policy::TrackDecisions decisions(pol, terminals, std::move(contexts), std::move(roam));
    if (window.size() > 0) decisions.start(window.at(0));
    for (std::size_t k = 0; k < window.size(); ++k) {
      run.check_stop();
      for (std::size_t i = 0; i < terminals.size(); ++i) {
        const policy::Decision d = decisions.decide(i, window.at(k)).decision;
        GroupLeakage& g = out.groups[group_of[i]];
        g.terminal_hours += step_h;
        (d.permit ? g.served_hours : g.denied_hours) += step_h;
        if (!d.permit && std::any_of(d.matched.begin(), d.matched.end(),
                                     [&](const std::string& id) { return speed_rules.count(id) != 0; }))
          g.speed_denied_hours += step_h;
      }
    }
  }
  for (const GroupLeakage& g : out.groups) {
    (g.hostile ? out.leakage_terminal_hours : out.collateral_terminal_hours) +=
        g.hostile ? g.served_hours : g.denied_hours;
  }
  return out;
}

}  // namespace

std::vector<TerminalInfo> terminal_infos(std::span<const earth::Track> tracks, const std::string& customer,
                                         const std::string& activation_country,
                                         const std::function<const earth::CountryBorders&()>& borders,
                                         const std::string& source) {
  std::vector<TerminalInfo> out;
  for (const earth::Track& t : tracks) {
    TerminalInfo info;
    const std::string* c = t.attribute("customer");
    info.customer = c != nullptr && !c->empty() ? *c : customer;
    if (const std::string* g = t.attribute("group")) info.group = *g;
    const std::string* a = t.attribute("activation_country");
    const std::string country = a != nullptr && !a->empty() ? *a : activation_country;
    try {
      if (!country.empty()) info.roaming.activation_country = borders().find(country);
    } catch (const InputError& e) {
      throw InputError(SourceLocation{source, 0, "activation_country"},
                       "terminal \"" + t.id + "\": " + e.detail());
    }
    if (const std::string* since = t.attribute("roaming_since"); since != nullptr && !since->empty()) {
      try {
        info.roaming.roaming_since = time::parse_iso8601(*since, "roaming_since");
      } catch (const InputError& e) {
        throw InputError(SourceLocation{source, 0, "roaming_since"},
                         "terminal \"" + t.id + "\": " + e.detail());
      }
    }
    out.push_back(std::move(info));
  }
  return out;
}

void check_groups_exist(std::span<const TerminalInfo> infos, std::span<const std::string> groups,
                        const SourceLocation& where, const std::string& source) {
  for (const std::string& g : groups) {
    if (std::none_of(infos.begin(), infos.end(), [&](const TerminalInfo& i) { return i.group == g; })) {
      throw InputError(where, "no terminal of " + source + " is in group \"" + g + "\"");
    }
  }
}

std::string EnforcementSetting::label() const {
  if (mode == policy::CellMode::exact) return "exact";
  return "L" + std::to_string(level) + " " + std::string(policy::to_string(mode));
}

LeakageResult sweep_enforcement(const policy::Policy& policy, const earth::Region& region,
                                std::span<const EnforcementSetting> settings,
                                std::span<const earth::Track> terminals, std::span<const TerminalInfo> infos,
                                const time::Window& window, const LeakageOptions& options,
                                const RunContext& run) {
  if (settings.empty()) throw std::invalid_argument("sweep_enforcement: no settings");
  if (terminals.size() != infos.size())
    throw std::invalid_argument("sweep_enforcement: one info per terminal");
  if (options.reference_level < 0 || options.reference_level > 16) {
    throw std::invalid_argument("sweep_enforcement: reference_level must be 0-16");
  }
  int coarsest = options.reference_level;
  for (const EnforcementSetting& s : settings) {
    if (s.mode == policy::CellMode::exact) continue;
    if (s.level < 0 || s.level > options.reference_level) {
      throw std::invalid_argument("sweep_enforcement: a setting's level must be 0 to the reference level");
    }
    coarsest = std::min(coarsest, s.level);
  }
  const Samples samples = study_samples(region, coarsest, options.reference_level);
  LeakageResult res;
  res.region = region.name();
  res.samples = samples.points.size();
  res.window_hours = window.step().to_seconds() / 3600.0 * static_cast<double>(window.size());
  for (std::size_t i = 0; i < samples.points.size(); ++i) {
    res.study_area_km2 += samples.area_km2[i];
    if (samples.inside[i] != 0) res.region_area_km2 += samples.area_km2[i];
  }
  // The exact decisions, the reference of collateral.
  const policy::Policy exact_policy =
      policy.with_enforcement(enforcement_of(EnforcementSetting{}, policy.enforcement().delay));
  const policy::PointPolicy exact(exact_policy, samples.points,
                                  policy::RequestContext{{}, options.customer, {}, {}});
  std::vector<std::uint8_t> exact_static(samples.points.size(), 1);
  if (window.size() > 0) exact.permitted(window.at(0), exact_static);
  res.settings.resize(settings.size());
  tbb::task_arena arena(static_cast<int>(run.workers()));
  arena.execute([&] {
    tbb::parallel_for(std::size_t{0}, settings.size(), [&](std::size_t s) {
      res.settings[s] = sweep_one(policy, settings[s], samples, exact_static, exact, terminals, infos, window,
                                  options, run);
    });
  });
  for (SettingLeakage& s : res.settings) {
    const double region_h = res.region_area_km2 * res.window_hours;
    s.leakage_share = region_h > 0.0 ? s.leakage_km2_h / region_h : 0.0;
    s.collateral_share = region_h > 0.0 ? s.collateral_km2_h / region_h : 0.0;
  }
  run.report("leakage", 1.0);
  return res;
}

}  // namespace skyfence::detection
