// Policy files (TOML, docs/policy.md) to a checked Policy. Every problem is collected with its line
// and field before anything is built, so a bad file yields the whole list at once and never a
// partial policy.
#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <toml++/toml.h>

#include "skyfence/core/read_file.h"
#include "skyfence/core/toml_text.h"
#include "skyfence/policy/internal/policy_data.h"
#include "skyfence/policy/internal/sha256.h"
#include "skyfence/policy/policy.h"
#include "skyfence/time/scales.h"

namespace skyfence::policy {

namespace internal {

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace internal

namespace {

using internal::lower;

// A name shown in a message: quoted, control characters escaped, cut at 60 characters.
std::string show(std::string_view s) {
  std::string out = "\"";
  std::size_t n = 0;
  for (char c : s) {
    if (++n > 60) {
      out += "...";
      break;
    }
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f) {
      static constexpr char kHex[] = "0123456789ABCDEF";
      out += "\\x";
      out += kHex[u >> 4];
      out += kHex[u & 15];
    } else if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else {
      out += c;
    }
  }
  return out + "\"";
}

bool is_region_file(std::string_view spec) {
  const std::string l = lower(spec);
  auto ends = [&](std::string_view suffix) {
    return l.size() >= suffix.size() && l.compare(l.size() - suffix.size(), suffix.size(), suffix) == 0;
  };
  return spec.find('#') != std::string_view::npos || ends(".geojson") || ends(".json") ||
         spec.find('/') != std::string_view::npos;
}

// "HH:MM-HH:MM" (24:00 allowed as the end) to a daily window.
std::optional<DailyWindow> parse_hours(std::string_view s) {
  auto two = [&](std::size_t at) -> int {
    if (at + 2 > s.size() || !std::isdigit(static_cast<unsigned char>(s[at])) ||
        !std::isdigit(static_cast<unsigned char>(s[at + 1]))) {
      return -1;
    }
    return (s[at] - '0') * 10 + (s[at + 1] - '0');
  };
  if (s.size() != 11 || s[2] != ':' || s[5] != '-' || s[8] != ':') return std::nullopt;
  const int h0 = two(0), m0 = two(3), h1 = two(6), m1 = two(9);
  if (h0 < 0 || m0 < 0 || h1 < 0 || m1 < 0 || m0 > 59 || m1 > 59 || h0 > 23 || h1 > 24 ||
      (h1 == 24 && m1 != 0)) {
    return std::nullopt;
  }
  DailyWindow w;
  w.start_min = h0 * 60 + m0;
  w.end_min = h1 * 60 + m1;
  if (w.end_min == 24 * 60) w.end_min = 0;  // the end of the day is the next midnight
  return w;
}

class Parser {
 public:
  Parser(std::string source, const LoadOptions& options)
      : source_(std::move(source)), options_(options), borders_(options.borders) {}

  std::shared_ptr<internal::PolicyData> parse(std::string_view text) {
    auto data = std::make_shared<internal::PolicyData>();
    data->source = source_;
    data->sha256 = internal::sha256_hex(text);
    toml::table doc;
    try {
      doc = toml::parse(text, source_);
    } catch (const toml::parse_error& e) {
      const auto& b = e.source().begin;
      add(static_cast<int>(b.line), "",
          "TOML syntax: " + std::string(e.description()) + " (column " + std::to_string(b.column) + ")");
      throw PolicyError(std::move(issues_));
    }
    bool have_provider = false;
    const toml::array* rules = nullptr;
    int rules_line = 0;
    for (auto&& [key, node] : doc) {
      const std::string k(key.str());
      const int line = line_of(node);
      if (k == "provider") {
        if (auto s = string_of(node, "provider")) {
          if (s->empty()) {
            add(line, "provider", "expected a provider name, found an empty string");
          } else {
            data->provider = lower(*s);
            have_provider = true;
          }
        }
      } else if (k == "description") {
        string_of(node, "description");
      } else if (k == "enforcement") {
        parse_enforcement(node, *data);
      } else if (k == "rule") {
        rules = node.as_array();
        rules_line = line;
        if (!rules || !rules->is_array_of_tables()) {
          add(line, "rule", "expected [[rule]] tables, found " + toml_type_name(node));
          rules = nullptr;
        }
      } else {
        add(static_cast<int>(key.source().begin.line), k,
            "unknown field (expected provider, description, [enforcement] or [[rule]] tables)");
      }
    }
    if (!have_provider && !doc.contains("provider")) {
      add(1, "provider", "missing: the policy must name the provider it governs (provider = \"starlink\")");
    }
    if (!rules && !doc.contains("rule")) {
      add(1, "rule", "no [[rule]] tables: a policy without rules denies everything; add at least one rule");
    }
    if (rules) {
      if (rules->empty()) add(rules_line, "rule", "no rules");
      std::size_t k = 0;
      for (auto&& node : *rules) parse_rule(*node.as_table(), k++, *data);
    }
    if (!issues_.empty()) {
      std::stable_sort(issues_.begin(), issues_.end(), [](const InputError& a, const InputError& b) {
        return a.where().line < b.where().line;
      });
      throw PolicyError(std::move(issues_));
    }
    build(*data);
    return data;
  }

