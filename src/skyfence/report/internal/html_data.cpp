// Section 7 of report.html: data and run.
#include "skyfence/report/internal/html_page.h"

#include "skyfence/time/scales.h"

namespace skyfence::report::internal::html {

namespace {

// Each provider's source, satellites, policy and the age of its element sets (epoch_age_days).
void providers_table(Page& page, const Results& r) {
  std::string& o = page.out;
  table_open(
      page,
      "Providers and the age of their element sets: the oldest and newest element-set epoch (UTC) and the "
      "age of "
      "the oldest at the start of the run (days; SGP4 errors grow by roughly 1&#8211;3 km per day of age). "
      "Badges: under 3 days fresh, 3&#8211;14 days ageing, older stale. Status: deployed (a real catalog) or "
      "planned (a preset constellation, as filed).");
  o += "<thead><tr><th>Provider</th><th>Status</th><th>Source</th><th class=\"n\">satellites</th><th "
       "class=\"n\">min "
       "elevation "
       "(deg)</th><th>Policy</th><th>Oldest epoch</th><th>Newest epoch</th><th class=\"n\">age at start "
       "(days)</th></tr></thead><tbody>";
  for (const auto& p : r.providers) {
    const double age = epoch_age_days(r.run, p);
    const EpochFreshness freshness = epoch_freshness(age);
    const std::string cls = freshness == EpochFreshness::fresh    ? "ok"
                            : freshness == EpochFreshness::ageing ? "warn"
                                                                  : "bad";
    const std::string word(to_string(freshness));
    o += "<tr><td><span class=\"swatch\" style=\"background:" + provider_colour(r, p.name) + "\"></span>" +
         escape_html(p.name) + "</td><td>" +
         (p.status == "planned" ? std::string("planned (generated at the run's start)")
                                : "deployed (catalog of " + utc(p.epoch_max).substr(0, 10) + ")") +
         "</td><td><code>" + escape_html(p.source) + "</code></td>" +
         fmt::format("<td class=\"n\">{}</td><td class=\"n\">{}</td>", p.satellite_count,
                     num(p.min_elevation_deg, 1)) +
         "<td>" +
         (p.policy.empty() ? std::string("<span class=\"muted\">none</span>") : escape_html(p.policy)) +
         "</td><td>" + utc(p.epoch_min) + "</td><td>" + utc(p.epoch_max) + "</td><td class=\"n\">" +
         num(age, 2) + " <span class=\"badge " + cls + "\">" + word + "</span></td></tr>";
  }
  o += "</tbody>";
  table_close(page);
}

// The scenario, window, seed, software and inputs.
void run_table(Page& page, const Results& r) {
  std::string& o = page.out;
  table_open(page, "The run: scenario, time window (UTC), random seed, software and inputs.");
  o += "<tbody>";
  const auto row = [&](const std::string& k, const std::string& v) {
    o += "<tr><th>" + k + "</th><td>" + v + "</td></tr>";
  };
  row("Scenario",
      escape_html(r.run.scenario_name) + (r.run.scenario_path.empty()
                                              ? std::string(" <span class=\"muted\">(bundled)</span>")
                                              : " <code>" + escape_html(r.run.scenario_path) + "</code>"));
  row("Region", escape_html(r.run.region_name) +
                    (r.run.region_area_km2 > 0.0 ? fmt::format(" ({:.0f} km&#178;)", r.run.region_area_km2)
                                                 : std::string()));
  row("Window", utc(r.run.start) + " to " + utc(r.run.stop) + ", step " +
                    escape_html(time::format_duration(r.run.step)) +
                    fmt::format(" ({} steps)", r.run.step_count));
  row("Seed", fmt::format("{}", r.run.seed));
  row("Software", escape_html(r.run.software_version));
  row("Created", utc(r.run.created));
  for (const auto& in : r.run.inputs)
    row("Input: " + escape_html(in.role), "<code>" + escape_html(in.path) + "</code>");
  o += "</tbody>";
  table_close(page);
}

// Folded: each terminal's service by each provider and "any" in the baseline, with the policy's decision.
void terminals_table(Page& page, const Results& r) {
  std::string& o = page.out;
  o += fmt::format("<details><summary>Service of each terminal in the baseline ({} terminals)</summary>",
                   r.terminals.size());
  table_open(
      page,
      "Each terminal's share of time steps served under policy by each provider in the baseline (percent), "
      "with the provider's policy decision and its reason.");
  o += "<thead><tr><th>Terminal</th><th>Group</th><th>Class</th>";
  for (const auto& p : r.providers) o += "<th class=\"n\">" + escape_html(p.name) + "</th><th>decision</th>";
  o += "<th class=\"n\">any provider</th></tr></thead><tbody>";
  const std::string& bv = r.variants.front().id;
  for (const auto& t : r.terminals) {
    o += "<tr><td>" + escape_html(t.name.empty() ? t.id : t.name) + "</td><td>" + escape_html(t.group) +
         "</td><td>" + escape_html(t.customer_class) + "</td>";
    const auto find = [&](std::string_view p) { return r.service(bv, p, t.id); };
    for (const auto& p : r.providers) {
      const TerminalService* s = find(p.name);
      o += "<td class=\"n\">" + (s ? pct(s->served_fraction) : std::string("&#8211;")) + "</td><td>" +
           (s ? escape_html(to_string(s->decision)) +
                    (s->reason.empty() ? std::string() : ": " + escape_html(s->reason))
              : std::string()) +
           "</td>";
    }
    const TerminalService* a = find(kAnyProvider);
    o += "<td class=\"n\">" + (a ? pct(a->served_fraction) : std::string("&#8211;")) + "</td></tr>";
  }
  o += "</tbody>";
  table_close(page);
  o += "</details>";
}

}  // namespace

void data_section(Page& page, const Results& r) {
  page.out += "<section id=\"data\"><h2>Data and run</h2>";
  providers_table(page, r);
  run_table(page, r);
  if (!r.terminals.empty()) terminals_table(page, r);
  page.out += "</section>";
}

}  // namespace skyfence::report::internal::html
