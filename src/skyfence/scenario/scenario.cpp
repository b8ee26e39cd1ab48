// Scenario files (TOML, docs/scenario.md) to a checked Scenario; every problem is collected with its
// line and field before anything is returned.
#include "skyfence/scenario/scenario.h"
#include "skyfence/core/read_file.h"
#include "skyfence/core/toml_text.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <set>
#include <sstream>
#include <string>
#include <utility>

#include <toml++/toml.h>

#include "skyfence/network/links.h"
#include "skyfence/time/scales.h"

namespace skyfence::scenario {
namespace {

namespace fs = std::filesystem;

std::string joined(const std::vector<InputError>& issues) {
  std::string out = std::to_string(issues.size()) + " problem(s) in the scenario:";
  for (const auto& e : issues) out += "\n  " + std::string(e.what());
  return out;
}

// Collects problems with their lines; reads typed fields.
class Reader {
 public:
  Reader(std::string path, std::string dir) : path_(std::move(path)), dir_(std::move(dir)) {}

  void add(const toml::node* at, std::string field, std::string message) {
    const int line = at != nullptr ? static_cast<int>(at->source().begin.line) : 0;
    issues_.emplace_back(SourceLocation{path_, line, std::move(field)}, std::move(message));
  }
  void add_line(int line, std::string field, std::string message) {
    issues_.emplace_back(SourceLocation{path_, line, std::move(field)}, std::move(message));
  }
  [[nodiscard]] const std::vector<InputError>& issues() const { return issues_; }
  [[nodiscard]] const std::string& path() const { return path_; }
  [[nodiscard]] const std::string& dir() const { return dir_; }

