#include "skyfence/network/hypatia_export.h"

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>
#include <stdexcept>
#include <utility>

#include <fmt/format.h>
#include <oneapi/tbb/enumerable_thread_specific.h>

#include "skyfence/core/error.h"
#include "skyfence/core/units.h"
#include "skyfence/frames/frames.h"
#include "skyfence/network/graph.h"
#include "skyfence/orbits/tle.h"
#include "skyfence/time/scales.h"
#include "skyfence/visibility/parallel.h"

namespace skyfence::network {
namespace {

namespace fs = std::filesystem;

constexpr double kKmPerMs = kSpeedOfLightKmS / 1000.0;

void require_ground_stations_only(const Network& network) {
  if (network.gateways() != 0 || network.pops() != 0) {
    throw std::invalid_argument(
        "hypatia export: the network must have no gateway or PoP nodes (export gateways as ground stations)");
  }
}

// A name for tles.txt whose second word is the satellite's id.
std::string tle_name(const std::string& name, std::size_t id) {
  const std::string suffix = " " + std::to_string(id);
  if (name.size() > suffix.size() && name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0 &&
      name.find_first_of(" \t") == name.size() - suffix.size()) {
    return name;
  }
  std::string word;
  for (char c : name) word += (c == ' ' || c == '\t' || c == '\r' || c == '\n') ? '_' : c;
  if (word.empty()) word = "SAT";
  return word + suffix;
}

void write_file(const fs::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(text.data(), static_cast<std::streamsize>(text.size()));
  out.close();
  if (!out) throw std::runtime_error("hypatia export: cannot write " + path.string());
}

// The longest ground link and ISL (km) of a snapshot's graph.
void longest_links(const Network& network, const Snapshot& snapshot, double& gsl_km, double& isl_km) {
  const Graph& g = snapshot.graph;
  const std::uint32_t sats = static_cast<std::uint32_t>(network.satellites());
  for (std::uint32_t u = 0; u < sats; ++u) {
    for (std::uint32_t k = g.offsets[u]; k < g.offsets[u + 1]; ++k) {
      const double km = g.arcs[k].delay_ms * kKmPerMs;
      double& longest = g.arcs[k].to < sats ? isl_km : gsl_km;
      longest = std::max(longest, km);
    }
  }
}

std::string without_trailing_slashes(std::string dir) {
  while (dir.size() > 1 && dir.back() == '/') dir.pop_back();
  return dir;
}

// The export folder: written under DIR.tmp-PID, then put in DIR's place.
class Staging {
 public:
  Staging(const std::string& dir, bool overwrite) : final_(without_trailing_slashes(dir)) {
    const SourceLocation where{dir, 0, {}};
    const std::string name = final_.filename().string();
    if (name.empty() || name == "." || name == "..") {
      throw InputError(where, "expected the name of a folder to create or replace");
    }
    std::error_code ec;
    if (fs::exists(final_, ec)) {
      if (!fs::is_directory(final_, ec)) {
        throw InputError(where, "expected a folder for Hypatia's state, found a file");
      }
      if (!fs::is_empty(final_, ec) && !overwrite) {
        throw InputError(where,
                         "expected a new or empty folder, found one with files in it (give --overwrite to "
                         "replace it)");
      }
    }
    fs::path parent = final_.parent_path();
    if (parent.empty()) parent = ".";
    if (!fs::is_directory(parent, ec)) {
      throw InputError(where, "expected an existing parent folder " + parent.string());
    }
    staging_ = final_.string() + ".tmp-" + std::to_string(::getpid());
    old_ = final_.string() + ".old-" + std::to_string(::getpid());
    fs::remove_all(staging_, ec);
    if (!fs::create_directory(staging_, ec) || ec) {
      throw std::runtime_error("hypatia export: cannot create " + staging_.string());
    }
  }
  Staging(const Staging&) = delete;
  Staging& operator=(const Staging&) = delete;
  ~Staging() {
    if (!committed_) {
      std::error_code ec;
      fs::remove_all(staging_, ec);
    }
  }
  [[nodiscard]] const fs::path& path() const { return staging_; }

