// skyfence policy validate / check / audit verify: service policies (docs/policy.md).
#include "policy.h"

#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include <fmt/core.h>
#include <nlohmann/json.hpp>

#include "common.h"
#include "data_dir.h"
#include "skyfence/core/error.h"
#include "skyfence/core/read_file.h"
#include "skyfence/core/units.h"
#include "skyfence/detection/leakage.h"
#include "skyfence/earth/grid.h"
#include "skyfence/earth/site.h"
#include "skyfence/earth/trajectory.h"
#include "skyfence/policy/audit.h"
#include "skyfence/policy/enforcement.h"
#include "skyfence/policy/policy.h"
#include "skyfence/time/scales.h"
#include "skyfence/time/window.h"

namespace skyfence::cli {
namespace policy_command {

// Loads a policy; a PolicyError (every problem at once) reaches main, which lists them all.
policy::Policy load_policy(const std::string& path) {
  return policy::Policy::load_file(path, policy::LoadOptions{data_dir()});
}

struct ValidateOptions {
  std::string file;
  bool list = false;
  bool quiet = false;
};

int run_validate(const ValidateOptions& o) {
  const policy::Policy p = load_policy(o.file);
  if (o.quiet) return kExitOk;
  std::size_t permits = 0;
  for (const auto& r : p.rules()) permits += r.effect == policy::Effect::permit ? 1 : 0;
  fmt::print("{}: valid; provider {}, {} rule{} ({} permit, {} forbid), sha256 {}\n", o.file, p.provider(),
             p.rules().size(), p.rules().size() == 1 ? "" : "s", permits, p.rules().size() - permits,
             p.sha256());
  if (o.list) {
    for (const auto& r : p.rules()) {
      fmt::print("  line {}: {} {}: {}\n", r.defined_at.line, policy::to_string(r.effect), r.id, r.summary);
    }
  }
  return kExitOk;
}

struct CheckOptions {
  std::string policy_file;
  std::string terminal;
  std::string lat, lon;
  std::string time;
  std::string customer;
  std::string provider;
  std::string group;
  std::string terminals_file;
  std::string audit;
  std::string output;
  bool quiet = false;
  // The terminal's state (one request), or the defaults of a terminals file.
  double speed_kmh = 0.0;
  double roaming_days = 0.0;
  std::string activation_country;
  // A series of instants instead of --time.
  std::string start, stop, duration, step = "60s";
  double max_track_speed_kmh = 1500.0;
};

// The one verdict on a broken audit log, for `audit verify` and `check --audit` alike: bad input (exit 2)
// located at the first bad line.
InputError broken_audit_log(const std::string& path, const policy::AuditCheck& c, const std::string& then) {
  return InputError(SourceLocation{path, *c.problem_line, ""},
                    fmt::format("{} (the chain is broken after {} good record{}){}", c.problem, c.records,
                                c.records == 1 ? "" : "s", then));
}

// Appends records to an audit log, whole or not at all; refuses a log whose chain is broken.
void append_audit(const std::string& path, const std::vector<policy::AuditEntry>& entries) {
  std::string existing;
  if (std::filesystem::exists(path)) existing = read_file(path, "audit log");
  const policy::AuditCheck c = policy::verify_audit_log(existing);
  if (!c.ok) throw broken_audit_log(path, c, "; refusing to append to it (see `skyfence audit verify`)");
  if (!existing.empty() && existing.back() != '\n') existing += '\n';
  policy::AuditHead head{c.records, c.head_hash};
  AtomicFile f(path);
  f.write(existing);
  for (const auto& e : entries) f.write(policy::audit_record(e, head) + "\n");
  f.commit();
}

// The instants of a terminals check: --time, or --start with --stop or --duration, stepped by --step.
std::vector<time::Instant> check_instants(const CheckOptions& o) {
  if (o.start.empty()) return {time::parse_iso8601(o.time, "--time")};
  const time::Instant start = time::parse_iso8601(o.start, "--start");
  const time::Instant stop = o.stop.empty() ? start + time::parse_duration(o.duration, "--duration")
                                            : time::parse_iso8601(o.stop, "--stop");
  const time::Window w =
      time::Window::make(start, stop, time::parse_duration(o.step, "--step"), {}, 1'000'000);
  std::vector<time::Instant> out;
  for (std::size_t k = 0; k < w.size(); ++k) out.push_back(w.at(k));
  return out;
}

// Where each terminal was activated (its activation_country column, else --activation-country) and, if
// known, when it left (roaming_since), for the policy's roaming rules.
std::vector<policy::RoamingClock::Terminal> roaming_terminals(const CheckOptions& o,
                                                              const std::vector<earth::Track>& tracks) {
  std::optional<earth::CountryBorders> borders;
  const std::vector<detection::TerminalInfo> infos = detection::terminal_infos(
      tracks, o.customer, o.activation_country,
      [&]() -> const earth::CountryBorders& {
        if (!borders) borders = earth::CountryBorders::read_bundled(data_dir());
        return *borders;
      },
      o.terminals_file);
  std::vector<policy::RoamingClock::Terminal> terms;
  for (const detection::TerminalInfo& i : infos) terms.push_back(i.roaming);
  return terms;
}

// Decisions for every terminal of a file (fixed sites or trajectories) at --time or at each instant of a
// window, with each terminal's speed and roaming days, and the policy's enforcement delay over a window.
int check_terminals(const CheckOptions& o, const policy::Policy& p, const std::string& provider) {
  earth::TrackReadOptions topts;
  topts.max_speed_kmh = o.max_track_speed_kmh;
  const std::vector<earth::Track> tracks = earth::read_tracks_file(o.terminals_file, topts);
  const std::vector<time::Instant> instants = check_instants(o);
  std::vector<policy::AuditEntry> entries;
  std::string csv =
      "terminal_id,provider,decision,matched_rules,reason,time_utc,lat_deg,lon_deg,speed_kmh,roaming_days\n";
  std::vector<std::string> rows(tracks.size());
  std::size_t permitted = 0;
  std::vector<policy::RequestContext> contexts;
  for (const earth::Track& tr : tracks) {
    const std::string* customer = tr.attribute("customer");
    const std::string* group = tr.attribute("group");
    contexts.push_back({provider, customer && !customer->empty() ? *customer : o.customer, tr.id,
                        group && !group->empty() ? *group : o.group});
  }
  policy::TrackDecisions decisions(p, tracks, std::move(contexts), roaming_terminals(o, tracks));
  // Over a series, the decision in force before it is the one at its start minus the delay; with one
  // instant there is no history: decisions are taken as having held (the delay cannot apply).
  if (instants.size() > 1) decisions.start(instants.front());
  for (const time::Instant t : instants) {
    for (std::size_t i = 0; i < tracks.size(); ++i) {
      check_interrupted();
      auto [r, d] = decisions.decide(i, t);
      std::string matched;
      for (const auto& m : d.matched) matched += (matched.empty() ? "" : ";") + m;
      rows[i] += fmt::format("{},{},{},{},{},{},{:.6f},{:.6f},{:.3f},{:.3f}\n", csv_field(tracks[i].id),
                             csv_field(provider), d.permit ? "permit" : "deny", csv_field(matched),
                             csv_field(d.reason), time::format_iso8601(t, 3), r.location.lat_rad * kDegPerRad,
                             r.location.lon_rad * kDegPerRad, r.speed_kmh, r.roaming_days);
      permitted += d.permit ? 1 : 0;
      entries.push_back({std::move(r), std::move(d), p.sha256()});
    }
  }
  for (const std::string& r : rows) csv += r;
  OutputSink out(o.output);
  out.write(csv);
  if (!o.audit.empty()) append_audit(o.audit, entries);
  out.commit();
  if (!o.quiet) {
    const std::string logged = o.audit.empty() ? "" : ", logged to " + o.audit;
    if (instants.size() == 1) {
      fmt::print(stderr, "skyfence: {} of {} terminals permitted at {}{}\n", permitted, entries.size(),
                 time::format_iso8601(instants.front(), 0), logged);
    } else {
      fmt::print(stderr, "skyfence: {} of {} terminal decisions permitted over {} instants from {}{}\n",
                 permitted, entries.size(), instants.size(), time::format_iso8601(instants.front(), 0),
                 logged);
    }
  }
  return kExitOk;
}

int run_check(const CheckOptions& o) {
  install_interrupt_handler();
  const bool single = !o.lat.empty() || !o.lon.empty() || !o.terminal.empty();
  if (single == !o.terminals_file.empty()) {
    throw InputError(SourceLocation{"check", 0, ""},
                     "give either --terminal ID --lat DEG --lon DEG, or --terminals FILE");
  }
  if (single && (o.lat.empty() || o.lon.empty() || o.terminal.empty())) {
    throw InputError(SourceLocation{"check", 0, ""}, "a single check needs --terminal, --lat and --lon");
  }
  if (o.time.empty() == o.start.empty()) {
    throw InputError(SourceLocation{"check", 0, ""},
                     "give either --time, or --start with --stop or --duration");
  }
  if (!o.start.empty() && single) {
    throw InputError(
        SourceLocation{"--start", 0, ""},
        "a series of instants is for a terminals file (--terminals); give --time for one terminal");
  }
  if (!o.start.empty() && o.stop.empty() == o.duration.empty()) {
    throw InputError(SourceLocation{"--start", 0, ""}, "give --stop or --duration with --start");
  }
  const policy::Policy p = load_policy(o.policy_file);
  const std::string provider = o.provider.empty() ? p.provider() : o.provider;

  std::vector<policy::AuditEntry> entries;
  if (single) {
    // One number each: "--lat=50,30" must not be read as a latitude, a longitude and an altitude.
    for (const auto& [text, option] : {std::pair{&o.lat, "--lat"}, std::pair{&o.lon, "--lon"}}) {
      if (text->find(',') != std::string::npos) {
        throw InputError(
            SourceLocation{option, 0, {}},
            fmt::format("expected one number in degrees, found \"{}\" (give --lat and --lon apart)", *text));
      }
    }
    const time::Instant when = time::parse_iso8601(o.time, "--time");
    const earth::Site site = earth::parse_site_spec(o.lat + "," + o.lon, "--lat/--lon");
    policy::Request r{{provider, o.customer, o.terminal, o.group}, site.location, when};
    r.speed_kmh = o.speed_kmh;
    r.roaming_days = o.roaming_days;
    entries.push_back({r, p.decide(r), p.sha256()});
    const auto& d = entries.back().decision;
    nlohmann::json j;
    j["decision"] = d.permit ? "permit" : "deny";
    j["matched"] = d.matched;
    j["reason"] = d.reason;
    j["terminal_id"] = o.terminal;
    j["provider"] = provider;
    j["time_utc"] = time::format_iso8601(when, 3);
    if (o.speed_kmh != 0.0) j["speed_kmh"] = o.speed_kmh;
    if (o.roaming_days != 0.0) j["roaming_days"] = o.roaming_days;
    OutputSink out(o.output);
    out.write(j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n");
    if (!o.audit.empty()) append_audit(o.audit, entries);
    out.commit();
    return kExitOk;
  }
  return check_terminals(o, p, provider);
}

int run_audit_verify(const std::string& path, bool quiet) {
  const std::string text = read_file(path, "audit log");
  const policy::AuditCheck c = policy::verify_audit_log(text);
  if (!c.ok) throw broken_audit_log(path, c, "");
  if (!quiet) {
    fmt::print("{}: {} record{}, chain intact, head {}\n", path, c.records, c.records == 1 ? "" : "s",
               c.head_hash);
  }
  return kExitOk;
}

}  // namespace policy_command

void add_policy_commands(CLI::App& app, std::function<int()>& run_fn) {
  using namespace policy_command;
  CLI::App* pol = app.add_subcommand("policy", "Service policies: check a policy file");
  pol->require_subcommand(1);
  auto v = std::make_shared<ValidateOptions>();
  CLI::App* val = pol->add_subcommand("validate", "Check a policy file and list every problem at once");
  val->footer(R"(Examples:
  skyfence policy validate data/policies/starlink.toml
  skyfence policy validate --rules my-policy.toml

Every problem is reported at once, each with file:line and field: unknown fields, unknown region codes,
bad time windows, duplicate rule ids, invalid polygons (crossing, unclosed, fewer than 3 vertices).
Country codes are ISO 3166-1 (alpha-3, alpha-2 or numeric) or Natural Earth names; regions from GeoJSON
are "FILE.geojson#NAME", relative to the policy file. The file format is in docs/policy.md.
Exit status: 0 valid, 2 any problem (the policy is then never used).)");
  val->add_flag("-q,--quiet", v->quiet, "print nothing when the policy is valid (the exit status tells)");
  val->add_option("FILE", v->file, "the policy file (TOML)")->required();
  val->add_flag("--rules", v->list, "list the rules with their conditions");
  val->callback([v, &run_fn] { run_fn = [v] { return run_validate(*v); }; });

  auto c = std::make_shared<CheckOptions>();
  CLI::App* chk =
      app.add_subcommand("check", "Decide whether a policy permits service to terminals, with reasons");
  chk->footer(R"(Examples:
  skyfence check --policy data/policies/starlink.toml --terminal T1 --lat 50.45 --lon 30.52 \
      --time 2026-04-27T12:00:00Z --customer civil
  skyfence check --policy data/policies/starlink.toml --terminal D1 --lat 48.0 --lon 37.8 \
      --time 2026-04-27T12:00:00Z --speed-kmh 120
  skyfence check --policy data/policies/starlink.toml --terminals terminals.csv --time 2026-04-27T12:00:00Z \
      --audit decisions.jsonl -o decisions.csv
  skyfence check --policy data/policies/starlink-enforcement.toml --terminals data/terminals/moving.csv \
      --start 2026-04-27T10:00:00Z --duration 2h --step 1m -o decisions.csv

A request is permitted if and only if at least one permit rule matches and no forbid rule matches; with
no matching rule it is denied. One request prints JSON {"decision","matched","reason",...}. A terminals
file (CSV id,name,lat_deg,lon_deg[,customer][,group][,activation_country][,roaming_since], or GeoJSON
points) gives CSV terminal_id,provider,decision,matched_rules (';'-separated),reason,time_utc,lat_deg,
lon_deg,speed_kmh,roaming_days. Terminals may move: a CSV with a time_utc column (one row per sample) or
GeoJSON LineStrings with a "times" property are trajectories (docs/enforcement.md); their position and
speed at each instant are interpolated along great circles. With --start the terminals are decided at
every --step, each terminal's rows together, and the policy's enforcement delay applies: a new denial
takes effect once it has held that long (the reason says so meanwhile). Roaming days count from the last
instant a terminal was inside its activation country (or its roaming_since). --customer, --group and
--activation-country are defaults for terminals without them. --audit appends every decision to a
hash-chained JSON-lines log (refused if the log's chain is already broken); check it with
`skyfence audit verify`.
Exit status: 0 decided (permit or deny), 2 bad input or invalid policy, 1 runtime failure.)");
  chk->add_option("--policy", c->policy_file, "the policy file (TOML)")->required();
  chk->add_option("--time", c->time, "the instant, ISO-8601 UTC (2026-04-27T12:00:00Z)");
  chk->add_option("--start", c->start, "a terminals file at every --step from here (instead of --time)");
  chk->add_option("--stop", c->stop, "end of the series (exclusive)");
  chk->add_option("--duration", c->duration, "length of the series (24h, 90m), instead of --stop");
  chk->add_option("--step", c->step, "step of the series (default 60s)");
  chk->add_option("--speed-kmh", c->speed_kmh, "one terminal's ground speed, km/h (default 0: at rest)")
      ->check(CLI::NonNegativeNumber);
  chk->add_option("--roaming-days", c->roaming_days,
                  "one terminal's days outside its activation country (default 0)")
      ->check(CLI::NonNegativeNumber);
  chk->add_option("--activation-country", c->activation_country,
                  "activation country of terminals without an activation_country column (ISO code)");
  chk->add_option("--max-plausible-speed", c->max_track_speed_kmh,
                  "refuse trajectory segments faster than this, km/h (default 1500)")
      ->check(CLI::PositiveNumber);
  chk->add_option("--terminal", c->terminal, "one terminal's id");
  chk->add_option("--lat", c->lat, "its latitude, degrees (south negative: --lat=-33.9)");
  chk->add_option("--lon", c->lon, "its longitude, degrees (west negative)");
  chk->add_option("--customer", c->customer, "customer class (civil, government, military, ...)");
  chk->add_option("--group", c->group, "terminal group");
  chk->add_option("--provider", c->provider, "provider (default: the policy's)");
  chk->add_option("--terminals", c->terminals_file, "terminals file (CSV or GeoJSON)");
  chk->add_option("--audit", c->audit, "append every decision to this JSON-lines audit log");
  chk->add_option("-o,--output", c->output,
                  "output file (default: standard output); written whole or not at all");
  chk->add_flag("-q,--quiet", c->quiet, "no summary on standard error");
  chk->callback([c, &run_fn] { run_fn = [c] { return run_check(*c); }; });

  auto path = std::make_shared<std::string>();
  CLI::App* aud = app.add_subcommand("audit", "Audit logs of policy decisions");
  aud->require_subcommand(1);
  CLI::App* ver =
      aud->add_subcommand("verify", "Check an audit log's hash chain; report the first bad record");
  ver->footer(R"(Examples:
  skyfence audit verify decisions.jsonl

Each record carries the SHA-256 of its own content and the hash of the record before it: an altered,
removed or reordered record breaks the chain at that line. Removing records from the end leaves a
shorter valid chain: compare the record count and head hash printed here with a copy kept elsewhere.
Exit status: 0 intact, 2 broken (the first bad line is named; `check --audit` refuses such a log with
the same message and status), unreadable file or bad usage.)");
  auto quiet = std::make_shared<bool>(false);
  ver->add_option("FILE", *path, "the audit log (JSON lines)")->required();
  ver->add_flag("-q,--quiet", *quiet, "print nothing when the chain is intact (the exit status tells)");
  ver->callback([path, quiet, &run_fn] {
    run_fn = [path, quiet] {
      if (!std::filesystem::exists(*path)) throw InputError(SourceLocation{*path, 0, ""}, "no such file");
      return run_audit_verify(*path, *quiet);
    };
  });
}

}  // namespace skyfence::cli
