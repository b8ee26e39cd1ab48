// Constellation presets from data/constellations/shells.json. See presets.h for the layout rules.
#include "skyfence/orbits/presets.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <fstream>
#include <iterator>
#include <set>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

#include "skyfence/core/error.h"

namespace skyfence::orbits {

namespace {

using nlohmann::json;

// A phasing decision for shells whose sources give no Walker F (see presets.h). kHalfSlot: adjacent
// planes offset by half the in-plane slot spacing, i.e. F = planes / 2.
constexpr int kHalfSlot = -1;
struct PhasingChoice {
  std::string_view preset;
  std::string_view shell;  // empty: every shell of the preset
  int f;
  std::string_view why;
};

constexpr PhasingChoice kPhasingChoices[] = {
    {"starlink_gen1", "", kHalfSlot,
     "adjacent planes offset half a slot, as Hypatia (PHASE_DIFF=True, shell 1) and LEOCraft "
     "(phase_offset=50%) generate Starlink; StarPerf uses F=1 and hermes 0 (marked as doubtful); "
     "applied to every Gen1 shell"},
    {"starlink_gen2", "", kHalfSlot,
     "no cited source publishes Gen2 phasing; Starlink Gen1's choice (half a slot, after Hypatia and "
     "LEOCraft) is carried over"},
    {"oneweb_gen1_deployed", "", kHalfSlot,
     "half a slot between adjacent planes, as hermes transcribes OneWeb's 2016 filing (4.5 of 9 degrees)"},
    {"oneweb_phase2_2021", "", kHalfSlot,
     "no cited source publishes phase-2 phasing; the half-slot offset of OneWeb's 2016 filing (hermes) "
     "is carried over"},
    {"telesat_lightspeed_2020", "Telesat polar", 1,
     "hermes (from the SAT-MPL-20200526-00053 tables) offsets each plane by 1.025 deg ~ 360/351, "
     "Walker F=1; Hypatia's half slot (PHASE_DIFF=True) is no Walker phasing for 27 planes"},
    {"telesat_lightspeed_2020", "Telesat inclined", 24,
     "hermes offsets planes by [0,3,1,4,2] x 2.18 deg, fifths of the 10.9-degree slot: 3/5 of a slot "
     "per plane, Walker F=24"},
    {"iridium_next", "", kHalfSlot, "odd planes shifted half a slot (SaVi iridium-66.tcl)"},
};

// Near-polar shells without an explicit RAAN spacing are Walker stars (presets.h).
constexpr double kStarWithinDegOfPolar = 5.0;

std::string normalise_id(std::string_view id) {
  std::string s(id);
  for (char& c : s) {
    c = c == '-' ? '_' : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return s;
}

std::string upper(std::string s) {
  for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

std::string number_text(double v) {
  std::ostringstream os;
  os << v;
  return os.str();
}

class Reader {
 public:
  explicit Reader(std::string source) : source_(std::move(source)) {}

  [[noreturn]] void fail(const std::string& path, const std::string& what) const {
    throw InputError(SourceLocation{source_, 0, path}, what);
  }

  static std::string found(const json& v) {
    std::string s = v.dump();
    if (s.size() > 60) s = s.substr(0, 57) + "...";
    return s;
  }

  const json& member(const json& obj, const std::string& path, const char* key) const {
    const auto it = obj.find(key);
    if (it == obj.end())
      fail(path.empty() ? std::string(key) : path + "." + key, "expected this field, found none");
    return *it;
  }

  std::string string(const json& obj, const std::string& path, const char* key, bool required) const {
    const auto it = obj.find(key);
    if (it == obj.end() || it->is_null()) {
      if (required) fail(path + "." + key, "expected a string, found none");
      return {};
    }
    if (!it->is_string()) fail(path + "." + key, "expected a string, found " + found(*it));
    return it->get<std::string>();
  }

  std::optional<double> number(const json& obj, const std::string& path, const char* key) const {
    const auto it = obj.find(key);
    if (it == obj.end() || it->is_null()) return std::nullopt;
    if (!it->is_number()) fail(path + "." + key, "expected a number or null, found " + found(*it));
    const double v = it->get<double>();
    if (!std::isfinite(v)) fail(path + "." + key, "expected a finite number, found " + found(*it));
    return v;
  }

  std::optional<int> count(const json& obj, const std::string& path, const char* key, int min) const {
    const auto it = obj.find(key);
    if (it == obj.end() || it->is_null()) return std::nullopt;
    if (!it->is_number_integer() || it->get<long long>() < min || it->get<long long>() > 10'000'000) {
      fail(path + "." + key,
           "expected an integer of at least " + std::to_string(min) + " (or null), found " + found(*it));
    }
    return static_cast<int>(it->get<long long>());
  }

  std::vector<std::string> strings(const json& obj, const std::string& path, const char* key) const {
    const auto it = obj.find(key);
    std::vector<std::string> out;
    if (it == obj.end() || it->is_null()) return out;
    if (!it->is_array()) fail(path + "." + key, "expected an array of strings, found " + found(*it));
    for (std::size_t i = 0; i < it->size(); ++i) {
      const json& e = (*it)[i];
      if (!e.is_string())
        fail(path + "." + key + "[" + std::to_string(i) + "]", "expected a string, found " + found(e));
      out.push_back(e.get<std::string>());
    }
    return out;
  }

 private:
  std::string source_;
};

// Why the shell cannot be generated (its inclination, planes or satellites per plane not published),
// or nothing when it can.
std::string missing_layout_note(const PresetShell& shell) {
  std::vector<std::string> missing;
  if (!shell.inclination_deg) missing.push_back("inclination");
  if (!shell.planes) missing.push_back("planes");
  if (!shell.sats_per_plane) missing.push_back("satellites per plane");
  if (!missing.empty()) {
    std::string list;
    for (std::size_t i = 0; i < missing.size(); ++i) {
      list += (i == 0 ? "" : i + 1 == missing.size() ? " and " : ", ") + missing[i];
    }
    return "only a total of " + std::to_string(shell.total) + " satellites at " +
           number_text(shell.altitude_km) + " km is published; its " + list +
           (missing.size() == 1 ? " is" : " are") + " not, so it cannot be generated";
  }
  return {};
}

// Sets w.pattern (and w.raan_step_deg) from the published RAAN spacing, else by inclination; returns the
// note that says which and why.
std::string decide_pattern(const PresetShell& shell, WalkerShell& w, const std::string& path,
                           const Reader& r) {
  const double delta_step = 360.0 / w.planes;
  if (shell.raan_spacing_deg) {
    const double step = *shell.raan_spacing_deg;
    if (std::abs(step - delta_step) < 1e-6) {
      w.pattern = WalkerPattern::delta;
      return "delta (the published RAAN spacing " + number_text(step) + " deg is 360/planes)";
    }
    if (!(step > 0.0 && step * (w.planes - 1) < 360.0)) {
      r.fail(path + ".raan_spacing_deg",
             "expected a RAAN spacing whose planes span less than 360 degrees, found " + number_text(step));
    }
    w.pattern = WalkerPattern::star;
    w.raan_step_deg = step;
    return "star with the published RAAN spacing " + number_text(step) + " deg";
  }
  if (std::abs(w.inclination_deg - 90.0) <= kStarWithinDegOfPolar) {
    w.pattern = WalkerPattern::star;
    return "star over 180 deg (RAAN step " + number_text(180.0 / w.planes) +
           " deg; near-polar shell, none published)";
  }
  w.pattern = WalkerPattern::delta;
  return "delta over 360 deg (RAAN step " + number_text(delta_step) + " deg; none published)";
}

// Sets w.phasing from the published Walker F or inter-plane phase, else from skyfence's documented
// choices (kPhasingChoices), else 0; returns the note that says which and why.
std::string decide_phasing(const std::string& preset_id, const PresetShell& shell, WalkerShell& w,
                           const std::string& path, const Reader& r) {
  std::string phasing_note;
  const int total = w.total();
  if (shell.walker_f) {
    if (*shell.walker_f >= w.planes) {
      r.fail(path + ".walker_F", "expected a Walker F below the number of planes (" +
                                     std::to_string(w.planes) + "), found " +
                                     std::to_string(*shell.walker_f));
    }
    w.phasing = *shell.walker_f;
    phasing_note = "F=" + std::to_string(w.phasing) + " as published (walker_F)";
  } else if (shell.interplane_phase_deg) {
    const double f = *shell.interplane_phase_deg * total / 360.0;
    const double rounded = std::round(f);
    if (std::abs(f - rounded) > 1e-6 || rounded < 0.0 || rounded >= w.planes) {
      r.fail(path + ".interplane_phase_deg",
             "expected a multiple of 360/total = " + number_text(360.0 / total) +
                 " deg below one slot (a Walker phasing), found " + number_text(*shell.interplane_phase_deg));
    }
    w.phasing = static_cast<int>(rounded);
    phasing_note = "F=" + std::to_string(w.phasing) + " from the published inter-plane phase " +
                   number_text(*shell.interplane_phase_deg) + " deg";
  } else {
    const PhasingChoice* choice = nullptr;
    for (const PhasingChoice& c : kPhasingChoices) {
      if (c.preset == preset_id && (c.shell.empty() || c.shell == shell.name)) {
        choice = &c;
        break;
      }
    }
    if (choice == nullptr) {
      w.phasing = 0;
      phasing_note = "F=0 (no source publishes this shell's phasing and skyfence has no documented choice)";
    } else if (choice->f == kHalfSlot) {
      w.phasing = w.planes / 2;
      phasing_note = "F=" + std::to_string(w.phasing) + ": " + std::string(choice->why);
      if (w.planes % 2 != 0)
        phasing_note += " (odd plane count: the nearest Walker phasing below half a slot)";
    } else {
      w.phasing = choice->f % w.planes;
      phasing_note = "F=" + std::to_string(w.phasing) + ": " + std::string(choice->why);
    }
  }
  return phasing_note;
}

// Fills shell.layout and shell.layout_note (presets.h: the rules).
void decide_layout(const std::string& preset_id, PresetShell& shell, const std::string& path,
                   const Reader& r) {
  if (std::string note = missing_layout_note(shell); !note.empty()) {
    shell.layout_note = std::move(note);
    return;
  }
  WalkerShell w;
  w.altitude_km = shell.altitude_km;
  w.inclination_deg = *shell.inclination_deg;
  w.planes = *shell.planes;
  w.sats_per_plane = *shell.sats_per_plane;
  const std::string pattern_note = decide_pattern(shell, w, path, r);
  const std::string phasing_note = decide_phasing(preset_id, shell, w, path, r);
  shell.layout = w;
  shell.layout_note = pattern_note + "; " + phasing_note;
}

PresetSource read_source(const json& v, const std::string& key, const Reader& r) {
  const std::string path = "sources." + key;
  if (!v.is_object()) r.fail(path, "expected an object, found " + Reader::found(v));
  PresetSource s;
  s.key = key;
  s.repo = r.string(v, path, "repo", false);
  s.commit = r.string(v, path, "commit", false);
  s.paths = r.strings(v, path, "paths");
  s.url = r.string(v, path, "url", false);
  s.license = r.string(v, path, "license", false);
  s.cites = r.string(v, path, "cites", false);
  if (s.repo.empty() && s.url.empty()) r.fail(path, "expected a \"repo\" or a \"url\", found neither");
  return s;
}

PresetShell read_shell(const json& v, const std::string& path, const std::string& preset_id,
                       const std::set<std::string>& source_keys, const Reader& r) {
  if (!v.is_object()) r.fail(path, "expected an object, found " + Reader::found(v));
  PresetShell s;
  s.name = r.string(v, path, "name", true);
  const std::optional<double> alt = r.number(v, path, "altitude_km");
  if (!alt) r.fail(path + ".altitude_km", "expected the shell's altitude in km, found none");
  if (!(*alt >= 100.0 && *alt <= 40000.0)) {
    r.fail(path + ".altitude_km", "expected 100 to 40000 km, found " + number_text(*alt));
  }
  s.altitude_km = *alt;
  s.inclination_deg = r.number(v, path, "inclination_deg");
  if (s.inclination_deg && !(*s.inclination_deg >= 0.0 && *s.inclination_deg <= 180.0)) {
    r.fail(path + ".inclination_deg",
           "expected 0 to 180 degrees or null, found " + number_text(*s.inclination_deg));
  }
  s.planes = r.count(v, path, "planes", 1);
  s.sats_per_plane = r.count(v, path, "sats_per_plane", 1);
  const std::optional<int> total = r.count(v, path, "total", 1);
  if (!total) r.fail(path + ".total", "expected the shell's total number of satellites, found none");
  s.total = *total;
  if (s.planes && s.sats_per_plane &&
      static_cast<long long>(*s.planes) * *s.sats_per_plane != static_cast<long long>(s.total)) {
    r.fail(path + ".total", "expected planes x sats_per_plane = " + std::to_string(*s.planes) + " x " +
                                std::to_string(*s.sats_per_plane) + " = " +
                                std::to_string(static_cast<long long>(*s.planes) * *s.sats_per_plane) +
                                ", found " + std::to_string(s.total));
  }
  s.walker_f = r.count(v, path, "walker_F", 0);
  s.raan_spacing_deg = r.number(v, path, "raan_spacing_deg");
  s.interplane_phase_deg = r.number(v, path, "interplane_phase_deg");
  s.mean_motion_rev_per_day = r.number(v, path, "mean_motion_rev_per_day");
  s.phasing = r.string(v, path, "phasing", false);
  s.note = r.string(v, path, "note", false);
  s.fcc_status = r.string(v, path, "fcc_status", false);
  s.sources = r.strings(v, path, "sources");
  for (std::size_t i = 0; i < s.sources.size(); ++i) {
    if (!source_keys.contains(s.sources[i])) {
      r.fail(path + ".sources[" + std::to_string(i) + "]",
             "expected a key of the top-level \"sources\" object, found \"" + s.sources[i] + "\"");
    }
  }
  decide_layout(preset_id, s, path, r);
  return s;
}

int line_of_byte(std::string_view text, std::size_t byte) {
  byte = std::min(byte, text.size());
  return 1 +
         static_cast<int>(std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(byte), '\n'));
}

}  // namespace

int Preset::total() const {
  int t = 0;
  for (const PresetShell& s : shells) t += s.total;
  return t;
}

bool Preset::can_generate() const {
  return std::all_of(shells.begin(), shells.end(), [](const PresetShell& s) { return s.can_generate(); });
}

const Preset& PresetLibrary::find(std::string_view id) const {
  const std::string want = normalise_id(id);
  for (const Preset& p : presets) {
    if (normalise_id(p.id) == want) return p;
  }
  std::string known;
  for (const Preset& p : presets) known += (known.empty() ? "" : ", ") + p.id;
  throw InputError(SourceLocation{file, 0, {}},
                   "no constellation preset \"" + std::string(id) + "\"; known: " + known);
}

std::string presets_path(const std::string& data_dir) {
  return data_dir + "/constellations/shells.json";
}

PresetLibrary parse_presets(std::string_view text, std::string_view source) {
  const Reader r{std::string(source)};
  json root;
  try {
    root = json::parse(text.begin(), text.end());
  } catch (const json::parse_error& e) {
    // nlohmann's message reads "[json.exception.parse_error.101] parse error at line L, column C: ...".
    std::string what = e.what();
    if (const auto colon = what.find(": "); colon != std::string::npos) what = what.substr(colon + 2);
    throw InputError(
        SourceLocation{std::string(source), line_of_byte(text, e.byte == 0 ? 0 : e.byte - 1), {}},
        "expected valid JSON: " + what);
  }
  if (!root.is_object()) r.fail("", "expected a JSON object with \"sources\" and \"constellations\"");

  PresetLibrary lib;
  lib.file = std::string(source);
  std::set<std::string> source_keys;
  const json& sources = r.member(root, "", "sources");
  if (!sources.is_object())
    r.fail("sources", "expected an object of sources by key, found " + Reader::found(sources));
  for (const auto& [key, value] : sources.items()) {
    lib.sources.push_back(read_source(value, key, r));
    source_keys.insert(key);
  }

  const json& cons = r.member(root, "", "constellations");
  if (!cons.is_array()) r.fail("constellations", "expected an array, found " + Reader::found(cons));
  std::set<std::string> ids;
  for (std::size_t ci = 0; ci < cons.size(); ++ci) {
    const json& c = cons[ci];
    const std::string path = "constellations[" + std::to_string(ci) + "]";
    if (!c.is_object()) r.fail(path, "expected an object, found " + Reader::found(c));
    Preset p;
    p.id = r.string(c, path, "id", true);
    if (p.id.empty() ||
        p.id.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789_") != std::string::npos) {
      r.fail(path + ".id", "expected a lower-case id of letters, digits and '_', found \"" + p.id + "\"");
    }
    if (!ids.insert(normalise_id(p.id)).second)
      r.fail(path + ".id", "expected a unique id, found \"" + p.id + "\" again");
    p.system = r.string(c, path, "system", true);
    p.operator_name = r.string(c, path, "operator", false);
    p.filing = r.string(c, path, "filing", false);
    const json& shells = r.member(c, path, "shells");
    if (!shells.is_array() || shells.empty()) {
      r.fail(path + ".shells", "expected a non-empty array of shells, found " + Reader::found(shells));
    }
    for (std::size_t si = 0; si < shells.size(); ++si) {
      p.shells.push_back(
          read_shell(shells[si], path + ".shells[" + std::to_string(si) + "]", p.id, source_keys, r));
    }
    std::vector<std::string> cited;
    for (const PresetShell& s : p.shells) {
      for (const std::string& k : s.sources) {
        if (std::find(cited.begin(), cited.end(), k) == cited.end()) cited.push_back(k);
      }
    }
    for (const std::string& k : cited) {
      p.sources.push_back(*std::find_if(lib.sources.begin(), lib.sources.end(),
                                        [&](const PresetSource& s) { return s.key == k; }));
    }
    lib.presets.push_back(std::move(p));
  }
  return lib;
}

PresetLibrary load_presets(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(SourceLocation{path, 0, {}}, "cannot open the constellation shells file");
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) throw InputError(SourceLocation{path, 0, {}}, "cannot read the constellation shells file");
  return parse_presets(text, path);
}

GeneratedConstellation generate(const Preset& preset, time::Instant epoch, const GenerateOptions& options) {
  std::vector<WalkerShell> shells;
  for (const PresetShell& s : preset.shells) {
    if (!s.layout) {
      throw InputError(SourceLocation{preset.id, 0, s.name}, s.layout_note);
    }
    shells.push_back(*s.layout);
  }
  return generate_walker(shells, epoch, WalkerOptions{upper(preset.id), options.first_norad_id});
}

}  // namespace skyfence::orbits