 private:
  int line_of(const toml::node& n) const { return static_cast<int>(n.source().begin.line); }

  void add(int line, const std::string& field, const std::string& what) {
    issues_.emplace_back(SourceLocation{source_, line, field}, what);
  }

  std::optional<std::string> string_of(const toml::node& n, const std::string& field) {
    if (const auto* s = n.as_string()) return s->get();
    add(line_of(n), field, "expected a string, found " + toml_type_name(n));
    return std::nullopt;
  }

  // A string or an array of strings, each non-empty.
  std::vector<std::string> strings_of(const toml::node& n, const std::string& field, bool lowered) {
    std::vector<std::string> out;
    auto one = [&](const toml::node& e, const std::string& f) {
      if (const auto* s = e.as_string()) {
        if (s->get().empty()) {
          add(line_of(e), f, "expected a non-empty string");
        } else {
          out.push_back(lowered ? lower(s->get()) : s->get());
        }
      } else {
        add(line_of(e), f, "expected a string, found " + toml_type_name(e));
      }
    };
    if (const auto* a = n.as_array()) {
      if (a->empty()) add(line_of(n), field, "expected at least one value (leave the field out for \"any\")");
      std::size_t i = 0;
      for (auto&& e : *a) one(e, field + "[" + std::to_string(i++) + "]");
    } else {
      one(n, field);
    }
    return out;
  }

  std::optional<time::Instant> instant_of(const toml::node& n, const std::string& field) {
    std::string text;
    if (const auto* s = n.as_string()) {
      text = s->get();
    } else if (const auto* dt = n.as_date_time()) {
      const toml::date_time& v = dt->get();
      if (!v.offset) {
        add(line_of(n), field, "expected a UTC time (a TOML date-time needs Z or an offset)");
        return std::nullopt;
      }
      text = toml_iso8601(v);
    } else if (const auto* d = n.as_date()) {
      const toml::date& v = d->get();
      text = std::to_string(v.year) + "-" + (v.month < 10 ? "0" : "") + std::to_string(v.month) + "-" +
             (v.day < 10 ? "0" : "") + std::to_string(v.day);
    } else {
      add(line_of(n), field,
          "expected an ISO-8601 UTC time such as \"2026-01-01T00:00:00Z\", found " + toml_type_name(n));
      return std::nullopt;
    }
    try {
      return time::parse_iso8601(text, field);
    } catch (const InputError& e) {
      add(line_of(n), field, e.detail());
      return std::nullopt;
    }
  }

  // One ring: an array of [lon_deg, lat_deg] pairs.
  std::optional<earth::Ring> ring_of(const toml::node& n, const std::string& field) {
    const auto* a = n.as_array();
    if (!a) {
      add(line_of(n), field, "expected an array of [lon_deg, lat_deg] positions, found " + toml_type_name(n));
      return std::nullopt;
    }
    earth::Ring ring;
    std::size_t i = 0;
    for (auto&& p : *a) {
      const std::string f = field + "[" + std::to_string(i++) + "]";
      const auto* pa = p.as_array();
      if (!pa || pa->size() != 2 || !(*pa)[0].is_number() || !(*pa)[1].is_number()) {
        add(line_of(p), f, "expected a position [lon_deg, lat_deg] of two numbers");
        return std::nullopt;
      }
      ring.push_back({(*pa)[0].value<double>().value_or(0.0), (*pa)[1].value<double>().value_or(0.0)});
    }
    return ring;
  }

