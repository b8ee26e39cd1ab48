#include "skyfence/network/hypatia.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <stdexcept>
#include <utility>

#include <fmt/core.h>

#include "skyfence/core/error.h"
#include "skyfence/orbits/tle.h"

namespace skyfence::network {
namespace {

std::string read_whole(const std::string& path, const char* what) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(SourceLocation{path, 0, {}}, fmt::format("cannot open {}", what));
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string_view trim(std::string_view s) {
  const auto b = s.find_first_not_of(" \t\r");
  if (b == std::string_view::npos) return {};
  const auto e = s.find_last_not_of(" \t\r");
  return s.substr(b, e - b + 1);
}

// The lines of a text, without their line endings (LF or CRLF).
std::vector<std::string_view> lines_of(std::string_view text) {
  std::vector<std::string_view> out;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(pos, end - pos);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    out.push_back(line);
    pos = end + 1;
  }
  return out;
}

std::vector<std::string_view> split_words(std::string_view s) {
  std::vector<std::string_view> out;
  std::size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
    const std::size_t b = i;
    while (i < s.size() && s[i] != ' ' && s[i] != '\t') ++i;
    if (i > b) out.push_back(s.substr(b, i - b));
  }
  return out;
}

std::vector<std::string_view> split_commas(std::string_view s) {
  std::vector<std::string_view> out;
  std::size_t pos = 0;
  while (true) {
    const std::size_t c = s.find(',', pos);
    out.push_back(trim(s.substr(pos, c == std::string_view::npos ? std::string_view::npos : c - pos)));
    if (c == std::string_view::npos) break;
    pos = c + 1;
  }
  return out;
}

// A whole field as an unsigned integer; throws InputError at `where` naming what was expected.
std::uint64_t parse_index(std::string_view s, const SourceLocation& where, const char* what) {
  std::uint64_t v = 0;
  const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc() || p != s.data() + s.size()) {
    throw InputError(where, fmt::format("expected {} (a whole number >= 0), got \"{}\"", what, s));
  }
  return v;
}

double parse_number(std::string_view s, const SourceLocation& where, const char* what) {
  double v = 0.0;
  const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc() || p != s.data() + s.size() || !std::isfinite(v)) {
    throw InputError(where, fmt::format("expected {} (a finite number), got \"{}\"", what, s));
  }
  return v;
}

// Adds a link once; throws when the pair was given before (either orientation).
void add_unique(std::set<SatellitePair>& seen, std::vector<SatellitePair>& out, std::uint32_t a,
                std::uint32_t b, const SourceLocation& where) {
  const SatellitePair p = a < b ? SatellitePair{a, b} : SatellitePair{b, a};
  if (!seen.insert(p).second) throw InputError(where, "expected each link once, found this one again");
  out.push_back(p);
}

std::vector<SatellitePair> read_index_pairs(const std::vector<std::string_view>& lines,
                                            std::string_view source, std::size_t n_sat) {
  std::vector<SatellitePair> out;
  std::set<SatellitePair> seen;
  for (std::size_t k = 0; k < lines.size(); ++k) {
    const int line_no = static_cast<int>(k + 1);
    const auto words = split_words(lines[k]);
    if (words.empty()) continue;
    const std::string file(source);
    if (words.size() != 2) {
      throw InputError(
          SourceLocation{file, line_no, {}},
          fmt::format("expected two satellite indices \"a b\", found {} field(s)", words.size()));
    }
    std::uint64_t v[2];
    for (int w = 0; w < 2; ++w) {
      const SourceLocation where{file, line_no, w == 0 ? "a" : "b"};
      v[w] = parse_index(words[static_cast<std::size_t>(w)], where, "a satellite index");
      if (v[w] >= n_sat) {
        throw InputError(
            where,
            fmt::format("expected a satellite index below {} (the satellites read), got {}", n_sat, v[w]));
      }
    }
    if (v[0] == v[1])
      throw InputError(SourceLocation{file, line_no, "b"}, "expected two distinct satellites");
    if (v[1] < v[0]) {
      throw InputError(SourceLocation{file, line_no, "b"},
                       fmt::format("expected the second index larger than the first (as Hypatia's isls.txt), "
                                   "got {} {}",
                                   v[0], v[1]));
    }
    add_unique(seen, out, static_cast<std::uint32_t>(v[0]), static_cast<std::uint32_t>(v[1]),
               SourceLocation{file, line_no, {}});
  }
  return out;
}

