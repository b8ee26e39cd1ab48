// Service model files (format in service_model.h). Every problem is collected with its line and key
// before anything is returned, so a bad file yields the whole list at once.
#include "skyfence/capacity/service_model.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <numbers>
#include <set>
#include <stdexcept>
#include <system_error>
#include <utility>

#include <toml++/toml.h>

#include "skyfence/core/read_file.h"
#include "skyfence/core/toml_text.h"

namespace skyfence::capacity {
namespace {

constexpr double kRadPerDeg = std::numbers::pi / 180.0;

bool glob_match(std::string_view pattern, std::string_view text) {
  // Iterative glob with backtracking to the last '*'.
  std::size_t p = 0, t = 0, star = std::string_view::npos, mark = 0;
  while (t < text.size()) {
    if (p < pattern.size() && (pattern[p] == '?' || pattern[p] == text[t])) {
      ++p;
      ++t;
    } else if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      mark = t;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      t = ++mark;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

// Reads one file's keys, recording problems instead of throwing.
class Reader {
 public:
  explicit Reader(std::string source) : source_(std::move(source)) {}

  void problem(const toml::node* at, const std::string& field, const std::string& what) {
    const int line = at ? static_cast<int>(at->source().begin.line) : 0;
    issues_.emplace_back(SourceLocation{source_, line, field}, what);
  }

  // Keys of `table` not in `known` are problems.
  void only(const toml::table& table, std::string_view prefix,
            std::initializer_list<std::string_view> known) {
    for (const auto& [key, node] : table) {
      if (std::find(known.begin(), known.end(), key.str()) == known.end()) {
        problem(&node, std::string(prefix) + std::string(key.str()), "unknown key (see docs/capacity.md)");
      }
    }
  }

  std::optional<double> number(const toml::table& t, std::string_view key, std::string_view prefix,
                               bool required) {
    const toml::node* n = t.get(key);
    const std::string field = std::string(prefix) + std::string(key);
    if (!n) {
      if (required) problem(&t, field, "missing (a number is required)");
      return std::nullopt;
    }
    if (auto v = n->value<double>(); v && n->is_number()) {
      if (!std::isfinite(*v)) {
        problem(n, field, "expected a finite number");
        return std::nullopt;
      }
      return v;
    }
    problem(n, field, "expected a number, found " + toml_type_name(*n));
    return std::nullopt;
  }

  std::optional<std::int64_t> integer(const toml::table& t, std::string_view key, std::string_view prefix,
                                      bool required) {
    const toml::node* n = t.get(key);
    const std::string field = std::string(prefix) + std::string(key);
    if (!n) {
      if (required) problem(&t, field, "missing (an integer is required)");
      return std::nullopt;
    }
    if (n->is_integer()) return n->value<std::int64_t>();
    problem(n, field, "expected an integer, found " + toml_type_name(*n));
    return std::nullopt;
  }

  std::optional<std::string> string(const toml::table& t, std::string_view key, std::string_view prefix,
                                    bool required) {
    const toml::node* n = t.get(key);
    const std::string field = std::string(prefix) + std::string(key);
    if (!n) {
      if (required) problem(&t, field, "missing (a string is required)");
      return std::nullopt;
    }
    if (n->is_string()) return n->value<std::string>();
    problem(n, field, "expected a string, found " + toml_type_name(*n));
    return std::nullopt;
  }

  // A number checked against [low, high] (open at the top when high_open).
  double ranged(const toml::table& t, std::string_view key, std::string_view prefix, bool required,
                double low, double high, bool high_open, double fallback, const std::string& expected) {
    const auto v = number(t, key, prefix, required);
    if (!v) return fallback;
    if (*v < low || (high_open ? *v >= high : *v > high)) {
      problem(t.get(key), std::string(prefix) + std::string(key), "expected " + expected);
      return fallback;
    }
    return *v;
  }

  std::vector<double> numbers(const toml::table& t, std::string_view key, std::string_view prefix) {
    std::vector<double> out;
    const toml::node* n = t.get(key);
    const std::string field = std::string(prefix) + std::string(key);
    if (!n) {
      problem(&t, field, "missing (an array of numbers is required)");
      return out;
    }
    const toml::array* a = n->as_array();
    if (!a || a->empty()) {
      problem(n, field, "expected a non-empty array of numbers");
      return out;
    }
    for (const toml::node& e : *a) {
      const auto v = e.value<double>();
      if (!e.is_number() || !v || !std::isfinite(*v)) {
        problem(&e, field, "expected a number, found " + toml_type_name(e));
        return {};
      }
      out.push_back(*v);
    }
    return out;
  }

  const std::string& source() const { return source_; }
  std::vector<InputError>& issues() { return issues_; }

 private:
  std::string source_;
  std::vector<InputError> issues_;
};

// A spectral-efficiency table `name` into (elevations in radians, bit/s/Hz); false when absent (a
// problem when `required`) or bad.
bool read_efficiency_table(Reader& r, const toml::table& doc, const std::string& name, bool required,
                           std::vector<double>& elevation_rad, std::vector<double>& bps_per_hz) {
  const toml::node* n = doc.get(name);
  if (!n && !required) return false;
  const toml::table* t = n ? n->as_table() : nullptr;
  if (!t) {
    r.problem(n ? n : &doc, name,
              n ? "expected a table with elevation_deg and bps_per_hz, found " + toml_type_name(*n)
                : "missing (a table with elevation_deg and bps_per_hz is required)");
    return false;
  }
  const std::string prefix = name + ".";
  r.only(*t, prefix, {"elevation_deg", "bps_per_hz"});
  const std::vector<double> el = r.numbers(*t, "elevation_deg", prefix);
  const std::vector<double> eff = r.numbers(*t, "bps_per_hz", prefix);
  if (el.empty() || eff.empty()) return false;
  if (el.size() != eff.size()) {
    r.problem(t->get("bps_per_hz"), prefix + "bps_per_hz",
              "expected as many values as elevation_deg (" + std::to_string(el.size()) + "), found " +
                  std::to_string(eff.size()));
    return false;
  }
  // Strictly increasing once in radians too: two adjacent doubles in degrees can convert to one.
  std::vector<double> rad;
  for (double e : el) rad.push_back(e * kRadPerDeg);
  for (std::size_t k = 0; k < el.size(); ++k) {
    if (el[k] < 0.0 || el[k] > 90.0 || (k > 0 && rad[k] <= rad[k - 1])) {
      r.problem(t->get("elevation_deg"), prefix + "elevation_deg",
                "expected elevations strictly increasing in [0, 90] degrees");
      return false;
    }
    if (eff[k] <= 0.0) {
      r.problem(t->get("bps_per_hz"), prefix + "bps_per_hz", "expected values > 0 bit/s/Hz");
      return false;
    }
  }
  elevation_rad = std::move(rad);
  bps_per_hz = eff;
  return true;
}

void read_gateways(Reader& r, const toml::table& doc, ServiceModel& m) {
  const toml::node* n = doc.get("gateways");
  if (!n) return;
  const toml::table* t = n->as_table();
  if (!t) {
    r.problem(n, "gateways", "expected a table, found " + toml_type_name(*n));
    return;
  }
  r.only(*t, "gateways.", {"file", "min_elevation_deg", "capacity_gbps"});
  m.has_gateways = true;
  m.gateway_min_elevation_rad = r.ranged(*t, "min_elevation_deg", "gateways.", true, 0.0, 90.0, false, 0.0,
                                         "an elevation in [0, 90] degrees") *
                                kRadPerDeg;
  m.gateway_capacity_mbps =
      r.ranged(*t, "capacity_gbps", "gateways.", true, 1e-9, 1e9, false, 0.0, "a capacity > 0 Gbps") * 1000.0;
  const auto file = r.string(*t, "file", "gateways.", true);
  if (!file) return;
  std::filesystem::path path(*file);
  if (path.is_relative()) path = std::filesystem::path(r.source()).parent_path() / path;
  // Only a non-empty regular file: a device (/dev/zero), a pipe or a kernel file reporting size 0
  // (/proc/self/pagemap) would be read without end.
  std::error_code ec;
  const std::filesystem::file_status st = std::filesystem::status(path, ec);
  if (std::filesystem::exists(st) &&
      (!std::filesystem::is_regular_file(st) || std::filesystem::file_size(path, ec) == 0 || ec)) {
    r.problem(t->get("file"), "gateways.file", "expected a non-empty regular file, found " + path.string());
    return;
  }
  try {
    earth::SiteList list = earth::read_sites_file(path.string());
    for (const InputIssue& issue : list.rejected) r.issues().emplace_back(issue.where, issue.message);
    m.gateways = std::move(list.sites);
    if (m.gateways.empty() && list.rejected.empty()) {
      r.problem(t->get("file"), "gateways.file", "expected at least one gateway in " + path.string());
    }
  } catch (const InputError& e) {
    r.issues().push_back(e);
  }
}

void read_class_uplink(Reader& r, const toml::table& t, const std::string& prefix, SatelliteClass& c);

void read_classes(Reader& r, const toml::table& doc, ServiceModel& m) {
  const toml::node* n = doc.get("satellite_class");
  const toml::array* a = n ? n->as_array() : nullptr;
  if (!a || a->empty()) {
    r.problem(n ? n : &doc, "satellite_class", "missing (at least one [[satellite_class]] is required)");
    return;
  }
  for (std::size_t k = 0; k < a->size(); ++k) {
    const toml::table* t = (*a)[k].as_table();
    const std::string prefix = "satellite_class[" + std::to_string(k) + "].";
    if (!t) {
      r.problem(&(*a)[k], "satellite_class", "expected a table");
      continue;
    }
    r.only(*t, prefix,
           {"name", "name_pattern", "norad_range", "capacity_down_gbps", "beams", "beam_bandwidth_mhz",
            "capacity_up_gbps", "beams_up", "beam_bandwidth_up_mhz"});
    SatelliteClass c;
    c.name = r.string(*t, "name", prefix, true).value_or("");
    c.name_pattern = r.string(*t, "name_pattern", prefix, false).value_or("");
    if (const toml::node* range = t->get("norad_range")) {
      const toml::array* ra = range->as_array();
      if (!ra || ra->size() != 2 || !(*ra)[0].is_integer() || !(*ra)[1].is_integer() ||
          *(*ra)[0].value<std::int64_t>() < 0 ||
          *(*ra)[0].value<std::int64_t>() > *(*ra)[1].value<std::int64_t>() ||
          *(*ra)[1].value<std::int64_t>() > 999999999) {
        r.problem(range, prefix + "norad_range",
                  "expected [low, high]: catalog numbers with 0 <= low <= high");
      } else {
        c.norad_low = static_cast<std::uint32_t>(*(*ra)[0].value<std::int64_t>());
        c.norad_high = static_cast<std::uint32_t>(*(*ra)[1].value<std::int64_t>());
      }
    }
    c.capacity_down_mbps =
        r.ranged(*t, "capacity_down_gbps", prefix, true, 1e-9, 1e9, false, 0.0, "a capacity > 0 Gbps") *
        1000.0;
    c.beam_bandwidth_mhz =
        r.ranged(*t, "beam_bandwidth_mhz", prefix, true, 1e-9, 1e9, false, 0.0, "a bandwidth > 0 MHz");
    if (const auto beams = r.integer(*t, "beams", prefix, true)) {
      if (*beams < 1 || *beams > 100000) {
        r.problem(t->get("beams"), prefix + "beams", "expected an integer in [1, 100000]");
      } else {
        c.beams = static_cast<std::uint32_t>(*beams);
      }
    }
    read_class_uplink(r, *t, prefix, c);
    m.classes.push_back(std::move(c));
  }
}

// The uplink keys of a class: all three or none.
void read_class_uplink(Reader& r, const toml::table& t, const std::string& prefix, SatelliteClass& c) {
  const int given = (t.get("capacity_up_gbps") ? 1 : 0) + (t.get("beams_up") ? 1 : 0) +
                    (t.get("beam_bandwidth_up_mhz") ? 1 : 0);
  if (given == 0) return;
  if (given != 3) {
    r.problem(&t, prefix + "capacity_up_gbps",
              "expected capacity_up_gbps, beams_up and beam_bandwidth_up_mhz together (the uplink), found " +
                  std::to_string(given) + " of them");
    return;
  }
  c.has_uplink = true;
  c.capacity_up_mbps =
      r.ranged(t, "capacity_up_gbps", prefix, true, 1e-9, 1e9, false, 0.0, "a capacity > 0 Gbps") * 1000.0;
  c.beam_bandwidth_up_mhz =
      r.ranged(t, "beam_bandwidth_up_mhz", prefix, true, 1e-9, 1e9, false, 0.0, "a bandwidth > 0 MHz");
  if (const auto beams = r.integer(t, "beams_up", prefix, true)) {
    if (*beams < 1 || *beams > 100000) {
      r.problem(t.get("beams_up"), prefix + "beams_up", "expected an integer in [1, 100000]");
    } else {
      c.beams_up = static_cast<std::uint32_t>(*beams);
    }
  }
}

// Whether the model has an uplink: every class gives its uplink figures, or none does; the uplink's
// efficiency table only with them (the downlink's when they come without one).
void read_uplink(Reader& r, const toml::table& doc, ServiceModel& m) {
  std::size_t with = 0;
  for (const SatelliteClass& c : m.classes) with += c.has_uplink ? 1 : 0;
  const bool table = read_efficiency_table(r, doc, "spectral_efficiency_up", false,
                                           m.efficiency_up_elevation_rad, m.efficiency_up_bps_per_hz);
  if (with > 0 && with < m.classes.size()) {
    for (std::size_t k = 0; k < m.classes.size(); ++k) {
      if (m.classes[k].has_uplink) continue;
      r.problem(doc.get("satellite_class"), "satellite_class[" + std::to_string(k) + "].capacity_up_gbps",
                "missing: every satellite class gives the uplink (capacity_up_gbps, beams_up, "
                "beam_bandwidth_up_mhz) or none does, and class \"" +
                    m.classes[k].name + "\" does not");
    }
    return;
  }
  if (with == 0) {
    if (table || doc.get("spectral_efficiency_up")) {
      r.problem(doc.get("spectral_efficiency_up"), "spectral_efficiency_up",
                "given, but no satellite class has uplink figures (capacity_up_gbps, beams_up, "
                "beam_bandwidth_up_mhz)");
    }
    return;
  }
  m.has_uplink = true;
  if (!table && !doc.get("spectral_efficiency_up")) {
    m.efficiency_up_elevation_rad = m.efficiency_elevation_rad;
    m.efficiency_up_bps_per_hz = m.efficiency_bps_per_hz;
  }
}

void read_priorities(Reader& r, const toml::table& doc, ServiceModel& m) {
  const toml::node* n = doc.get("priorities");
  if (!n) return;
  const toml::array* a = n->as_array();
  if (!a) {
    r.problem(n, "priorities", "expected an array of customer names (or arrays of names sharing a rank)");
    return;
  }
  std::set<std::string> seen;
  std::uint32_t rank = 0;
  const auto add = [&](const toml::node& e) {
    if (!e.is_string() || e.value<std::string>()->empty()) {
      r.problem(&e, "priorities", "expected a customer name (a non-empty string)");
      return;
    }
    const std::string name = *e.value<std::string>();
    if (!seen.insert(name).second) {
      r.problem(&e, "priorities", "customer \"" + name + "\" is ranked twice");
      return;
    }
    m.priorities.emplace_back(name, rank);
  };
  for (const toml::node& e : *a) {
    if (const toml::array* group = e.as_array()) {
      for (const toml::node& g : *group) add(g);
    } else {
      add(e);
    }
    ++rank;
  }
  m.unlisted_rank = rank;
}

}  // namespace

bool SatelliteClass::matches(std::string_view satellite_name, std::uint32_t norad_id) const {
  if (!name_pattern.empty() && !glob_match(name_pattern, satellite_name)) return false;
  if (norad_low && (norad_id < *norad_low || norad_id > *norad_high)) return false;
  return true;
}

double ServiceModel::max_efficiency() const {
  return *std::max_element(efficiency_bps_per_hz.begin(), efficiency_bps_per_hz.end());
}

std::uint32_t ServiceModel::rank(std::string_view customer) const {
  for (const auto& [customer_class, r] : priorities) {
    if (customer_class == customer) return r;
  }
  return unlisted_rank;
}

const SatelliteClass* ServiceModel::class_of(std::string_view satellite_name, std::uint32_t norad_id) const {
  for (const SatelliteClass& c : classes) {
    if (c.matches(satellite_name, norad_id)) return &c;
  }
  return nullptr;
}

double ServiceModel::satellite_capacity_mbps(const SatelliteClass& c) const {
  return std::min(c.capacity_down_mbps, c.beams * c.beam_bandwidth_mhz * max_efficiency()) *
         (1.0 - background_load);
}

ServiceModel uplink_model(const ServiceModel& m) {
  if (!m.has_uplink) throw std::invalid_argument("service model " + m.source + " has no uplink");
  ServiceModel up = m;
  up.efficiency_elevation_rad = m.efficiency_up_elevation_rad;
  up.efficiency_bps_per_hz = m.efficiency_up_bps_per_hz;
  for (SatelliteClass& c : up.classes) {
    c.capacity_down_mbps = c.capacity_up_mbps;
    c.beams = c.beams_up;
    c.beam_bandwidth_mhz = c.beam_bandwidth_up_mhz;
  }
  return up;
}

ServiceModel parse_service_model(std::string_view text, const std::string& source) {
  Reader r(source);
  ServiceModel m;
  m.source = source;
  toml::table doc;
  try {
    doc = toml::parse(text, source);
  } catch (const toml::parse_error& e) {
    throw InputError(SourceLocation{source, static_cast<int>(e.source().begin.line), ""},
                     "not valid TOML: " + std::string(e.description()));
  }
  r.only(doc, "",
         {"name", "status", "cell_level", "max_beams_per_cell", "background_load", "isl", "priorities",
          "spectral_efficiency", "spectral_efficiency_up", "gateways", "satellite_class"});
  m.name = r.string(doc, "name", "", true).value_or("");
  if (m.name.empty() && doc.get("name")) r.problem(doc.get("name"), "name", "expected a non-empty name");
  m.status = r.string(doc, "status", "", false).value_or("deployed");
  if (m.status != "deployed" && m.status != "planned") {
    r.problem(doc.get("status"), "status",
              "expected \"deployed\" or \"planned\", found \"" + m.status + "\"");
  }
  if (const auto level = r.integer(doc, "cell_level", "", true)) {
    if (*level < 0 || *level > 30) {
      r.problem(doc.get("cell_level"), "cell_level", "expected an S2 level in [0, 30]");
    } else {
      m.cell_level = static_cast<int>(*level);
    }
  }
  if (const auto beams = r.integer(doc, "max_beams_per_cell", "", true)) {
    if (*beams < 1 || *beams > 100000) {
      r.problem(doc.get("max_beams_per_cell"), "max_beams_per_cell", "expected an integer in [1, 100000]");
    } else {
      m.max_beams_per_cell = static_cast<std::uint32_t>(*beams);
    }
  }
  m.background_load =
      r.ranged(doc, "background_load", "", false, 0.0, 1.0, true, 0.0, "a fraction in [0, 1)");
  if (const toml::node* isl = doc.get("isl")) {
    if (isl->is_boolean()) {
      m.isl = *isl->value<bool>();
    } else {
      r.problem(isl, "isl", "expected true or false, found " + toml_type_name(*isl));
    }
  } else {
    r.problem(&doc, "isl", "missing (true: inter-satellite links; false: bent pipe)");
  }
  read_priorities(r, doc, m);
  read_efficiency_table(r, doc, "spectral_efficiency", true, m.efficiency_elevation_rad,
                        m.efficiency_bps_per_hz);
  read_gateways(r, doc, m);
  read_classes(r, doc, m);
  read_uplink(r, doc, m);
  if (!r.issues().empty()) {
    std::vector<InputError> issues = std::move(r.issues());
    std::string message = issues.front().what();
    if (issues.size() > 1) message += " (and " + std::to_string(issues.size() - 1) + " more problems)";
    throw InputErrors(message, std::move(issues));
  }
  return m;
}

ServiceModel read_service_model(const std::string& path) {
  return parse_service_model(read_file(path, "service model"), path);
}

}  // namespace skyfence::capacity