  // `polygon`: one ring, or an array of rings (outer rings and holes by the even-odd rule).
  std::optional<earth::Region> polygon_of(const toml::node& n, const std::string& id,
                                          const std::string& field) {
    const auto* a = n.as_array();
    if (!a || a->empty()) {
      add(line_of(n), field, "expected an array of rings of [lon_deg, lat_deg] positions");
      return std::nullopt;
    }
    std::vector<earth::Ring> rings;
    const toml::node& first = (*a)[0];
    const bool one_ring =
        first.is_array() && !first.as_array()->empty() && (*first.as_array())[0].is_number();
    if (one_ring) {
      auto r = ring_of(n, field);
      if (!r) return std::nullopt;
      rings.push_back(std::move(*r));
    } else {
      std::size_t i = 0;
      for (auto&& r : *a) {
        auto ring = ring_of(r, field + "[" + std::to_string(i++) + "]");
        if (!ring) return std::nullopt;
        rings.push_back(std::move(*ring));
      }
    }
    try {
      return earth::Region::from_rings(id, rings, SourceLocation{source_, line_of(n), field});
    } catch (const InputError& e) {
      issues_.push_back(e);
      return std::nullopt;
    }
  }

  // A finite number >= 0 (integer or float).
  std::optional<double> non_negative_of(const toml::node& n, const std::string& field, const char* what) {
    const std::optional<double> v = n.value<double>();
    if (!n.is_number() || !v || !std::isfinite(*v) || *v < 0.0) {
      add(line_of(n), field,
          std::string("expected ") + what + " (a number >= 0), found " +
              (n.is_number() ? number(v.value_or(0.0)) : toml_type_name(n)));
      return std::nullopt;
    }
    return v;
  }

  // [enforcement]: level, mode and delay.
  void parse_enforcement(const toml::node& node, internal::PolicyData& data) {
    const auto* t = node.as_table();
    if (!t) {
      add(line_of(node), "enforcement", "expected a table [enforcement], found " + toml_type_name(node));
      return;
    }
    Enforcement e;
    const toml::node* mode_node = nullptr;
    for (auto&& [key, value] : *t) {
      const std::string k(key.str());
      const std::string f = "enforcement." + k;
      const int line = line_of(value);
      if (k == "level") {
        const auto* i = value.as_integer();
        if (!i || i->get() < 0 || i->get() > 30) {
          add(line, f,
              "expected an S2 cell level, an integer 0-30 (Starlink's service cells are about level 9), "
              "found " +
                  (i ? std::to_string(i->get()) : toml_type_name(value)));
        } else {
          e.level = static_cast<int>(i->get());
        }
      } else if (k == "mode") {
        mode_node = &value;
        if (auto s = string_of(value, f)) {
          if (*s == "exact") {
            e.mode = CellMode::exact;
          } else if (*s == "centre" || *s == "center") {
            e.mode = CellMode::centre;
          } else if (*s == "any") {
            e.mode = CellMode::any;
          } else if (*s == "all") {
            e.mode = CellMode::all;
          } else {
            add(line, f, "expected \"exact\", \"centre\", \"any\" or \"all\", found " + show(*s));
          }
        }
      } else if (k == "delay") {
        if (auto s = string_of(value, f)) {
          try {
            e.delay = time::parse_duration(*s, f);
            if (e.delay < time::Duration{}) add(line, f, "expected a duration >= 0, found " + show(*s));
          } catch (const InputError& err) {
            add(line, f, err.detail());
          }
        }
      } else {
        add(static_cast<int>(key.source().begin.line), f, "unknown field (expected level, mode, delay)");
      }
    }
    if (e.level >= 0 && !mode_node) e.mode = CellMode::centre;
    if (e.mode != CellMode::exact && e.level < 0) {
      add(line_of(*mode_node), "enforcement.mode",
          "mode " + std::string(to_string(e.mode)) + " decides per service cell: give the cells' level too");
    }
    if (e.mode == CellMode::exact && e.level >= 0 && mode_node) {
      add(line_of(*mode_node), "enforcement.mode",
          "mode exact decides at the terminal's position: leave level out");
    }
    data.enforcement = e;
  }