std::vector<SatellitePair> read_norad_pairs(const std::vector<std::string_view>& lines,
                                            std::string_view source,
                                            std::span<const orbits::ElementSet> satellites) {
  const std::string file(source);
  std::map<std::uint32_t, std::uint32_t> index_of;
  for (std::size_t i = 0; i < satellites.size(); ++i)
    index_of.emplace(satellites[i].norad_id, static_cast<std::uint32_t>(i));
  std::vector<SatellitePair> out;
  std::set<SatellitePair> seen;
  int col_a = -1, col_b = -1;
  std::size_t columns = 0;
  for (std::size_t k = 0; k < lines.size(); ++k) {
    const int line_no = static_cast<int>(k + 1);
    if (trim(lines[k]).empty()) continue;
    const auto f = split_commas(lines[k]);
    if (col_a < 0) {
      for (std::size_t c = 0; c < f.size(); ++c) {
        std::string name(f[c]);
        for (auto& ch : name) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
        if (name == "norad_a") col_a = static_cast<int>(c);
        if (name == "norad_b") col_b = static_cast<int>(c);
      }
      if (col_a < 0 || col_b < 0) {
        throw InputError(SourceLocation{file, line_no, "header"},
                         "expected a header row with columns norad_a and norad_b (e.g. \"norad_a,norad_b\")");
      }
      columns = f.size();
      continue;
    }
    if (f.size() != columns) {
      throw InputError(SourceLocation{file, line_no, {}},
                       fmt::format("expected {} fields as in the header, found {}", columns, f.size()));
    }
    std::uint32_t idx[2];
    for (int w = 0; w < 2; ++w) {
      const SourceLocation where{file, line_no, w == 0 ? "norad_a" : "norad_b"};
      const std::uint64_t id =
          parse_index(f[static_cast<std::size_t>(w == 0 ? col_a : col_b)], where, "a NORAD id");
      const auto it = id <= 0xFFFFFFFFu ? index_of.find(static_cast<std::uint32_t>(id)) : index_of.end();
      if (it == index_of.end()) {
        throw InputError(where, fmt::format("expected the NORAD id of a satellite read, got {}", id));
      }
      idx[w] = it->second;
    }
    if (idx[0] == idx[1]) {
      throw InputError(SourceLocation{file, line_no, "norad_b"}, "expected two distinct satellites");
    }
    add_unique(seen, out, idx[0], idx[1], SourceLocation{file, line_no, {}});
  }
  if (col_a < 0)
    throw InputError(SourceLocation{file, 0, {}}, "expected a header row norad_a,norad_b, found none");
  return out;
}

}  // namespace

