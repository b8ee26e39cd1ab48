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
#include "skyfence/earth/site.h"
#include "skyfence/policy/audit.h"
#include "skyfence/policy/policy.h"
#include "skyfence/time/scales.h"

namespace skyfence::cli {
namespace {

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
  const time::Instant when = time::parse_iso8601(o.time, "--time");
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
    const earth::Site site = earth::parse_site_spec(o.lat + "," + o.lon, "--lat/--lon");
    policy::Request r{{provider, o.customer, o.terminal, o.group}, site.location, when};
    entries.push_back({r, p.decide(r), p.sha256()});
    const auto& d = entries.back().decision;
    nlohmann::json j;
    j["decision"] = d.permit ? "permit" : "deny";
    j["matched"] = d.matched;
    j["reason"] = d.reason;
    j["terminal_id"] = o.terminal;
    j["provider"] = provider;
    j["time_utc"] = time::format_iso8601(when, 3);
    OutputSink out(o.output);
    out.write(j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n");
    if (!o.audit.empty()) append_audit(o.audit, entries);
    out.commit();
    return kExitOk;
  }
  earth::SiteReadOptions ropts;
  ropts.strict = true;  // a skipped row would be a silently missing decision
  const earth::SiteList list = earth::read_sites_file(o.terminals_file, ropts);
  std::string csv = "terminal_id,provider,decision,matched_rules,reason\n";
  std::size_t permitted = 0;
  for (const earth::Site& s : list.sites) {
    check_interrupted();
    const std::string* customer = s.attribute("customer");
    const std::string* group = s.attribute("group");
    policy::Request r{{provider, customer && !customer->empty() ? *customer : o.customer, s.id,
                       group && !group->empty() ? *group : o.group},
                      s.location,
                      when};
    policy::Decision d = p.decide(r);
    std::string matched;
    for (const auto& m : d.matched) matched += (matched.empty() ? "" : ";") + m;
    csv += csv_field(s.id) + "," + csv_field(provider) + "," + (d.permit ? "permit" : "deny") + "," +
           csv_field(matched) + "," + csv_field(d.reason) + "\n";
    permitted += d.permit ? 1 : 0;
    entries.push_back({std::move(r), std::move(d), p.sha256()});
  }
  OutputSink out(o.output);
  out.write(csv);
  if (!o.audit.empty()) append_audit(o.audit, entries);
  out.commit();
  if (!o.quiet) {
    fmt::print(stderr, "skyfence: {} of {} terminals permitted at {}{}\n", permitted, list.sites.size(),
               time::format_iso8601(when, 0), o.audit.empty() ? "" : ", logged to " + o.audit);
  }
  return kExitOk;
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

}  // namespace

void add_policy_commands(CLI::App& app, std::function<int()>& run_fn) {
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
  skyfence check --policy data/policies/starlink.toml --terminals terminals.csv --time 2026-04-27T12:00:00Z \
      --audit decisions.jsonl -o decisions.csv

A request is permitted if and only if at least one permit rule matches and no forbid rule matches; with
no matching rule it is denied. One request prints JSON {"decision","matched","reason",...}; a terminals
file (CSV id,name,lat_deg,lon_deg[,customer][,group], or GeoJSON points) gives CSV
terminal_id,provider,decision,matched_rules (';'-separated),reason. --customer and --group are defaults
for rows without them. --audit appends every decision to a hash-chained JSON-lines log (refused if the
log's chain is already broken); check it with `skyfence audit verify`.
Exit status: 0 decided (permit or deny), 2 bad input or invalid policy, 1 runtime failure.)");
  chk->add_option("--policy", c->policy_file, "the policy file (TOML)")->required();
  chk->add_option("--time", c->time, "the instant, ISO-8601 UTC (2026-04-27T12:00:00Z)")->required();
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
