#include "skyfence/report/viewer.h"

#include <sqlite3.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <functional>
#include <map>
#include <sstream>
#include <system_error>
#include <tuple>

#include <nlohmann/json.hpp>

#include "skyfence/core/error.h"
#include "skyfence/report/internal/json_mark.h"
#include "skyfence/report/results_folder.h"

namespace skyfence::report {
namespace viewer_internal {

namespace fs = std::filesystem;
using json = nlohmann::ordered_json;

constexpr const char* kViewerFormat = "skyfence-viewer";
constexpr const char* kInstallHint =
    "install the viewer's npm packages with `make deps` (scripts/install-deps.sh runs `npm ci` in web/)";

// A read-only results store; each query calls `row` once per result row.
class StoreReader {
 public:
  explicit StoreReader(const fs::path& file) : file_(file.string()) {
    std::error_code ec;
    if (!fs::is_regular_file(file, ec)) throw InputError(file_ + ": no results store here");
    if (sqlite3_open_v2(file_.c_str(), &db_, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
      const std::string msg = db_ != nullptr ? sqlite3_errmsg(db_) : "out of memory";
      sqlite3_close(db_);
      throw InputError(file_ + ": cannot open: " + msg);
    }
    bool ours = false;
    query("PRAGMA application_id;",
          [&](sqlite3_stmt* st) { ours = sqlite3_column_int(st, 0) == kResultsApplicationId; });
    if (!ours) {
      sqlite3_close(db_);
      throw InputError(file_ + ": not a skyfence results store (its application_id is not \"SkyF\")");
    }
  }
  ~StoreReader() { sqlite3_close(db_); }
  StoreReader(const StoreReader&) = delete;
  StoreReader& operator=(const StoreReader&) = delete;

  // Throws InputError naming the table when the store lacks it.
  void require_table(const std::string& table) {
    bool found = false;
    query("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '" + table + "';",
          [&](sqlite3_stmt*) { found = true; });
    if (!found) {
      throw InputError(file_ + ": no table \"" + table +
                       "\": the results were written by an older skyfence; run the scenario again");
    }
  }

  void query(const std::string& sql, const std::function<void(sqlite3_stmt*)>& row) {
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &st, nullptr) != SQLITE_OK) {
      const std::string msg = sqlite3_errmsg(db_);
      throw InputError(file_ + ": cannot read (" + msg + ")");
    }
    int rc = SQLITE_OK;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) row(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) throw InputError(file_ + ": cannot read: " + sqlite3_errstr(rc));
  }

 private:
  std::string file_;
  sqlite3* db_ = nullptr;
};

std::string column_text(sqlite3_stmt* st, int i) {
  const unsigned char* t = sqlite3_column_text(st, i);
  return t == nullptr ? std::string() : std::string(reinterpret_cast<const char*>(t));
}

json column_value(sqlite3_stmt* st, int i) {
  switch (sqlite3_column_type(st, i)) {
    case SQLITE_INTEGER:
      return sqlite3_column_int64(st, i);
    case SQLITE_FLOAT:
      return sqlite3_column_double(st, i);
    case SQLITE_NULL:
      return nullptr;
    default:
      return column_text(st, i);
  }
}

// Rows of `sql` as arrays of values.
json query_rows(StoreReader& db, const std::string& sql) {
  json rows = json::array();
  db.query(sql, [&](sqlite3_stmt* st) {
    json row = json::array();
    for (int i = 0; i < sqlite3_column_count(st); ++i) row.push_back(column_value(st, i));
    rows.push_back(std::move(row));
  });
  return rows;
}

bool has_viewer_mark(const fs::path& dir) {
  return internal::has_format_mark(dir / kViewerDataName, kViewerFormat);
}

// Removes `dir` (best effort) unless released.
class StagingGuard {
 public:
  explicit StagingGuard(fs::path dir) : dir_(std::move(dir)) {}
  ~StagingGuard() {
    if (!dir_.empty()) {
      std::error_code ec;
      fs::remove_all(dir_, ec);
    }
  }
  StagingGuard(const StagingGuard&) = delete;
  StagingGuard& operator=(const StagingGuard&) = delete;
  void release() { dir_.clear(); }