HypatiaTles read_hypatia_tles(std::string_view text, std::string_view source) {
  const std::string file(source);
  const auto lines = lines_of(text);
  std::size_t first = 0;
  while (first < lines.size() && trim(lines[first]).empty()) ++first;
  if (first == lines.size())
    throw InputError(SourceLocation{file, 0, {}},
                     "expected a header \"ORBITS SATS_PER_ORBIT\", found an empty file");
  const int header_line = static_cast<int>(first + 1);
  const auto words = split_words(lines[first]);
  if (words.size() != 2) {
    throw InputError(SourceLocation{file, header_line, "header"},
                     "expected Hypatia's header \"ORBITS SATS_PER_ORBIT\" (two whole numbers)");
  }
  HypatiaTles out;
  const std::uint64_t orbits_n = parse_index(words[0], {file, header_line, "ORBITS"}, "the number of orbits");
  const std::uint64_t per =
      parse_index(words[1], {file, header_line, "SATS_PER_ORBIT"}, "the satellites per orbit");
  if (orbits_n < 1 || per < 1 || orbits_n > 10'000'000 || per > 10'000'000 || orbits_n * per > 10'000'000) {
    throw InputError(
        SourceLocation{file, header_line, "header"},
        fmt::format("expected ORBITS and SATS_PER_ORBIT >= 1 (and a product up to 10^7), got {} {}", orbits_n,
                    per));
  }
  out.orbits = static_cast<int>(orbits_n);
  out.sats_per_orbit = static_cast<int>(per);
  // The TLE reader ignores blank lines: blanking the header keeps every line number.
  std::string body(text);
  const std::size_t header_start = static_cast<std::size_t>(lines[first].data() - text.data());
  std::fill(body.begin() + static_cast<std::ptrdiff_t>(header_start),
            body.begin() + static_cast<std::ptrdiff_t>(header_start + lines[first].size()), ' ');
  orbits::TleReadOptions topts;
  topts.strict = true;
  orbits::Catalog cat = orbits::read_tle(body, source, topts);
  const std::size_t want = orbits_n * per;
  if (cat.sets.size() != want) {
    throw InputError(SourceLocation{file, header_line, "header"},
                     fmt::format("expected {} x {} = {} satellites as the header says, read {}", orbits_n,
                                 per, want, cat.sets.size()));
  }
  // Each record's line 1 (1-based line numbers; its name is the line before: the 3-line form), to
  // locate the problems below.
  std::vector<int> line1_at;
  for (std::size_t k = first + 1; k < lines.size(); ++k) {
    if (trim(lines[k]).starts_with("1 ")) line1_at.push_back(static_cast<int>(k + 1));
  }
  const auto line1_of = [&](std::size_t i) { return i < line1_at.size() ? line1_at[i] : 0; };
  for (std::size_t i = 0; i < cat.sets.size(); ++i) {
    const auto& es = cat.sets[i];
    const auto name_words = split_words(es.name);
    if (name_words.empty() || name_words.back() != std::to_string(i)) {
      throw InputError(
          SourceLocation{file, std::max(line1_of(i) - 1, 0), "name"},
          fmt::format("expected satellite {}'s name to end in its id {} (Hypatia's ids count up from "
                      "0 in file order), got \"{}\"",
                      i, i, es.name));
    }
    if (es.epoch != cat.sets.front().epoch) {
      throw InputError(
          SourceLocation{file, line1_of(i), "epoch"},
          fmt::format("expected one epoch for all satellites (as Hypatia requires); satellite {} "
                      "(\"{}\") differs from satellite 0",
                      i, es.name));
    }
  }
  out.satellites = std::move(cat.sets);
  return out;
}

HypatiaTles read_hypatia_tles_file(const std::string& path) {
  return read_hypatia_tles(read_whole(path, "Hypatia's tles.txt"), path);
}

std::vector<GroundNode> read_hypatia_ground_stations(std::string_view text, std::string_view source) {
  const std::string file(source);
  const auto lines = lines_of(text);
  std::vector<GroundNode> out;
  std::map<std::string, int> line_of_name;
  for (std::size_t k = 0; k < lines.size(); ++k) {
    const int line_no = static_cast<int>(k + 1);
    if (trim(lines[k]).empty()) continue;
    const auto f = split_commas(lines[k]);
    if (f.size() != 5 && f.size() != 8) {
      throw InputError(
          SourceLocation{file, line_no, {}},
          fmt::format("expected 5 fields gid,name,lat_deg,lon_deg,elev_m (or 8 with x_m,y_m,z_m), "
                      "found {}",
                      f.size()));
    }
    const std::uint64_t gid = parse_index(f[0], {file, line_no, "gid"}, "the ground station id");
    if (gid != out.size()) {
      throw InputError(
          SourceLocation{file, line_no, "gid"},
          fmt::format("expected ground station ids counting up from 0: {}, got {}", out.size(), gid));
    }
    const std::string name(f[1]);
    if (name.empty()) throw InputError(SourceLocation{file, line_no, "name"}, "expected a name, found none");
    if (const auto it = line_of_name.find(name); it != line_of_name.end()) {
      throw InputError(
          SourceLocation{file, line_no, "name"},
          fmt::format("expected distinct names (they are the site ids); \"{}\" is on line {} too", name,
                      it->second));
    }
    line_of_name.emplace(name, line_no);
    const double lat = parse_number(f[2], {file, line_no, "lat_deg"}, "a latitude in degrees");
    const double lon = parse_number(f[3], {file, line_no, "lon_deg"}, "a longitude in degrees");
    const double elev = parse_number(f[4], {file, line_no, "elev_m"}, "an elevation in metres");
    if (std::fabs(lat) > 90.0) {
      throw InputError(SourceLocation{file, line_no, "lat_deg"},
                       fmt::format("expected a latitude in [-90, 90], got {}", lat));
    }
    if (std::fabs(lon) > 180.0) {
      throw InputError(SourceLocation{file, line_no, "lon_deg"},
                       fmt::format("expected a longitude in [-180, 180], got {}", lon));
    }
    if (f.size() == 8) {
      parse_number(f[5], {file, line_no, "x_m"}, "an ECEF coordinate in metres");
      parse_number(f[6], {file, line_no, "y_m"}, "an ECEF coordinate in metres");
      parse_number(f[7], {file, line_no, "z_m"}, "an ECEF coordinate in metres");
    }
    out.push_back({name, frames::Geodetic::degrees(lat, lon, elev / 1000.0)});
  }
  if (out.empty())
    throw InputError(SourceLocation{file, 0, {}}, "expected at least one ground station, found none");
  return out;
}