  std::optional<earth::Region> region_of(const std::string& spec, int line, const std::string& field) {
    if (auto it = region_cache_.find(spec); it != region_cache_.end()) return it->second;
    try {
      std::optional<earth::Region> r;
      if (is_region_file(spec)) {
        const auto hash = spec.find('#');
        const std::string file = spec.substr(0, hash);
        const std::string name = hash == std::string::npos ? std::string() : spec.substr(hash + 1);
        std::filesystem::path p(file);
        if (p.is_relative()) p = std::filesystem::path(source_).parent_path() / p;
        std::error_code ec;
        if (!std::filesystem::is_regular_file(p, ec)) {
          add(line, field, "region " + show(spec) + ": " + p.string() + " is not a readable file");
          return std::nullopt;
        }
        r = earth::read_region_file(p.string(), name);
      } else {
        if (!borders_) {
          if (options_.data_dir.empty()) {
            add(line, field, "a country region needs the bundled data folder (none was given)");
            return std::nullopt;
          }
          borders_ = earth::CountryBorders::read_bundled(options_.data_dir);
        }
        r = borders_->find(spec);
      }
      region_cache_.emplace(spec, *r);
      return r;
    } catch (const InputError& e) {
      add(line, field, "region " + show(spec) + ": " + std::string(e.what()));
      return std::nullopt;
    } catch (const std::exception& e) {
      // A reader failing other than with InputError (e.g. a JSON type error): still one located issue.
      add(line, field, "region " + show(spec) + ": cannot read it: " + std::string(e.what()));
      return std::nullopt;
    }
  }

  // What parse_rule's checks of the whole rule need to know of its keys.
  struct RuleKeys {
    bool have_effect = false;
    bool have_region = false;
    const toml::node* where = nullptr;
    const toml::node* state = nullptr;  // max_speed_kmh or roaming_days
  };

  // One key of a rule into `r`. Returns false for an unknown key (the caller reports it).
  bool read_rule_key(const std::string& name, const toml::node& node, const std::string& f,
                     const std::string& base, Rule& r, RuleKeys& keys) {
    const int line = line_of(node);
    if (name == "id") {
      if (auto s = string_of(node, f)) {
        if (s->empty()) {
          add(line, f, "expected a non-empty rule id");
        } else {
          r.id = *s;
        }
      }
    } else if (name == "effect") {
      if (auto s = string_of(node, f)) {
        if (*s == "permit") {
          r.effect = Effect::permit;
          keys.have_effect = true;
        } else if (*s == "forbid") {
          r.effect = Effect::forbid;
          keys.have_effect = true;
        } else {
          add(line, f, "expected \"permit\" or \"forbid\", found " + show(*s));
        }
      }
    } else if (name == "description") {
      if (auto s = string_of(node, f)) r.description = *s;
    } else if (name == "provider" || name == "providers") {
      r.providers = strings_of(node, f, true);
    } else if (name == "region") {
      keys.have_region = true;
      const std::vector<std::string> specs = strings_of(node, f, false);
      for (const std::string& spec : specs) {
        if (auto reg = region_of(spec, line, f)) {
          r.regions.push_back(*reg);
          r.region_specs.push_back(spec);
        }
      }
    } else if (name == "polygon") {
      keys.have_region = true;
      if (auto reg = polygon_of(node, r.id.empty() ? base : r.id, f)) {
        r.regions.push_back(*reg);
        r.region_specs.emplace_back("an inline polygon");
      }
    } else if (name == "where") {
      keys.where = &node;
      if (auto s = string_of(node, f)) {
        if (*s == "inside") {
          r.side = Side::inside;
        } else if (*s == "outside") {
          r.side = Side::outside;
        } else {
          add(line, f, "expected \"inside\" or \"outside\", found " + show(*s));
        }
      }
    } else if (name == "customers" || name == "customer") {
      r.customers = strings_of(node, f, true);
    } else if (name == "terminals") {
      r.terminals = strings_of(node, f, false);
    } else if (name == "groups") {
      r.groups = strings_of(node, f, false);
    } else if (name == "exempt_terminals") {
      r.exempt_terminals = strings_of(node, f, false);
    } else if (name == "exempt_groups") {
      r.exempt_groups = strings_of(node, f, false);
    } else if (name == "max_speed_kmh") {
      keys.state = &node;
      r.max_speed_kmh = non_negative_of(node, f, "a speed in km/h");
    } else if (name == "roaming_days") {
      keys.state = &node;
      r.roaming_days = non_negative_of(node, f, "a number of days");
    } else if (name == "from") {
      r.from = instant_of(node, f);
    } else if (name == "until") {
      r.until = instant_of(node, f);
    } else if (name == "hours_utc") {
      if (auto s = string_of(node, f)) {
        r.hours_utc = parse_hours(*s);
        if (!r.hours_utc) {
          add(line, f,
              "expected a daily UTC window \"HH:MM-HH:MM\" (e.g. \"22:00-06:00\"), found " + show(*s));
        } else if (r.hours_utc->start_min == r.hours_utc->end_min) {
          add(line, f, "empty or full-day window " + show(*s) + " (leave hours_utc out for all day)");
        }
      }
    } else {
      return false;
    }
    return true;
  }