  // Unknown keys of `t`, each an issue.
  void only(const toml::table& t, std::initializer_list<std::string_view> allowed, const std::string& where) {
    for (const auto& [key, node] : t) {
      if (std::find(allowed.begin(), allowed.end(), key.str()) != allowed.end()) continue;
      std::string list;
      for (auto a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
      add(&node, where + std::string(key.str()), "unknown key; expected one of: " + list);
    }
  }

  std::optional<std::string> string(const toml::table& t, std::string_view key, const std::string& field,
                                    bool required = false) {
    const toml::node* n = t.get(key);
    if (n == nullptr) {
      if (required) add(&t, field, "missing; expected a string");
      return std::nullopt;
    }
    if (const auto* s = n->as_string()) {
      if (s->get().empty()) {
        add(n, field, "expected a non-empty string");
        return std::nullopt;
      }
      return s->get();
    }
    add(n, field, "expected a string, found " + toml_type_name(*n));
    return std::nullopt;
  }

  std::optional<double> number(const toml::table& t, std::string_view key, const std::string& field,
                               double lo, double hi) {
    const toml::node* n = t.get(key);
    if (n == nullptr) return std::nullopt;
    double v = 0.0;
    if (const auto* i = n->as_integer()) {
      v = static_cast<double>(i->get());
    } else if (const auto* f = n->as_floating_point()) {
      v = f->get();
    } else {
      add(n, field, "expected a number, found " + toml_type_name(*n));
      return std::nullopt;
    }
    if (!(v >= lo && v <= hi)) {
      std::ostringstream m;
      m << "expected a number from " << lo << " to " << hi << ", found " << v;
      add(n, field, m.str());
      return std::nullopt;
    }
    return v;
  }

  std::optional<std::int64_t> integer(const toml::table& t, std::string_view key, const std::string& field,
                                      std::int64_t lo, std::int64_t hi) {
    const toml::node* n = t.get(key);
    if (n == nullptr) return std::nullopt;
    const auto* i = n->as_integer();
    if (i == nullptr) {
      add(n, field, "expected an integer, found " + toml_type_name(*n));
      return std::nullopt;
    }
    if (i->get() < lo || i->get() > hi) {
      add(n, field,
          "expected an integer from " + std::to_string(lo) + " to " + std::to_string(hi) + ", found " +
              std::to_string(i->get()));
      return std::nullopt;
    }
    return i->get();
  }

  std::optional<bool> boolean(const toml::table& t, std::string_view key, const std::string& field) {
    const toml::node* n = t.get(key);
    if (n == nullptr) return std::nullopt;
    if (const auto* b = n->as_boolean()) return b->get();
    add(n, field, "expected true or false, found " + toml_type_name(*n));
    return std::nullopt;
  }

  // A UTC time: a TOML offset date-time or an ISO-8601 string.
  std::optional<time::Instant> instant(const toml::table& t, std::string_view key, const std::string& field) {
    const toml::node* n = t.get(key);
    if (n == nullptr) return std::nullopt;
    std::string text;
    if (const auto* s = n->as_string()) {
      text = s->get();
    } else if (const auto* dt = n->as_date_time()) {
      if (!dt->get().offset) {
        add(n, field, "expected a UTC time with its offset (e.g. 2026-04-27T00:00:00Z)");
        return std::nullopt;
      }
      text = toml_iso8601(dt->get());
    } else {
      add(n, field, "expected an ISO-8601 UTC time, found " + toml_type_name(*n));
      return std::nullopt;
    }
    try {
      return time::parse_iso8601(text, field);
    } catch (const InputError& e) {
      add(n, field, e.detail());
      return std::nullopt;
    }
  }

  std::optional<time::Duration> duration(const toml::table& t, std::string_view key,
                                         const std::string& field) {
    const auto s = string(t, key, field);
    if (!s) return std::nullopt;
    try {
      const time::Duration d = time::parse_duration(*s, field);
      if (d.count_ns() <= 0) {
        add(t.get(key), field, "expected a positive duration");
        return std::nullopt;
      }
      return d;
    } catch (const InputError& e) {
      add(t.get(key), field, e.detail());
      return std::nullopt;
    }
  }

  // A file named relative to the scenario's folder, checked to exist.
  std::optional<std::string> file(const toml::table& t, std::string_view key, const std::string& field,
                                  bool required = false) {
    const auto s = string(t, key, field, required);
    if (!s) return std::nullopt;
    const fs::path p = fs::path(*s).is_absolute() ? fs::path(*s) : fs::path(dir_) / *s;
    std::error_code ec;
    if (!fs::is_regular_file(p, ec)) {
      add(t.get(key), field, "no such file: " + p.string());
      return std::nullopt;
    }
    return p.lexically_normal().string();
  }

  // A folder named relative to the scenario's folder, checked to exist.
  std::optional<std::string> folder(const toml::table& t, std::string_view key, const std::string& field) {
    const auto s = string(t, key, field);
    if (!s) return std::nullopt;
    const fs::path p = fs::path(*s).is_absolute() ? fs::path(*s) : fs::path(dir_) / *s;
    std::error_code ec;
    if (!fs::is_directory(p, ec)) {
      add(t.get(key), field, "no such folder: " + p.string());
      return std::nullopt;
    }
    return p.lexically_normal().string();
  }

  [[nodiscard]] int line_of(const toml::node& n) const { return static_cast<int>(n.source().begin.line); }

 private:
  std::string path_, dir_;
  std::vector<InputError> issues_;
};

// An array of non-empty names (compute.passes_terminals, compute.passes_providers, a region's or a
// group's providers) appended to `out`; `prefix` names the table in messages.
void read_name_list(Reader& r, const toml::table& t, const char* key, std::vector<std::string>& out,
                    const std::string& prefix = "compute.") {
  const toml::node* list = t.get(key);
  if (list == nullptr) return;
  const std::string field = prefix + key;
  const toml::array* arr = list->as_array();
  if (arr == nullptr) {
    r.add(list, field, "expected an array of names");
    return;
  }
  for (const auto& e : *arr) {
    const auto* sv = e.as_string();
    if (sv == nullptr || sv->get().empty()) {
      r.add(&e, field, "expected non-empty strings");
      continue;
    }
    out.push_back(sv->get());
  }
}

const char* const kSourceKeys[] = {"catalog", "tle", "omm", "preset"};

// A provider's network topology beyond `isl` (docs/scenario.md): the pairing across planes and its shift,
// an explicit link list, a slant-range limit on ground links; as `skyfence route`'s options of the same
// names. False when one of them is wrong (each problem added to `r`).
bool read_provider_topology(Reader& r, const toml::table& t, const std::string& where, ProviderSpec& p) {
  bool ok = true;
  p.isl_pairing_given = t.contains("isl_pairing");
  if (auto v = r.string(t, "isl_pairing", where + "isl_pairing")) {
    if (const auto pairing = network::isl_pairing_named(*v)) {
      p.isl_grid.pairing = *pairing;
    } else {
      r.add(t.get("isl_pairing"), where + "isl_pairing",
            "expected \"nearest\" or \"same-index\", found \"" + *v + "\"");
      ok = false;
    }
  }
  if (auto v = r.integer(t, "isl_shift", where + "isl_shift", -1'000'000, 1'000'000)) {
    p.isl_grid.shift = static_cast<int>(*v);
    if (p.isl_grid.pairing != network::IslPairing::same_index) {
      r.add(t.get("isl_shift"), where + "isl_shift", "applies to isl_pairing = \"same-index\" only");
      ok = false;
    }
  } else if (t.contains("isl_shift")) {
    ok = false;
  }
  if (auto v = r.file(t, "isls", where + "isls")) {
    p.isls = *v;
    if (t.contains("isl_pairing") || t.contains("isl_shift")) {
      r.add(t.get("isls"), where + "isls", "gives the links itself: expected no isl_pairing or isl_shift");
      ok = false;
    }
  } else if (t.contains("isls")) {
    ok = false;
  }
  if (!p.isl && (t.contains("isl_pairing") || t.contains("isl_shift") || t.contains("isls"))) {
    r.add(t.get("isl"), where + "isl",
          "\"none\" has no inter-satellite links: expected no isl_pairing, "
          "isl_shift or isls");
    ok = false;
  }
  // Routes only: coverage, service and capacity keep min_elevation_deg (docs/scenario.md).
  if (auto v = r.number(t, "gsl_max_range_km", where + "gsl_max_range_km", 1e-3, 1e6)) {
    p.gsl_max_range_km = *v;
  } else if (t.contains("gsl_max_range_km")) {
    ok = false;
  }
  // Hypatia's state limits the routes' ground links by its slant range, both masks at the horizon: a
  // gateway mask would be silently ignored unless gsl_max_range_km replaces that range (then it is too).
  if (t.contains("hypatia_state") && t.contains("gateway_min_elevation_deg")) {
    r.add(t.get("gateway_min_elevation_deg"), where + "gateway_min_elevation_deg",
          "hypatia_state limits ground links by slant range (its max_gsl_length_m, or gsl_max_range_km): "
          "expected no gateway_min_elevation_deg");
    ok = false;
  }
  return ok;
}

std::optional<ProviderSpec> read_provider(Reader& r, const toml::table& t, const std::string& where) {
  r.only(t,
         {"name", "catalog", "tle", "omm", "preset", "min_elevation_deg", "gateway_min_elevation_deg",
          "policy", "isl", "isl_pairing", "isl_shift", "isls", "gsl_max_range_km", "gateways", "pops",
          "service_model", "hypatia_state"},
         where);
  ProviderSpec p;
  p.defined_at = SourceLocation{r.path(), r.line_of(t), where};
  bool ok = true;
  if (auto name = r.string(t, "name", where + "name", true)) {
    p.name = *name;
    if (p.name == "any") {
      r.add(t.get("name"), where + "name", "\"any\" is reserved for all providers together");
      ok = false;
    }
  } else {
    ok = false;
  }
  int sources = 0;
  for (const char* key : kSourceKeys) {
    if (!t.contains(key)) continue;
    ++sources;
    const std::string field = where + key;
    std::optional<std::string> v = (std::string_view(key) == "tle" || std::string_view(key) == "omm")
                                       ? r.file(t, key, field)
                                       : r.string(t, key, field);
    if (!v) {
      ok = false;
      continue;
    }
    p.source.value = *v;
    const std::string_view k(key);
    p.source.kind = k == "catalog" ? SatelliteSource::Kind::catalog
                    : k == "tle"   ? SatelliteSource::Kind::tle
                    : k == "omm"   ? SatelliteSource::Kind::omm
                                   : SatelliteSource::Kind::preset;
  }
  if (t.contains("hypatia_state")) {
    // Hypatia's static state (docs/scenario.md): the satellites are its tles.txt, read by the network
    // layer's reader when the provider is loaded (its header, names and common epoch checked).
    ++sources;
    if (auto v = r.folder(t, "hypatia_state", where + "hypatia_state")) {
      p.hypatia_state = *v;
      p.source.kind = SatelliteSource::Kind::tle;
      p.source.value = (fs::path(*v) / "tles.txt").string();
    } else {
      ok = false;
    }
  }
  if (sources != 1) {
    r.add(&t, where + "catalog", "expected exactly one of catalog, tle, omm, preset or hypatia_state");
    ok = false;
  }
  if (auto v = r.number(t, "min_elevation_deg", where + "min_elevation_deg", -90.0, 89.999))
    p.min_elevation_deg = *v;
  if (auto v = r.number(t, "gateway_min_elevation_deg", where + "gateway_min_elevation_deg", -90.0, 89.999))
    p.gateway_min_elevation_deg = *v;
  if (auto v = r.file(t, "policy", where + "policy")) p.policy = *v;
  if (auto v = r.string(t, "isl", where + "isl")) {
    if (*v == "plus-grid") {
      p.isl = true;
    } else if (*v == "none") {
      p.isl = false;
    } else {
      r.add(t.get("isl"), where + "isl", "expected \"plus-grid\" or \"none\", found \"" + *v + "\"");
      ok = false;
    }
  }
  if (!read_provider_topology(r, t, where, p)) ok = false;
  if (auto v = r.file(t, "gateways", where + "gateways")) p.gateways = *v;
  if (auto v = r.file(t, "pops", where + "pops")) p.pops = *v;
  if (auto v = r.file(t, "service_model", where + "service_model")) p.service_model = *v;
  if (p.gateways.empty() != p.pops.empty()) {
    r.add(&t, where + "gateways", "gateways and pops go together (latency needs both)");
    ok = false;
  }
  return ok ? std::optional<ProviderSpec>(std::move(p)) : std::nullopt;
}

const toml::array* array_of_tables(Reader& r, const toml::table& root, std::string_view key) {
  const toml::node* n = root.get(key);
  if (n == nullptr) return nullptr;
  const toml::array* a = n->as_array();
  if (a == nullptr || !a->is_array_of_tables()) {
    r.add(n, std::string(key), "expected an array of tables ([[" + std::string(key) + "]])");
    return nullptr;
  }
  return a;
}

// The top-level keys: name, description, the window (start, stop or duration, step), min_sats and seed.
void read_header(Reader& r, const toml::table& root, Scenario& sc) {
  r.only(root,
         {"name", "description", "start", "stop", "duration", "step", "min_sats", "seed", "region",
          "provider", "terminals", "compute", "variant", "enforcement"},
         "");
  if (auto v = r.string(root, "name", "name", true)) sc.name = *v;
  if (auto v = r.string(root, "description", "description")) sc.description = *v;
  const auto start = r.instant(root, "start", "start");
  if (!start && !root.contains("start")) r.add(&root, "start", "missing; expected an ISO-8601 UTC time");
  const auto stop = r.instant(root, "stop", "stop");
  const auto duration = r.duration(root, "duration", "duration");
  if (root.contains("stop") == root.contains("duration")) {
    r.add(root.contains("stop") ? root.get("stop") : &root, "stop",
          "expected exactly one of stop or duration");
  }
  if (auto v = r.duration(root, "step", "step")) sc.step = *v;
  if (auto v = r.integer(root, "min_sats", "min_sats", 1, 1000)) sc.min_sats = static_cast<std::uint32_t>(*v);
  if (auto v = r.integer(root, "seed", "seed", 0, std::numeric_limits<std::int64_t>::max()))
    sc.seed = static_cast<std::uint64_t>(*v);
  if (start) {
    sc.start = *start;
    sc.stop = stop ? *stop : duration ? *start + *duration : *start;
    if ((stop || duration) && !(sc.stop > sc.start))
      r.add(root.get("stop"), "stop", "expected a time after start");
    if (sc.steps() > 1'000'000) r.add(root.get("step"), "step", "more than 1,000,000 steps in the window");
  }
}

// [region]: the region of interest, a country or a GeoJSON file; required.
void read_region(Reader& r, const toml::table& root, Scenario& sc) {
  const toml::node* n = root.get("region");
  if (n == nullptr) {
    r.add(&root, "region", "missing; expected a [region] table with country or file");
    return;
  }
  const toml::table* t = n->as_table();
  if (t == nullptr) {
    r.add(n, "region", "expected a table ([region])");
    return;
  }
  r.only(
      *t,
      {"country", "file", "name", "level", "customer", "demand_density_mbps_km2", "demand_file", "providers"},
      "region.");
  sc.region.defined_at = SourceLocation{r.path(), r.line_of(*t), "region"};
  if (auto v = r.string(*t, "country", "region.country")) sc.region.country = *v;
  if (auto v = r.file(*t, "file", "region.file")) sc.region.file = *v;
  if (auto v = r.string(*t, "name", "region.name")) sc.region.name = *v;
  if (auto v = r.integer(*t, "level", "region.level", 0, 10)) sc.region.level = static_cast<int>(*v);
  if (auto v = r.string(*t, "customer", "region.customer")) sc.region.customer = *v;
  if (auto v = r.number(*t, "demand_density_mbps_km2", "region.demand_density_mbps_km2", 0.0, 1e6))
    sc.region.demand_density_mbps_km2 = *v;
  if (auto v = r.file(*t, "demand_file", "region.demand_file")) sc.region.demand_file = *v;
  if (t->contains("demand_density_mbps_km2") && t->contains("demand_file")) {
    r.add(t->get("demand_file"), "region.demand_file",
          "expected at most one of demand_density_mbps_km2 and demand_file");
  }
  read_name_list(r, *t, "providers", sc.region.providers, "region.");
  if (t->contains("country") == t->contains("file"))
    r.add(t, "region.country", "expected exactly one of country or file");
  if (t->contains("name") && !t->contains("file")) r.add(t->get("name"), "region.name", "needs region.file");
}

// [[provider]]: at least one, names unique. Returns the names, which later sections refer to.
std::set<std::string> read_providers(Reader& r, const toml::table& root, Scenario& sc) {
  std::set<std::string> names;
  if (const toml::array* a = array_of_tables(r, root, "provider")) {
    for (std::size_t i = 0; i < a->size(); ++i) {
      const toml::table& t = *a->get(i)->as_table();
      const std::string where = "provider[" + std::to_string(i) + "].";
      if (auto p = read_provider(r, t, where)) {
        if (!names.insert(p->name).second) {
          r.add(t.get("name"), where + "name", "a second provider named \"" + p->name + "\"");
        }
        sc.providers.push_back(std::move(*p));
      }
    }
  }
  if (!root.contains("provider")) r.add(&root, "provider", "missing; expected at least one [[provider]]");
  return names;
}

// [[terminals]]: groups of terminal sites, ids unique; optional.
void read_terminal_groups(Reader& r, const toml::table& root, Scenario& sc) {
  const toml::array* a = array_of_tables(r, root, "terminals");
  if (a == nullptr) return;
  std::set<std::string> group_ids;
  for (std::size_t i = 0; i < a->size(); ++i) {
    const toml::table& t = *a->get(i)->as_table();
    const std::string where = "terminals[" + std::to_string(i) + "].";
    r.only(
        t,
        {"group", "name", "file", "hypatia_state", "customer", "demand_mbps", "demand_up_mbps", "providers"},
        where);
    TerminalGroupSpec g;
    g.defined_at = SourceLocation{r.path(), r.line_of(t), where};
    const auto id = r.string(t, "group", where + "group", true);
    // The terminals of a sites file, or Hypatia's ground stations (its state folder's
    // ground_stations.txt, read by the network layer's reader when the run loads its inputs).
    std::optional<std::string> file;
    if (t.contains("hypatia_state")) {
      if (t.contains("file")) {
        r.add(t.get("hypatia_state"), where + "hypatia_state",
              "expected exactly one of file or hypatia_state");
      } else if (auto dir = r.folder(t, "hypatia_state", where + "hypatia_state")) {
        file = (fs::path(*dir) / "ground_stations.txt").string();
        g.hypatia_ground_stations = true;
      }
    } else {
      file = r.file(t, "file", where + "file", true);
    }
    if (auto v = r.string(t, "name", where + "name")) g.name = *v;
    if (auto v = r.string(t, "customer", where + "customer")) g.customer = *v;
    if (auto v = r.number(t, "demand_mbps", where + "demand_mbps", 0.0, 1e9)) g.demand_mbps = *v;
    if (auto v = r.number(t, "demand_up_mbps", where + "demand_up_mbps", 0.0, 1e9)) g.demand_up_mbps = *v;
    read_name_list(r, t, "providers", g.providers, where);
    if (!id || !file) continue;
    g.id = *id;
    g.file = *file;
    if (g.name.empty()) g.name = g.id;
    if (!group_ids.insert(g.id).second) {
      r.add(t.get("group"), where + "group", "a second terminal group \"" + g.id + "\"");
    }
    sc.groups.push_back(std::move(g));
  }
}

// [compute]: what to compute beyond coverage; optional. Its provider names must be providers.
void read_compute(Reader& r, const toml::table& root, const std::set<std::string>& provider_names,
                  Scenario& sc) {
  if (const toml::node* n = root.get("compute")) {
    if (const toml::table* t = n->as_table()) {
      r.only(*t,
             {"latency", "latency_step", "capacity_step", "timeseries_terminals", "passes_terminals",
              "passes_providers"},
             "compute.");
      sc.compute.passes_at = SourceLocation{r.path(), r.line_of(*t), "compute.passes_terminals"};
      read_name_list(r, *t, "passes_terminals", sc.compute.passes_terminals);
      read_name_list(r, *t, "passes_providers", sc.compute.passes_providers);
      if (auto v = r.boolean(*t, "latency", "compute.latency")) sc.compute.latency = *v;
      if (auto v = r.duration(*t, "latency_step", "compute.latency_step")) sc.compute.latency_step = *v;
      if (auto v = r.duration(*t, "capacity_step", "compute.capacity_step")) sc.compute.capacity_step = *v;
      if (auto v = r.integer(*t, "timeseries_terminals", "compute.timeseries_terminals", 0, 100))
        sc.compute.timeseries_terminals = static_cast<std::size_t>(*v);
    } else {
      r.add(n, "compute", "expected a table ([compute])");
    }
  }
  for (const std::string& name : sc.compute.passes_providers) {
    if (!provider_names.contains(name)) {
      r.add_line(sc.compute.passes_at.line, "compute.passes_providers", "no provider named \"" + name + "\"");
    }
  }
}

// A policy-rule variant's [variant.rule] table, kept as the text of one [[rule]] of the policy format.
void read_variant_rule(Reader& r, const toml::table& t, const std::string& where, VariantSpec& v) {
  const toml::node* rule = t.get("rule");
  if (rule == nullptr || !rule->is_table()) {
    r.add(rule != nullptr ? rule : &t, where + "rule",
          "expected a [variant.rule] table in the policy format");
    return;
  }
  std::ostringstream os;
  os << "[[rule]]\n" << toml::toml_formatter(*rule->as_table()) << "\n";
  v.rule_toml = os.str();
}

// A satellite-failure variant's fraction or planes (exactly one) and seed.
void read_failure(Reader& r, const toml::table& t, const std::string& where, VariantSpec& v) {
  if (auto f = r.number(t, "fraction", where + "fraction", 0.0, 1.0)) v.fraction = *f;
  if (auto s = r.integer(t, "seed", where + "seed", 0, std::numeric_limits<std::int64_t>::max()))
    v.seed = static_cast<std::uint64_t>(*s);
  if (const toml::node* pl = t.get("planes")) {
    const toml::array* arr = pl->as_array();
    if (arr == nullptr) {
      r.add(pl, where + "planes", "expected an array of plane numbers");
    } else {
      for (const auto& e : *arr) {
        const auto* iv = e.as_integer();
        if (iv == nullptr || iv->get() < 0 || iv->get() > 10000) {
          r.add(&e, where + "planes", "expected plane numbers from 0");
        } else {
          v.planes.push_back(static_cast<int>(iv->get()));
        }
      }
    }
  }
  if (t.contains("fraction") == t.contains("planes"))
    r.add(&t, where + "fraction", "expected exactly one of fraction or planes");
}

// An add-provider variant's [variant.provider] table, read as a [[provider]] with a new name.
void read_added_provider(Reader& r, const toml::table& t, const std::string& where,
                         const std::set<std::string>& provider_names, VariantSpec& v) {
  const toml::node* pn = t.get("provider");
  if (pn == nullptr || !pn->is_table()) {
    r.add(pn != nullptr ? pn : &t, where + "provider",
          "expected a [variant.provider] table like [[provider]]");
  } else if (auto p = read_provider(r, *pn->as_table(), where + "provider.")) {
    if (provider_names.contains(p->name)) {
      r.add(pn, where + "provider.name", "a provider named \"" + p->name + "\" exists already");
    } else {
      v.provider = p->name;
      v.added = std::move(*p);
    }
  }
}

// A catalog-swap variant's source: exactly one of catalog (a bundled snapshot), tle or omm (files).
void read_swap_source(Reader& r, const toml::table& t, const std::string& where, VariantSpec& v) {
  int sources = 0;
  for (const char* key : {"catalog", "tle", "omm"}) {
    if (!t.contains(key)) continue;
    ++sources;
    const std::string_view k(key);
    const std::optional<std::string> value =
        k == "catalog" ? r.string(t, key, where + key) : r.file(t, key, where + key);
    if (!value) continue;
    v.swap_source.value = *value;
    v.swap_source.kind = k == "catalog" ? SatelliteSource::Kind::catalog
                         : k == "tle"   ? SatelliteSource::Kind::tle
                                        : SatelliteSource::Kind::omm;
  }
  if (sources != 1) {
    r.add(&t, where + "catalog",
          "expected exactly one of catalog (a bundled snapshot), tle or omm: the provider's satellites "
          "instead");
  }
}

// A cell mode by name (docs/policy.md); nullopt for anything else.
std::optional<policy::CellMode> cell_mode(std::string_view m) {
  if (m == "exact") return policy::CellMode::exact;
  if (m == "centre" || m == "center") return policy::CellMode::centre;
  if (m == "any") return policy::CellMode::any;
  if (m == "all") return policy::CellMode::all;
  return std::nullopt;
}

// A variant's [variant.enforcement] table: the provider's policy enforced with this level, mode and delay
// (the policy format's [enforcement] table, docs/policy.md).
void read_variant_enforcement(Reader& r, const toml::table& t, const std::string& where, VariantSpec& v) {
  const toml::node* n = t.get("enforcement");
  const std::string f = where + "enforcement.";
  if (n == nullptr || !n->is_table()) {
    r.add(n != nullptr ? n : &t, where + "enforcement",
          "expected a [variant.enforcement] table with level, mode and delay (docs/policy.md)");
    return;
  }
  const toml::table& e = *n->as_table();
  r.only(e, {"level", "mode", "delay"}, f);
  policy::Enforcement out;
  if (auto l = r.integer(e, "level", f + "level", 0, 30)) out.level = static_cast<int>(*l);
  if (e.contains("level")) out.mode = policy::CellMode::centre;
  if (auto m = r.string(e, "mode", f + "mode")) {
    if (auto cm = cell_mode(*m)) {
      out.mode = *cm;
    } else {
      r.add(e.get("mode"), f + "mode",
            "expected \"exact\", \"centre\", \"any\" or \"all\", found \"" + *m + "\"");
    }
  }
  if (auto d = r.duration(e, "delay", f + "delay")) out.delay = *d;
  if ((out.mode == policy::CellMode::exact) != (out.level < 0)) {
    r.add(n, f + "level", "expected a level with mode centre, any or all, and none with mode exact");
    return;
  }
  v.enforcement = out;
}

// [enforcement]: the leakage and collateral study (optional).
void read_enforcement_study(Reader& r, const toml::table& root, const std::set<std::string>& provider_names,
                            Scenario& sc) {
  const toml::node* n = root.get("enforcement");
  if (n == nullptr) return;
  const toml::table* t = n->as_table();
  if (t == nullptr) {
    r.add(n, "enforcement", "expected a table ([enforcement])");
    return;
  }
  const std::string f = "enforcement.";
  r.only(*t,
         {"provider", "policy", "region", "levels", "modes", "terminals", "hostile_groups", "customer",
          "step", "reference_level"},
         f);
  EnforcementStudySpec e;
  e.defined_at = SourceLocation{r.path(), r.line_of(*t), "enforcement"};
  if (auto p = r.string(*t, "provider", f + "provider", true)) {
    if (!provider_names.contains(*p))
      r.add(t->get("provider"), f + "provider", "no provider named \"" + *p + "\"");
    e.provider = *p;
  }
  if (auto p = r.file(*t, "policy", f + "policy")) e.policy = *p;
  if (auto reg = r.string(*t, "region", f + "region", true)) {
    // A GeoJSON file (with #NAME) is resolved against the scenario's folder and must exist; a country
    // is checked against the bundled borders when the scenario runs.
    const std::size_t hash = reg->find('#');
    const std::string file = reg->substr(0, hash);
    if (hash != std::string::npos || file.ends_with(".geojson") || file.ends_with(".json")) {
      const fs::path p = fs::path(file).is_absolute() ? fs::path(file) : fs::path(r.dir()) / file;
      std::error_code ec;
      if (!fs::is_regular_file(p, ec)) {
        r.add(t->get("region"), f + "region", "no such file: " + p.string());
      }
      e.region = p.lexically_normal().string() + (hash == std::string::npos ? "" : reg->substr(hash));
    } else {
      e.region = *reg;
    }
  }
  if (const toml::node* l = t->get("levels")) {
    e.levels.clear();
    const toml::array* arr = l->as_array();
    if (arr == nullptr || arr->empty()) r.add(l, f + "levels", "expected an array of S2 levels");
    if (arr != nullptr) {
      for (const auto& x : *arr) {
        const auto* iv = x.as_integer();
        if (iv == nullptr || iv->get() < 0 || iv->get() > 16) {
          r.add(&x, f + "levels", "expected S2 levels from 0 to 16");
        } else {
          e.levels.push_back(static_cast<int>(iv->get()));
        }
      }
    }
  }
  if (t->contains("modes")) {
    std::vector<std::string> names;
    read_name_list(r, *t, "modes", names, f);
    e.modes.clear();
    for (const std::string& m : names) {
      const auto cm = cell_mode(m);
      if (!cm || *cm == policy::CellMode::exact) {
        r.add(t->get("modes"), f + "modes", "expected \"centre\", \"any\" or \"all\", found \"" + m + "\"");
      } else {
        e.modes.push_back(*cm);
      }
    }
  }
  if (auto v = r.file(*t, "terminals", f + "terminals")) e.terminals = *v;
  read_name_list(r, *t, "hostile_groups", e.hostile_groups, f);
  if (!e.hostile_groups.empty() && e.terminals.empty()) {
    r.add(t->get("hostile_groups"), f + "hostile_groups", "hostile groups need terminals");
  }
  if (auto v = r.string(*t, "customer", f + "customer")) e.customer = *v;
  if (auto v = r.duration(*t, "step", f + "step")) e.step = *v;
  if (auto v = r.integer(*t, "reference_level", f + "reference_level", 0, 16))
    e.reference_level = static_cast<int>(*v);
  for (const int level : e.levels) {
    if (level > e.reference_level) {
      r.add(t->get("levels"), f + "levels",
            "expected levels at most reference_level (" + std::to_string(e.reference_level) + "), found " +
                std::to_string(level));
    }
  }
  sc.enforcement = std::move(e);
}

// One [[variant]]: id (unique, "baseline" reserved) and kind, then the kind's own keys. Returns nothing
// when the kind is missing, as such a variant cannot be described.
std::optional<VariantSpec> read_variant(Reader& r, const toml::table& t, std::size_t i,
                                        const std::set<std::string>& provider_names,
                                        std::set<std::string>& variant_ids, std::uint64_t scenario_seed) {
  const std::string where = "variant[" + std::to_string(i) + "].";
  r.only(t,
         {"id", "description", "kind", "provider", "rule", "fraction", "planes", "seed", "background_load",
          "catalog", "tle", "omm", "enforcement"},
         where);
  VariantSpec v;
  v.defined_at = SourceLocation{r.path(), r.line_of(t), where};
  v.seed = scenario_seed + i + 1;
  const auto id = r.string(t, "id", where + "id", true);
  const auto kind = r.string(t, "kind", where + "kind", true);
  if (auto d = r.string(t, "description", where + "description")) v.description = *d;
  if (id) {
    v.id = *id;
    if (!variant_ids.insert(v.id).second) {
      r.add(t.get("id"), where + "id", "a second variant \"" + v.id + "\" (\"baseline\" is reserved)");
    }
  }
  if (!kind) return std::nullopt;
  const std::string k = *kind;
  const auto provider_name = [&]() -> std::optional<std::string> {
    auto name = r.string(t, "provider", where + "provider", true);
    if (name && !provider_names.contains(*name)) {
      r.add(t.get("provider"), where + "provider", "no provider named \"" + *name + "\"");
      return std::nullopt;
    }
    return name;
  };
  if (k == "withdraw") {
    v.kind = VariantSpec::Kind::withdraw;
    if (auto p = provider_name()) v.provider = *p;
  } else if (k == "policy-rule") {
    v.kind = VariantSpec::Kind::policy_rule;
    if (auto p = provider_name()) v.provider = *p;
    read_variant_rule(r, t, where, v);
    if (t.contains("enforcement")) read_variant_enforcement(r, t, where, v);
  } else if (k == "enforcement") {
    v.kind = VariantSpec::Kind::enforcement;
    if (auto p = provider_name()) v.provider = *p;
    read_variant_enforcement(r, t, where, v);
  } else if (k == "satellite-failure") {
    v.kind = VariantSpec::Kind::satellite_failure;
    if (auto p = provider_name()) v.provider = *p;
    read_failure(r, t, where, v);
  } else if (k == "add-provider") {
    v.kind = VariantSpec::Kind::add_provider;
    read_added_provider(r, t, where, provider_names, v);
  } else if (k == "background-load") {
    v.kind = VariantSpec::Kind::background_load;
    if (auto p = provider_name()) v.provider = *p;
    if (auto b = r.number(t, "background_load", where + "background_load", 0.0, 0.999999)) {
      v.background_load = *b;
    } else if (!t.contains("background_load")) {
      r.add(&t, where + "background_load", "missing; expected the provider's load from outside, in [0, 1)");
    }
  } else if (k == "catalog-swap") {
    v.kind = VariantSpec::Kind::catalog_swap;
    if (auto p = provider_name()) v.provider = *p;
    read_swap_source(r, t, where, v);
  } else {
    r.add(t.get("kind"), where + "kind",
          "expected withdraw, policy-rule, satellite-failure, add-provider, background-load, catalog-swap or "
          "enforcement, "
          "found \"" +
              k + "\"");
  }
  if (v.kind != VariantSpec::Kind::catalog_swap) {
    for (const char* key : {"catalog", "tle", "omm"}) {
      if (t.contains(key)) r.add(t.get(key), where + key, "only a catalog-swap variant takes a catalog");
    }
  }
  if (v.description.empty()) v.description = k + " " + v.provider;
  return v;
}

// Demand (docs/scenario.md, docs/capacity.md): service models on every provider or none; preferences
// name providers; with service models, some demand; a background-load variant needs service models.
void check_demand(Reader& r, const Scenario& sc) {
  std::set<std::string> names;
  bool some = false;
  for (const ProviderSpec& p : sc.providers) {
    names.insert(p.name);
    some = some || !p.service_model.empty();
  }
  for (const VariantSpec& v : sc.variants) {
    if (!v.added) continue;
    names.insert(v.added->name);
    some = some || !v.added->service_model.empty();
  }
  const bool capacity = sc.capacity();
  if (some && !capacity) {
    for (const ProviderSpec& p : sc.providers) {
      if (p.service_model.empty()) {
        r.add_line(p.defined_at.line, p.defined_at.field + "service_model",
                   "missing: demand met is computed when every provider has a service model");
      }
    }
    for (const VariantSpec& v : sc.variants) {
      if (v.added && v.added->service_model.empty()) {
        r.add_line(v.defined_at.line, v.defined_at.field + "provider.service_model",
                   "missing: demand met is computed when every provider has a service model");
      }
    }
  }
  const auto check_names = [&](const std::vector<std::string>& list, int line, const std::string& field) {
    for (const std::string& n : list) {
      if (!names.contains(n)) r.add_line(line, field, "no provider named \"" + n + "\"");
    }
  };
  check_names(sc.region.providers, sc.region.defined_at.line, "region.providers");
  bool demand = sc.region.has_demand();
  for (const TerminalGroupSpec& g : sc.groups) {
    check_names(g.providers, g.defined_at.line, g.defined_at.field + "providers");
    demand = demand || g.demand_mbps >= 0.0;
    if (g.demand_up_mbps >= 0.0 && !capacity) {
      r.add_line(g.defined_at.line, g.defined_at.field + "demand_up_mbps",
                 "uplink demand needs service models on every provider (demand met is not computed)");
    }
  }
  if (capacity && !demand && sc.groups.empty()) {
    r.add_line(sc.region.defined_at.line, "region.demand_density_mbps_km2",
               "missing: the providers have service models but nothing has demand (give the region a "
               "demand density or a demand file, or add terminal groups)");
  }
  for (const VariantSpec& v : sc.variants) {
    if (v.kind == VariantSpec::Kind::background_load && !capacity) {
      r.add_line(v.defined_at.line, v.defined_at.field + "kind",
                 "a background-load variant needs service models on the providers");
    }
  }
}

// [[variant]]: the what-if variants; optional.
void read_variants(Reader& r, const toml::table& root, const std::set<std::string>& provider_names,
                   Scenario& sc) {
  const toml::array* a = array_of_tables(r, root, "variant");
  if (a == nullptr) return;
  std::set<std::string> variant_ids{"baseline"};
  for (std::size_t i = 0; i < a->size(); ++i) {
    if (auto v = read_variant(r, *a->get(i)->as_table(), i, provider_names, variant_ids, sc.seed))
      sc.variants.push_back(std::move(*v));
  }
}

}  // namespace

ScenarioError::ScenarioError(std::vector<InputError> issues)
    : InputErrors(joined(issues), std::move(issues)) {}

bool Scenario::capacity() const {
  bool all = !providers.empty();
  for (const ProviderSpec& p : providers) all = all && !p.service_model.empty();
  for (const VariantSpec& v : variants) {
    if (v.added) all = all && !v.added->service_model.empty();
  }
  return all;
}

std::size_t Scenario::steps() const {
  const std::int64_t span = (stop - start).count_ns();
  const std::int64_t s = step.count_ns();
  return span <= 0 || s <= 0 ? 0 : static_cast<std::size_t>((span + s - 1) / s);
}

Scenario parse_scenario(std::string_view toml_text, const std::string& path) {
  const std::string dir = fs::path(path).parent_path().string();
  Reader r(path, dir.empty() ? "." : dir);
  toml::table root;
  try {
    root = toml::parse(toml_text, path);
  } catch (const toml::parse_error& e) {
    r.add_line(static_cast<int>(e.source().begin.line), "",
               "TOML syntax: " + std::string(e.description()) + " (column " +
                   std::to_string(e.source().begin.column) + ")");
    throw ScenarioError(r.issues());
  }
  // Section by section, in this order: later sections check names that earlier ones define.
  Scenario sc;
  sc.path = path;
  read_header(r, root, sc);
  read_region(r, root, sc);
  const std::set<std::string> provider_names = read_providers(r, root, sc);
  read_terminal_groups(r, root, sc);
  read_compute(r, root, provider_names, sc);
  read_variants(r, root, provider_names, sc);
  read_enforcement_study(r, root, provider_names, sc);
  check_demand(r, sc);

  if (!r.issues().empty()) {
    std::vector<InputError> issues = r.issues();
    std::stable_sort(issues.begin(), issues.end(), [](const InputError& a, const InputError& b) {
      return a.where().line < b.where().line;
    });
    throw ScenarioError(std::move(issues));
  }
  return sc;
}

Scenario load_scenario(const std::string& path) {
  return parse_scenario(read_file(path, "scenario file"), path);
}

}  // namespace skyfence::scenario
