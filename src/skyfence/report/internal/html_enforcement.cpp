// Section "Enforcement: leakage and collateral" of report.html: the scenario's [enforcement] study, a
// table per setting, the trade-off plot and the terminal groups (docs/enforcement.md). Shown when the
// scenario has the study.
#include <filesystem>

#include "skyfence/report/internal/html_page.h"
#include "skyfence/report/tradeoff.h"

namespace skyfence::report::internal::html {
namespace {

std::string hours(double h) {
  return num(h, 2);
}

std::string tradeoff(const EnforcementStudy& e) {
  std::vector<TradeoffPoint> pts;
  for (const EnforcementSettingResult& s : e.settings) {
    const bool exact = s.level < 0;
    pts.push_back({exact ? "exact" : "L" + std::to_string(s.level),
                   exact ? "exact position" : "mode " + s.mode, s.collateral_share * 100.0,
                   s.leakage_share * 100.0});
  }
  return tradeoff_svg(pts, "Leakage against collateral: " + e.region,
                      "collateral: area outside cut off, % of the region's area",
                      "leakage: area of the region still served (%)");
}

}  // namespace

void enforcement_section(Page& page, const Results& r) {
  if (!r.enforcement) return;
  const EnforcementStudy& e = *r.enforcement;
  std::string& o = page.out;
  o += "<section id=\"enforcement\"><h2>Enforcement: leakage and collateral</h2><p>" +
       fmt::format(
           "The policy {} of {} enforced at the exact position and per service cell of several sizes and "
           "modes, for the region {} ({} km<sup>2</sup>, sampled by {} cells of level {}) that it means "
           "to deny, over {} h. Leakage: the region's area still served, and hostile terminals served. "
           "Collateral: area outside the region that the exact decision permits but the setting cuts "
           "off, and other terminals denied. Served means permitted by the policy (coverage is in the "
           "sections above). Method and sources: docs/enforcement.md.",
           escape_html(std::filesystem::path(e.policy).filename().string()), escape_html(e.provider),
           escape_html(e.region), num(e.region_area_km2, 0), e.samples, e.reference_level,
           num(e.window_h, 1)) +
       "</p>";
  table_open(page,
             "Per setting: leakage and collateral by area (share of the region's area) and by terminal.");
  o += "<thead><tr><th>Setting</th><th>Leakage (area)</th><th>Collateral (area)</th><th>Hostile served "
       "(terminal-h)</th><th>Others denied (terminal-h)</th></tr></thead><tbody>";
  for (const EnforcementSettingResult& s : e.settings) {
    o += "<tr><td>" + escape_html(s.setting) + "</td><td>" + pct(s.leakage_share) + "</td><td>" +
         pct(s.collateral_share) + "</td><td>" + hours(s.leakage_terminal_h) + "</td><td>" +
         hours(s.collateral_terminal_h) + "</td></tr>";
  }
  o += "</tbody>";
  table_close(page);
  o += "<figure>" + tradeoff(e) +
       "<figcaption>One point per setting, a line per mode: the nearer the origin, the less the setting "
       "costs.</figcaption></figure>";
  if (!e.groups.empty()) {
    table_open(page,
               "Per terminal group: hours served and denied under each setting, and of those denied, the "
               "hours the speed cap denied (moving faster than the policy's max_speed_kmh and not exempt): "
               "the cap's effect on hostile drones and on friendly vehicles.");
    o += "<thead><tr><th>Setting</th><th>Group</th><th>Role</th><th>Terminals</th><th>Served "
         "(h)</th><th>Denied (h)</th><th>By the speed cap (h)</th></tr></thead><tbody>";
    for (const EnforcementGroupResult& g : e.groups) {
      o += "<tr><td>" + escape_html(g.setting) + "</td><td>" + escape_html(g.group) + "</td><td>" +
           (g.hostile ? "hostile" : "friendly") + "</td><td>" + std::to_string(g.terminals) + "</td><td>" +
           hours(g.served_h) + "</td><td>" + hours(g.denied_h) + "</td><td>" + hours(g.speed_denied_h) +
           "</td></tr>";
    }
    o += "</tbody>";
    table_close(page);
  }
  o += "</section>";
}

}  // namespace skyfence::report::internal::html