std::vector<GroundNode> read_hypatia_ground_stations_file(const std::string& path) {
  return read_hypatia_ground_stations(read_whole(path, "Hypatia's ground_stations.txt"), path);
}

HypatiaDescription read_hypatia_description(std::string_view text, std::string_view source) {
  const std::string file(source);
  const auto lines = lines_of(text);
  HypatiaDescription out;
  int gsl_line = 0, isl_line = 0;
  for (std::size_t k = 0; k < lines.size(); ++k) {
    const int line_no = static_cast<int>(k + 1);
    const std::string_view line = trim(lines[k]);
    if (line.empty()) continue;
    const auto eq = line.find('=');
    if (eq == std::string_view::npos) {
      throw InputError(SourceLocation{file, line_no, {}},
                       fmt::format("expected key=value, got \"{}\"", line));
    }
    const std::string_view key = trim(line.substr(0, eq));
    const std::string_view value = trim(line.substr(eq + 1));
    double* target = nullptr;
    int* seen = nullptr;
    if (key == "max_gsl_length_m") {
      target = &out.max_gsl_length_km;
      seen = &gsl_line;
    } else if (key == "max_isl_length_m") {
      target = &out.max_isl_length_km;
      seen = &isl_line;
    } else {
      continue;
    }
    const std::string field(key);
    if (*seen != 0) {
      throw InputError(SourceLocation{file, line_no, field},
                       fmt::format("expected {} once; it is on line {} too", key, *seen));
    }
    *seen = line_no;
    const double m = parse_number(value, {file, line_no, field}, "a length in metres");
    if (!(m > 0.0))
      throw InputError(SourceLocation{file, line_no, field}, fmt::format("expected a length > 0, got {}", m));
    *target = m / 1000.0;
  }
  if (gsl_line == 0)
    throw InputError(SourceLocation{file, 0, "max_gsl_length_m"},
                     "expected max_gsl_length_m=..., found none");
  if (isl_line == 0)
    throw InputError(SourceLocation{file, 0, "max_isl_length_m"},
                     "expected max_isl_length_m=..., found none");
  return out;
}

HypatiaDescription read_hypatia_description_file(const std::string& path) {
  return read_hypatia_description(read_whole(path, "Hypatia's description.txt"), path);
}

std::vector<SatellitePair> read_isl_list(std::string_view text, std::string_view source,
                                         std::span<const orbits::ElementSet> satellites) {
  const auto lines = lines_of(text);
  std::size_t first = 0;
  while (first < lines.size() && trim(lines[first]).empty()) ++first;
  std::vector<SatellitePair> out;
  if (first < lines.size()) {
    out = lines[first].find(',') != std::string_view::npos
              ? read_norad_pairs(lines, source, satellites)
              : read_index_pairs(lines, source, satellites.size());
  }
  if (out.empty()) {
    throw InputError(SourceLocation{std::string(source), 0, {}},
                     "expected at least one inter-satellite link, found none");
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<SatellitePair> read_isl_list_file(const std::string& path,
                                              std::span<const orbits::ElementSet> satellites) {
  return read_isl_list(read_whole(path, "the inter-satellite link list"), path, satellites);
}

HypatiaState read_hypatia_state(const std::string& dir) {
  HypatiaState s;
  s.tles = read_hypatia_tles_file(dir + "/tles.txt");
  s.ground_stations = read_hypatia_ground_stations_file(dir + "/ground_stations.txt");
  s.isls = read_isl_list_file(dir + "/isls.txt", s.tles.satellites);
  s.description = read_hypatia_description_file(dir + "/description.txt");
  return s;
}

double hypatia_max_gsl_length_km(double cone_radius_km, double altitude_km) {
  return std::sqrt(cone_radius_km * cone_radius_km + altitude_km * altitude_km);
}

}  // namespace skyfence::network