  // The checks of a rule as a whole: required keys, keys that go together or exclude each other, and
  // rule ids unique in the file.
  void check_rule(const toml::table& t, const std::string& base, const Rule& r, const RuleKeys& keys) {
    const int line = line_of(t);
    if (r.id.empty() && !t.contains("id")) add(line, base + ".id", "missing: every rule needs an id");
    if (!keys.have_effect && !t.contains("effect")) {
      add(line, base + ".effect", "missing: expected effect = \"permit\" or \"forbid\"");
    }
    if (t.contains("region") && t.contains("polygon")) {
      add(line, base, "give either region or polygon, not both (list several regions as region = [...])");
    }
    if (keys.where && !keys.have_region)
      add(line_of(*keys.where), base + ".where", "where needs a region or polygon");
    if (keys.state && keys.have_effect && r.effect == Effect::permit) {
      add(line_of(*keys.state), base,
          "max_speed_kmh and roaming_days belong in forbid rules (they say when "
          "service is denied); found them in a permit rule");
    }
    if (r.from && r.until && !(*r.from < *r.until)) {
      add(line_of(*t.get("until")), base + ".until", "expected a time after `from`");
    }
    if (!r.id.empty()) {
      if (auto it = ids_.find(r.id); it != ids_.end()) {
        add(line, base + ".id",
            "duplicate rule id " + show(r.id) + " (first at line " + std::to_string(it->second) + ")");
      } else {
        ids_.emplace(r.id, line);
      }
    }
  }

  void parse_rule(const toml::table& t, std::size_t k, internal::PolicyData& data) {
    const std::string base = "rule[" + std::to_string(k) + "]";
    Rule r;
    r.defined_at = SourceLocation{source_, line_of(t), base};
    const std::size_t issues_before = issues_.size();
    RuleKeys keys;
    for (auto&& [key, node] : t) {
      const std::string name(key.str());
      const std::string f = base + "." + name;
      if (!read_rule_key(name, node, f, base, r, keys)) {
        add(static_cast<int>(key.source().begin.line), f,
            "unknown field (expected id, effect, description, providers, region, polygon, where, customers, "
            "terminals, groups, exempt_terminals, exempt_groups, from, until, hours_utc, max_speed_kmh, "
            "roaming_days)");
      }
    }
    check_rule(t, base, r, keys);
    if (issues_.size() == issues_before) data.rules.push_back(std::move(r));
  }