 private:
  fs::path dir_;
};

}  // namespace viewer_internal

std::vector<ViewerFile> viewer_files(const std::filesystem::path& web) {
  namespace fs = std::filesystem;
  using viewer_internal::kInstallHint;
  const fs::path page = web / "viewer";
  const fs::path cesium = web / "node_modules" / "cesium" / "Build" / "Cesium";
  const fs::path satjs = web / "node_modules" / "satellite.js" / "dist";
  if (!fs::is_regular_file(cesium / "Cesium.js") || !fs::is_directory(satjs)) {
    throw ViewerUnavailable("CesiumJS or satellite.js is not installed in " +
                            (web / "node_modules").string() + ": " + kInstallHint);
  }
  std::vector<ViewerFile> files;
  for (const char* f : {"index.html", "viewer.js", "viewer.css"}) {
    if (!fs::is_regular_file(page / f)) {
      throw ViewerUnavailable("the viewer's page is missing: " + (page / f).string() +
                              " (the source tree's web/viewer/)");
    }
  }
  // The page's own files: every file of web/viewer/ (index.html, its scripts and style), in name order.
  std::vector<fs::path> own;
  for (const auto& e : fs::directory_iterator(page)) {
    if (e.is_regular_file()) own.push_back(e.path());
  }
  std::sort(own.begin(), own.end());
  for (const fs::path& f : own) files.push_back({f, f.filename()});
  const auto add_tree = [&](const fs::path& root, const fs::path& sub, const fs::path& target,
                            const std::function<bool(const fs::path&)>& keep) {
    if (!fs::is_directory(root / sub)) {
      throw ViewerUnavailable("incomplete CesiumJS or satellite.js package: no " + (root / sub).string() +
                              "; " + kInstallHint);
    }
    for (const auto& e : fs::recursive_directory_iterator(root / sub)) {
      if (!e.is_regular_file() || !keep(e.path())) continue;
      files.push_back({e.path(), target / fs::relative(e.path(), root)});
    }
  };
  const auto all = [](const fs::path&) { return true; };
  const fs::path cesium_target = "cesium";
  files.push_back({cesium / "Cesium.js", cesium_target / "Cesium.js"});
  add_tree(cesium, "Workers", cesium_target, all);
  add_tree(cesium, "Widgets", cesium_target, all);
  add_tree(cesium, "Assets/Textures/NaturalEarthII", cesium_target, all);
  add_tree(cesium, "Assets/Images", cesium_target, all);
  // Earth orientation (IAU 2006 X, Y, s), which Cesium loads for the Sun's direction at the clock's date.
  add_tree(cesium, "Assets/IAU2006_XYS", cesium_target, all);
  if (!fs::is_regular_file(cesium / "Assets" / "approximateTerrainHeights.json")) {
    throw ViewerUnavailable("incomplete CesiumJS package in " + cesium.string() + "; " + kInstallHint);
  }
  files.push_back({cesium / "Assets" / "approximateTerrainHeights.json",
                   cesium_target / "Assets" / "approximateTerrainHeights.json"});
  // satellite.js: its ES modules, without type declarations, the WebAssembly bulk propagator and the
  // package's entry module (which imports it); the page imports io.js and propagation.js.
  const fs::path sat_target = "satellite.js";
  add_tree(satjs, ".", sat_target, [&](const fs::path& p) {
    const fs::path rel = fs::relative(p, satjs);
    return p.extension() == ".js" && *rel.begin() != "wasm" && rel != "index.js";
  });
  for (auto& f : files) f.target = f.target.lexically_normal();
  return files;
}

