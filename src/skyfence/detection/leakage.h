// Leakage and collateral of enforcement settings: for a region R the operator means to deny and a
// policy enforced at several service-cell granularities, how much use inside R still gets through
// (leakage) and how much outside R is cut off (collateral), by area and by terminal.
//
// Definitions (docs/enforcement.md):
//  - Area. The study area is every cell of the coarsest level swept that touches R (no setting changes
//    anything farther away), sampled by the centres of its cells at `reference_level`. At each step a
//    sample asks as a customer of `customer` class with no terminal id: leakage is the area inside R
//    that the setting permits; collateral is the area outside R that the policy decided exactly (at the
//    sample's own position) permits and the setting denies (so denials the policy means, e.g. a
//    neighbouring unlicensed country, are not collateral). Both in km^2 x h over the window, and as
//    shares of R's sampled area x window (collateral's may exceed 1: a coarse cell cuts off more than R).
//  - Terminals. Each terminal (fixed or moving, earth::Track) is hostile when its group is one of
//    `hostile_groups`, else friendly. At each step it asks as itself (customer, id, group, speed and
//    roaming days), its decision delayed by the policy's enforcement delay: leakage is hostile
//    terminal-time served, collateral friendly terminal-time denied, in terminal-hours.
//  "Served" means permitted by the policy; whether a satellite is in view is coverage's question
//  (`skyfence coverage`, `skyfence run`), left out here so that the sweep isolates the enforcement.
#pragma once

#include <cstddef>
#include <functional>
#include <span>
#include <string>
#include <vector>

#include "skyfence/core/run_context.h"
#include "skyfence/earth/region.h"
#include "skyfence/earth/trajectory.h"
#include "skyfence/policy/enforcement.h"
#include "skyfence/policy/policy.h"
#include "skyfence/time/window.h"

namespace skyfence::detection {

// One way to enforce: exact (level -1), or per service cell of `level` with `mode`.
struct EnforcementSetting {
  int level = -1;
  policy::CellMode mode = policy::CellMode::exact;
  // "exact", "L9 centre", ...
  [[nodiscard]] std::string label() const;
};

struct TerminalInfo {
  std::string customer;  // the terminal's customer class ("" unknown)
  std::string group;
  // For the roaming rules (policy::RoamingClock). DEFAULT: none.
  policy::RoamingClock::Terminal roaming{};
};

// Who each terminal of a terminals file is: its customer (its `customer` attribute, else `customer`), its
// group, and for roaming its activation country (its `activation_country` attribute, else
// `activation_country`; a code or name of `borders()`, called only when one is needed) and
// `roaming_since`. Throws InputError located at `source` naming the terminal and the column.
std::vector<TerminalInfo> terminal_infos(std::span<const earth::Track> tracks, const std::string& customer,
                                         const std::string& activation_country,
                                         const std::function<const earth::CountryBorders&()>& borders,
                                         const std::string& source);

// Throws InputError at `where` unless each of `groups` is the group of some terminal.
void check_groups_exist(std::span<const TerminalInfo> infos, std::span<const std::string> groups,
                        const SourceLocation& where, const std::string& source);

struct LeakageOptions {
  // Level of the cells whose centres sample the study area. DEFAULT: 12 (about 5 km2). REQUIRES: at
  // least the finest level swept, at most 16.
  int reference_level = 12;
  std::string customer = "civil";           // who asks at the area's samples
  std::vector<std::string> hostile_groups;  // terminal groups counted as hostile
};

// Per terminal group, for one setting.
struct GroupLeakage {
  std::string group;
  bool hostile = false;
  std::size_t terminals = 0;
  double terminal_hours = 0.0;  // terminals x window
  double served_hours = 0.0;
  double denied_hours = 0.0;
  // Of denied_hours, the hours denied while a speed cap (a forbid rule with max_speed_kmh) matched: the
  // speed cap's effect on the group (drones stopped, or friendly vehicles cut off).
  double speed_denied_hours = 0.0;
};

struct SettingLeakage {
  EnforcementSetting setting;
  double leakage_km2_h = 0.0;
  double collateral_km2_h = 0.0;
  double leakage_share = 0.0;              // of R's sampled area x window
  double collateral_share = 0.0;           // of the exactly permitted study area outside R x window
  double leakage_terminal_hours = 0.0;     // hostile terminals served
  double collateral_terminal_hours = 0.0;  // friendly terminals denied
  std::vector<GroupLeakage> groups;        // in order of first appearance among the terminals
};

struct LeakageResult {
  std::string region;            // R's name
  double region_area_km2 = 0.0;  // R's sampled area (the reference cells whose centre is in R)
  double study_area_km2 = 0.0;   // the sampled study area
  double window_hours = 0.0;
  std::size_t samples = 0;               // reference cells
  std::vector<SettingLeakage> settings;  // in the order given
};

// Sweeps `settings` for `policy` (its own enforcement replaced by each setting, its delay kept) over
// `window`. REQUIRES: settings not empty, each valid (cell levels 0-30); terminals.size() ==
// infos.size(); options.reference_level >= every swept level (else std::invalid_argument). Progress
// ("leakage", share of the settings); a stop through `run` throws Cancelled. Deterministic; parallel
// over the settings on run.workers() threads.
LeakageResult sweep_enforcement(const policy::Policy& policy, const earth::Region& region,
                                std::span<const EnforcementSetting> settings,
                                std::span<const earth::Track> terminals, std::span<const TerminalInfo> infos,
                                const time::Window& window, const LeakageOptions& options = {},
                                const RunContext& run = {});

}  // namespace skyfence::detection