  // Index and summaries, after every rule is known good.
  void build(internal::PolicyData& data) {
    std::vector<earth::Region> regions;
    std::map<const void*, std::uint32_t> id_of;  // by polygon identity: a shared region is indexed once
    for (std::size_t k = 0; k < data.rules.size(); ++k) {
      Rule& r = data.rules[k];
      std::vector<std::uint32_t> ids;
      for (const earth::Region& reg : r.regions) {
        const void* key = &reg.data();
        auto [it, inserted] = id_of.emplace(key, static_cast<std::uint32_t>(regions.size()));
        if (inserted) regions.push_back(reg);
        ids.push_back(it->second);
      }
      data.regions_of_rule.push_back(ids);
      data.union_of_rule.emplace_back();
      if (r.regions.size() > 1) data.union_of_rule.back() = earth::Region::union_of(r.regions, r.id);
      r.summary = summarize(r);
    }
    data.inside_rules_of_region.resize(regions.size());
    for (std::size_t k = 0; k < data.rules.size(); ++k) {
      const Rule& r = data.rules[k];
      if (r.regions.empty() || r.side == Side::outside) {
        data.always_candidates.push_back(static_cast<std::uint32_t>(k));
      } else {
        for (std::uint32_t id : data.regions_of_rule[k]) {
          auto& v = data.inside_rules_of_region[id];
          if (v.empty() || v.back() != k) v.push_back(static_cast<std::uint32_t>(k));
        }
      }
    }
    data.regions = regions;
    data.index = internal::RegionIndex(std::move(regions));
  }

  // A number as short as it reads: 90, 1.5.
  static std::string number(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%g", v);
    return buf;
  }

  static std::string join(const std::vector<std::string>& v) {
    std::string out;
    for (const auto& s : v) out += (out.empty() ? "" : ", ") + s;
    return out;
  }

  std::string summarize(const Rule& r) const {
    std::vector<std::string> parts;
    if (!r.providers.empty()) parts.push_back("providers " + join(r.providers));
    if (!r.regions.empty()) {
      parts.push_back(std::string(r.side == Side::inside ? "inside " : "outside ") + join(r.region_specs));
    }
    if (!r.customers.empty()) parts.push_back("customers " + join(r.customers));
    if (!r.terminals.empty() || !r.groups.empty()) {
      std::string s;
      if (!r.terminals.empty()) s = "terminals " + join(r.terminals);
      if (!r.groups.empty()) s += (s.empty() ? "" : " or ") + std::string("groups ") + join(r.groups);
      parts.push_back(s);
    }
    if (r.max_speed_kmh) parts.push_back("faster than " + number(*r.max_speed_kmh) + " km/h");
    if (r.roaming_days) {
      parts.push_back("outside the activation country for more than " + number(*r.roaming_days) + " days");
    }
    if (!r.exempt_terminals.empty() || !r.exempt_groups.empty()) {
      std::string s = "except ";
      if (!r.exempt_terminals.empty()) s += "terminals " + join(r.exempt_terminals);
      if (!r.exempt_groups.empty()) {
        s += (r.exempt_terminals.empty() ? "" : " and ") + std::string("groups ") + join(r.exempt_groups);
      }
      parts.push_back(s);
    }
    if (r.from) parts.push_back("from " + time::format_iso8601(*r.from, 0));
    if (r.until) parts.push_back("until " + time::format_iso8601(*r.until, 0));
    if (r.hours_utc) {
      auto hm = [](int m) {
        const int h = m / 60, mm = m % 60;
        return std::string(h < 10 ? "0" : "") + std::to_string(h) + (mm < 10 ? ":0" : ":") +
               std::to_string(mm);
      };
      parts.push_back("daily " + hm(r.hours_utc->start_min) + "-" + hm(r.hours_utc->end_min) + " UTC");
    }
    if (parts.empty()) return "everywhere, always";
    std::string out;
    for (const auto& p : parts) out += (out.empty() ? "" : "; ") + p;
    return out;
  }

  std::string source_;
  const LoadOptions& options_;
  std::vector<InputError> issues_;
  std::map<std::string, int> ids_;  // rule id -> line
  std::optional<earth::CountryBorders> borders_;
  std::map<std::string, earth::Region> region_cache_;
};

std::string message_of(const std::vector<InputError>& issues) {
  if (issues.empty()) return "invalid policy";
  std::string m = issues.front().what();
  if (issues.size() > 1) m += " (and " + std::to_string(issues.size() - 1) + " more problems)";
  return m;
}

}  // namespace

PolicyError::PolicyError(std::vector<InputError> issues)
    : InputErrors(message_of(issues), std::move(issues)) {}

Policy Policy::parse(std::string_view toml_text, const std::string& source, const LoadOptions& options) {
  Parser p(source, options);
  return Policy(p.parse(toml_text));
}

Policy Policy::load_file(const std::string& path, const LoadOptions& options) {
  return parse(read_file(path, "policy file"), path, options);
}

}  // namespace skyfence::policy