ViewerData viewer_data(const std::filesystem::path& results_sqlite) {
  using viewer_internal::column_text;
  using viewer_internal::json;
  using viewer_internal::query_rows;
  viewer_internal::StoreReader db(results_sqlite);
  for (const char* t :
       {"runs", "providers", "variants", "cells", "cell_stats", "terminals", "terminal_tracks",
        "terminal_service", "capacity_cells", "satellites", "variant_satellites", "failed_satellites",
        "ground_stations", "policy_regions", "terminal_states", "routes"})
    db.require_table(t);

  json j;
  j["format"] = viewer_internal::kViewerFormat;
  j["format_version"] = 2;
  db.query("SELECT scenario_name, start_utc, stop_utc, step_s, region_name FROM runs;",
           [&](sqlite3_stmt* st) {
             j["run"] = {{"scenario_name", column_text(st, 0)},
                         {"start_utc", column_text(st, 1)},
                         {"stop_utc", column_text(st, 2)},
                         {"step_s", sqlite3_column_double(st, 3)},
                         {"region_name", column_text(st, 4)}};
           });
  if (!j.contains("run")) throw InputError(results_sqlite.string() + ": the runs table is empty");
  j["providers"] = json::array();
  db.query("SELECT provider, status, satellite_count, policy FROM providers ORDER BY provider;",
           [&](sqlite3_stmt* st) {
             j["providers"].push_back({{"name", column_text(st, 0)},
                                       {"status", column_text(st, 1)},
                                       {"satellite_count", sqlite3_column_int64(st, 2)},
                                       {"policy", viewer_internal::column_value(st, 3)}});
           });
  j["variants"] = json::array();
  db.query("SELECT variant, kind, description, affected_provider FROM variants ORDER BY variant_index;",
           [&](sqlite3_stmt* st) {
             j["variants"].push_back({{"id", column_text(st, 0)},
                                      {"kind", column_text(st, 1)},
                                      {"description", column_text(st, 2)},
                                      {"provider", viewer_internal::column_value(st, 3)}});
           });
  // Mean elements in the field order of `satellite_fields`, as satellite.js's json2satrec reads them (CCSDS
  // OMM keywords).
  j["satellite_fields"] = {"provider",          "NORAD_CAT_ID", "OBJECT_NAME", "EPOCH",
                           "MEAN_MOTION",       "ECCENTRICITY", "INCLINATION", "RA_OF_ASC_NODE",
                           "ARG_OF_PERICENTER", "MEAN_ANOMALY", "BSTAR",       "MEAN_MOTION_DOT",
                           "MEAN_MOTION_DDOT"};
  constexpr const char* kElements =
      "provider, norad_id, name, epoch_utc, mean_motion_rev_per_day, eccentricity, inclination_deg, "
      "raan_deg, arg_perigee_deg, mean_anomaly_deg, bstar, mean_motion_dot, mean_motion_ddot";
  j["satellites"] =
      query_rows(db, std::string("SELECT ") + kElements + " FROM satellites ORDER BY provider, norad_id;");
  // Each variant other than the baseline gets a file of its own, fetched by the page when the variant is
  // chosen: the satellites a catalog swap gives its provider, those a failure variant takes out of its
  // provider's fleet, and the variant's routes.
  std::map<std::string, json> variant_files;
  for (const json& v : j["variants"]) {
    if (v["id"] == "baseline") continue;
    variant_files[v["id"].get<std::string>()] = {{"format", "skyfence-viewer-variant"},
                                                 {"variant", v["id"]},
                                                 {"satellites", json::array()},
                                                 {"failed", json::array()},
                                                 {"routes", json::array()}};
  }
  const auto variant_file = [&](const std::string& variant) -> json& {
    const auto it = variant_files.find(variant);
    if (it == variant_files.end()) {
      throw InputError(results_sqlite.string() + ": a row names an unknown variant \"" + variant + "\"");
    }
    return it->second;
  };
  db.query(std::string("SELECT variant, ") + kElements +
               " FROM variant_satellites ORDER BY variant, provider, norad_id;",
           [&](sqlite3_stmt* st) {
             json row = json::array();
             for (int i = 1; i < sqlite3_column_count(st); ++i)
               row.push_back(viewer_internal::column_value(st, i));
             variant_file(column_text(st, 0))["satellites"].push_back(std::move(row));
           });
  // A failure variant's failed satellites: their NORAD ids (of the variant's provider).
  db.query("SELECT variant, norad_id FROM failed_satellites ORDER BY variant, norad_id;",
           [&](sqlite3_stmt* st) {
             variant_file(column_text(st, 0))["failed"].push_back(sqlite3_column_int64(st, 1));
           });
  // Cells: token, centre and the four corners; layers hold one value per cell in this order.
  j["cells"] = query_rows(
      db,
      "SELECT cell_token, lat_deg, lon_deg, v0_lon_deg, v0_lat_deg, v1_lon_deg, v1_lat_deg, v2_lon_deg, "
      "v2_lat_deg, v3_lon_deg, v3_lat_deg FROM cells ORDER BY cell_token;");
  std::map<std::pair<std::string, std::string>, json> layers;
  const auto layer = [&](const std::string& variant, const std::string& provider) -> json& {
    json& l = layers[{variant, provider}];
    if (l.is_null()) {
      const std::size_t n = j["cells"].size();
      l = {{"variant", variant},
           {"provider", provider},
           {"coverage", json::array()},
           {"served", json::array()},
           {"demand_met", json::array()}};
      for (std::size_t i = 0; i < n; ++i) {
        l["coverage"].push_back(nullptr);
        l["served"].push_back(nullptr);
        l["demand_met"].push_back(nullptr);
      }
    }
    return l;
  };
  std::map<std::string, std::size_t> cell_index;
  for (std::size_t i = 0; i < j["cells"].size(); ++i) cell_index[j["cells"][i][0].get<std::string>()] = i;
  const auto cell_of = [&](sqlite3_stmt* st, int col) {
    const auto it = cell_index.find(column_text(st, col));
    if (it == cell_index.end()) {
      throw InputError(results_sqlite.string() + ": a cell row names an unknown cell \"" +
                       column_text(st, col) + "\"");
    }
    return it->second;
  };
  db.query("SELECT variant, provider, cell_token, coverage_fraction, served_fraction FROM cell_stats;",
           [&](sqlite3_stmt* st) {
             json& l = layer(column_text(st, 0), column_text(st, 1));
             const std::size_t i = cell_of(st, 2);
             l["coverage"][i] = sqlite3_column_double(st, 3);
             l["served"][i] = sqlite3_column_double(st, 4);
           });
  db.query("SELECT variant, provider, cell_token, demand_met_fraction FROM capacity_cells;",
           [&](sqlite3_stmt* st) {
             layer(column_text(st, 0), column_text(st, 1))["demand_met"][cell_of(st, 2)] =
                 sqlite3_column_double(st, 3);
           });
  j["cell_layers"] = json::array();
  for (auto& [key, l] : layers) j["cell_layers"].push_back(std::move(l));

  j["terminals"] = json::array();
  std::map<std::string, std::size_t> terminal_index;
  db.query(
      "SELECT terminal_id, name, group_id, customer_class, lat_deg, lon_deg FROM terminals ORDER BY "
      "terminal_id;",
      [&](sqlite3_stmt* st) {
        terminal_index[column_text(st, 0)] = j["terminals"].size();
        j["terminals"].push_back({{"id", column_text(st, 0)},
                                  {"name", column_text(st, 1)},
                                  {"group", column_text(st, 2)},
                                  {"customer_class", column_text(st, 3)},
                                  {"lat_deg", sqlite3_column_double(st, 4)},
                                  {"lon_deg", sqlite3_column_double(st, 5)},
                                  {"track", json::array()},
                                  {"service", json::array()}});
      });
  const auto terminal_of = [&](sqlite3_stmt* st, int col) -> json& {
    const auto it = terminal_index.find(column_text(st, col));
    if (it == terminal_index.end()) {
      throw InputError(results_sqlite.string() + ": a row names an unknown terminal \"" +
                       column_text(st, col) + "\"");
    }
    return j["terminals"][it->second];
  };
  db.query(
      "SELECT terminal_id, time_utc, lat_deg, lon_deg FROM terminal_tracks ORDER BY terminal_id, time_utc;",
      [&](sqlite3_stmt* st) {
        terminal_of(st, 0)["track"].push_back(
            {column_text(st, 1), sqlite3_column_double(st, 2), sqlite3_column_double(st, 3)});
      });
  db.query(
      "SELECT terminal_id, variant, provider, coverage_fraction, served_fraction, decision, reason "
      "FROM terminal_service ORDER BY terminal_id, variant, provider;",
      [&](sqlite3_stmt* st) {
        terminal_of(st, 0)["service"].push_back({{"variant", column_text(st, 1)},
                                                 {"provider", column_text(st, 2)},
                                                 {"coverage", sqlite3_column_double(st, 3)},
                                                 {"served", sqlite3_column_double(st, 4)},
                                                 {"decision", column_text(st, 5)},
                                                 {"reason", column_text(st, 6)}});
      });
  j["ground_stations"] = json::array();
  db.query(
      "SELECT provider, kind, station_id, lat_deg, lon_deg FROM ground_stations ORDER BY provider, kind, "
      "station_id;",
      [&](sqlite3_stmt* st) {
        j["ground_stations"].push_back({{"provider", column_text(st, 0)},
                                        {"kind", column_text(st, 1)},
                                        {"id", column_text(st, 2)},
                                        {"lat_deg", sqlite3_column_double(st, 3)},
                                        {"lon_deg", sqlite3_column_double(st, 4)}});
      });
  // Forbidden regions: each row's polygons as GeoJSON MultiPolygon coordinates.
  j["policy_regions"] = json::array();
  db.query(
      "SELECT variant, provider, rule_id, region, side, description, summary, geometry_geojson FROM "
      "policy_regions ORDER BY variant, provider, rule_id, region;",
      [&](sqlite3_stmt* st) {
        json geometry = json::parse(column_text(st, 7), nullptr, false);
        if (geometry.is_discarded() || !geometry.contains("coordinates")) {
          throw InputError(results_sqlite.string() + ": policy_regions: a geometry is not GeoJSON");
        }
        j["policy_regions"].push_back({{"variant", column_text(st, 0)},
                                       {"provider", column_text(st, 1)},
                                       {"rule", column_text(st, 2)},
                                       {"region", column_text(st, 3)},
                                       {"side", column_text(st, 4)},
                                       {"description", column_text(st, 5)},
                                       {"summary", column_text(st, 6)},
                                       {"polygons", std::move(geometry["coordinates"])}});
      });
  // Terminals' states step by step, as their changes: per (variant, provider, terminal) the steps where
  // the state changes, the state from there (a letter of "sud": served, uncovered, denied) and, for
  // denials, the forbid rules that matched (keyed by the change's index; "" when no permit rule did).
  j["terminal_states"] = json::array();
  std::map<std::tuple<std::string, std::string, std::string>, std::size_t> series_index;
  db.query(
      "SELECT variant, provider, terminal_id, first_step, state, rule_ids FROM terminal_states ORDER BY "
      "variant, provider, terminal_id, first_step;",
      [&](sqlite3_stmt* st) {
        const auto key = std::make_tuple(column_text(st, 0), column_text(st, 1), column_text(st, 2));
        auto it = series_index.find(key);
        if (it == series_index.end()) {
          it = series_index.emplace(key, j["terminal_states"].size()).first;
          j["terminal_states"].push_back({{"variant", std::get<0>(key)},
                                          {"provider", std::get<1>(key)},
                                          {"terminal", std::get<2>(key)},
                                          {"steps", json::array()},
                                          {"states", ""},
                                          {"rules", json::object()}});
        }
        json& series = j["terminal_states"][it->second];
        const std::string state = column_text(st, 4);
        if (state == "denied") {
          series["rules"][std::to_string(series["steps"].size())] = column_text(st, 5);
        }
        series["steps"].push_back(sqlite3_column_int64(st, 3));
        series["states"].get_ref<std::string&>() += state.substr(0, 1);
      });
  // Routes to the internet, the baseline's here and each variant's in its own file: per (provider,
  // terminal) the latency steps' times (seconds after the start), RTTs and paths.
  j["routes"] = json::array();
  std::map<std::tuple<std::string, std::string, std::string>, std::size_t> route_index;
  db.query(
      "SELECT variant, provider, terminal_id, "
      "(julianday(time_utc) - (SELECT julianday(start_utc) FROM runs)) * 86400.0, rtt_ms, path "
      "FROM routes ORDER BY variant, provider, terminal_id, time_utc;",
      [&](sqlite3_stmt* st) {
        const std::string variant = column_text(st, 0);
        json& routes = variant == "baseline" ? j["routes"] : variant_file(variant)["routes"];
        const auto key = std::make_tuple(variant, column_text(st, 1), column_text(st, 2));
        auto it = route_index.find(key);
        if (it == route_index.end()) {
          it = route_index.emplace(key, routes.size()).first;
          routes.push_back({{"provider", std::get<1>(key)},
                            {"terminal", std::get<2>(key)},
                            {"t_s", json::array()},
                            {"rtt_ms", json::array()},
                            {"paths", json::array()}});
        }
        json& r = routes[it->second];
        r["t_s"].push_back(std::round(sqlite3_column_double(st, 3) * 1000.0) / 1000.0);
        r["rtt_ms"].push_back(viewer_internal::column_value(st, 4));
        r["paths"].push_back(column_text(st, 5));
      });
  ViewerData out;
  for (std::size_t k = 0; k < j["variants"].size(); ++k) {
    json& v = j["variants"][k];
    if (v["id"] == "baseline") {
      v["data"] = nullptr;
      continue;
    }
    const std::string name = "variants/" + std::to_string(k) + ".json";
    v["data"] = name;
    out.variant_files.emplace_back(name, variant_files[v["id"].get<std::string>()].dump());
  }
  out.scenario = j.dump();
  return out;
}