  void commit() {
    std::error_code ec;
    const bool replace = fs::exists(final_, ec) && !fs::is_empty(final_, ec);
    if (replace) {
      fs::rename(final_, old_, ec);
      if (ec)
        throw std::runtime_error("hypatia export: cannot move " + final_.string() +
                                 " aside: " + ec.message());
    } else if (fs::exists(final_, ec)) {
      fs::remove(final_, ec);  // empty
    }
    fs::rename(staging_, final_, ec);
    if (ec) {
      std::error_code ignored;
      if (replace) fs::rename(old_, final_, ignored);
      throw std::runtime_error("hypatia export: cannot rename " + staging_.string() + " to " +
                               final_.string() + ": " + ec.message());
    }
    committed_ = true;
    if (replace) fs::remove_all(old_, ec);
  }

 private:
  fs::path final_, staging_, old_;
  bool committed_ = false;
};

}  // namespace

HypatiaInterfaces::HypatiaInterfaces(std::size_t satellites, std::span<const SatellitePair> isls)
    : offsets_(satellites + 1, 0), neighbour_(2 * isls.size()) {
  for (const SatellitePair& p : isls) {
    if (p.a >= satellites || p.b >= satellites || p.a == p.b) {
      throw std::invalid_argument(
          fmt::format("hypatia export: an ISL must join two distinct satellites < {}, got {} and {}",
                      satellites, p.a, p.b));
    }
    ++offsets_[p.a + 1];
    ++offsets_[p.b + 1];
  }
  for (std::size_t s = 0; s < satellites; ++s) offsets_[s + 1] += offsets_[s];
  std::vector<std::uint32_t> fill(offsets_.begin(), offsets_.end() - 1);
  // The next interface of a and of b, in list order (satgenpy's generate_dynamic_state).
  for (const SatellitePair& p : isls) {
    neighbour_[fill[p.a]++] = p.b;
    neighbour_[fill[p.b]++] = p.a;
  }
}

std::int32_t HypatiaInterfaces::isl_interface(std::uint32_t sat, std::uint32_t neighbour) const {
  for (std::uint32_t k = offsets_[sat]; k < offsets_[sat + 1]; ++k) {
    if (neighbour_[k] == neighbour) return static_cast<std::int32_t>(k - offsets_[sat]);
  }
  return -1;
}

void hypatia_forwarding_state(const Network& network, const Snapshot& snapshot,
                              const HypatiaInterfaces& interfaces, std::vector<HypatiaNextHop>& table,
                              std::vector<std::vector<std::uint32_t>>* orders, const RunContext& run) {
  require_ground_stations_only(network);
  const std::size_t sats = network.satellites();
  const std::size_t gs = network.endpoints();
  const std::size_t nodes = sats + gs;
  table.assign(nodes * gs, HypatiaNextHop{});
  const std::vector<std::uint8_t> flags = network.flags_between_endpoints();
  if (orders != nullptr) orders->resize(gs);
  // The interfaces at both ends of each ISL arc of this step's graph: arc k from p to v leaves p by
  // from_if[k] and arrives at v on to_if[k] (looked up once per arc, not once per entry).
  const Graph& graph = snapshot.graph;
  std::vector<std::int32_t> from_if(graph.arcs.size(), -1), to_if(graph.arcs.size(), -1);
  for (std::uint32_t p = 0; p < sats; ++p) {
    for (std::uint32_t k = graph.offsets[p]; k < graph.offsets[p + 1]; ++k) {
      const std::uint32_t v = graph.arcs[k].to;
      if (v >= sats) continue;
      from_if[k] = interfaces.isl_interface(p, v);
      to_if[k] = interfaces.isl_interface(v, p);
      if (from_if[k] < 0 || to_if[k] < 0) {
        throw std::invalid_argument("hypatia export: the interfaces are not those of the network's ISLs");
      }
    }
  }
  tbb::enumerable_thread_specific<ShortestPaths> workspace;
  visibility::run_parallel(run, gs, [&](std::size_t d) {
    ShortestPaths& sp = workspace.local();
    const auto dst = static_cast<std::uint32_t>(sats + d);
    if (orders != nullptr) {
      shortest_paths_reusing(snapshot.graph, dst, flags, (*orders)[d], sp);
    } else {
      shortest_paths(snapshot.graph, dst, flags, sp);
    }
    HypatiaNextHop* row = table.data() + d * nodes;
    for (std::uint32_t u = 0; u < nodes; ++u) {
      const std::uint32_t p = sp.parent[u];
      if (u == dst || p == kNoNode) continue;
      HypatiaNextHop& h = row[u];
      h.node = static_cast<std::int32_t>(p);
      if (u < sats && p < sats) {  // ISL: the parent's arc p -> u, used backwards
        const std::uint32_t e = sp.parent_edge[u];
        h.my_if = to_if[e];
        h.next_if = from_if[e];
      } else if (u < sats) {  // down to the destination (ground stations never relay)
        h.my_if = interfaces.isl_count(u);
        h.next_if = 0;
      } else {  // up from a ground station
        h.my_if = 0;
        h.next_if = interfaces.isl_count(p);
      }
    }
  });
}

void append_hypatia_fstate(std::span<const HypatiaNextHop> table, std::span<const HypatiaNextHop> previous,
                           std::size_t satellites, std::size_t ground_stations, std::string& out) {
  const std::size_t nodes = satellites + ground_stations;
  auto out_it = std::back_inserter(out);
  if (!previous.empty()) {
    // Few entries change from one step to the next: find them in the table's order, write them in
    // satgenpy's.
    std::vector<std::pair<std::size_t, std::size_t>> changed;  // (node, destination)
    for (std::size_t d = 0; d < ground_stations; ++d) {
      for (std::size_t u = 0; u < nodes; ++u) {
        const std::size_t k = d * nodes + u;
        if (u != satellites + d && !(previous[k] == table[k])) changed.emplace_back(u, d);
      }
    }
    std::sort(changed.begin(), changed.end());
    for (const auto& [u, d] : changed) {
      const HypatiaNextHop& h = table[d * nodes + u];
      fmt::format_to(out_it, "{},{},{},{},{}\n", u, satellites + d, h.node, h.my_if, h.next_if);
    }
    return;
  }
  for (std::size_t u = 0; u < nodes; ++u) {
    for (std::size_t d = 0; d < ground_stations; ++d) {
      if (u == satellites + d) continue;
      const std::size_t k = d * nodes + u;
      const HypatiaNextHop& h = table[k];
      fmt::format_to(out_it, "{},{},{},{},{}\n", u, satellites + d, h.node, h.my_if, h.next_if);
    }
  }
}

std::string hypatia_tles_text(std::span<const orbits::ElementSet> sets, int orbits, int sats_per_orbit) {
  if (orbits == 0 && sats_per_orbit == 0) {
    orbits = 1;
    sats_per_orbit = static_cast<int>(sets.size());
  }
  if (orbits < 1 || sats_per_orbit < 1 ||
      static_cast<std::size_t>(orbits) * static_cast<std::size_t>(sats_per_orbit) != sets.size()) {
    throw std::invalid_argument(
        fmt::format("hypatia export: {} orbits of {} satellites are not the {} satellites", orbits,
                    sats_per_orbit, sets.size()));
  }
  std::string out = fmt::format("{} {}\n", orbits, sats_per_orbit);
  for (std::size_t i = 0; i < sets.size(); ++i) {
    out += tle_name(sets[i].name, i);
    out += '\n';
    out += orbits::format_tle(sets[i]);
  }
  return out;
}

std::string hypatia_ground_stations_text(std::span<const GroundNode> stations) {
  std::string out;
  auto it = std::back_inserter(out);
  for (std::size_t g = 0; g < stations.size(); ++g) {
    std::string name = stations[g].id;
    for (char& c : name) {
      if (c == ',' || c == '\n' || c == '\r') c = '_';
    }
    const frames::Geodetic& where = stations[g].location;
    const frames::Vec3 r = frames::geodetic_to_itrf(where);
    fmt::format_to(it, "{},{},{:.6f},{:.6f},{:.6f},{:.6f},{:.6f},{:.6f}\n", g, name,
                   where.lat_rad * kDegPerRad, where.lon_rad * kDegPerRad, where.alt_km * 1000.0,
                   r.x * 1000.0, r.y * 1000.0, r.z * 1000.0);
  }
  return out;
}

std::string hypatia_isls_text(std::span<const SatellitePair> isls) {
  std::set<std::pair<std::uint32_t, std::uint32_t>> seen;
  std::string out;
  auto it = std::back_inserter(out);
  for (const SatellitePair& p : isls) {
    const auto key = std::minmax(p.a, p.b);
    if (p.a == p.b || !seen.insert(key).second) {
      throw std::invalid_argument(
          fmt::format("hypatia export: ISL {} {} is a self link or given twice", p.a, p.b));
    }
    fmt::format_to(it, "{} {}\n", key.first, key.second);
  }
  return out;
}

std::string hypatia_gsl_interfaces_info_text(std::size_t satellites, std::size_t ground_stations) {
  std::string out;
  auto it = std::back_inserter(out);
  for (std::size_t n = 0; n < satellites + ground_stations; ++n) fmt::format_to(it, "{},1,1.000000\n", n);
  return out;
}

std::string hypatia_description_text(double max_gsl_length_km, double max_isl_length_km) {
  return fmt::format("max_gsl_length_m={:.10f}\nmax_isl_length_m={:.10f}\n", max_gsl_length_km * 1000.0,
                     max_isl_length_km * 1000.0);
}

std::string hypatia_gsl_if_bandwidth_text(const HypatiaInterfaces& interfaces, std::size_t satellites,
                                          std::size_t ground_stations) {
  std::string out;
  auto it = std::back_inserter(out);
  for (std::size_t n = 0; n < satellites; ++n) {
    fmt::format_to(it, "{},{},1.000000\n", n, interfaces.isl_count(static_cast<std::uint32_t>(n)));
  }
  for (std::size_t g = 0; g < ground_stations; ++g) fmt::format_to(it, "{},0,1.000000\n", satellites + g);
  return out;
}

std::string hypatia_refit_report_text(std::span<const orbits::ElementSet> originals,
                                      std::span<const orbits::RefitResult> results) {
  if (originals.size() != results.size())
    throw std::invalid_argument("hypatia refit report: one result per element set");
  std::string out = "id,norad_id,name,original_epoch_utc,refitted,max_position_error_km,sgp4_error\n";
  for (std::size_t i = 0; i < originals.size(); ++i) {
    const orbits::RefitResult& r = results[i];
    std::string name = originals[i].name;
    std::replace_if(
        name.begin(), name.end(), [](char c) { return c == ',' || c == '\n' || c == '\r'; }, '_');
    const bool failed = r.error != orbits::Sgp4Error::none;
    out += fmt::format("{},{},{},{},{},{},{}\n", i, originals[i].norad_id, name,
                       time::format_iso8601(originals[i].epoch), r.refitted ? 1 : 0,
                       failed || !std::isfinite(r.max_position_error_km)
                           ? std::string()
                           : fmt::format("{:.6f}", r.max_position_error_km),
                       failed ? std::to_string(static_cast<int>(r.error)) : std::string());
  }
  return out;
}

HypatiaExportSummary export_hypatia_state(const Network& network, std::span<const orbits::ElementSet> sets,
                                          std::span<const time::Instant> times, const std::string& dir,
                                          const HypatiaExportOptions& options, const RunContext& run) {
  require_ground_stations_only(network);
  if (sets.size() != network.satellites()) {
    throw std::invalid_argument("hypatia export: one element set per satellite of the network");
  }
  if (times.empty()) throw std::invalid_argument("hypatia export: at least one time step");
  HypatiaExportSummary summary;
  summary.step_ns = times.size() > 1 ? (times[1] - times[0]).count_ns() : 0;
  for (std::size_t k = 1; k < times.size(); ++k) {
    if (summary.step_ns <= 0 || (times[k] - times[k - 1]).count_ns() != summary.step_ns) {
      throw std::invalid_argument("hypatia export: the times must increase by one fixed step");
    }
  }
  const std::size_t sats = network.satellites();
  const std::size_t gs = network.endpoints();
  const std::span<const SatellitePair> isls = network.isl_candidates();
  const HypatiaInterfaces interfaces(sats, isls);
  // The static texts first: a catalogue the formats cannot hold fails before any step is computed.
  const std::string tles = hypatia_tles_text(sets, options.orbits, options.sats_per_orbit);
  const std::string isls_text = hypatia_isls_text(isls);
  std::vector<GroundNode> stations;
  for (std::size_t g = 0; g < gs; ++g) stations.push_back(network.endpoint(g));

  Staging staging(dir, options.overwrite);
  const fs::path& out_dir = staging.path();
  write_file(out_dir / "tles.txt", tles);
  write_file(out_dir / "isls.txt", isls_text);
  write_file(out_dir / "ground_stations.txt", hypatia_ground_stations_text(stations));
  write_file(out_dir / "gsl_interfaces_info.txt", hypatia_gsl_interfaces_info_text(sats, gs));
  if (!options.refit_report.empty()) write_file(out_dir / "epoch_refit.csv", options.refit_report);

  Snapshot snap;
  std::vector<HypatiaNextHop> table, previous;
  std::vector<std::vector<std::uint32_t>> orders;  // each search starts from its previous step's order
  std::string text;
  double gsl_km = 0.0, isl_km = 0.0;
  for (std::size_t step = 0; step < times.size(); ++step) {
    network.snapshot(times[step], snap, run);
    hypatia_forwarding_state(network, snap, interfaces, table, &orders, run);
    longest_links(network, snap, gsl_km, isl_km);
    text.clear();
    append_hypatia_fstate(table, previous, sats, gs, text);
    summary.fstate_lines += static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
    for (std::size_t d = 0; d < gs; ++d) {
      for (std::size_t u = 0; u < sats + gs; ++u) {
        if (u != sats + d && table[d * (sats + gs) + u].node < 0) ++summary.drop_entries;
      }
    }
    const std::int64_t t_ns = (times[step] - times.front()).count_ns();
    write_file(out_dir / fmt::format("fstate_{}.txt", t_ns), text);
    write_file(out_dir / fmt::format("gsl_if_bandwidth_{}.txt", t_ns),
               step == 0 ? hypatia_gsl_if_bandwidth_text(interfaces, sats, gs) : std::string());
    std::swap(table, previous);
    ++summary.steps;
    run.report("export", static_cast<double>(step + 1) / static_cast<double>(times.size()));
  }
  const NetworkOptions& no = network.options();
  summary.max_gsl_length_km = std::isfinite(no.gsl_max_range_km) ? no.gsl_max_range_km : gsl_km;
  summary.max_isl_length_km = std::isfinite(no.isl_max_range_km) ? no.isl_max_range_km : isl_km;
  write_file(out_dir / "description.txt",
             hypatia_description_text(summary.max_gsl_length_km, summary.max_isl_length_km));
  staging.commit();
  return summary;
}

}  // namespace skyfence::network