ViewerWritten write_viewer(const std::filesystem::path& results_dir, const std::filesystem::path& web) {
  namespace fs = std::filesystem;
  const std::vector<ViewerFile> files = viewer_files(web);
  const ViewerData data = viewer_data(results_dir / "results.sqlite");

  const fs::path final_dir = results_dir / "viewer";
  std::error_code ec;
  if (fs::exists(fs::symlink_status(final_dir, ec)) && !viewer_internal::has_viewer_mark(final_dir)) {
    throw InputError(
        final_dir.string() + " exists and is not a skyfence viewer (no " + kViewerDataName +
        " of format \"skyfence-viewer\"); it is left as it is: move it away to write the viewer");
  }
  const std::string pid = std::to_string(::getpid());
  const fs::path staging = results_dir / ("viewer.tmp-" + pid);
  fs::remove_all(staging);
  viewer_internal::StagingGuard guard(staging);
  ViewerWritten out{final_dir, 0, 0};
  for (const ViewerFile& f : files) {
    const fs::path to = staging / f.target;
    fs::create_directories(to.parent_path());
    fs::copy_file(f.source, to, fs::copy_options::overwrite_existing);
    out.bytes += fs::file_size(to);
    ++out.files;
  }
  const auto write_data = [&](const std::string& name, const std::string& text) {
    const fs::path to = staging / name;
    fs::create_directories(to.parent_path());
    std::ofstream o(to, std::ios::binary);
    o << text;
    o.close();
    if (!o) throw std::runtime_error(to.string() + ": cannot write");
    out.bytes += text.size();
    ++out.files;
  };
  for (const auto& [name, text] : data.variant_files) write_data(name, text);
  write_data(kViewerDataName, data.scenario);
  // The previous viewer moves aside first, then the new one into place; the old one is removed last.
  const fs::path old = results_dir / ("viewer.old-" + pid);
  const bool had_old = fs::exists(fs::symlink_status(final_dir, ec));
  if (had_old) {
    fs::remove_all(old);
    fs::rename(final_dir, old);
  }
  try {
    fs::rename(staging, final_dir);
  } catch (...) {
    if (had_old) fs::rename(old, final_dir, ec);
    throw;
  }
  guard.release();
  if (had_old) fs::remove_all(old, ec);
  return out;
}

}  // namespace skyfence::report
